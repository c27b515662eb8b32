"""`/v1/users/{id}/integrations`: a user's connected external services (records only)."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, delete, get, post
from litestar.params import FromPath, JSONBody, QueryParameter

from app import metadata as md
from app.api.deps import Cursor, CursorsDep, GraphDep, Limit, PrincipalDep, SettingsDep, validate_metadata
from app.api.users import Deleted
from app.clock import to_rfc3339
from app.graph.db import Row
from app.pagination import DEFAULT_LIMIT, Pagination
from app.services import integrations as service

Provider = Annotated[str, msgspec.Meta(min_length=1, max_length=64, pattern=r"^[a-z0-9_.-]+$")]
ExternalAccountId = Annotated[str, msgspec.Meta(min_length=1, max_length=255)]
Scope = Annotated[str, msgspec.Meta(min_length=1, max_length=255)]


class IntegrationCreate(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    provider: Provider
    external_account_id: ExternalAccountId | None = None
    scopes: Annotated[list[Scope], msgspec.Meta(max_length=50)] = msgspec.field(default_factory=list)
    metadata: dict[str, Any] = msgspec.field(default_factory=dict)


class Integration(msgspec.Struct, rename="camel"):
    id: str
    user_id: str
    provider: str
    external_account_id: str | None
    scopes: list[str]
    metadata: dict[str, Any]
    created_at: str | None


class IntegrationList(msgspec.Struct, rename="camel"):
    integrations: list[Integration]
    pagination: Pagination


def render_integration(row: Row) -> Integration:
    i = row["integration"]
    return Integration(
        id=i["id"],
        user_id=i["userId"],
        provider=i["provider"],
        external_account_id=i.get("externalAccountId"),
        scopes=list(i.get("scopes") or []),
        metadata=md.loads(i.get("metadata")),
        created_at=to_rfc3339(i.get("createdAt")),
    )


class IntegrationController(Controller):
    path = "/v1/users/{user_id:str}/integrations"
    tags = ["Integrations"]

    @post("/", summary="Record an integration of a user")
    async def create(
        self,
        user_id: FromPath[str],
        data: JSONBody[IntegrationCreate],
        graph: GraphDep,
        principal: PrincipalDep,
        settings: SettingsDep,
    ) -> Integration:
        validate_metadata(data.metadata, "metadata", settings)
        row = await service.create_integration(
            graph,
            project_id=principal.project_id,
            user_id=user_id,
            provider=data.provider,
            external_account_id=data.external_account_id,
            scopes=data.scopes,
            metadata=data.metadata,
        )
        return render_integration(row)

    @get("/", summary="A user's integrations, newest first")
    async def list_integrations(
        self,
        user_id: FromPath[str],
        graph: GraphDep,
        principal: PrincipalDep,
        cursors: CursorsDep,
        provider: Annotated[str | None, QueryParameter(max_length=64)] = None,
        limit: Limit = DEFAULT_LIMIT,
        cursor: Cursor = None,
    ) -> IntegrationList:
        pages = cursors.bind(
            project_id=principal.project_id,
            scope=f"integrations:{user_id}",
            query={"provider": provider, "limit": limit},
        )
        rows = await service.list_integrations(
            graph,
            project_id=principal.project_id,
            user_id=user_id,
            provider=provider,
            after=pages.position(cursor),
            limit=limit + 1,
        )
        page, pagination = pages.page(
            rows, limit, key=lambda r: (r["integration"]["createdAt"], r["integration"]["id"])
        )
        return IntegrationList(integrations=[render_integration(r) for r in page], pagination=pagination)

    @delete("/{integration_id:str}", status_code=200, summary="Delete an integration")
    async def delete_integration(
        self, user_id: FromPath[str], integration_id: FromPath[str], graph: GraphDep, principal: PrincipalDep
    ) -> Deleted:
        await service.delete_integration(
            graph, project_id=principal.project_id, user_id=user_id, integration_id=integration_id
        )
        return Deleted(deleted=True, id=integration_id)
