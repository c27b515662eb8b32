"""Ingest jobs: `GET /v1/jobs/{id}` and `GET /v1/users/{id}/jobs`."""

from __future__ import annotations

import json
from typing import Any, Literal

import msgspec
from litestar import get
from litestar.params import FromPath, FromQuery

from app.api.deps import Cursor, CursorsDep, GraphDep, Limit, PrincipalDep
from app.clock import to_rfc3339
from app.graph.db import Row
from app.pagination import DEFAULT_LIMIT, Pagination
from app.services import jobs as service

JobStatus = Literal["queued", "running", "succeeded", "failed"]


class Job(msgspec.Struct, rename="camel"):
    id: str
    message_id: str
    user_id: str
    thread_id: str
    status: str
    attempts: int
    error: str | None
    result: dict[str, Any] | None
    created_at: str | None
    started_at: str | None
    finished_at: str | None


class JobList(msgspec.Struct, rename="camel"):
    jobs: list[Job]
    pagination: Pagination


def render_job(j: Row) -> Job:
    return Job(
        id=j["id"],
        message_id=j["messageId"],
        user_id=j["userId"],
        thread_id=j["threadId"],
        status=j["status"],
        attempts=j.get("attempts", 0),
        error=j.get("error"),
        result=json.loads(j["result"]) if j.get("result") else None,
        created_at=to_rfc3339(j.get("createdAt")),
        started_at=to_rfc3339(j.get("startedAt")),
        finished_at=to_rfc3339(j.get("finishedAt")),
    )


@get("/v1/jobs/{job_id:str}", tags=["Jobs"], summary="One ingest job")
async def get_job(job_id: FromPath[str], graph: GraphDep, principal: PrincipalDep) -> Job:
    return render_job(await service.get_job(graph, project_id=principal.project_id, job_id=job_id))


@get("/v1/users/{user_id:str}/jobs", tags=["Jobs"], summary="A user's ingest jobs, newest first")
async def list_jobs(
    user_id: FromPath[str],
    graph: GraphDep,
    principal: PrincipalDep,
    cursors: CursorsDep,
    status: FromQuery[JobStatus | None] = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> JobList:
    pages = cursors.bind(
        project_id=principal.project_id, scope=f"jobs:{user_id}", query={"status": status, "limit": limit}
    )
    rows = await service.list_jobs(
        graph,
        project_id=principal.project_id,
        user_id=user_id,
        status=status,
        after=pages.position(cursor),
        limit=limit + 1,
    )
    page, pagination = pages.page(rows, limit, key=lambda j: (j["createdAt"], j["id"]))
    return JobList(jobs=[render_job(j) for j in page], pagination=pagination)
