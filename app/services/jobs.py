"""Reading ingest jobs."""

from __future__ import annotations

from app.graph.db import Graph, Row
from app.pagination import after_params
from app.services import users


async def get_job(graph: Graph, *, project_id: str, job_id: str) -> Row:
    row = await graph.read_found("jobs/get", missing=f"No job {job_id}", projectId=project_id, jobId=job_id)
    return dict(row["job"])


async def list_jobs(
    graph: Graph,
    *,
    project_id: str,
    user_id: str,
    status: str | None,
    after: tuple[int, str] | None,
    limit: int,
) -> list[Row]:
    await users.require_user(graph, project_id=project_id, user_id=user_id)
    rows = await graph.read(
        "jobs/list",
        projectId=project_id,
        userId=user_id,
        status=status,
        **after_params(after, "afterCreatedAt"),
        limit=limit,
    )
    return [dict(r["job"]) for r in rows]
