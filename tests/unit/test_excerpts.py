"""Verbatim excerpts: lines, resolved times, ranking by fusion, and how they pack beside memories."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np

from app.retrieval import block, excerpts, summary, tokens
from app.retrieval.block import Item


def ms(*args: int) -> int:
    return int(datetime(*args, tzinfo=UTC).timestamp() * 1000)


def message_row(i: int, text: str, at: int, **props: object) -> dict[str, object]:
    vector = np.zeros(384, dtype=np.float32)
    vector[i % 384] = 1.0
    return {
        "id": f"msg_{i:03d}",
        "threadId": "thr_1",
        "seq": i,
        "content": text,
        "speaker": "Caroline",
        "createdAt": at,
        "personalityId": None,
        "embeddings": vector.tolist(),
        **props,
    }


def unit(i: int) -> np.ndarray:
    v = np.zeros(384, dtype=np.float32)
    v[i % 384] = 1.0
    return v


def test_a_line_names_speaker_and_date_and_resolves_relative_times() -> None:
    messages = excerpts.build_messages(
        [message_row(1, "I went to a support group yesterday and it was powerful.", ms(2023, 5, 8, 13, 56))]
    )
    assert messages.line(0) == (
        "(8 May 2023) Caroline: I went to a support group yesterday (7 May 2023) and it was powerful."
    )


def test_annotate_keeps_the_words_and_skips_dates_already_said() -> None:
    at = datetime(2023, 5, 8, tzinfo=UTC)
    assert excerpts.annotate("We moved here in 2019.", at) == "We moved here in 2019."
    assert excerpts.annotate("I started last week.", at).startswith("I started last week (")
    assert "1 May 2023)." in excerpts.annotate("I started last week.", at)
    assert excerpts.annotate("Nothing dated.", at) == "Nothing dated."


def test_long_messages_are_cut_at_a_sentence_end() -> None:
    text = "First sentence is here. " * 40
    short = excerpts.shorten(text.strip(), limit=100)
    assert short.endswith(". …")
    assert len(short) <= 103
    assert excerpts.shorten("short", limit=100) == "short"


def test_messages_are_in_conversation_order_and_scoped_by_personality() -> None:
    rows = [
        message_row(2, "later", ms(2023, 6, 1)),
        message_row(1, "earlier", ms(2023, 5, 1)),
        message_row(3, "with the coach", ms(2023, 7, 1), personalityId="per_1"),
    ]
    messages = excerpts.build_messages(rows)
    assert messages.texts == ["earlier", "later", "with the coach"]
    assert messages.mask(None).tolist() == [True, True, False]
    assert messages.mask("per_1").tolist() == [True, True, True]


def test_rank_fuses_meaning_words_and_the_memories_route() -> None:
    rows = [
        message_row(0, "I adopted a puppy named Oscar", ms(2023, 1, 1)),
        message_row(1, "The weather is lovely today", ms(2023, 1, 2)),
        message_row(2, "My sister paints landscapes", ms(2023, 1, 3)),
    ]
    messages = excerpts.build_messages(rows)
    weights = excerpts.ExcerptWeights()
    mask = messages.mask(None)
    # Words alone: the puppy message; meaning alone points at message 1.
    found = excerpts.rank(messages, mask, unit(1), "puppy Oscar", [], weights, 3)
    assert set(found[:2]) == {0, 1}
    # A message on every signal beats one found by a single signal.
    found = excerpts.rank(messages, mask, unit(2), "sister paints", ["msg_002"], weights, 3)
    assert found[0] == 2
    # A masked message is never returned, whatever routes to it.
    found = excerpts.rank(messages, np.array([True, True, False]), unit(2), "sister", ["msg_002"], weights, 3)
    assert 2 not in found


def test_a_memory_whose_every_source_is_quoted_is_left_out() -> None:
    items = [
        Item("excerpts", "(8 May 2023) Caroline: I adopted a puppy.", message_id="msg_1"),
        Item("relevant", "Caroline adopted a puppy.", "mem_1", sources=("msg_1",)),
        Item("relevant", "Caroline paints.", "mem_2", sources=("msg_1", "msg_2")),
    ]
    packed = block.pack("chat", "Caroline", items, 500, tokens.count)
    assert packed.message_ids == ["msg_1"]
    assert packed.memory_ids == ["mem_2"]
    assert "## From past conversations" in packed.text
    assert "Caroline adopted a puppy." not in packed.text


def test_a_message_is_as_close_as_its_best_sentence() -> None:
    two = np.concatenate([unit(7), unit(8)]).tolist()
    rows = [
        message_row(0, "Hi there! Anyway, I adopted a puppy.", ms(2023, 1, 1), embeddings=two),
        message_row(1, "Something else entirely.", ms(2023, 1, 2), embeddings=unit(9).tolist()),
        message_row(2, "Not ingested yet.", ms(2023, 1, 3), embeddings=[]),
    ]
    messages = excerpts.build_messages(rows)
    weights = excerpts.ExcerptWeights(words=0, memories=0)
    assert excerpts.rank(messages, messages.mask(None), unit(8), "q", [], weights, 1) == [0]
    assert excerpts.rank(messages, messages.mask(None), unit(9), "q", [], weights, 1) == [1]


def test_a_summary_within_a_budget_keeps_its_first_whole_sentences() -> None:
    made = summary.Summary(
        "Ann lives in Oslo. Ann works at Equinor as an engineer. Ann has a dog, Rex.",
        ("mem_1", "mem_2", "mem_3"),
        3,
        ("Ann lives in Oslo.", "Ann works at Equinor as an engineer.", "Ann has a dog, Rex."),
    )
    assert made.within(1000, tokens.count) is made
    short = made.within(
        tokens.count("Ann lives in Oslo. Ann works at Equinor as an engineer.") + 1, tokens.count
    )
    assert short.text == "Ann lives in Oslo. Ann works at Equinor as an engineer."
    assert short.memory_ids == ("mem_1", "mem_2")
    assert made.within(2, tokens.count).text == ""


def test_a_question_found_lifts_the_other_speakers_reply_but_not_the_same_speakers_next_message() -> None:
    rows = [
        message_row(0, "What did you paint last week?", ms(2023, 1, 1), speaker="Mel"),
        message_row(1, "A sunset over the lake, all in oranges.", ms(2023, 1, 1, 0, 1)),
        message_row(2, "Anything else planned?", ms(2023, 1, 2), speaker="Caroline"),
        message_row(3, "Off to bed now.", ms(2023, 1, 2, 0, 1), speaker="Caroline"),
    ]
    messages = excerpts.build_messages(rows)
    only_words = excerpts.ExcerptWeights(meaning=0, memories=0, replies=0)
    assert excerpts.rank(messages, messages.mask(None), unit(9), "paint planned", [], only_words, 4) == [0, 2]
    replies = excerpts.ExcerptWeights(meaning=0, memories=0, replies=0.7)
    assert excerpts.rank(messages, messages.mask(None), unit(9), "paint planned", [], replies, 4) == [0, 2, 1]


def test_the_summary_retells_and_never_quotes() -> None:
    assert summary.quoted('Joanna said (20 May 2022): "I\'m grateful for my friends."')
    assert not summary.quoted("Joanna said she is grateful for her friends.")


def test_a_memory_before_the_excerpt_that_quotes_it_gives_its_room_back() -> None:
    items = [
        Item("relevant", "Caroline adopted a puppy.", "mem_1", sources=("msg_1",)),
        Item("relevant", "Caroline paints.", "mem_2", sources=("msg_2",)),
        Item("excerpts", "(8 May 2023) Caroline: I adopted a puppy named Oscar.", message_id="msg_1"),
    ]
    packed = block.pack("chat", "Caroline", items, 500, tokens.count)
    assert packed.message_ids == ["msg_1"]
    assert packed.memory_ids == ["mem_2"]
    assert "Caroline adopted a puppy." not in packed.text


def test_a_biography_states_what_lasts() -> None:
    assert summary.lasting({"text": "Ann works at Equinor.", "confidence": 0.9})
    assert not summary.lasting({"text": "Ann would go through the fields.", "confidence": 0.9})
    assert not summary.lasting({"text": "Ann hasn't done pottery yet.", "confidence": 0.9})
    assert summary.lasting({"text": "Ann doesn't eat meat.", "confidence": 0.9, "slot": "diet"})
    assert not summary.lasting({"text": "Ann may move to Oslo.", "confidence": 0.6})
