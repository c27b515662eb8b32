"""The Integrations API through HTTP on the real graph server."""

from __future__ import annotations

import asyncio
from typing import Any

import neo4j

from tests.conftest import Api, GraphServer, cypher


async def create_user(api: Api, **body: Any) -> dict[str, Any]:
    response = await api.post("/v1/users", json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def create_integration(api: Api, user_id: str, **body: Any) -> dict[str, Any]:
    response = await api.post(f"/v1/users/{user_id}/integrations", json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def integrations_count(api: Api, user_id: str) -> int:
    return int((await api.get(f"/v1/users/{user_id}/stats")).json()["stats"]["integrationsCount"])


async def test_create_and_list(api: Api) -> None:
    user = await create_user(api)
    uid = user["id"]
    made = await create_integration(
        api,
        uid,
        provider="google.calendar",
        externalAccountId="alice@example.com",
        scopes=["calendar.readonly", "calendar.events"],
        metadata={"region": "eu", "seats": 3},
    )
    assert made["id"].startswith("int_")
    assert made["userId"] == uid
    assert made["provider"] == "google.calendar"
    assert made["externalAccountId"] == "alice@example.com"
    assert made["scopes"] == ["calendar.readonly", "calendar.events"]
    assert made["metadata"] == {"region": "eu", "seats": 3}
    assert made["createdAt"].endswith("Z")
    assert set(made) == {"id", "userId", "provider", "externalAccountId", "scopes", "metadata", "createdAt"}
    minimal = await create_integration(api, uid, provider="slack")
    assert (minimal["externalAccountId"], minimal["scopes"], minimal["metadata"]) == (None, [], {})
    listed = (await api.get(f"/v1/users/{uid}/integrations")).json()
    assert listed["integrations"] == [minimal, made]
    assert listed["pagination"] == {"nextCursor": None, "hasMore": False}
    only = (await api.get(f"/v1/users/{uid}/integrations", params={"provider": "slack"})).json()
    assert only["integrations"] == [minimal]


async def test_list_pages_newest_first(api: Api) -> None:
    uid = (await create_user(api))["id"]
    made = [(await create_integration(api, uid, provider=f"p{i}"))["id"] for i in range(5)]
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        body = (await api.get(f"/v1/users/{uid}/integrations", params=params)).json()
        seen += [i["id"] for i in body["integrations"]]
        if not body["pagination"]["hasMore"]:
            break
        cursor = body["pagination"]["nextCursor"]
    assert seen == list(reversed(made))
    other = (await create_user(api))["id"]
    foreign = await api.get(f"/v1/users/{other}/integrations", params={"limit": 2, "cursor": cursor})
    assert foreign.status_code == 400
    assert foreign.json()["code"] == "INVALID_CURSOR"


async def test_same_provider_and_account_is_409(api: Api) -> None:
    user = await create_user(api)
    uid = user["id"]
    first = await create_integration(api, uid, provider="github", externalAccountId="alice")
    again = await api.post(
        f"/v1/users/{uid}/integrations",
        json={"provider": "github", "externalAccountId": "alice", "scopes": ["x"]},
    )
    assert again.status_code == 409, again.text
    assert again.headers["content-type"].startswith("application/problem+json")
    assert again.json()["code"] == "INTEGRATION_EXISTS"
    assert again.json()["existingId"] == first["id"]
    # Another account, or another user, is another integration.
    await create_integration(api, uid, provider="github", externalAccountId="alice-work")
    other = await create_user(api)
    await create_integration(api, other["id"], provider="github", externalAccountId="alice")
    # No account id is a value of its own: once per provider.
    bare = await create_integration(api, uid, provider="github")
    twice = await api.post(f"/v1/users/{uid}/integrations", json={"provider": "github"})
    assert twice.status_code == 409
    assert twice.json()["existingId"] == bare["id"]
    assert await integrations_count(api, uid) == 3
    # A deleted integration frees its key.
    assert (await api.delete(f"/v1/users/{uid}/integrations/{first['id']}")).status_code == 200
    assert (await create_integration(api, uid, provider="github", externalAccountId="alice"))["id"] != first[
        "id"
    ]


async def test_concurrent_creates_make_one(
    api: Api, driver: neo4j.AsyncDriver, graph_server: GraphServer
) -> None:
    uid = (await create_user(api))["id"]
    body = {"provider": "notion", "externalAccountId": "ws-1"}
    responses = await asyncio.gather(
        *(api.post(f"/v1/users/{uid}/integrations", json=body) for _ in range(20))
    )
    assert sorted(r.status_code for r in responses) == [201] + [409] * 19
    created = next(r.json() for r in responses if r.status_code == 201)
    assert {r.json()["existingId"] for r in responses if r.status_code == 409} == {created["id"]}
    rows = await cypher(
        driver, graph_server, "MATCH (i:Integration {userId: $u}) RETURN count(i) AS n", u=uid
    )
    assert rows == [{"n": 1}]


async def test_counted_in_stats_and_deleted_with_the_user(
    api: Api, driver: neo4j.AsyncDriver, graph_server: GraphServer
) -> None:
    user = await create_user(api, externalId="connected")
    uid = user["id"]
    assert await integrations_count(api, uid) == 0
    made = [await create_integration(api, uid, provider=p) for p in ("slack", "gmail", "jira")]
    assert await integrations_count(api, uid) == 3
    response = await api.delete(f"/v1/users/{uid}/integrations/{made[0]['id']}")
    assert response.status_code == 200, response.text
    assert response.json() == {"deleted": True, "id": made[0]["id"]}
    assert await integrations_count(api, uid) == 2
    assert (await api.delete(f"/v1/users/{uid}/integrations/{made[0]['id']}")).status_code == 404
    assert (await api.delete(f"/v1/users/{uid}")).status_code == 200
    rows = await cypher(
        driver,
        graph_server,
        "MATCH (i:Integration) WHERE i.userId = $u OR i.id IN $ids RETURN count(i) AS n",
        u=uid,
        ids=[m["id"] for m in made],
    )
    assert rows == [{"n": 0}]
    audit = (await api.get("/v1/audit", params={"action": "user.deleted"})).json()["records"]
    assert audit[0]["counts"]["integrations"] == 2
    assert (await api.get(f"/v1/users/{uid}/integrations")).status_code == 404


async def test_other_project_and_other_user_see_nothing(api: Api, other_api: Api) -> None:
    user = await create_user(api)
    uid = user["id"]
    made = await create_integration(api, uid, provider="slack", metadata={"k": "v"})
    for method, url, body in [
        ("GET", f"/v1/users/{uid}/integrations", None),
        ("POST", f"/v1/users/{uid}/integrations", {"provider": "mallory"}),
        ("DELETE", f"/v1/users/{uid}/integrations/{made['id']}", None),
    ]:
        response = await other_api.request(method, url, json=body)
        assert response.status_code == 404, (method, url, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["code"] == "NOT_FOUND"
    # Deleting it through another user of the same project does not work either.
    other_user = await create_user(api)
    assert (await api.delete(f"/v1/users/{other_user['id']}/integrations/{made['id']}")).status_code == 404
    assert (await api.get(f"/v1/users/{uid}/integrations")).json()["integrations"] == [made]
    for method, url, body in [
        ("GET", "/v1/users/usr_nope/integrations", None),
        ("POST", "/v1/users/usr_nope/integrations", {"provider": "slack"}),
        ("DELETE", "/v1/users/usr_nope/integrations/int_nope", None),
        ("DELETE", f"/v1/users/{uid}/integrations/int_nope", None),
    ]:
        response = await api.request(method, url, json=body)
        assert response.status_code == 404, (method, url, response.text)


async def test_bad_input_is_4xx_and_changes_nothing(
    api: Api, driver: neo4j.AsyncDriver, graph_server: GraphServer
) -> None:
    uid = (await create_user(api))["id"]
    made = await create_integration(api, uid, provider="slack")
    url = f"/v1/users/{uid}/integrations"
    cases: list[tuple[str, Any, int, str | None]] = [
        ({}, 422, "provider"),
        ({"provider": ""}, 422, "provider"),
        ({"provider": "Slack"}, 422, "provider"),
        ({"provider": "my slack"}, 422, "provider"),
        ({"provider": "a/b"}, 422, "provider"),
        ({"provider": "x" * 65}, 422, "provider"),
        ({"provider": None}, 422, "provider"),
        ({"provider": "ok", "externalAccountId": ""}, 422, "externalAccountId"),
        ({"provider": "ok", "externalAccountId": 5}, 422, "externalAccountId"),
        ({"provider": "ok", "scopes": "read"}, 422, "scopes"),
        ({"provider": "ok", "scopes": [f"s{i}" for i in range(51)]}, 422, "scopes"),
        ({"provider": "ok", "scopes": ["read", None]}, 422, "scopes"),
        ({"provider": "ok", "scopes": ["read", 1]}, 422, "scopes"),
        ({"provider": "ok", "scopes": [""]}, 422, "scopes"),
        ({"provider": "ok", "metadata": [1]}, 422, "metadata"),
        ({"provider": "ok", "metadata": {f"k{i}": i for i in range(65)}}, 422, "metadata"),
        ({"provider": "ok", "metadata": {"big": "x" * 17000}}, 413, "metadata"),
        ({"provider": "ok", "token": "secret"}, 422, "token"),
        ({"provider": "ok", "userId": uid}, 422, "userId"),
        (b'{"provider": ', 422, "body"),
    ]
    snapshot = "MATCH (i:Integration {userId: $u}) RETURN count(i) AS n"
    before = await cypher(driver, graph_server, snapshot, u=uid)
    for body, status, field in cases:
        kwargs: dict[str, Any] = (
            {"content": body, "headers": {"content-type": "application/json"}}
            if isinstance(body, bytes)
            else {"json": body}
        )
        response = await api.post(url, **kwargs)
        assert response.status_code == status, (body, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        problem = response.json()
        assert {"type", "title", "status", "detail", "code"} <= problem.keys()
        if field is not None:
            named = [e["field"] for e in problem.get("errors", [])] + [problem.get("field")]
            assert any(field in (n or "") for n in named), (body, problem)
    for params, status in [({"limit": 0}, 422), ({"limit": 101}, 422), ({"cursor": "garbage"}, 400)]:
        response = await api.get(url, params=params)
        assert response.status_code == status, (params, response.text)
    assert await cypher(driver, graph_server, snapshot, u=uid) == before
    assert (await api.get(url)).json()["integrations"] == [made]


async def test_idempotency_key_on_create(api: Api) -> None:
    uid = (await create_user(api))["id"]
    headers = {"Idempotency-Key": "integration-once"}
    body = {"provider": "slack", "externalAccountId": "T1"}
    first = await api.post(f"/v1/users/{uid}/integrations", json=body, headers=headers)
    again = await api.post(f"/v1/users/{uid}/integrations", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert await integrations_count(api, uid) == 1
