"""Ingest throughput and evidence capture on the LoCoMo dev conversations, against a running service.

One user per conversation (a fresh externalId per run) with one thread; every session's turns are
appended in conversation order in batches of 100, both speakers as `user` messages named after them
(`app.seed.locomo_messages`), the conversations in parallel. Then it waits for every ingest job
(progress on stderr) and reports: user messages ingested; the wall time from the first append to
the last job finished (server times); throughput; job latency (finishedAt - createdAt, queue wait
included, so with everything appended at once p99 is close to the wall time); failed jobs; and
evidence capture: of the evidence turns cited by LoCoMo's questions (categories 1-4, a turn counted
once per question citing it), the share whose message is a source of at least one memory
(includeInvalid: a memory superseded later was still captured). Capture is reported, not a target:
a turn becomes a memory only when it holds a fact worth keeping (most chat turns hold none), and
every ingested message is quoted by the context block when it answers a question (`bench.locomo`
measures that). The users are deleted at the end unless --keep. Targets: >= 40 user messages/s,
0 failed jobs.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

from bench.common import api_key, call, parser, percentile, run_bench, table
from bench.locomo_data import LOCOMO_DIR, Conversation, load_all

THROUGHPUT_TARGET = 40.0
BATCH = 100  # the API's limit of messages per append
PAGE = 100  # the API's largest page
POLL_SECONDS = 2.0
TERMINAL = frozenset({"succeeded", "failed"})
SUCCEEDED = 'engram_ingest_jobs_total{outcome="succeeded"}'


@dataclass(slots=True)
class Posted:
    """One conversation as it went in: its user, and which message carries which LoCoMo turn."""

    conversation: Conversation
    user_id: str
    dia_by_message: dict[str, str] = field(default_factory=dict)
    job_ids: list[str] = field(default_factory=list)
    jobs: list[dict[str, Any]] = field(default_factory=list)  # filled once ingest is done
    captured: set[str] | None = None  # message ids that are a source of some memory; None: unknown


async def pages(client: httpx.AsyncClient, path: str, key: str, **params: Any) -> list[dict[str, Any]]:
    """Every item of a cursor-paginated list (the cursor is bound to the query: same params each page)."""
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        query = {**params, "limit": PAGE, **({"cursor": cursor} if cursor else {})}
        page = await call(client, "GET", path, params=query)
        items.extend(page[key])
        cursor = page["pagination"].get("nextCursor")
        if not page["pagination"].get("hasMore") or not cursor:
            return items


async def create_user(
    client: httpx.AsyncClient, conversation: Conversation, external_id: str, bench: str
) -> dict[str, Any]:
    """The user a conversation is loaded into, named after its first speaker."""
    a, b = conversation.speakers
    metadata = {"bench": bench, "conversation": conversation.name, "speakers": f"{a}, {b}"}
    user: dict[str, Any] = await call(
        client, "POST", "/v1/users", json={"externalId": external_id, "firstName": a, "metadata": metadata}
    )
    return user


async def post_conversation(
    client: httpx.AsyncClient, conversation: Conversation, run: str, created: list[str]
) -> Posted:
    """A user and a thread for the conversation, then its turns in order, 100 per append.

    The user id goes into `created` at once, so that a failure halfway still deletes the user.
    """
    user = await create_user(client, conversation, f"{run}-locomo-{conversation.name}", "ingest")
    created.append(user["id"])
    posted = Posted(conversation, user["id"])
    thread = await call(
        client, "POST", f"/v1/users/{posted.user_id}/threads", json={"name": f"LoCoMo {conversation.name}"}
    )
    await append_turns(client, posted, thread["id"], conversation.messages)
    return posted


async def append_turns(
    client: httpx.AsyncClient, posted: Posted, thread_id: str, messages: list[dict[str, Any]]
) -> None:
    """Append LoCoMo turns in batches, remembering which message is which turn and its job."""
    for start in range(0, len(messages), BATCH):
        batch = messages[start : start + BATCH]
        appended = await call(client, "POST", f"/v1/threads/{thread_id}/messages", json={"messages": batch})
        for sent, stored in zip(batch, appended["messages"], strict=True):
            posted.dia_by_message[stored["id"]] = sent["metadata"]["diaId"]
        posted.job_ids.extend(j["jobId"] for j in appended["ingested"])


async def has_pending(client: httpx.AsyncClient, user_id: str) -> bool:
    """Whether any job is queued or running. Queued first: a job that starts in between still counts."""
    for status in ("queued", "running"):
        page = await call(client, "GET", f"/v1/users/{user_id}/jobs", params={"status": status, "limit": 1})
        if page["jobs"]:
            return True
    return False


async def jobs_succeeded(client: httpx.AsyncClient) -> float | None:
    """The service's own counter, for progress only: one cheap request instead of paging every job."""
    try:
        text = (await client.get("/metrics")).text
    except httpx.HTTPError:
        return None
    values = [float(line.rsplit(" ", 1)[1]) for line in text.splitlines() if line.startswith(SUCCEEDED)]
    return sum(values) if values else None


