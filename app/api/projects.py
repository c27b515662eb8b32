"""`/v1/admin/projects` (admin token) and `/v1/keys` (a project's own keys)."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Controller, delete, get, post
from litestar.params import FromPath, JSONBody

from app.api.deps import Cursor, CursorsDep, GraphDep, KeyCacheDep, Limit, PrincipalDep
from app.clock import to_rfc3339
from app.graph.db import Row
from app.pagination import DEFAULT_LIMIT, Pagination
from app.services import projects as service

Label = Annotated[str, msgspec.Meta(min_length=1, max_length=100)]


class ProjectCreate(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    name: Label


class KeyCreate(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    name: Label = "default"


class Project(msgspec.Struct, rename="camel"):
    id: str
    name: str
    created_at: str | None


class ApiKey(msgspec.Struct, rename="camel"):
    id: str
    name: str
    prefix: str
    created_at: str | None
    revoked_at: str | None


class ProjectCreated(msgspec.Struct, rename="camel"):
    project: Project
    api_key: str
    key: ApiKey


class KeyCreated(msgspec.Struct, rename="camel"):
    key: ApiKey
    api_key: str


class KeyList(msgspec.Struct, rename="camel"):
    keys: list[ApiKey]
    pagination: Pagination


def render_key(k: Row) -> ApiKey:
    return ApiKey(
        id=k["id"],
        name=k["name"],
        prefix=k["prefix"],
        created_at=to_rfc3339(k["createdAt"]),
        revoked_at=to_rfc3339(k.get("revokedAt")),
    )


class AdminController(Controller):
    path = "/v1/admin"
    tags = ["Admin"]

    @post("/projects", summary="Create a project and its first API key (admin token)")
    async def create_project(self, data: JSONBody[ProjectCreate], graph: GraphDep) -> ProjectCreated:
        row, token = await service.create_project(graph, name=data.name)
        p = row["project"]
        return ProjectCreated(
            project=Project(id=p["id"], name=p["name"], created_at=to_rfc3339(p["createdAt"])),
            api_key=token,
            key=render_key(row["key"]),
        )


class KeyController(Controller):
    path = "/v1/keys"
    tags = ["Keys"]

    @post("/", summary="Create an API key for the caller's project; the key is shown once")
    async def create_key(
        self, data: JSONBody[KeyCreate], graph: GraphDep, principal: PrincipalDep
    ) -> KeyCreated:
        row, token = await service.create_key(
            graph, project_id=principal.project_id, name=data.name, actor_key_id=principal.key_id
        )
        return KeyCreated(key=render_key(row["key"]), api_key=token)

    @get("/", summary="The project's keys (never the secrets)")
    async def list_keys(
        self,
        graph: GraphDep,
        principal: PrincipalDep,
        cursors: CursorsDep,
        limit: Limit = DEFAULT_LIMIT,
        cursor: Cursor = None,
    ) -> KeyList:
        pages = cursors.bind(project_id=principal.project_id, scope="keys", query={"limit": limit})
        rows = await service.list_keys(
            graph, project_id=principal.project_id, after=pages.position(cursor), limit=limit + 1
        )
        page, pagination = pages.page(rows, limit, key=lambda r: (r["key"]["createdAt"], r["key"]["id"]))
        return KeyList(keys=[render_key(r["key"]) for r in page], pagination=pagination)

    @delete("/{key_id:str}", status_code=200, summary="Revoke a key; it stops working at once")
    async def revoke_key(
        self, key_id: FromPath[str], graph: GraphDep, principal: PrincipalDep, key_cache: KeyCacheDep
    ) -> ApiKey:
        row = await service.revoke_key(
            graph, project_id=principal.project_id, key_id=key_id, actor_key_id=principal.key_id
        )
        key_cache.forget(key_id)
        return render_key(row)
