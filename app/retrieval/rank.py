"""Hybrid ranking: meaning, words, graph and recency, fused by weighted reciprocal rank.

Each signal ranks the eligible memories on its own (cosine of the query vector; BM25; entities the
query names and their graph neighbours; recency among the candidates the others found), and a
memory's score is the sum of `weight / (k + rank)` over the signals that ranked it, divided by the
best possible sum: 1.0 means first for every signal, so scores compare across calls and users.
Recency only re-orders what the other signals found; it never brings in a memory on its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from app.retrieval.index import Memories


@dataclass(frozen=True, slots=True)
class Weights:
    meaning: float = 1.0
    words: float = 1.0
    graph: float = 0.5
    recency: float = 0.2
    rrf_k: int = 60
    candidates: int = 100

    @property
    def best(self) -> float:
        return (self.meaning + self.words + self.graph + self.recency) / (self.rrf_k + 1)


@dataclass(frozen=True, slots=True)
class Scope:
    """Which memories may be returned: valid ones (unless `include_invalid`), of `kinds` if given,
    general ones plus those of `personality_id` if given."""

    kinds: frozenset[str] | None = None
    personality_id: str | None = None
    include_invalid: bool = False

    def mask(self, memories: Memories) -> np.ndarray:
        mask = np.ones(memories.size, dtype=bool) if self.include_invalid else memories.valid.copy()
        if self.kinds is not None:
            mask &= np.isin(memories.kinds, list(self.kinds))
        scoped = memories.general.copy()
        if self.personality_id is not None:
            scoped[memories.scoped.get(self.personality_id, [])] = True
        out: np.ndarray = mask & scoped
        return out


@dataclass(frozen=True, slots=True)
class Pool:
    """One set of memories to rank: the user's own, or one group's."""

    key: str
    memories: Memories
    mask: np.ndarray
    graph: dict[int, float]


@dataclass(frozen=True, slots=True)
class Hit:
    pool: str
    position: int
    score: float


Key = tuple[str, int]


def _top(scored: list[tuple[float, float, Key]], n: int) -> list[Key]:
    scored.sort(key=lambda s: (s[0], s[1]), reverse=True)
    return [key for _, _, key in scored[:n]]


def _best(values: np.ndarray, mask: np.ndarray, n: int, *, positive: bool) -> np.ndarray:
    allowed = mask & (values > 0) if positive else mask
    candidates = np.flatnonzero(allowed)
    if len(candidates) > n:
        candidates = candidates[np.argpartition(-values[candidates], n - 1)[:n]]
    return candidates


def search(
    pools: Sequence[Pool], query_vector: np.ndarray, query: str, weights: Weights, limit: int
) -> list[Hit]:
    n = weights.candidates
    meaning: list[tuple[float, float, Key]] = []
    words: list[tuple[float, float, Key]] = []
    graph: list[tuple[float, float, Key]] = []
    by_key = {pool.key: pool for pool in pools}
    for pool in pools:
        if not pool.memories.size:
            continue
        cosine = pool.memories.vectors @ query_vector
        for i in _best(cosine, pool.mask, n, positive=False):
            meaning.append((float(cosine[i]), 0.0, (pool.key, int(i))))
        bm25 = pool.memories.words.scores(query)
        for i in _best(bm25, pool.mask, n, positive=True):
            words.append((float(bm25[i]), float(cosine[i]), (pool.key, int(i))))
        for i, value in pool.graph.items():
            if pool.mask[i]:
                graph.append((value, float(cosine[i]), (pool.key, i)))
    ranked = [
        (weights.meaning, _top(meaning, n)),
        (weights.words, _top(words, n)),
        (weights.graph, _top(graph, n)),
    ]
    candidates = {key for weight, keys in ranked if weight > 0 for key in keys}
    at = {key: int(by_key[key[0]].memories.at[key[1]]) for key in candidates}
    ranked.append((weights.recency, sorted(candidates, key=lambda k: (at[k], k), reverse=True)))
    fused: dict[Key, float] = dict.fromkeys(candidates, 0.0)
    for weight, keys in ranked:
        for rank, key in enumerate(keys, start=1):
            if key in fused:
                fused[key] += weight / (weights.rrf_k + rank)
    best = weights.best or 1.0
    order = sorted(fused.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    return [Hit(pool, i, round(score / best, 6)) for (pool, i), score in order]


def by_importance(pool: Pool, limit: int) -> list[int]:
    """A pool's eligible memories, most important first (no query)."""
    candidates = np.flatnonzero(pool.mask)
    order = np.argsort(-pool.memories.importance[candidates], kind="stable")
    return [int(i) for i in candidates[order[:limit]]]
