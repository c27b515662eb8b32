"""Context and search latency on users with many memories, against a running service (`make run`).

Setup, through the API: a user with 10,000 memories (externalId `bench-context-10k`) and 100 users
with 1,000 each (`bench-context-1k-000` ... `099`); `--small`: 2,000 and 10 x 200
(`bench-context-2k`, `bench-context-200-000` ...). The memories are synthetic facts about each
person in the third person, as an importer would send them (`bench/context_data.py`, the same for
the same --seed), imported 100 at a time through `POST /v1/users/{id}/memories/batch` by
--workers concurrent importers (one user at a time each, so two compute processes stay busy). The
users are kept: a later run reuses every user whose graph already holds enough memories and fills
up the rest from where it stopped (the graph's count, invalid memories included, is how far it got).

Measurement: a warm-up pass touches every user once, one at a time, with context and search; those
first calls get their own table (cold on the first run after the service started: the service loads
a user's retrieval index on the first call and keeps it while the user's graph is unchanged). After
--warmup seconds of unmeasured load, 16 clients issue requests for --seconds: half against the
10k user, half against a random 1k user, each one of `GET /v1/users/{id}/context`,
`GET /v1/users/{id}/context?query=<q>` and `POST /v1/users/{id}/memories/search {query, limit: 10}`,
with q one of ~50 natural questions. Like `bench.append`, the clients together offer --rate
requests per second (default 48: each client one every third of a second); `--rate 0` makes each
client send the next request as soon as the last one answered (saturation: latency then measures
throughput). Targets for each kind: p50 < 20 ms, p99 < 60 ms, and no errors.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import time
from dataclasses import dataclass, field

import httpx

from bench.common import BenchError, api_key, call, parser, percentile, run_bench
from bench.context_data import FIRST_NAMES, memory_texts, questions

P50_TARGET_MS = 20.0
P99_TARGET_MS = 60.0
BATCH = 100  # the API's limit of memories per import
ATTEMPTS = 8  # with backoff up to 30 s: rides out a restart of the service
KINDS = ("context", "context?query", "search")


@dataclass(slots=True)
class BenchUser:
    external_id: str
    first_name: str
    target: int
    id: str = ""
    stored: int = 0  # memories in its graph, invalid ones included
    questions: list[str] = field(default_factory=list)


def bench_users(small: bool) -> list[BenchUser]:
    big, many, each = (2_000, 10, 200) if small else (10_000, 100, 1_000)
    label = "2k" if small else "10k"
    users = [BenchUser(f"bench-context-{label}", "Sam", big)]
    prefix = "200" if small else "1k"
    names = [n for n in FIRST_NAMES if n != "Sam"]
    users += [BenchUser(f"bench-context-{prefix}-{i:03}", names[i % len(names)], each) for i in range(many)]
    for user in users:
        user.questions = questions(user.first_name)
    return users


def show(line: str, final: bool = False) -> None:
    """Progress on stderr: one line rewritten in place on a terminal, else one line per update."""
    if sys.stderr.isatty():
        print(f"\r{line}\033[K", end="\n" if final else "", file=sys.stderr, flush=True)
    else:
        print(line, file=sys.stderr, flush=True)


def duration(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 3600}:{seconds // 60 % 60:02}:{seconds % 60:02}"


# --- setup ----------------------------------------------------------------------------------------


async def find_or_create(client: httpx.AsyncClient, user: BenchUser) -> None:
    """The user by externalId, created (with its first name) if missing; `stored` from its graph."""
    found = await client.get(f"/v1/users/external/{user.external_id}")
    if found.status_code == 404:
        body = {
            "externalId": user.external_id,
            "firstName": user.first_name,
            "metadata": {"bench": "context"},
        }
        created = await client.post("/v1/users", json=body)
        if created.status_code == 409:  # made by a concurrent run in between
            found = await client.get(f"/v1/users/external/{user.external_id}")
        else:
            found = created
    if not found.is_success:
        raise BenchError(f"user {user.external_id}: {found.status_code} {found.text[:200]}")
    user.id = found.json()["id"]
    graph = await call(client, "GET", f"/v1/users/{user.id}/graph")
    user.stored = graph["stats"]["memories"]


@dataclass(slots=True)
class Progress:
    total: int
    done: int  # already there when the run began, plus imported since
    imported: int = 0
    users_done: int = 0
    users: int = 0
    began: float = field(default_factory=time.monotonic)
    batch_ms: list[float] = field(default_factory=list)

    def line(self) -> str:
        elapsed = time.monotonic() - self.began
        rate = self.imported / elapsed if elapsed > 0 else 0.0
        left = self.total - self.done
        eta = duration(left / rate) if rate > 0 else "?"
        share = self.done / self.total if self.total else 1.0
        return (
            f"setup: {self.done:,}/{self.total:,} memories ({share:.0%}), {rate:.1f} memories/s, "
            f"ETA {eta}, users {self.users_done}/{self.users} done, {duration(elapsed)} elapsed"
        )


async def import_batch(client: httpx.AsyncClient, user: BenchUser, texts: list[str], key: str) -> None:
    """One import request, retried under its Idempotency-Key on timeouts and server errors."""
    body = {"memories": [{"text": t} for t in texts]}
    for attempt in range(1, ATTEMPTS + 1):
        try:
            response = await client.post(
                f"/v1/users/{user.id}/memories/batch", json=body, headers={"Idempotency-Key": key}
            )
        except httpx.TransportError as error:
            if attempt == ATTEMPTS:
                raise BenchError(f"import for {user.external_id}: {error!r}") from None
        else:
            if response.status_code == 201:
                return
            retry = response.status_code >= 500 or response.status_code in (409, 429)
            if not retry or attempt == ATTEMPTS:
                raise BenchError(
                    f"import for {user.external_id} -> {response.status_code}: {response.text[:300]}"
                )
        await asyncio.sleep(min(2**attempt, 30))


async def fill(
    client: httpx.AsyncClient, user: BenchUser, seed: int, run_id: str, progress: Progress
) -> None:
    """Import the user's memories from where its graph stopped, one batch at a time."""
    texts = memory_texts(name=user.first_name, count=user.target, seed=f"{seed}:{user.external_id}")
    for start in range(user.stored, user.target, BATCH):
        chunk = texts[start : start + BATCH]
        began = time.perf_counter()
        await import_batch(client, user, chunk, f"{run_id}:{user.id}:{start}")
        progress.batch_ms.append((time.perf_counter() - began) * 1000)
        user.stored += len(chunk)
        progress.done += len(chunk)
        progress.imported += len(chunk)
    progress.users_done += 1


