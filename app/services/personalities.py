"""Personalities: create, read, list, patch, delete (threads that used one keep going without it)."""

from __future__ import annotations

from typing import Any

from app import metadata as md
from app.clock import now_ms
from app.errors import NotFound
from app.graph.db import Graph, Row, Tx
from app.ids import new_id
from app.pagination import after_params

SETTABLE = ("name", "description")


async def create_personality(
    graph: Graph, *, project_id: str, name: str, description: str | None, metadata: md.Metadata
) -> Row:
    """Create a personality of the project; names need not be unique."""
    row = await graph.write_one(
        "personalities/create",
        projectId=project_id,
        personalityId=new_id("per"),
        name=name,
        description=description,
        metadata=md.dumps(metadata),
        now=now_ms(),
    )
    assert row is not None
    return row


async def get_personality(graph: Graph, *, project_id: str, personality_id: str) -> Row:
    """One personality of the project, or 404 (also for another project's personality)."""
    row = await graph.read_found(
        "personalities/get",
        missing=f"No personality {personality_id}",
        projectId=project_id,
        personalityId=personality_id,
    )
    return row


async def list_personalities(
    graph: Graph, *, project_id: str, after: tuple[int, str] | None, limit: int
) -> list[Row]:
    """Up to `limit` personalities strictly after the `after` position, newest first."""
    return await graph.read(
        "personalities/list",
        projectId=project_id,
        **after_params(after, "afterCreatedAt"),
        limit=limit,
    )


async def update_personality(
    graph: Graph,
    *,
    project_id: str,
    personality_id: str,
    changes: dict[str, Any],
    metadata_patch: md.Metadata | None,
    limits: dict[str, int],
) -> Row:
    """Apply a PATCH: plain fields replace, metadata merges (null removes a key)."""

    async def work(tx: Tx) -> Row:
        now = now_ms()
        props = {k: v for k, v in changes.items() if k in SETTABLE}
        # The first write also takes the node's lock: the metadata merged below is the latest.
        row = await tx.one(
            "personalities/update", projectId=project_id, personalityId=personality_id, props=props, now=now
        )
        if row is None:
            raise NotFound(f"No personality {personality_id}")
        if metadata_patch is None:
            return row
        merged = md.merge(md.loads(row["personality"].get("metadata")), metadata_patch)
        md.validate(merged, field="metadata", **limits)
        row = await tx.one(
            "personalities/update",
            projectId=project_id,
            personalityId=personality_id,
            props={"metadata": md.dumps(merged)},
            now=now,
        )
        assert row is not None
        return row

    return await graph.write_tx(work)


async def delete_personality(graph: Graph, *, project_id: str, personality_id: str) -> None:
    """Delete the personality; the project's threads that used it lose the link, not their data."""
    row = await graph.write_one("personalities/delete", projectId=project_id, personalityId=personality_id)
    if row is None:
        raise NotFound(f"No personality {personality_id}")
