"""Relation rules, endings and their dates (the Maya story's bugs), as pure logic and over the parse."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.memory.extract import Ending, Entity, Extraction, Extractor, Memory, Relation, Utterance
from app.memory.extract.relations import correct_parse
from app.memory.pipeline import display_name, named_subject
from app.memory.plan import (
    UNNAMED,
    HeldEdge,
    Said,
    ending_at,
    period_end_ms,
    plan,
    settle,
    valid_at_ms,
)
from app.memory.resolve import Known, Resolver
from app.memory.supersede import Held, ended, same_stem, stem
from app.memory.writer import Batch, learned_name


def ms(*parts: int) -> int:
    return int(datetime(*parts, tzinfo=UTC).timestamp() * 1000)  # type: ignore[misc]


AT = ms(2025, 11, 20, 12)


def said(ex: Extraction, at: int = AT, speaker: str = "Maya", message_id: str = "msg_1") -> Said:
    return Said(
        speaker=speaker,
        at=at,
        extraction=ex,
        memory_vectors=[[1.0, 0.0] for _ in ex.memories],
        name_vectors={},
        message_id=message_id,
    )


# --- stems: "I don't hike anymore" ends "hiking" ------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [("hike", "hiking"), ("hikes", "hiked"), ("swim", "swimming"), ("run", "running"), ("dance", "dancing")],
)
def test_inflections_share_a_stem(a: str, b: str) -> None:
    assert stem(a) == stem(b)


def test_same_stem_compares_the_head_word_and_every_word_of_the_short_name() -> None:
    assert same_stem("hike", "hiking")
    assert same_stem("hiking", "long hikes")
    assert not same_stem("meat", "meat pies")  # the held thing is pies
    assert not same_stem("hiking", "biking")


def test_an_ending_by_meaning_ends_a_held_liking_of_the_same_stem() -> None:
    held = [
        Held("rel_1", "Maya", "LIKES", "long hikes", "mem_1"),
        Held("rel_2", "Maya", "LIKES", "curries", None),
    ]
    new = Extraction(endings=[Ending("Maya", "LIKES", "hike", 0, similar=True)])
    assert [h.id for h in ended(held, new)] == ["rel_1"]
    by_name_only = Extraction(endings=[Ending("Maya", "LIKES", "hike", 0)])
    assert ended(held, by_name_only) == []


# --- when an ending is dated --------------------------------------------------------------------


def test_a_period_ends_at_the_first_instant_after_it() -> None:
    assert period_end_ms("2025", 0) == ms(2026, 1, 1)
    assert period_end_ms("2025-12", 0) == ms(2026, 1, 1)
    assert period_end_ms("2025-10", 0) == ms(2025, 11, 1)
    assert period_end_ms("2025-10-31", 0) == ms(2025, 11, 1)
    assert period_end_ms(None, 7) == 7


def test_an_ending_is_never_before_the_start_of_what_it_ends() -> None:
    start = ms(2025, 3, 3, 12)
    assert ending_at(ms(2025, 6, 1), start, AT) == ms(2025, 6, 1)  # after the start: as dated
    assert ending_at(ms(2025, 1, 1), start, AT) == AT  # before it: by the late bound
    assert ending_at(ms(2025, 1, 1), start, ms(2025, 2, 1)) == start  # never before the start
    assert ending_at(ms(2025, 1, 1), None, AT) == ms(2025, 1, 1)  # nothing known to compare


def test_moving_this_year_ends_a_home_first_said_later_in_the_year_when_said() -> None:
    """ "I live in Austin" (March 2025), then in November "I moved to Denver this year" (2025)."""
    maya, austin = Known("ent_maya", "Maya", "person"), Known("ent_austin", "Austin", "place")
    started = ms(2025, 3, 3, 12)
    held = [
        HeldEdge(
            "rel_1", "LIVES_IN", "ent_maya", "Maya", "ent_austin", "Austin", ("mem_austin",), True, started
        )
    ]
    ex = Extraction(
        memories=[Memory("Maya moved to Denver in 2025.", "event", 0.9, "2025", ("Maya", "Denver"))],
        entities=[Entity("Denver", "place")],
        relations=[Relation("Maya", "LIVES_IN", "Denver", 0)],
    )
    out = plan(graph_id="g", batch=[said(ex)], known=[maya, austin], held=held, stored={}, vectors={}, now=AT)
    assert [(e["id"], e["at"]) for e in out.ended] == [("rel_1", AT)]
    [denver] = out.relations
    assert denver["props"]["validAt"] == ms(2025, 1, 1)  # the new home keeps its own date
    # the old memory's start is the graph's: the writer reads it, then settles the ending
    assert [(s["memoryId"], s["at"]) for s in out.superseded] == [("mem_austin", ms(2025, 1, 1))]
    settle(out, {"mem_austin": started})
    assert [(s["memoryId"], s["at"]) for s in out.superseded] == [("mem_austin", AT)]
    [event] = [e for e in out.events if e["memoryId"] == "mem_austin"]
    assert f'"invalidAt": {AT}' in event["props"]["after"]
    assert out.unsettled == {}


def test_a_memory_of_the_same_batch_is_settled_by_the_plan_itself() -> None:
    maya = Known("ent_maya", "Maya", "person")
    first = Extraction(
        memories=[Memory("Maya lives in Austin.", "fact", 0.9, None, ("Maya", "Austin"))],
        entities=[Entity("Austin", "place")],
        relations=[Relation("Maya", "LIVES_IN", "Austin", 0)],
    )
    moved = Extraction(
        memories=[Memory("Maya moved to Denver in 2025.", "event", 0.9, "2025", ("Maya", "Denver"))],
        entities=[Entity("Denver", "place")],
        relations=[Relation("Maya", "LIVES_IN", "Denver", 0)],
    )
    march = ms(2025, 3, 3, 12)
    out = plan(
        graph_id="g",
        batch=[said(first, at=march), said(moved, message_id="msg_2")],
        known=[maya],
        held=[],
        stored={},
        vectors={},
        now=AT,
    )
    [ended_row] = out.ended
    [superseded] = out.superseded
    assert ended_row["at"] == superseded["at"] == AT
    assert out.unsettled == {}


# --- relations known since they were said -------------------------------------------------------


def test_an_undated_relation_starts_when_said_not_at_its_memorys_time() -> None:
    maya = Known("ent_maya", "Maya", "person")
    ex = Extraction(
        memories=[
            Memory(
                "Maya's sister Lena visited in the week of 12 May 2025.",
                "event",
                0.9,
                "2025-05-12",
                ("Lena",),
            )
        ],
        entities=[Entity("Lena", "person", ("Maya's sister",))],
        relations=[
            Relation("Maya", "SIBLING_OF", "Lena", 0, dated=False),
            Relation("Lena", "VISITED", "Maya", 0),
        ],
    )
    out = plan(graph_id="g", batch=[said(ex)], known=[maya], held=[], stored={}, vectors={}, now=AT)
    starts = {r["type"]: r["props"]["validAt"] for r in out.relations}
    assert starts == {"SIBLING_OF": AT, "VISITED": valid_at_ms("2025-05-12", AT)}


# --- short names and the user's own name ---------------------------------------------------------


def test_a_possessive_short_name_resolves_to_the_organisation_it_begins() -> None:
    davids = Known("ent_d", "St. David's Medical Center", "organization")
    r = Resolver(
        [davids, Known("ent_dh", "Denver Health", "organization"), Known("ent_den", "Denver", "place")]
    )
    assert r.resolve("St. David's", "organization") is davids
    assert r.resolve("St. David's", "place") is davids  # NER's FAC
    assert r.resolve("Denver", "place").id == "ent_den"  # type: ignore[union-attr]
    assert r.resolve("St. Mary's", "organization") is None


def test_quitting_at_a_short_name_ends_the_job_held_under_the_full_name() -> None:
    maya = Known("ent_maya", "Maya", "person")
    davids = Known("ent_d", "St. David's Medical Center", "organization")
    held = [HeldEdge("rel_1", "WORKS_AT", "ent_maya", "Maya", "ent_d", davids.name, ("mem_job",), True, 0)]
    ex = Extraction(
        memories=[Memory("Maya quit her job at St. David's.", "event", 0.9, None, ("Maya", "St. David's"))],
        entities=[Entity("St. David's", "organization")],
        endings=[Ending("Maya", "WORKS_AT", "St. David's", 0)],
    )
    out = plan(graph_id="g", batch=[said(ex)], known=[maya, davids], held=held, stored={}, vectors={}, now=AT)
    assert [e["id"] for e in out.ended] == ["rel_1"]
    assert not [e for e in out.entities if e["props"]["name"] == "St. David's"]


def test_an_unnamed_user_learns_their_name_from_what_is_said() -> None:
    assert display_name(None) == UNNAMED
    assert display_name(None, "Sam") == "Sam"
    assert display_name("Alice", "Sam") == "Alice"
    assert named_subject("Sam lives in Lisbon.") == "Sam"
    assert named_subject("Sam's sister Ana works at Siemens.") == "Sam"
    assert named_subject("Mary Jane loves jazz.") == "Mary Jane"
    assert named_subject("I live in Lisbon.") is None
    assert named_subject("The user lives in Lisbon.") is None
    assert named_subject("lives in Lisbon") is None
    ex = Extraction(memories=[Memory("Sam lives in Lisbon.", "fact", 0.9, None, ("Sam",))])
    batch = Batch("prj", "usr", UNNAMED, [said(ex, speaker=UNNAMED), said(ex, speaker="Sam")])
    assert learned_name(batch) == "Sam"
    assert learned_name(Batch("prj", "usr", "Alice", [said(ex, speaker="Sam")])) is None

    # no own entity yet: it is created under the learned name, and answers to "The user" too
    out = plan(
        graph_id="g",
        batch=[said(ex, speaker="Sam")],
        known=[],
        held=[],
        stored={},
        vectors={},
        now=AT,
        self_name="Sam",
    )
    [me] = [e for e in out.entities if e["id"] == out.self_id]
    assert (me["props"]["name"], me["props"]["aliases"]) == ("Sam", [UNNAMED])

    # an own entity still called "The user" takes the name
    placeholder = Known("ent_me", UNNAMED, "person")
    out = plan(
        graph_id="g",
        batch=[said(ex, speaker="Sam")],
        known=[placeholder],
        held=[],
        stored={},
        vectors={},
        now=AT,
        named_self=("ent_me", "Sam"),
    )
    [me] = [e for e in out.entities if e["id"] == "ent_me"]
    assert (me["props"]["name"], me["props"]["aliases"]) == ("Sam", [UNNAMED])
    assert {link["entityId"] for link in out.links} == {"ent_me"}


# --- over the parse ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor.load()


def run(extractor: Extractor, text: str) -> Extraction:
    return extractor.extract(Utterance(text, "Maya", datetime(2025, 11, 20, 12, tzinfo=UTC)))


def test_an_organisation_cut_by_ner_is_one_span(extractor: Extractor) -> None:
    doc = extractor.nlp("I'm a nurse at St. David's Medical Center and I study at the University of Texas.")
    correct_parse(doc)
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("St. David's Medical Center", "ORG"),
        ("University of Texas", "ORG"),
    ]


def test_the_name_of_my_pet_is_no_organisation(extractor: Extractor) -> None:
    doc = extractor.nlp("My golden retriever Biscuit is three years old.")
    assert "Biscuit" in [e.text for e in doc.ents]  # NER: a place
    correct_parse(doc)
    assert "Biscuit" not in [e.text for e in doc.ents]
    assert doc[2].pos_ == "NOUN"  # "retriever", tagged as a proper noun


def test_my_golden_retriever_biscuit_is_a_pet_and_no_workplace(extractor: Extractor) -> None:
    e = run(extractor, "I work at St. David's Medical Center and my golden retriever Biscuit keeps me sane.")
    rels = {(r.source, r.type, r.target) for r in e.relations}
    assert ("Maya", "HAS_PET", "Biscuit") in rels
    assert ("Maya", "WORKS_AT", "St. David's Medical Center") in rels
    assert not [r for r in e.relations if "Biscuit" in r.target and r.type != "HAS_PET"]
    types = {x.name: x.type for x in e.entities}
    assert types["Biscuit"] == "pet"
    assert types["St. David's Medical Center"] == "organization"
    assert not [n for n in types if n in ("St. David's", "Medical Center", "Retriever Biscuit")]


def test_loving_an_activity_with_an_object_likes_the_thing_never_the_bare_verb(extractor: Extractor) -> None:
    e = run(extractor, "I love making spicy Thai curries.")
    assert [(r.type, r.target) for r in e.relations] == [("LIKES", "spicy Thai curries")]
    e = run(extractor, "I love fixing up old cars.")
    assert [(r.type, r.target) for r in e.relations] == [("LIKES", "fixing up old cars")]


@pytest.mark.parametrize("text", ["I don't hike anymore.", "I no longer hike.", "I stopped hiking."])
def test_an_activity_said_to_be_over_ends_liking_it(extractor: Extractor, text: str) -> None:
    e = run(extractor, text)
    assert Ending("Maya", "LIKES", "hiking", 0, similar=True) in e.endings


def test_a_visit_does_not_date_having_a_sister_but_adopting_dates_having_a_pet(extractor: Extractor) -> None:
    e = run(extractor, "My sister Lena visited last week.")
    assert [(r.type, r.dated) for r in e.relations if r.type == "SIBLING_OF"] == [("SIBLING_OF", False)]
    e = run(extractor, "I adopted my dog Rex in 2020.")
    assert [(r.type, r.dated) for r in e.relations if r.type == "HAS_PET"] == [("HAS_PET", True)]
