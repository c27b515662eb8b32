"""`/health` (process alive) and `/ready` (graph reachable, schema applied, models loaded)."""

from __future__ import annotations

import msgspec
from litestar import Response, get
from litestar.datastructures import State

from app.api.deps import GraphDep


class Health(msgspec.Struct):
    status: str


class Readiness(msgspec.Struct, rename="camel"):
    status: str
    graph: bool
    schema: bool
    models: bool


@get("/health", tags=["Health"], summary="The process is alive")
async def health() -> Health:
    return Health(status="ok")


@get("/ready", tags=["Health"], summary="Graph reachable and schema applied")
async def ready(state: State, graph: GraphDep) -> Response[Readiness]:
    graph_ok = await graph.ping()
    schema_ok = bool(state.schema_applied)
    models_ok = bool(state.compute.loaded and state.retrieval.encoder.loaded)
    ok = graph_ok and schema_ok and models_ok
    body = Readiness(
        status="ready" if ok else "unavailable", graph=graph_ok, schema=schema_ok, models=models_ok
    )
    return Response(body, status_code=200 if ok else 503, headers=None if ok else {"Retry-After": "5"})
