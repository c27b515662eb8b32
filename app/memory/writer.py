"""Writes a batch of extractions into one user graph, in one transaction: the last step of
`app.memory.pipeline`, for the messages of claimed ingest jobs and for memories added by hand alike.

The transaction first checks that the batch's jobs, if it has any, are still this worker's (a lease
that expired belongs to whoever re-claimed the job), then takes the user graph's write lock (one
property write: concurrent batches for the same user wait or retry, so entity and relation upserts
never race), reads what the batch touches, lets `plan` decide, writes, and marks the jobs succeeded.
Everything or nothing: a crash before the commit leaves the jobs to be re-claimed and nothing
written; a re-run after a commit finds every key it wrote and changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from app.graph.db import Tx
from app.memory.extract.extractor import normalise_name
from app.memory.plan import UNNAMED, HeldEdge, Plan, Said, Stored, memory_key, plan, settle
from app.memory.resolve import PROPER_TYPES, Known, Resolver
from app.memory.supersede import HeldMemory

SIMILAR_CANDIDATES = 200


class LeaseLost(RuntimeError):
    """Another worker re-claimed a job of this batch; it will do the work."""


class GraphGone(LookupError):
    """The user (and their graph) was deleted while the batch was in flight."""


@dataclass(slots=True)
class Batch:
    project_id: str
    user_id: str
    user_name: str  # who "I" is when a message has no `name`
    said: list[Said]
    jobs: list[dict[str, Any]] = field(default_factory=list)  # {jobId, lease}; none for notes


def learned_name(batch: Batch) -> str | None:
    """A name for a user who has none: who their messages are spoken by (a message's `name`), or whom
    their hand-added memories are about. The first one said in the batch."""
    if batch.user_name != UNNAMED:
        return None
    return next((s.speaker for s in batch.said if s.speaker not in (UNNAMED, "")), None)


def _mentions(batch: Batch) -> list[tuple[str, str]]:
    out = [(batch.user_name, "person")]
    for said in batch.said:
        ex = said.extraction
        out.append((said.speaker, "person"))
        out += [(e.name, e.type) for e in ex.entities]
        out += [(a, e.type) for e in ex.entities for a in e.aliases]
        out += [(n, "concept") for m in ex.memories for n in m.entities]
    return out


async def _known(tx: Tx, graph_id: str, batch: Batch) -> list[Known]:
    mentions = _mentions(batch)
    keys = sorted({normalise_name(name) for name, _ in mentions})
    firsts = sorted({normalise_name(n).split()[0] for n, t in mentions if t == "person" and n.strip()})
    rows = await tx.run("ingest/candidates", graphId=graph_id, keys=keys, firsts=firsts)
    known = [Known(r["id"], r["name"], r["type"], list(r["aliases"])) for r in rows]
    resolver = Resolver(known)
    unresolved_types = sorted(
        {
            e.type
            for said in batch.said
            for e in said.extraction.entities
            if e.type in PROPER_TYPES and resolver.resolve(e.name, e.type, e.aliases) is None
        }
    )
    if unresolved_types:
        seen = {k.id for k in known}
        similar = await tx.run(
            "ingest/similar_candidates", graphId=graph_id, types=unresolved_types, limit=SIMILAR_CANDIDATES
        )
        known += [
            Known(r["id"], r["name"], r["type"], list(r["aliases"]), r["embedding"])
            for r in similar
            if r["id"] not in seen
        ]
    return known


async def _held(tx: Tx, known: list[Known]) -> list[HeldEdge]:
    if not known:
        return []
    rows = await tx.run("ingest/held", sourceIds=[k.id for k in known])
    return [
        HeldEdge(
            r["id"],
            r["type"],
            r["sourceId"],
            r["source"],
            r["targetId"],
            r["target"],
            tuple(r["memoryIds"]),
            r["valid"],
            r.get("validAt"),
        )
        for r in rows
    ]


async def _vectors(tx: Tx, batch: Batch, held: list[HeldEdge]) -> dict[str, Sequence[float]]:
    """Name vectors for "meat ends steak": the batch's own, and the held targets' when needed."""
    vectors: dict[str, Sequence[float]] = {}
    for said in batch.said:
        vectors.update(said.name_vectors)
    if held and any(e.similar for said in batch.said for e in said.extraction.endings):
        rows = await tx.run("ingest/entity_vectors", ids=sorted({h.target_id for h in held if h.valid}))
        vectors.update({r["name"]: r["embedding"] for r in rows})
    return vectors


async def _stored(tx: Tx, graph_id: str, batch: Batch) -> dict[str, Stored]:
    keys = sorted(
        {
            memory_key(graph_id, said.personality_id, m.text)
            for said in batch.said
            if not said.by_hand
            for m in said.extraction.memories
        }
    )
    if not keys:
        return {}
    rows = await tx.run("ingest/stored_memories", keys=keys)
    return {r["key"]: Stored(r["id"], r["valid"], tuple(r["sources"])) for r in rows}


async def _slotted(tx: Tx, graph_id: str, batch: Batch) -> list[HeldMemory]:
    """Valid memories filling a slot that a memory of the batch fills too ("diet", "age", ...)."""
    slots = sorted({m.slot for said in batch.said for m in said.extraction.memories if m.slot})
    if not slots:
        return []
    rows = await tx.run("ingest/slotted", slotKeys=[f"{graph_id}|{slot}" for slot in slots])
    return [HeldMemory(r["id"], r["subject"], r["slot"], r["text"]) for r in rows]


async def _write_message_vectors(tx: Tx, batch: Batch) -> None:
    """The batch's messages with their sentences' vectors (one flat list, 384 floats a sentence):
    what verbatim excerpts are searched by."""
    messages = [
        {
            "id": said.message_id,
            "embeddings": [x for vector in said.sentence_vectors for x in vector],
            "speaker": said.speaker,
            "personalityId": said.personality_id,
        }
        for said in batch.said
        if said.message_id is not None and said.sentence_vectors and not said.by_hand
    ]
    if messages:
        await tx.run(
            "ingest/message_vectors", projectId=batch.project_id, userId=batch.user_id, messages=messages
        )


def _named_self(batch: Batch, info: Any) -> tuple[str, str] | None:
    """The user's own entity, still "The user", and the name it now takes, if it learns one."""
    learned = learned_name(batch)
    if learned is None or info["selfId"] is None or info.get("selfName") != UNNAMED:
        return None
    return info["selfId"], learned


async def _settle(tx: Tx, decided: Plan) -> None:
    """Endings of held memories are never dated before they began: read when those began."""
    if decided.unsettled:
        rows = await tx.run("ingest/memory_starts", ids=sorted(decided.unsettled))
        settle(decided, {r["id"]: r["validAt"] for r in rows if r["validAt"] is not None})


async def write(tx: Tx, batch: Batch, *, now: int) -> Plan:
    """Plan and write `batch` in the caller's transaction; raises LeaseLost or GraphGone."""
    if batch.jobs:
        jobs = [{"id": j["jobId"], "lease": j["lease"]} for j in batch.jobs]
        held_jobs = {r["id"] for r in await tx.run("ingest/leases", jobs=jobs)}
        if held_jobs != {j["id"] for j in jobs}:
            raise LeaseLost()
    info = await tx.one("ingest/lock_graph", projectId=batch.project_id, userId=batch.user_id, now=now)
    if info is None:
        raise GraphGone()
    graph_id = info["graphId"]
    known = await _known(tx, graph_id, batch)
    held = await _held(tx, known)
    decided = plan(
        graph_id=graph_id,
        batch=batch.said,
        known=known,
        held=held,
        stored=await _stored(tx, graph_id, batch),
        vectors=await _vectors(tx, batch, held),
        now=now,
        self_name=(learned_name(batch) or batch.user_name) if info["selfId"] is None else None,
        named_self=_named_self(batch, info),
        slotted=await _slotted(tx, graph_id, batch),
    )
    await _settle(tx, decided)
    owner = {"projectId": batch.project_id, "userId": batch.user_id, "graphId": graph_id}
    if decided.entities:
        await tx.run("ingest/write_entities", entities=decided.entities, now=now, **owner)
    if decided.self_id is not None:
        await tx.run("ingest/self", userId=batch.user_id, entityId=decided.self_id)
    if decided.memories:
        await tx.run("ingest/write_memories", memories=decided.memories, now=now, **owner)
    if decided.links:
        await tx.run("ingest/link", links=decided.links)
    if decided.relations:
        await tx.run("ingest/write_relations", relations=decided.relations)
    if decided.ended:
        await tx.run("ingest/end_relations", ended=decided.ended)
    if decided.superseded:
        await tx.run("ingest/supersede", superseded=decided.superseded, now=now)
    if decided.events:
        await tx.run("memory/events", userId=batch.user_id, events=decided.events)
    await _write_message_vectors(tx, batch)
    if batch.jobs:
        results = [
            {**job, "result": json.dumps(result)}
            for job, result in zip(batch.jobs, decided.results, strict=True)
        ]
        await tx.run("jobs/complete", results=results, now=now)
    return decided
