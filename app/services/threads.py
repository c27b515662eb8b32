"""Threads (conversations): create under a user (or by external id, creating the user), read, list,
patch, delete with their messages, jobs and the memories derived only from them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app import metadata as md
from app.clock import now_ms
from app.errors import NotFound, UserExists, ValidationFailed
from app.graph.db import Graph, Row, Tx
from app.ids import new_id
from app.pagination import after_params
from app.services import users

STATUSES = ("active", "completed")


@dataclass(frozen=True, slots=True)
class NewUser:
    """What `autoCreateUser` may set on a user it creates."""

    email: str | None = None
    first_name: str | None = None
    metadata: md.Metadata | None = None


async def create_thread(
    graph: Graph,
    *,
    project_id: str,
    user_id: str,
    name: str | None,
    personality_id: str | None,
    metadata: md.Metadata,
) -> Row:
    if personality_id is not None:
        found = await graph.read_one("personalities/get", projectId=project_id, personalityId=personality_id)
        if found is None:
            raise ValidationFailed(
                [{"field": "personalityId", "message": f"no personality {personality_id}"}]
            )
    row = await graph.write_one(
        "threads/create",
        projectId=project_id,
        userId=user_id,
        threadId=new_id("thr"),
        name=name,
        personalityId=personality_id,
        metadata=md.dumps(metadata),
        now=now_ms(),
    )
    if row is None:
        raise NotFound(f"No user {user_id}")
    return dict(row["thread"])


async def resolve_user(
    graph: Graph,
    *,
    project_id: str,
    user_id: str | None,
    external_id: str | None,
    auto_create: NewUser | None,
) -> str:
    """The id of the user a new thread belongs to; with `auto_create`, a missing user is created
    (race-safe: concurrent calls for one new externalId end with one user)."""
    if user_id is not None:
        await users.require_user(graph, project_id=project_id, user_id=user_id)
        return user_id
    assert external_id is not None
    found = await graph.read_one(
        "users/find_by_external", externalKey=users.external_key(project_id, external_id)
    )
    if found is not None:
        return str(found["id"])
    if auto_create is None:
        raise NotFound("No user with this externalId (set autoCreateUser to create it)")
    try:
        created = await users.create_user(
            graph,
            project_id=project_id,
            external_id=external_id,
            email=auto_create.email,
            first_name=auto_create.first_name,
            last_name=None,
            metadata=auto_create.metadata or {},
        )
    except UserExists as exists:
        return str(exists.extra["existingId"])
    return str(created["user"]["id"])


async def get_thread(graph: Graph, *, project_id: str, thread_id: str) -> Row:
    row = await graph.read_found(
        "threads/get", missing=f"No thread {thread_id}", projectId=project_id, threadId=thread_id
    )
    return dict(row["thread"])


async def list_threads(
    graph: Graph,
    *,
    project_id: str,
    user_id: str,
    personality_id: str | None,
    status: str | None,
    after: tuple[int, str] | None,
    limit: int,
) -> list[Row]:
    await users.require_user(graph, project_id=project_id, user_id=user_id)
    rows = await graph.read(
        "threads/list",
        projectId=project_id,
        userId=user_id,
        personalityId=personality_id,
        status=status,
        **after_params(after, "afterActivityAt"),
        limit=limit,
    )
    return [dict(r["thread"]) for r in rows]


async def update_thread(
    graph: Graph,
    *,
    project_id: str,
    thread_id: str,
    changes: dict[str, Any],
    metadata_patch: md.Metadata | None,
    limits: dict[str, int],
) -> Row:
    async def work(tx: Tx) -> Row:
        current = await tx.one("threads/lock", projectId=project_id, threadId=thread_id, now=now_ms())
        if current is None:
            raise NotFound(f"No thread {thread_id}")
        props = dict(changes)
        if metadata_patch is not None:
            merged = md.merge(md.loads(current["thread"].get("metadata")), metadata_patch)
            md.validate(merged, field="metadata", **limits)
            props["metadata"] = md.dumps(merged)
        row = await tx.one(
            "threads/update", projectId=project_id, threadId=thread_id, props=props, now=now_ms()
        )
        assert row is not None
        return dict(row["thread"])

    return await graph.write_tx(work)


async def delete_thread(graph: Graph, *, project_id: str, thread_id: str) -> Row:
    """Delete a thread, its messages and jobs, and the memories derived only from its messages.

    Under the user graph's write lock, so that an ingest batch for this thread either finished
    before (its memories are found here) or finds its jobs gone and writes nothing.
    """

    async def work(tx: Tx) -> Row:
        found = await tx.one("threads/get", projectId=project_id, threadId=thread_id)
        if found is None:
            raise NotFound(f"No thread {thread_id}")
        user_id = found["thread"]["userId"]
        await tx.run("ingest/lock_graph", projectId=project_id, userId=user_id, now=now_ms())
        derived = [
            r["id"]
            for r in await tx.run("threads/derived_memories", projectId=project_id, threadId=thread_id)
        ]
        if derived:
            await tx.run("memory/delete", projectId=project_id, memoryIds=derived)
        row = await tx.one("threads/delete", projectId=project_id, threadId=thread_id)
        assert row is not None
        await tx.run("memory/prune_entities", projectId=project_id, userId=user_id)
        await tx.run("idempotency/forget", projectId=project_id, ids=[thread_id, *derived])
        return {**row, "memories": len(derived)}

    return await graph.write_tx(work)
