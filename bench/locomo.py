"""Retrieval quality on LoCoMo: Engram's memory search and context block against BM25 and dense baselines.

`python -m bench.locomo [DATA_DIR]` (default: locomo-dev) loads each conversation of DATA_DIR through
the API: one user per conversation (externalId `bench-locomo-<file stem>`), one thread per session,
every turn a `user` message named after its speaker and dated at its session's time (plus one second
per turn, to keep the order; `app.seed.locomo_messages`). It waits for ingestion (progress on
stderr), then for every question of categories 1-4 calls `POST /v1/users/{id}/memories/search`
`{"query": question, "limit": 10}` and `GET /v1/users/{id}/context?query=<question>&maxTokens=1500`.

Figures, overall and per category, over (question, evidence turn) pairs (a turn cited by two
questions counts twice):
- engram@5 / @10: share of evidence turns that are a source (`sourceMessageIds`) of one of the
  first 5 / 10 memories found by search;
- context: share of evidence turns that are a source of a memory placed in the context block (its
  `memories`, each read once per run with `GET /v1/memories/{id}`);
- captured: share of evidence turns that are a source of any memory of the user: the ceiling of the
  two figures above, set by extraction;
- bm25 / dense @5 / @10: the same over the conversation's raw turns, ranked by Okapi BM25 and by
  cosine of all-MiniLM-L6-v2 vectors (`bench.baselines`); a returned turn is its own source.

Evidence ids that are no turn of their conversation (typos in the dataset) are skipped and counted.
These figures are reported, not targets: memories are only the facts worth keeping (about one chat
turn in four makes one), so memory search alone cannot find most evidence turns; the context block
finds them through the messages themselves, and the targets below measure it. The users are kept so
that `--reuse` can query them again without loading them (`--delete` removes them at the end).

Answer coverage (`bench.coverage`), for the questions of categories 1, 2 and 4 whose gold answer has
content words (its [a-z0-9] runs minus NLTK's English stop words and yes/no), at each budget B of
`--budgets` (500, 1500, 3000; 1500 always):
- engram: the block of `GET /v1/users/{id}/context?query=<question>&maxTokens=B`;
- rrf: the conversation's raw turns as lines `(<session date>) <Speaker>: <text> [<photo caption>]`,
  ranked by reciprocal-rank fusion (k = 60) of BM25 and dense cosine over those lines, packed in
  rank order until the next line would take the block ("\n"-joined) past B cl100k_base tokens;
- words: mean share of answer words present in the block; all-words: share of questions with every
  answer word present; evidence: share of evidence turns that are a source of the block (engram: the
  sources of its `memories` plus the messages it quotes, `messages`; rrf: the packed turns).
Targets at 500 and 1500: all-words engram >= rrf + 0.05, words engram >= rrf + 0.03, evidence
engram >= rrf + 0.10, else the exit code is 1. `--dump PATH` writes one JSON line per measured
question (answer words, the words each system missed at 1500, engram's block at 1500). The last line:
`locomo answers@1500 engram=<words> rrf=<words> all-words engram=<share> rrf=<share>`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import re
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from bench import baselines, coverage
from bench.common import BenchError, api_key, call, parser, percentile, run_bench, table
from bench.ingest import (
    Posted,
    append_turns,
    create_user,
    jobs_succeeded,
    load_captured,
    pages,
    show,
    wait_for_jobs,
)
from bench.locomo_data import ADVERSARIAL, LOCOMO_DIR, Conversation, Question, evidence_ids, load_all

CATEGORIES = {1: "multi-hop", 2: "temporal", 3: "open-domain", 4: "single-hop"}
DEPTHS = (5, 10)
SEARCH_LIMIT = 10
CONTEXT_TOKENS = 1500
SYSTEMS = ("engram", "bm25", "dense")
EXTERNAL_ID = "bench-locomo-{}"
ANSWER_BUDGET = CONTEXT_TOKENS  # the budget of the last line (always measured)
TARGET_BUDGETS = (500, 1500)  # the answer targets hold at these budgets
ALL_WORDS_MARGIN = 0.05  # all-words engram >= rrf + this
WORDS_MARGIN = 0.03  # answer-word coverage engram >= rrf + this
EVIDENCE_MARGIN = 0.10  # evidence recall of the block engram >= rrf + this


# --- the data ---------------------------------------------------------------------------------


def session_of(dia_id: str) -> str:
    """ "D3:5" -> "D3": LoCoMo numbers a turn by its session (checked: every turn of session_N is DN:*)."""
    return dia_id.split(":", 1)[0]


def sessions(messages: Sequence[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """The conversation's messages cut into its sessions, in order: [("D1", [...]), ("D2", [...]), ...]."""
    cut: list[tuple[str, list[dict[str, Any]]]] = []
    for message in messages:
        session = session_of(message["metadata"]["diaId"])
        if not cut or cut[-1][0] != session:
            cut.append((session, []))
        cut[-1][1].append(message)
    return cut


