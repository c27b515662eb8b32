"""Service-level behaviour: health, readiness, OpenAPI, request ids, logs, an unreachable graph."""

from __future__ import annotations

import httpx
import pytest

from app.localgraph import free_port
from app.main import create_app
from app.settings import Settings
from tests.conftest import ADMIN_TOKEN, Api, running


async def test_health_ready_and_openapi(client: httpx.AsyncClient) -> None:
    assert (await client.get("/health")).json() == {"status": "ok"}
    ready = await client.get("/ready")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready", "graph": True, "schema": True, "models": True}
    spec = (await client.get("/schema/openapi.json")).json()
    assert "/v1/users" in spec["paths"]
    assert "/v1/users/{user_id}/stats" in spec["paths"]
    # Error responses, as problem+json, where they can happen; unknown fields refused, said so.
    problem = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    create = spec["paths"]["/v1/users"]["post"]["responses"]
    assert {"201", "401", "409", "413", "415", "422", "503"} <= create.keys()
    assert all(create[code]["content"] == problem for code in ("401", "409", "413", "415", "422", "503"))
    assert "Retry-After" in create["503"]["headers"]
    assert {"200", "400", "401", "422", "503"} <= spec["paths"]["/v1/users"]["get"]["responses"].keys()
    assert "404" in spec["paths"]["/v1/users/{user_id}"]["get"]["responses"]
    assert spec["components"]["schemas"]["Problem"]["required"] == [
        "type",
        "title",
        "status",
        "detail",
        "code",
    ]
    assert spec["components"]["schemas"]["UserCreate"]["additionalProperties"] is False
    assert spec["components"]["schemas"]["AppendBody"]["additionalProperties"] is False
    assert (await client.get("/schema")).status_code == 200
    metrics = await client.get("/metrics")
    assert metrics.status_code == 200
    assert "engram" in metrics.text


async def test_request_id_is_echoed_and_logs_hold_no_secrets(
    api: Api, capsys: pytest.CaptureFixture[str]
) -> None:
    response = await api.post(
        "/v1/users",
        json={
            "externalId": "secret-ext",
            "email": "private@example.com",
            "metadata": {"note": "confidential"},
        },
        headers={"X-Request-ID": "req-123"},
    )
    assert response.headers["x-request-id"] == "req-123"
    generated = await api.get("/v1/users")
    assert len(generated.headers["x-request-id"]) > 10
    logged = capsys.readouterr().out
    assert "req-123" in logged
    for secret in (api.key, "private@example.com", "confidential", "secret-ext"):
        assert secret not in logged


async def test_unreachable_graph_is_503_and_not_ready(tmp_path: object) -> None:
    settings = Settings(
        env="dev",
        data_dir=str(tmp_path),
        admin_token=ADMIN_TOKEN,
        secret_key="test-secret-key-0123456789",
        bootstrap_dev_project=False,
        graph_retry_seconds=0,
        startup_graph_wait_seconds=0.2,
        NEO4J_URI=f"bolt://127.0.0.1:{free_port()}",
        NEO4J_PASSWORD="nothing-listens-here",
    )
    app = create_app(settings)
    async with (
        running(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://engram.test") as client,
    ):
        assert (await client.get("/health")).status_code == 200
        ready = await client.get("/ready")
        assert ready.status_code == 503
        assert ready.json()["graph"] is False
        response = await client.get("/v1/users", headers={"Authorization": "Bearer egm_" + "a" * 43})
        assert response.status_code == 503
        assert response.json()["code"] == "GRAPH_UNAVAILABLE"
        assert response.headers["retry-after"] == "5"