async def wait_for_jobs(
    client: httpx.AsyncClient, posted: list[Posted], give_up_after: float, counter_at_start: float | None
) -> bool:
    """Poll until every job of every posted user is finished; fills `Posted.jobs`. False on timeout."""
    began = time.monotonic()
    shown_at = -10.0
    waiting = list(posted)
    while True:
        for p in list(waiting):
            if not await has_pending(client, p.user_id):
                p.jobs = await pages(client, f"/v1/users/{p.user_id}/jobs", "jobs")
                if all(j["status"] in TERMINAL for j in p.jobs):  # else a retry slipped between two reads
                    waiting.remove(p)
        elapsed = time.monotonic() - began
        if not waiting or sys.stderr.isatty() or elapsed - shown_at >= 10:
            shown_at = elapsed
            total = sum(len(p.job_ids) for p in posted)
            done = total if not waiting else await jobs_done(client, total, counter_at_start)
            users = f"{len(posted) - len(waiting)}/{len(posted)} users finished"
            show(f"{done}/{total} jobs done, {users}, {elapsed:.0f} s", final=not waiting)
        if not waiting:
            return True
        if elapsed > give_up_after:
            show(f"timed out after {elapsed:.0f} s", final=True)
            for p in waiting:
                p.jobs = await pages(client, f"/v1/users/{p.user_id}/jobs", "jobs")
            return False
        await asyncio.sleep(POLL_SECONDS)


async def jobs_done(client: httpx.AsyncClient, total: int, counter_at_start: float | None) -> str:
    counter = await jobs_succeeded(client)
    if counter is None or counter_at_start is None:
        return "?"
    return str(min(total, int(counter - counter_at_start)))


def show(line: str, final: bool = False) -> None:
    """Progress on stderr: one line rewritten in place on a terminal, else one line per update."""
    if sys.stderr.isatty():
        print(f"\r{line}\033[K", end="\n" if final else "", file=sys.stderr, flush=True)
    else:
        print(line, file=sys.stderr, flush=True)


async def load_captured(client: httpx.AsyncClient, posted: list[Posted]) -> bool:
    """Which messages are a source of some memory, per user; False when the memory list is not served."""
    for p in posted:
        path = f"/v1/users/{p.user_id}/memories"
        first = await client.get(path, params={"includeInvalid": "true", "limit": 1})
        if first.status_code == 404:  # the user exists (we made it): the route is missing
            return False
        memories = await pages(client, path, "memories", includeInvalid="true")
        p.captured = {m_id for m in memories for m_id in m.get("sourceMessageIds", [])}
    return True


def captured_from_results(p: Posted) -> set[str]:
    """Fallback before the memory list exists: messages whose job created or updated a memory."""
    return {
        j["messageId"]
        for j in p.jobs
        if j.get("result")
        and j["result"].get("memoriesCreated", 0) + j["result"].get("memoriesUpdated", 0) > 0
    }


