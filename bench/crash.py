"""Crash safety: no accepted message is lost or duplicated when the whole service is SIGKILLed.

Starts its own service (API + local graph server, fresh data dir, free ports), posts 1,000 user
messages across 20 users from 8 concurrent clients, and kills the whole process group with
SIGKILL at 5 random moments, restarting it on the same data dir each time. Unacknowledged
requests are not retried. At the end, every message whose append returned 201 must exist once,
with exactly one `succeeded` job and its derived data exactly once (each message states one fact:
exactly one memory derived from it).
Target: 0 lost, 0 duplicated. (`--base-url`/`--api-key` are accepted for uniformity, but this
script always runs the service it kills.)
"""

from __future__ import annotations

import asyncio
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import neo4j

from app.localgraph import free_port
from bench.common import Service, parser, table


async def main() -> int:
    p = parser(__doc__ or "")
    p.add_argument("--messages", type=int, default=1000)
    p.add_argument("--users", type=int, default=20)
    p.add_argument("--kills", type=int, default=5)
    p.add_argument("--clients", type=int, default=8)
    p.add_argument("--seed", type=int, default=None)
    args = p.parse_args()
    rng = random.Random(args.seed)
    data_dir = Path(tempfile.mkdtemp(prefix="engram-crash-"))
    bolt_port = free_port()
    service = Service(
        data_dir,
        port=free_port(),
        bolt_port=bolt_port,
        http_port=free_port(),
        env={"ENGRAM_INGEST_LEASE_SECONDS": "5", "ENGRAM_STARTUP_GRAPH_WAIT_SECONDS": "60"},
    )
    print(f"crash bench: data in {data_dir}, service on {service.base_url}")
    restart_seconds = [service.start()]
    key = (data_dir / "dev-api-key").read_text().strip()
    headers = {"Authorization": f"Bearer {key}"}
    acked: dict[str, dict[str, Any]] = {}  # messageId -> {user, thread, job, index}
    unacked = 0
    up = asyncio.Event()
    up.set()
    kill_points = sorted(rng.sample(range(50, args.messages - 50), args.kills))
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(args.messages):
        queue.put_nowait(i)

    async with httpx.AsyncClient(base_url=service.base_url, headers=headers, timeout=30) as client:
        threads = []
        for u in range(args.users):
            r = await client.post("/v1/threads", json={"externalId": f"crash-{u}", "autoCreateUser": True})
            r.raise_for_status()
            threads.append((r.json()["userId"], r.json()["id"]))

        async def post(i: int) -> None:
            nonlocal unacked
            user_id, thread_id = threads[i % len(threads)]
            body = {"role": "user", "content": f"I live in city number {i}."}  # one fact, unique text
            try:
                r = await client.post(f"/v1/threads/{thread_id}/messages", json=body)
            except httpx.HTTPError:
                unacked += 1
                return
            if r.status_code != 201:
                unacked += 1
                return
            m = r.json()["messages"][0]
            acked[m["id"]] = {
                "user": user_id,
                "thread": thread_id,
                "job": r.json()["ingested"][0]["jobId"],
                "i": i,
            }

        async def client_loop() -> None:
            while not queue.empty():
                await up.wait()
                i = queue.get_nowait()
                await post(i)

        async def killer() -> None:
            for point in kill_points:
                while len(acked) + unacked < point:  # noqa: ASYNC110 - polling a counter is simplest here
                    await asyncio.sleep(0.005)
                await asyncio.sleep(rng.uniform(0, 0.05))
                up.clear()
                service.kill()
                print(f"  killed the service after {len(acked)} acknowledged appends", flush=True)
                restart_seconds.append(await asyncio.to_thread(service.start))
                up.set()

        began = time.monotonic()
        await asyncio.gather(killer(), *(client_loop() for _ in range(args.clients)))
        print(f"  posted in {time.monotonic() - began:.0f} s; waiting for ingestion", flush=True)

        # Wait for every job to settle, then check through the API and the graph itself.
        deadline = time.monotonic() + 300
        jobs: dict[str, dict[str, Any]] = {}
        while time.monotonic() < deadline:
            jobs = {}
            for user_id, _ in threads:
                cursor = None
                while True:
                    params: dict[str, Any] = {"limit": 100, **({"cursor": cursor} if cursor else {})}
                    body = (await client.get(f"/v1/users/{user_id}/jobs", params=params)).json()
                    jobs.update({j["id"]: j for j in body["jobs"]})
                    if not body["pagination"]["hasMore"]:
                        break
                    cursor = body["pagination"]["nextCursor"]
            if all(j["status"] in ("succeeded", "failed") for j in jobs.values()):
                break
            await asyncio.sleep(1)

        stored: Counter[str] = Counter()
        contents: Counter[str] = Counter()
        gaps = 0
        for _, thread_id in threads:
            cursor = None
            seqs = []
            while True:
                params = {"limit": 100, **({"cursor": cursor} if cursor else {})}
                body = (await client.get(f"/v1/threads/{thread_id}/messages", params=params)).json()
                for m in body["messages"]:
                    stored[m["id"]] += 1
                    contents[m["content"]] += 1
                    seqs.append(m["seq"])
                if not body["pagination"]["hasMore"]:
                    break
                cursor = body["pagination"]["nextCursor"]
            gaps += int(seqs != list(range(1, len(seqs) + 1)))

    driver = neo4j.AsyncGraphDatabase.driver(
        f"bolt://127.0.0.1:{bolt_port}", auth=("root", "engram-local-graph")
    )
    async with driver:
        records, _, _ = await driver.execute_query(
            "UNWIND $ids AS id MATCH (m:Message {id: id}) "
            "RETURN id, COUNT { (:Memory)-[:DERIVED_FROM]->(m) } AS memories, "
            "COUNT { (m)-[:INGESTED_BY]->(:IngestJob) } AS jobs",
            {"ids": list(acked)},
            database_="engram",
        )
    derived = {r["id"]: (r["memories"], r["jobs"]) for r in records}
    service.stop()

    lost = [m for m in acked if stored[m] == 0]
    duplicated = [m for m in acked if stored[m] > 1] + [c for c, n in contents.items() if n > 1]
    jobs_by_message = Counter(j["messageId"] for j in jobs.values())
    not_once = [m for m in acked if jobs_by_message[m] != 1 or derived.get(m, (0, 0))[1] != 1]
    not_succeeded = [m for m, a in acked.items() if jobs.get(a["job"], {}).get("status") != "succeeded"]
    no_derived = [m for m in acked if derived.get(m, (0, 0))[0] != 1]
    stored_unacked = sum(stored.values()) - sum(1 for m in acked if stored[m])
    ok = table(
        f"crash bench: {args.messages} messages, {args.users} users, {args.kills} SIGKILLs",
        [
            ("appends acknowledged (201)", f"{len(acked)}", "", None),
            ("appends not acknowledged", f"{unacked}", "", None),
            ("  of those stored anyway", f"{stored_unacked}", "", None),
            ("restarts to ready (s, max)", f"{max(restart_seconds[1:], default=0):.1f}", "", None),
            ("lost", f"{len(lost)}", "0", not lost),
            ("duplicated", f"{len(duplicated)}", "0", not duplicated),
            ("jobs not exactly one", f"{len(not_once)}", "0", not not_once),
            ("jobs not succeeded", f"{len(not_succeeded)}", "0", not not_succeeded),
            ("derived memory not exactly one", f"{len(no_derived)}", "0", not no_derived),
            ("threads with seq gaps", f"{gaps}", "0", gaps == 0),
        ],
    )
    print(f"bench crash lost={len(lost)} duplicated={len(duplicated)} {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
