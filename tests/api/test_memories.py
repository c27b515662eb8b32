"""User messages become the user's graph: memories, entities, relations, supersession and history,
through HTTP on the real graph server with the real extractor and embedding model."""

from __future__ import annotations

import asyncio
from typing import Any

import neo4j

from tests.api.test_threads import append, new_thread, new_user
from tests.conftest import Api, GraphServer, cypher, wait_for_jobs


async def say(api: Api, user_id: str, thread_id: str, *messages: dict[str, Any]) -> list[dict[str, Any]]:
    """Append messages one by one (each a separate ingest job) and wait until all are ingested."""
    for message in messages:
        response = await append(api, thread_id, message)
        assert response.status_code == 201, response.text
        jobs = await wait_for_jobs(api, user_id)
        assert all(j["status"] == "succeeded" for j in jobs), jobs
    return jobs


def user_says(content: str, at: str = "2026-05-10T12:00:00Z", **extra: Any) -> dict[str, Any]:
    return {"role": "user", "content": content, "createdAt": at, **extra}


async def memories(api: Api, user_id: str, **params: Any) -> list[dict[str, Any]]:
    response = await api.get(f"/v1/users/{user_id}/memories", params={"limit": 100, **params})
    assert response.status_code == 200, response.text
    return list(response.json()["memories"])


async def entities(api: Api, user_id: str, **params: Any) -> list[dict[str, Any]]:
    response = await api.get(f"/v1/users/{user_id}/entities", params={"limit": 100, **params})
    assert response.status_code == 200, response.text
    return list(response.json()["entities"])


async def relations_of(api: Api, entity_id: str) -> list[tuple[str, str, str, bool]]:
    """(direction, type, other name, valid) of an entity's relations."""
    body = (await api.get(f"/v1/entities/{entity_id}")).json()
    return [
        (r["direction"], r["type"], r["other"]["name"], r["invalidAt"] is None) for r in body["relations"]
    ]


async def the_user_entity(api: Api, user_id: str, name: str) -> dict[str, Any]:
    found = [e for e in await entities(api, user_id, type="person") if e["name"] == name]
    assert len(found) == 1, found
    return found[0]


async def alice(api: Api) -> tuple[str, str]:
    user = await new_user(api, firstName="Alice")
    thread = await new_thread(api, user["id"])
    return user["id"], thread["id"]


async def test_a_message_becomes_a_third_person_memory_with_its_time_entities_and_relation(api: Api) -> None:
    user_id, thread_id = await alice(api)
    jobs = await say(api, user_id, thread_id, user_says("I moved to Portland last March."))
    assert jobs[0]["result"]["memoriesCreated"] == 1

    [memory] = await memories(api, user_id)
    assert memory["text"] == "Alice moved to Portland in March 2026."
    assert memory["validAt"] == "2026-03-01T00:00:00.000Z"
    assert memory["invalidAt"] is None
    assert memory["sourceMessageIds"] == [jobs[0]["messageId"]]
    assert {(e["name"], e["type"]) for e in memory["entities"]} == {
        ("Alice", "person"),
        ("Portland", "place"),
    }

    me = await the_user_entity(api, user_id, "Alice")
    assert ("out", "LIVES_IN", "Portland", True) in await relations_of(api, me["id"])
    one = (await api.get(f"/v1/memories/{memory['id']}")).json()
    assert one == memory


async def test_chit_chat_and_questions_make_no_memories(api: Api) -> None:
    user_id, thread_id = await alice(api)
    await say(api, user_id, thread_id, user_says("hi there!! how are you?"), user_says("What do you think?"))
    assert await memories(api, user_id) == []


async def test_a_bare_answer_is_read_with_the_assistants_question(api: Api) -> None:
    user_id, thread_id = await alice(api)
    question = {"role": "assistant", "content": "Where do you live?", "createdAt": "2026-05-10T11:59:00Z"}
    assert (await append(api, thread_id, question)).status_code == 201
    await say(api, user_id, thread_id, user_says("Seattle"))
    [memory] = await memories(api, user_id)
    assert "Alice" in memory["text"]
    assert "Seattle" in memory["text"]
    assert memory["kind"] == "fact"
    me = await the_user_entity(api, user_id, "Alice")
    assert ("out", "LIVES_IN", "Seattle", True) in await relations_of(api, me["id"])


