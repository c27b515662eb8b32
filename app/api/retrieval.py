"""Memory search, the context block and the user summary."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import get, post
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from app.api.deps import PrincipalDep, RetrievalDep, SettingsDep
from app.api.memories import Memory, render_memory
from app.errors import ValidationFailed
from app.memory.extract.vocabulary import Kind
from app.retrieval.block import Template

Query = Annotated[str, msgspec.Meta(min_length=1, max_length=2000)]
GroupNames = Annotated[
    list[Annotated[str, msgspec.Meta(min_length=1, max_length=200)]], msgspec.Meta(max_length=20)
]
MAX_CONTEXT_TOKENS = 8000
MIN_CONTEXT_TOKENS = 50


class SearchRequest(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    query: Query
    limit: Annotated[int, msgspec.Meta(ge=1, le=100)] = 10
    kinds: list[Kind] | None = None
    personality_id: str | None = None
    groups: GroupNames = msgspec.field(default_factory=list)
    include_invalid: bool = False


class SearchResult(msgspec.Struct, rename="camel"):
    memory: Memory
    score: float


class SearchResponse(msgspec.Struct, rename="camel"):
    results: list[SearchResult]


class ContextResponse(msgspec.Struct, rename="camel"):
    context: str
    tokens: int
    template: str
    memories: list[str]
    truncated: bool
    messages: list[str] = msgspec.field(default_factory=list)


class SummaryResponse(msgspec.Struct, rename="camel"):
    generated: bool
    summary: str | None
    memory_count: int


def _names(value: str | None) -> list[str]:
    names = [n.strip() for n in (value or "").split(",") if n.strip()]
    if len(names) > 20:
        raise ValidationFailed([{"field": "groups", "message": "at most 20 groups"}])
    return names


@post(
    "/v1/users/{user_id:str}/memories/search",
    status_code=200,
    tags=["Memories"],
    summary="Hybrid search of a user's memories: meaning, words, graph neighbourhood, recency",
)
async def search_memories(
    user_id: FromPath[str], data: JSONBody[SearchRequest], retrieval: RetrievalDep, principal: PrincipalDep
) -> SearchResponse:
    if not data.query.strip():
        raise ValidationFailed([{"field": "query", "message": "must not be blank"}])
    found = await retrieval.search(
        project_id=principal.project_id,
        user_id=user_id,
        query=data.query.strip(),
        limit=data.limit,
        kinds=list(data.kinds) if data.kinds else None,
        personality_id=data.personality_id,
        groups=[g.strip() for g in data.groups if g.strip()],
        include_invalid=data.include_invalid,
    )
    return SearchResponse([SearchResult(render_memory(f.row), f.score) for f in found])


@get("/v1/users/{user_id:str}/context", tags=["Context"], summary="A paste-ready system-prompt block")
async def get_context(
    user_id: FromPath[str],
    retrieval: RetrievalDep,
    principal: PrincipalDep,
    settings: SettingsDep,
    template: FromQuery[Template] = "chat",
    max_tokens: Annotated[
        int | None,
        QueryParameter(
            name="maxTokens", ge=MIN_CONTEXT_TOKENS, le=MAX_CONTEXT_TOKENS, description="Token budget"
        ),
    ] = None,
    focus: Annotated[
        str | None, QueryParameter(name="query", max_length=2000, description="Focus the block on this")
    ] = None,
    groups: Annotated[
        str | None, QueryParameter(description="Comma-separated group names to merge in")
    ] = None,
    personality_id: Annotated[str | None, QueryParameter(name="personalityId")] = None,
) -> ContextResponse:
    context = await retrieval.context(
        project_id=principal.project_id,
        user_id=user_id,
        template=template,
        max_tokens=max_tokens or settings.context_default_tokens,
        query=(focus or "").strip() or None,
        groups=_names(groups),
        personality_id=personality_id,
    )
    return ContextResponse(
        context.text,
        context.tokens,
        context.template,
        context.memory_ids,
        context.truncated,
        context.message_ids,
    )


@post(
    "/v1/users/{user_id:str}/summary", status_code=200, tags=["Users"], summary="Regenerate the user summary"
)
async def make_summary(
    user_id: FromPath[str],
    retrieval: RetrievalDep,
    principal: PrincipalDep,
    force: FromQuery[bool] = False,
) -> SummaryResponse:
    result = await retrieval.summarize(project_id=principal.project_id, user_id=user_id, force=force)
    return SummaryResponse(result.generated, result.summary, result.memory_count)


ROUTES = [search_memories, get_context, make_summary]
