"""Applies `cypher/schema/NNN_*.cypher` in order at start-up; every statement is IF NOT EXISTS."""

from __future__ import annotations

import structlog

from app.graph.db import Graph

log = structlog.get_logger("engram.schema")


async def apply_schema(graph: Graph) -> int:
    names = graph.queries.names("schema/")
    for name in names:
        await graph.driver.execute_query(graph.queries[name].text, database_=graph.database)
    log.info("schema_applied", statements=len(names))
    return len(names)