async def test_a_named_speaker_is_the_one_who_says_i(api: Api) -> None:
    user_id, thread_id = await alice(api)
    await say(api, user_id, thread_id, user_says("I work at Google.", name="Bob"))
    [memory] = await memories(api, user_id)
    assert memory["text"].startswith("Bob ")
    assert "Alice" not in memory["text"]
    bob = await the_user_entity(api, user_id, "Bob")
    assert ("out", "WORKS_AT", "Google", True) in await relations_of(api, bob["id"])


async def test_my_sister_then_my_sister_anna_is_one_entity_related_by_sibling_of(api: Api) -> None:
    user_id, thread_id = await alice(api)
    await say(api, user_id, thread_id, user_says("My sister is a nurse."))
    placeholder = [e for e in await entities(api, user_id) if e["name"] == "Alice's sister"]
    assert len(placeholder) == 1
    await say(api, user_id, thread_id, user_says("My sister Anna just got engaged.", "2026-05-11T12:00:00Z"))

    people = [e for e in await entities(api, user_id, type="person") if e["name"] != "Alice"]
    assert [(e["id"], e["name"], e["aliases"]) for e in people] == [
        (placeholder[0]["id"], "Anna", ["Alice's sister"])
    ]
    assert ("in", "SIBLING_OF", "Alice", True) in await relations_of(api, people[0]["id"])
    # The same place said twice is one entity; never one entity per mention.
    await say(api, user_id, thread_id, user_says("I live in Denver."), user_says("I love Denver in winter."))
    assert [e["name"] for e in await entities(api, user_id, q="denver")] == ["Denver"]


async def test_moving_supersedes_the_old_home_with_history_and_nothing_deleted(api: Api) -> None:
    user_id, thread_id = await alice(api)
    first = await say(api, user_id, thread_id, user_says("I live in Seattle.", "2026-01-10T12:00:00Z"))
    [old] = await memories(api, user_id)
    jobs = await say(api, user_id, thread_id, user_says("I moved from Seattle to Portland last March."))
    moved_job = next(j for j in jobs if j["id"] != first[0]["id"])
    assert moved_job["result"]["memoriesInvalidated"] == 1

    [new] = await memories(api, user_id)  # the invalid one drops out by default
    assert "Portland" in new["text"]
    everything = {m["id"]: m for m in await memories(api, user_id, includeInvalid="true")}
    assert everything[old["id"]]["invalidAt"] == "2026-03-01T00:00:00.000Z"
    assert everything[old["id"]]["supersededBy"] == new["id"]

    history = (await api.get(f"/v1/memories/{old['id']}/history")).json()
    assert [e["type"] for e in history["events"]] == ["created", "superseded"]
    assert history["events"][0]["messageId"] == first[0]["messageId"]
    assert history["events"][1]["messageId"] == moved_job["messageId"]
    assert history["events"][1]["supersededBy"] == new["id"]

    me = await the_user_entity(api, user_id, "Alice")
    rels = await relations_of(api, me["id"])
    assert ("out", "LIVES_IN", "Portland", True) in rels
    assert ("out", "LIVES_IN", "Seattle", False) in rels
    assert rels[0] == ("out", "LIVES_IN", "Portland", True)  # valid ones first


async def test_not_eating_meat_anymore_supersedes_loving_steak(api: Api) -> None:
    user_id, thread_id = await alice(api)
    await say(api, user_id, thread_id, user_says("I love steak.", "2026-01-10T12:00:00Z"))
    [steak] = await memories(api, user_id)
    await say(api, user_id, thread_id, user_says("I don't eat meat anymore."))
    [current] = await memories(api, user_id)
    assert "meat" in current["text"]
    old = (await api.get(f"/v1/memories/{steak['id']}")).json()
    assert old["supersededBy"] == current["id"]
    assert old["invalidAt"] is not None