async def describe(client: httpx.AsyncClient, user: BenchUser) -> str:
    """What the user's graph holds: memories (valid ones), entities, relations."""
    graph = (await call(client, "GET", f"/v1/users/{user.id}/graph"))["stats"]
    valid = (await call(client, "GET", f"/v1/users/{user.id}"))["stats"]["memories"]
    return (
        f"{user.external_id}: {graph['memories']:,} memories ({valid:,} valid), "
        f"{graph['entities']:,} entities, {graph['relations']:,} relations"
    )


async def set_up(client: httpx.AsyncClient, users: list[BenchUser], args: argparse.Namespace) -> None:
    for user in users:
        await find_or_create(client, user)
    await set_up_memories(client, users, args)
    for user in (users[0], users[-1]):
        print(f"setup: {await describe(client, user)}", file=sys.stderr)


async def set_up_memories(
    client: httpx.AsyncClient, users: list[BenchUser], args: argparse.Namespace
) -> None:
    todo = [u for u in users if u.stored < u.target]
    total = sum(u.target for u in users)
    present = sum(min(u.stored, u.target) for u in users)
    print(
        f"setup: {len(users)} users, {present:,}/{total:,} memories present; "
        f"{len(todo)} users to fill with {args.workers} concurrent imports",
        file=sys.stderr,
    )
    if not todo:
        return
    progress = Progress(total=total, done=present, users=len(users), users_done=len(users) - len(todo))
    queue: asyncio.Queue[BenchUser] = asyncio.Queue()
    for user in sorted(todo, key=lambda u: u.target - u.stored, reverse=True):  # the longest first
        queue.put_nowait(user)
    run_id = f"bench-context-{int(time.time())}"

    async def importer() -> None:
        while not queue.empty():
            await fill(client, queue.get_nowait(), args.seed, run_id, progress)

    async def reporter() -> None:
        while True:
            await asyncio.sleep(1 if sys.stderr.isatty() else 15)
            show(progress.line())

    shown = asyncio.create_task(reporter())
    try:
        await asyncio.gather(*(importer() for _ in range(min(args.workers, len(todo)))))
    finally:
        shown.cancel()
    show(progress.line(), final=True)
    elapsed = time.monotonic() - progress.began
    batch_p50 = percentile(progress.batch_ms, 50)
    print(
        f"setup: imported {progress.imported:,} memories in {duration(elapsed)}: "
        f"{progress.imported / elapsed:.1f} memories/s, {len(progress.batch_ms)} batches "
        f"(p50 {batch_p50:.0f} ms per batch of up to {BATCH})",
        file=sys.stderr,
    )


