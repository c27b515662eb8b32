"""Pure parts of the answer-coverage measure: answer words, coverage, RRF, the line, packing, the tally."""

from __future__ import annotations

import math
import random
import re

import pytest

from app.retrieval import tokens
from bench.baselines import STOP_WORDS
from bench.coverage import (
    NLTK_ENGLISH_STOP_WORDS,
    NOT_ANSWER_WORDS,
    Tally,
    answer_words,
    coverage,
    missing,
    pack,
    rrf,
    turn_line,
    words,
)


def test_stop_words_are_nltks_current_list() -> None:
    assert len(NLTK_ENGLISH_STOP_WORDS) == len(set(NLTK_ENGLISH_STOP_WORDS)) == 198
    assert {"he'd", "i'd", "they've", "should've", "you're"} <= set(NLTK_ENGLISH_STOP_WORDS)
    # Words are [a-z0-9] runs: every piece of an apostrophe form is a stop word of its own.
    pieces = {p for w in NLTK_ENGLISH_STOP_WORDS for p in re.findall(r"[a-z0-9]+", w)}
    assert pieces <= NOT_ANSWER_WORDS
    assert pieces == STOP_WORDS  # the BM25 baseline drops the same words
    assert {"yes", "no"} <= NOT_ANSWER_WORDS


def test_answer_words_are_content_words_in_order_once() -> None:
    assert answer_words("7 May 2023") == ("7", "may", "2023")
    assert answer_words(2022) == ("2022",)  # some gold answers are ints
    assert answer_words("Yes, she is.") == ()  # nothing to look for: the question is skipped
    assert answer_words("The week before 9 June 2023") == ("week", "9", "june", "2023")
    assert answer_words("Caroline's painting; painting, PAINTING") == ("caroline", "painting")
    assert answer_words("self-care, e.g. yoga") == ("self", "care", "e", "g", "yoga")


def test_words_are_lowercase_letter_and_digit_runs() -> None:
    assert words("(1:56 pm on 8 May, 2023) Caroline: I ran a 5K!") == {
        "1", "56", "pm", "on", "8", "may", "2023", "caroline", "i", "ran", "a", "5k"
    }  # fmt: skip


def test_coverage_and_missing_words() -> None:
    answer = answer_words("Adoption agencies, in 2023")
    assert answer == ("adoption", "agencies", "2023")
    text = "Caroline researched ADOPTION agencies."
    assert missing(answer, text) == ["2023"]
    assert coverage(answer, text) == pytest.approx(2 / 3)
    assert coverage(answer, "agencies adoption 2023") == 1.0
    assert coverage(answer, "") == 0.0
    assert coverage(("5k",), "a 5K run") == 1.0
    assert coverage(("run",), "running") == 0.0  # whole words only
    assert math.isnan(coverage((), "anything"))


def test_turn_line_formats() -> None:
    assert turn_line("1:56 pm on 8 May, 2023", "Caroline", "I went to a support group.") == (
        "(1:56 pm on 8 May, 2023) Caroline: I went to a support group."
    )
    assert turn_line("8:00 am on 1 June, 2023", "Mel", "Look!", "a photo of a bowl") == (
        "(8:00 am on 1 June, 2023) Mel: Look! [a photo of a bowl]"
    )


def test_rrf_sums_reciprocal_ranks() -> None:
    bm25 = ["a", "b", "c"]
    dense = ["c", "d", "a"]
    # a: 1/61 + 1/63; c: 1/63 + 1/61 (a tie: a was seen first); b: 1/62; d: 1/62 (tie: b first)
    assert rrf([bm25, dense]) == ["a", "c", "b", "d"]
    assert rrf([["x", "y"], ["y"]]) == ["y", "x"]  # 1/62 + 1/61 beats 1/61
    assert rrf([["x", "y"], ["y"]], k=0) == ["y", "x"]
    assert rrf([]) == []
    assert rrf([["only"]]) == ["only"]


def test_rrf_rank_not_score_counts() -> None:
    fused = rrf([["p", "q", "r", "s"], ["s", "r", "q", "p"]])
    assert set(fused) == {"p", "q", "r", "s"}
    assert fused == ["p", "s", "q", "r"]  # all four tie pairwise; first seen first


def _linear_pack(lines: list[str], budget: int) -> list[str]:
    """The definition: add lines in order until the next one would pass the budget."""
    packed: list[str] = []
    for line in lines:
        if tokens.count("\n".join([*packed, line])) > budget:
            break
        packed.append(line)
    return packed


def test_pack_stops_before_the_line_that_would_pass_the_budget() -> None:
    lines = [
        "(1:56 pm on 8 May, 2023) Caroline: Hey Mel!",
        "(1:56 pm on 8 May, 2023) Melanie: Hi!",
        "x " * 50,
    ]
    one, two = tokens.count(lines[0]), tokens.count("\n".join(lines[:2]))
    assert pack(lines, one) == lines[:1]
    assert pack(lines, two - 1) == lines[:1]
    assert pack(lines, two) == lines[:2]
    assert pack(lines, 10_000) == lines
    assert pack(lines, one - 1) == []
    assert pack([], 500) == []
    # It stops at the first line that does not fit, even if a later, shorter one would.
    assert pack([*lines[:2], "y " * 500, "z"], two + 5) == lines[:2]


def test_pack_matches_the_line_by_line_definition_with_real_counts() -> None:
    rng = random.Random(7)
    vocabulary = [
        "Caroline", "Melanie", "painted", "sunrise", "2023", "May", "camping", "adoption", "agency",
        "LGBTQ", ":)", "!", ",", ".", "pottery",
    ]  # fmt: skip
    lines = [
        f"({rng.randint(1, 12)}:{rng.randint(10, 59)} pm on {rng.randint(1, 28)} May, 2023) Caroline: "
        + " ".join(rng.choice(vocabulary) for _ in range(rng.randint(1, 40)))
        for _ in range(120)
    ]
    for budget in (0, 1, 17, 100, 499, 500, 1500, 3000, 100_000):
        packed = pack(lines, budget)
        assert packed == _linear_pack(lines, budget), budget
        assert tokens.count("\n".join(packed)) <= budget


def test_tally_per_system_budget_and_category() -> None:
    board = Tally()
    board.add("rrf", 500, 1, ("a", "b"), "a", evidence=("D1:1", "D1:2"), sources={"D1:1"})
    board.add("rrf", 500, 2, ("c",), "c d", evidence=("D2:1",), sources={"D2:1"})
    board.add("rrf", 500, 2, (), "skipped", evidence=("D9:9",), sources=set())  # no answer words
    board.add("engram", 500, 1, ("a", "b"), "a b", evidence=("D1:1", "D1:2"), sources=set())
    assert board.mean_coverage("rrf", 500, 1) == 0.5
    assert board.mean_coverage("rrf", 500) == pytest.approx(0.75)  # a mean over questions
    assert board.all_words("rrf", 500) == 0.5
    assert board.all_words("rrf", 500, 2) == 1.0
    assert board.recall("rrf", 500) == pytest.approx(2 / 3)  # over evidence turns, not questions
    assert board.recall("rrf", 500, 1) == 0.5
    assert board.count("rrf", 500) == 2
    assert board.count("rrf", 500, 4) == 0
    assert board.all_words("engram", 500) == 1.0
    assert board.recall("engram", 500) == 0.0
    assert math.isnan(board.mean_coverage("rrf", 1500))
    assert math.isnan(board.all_words("rrf", 500, 4))
    assert math.isnan(board.recall("engram", 3000, 1))