def skipped_evidence(qa: Iterable[dict[str, Any]], known: set[str]) -> tuple[list[str], int]:
    """Evidence entries of questions 1-4 that name no turn of the conversation, and how many questions
    are left without any evidence (those are not scored). "D8:6; D9:17" is two good ids, "D:11:26" is
    mended to D11:26 (`bench.locomo_data.evidence_ids`); "D" and "D10:19" of a 17-turn session are skipped.
    """
    skipped: list[str] = []
    empty = 0
    for q in qa:
        if q["category"] == ADVERSARIAL:
            continue
        raw = q.get("evidence", [])
        skipped += [
            item
            for entry in raw
            for item in re.split(r"[;,\s]+", entry)
            if item and not evidence_ids([item], known)
        ]
        empty += not evidence_ids(raw, known)
    return skipped, empty


# --- scoring (pure) ---------------------------------------------------------------------------


def hits(evidence: Sequence[str], ranked: Sequence[Iterable[str]], k: int) -> int:
    """How many evidence turns are a source of one of the first k results (each result: its sources)."""
    found = {source for result in ranked[:k] for source in result}
    return sum(e in found for e in evidence)


def covered(evidence: Sequence[str], sources: Iterable[str]) -> int:
    found = set(sources)
    return sum(e in found for e in evidence)


@dataclass(frozen=True, slots=True)
class Block:
    """A context block at one budget: its text and the dia_ids it stands on."""

    text: str
    sources: frozenset[str]


@dataclass(slots=True)
class Asked:
    """One question and what each system returned for it, as dia_ids."""

    conversation: str
    question: Question
    ranked: dict[str, list[frozenset[str]]] = field(default_factory=dict)  # system -> results' sources
    context: frozenset[str] | None = None  # sources of the context block at CONTEXT_TOKENS
    blocks: dict[str, dict[int, Block]] = field(default_factory=dict)  # system -> budget -> block

    @property
    def words(self) -> tuple[str, ...]:
        """The answer words, for the categories whose answers are measured; () if not measured."""
        if self.question.category not in coverage.CATEGORIES:
            return ()
        return coverage.answer_words(self.question.answer)


@dataclass(slots=True)
class Scoreboard:
    """Evidence turns found and cited, per metric and category."""

    found: dict[str, Counter[int]] = field(default_factory=dict)
    cited: dict[str, Counter[int]] = field(default_factory=dict)

    def add(self, metric: str, category: int, found: int, cited: int) -> None:
        self.found.setdefault(metric, Counter())[category] += found
        self.cited.setdefault(metric, Counter())[category] += cited

    def recall(self, metric: str, category: int | None = None) -> float:
        found, cited = self.found.get(metric, Counter()), self.cited.get(metric, Counter())
        if category is None:
            return sum(found.values()) / cited.total() if cited.total() else math.nan
        return found[category] / cited[category] if cited[category] else math.nan


def score(asked: Iterable[Asked], captured: dict[str, set[str]] | None = None) -> Scoreboard:
    """Recall of every system at every depth, the context's and (given each conversation's captured
    dia_ids) the extraction ceiling's."""
    board = Scoreboard()
    for a in asked:
        evidence, category = a.question.evidence, a.question.category
        for system, ranked in a.ranked.items():
            for k in DEPTHS:
                board.add(f"{system}@{k}", category, hits(evidence, ranked, k), len(evidence))
        if a.context is not None:
            board.add("context", category, covered(evidence, a.context), len(evidence))
        if captured is not None:
            board.add("captured", category, covered(evidence, captured[a.conversation]), len(evidence))
    return board


