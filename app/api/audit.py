"""`GET /v1/audit`: the project's audit records."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import get
from litestar.params import QueryParameter

from app.api.deps import Cursor, CursorsDep, GraphDep, Limit, PrincipalDep
from app.clock import to_rfc3339
from app.pagination import DEFAULT_LIMIT, Pagination
from app.services import audit as service


class AuditRecord(msgspec.Struct, rename="camel"):
    id: str
    action: str
    target_id: str
    actor_key_id: str | None
    at: str | None
    counts: dict[str, Any]


class AuditList(msgspec.Struct, rename="camel"):
    records: list[AuditRecord]
    pagination: Pagination


@get("/v1/audit", tags=["Audit"], summary="Audit records, newest first")
async def list_audit(
    graph: GraphDep,
    principal: PrincipalDep,
    cursors: CursorsDep,
    action: Annotated[str | None, QueryParameter(max_length=100)] = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> AuditList:
    pages = cursors.bind(
        project_id=principal.project_id, scope="audit", query={"action": action, "limit": limit}
    )
    records = await service.list_records(
        graph, project_id=principal.project_id, action=action, after=pages.position(cursor), limit=limit + 1
    )
    records, pagination = pages.page(records, limit, key=lambda r: (r["at"], r["id"]))
    return AuditList(
        records=[
            AuditRecord(
                id=r["id"],
                action=r["action"],
                target_id=r["targetId"],
                actor_key_id=r.get("actorKeyId"),
                at=to_rfc3339(r["at"]),
                counts=r["counts"],
            )
            for r in records
        ],
        pagination=pagination,
    )