# --- measurement ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Sample:
    kind: str
    big: bool  # against the user with the most memories
    ms: float
    ok: bool


async def request(client: httpx.AsyncClient, user: BenchUser, kind: str, question: str) -> tuple[float, int]:
    """One request of `kind`; (milliseconds, status code; 0 for a transport error)."""
    began = time.perf_counter()
    try:
        if kind == "context":
            response = await client.get(f"/v1/users/{user.id}/context")
        elif kind == "context?query":
            response = await client.get(f"/v1/users/{user.id}/context", params={"query": question})
        else:
            response = await client.post(
                f"/v1/users/{user.id}/memories/search", json={"query": question, "limit": 10}
            )
        status = response.status_code
    except httpx.HTTPError:
        status = 0
    return (time.perf_counter() - began) * 1000, status


async def touch_all(client: httpx.AsyncClient, users: list[BenchUser]) -> list[Sample]:
    """Each user's first context and first search, one user at a time (no load besides). The big
    user comes last, so that its figures are its own index's and not a just-started graph server's."""
    samples = []
    for i in [*range(1, len(users)), 0]:
        user = users[i]
        for kind in ("context", "search"):
            ms, status = await request(client, user, kind, user.questions[i % len(user.questions)])
            if status == 404:  # the user exists: the route is missing
                raise BenchError(f"{kind} answers 404 for an existing user: is the service up to date?")
            samples.append(Sample(kind, i == 0, ms, status == 200))
        if sys.stderr.isatty() or len(samples) % 40 == 0:
            show(f"warm-up pass: {len(samples) // 2}/{len(users)} users")
    show(f"warm-up pass: {len(users)} users", final=True)
    return samples


async def load(
    client: httpx.AsyncClient, users: list[BenchUser], args: argparse.Namespace, seconds: float, seed: int
) -> list[Sample]:
    """`args.clients` clients for `seconds`, at `args.rate` requests/s together (0: back to back)."""
    big, rest = users[0], users[1:] or users
    samples: list[Sample] = []
    stop_at = time.monotonic() + seconds

    async def client_loop(index: int) -> None:
        rng = random.Random(f"{seed}:{index}")
        interval = args.clients / args.rate if args.rate > 0 else 0.0
        next_at = time.monotonic() + rng.uniform(0, interval)
        while time.monotonic() < stop_at:
            if interval:
                await asyncio.sleep(max(0.0, next_at - time.monotonic()))
                next_at += rng.expovariate(1 / interval)
            user = big if rng.random() < 0.5 else rng.choice(rest)
            kind = rng.choice(KINDS)
            ms, status = await request(client, user, kind, rng.choice(user.questions))
            samples.append(Sample(kind, user is big, ms, status == 200))

    await asyncio.gather(*(client_loop(i) for i in range(args.clients)))
    return samples


def row(name: str, samples: list[Sample], targets: bool) -> tuple[str, bool]:
    ms = [s.ms for s in samples if s.ok]
    errors = sum(not s.ok for s in samples)
    p50, p99 = percentile(ms, 50), percentile(ms, 99)
    ok = bool(ms) and p50 < P50_TARGET_MS and p99 < P99_TARGET_MS and errors == 0
    verdict = ("PASS" if ok else "FAIL") if targets else ""
    figures = " ".join(f"{v:7.1f}" for v in (p50, percentile(ms, 90), p99, max(ms, default=float("nan"))))
    return f"  {name:<22} {len(samples):>7} {errors:>6} {figures}  {verdict}", ok