def tally(asked: Iterable[Asked]) -> coverage.Tally:
    """Answer coverage and evidence recall of every block of every measured question."""
    board = coverage.Tally()
    for a in asked:
        for system, blocks in a.blocks.items():
            for budget, block in blocks.items():
                board.add(
                    system,
                    budget,
                    a.question.category,
                    a.words,
                    block.text,
                    a.question.evidence,
                    block.sources,
                )
    return board


def dump_rows(asked: Iterable[Asked], budget: int = ANSWER_BUDGET) -> Iterator[dict[str, Any]]:
    """One row per measured question: what each system's block at `budget` missed, engram's block."""
    for a in asked:
        if not a.words:
            continue
        blocks = {system: by_budget.get(budget) for system, by_budget in a.blocks.items()}
        engram = blocks.get("engram")
        yield {
            "conversation": a.conversation,
            "question": a.question.text,
            "answer": a.question.answer,
            "category": a.question.category,
            "answerWords": list(a.words),
            "evidence": list(a.question.evidence),
            "budget": budget,
            "missing": {
                system: None if block is None else coverage.missing(a.words, block.text)
                for system, block in (("engram", engram), ("rrf", blocks.get("rrf")))
            },
            "engramBlock": None if engram is None else engram.text,
        }


# --- the baselines ----------------------------------------------------------------------------


def rrf_blocks(
    conversation: Conversation,
    asked: Sequence[Asked],
    rankings: Sequence[tuple[Sequence[str], Sequence[str]]],
    budgets: Sequence[int],
) -> None:
    """The plain-retrieval block of every measured question at every budget: its turns, ranked by RRF
    of its BM25 and dense rankings (`rankings`, one pair per question of `asked`, every turn ranked),
    as lines `(<session date>) <Speaker>: <text> [<caption>]` packed into the budget."""
    lines = {t.dia_id: coverage.turn_line(t.date, t.speaker, t.text, t.caption) for t in conversation.turns}
    for a, (by_words, by_meaning) in zip(asked, rankings, strict=True):
        if not a.words:
            continue
        order = coverage.rrf([by_words, by_meaning])
        ranked = [lines[d] for d in order]
        for budget in sorted(budgets, reverse=True):  # a smaller budget packs a prefix of a larger one
            packed = coverage.pack(ranked, budget)
            ranked = ranked[: len(packed) + 1]
            a.blocks.setdefault("rrf", {})[budget] = Block("\n".join(packed), frozenset(order[: len(packed)]))


def indexed(conversation: Conversation, text: str) -> list[tuple[str, str]]:
    """(dia_id, text) of each turn as the rankers index it: `turn` is what Engram is given ("Speaker:
    text [shared caption]", `baselines.turn_text`), `line` the dated line the rrf block shows."""
    if text == "line":
        return [
            (t.dia_id, coverage.turn_line(t.date, t.speaker, t.text, t.caption)) for t in conversation.turns
        ]
    return [(m["metadata"]["diaId"], baselines.turn_text(m)) for m in conversation.messages]