async def test_a_hedged_plan_is_a_low_confidence_plan(api: Api) -> None:
    user_id, thread_id = await alice(api)
    await say(api, user_id, thread_id, user_says("Maybe I'll try yoga next month."))
    [memory] = await memories(api, user_id)
    assert memory["kind"] == "plan"
    assert memory["confidence"] < 0.7
    assert "yoga" in memory["text"]


async def test_two_users_entities_are_never_merged(api: Api) -> None:
    a_user, a_thread = await alice(api)
    b = await new_user(api, firstName="Bea")
    b_thread = await new_thread(api, b["id"])
    await say(api, a_user, a_thread, user_says("I live in Portland."))
    await say(api, b["id"], b_thread["id"], user_says("I live in Portland."))
    a_places = await entities(api, a_user, type="place")
    b_places = await entities(api, b["id"], type="place")
    assert [e["name"] for e in a_places] == [e["name"] for e in b_places] == ["Portland"]
    assert a_places[0]["id"] != b_places[0]["id"]


async def test_rerunning_a_job_changes_nothing(
    api: Api, driver: neo4j.AsyncDriver, graph_server: GraphServer
) -> None:
    user_id, thread_id = await alice(api)
    await say(api, user_id, thread_id, user_says("I live in Seattle and my dog Rex loves the park."))
    await say(api, user_id, thread_id, user_says("I moved to Portland last March.", "2026-05-11T12:00:00Z"))

    snapshot = """
        MATCH (g:UserGraph {userId: $userId})
        RETURN COUNT { (g)-[:HAS_MEMORY]->() } AS memories, COUNT { (g)-[:HAS_ENTITY]->() } AS entities,
               COUNT { (:MemoryEvent {userId: $userId}) } AS events,
               COUNT { (g)-[:HAS_ENTITY]->()-[]->(:Entity) } AS relations,
               COUNT { (g)-[:HAS_MEMORY]->()-[:ABOUT|DERIVED_FROM|SUPERSEDED_BY]->() } AS edges,
               COUNT { (g)-[:HAS_MEMORY]->(m) WHERE m.invalidAt IS NULL } AS valid
    """
    before = await cypher(driver, graph_server, snapshot, userId=user_id)
    await cypher(
        driver,
        graph_server,
        "MATCH (j:IngestJob {userId: $userId}) SET j.status = 'queued', j.availableAt = 0",
        userId=user_id,
    )
    jobs = await wait_for_jobs(api, user_id)
    assert [j["status"] for j in jobs] == ["succeeded", "succeeded"]
    assert all(j["attempts"] >= 2 for j in jobs), jobs  # ran again
    assert await cypher(driver, graph_server, snapshot, userId=user_id) == before
    assert before[0]["memories"] >= 2
    assert before[0]["relations"] >= 2


async def test_deleting_a_thread_keeps_memories_also_said_elsewhere(
    api: Api, driver: neo4j.AsyncDriver, graph_server: GraphServer
) -> None:
    user_id, first = await alice(api)
    second = (await new_thread(api, user_id))["id"]
    await say(api, user_id, first, user_says("I love hiking."), user_says("I work at Acme."))
    await say(api, user_id, second, user_says("I love hiking."))
    hiking = [m for m in await memories(api, user_id) if "hiking" in m["text"]]
    assert len(hiking) == 1
    assert len(hiking[0]["sourceMessageIds"]) == 2

    assert (await api.delete(f"/v1/threads/{first}")).status_code == 200
    left = await memories(api, user_id, includeInvalid="true")
    assert [m["id"] for m in left] == [hiking[0]["id"]]
    assert len(left[0]["sourceMessageIds"]) == 1
    assert not [e for e in await entities(api, user_id) if e["name"] == "Acme"]

    assert (await api.delete(f"/v1/users/{user_id}")).status_code == 200
    remaining = await cypher(
        driver,
        graph_server,
        "MATCH (n) WHERE n.userId = $userId OR n.id = $userId RETURN count(n) AS n",
        userId=user_id,
    )
    assert remaining == [{"n": 0}]


