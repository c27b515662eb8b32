"""A user's (or group's) memories as arrays: what search and context rank, built once per version.

Cypher computing cosine over 10,000 memory vectors costs ~100 ms per query on the local graph
server, so ranking happens here: the service keeps an index per user (and per group) in memory,
valid while the user graph's `version` is unchanged (`cache.py`), and one matrix product replaces
the database scan. The index holds every memory row as the API returns it, so a search needs no
second query.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from app.graph.db import Row
from app.memory.embeddings import DIMENSIONS
from app.retrieval.excerpts import Messages, build_messages
from app.retrieval.lexical import Bm25, stem, terms

KIND_WEIGHT = {"trait": 1.0, "relationship": 1.0, "fact": 0.9, "preference": 0.85, "plan": 0.7, "event": 0.6}
HALF_LIFE_MS = 180 * 24 * 3600 * 1000
# An entity named in more than this share of the memories (the user, in their own graph) says
# nothing about which memory a query wants.
UNSPECIFIC_SHARE = 0.2
_NAME_WORD = re.compile(r"[a-z0-9]+")
# Words of a question that ask for a relation type ("Where does she live?" asks for LIVES_IN): the
# memories behind the user's valid relations of that type answer it.
_CUES = {
    "LIVES_IN": "live home reside move city town address",
    "WORKS_AT": "work job employer company career office colleague boss",
    "STUDIES_AT": "study school university college degree class",
    "MARRIED_TO": "marry married wife husband spouse wedding",
    "PARTNER_OF": "partner girlfriend boyfriend dating",
    "FROM": "born grew hometown origin country",
    "HAS_PET": "pet dog cat puppy kitten animal",
    "SIBLING_OF": "sister brother sibling",
    "PARENT_OF": "kid child children son daughter",
    "CHILD_OF": "mother father mom dad parent",
    "FRIEND_OF": "friend buddy",
    "LIKES": "like love favorite favourite enjoy hobby fan",
    "DISLIKES": "dislike hate",
    "ALLERGIC_TO": "allergic allergy",
    "MEMBER_OF": "member club team group band",
    "VISITED": "visit travel trip went vacation holiday",
    "OWNS": "own car drive bought",
    "PLAYS": "play instrument sport game",
}
RELATION_CUES: dict[str, frozenset[str]] = {
    t: frozenset(map(stem, words.split())) for t, words in _CUES.items()
}


def name_key(text: str) -> str:
    return " ".join(_NAME_WORD.findall(text.lower().replace("\u2019", "'").replace("'s ", " ")))


@dataclass(frozen=True, slots=True)
class Entity:
    id: str
    name: str
    type: str
    is_self: bool


@dataclass(slots=True)
class Memories:
    """Rows plus the arrays ranking needs, position-aligned."""

    rows: list[Row]
    vectors: np.ndarray
    valid: np.ndarray
    at: np.ndarray
    importance: np.ndarray
    words: Bm25
    kinds: np.ndarray  # str
    general: np.ndarray  # bool: not scoped to a personality
    scoped: dict[str, list[int]]  # personality id -> positions
    entity_ids: list[tuple[str, ...]]
    position: dict[str, int] = field(default_factory=dict)
    # Context lines made from these memories, by (position, section): made once per index.
    rendered: dict[tuple[int, str | None], Any] = field(default_factory=dict)
    _order: np.ndarray | None = None

    @property
    def size(self) -> int:
        return len(self.rows)

    @property
    def by_importance(self) -> np.ndarray:
        """Positions, most important first (computed once)."""
        if self._order is None:
            self._order = np.argsort(-self.importance, kind="stable")
        return self._order

    def row(self, i: int) -> Row:
        return self.rows[i]


def importance(memory: Row, sources: int, at: int, newest: int) -> float:
    """How much a memory says about the person, without a query: kind, certainty, whether it fills
    a slot (job, diet, relationship...), how often it was said, and how recent it is."""
    score = KIND_WEIGHT.get(memory.get("kind") or "fact", 0.8) * float(memory.get("confidence") or 0.9)
    if memory.get("slot"):
        score += 0.3
    score += 0.1 * math.log2(1 + max(sources, 1))
    score += 0.15 * 0.5 ** (max(newest - at, 0) / HALF_LIFE_MS)
    return float(score)


def join_memory_rows(memories: list[Row], about: list[Row], sources: list[Row]) -> list[Row]:
    """One row per memory with its entity ids, source message ids and source texts."""
    entity_ids: dict[str, list[str]] = defaultdict(list)
    for r in about:
        entity_ids[r["memoryId"]].append(r["entityId"])
    message_ids: dict[str, list[str]] = defaultdict(list)
    texts: dict[str, list[str]] = defaultdict(list)
    for r in sources:
        message_ids[r["memoryId"]].append(r["messageId"])
        texts[r["memoryId"]].append(r["content"] or "")
    out = []
    for r in memories:
        key = r["memory"]["id"]
        out.append(
            {
                "memory": r["memory"],
                "entityIds": entity_ids.get(key, []),
                "sourceMessageIds": message_ids.get(key, []),
                "sourceTexts": texts.get(key, []),
            }
        )
    return out


def build_memories(
    rows: list[Row], entities: dict[str, Entity], *, words_of_entities: bool = True
) -> Memories:
    """`rows` as read by `retrieval/user_memories` (or `group_memories`)."""
    out_rows: list[Row] = []
    vectors = np.zeros((len(rows), DIMENSIONS), dtype=np.float32)
    times: list[int] = []
    documents: list[str] = []
    for i, row in enumerate(rows):
        memory = dict(row["memory"])
        vector = memory.pop("embedding", None)
        if vector:
            vectors[i] = vector
        ids = tuple(row.get("entityIds") or ())
        refs = [{"id": e, "name": entities[e].name, "type": entities[e].type} for e in ids if e in entities]
        out_rows.append(
            {"memory": memory, "entities": refs, "sourceMessageIds": list(row["sourceMessageIds"])}
        )
        times.append(int(memory.get("validAt") or memory.get("createdAt") or 0))
        names = " ".join(r["name"] for r in refs) if words_of_entities else ""
        said = " ".join(row.get("sourceTexts") or ())
        documents.append(f"{memory.get('text') or ''} {names} {said}")
    newest = max(times, default=0)
    scoped: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(out_rows):
        if r["memory"].get("personalityId") is not None:
            scoped[r["memory"]["personalityId"]].append(i)
    memories = Memories(
        rows=out_rows,
        vectors=vectors,
        valid=np.array([r["memory"].get("invalidAt") is None for r in out_rows], dtype=bool),
        at=np.array(times, dtype=np.int64),
        importance=np.array(
            [
                importance(r["memory"], len(r["sourceMessageIds"]), t, newest)
                for r, t in zip(out_rows, times, strict=True)
            ],
            dtype=np.float32,
        ),
        words=Bm25(documents),
        kinds=np.array([r["memory"].get("kind") or "fact" for r in out_rows], dtype=object),
        general=np.array([r["memory"].get("personalityId") is None for r in out_rows], dtype=bool),
        scoped=scoped,
        entity_ids=[tuple(row.get("entityIds") or ()) for row in rows],
    )
    memories.position = {r["memory"]["id"]: i for i, r in enumerate(out_rows)}
    return memories


@dataclass(slots=True)
class Relation:
    source: str
    type: str
    label: str | None
    target: str
    valid_at: int | None
    memory_ids: tuple[str, ...]


@dataclass(slots=True)
class UserIndex:
    version: int
    memories: Memories
    entities: dict[str, Entity]
    relations: list[Relation]
    names: dict[str, list[str]]  # name key -> entity ids (names and aliases)
    neighbours: dict[str, set[str]]
    about: dict[str, list[int]]  # entity id -> memory positions
    # relation type -> (source entity, position of a memory behind the relation)
    by_relation: dict[str, list[tuple[str, int]]]
    longest_name: int
    messages: Messages = field(default_factory=lambda: build_messages([]))
    rendered_relations: dict[str, list[Any]] = field(default_factory=dict)
    # The summary of this version's memories, by the names it was made for (made once).
    summaries: dict[tuple[str, ...], Any] = field(default_factory=dict)

    @property
    def self_names(self) -> tuple[str, ...]:
        return tuple(e.name for e in self.entities.values() if e.is_self)

    @property
    def size(self) -> int:
        return self.memories.size

    def named_in(self, query: str) -> list[str]:
        """Entities whose name or alias appears in the query as whole words, most specific first."""
        words = name_key(query).split()
        found: dict[str, None] = {}
        for n in range(min(self.longest_name, len(words)), 0, -1):
            for start in range(len(words) - n + 1):
                for entity_id in self.names.get(" ".join(words[start : start + n]), ()):
                    found[entity_id] = None
        return list(found)

    def graph_scores(self, query: str) -> dict[int, float]:
        """Memories about the entities the query names (1, less for common ones) and about their
        neighbours in the graph (half that)."""
        limit = max(UNSPECIFIC_SHARE * self.size, 10)
        scores: dict[int, float] = defaultdict(float)
        asked = set(terms(query))
        named = self.named_in(query)
        # "Where does she live?" is about the user; "Where does Anna live?" about Anna.
        subjects = set(named) or {e.id for e in self.entities.values() if e.is_self}
        for type_, cues in RELATION_CUES.items():
            if asked & cues:
                for source, i in self.by_relation.get(type_, ()):
                    if source in subjects:
                        scores[i] += 0.5
        for entity_id in named:
            direct = self.about.get(entity_id, [])
            if len(direct) > limit:
                continue
            weight = 1.0 / (1.0 + math.log1p(len(direct)))
            for i in direct:
                scores[i] += weight
            for other in self.neighbours.get(entity_id, ()):
                linked = self.about.get(other, [])
                if len(linked) > limit:
                    continue
                for i in linked:
                    scores[i] += 0.5 * weight / (1.0 + math.log1p(len(linked)))
        return scores


def build_user_index(
    version: int,
    memory_rows: list[Row],
    entity_rows: list[Row],
    relation_rows: list[Row],
    message_rows: list[Row] | None = None,
) -> UserIndex:
    entities = {
        r["id"]: Entity(r["id"], r["name"], r["type"] or "concept", bool(r.get("isSelf")))
        for r in entity_rows
    }
    names: dict[str, list[str]] = defaultdict(list)
    for r in entity_rows:
        for name in {r["name"], *(r.get("aliases") or [])}:
            key = name_key(name or "")
            if key and r["id"] not in names[key]:
                names[key].append(r["id"])
    memories = build_memories(memory_rows, entities)
    about: dict[str, list[int]] = defaultdict(list)
    for i, ids in enumerate(memories.entity_ids):
        if memories.valid[i]:
            for entity_id in ids:
                about[entity_id].append(i)
    neighbours: dict[str, set[str]] = defaultdict(set)
    by_relation: dict[str, list[tuple[str, int]]] = defaultdict(list)
    relations = []
    for r in relation_rows:
        if r["source"] in entities and r["target"] in entities:
            relations.append(
                Relation(
                    r["source"],
                    r["type"],
                    r.get("label"),
                    r["target"],
                    r.get("validAt"),
                    tuple(r["memoryIds"]),
                )
            )
            by_relation[r["type"]] += [
                (r["source"], memories.position[m])
                for m in r["memoryIds"]
                if m in memories.position and memories.valid[memories.position[m]]
            ]
            neighbours[r["source"]].add(r["target"])
            neighbours[r["target"]].add(r["source"])
    return UserIndex(
        version=version,
        memories=memories,
        entities=entities,
        relations=relations,
        names=dict(names),
        neighbours=dict(neighbours),
        about=dict(about),
        by_relation=dict(by_relation),
        longest_name=max((len(k.split()) for k in names), default=1),
        messages=build_messages(message_rows or []),
    )


@dataclass(slots=True)
class GroupIndex:
    id: str
    name: str
    version: int
    memories: Memories


def build_group_index(group_id: str, name: str, version: int, rows: list[Row]) -> GroupIndex:
    return GroupIndex(group_id, name, version, build_memories(rows, {}, words_of_entities=False))
