"""Verbatim excerpts: a user's past messages, searched like memories and quoted as they were said.

A memory is a rewrite of what was said, and a rewrite can lose the very words a question asks for
(the name of the book, the colour of the car). So beside the facts, the context block quotes the
messages that answer the question, each on one line with its speaker and date:

    (8 May 2023) Caroline: I went to a LGBTQ support group yesterday (7 May 2023) and it was so powerful.

Relative times in the quote are resolved against the message's date and added in brackets, never
replacing the words. Messages are ranked by three signals fused by reciprocal rank: meaning (cosine
of the message's best sentence: all-MiniLM-L6-v2 vectors of each sentence are stored at ingest, as a
chat turn's vector is diluted by its small talk), words (BM25 over the message) and the graph's help:
the messages behind the memories that the memory search ranks first for the question (entities it
names, their relations, relation cues), in that order. A question between two speakers found for the
query passes part of its score to the reply right after it in the same thread (the reply holds the
answer); messages of one user alone never trigger it. Pure: no I/O.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np

from app.graph.db import Row
from app.memory.embeddings import DIMENSIONS
from app.memory.extract.times import day_text, find_times
from app.memory.plan import UNNAMED
from app.retrieval.lexical import Bm25

# An excerpt longer than this many characters is cut at a sentence end (or a word) with "…".
MAX_CHARS = 600
_PREFIXES = ("on ", "in ")


@dataclass(frozen=True, slots=True)
class ExcerptWeights:
    meaning: float = 1.0
    words: float = 0.6
    memories: float = 0.3
    # A question found for the query passes this share of its score to the reply after it.
    replies: float = 0.7
    rrf_k: int = 20
    candidates: int = 100


@dataclass(slots=True)
class Messages:
    """A user's ingested messages as arrays, position-aligned."""

    ids: list[str]
    speakers: list[str]
    texts: list[str]
    threads: list[str]
    at: np.ndarray  # epoch ms
    vectors: np.ndarray  # one row per sentence, a message's rows together, in message order
    starts: np.ndarray  # the first sentence row of each message that has any
    with_sentences: np.ndarray  # the positions of those messages
    words: Bm25
    general: np.ndarray  # bool: said in a thread without a personality
    scoped: dict[str, list[int]]  # personality id -> positions
    position: dict[str, int] = field(default_factory=dict)
    _lines: dict[int, str] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.ids)

    def mask(self, personality_id: str | None) -> np.ndarray:
        """General messages, plus those of `personality_id`'s threads when given."""
        out = self.general.copy()
        if personality_id is not None:
            out[self.scoped.get(personality_id, [])] = True
        return out

    def line(self, i: int) -> str:
        """`(8 May 2023) Caroline: <the message, with its relative times resolved>` (made once)."""
        made = self._lines.get(i)
        if made is None:
            at = datetime.fromtimestamp(int(self.at[i]) / 1000, tz=UTC)
            made = f"({day_text(at.date())}) {self.speakers[i]}: {annotate(shorten(self.texts[i]), at)}"
            self._lines[i] = made
        return made


def build_messages(rows: Sequence[Row]) -> Messages:
    """`rows` as read by `retrieval/user_messages`, in conversation order."""
    ordered = sorted(
        rows, key=lambda r: (int(r.get("createdAt") or 0), r.get("threadId") or "", r.get("seq") or 0)
    )
    flat = [np.asarray(r.get("embeddings") or [], dtype=np.float32) for r in ordered]
    counts = [len(f) // DIMENSIONS for f in flat]
    vectors = (
        np.concatenate([f[: n * DIMENSIONS] for f, n in zip(flat, counts, strict=True)]).reshape(
            -1, DIMENSIONS
        )
        if sum(counts)
        else np.zeros((0, DIMENSIONS), dtype=np.float32)
    )
    offsets = (
        np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64) if counts else np.zeros(0, np.int64)
    )
    has = np.array(counts, dtype=np.int64) > 0
    scoped: dict[str, list[int]] = defaultdict(list)
    texts: list[str] = []
    for i, row in enumerate(ordered):
        if row.get("personalityId") is not None:
            scoped[row["personalityId"]].append(i)
        texts.append(" ".join(str(row.get("content") or "").split()))
    messages = Messages(
        ids=[r["id"] for r in ordered],
        speakers=[str(r.get("speaker") or UNNAMED) for r in ordered],
        texts=texts,
        threads=[str(r.get("threadId") or "") for r in ordered],
        at=np.array([int(r.get("createdAt") or 0) for r in ordered], dtype=np.int64),
        vectors=vectors,
        starts=offsets[has],
        with_sentences=np.flatnonzero(has),
        # The speaker's name is searched with their words, as questions name who said or did what.
        words=Bm25([f"{r.get('speaker') or ''} {t}" for r, t in zip(ordered, texts, strict=True)]),
        general=np.array([r.get("personalityId") is None for r in ordered], dtype=bool),
        scoped=dict(scoped),
    )
    messages.position = {m: i for i, m in enumerate(messages.ids)}
    return messages


