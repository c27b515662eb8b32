"""Projects, API keys, admin token, audit: through HTTP on the real graph server."""

from __future__ import annotations

import asyncio
import time

import httpx
import neo4j

from tests.conftest import ADMIN_TOKEN, Api, GraphServer, cypher


async def test_every_bad_key_gets_the_same_401(api: Api, client: httpx.AsyncClient) -> None:
    revoked = (await api.post("/v1/keys", json={"name": "temp"})).json()
    assert (await api.delete(f"/v1/keys/{revoked['key']['id']}")).status_code == 200
    bodies = []
    for headers in (
        {},
        {"Authorization": "Basic abc"},
        {"Authorization": "Bearer "},
        {"Authorization": "Bearer egm_short"},
        {"Authorization": "Bearer " + api.key[:-4] + "AAAA"},
        {"Authorization": f"Bearer {revoked['apiKey']}"},
        {"Authorization": f"Bearer {ADMIN_TOKEN}"},
    ):
        response = await client.get("/v1/users", headers=headers)
        assert response.status_code == 401, headers
        assert response.headers["content-type"].startswith("application/problem+json")
        bodies.append(response.json())
    assert all(b == bodies[0] for b in bodies)
    assert bodies[0]["code"] == "UNAUTHORIZED"


async def test_admin_routes_need_the_admin_token(api: Api, client: httpx.AsyncClient) -> None:
    for headers in (
        {},
        {"Authorization": f"Bearer {api.key}"},
        {"Authorization": "Bearer wrong-admin-token"},
    ):
        response = await client.post("/v1/admin/projects", json={"name": "x"}, headers=headers)
        assert response.status_code == 401
    bad = await client.post(
        "/v1/admin/projects", json={"name": ""}, headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}
    )
    assert bad.status_code == 422


async def test_key_lifecycle(api: Api, client: httpx.AsyncClient) -> None:
    created = await api.post("/v1/keys", json={"name": "worker"})
    assert created.status_code == 201
    body = created.json()
    token = body["apiKey"]
    assert token.startswith("egm_")
    assert len(token) >= 40
    assert body["key"]["prefix"] == token[: len(body["key"]["prefix"])]
    assert body["key"]["revokedAt"] is None
    second = {"Authorization": f"Bearer {token}"}
    assert (await client.get("/v1/users", headers=second)).status_code == 200

    listed = (await api.get("/v1/keys")).json()["keys"]
    assert {k["id"] for k in listed} >= {body["key"]["id"]}
    assert token not in str(listed)
    assert all("hash" not in k for k in listed)

    revoked = await api.delete(f"/v1/keys/{body['key']['id']}")
    assert revoked.status_code == 200
    assert revoked.json()["revokedAt"] is not None
    assert (await client.get("/v1/users", headers=second)).status_code == 401
    # Revoking again is harmless.
    assert (await api.delete(f"/v1/keys/{body['key']['id']}")).status_code == 200

    actions = [r["action"] for r in (await api.get("/v1/audit")).json()["records"]]
    assert actions[:3] == ["key.revoked", "key.revoked", "key.created"] or actions[:2] == [
        "key.revoked",
        "key.created",
    ]


async def test_last_active_key_cannot_be_revoked(api: Api) -> None:
    own = (await api.get("/v1/keys")).json()["keys"]
    assert len(own) == 1
    response = await api.delete(f"/v1/keys/{own[0]['id']}")
    assert response.status_code == 409
    assert (await api.get("/v1/users")).status_code == 200


async def test_keys_are_project_scoped(api: Api, other_api: Api) -> None:
    mine = (await api.get("/v1/keys")).json()["keys"][0]
    assert (await other_api.delete(f"/v1/keys/{mine['id']}")).status_code == 404
    theirs = {k["id"] for k in (await other_api.get("/v1/keys")).json()["keys"]}
    assert mine["id"] not in theirs


async def test_key_listing_pages(api: Api) -> None:
    for i in range(4):
        await api.post("/v1/keys", json={"name": f"k{i}"})
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = (await api.get("/v1/keys", params=params)).json()
        seen += [k["id"] for k in page["keys"]]
        if not page["pagination"]["hasMore"]:
            break
        cursor = page["pagination"]["nextCursor"]
    assert len(seen) == len(set(seen)) == 5


async def test_idempotent_key_creation_replays_the_same_key(api: Api) -> None:
    headers = {"Idempotency-Key": "key-once"}
    first = await api.post("/v1/keys", json={"name": "once"}, headers=headers)
    again = await api.post("/v1/keys", json={"name": "once"}, headers=headers)
    assert first.json() == again.json()
    names = [k["name"] for k in (await api.get("/v1/keys")).json()["keys"]]
    assert names.count("once") == 1


async def test_a_key_revoked_by_another_process_stops_working_within_a_second(
    api: Api, client: httpx.AsyncClient, driver: neo4j.AsyncDriver, graph_server: GraphServer
) -> None:
    created = (await api.post("/v1/keys", json={"name": "replica"})).json()
    headers = {"Authorization": f"Bearer {created['apiKey']}"}
    for _ in range(3):  # now remembered by this process's key cache
        assert (await client.get("/v1/users", headers=headers)).status_code == 200
    # Another API process revokes it: only the graph changes, this process is not told.
    await cypher(
        driver,
        graph_server,
        "MATCH (k:ApiKey {id: $id}) SET k.revokedAt = $now",
        id=created["key"]["id"],
        now=int(time.time() * 1000),
    )
    began = time.monotonic()
    while (await client.get("/v1/users", headers=headers)).status_code == 200:
        assert time.monotonic() - began < 1.0, "revoked key still accepted after 1 s"
        await asyncio.sleep(0.02)
