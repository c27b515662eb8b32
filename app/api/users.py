"""`/v1/users`: create, list, read, patch, delete, graph diagnostics, stats."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, delete, get, patch, post
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter
from msgspec import UNSET, UnsetType

from app import errors
from app import metadata as md
from app.api.deps import (
    Cursor,
    CursorsDep,
    GraphDep,
    Limit,
    PrincipalDep,
    RetrievalDep,
    SettingsDep,
    changed,
    metadata_patch,
    parse_time,
    validate_metadata,
)
from app.clock import to_rfc3339
from app.graph.db import Row
from app.pagination import DEFAULT_LIMIT, Pagination
from app.services import users as service

Email = Annotated[str, msgspec.Meta(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=254)]
# A person's name holds a letter or digit: it names them in their memories (".", "!!" would not).
Name = Annotated[
    str,
    msgspec.Meta(
        min_length=1,
        max_length=200,
        pattern=errors.pattern(r"[^\W_]", "must contain at least one letter or digit"),
        description="At least one letter or digit",
    ),
]
# Not ending in "/": GET /v1/users/external/{id} could not tell "ab/" from "ab".
ExternalId = Annotated[
    str,
    msgspec.Meta(
        min_length=1,
        max_length=255,
        pattern=errors.pattern(r"[^/]$", "must not end with '/'"),
        description="Must not end with '/'",
    ),
]


class UserCreate(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    external_id: ExternalId | None = None
    email: Email | None = None
    first_name: Name | None = None
    last_name: Name | None = None
    metadata: dict[str, Any] = msgspec.field(default_factory=dict)


class UserPatch(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    external_id: ExternalId | UnsetType | None = UNSET
    email: Email | UnsetType | None = UNSET
    first_name: Name | UnsetType | None = UNSET
    last_name: Name | UnsetType | None = UNSET
    metadata: dict[str, Any] | UnsetType = UNSET


class UserStats(msgspec.Struct, rename="camel", omit_defaults=True):
    threads: int
    memories: int
    messages: int | None = None
    entities: int | None = None


class User(msgspec.Struct, rename="camel"):
    id: str
    external_id: str | None
    email: str | None
    first_name: str | None
    last_name: str | None
    metadata: dict[str, Any]
    graph_id: str | None
    summary: str | None
    stats: UserStats
    created_at: str | None
    updated_at: str | None
    last_conversation_at: str | None


class UserList(msgspec.Struct, rename="camel"):
    users: list[User]
    pagination: Pagination


class Deleted(msgspec.Struct, rename="camel"):
    deleted: bool
    id: str


class GraphStats(msgspec.Struct, rename="camel"):
    memories: int
    entities: int
    relations: int


class UserGraph(msgspec.Struct, rename="camel"):
    user_id: str
    graph_id: str
    created_at: str | None
    stats: GraphStats


class ConversationStats(msgspec.Struct, rename="camel"):
    total_conversations: int
    total_messages: int
    personalities_used: int
    memories_count: int
    entities_count: int
    integrations_count: int
    first_conversation_at: str | None
    last_conversation_at: str | None


class UserStatsResponse(msgspec.Struct, rename="camel"):
    user_id: str
    stats: ConversationStats


def render_user(row: Row) -> User:
    u = row["user"]
    return User(
        id=u["id"],
        external_id=u.get("externalId"),
        email=u.get("email"),
        first_name=u.get("firstName"),
        last_name=u.get("lastName"),
        metadata=md.loads(u.get("metadata")),
        graph_id=row.get("graphId"),
        summary=u.get("summary"),
        stats=UserStats(
            threads=row.get("threads", 0),
            memories=row.get("memories", 0),
            messages=row.get("messages"),
            entities=row.get("entities"),
        ),
        created_at=to_rfc3339(u.get("createdAt")),
        updated_at=to_rfc3339(u.get("updatedAt")),
        last_conversation_at=to_rfc3339(u.get("lastConversationAt")),
    )


class UserController(Controller):
    path = "/v1/users"
    tags = ["Users"]

    @post("/", summary="Create a user and its user graph")
    async def create(
        self, data: JSONBody[UserCreate], graph: GraphDep, principal: PrincipalDep, settings: SettingsDep
    ) -> User:
        validate_metadata(data.metadata, "metadata", settings)
        row = await service.create_user(
            graph,
            project_id=principal.project_id,
            external_id=data.external_id,
            email=data.email,
            first_name=data.first_name,
            last_name=data.last_name,
            metadata=data.metadata,
        )
        return render_user(row)

    @get("/", summary="List users, newest first")
    async def list_users(
        self,
        request: Request[Any, Any, Any],
        graph: GraphDep,
        principal: PrincipalDep,
        cursors: CursorsDep,
        limit: Limit = DEFAULT_LIMIT,
        cursor: Cursor = None,
        created_after: Annotated[str | None, QueryParameter(name="createdAfter")] = None,
        created_before: Annotated[str | None, QueryParameter(name="createdBefore")] = None,
        external_id: Annotated[str | None, QueryParameter(name="externalId")] = None,
        email: FromQuery[str | None] = None,
        q: Annotated[str | None, QueryParameter(max_length=200)] = None,
    ) -> UserList:
        filters = service.UserFilter(
            created_after=parse_time(created_after, field="createdAfter"),
            created_before=parse_time(created_before, field="createdBefore"),
            external_id=external_id,
            email=email,
            q=q,
            metadata={
                k.removeprefix("metadata."): v
                for k, v in request.query_params.items()
                if k.startswith("metadata.") and len(k) > len("metadata.")
            },
        )
        pages = cursors.bind(
            project_id=principal.project_id, scope="users", query={**filters.as_params(), "limit": limit}
        )
        rows = await service.list_users(
            graph,
            project_id=principal.project_id,
            filters=filters,
            after=pages.position(cursor),
            limit=limit + 1,
        )
        page, pagination = pages.page(rows, limit, key=lambda r: (r["user"]["createdAt"], r["user"]["id"]))
        return UserList(users=[render_user(r) for r in page], pagination=pagination)

    @get("/{user_id:str}", summary="One user with stats and summary")
    async def get_user(
        self, user_id: FromPath[str], graph: GraphDep, principal: PrincipalDep, retrieval: RetrievalDep
    ) -> User:
        summary = await retrieval.current_summary(project_id=principal.project_id, user_id=user_id)
        row = await service.get_user(graph, project_id=principal.project_id, user_id=user_id)
        return render_user({**row, "user": {**row["user"], "summary": summary}})

    @get("/external/{external_id:path}", summary="One user by external id")
    async def get_by_external_id(
        self, external_id: FromPath[str], graph: GraphDep, principal: PrincipalDep, retrieval: RetrievalDep
    ) -> User:
        row = await service.get_user_by_external_id(
            graph, project_id=principal.project_id, external_id=external_id.removeprefix("/")
        )
        summary = await retrieval.current_summary(project_id=principal.project_id, user_id=row["user"]["id"])
        return render_user({**row, "user": {**row["user"], "summary": summary}})

    @patch("/{user_id:str}", summary="Change fields; metadata keys merge, null removes a key")
    async def update(
        self,
        user_id: FromPath[str],
        data: JSONBody[UserPatch],
        graph: GraphDep,
        principal: PrincipalDep,
        settings: SettingsDep,
    ) -> User:
        changes = changed(
            externalId=data.external_id, email=data.email, firstName=data.first_name, lastName=data.last_name
        )
        patch_metadata = metadata_patch(data.metadata, settings)
        row = await service.update_user(
            graph,
            project_id=principal.project_id,
            user_id=user_id,
            changes=changes,
            metadata_patch=patch_metadata,
            limits=settings.metadata_limits,
        )
        return render_user(row)

    @delete("/{user_id:str}", status_code=200, summary="Delete a user and everything derived from them")
    async def delete_user(self, user_id: FromPath[str], graph: GraphDep, principal: PrincipalDep) -> Deleted:
        await service.delete_user(
            graph, project_id=principal.project_id, user_id=user_id, actor_key_id=principal.key_id
        )
        return Deleted(deleted=True, id=user_id)

    @get("/{user_id:str}/graph", summary="Diagnostic view of the user graph")
    async def graph(self, user_id: FromPath[str], graph: GraphDep, principal: PrincipalDep) -> UserGraph:
        row = await service.user_graph(graph, project_id=principal.project_id, user_id=user_id)
        return UserGraph(
            user_id=row["userId"],
            graph_id=row["graphId"],
            created_at=to_rfc3339(row["createdAt"]),
            stats=GraphStats(memories=row["memories"], entities=row["entities"], relations=row["relations"]),
        )

    @get("/{user_id:str}/stats", summary="Conversation and memory figures")
    async def stats(
        self, user_id: FromPath[str], graph: GraphDep, principal: PrincipalDep
    ) -> UserStatsResponse:
        row = await service.user_stats(graph, project_id=principal.project_id, user_id=user_id)
        return UserStatsResponse(
            user_id=row["userId"],
            stats=ConversationStats(
                total_conversations=row["totalConversations"],
                total_messages=row["totalMessages"],
                personalities_used=row["personalitiesUsed"],
                memories_count=row["memoriesCount"],
                entities_count=row["entitiesCount"],
                integrations_count=row["integrationsCount"],
                first_conversation_at=to_rfc3339(row["firstConversationAt"]),
                last_conversation_at=to_rfc3339(row["lastConversationAt"]),
            ),
        )
