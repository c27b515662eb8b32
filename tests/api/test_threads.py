"""Threads, messages and ingest jobs through HTTP on the real graph server, with the real model."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import neo4j

from tests.conftest import Api, GraphServer, cypher, wait_for_jobs


async def new_user(api: Api, **body: Any) -> dict[str, Any]:
    response = await api.post("/v1/users", json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def new_thread(api: Api, user_id: str, **body: Any) -> dict[str, Any]:
    response = await api.post(f"/v1/users/{user_id}/threads", json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def append(api: Api, thread_id: str, body: Any, **kwargs: Any) -> httpx.Response:
    return await api.post(f"/v1/threads/{thread_id}/messages", json=body, **kwargs)


async def test_thread_lifecycle(api: Api) -> None:
    user = await new_user(api)
    thread = await new_thread(api, user["id"], name="Onboarding chat", metadata={"channel": "web"})
    assert thread["id"].startswith("thr_")
    assert thread["status"] == "active"
    assert thread["messageCount"] == 0
    assert thread["durationSeconds"] == 0
    assert thread["lastMessageAt"] is None
    assert (await api.get(f"/v1/threads/{thread['id']}")).json() == thread

    patched = await api.patch(
        f"/v1/threads/{thread['id']}", json={"name": "Renamed", "status": "completed", "metadata": {"x": 1}}
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["name"] == "Renamed"
    assert patched.json()["status"] == "completed"
    assert patched.json()["metadata"] == {"channel": "web", "x": 1}
    bad = await api.patch(f"/v1/threads/{thread['id']}", json={"status": "archived"})
    assert bad.status_code == 422

    deleted = await api.delete(f"/v1/threads/{thread['id']}")
    assert deleted.json() == {"deleted": True, "id": thread["id"]}
    assert (await api.get(f"/v1/threads/{thread['id']}")).status_code == 404
    assert (await api.delete(f"/v1/threads/{thread['id']}")).status_code == 404


async def test_threads_list_newest_activity_first_with_filters(api: Api) -> None:
    user = await new_user(api)
    personality = (await api.post("/v1/personalities", json={"name": "Coach"})).json()
    first = await new_thread(api, user["id"], name="first", personalityId=personality["id"])
    second = await new_thread(api, user["id"], name="second")
    third = await new_thread(api, user["id"], name="third")
    await append(api, first["id"], {"role": "user", "content": "hello again"})
    listed = (await api.get(f"/v1/users/{user['id']}/threads")).json()["threads"]
    assert [t["id"] for t in listed] == [first["id"], third["id"], second["id"]]
    assert listed[0]["messageCount"] == 1
    by_personality = (
        await api.get(f"/v1/users/{user['id']}/threads", params={"personalityId": personality["id"]})
    ).json()
    assert [t["id"] for t in by_personality["threads"]] == [first["id"]]
    await api.patch(f"/v1/threads/{second['id']}", json={"status": "completed"})
    completed = (await api.get(f"/v1/users/{user['id']}/threads", params={"status": "completed"})).json()
    assert [t["id"] for t in completed["threads"]] == [second["id"]]
    conversations = (await api.get(f"/v1/users/{user['id']}/conversations", params={"limit": 2})).json()
    assert [t["id"] for t in conversations["conversations"]] == [first["id"], third["id"]]
    assert conversations["pagination"]["hasMore"] is True
    rest = (
        await api.get(
            f"/v1/users/{user['id']}/conversations",
            params={"limit": 2, "cursor": conversations["pagination"]["nextCursor"]},
        )
    ).json()
    assert [t["id"] for t in rest["conversations"]] == [second["id"]]
    bad_personality = await api.post(f"/v1/users/{user['id']}/threads", json={"personalityId": "per_nope"})
    assert bad_personality.status_code == 422


async def test_create_thread_by_external_id_with_auto_create_is_race_safe(
    api: Api, driver: neo4j.AsyncDriver, graph_server: GraphServer
) -> None:
    missing = await api.post("/v1/threads", json={"externalId": "newcomer"})
    assert missing.status_code == 404
    both = await api.post("/v1/threads", json={"externalId": "x", "userId": "usr_x"})
    assert both.status_code == 422
    responses = await asyncio.gather(
        *(
            api.post(
                "/v1/conversations" if i % 2 else "/v1/threads",
                json={
                    "externalId": "newcomer",
                    "autoCreateUser": True,
                    "userMetadata": {"name": "New"},
                    "userEmail": "new@example.com",
                },
            )
            for i in range(20)
        )
    )
    assert [r.status_code for r in responses] == [201] * 20, [
        r.text for r in responses if r.status_code != 201
    ]
    user_ids = {r.json()["userId"] for r in responses}
    assert len(user_ids) == 1
    rows = await cypher(
        driver,
        graph_server,
        "MATCH (u:User {projectId: $p, externalId: 'newcomer'}) RETURN count(u) AS n, collect(u.email) AS emails",
        p=api.project_id,
    )
    assert rows == [{"n": 1, "emails": ["new@example.com"]}]
    user = (await api.get("/v1/users/external/newcomer")).json()
    assert user["metadata"] == {"name": "New"}
    assert user["stats"]["threads"] == 20
    by_id = await api.post("/v1/threads", json={"userId": user["id"], "name": "direct"})
    assert by_id.status_code == 201
    assert by_id.json()["userId"] == user["id"]


async def test_append_single_and_batch_in_order_and_replay(api: Api) -> None:
    user = await new_user(api)
    thread = await new_thread(api, user["id"])
    one = await append(api, thread["id"], {"role": "user", "content": "I prefer dark mode.", "name": "Alice"})
    assert one.status_code == 201, one.text
    body = one.json()
    assert body["threadId"] == thread["id"]
    assert [m["seq"] for m in body["messages"]] == [1]
    assert body["messages"][0]["name"] == "Alice"
    assert [i["messageId"] for i in body["ingested"]] == [body["messages"][0]["id"]]
    assert body["ingested"][0]["jobId"].startswith("ij_")

    batch = [
        {"role": "user", "content": "Tell me about my invoices.", "createdAt": "2024-01-15T10:30:00Z"},
        {"role": "assistant", "content": "You have 3 unpaid invoices.", "createdAt": "2024-01-15T10:30:05Z"},
        {"role": "system", "content": "note", "metadata": {"source": "import"}},
        {"role": "tool", "content": '{"ok": true}'},
    ]
    many = (await append(api, thread["id"], {"messages": batch})).json()
    assert [m["seq"] for m in many["messages"]] == [2, 3, 4, 5]
    assert [m["role"] for m in many["messages"]] == ["user", "assistant", "system", "tool"]
    assert many["messages"][0]["createdAt"] == "2024-01-15T10:30:00.000Z"
    assert many["messages"][2]["metadata"] == {"source": "import"}
    assert len(many["ingested"]) == 1  # only user messages are ingested

    replay = (await api.get(f"/v1/threads/{thread['id']}/messages", params={"limit": 3})).json()
    assert replay["thread"] == {"id": thread["id"], "name": None, "userId": user["id"]}
    assert [m["seq"] for m in replay["messages"]] == [1, 2, 3]
    rest = (
        await api.get(
            f"/v1/threads/{thread['id']}/messages",
            params={"limit": 3, "cursor": replay["pagination"]["nextCursor"]},
        )
    ).json()
    assert [m["seq"] for m in rest["messages"]] == [4, 5]
    assert rest["pagination"]["hasMore"] is False

    updated = (await api.get(f"/v1/threads/{thread['id']}")).json()
    assert updated["messageCount"] == 5
    assert updated["durationSeconds"] > 0  # from the 2024 backfill to now


async def test_bad_messages_are_rejected_and_nothing_is_stored(api: Api) -> None:
    user = await new_user(api)
    thread = await new_thread(api, user["id"])
    big = "x" * (32 * 1024 + 1)
    cases: list[tuple[Any, int, str]] = [
        ({"role": "robot", "content": "hi"}, 422, "role"),
        ({"role": "user", "content": ""}, 422, "content"),
        ({"role": "user", "content": "   "}, 422, "content"),
        ({"role": "user"}, 422, "content"),
        ({"content": "hi"}, 422, "role"),
        ({"role": "user", "content": big}, 413, "content"),
        ({"messages": [{"role": "user", "content": "ok"}] * 101}, 413, "messages"),
        ({"messages": []}, 422, "messages"),
        (
            {"messages": [{"role": "user", "content": "ok"}, {"role": "user", "content": big}]},
            413,
            "messages[1].content",
        ),
        ({"role": "user", "content": "hi", "createdAt": "yesterday"}, 422, "createdAt"),
        ({"role": "user", "content": "hi", "createdAt": "2024-01-15T10:30:00"}, 422, "createdAt"),
        ({"role": "user", "content": "hi", "seq": 5}, 422, "seq"),
        ({"role": "user", "content": 5}, 422, "content"),
    ]
    for body, status, field in cases:
        response = await append(api, thread["id"], body)
        assert response.status_code == status, (body if len(str(body)) < 200 else field, response.text)
        problem = response.json()
        named = [e["field"] for e in problem.get("errors", [])] + [problem.get("field") or ""]
        assert any(field in n for n in named), (field, problem)
    replay = (await api.get(f"/v1/threads/{thread['id']}/messages")).json()
    assert replay["messages"] == []
    assert (await api.get(f"/v1/users/{user['id']}/jobs")).json()["jobs"] == []
    assert (await append(api, "thr_missing", {"role": "user", "content": "hi"})).status_code == 404


async def test_concurrent_appends_get_gap_free_sequence_numbers(api: Api) -> None:
    user = await new_user(api)
    thread = await new_thread(api, user["id"])

    async def client_appends(client: int) -> list[int]:
        seqs = []
        for i in range(25):
            response = await append(api, thread["id"], {"role": "assistant", "content": f"c{client} m{i}"})
            assert response.status_code == 201, response.text
            seqs.append(response.json()["messages"][0]["seq"])
        return seqs

    results = await asyncio.gather(*(client_appends(c) for c in range(8)))
    seqs = sorted(s for r in results for s in r)
    assert seqs == list(range(1, 201))
    assert (await api.get(f"/v1/threads/{thread['id']}")).json()["messageCount"] == 200


async def test_idempotent_append(api: Api) -> None:
    user = await new_user(api)
    thread = await new_thread(api, user["id"])
    body = {"role": "user", "content": "only once"}
    first = await append(api, thread["id"], body, headers={"Idempotency-Key": "msg-1"})
    again = await append(api, thread["id"], body, headers={"Idempotency-Key": "msg-1"})
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    conflict = await append(
        api, thread["id"], {"role": "user", "content": "other"}, headers={"Idempotency-Key": "msg-1"}
    )
    assert conflict.status_code == 422
    assert conflict.json()["code"] == "IDEMPOTENCY_CONFLICT"
    racing = await asyncio.gather(
        *(
            append(
                api, thread["id"], {"role": "user", "content": "race"}, headers={"Idempotency-Key": "msg-2"}
            )
            for _ in range(8)
        )
    )
    assert {r.status_code for r in racing} == {201}
    assert len({r.json()["messages"][0]["id"] for r in racing}) == 1
    replay = (await api.get(f"/v1/threads/{thread['id']}/messages")).json()["messages"]
    assert [m["content"] for m in replay] == ["only once", "race"]


async def test_user_messages_are_ingested_once(
    api: Api, driver: neo4j.AsyncDriver, graph_server: GraphServer
) -> None:
    user = await new_user(api)
    thread = await new_thread(api, user["id"])
    response = await append(
        api,
        thread["id"],
        {
            "messages": [
                {"role": "assistant", "content": "Where do you live?"},
                {"role": "user", "content": "Seattle"},
            ]
        },
    )
    job_id = response.json()["ingested"][0]["jobId"]
    jobs = await wait_for_jobs(api, user["id"])
    assert [j["id"] for j in jobs] == [job_id]
    job = (await api.get(f"/v1/jobs/{job_id}")).json()
    assert job["status"] == "succeeded"
    assert job["attempts"] == 1
    assert job["messageId"] == response.json()["messages"][1]["id"]
    assert job["userId"] == user["id"]
    # The bare answer is read with the question before it: "Seattle" -> Alice lives in Seattle.
    assert job["result"] == {
        "memoriesCreated": 1,
        "memoriesUpdated": 0,
        "memoriesInvalidated": 0,
        "entities": 2,
        "relations": 1,
    }
    assert job["startedAt"]
    assert job["finishedAt"]
    derived = """
        MATCH (m:Message {threadId: $t})
        RETURN m.role AS role, [(x:Memory)-[:DERIVED_FROM]->(m) | [x.id, x.text, size(x.embedding)]] AS memories
        ORDER BY m.seq
    """
    before = await cypher(driver, graph_server, derived, t=thread["id"])
    assert [(r["role"], len(r["memories"])) for r in before] == [("assistant", 0), ("user", 1)]
    assert before[1]["memories"][0][2] == 384

    # Run the step again (as after a crash between the write and the client seeing it): nothing changes.
    await cypher(driver, graph_server, "MATCH (j:IngestJob {id: $id}) SET j.status = 'queued'", id=job_id)
    await wait_for_jobs(api, user["id"])
    again = (await api.get(f"/v1/jobs/{job_id}")).json()
    assert again["status"] == "succeeded"
    assert again["attempts"] == 2
    assert again["result"] == job["result"]
    assert await cypher(driver, graph_server, derived, t=thread["id"]) == before
    counts = await cypher(
        driver,
        graph_server,
        "MATCH (m:Message {threadId: $t}) OPTIONAL MATCH (m)-[:INGESTED_BY]->(j) RETURN count(DISTINCT m) AS m, count(j) AS j",
        t=thread["id"],
    )
    assert counts == [{"m": 2, "j": 1}]
    assert (await api.get(f"/v1/users/{user['id']}/jobs", params={"status": "succeeded"})).json()["jobs"][0][
        "id"
    ] == job_id
    assert (await api.get(f"/v1/users/{user['id']}/jobs", params={"status": "failed"})).json()["jobs"] == []


async def test_stats_follow_conversations(api: Api) -> None:
    user = await new_user(api)
    personality = (await api.post("/v1/personalities", json={"name": "Tutor"})).json()
    t1 = await new_thread(api, user["id"], personalityId=personality["id"])
    t2 = await new_thread(api, user["id"])
    await append(api, t1["id"], {"role": "user", "content": "hi", "createdAt": "2025-01-01T00:00:00Z"})
    await append(
        api, t2["id"], {"messages": [{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"}]}
    )
    stats = (await api.get(f"/v1/users/{user['id']}/stats")).json()["stats"]
    assert stats["totalConversations"] == 2
    assert stats["totalMessages"] == 3
    assert stats["personalitiesUsed"] == 1
    assert stats["firstConversationAt"] is not None
    got = (await api.get(f"/v1/users/{user['id']}")).json()
    assert got["stats"]["threads"] == 2
    assert got["stats"]["messages"] == 3
    last = got["lastConversationAt"]
    assert last is not None
    assert last > "2025-01-02"
    assert stats["lastConversationAt"] == last
    await wait_for_jobs(api, user["id"])


async def test_deleting_a_thread_removes_its_messages_and_jobs(
    api: Api, driver: neo4j.AsyncDriver, graph_server: GraphServer
) -> None:
    user = await new_user(api)
    keep = await new_thread(api, user["id"])
    drop = await new_thread(api, user["id"])
    await append(api, keep["id"], {"role": "user", "content": "keep me"})
    await append(
        api,
        drop["id"],
        {"messages": [{"role": "user", "content": "drop me"}, {"role": "assistant", "content": "ok"}]},
    )
    await wait_for_jobs(api, user["id"])
    await api.delete(f"/v1/threads/{drop['id']}")
    rows = await cypher(
        driver,
        graph_server,
        "MATCH (n) WHERE n.threadId = $t OR n.id = $t RETURN count(n) AS n",
        t=drop["id"],
    )
    assert rows == [{"n": 0}]
    assert len((await api.get(f"/v1/users/{user['id']}/jobs")).json()["jobs"]) == 1
    assert (await api.get(f"/v1/users/{user['id']}")).json()["stats"]["messages"] == 1


async def test_deleting_a_user_removes_threads_messages_and_jobs(
    api: Api, driver: neo4j.AsyncDriver, graph_server: GraphServer
) -> None:
    user = await new_user(api)
    thread = await new_thread(api, user["id"])
    await append(api, thread["id"], {"role": "user", "content": "remember this"})
    await wait_for_jobs(api, user["id"])
    await api.delete(f"/v1/users/{user['id']}")
    rows = await cypher(
        driver,
        graph_server,
        "MATCH (n) WHERE n.userId = $u OR n.id IN [$u, $t] RETURN count(n) AS n",
        u=user["id"],
        t=thread["id"],
    )
    assert rows == [{"n": 0}]
    record = (await api.get("/v1/audit", params={"action": "user.deleted"})).json()["records"][0]
    assert record["counts"]["threads"] == 1
    assert record["counts"]["messages"] == 1
    assert record["counts"]["jobs"] == 1


async def test_other_projects_see_no_threads_messages_or_jobs(api: Api, other_api: Api) -> None:
    user = await new_user(api)
    thread = await new_thread(api, user["id"])
    job_id = (await append(api, thread["id"], {"role": "user", "content": "private"})).json()["ingested"][0][
        "jobId"
    ]
    for method, url, body in [
        ("GET", f"/v1/threads/{thread['id']}", None),
        ("PATCH", f"/v1/threads/{thread['id']}", {"name": "x"}),
        ("DELETE", f"/v1/threads/{thread['id']}", None),
        ("GET", f"/v1/threads/{thread['id']}/messages", None),
        ("POST", f"/v1/threads/{thread['id']}/messages", {"role": "user", "content": "intrude"}),
        ("GET", f"/v1/users/{user['id']}/threads", None),
        ("GET", f"/v1/users/{user['id']}/conversations", None),
        ("POST", f"/v1/users/{user['id']}/threads", {}),
        ("POST", "/v1/threads", {"userId": user["id"]}),
        ("GET", f"/v1/jobs/{job_id}", None),
        ("GET", f"/v1/users/{user['id']}/jobs", None),
    ]:
        response = await other_api.request(method, url, json=body)
        assert response.status_code == 404, (method, url, response.text)
    assert len((await api.get(f"/v1/threads/{thread['id']}/messages")).json()["messages"]) == 1
    await wait_for_jobs(api, user["id"])
