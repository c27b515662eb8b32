"""Pure parts of the LoCoMo retrieval bench: tokenisation, BM25, recall, evidence clean-up, sessions,
answers and turns as loaded, the RRF blocks, the answer tally and dump; the memory audit's sampling,
labels and scores."""

from __future__ import annotations

import argparse
import json
import math
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from bench import audit
from bench.baselines import Bm25, bm25_rankings, tokens, turn_text
from bench.locomo import (
    Asked,
    Block,
    Scoreboard,
    budgets,
    covered,
    dump_rows,
    hits,
    indexed,
    rrf_blocks,
    score,
    sessions,
    skipped_evidence,
    tally,
)
from bench.locomo_data import Question, Turn, load


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


# --- answer coverage ----------------------------------------------------------------------------


def _conversation_file(tmp_path: Path) -> Path:
    raw = {
        "speaker_a": "Caroline",
        "speaker_b": "Melanie",
        "session_1_date_time": "1:56 pm on 8 May, 2023",
        "session_1": [
            {"speaker": "Caroline", "dia_id": "D1:1", "text": "I went to the LGBTQ support group yesterday."},
            {"speaker": "Melanie", "dia_id": "D1:2", "text": "Look!", "blip_caption": "a photo of a bowl"},
        ],
        "session_2_date_time": "8:00 am on 1 June, 2023",
        "session_2": [{"speaker": "Melanie", "dia_id": "D2:1", "text": "We ran a 5K for charity in 2022."}],
        "session_3_date_time": "9:00 am on 2 June, 2023",  # a date without turns
        "qa": [
            {
                "question": "When did Caroline go?",
                "answer": "7 May 2023",
                "evidence": ["D1:1"],
                "category": 2,
            },
            {"question": "When was the 5K?", "answer": 2022, "evidence": ["D2:1"], "category": 4},
            {"question": "Is she an ally?", "answer": "Yes", "evidence": [], "category": 3},
            {"question": "What did Mel make?", "answer": "a bowl", "evidence": ["D9:9"], "category": 1},
            {"question": "Unanswerable?", "evidence": ["D1:2"], "category": 5},
        ],
    }
    path = tmp_path / "99.json"
    path.write_text(json.dumps(raw))
    return path


def test_load_keeps_answers_and_raw_turns(tmp_path: Path) -> None:
    conversation = load(_conversation_file(tmp_path))
    assert [(q.text, q.answer, q.evidence) for q in conversation.questions] == [
        ("When did Caroline go?", "7 May 2023", ("D1:1",)),
        ("When was the 5K?", "2022", ("D2:1",)),  # an int answer becomes text
        ("What did Mel make?", "a bowl", ()),  # categories 1, 2, 4: kept for its answer alone
    ]
    assert conversation.turns == [
        Turn(
            "D1:1", "1:56 pm on 8 May, 2023", "Caroline", "I went to the LGBTQ support group yesterday.", None
        ),
        Turn("D1:2", "1:56 pm on 8 May, 2023", "Melanie", "Look!", "a photo of a bowl"),
        Turn("D2:1", "8:00 am on 1 June, 2023", "Melanie", "We ran a 5K for charity in 2022.", None),
    ]
    assert [t.dia_id for t in conversation.turns] == [m["metadata"]["diaId"] for m in conversation.messages]


def test_asked_words_only_for_measured_categories() -> None:
    assert Asked("26", Question("When?", 2, ("D1:1",), "7 May 2023")).words == ("7", "may", "2023")
    assert Asked("26", Question("Why?", 3, ("D1:1",), "because she likes it")).words == ()
    assert Asked("26", Question("Is it?", 4, ("D1:1",), "Yes")).words == ()
    assert Asked("26", Question("Who?", 1, ("D1:1",))).words == ()  # no gold answer


