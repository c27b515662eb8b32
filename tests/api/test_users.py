"""The Users API through HTTP on the real graph server."""

from __future__ import annotations

import asyncio
from typing import Any

import neo4j
import pytest

from tests.conftest import Api, GraphServer, cypher, new_project, wait_for_jobs


async def create_user(api: Api, **body: Any) -> dict[str, Any]:
    response = await api.post("/v1/users", json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def test_create_returns_user_with_graph(
    api: Api, driver: neo4j.AsyncDriver, graph_server: GraphServer
) -> None:
    user = await create_user(
        api, externalId="clerk_1", email="alice@example.com", firstName="Alice", metadata={"plan": "premium"}
    )
    assert user["id"].startswith("usr_")
    assert user["graphId"].startswith("grph_")
    assert user["externalId"] == "clerk_1"
    assert user["lastName"] is None
    assert user["metadata"] == {"plan": "premium"}
    assert user["stats"] == {"threads": 0, "memories": 0, "messages": 0, "entities": 0}
    assert user["createdAt"].endswith("Z")
    rows = await cypher(
        driver,
        graph_server,
        "MATCH (u:User {id: $id})-[:HAS_GRAPH]->(g:UserGraph) RETURN g.id AS graphId",
        id=user["id"],
    )
    assert rows == [{"graphId": user["graphId"]}]


async def test_users_without_external_id_do_not_collide(api: Api) -> None:
    first = await create_user(api, firstName="A")
    second = await create_user(api, firstName="B")
    assert first["id"] != second["id"]


@pytest.mark.parametrize("projects", [2])
async def test_concurrent_creates_with_same_external_id(
    api: Api, other_api: Api, driver: neo4j.AsyncDriver, graph_server: GraphServer, projects: int
) -> None:
    for tenant in (api, other_api)[:projects]:
        responses = await asyncio.gather(
            *(tenant.post("/v1/users", json={"externalId": "racer"}) for _ in range(50))
        )
        statuses = sorted(r.status_code for r in responses)
        assert statuses == [201] + [409] * 49
        created = next(r.json() for r in responses if r.status_code == 201)
        conflicts = [r.json() for r in responses if r.status_code == 409]
        assert {c["code"] for c in conflicts} == {"USER_EXISTS"}
        assert {c["existingId"] for c in conflicts} == {created["id"]}
        rows = await cypher(
            driver,
            graph_server,
            "MATCH (u:User {projectId: $p, externalId: 'racer'}) RETURN count(u) AS n",
            p=tenant.project_id,
        )
        assert rows == [{"n": 1}]


async def test_get_and_get_by_external_id(api: Api) -> None:
    user = await create_user(api, externalId="ext/with spaces", email="b@example.com")
    by_id = (await api.get(f"/v1/users/{user['id']}")).json()
    assert by_id["id"] == user["id"]
    assert by_id["stats"] == {"threads": 0, "memories": 0, "messages": 0, "entities": 0}
    by_ext = await api.get("/v1/users/external/ext%2Fwith%20spaces")
    assert by_ext.status_code == 200, by_ext.text
    assert by_ext.json()["id"] == user["id"]
    missing = await api.get("/v1/users/external/nobody")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/problem+json")
    assert missing.json()["code"] == "NOT_FOUND"


async def test_patch_merges_metadata_and_replaces_fields(api: Api) -> None:
    user = await create_user(
        api, externalId="p1", firstName="Al", metadata={"plan": "free", "team": "x", "n": 1}
    )
    response = await api.patch(
        f"/v1/users/{user['id']}",
        json={
            "firstName": "Alice",
            "lastName": "Smith",
            "metadata": {"plan": "pro", "team": None, "new": True},
        },
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["firstName"] == "Alice"
    assert body["lastName"] == "Smith"
    assert body["metadata"] == {"plan": "pro", "n": 1, "new": True}
    assert body["externalId"] == "p1"
    cleared = (await api.patch(f"/v1/users/{user['id']}", json={"lastName": None})).json()
    assert cleared["lastName"] is None
    assert cleared["firstName"] == "Alice"
    # The metadata filter follows the merge.
    found = (await api.get("/v1/users", params={"metadata.plan": "pro"})).json()["users"]
    assert [u["id"] for u in found] == [user["id"]]
    assert (await api.get("/v1/users", params={"metadata.team": "x"})).json()["users"] == []


async def test_patch_external_id_to_a_taken_one_is_409(api: Api) -> None:
    first = await create_user(api, externalId="taken")
    second = await create_user(api, externalId="free")
    response = await api.patch(f"/v1/users/{second['id']}", json={"externalId": "taken"})
    assert response.status_code == 409
    assert response.json()["code"] == "USER_EXISTS"
    assert response.json()["existingId"] == first["id"]
    assert (await api.get(f"/v1/users/{second['id']}")).json()["externalId"] == "free"
    moved = await api.patch(f"/v1/users/{second['id']}", json={"externalId": "renamed"})
    assert moved.json()["externalId"] == "renamed"
    again = await create_user(api, externalId="free")  # the old externalId is free again
    assert again["id"] != second["id"]


async def test_delete_cascades_and_is_audited(
    api: Api, driver: neo4j.AsyncDriver, graph_server: GraphServer
) -> None:
    user = await create_user(api, externalId="gone", email="gone@example.com", firstName="Gone")
    response = await api.delete(f"/v1/users/{user['id']}")
    assert response.status_code == 200
    assert response.json() == {"deleted": True, "id": user["id"]}
    rows = await cypher(
        driver,
        graph_server,
        "MATCH (n) WHERE n.id = $id OR n.userId = $id OR n.id = $graphId RETURN count(n) AS n",
        id=user["id"],
        graphId=user["graphId"],
    )
    assert rows == [{"n": 0}]
    assert (await api.get(f"/v1/users/{user['id']}")).status_code == 404
    assert (await api.delete(f"/v1/users/{user['id']}")).status_code == 404
    audit = (await api.get("/v1/audit", params={"action": "user.deleted"})).json()["records"]
    assert len(audit) == 1
    record = audit[0]
    assert record["targetId"] == user["id"]
    assert record["counts"]["graphs"] == 1
    text = str(record)
    for personal in ("gone@example.com", "Gone", "gone"):
        assert personal not in text.replace(user["id"], "")
    # The externalId can be used again.
    await create_user(api, externalId="gone")


async def test_graph_and_stats_are_real_counts(api: Api) -> None:
    user = await create_user(api)
    graph = (await api.get(f"/v1/users/{user['id']}/graph")).json()
    assert graph["userId"] == user["id"]
    assert graph["graphId"] == user["graphId"]
    assert graph["stats"] == {"memories": 0, "entities": 0, "relations": 0}
    stats = (await api.get(f"/v1/users/{user['id']}/stats")).json()
    assert stats == {
        "userId": user["id"],
        "stats": {
            "totalConversations": 0,
            "totalMessages": 0,
            "personalitiesUsed": 0,
            "memoriesCount": 0,
            "entitiesCount": 0,
            "integrationsCount": 0,
            "firstConversationAt": None,
            "lastConversationAt": None,
        },
    }


async def test_other_project_sees_nothing(api: Api, other_api: Api) -> None:
    user = await create_user(api, externalId="private")
    uid = user["id"]
    for method, url, body in [
        ("GET", f"/v1/users/{uid}", None),
        ("GET", "/v1/users/external/private", None),
        ("PATCH", f"/v1/users/{uid}", {"firstName": "Mallory"}),
        ("GET", f"/v1/users/{uid}/graph", None),
        ("GET", f"/v1/users/{uid}/stats", None),
        ("DELETE", f"/v1/users/{uid}", None),
    ]:
        response = await other_api.request(method, url, json=body)
        assert response.status_code == 404, (method, url, response.text)
        assert response.json()["code"] == "NOT_FOUND"
    assert (await other_api.get("/v1/users")).json()["users"] == []
    assert (await other_api.get("/v1/users", params={"externalId": "private"})).json()["users"] == []
    assert (await other_api.get("/v1/audit")).json()["records"] == []
    # The other project may use the same externalId for its own user.
    mine = await create_user(other_api, externalId="private")
    assert mine["id"] != uid
    assert (await api.get(f"/v1/users/{uid}")).json()["firstName"] is None


async def test_pagination_sees_every_existing_user_once_while_others_insert(api: Api) -> None:
    semaphore = asyncio.Semaphore(8)

    async def make(i: int) -> str:
        async with semaphore:
            return (await create_user(api, externalId=f"page-{i:03d}"))["id"]

    existing = set(await asyncio.gather(*(make(i) for i in range(250))))
    stop = asyncio.Event()

    async def keep_creating() -> int:
        n = 0
        while not stop.is_set():
            await create_user(api, externalId=f"late-{n}")
            n += 1
        return n

    writer = asyncio.create_task(keep_creating())
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        params: dict[str, Any] = {"limit": 100}
        if cursor:
            params["cursor"] = cursor
        body = (await api.get("/v1/users", params=params)).json()
        seen.extend(u["id"] for u in body["users"])
        pages += 1
        await asyncio.sleep(0.05)  # let the writer insert between pages
        if not body["pagination"]["hasMore"]:
            break
        cursor = body["pagination"]["nextCursor"]
    stop.set()
    late = await writer
    assert late > 0
    assert pages >= 3
    assert len(seen) == len(set(seen)), "a user was seen twice"
    assert existing <= set(seen), "an existing user was skipped"


async def test_filters_return_exact_sets(api: Api) -> None:
    a = await create_user(
        api,
        externalId="f-a",
        email="Ann@Example.com",
        firstName="Ann",
        metadata={"plan": "pro", "seats": 5, "beta": True},
    )
    b = await create_user(
        api, externalId="f-b", email="bob@example.com", firstName="Bob", metadata={"plan": "pro", "seats": 2}
    )
    await asyncio.sleep(0.01)
    c = await create_user(
        api,
        externalId="f-c",
        email="cy@other.org",
        lastName="Annson",
        metadata={"plan": "free", "seats": "5"},
    )

    async def ids(**params: Any) -> set[str]:
        response = await api.get("/v1/users", params=params)
        assert response.status_code == 200, response.text
        return {u["id"] for u in response.json()["users"]}

    assert await ids(**{"metadata.plan": "pro"}) == {a["id"], b["id"]}
    assert await ids(**{"metadata.plan": "pro", "metadata.seats": "5"}) == {a["id"]}
    assert await ids(**{"metadata.seats": "5"}) == {a["id"], c["id"]}
    assert await ids(**{"metadata.beta": "true"}) == {a["id"]}
    assert await ids(**{"metadata.plan": "enterprise"}) == set()
    assert await ids(externalId="f-b") == {b["id"]}
    assert await ids(email="ann@example.com") == {a["id"]}
    assert await ids(q="ann") == {a["id"], c["id"]}
    assert await ids(q="OTHER.ORG") == {c["id"]}
    assert await ids(createdAfter=b["createdAt"]) == {c["id"]} - {b["id"]} | (
        {a["id"]} if a["createdAt"] > b["createdAt"] else set()
    )
    assert await ids(createdBefore=c["createdAt"]) >= {a["id"], b["id"]}
    assert c["id"] not in await ids(createdBefore=c["createdAt"])
    assert await ids(createdAfter=a["createdAt"], createdBefore=c["createdAt"]) == (
        {b["id"]} if a["createdAt"] < b["createdAt"] < c["createdAt"] else set()
    )


async def test_list_is_newest_first_with_list_stats(api: Api) -> None:
    made = [await create_user(api, externalId=f"o-{i}") for i in range(3)]
    users = (await api.get("/v1/users")).json()["users"]
    assert [u["id"] for u in users] == [u["id"] for u in reversed(made)]
    assert users[0]["stats"] == {"threads": 0, "memories": 0}


async def test_bad_input_is_4xx_and_changes_nothing(
    api: Api, driver: neo4j.AsyncDriver, graph_server: GraphServer
) -> None:
    user = await create_user(api, externalId="stable", metadata={"k": "v"})
    cases: list[tuple[str, str, Any, int, str | None]] = [
        ("POST", "/v1/users", b'{"email": ', 422, "body"),
        ("POST", "/v1/users", b"[1, 2]", 422, None),
        ("POST", "/v1/users", {"email": 5}, 422, "email"),
        ("POST", "/v1/users", {"email": "not-an-email"}, 422, "email"),
        ("POST", "/v1/users", {"metadata": "nope"}, 422, "metadata"),
        ("POST", "/v1/users", {"nickname": "x"}, 422, "nickname"),
        ("POST", "/v1/users", {"id": "usr_x"}, 422, "id"),
        ("POST", "/v1/users", {"graphId": "grph_x"}, 422, "graphId"),
        ("POST", "/v1/users", {"createdAt": "2020-01-01T00:00:00Z"}, 422, "createdAt"),
        ("POST", "/v1/users", {"projectId": "prj_x"}, 422, "projectId"),
        ("POST", "/v1/users", {"externalId": ""}, 422, "externalId"),
        ("POST", "/v1/users", {"metadata": {f"k{i}": i for i in range(65)}}, 422, "metadata"),
        ("POST", "/v1/users", {"metadata": {"a": {"b": {"c": {"d": {"e": {"f": 1}}}}}}}, 422, "metadata"),
        ("POST", "/v1/users", {"metadata": {"big": "x" * 17000}}, 413, "metadata"),
        ("PATCH", f"/v1/users/{user['id']}", {"id": "usr_other"}, 422, "id"),
        ("PATCH", f"/v1/users/{user['id']}", {"email": ["a"]}, 422, "email"),
        ("PATCH", f"/v1/users/{user['id']}", {"metadata": {"big": "x" * 17000}}, 413, "metadata"),
        ("PATCH", f"/v1/users/{user['id']}", b"{", 422, "body"),
        ("GET", "/v1/users?limit=0", None, 422, "limit"),
        ("GET", "/v1/users?limit=101", None, 422, "limit"),
        ("GET", "/v1/users?limit=abc", None, 422, "limit"),
        ("GET", "/v1/users?createdAfter=yesterday", None, 422, "createdAfter"),
        ("GET", "/v1/users?cursor=garbage", None, 400, None),
        ("GET", "/v1/users?cursor=%C3%A9.%C3%A9", None, 400, None),
        # A name names the user in their memories: it holds a letter or digit, and no NUL.
        ("POST", "/v1/users", {"firstName": "."}, 422, "firstName"),
        ("POST", "/v1/users", {"firstName": "!!"}, 422, "firstName"),
        ("POST", "/v1/users", {"lastName": "\u0013"}, 422, "lastName"),
        ("POST", "/v1/users", {"firstName": "Ana\u0000"}, 422, "firstName"),
        ("POST", "/v1/users", {"metadata": {"note": "a\u0000b"}}, 422, "metadata.note"),
        ("POST", "/v1/users", {"externalId": "ab/"}, 422, "externalId"),
        ("PATCH", f"/v1/users/{user['id']}", {"firstName": "?"}, 422, "firstName"),
        ("POST", "/v1/users", b'{"firstName": "\xff\xfe"}', 422, "body"),
        ("POST", "/v1/users", b'{"metadata": ' + b'{"a": ' * 400 + b"1" + b"}" * 401, 422, "metadata"),
        ("POST", "/v1/users", b'{"firstName": "Plain"}', 415, None),
    ]
    before = await cypher(
        driver, graph_server, "MATCH (u:User {projectId: $p}) RETURN count(u) AS n", p=api.project_id
    )
    for method, url, body, status, field in cases:
        kwargs: dict[str, Any] = (
            {
                "content": body,
                "headers": {"content-type": "text/plain" if status == 415 else "application/json"},
            }
            if isinstance(body, bytes)
            else {"json": body}
        )
        response = await api.request(method, url, **kwargs)
        assert response.status_code == status, (method, url, body, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        problem = response.json()
        assert {"type", "title", "status", "detail", "code"} <= problem.keys()
        if field is not None:
            named = [e["field"] for e in problem.get("errors", [])] + [problem.get("field")]
            assert any(field in (n or "") for n in named), (url, body, problem)
    after = await cypher(
        driver, graph_server, "MATCH (u:User {projectId: $p}) RETURN count(u) AS n", p=api.project_id
    )
    assert before == after
    unchanged = (await api.get(f"/v1/users/{user['id']}")).json()
    assert unchanged["metadata"] == {"k": "v"}
    assert unchanged["externalId"] == "stable"


async def test_oversized_body_is_413(api: Api) -> None:
    response = await api.post(
        "/v1/users",
        content=b'{"metadata": {"a": "' + b"x" * (1024 * 1024 + 10) + b'"}}',
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 413
    assert response.json()["code"] == "PAYLOAD_TOO_LARGE"


async def test_forged_cursor_is_400(api: Api, other_api: Api) -> None:
    for i in range(3):
        await create_user(api, externalId=f"c-{i}")
    first = (await api.get("/v1/users", params={"limit": 1})).json()
    cursor = first["pagination"]["nextCursor"]
    assert cursor
    body, _, signature = cursor.partition(".")
    tampered = body[:-2] + ("AA" if body[-2:] != "AA" else "BB") + "." + signature
    for bad in (tampered, cursor + "x", "x" + cursor):
        response = await api.get("/v1/users", params={"limit": 1, "cursor": bad})
        assert response.status_code == 400
        assert response.json()["code"] == "INVALID_CURSOR"
    # Bound to its query and project.
    assert (await api.get("/v1/users", params={"limit": 2, "cursor": cursor})).status_code == 400
    assert (await other_api.get("/v1/users", params={"limit": 1, "cursor": cursor})).status_code == 400
    assert (await api.get("/v1/users", params={"limit": 1, "cursor": cursor})).status_code == 200


async def test_idempotency_key_on_create(api: Api, client: Any) -> None:
    headers = {"Idempotency-Key": "create-once"}
    first = await api.post("/v1/users", json={"externalId": "idem"}, headers=headers)
    again = await api.post("/v1/users", json={"externalId": "idem"}, headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert again.headers.get("idempotent-replayed") == "true"
    other = await api.post("/v1/users", json={"externalId": "idem-2"}, headers=headers)
    assert other.status_code == 422
    assert other.json()["code"] == "IDEMPOTENCY_CONFLICT"
    racing = await asyncio.gather(
        *(
            api.post("/v1/users", json={"externalId": "idem-race"}, headers={"Idempotency-Key": "race"})
            for _ in range(10)
        )
    )
    assert {r.status_code for r in racing} == {201}
    assert len({r.json()["id"] for r in racing}) == 1
    # The same key in another project is another key.
    other_project = await new_project(client)
    theirs = await other_project.post("/v1/users", json={"externalId": "idem"}, headers=headers)
    assert theirs.status_code == 201
    assert theirs.json()["id"] != first.json()["id"]


async def test_a_name_stored_before_names_needed_a_letter_still_takes_memories(
    api: Api, driver: neo4j.AsyncDriver, graph_server: GraphServer
) -> None:
    """Users created when "." was a valid firstName: adding a memory or ingesting a chat turn
    works (the user is "The user" in memories until they have a name), never a 500."""
    user = await create_user(api, firstName="Placeholder")
    await cypher(driver, graph_server, "MATCH (u:User {id: $id}) SET u.firstName = '.'", id=user["id"])
    added = await api.post(f"/v1/users/{user['id']}/memories", json={"text": "I live in Paris."})
    assert added.status_code == 201, added.text
    thread = (await api.post(f"/v1/users/{user['id']}/threads", json={})).json()
    appended = await api.post(
        f"/v1/threads/{thread['id']}/messages",
        json={"messages": [{"role": "user", "content": "I adopted a cat named Miso.", "name": "!!"}]},
    )
    assert appended.status_code == 422  # a message's name follows the same rule
    appended = await api.post(
        f"/v1/threads/{thread['id']}/messages",
        json={"messages": [{"role": "user", "content": "I adopted a cat named Miso."}]},
    )
    assert appended.status_code == 201, appended.text
    jobs = await wait_for_jobs(api, user["id"])
    assert [j["status"] for j in jobs] == ["succeeded"]
    texts = [m["text"] for m in (await api.get(f"/v1/users/{user['id']}/memories")).json()["memories"]]
    assert any("Miso" in t for t in texts), texts
