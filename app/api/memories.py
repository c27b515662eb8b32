"""The Memory API: memories (list, add one or a batch, read, correct, delete, history), entities
(list, read, merge) and the user graph export."""

from __future__ import annotations

import json
from typing import Annotated, Any

import msgspec
from litestar import delete, get, patch, post
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter
from msgspec import UNSET, UnsetType

from app import metadata as md
from app.api.deps import (
    ComputeDep,
    Cursor,
    CursorsDep,
    GraphDep,
    Limit,
    PrincipalDep,
    SettingsDep,
    parse_time,
    validate_metadata,
)
from app.api.users import Deleted
from app.clock import to_rfc3339
from app.errors import PayloadTooLarge, ValidationFailed
from app.graph.db import Row
from app.memory.extract.vocabulary import EntityType, Kind
from app.memory.pipeline import Note
from app.pagination import DEFAULT_LIMIT, Pagination
from app.services import entities as entity_service
from app.services import memories as service
from app.settings import Settings

MemoryText = Annotated[str, msgspec.Meta(min_length=1, max_length=2000)]
MAX_BATCH_MEMORIES = 100
TAGS = ["Memories"]
CREATE_DESCRIPTION = """The text goes through the extractor like a user's message, whether it is written
about the user ("Sam lives in Lisbon", "Sam's sister Ana works at Siemens") or in their voice ("I live in
Lisbon"): the memory is linked to its entities and relations and can supersede older memories (a new
home, a new job). A time the text names ("in March 2025") is its `validAt` unless one is given. The
text is stored as sent."""
BATCH_DESCRIPTION = """For importing memories from another system: `{"memories": [...]}` with 1-100 items,
each the body of `POST /v1/users/{id}/memories` and read the same way. The memories are created as if
added one by one in the order given (a later one can supersede an earlier one), but with one extraction
call and one transaction: all of them or none. Any bad item rejects the whole batch: 422
`VALIDATION_FAILED` listing every bad item's field with its index (`memories[3].validAt`). The response
holds the memories in the order given. Send an `Idempotency-Key` to retry a batch safely."""


class EntityRef(msgspec.Struct, rename="camel"):
    id: str
    name: str
    type: str


class Memory(msgspec.Struct, rename="camel"):
    id: str
    user_id: str | None
    text: str
    kind: str
    personality_id: str | None
    group_id: str | None
    entities: list[EntityRef]
    valid_at: str | None
    invalid_at: str | None
    superseded_by: str | None
    source_message_ids: list[str]
    confidence: float | None
    source: str | None
    metadata: dict[str, Any]
    created_at: str | None
    updated_at: str | None


class MemoryList(msgspec.Struct, rename="camel"):
    memories: list[Memory]
    pagination: Pagination


