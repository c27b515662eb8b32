"""Groups: project-wide shared memory spaces with members.

A group's memories are `Memory` nodes under `(:Group)-[:HAS_MEMORY]->`, with `groupId` and never
`userId` or `graphId`, so no user's memory list, stats or graph shows them. Every write that changes
a group's memories bumps the group's integer `version`: readers (the context endpoint) cache a group's
memories by `(id, version)`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from neo4j.exceptions import ConstraintError

from app.clock import now_ms
from app.errors import Conflict, GroupExists, NotFound
from app.graph.db import Graph, Row, Tx
from app.ids import new_id
from app.memory.compute import Compute
from app.pagination import after_params


def name_key(project_id: str, name: str) -> str:
    return f"{project_id}|{name}"


def _group_exists(existing_id: str) -> GroupExists:
    return GroupExists("A group with this name already exists in the project", existingId=existing_id)


async def create_group(graph: Graph, *, project_id: str, name: str, description: str | None) -> Row:
    """Create a group; 409 GROUP_EXISTS (with the existing id) if the name is taken in the project."""
    key = name_key(project_id, name)
    existing = await graph.read_one("groups/find_by_name", nameKey=key)
    if existing is not None:
        raise _group_exists(existing["id"])
    try:
        row = await graph.write_one(
            "groups/create",
            projectId=project_id,
            groupId=new_id("grp"),
            name=name,
            nameKey=key,
            description=description,
            now=now_ms(),
        )
    except ConstraintError:
        # Lost a race on (project, name): the winner's id is what the client needs.
        winner = await graph.read_one("groups/find_by_name", nameKey=key)
        if winner is None:  # deleted between the failed create and this read: let the client retry
            raise Conflict("A concurrent change touched this group name; retry the request") from None
        raise _group_exists(winner["id"]) from None
    assert row is not None
    return row


async def get_group(graph: Graph, *, project_id: str, group_id: str) -> Row:
    """One group of the project with `memberCount` and `memoryCount`, or 404 (also another project's)."""
    return await graph.read_found(
        "groups/get", missing=f"No group {group_id}", projectId=project_id, groupId=group_id
    )


async def list_groups(
    graph: Graph, *, project_id: str, q: str | None, after: tuple[int, str] | None, limit: int
) -> list[Row]:
    """Up to `limit` groups strictly after the `after` position, newest first; `q` matches names."""
    return await graph.read(
        "groups/list",
        projectId=project_id,
        q=q.lower() if q else None,
        **after_params(after, "afterCreatedAt"),
        limit=limit,
    )


async def delete_group(graph: Graph, *, project_id: str, group_id: str) -> Row:
    """Delete the group with its memories and memberships; returns what was removed."""

    async def work(tx: Tx) -> Row:
        row = await tx.one("groups/delete", projectId=project_id, groupId=group_id)
        if row is None:
            raise NotFound(f"No group {group_id}")
        await tx.run("idempotency/forget", projectId=project_id, ids=[group_id])
        return row

    return await graph.write_tx(work)


async def add_memory(
    graph: Graph, compute: Compute, *, project_id: str, group_id: str, text: str, kind: str
) -> Row:
    """Store a memory in the group (embedded like any memory) and bump the group's version."""
    await get_group(graph, project_id=project_id, group_id=group_id)  # 404 before embedding
    [embedding] = await compute.embed([text])
    row = await graph.write_one(
        "groups/add_memory",
        projectId=project_id,
        groupId=group_id,
        memoryId=new_id("mem"),
        text=text,
        kind=kind,
        embedding=embedding,
        now=now_ms(),
    )
    if row is None:  # deleted while the text was embedded
        raise NotFound(f"No group {group_id}")
    return row


async def list_memories(
    graph: Graph,
    *,
    project_id: str,
    group_id: str,
    kind: str | None,
    after: tuple[int, str] | None,
    limit: int,
) -> list[Row]:
    """Up to `limit` of the group's memories strictly after `after`, newest first."""
    await get_group(graph, project_id=project_id, group_id=group_id)
    return await graph.read(
        "groups/memories",
        projectId=project_id,
        groupId=group_id,
        kind=kind,
        **after_params(after, "afterCreatedAt"),
        limit=limit,
    )


async def delete_memory(graph: Graph, *, project_id: str, group_id: str, memory_id: str) -> None:
    """Delete one of the group's memories and bump the group's version."""

    async def work(tx: Tx) -> None:
        row = await tx.one(
            "groups/delete_memory", projectId=project_id, groupId=group_id, memoryId=memory_id, now=now_ms()
        )
        if row is None:
            raise NotFound(f"No memory {memory_id} in group {group_id}")
        await tx.run("idempotency/forget", projectId=project_id, ids=[memory_id])

    await graph.write_tx(work)


async def _change_members(
    graph: Graph,
    *,
    project_id: str,
    group_id: str,
    user_ids: list[str],
    change: Callable[[Tx, list[str]], Awaitable[object]],
) -> Row:
    ids = list(dict.fromkeys(user_ids))

    async def work(tx: Tx) -> None:
        # The group's lock first: one group's membership changes run one at a time.
        if await tx.one("groups/lock", projectId=project_id, groupId=group_id, now=now_ms()) is None:
            raise NotFound(f"No group {group_id}")
        found = {r["id"] for r in await tx.run("groups/project_users", projectId=project_id, userIds=ids)}
        missing = next((i for i in ids if i not in found), None)
        if missing is not None:
            raise NotFound(f"No user {missing}", userId=missing)  # rolls the lock write back too
        await change(tx, ids)

    await graph.write_tx(work)
    return await get_group(graph, project_id=project_id, group_id=group_id)


async def add_members(graph: Graph, *, project_id: str, group_id: str, user_ids: list[str]) -> Row:
    """Make users of the project members (idempotent); 404 naming the first unknown user, and then
    nothing changes."""

    def change(tx: Tx, ids: list[str]) -> Awaitable[object]:
        return tx.run("groups/add_members", projectId=project_id, groupId=group_id, userIds=ids, now=now_ms())

    return await _change_members(
        graph, project_id=project_id, group_id=group_id, user_ids=user_ids, change=change
    )


async def remove_members(graph: Graph, *, project_id: str, group_id: str, user_ids: list[str]) -> Row:
    """End memberships (users that are not members are skipped); 404 naming the first id that is not
    a user of the project, and then nothing changes."""

    def change(tx: Tx, ids: list[str]) -> Awaitable[object]:
        return tx.run("groups/remove_members", projectId=project_id, groupId=group_id, userIds=ids)

    return await _change_members(
        graph, project_id=project_id, group_id=group_id, user_ids=user_ids, change=change
    )


async def list_members(
    graph: Graph, *, project_id: str, group_id: str, after: tuple[int, str] | None, limit: int
) -> list[Row]:
    """Up to `limit` members strictly after `after`, most recently added first."""
    await get_group(graph, project_id=project_id, group_id=group_id)
    return await graph.read(
        "groups/members",
        projectId=project_id,
        groupId=group_id,
        **after_params(after, "afterSince"),
        limit=limit,
    )


async def groups_by_name(graph: Graph, *, project_id: str, names: list[str]) -> list[Row]:
    """The project's groups with these names, as rows `{"id", "name", "version"}` in the order of
    `names` (repeats once); NotFound naming the first name the project has no group of."""
    unique = list(dict.fromkeys(names))
    rows = await graph.read(
        "groups/by_name", projectId=project_id, nameKeys=[name_key(project_id, n) for n in unique]
    )
    by_name = {r["name"]: r for r in rows}
    missing = next((n for n in unique if n not in by_name), None)
    if missing is not None:
        raise NotFound(f"No group named {missing!r}", name=missing)
    return [by_name[n] for n in unique]
