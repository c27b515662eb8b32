"""Entity resolution and write planning: pure logic, no graph."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from app.memory.extract import Ending, Entity, Extraction, Memory, Relation
from app.memory.plan import HeldEdge, Said, Stored, memory_key, plan, valid_at_ms
from app.memory.resolve import Known, Resolver

AT = int(datetime(2026, 5, 10, tzinfo=UTC).timestamp() * 1000)


def said(ex: Extraction, message_id: str = "msg_1", names: dict[str, list[float]] | None = None) -> Said:
    return Said(
        speaker="Alice",
        at=AT,
        extraction=ex,
        memory_vectors=[[1.0, 0.0] for _ in ex.memories],
        name_vectors=names or {},
        message_id=message_id,
    )


def test_resolution_by_name_alias_first_word_and_meaning() -> None:
    anna = Known("ent_anna", "Anna Berg", "person")
    sister = Known("ent_sis", "Alice's brother", "person")
    nyc = Known("ent_nyc", "NYC", "place", vector=[1.0, 0.0])
    luna = Known("ent_luna", "Luna", "pet")
    r = Resolver([anna, sister, nyc, luna])
    assert r.resolve("anna berg", "person") is anna
    assert r.resolve("Anna", "person") is anna  # the only person whose first word it is
    assert r.resolve("Tom", "person", aliases=["Alice's brother"]) is sister
    assert r.resolve("Luna", "person") is luna  # the only entity of that name, whatever NER says
    assert r.resolve("New York City", "place", vector=[0.95, 0.312]) is nyc
    assert r.resolve("Boston", "place", vector=[0.6, 0.8]) is None
    assert r.resolve("New York City", "concept", vector=[1.0, 0.0]) is None  # meaning only within a type


def test_a_placeholder_takes_the_name_when_it_comes() -> None:
    placeholder = Known("ent_1", "Alice's sister", "person")
    alice = Known("ent_alice", "Alice", "person")
    ex = Extraction(
        memories=[Memory("Alice's sister Anna is a nurse.", "relationship", 0.9, entities=("Alice", "Anna"))],
        entities=[Entity("Anna", "person", ("Alice's sister",))],
        relations=[Relation("Alice", "SIBLING_OF", "Anna", 0)],
    )
    out = plan(
        graph_id="g", batch=[said(ex)], known=[placeholder, alice], held=[], stored={}, vectors={}, now=AT
    )
    [row] = [e for e in out.entities if e["id"] == "ent_1"]
    assert row["props"]["name"] == "Anna"
    assert row["props"]["aliases"] == ["Alice's sister"]
    assert [(r["sourceId"], r["type"], r["targetId"]) for r in out.relations] == [
        ("ent_alice", "SIBLING_OF", "ent_1")
    ]


def test_a_new_value_of_a_functional_relation_supersedes_the_held_one_and_its_memory() -> None:
    alice = Known("ent_alice", "Alice", "person")
    seattle = Known("ent_sea", "Seattle", "place")
    held = [HeldEdge("rel_1", "LIVES_IN", "ent_alice", "Alice", "ent_sea", "Seattle", ("mem_old",))]
    ex = Extraction(
        memories=[
            Memory("Alice moved to Portland in March 2026.", "event", 0.9, "2026-03", ("Alice", "Portland"))
        ],
        entities=[Entity("Portland", "place")],
        relations=[Relation("Alice", "LIVES_IN", "Portland", 0)],
    )
    out = plan(
        graph_id="g", batch=[said(ex)], known=[alice, seattle], held=held, stored={}, vectors={}, now=AT
    )
    [new_memory] = out.memories
    march = valid_at_ms("2026-03", 0)
    assert out.ended == [
        {"id": "rel_1", "sourceId": "ent_alice", "targetId": "ent_sea", "at": march, "by": new_memory["id"]}
    ]
    assert out.superseded == [{"memoryId": "mem_old", "by": new_memory["id"], "at": march}]
    assert [e["props"]["type"] for e in out.events] == ["created", "superseded"]
    assert out.results[0]["memoriesInvalidated"] == 1


def test_an_ending_by_meaning_uses_the_name_vectors() -> None:
    alice = Known("ent_alice", "Alice", "person")
    steak = Known("ent_steak", "steak", "concept")
    held = [HeldEdge("rel_1", "LIKES", "ent_alice", "Alice", "ent_steak", "steak", ("mem_steak",))]
    ex = Extraction(
        memories=[
            Memory(
                "Alice doesn't eat meat anymore.", "preference", 0.9, entities=("Alice", "meat"), negated=True
            )
        ],
        entities=[Entity("meat", "concept")],
        endings=[Ending("Alice", "LIKES", "meat", 0, similar=True)],
    )
    far = plan(graph_id="g", batch=[said(ex)], known=[alice, steak], held=held, stored={}, vectors={}, now=AT)
    assert far.ended == []
    near = plan(
        graph_id="g",
        batch=[said(ex, names={"meat": [1.0, 0.0]})],
        known=[alice, steak],
        held=held,
        stored={},
        vectors={"steak": [0.8, 0.6]},
        now=AT,
    )
    assert [e["id"] for e in near.ended] == ["rel_1"]


def test_the_same_fact_again_is_the_same_memory_and_a_rerun_writes_nothing() -> None:
    ex = Extraction(memories=[Memory("Alice loves hiking.", "preference", 0.9, entities=("Alice",))])
    key = memory_key("g", None, "Alice loves hiking.")
    again = plan(
        graph_id="g", batch=[said(ex, "msg_2")], known=[], held=[], stored={key: Stored("mem_1", True, ("msg_1",))},
        vectors={}, now=AT,
    )  # fmt: skip
    assert [(m["id"], m["messageId"], m["props"]) for m in again.memories] == [("mem_1", "msg_2", {})]
    assert [e["props"]["type"] for e in again.events] == ["restated"]
    rerun = plan(
        graph_id="g", batch=[said(ex, "msg_1")], known=[], held=[], stored={key: Stored("mem_1", True, ("msg_1",))},
        vectors={}, now=AT,
    )  # fmt: skip
    assert (rerun.memories, rerun.relations, rerun.events, rerun.entities) == ([], [], [], [])
    assert rerun.memory_ids == [["mem_1"]]
    # Said again after it stopped being true: a new memory, not the invalid one.
    revived = plan(
        graph_id="g", batch=[said(ex, "msg_3")], known=[], held=[], stored={key: Stored("mem_1", False, ("msg_1",))},
        vectors={}, now=AT,
    )  # fmt: skip
    assert revived.memories[0]["id"] != "mem_1"


def test_a_memory_filling_a_held_slot_supersedes_the_old_one() -> None:
    from app.memory.supersede import HeldMemory

    alice = Known("ent_alice", "Alice", "person")
    ex = Extraction(memories=[Memory("Alice is vegan now.", "trait", 0.9, entities=("Alice",), slot="diet")])
    held = [HeldMemory("mem_veg", "Alice", "diet", "Alice is vegetarian.")]
    out = plan(
        graph_id="g", batch=[said(ex)], known=[alice], held=[], stored={}, vectors={}, now=AT, slotted=held
    )
    [new] = out.memories
    assert new["props"]["slotKey"] == "g|diet"
    assert new["props"]["subjectId"] == "ent_alice"
    assert out.superseded == [{"memoryId": "mem_veg", "by": new["id"], "at": AT}]
    # A second message filling the slot again in the same batch ends the one the first one wrote.
    again = Extraction(
        memories=[Memory("Alice eats fish again.", "trait", 0.9, entities=("Alice",), slot="diet")]
    )
    out = plan(
        graph_id="g", batch=[said(ex), said(again, "msg_2")], known=[alice], held=[], stored={}, vectors={},
        now=AT, slotted=held,
    )  # fmt: skip
    first, second = out.memories
    assert [(s["memoryId"], s["by"]) for s in out.superseded] == [
        ("mem_veg", first["id"]),
        (first["id"], second["id"]),
    ]


def test_a_merge_folds_a_relation_the_kept_entity_already_has() -> None:
    from app.services.entities import fold_relations

    def rel(
        id_: str, type_: str, source: str, target: str, memories: list[str], invalid: int | None = None
    ) -> dict[str, Any]:
        props = {"id": id_, "memoryIds": memories, "invalidAt": invalid}
        return {"type": type_, "sourceId": source, "targetId": target, "props": props}

    kept = [rel("rel_k", "LIVES_IN", "ent_alice", "ent_nyc", ["mem_1"])]
    moving = [
        rel("rel_a", "LIVES_IN", "ent_alice", "ent_nyc", ["mem_2"]),  # the same fact: folded
        rel("rel_b", "LIKES", "ent_alice", "ent_nyc", ["mem_3"]),  # new to the kept entity: moved
        rel("rel_c", "LIVES_IN", "ent_alice", "ent_nyc", ["mem_0"], invalid=5),  # ended: kept as history
        rel("rel_d", "RELATED_TO", "ent_nyc", "ent_nyc", ["mem_4"]),  # would be a loop: dropped
    ]
    rows = fold_relations(moving, kept)
    assert [(r["id"], r["type"], r["props"].get("memoryIds")) for r in rows] == [
        ("rel_k", "LIVES_IN", ["mem_1", "mem_2"]),
        ("rel_b", "LIKES", ["mem_3"]),
        ("rel_c", "LIVES_IN", ["mem_0"]),
    ]
