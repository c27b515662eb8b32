"""The ingest worker pool: claims queued IngestJobs under a lease and sends their messages down the
pipeline (`app.memory.pipeline`).

Every user message gets its job in the same transaction as the message, so nothing accepted is
lost. Workers claim due jobs in batches (`jobs/claim`), have the whole batch extracted and embedded
in one compute call (`pipeline.read_messages`), and write each user's part in one transaction with
the jobs' outcome, fenced by their leases (`pipeline.write`): a crash at any moment leaves the
job queued or running with a lease that expires; `jobs/reclaim` puts it back in the queue (at
start-up and every half lease), and re-running the step changes nothing.
Failures go back to the queue with exponential backoff and end as `failed` after the last attempt.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import secrets
import time
from dataclasses import dataclass

import structlog
from prometheus_client import Counter, Gauge, Histogram

from app.clock import now_ms
from app.graph.db import Graph, Row
from app.memory import pipeline, writer
from app.memory.compute import Compute
from app.memory.plan import Said

log = structlog.get_logger("engram.ingest")

JOBS = Counter("engram_ingest_jobs", "Ingest job outcomes in this process", ["outcome"])
QUEUE = Gauge("engram_ingest_queue", "Ingest jobs waiting or in flight, across all processes", ["status"])
EXTRACT_SECONDS = Histogram(
    "engram_ingest_extract_seconds", "Extraction and embedding of one claimed batch (compute process)"
)
WRITE_SECONDS = Histogram(
    "engram_ingest_write_seconds", "Writing one user's part of a batch (one transaction)"
)
QUEUE_SAMPLE_SECONDS = 2.0


@dataclass(frozen=True, slots=True)
class IngestConfig:
    workers: int = 2
    batch_size: int = 32
    lease_seconds: float = 30.0
    max_attempts: int = 5
    poll_seconds: float = 0.5
    linger_seconds: float = 1.0
    backoff_seconds: float = 1.0
    max_backoff_seconds: float = 60.0


def backoff_ms(attempt: int, config: IngestConfig) -> int:
    """Exponential backoff with jitter: ~1 s, 2 s, 4 s ... capped."""
    base = min(config.max_backoff_seconds, config.backoff_seconds * 2 ** max(0, attempt - 1))
    return int(base * 1000 * random.uniform(0.8, 1.2))  # noqa: S311 - jitter, not security


class IngestWorkers:
    def __init__(self, graph: Graph, compute: Compute, config: IngestConfig) -> None:
        self._graph = graph
        self._compute = compute
        self._config = config
        self._wake = asyncio.Event()
        # The workers of this process write one at a time. Writes are a small part of a batch's time
        # (the models are the rest), and two concurrent writes only conflict: on the local graph
        # server, user graphs share storage pages, so each one's lock write collides with the other's
        # and the whole transaction is retried. (Across processes the graph lock still serialises.)
        self._writing = asyncio.Lock()
        self._stopping = False
        self._stopped = asyncio.Event()
        self._next_reclaim = 0  # epoch ms; the first claim also takes back expired leases
        self._tasks: list[asyncio.Task[None]] = []

    def start(self) -> None:
        self._tasks = [
            asyncio.create_task(self._loop(i), name=f"ingest-{i}") for i in range(self._config.workers)
        ]
        self._tasks.append(asyncio.create_task(self._sample_queue(), name="ingest-queue-gauge"))

    def wake(self) -> None:
        """New jobs were queued: stop waiting for the next poll."""
        self._wake.set()

    async def stop(self, grace_seconds: float = 10.0) -> None:
        """Let in-flight batches finish (up to `grace_seconds`), then cancel. Leftovers keep their lease."""
        self._stopping = True
        self._stopped.set()
        self._wake.set()
        if not self._tasks:
            return
        _, pending = await asyncio.wait(self._tasks, timeout=grace_seconds)
        for task in pending:
            task.cancel()
        for task in pending:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _loop(self, index: int) -> None:
        while not self._stopping:
            try:
                claimed = await self.run_once()
            except Exception as exc:  # noqa: BLE001 - the graph may be down; keep the worker alive
                log.warning("ingest_claim_failed", worker=index, error_type=type(exc).__name__)
                claimed = 0
                await asyncio.sleep(self._config.poll_seconds * 4)
            if claimed < self._config.batch_size and not self._stopping:
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout=self._config.poll_seconds)
                # Linger a moment so that jobs arriving together are claimed (and embedded) together.
                await asyncio.sleep(self._config.linger_seconds)

    async def _sample_queue(self) -> None:
        while not self._stopping:
            try:
                counts = {r["status"]: r["n"] for r in await self._graph.read("jobs/counts")}
                for status in ("queued", "running"):
                    QUEUE.labels(status=status).set(counts.get(status, 0))
            except Exception as exc:  # noqa: BLE001 - a metric must never take the worker down
                log.debug("queue_sample_failed", error_type=type(exc).__name__)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopped.wait(), timeout=QUEUE_SAMPLE_SECONDS)

    async def run_once(self) -> int:
        """Claim one batch of due jobs and process it; returns how many were claimed."""
        now = now_ms()
        if now >= self._next_reclaim:
            self._next_reclaim = now + int(self._config.lease_seconds * 500)
            reclaimed = await self._graph.write_one("jobs/reclaim", now=now)
            if reclaimed and reclaimed["reclaimed"]:
                log.info("ingest_jobs_reclaimed", jobs=reclaimed["reclaimed"])
        lease = secrets.token_hex(8)
        rows = await self._graph.write(
            "jobs/claim",
            now=now,
            lease=lease,
            leaseUntil=now + int(self._config.lease_seconds * 1000),
            limit=self._config.batch_size,
        )
        if rows:
            await self._process(rows)
        return len(rows)

    async def _process(self, rows: list[Row]) -> None:
        gone = [r for r in rows if r["message"] is None or r["user"] is None]  # deleted mid-flight
        for row in gone:
            await self._fail(row["job"], LookupError("message no longer exists"), final=True)
        rows = sorted(
            (r for r in rows if r["message"] is not None and r["user"] is not None),
            key=lambda r: (r["message"]["createdAt"], r["job"]["threadId"], r["message"]["seq"]),
        )
        if not rows:
            return
        try:
            started = time.perf_counter()
            said = await pipeline.read_messages(self._compute, [pipeline.Message.claimed(r) for r in rows])
            EXTRACT_SECONDS.observe(time.perf_counter() - started)
        except Exception as exc:  # noqa: BLE001 - every failure is recorded on its jobs and retried
            log.warning("ingest_batch_failed", jobs=len(rows), error_type=type(exc).__name__)
            for row in rows:
                await self._fail(row["job"], exc)
            return
        by_user: dict[str, list[tuple[Row, Said]]] = {}
        for row, one in zip(rows, said, strict=True):
            by_user.setdefault(row["job"]["userId"], []).append((row, one))
        for items in by_user.values():
            await self._write(items)

    async def _write(self, items: list[tuple[Row, Said]]) -> None:
        """One transaction per user graph: its jobs succeed together with everything they wrote."""
        first = items[0][0]
        batch = writer.Batch(
            project_id=first["job"]["projectId"],
            user_id=first["job"]["userId"],
            user_name=pipeline.display_name(first["user"].get("firstName")),
            said=[said for _, said in items],
            jobs=[{"jobId": row["job"]["id"], "lease": row["job"]["lease"]} for row, _ in items],
        )
        try:
            async with self._writing:
                started = time.perf_counter()
                await pipeline.write(self._graph, batch)
                WRITE_SECONDS.observe(time.perf_counter() - started)
            JOBS.labels(outcome="succeeded").inc(len(items))
        except writer.LeaseLost:
            JOBS.labels(outcome="superseded_lease").inc(len(items))
        except Exception as exc:  # noqa: BLE001 - every failure is recorded on its jobs and retried
            log.warning("ingest_write_failed", jobs=len(items), error_type=type(exc).__name__)
            for row, _ in items:
                await self._fail(row["job"], exc, final=isinstance(exc, writer.GraphGone))

    async def _fail(self, job: Row, exc: Exception, *, final: bool = False) -> None:
        now = now_ms()
        JOBS.labels(outcome="failed_attempt").inc()
        try:
            await self._graph.write(
                "jobs/fail",
                jobId=job["id"],
                lease=job["lease"],
                error=f"{type(exc).__name__}: ingest step failed",
                retryAt=now + backoff_ms(job["attempts"], self._config),
                maxAttempts=0 if final else self._config.max_attempts,
                now=now,
            )
        except Exception as write_error:  # noqa: BLE001 - the lease will expire and the job comes back
            log.warning("ingest_fail_not_recorded", job_id=job["id"], error_type=type(write_error).__name__)