def test_rrf_blocks_pack_the_fused_lines(tmp_path: Path) -> None:
    conversation = load(_conversation_file(tmp_path))
    asked = [Asked(conversation.name, q) for q in conversation.questions]
    turns = indexed(conversation, "turn")
    assert turns[1] == ("D1:2", "Melanie: Look! [shared a photo of a bowl]")
    assert indexed(conversation, "line")[1] == (
        "D1:2",
        "(1:56 pm on 8 May, 2023) Melanie: Look! [a photo of a bowl]",
    )
    bm25 = bm25_rankings(turns, [a.question.text for a in asked], len(turns))
    assert bm25[1] == ["D2:1"]  # "When was the 5K?": BM25 ranks only the turns with a query word
    # Dense ranks in reverse turn order: the fusion then puts BM25's best first (it is first seen).
    dense = [[d for d, _ in reversed(turns)] for _ in asked]
    rrf_blocks(conversation, asked, list(zip(bm25, dense, strict=True)), (30, 1500))
    block = asked[1].blocks["rrf"][1500]
    assert block.text.split("\n") == [
        "(8:00 am on 1 June, 2023) Melanie: We ran a 5K for charity in 2022.",
        "(1:56 pm on 8 May, 2023) Melanie: Look! [a photo of a bowl]",
        "(1:56 pm on 8 May, 2023) Caroline: I went to the LGBTQ support group yesterday.",
    ]
    assert block.sources == {"D2:1", "D1:2", "D1:1"}
    small = asked[1].blocks["rrf"][30]
    assert small.text == "(8:00 am on 1 June, 2023) Melanie: We ran a 5K for charity in 2022."
    assert small.sources == {"D2:1"}
    board = tally(asked)
    assert board.all_words("rrf", 30, 4) == 1.0
    assert board.mean_coverage("rrf", 30, 2) == pytest.approx(2 / 3)  # "may", "2023" (its date), not "7"
    assert board.recall("rrf", 1500) == 1.0


def test_tally_and_dump_rows() -> None:
    one = Asked("26", Question("When did she go?", 2, ("D1:1", "D1:2"), "7 May 2023"))
    one.blocks["engram"] = {1500: Block("Caroline went on 7 May 2023.", frozenset({"D1:1"}))}
    one.blocks["rrf"] = {1500: Block("(8 May, 2023) Caroline: yesterday", frozenset({"D1:1", "D1:2"}))}
    other = Asked("26", Question("Why?", 3, ("D1:1",), "no reason"))
    board = tally([one, other])
    assert board.mean_coverage("engram", 1500) == 1.0
    assert board.mean_coverage("rrf", 1500) == pytest.approx(2 / 3)
    assert board.all_words("rrf", 1500) == 0.0
    assert board.recall("engram", 1500) == 0.5
    assert board.recall("rrf", 1500) == 1.0
    assert list(dump_rows([one, other])) == [
        {
            "conversation": "26",
            "question": "When did she go?",
            "answer": "7 May 2023",
            "category": 2,
            "answerWords": ["7", "may", "2023"],
            "evidence": ["D1:1", "D1:2"],
            "budget": 1500,
            "missing": {"engram": [], "rrf": ["7"]},
            "engramBlock": "Caroline went on 7 May 2023.",
        }
    ]
    one.blocks.pop("engram")  # --baselines-only
    assert next(dump_rows([one]))["missing"] == {"engram": None, "rrf": ["7"]}


def test_budgets_option() -> None:
    assert budgets("500,1500,3000") == (500, 1500, 3000)
    assert budgets("3000, 500") == (500, 1500, 3000)  # the last line's budget is always measured
    with pytest.raises(argparse.ArgumentTypeError):
        budgets("500,lots")
    with pytest.raises(argparse.ArgumentTypeError):
        budgets("0")


# --- the memory audit ---------------------------------------------------------------------------


def test_quotas_spread_evenly_and_fill_from_bigger_pools() -> None:
    assert audit.quotas({"b": 100, "a": 100, "c": 100}, 200) == {"a": 67, "b": 67, "c": 66}
    assert audit.quotas({"a": 3, "b": 100}, 10) == {"a": 3, "b": 7}  # a small pool gives all it has
    assert audit.quotas({"a": 3, "b": 4}, 10) == {"a": 3, "b": 4}  # fewer than asked: everything
    assert audit.quotas({}, 10) == {}


def test_sample_is_deterministic_and_independent_of_input_order() -> None:
    pools = {"u1": [f"m{i:03}" for i in range(50)], "u2": [f"n{i:03}" for i in range(30)]}
    first = audit.sample(pools, 20, seed=1, key=str)
    assert first == audit.sample(pools, 20, seed=1, key=str)
    shuffled = {name: list(reversed(items)) for name, items in reversed(list(pools.items()))}
    assert audit.sample(shuffled, 20, seed=1, key=str) == first
    assert audit.sample(pools, 20, seed=2, key=str) != first
    assert Counter(name for name, _ in first) == {"u1": 10, "u2": 10}
    assert len({item for _, item in first}) == 20  # without replacement
    assert [name for name, _ in first] != sorted(name for name, _ in first)  # users mixed


def _labelled(*labels: tuple[str | None, str | None]) -> list[dict[str, Any]]:
    source = {"speaker": "Evan", "date": "8 May 2023, 13:56", "text": "I love it!"}
    return [
        {
            **audit.row(n, f"mem_{n}", "bench-locomo-26", f"Memory {n}.", [source]),
            "label": label,
            "reason": reason,
        }
        for n, (label, reason) in enumerate(labels, start=1)
    ]