def run_baselines(
    conversations: Sequence[Conversation], asked: dict[str, list[Asked]], args: argparse.Namespace
) -> dict[str, float]:
    """BM25 and dense rankings of every question among its conversation's turns (their first 10 for
    recall@k, all of them fused for the rrf blocks); returns timings (s)."""
    timings: dict[str, float] = {}
    drop = args.bm25_stop_words == "drop"
    full: dict[str, dict[str, list[list[str]]]] = {"bm25": {}, "dense": {}}  # ranker -> conversation -> ...
    began = time.monotonic()
    for c in conversations:
        turns = indexed(c, "turn")
        ranked = baselines.bm25_rankings(
            turns, [q.text for q in c.questions], len(turns), drop_stop_words=drop
        )
        full["bm25"][c.name] = ranked
        for a, ids in zip(asked[c.name], ranked, strict=True):
            a.ranked["bm25"] = [frozenset([d]) for d in ids[:SEARCH_LIMIT]]
    timings["bm25 (index + rank)"] = time.monotonic() - began

    began = time.monotonic()
    baselines.load_dense_model(args.threads)
    timings["dense model load"] = time.monotonic() - began
    began = time.monotonic()
    for c in conversations:
        turns = indexed(c, "turn")
        ranked = baselines.dense_rankings(turns, [q.text for q in c.questions], len(turns))
        full["dense"][c.name] = ranked
        for a, ids in zip(asked[c.name], ranked, strict=True):
            a.ranked["dense"] = [frozenset([d]) for d in ids[:SEARCH_LIMIT]]
    timings[f"dense (embed {sum(len(c.messages) for c in conversations)} turns + rank)"] = (
        time.monotonic() - began
    )

    began = time.monotonic()
    for c in conversations:
        if args.rrf_index == "line":  # rank again, over the dated lines
            turns = indexed(c, "line")
            questions = [q.text for q in c.questions]
            full["bm25"][c.name] = baselines.bm25_rankings(turns, questions, len(turns), drop_stop_words=drop)
            full["dense"][c.name] = baselines.dense_rankings(turns, questions, len(turns))
        rankings = list(zip(full["bm25"][c.name], full["dense"][c.name], strict=True))
        rrf_blocks(c, asked[c.name], rankings, args.budgets)
    timings[f"rrf blocks (fuse, pack{', rank the lines' if args.rrf_index == 'line' else ''})"] = (
        time.monotonic() - began
    )
    return timings


# --- loading through the API ------------------------------------------------------------------


async def find_user(client: httpx.AsyncClient, external_id: str) -> dict[str, Any] | None:
    response = await client.get(f"/v1/users/external/{external_id}")
    if response.status_code == 404:
        return None
    if not response.is_success:
        await call(client, "GET", f"/v1/users/external/{external_id}")  # raises the problem as a BenchError
    user: dict[str, Any] = response.json()
    return user


async def replayed(client: httpx.AsyncClient, conversation: Conversation, user_id: str) -> Posted | None:
    """A loaded user's message -> dia_id map from its threads; None unless every turn is there once."""
    posted = Posted(conversation, user_id)
    for thread in await pages(client, f"/v1/users/{user_id}/threads", "threads"):
        for message in await pages(client, f"/v1/threads/{thread['id']}/messages", "messages"):
            dia_id = (message.get("metadata") or {}).get("diaId")
            if dia_id:
                posted.dia_by_message[message["id"]] = dia_id
    if sorted(posted.dia_by_message.values()) != sorted(
        m["metadata"]["diaId"] for m in conversation.messages
    ):
        return None
    posted.job_ids = [j["id"] for j in await pages(client, f"/v1/users/{user_id}/jobs", "jobs")]
    return posted


_DELETING = asyncio.Lock()


async def load_conversation(
    client: httpx.AsyncClient, conversation: Conversation, reuse: bool, reused: set[str]
) -> Posted:
    """The conversation's user: reused when asked and complete, else (re)created and loaded by session."""
    external_id = EXTERNAL_ID.format(conversation.name)
    existing = await find_user(client, external_id)
    if existing is not None:
        if reuse and (posted := await replayed(client, conversation, existing["id"])) is not None:
            reused.add(conversation.name)
            return posted
        why = "incomplete" if reuse else "exists (--reuse would keep it)"
        show(f"{external_id} ({existing['id']}) {why}: deleting it and loading again")
        async with _DELETING:  # large deletes at once conflict on the local graph server's pages
            await call(client, "DELETE", f"/v1/users/{existing['id']}")
    user = await create_user(client, conversation, external_id, "locomo")
    posted = Posted(conversation, user["id"])
    for session, messages in sessions(conversation.messages):
        thread = await call(
            client,
            "POST",
            f"/v1/users/{posted.user_id}/threads",
            json={"name": f"LoCoMo {conversation.name} session {session[1:]}"},
        )
        await append_turns(client, posted, thread["id"], messages)
    return posted


# --- asking Engram ----------------------------------------------------------------------------


