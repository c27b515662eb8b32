"""The audit trail: who did what to which id, when, with counts. Never personal data."""

from __future__ import annotations

import json
from typing import Any

from app.clock import now_ms
from app.graph.db import Graph, Row, Tx
from app.ids import new_id
from app.pagination import after_params


async def record(
    tx: Tx,
    *,
    project_id: str,
    action: str,
    target_id: str,
    actor_key_id: str | None,
    counts: dict[str, int] | None = None,
) -> Row | None:
    """Write an audit record inside the caller's transaction, so it commits with the change."""
    return await tx.one(
        "audit/create",
        auditId=new_id("aud"),
        projectId=project_id,
        action=action,
        targetId=target_id,
        actorKeyId=actor_key_id,
        counts=json.dumps(counts or {}),
        now=now_ms(),
    )


async def list_records(
    graph: Graph, *, project_id: str, action: str | None, after: tuple[int, str] | None, limit: int
) -> list[dict[str, Any]]:
    """Up to `limit` records strictly after `after`, newest first, with their counts decoded."""
    rows = await graph.read(
        "audit/list",
        projectId=project_id,
        action=action,
        **after_params(after, "afterAt"),
        limit=limit,
    )
    return [decode(r["record"]) for r in rows]


def decode(record: dict[str, Any]) -> dict[str, Any]:
    return {**record, "counts": json.loads(record.get("counts") or "{}")}
