"""Memories: list, read, add by hand (one or an import batch), correct, delete, history.

A memory added by hand goes down the same pipeline as a message (`app.memory.pipeline`): the
extractor reads its text for entities and relations (so it is linked, and can supersede, like any
other), and the writer stores it under the user graph's write lock. Only the text is the caller's
own. A single memory is a batch of one.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from app.clock import now_ms
from app.errors import NotFound
from app.graph.db import Graph, Row, Tx
from app.memory import pipeline, writer
from app.memory.compute import Compute
from app.memory.plan import memory_key
from app.pagination import after_params
from app.services import personalities, users


async def get_memory(graph: Graph, *, project_id: str, memory_id: str) -> Row:
    return await graph.read_found(
        "memory/get", missing=f"No memory {memory_id}", projectId=project_id, memoryIds=[memory_id]
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


async def create_memories(
    graph: Graph, compute: Compute, *, project_id: str, user_id: str, items: Sequence[pipeline.Note]
) -> list[Row]:
    """Add memories by hand, one or an import batch, and return them in the order given.

    The whole batch is extracted and embedded in one compute call (`pipeline.read_notes`: how a
    note is read) and written in one transaction under the user graph's write lock, in order: a
    later memory sees the entities an earlier one added, and may supersede it. Everything or nothing.
    """
    user = (await users.get_user(graph, project_id=project_id, user_id=user_id))["user"]
    for personality_id in sorted({i.personality_id for i in items if i.personality_id is not None}):
        await personalities.get_personality(graph, project_id=project_id, personality_id=personality_id)
    now = now_ms()
    name = pipeline.display_name(
        user.get("firstName"), await users.self_name(graph, project_id=project_id, user_id=user_id)
    )
    said = await pipeline.read_notes(compute, items, user_name=name, now=now)
    batch = writer.Batch(project_id=project_id, user_id=user_id, user_name=name, said=said)
    decided = await pipeline.write(graph, batch, now=now)
    memory_ids = [ids[0] for ids in decided.memory_ids]
    rows = await graph.read("memory/get", projectId=project_id, memoryIds=memory_ids)
    by_id = {r["memory"]["id"]: r for r in rows}
    return [by_id[memory_id] for memory_id in memory_ids]


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
        # Under the user graph's write lock, like every change of the graph (which moves its version).
        await tx.run("ingest/lock_graph", projectId=project_id, userId=current["userId"], now=now)
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
        found = await tx.one("memory/get", projectId=project_id, memoryIds=[memory_id])
        if found is None:
            raise NotFound(f"No memory {memory_id}")
        user_id = found["memory"]["userId"]
        await tx.run("ingest/lock_graph", projectId=project_id, userId=user_id, now=now_ms())
        await tx.run("memory/delete", projectId=project_id, memoryIds=[memory_id])
        await tx.run("memory/prune_entities", projectId=project_id, userId=user_id)
        await tx.run("idempotency/forget", projectId=project_id, ids=[memory_id])

    await graph.write_tx(work)


async def history(graph: Graph, *, project_id: str, memory_id: str) -> Row:
    return await graph.read_found(
        "memory/history", missing=f"No memory {memory_id}", projectId=project_id, memoryId=memory_id
    )
