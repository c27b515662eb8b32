"""Memories: list, read, add by hand, correct, delete, history.

A memory added by hand goes through the same path as an extracted one: the extractor reads its text
for entities and relations (so it is linked, and can supersede, like any other), and the writer
stores it under the user graph's write lock. Only the text is the caller's own.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from app import metadata as md
from app.clock import now_ms
from app.errors import NotFound
from app.graph.db import Graph, Row, Tx
from app.memory import writer
from app.memory.compute import Compute
from app.memory.extract import Extraction, Memory, Utterance
from app.memory.plan import Said, memory_key
from app.pagination import after_params
from app.services import personalities, users


async def get_memory(graph: Graph, *, project_id: str, memory_id: str) -> Row:
    return await graph.read_found(
        "memory/get", missing=f"No memory {memory_id}", projectId=project_id, memoryId=memory_id
    )


async def list_memories(
    graph: Graph,
    *,
    project_id: str,
    user_id: str,
    filters: dict[str, Any],
    after: tuple[int, str] | None,
    limit: int,
) -> list[Row]:
    await users.require_user(graph, project_id=project_id, user_id=user_id)
    return await graph.read(
        "memory/list",
        projectId=project_id,
        userId=user_id,
        **filters,
        **after_params(after, "afterCreatedAt"),
        limit=limit,
    )


async def create_memory(
    graph: Graph,
    compute: Compute,
    *,
    project_id: str,
    user_id: str,
    text: str,
    kind: str | None,
    personality_id: str | None,
    valid_at: int | None,
    metadata: md.Metadata,
) -> Row:
    user = (await users.get_user(graph, project_id=project_id, user_id=user_id))["user"]
    if personality_id is not None:
        await personalities.get_personality(graph, project_id=project_id, personality_id=personality_id)
    now = now_ms()
    name = writer.display_name(user.get("firstName"))
    utterance = Utterance(text, name, datetime.fromtimestamp(now / 1000, tz=UTC))
    [understood] = await compute.extract([utterance], whole_text=True)
    vector = understood.message_vector
    assert vector is not None  # asked for with whole_text
    ex = understood.extraction
    mentioned = [name, *(e.name for e in ex.entities), *(n for m in ex.memories for n in m.entities)]
    memory = Memory(
        text=text,
        kind=kind or (ex.memories[0].kind if ex.memories else "fact"),
        confidence=1.0,
        entities=tuple(dict.fromkeys(mentioned)),
    )
    said = Said(
        speaker=name,
        at=valid_at if valid_at is not None else now,
        extraction=Extraction(
            memories=[memory],
            entities=ex.entities,
            relations=[replace(r, memory=0) for r in ex.relations],
            endings=[replace(e, memory=0) for e in ex.endings],
        ),
        memory_vectors=[vector],
        name_vectors=understood.name_vectors,
        personality_id=personality_id,
        metadata=md.dumps(metadata),
        by_hand=True,
    )
    batch = writer.Batch(project_id=project_id, user_id=user_id, user_name=name, said=[said])
    decided = await graph.write_tx(lambda tx: writer.write(tx, batch, now=now))
    return await get_memory(graph, project_id=project_id, memory_id=decided.memory_ids[0][0])


def _event(memory_id: str, type_: str, now: int, before: dict[str, Any], after: dict[str, Any]) -> Row:
    return {
        "key": f"{memory_id}|{type_}|{now}",
        "memoryId": memory_id,
        "props": {"type": type_, "at": now, "before": json.dumps(before), "after": json.dumps(after)},
    }


async def update_memory(
    graph: Graph, compute: Compute, *, project_id: str, memory_id: str, changes: dict[str, Any]
) -> Row:
    """Correct text, kind or validity; the change is a history event with the values before and after."""
    current = (await get_memory(graph, project_id=project_id, memory_id=memory_id))["memory"]
    props = dict(changes)
    if "text" in props and props["text"] != current["text"]:
        props["embedding"] = (await compute.embed([props["text"]]))[0]
        # A corrected memory keeps its own key: the same words said later make a new memory.
        key = memory_key(current["graphId"], current.get("personalityId"), props["text"])
        props["memoryKey"] = f"{key}|{memory_id}"

    async def work(tx: Tx) -> None:
        now = now_ms()
        row = await tx.one("memory/update", projectId=project_id, memoryId=memory_id, props=props, now=now)
        if row is None:
            raise NotFound(f"No memory {memory_id}")
        before = {k: row["before"].get(k) for k in changes}
        became_invalid = changes.get("invalidAt") is not None and row["before"].get("invalidAt") is None
        event = _event(memory_id, "invalidated" if became_invalid else "updated", now, before, changes)
        await tx.run("memory/events", userId=row["userId"], events=[event])

    await graph.write_tx(work)
    return await get_memory(graph, project_id=project_id, memory_id=memory_id)


async def delete_memory(graph: Graph, *, project_id: str, memory_id: str) -> None:
    async def work(tx: Tx) -> None:
        found = await tx.one("memory/get", projectId=project_id, memoryId=memory_id)
        if found is None:
            raise NotFound(f"No memory {memory_id}")
        user_id = found["memory"]["userId"]
        await tx.run("ingest/lock_graph", projectId=project_id, userId=user_id, now=now_ms())
        await tx.run("memory/delete", projectId=project_id, memoryIds=[memory_id])
        await tx.run("memory/prune_entities", projectId=project_id, userId=user_id)

    await graph.write_tx(work)


async def history(graph: Graph, *, project_id: str, memory_id: str) -> Row:
    return await graph.read_found(
        "memory/history", missing=f"No memory {memory_id}", projectId=project_id, memoryId=memory_id
    )
