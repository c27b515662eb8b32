"""The Groups API (shared memory) through HTTP on the real graph server."""

from __future__ import annotations

import asyncio
from typing import Any

import neo4j
import pytest

from app.errors import NotFound
from app.graph.cypher import Queries
from app.graph.db import Graph
from app.services import groups as group_service
from tests.conftest import Api, GraphServer, cypher


async def create_group(api: Api, **body: Any) -> dict[str, Any]:
    response = await api.post("/v1/groups", json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def create_user(api: Api, **body: Any) -> dict[str, Any]:
    response = await api.post("/v1/users", json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def add_memory(api: Api, group_id: str, **body: Any) -> dict[str, Any]:
    response = await api.post(f"/v1/groups/{group_id}/memories", json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def version(driver: neo4j.AsyncDriver, graph_server: GraphServer, group_id: str) -> int:
    rows = await cypher(driver, graph_server, "MATCH (g:Group {id: $id}) RETURN g.version AS v", id=group_id)
    return int(rows[0]["v"])


async def with_history(driver: neo4j.AsyncDriver, graph_server: GraphServer, memory_id: str) -> None:
    """Give a group memory a history event (none of the group routes write one; a delete must still
    leave nothing behind)."""
    await cypher(
        driver,
        graph_server,
        "MATCH (m:Memory {id: $m}) CREATE (m)-[:HAS_EVENT]->(:MemoryEvent {key: $k, memoryId: $m, type: 'updated'})",
        m=memory_id,
        k=f"{memory_id}|updated|0",
    )


async def count(driver: neo4j.AsyncDriver, graph_server: GraphServer, query: str, **params: Any) -> int:
    return int((await cypher(driver, graph_server, query, **params))[0]["n"])


async def test_create_get_and_list(api: Api) -> None:
    made = await create_group(api, name="Team Rocket", description="The sales team.")
    assert made["id"].startswith("grp_")
    assert made["name"] == "Team Rocket"
    assert made["description"] == "The sales team."
    assert made["memberCount"] == 0
    assert made["memoryCount"] == 0
    assert made["createdAt"].endswith("Z")
    assert made["updatedAt"] == made["createdAt"]
    assert set(made) == {"id", "name", "description", "memberCount", "memoryCount", "createdAt", "updatedAt"}
    response = await api.get(f"/v1/groups/{made['id']}")
    assert response.status_code == 200, response.text
    assert response.json() == made
    minimal = await create_group(api, name="kb")
    assert minimal["description"] is None
    listed = (await api.get("/v1/groups")).json()
    assert [g["id"] for g in listed["groups"]] == [minimal["id"], made["id"]]
    assert listed["groups"][1] == made
    assert listed["pagination"] == {"nextCursor": None, "hasMore": False}


async def test_name_is_unique_in_the_project(api: Api, other_api: Api) -> None:
    first = await create_group(api, name="Support")
    again = await api.post("/v1/groups", json={"name": "Support", "description": "another"})
    assert again.status_code == 409, again.text
    assert again.headers["content-type"].startswith("application/problem+json")
    assert again.json()["code"] == "GROUP_EXISTS"
    assert again.json()["existingId"] == first["id"]
    # Names are exact: another case is another name; another project may use the same name.
    assert (await create_group(api, name="support"))["id"] != first["id"]
    assert (await create_group(other_api, name="Support"))["id"] != first["id"]
    # A deleted group's name is free again.
    assert (await api.delete(f"/v1/groups/{first['id']}")).status_code == 200
    assert (await create_group(api, name="Support"))["id"] != first["id"]


async def test_concurrent_creates_with_the_same_name(
    api: Api, driver: neo4j.AsyncDriver, graph_server: GraphServer
) -> None:
    responses = await asyncio.gather(*(api.post("/v1/groups", json={"name": "racers"}) for _ in range(30)))
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201] + [409] * 29, [r.text for r in responses if r.status_code not in (201, 409)]
    created = next(r.json() for r in responses if r.status_code == 201)
    conflicts = [r.json() for r in responses if r.status_code == 409]
    assert {c["code"] for c in conflicts} == {"GROUP_EXISTS"}
    assert {c["existingId"] for c in conflicts} == {created["id"]}
    n = await count(
        driver,
        graph_server,
        "MATCH (g:Group {projectId: $p, name: 'racers'}) RETURN count(g) AS n",
        p=api.project_id,
    )
    assert n == 1


async def test_list_pages_newest_first_and_filters_by_name(api: Api) -> None:
    made = [(await create_group(api, name=f"Team {i}"))["id"] for i in range(5)]
    other = await create_group(api, name="Knowledge base")
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        params: dict[str, Any] = {"limit": 2, "q": "team"}
        if cursor:
            params["cursor"] = cursor
        response = await api.get("/v1/groups", params=params)
        assert response.status_code == 200, response.text
        body = response.json()
        seen.extend(g["id"] for g in body["groups"])
        pages += 1
        if not body["pagination"]["hasMore"]:
            break
        cursor = body["pagination"]["nextCursor"]
        await create_group(api, name=f"Team late {pages}")  # newer than the cursor: not in this walk
    assert pages == 3
    assert seen == list(reversed(made))
    assert [g["id"] for g in (await api.get("/v1/groups", params={"q": "KNOWLEDGE"})).json()["groups"]] == [
        other["id"]
    ]
    # A cursor is bound to its query.
    first = (await api.get("/v1/groups", params={"limit": 1, "q": "team"})).json()
    mismatch = await api.get("/v1/groups", params={"limit": 1, "cursor": first["pagination"]["nextCursor"]})
    assert mismatch.status_code == 400
    assert mismatch.json()["code"] == "INVALID_CURSOR"


async def test_add_and_list_memories(api: Api, driver: neo4j.AsyncDriver, graph_server: GraphServer) -> None:
    group = await create_group(api, name="Acme account")
    memory = await add_memory(api, group["id"], text="  Acme renews its contract every March.  ")
    assert memory["id"].startswith("mem_")
    assert memory["groupId"] == group["id"]
    assert memory["userId"] is None
    assert memory["text"] == "Acme renews its contract every March."
    assert memory["kind"] == "fact"
    assert memory["personalityId"] is None
    assert memory["entities"] == []
    assert memory["sourceMessageIds"] == []
    assert memory["supersededBy"] is None
    assert memory["invalidAt"] is None
    assert memory["confidence"] == 1.0
    assert memory["validAt"] == memory["createdAt"] == memory["updatedAt"]
    # The wire shape of a user's memory.
    user = await create_user(api)
    mine = await api.post(f"/v1/users/{user['id']}/memories", json={"text": "I like tea."})
    assert mine.status_code == 201, mine.text
    assert set(memory) == set(mine.json())
    preference = await add_memory(api, group["id"], text="The team prefers Slack.", kind="preference")
    assert preference["kind"] == "preference"
    listed = (await api.get(f"/v1/groups/{group['id']}/memories")).json()
    assert [m["id"] for m in listed["memories"]] == [preference["id"], memory["id"]]
    assert listed["memories"][1] == memory
    only = (await api.get(f"/v1/groups/{group['id']}/memories", params={"kind": "preference"})).json()
    assert [m["id"] for m in only["memories"]] == [preference["id"]]
    paged = (await api.get(f"/v1/groups/{group['id']}/memories", params={"limit": 1})).json()
    assert paged["pagination"]["hasMore"] is True
    rest = (
        await api.get(
            f"/v1/groups/{group['id']}/memories",
            params={"limit": 1, "cursor": paged["pagination"]["nextCursor"]},
        )
    ).json()
    assert [m["id"] for m in rest["memories"]] == [memory["id"]]
    assert rest["pagination"] == {"nextCursor": None, "hasMore": False}
    assert (await api.get(f"/v1/groups/{group['id']}")).json()["memoryCount"] == 2
    [node] = await cypher(
        driver,
        graph_server,
        "MATCH (g:Group {id: $g})-[:HAS_MEMORY]->(m:Memory {id: $m}) RETURN properties(m) AS p",
        g=group["id"],
        m=memory["id"],
    )
    props = node["p"]
    assert props["projectId"] == api.project_id
    assert props["groupId"] == group["id"]
    assert "userId" not in props
    assert "graphId" not in props
    assert props.get("invalidAt") is None
    assert props["confidence"] == 1.0
    assert props["validAt"] == props["createdAt"] == props["updatedAt"]
    embedding = props["embedding"]
    assert len(embedding) == 384
    assert all(isinstance(x, float) for x in embedding)
    assert abs(sum(x * x for x in embedding) - 1.0) < 0.02  # a unit vector (bfloat16 where the CPU has it)


async def test_version_counts_every_change_of_the_memories(
    api: Api, driver: neo4j.AsyncDriver, graph_server: GraphServer
) -> None:
    group = await create_group(api, name="Versioned")
    gid = group["id"]
    assert await version(driver, graph_server, gid) == 0
    first = await add_memory(api, gid, text="One.")
    assert await version(driver, graph_server, gid) == 1
    await add_memory(api, gid, text="Two.")
    assert await version(driver, graph_server, gid) == 2
    await with_history(driver, graph_server, first["id"])
    response = await api.delete(f"/v1/groups/{gid}/memories/{first['id']}")
    assert response.status_code == 200, response.text
    assert response.json() == {"deleted": True, "id": first["id"]}
    assert await version(driver, graph_server, gid) == 3
    left = "MATCH (n) WHERE n.id = $m OR n.memoryId = $m RETURN count(n) AS n"
    assert await count(driver, graph_server, left, m=first["id"]) == 0
    # What changes no memory changes no version: a missing memory, refused input, membership.
    assert (await api.delete(f"/v1/groups/{gid}/memories/{first['id']}")).status_code == 404
    assert (await api.post(f"/v1/groups/{gid}/memories", json={"text": " "})).status_code == 422
    user = await create_user(api)
    assert (await api.post(f"/v1/groups/{gid}/members", json={"userIds": [user["id"]]})).status_code == 200
    assert await version(driver, graph_server, gid) == 3
    # Concurrent adds each count.
    added = await asyncio.gather(
        *(api.post(f"/v1/groups/{gid}/memories", json={"text": f"N{i}."}) for i in range(6))
    )
    assert {r.status_code for r in added} == {201}
    assert await version(driver, graph_server, gid) == 9
    assert (await api.get(f"/v1/groups/{gid}")).json()["memoryCount"] == 7


async def test_group_memories_are_in_no_user_list_stats_or_graph(api: Api) -> None:
    user = await create_user(api, firstName="Alice")
    group = await create_group(api, name="Family")
    assert (
        await api.post(f"/v1/groups/{group['id']}/members", json={"userIds": [user["id"]]})
    ).status_code == 200
    await add_memory(api, group["id"], text="The family dog is called Rex.")
    uid = user["id"]
    assert (await api.get(f"/v1/users/{uid}/memories")).json()["memories"] == []
    assert (await api.get(f"/v1/users/{uid}/memories", params={"includeInvalid": "true"})).json()[
        "memories"
    ] == []
    assert (await api.get(f"/v1/users/{uid}")).json()["stats"]["memories"] == 0
    assert (await api.get("/v1/users")).json()["users"][0]["stats"]["memories"] == 0
    stats = (await api.get(f"/v1/users/{uid}/stats")).json()["stats"]
    assert stats["memoriesCount"] == 0
    assert (await api.get(f"/v1/users/{uid}/graph")).json()["stats"]["memories"] == 0
    exported = (await api.get(f"/v1/users/{uid}/graph/export")).json()
    assert not [n for n in exported["nodes"] if str(n.get("id", "")).startswith("mem_")]


async def test_delete_group_removes_its_memories_and_memberships(
    api: Api, driver: neo4j.AsyncDriver, graph_server: GraphServer
) -> None:
    users = [await create_user(api) for _ in range(2)]
    group = await create_group(api, name="Doomed")
    kept = await create_group(api, name="Kept")
    gid = group["id"]
    ids = [u["id"] for u in users]
    for g in (gid, kept["id"]):
        assert (await api.post(f"/v1/groups/{g}/members", json={"userIds": ids})).status_code == 200
    memories = [await add_memory(api, gid, text=f"Fact {i}.") for i in range(3)]
    kept_memory = await add_memory(api, kept["id"], text="Stays.")
    await with_history(driver, graph_server, memories[0]["id"])
    response = await api.delete(f"/v1/groups/{gid}")
    assert response.status_code == 200, response.text
    assert response.json() == {"deleted": True, "id": gid}
    n = await count(
        driver,
        graph_server,
        "MATCH (n) WHERE n.id = $g OR n.groupId = $g OR n.id IN $m OR n.memoryId IN $m RETURN count(n) AS n",
        g=gid,
        m=[m["id"] for m in memories],
    )
    assert n == 0
    assert (
        await count(
            driver, graph_server, "MATCH (:User)-[r:MEMBER_OF]->(:Group {id: $g}) RETURN count(r) AS n", g=gid
        )
        == 0
    )
    for u in users:  # the users stay, with their other group
        assert (await api.get(f"/v1/users/{u['id']}")).status_code == 200
    after = (await api.get(f"/v1/groups/{kept['id']}")).json()
    assert (after["memberCount"], after["memoryCount"]) == (2, 1)
    assert [m["id"] for m in (await api.get(f"/v1/groups/{kept['id']}/memories")).json()["memories"]] == [
        kept_memory["id"]
    ]
    for method, url in [
        ("GET", f"/v1/groups/{gid}"),
        ("DELETE", f"/v1/groups/{gid}"),
        ("GET", f"/v1/groups/{gid}/memories"),
        ("GET", f"/v1/groups/{gid}/members"),
    ]:
        assert (await api.request(method, url)).status_code == 404, (method, url)
    assert (await api.post(f"/v1/groups/{gid}/memories", json={"text": "Late."})).status_code == 404


async def test_members_add_list_and_remove(
    api: Api, driver: neo4j.AsyncDriver, graph_server: GraphServer
) -> None:
    users = [await create_user(api, externalId=f"ext-{i}") for i in range(4)]
    ids = [u["id"] for u in users]
    group = await create_group(api, name="Crew")
    gid = group["id"]
    response = await api.post(f"/v1/groups/{gid}/members", json={"userIds": ids[:2]})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["id"] == gid
    assert body["memberCount"] == 2
    # Adding again (and a repeat inside one request) changes nothing.
    again = await api.post(f"/v1/groups/{gid}/members", json={"userIds": [ids[1], ids[0], ids[1]]})
    assert again.json()["memberCount"] == 2
    await api.post(f"/v1/groups/{gid}/members", json={"userIds": ids[2:]})
    edges = await count(
        driver, graph_server, "MATCH (:User)-[r:MEMBER_OF]->(:Group {id: $g}) RETURN count(r) AS n", g=gid
    )
    assert edges == 4
    listed = (await api.get(f"/v1/groups/{gid}/members", params={"limit": 3})).json()
    assert len(listed["members"]) == 3
    assert listed["pagination"]["hasMore"] is True
    rest = (
        await api.get(
            f"/v1/groups/{gid}/members", params={"limit": 3, "cursor": listed["pagination"]["nextCursor"]}
        )
    ).json()
    everyone = listed["members"] + rest["members"]
    assert sorted(m["userId"] for m in everyone) == sorted(ids)
    assert {m["userId"]: m["externalId"] for m in everyone} == {u["id"]: u["externalId"] for u in users}
    assert all(m["addedAt"].endswith("Z") for m in everyone)
    # Remove with a body, then with the query (repeated and comma-separated); non-members are skipped.
    removed = await api.request("DELETE", f"/v1/groups/{gid}/members", json={"userIds": [ids[0]]})
    assert removed.status_code == 200, removed.text
    assert removed.json()["memberCount"] == 3
    removed = await api.delete(f"/v1/groups/{gid}/members", params={"userIds": [ids[1], ids[0]]})
    assert removed.status_code == 200, removed.text
    assert removed.json()["memberCount"] == 2
    removed = await api.delete(f"/v1/groups/{gid}/members?userIds={ids[2]},{ids[3]}")
    assert removed.status_code == 200, removed.text
    assert removed.json()["memberCount"] == 0
    assert (await api.get(f"/v1/groups/{gid}/members")).json()["members"] == []


async def test_concurrent_adds_make_one_membership(
    api: Api, driver: neo4j.AsyncDriver, graph_server: GraphServer
) -> None:
    users = [await create_user(api) for _ in range(3)]
    group = await create_group(api, name="Busy")
    responses = await asyncio.gather(
        *(
            api.post(
                f"/v1/groups/{group['id']}/members", json={"userIds": [u["id"] for u in users[: 1 + i % 3]]}
            )
            for i in range(12)
        )
    )
    assert {r.status_code for r in responses} == {200}, [r.text for r in responses]
    edges = await cypher(
        driver,
        graph_server,
        "MATCH (u:User)-[r:MEMBER_OF]->(:Group {id: $g}) RETURN u.id AS u, count(r) AS n",
        g=group["id"],
    )
    assert sorted((e["u"], e["n"]) for e in edges) == sorted((u["id"], 1) for u in users)
    assert (await api.get(f"/v1/groups/{group['id']}")).json()["memberCount"] == 3


async def test_unknown_member_is_404_and_nothing_changes(api: Api, other_api: Api) -> None:
    mine = await create_user(api)
    member = await create_user(api)
    theirs = await create_user(other_api)
    group = await create_group(api, name="Strict")
    gid = group["id"]
    await api.post(f"/v1/groups/{gid}/members", json={"userIds": [member["id"]]})
    for missing in ("usr_nope", theirs["id"]):
        response = await api.post(f"/v1/groups/{gid}/members", json={"userIds": [mine["id"], missing]})
        assert response.status_code == 404, response.text
        assert response.json()["code"] == "NOT_FOUND"
        assert missing in response.json()["detail"]
        assert response.json()["userId"] == missing
        response = await api.delete(f"/v1/groups/{gid}/members", params={"userIds": [member["id"], missing]})
        assert response.status_code == 404, response.text
        assert missing in response.json()["detail"]
    members = (await api.get(f"/v1/groups/{gid}/members")).json()["members"]
    assert [m["userId"] for m in members] == [member["id"]]


async def test_deleting_a_user_ends_its_memberships_only(
    api: Api, driver: neo4j.AsyncDriver, graph_server: GraphServer
) -> None:
    user = await create_user(api, externalId="leaver")
    stays = await create_user(api)
    group = await create_group(api, name="Club")
    gid = group["id"]
    await api.post(f"/v1/groups/{gid}/members", json={"userIds": [user["id"], stays["id"]]})
    await add_memory(api, gid, text="The club meets on Fridays.")
    assert (await api.delete(f"/v1/users/{user['id']}")).status_code == 200
    after = (await api.get(f"/v1/groups/{gid}")).json()
    assert (after["memberCount"], after["memoryCount"]) == (1, 1)
    edges = await count(
        driver, graph_server, "MATCH (:User {id: $u})-[r:MEMBER_OF]->() RETURN count(r) AS n", u=user["id"]
    )
    assert edges == 0


async def test_service_functions_for_the_context_endpoint(
    api: Api, other_api: Api, driver: neo4j.AsyncDriver, graph_server: GraphServer
) -> None:
    graph = Graph(driver, graph_server.database, Queries())
    user = await create_user(api)
    beta = await create_group(api, name="beta")
    alpha = await create_group(api, name="alpha")
    await create_group(api, name="gamma")
    await create_group(other_api, name="delta")
    for g in (beta, alpha):
        await api.post(f"/v1/groups/{g['id']}/members", json={"userIds": [user["id"]]})
    await add_memory(api, beta["id"], text="Beta fact.")
    named = await group_service.groups_by_name(
        graph, project_id=api.project_id, names=["beta", "alpha", "beta"]
    )
    assert named == [
        {"id": beta["id"], "name": "beta", "version": 1},
        {"id": alpha["id"], "name": "alpha", "version": 0},
    ]
    with pytest.raises(NotFound) as missing:
        await group_service.groups_by_name(graph, project_id=api.project_id, names=["alpha", "delta", "zeta"])
    assert "delta" in missing.value.detail
    assert await group_service.groups_by_name(graph, project_id=api.project_id, names=[]) == []


async def test_other_project_sees_nothing(api: Api, other_api: Api) -> None:
    user = await create_user(api)
    group = await create_group(api, name="Private")
    gid = group["id"]
    await api.post(f"/v1/groups/{gid}/members", json={"userIds": [user["id"]]})
    memory = await add_memory(api, gid, text="Secret.")
    their_user = await create_user(other_api)
    for method, url, body in [
        ("GET", f"/v1/groups/{gid}", None),
        ("DELETE", f"/v1/groups/{gid}", None),
        ("GET", f"/v1/groups/{gid}/memories", None),
        ("POST", f"/v1/groups/{gid}/memories", {"text": "Injected."}),
        ("DELETE", f"/v1/groups/{gid}/memories/{memory['id']}", None),
        ("GET", f"/v1/groups/{gid}/members", None),
        ("POST", f"/v1/groups/{gid}/members", {"userIds": [their_user["id"]]}),
        ("DELETE", f"/v1/groups/{gid}/members", {"userIds": [their_user["id"]]}),
    ]:
        response = await other_api.request(method, url, json=body)
        assert response.status_code == 404, (method, url, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["code"] == "NOT_FOUND"
    assert (await other_api.get("/v1/groups")).json()["groups"] == []
    assert (await other_api.get("/v1/groups", params={"q": "private"})).json()["groups"] == []
    after = (await api.get(f"/v1/groups/{gid}")).json()
    assert after == {**group, "memberCount": 1, "memoryCount": 1, "updatedAt": after["updatedAt"]}
    # A memory is only deleted through its own group.
    other_group = await create_group(api, name="Other")
    assert (await api.delete(f"/v1/groups/{other_group['id']}/memories/{memory['id']}")).status_code == 404
    assert (await api.get(f"/v1/groups/{gid}")).json()["memoryCount"] == 1


async def test_bad_input_is_4xx_and_changes_nothing(
    api: Api, driver: neo4j.AsyncDriver, graph_server: GraphServer
) -> None:
    user = await create_user(api)
    group = await create_group(api, name="Stable")
    gid = group["id"]
    ids101 = [f"usr_{i}" for i in range(101)]
    cases: list[tuple[str, str, Any, int, str | None]] = [
        ("POST", "/v1/groups", {}, 422, "name"),
        ("POST", "/v1/groups", {"name": ""}, 422, "name"),
        ("POST", "/v1/groups", {"name": "x" * 101}, 422, "name"),
        ("POST", "/v1/groups", {"name": "a,b"}, 422, "name"),
        ("POST", "/v1/groups", {"name": " padded"}, 422, "name"),
        ("POST", "/v1/groups", {"name": "padded "}, 422, "name"),
        ("POST", "/v1/groups", {"name": 5}, 422, "name"),
        ("POST", "/v1/groups", {"name": None}, 422, "name"),
        ("POST", "/v1/groups", {"name": "ok", "description": "x" * 2001}, 422, "description"),
        ("POST", "/v1/groups", {"name": "ok", "metadata": {}}, 422, "metadata"),
        ("POST", "/v1/groups", {"name": "ok", "id": "grp_x"}, 422, "id"),
        ("POST", "/v1/groups", b'{"name": ', 422, "body"),
        ("POST", "/v1/groups", b"[1]", 422, None),
        ("POST", f"/v1/groups/{gid}/memories", {}, 422, "text"),
        ("POST", f"/v1/groups/{gid}/memories", {"text": ""}, 422, "text"),
        ("POST", f"/v1/groups/{gid}/memories", {"text": "   "}, 422, "text"),
        ("POST", f"/v1/groups/{gid}/memories", {"text": "x" * 2001}, 422, "text"),
        ("POST", f"/v1/groups/{gid}/memories", {"text": "ok", "kind": "rumour"}, 422, "kind"),
        ("POST", f"/v1/groups/{gid}/memories", {"text": "ok", "userId": user["id"]}, 422, "userId"),
        ("POST", f"/v1/groups/{gid}/memories", {"text": ["ok"]}, 422, "text"),
        ("POST", f"/v1/groups/{gid}/members", {}, 422, "userIds"),
        ("POST", f"/v1/groups/{gid}/members", {"userIds": []}, 422, "userIds"),
        ("POST", f"/v1/groups/{gid}/members", {"userIds": ids101}, 422, "userIds"),
        ("POST", f"/v1/groups/{gid}/members", {"userIds": user["id"]}, 422, "userIds"),
        ("POST", f"/v1/groups/{gid}/members", {"userIds": [None]}, 422, "userIds"),
        ("DELETE", f"/v1/groups/{gid}/members", None, 422, "userIds"),
        ("DELETE", f"/v1/groups/{gid}/members", {"userIds": []}, 422, "userIds"),
        ("DELETE", f"/v1/groups/{gid}/members?userIds=", None, 422, "userIds"),
        ("GET", "/v1/groups?limit=0", None, 422, "limit"),
        ("GET", "/v1/groups?limit=101", None, 422, "limit"),
        ("GET", "/v1/groups?cursor=garbage", None, 400, None),
        ("GET", f"/v1/groups/{gid}/memories?kind=rumour", None, 422, "kind"),
        ("GET", f"/v1/groups/{gid}/memories?limit=abc", None, 422, "limit"),
        ("GET", f"/v1/groups/{gid}/members?cursor=garbage", None, 400, None),
    ]
    snapshot = """
        MATCH (g:Group {projectId: $p})
        RETURN count(g) AS groups, sum(coalesce(g.version, 0)) AS versions,
               sum(COUNT { (g)-[:HAS_MEMORY]->() }) AS memories, sum(COUNT { ()-[:MEMBER_OF]->(g) }) AS members
    """
    before = await cypher(driver, graph_server, snapshot, p=api.project_id)
    for method, target, body, status, field in cases:
        kwargs: dict[str, Any] = (
            {"content": body, "headers": {"content-type": "application/json"}}
            if isinstance(body, bytes)
            else {"json": body}
        )
        response = await api.request(method, target, **kwargs)
        assert response.status_code == status, (method, target, body, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        problem = response.json()
        assert {"type", "title", "status", "detail", "code"} <= problem.keys()
        if field is not None:
            named = [e["field"] for e in problem.get("errors", [])] + [problem.get("field")]
            assert any(field in (n or "") for n in named), (target, body, problem)
    after = await cypher(driver, graph_server, snapshot, p=api.project_id)
    assert before == after
    assert (await api.get(f"/v1/groups/{gid}")).json() == group


async def test_missing_group_is_404(api: Api) -> None:
    user = await create_user(api)
    for method, url, body in [
        ("GET", "/v1/groups/grp_nope", None),
        ("DELETE", "/v1/groups/grp_nope", None),
        ("GET", "/v1/groups/grp_nope/memories", None),
        ("POST", "/v1/groups/grp_nope/memories", {"text": "x"}),
        ("DELETE", "/v1/groups/grp_nope/memories/mem_nope", None),
        ("POST", "/v1/groups/grp_nope/members", {"userIds": [user["id"]]}),
        ("DELETE", "/v1/groups/grp_nope/members", {"userIds": [user["id"]]}),
        ("GET", "/v1/groups/grp_nope/members", None),
    ]:
        response = await api.request(method, url, json=body)
        assert response.status_code == 404, (method, url, response.text)
        assert response.json()["code"] == "NOT_FOUND"


async def test_idempotency_key_on_create(api: Api) -> None:
    headers = {"Idempotency-Key": "group-once"}
    first = await api.post("/v1/groups", json={"name": "Once"}, headers=headers)
    again = await api.post("/v1/groups", json={"name": "Once"}, headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    other = await api.post("/v1/groups", json={"name": "Twice"}, headers=headers)
    assert other.status_code == 422
    assert other.json()["code"] == "IDEMPOTENCY_CONFLICT"
    gid = first.json()["id"]
    memory_headers = {"Idempotency-Key": "group-memory-once"}
    made = await api.post(f"/v1/groups/{gid}/memories", json={"text": "Once."}, headers=memory_headers)
    replay = await api.post(f"/v1/groups/{gid}/memories", json={"text": "Once."}, headers=memory_headers)
    assert made.status_code == replay.status_code == 201
    assert made.json() == replay.json()
    assert [g["id"] for g in (await api.get("/v1/groups")).json()["groups"]] == [gid]
    assert (await api.get(f"/v1/groups/{gid}")).json()["memoryCount"] == 1