class MemoryCreate(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    text: MemoryText
    kind: Kind | None = None
    personality_id: str | None = None
    valid_at: str | None = None
    metadata: dict[str, Any] = msgspec.field(default_factory=dict)


class MemoryBatch(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    memories: Annotated[list[MemoryCreate], msgspec.Meta(min_length=1, max_length=MAX_BATCH_MEMORIES)]


class MemoryBatchCreated(msgspec.Struct, rename="camel"):
    memories: list[Memory]


class MemoryPatch(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    text: MemoryText | UnsetType = UNSET
    kind: Kind | UnsetType = UNSET
    valid_at: str | UnsetType | None = UNSET
    invalid_at: str | UnsetType | None = UNSET


class MemoryEvent(msgspec.Struct, rename="camel"):
    type: str
    at: str | None
    message_id: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    superseded_by: str | None


class History(msgspec.Struct, rename="camel"):
    memory_id: str
    events: list[MemoryEvent]


class EntitySummary(msgspec.Struct, rename="camel"):
    id: str
    name: str
    type: str
    aliases: list[str]
    relations: int
    memories: int
    created_at: str | None
    updated_at: str | None


class EntityList(msgspec.Struct, rename="camel"):
    entities: list[EntitySummary]
    pagination: Pagination


class RelationView(msgspec.Struct, rename="camel"):
    id: str | None
    type: str
    direction: str
    label: str | None
    fact: str | None
    valid_at: str | None
    invalid_at: str | None
    other: EntityRef


class MemoryBrief(msgspec.Struct, rename="camel"):
    id: str
    text: str
    kind: str
    valid_at: str | None
    invalid_at: str | None


class EntityDetail(msgspec.Struct, rename="camel"):
    id: str
    user_id: str
    name: str
    type: str
    aliases: list[str]
    is_user: bool
    relations: list[RelationView]
    memories: list[MemoryBrief]
    created_at: str | None
    updated_at: str | None


class MergeRequest(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    into_id: Annotated[str, msgspec.Meta(min_length=1)]


class GraphExport(msgspec.Struct, rename="camel"):
    user_id: str
    graph_id: str
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]


def render_memory(row: Row) -> Memory:
    m = row["memory"]
    return Memory(
        id=m["id"],
        user_id=m.get("userId"),
        text=m["text"],
        kind=m["kind"],
        personality_id=m.get("personalityId"),
        group_id=m.get("groupId"),
        entities=[EntityRef(e["id"], e["name"], e["type"]) for e in row["entities"]],
        valid_at=to_rfc3339(m.get("validAt")),
        invalid_at=to_rfc3339(m.get("invalidAt")),
        superseded_by=m.get("supersededBy"),
        source_message_ids=sorted(row["sourceMessageIds"]),
        confidence=m.get("confidence"),
        source=m.get("source"),
        metadata=md.loads(m.get("metadata")),
        created_at=to_rfc3339(m.get("createdAt")),
        updated_at=to_rfc3339(m.get("updatedAt")),
    )


def _times(values: dict[str, Any] | None) -> dict[str, Any] | None:
    """Event before/after values: instants as RFC 3339 like everywhere else."""
    if values is None:
        return None
    return {
        k: to_rfc3339(v) if k in ("validAt", "invalidAt") and v is not None else v for k, v in values.items()
    }


def render_event(e: Row) -> MemoryEvent:
    return MemoryEvent(
        type=e["type"],
        at=to_rfc3339(e.get("at")),
        message_id=e.get("messageId"),
        before=_times(json.loads(e["before"])) if e.get("before") else None,
        after=_times(json.loads(e["after"])) if e.get("after") else None,
        superseded_by=e.get("by"),
    )


def render_entity_detail(row: Row) -> EntityDetail:
    e = row["entity"]
    relations = [
        RelationView(
            id=r.get("id"),
            type=r["type"],
            direction=r["direction"],
            label=r.get("label"),
            fact=r.get("fact"),
            valid_at=to_rfc3339(r.get("validAt")),
            invalid_at=to_rfc3339(r.get("invalidAt")),
            other=EntityRef(r["otherId"], r["otherName"], r["otherType"]),
        )
        for r in sorted(
            [*row["outgoing"], *row["incoming"]],
            key=lambda r: (r.get("invalidAt") is not None, -(r.get("validAt") or 0)),
        )
    ]
    memories = [
        MemoryBrief(
            m["id"], m["text"], m["kind"], to_rfc3339(m.get("validAt")), to_rfc3339(m.get("invalidAt"))
        )
        for m in sorted(
            row["memories"], key=lambda m: (m.get("invalidAt") is not None, -(m.get("createdAt") or 0))
        )
    ]
    return EntityDetail(
        id=e["id"],
        user_id=e["userId"],
        name=e["name"],
        type=e["type"],
        aliases=list(e.get("aliases") or []),
        is_user=row["isUser"],
        relations=relations,
        memories=memories,
        created_at=to_rfc3339(e.get("createdAt")),
        updated_at=to_rfc3339(e.get("updatedAt")),
    )


def _time_change(value: str | UnsetType | None, field: str) -> dict[str, Any]:
    if isinstance(value, UnsetType):
        return {}
    return {field: parse_time(value, field=field)}


@get("/v1/users/{user_id:str}/memories", tags=TAGS, summary="A user's memories, newest first")
async def list_memories(
    user_id: FromPath[str],
    graph: GraphDep,
    principal: PrincipalDep,
    cursors: CursorsDep,
    kind: FromQuery[Kind | None] = None,
    personality_id: Annotated[str | None, QueryParameter(name="personalityId")] = None,
    entity_id: Annotated[str | None, QueryParameter(name="entityId")] = None,
    include_invalid: Annotated[bool, QueryParameter(name="includeInvalid")] = False,
    created_after: Annotated[str | None, QueryParameter(name="createdAfter")] = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> MemoryList:
    filters = {
        "kind": kind,
        "personalityId": personality_id,
        "entityId": entity_id,
        "includeInvalid": include_invalid,
        "createdAfter": parse_time(created_after, field="createdAfter"),
    }
    pages = cursors.bind(
        project_id=principal.project_id, scope=f"memories:{user_id}", query={**filters, "limit": limit}
    )
    rows = await service.list_memories(
        graph,
        project_id=principal.project_id,
        user_id=user_id,
        filters=filters,
        after=pages.position(cursor),
        limit=limit + 1,
    )
    page, pagination = pages.page(rows, limit, key=lambda r: (r["memory"]["createdAt"], r["memory"]["id"]))
    return MemoryList(memories=[render_memory(r) for r in page], pagination=pagination)


def _new_memory(item: MemoryCreate, settings: Settings, where: str = "") -> Note:
    """Validate one memory to add; raises its first problem (422; metadata over its size is 413)."""
    validate_metadata(item.metadata, f"{where}metadata", settings)
    valid_at = parse_time(item.valid_at, field=f"{where}validAt")
    text = item.text.strip()
    if not text:
        raise ValidationFailed([{"field": f"{where}text", "message": "must not be blank"}])
    return Note(
        text=text,
        kind=item.kind,
        personality_id=item.personality_id,
        valid_at=valid_at,
        metadata=item.metadata,
    )


def _new_memories(items: list[MemoryCreate], settings: Settings) -> list[Note]:
    """Validate every item like a single memory; any bad item fails the batch with all of them listed."""
    out: list[Note] = []
    errors: list[dict[str, str]] = []
    for i, item in enumerate(items):
        try:
            out.append(_new_memory(item, settings, f"memories[{i}]."))
        except ValidationFailed as exc:
            errors += exc.extra["errors"]
        except PayloadTooLarge as exc:
            errors.append({"field": exc.extra["field"], "message": exc.detail})
    if errors:
        raise ValidationFailed(errors)
    return out


@post(
    "/v1/users/{user_id:str}/memories",
    tags=TAGS,
    summary="Add a memory by hand",
    description=CREATE_DESCRIPTION,
)
async def create_memory(
    user_id: FromPath[str],
    data: JSONBody[MemoryCreate],
    graph: GraphDep,
    compute: ComputeDep,
    principal: PrincipalDep,
    settings: SettingsDep,
) -> Memory:
    [row] = await service.create_memories(
        graph,
        compute,
        project_id=principal.project_id,
        user_id=user_id,
        items=[_new_memory(data, settings)],
    )
    return render_memory(row)


@post(
    "/v1/users/{user_id:str}/memories/batch",
    tags=TAGS,
    summary="Import up to 100 memories at once",
    description=BATCH_DESCRIPTION,
)
async def create_memories(
    user_id: FromPath[str],
    data: JSONBody[MemoryBatch],
    graph: GraphDep,
    compute: ComputeDep,
    principal: PrincipalDep,
    settings: SettingsDep,
) -> MemoryBatchCreated:
    rows = await service.create_memories(
        graph,
        compute,
        project_id=principal.project_id,
        user_id=user_id,
        items=_new_memories(data.memories, settings),
    )
    return MemoryBatchCreated(memories=[render_memory(r) for r in rows])


@get("/v1/memories/{memory_id:str}", tags=TAGS, summary="One memory")
async def get_memory(memory_id: FromPath[str], graph: GraphDep, principal: PrincipalDep) -> Memory:
    return render_memory(
        await service.get_memory(graph, project_id=principal.project_id, memory_id=memory_id)
    )


@patch("/v1/memories/{memory_id:str}", tags=TAGS, summary="Correct a memory's text, kind or validity")
async def update_memory(
    memory_id: FromPath[str],
    data: JSONBody[MemoryPatch],
    graph: GraphDep,
    compute: ComputeDep,
    principal: PrincipalDep,
) -> Memory:
    changes: dict[str, Any] = {}
    if not isinstance(data.text, UnsetType):
        if not data.text.strip():
            raise ValidationFailed([{"field": "text", "message": "must not be blank"}])
        changes["text"] = data.text.strip()
    if not isinstance(data.kind, UnsetType):
        changes["kind"] = data.kind
    changes |= _time_change(data.valid_at, "validAt") | _time_change(data.invalid_at, "invalidAt")
    if not changes:
        raise ValidationFailed([{"field": "body", "message": "nothing to change"}])
    row = await service.update_memory(
        graph, compute, project_id=principal.project_id, memory_id=memory_id, changes=changes
    )
    return render_memory(row)


@delete("/v1/memories/{memory_id:str}", tags=TAGS, status_code=200, summary="Delete a memory")
async def delete_memory(memory_id: FromPath[str], graph: GraphDep, principal: PrincipalDep) -> Deleted:
    await service.delete_memory(graph, project_id=principal.project_id, memory_id=memory_id)
    return Deleted(deleted=True, id=memory_id)


@get("/v1/memories/{memory_id:str}/history", tags=TAGS, summary="Every change of a memory, oldest first")
async def memory_history(memory_id: FromPath[str], graph: GraphDep, principal: PrincipalDep) -> History:
    row = await service.history(graph, project_id=principal.project_id, memory_id=memory_id)
    return History(
        memory_id=row["memoryId"], events=[render_event(e) for e in row["events"] if e.get("type")]
    )


@get("/v1/users/{user_id:str}/entities", tags=TAGS, summary="A user's entities, newest first")
async def list_entities(
    user_id: FromPath[str],
    graph: GraphDep,
    principal: PrincipalDep,
    cursors: CursorsDep,
    type: FromQuery[EntityType | None] = None,
    q: Annotated[str | None, QueryParameter(max_length=200)] = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> EntityList:
    pages = cursors.bind(
        project_id=principal.project_id,
        scope=f"entities:{user_id}",
        query={"type": type, "q": q, "limit": limit},
    )
    rows = await entity_service.list_entities(
        graph,
        project_id=principal.project_id,
        user_id=user_id,
        type_=type,
        q=q,
        after=pages.position(cursor),
        limit=limit + 1,
    )
    page, pagination = pages.page(rows, limit, key=lambda r: (r["entity"]["createdAt"], r["entity"]["id"]))
    return EntityList(
        entities=[
            EntitySummary(
                id=r["entity"]["id"],
                name=r["entity"]["name"],
                type=r["entity"]["type"],
                aliases=list(r["entity"].get("aliases") or []),
                relations=r["relations"],
                memories=r["memories"],
                created_at=to_rfc3339(r["entity"].get("createdAt")),
                updated_at=to_rfc3339(r["entity"].get("updatedAt")),
            )
            for r in page
        ],
        pagination=pagination,
    )


@get("/v1/entities/{entity_id:str}", tags=TAGS, summary="One entity with its relations and memories")
async def get_entity(entity_id: FromPath[str], graph: GraphDep, principal: PrincipalDep) -> EntityDetail:
    row = await entity_service.get_entity(graph, project_id=principal.project_id, entity_id=entity_id)
    return render_entity_detail(row)


@post("/v1/entities/{entity_id:str}/merge", tags=TAGS, status_code=200, summary="Merge a duplicate entity")
async def merge_entity(
    entity_id: FromPath[str], data: JSONBody[MergeRequest], graph: GraphDep, principal: PrincipalDep
) -> EntityDetail:
    row = await entity_service.merge_entities(
        graph, project_id=principal.project_id, entity_id=entity_id, into_id=data.into_id
    )
    return render_entity_detail(row)


@get("/v1/users/{user_id:str}/graph/export", tags=TAGS, summary="The whole user graph as nodes and edges")
async def export_graph(user_id: FromPath[str], graph: GraphDep, principal: PrincipalDep) -> GraphExport:
    body = await entity_service.export_graph(graph, project_id=principal.project_id, user_id=user_id)
    return GraphExport(
        user_id=body["userId"], graph_id=body["graphId"], nodes=body["nodes"], edges=body["edges"]
    )


ROUTES = [
    list_memories,
    create_memory,
    create_memories,
    get_memory,
    update_memory,
    delete_memory,
    memory_history,
    list_entities,
    get_entity,
    merge_entity,
    export_graph,
]
