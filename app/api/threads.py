"""Threads (alias: conversations) and their messages."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec
from litestar import Controller, delete, get, patch, post
from litestar.datastructures import State
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter
from msgspec import UNSET, UnsetType

from app import metadata as md
from app.api.deps import (
    Cursor,
    CursorsDep,
    GraphDep,
    Limit,
    PrincipalDep,
    SettingsDep,
    changed,
    metadata_patch,
    parse_time,
    validate_metadata,
)
from app.api.users import Deleted, Email, ExternalId, Name
from app.clock import to_rfc3339
from app.errors import PayloadTooLarge, ValidationFailed
from app.graph.db import Row
from app.pagination import DEFAULT_LIMIT, Pagination
from app.services import messages as message_service
from app.services import threads as service
from app.settings import Settings

Role = Literal["user", "assistant", "system", "tool"]
Status = Literal["active", "completed"]
ThreadName = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
PersonalityId = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]


class ThreadCreate(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    name: ThreadName | None = None
    personality_id: PersonalityId | None = None
    metadata: dict[str, Any] = msgspec.field(default_factory=dict)


class ThreadCreateFor(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    """`POST /v1/threads`: the user by `userId` or `externalId`, optionally created on the fly."""

    user_id: str | None = None
    external_id: ExternalId | None = None
    auto_create_user: bool = False
    user_metadata: dict[str, Any] = msgspec.field(default_factory=dict)
    user_email: Email | None = None
    user_first_name: Name | None = None
    name: ThreadName | None = None
    personality_id: PersonalityId | None = None
    metadata: dict[str, Any] = msgspec.field(default_factory=dict)


class ThreadPatch(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    name: ThreadName | UnsetType | None = UNSET
    status: Status | UnsetType = UNSET
    metadata: dict[str, Any] | UnsetType = UNSET


class Thread(msgspec.Struct, rename="camel"):
    id: str
    user_id: str
    name: str | None
    personality_id: str | None
    status: str
    metadata: dict[str, Any]
    message_count: int
    duration_seconds: int
    created_at: str | None
    last_message_at: str | None


class ThreadList(msgspec.Struct, rename="camel"):
    threads: list[Thread]
    pagination: Pagination


class ConversationList(msgspec.Struct, rename="camel"):
    conversations: list[Thread]
    pagination: Pagination


class MessageIn(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    role: Role
    content: str
    name: Name | None = None
    created_at: str | None = None
    metadata: dict[str, Any] = msgspec.field(default_factory=dict)


class AppendBody(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    """One message (`role`, `content`, ...) or a batch (`messages`), not both."""

    messages: list[MessageIn] | None = None
    role: Role | None = None
    content: str | None = None
    name: Name | None = None
    created_at: str | None = None
    metadata: dict[str, Any] = msgspec.field(default_factory=dict)


class Message(msgspec.Struct, rename="camel"):
    id: str
    thread_id: str
    seq: int
    role: str
    content: str
    name: str | None
    metadata: dict[str, Any]
    created_at: str | None


class Ingested(msgspec.Struct, rename="camel"):
    message_id: str
    job_id: str


class Appended(msgspec.Struct, rename="camel"):
    thread_id: str
    messages: list[Message]
    ingested: list[Ingested]


class ThreadSummary(msgspec.Struct, rename="camel"):
    id: str
    name: str | None
    user_id: str


class Replay(msgspec.Struct, rename="camel"):
    thread: ThreadSummary
    messages: list[Message]
    pagination: Pagination


def render_thread(t: Row) -> Thread:
    first, last = t.get("firstMessageAt"), t.get("lastMessageAt")
    return Thread(
        id=t["id"],
        user_id=t["userId"],
        name=t.get("name"),
        personality_id=t.get("personalityId"),
        status=t["status"],
        metadata=md.loads(t.get("metadata")),
        message_count=t.get("messageCount", 0),
        duration_seconds=(last - first) // 1000 if first is not None and last is not None else 0,
        created_at=to_rfc3339(t.get("createdAt")),
        last_message_at=to_rfc3339(last),
    )


def render_message(m: Row) -> Message:
    return Message(
        id=m["id"],
        thread_id=m["threadId"],
        seq=m["seq"],
        role=m["role"],
        content=m["content"],
        name=m.get("name"),
        metadata=md.loads(m.get("metadata")),
        created_at=to_rfc3339(m.get("createdAt")),
    )


def _new_messages(body: AppendBody, settings: Settings) -> list[message_service.NewMessage]:
    if body.messages is not None:
        if body.role is not None or body.content is not None:
            raise ValidationFailed(
                [{"field": "messages", "message": "send one message or `messages`, not both"}]
            )
        items, prefix = body.messages, "messages"
    elif body.role is None or body.content is None:
        raise ValidationFailed([{"field": "role" if body.role is None else "content", "message": "required"}])
    else:
        items = [MessageIn(body.role, body.content, body.name, body.created_at, body.metadata)]
        prefix = ""
    if not items:
        raise ValidationFailed([{"field": "messages", "message": "at least one message"}])
    if len(items) > settings.max_batch_messages:
        raise PayloadTooLarge(
            f"{len(items)} messages in one append; the limit is {settings.max_batch_messages}",
            field="messages",
        )
    out = []
    for i, item in enumerate(items):
        where = f"{prefix}[{i}]." if prefix else ""
        if not item.content.strip():
            raise ValidationFailed([{"field": f"{where}content", "message": "must not be empty"}])
        size = len(item.content.encode())
        if size > settings.max_content_bytes:
            raise PayloadTooLarge(
                f"`{where}content` is {size} bytes; the limit is {settings.max_content_bytes}",
                field=f"{where}content",
            )
        validate_metadata(item.metadata, f"{where}metadata", settings)
        out.append(
            message_service.NewMessage(
                role=item.role,
                content=item.content,
                name=item.name,
                created_at=parse_time(item.created_at, field=f"{where}createdAt"),
                metadata=item.metadata,
            )
        )
    return out


class ThreadController(Controller):
    tags = ["Threads"]

    @post("/v1/users/{user_id:str}/threads", summary="Create a thread for a user")
    async def create(
        self,
        user_id: FromPath[str],
        data: JSONBody[ThreadCreate],
        graph: GraphDep,
        principal: PrincipalDep,
        settings: SettingsDep,
    ) -> Thread:
        validate_metadata(data.metadata, "metadata", settings)
        row = await service.create_thread(
            graph,
            project_id=principal.project_id,
            user_id=user_id,
            name=data.name,
            personality_id=data.personality_id,
            metadata=data.metadata,
        )
        return render_thread(row)

    @post(["/v1/threads", "/v1/conversations"], summary="Create a thread by userId or externalId")
    async def create_for(
        self, data: JSONBody[ThreadCreateFor], graph: GraphDep, principal: PrincipalDep, settings: SettingsDep
    ) -> Thread:
        if (data.user_id is None) == (data.external_id is None):
            raise ValidationFailed(
                [{"field": "userId", "message": "give exactly one of userId and externalId"}]
            )
        validate_metadata(data.metadata, "metadata", settings)
        validate_metadata(data.user_metadata, "userMetadata", settings)
        user_id = await service.resolve_user(
            graph,
            project_id=principal.project_id,
            user_id=data.user_id,
            external_id=data.external_id,
            auto_create=service.NewUser(
                email=data.user_email, first_name=data.user_first_name, metadata=data.user_metadata
            )
            if data.auto_create_user
            else None,
        )
        row = await service.create_thread(
            graph,
            project_id=principal.project_id,
            user_id=user_id,
            name=data.name,
            personality_id=data.personality_id,
            metadata=data.metadata,
        )
        return render_thread(row)

    async def _list(
        self,
        graph: GraphDep,
        principal: PrincipalDep,
        cursors: CursorsDep,
        user_id: str,
        personality_id: str | None,
        status: str | None,
        limit: int,
        cursor: str | None,
    ) -> tuple[list[Thread], Pagination]:
        pages = cursors.bind(
            project_id=principal.project_id,
            scope=f"threads:{user_id}",
            query={"personalityId": personality_id, "status": status, "limit": limit},
        )
        rows = await service.list_threads(
            graph,
            project_id=principal.project_id,
            user_id=user_id,
            personality_id=personality_id,
            status=status,
            after=pages.position(cursor),
            limit=limit + 1,
        )
        page, pagination = pages.page(rows, limit, key=lambda t: (t["activityAt"], t["id"]))
        return [render_thread(t) for t in page], pagination

    @get("/v1/users/{user_id:str}/threads", summary="A user's threads, newest activity first")
    async def list_threads(
        self,
        user_id: FromPath[str],
        graph: GraphDep,
        principal: PrincipalDep,
        cursors: CursorsDep,
        personality_id: Annotated[str | None, QueryParameter(name="personalityId", max_length=64)] = None,
        status: FromQuery[Status | None] = None,
        limit: Limit = DEFAULT_LIMIT,
        cursor: Cursor = None,
    ) -> ThreadList:
        threads, pagination = await self._list(
            graph, principal, cursors, user_id, personality_id, status, limit, cursor
        )
        return ThreadList(threads=threads, pagination=pagination)

    @get("/v1/users/{user_id:str}/conversations", summary="The same list, as conversations")
    async def list_conversations(
        self,
        user_id: FromPath[str],
        graph: GraphDep,
        principal: PrincipalDep,
        cursors: CursorsDep,
        personality_id: Annotated[str | None, QueryParameter(name="personalityId", max_length=64)] = None,
        status: FromQuery[Status | None] = None,
        limit: Limit = DEFAULT_LIMIT,
        cursor: Cursor = None,
    ) -> ConversationList:
        threads, pagination = await self._list(
            graph, principal, cursors, user_id, personality_id, status, limit, cursor
        )
        return ConversationList(conversations=threads, pagination=pagination)

    @get("/v1/threads/{thread_id:str}", summary="One thread")
    async def get_thread(self, thread_id: FromPath[str], graph: GraphDep, principal: PrincipalDep) -> Thread:
        return render_thread(
            await service.get_thread(graph, project_id=principal.project_id, thread_id=thread_id)
        )

    @patch("/v1/threads/{thread_id:str}", summary="Rename, change status or metadata")
    async def update(
        self,
        thread_id: FromPath[str],
        data: JSONBody[ThreadPatch],
        graph: GraphDep,
        principal: PrincipalDep,
        settings: SettingsDep,
    ) -> Thread:
        changes = changed(name=data.name, status=data.status)
        patch_metadata = metadata_patch(data.metadata, settings)
        row = await service.update_thread(
            graph,
            project_id=principal.project_id,
            thread_id=thread_id,
            changes=changes,
            metadata_patch=patch_metadata,
            limits=settings.metadata_limits,
        )
        return render_thread(row)

    @delete(
        "/v1/threads/{thread_id:str}",
        status_code=200,
        summary="Delete a thread and what derives only from it",
    )
    async def delete_thread(
        self, thread_id: FromPath[str], graph: GraphDep, principal: PrincipalDep
    ) -> Deleted:
        await service.delete_thread(graph, project_id=principal.project_id, thread_id=thread_id)
        return Deleted(deleted=True, id=thread_id)

    @post("/v1/threads/{thread_id:str}/messages", summary="Append one message or a batch")
    async def append(
        self,
        thread_id: FromPath[str],
        data: JSONBody[AppendBody],
        graph: GraphDep,
        principal: PrincipalDep,
        settings: SettingsDep,
        state: State,
    ) -> Appended:
        stored = await message_service.append_messages(
            graph,
            state.thread_locks,
            project_id=principal.project_id,
            thread_id=thread_id,
            messages=_new_messages(data, settings),
        )
        ingested = [Ingested(message_id=m["id"], job_id=m["jobId"]) for m in stored if m["jobId"]]
        if ingested:
            state.ingest.wake()
        return Appended(thread_id=thread_id, messages=[render_message(m) for m in stored], ingested=ingested)

    @get("/v1/threads/{thread_id:str}/messages", summary="Replay a thread in conversation order")
    async def replay(
        self,
        thread_id: FromPath[str],
        graph: GraphDep,
        principal: PrincipalDep,
        cursors: CursorsDep,
        limit: Limit = DEFAULT_LIMIT,
        cursor: Cursor = None,
    ) -> Replay:
        thread = await service.get_thread(graph, project_id=principal.project_id, thread_id=thread_id)
        pages = cursors.bind(
            project_id=principal.project_id, scope=f"messages:{thread_id}", query={"limit": limit}
        )
        after = pages.position(cursor)
        rows = await message_service.list_messages(
            graph,
            project_id=principal.project_id,
            thread_id=thread_id,
            after_seq=after[0] if after else None,
            limit=limit + 1,
        )
        page, pagination = pages.page(rows, limit, key=lambda m: (m["seq"], m["id"]))
        return Replay(
            thread=ThreadSummary(id=thread["id"], name=thread.get("name"), user_id=thread["userId"]),
            messages=[render_message(m) for m in page],
            pagination=pagination,
        )