async def check_routes(client: httpx.AsyncClient, user_id: str) -> None:
    """Search and context answer for an existing user: else stop before waiting for ingestion."""
    user = f"/v1/users/{user_id}"
    for method, path, kwargs in (
        ("POST", f"{user}/memories/search", {"json": {"query": "hello", "limit": 1}}),
        ("GET", f"{user}/context", {"params": {"query": "hello", "maxTokens": 100}}),
    ):
        response = await client.request(method, path, **kwargs)
        if response.status_code == 404:  # the user exists (it was just loaded): the route does not
            raise BenchError(
                f"{method} {path} -> 404: not served by this build (--baselines-only needs no service)"
            )
        if not response.is_success:
            await call(client, method, path, **kwargs)  # raises the problem as a BenchError


@dataclass(slots=True)
class Latencies:
    search: list[float] = field(default_factory=list)
    context: list[float] = field(default_factory=list)
    memory_reads: int = 0


async def ask_engram(
    client: httpx.AsyncClient,
    posted: Sequence[Posted],
    asked: dict[str, list[Asked]],
    concurrency: int,
    budgets_measured: Sequence[int] = coverage.BUDGETS,
) -> Latencies:
    """Search and context for every question, `concurrency` questions at a time; fills `Asked`.
    A question whose answer is measured gets a context block at each budget, the others at 1500.

    A question holds its slot until the memories of its block are read; the reads have slots of
    their own (else they would queue behind every question still waiting for a slot).
    """
    gate = asyncio.Semaphore(concurrency)
    reads = asyncio.Semaphore(concurrency)
    latencies = Latencies()
    sources: dict[str, asyncio.Task[list[str]]] = {}  # memory id -> its source message ids, once per run
    total = sum(len(v) for v in asked.values())
    done = 0
    began = time.monotonic()
    shown_at = 0.0

    async def read_sources(memory_id: str) -> list[str]:
        async with reads:
            response = await client.get(f"/v1/memories/{memory_id}")
        latencies.memory_reads += 1
        if response.status_code == 404:  # deleted since the block was built: no sources
            return []
        if not response.is_success:
            await call(client, "GET", f"/v1/memories/{memory_id}")  # raises the problem as a BenchError
        return list(response.json().get("sourceMessageIds", []))

    async def timed(into: list[float], method: str, path: str, **kwargs: Any) -> Any:
        started = time.monotonic()
        answer = await call(client, method, path, **kwargs)
        into.append((time.monotonic() - started) * 1000)
        return answer

    def sources_of(memory_id: str) -> asyncio.Task[list[str]]:
        if memory_id not in sources:
            sources[memory_id] = asyncio.create_task(read_sources(memory_id))
        return sources[memory_id]

    async def block_at(p: Posted, question: str, budget: int) -> Block:
        """The context block at one budget and the dia_ids it stands on: the sources of its memories
        and the messages it quotes (`messages`, absent from older builds)."""
        context = {"query": question, "maxTokens": budget}
        path = f"/v1/users/{p.user_id}/context"
        if budget == CONTEXT_TOKENS:  # the latency figure stays the one of the 1500-token block
            block = await timed(latencies.context, "GET", path, params=context)
        else:
            block = await call(client, "GET", path, params=context)
        sources = await asyncio.gather(*(sources_of(m) for m in block["memories"]))
        quoted = [m["id"] if isinstance(m, dict) else m for m in block.get("messages") or []]
        ids = [m for found in sources for m in found] + quoted
        return Block(block["context"], frozenset(p.dia_by_message[m] for m in ids if m in p.dia_by_message))

    async def ask(p: Posted, a: Asked) -> None:
        nonlocal done, shown_at
        user = f"/v1/users/{p.user_id}"
        async with gate:
            search = {"query": a.question.text, "limit": SEARCH_LIMIT}
            found = await timed(latencies.search, "POST", f"{user}/memories/search", json=search)
            budgets = sorted({CONTEXT_TOKENS, *(budgets_measured if a.words else ())})
            blocks = {b: await block_at(p, a.question.text, b) for b in budgets}
        a.ranked["engram"] = [
            frozenset(p.dia_by_message[m] for m in r["memory"]["sourceMessageIds"] if m in p.dia_by_message)
            for r in found["results"]
        ]
        a.context = blocks[CONTEXT_TOKENS].sources
        if a.words:
            a.blocks["engram"] = blocks
        done += 1
        elapsed = time.monotonic() - began
        if done == total or sys.stderr.isatty() or elapsed - shown_at >= 10:
            shown_at = elapsed
            show(f"{done}/{total} questions asked, {elapsed:.0f} s", final=done == total)

    await asyncio.gather(*(ask(p, a) for p in posted for a in asked[p.conversation.name]))
    return latencies


