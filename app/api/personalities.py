"""`/v1/personalities`: create, list, read, patch, delete."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, delete, get, patch, post
from litestar.params import FromPath, JSONBody
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
    validate_metadata,
)
from app.api.users import Deleted
from app.clock import to_rfc3339
from app.graph.db import Row
from app.pagination import DEFAULT_LIMIT, Pagination
from app.services import personalities as service

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
Description = Annotated[str, msgspec.Meta(max_length=2000)]


class PersonalityCreate(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    name: Name
    description: Description | None = None
    metadata: dict[str, Any] = msgspec.field(default_factory=dict)


class PersonalityPatch(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    name: Name | UnsetType = UNSET
    description: Description | UnsetType | None = UNSET
    metadata: dict[str, Any] | UnsetType = UNSET


class Personality(msgspec.Struct, rename="camel"):
    id: str
    name: str
    description: str | None
    metadata: dict[str, Any]
    created_at: str | None
    updated_at: str | None


class PersonalityList(msgspec.Struct, rename="camel"):
    personalities: list[Personality]
    pagination: Pagination


def render_personality(row: Row) -> Personality:
    p = row["personality"]
    return Personality(
        id=p["id"],
        name=p["name"],
        description=p.get("description"),
        metadata=md.loads(p.get("metadata")),
        created_at=to_rfc3339(p.get("createdAt")),
        updated_at=to_rfc3339(p.get("updatedAt")),
    )


class PersonalityController(Controller):
    path = "/v1/personalities"
    tags = ["Personalities"]

    @post("/", summary="Create a personality")
    async def create(
        self,
        data: JSONBody[PersonalityCreate],
        graph: GraphDep,
        principal: PrincipalDep,
        settings: SettingsDep,
    ) -> Personality:
        validate_metadata(data.metadata, "metadata", settings)
        row = await service.create_personality(
            graph,
            project_id=principal.project_id,
            name=data.name,
            description=data.description,
            metadata=data.metadata,
        )
        return render_personality(row)

    @get("/", summary="List personalities, newest first")
    async def list_personalities(
        self,
        graph: GraphDep,
        principal: PrincipalDep,
        cursors: CursorsDep,
        limit: Limit = DEFAULT_LIMIT,
        cursor: Cursor = None,
    ) -> PersonalityList:
        pages = cursors.bind(project_id=principal.project_id, scope="personalities", query={"limit": limit})
        rows = await service.list_personalities(
            graph, project_id=principal.project_id, after=pages.position(cursor), limit=limit + 1
        )
        page, pagination = pages.page(
            rows, limit, key=lambda r: (r["personality"]["createdAt"], r["personality"]["id"])
        )
        return PersonalityList(personalities=[render_personality(r) for r in page], pagination=pagination)

    @get("/{personality_id:str}", summary="One personality")
    async def get_personality(
        self, personality_id: FromPath[str], graph: GraphDep, principal: PrincipalDep
    ) -> Personality:
        row = await service.get_personality(
            graph, project_id=principal.project_id, personality_id=personality_id
        )
        return render_personality(row)

    @patch("/{personality_id:str}", summary="Change fields; metadata keys merge, null removes a key")
    async def update(
        self,
        personality_id: FromPath[str],
        data: JSONBody[PersonalityPatch],
        graph: GraphDep,
        principal: PrincipalDep,
        settings: SettingsDep,
    ) -> Personality:
        changes = changed(name=data.name, description=data.description)
        patch_metadata = metadata_patch(data.metadata, settings)
        row = await service.update_personality(
            graph,
            project_id=principal.project_id,
            personality_id=personality_id,
            changes=changes,
            metadata_patch=patch_metadata,
            limits=settings.metadata_limits,
        )
        return render_personality(row)

    @delete("/{personality_id:str}", status_code=200, summary="Delete a personality; threads lose the link")
    async def delete_personality(
        self, personality_id: FromPath[str], graph: GraphDep, principal: PrincipalDep
    ) -> Deleted:
        await service.delete_personality(
            graph, project_id=principal.project_id, personality_id=personality_id
        )
        return Deleted(deleted=True, id=personality_id)