def shorten(text: str, limit: int = MAX_CHARS) -> str:
    """`text`, or its first sentences (else words) within `limit` characters, then "…"."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    end = max(cut.rfind(". "), cut.rfind("! "), cut.rfind("? "))
    if end >= limit // 2:
        return cut[: end + 1] + " …"
    return cut.rsplit(" ", 1)[0] + " …"


def annotate(text: str, at: datetime) -> str:
    """Each relative time phrase followed by the date it means: "yesterday (7 May 2023)"."""
    out, last = [], 0
    for ref in find_times(text, at, past=True):
        phrase = text[ref.start : ref.end]
        meaning = ref.phrase
        for prefix in _PREFIXES:
            if meaning.startswith(prefix):
                meaning = meaning[len(prefix) :]
        if meaning.lower() in phrase.lower():  # "in 2019" says its date already
            continue
        out.append(text[last : ref.end])
        out.append(f" ({meaning})")
        last = ref.end
    out.append(text[last:])
    return "".join(out)


def _top(values: np.ndarray, mask: np.ndarray, n: int, *, positive: bool) -> list[int]:
    allowed = mask & (values > 0) if positive else mask
    candidates = np.flatnonzero(allowed)
    if len(candidates) > n:
        candidates = candidates[np.argpartition(-values[candidates], n - 1)[:n]]
    return [int(i) for i in candidates[np.argsort(-values[candidates], kind="stable")]]


def rank(
    messages: Messages,
    mask: np.ndarray,
    query_vector: np.ndarray,
    query: str,
    routed: Sequence[str],
    weights: ExcerptWeights,
    limit: int,
) -> list[int]:
    """The `limit` best messages for `query` (positions): meaning, words and `routed` (the source
    message ids of the memories the memory search ranked first, in that order), fused by weighted
    reciprocal rank."""
    if not messages.size or limit <= 0:
        return []
    n = weights.candidates
    cosine = np.full(messages.size, -1.0, dtype=np.float32)
    if len(messages.starts):
        cosine[messages.with_sentences] = np.maximum.reduceat(
            messages.vectors @ query_vector, messages.starts
        )
    via_memories = list(
        dict.fromkeys(
            messages.position[m] for m in routed if m in messages.position and mask[messages.position[m]]
        )
    )[:n]
    signals = (
        (weights.meaning, _top(cosine, mask, n, positive=False)),
        (weights.words, _top(messages.words.scores(query), mask, n, positive=True)),
        (weights.memories, via_memories),
    )
    fused: dict[int, float] = defaultdict(float)
    for weight, ranked in signals:
        if weight <= 0:
            continue
        for r, i in enumerate(ranked, start=1):
            fused[i] += weight / (weights.rrf_k + r)
    if weights.replies > 0:
        for i, score in list(fused.items()):
            j = i + 1
            if (
                messages.texts[i].rstrip().endswith("?")
                and j < messages.size
                and mask[j]
                and messages.threads[j] == messages.threads[i]
                and messages.speakers[j] != messages.speakers[i]
            ):
                fused[j] += weights.replies * score
    order = sorted(fused.items(), key=lambda kv: (-kv[1], -float(cosine[kv[0]])))
    return [i for i, _ in order[:limit]]