# --- the report -------------------------------------------------------------------------------


def category_table(board: Scoreboard, asked: Sequence[Asked], metrics: Sequence[str]) -> None:
    """Rows: categories 1-4 and all; columns: questions / evidence turns, then each metric's recall."""
    questions = Counter(a.question.category for a in asked)
    evidence = Counter[int]()
    for a in asked:
        evidence[a.question.category] += len(a.question.evidence)
    rows = [(f"{c} {name}", f"{questions[c]}/{evidence[c]}", c) for c, name in CATEGORIES.items()]
    rows.append(("all", f"{questions.total()}/{evidence.total()}", None))
    width = max(len(m) for m in metrics) + 1
    print("\nrecall of evidence turns, per category (n = questions/evidence turns)")
    print(f"  {'category':<14}  {'n':>9}" + "".join(f"{m:>{width + 1}}" for m in metrics))
    for label, n, category in rows:
        values = "".join(f"{board.recall(m, category):>{width + 1}.3f}" for m in metrics)
        print(f"  {label:<14}  {n:>9}{values}")


def report(
    board: Scoreboard,
    asked: Sequence[Asked],
    engram: bool,
    timings: dict[str, float],
    latencies: Latencies | None,
) -> bool:
    """The tables and the last line; True when the target is met (or not measured: baselines only)."""
    metrics = [f"{s}@{k}" for s in SYSTEMS if engram or s != "engram" for k in DEPTHS]
    if engram:
        metrics[2:2] = ["context", "captured"]
    category_table(board, asked, metrics)

    figures = {s: board.recall(f"{s}@10") for s in SYSTEMS}
    rows: list[tuple[str, str, str, bool | None]] = [
        (f"{m} recall", f"{board.recall(m):.3f}", "", None) for m in metrics
    ]
    for phase, seconds in timings.items():
        rows.append((f"time: {phase} (s)", f"{seconds:.1f}", "", None))
    if latencies is not None:
        for name, values in (("search", latencies.search), ("context", latencies.context)):
            rows.append(
                (
                    f"{name} latency p50 / p99 (ms)",
                    f"{percentile(values, 50):.0f} / {percentile(values, 99):.0f}",
                    "",
                    None,
                )
            )
        rows.append(("memories read for context", f"{latencies.memory_reads}", "", None))
        # A baseline returns 10 turns; 10 memories can stand on more (a fact said twice has two sources).
        behind = [len(frozenset().union(*a.ranked.get("engram", [])[:10])) for a in asked] or [0]
        in_block = [len(a.context or ()) for a in asked] or [0]
        rows.append(
            ("source turns behind engram's top 10 (mean)", f"{sum(behind) / len(behind):.1f}", "", None)
        )
        rows.append(
            ("source turns behind the context (mean)", f"{sum(in_block) / len(in_block):.1f}", "", None)
        )
    ok = table(
        f"locomo bench: {len({a.conversation for a in asked})} conversations, {len(asked)} questions", rows
    )
    print("locomo recall@10 " + " ".join(f"{s}={figures[s]:.3f}" for s in SYSTEMS))
    return ok


