"""`/v1/groups`: shared memory spaces of a project, their memories and their members."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Controller, delete, get, post
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from app.api.deps import ComputeDep, Cursor, CursorsDep, GraphDep, Limit, PrincipalDep
from app.api.memories import Memory, MemoryText
from app.api.memories import render_memory as render_user_memory
from app.api.users import Deleted
from app.clock import to_rfc3339
from app.errors import ValidationFailed
from app.graph.db import Row
from app.memory.extract.vocabulary import Kind
from app.pagination import DEFAULT_LIMIT, Pagination
from app.services import groups as service

# No commas (`groups=a,b` names groups in a context request) and no surrounding whitespace.
GroupName = Annotated[str, msgspec.Meta(min_length=1, max_length=100, pattern=r"^[^,\s](?:[^,]*[^,\s])?$")]
Description = Annotated[str, msgspec.Meta(max_length=2000)]
UserId = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
UserIds = Annotated[list[UserId], msgspec.Meta(min_length=1, max_length=100)]


class GroupCreate(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    name: GroupName
    description: Description | None = None


class Group(msgspec.Struct, rename="camel"):
    id: str
    name: str
    description: str | None
    member_count: int
    memory_count: int
    created_at: str | None
    updated_at: str | None


class GroupList(msgspec.Struct, rename="camel"):
    groups: list[Group]
    pagination: Pagination


class GroupMemoryCreate(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    text: MemoryText
    kind: Kind | None = None


class GroupMemoryList(msgspec.Struct, rename="camel"):
    memories: list[Memory]
    pagination: Pagination


class MembersChange(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    user_ids: UserIds


class Member(msgspec.Struct, rename="camel"):
    user_id: str
    external_id: str | None
    added_at: str | None


class MemberList(msgspec.Struct, rename="camel"):
    members: list[Member]
    pagination: Pagination


def render_group(row: Row) -> Group:
    g = row["group"]
    return Group(
        id=g["id"],
        name=g["name"],
        description=g.get("description"),
        member_count=row["memberCount"],
        memory_count=row["memoryCount"],
        created_at=to_rfc3339(g.get("createdAt")),
        updated_at=to_rfc3339(g.get("updatedAt")),
    )


def render_memory(row: Row) -> Memory:
    """A group memory in the wire shape of every memory: no user, entities or source messages."""
    return render_user_memory({"memory": row["memory"], "entities": [], "sourceMessageIds": []})


def _member_ids(data: MembersChange | None, query: list[str] | None) -> list[str]:
    """The ids of a DELETE: in the body, or as `?userIds=a&userIds=b` / `?userIds=a,b`."""
    if data is not None and query:
        raise ValidationFailed(
            [{"field": "userIds", "message": "give userIds in the body or the query, not both"}]
        )
    if data is not None:
        return data.user_ids
    ids = [i.strip() for value in query or [] for i in value.split(",") if i.strip()]
    if not 1 <= len(ids) <= 100:
        raise ValidationFailed([{"field": "userIds", "message": "give 1-100 user ids"}])
    if any(len(i) > 64 for i in ids):
        raise ValidationFailed([{"field": "userIds", "message": "user ids are at most 64 characters"}])
    return ids


class GroupController(Controller):
    path = "/v1/groups"
    tags = ["Groups"]

    @post("/", summary="Create a group; its name is unique in the project")
    async def create(self, data: JSONBody[GroupCreate], graph: GraphDep, principal: PrincipalDep) -> Group:
        row = await service.create_group(
            graph, project_id=principal.project_id, name=data.name, description=data.description
        )
        return render_group(row)

    @get("/", summary="List groups, newest first")
    async def list_groups(
        self,
        graph: GraphDep,
        principal: PrincipalDep,
        cursors: CursorsDep,
        q: Annotated[str | None, QueryParameter(max_length=200, description="Substring of the name")] = None,
        limit: Limit = DEFAULT_LIMIT,
        cursor: Cursor = None,
    ) -> GroupList:
        pages = cursors.bind(project_id=principal.project_id, scope="groups", query={"q": q, "limit": limit})
        rows = await service.list_groups(
            graph, project_id=principal.project_id, q=q, after=pages.position(cursor), limit=limit + 1
        )
        page, pagination = pages.page(rows, limit, key=lambda r: (r["group"]["createdAt"], r["group"]["id"]))
        return GroupList(groups=[render_group(r) for r in page], pagination=pagination)

    @get("/{group_id:str}", summary="One group with its member and memory counts")
    async def get_group(self, group_id: FromPath[str], graph: GraphDep, principal: PrincipalDep) -> Group:
        return render_group(
            await service.get_group(graph, project_id=principal.project_id, group_id=group_id)
        )

    @delete("/{group_id:str}", status_code=200, summary="Delete a group with its memories and memberships")
    async def delete_group(
        self, group_id: FromPath[str], graph: GraphDep, principal: PrincipalDep
    ) -> Deleted:
        await service.delete_group(graph, project_id=principal.project_id, group_id=group_id)
        return Deleted(deleted=True, id=group_id)

    @post("/{group_id:str}/memories", summary="Add a memory to a group")
    async def add_memory(
        self,
        group_id: FromPath[str],
        data: JSONBody[GroupMemoryCreate],
        graph: GraphDep,
        compute: ComputeDep,
        principal: PrincipalDep,
    ) -> Memory:
        text = data.text.strip()
        if not text:
            raise ValidationFailed([{"field": "text", "message": "must not be blank"}])
        row = await service.add_memory(
            graph,
            compute,
            project_id=principal.project_id,
            group_id=group_id,
            text=text,
            kind=data.kind or "fact",
        )
        return render_memory(row)

    @get("/{group_id:str}/memories", summary="A group's memories, newest first")
    async def list_memories(
        self,
        group_id: FromPath[str],
        graph: GraphDep,
        principal: PrincipalDep,
        cursors: CursorsDep,
        kind: FromQuery[Kind | None] = None,
        limit: Limit = DEFAULT_LIMIT,
        cursor: Cursor = None,
    ) -> GroupMemoryList:
        pages = cursors.bind(
            project_id=principal.project_id,
            scope=f"group-memories:{group_id}",
            query={"kind": kind, "limit": limit},
        )
        rows = await service.list_memories(
            graph,
            project_id=principal.project_id,
            group_id=group_id,
            kind=kind,
            after=pages.position(cursor),
            limit=limit + 1,
        )
        page, pagination = pages.page(
            rows, limit, key=lambda r: (r["memory"]["createdAt"], r["memory"]["id"])
        )
        return GroupMemoryList(memories=[render_memory(r) for r in page], pagination=pagination)

    @delete("/{group_id:str}/memories/{memory_id:str}", status_code=200, summary="Delete a group's memory")
    async def delete_memory(
        self, group_id: FromPath[str], memory_id: FromPath[str], graph: GraphDep, principal: PrincipalDep
    ) -> Deleted:
        await service.delete_memory(
            graph, project_id=principal.project_id, group_id=group_id, memory_id=memory_id
        )
        return Deleted(deleted=True, id=memory_id)

    @post("/{group_id:str}/members", status_code=200, summary="Add users of the project as members")
    async def add_members(
        self, group_id: FromPath[str], data: JSONBody[MembersChange], graph: GraphDep, principal: PrincipalDep
    ) -> Group:
        row = await service.add_members(
            graph, project_id=principal.project_id, group_id=group_id, user_ids=data.user_ids
        )
        return render_group(row)

    @delete(
        "/{group_id:str}/members",
        status_code=200,
        summary="Remove members: `{userIds}` in the body, or `?userIds=` (repeated or comma-separated)",
    )
    async def remove_members(
        self,
        group_id: FromPath[str],
        graph: GraphDep,
        principal: PrincipalDep,
        data: JSONBody[MembersChange | None] = None,
        user_ids: Annotated[list[str] | None, QueryParameter(name="userIds")] = None,
    ) -> Group:
        row = await service.remove_members(
            graph, project_id=principal.project_id, group_id=group_id, user_ids=_member_ids(data, user_ids)
        )
        return render_group(row)

    @get("/{group_id:str}/members", summary="A group's members, most recently added first")
    async def list_members(
        self,
        group_id: FromPath[str],
        graph: GraphDep,
        principal: PrincipalDep,
        cursors: CursorsDep,
        limit: Limit = DEFAULT_LIMIT,
        cursor: Cursor = None,
    ) -> MemberList:
        pages = cursors.bind(
            project_id=principal.project_id, scope=f"group-members:{group_id}", query={"limit": limit}
        )
        rows = await service.list_members(
            graph,
            project_id=principal.project_id,
            group_id=group_id,
            after=pages.position(cursor),
            limit=limit + 1,
        )
        page, pagination = pages.page(rows, limit, key=lambda r: (r["since"], r["userId"]))
        return MemberList(
            members=[Member(r["userId"], r.get("externalId"), to_rfc3339(r.get("since"))) for r in page],
            pagination=pagination,
        )
