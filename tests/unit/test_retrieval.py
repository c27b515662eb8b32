"""Pure parts of retrieval: words, fusion, dates, packing into a token budget, the summary."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime
from types import SimpleNamespace

import numpy as np
import pytest

from app.retrieval import block, rank, summary, tokens
from app.retrieval.block import Item
from app.retrieval.cache import IndexCache
from app.retrieval.index import build_memories, build_user_index
from app.retrieval.lexical import Bm25, stem, terms


def ms(*args: int) -> int:
    return int(datetime(*args, tzinfo=UTC).timestamp() * 1000)


def memory_row(i: int, text: str, **props: object) -> dict[str, object]:
    vector = np.zeros(384, dtype=np.float32)
    vector[i % 384] = 1.0
    memory = {"id": f"mem_{i:03d}", "text": text, "kind": "fact", "createdAt": ms(2026, 1, 1) + i, **props}
    return {
        "memory": {**memory, "embedding": vector.tolist()},
        "entityIds": [],
        "sourceMessageIds": [f"msg_{i}"],
    }


def test_stems_meet() -> None:
    assert len({stem(w) for w in ("live", "lives", "lived", "living")}) == 1
    assert len({stem(w) for w in ("plan", "plans", "planning", "planned")}) == 1
    assert terms("Where does Alice's dog live?") == ["alic", "dog", "liv"]


def test_bm25_prefers_rare_terms_and_short_documents() -> None:
    index = Bm25(["Alice likes tea", "Alice likes Biscuit the dog", "Alice likes tea and coffee a lot"])
    scores = index.scores("biscuit")
    assert scores.argmax() == 1
    assert scores[0] == scores[2] == 0
    tea = index.scores("tea")
    assert tea[0] > tea[2] > 0  # the shorter document first


def test_fusion_scores_are_normalised_and_recency_never_adds_candidates() -> None:
    rows = [memory_row(i, f"memory number {i}") for i in range(30)]
    memories = build_memories(rows, {})
    query = np.zeros(384, dtype=np.float32)
    query[3] = 1.0
    pool = rank.Pool("user", memories, rank.Scope().mask(memories), {3: 1.0})
    weights = rank.Weights(candidates=10)
    hits = rank.search([pool], query, "number 3", weights, limit=5)
    assert hits[0].position == 3
    assert hits[0].score <= 1.0
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    # With only recency weighted, nothing is found: recency re-orders, it does not retrieve.
    only_recency = rank.Weights(meaning=0, words=0, graph=0, recency=1, candidates=10)
    assert all(h.score == 0 for h in rank.search([pool], query, "zzz", only_recency, limit=5))


def test_scope_keeps_general_and_the_personality_and_drops_invalid() -> None:
    rows = [
        memory_row(0, "general"),
        memory_row(1, "scoped", personalityId="per_a"),
        memory_row(2, "other", personalityId="per_b"),
        memory_row(3, "gone", invalidAt=ms(2026, 2, 1)),
        memory_row(4, "a plan", kind="plan"),
    ]
    memories = build_memories(rows, {})
    assert list(rank.Scope().mask(memories)) == [True, False, False, False, True]
    assert list(rank.Scope(personality_id="per_a").mask(memories)) == [True, True, False, False, True]
    assert list(rank.Scope(include_invalid=True).mask(memories)) == [True, False, False, True, True]
    assert list(rank.Scope(kinds=frozenset({"plan"})).mask(memories)) == [False, False, False, False, True]


def test_dates_only_where_they_matter() -> None:
    lives = "Alice lives in Portland."
    assert (
        block.dated(lives, "fact", ms(2026, 3, 1), lasting=True)
        == "Alice lives in Portland (since March 2026)."
    )
    assert block.dated(lives, "fact", ms(2026, 3, 1)) == lives
    assert (
        block.dated("Alice ran a marathon.", "event", ms(2023, 5, 8, 14))
        == "Alice ran a marathon (8 May 2023)."
    )
    assert block.dated("Alice moved in 2024.", "event", ms(2024, 1, 1)) == "Alice moved in 2024."
    assert block.dated("Alice likes tea.", "preference", ms(2024, 1, 1)) == "Alice likes tea."
    assert (
        block.dated("Alice will visit Rome", "plan", ms(2024, 1, 1)) == "Alice will visit Rome (as of 2024)."
    )


def test_pack_never_exceeds_the_budget_and_keeps_whole_items() -> None:
    rng = random.Random(7)
    words = [
        "tea",
        "coffee",
        "Portland",
        "Acme",
        "Biscuit",
        "hiking",
        "marathon",
        "Lisbon",
        "nurse",
        "guitar",
        "2024",
        "peanuts",
    ]
    items = [
        Item("summary", "Alice is a platform engineer at Acme who lives in Portland.", covers=("mem_000",))
    ]
    items += [Item("who", "Name: Alice Smith")]
    for i in range(300):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(1, 40))) + "."
        items.append(Item(rng.choice(["facts", "preferences", "events", "relevant"]), text, f"mem_{i:03d}"))
    for template in block.TEMPLATES:
        for budget in [*range(1, 120, 7), 500, 1500, 8000]:
            packed = block.pack(template, "Alice", items, budget, tokens.count)
            assert packed.tokens == tokens.count(packed.text) <= budget
            kept = {i.text for i in items}
            for line in packed.text.splitlines():
                assert (
                    line == ""
                    or line.startswith("## ")
                    or line[2:] in kept
                    or line in kept
                    or "Alice" in line
                )
            assert len(packed.memory_ids) == len(set(packed.memory_ids))
            assert "mem_000" not in [i for i in packed.memory_ids if packed.text.count("mem_000")]


def test_pack_drops_duplicates_and_what_the_summary_covers() -> None:
    items = [
        Item("summary", "Alice lives in Portland.", covers=("mem_1",)),
        Item("facts", "Alice lives in Portland (since March 2026).", "mem_1"),
        Item("facts", "Alice likes tea.", "mem_2"),
        Item("facts", "Alice  likes tea.", "mem_3"),
        Item("relations", "Alice likes tea.", covered_by=("mem_2",)),
    ]
    packed = block.pack("chat", "Alice", items, 500, tokens.count)
    assert packed.text.count("Portland") == 1
    assert packed.text.count("likes tea") == 1
    assert packed.memory_ids == ["mem_2", "mem_1"]
    assert not packed.truncated


def test_summary_takes_one_memory_per_slot_and_reads_as_a_biography() -> None:
    rows = [
        memory_row(0, "Alice likes tea", kind="preference"),
        memory_row(1, "Alice works at Acme as an engineer.", slot="job title"),
        memory_row(2, "Alice works at Initech as an intern.", slot="job title", invalidAt=ms(2025, 1, 1)),
        memory_row(3, "Alice is planning a trip to Rome.", kind="plan"),
        memory_row(4, "Alice's sister Anna lives in Boston.", kind="relationship"),
        memory_row(5, "Alice is a vegetarian.", slot="diet", kind="trait"),
    ]
    index = build_user_index(1, rows, [], [])
    made = summary.summarize(index.memories)
    assert made.text.startswith("Alice works at Acme as an engineer.")
    assert "Initech" not in made.text
    assert made.text.endswith("Alice is planning a trip to Rome.")
    assert "Alice likes tea." in made.text
    assert made.considered == 5
    assert len(made.memory_ids) == 5


async def test_concurrent_queries_are_encoded_together_and_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from app.memory import embeddings
    from app.retrieval.queries import QueryEncoder

    batches: list[list[str]] = []

    def embed(texts: list[str]) -> list[list[float]]:
        batches.append(list(texts))
        return [[float(len(t))] * 384 for t in texts]

    monkeypatch.setattr(embeddings, "embed", embed)
    encoder = QueryEncoder()
    queries = ["a", "bb", "a", "ccc", "bb", "dddd"]
    vectors = await asyncio.gather(*(encoder.vector(q) for q in queries))
    assert [float(v[0]) for v in vectors] == [1.0, 2.0, 1.0, 3.0, 2.0, 4.0]
    assert sorted(t for b in batches for t in b) == ["a", "bb", "ccc", "dddd"]  # each once
    assert len(batches) <= 2  # the first alone, the rest together
    await encoder.vector("a")
    assert len([t for b in batches for t in b]) == 4  # remembered
    encoder.close()


def test_the_index_cache_counts_message_sentences_against_its_capacity() -> None:
    """A chat-heavy user's index is mostly message-sentence vectors: they count like memories, so
    the least recently used index leaves when the sentences pass the capacity."""

    def index(memories: int, sentences: int) -> SimpleNamespace:
        return SimpleNamespace(
            memories=SimpleNamespace(size=memories),
            messages=SimpleNamespace(vectors=np.zeros((sentences, 384), dtype=np.float32)),
            version=1,
        )

    cache = IndexCache(graph=None, capacity=1_000)  # type: ignore[arg-type]
    cache._keep("a", index(10, 600))
    cache._keep("b", index(10, 300))
    assert cache.memories == 920
    cache._keep("c", index(10, 200))  # 1,130 > 1,000: "a" (least recently used) leaves
    assert list(cache._entries) == ["b", "c"]
    assert cache.memories == 520
    group = SimpleNamespace(memories=SimpleNamespace(size=5), version=1)  # groups have no messages
    cache._keep("g", group)
    assert cache.memories == 525
