"""Appending messages (with their ingest jobs, in one transaction) and replaying a thread.

Sequence numbers are gap-free per thread: an append takes the thread's write lock, reads its
message count and writes seq = count+1 ... count+n, in one statement. A unique `threadId|seq` key
backs that up across processes; in one process, appends to the same thread also queue on an
asyncio lock so they do not spin on the database's conflict retries.
"""

from __future__ import annotations

import asyncio
import weakref
from dataclasses import dataclass
from typing import Any

from neo4j.exceptions import ConstraintError

from app import metadata as md
from app.clock import now_ms
from app.errors import Conflict, NotFound
from app.graph.db import Graph, Row, Tx
from app.ids import new_id

INGESTED_ROLES = frozenset({"user"})
_APPEND_ATTEMPTS = 5


@dataclass(frozen=True, slots=True)
class NewMessage:
    role: str
    content: str
    name: str | None = None
    created_at: int | None = None
    metadata: md.Metadata | None = None


class ThreadLocks:
    """One asyncio lock per thread id, dropped when nobody holds it."""

    def __init__(self) -> None:
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()

    def __call__(self, thread_id: str) -> asyncio.Lock:
        lock = self._locks.get(thread_id)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[thread_id] = lock
        return lock


async def append_messages(
    graph: Graph, locks: ThreadLocks, *, project_id: str, thread_id: str, messages: list[NewMessage]
) -> list[Row]:
    """Store the messages in order and an IngestJob for each user message; both are durable on return."""
    now = now_ms()
    rows: list[dict[str, Any]] = [
        {
            "id": new_id("msg"),
            "jobId": new_id("ij") if m.role in INGESTED_ROLES else None,
            "role": m.role,
            "content": m.content,
            "name": m.name,
            "metadata": md.dumps(m.metadata or {}),
            "createdAt": m.created_at if m.created_at is not None else now,
        }
        for m in messages
    ]
    times = [r["createdAt"] for r in rows]

    async def work(tx: Tx) -> list[Row]:
        stored = await tx.run(
            "messages/append",
            projectId=project_id,
            threadId=thread_id,
            rows=rows,
            firstAt=min(times),
            lastAt=max(times),
            now=now,
        )
        if not stored:
            raise NotFound(f"No thread {thread_id}")
        jobs = {r["id"]: r["jobId"] for r in rows}
        return [{**s["message"], "jobId": jobs[s["message"]["id"]]} for s in stored]

    async with locks(thread_id):
        for _ in range(_APPEND_ATTEMPTS):
            try:
                return await graph.write_tx(work)
            except ConstraintError:
                # Another process took the same seq between our read and commit: read again.
                await asyncio.sleep(0.01)
    raise Conflict("The thread is too busy right now; retry the append")


async def list_messages(
    graph: Graph, *, project_id: str, thread_id: str, after_seq: int | None, limit: int
) -> list[Row]:
    rows = await graph.read(
        "messages/list", projectId=project_id, threadId=thread_id, afterSeq=after_seq, limit=limit
    )
    return [dict(r["message"]) for r in rows]