def answer_table(board: coverage.Tally, budgets: Sequence[int]) -> None:
    """Rows: each budget x categories 1, 2, 4 and all; columns: engram vs rrf for each figure."""
    print(
        "\nanswer coverage of the context block, engram vs rrf (n = questions with answer words; words:"
        " mean share present; all-words: share with every word present; evidence: recall of turns)"
    )
    print(
        f"  {'':>6}  {'':<12}  {'':>4}"
        + "".join(f"  {name:^13}" for name in ("words", "all-words", "evidence"))
    )
    print(f"  {'budget':>6}  {'category':<12}  {'n':>4}" + f"  {'engram':>6} {'rrf':>6}" * 3)
    rows = [(c, f"{c} {name}") for c, name in coverage.CATEGORIES.items()] + [(None, "all")]
    for budget in budgets:
        for category, label in rows:
            figures = "".join(
                f"  {figure('engram', budget, category):>6.3f} {figure('rrf', budget, category):>6.3f}"
                for figure in (board.mean_coverage, board.all_words, board.recall)
            )
            n = max(board.count("rrf", budget, category), board.count("engram", budget, category))
            print(f"  {budget:>6}  {label:<12}  {n:>4}{figures}")


def answer_report(board: coverage.Tally, budgets: Sequence[int], engram: bool) -> bool:
    """The coverage table, the targets at 500 and 1500 (not judged without engram) and the last line."""
    answer_table(board, budgets)
    rows: list[tuple[str, str, str, bool | None]] = []
    for budget in (b for b in TARGET_BUDGETS if b in budgets):
        for name, figure, margin in (
            ("all-words", board.all_words, ALL_WORDS_MARGIN),
            ("answer words", board.mean_coverage, WORDS_MARGIN),
            ("evidence recall", board.recall, EVIDENCE_MARGIN),
        ):
            mine, theirs = figure("engram", budget), figure("rrf", budget)
            met = mine >= theirs + margin if engram else None
            rows.append(
                (
                    f"{name} @{budget} engram (rrf {theirs:.3f})",
                    f"{mine:.3f}",
                    f">= {theirs + margin:.3f}",
                    met,
                )
            )
    ok = table("locomo answers: engram's context block vs plain retrieval (rrf) at the same budget", rows)
    b = ANSWER_BUDGET
    words = f"engram={board.mean_coverage('engram', b):.3f} rrf={board.mean_coverage('rrf', b):.3f}"
    every = f"engram={board.all_words('engram', b):.3f} rrf={board.all_words('rrf', b):.3f}"
    print(f"locomo answers@{b} {words} all-words {every}")
    return ok


def dump(path: Path, asked: Iterable[Asked]) -> None:
    with path.open("w") as out:
        for row in dump_rows(asked):
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"per-question results at {ANSWER_BUDGET} tokens: {path}", file=sys.stderr)


def print_skipped(data_dir: Path, conversations: Sequence[Conversation]) -> None:
    notes: list[str] = []
    empty_total = 0
    for c in conversations:
        raw = json.loads((data_dir / f"{c.name}.json").read_text())
        skipped, empty = skipped_evidence(raw["qa"], c.dia_ids)
        notes += [f"{c.name}:{item!r}" for item in skipped]
        empty_total += empty
    print(
        f"evidence ids skipped (no such turn): {len(notes)}"
        + (f" ({', '.join(notes)})" if notes else "")
        + f"; questions with no evidence turn left (not scored): {empty_total}"
    )