def test_score_shares_reasons_and_examples() -> None:
    rows = _labelled(
        *[("GOOD", None)] * 6, ("weak", None), ("BAD", "pronoun"), ("BAD", "deixis"), ("bad", "Second_Person")
    )
    s = audit.score(rows)
    assert (s.total, s.share("GOOD"), s.share("WEAK"), s.share("BAD")) == (10, 0.6, 0.1, 0.3)
    assert s.reasons == {"pronoun": 2, "second-person": 1}
    assert [r["n"] for r in s.examples["GOOD"]] == [1, 2, 3]  # three of each, the first ones
    assert [r["n"] for r in s.examples["pronoun"]] == [8, 9]
    assert [r["n"] for r in s.examples["BAD"]] == [8, 9, 10]
    assert not s.passed  # BAD 30 %


def test_score_targets_are_inclusive() -> None:
    assert audit.score(_labelled(*[("GOOD", None)] * 12, *[("WEAK", None)] * 7, ("BAD", "filler"))).passed
    assert not audit.score(_labelled(*[("GOOD", None)] * 11, *[("WEAK", None)] * 9)).passed  # GOOD 55 %


def test_score_refuses_unlabelled_and_off_rubric_rows() -> None:
    with pytest.raises(audit.LabelError, match="1 of 2 items not labelled: 2"):
        audit.score(_labelled(("GOOD", None), (None, None)))
    with pytest.raises(audit.LabelError, match="none of GOOD"):
        audit.score(_labelled(("OK", None)))
    with pytest.raises(audit.LabelError, match="BAD needs a reason"):
        audit.score(_labelled(("BAD", None)))
    with pytest.raises(audit.LabelError, match="BAD needs a reason"):
        audit.score(_labelled(("BAD", "boring")))


def test_merge_labels_by_item_number() -> None:
    rows = _labelled((None, None), (None, None), (None, None))
    merged = audit.merge_labels(
        rows, [{"n": 3, "label": "BAD", "reason": "filler"}, {"n": 1, "label": "GOOD"}]
    )
    assert [(r["n"], r["label"], r["reason"]) for r in merged] == [
        (1, "GOOD", None), (2, None, None), (3, "BAD", "filler")
    ]  # fmt: skip
    assert rows[0]["label"] is None  # the drawn rows are left as they were
    assert merged[0]["memory"] == "Memory 1."
    with pytest.raises(audit.LabelError, match="not drawn"):
        audit.merge_labels(rows, [{"n": 4, "label": "GOOD"}])
    with pytest.raises(audit.LabelError, match="twice"):
        audit.merge_labels(rows, [{"n": 1, "label": "GOOD"}, {"n": 1, "label": "BAD"}])


def test_markdown_shows_rubric_items_and_sources_only() -> None:
    rows = _labelled((None, None), (None, None))
    text = audit.markdown(rows)
    for shown in ("**WEAK**", "`second-person`", "## 2", "**Statement:** Memory 2."):
        assert shown in text
    assert "> **Evan** (8 May 2023, 13:56): I love it!" in text
    for hidden in ("mem_", "bench-locomo", "engram", "Engram"):  # no ids, nothing of the system
        assert hidden not in text


def test_source_dates_are_readable() -> None:
    assert audit.source("Evan", "2023-05-08T13:56:03Z", "Hi")["date"] == "8 May 2023, 13:56"
    assert audit.source(None, None, "Hi") == {"speaker": "", "date": "", "text": "Hi"}


def test_score_command_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    drawn = tmp_path / "audit.jsonl"
    drawn.write_text("".join(json.dumps(r) + "\n" for r in _labelled((None, None), (None, None))))
    assert audit.main(["score", str(drawn)]) == 2  # unlabelled
    labels = tmp_path / "labels.jsonl"
    labels.write_text(
        '{"n": 1, "label": "GOOD", "reason": null}\n{"n": 2, "label": "GOOD", "reason": null}\n'
    )
    assert audit.main(["score", str(drawn), "--labels", str(labels)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "audit good=1.000 weak=0.000 bad=0.000 PASS"
    labels.write_text('{"n": 1, "label": "GOOD"}\n{"n": 2, "label": "BAD", "reason": "garbled"}\n')
    assert audit.main(["score", str(drawn), "--labels", str(labels)]) == 1
    assert capsys.readouterr().out.splitlines()[-1] == "audit good=0.500 weak=0.000 bad=0.500 FAIL"


def test_write_draw_writes_jsonl_and_markdown(tmp_path: Path) -> None:
    rows = _labelled((None, None))
    md = audit.write_draw(tmp_path / "sub" / "draw.jsonl", rows)
    assert md == tmp_path / "sub" / "draw.md"
    assert [json.loads(line) for line in (tmp_path / "sub" / "draw.jsonl").read_text().splitlines()] == rows
    assert "Memory 1." in md.read_text()
