"""Pure parts of the LoCoMo retrieval bench: tokenisation, BM25, recall, evidence clean-up, sessions."""

from __future__ import annotations

import math

import pytest

from bench.baselines import Bm25, bm25_rankings, tokens, turn_text
from bench.locomo import Asked, Scoreboard, covered, hits, score, sessions, skipped_evidence
from bench.locomo_data import Question


def test_tokens_lowercase_words_and_stop_words() -> None:
    text = "When did Caroline's dog run 5K? I\u2019m proud!"
    assert tokens(text, drop_stop_words=False) == [
        "when", "did", "caroline", "s", "dog", "run", "5k", "i", "m", "proud"
    ]  # fmt: skip
    assert tokens(text) == ["caroline", "dog", "run", "5k", "proud"]


def test_turn_text_is_speaker_and_content() -> None:
    message = {"name": "Melanie", "content": "Look at this! [shared a photo of a pottery bowl]"}
    assert turn_text(message) == "Melanie: Look at this! [shared a photo of a pottery bowl]"


def test_bm25_scores_by_hand() -> None:
    documents = [["cat", "sat"], ["dog", "dog", "ran", "far"], ["cat"]]
    index = Bm25(documents)  # k1=1.5, b=0.75, average length 7/3
    idf_cat = math.log(1 + (3 - 2 + 0.5) / (2 + 0.5))
    idf_dog = math.log(1 + (3 - 1 + 0.5) / (1 + 0.5))

    def part(idf: float, tf: int, length: int) -> float:
        return idf * tf * 2.5 / (tf + 1.5 * (0.25 + 0.75 * length / (7 / 3)))

    expected = [part(idf_cat, 1, 2), part(idf_dog, 2, 4), part(idf_cat, 1, 1)]
    assert index.scores(["cat", "dog", "dog"]) == pytest.approx(expected)  # a query term counts once
    assert index.scores(["unknown"]) == [0.0, 0.0, 0.0]


def test_bm25_prefers_rare_terms_and_short_documents() -> None:
    index = Bm25([["cat", "sat", "mat"], ["cat"], ["dog", "cat"]])
    assert index.idf("dog") > index.idf("cat") > 0  # positive even for a term in every document
    assert index.top(["cat"], 3) == [1, 2, 0]  # the same term frequency: shorter first
    assert index.top(["dog"], 3) == [2]  # documents without a query term are not returned
    assert index.top(["cat"], 1) == [1]


def test_bm25_ties_keep_document_order() -> None:
    index = Bm25([["a", "x"], ["b", "y"], ["a", "y"]])
    assert index.top(["a"], 5) == [0, 2]


def test_bm25_rankings_return_dia_ids() -> None:
    turns = [
        ("D1:1", "Caroline: I went to the LGBTQ support group yesterday."),
        ("D1:2", "Melanie: That's great, I painted a sunrise last year."),
        ("D2:1", "Melanie: We went camping in the mountains."),
    ]
    ranked = bm25_rankings(turns, ["When did Melanie paint a sunrise?", "support group"], 2)
    assert ranked[0][0] == "D1:2"
    assert ranked[1] == ["D1:1"]


def test_hits_counts_evidence_among_the_first_k_results() -> None:
    ranked = [frozenset({"D1:3"}), frozenset(), frozenset({"D2:1", "D2:2"}), frozenset({"D5:1"})]
    assert hits(["D2:2", "D5:1", "D9:9"], ranked, 3) == 1
    assert hits(["D2:2", "D5:1", "D9:9"], ranked, 10) == 2
    assert hits(["D1:3"], [], 10) == 0
    assert covered(["D1:3", "D1:4"], {"D1:4", "D7:7"}) == 1


def test_score_over_evidence_turns_per_category() -> None:
    one = Asked("26", Question("Who?", 1, ("D1:1", "D1:2", "D1:3", "D1:4")))
    one.ranked["bm25"] = [frozenset({"D1:1"})] * 5 + [frozenset({"D1:2"})]
    one.context = frozenset({"D1:4"})
    two = Asked("26", Question("When?", 2, ("D3:1",)))
    two.ranked["bm25"] = [frozenset({"D3:1"})]
    two.context = frozenset()
    board = score([one, two], captured={"26": {"D1:1", "D1:2", "D3:1"}})
    assert board.recall("bm25@5", 1) == pytest.approx(1 / 4)
    assert board.recall("bm25@10", 1) == pytest.approx(2 / 4)
    assert board.recall("bm25@5", 2) == 1.0
    assert board.recall("bm25@5") == pytest.approx(2 / 5)  # over evidence turns, not a mean of questions
    assert board.recall("bm25@10") == pytest.approx(3 / 5)
    assert board.recall("context") == pytest.approx(1 / 5)
    assert board.recall("captured") == pytest.approx(3 / 5)
    assert math.isnan(board.recall("bm25@5", 3))
    assert math.isnan(board.recall("engram@10"))


def test_scoreboard_adds_up() -> None:
    board = Scoreboard()
    board.add("dense@10", 4, 1, 2)
    board.add("dense@10", 4, 2, 2)
    assert board.recall("dense@10", 4) == 0.75
    assert board.recall("dense@10") == 0.75


def test_skipped_evidence_counts_unknown_ids_and_unscored_questions() -> None:
    known = {"D1:18", "D1:20", "D8:6", "D9:17", "D11:26"}
    qa = [
        {"question": "favourite movie", "category": 4, "evidence": ["D1:18", "D", "D1:20"]},
        {"question": "painted", "category": 1, "evidence": ["D8:6; D9:17"]},
        {"question": "authors", "category": 1, "evidence": ["D:11:26", "D10:19"]},
        {"question": "ally?", "category": 3, "evidence": []},
        {"question": "unanswerable", "category": 5, "evidence": ["D99:1"]},
        {"question": "only a typo", "category": 2, "evidence": ["D10:19"]},
    ]
    skipped, unscored = skipped_evidence(qa, known)
    assert skipped == ["D", "D10:19", "D10:19"]
    assert unscored == 2  # "ally?" (none listed) and "only a typo"


def test_sessions_cut_messages_in_order() -> None:
    messages = [{"metadata": {"diaId": d}} for d in ("D1:1", "D1:2", "D2:1", "D10:1", "D10:2")]
    cut = sessions(messages)
    assert [name for name, _ in cut] == ["D1", "D2", "D10"]
    assert [len(m) for _, m in cut] == [2, 1, 2]
