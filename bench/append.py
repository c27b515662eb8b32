"""Append latency and sustained ingest throughput against a running service (`make run`).

16 clients append single user messages for 60 s, like 16 chat users typing at once: together they
offer `--rate` messages per second (default 48, each client at 3/s), and `--rate 0` makes every
client send as fast as it can (a saturation test, not the target's load). A warm-up at the same load
comes first and is not measured (`--warmup`, default 30 s): a freshly started local graph server
runs its first seconds in the JVM's interpreter and compiles its hot paths over about the first half
minute of this load (from a fresh start: p99 66 ms after a 10 s warm-up, 37 ms after 30 s). The
script reports append latency percentiles and ingest throughput (jobs succeeded per second, read
from the service's own /metrics) with the queue length over time, then lets the queue drain.
Targets: append p99 < 50 ms; ingest keeps up with >= 40 messages/s (the queue does not grow and
drains within 10 s).
"""

from __future__ import annotations

import asyncio
import random
import sys
import time

import httpx

from bench.common import api_key, parser, percentile, setup_user_thread, table

P99_TARGET_MS = 50.0
INGEST_TARGET = 40.0
SUCCEEDED = 'engram_ingest_jobs_total{outcome="succeeded"}'
QUEUED = 'engram_ingest_queue{status="queued"}'

SENTENCES = [
    "I moved to Portland last March with my sister Anna.",
    "My dog Biscuit hates the rain but loves the beach.",
    "I work at Acme as a platform engineer, mostly on billing.",
    "Honestly I've stopped eating meat since January.",
    "Maybe I'll try yoga next month, my back has been sore.",
    "We're planning a trip to Lisbon in the summer.",
    "My favourite band is Radiohead, saw them in 2019.",
    "I'm allergic to peanuts, so be careful with recipes.",
]


def metric(text: str, name: str) -> float:
    total = 0.0
    for line in text.splitlines():
        if line.startswith(name) and not line.startswith("#"):
            total += float(line.rsplit(" ", 1)[1])
    return total


async def main() -> int:
    p = parser(__doc__ or "")
    p.add_argument("--clients", type=int, default=16)
    p.add_argument("--seconds", type=float, default=60.0)
    p.add_argument("--rate", type=float, default=48.0, help="messages/s offered by all clients together")
    p.add_argument("--warmup", type=float, default=30.0, help="seconds of unmeasured load first")
    args = p.parse_args()
    headers = {"Authorization": f"Bearer {api_key(args.api_key)}"}
    latencies: list[float] = []
    errors = 0
    async with httpx.AsyncClient(base_url=args.base_url, headers=headers, timeout=30) as client:
        run = f"bench-append-{int(time.time())}"
        threads = [await setup_user_thread(client, f"{run}-{i}") for i in range(args.clients)]

        async def worker(thread_id: str, stop_at: float, measured: bool) -> None:
            nonlocal errors
            rng = random.Random(thread_id + str(measured))
            interval = args.clients / args.rate if args.rate > 0 else 0.0
            next_at = time.monotonic() + rng.uniform(0, interval)
            while time.monotonic() < stop_at:
                if interval:
                    await asyncio.sleep(max(0.0, next_at - time.monotonic()))
                    next_at += rng.expovariate(1 / interval)
                body = {"role": "user", "content": rng.choice(SENTENCES)}
                began = time.perf_counter()
                response = await client.post(f"/v1/threads/{thread_id}/messages", json=body)
                if measured:
                    latencies.append((time.perf_counter() - began) * 1000)
                    errors += response.status_code != 201

        if args.warmup > 0:
            print(f"warm-up: {args.warmup:.0f} s at the same load (not measured) ...", flush=True)
            warm_until = time.monotonic() + args.warmup
            await asyncio.gather(*(worker(t, warm_until, False) for _, t in threads))
            for _ in range(120):  # let the warm-up's jobs finish (at most 60 s)
                if metric((await client.get("/metrics")).text, QUEUED) == 0:
                    break
                await asyncio.sleep(0.5)
        print(f"measuring: {args.seconds:.0f} s ...", flush=True)
        start_metrics = (await client.get("/metrics")).text
        succeeded_at_start = metric(start_metrics, SUCCEEDED)
        stop_at = time.monotonic() + args.seconds

        samples: list[tuple[float, float, float]] = []

        async def sampler() -> None:
            began = time.monotonic()
            while time.monotonic() < stop_at:
                text = (await client.get("/metrics")).text
                samples.append(
                    (
                        time.monotonic() - began,
                        metric(text, QUEUED),
                        metric(text, SUCCEEDED) - succeeded_at_start,
                    )
                )
                await asyncio.sleep(5)

        began = time.monotonic()
        await asyncio.gather(sampler(), *(worker(t, stop_at, True) for _, t in threads))
        elapsed = time.monotonic() - began
        end_metrics = (await client.get("/metrics")).text
        succeeded = metric(end_metrics, SUCCEEDED) - succeeded_at_start
        drain_began = time.monotonic()
        while time.monotonic() - drain_began < 120:
            done = metric((await client.get("/metrics")).text, SUCCEEDED) - succeeded_at_start
            if done >= len(latencies) - errors:
                break
            await asyncio.sleep(0.5)
        drain_seconds = time.monotonic() - drain_began

    print("queue over time (s, queued jobs, jobs succeeded so far)")
    for at, queued, done in samples:
        print(f"  {at:6.1f}  {queued:8.0f}  {done:8.0f}")
    appended = len(latencies) - errors
    append_rate = appended / elapsed
    ingest_rate = succeeded / elapsed
    # Keeps up: ingest runs at the target rate (or at everything offered, if less was offered) and the
    # backlog left when appends stop drains within 10 s.
    keeps_up = (ingest_rate >= INGEST_TARGET or ingest_rate >= 0.95 * append_rate) and drain_seconds <= 10
    p50, p99 = percentile(latencies, 50), percentile(latencies, 99)
    ok = table(
        f"append bench: {args.clients} clients, {elapsed:.0f} s",
        [
            ("appends acknowledged", f"{appended}", "", None),
            ("append errors", f"{errors}", "0", errors == 0),
            ("append rate (msg/s)", f"{append_rate:.1f}", "", None),
            ("append p50 (ms)", f"{p50:.1f}", "", None),
            ("append p99 (ms)", f"{p99:.1f}", f"< {P99_TARGET_MS:.0f}", p99 < P99_TARGET_MS),
            ("ingest throughput (jobs/s)", f"{ingest_rate:.1f}", f">= {INGEST_TARGET:.0f}", keeps_up),
            ("queue drained after (s)", f"{drain_seconds:.1f}", "<= 10", drain_seconds <= 10),
        ],
    )
    verdict = "PASS" if ok else "FAIL"
    print(f"bench append p50_ms={p50:.1f} p99_ms={p99:.1f} ingest_per_s={ingest_rate:.1f} {verdict}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