async def run(args: argparse.Namespace) -> int:
    conversations = load_all(args.data_dir, limit=args.conversations)
    print_skipped(args.data_dir, conversations)
    asked = {c.name: [Asked(c.name, q) for q in c.questions] for c in conversations}
    every = [a for c in conversations for a in asked[c.name]]
    if args.threads is None:
        args.threads = 2 if args.baselines_only else 1  # beside a service, leave it a core
    if args.baselines_only:
        timings = run_baselines(conversations, asked, args)
        ok = report(score(every), every, False, timings, None)
        return finish(args, every, ok, engram=False)

    headers = {"Authorization": f"Bearer {api_key(args.api_key)}"}
    timings: dict[str, float] = {}
    async with httpx.AsyncClient(base_url=args.base_url, headers=headers, timeout=120) as client:
        turns = sum(len(c.messages) for c in conversations)
        print(f"loading {turns} turns of {len(conversations)} conversations ...", file=sys.stderr)
        counter_at_start = await jobs_succeeded(client) or 0.0  # None before the first job: none yet
        reused: set[str] = set()
        began = time.monotonic()
        posted = list(
            await asyncio.gather(*(load_conversation(client, c, args.reuse, reused) for c in conversations))
        )
        timings["load (append)" + (f", {len(reused)} reused" if reused else "")] = time.monotonic() - began

        await check_routes(client, posted[0].user_id)
        # The baselines need no service: they run in a thread while the service ingests.
        baseline_run = asyncio.create_task(asyncio.to_thread(run_baselines, conversations, asked, args))
        began = time.monotonic()
        finished = await wait_for_jobs(client, posted, args.timeout, counter_at_start)
        timings["ingest wait"] = time.monotonic() - began
        failed = sum(j["status"] == "failed" for p in posted for j in p.jobs)
        if not finished or failed:
            print(f"ingest: {'timed out, ' if not finished else ''}{failed} failed jobs")
        timings.update(await baseline_run)  # before querying: no contention with the measured requests

        captured = None
        if await load_captured(client, posted):
            captured = {
                p.conversation.name: {p.dia_by_message[m] for m in p.captured or () if m in p.dia_by_message}
                for p in posted
            }
        began = time.monotonic()
        latencies = await ask_engram(client, posted, asked, args.concurrency, args.budgets)
        timings[f"queries (search + context, concurrency {args.concurrency})"] = time.monotonic() - began
        ok = report(score(every, captured), every, True, timings, latencies)
        if args.delete:
            for p in posted:
                await call(client, "DELETE", f"/v1/users/{p.user_id}")
    return finish(args, every, ok, engram=True)


def finish(args: argparse.Namespace, asked: Sequence[Asked], ok: bool, engram: bool) -> int:
    """The dump, the answer report (its last line is the bench's), the exit code."""
    if args.dump:
        dump(args.dump, asked)
    answers_ok = answer_report(tally(asked), args.budgets, engram)
    return 0 if ok and answers_ok else 1


def budgets(text: str) -> tuple[int, ...]:
    """`--budgets 500,1500,3000` as sorted token budgets; 1500 (the last line's) is always measured."""
    try:
        given = {int(item) for item in text.split(",") if item.strip()}
    except ValueError:
        raise argparse.ArgumentTypeError(f"comma-separated token budgets, not {text!r}") from None
    if any(b <= 0 for b in given):
        raise argparse.ArgumentTypeError("budgets must be positive")
    return tuple(sorted(given | {ANSWER_BUDGET}))


def main() -> int:
    p = parser(__doc__ or "")
    p.add_argument("data_dir", nargs="?", type=Path, default=LOCOMO_DIR, help="LoCoMo conversations (*.json)")
    p.add_argument("--conversations", type=int, default=None, help="only the first N conversations")
    p.add_argument(
        "--reuse", action="store_true", help="query already loaded bench users instead of reloading"
    )
    p.add_argument("--concurrency", type=int, default=4, help="questions in flight in the query phase")
    p.add_argument("--baselines-only", action="store_true", help="only BM25 and dense: no service needed")
    p.add_argument("--delete", action="store_true", help="delete the bench users at the end")
    p.add_argument("--timeout", type=float, default=3600.0, help="seconds to wait for ingestion")
    p.add_argument(
        "--bm25-stop-words",
        choices=("drop", "keep"),
        default="drop",
        help="BM25 tokenisation (drop scores higher)",
    )
    p.add_argument("--threads", type=int, default=None, help="torch threads for the dense baseline")
    p.add_argument(
        "--budgets",
        type=budgets,
        default=coverage.BUDGETS,
        help="context budgets (cl100k tokens) of the answer-coverage measure (default 500,1500,3000)",
    )
    p.add_argument(
        "--dump", type=Path, default=None, help="write per-question answer results (JSONL) to this file"
    )
    p.add_argument(
        "--rrf-index",
        choices=("turn", "line"),
        default="turn",
        help="what the rrf baseline's rankers index: each turn as Engram is given it (default) or its"
        " dated line (a stronger baseline: +0.02-0.03 all-words on locomo-dev)",
    )
    args = p.parse_args()
    failed = f"locomo answers@{ANSWER_BUDGET} engram=nan rrf=nan all-words engram=nan rrf=nan"
    return run_bench("locomo", run(args), failed, args.base_url)


if __name__ == "__main__":
    sys.exit(main())
