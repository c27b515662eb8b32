"""What one batch of extractions does to a user graph, as rows for the write statements. Pure.

The writer reads the part of the graph a batch touches (candidate entities, the valid relations of
the entities it names, memories with the same text), then `plan` decides, message by message in
conversation order, so that a later message sees what an earlier one added:
- every mention resolves to one entity (`resolve`), new ones get ids here;
- every memory gets a stable key (graph, personality scope, normalised text): the same fact said
  again links the existing memory to the new message instead of making a copy, and a re-run of the
  same message finds everything it wrote the first time and changes nothing;
- relations are one edge per (source, type, target) while valid; a restatement adds its memory;
- relations the message ends (`supersede.ended`) get `invalidAt`/`supersededBy`, and so do the
  memories that stated them, with a `superseded` history event. An ending is dated by the memory that
  causes it, never before the start of what it ends (`ending_at`); the writer reads the starts of
  held memories only for those that end (`settle`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from app.ids import new_id
from app.memory import supersede
from app.memory.extract import Ending, Extraction, Memory, Relation
from app.memory.extract.extractor import normalise_name
from app.memory.resolve import Known, Resolver, cosine

Row = dict[str, Any]


@dataclass(slots=True)
class Said:
    """One message's extraction (or a memory added by hand), with its vectors (`pipeline`)."""

    speaker: str
    at: int  # epoch ms: the message's createdAt
    extraction: Extraction
    memory_vectors: list[list[float]]
    name_vectors: dict[str, list[float]]
    message_id: str | None = None
    personality_id: str | None = None
    metadata: str | None = None  # JSON, for memories added by hand
    by_hand: bool = False
    # The vectors of the message's sentences: retrieval searches messages for verbatim excerpts.
    sentence_vectors: list[list[float]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class HeldEdge:
    id: str
    type: str
    source_id: str
    source: str
    target_id: str
    target: str
    memory_ids: tuple[str, ...]
    valid: bool = True
    valid_at: int | None = None  # epoch ms: when it began


@dataclass(frozen=True, slots=True)
class Stored:
    """A memory already in the graph with a key the batch uses."""

    id: str
    valid: bool
    sources: tuple[str, ...] = ()  # message ids


@dataclass(slots=True)
class Plan:
    entities: list[Row] = field(default_factory=list)
    memories: list[Row] = field(default_factory=list)
    links: list[Row] = field(default_factory=list)
    relations: list[Row] = field(default_factory=list)
    ended: list[Row] = field(default_factory=list)
    superseded: list[Row] = field(default_factory=list)
    events: list[Row] = field(default_factory=list)
    results: list[Row] = field(default_factory=list)  # one per Said, in order
    self_id: str | None = None  # the user's own entity, when this batch had to create it
    # per superseded memory: (late bound, its history event), until `settle` dates the ending
    unsettled: dict[str, tuple[int, Row]] = field(default_factory=dict)
    memory_ids: list[list[str]] = field(default_factory=list)  # per Said, per extracted memory


def text_key(text: str) -> str:
    return re.sub(r"\s+", " ", text.lower()).strip(" .!")


def memory_key(graph_id: str, personality_id: str | None, text: str) -> str:
    return f"{graph_id}|{personality_id or '-'}|{text_key(text)}"


def _period(valid_at: str) -> tuple[datetime, datetime]:
    """ "2025" -> [2025-01-01, 2026-01-01), "2025-10" -> [2025-10-01, 2025-11-01), "2025-10-05" ->
    [2025-10-05, 2025-10-06), in UTC; ValueError when it names no date."""
    parts = [int(p) for p in valid_at.split("-")]
    year, month, day = [*parts, 1, 1][:3]
    start = datetime(year, month, day, tzinfo=UTC)
    if len(parts) == 1:
        return start, datetime(year + 1, 1, 1, tzinfo=UTC)
    if len(parts) == 2:
        return start, datetime(year + month // 12, month % 12 + 1, 1, tzinfo=UTC)
    return start, start + timedelta(days=1)


def valid_at_ms(valid_at: str | None, default: int) -> int:
    """ "2026", "2026-03" or "2026-03-14" -> the first instant of it (UTC), else the message time."""
    try:
        return int(_period(valid_at)[0].timestamp() * 1000) if valid_at else default
    except ValueError:
        return default


def period_end_ms(valid_at: str | None, default: int) -> int:
    """The first instant after the period a validAt names ("2025" -> 2026-01-01, "2025-10" ->
    2025-11-01, "2025-10-05" -> 2025-10-06), else `default`."""
    try:
        return int(_period(valid_at)[1].timestamp() * 1000) if valid_at else default
    except ValueError:
        return default


def ending_at(at: int, start: int | None, late: int) -> int:
    """When a superseded relation or memory stops being valid: `at`, the validAt of the memory that
    ends it, unless that is before the old one's own `start`: it held then (it was said to), so it
    ended after it, by `late` (the end of the ending's period, or when the ending was said, whichever
    comes first: "I moved to Denver this year" said in November ends a home first mentioned in March
    by November), and never before `start`. An interval never ends before it begins."""
    if start is None or at >= start:
        return at
    return max(start, late)


UNNAMED = "The user"  # the name of a user who has none (`pipeline.display_name`)


def is_placeholder(name: str) -> bool:
    """ "Alice's sister": a person known only by their role, until their name comes up (a lowercase
    role or pet word after the possessive; "St. David's Medical Center" is a name)."""
    return "'s " in name and name.split("'s ", 1)[1].islower()


class _Batch:
    def __init__(
        self,
        graph_id: str,
        resolver: Resolver,
        held: list[HeldEdge],
        stored: dict[str, Stored],
        vectors: dict[str, Sequence[float]],
        now: int,
        slotted: list[supersede.HeldMemory],
    ) -> None:
        self.graph_id = graph_id
        self.slotted = list(slotted)
        self.resolver = resolver
        self.held = {h.id: h for h in held}
        self.stored = dict(stored)
        self.vectors = {normalise_name(k): v for k, v in vectors.items()}
        self.now = now
        self.plan = Plan()
        self.memories: dict[str, Row] = {}  # by id
        self.relations: dict[str, Row] = {}  # by id

    # entities -----------------------------------------------------------------------------------

    def entity(self, name: str, type_: str, aliases: Sequence[str], vector: Sequence[float] | None) -> Known:
        found = self.resolver.resolve(name, type_, aliases, vector)
        if found is None:
            found = Known(new_id("ent"), name, type_, [], vector, new=True)
            self.resolver.add(found)
        elif is_placeholder(found.name) and not is_placeholder(name):
            found.add_alias(found.name)
            found.name = name
            found.dirty = True
        for alias in (name, *aliases):
            if normalise_name(alias) != found.key:
                found.add_alias(alias)
        if found.vector is None and vector is not None:
            found.vector = vector
        if vector is not None:
            self.vectors.setdefault(found.key, vector)
        return found

    def entities_of(self, said: Said) -> dict[str, Known]:
        """Every name the extraction uses, resolved: its entities, the speaker, relation ends."""
        ex = said.extraction
        by_name: dict[str, Known] = {}
        declared = {e.name: e for e in ex.entities}
        names = [said.speaker, *declared]
        names += [n for m in ex.memories for n in m.entities]
        names += [n for r in ex.relations for n in (r.source, r.target)]
        names += [e.source for e in ex.endings]
        for name in names:
            if name in by_name:
                continue
            entity = declared.get(name)
            if entity is not None:
                by_name[name] = self.entity(
                    entity.name, entity.type, entity.aliases, said.name_vectors.get(name)
                )
            else:
                type_ = "person" if name == said.speaker else "concept"
                by_name[name] = self.entity(name, type_, (), said.name_vectors.get(name))
        return by_name

    # memories -----------------------------------------------------------------------------------

    def memory(self, said: Said, index: int, ids: dict[str, Known], counts: Row) -> str:
        m = said.extraction.memories[index]
        key = memory_key(self.graph_id, said.personality_id, m.text)
        if said.by_hand:
            key = f"{key}|{new_id('mem')}"
        stored = self.stored.get(key)
        if stored is not None and not stored.valid:
            key = f"{key}|{said.message_id}"  # said again after it stopped being true: a new memory
            stored = self.stored.get(key)
        if stored is None:
            memory_id = new_id("mem")
            self.stored[key] = Stored(memory_id, True, (said.message_id,) if said.message_id else ())
            row: Row = {
                "id": memory_id,
                "messageId": said.message_id,
                "props": {
                    "memoryKey": key,
                    "text": m.text,
                    "kind": m.kind,
                    "confidence": m.confidence,
                    "validAt": valid_at_ms(m.valid_at, said.at),
                    "embedding": said.memory_vectors[index],
                    "personalityId": said.personality_id,
                    "metadata": said.metadata,
                    "source": "manual" if said.by_hand else "extracted",
                    **self.slot_props(m, ids),
                },
            }
            self.memories[memory_id] = row
            self.plan.memories.append(row)
            self.event(memory_id, "created", said, after={"text": m.text, "kind": m.kind})
            counts["memoriesCreated"] += 1
            return memory_id
        memory_id = stored.id
        if memory_id not in self.memories:
            row = {"id": memory_id, "messageId": said.message_id, "props": {}}
            self.memories[memory_id] = row
            self.plan.memories.append(row)
        if said.message_id is not None:
            self.event(memory_id, "restated", said)
        counts["memoriesUpdated"] += 1
        return memory_id

    def slot_props(self, m: Memory, ids: dict[str, Known]) -> Row:
        """Where a memory fills a single-valued slot of its subject ("diet" of Alice), for later."""
        if not m.slot or not m.entities:
            return {}
        return {"slot": m.slot, "slotKey": f"{self.graph_id}|{m.slot}", "subjectId": ids[m.entities[0]].id}

    def event(
        self, memory_id: str, type_: str, said: Said, *, after: Row | None = None, by: str | None = None
    ) -> None:
        self.plan.events.append(
            {
                "key": f"{memory_id}|{type_}|{said.message_id or said.at}",
                "memoryId": memory_id,
                "props": {
                    "type": type_,
                    "at": self.now,
                    "messageId": said.message_id,
                    "after": json.dumps(after) if after is not None else None,
                    "by": by,
                },
            }
        )

    # relations ----------------------------------------------------------------------------------

    def relation(self, said: Said, r: Relation, ids: dict[str, Known], memory_id: str) -> None:
        source, target = ids[r.source], ids[r.target]
        if source.id == target.id:
            return
        existing = next(
            (
                h
                for h in self.held.values()
                if h.source_id == source.id and h.type == r.type and h.target_id == target.id and h.valid
            ),
            None,
        )
        if existing is not None:
            memory_ids = existing.memory_ids
            if memory_id not in memory_ids:
                memory_ids = (*memory_ids, memory_id)
            self.held[existing.id] = replace(existing, memory_ids=memory_ids)
            if memory_ids == existing.memory_ids:
                return
            row = self.relations.get(existing.id)
            if row is None:
                row = {"id": existing.id, "type": r.type, "sourceId": source.id, "targetId": target.id}
                self.relations[existing.id] = row
                self.plan.relations.append(row)
                row["props"] = {}
            row["props"]["memoryIds"] = list(memory_ids)
            return
        relation_id = new_id("rel")
        started = self.memories[memory_id]["props"].get("validAt", said.at) if r.dated else said.at
        self.held[relation_id] = HeldEdge(
            relation_id, r.type, source.id, source.name, target.id, target.name, (memory_id,), True, started
        )
        row = {
            "id": relation_id,
            "type": r.type,
            "sourceId": source.id,
            "targetId": target.id,
            "props": {
                "id": relation_id,
                "graphId": self.graph_id,
                "fact": self.memories[memory_id]["props"].get("text"),
                "label": r.label,
                "validAt": started,
                "memoryIds": [memory_id],
                "createdAt": self.now,
            },
        }
        self.relations[relation_id] = row
        self.plan.relations.append(row)

    def endings(self, said: Said, ids: dict[str, Known], memory_ids: list[str], counts: Row) -> None:
        ex = said.extraction
        renamed = Extraction(
            memories=[replace(m, entities=tuple(ids[n].name for n in m.entities)) for m in ex.memories],
            entities=ex.entities,
            relations=[
                Relation(ids[r.source].name, r.type, ids[r.target].name, r.memory, r.label)
                for r in ex.relations
            ],
            endings=[
                Ending(ids[e.source].name, e.type, _resolved(e.target, ids), e.memory, e.similar)
                for e in ex.endings
            ],
        )
        held = [
            supersede.Held(h.id, h.source, h.type, h.target, h.memory_ids[0] if h.memory_ids else None)
            for h in self.held.values()
            if h.valid
        ]
        for h in supersede.ended(held, renamed, self.similarity):
            cause = _cause(h, renamed, self.similarity)
            by = memory_ids[cause]
            edge = self.held.pop(h.id)
            at, late = self.memory_valid_at(by, said.at), self.late(said, cause)
            self.plan.ended.append(
                {
                    "id": h.id,
                    "sourceId": edge.source_id,
                    "targetId": edge.target_id,
                    "at": ending_at(at, edge.valid_at, late),
                    "by": by,
                }
            )
            for old in edge.memory_ids:
                self.supersede(old, by, at, late, said, counts)
        for slotted, index in supersede.ended_memories(self.slotted, renamed):
            by = memory_ids[index]
            self.supersede(
                slotted.id, by, self.memory_valid_at(by, said.at), self.late(said, index), said, counts
            )
        ended = {s["memoryId"] for s in self.plan.superseded}
        self.slotted = [h for h in self.slotted if h.id not in ended]
        for index, m in enumerate(renamed.memories):
            if m.slot and m.entities and memory_ids[index] not in ended:
                self.slotted.append(supersede.HeldMemory(memory_ids[index], m.entities[0], m.slot, m.text))

    def supersede(self, old: str, by: str, at: int, late: int, said: Said, counts: Row) -> None:
        if old == by or any(s["memoryId"] == old for s in self.plan.superseded):
            return
        start = self.memories.get(old, {}).get("props", {}).get("validAt")
        at = ending_at(at, start, late)
        self.plan.superseded.append({"memoryId": old, "by": by, "at": at})
        self.event(old, "superseded", said, by=by, after={"invalidAt": at, "supersededBy": by})
        if start is None:  # a memory of the graph: its start is read by the writer (`settle`)
            self.plan.unsettled[old] = (late, self.plan.events[-1])
        counts["memoriesInvalidated"] += 1

    def late(self, said: Said, index: int) -> int:
        """The latest an ending caused by memory `index` of `said` can be: the end of the period its
        time names, or when it was said."""
        memories = said.extraction.memories
        valid_at = memories[index].valid_at if 0 <= index < len(memories) else None
        return min(said.at, period_end_ms(valid_at, said.at))

    def memory_valid_at(self, memory_id: str, default: int) -> int:
        value = self.memories.get(memory_id, {}).get("props", {}).get("validAt")
        return int(value) if value is not None else default

    def similarity(self, a: str, b: str) -> float:
        va, vb = self.vectors.get(normalise_name(a)), self.vectors.get(normalise_name(b))
        return cosine(va, vb) if va is not None and vb is not None else 0.0

    # one message --------------------------------------------------------------------------------

    def applied(self, said: Said) -> list[str] | None:
        """The memory ids of a message that was written before (a re-run), else None.

        A message's writes commit together with its job, all or nothing: if one of its memories
        lists it as a source, all of its effects are in the graph, and applying them again could
        only go wrong (its endings would now end facts that came after it).
        """
        if said.message_id is None:
            return None
        found = [
            self.stored.get(memory_key(self.graph_id, said.personality_id, m.text))
            for m in said.extraction.memories
        ]
        if not any(s is not None and said.message_id in s.sources for s in found):
            return None
        return [s.id if s is not None else "" for s in found]

    def said(self, said: Said) -> None:
        counts: Row = {
            "memoriesCreated": 0,
            "memoriesUpdated": 0,
            "memoriesInvalidated": 0,
            "entities": 0,
            "relations": 0,
        }
        applied = self.applied(said)
        if applied is not None:
            self.plan.results.append(counts)
            self.plan.memory_ids.append(applied)
            return
        ids = self.entities_of(said)
        memory_ids = [self.memory(said, i, ids, counts) for i in range(len(said.extraction.memories))]
        for index, m in enumerate(said.extraction.memories):
            linked = {ids[said.speaker].id} if not m.entities else {ids[n].id for n in m.entities}
            for entity_id in sorted(linked):
                self.plan.links.append({"memoryId": memory_ids[index], "entityId": entity_id})
        for r in said.extraction.relations:
            if 0 <= r.memory < len(memory_ids):
                self.relation(said, r, ids, memory_ids[r.memory])
                for end in (ids[r.source].id, ids[r.target].id):
                    link = {"memoryId": memory_ids[r.memory], "entityId": end}
                    if link not in self.plan.links:
                        self.plan.links.append(link)
        self.endings(said, ids, memory_ids, counts)
        counts["entities"] = len({k.id for k in ids.values()})
        counts["relations"] = len(said.extraction.relations)
        self.plan.results.append(counts)
        self.plan.memory_ids.append(memory_ids)


def _resolved(name: str | None, ids: dict[str, Known]) -> str | None:
    """An ending's target by the name of the entity it resolved to ("St. David's" -> "St. David's
    Medical Center"), so that it ends what the graph holds under the full name."""
    if name is None or name not in ids:
        return name
    return ids[name].name


def settle(decided: Plan, starts: dict[str, int]) -> None:
    """Date the endings of held memories now that their starts are known (memory id -> validAt, read
    by the writer): never before the memory began (`ending_at`)."""
    for row in decided.superseded:
        pending = decided.unsettled.pop(row["memoryId"], None)
        if pending is None:
            continue
        late, event = pending
        row["at"] = ending_at(row["at"], starts.get(row["memoryId"]), late)
        event["props"]["after"] = json.dumps({"invalidAt": row["at"], "supersededBy": row["by"]})


def _cause(h: supersede.Held, new: Extraction, similarity: Any) -> int:
    """The memory index of the relation or ending that ends `h`."""
    for r in new.relations:
        if supersede.ended([h], Extraction(relations=[r]), similarity):
            return r.memory
    for e in new.endings:
        if supersede.ended([h], Extraction(endings=[e]), similarity):
            return e.memory
    return 0


def plan(
    *,
    graph_id: str,
    batch: list[Said],
    known: list[Known],
    held: list[HeldEdge],
    stored: dict[str, Stored],
    vectors: dict[str, Sequence[float]],
    now: int,
    self_name: str | None = None,
    slotted: list[supersede.HeldMemory] | None = None,
    named_self: tuple[str, str] | None = None,
) -> Plan:
    """Decide every write of a batch (in the order given: conversation order).

    `self_name`: the user's name, when the user has no `IS` entity yet: it is resolved (or created)
    first, so that "I" in the user's own messages is that entity. A name learned for a user who has
    none (`writer.learned_name`) also answers to "The user".
    `named_self`: (id, name) when the user's own entity, still "The user", learns its name: it is
    renamed (keeping "The user" as an alias), unless another entity already has that name.
    """
    state = _Batch(graph_id, Resolver(known), held, stored, vectors, now, slotted or [])
    if self_name is not None:
        unnamed = () if self_name == UNNAMED else (UNNAMED,)
        state.plan.self_id = state.entity(self_name, "person", unnamed, None).id
    if named_self is not None:
        me = state.resolver.get(named_self[0])
        other = state.resolver.resolve(named_self[1], "person")
        if me is not None and other in (None, me):
            old, me.name, me.dirty = me.name, named_self[1], True
            me.add_alias(old)
    for said in batch:
        state.said(said)
    state.plan.entities = [
        {
            "id": k.id,
            "props": {
                "name": k.name,
                "key": k.key,
                "type": k.type,
                "entityKey": f"{graph_id}|{k.type}|{k.key}",
                "aliases": list(k.aliases),
                "aliasKeys": sorted(k.keys() - {k.key}),
            },
            "embedding": list(k.vector) if k.new and k.vector is not None else None,
        }
        for k in state.resolver.dirty()
    ]
    return state.plan
