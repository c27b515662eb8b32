"""Per-user and per-group retrieval indexes, cached in this process while their version holds.

Every write to a user graph increments `UserGraph.version` under the graph's write lock (and
every change to a group's memories `Group.version`), so a request reads the version (one small
query it needs anyway) and uses the cached index when it matches; otherwise one request loads it
(the others wait for that load) inside a read transaction that reads the version first: a write
landing during the load leaves a newer version behind, and the next request loads again. Several
service processes each keep their own cache and stay correct. The cache is bounded by the number of
memories it holds; the least recently used indexes leave first.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from typing import TypeVar

import structlog

from app.graph.db import Graph, Tx
from app.retrieval.index import GroupIndex, UserIndex, build_group_index, build_user_index

log = structlog.get_logger(__name__)
T = TypeVar("T", UserIndex, GroupIndex)


class IndexCache:
    def __init__(self, graph: Graph, capacity: int) -> None:
        self._graph = graph
        self._capacity = capacity
        self._entries: OrderedDict[str, UserIndex | GroupIndex] = OrderedDict()
        self._loading: dict[str, asyncio.Lock] = {}
        self.loads = 0

    @property
    def memories(self) -> int:
        return sum(entry.memories.size for entry in self._entries.values())

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
            total -= gone.memories.size

    async def user(self, project_id: str, user_id: str, version: int) -> UserIndex:
        key = f"{project_id}|{user_id}"
        cached = self._fresh(key, version)
        if isinstance(cached, UserIndex):
            return cached
        async with self._loading.setdefault(key, asyncio.Lock()):
            cached = self._fresh(key, version)
            if isinstance(cached, UserIndex):
                return cached

            async def load(tx: Tx) -> UserIndex:
                state = await tx.one("retrieval/state", projectId=project_id, userId=user_id)
                current = int(state["version"]) if state else version
                memories = await tx.run("retrieval/user_memories", projectId=project_id, userId=user_id)
                entities = await tx.run("retrieval/user_entities", projectId=project_id, userId=user_id)
                relations = await tx.run("retrieval/user_relations", projectId=project_id, userId=user_id)
                return await asyncio.to_thread(build_user_index, current, memories, entities, relations)

            index = await self._graph.read_tx(load)
            self.loads += 1
            log.debug("retrieval_index_loaded", kind="user", memories=index.size)
            self._keep(key, index)
            return index

    async def group(self, project_id: str, group_id: str, name: str, version: int) -> GroupIndex:
        key = f"{project_id}|{group_id}"
        cached = self._fresh(key, version)
        if isinstance(cached, GroupIndex):
            return cached
        async with self._loading.setdefault(key, asyncio.Lock()):
            cached = self._fresh(key, version)
            if isinstance(cached, GroupIndex):
                return cached
            rows = await self._graph.read("retrieval/group_memories", projectId=project_id, groupId=group_id)
            index = await asyncio.to_thread(build_group_index, group_id, name, version, rows)
            self.loads += 1
            self._keep(key, index)
            return index
