"""Opens the one graph driver for the app's life, applies the schema, starts the compute process (models),
starts the ingest workers, and closes it all again.

If the graph is unreachable at start-up the app still starts: `/ready` answers 503 and the schema is
applied in the background as soon as the database answers.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
from collections.abc import AsyncIterator

import structlog
from litestar import Litestar

from app.auth import KeyCache
from app.graph.cypher import Queries
from app.graph.db import Graph, open_driver
from app.graph.schema import apply_schema
from app.ingest import IngestConfig, IngestWorkers
from app.memory.compute import Compute
from app.pagination import CursorCodec
from app.services.messages import ThreadLocks
from app.services.projects import ensure_dev_project
from app.services.retrieval import Retrieval
from app.settings import Settings

log = structlog.get_logger("engram.lifespan")
SCHEMA_RETRY_SECONDS = 2.0


@contextlib.asynccontextmanager
async def lifespan(app: Litestar) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    driver = open_driver(
        settings.graph_uri,
        settings.graph_username,
        settings.graph_password,
        retry_seconds=settings.graph_retry_seconds,
    )
    graph = Graph(
        driver, settings.graph_database, Queries(), stall_seconds=settings.graph_stall_seconds or None
    )
    graph.start_watch()
    app.state.graph = graph
    app.state.cursors = CursorCodec(settings.secret_key.get_secret_value().encode())
    app.state.schema_applied = False
    app.state.thread_locks = ThreadLocks()
    app.state.key_cache = key_cache = KeyCache(graph)
    app.state.compute = compute = Compute(
        processes=settings.compute_processes,
        threads=settings.compute_threads,
        niceness=settings.compute_niceness,
        precision=settings.embedding_precision,
    )
    app.state.retrieval = retrieval = Retrieval(graph, settings)
    app.state.ingest = workers = IngestWorkers(
        graph,
        compute,
        IngestConfig(
            workers=settings.ingest_workers,
            batch_size=settings.ingest_batch_size,
            lease_seconds=settings.ingest_lease_seconds,
            max_attempts=settings.ingest_max_attempts,
            poll_seconds=settings.ingest_poll_seconds,
            linger_seconds=settings.ingest_linger_seconds,
        ),
    )
    setup = asyncio.create_task(_prepare(app, graph, settings))
    try:
        await asyncio.wait_for(asyncio.shield(setup), timeout=settings.startup_graph_wait_seconds)
    except TimeoutError:
        log.warning("graph_not_ready_at_startup", retry_seconds=SCHEMA_RETRY_SECONDS)
    try:
        yield
    finally:
        setup.cancel()
        await workers.stop()
        await key_cache.stop()
        compute.close()
        retrieval.close()
        await graph.close()


async def _prepare(app: Litestar, graph: Graph, settings: Settings) -> None:
    # The models load in their own process while the schema is applied.
    models = asyncio.gather(app.state.compute.start(), app.state.retrieval.start())
    while True:
        try:
            await apply_schema(graph)
            break
        except Exception as exc:  # noqa: BLE001 - keep trying until the database answers
            log.warning("schema_not_applied", error_type=type(exc).__name__)
            await asyncio.sleep(SCHEMA_RETRY_SECONDS)
    app.state.schema_applied = True
    app.state.key_cache.start()
    if settings.env == "dev" and settings.bootstrap_dev_project:
        await ensure_dev_project(graph, data_dir=settings.data_dir)
    await models
    # Start-up leaves many long-lived objects (libraries, compiled statements); frozen, they are
    # skipped by every later full collection, which would otherwise stall the event loop.
    gc.collect()
    gc.freeze()
    # Leftover jobs (queued, or running under an expired lease) are picked up by the first claims.
    app.state.ingest.start()
    log.info("ready", ingest_workers=settings.ingest_workers)