def evidence_capture(p: Posted) -> tuple[int, int]:
    """(captured, cited) over (question, evidence turn) pairs of one conversation."""
    captured_dia = {p.dia_by_message[m] for m in p.captured or set() if m in p.dia_by_message}
    pairs = [e in captured_dia for q in p.conversation.questions for e in q.evidence]
    return sum(pairs), len(pairs)


def seconds(stamp: str) -> float:
    return datetime.fromisoformat(stamp).timestamp()


def job_figures(jobs: list[dict[str, Any]]) -> tuple[float, list[float]]:
    """Wall time (first job created -> last job finished, both server clock) and each job's latency (ms)."""
    finished = [j for j in jobs if j.get("finishedAt") and j.get("createdAt")]
    if not finished:
        return float("nan"), []
    latencies = [(seconds(j["finishedAt"]) - seconds(j["createdAt"])) * 1000 for j in finished]
    wall = max(seconds(j["finishedAt"]) for j in finished) - min(seconds(j["createdAt"]) for j in jobs)
    return wall, latencies


def per_conversation(posted: list[Posted]) -> None:
    """Where the evidence misses are: per conversation, messages that became memories and evidence."""
    print(f"\n  {'conversation':<12}  {'user msgs':>9}  {'with a memory':>13}  {'evidence captured':>17}")
    for p in posted:
        got, of = evidence_capture(p)
        sources = "?" if p.captured is None else str(len(p.captured.intersection(p.dia_by_message)))
        print(f"  {p.conversation.name:<12}  {len(p.job_ids):>9}  {sources:>13}  {f'{got}/{of}':>17}")


def report(posted: list[Posted], append_seconds: float, evidence_source: str) -> bool:
    """The table and the one-line summary; True when every target is met."""
    jobs = [j for p in posted for j in p.jobs]
    succeeded = sum(j["status"] == "succeeded" for j in jobs)
    failed = [j for j in jobs if j["status"] == "failed"]
    unfinished = sum(len(p.job_ids) for p in posted) - succeeded - len(failed)
    wall, latencies = job_figures(jobs)
    rate = succeeded / wall if wall > 0 else 0.0
    p50, p99 = percentile(latencies, 50), percentile(latencies, 99)
    pairs = [evidence_capture(p) for p in posted]
    cited = sum(of for _, of in pairs)
    evidence = sum(got for got, _ in pairs) / cited if cited else float("nan")
    per_conversation(posted)
    for j in failed[:5]:
        print(f"  failed {j['id']} after {j.get('attempts')} attempts: {j.get('error')}")

    evidence_name = f"evidence capture ({evidence_source})"
    ok = table(
        f"ingest bench: {len(posted)} LoCoMo conversations",
        [
            ("user messages appended", f"{sum(len(p.job_ids) for p in posted)}", "", None),
            ("append time, client (s)", f"{append_seconds:.1f}", "", None),
            ("user messages ingested", f"{succeeded}", "", None),
            ("wall time (s)", f"{wall:.1f}", "", None),
            (
                "throughput (user msg/s)",
                f"{rate:.1f}",
                f">= {THROUGHPUT_TARGET:.0f}",
                rate >= THROUGHPUT_TARGET,
            ),
            ("job latency p50 (ms)", f"{p50:.0f}", "", None),
            ("job latency p99 (ms)", f"{p99:.0f}", "", None),
            ("failed jobs", f"{len(failed)}", "0", not failed),
            ("unfinished jobs", f"{unfinished}", "0", unfinished == 0),
            (evidence_name, f"{evidence:.3f}", "", None),
        ],
    )
    verdict = "PASS" if ok else "FAIL"
    figures = f"msgs_per_s={rate:.1f} p50_ms={p50:.0f} p99_ms={p99:.0f} evidence={evidence:.3f}"
    print(f"bench ingest {figures} {verdict}")
    return ok


