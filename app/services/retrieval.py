"""Search, context and summary for one user: the indexes come from the cache, ranking is in-process.

A call reads the user's state (who they are, their graph's version, their groups) in one small
query, takes the user's index (and each group's) from the cache, and ranks there. Nothing else
reaches the database unless the summary is due to be rebuilt.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import structlog

from app import metadata as md
from app.clock import now_ms
from app.errors import NotFound
from app.graph.db import Graph, Row
from app.retrieval import block, excerpts, rank, summary, tokens
from app.retrieval.block import Item
from app.retrieval.cache import IndexCache
from app.retrieval.index import GroupIndex, Memories, UserIndex
from app.retrieval.queries import QueryEncoder
from app.services import groups as group_service
from app.services import personalities
from app.settings import Settings

log = structlog.get_logger(__name__)
USER_POOL = "user"
RELATION_LINES = 200
# With a query, the summary takes at most this fraction (1/n) of the budget.
SUMMARY_SHARE = 10
# Memories whose source messages help rank the excerpts.
EXCERPT_ROUTES = 30
STATES_KEPT = 10_000

RELATION_WORDS = {
    "LIVES_IN": "lives in",
    "WORKS_AT": "works at",
    "STUDIES_AT": "studies at",
    "MARRIED_TO": "is married to",
    "PARTNER_OF": "is the partner of",
    "FROM": "is from",
    "HAS_PET": "has a pet,",
    "SIBLING_OF": "is a sibling of",
    "PARENT_OF": "is a parent of",
    "CHILD_OF": "is a child of",
    "FRIEND_OF": "is friends with",
    "COLLEAGUE_OF": "works with",
    "LIKES": "likes",
    "DISLIKES": "dislikes",
    "ALLERGIC_TO": "is allergic to",
    "MEMBER_OF": "is a member of",
    "VISITED": "visited",
    "OWNS": "owns",
    "PLAYS": "plays",
}


@dataclass(frozen=True, slots=True)
class Found:
    row: Row
    score: float


@dataclass(frozen=True, slots=True)
class Context:
    text: str
    tokens: int
    template: str
    memory_ids: list[str]
    truncated: bool
    message_ids: list[str]


@dataclass(frozen=True, slots=True)
class SummaryResult:
    generated: bool
    summary: str | None
    memory_count: int


@dataclass(slots=True)
class _Loaded:
    user: Row
    version: int
    index: UserIndex
    groups: list[GroupIndex]


def full_name(user: Row) -> str:
    return " ".join(p for p in (user.get("firstName"), user.get("lastName")) if p)


def display_name(user: Row) -> str:
    """How the block names the user: their full name, else their external id."""
    return full_name(user) or user.get("externalId") or "the user"


def group_row(memories: Memories, i: int, group_id: str) -> Row:
    row = memories.rows[i]
    return {**row, "memory": {**row["memory"], "groupId": group_id, "userId": None}}


class Retrieval:
    def __init__(self, graph: Graph, settings: Settings) -> None:
        self.graph = graph
        self.settings = settings
        self.cache = IndexCache(graph, settings.retrieval_cache_memories)
        self.encoder = QueryEncoder(
            settings.embedding_precision,
            backend=settings.query_encoder,
            cache_dir=settings.model_cache_dir or settings.data_dir / "models",
        )
        self.weights = rank.Weights(
            meaning=settings.search_weight_meaning,
            words=settings.search_weight_words,
            graph=settings.search_weight_graph,
            recency=settings.search_weight_recency,
            rrf_k=settings.search_rrf_k,
            candidates=settings.search_candidates,
        )
        self.excerpt_weights = excerpts.ExcerptWeights(
            meaning=settings.excerpt_weight_meaning,
            words=settings.excerpt_weight_words,
            memories=settings.excerpt_weight_memories,
            replies=settings.excerpt_weight_replies,
            rrf_k=settings.excerpt_rrf_k,
        )
        self._summarising: set[str] = set()
        self._states: dict[str, tuple[int, float, Row]] = {}

    async def start(self) -> None:
        await self.encoder.start()
        tokens.encoding()

    def close(self) -> None:
        self.encoder.close()

    async def _load(self, project_id: str, user_id: str, group_names: list[str]) -> _Loaded:
        state = await self._state(project_id, user_id)
        wanted = {g[0]: (g[1], int(g[2])) for g in state["groups"]}
        if group_names:
            for g in await group_service.groups_by_name(self.graph, project_id=project_id, names=group_names):
                wanted[g["id"]] = (g["name"], int(g["version"]))
        version = int(state["version"])
        index = await self.cache.user(project_id, user_id, version)
        groups = [await self.cache.group(project_id, gid, name, v) for gid, (name, v) in wanted.items()]
        return _Loaded(state["user"], version, index, groups)

    async def _state(self, project_id: str, user_id: str) -> Row:
        """The user, their graph's version and their groups. Kept for `retrieval_state_seconds` while
        this process writes nothing at all (a write here is seen at once; one by another replica of
        the service within that time)."""
        key = f"{project_id}|{user_id}"
        writes, now = self.graph.writes, time.monotonic()
        kept = self._states.get(key)
        if kept is not None and kept[0] == writes and now - kept[1] < self.settings.retrieval_state_seconds:
            return kept[2]
        state = await self.graph.read_one("retrieval/state", projectId=project_id, userId=user_id)
        if state is None:
            self._states.pop(key, None)
            raise NotFound(f"No user {user_id}")
        self._states[key] = (writes, now, state)
        if len(self._states) > STATES_KEPT:
            self._states.pop(next(iter(self._states)))
        return state

    def _pools(self, loaded: _Loaded, scope: rank.Scope, query: str | None) -> list[rank.Pool]:
        memories = loaded.index.memories
        graph = loaded.index.graph_scores(query) if query else {}
        pools = [rank.Pool(USER_POOL, memories, scope.mask(memories), graph)]
        group_scope = rank.Scope(kinds=scope.kinds, include_invalid=scope.include_invalid)
        pools += [rank.Pool(g.id, g.memories, group_scope.mask(g.memories), {}) for g in loaded.groups]
        return pools

    def _row(self, loaded: _Loaded, pool: str, i: int) -> Row:
        if pool == USER_POOL:
            return loaded.index.memories.rows[i]
        return group_row(self._group(loaded, pool).memories, i, pool)

    async def _check_personality(self, project_id: str, personality_id: str | None) -> None:
        if personality_id is not None:
            await personalities.get_personality(
                self.graph, project_id=project_id, personality_id=personality_id
            )

    async def search(
        self,
        *,
        project_id: str,
        user_id: str,
        query: str,
        limit: int,
        kinds: list[str] | None,
        personality_id: str | None,
        groups: list[str],
        include_invalid: bool,
    ) -> list[Found]:
        loaded = await self._load(project_id, user_id, groups)
        await self._check_personality(project_id, personality_id)
        scope = rank.Scope(frozenset(kinds) if kinds else None, personality_id, include_invalid)
        vector = await self.encoder.vector(query)
        hits = rank.search(self._pools(loaded, scope, query), vector, query, self.weights, limit)
        return [Found(self._row(loaded, h.pool, h.position), h.score) for h in hits]

    async def context(
        self,
        *,
        project_id: str,
        user_id: str,
        template: str,
        max_tokens: int,
        query: str | None,
        groups: list[str],
        personality_id: str | None,
    ) -> Context:
        loaded = await self._load(project_id, user_id, groups)
        await self._check_personality(project_id, personality_id)
        user = loaded.user
        await self._refresh_summary(project_id, user_id, loaded)
        user = loaded.user
        name = display_name(user)
        scope = rank.Scope(personality_id=personality_id)
        pools = self._pools(loaded, scope, query)
        room = max(max_tokens // 6, 10)
        items: list[Item] = []
        items += self._summary_items(loaded, max_tokens, bool(query))
        items += self._who(user, template)
        if query:
            vector = await self.encoder.vector(query)
            hits = rank.search(pools, vector, query, self.weights, max(room, EXCERPT_ROUTES))
            relevant = [self._memory_item(loaded, h.pool, h.position, "relevant") for h in hits]
            first = self.settings.context_relevant_facts
            items += relevant[:first]
            items += self._excerpts(loaded, personality_id, vector, query, hits, room)
            items += relevant[first:room]
        user_pool = pools[0]
        for i in rank.by_importance(user_pool, room):
            items.append(self._memory_item(loaded, USER_POOL, i, None))
        items += self._relations(loaded.index, name, user_pool.mask)
        for pool in pools[1:]:
            for i in rank.by_importance(pool, room):
                items.append(self._memory_item(loaded, pool.key, i, "group"))
        packed = block.pack(template, name, items, max_tokens, tokens.count)
        return Context(
            packed.text, packed.tokens, template, packed.memory_ids, packed.truncated, packed.message_ids
        )

    def _excerpts(
        self,
        loaded: _Loaded,
        personality_id: str | None,
        vector: np.ndarray,
        query: str,
        hits: list[rank.Hit],
        limit: int,
    ) -> list[Item]:
        """The user's messages that best answer `query`, quoted: ranked by meaning, words and the
        messages behind the memories the search found (the graph's help)."""
        messages = loaded.index.messages
        if not messages.size:
            return []
        memories = loaded.index.memories
        routed = [
            m for h in hits if h.pool == USER_POOL for m in memories.rows[h.position]["sourceMessageIds"]
        ]
        found = excerpts.rank(
            messages, messages.mask(personality_id), vector, query, routed, self.excerpt_weights, limit
        )
        return [Item("excerpts", messages.line(i), message_id=messages.ids[i]) for i in found]

    def _summary_items(self, loaded: _Loaded, max_tokens: int, focused: bool) -> list[Item]:
        """The summary paragraph; with a query, only its first sentences within a tenth of the
        budget, so that what answers the query has the room."""
        user = loaded.user
        if not user.get("summary"):
            return []
        made = self._made(loaded)
        if made.text != user["summary"]:  # stored by another replica from a newer graph: as stored
            return [Item("summary", user["summary"], covers=tuple(user.get("summaryMemoryIds") or ()))]
        if focused:
            made = made.within(max(max_tokens // SUMMARY_SHARE, 0), tokens.count)
        return [Item("summary", made.text, covers=made.memory_ids)] if made.text else []

    def _who(self, user: Row, template: str) -> list[Item]:
        lines = []
        name = full_name(user)
        if name:
            lines.append(f"Name: {name}")
        if template == "support" and user.get("email"):
            lines.append(f"Email: {user['email']}")
        metadata = md.loads(user.get("metadata"))
        for key in self.settings.context_metadata_keys:
            value = metadata.get(key)
            if isinstance(value, str | int | float) and not isinstance(value, bool) and str(value).strip():
                lines.append(f"{key.capitalize()}: {value}")
        return [Item("who", line) for line in lines]

    def _memory_item(self, loaded: _Loaded, pool: str, i: int, section: str | None) -> Item:
        memories = loaded.index.memories if pool == USER_POOL else self._group(loaded, pool).memories
        key = (i, section)
        item = memories.rendered.get(key)  # an index never changes: its lines are made once
        if item is None:
            memory = memories.rows[i]["memory"]
            kind = memory.get("kind") or "fact"
            valid_at = memory.get("validAt") if pool == USER_POOL else None  # a knowledge base is undated
            text = block.dated(memory["text"], kind, valid_at, lasting=bool(memory.get("slot")))
            group = None if pool == USER_POOL else self._group(loaded, pool).name
            sources = tuple(memories.rows[i]["sourceMessageIds"]) if pool == USER_POOL else ()
            item = Item(
                section or block.SECTION_OF_KIND.get(kind, "facts"),
                text,
                memory["id"],
                group=group,
                sources=sources,
            )
            memories.rendered[key] = item
        return item

    @staticmethod
    def _group(loaded: _Loaded, pool: str) -> GroupIndex:
        return next(g for g in loaded.groups if g.id == pool)

    @staticmethod
    def _relations(index: UserIndex, name: str, mask: np.ndarray) -> list[Item]:
        """The user's valid relations as sentences (the user by name), the most attested first; a
        relation shows only when a memory that states it is in scope (a personality's memories
        stay with that personality)."""
        cached = index.rendered_relations.get(name)
        if cached is None:
            cached = []
            for r in sorted(index.relations, key=lambda r: -len(r.memory_ids))[:RELATION_LINES]:
                source, target = index.entities[r.source], index.entities[r.target]
                words = RELATION_WORDS.get(r.type) or (r.label or "is related to").replace("_", " ").lower()
                subject = name if source.is_self else source.name
                cached.append(Item("relations", f"{subject} {words} {target.name}.", covered_by=r.memory_ids))
            index.rendered_relations = {name: cached}
        position = index.memories.position
        return [
            item
            for item in cached
            if any(m in position and mask[position[m]] for m in item.covered_by) or not item.covered_by
        ]

    # --- summary -------------------------------------------------------------------------------

    @staticmethod
    def _made(loaded: _Loaded) -> summary.Summary:
        """The summary of the user's current memories: those about the user (by their name or
        their entity's), made once per index version."""
        index = loaded.index
        names = tuple(dict.fromkeys(n for n in (full_name(loaded.user), loaded.user.get("firstName")) if n))
        names = tuple(dict.fromkeys((*names, *index.self_names)))
        made: summary.Summary | None = index.summaries.get(names)
        if made is None:
            made = summary.summarize(index.memories, names)
            index.summaries[names] = made
        return made

    async def _refresh_summary(self, project_id: str, user_id: str, loaded: _Loaded) -> None:
        """Rebuilt on read: when the graph changed since the stored summary was made and the
        summary of what it holds now reads differently, the new one is stored (and shown)."""
        if int(loaded.user.get("summaryVersion") or -1) == loaded.version:
            return
        made = self._made(loaded)
        if (made.text or None) != loaded.user.get("summary"):
            await self._save_summary(project_id, user_id, loaded, made)

    async def _save_summary(
        self, project_id: str, user_id: str, loaded: _Loaded, made: summary.Summary
    ) -> None:
        if user_id in self._summarising:
            return
        self._summarising.add(user_id)
        try:
            await self.graph.write(
                "retrieval/save_summary",
                projectId=project_id,
                userId=user_id,
                summary=made.text or None,
                memoryIds=list(made.memory_ids),
                version=loaded.version,
                now=now_ms(),
            )
        finally:
            self._summarising.discard(user_id)
        loaded.user = {
            **loaded.user,
            "summary": made.text or None,
            "summaryMemoryIds": list(made.memory_ids),
            "summaryVersion": loaded.version,
        }
        log.info("summary_generated", memories=len(made.memory_ids))

    async def current_summary(self, *, project_id: str, user_id: str) -> str | None:
        """The user's summary, rebuilt first if the graph changed since it was made (what the user
        object shows)."""
        state = await self._state(project_id, user_id)
        user, version = state["user"], int(state["version"])
        if int(user.get("summaryVersion") or -1) == version:
            return str(user["summary"]) if user.get("summary") else None
        index = await self.cache.user(project_id, user_id, version)
        loaded = _Loaded(user, version, index, [])
        await self._refresh_summary(project_id, user_id, loaded)
        return loaded.user.get("summary")

    async def summarize(self, *, project_id: str, user_id: str, force: bool) -> SummaryResult:
        loaded = await self._load(project_id, user_id, [])
        made = self._made(loaded)
        current = loaded.user.get("summary")
        if not force and current is not None and current == (made.text or None):
            return SummaryResult(False, current, made.considered)
        if not force and current is None and not made.text:
            return SummaryResult(False, None, made.considered)
        await self._save_summary(project_id, user_id, loaded, made)
        return SummaryResult(True, made.text or None, made.considered)
