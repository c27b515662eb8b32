"""Per-user and per-group retrieval indexes, cached in this process while their version holds.

Every write to a user graph increments `UserGraph.version` under the graph's write lock (and
every change to a group's memories `Group.version`), so a request reads the version (one small
query it needs anyway) and uses the cached index when it matches; otherwise one request loads it
(the others wait for that load) inside a read transaction that reads the version first: a write
landing during the load leaves a newer version behind, and the next request loads again. Several
service processes each keep their own cache and stay correct. The cache is bounded by the number of
memories and message sentences it holds (`weight`); the least recently used indexes leave first.

A loaded index is hundreds of thousands of long-lived Python objects, which the cyclic garbage
collector's full passes would walk again and again: with 110,000 memories cached those passes
stopped the event loop for 100-300 ms each (every request in flight waited). So after a load the
collector's current objects are frozen (`gc.freeze()`: left out of later passes). An index holds no
reference cycles, so when it leaves the cache reference counting frees it all the same. A full
collection runs first, or the cyclic garbage of the moment would be frozen with it, never to be
reclaimed (~160 objects per load measured); with everything older frozen it only walks what came
since the last load (1k-memory user: mean 2.8 ms).
"""

from __future__ import annotations

import asyncio
import gc
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import TypeVar

import structlog

from app.graph.db import Graph, Tx
from app.retrieval.index import (
    GroupIndex,
    UserIndex,
    build_group_index,
    build_user_index,
    join_memory_rows,
)

log = structlog.get_logger(__name__)
T = TypeVar("T", UserIndex, GroupIndex)


def weight(entry: UserIndex | GroupIndex) -> int:
    messages = getattr(entry, "messages", None)
    return int(entry.memories.size) + (int(messages.vectors.shape[0]) if messages is not None else 0)


class IndexCache:
    def __init__(self, graph: Graph, capacity: int) -> None:
        self._graph = graph
        self._capacity = capacity
        self._entries: OrderedDict[str, UserIndex | GroupIndex] = OrderedDict()
        self._loading: dict[str, asyncio.Lock] = {}
        self.loads = 0

    @property
    def memories(self) -> int:
        """What the cache holds, against its capacity: memories, and message sentences (each is a
        vector row as large as a memory's; a chat-heavy user holds many more of them)."""
        return sum(weight(entry) for entry in self._entries.values())

    def _fresh(self, key: str, version: int) -> UserIndex | GroupIndex | None:
        entry = self._entries.get(key)
        if entry is None or entry.version != version:
            return None
        self._entries.move_to_end(key)
        return entry

    def _keep(self, key: str, entry: UserIndex | GroupIndex) -> None:
        self._entries[key] = entry
        self._entries.move_to_end(key)
        total = self.memories
        while total > self._capacity and len(self._entries) > 1:
            _, gone = self._entries.popitem(last=False)
            total -= weight(gone)

    async def _get(self, key: str, version: int, kind: type[T], load: Callable[[], Awaitable[T]]) -> T:
        """The cached index at this version, or the one load of it the callers wait for."""
        cached = self._fresh(key, version)
        if isinstance(cached, kind):
            return cached
        async with self._loading.setdefault(key, asyncio.Lock()):
            cached = self._fresh(key, version)
            if isinstance(cached, kind):
                return cached
            index = await load()
            self.loads += 1
            log.debug("retrieval_index_loaded", kind=kind.__name__, memories=index.memories.size)
            self._keep(key, index)
            gc.collect()
            gc.freeze()
            return index

    async def user(self, project_id: str, user_id: str, version: int) -> UserIndex:
        async def read(tx: Tx) -> UserIndex:
            state = await tx.one("retrieval/state", projectId=project_id, userId=user_id)
            current = int(state["version"]) if state else version
            scope = {"projectId": project_id, "userId": user_id}
            memories = await tx.run("retrieval/user_memories", **scope)
            about = await tx.run("retrieval/user_memory_entities", **scope)
            sources = await tx.run("retrieval/user_memory_sources", **scope)
            entities = await tx.run("retrieval/user_entities", **scope)
            relations = await tx.run("retrieval/user_relations", **scope)
            messages = await tx.run("retrieval/user_messages", **scope)
            rows = join_memory_rows(memories, about, sources)
            return await asyncio.to_thread(build_user_index, current, rows, entities, relations, messages)

        return await self._get(
            f"{project_id}|{user_id}", version, UserIndex, lambda: self._graph.read_tx(read)
        )

    async def group(self, project_id: str, group_id: str, name: str, version: int) -> GroupIndex:
        async def load() -> GroupIndex:
            memories = await self._graph.read(
                "retrieval/group_memories", projectId=project_id, groupId=group_id
            )
            rows = join_memory_rows(memories, [], [])
            return await asyncio.to_thread(build_group_index, group_id, name, version, rows)

        return await self._get(f"{project_id}|{group_id}", version, GroupIndex, load)