def latency_table(title: str, groups: list[tuple[str, list[Sample], bool]]) -> bool:
    """Percentiles per group; groups with targets get a verdict. True when all of those pass."""
    print(f"\n{title}")
    print(f"  {'':<22} {'count':>7} {'errors':>6} {'p50':>7} {'p90':>7} {'p99':>7} {'max':>7}  (ms)")
    ok = True
    for name, samples, targets in groups:
        line, passed = row(name, samples, targets)
        print(line)
        ok = ok and (passed or not targets)
    return ok


async def measure(client: httpx.AsyncClient, users: list[BenchUser], args: argparse.Namespace) -> int:
    cold = await touch_all(client, users)
    big_label = f"{users[0].target // 1000}k user"
    rest_label = f"{users[-1].target:,} users".replace(",000 users", "k users")
    latency_table(
        "first calls per user, one user at a time (cold after a start of the service or a change to "
        "the user's graph: the first call loads the user's index)",
        [
            (f"context, {big_label}", [s for s in cold if s.kind == "context" and s.big], False),
            (f"search, {big_label}", [s for s in cold if s.kind == "search" and s.big], False),
            (f"context, {rest_label}", [s for s in cold if s.kind == "context" and not s.big], False),
            (f"search, {rest_label}", [s for s in cold if s.kind == "search" and not s.big], False),
        ],
    )
    if args.warmup > 0:
        show(f"warm-up load: {args.warmup:.0f} s (not measured) ...", final=True)
        await load(client, users, args, args.warmup, args.seed + 1)
    offered = f"{args.rate:.0f} req/s offered" if args.rate > 0 else "back to back"
    show(f"measuring: {args.clients} clients, {offered}, {args.seconds:.0f} s ...", final=True)
    load_before = os.getloadavg()[0]
    began = time.monotonic()
    samples = await load(client, users, args, args.seconds, args.seed)
    elapsed = time.monotonic() - began
    # On a shared machine the figures mean little without how busy it was.
    print(
        f"\nmachine: {os.cpu_count()} cores, load average {load_before:.1f} before the measurement, "
        f"{os.getloadavg()[0]:.1f} after"
    )

    by_kind = [(kind, [s for s in samples if s.kind == kind], True) for kind in KINDS]
    ok = latency_table(
        f"context and search: {args.clients} clients, {offered}, {elapsed:.0f} s, "
        f"{len(samples) / elapsed:.1f} req/s served; targets p50 < {P50_TARGET_MS:.0f} ms, "
        f"p99 < {P99_TARGET_MS:.0f} ms, no errors",
        [
            *by_kind,
            ("overall", samples, False),
            (big_label, [s for s in samples if s.big], False),
            (rest_label, [s for s in samples if not s.big], False),
        ],
    )
    ok_ms = [s.ms for s in samples if s.ok]
    worst_p99 = max(percentile([s.ms for s in group if s.ok], 99) for _, group, _ in by_kind)
    verdict = "PASS" if ok else "FAIL"
    print(f"bench context p50_ms={percentile(ok_ms, 50):.1f} p99_ms={worst_p99:.1f} {verdict}")
    return 0 if ok else 1


async def run(args: argparse.Namespace) -> int:
    headers = {"Authorization": f"Bearer {api_key(args.api_key)}"}
    users = bench_users(args.small)
    limits = httpx.Limits(max_connections=max(args.clients, args.workers) + 4)
    async with httpx.AsyncClient(
        base_url=args.base_url, headers=headers, timeout=300, limits=limits
    ) as client:
        await set_up(client, users, args)
        if args.setup_only:
            return 0
        return await measure(client, users, args)


def main() -> int:
    p = parser(__doc__ or "")
    p.add_argument("--small", action="store_true", help="1 user of 2,000 and 10 of 200 (quick checks)")
    p.add_argument("--setup-only", action="store_true", help="create and fill the users, then stop")
    p.add_argument("--workers", type=int, default=4, help="concurrent import requests during setup")
    p.add_argument("--seed", type=int, default=7, help="the memories' seed (the same users need the same)")
    p.add_argument("--clients", type=int, default=16)
    p.add_argument("--seconds", type=float, default=60.0)
    p.add_argument(
        "--rate", type=float, default=48.0, help="requests/s offered by all clients (0: back to back)"
    )
    p.add_argument("--warmup", type=float, default=10.0, help="seconds of unmeasured load first")
    args = p.parse_args()
    return run_bench("context", run(args), "bench context p50_ms=nan p99_ms=nan FAIL", args.base_url)


if __name__ == "__main__":
    sys.exit(main())
