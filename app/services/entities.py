"""Entities of a user graph: list, read, merge a duplicate into another; the whole graph as JSON."""

from __future__ import annotations

from typing import Any

from app.clock import now_ms
from app.errors import NotFound, ValidationFailed
from app.graph.db import Graph, Row, Tx
from app.memory.extract.extractor import normalise_name
from app.pagination import after_params
from app.services import users


async def list_entities(
    graph: Graph,
    *,
    project_id: str,
    user_id: str,
    type_: str | None,
    q: str | None,
    after: tuple[int, str] | None,
    limit: int,
) -> list[Row]:
    await users.require_user(graph, project_id=project_id, user_id=user_id)
    return await graph.read(
        "entities/list",
        projectId=project_id,
        userId=user_id,
        type=type_,
        q=normalise_name(q) if q else None,
        **after_params(after, "afterCreatedAt"),
        limit=limit,
    )


async def get_entity(graph: Graph, *, project_id: str, entity_id: str) -> Row:
    return await graph.read_found(
        "entities/get", missing=f"No entity {entity_id}", projectId=project_id, entityId=entity_id
    )


def _merged_aliases(gone: Row, into: Row) -> list[str]:
    """The kept entity's aliases plus the merged one's name and aliases, without repeats of its name."""
    out: list[str] = []
    seen = {normalise_name(into["name"])}
    for alias in [*(into.get("aliases") or []), gone["name"], *(gone.get("aliases") or [])]:
        if normalise_name(alias) not in seen:
            seen.add(normalise_name(alias))
            out.append(alias)
    return out


def fold_relations(moving: list[Row], kept: list[Row]) -> list[Row]:
    """Write rows that move the merged entity's relations onto the kept one.

    A relation the kept entity already has (same type, same other end, both valid) is not copied:
    the kept edge takes over the moving edge's memories. A relation between the two entities
    themselves would become a loop and is dropped.
    """

    def end(r: Row) -> tuple[str, str, str]:
        return (r["type"], r["sourceId"], r["targetId"])

    valid_kept = {end(r): r for r in kept if r["props"].get("invalidAt") is None and r["props"].get("id")}
    rows: list[Row] = []
    for r in moving:
        props = r["props"]
        if r["sourceId"] == r["targetId"] or not props.get("id"):
            continue
        twin = valid_kept.get(end(r)) if props.get("invalidAt") is None else None
        if twin is None:
            rows.append(
                {
                    "type": r["type"],
                    "sourceId": r["sourceId"],
                    "targetId": r["targetId"],
                    "id": props["id"],
                    "props": props,
                }
            )
            continue
        memory_ids = list(dict.fromkeys([*twin["props"].get("memoryIds", []), *props.get("memoryIds", [])]))
        twin["props"]["memoryIds"] = memory_ids
        rows.append(
            {
                "type": r["type"],
                "sourceId": r["sourceId"],
                "targetId": r["targetId"],
                "id": twin["props"]["id"],
                "props": {"memoryIds": memory_ids},
            }
        )
    return rows


async def merge_entities(graph: Graph, *, project_id: str, entity_id: str, into_id: str) -> Row:
    """Move `entity_id`'s relations and memories to `into_id` (same user graph) and delete it."""
    if entity_id == into_id:
        raise ValidationFailed([{"field": "intoId", "message": "an entity cannot be merged into itself"}])

    async def work(tx: Tx) -> None:
        row = await tx.one("entities/merge_read", projectId=project_id, entityId=entity_id, intoId=into_id)
        if row is None:
            raise NotFound(f"No entity {entity_id}")
        gone, into = row["entity"], row["into"]
        if into is None or into["userId"] != gone["userId"]:
            raise NotFound(f"No entity {into_id} in the same user's graph")
        await tx.run("ingest/lock_graph", projectId=project_id, userId=gone["userId"], now=now_ms())
        moved = fold_relations(
            [*row["outgoing"], *row["incoming"]], [*row["keptOutgoing"], *row["keptIncoming"]]
        )
        if moved:
            await tx.run("ingest/write_relations", relations=moved)
        aliases = _merged_aliases(gone, into)
        await tx.run(
            "entities/merge_finish",
            entityId=entity_id,
            intoId=into_id,
            aliases=aliases,
            aliasKeys=sorted({normalise_name(a) for a in aliases}),
            now=now_ms(),
        )

    await graph.write_tx(work)
    return await get_entity(graph, project_id=project_id, entity_id=into_id)


async def export_graph(graph: Graph, *, project_id: str, user_id: str) -> Row:
    row = await graph.read_found(
        "users/graph_export", missing=f"No user {user_id}", projectId=project_id, userId=user_id
    )
    user_node: dict[str, Any] = {"id": user_id, "kind": "user", "label": "User"}
    nodes: list[dict[str, Any]] = [user_node]
    nodes += [{"kind": "entity", "label": e["name"], **e} for e in row["entities"]]
    nodes += [{"kind": "memory", "label": m["text"], **m} for m in row["memories"]]
    edges: list[dict[str, Any]] = [{"source": user_id, "target": s, "type": "IS"} for s in row["self"]]
    edges += [{"kind": "relation", **r} for r in row["relations"]]
    edges += [{"source": a["source"], "target": a["target"], "type": "ABOUT"} for a in row["about"]]
    edges += [
        {"source": s["source"], "target": s["target"], "type": "SUPERSEDED_BY"} for s in row["supersededBy"]
    ]
    return {"userId": user_id, "graphId": row["graphId"], "nodes": nodes, "edges": edges}