async def test_memory_added_by_hand_is_linked_corrected_and_deleted_with_history(api: Api) -> None:
    user_id, _thread_id = await alice(api)
    created = await api.post(
        f"/v1/users/{user_id}/memories",
        json={"text": "I am allergic to peanuts.", "metadata": {"source": "intake form"}},
    )
    assert created.status_code == 201, created.text
    memory = created.json()
    assert memory["source"] == "manual"
    assert memory["sourceMessageIds"] == []
    assert memory["metadata"] == {"source": "intake form"}
    assert {e["name"] for e in memory["entities"]} >= {"Alice", "peanuts"}

    patched = await api.patch(
        f"/v1/memories/{memory['id']}", json={"text": "Alice is allergic to cashews.", "kind": "trait"}
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["text"] == "Alice is allergic to cashews."
    assert patched.json()["kind"] == "trait"
    history = (await api.get(f"/v1/memories/{memory['id']}/history")).json()["events"]
    assert [e["type"] for e in history] == ["created", "updated"]
    assert history[1]["before"] == {"text": "I am allergic to peanuts.", "kind": memory["kind"]}
    assert history[1]["after"] == {"text": "Alice is allergic to cashews.", "kind": "trait"}

    invalidated = await api.patch(f"/v1/memories/{memory['id']}", json={"invalidAt": "2026-06-01T00:00:00Z"})
    assert invalidated.json()["invalidAt"] == "2026-06-01T00:00:00.000Z"
    assert (await api.get(f"/v1/memories/{memory['id']}/history")).json()["events"][-1][
        "type"
    ] == "invalidated"

    assert (await api.delete(f"/v1/memories/{memory['id']}")).json() == {"deleted": True, "id": memory["id"]}
    assert (await api.get(f"/v1/memories/{memory['id']}")).status_code == 404
    assert (await api.get(f"/v1/memories/{memory['id']}/history")).status_code == 404


async def test_memory_api_bad_input_and_other_projects(api: Api, other_api: Api) -> None:
    user_id, _ = await alice(api)
    bad = [
        {},
        {"text": ""},
        {"text": "   "},
        {"text": "x" * 2001},
        {"text": "ok", "kind": "gossip"},
        {"text": "ok", "validAt": "yesterday"},
        {"text": "ok", "personalityId": "per_missing"},
        {"text": "ok", "unknown": 1},
    ]
    for body in bad:
        response = await api.post(f"/v1/users/{user_id}/memories", json=body)
        assert 400 <= response.status_code < 500, (body, response.status_code)
        assert response.headers["content-type"].startswith("application/problem+json")
    assert await memories(api, user_id) == []

    memory = (await api.post(f"/v1/users/{user_id}/memories", json={"text": "I like tea."})).json()
    assert (await api.patch(f"/v1/memories/{memory['id']}", json={})).status_code == 422
    assert (await api.patch(f"/v1/memories/{memory['id']}", json={"kind": "gossip"})).status_code == 422
    assert (await api.get(f"/v1/users/{user_id}/memories", params={"kind": "gossip"})).status_code == 422
    for method, url in [
        ("GET", f"/v1/users/{user_id}/memories"),
        ("GET", f"/v1/memories/{memory['id']}"),
        ("GET", f"/v1/memories/{memory['id']}/history"),
        ("DELETE", f"/v1/memories/{memory['id']}"),
        ("GET", f"/v1/users/{user_id}/entities"),
        ("GET", f"/v1/users/{user_id}/graph/export"),
    ]:
        assert (await other_api.request(method, url)).status_code == 404, url
    assert (await other_api.post(f"/v1/users/{user_id}/memories", json={"text": "x"})).status_code == 404
    assert len(await memories(api, user_id)) == 1


async def test_names_of_one_place_resolve_to_one_entity_and_duplicates_merge_by_hand(api: Api) -> None:
    user_id, thread_id = await alice(api)
    await say(api, user_id, thread_id, user_says("I live in NYC."), user_says("I love New York City."))
    [nyc] = await entities(api, user_id, type="place")  # resolved by meaning, kept as an alias
    assert (nyc["name"], nyc["aliases"]) == ("NYC", ["New York City"])
    assert nyc["memories"] == 2

    await say(api, user_id, thread_id, user_says("I work in Manhattan."))
    places = {e["name"]: e for e in await entities(api, user_id, type="place")}
    assert set(places) == {"NYC", "Manhattan"}
    gone, kept = places["Manhattan"], places["NYC"]
    merged = await api.post(f"/v1/entities/{gone['id']}/merge", json={"intoId": kept["id"]})
    assert merged.status_code == 200, merged.text
    body = merged.json()
    assert body["id"] == kept["id"]
    assert body["aliases"] == ["New York City", "Manhattan"]
    assert len(body["memories"]) == 3
    assert ("in", "LIVES_IN", "Alice") in {
        (r["direction"], r["type"], r["other"]["name"]) for r in body["relations"]
    }
    assert (await api.get(f"/v1/entities/{gone['id']}")).status_code == 404
    assert (
        await api.post(f"/v1/entities/{kept['id']}/merge", json={"intoId": kept["id"]})
    ).status_code == 422
    missing = await api.post(f"/v1/entities/{kept['id']}/merge", json={"intoId": "ent_missing"})
    assert missing.status_code == 404

    export = (await api.get(f"/v1/users/{user_id}/graph/export")).json()
    node_ids = {n["id"] for n in export["nodes"]}
    assert kept["id"] in node_ids
    assert gone["id"] not in node_ids
    assert all(e["source"] in node_ids and e["target"] in node_ids for e in export["edges"])
    assert {"IS", "ABOUT", "LIVES_IN"} <= {e["type"] for e in export["edges"]}


async def test_a_single_valued_fact_said_anew_supersedes_the_old_memory(api: Api) -> None:
    user_id, thread_id = await alice(api)
    await say(api, user_id, thread_id, user_says("I have two kids.", "2025-01-10T12:00:00Z"))
    [two] = await memories(api, user_id)
    jobs = await say(api, user_id, thread_id, user_says("I have three kids now!"))
    assert max(j["result"]["memoriesInvalidated"] for j in jobs) == 1
    [three] = await memories(api, user_id)
    assert "three" in three["text"]
    old = (await api.get(f"/v1/memories/{two['id']}")).json()
    assert old["supersededBy"] == three["id"]
    history = (await api.get(f"/v1/memories/{two['id']}/history")).json()["events"]
    assert [e["type"] for e in history] == ["created", "superseded"]


async def test_relative_times_resolve_against_the_message_time(api: Api) -> None:
    user_id, thread_id = await alice(api)
    at = "2026-05-10T12:00:00Z"
    await say(
        api,
        user_id,
        thread_id,
        user_says("I adopted a cat yesterday.", at),
        user_says("I start my new job at Stripe in two weeks.", at),
        user_says("I have been a teacher since 2019.", at),
    )
    by_text = {m["text"]: m for m in await memories(api, user_id)}
    assert by_text["Alice adopted a cat on 9 May 2026."]["validAt"] == "2026-05-09T00:00:00.000Z"
    plan = next(m for m in by_text.values() if "Stripe" in m["text"])
    assert plan["kind"] == "plan"
    assert plan["validAt"] == "2026-05-24T00:00:00.000Z"
    assert by_text["Alice has been a teacher since 2019."]["validAt"] == "2019-01-01T00:00:00.000Z"


async def test_memories_filter_by_entity_kind_personality_and_time(api: Api) -> None:
    user_id, general = await alice(api)
    coach = (await api.post("/v1/personalities", json={"name": "Coach"})).json()
    scoped = (await new_thread(api, user_id, personalityId=coach["id"]))["id"]
    await say(api, user_id, general, user_says("I live in Denver."))
    await say(api, user_id, scoped, user_says("I love running marathons."))

    everything = await memories(api, user_id)
    assert len(everything) == 2
    running = next(m for m in everything if "marathons" in m["text"])
    denver_memory = next(m for m in everything if "Denver" in m["text"])
    assert running["personalityId"] == coach["id"]  # learned in the coach's thread: scoped to it
    assert denver_memory["personalityId"] is None

    assert [m["id"] for m in await memories(api, user_id, personalityId=coach["id"])] == [running["id"]]
    denver = next(e for e in denver_memory["entities"] if e["name"] == "Denver")
    assert [m["id"] for m in await memories(api, user_id, entityId=denver["id"])] == [denver_memory["id"]]
    assert [m["id"] for m in await memories(api, user_id, kind=running["kind"])] == [running["id"]]
    later = await memories(api, user_id, createdAfter=denver_memory["createdAt"])
    assert [m["id"] for m in later] == [running["id"]]

    page = (await api.get(f"/v1/users/{user_id}/memories", params={"limit": 1})).json()
    assert page["pagination"]["hasMore"] is True
    rest = await api.get(
        f"/v1/users/{user_id}/memories", params={"limit": 1, "cursor": page["pagination"]["nextCursor"]}
    )
    assert [m["id"] for m in page["memories"] + rest.json()["memories"]] == [m["id"] for m in everything]


async def import_batch(api: Api, user_id: str, items: list[Any], **kwargs: Any) -> Any:
    return await api.post(f"/v1/users/{user_id}/memories/batch", json={"memories": items}, **kwargs)


async def test_a_batch_import_keeps_order_links_entities_and_supersedes_in_order(api: Api) -> None:
    user_id, _ = await alice(api)
    items: list[dict[str, Any]] = [
        {"text": "Alice lives in Lisbon."},
        {"text": "Alice's sister Ana works at Siemens as a nurse."},
        {
            "text": "Alice likes hiking in the Alps.",
            "kind": "preference",
            "validAt": "2025-01-01T00:00:00Z",
            "metadata": {"importedFrom": "crm"},
        },
        {"text": "Alice adopted a cat named Miso in March 2025."},
        {"text": "I moved to Porto."},  # the user's own voice works too
    ]
    response = await import_batch(api, user_id, items)
    assert response.status_code == 201, response.text
    created = response.json()["memories"]
    assert [m["text"] for m in created] == [i["text"] for i in items]
    assert all(m["source"] == "manual" and m["sourceMessageIds"] == [] for m in created)
    names = [{e["name"] for e in m["entities"]} for m in created]
    assert {"Alice", "Lisbon"} <= names[0]
    assert {"Ana", "Siemens"} <= names[1]
    assert {"Alice", "Alps"} <= names[2]
    assert {"Alice", "Miso"} <= names[3]
    assert (created[2]["kind"], created[2]["validAt"]) == ("preference", "2025-01-01T00:00:00.000Z")
    assert created[2]["metadata"] == {"importedFrom": "crm"}
    assert created[3]["validAt"] == "2025-03-01T00:00:00.000Z"  # the time the text names
    # In order, as if added one by one: the later home supersedes the earlier one.
    assert created[0]["supersededBy"] == created[4]["id"]
    assert created[4]["invalidAt"] is None

    stored = {m["id"]: m for m in await memories(api, user_id, includeInvalid="true")}
    assert set(stored) == {m["id"] for m in created}
    assert all(stored[m["id"]] == m for m in created)
    me = await the_user_entity(api, user_id, "Alice")
    rels = await relations_of(api, me["id"])
    assert {
        ("out", "LIVES_IN", "Porto", True),
        ("out", "LIVES_IN", "Lisbon", False),
        ("out", "SIBLING_OF", "Ana", True),
        ("out", "HAS_PET", "Miso", True),
    } <= set(rels)
    ana = next(e for e in await entities(api, user_id, type="person") if e["name"] == "Ana")
    assert ("out", "WORKS_AT", "Siemens", True) in await relations_of(api, ana["id"])


async def test_a_bad_item_rejects_the_whole_batch_and_lists_every_bad_field(api: Api) -> None:
    user_id, _ = await alice(api)
    response = await import_batch(
        api,
        user_id,
        [
            {"text": "Alice lives in Lisbon."},
            {"text": "   "},
            {"text": "Alice likes tea.", "validAt": "yesterday"},
            {"text": "Alice likes coffee.", "metadata": {"k": "x" * 20_000}},
        ],
    )
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["code"] == "VALIDATION_FAILED"
    assert [e["field"] for e in body["errors"]] == [
        "memories[1].text",
        "memories[2].validAt",
        "memories[3].metadata",
    ]
    for bad_item, field in [
        ({"text": "ok", "kind": "gossip"}, "memories[1].kind"),
        ({"text": "x" * 2001}, "memories[1].text"),
        ({"text": "ok", "unknown": 1}, "memories[1].unknown"),
        ({}, "memories[1].text"),
    ]:
        response = await import_batch(api, user_id, [{"text": "Alice lives in Lisbon."}, bad_item])
        assert response.status_code == 422, (bad_item, response.text)
        assert [e["field"] for e in response.json()["errors"]] == [field], response.text
    missing = await import_batch(
        api, user_id, [{"text": "ok"}, {"text": "ok", "personalityId": "per_missing"}]
    )
    assert missing.status_code == 404, missing.text
    assert await memories(api, user_id, includeInvalid="true") == []


async def test_a_batch_holds_1_to_100_memories_of_the_callers_own_users(api: Api, other_api: Api) -> None:
    user_id, _ = await alice(api)
    for items in ([], [{"text": f"Alice owns {i} books."} for i in range(101)]):
        response = await import_batch(api, user_id, items)
        assert response.status_code in (413, 422), response.text
        assert response.json()["errors"][0]["field"] == "memories"
    for body in ({}, {"memories": None}, {"memories": [], "extra": 1}):
        response = await api.post(f"/v1/users/{user_id}/memories/batch", json=body)
        assert response.status_code == 422, (body, response.text)
    assert (await import_batch(other_api, user_id, [{"text": "Alice likes tea."}])).status_code == 404
    assert (await import_batch(api, "usr_missing", [{"text": "Alice likes tea."}])).status_code == 404
    assert await memories(api, user_id) == []

    hundred = [{"text": f"Alice read book number {i} in 2024."} for i in range(100)]
    response = await import_batch(api, user_id, hundred)
    assert response.status_code == 201, response.text
    assert [m["text"] for m in response.json()["memories"]] == [i["text"] for i in hundred]


async def test_a_batch_import_is_replayed_under_its_idempotency_key(api: Api) -> None:
    user_id, _ = await alice(api)
    items = [{"text": "Alice has a cat named Miso."}, {"text": "Alice is allergic to peanuts."}]
    key = {"Idempotency-Key": "import-batch-1"}
    first = await import_batch(api, user_id, items, headers=key)
    assert first.status_code == 201, first.text
    again = await import_batch(api, user_id, items, headers=key)
    assert again.status_code == 201
    assert again.headers.get("idempotent-replayed") == "true"
    assert again.json() == first.json()
    assert len(await memories(api, user_id)) == 2
    other_body = await import_batch(api, user_id, items[:1], headers=key)
    assert other_body.status_code == 422
    assert other_body.json()["code"] == "IDEMPOTENCY_CONFLICT"


async def test_memories_added_while_the_same_user_is_being_ingested_never_fail(api: Api) -> None:
    """Hand-added memories racing the ingest of the same user's messages about the same new people
    and places: every request succeeds and every job too (a first write of one entity by two
    transactions at once is planned again, never a 500)."""
    user = await new_user(api, firstName="Imani")
    thread = await new_thread(api, user["id"])
    places = ["Zanzibar", "Kigali", "Accra", "Dakar", "Lagos", "Nairobi"]

    async def add(place: str) -> int:
        response = await api.post(
            f"/v1/users/{user['id']}/memories", json={"text": f"I visited {place} with Kofi."}
        )
        return response.status_code

    async def tell(place: str) -> int:
        response = await append(api, thread["id"], user_says(f"My friend Kofi and I loved {place}."))
        return response.status_code

    statuses = await asyncio.gather(*(f(p) for p in places for f in (add, tell)))
    assert set(statuses) == {201}, statuses
    jobs = await wait_for_jobs(api, user["id"])
    assert all(j["status"] == "succeeded" for j in jobs), jobs
    kofi = [e for e in await entities(api, user["id"]) if e["name"] == "Kofi"]
    assert len(kofi) == 1
