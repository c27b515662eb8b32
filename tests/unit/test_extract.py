"""The extractor and its pure helpers: time phrases, answers to the assistant, supersession."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from app.memory.extract import Extraction, Extractor, Memory, Utterance
from app.memory.extract.answers import expand
from app.memory.extract.text import apply_corrections
from app.memory.extract.times import rewrite_times
from app.memory.supersede import Held, HeldMemory, ended, ended_memories

NOW = datetime(2026, 5, 10, 14, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor.load()


def run(extractor: Extractor, text: str, previous: str | None = None, speaker: str = "Alice") -> Extraction:
    return extractor.extract(Utterance(text, speaker, NOW, previous))


def rels(e: Extraction) -> set[tuple[str, str, str]]:
    return {(r.source, r.type, r.target) for r in e.relations}


@pytest.mark.parametrize(
    ("phrase", "text", "valid_at"),
    [
        ("I moved last March", "I moved in March 2026", "2026-03"),
        ("yesterday I ran", "on 9 May 2026 I ran", "2026-05-09"),
        ("in two weeks", "around 24 May 2026", "2026-05-24"),
        ("since 2019", "since 2019", "2019"),
        ("two years ago", "in 2024", "2024"),
        ("next month", "in June 2026", "2026-06"),
        ("on May 3rd", "on 3 May 2026", "2026-05-03"),
        ("last summer", "in the summer of 2025", "2025"),
        ("next March", "in March 2027", "2027-03"),
    ],
)
def test_time_phrases_resolve_against_the_message_time(phrase: str, text: str, valid_at: str) -> None:
    rewritten, refs = rewrite_times(phrase, date(2026, 5, 10))
    assert rewritten == text
    assert refs[0].valid_at == valid_at


def test_may_alone_is_not_a_month() -> None:
    assert rewrite_times("I may go", date(2026, 5, 10)) == ("I may go", [])


@pytest.mark.parametrize(
    ("question", "answer", "sentence"),
    [
        ("Where do you live these days?", "Seattle", "I live in Seattle."),
        ("Nice! Where are you from?", "originally Lisbon", "I am from originally Lisbon."),
        ("Do you have any pets?", "yeah, two cats", "I have two cats."),
        ("What's your favourite food?", "sushi", "My favourite food is sushi."),
    ],
)
def test_bare_answers_become_sentences(question: str, answer: str, sentence: str) -> None:
    assert expand(question, answer) == sentence


def test_a_full_answer_is_left_alone() -> None:
    assert expand("Where do you live?", "I live in Seattle with my wife") is None


def test_first_person_becomes_the_speaker_with_resolved_dates(extractor: Extractor) -> None:
    e = run(extractor, "I moved to Portland last March with my sister Anna 🙂")
    # the name once: who Anna is to her is a memory of its own (tests/data/README.md's convention)
    assert [m.text for m in e.memories] == [
        "Alice moved to Portland in March 2026 with Anna.",
        "Alice's sister is Anna.",
    ]
    assert e.memories[0].valid_at == "2026-03"
    assert e.memories[0].kind == "event"
    assert rels(e) == {("Alice", "LIVES_IN", "Portland"), ("Alice", "SIBLING_OF", "Anna")}
    anna = next(x for x in e.entities if x.name == "Anna")
    assert anna.type == "person"
    assert "Alice's sister" in anna.aliases


def test_the_named_speaker_is_i(extractor: Extractor) -> None:
    e = run(extractor, "I work at Google now.", speaker="Melanie")
    assert e.memories[0].text.startswith("Melanie works at Google")
    assert rels(e) == {("Melanie", "WORKS_AT", "Google")}


def test_unnamed_family_member_is_an_entity_of_its_own(extractor: Extractor) -> None:
    e = run(extractor, "My sister is a nurse.")
    assert ("Alice", "SIBLING_OF", "Alice's sister") in rels(e)


def test_chitchat_and_questions_disclose_nothing(extractor: Extractor) -> None:
    for text in ("Hey! How are you?", "thanks so much!", "What should I cook tonight?", "lol ok"):
        e = run(extractor, text)
        assert e.memories == [], text
        assert e.relations == [], text


def test_an_answer_to_the_assistant_is_a_fact(extractor: Extractor) -> None:
    e = run(extractor, "Seattle", previous="Where do you live?")
    assert [m.text for m in e.memories] == ["Alice lives in Seattle."]
    assert rels(e) == {("Alice", "LIVES_IN", "Seattle")}


def test_several_facts_in_one_message(extractor: Extractor) -> None:
    e = run(extractor, "I have a dog named Rex and I work at Google.")
    assert len(e.memories) == 2
    assert rels(e) == {("Alice", "HAS_PET", "Rex"), ("Alice", "WORKS_AT", "Google")}


def test_hedged_plan_has_low_confidence(extractor: Extractor) -> None:
    e = run(extractor, "Maybe I'll try yoga next month.")
    assert e.memories[0].kind == "plan"
    assert e.memories[0].confidence <= 0.5
    assert not any(r.type == "LIKES" for r in e.relations)


def test_moving_ends_the_old_home(extractor: Extractor) -> None:
    held = [Held("r1", "Alice", "LIVES_IN", "Seattle", "m1"), Held("r2", "Alice", "LIKES", "jazz", "m2")]
    e = run(extractor, "I moved from Seattle to Portland last week")
    assert [h.id for h in ended(held, e)] == ["r1"]


def test_a_negation_ends_similar_likes(extractor: Extractor) -> None:
    held = [Held("r1", "Alice", "LIKES", "steak", "m1"), Held("r2", "Alice", "LIKES", "hiking", "m2")]
    e = run(extractor, "I don't eat meat anymore")
    similar = {("meat", "steak"): 0.7, ("meat", "hiking"): 0.2}
    assert [h.id for h in ended(held, e, lambda a, b: similar[(a, b)])] == ["r1"]


def test_a_non_functional_relation_accumulates(extractor: Extractor) -> None:
    held = [Held("r1", "Alice", "HAS_PET", "Rex", "m1")]
    assert ended(held, run(extractor, "I also adopted a cat named Luna.")) == []


def test_extraction_is_deterministic(extractor: Extractor) -> None:
    text = "My sister Anna lives in Berlin and I visited her last week."
    assert run(extractor, text) == run(extractor, text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my cat biscuit hates the vacuum", ("Alice", "HAS_PET", "Biscuit")),
        ("Oscar (my guinea pig) has been sick all week", ("Alice", "HAS_PET", "Oscar")),
        ("We adopted a puppy yesterday! Her name is Luna", ("Alice", "HAS_PET", "Luna")),
        ("my daughter emma turns 10 next week", ("Alice", "PARENT_OF", "Emma")),
        ("my parents live in Miami", ("Alice's parents", "LIVES_IN", "Miami")),
        ("I work as a software engineer at Stripe.", ("Alice", "WORKS_AT", "Stripe")),
        ("I work at a clothing store called Urban Threads.", ("Alice", "WORKS_AT", "Urban Threads")),
        ("I'm a PhD student at Stanford.", ("Alice", "STUDIES_AT", "Stanford")),
        ("I can't stand cilantro, it tastes like soap to me", ("Alice", "DISLIKES", "cilantro")),
        ("ok i tried sushi again and i actually love it now", ("Alice", "LIKES", "sushi")),
        ("Coffee is life, I can't function without it", ("Alice", "LIKES", "coffee")),
        ("Grew up in Kraków but I've called Toronto home since 2015", ("Alice", "FROM", "Kraków")),
        ("Paris was amazing, we just got back yesterday", ("Alice", "VISITED", "Paris")),
        ("We took a cruise to Alaska back in 2018", ("Alice", "VISITED", "Alaska")),
        ("Brandon and I are engaged!!", ("Alice", "PARTNER_OF", "Brandon")),
    ],
)
def test_relation_patterns(extractor: Extractor, text: str, expected: tuple[str, str, str]) -> None:
    assert expected in rels(run(extractor, text))


def test_role_entities_keep_the_speakers_word(extractor: Extractor) -> None:
    e = run(extractor, "My dad passed away two years ago and my sisters live in Rome")
    assert ("Alice", "CHILD_OF", "Alice's dad") in rels(e)
    assert ("Alice", "SIBLING_OF", "Alice's sisters") in rels(e)


def test_a_correction_is_not_a_negation(extractor: Extractor) -> None:
    e = run(extractor, "actually i live in evanston, not chicago")
    assert ("Alice", "LIVES_IN", "Evanston") in rels(e)


def test_hedges_and_past_habits_make_no_relation(extractor: Extractor) -> None:
    assert not any(r.type == "HAS_PET" for r in run(extractor, "I'm thinking of getting a dog").relations)
    assert ("Alice", "DISLIKES", "mushrooms") not in rels(run(extractor, "I used to hate mushrooms"))


def test_comma_spliced_facts_are_separate_memories(extractor: Extractor) -> None:
    e = run(extractor, "I'm an introvert, big crowds drain me")
    assert [m.text for m in e.memories] == ["Alice is an introvert.", "Big crowds drain Alice."]


def test_been_for_n_years_is_since(extractor: Extractor) -> None:
    e = run(extractor, "I've been sober for three years")
    assert e.memories[0].text == "Alice has been sober since 2023."


def test_a_death_ends_the_partner_and_the_pet(extractor: Extractor) -> None:
    held = [Held("r1", "Alice", "MARRIED_TO", "Karl", "m1"), Held("r2", "Alice", "HAS_PET", "Pepper", "m2")]
    assert [h.id for h in ended(held, run(extractor, "Karl passed away in February."))] == ["r1"]
    assert [h.id for h in ended(held, run(extractor, "Pepper passed away this morning."))] == ["r2"]


def test_selling_the_short_name_ends_the_full_one(extractor: Extractor) -> None:
    held = [Held("r1", "Alice", "OWNS", "Honda Civic", "m1")]
    assert [h.id for h in ended(held, run(extractor, "Finally sold the Civic"))] == ["r1"]


def test_a_side_job_keeps_the_main_one(extractor: Extractor) -> None:
    held = [Held("r1", "Alice", "WORKS_AT", "St. Luke's Hospital", "m1")]
    e = run(extractor, "I started working weekends at Target to make some extra money")
    assert ("Alice", "WORKS_AT", "Target") in rels(e)
    assert ended(held, e) == []


def test_a_name_correction_ends_what_the_wrong_name_held(extractor: Extractor) -> None:
    held = [Held("r1", "Alice", "SIBLING_OF", "Anne", "m1"), Held("r2", "Anne", "LIVES_IN", "Berlin", "m1")]
    e = run(extractor, "Sorry, typo earlier — it's Anna, not Anne.")
    assert [h.id for h in ended(held, e)] == ["r1", "r2"]


# --- slots and memory-level supersession --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "slot"),
    [
        ("I'm vegetarian.", "diet"),
        ("I started eating meat again last month", "diet"),
        ("I don't eat meat anymore", "diet"),
        ("My favorite food is pizza.", "favorite food"),
        ("Changed my mind, tacos are my favorite food now", "favorite food"),
        ("I'm single.", "relationship status"),
        ("I've started seeing someone! His name is Daniel", "relationship status"),
        ("I have three grandchildren.", "number of grandchildren"),
        ("so now I have four grandkids!", "number of grandchildren"),
        ("I'm 34.", "age"),
        ("I work as a nurse at Mercy.", "job title"),
        ("I ate meat yesterday", None),
        ("I used to be vegetarian", None),
        ("Maybe I'll go vegan next year", None),
        ("Loved Lisbon, it might even be my second favorite city", None),
        ("My favorite foods are pizza and tacos", None),
        ("I have a dog named Rex.", None),
    ],
)
def test_single_valued_attributes_get_a_slot(extractor: Extractor, text: str, slot: str | None) -> None:
    slots = [m.slot for m in run(extractor, text).memories if m.slot]
    assert slots == ([slot] if slot else [])


def test_a_slot_belongs_to_the_first_entity(extractor: Extractor) -> None:
    m = run(extractor, "My daughter is 8.").memories[0]
    assert (m.slot, m.entities[0]) == ("age", "Alice's daughter")


def test_a_new_value_in_the_same_slot_ends_the_held_memory(extractor: Extractor) -> None:
    held = [
        HeldMemory("m1", "Alice", "diet", "Alice is vegetarian."),
        HeldMemory("m2", "Alice", "favorite food", "Alice's favorite food is pizza."),
        HeldMemory("m3", "Alice's sister", "diet", "Alice's sister is vegan."),
    ]
    e = run(extractor, "I started eating meat again last month")
    assert [(h.id, i) for h, i in ended_memories(held, e)] == [("m1", 0)]


def test_a_restated_slot_does_not_end_the_held_memory() -> None:
    held = [HeldMemory("m1", "Alice", "diet", "Alice is vegetarian.")]
    same = Extraction(
        memories=[Memory("Alice is  vegetarian", "trait", 0.9, entities=("alice",), slot="diet")]
    )
    other = Extraction(memories=[Memory("Alice is vegan.", "trait", 0.9, entities=("Alice",), slot="diet")])
    unslotted = Extraction(memories=[Memory("Alice is vegan.", "trait", 0.9, entities=("Alice",))])
    assert ended_memories(held, same) == []
    assert ended_memories(held, unslotted) == []
    assert ended_memories(held, other) == [(held[0], 0)]


def test_each_held_memory_is_ended_once() -> None:
    held = [HeldMemory("m1", "Alice", "age", "Alice is 34.")]
    new = Extraction(
        memories=[
            Memory("Alice is 35.", "fact", 0.9, entities=("Alice",), slot="age"),
            Memory("Alice turned 35.", "event", 0.9, entities=("Alice",), slot="age"),
        ]
    )
    assert ended_memories(held, new) == [(held[0], 0)]


# --- what is not a disclosure -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "tell me a joke",
        "Write me a haiku about autumn",
        "If I won the lottery I'd buy an island lol",
        "I wonder if aliens exist",
        "how do I convert grams to ounces",
        "I'd rather not say",
        "Sorry, I typed that wrong",
        "my bad lol",
        "Sounds good, let's pick this up later",
        "I'm heartbroken.",
        "hmm interesting, never thought about it that way",
    ],
)
def test_chat_discloses_nothing(extractor: Extractor, text: str) -> None:
    assert run(extractor, text).memories == []


def test_a_conditional_plan_is_still_a_plan(extractor: Extractor) -> None:
    e = run(extractor, "I might go to the concert in Denver next month, if I can get tickets")
    assert [m.kind for m in e.memories] == ["plan"]


def test_a_feeling_about_something_is_kept(extractor: Extractor) -> None:
    assert run(extractor, "I'm so excited about my new job at Stripe").memories


# --- typos, corrections, answers, times ---------------------------------------------------------


def test_typos_are_fixed_against_the_shipped_dictionary(extractor: Extractor) -> None:
    fix = extractor.speller.correct
    assert fix("I liv in chicgo with my boyfreind") == "I live in chicago with my boyfriend"
    assert fix("Visted my grandparants last summmer") == "Visited my grandparents last summer"
    assert fix("I play evry sunday") == "I play every sunday"
    # names, retractions, stretched words and real words are left alone
    assert fix("soooo loooong") == "so long"
    for text in ("My son jakob plays", "his name is Mateo, not Matteo", "I love wine", "Oh hola"):
        assert fix(text) == text
    assert ("Alice", "ALLERGIC_TO", "strawberries") in rels(run(extractor, "Im alergic to strawberies"))


@pytest.mark.parametrize(
    ("said", "meant"),
    [
        ("I live in Austin, sorry I mean Houston, been here 3 years", "I live in Houston, been here 3 years"),
        ("i'm allergic to shrimp, no wait it's crab", "i'm allergic to crab"),
        ("We moved to Denver in 2018 — no wait, 2017.", "We moved to Denver in 2017."),
        (
            "My sister Anne — sorry, actually it's Anna, not Anne — just got engaged!",
            "My sister Anna — just got engaged!",
        ),
        ("Oh man, sorry to hear that", "Oh man, sorry to hear that"),
        ("I have a dog, no cats", "I have a dog, no cats"),
    ],
)
def test_in_message_corrections_keep_only_the_corrected_value(said: str, meant: str) -> None:
    assert apply_corrections(said) == meant


@pytest.mark.parametrize(
    ("question", "answer", "sentence"),
    [
        ("Are you allergic to anything?", "just penicillin", "I'm allergic to penicillin."),
        ("Where did you grow up?", "Sapporo mostly", "I grew up in Sapporo."),
        ("How old are your kids?", "7 and 4", "My kids are 7 and 4."),
        ("Where did you go on vacation?", "Crete!", "I went to Crete on vacation."),
        ("What are you studying?", "Architecture at McGill", "I study Architecture at McGill."),
        ("Have you been to Japan?", "why do you ask?", None),
    ],
)
def test_more_bare_answers(question: str, answer: str, sentence: str | None) -> None:
    assert expand(question, answer) == sentence


def test_a_bare_month_in_the_past_tense_is_the_last_one() -> None:
    assert rewrite_times("passed away in February", date(2026, 5, 10), past=True)[0] == (
        "passed away in February 2026"
    )
    assert rewrite_times("passed away in June", date(2026, 5, 10), past=True)[0] == "passed away in June 2025"
    assert rewrite_times("moving in February", date(2026, 5, 10))[0] == "moving in February 2027"


def test_extended_family_are_entities_without_a_relation(extractor: Extractor) -> None:
    e = run(extractor, "my cousin Jake is getting married in June")
    assert any(x.name == "Jake" for x in e.entities)
    assert not any(r.target == "Jake" and r.source == "Alice" for r in e.relations)


def test_like_read_as_a_preposition_is_still_liking(extractor: Extractor) -> None:
    e = run(extractor, "I used to hate mushrooms but now I kind of like them")
    assert rels(e) == {("Alice", "LIKES", "mushrooms")}


def test_learning_a_language_is_no_job(extractor: Extractor) -> None:
    assert rels(run(extractor, "I started learning Japanese in January.")) == set()
    assert ("Alice", "WORKS_AT", "Google") in rels(run(extractor, "I joined Google last year."))
    assert ("Alice", "WORKS_AT", "Lumen") in rels(run(extractor, "I started a company called Lumen."))


def test_a_second_verb_keeps_the_first_ones_subject_for_its_slot(extractor: Extractor) -> None:
    ex = run(extractor, "My sister Anna lives in Boston and works as a nurse.")
    nurse = next(m for m in ex.memories if "nurse" in m.text)
    assert nurse.slot == "job title"
    assert nurse.entities[0] == "Anna"  # Anna's job, not Alice's
