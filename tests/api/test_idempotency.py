"""Stored Idempotency-Key responses never outlive what they describe: deleting a user, a thread, a
memory or a group forgets every stored response about it, so a replayed key cannot hand the deleted
data back (GRAPH.md: a delete leaves nothing)."""

from __future__ import annotations

from typing import Any

import neo4j

from tests.conftest import Api, GraphServer, cypher


def keyed(key: str) -> dict[str, Any]:
    return {"headers": {"Idempotency-Key": key}}


async def stored_about(
    driver: neo4j.AsyncDriver, graph_server: GraphServer, project_id: str, *texts: str
) -> int:
    rows = await cypher(
        driver,
        graph_server,
        "MATCH (i:IdempotencyKey {projectId: $p}) WHERE any(t IN $texts WHERE i.body CONTAINS t) RETURN count(i) AS n",
        p=project_id,
        texts=list(texts),
    )
    return int(rows[0]["n"])


async def test_deleting_a_user_forgets_every_stored_response_about_them(
    api: Api, driver: neo4j.AsyncDriver, graph_server: GraphServer
) -> None:
    user = await api.post(
        "/v1/users", json={"firstName": "Rosalind", "email": "ros@example.com"}, **keyed("u")
    )
    assert user.status_code == 201
    user_id = user.json()["id"]
    thread = await api.post(f"/v1/users/{user_id}/threads", json={"name": "Diary"}, **keyed("t"))
    thread_id = thread.json()["id"]
    said = {"messages": [{"role": "user", "content": "My secret garden is in Kent."}]}
    appended = await api.post(f"/v1/threads/{thread_id}/messages", json=said, **keyed("m"))
    assert appended.status_code == 201
    memory = await api.post(
        f"/v1/users/{user_id}/memories", json={"text": "Rosalind keeps bees."}, **keyed("n")
    )
    assert memory.status_code == 201
    # A key of another user of the project stays.
    other = await api.post("/v1/users", json={"firstName": "Other"}, **keyed("o"))
    assert (
        await stored_about(driver, graph_server, api.project_id, "ros@example.com", "secret garden", "bees")
        == 3
    )

    assert (await api.delete(f"/v1/users/{user_id}")).status_code in (200, 204)
    assert (
        await stored_about(driver, graph_server, api.project_id, user_id, thread_id, "secret garden", "bees")
        == 0
    )
    # Replays run again instead of returning the deleted user's data.
    again = await api.post(
        "/v1/users", json={"firstName": "Rosalind", "email": "ros@example.com"}, **keyed("u")
    )
    assert again.status_code == 201
    assert again.headers.get("idempotent-replayed") is None
    assert again.json()["id"] != user_id
    gone = await api.post(f"/v1/threads/{thread_id}/messages", json=said, **keyed("m"))
    assert gone.status_code == 404
    kept = await api.post("/v1/users", json={"firstName": "Other"}, **keyed("o"))
    assert kept.headers.get("idempotent-replayed") == "true"
    assert kept.json()["id"] == other.json()["id"]


async def test_deleting_a_thread_a_memory_or_a_group_forgets_its_stored_responses(
    api: Api, driver: neo4j.AsyncDriver, graph_server: GraphServer
) -> None:
    user_id = (await api.post("/v1/users", json={"firstName": "Ada"})).json()["id"]
    thread_id = (await api.post(f"/v1/users/{user_id}/threads", json={}, **keyed("t"))).json()["id"]
    said = {"messages": [{"role": "user", "content": "I keep a diary about Babbage."}]}
    assert (await api.post(f"/v1/threads/{thread_id}/messages", json=said, **keyed("m"))).status_code == 201
    memory = (
        await api.post(f"/v1/users/{user_id}/memories", json={"text": "Ada plays the harp."}, **keyed("n"))
    ).json()
    group = (await api.post("/v1/groups", json={"name": "Analytical"}, **keyed("g"))).json()

    assert (await api.delete(f"/v1/threads/{thread_id}")).status_code in (200, 204)
    assert await stored_about(driver, graph_server, api.project_id, thread_id, "Babbage") == 0
    assert (await api.delete(f"/v1/memories/{memory['id']}")).status_code in (200, 204)
    assert await stored_about(driver, graph_server, api.project_id, memory["id"], "harp") == 0
    assert (await api.delete(f"/v1/groups/{group['id']}")).status_code in (200, 204)
    assert await stored_about(driver, graph_server, api.project_id, group["id"]) == 0
    # The user's own record is untouched.
    assert await stored_about(driver, graph_server, api.project_id, user_id) == 0  # it was not keyed
    again = await api.post("/v1/groups", json={"name": "Analytical"}, **keyed("g"))
    assert again.status_code == 201
    assert again.headers.get("idempotent-replayed") is None
