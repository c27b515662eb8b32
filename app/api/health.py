"""`/health` (process alive) and `/ready` (graph reachable, schema applied, models loaded)."""

from __future__ import annotations

import msgspec
from litestar import Response, get
from litestar.datastructures import State

from app.api.deps import GraphDep


class Health(msgspec.Struct, omit_defaults=True):
    status: str
    # The local graph server's supervisor, when this process runs one: running, restarting, gave_up.
    local_graph: str | None = msgspec.field(default=None, name="localGraph")


class Readiness(msgspec.Struct, rename="camel"):
    status: str
    graph: bool
    schema: bool
    models: bool


@get("/health", tags=["Health"], summary="The process is alive and can serve")
async def health(state: State) -> Response[Health]:
    """200 while this process can serve (even while the graph is briefly away: `/ready` says that);
    503 when it never will again by itself (its local graph server could not be restarted)."""
    supervisor = state.graph_supervisor
    if supervisor is None:
        return Response(Health(status="ok"))
    if supervisor.state == "gave_up":
        return Response(Health(status="failing", local_graph=supervisor.state), status_code=503)
    return Response(Health(status="ok", local_graph=supervisor.state))


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
