"""Users: create with their user graph, read, list with filters, patch, delete with full cascade."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from neo4j.exceptions import ConstraintError

from app import metadata as md
from app.clock import now_ms
from app.errors import Conflict, NotFound, UserExists
from app.graph.db import Graph, Row, Tx
from app.ids import new_id
from app.pagination import after_params
from app.services import audit

SETTABLE = ("externalId", "email", "firstName", "lastName")


def external_key(project_id: str, external_id: str | None) -> str | None:
    return f"{project_id}|{external_id}" if external_id is not None else None


@dataclass(frozen=True, slots=True)
class UserFilter:
    created_after: int | None = None
    created_before: int | None = None
    external_id: str | None = None
    email: str | None = None
    q: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)

    def as_params(self) -> dict[str, Any]:
        return {
            "createdAfter": self.created_after,
            "createdBefore": self.created_before,
            "externalId": self.external_id,
            "email": self.email.lower() if self.email else None,
            "q": self.q.lower() if self.q else None,
            "metadataAlternatives": [md.query_alternatives(k, v) for k, v in sorted(self.metadata.items())],
        }


async def _existing_id(graph: Graph, project_id: str, external_id: str) -> str:
    row = await graph.read_one("users/find_by_external", externalKey=external_key(project_id, external_id))
    if row is None:  # deleted between the failed create and this read: let the client retry
        raise Conflict("A concurrent change touched this externalId; retry the request")
    return str(row["id"])


async def create_user(
    graph: Graph,
    *,
    project_id: str,
    external_id: str | None,
    email: str | None,
    first_name: str | None,
    last_name: str | None,
    metadata: md.Metadata,
) -> Row:
    """Create a user and its user graph atomically; 409 USER_EXISTS if the externalId is taken."""
    if external_id is not None:
        existing = await graph.read_one(
            "users/find_by_external", externalKey=external_key(project_id, external_id)
        )
        if existing is not None:
            raise _user_exists(existing["id"])
    try:
        row = await graph.write_one(
            "users/create",
            projectId=project_id,
            userId=new_id("usr"),
            graphId=new_id("grph"),
            externalId=external_id,
            externalKey=external_key(project_id, external_id),
            email=email,
            firstName=first_name,
            lastName=last_name,
            metadata=md.dumps(metadata),
            metadataPairs=md.filter_pairs(metadata),
            now=now_ms(),
        )
    except ConstraintError:
        # Lost a race on (project, externalId): the winner's id is what the client needs.
        raise _user_exists(await _existing_id(graph, project_id, external_id or "")) from None
    assert row is not None
    return {**row, "threads": 0, "messages": 0, "memories": 0, "entities": 0}


async def _read_user_row(graph: Graph, statement: str, *, project_id: str, user_id: str) -> Row:
    """One row about a user of the project, or 404 (also for another project's user)."""
    return await graph.read_found(
        statement, missing=f"No user {user_id}", projectId=project_id, userId=user_id
    )


def _user_exists(existing_id: str) -> UserExists:
    return UserExists("A user with this externalId already exists in the project", existingId=existing_id)


async def require_user(graph: Graph, *, project_id: str, user_id: str) -> None:
    """404 unless the project has this user; cheaper than reading it with its counts."""
    await _read_user_row(graph, "users/exists", project_id=project_id, user_id=user_id)


async def get_user(graph: Graph, *, project_id: str, user_id: str) -> Row:
    return await _read_user_row(graph, "users/get", project_id=project_id, user_id=user_id)


async def self_name(graph: Graph, *, project_id: str, user_id: str) -> str | None:
    """The name of the user's own entity, if they have one: who "I" is when they have no first name
    (learned from the name their messages are spoken by, or whom their notes are about)."""
    row = await graph.read_one("users/self_name", projectId=project_id, userId=user_id)
    return str(row["name"]) if row is not None and row["name"] else None


async def get_user_by_external_id(graph: Graph, *, project_id: str, external_id: str) -> Row:
    found = await graph.read_found(
        "users/find_by_external",
        missing="No user with this externalId",
        externalKey=external_key(project_id, external_id),
    )
    return await get_user(graph, project_id=project_id, user_id=found["id"])


async def list_users(
    graph: Graph, *, project_id: str, filters: UserFilter, after: tuple[int, str] | None, limit: int
) -> list[Row]:
    """Up to `limit` users strictly after the `after` position, newest first."""
    return await graph.read(
        "users/list",
        projectId=project_id,
        **filters.as_params(),
        **after_params(after, "afterCreatedAt"),
        limit=limit,
    )


async def update_user(
    graph: Graph,
    *,
    project_id: str,
    user_id: str,
    changes: dict[str, Any],
    metadata_patch: md.Metadata | None,
    limits: dict[str, int],
) -> Row:
    """Apply a PATCH: plain fields replace, metadata merges (null removes a key)."""

    async def work(tx: Tx) -> None:
        current = await tx.one("users/lock", projectId=project_id, userId=user_id, now=now_ms())
        if current is None:
            raise NotFound(f"No user {user_id}")
        props: dict[str, Any] = {k: v for k, v in changes.items() if k in SETTABLE}
        if "externalId" in props:
            props["externalKey"] = external_key(project_id, props["externalId"])
        if metadata_patch is not None:
            merged = md.merge(md.loads(current["user"].get("metadata")), metadata_patch)
            md.validate(merged, field="metadata", **limits)
            props["metadata"] = md.dumps(merged)
            props["metadataPairs"] = md.filter_pairs(merged)
        if props:
            await tx.run("users/update", projectId=project_id, userId=user_id, props=props)

    try:
        await graph.write_tx(work)
    except ConstraintError:
        raise _user_exists(await _existing_id(graph, project_id, changes["externalId"])) from None
    return await get_user(graph, project_id=project_id, user_id=user_id)


async def delete_user(graph: Graph, *, project_id: str, user_id: str, actor_key_id: str | None) -> None:
    """Delete the user and everything of theirs; the audit record commits in the same transaction."""

    async def work(tx: Tx) -> None:
        # Stored Idempotency-Key responses about the user go with them (a replay must not return them).
        await tx.run("idempotency/forget_user", projectId=project_id, userId=user_id)
        row = await tx.one("users/delete", projectId=project_id, userId=user_id)
        if row is None:
            raise NotFound(f"No user {user_id}")
        await audit.record(
            tx,
            project_id=project_id,
            action="user.deleted",
            target_id=user_id,
            actor_key_id=actor_key_id,
            counts=row["counts"],
        )

    await graph.write_tx(work)


async def user_graph(graph: Graph, *, project_id: str, user_id: str) -> Row:
    return await _read_user_row(graph, "users/graph", project_id=project_id, user_id=user_id)


async def user_stats(graph: Graph, *, project_id: str, user_id: str) -> Row:
    return await _read_user_row(graph, "users/stats", project_id=project_id, user_id=user_id)