async def run(args: argparse.Namespace) -> int:
    conversations = load_all(args.locomo_dir, limit=args.conversations)
    headers = {"Authorization": f"Bearer {api_key(args.api_key)}"}
    run_id = f"bench-ingest-{int(time.time())}"
    created: list[str] = []
    async with httpx.AsyncClient(base_url=args.base_url, headers=headers, timeout=60) as client:
        try:
            total = sum(len(c.messages) for c in conversations)
            print(
                f"appending {total} user messages of {len(conversations)} conversations ...", file=sys.stderr
            )
            if args.warmup:
                await warm_up(client, conversations[-1], args.warmup, run_id, args.timeout)
            counter_at_start = await jobs_succeeded(client)
            began = time.monotonic()
            results = await asyncio.gather(
                *(post_conversation(client, c, run_id, created) for c in conversations),
                return_exceptions=True,
            )
            append_seconds = time.monotonic() - began
            posted = [r for r in results if isinstance(r, Posted)]
            errors = [r for r in results if isinstance(r, BaseException)]
            if errors:
                raise errors[0]
            await wait_for_jobs(client, posted, args.timeout, counter_at_start)
            source = "memory sources"
            if not await load_captured(client, posted):
                print(
                    "GET /v1/users/{id}/memories answers 404 (not built yet?): "
                    "evidence capture from job results instead (memoriesCreated + memoriesUpdated > 0)",
                    file=sys.stderr,
                )
                source = "job results"
                for p in posted:
                    p.captured = captured_from_results(p)
            return 0 if report(posted, append_seconds, source) else 1
        finally:
            await clean_up(client, created, keep=args.keep)


async def warm_up(
    client: httpx.AsyncClient, conversation: Conversation, turns: int, run_id: str, give_up_after: float
) -> None:
    """Ingest `turns` turns under a throwaway user first, unmeasured, then delete it.

    The graph server is a JVM: in its first minute its compiler is still at work and the same
    ingest runs about half as fast (measured: 22 msg/s cold, 44 warm). A long-running service is
    warm; the figure that matters is the warm one.
    """
    print(f"warming up with {turns} turns (not measured) ...", file=sys.stderr)
    sample = replace(conversation, name=f"{conversation.name}-warmup", messages=conversation.messages[:turns])
    created: list[str] = []
    try:
        posted = await post_conversation(client, sample, run_id, created)
        await wait_for_jobs(client, [posted], give_up_after, None)
    finally:
        await clean_up(client, created, keep=False)


async def clean_up(client: httpx.AsyncClient, user_ids: list[str], keep: bool) -> None:
    """Delete the run's users (cascading to all they hold); a failure here must not hide the result."""
    if keep:
        print(f"kept users: {', '.join(user_ids)}", file=sys.stderr)
        return
    for user_id in user_ids:
        try:
            (await client.delete(f"/v1/users/{user_id}")).raise_for_status()
        except httpx.HTTPError as error:
            print(f"could not delete {user_id}: {error}", file=sys.stderr)


def main() -> int:
    p = parser(__doc__ or "")
    p.add_argument(
        "--conversations", type=int, default=None, help="the first N of locomo-dev (default: all 5)"
    )
    p.add_argument("--locomo-dir", type=Path, default=LOCOMO_DIR, help="the LoCoMo dev conversations")
    p.add_argument("--timeout", type=float, default=1800.0, help="seconds to wait for the jobs")
    p.add_argument("--keep", action="store_true", help="keep the users (default: delete them at the end)")
    p.add_argument(
        "--warmup",
        type=int,
        default=300,
        help="turns ingested unmeasured first, to warm the graph server (0: none)",
    )
    args = p.parse_args()
    failed = "bench ingest msgs_per_s=nan p50_ms=nan p99_ms=nan evidence=nan FAIL"
    return run_bench("ingest", run(args), failed, args.base_url)


if __name__ == "__main__":
    sys.exit(main())
