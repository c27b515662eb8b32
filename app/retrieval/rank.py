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
    recency: float = 0.1
    rrf_k: int = 20
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


Key = tuple[int, int]  # (index of the pool, position in it)


def _top(scored: list[tuple[np.ndarray, np.ndarray, np.ndarray]], n: int) -> list[Key]:
    """The n best (pool, position) keys of one signal over every pool: by score, then by cosine."""
    if not scored:
        return []
    pools = np.concatenate([np.full(len(p), i, dtype=np.int32) for i, (p, _, _) in enumerate(scored)])
    positions = np.concatenate([p for p, _, _ in scored])
    values = np.concatenate([v for _, v, _ in scored])
    ties = np.concatenate([t for _, _, t in scored])
    if len(values) > n:
        keep = np.argpartition(-values, n - 1)[:n]
        pools, positions, values, ties = pools[keep], positions[keep], values[keep], ties[keep]
    order = np.lexsort((-ties, -values))
    return [(int(pools[j]), int(positions[j])) for j in order]


def _best(values: np.ndarray, mask: np.ndarray, n: int, *, positive: bool) -> np.ndarray:
    allowed = mask & (values > 0) if positive else mask
    candidates = np.flatnonzero(allowed)
    if len(candidates) > n:
        candidates = candidates[np.argpartition(-values[candidates], n - 1)[:n]]
    return candidates


def search(
    pools: Sequence[Pool], query_vector: np.ndarray, query: str, weights: Weights, limit: int
) -> list[Hit]:
    """The `limit` best memories over all pools (keys in the hits: pool key, position)."""
    n = weights.candidates
    meaning: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    words: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    graph: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    for pool in pools:
        if not pool.memories.size:
            meaning.append((np.zeros(0, dtype=np.int64), np.zeros(0), np.zeros(0)))
            words.append(meaning[-1])
            graph.append(meaning[-1])
            continue
        cosine = pool.memories.vectors @ query_vector
        best = _best(cosine, pool.mask, n, positive=False)
        meaning.append((best, cosine[best], cosine[best]))
        bm25 = pool.memories.words.scores(query)
        best = _best(bm25, pool.mask, n, positive=True)
        words.append((best, bm25[best], cosine[best]))
        linked = np.fromiter(pool.graph.keys(), dtype=np.int64, count=len(pool.graph))
        values = np.fromiter(pool.graph.values(), dtype=np.float64, count=len(pool.graph))
        allowed = pool.mask[linked] if len(linked) else np.zeros(0, dtype=bool)
        graph.append((linked[allowed], values[allowed], cosine[linked[allowed]]))
    ranked = [
        (weights.meaning, _top(meaning, n)),
        (weights.words, _top(words, n)),
        (weights.graph, _top(graph, n)),
    ]
    candidates = {key for weight, keys in ranked if weight > 0 for key in keys}
    at = {key: int(pools[key[0]].memories.at[key[1]]) for key in candidates}
    ranked.append((weights.recency, sorted(candidates, key=lambda k: (at[k], k), reverse=True)))
    fused: dict[Key, float] = dict.fromkeys(candidates, 0.0)
    for weight, keys in ranked:
        for rank, key in enumerate(keys, start=1):
            if key in fused:
                fused[key] += weight / (weights.rrf_k + rank)
    best_sum = weights.best or 1.0
    order = sorted(fused.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    return [Hit(pools[p].key, i, round(score / best_sum, 6)) for (p, i), score in order]


def by_importance(pool: Pool, limit: int) -> list[int]:
    """A pool's eligible memories, most important first (no query)."""
    order = pool.memories.by_importance
    return [int(i) for i in order[pool.mask[order]][:limit]]
