"""Faults injected for real: the graph server's own process is stopped (SIGSTOP) by its pid while
requests run, then resumed (SIGCONT). Engram must answer 503 fast, acknowledge nothing it did not
do, and recover by itself."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from pathlib import Path

import httpx
import pytest

from app.main import create_app
from app.settings import Settings
from tests.conftest import ADMIN_TOKEN, MODEL_CACHE, child_service, project_key, running, started_local_graph

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("NEO4J_URI")), reason="stops the local graph server's process by its pid"
)


async def until(check: object, within: float) -> float:
    """Seconds until the awaitable factory `check` returns True (fails after `within`)."""
    start = time.monotonic()
    while True:
        if await check():  # type: ignore[operator]
            return time.monotonic() - start
        assert time.monotonic() - start < within, "did not happen in time"
        await asyncio.sleep(0.2)


async def test_a_stalled_graph_is_a_fast_503_then_heals(tmp_path: Path) -> None:
    local = started_local_graph(tmp_path / "graph", password="stall-test-password", heap="512m")
    try:
        settings = Settings(
            env="dev",
            data_dir=str(tmp_path / "data"),
            model_cache_dir=MODEL_CACHE,
            admin_token=ADMIN_TOKEN,
            secret_key="test-secret-key-0123456789",
            bootstrap_dev_project=False,
            ingest_workers=0,
            compute_processes=1,
            graph_stall_seconds=3,
            graph_retry_seconds=10,
            NEO4J_URI=local.uri,
            NEO4J_USERNAME="root",
            NEO4J_PASSWORD="stall-test-password",
            NEO4J_DATABASE="engram",
        )
        app = create_app(settings)
        async with (
            running(app),
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://engram.test", timeout=60
            ) as client,
        ):
            await until(lambda: _status(client, "/ready", 200), within=120)
            made = await client.post(
                "/v1/admin/projects",
                json={"name": "stall"},
                headers={"Authorization": f"Bearer {ADMIN_TOKEN}"},
            )
            key = {"Authorization": f"Bearer {made.json()['apiKey']}"}
            assert (
                await client.post("/v1/users", json={"externalId": "before"}, headers=key)
            ).status_code == 201

            assert local.pid is not None
            os.kill(local.pid, signal.SIGSTOP)
            try:
                started = time.monotonic()
                ready = await client.get("/ready")
                assert ready.status_code == 503
                assert time.monotonic() - started < 2.5  # what a load balancer polls answers fast
                started = time.monotonic()
                listed, created = await asyncio.gather(
                    client.get("/v1/users", headers=key),
                    client.post("/v1/users", json={"externalId": "during"}, headers=key),
                )
                waited = time.monotonic() - started
                for response in (listed, created):
                    assert response.status_code == 503, response.text
                    assert response.json()["code"] == "GRAPH_UNAVAILABLE"
                    assert int(response.headers["retry-after"]) > 0
                assert waited <= settings.graph_retry_seconds
                started = time.monotonic()  # once stalled, at once
                assert (await client.get("/v1/users", headers=key)).status_code == 503
                assert time.monotonic() - started < 1.0
            finally:
                os.kill(local.pid, signal.SIGCONT)
            await until(lambda: _status(client, "/ready", 200), within=30)
            users = (await client.get("/v1/users", headers=key)).json()["users"]
            # The create answered 503 was not done, then or later.
            assert [u["externalId"] for u in users] == ["before"]
    finally:
        local.stop()


async def _status(client: httpx.AsyncClient, path: str, status: int) -> bool:
    return (await client.get(path)).status_code == status


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def _cmdline(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()


async def test_a_killed_local_graph_server_is_restarted_by_its_supervisor(tmp_path: Path) -> None:
    """`python -m app` (what `make run` runs) with its local graph server; the server's process is
    SIGKILLed by its pid: /ready says 503 while it is away, /health stays 200 (the process can still
    serve) and reports the restart, and both are fine again by themselves, with the data kept."""
    with child_service(tmp_path, ENGRAM_INGEST_WORKERS="0") as (base_url, service):
        async with httpx.AsyncClient(base_url=base_url, timeout=5) as client:

            async def status(path: str) -> int:
                try:
                    return (await client.get(path)).status_code
                except httpx.HTTPError:
                    return 0

            async def ready() -> bool:
                return await status("/ready") == 200

            await until(ready, within=180)
            key = project_key(base_url, "kill")
            assert (
                await client.post("/v1/users", json={"externalId": "kept"}, headers=key)
            ).status_code == 201
            [graph] = [c for c in _children(service.pid) if "app.localgraph" in _cmdline(c)]

            os.kill(graph, signal.SIGKILL)

            async def away() -> bool:
                return await status("/ready") == 503

            await until(away, within=10)
            health = await client.get("/health")
            assert health.status_code == 200
            assert health.json()["localGraph"] in ("restarting", "running")
            await until(ready, within=120)
            assert (await client.get("/health")).json() == {"status": "ok", "localGraph": "running"}
            users = (await client.get("/v1/users", headers=key)).json()["users"]
            assert [u["externalId"] for u in users] == ["kept"]
            restarted = [c for c in _children(service.pid) if "app.localgraph" in _cmdline(c)]
            assert len(restarted) == 1
            assert restarted[0] != graph
            assert graph not in _children(service.pid)  # reaped, not left <defunct>
    assert "local_graph_restarted" in (tmp_path / "service.log").read_text()
