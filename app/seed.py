"""Load a demo into a running Engram through its HTTP API: `make seed` (or `python -m app.seed`).

Two small hand-written users whose stories show what the graph is for (a move that supersedes the old
city, a sister, a dog, a diet; a job change), plus the first LoCoMo dev conversation (two speakers,
months of sessions) as a third user. Everything goes through the public API, so a seed is also a
smoke test of users, threads, appends and ingest. Re-running replaces the demo: a demo externalId
that already exists is deleted with everything derived from it, then loaded again.

Plain urllib rather than httpx: httpx is a dev-only dependency, and `app/` must run without it.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
LOCOMO_DIR = Path(os.environ.get("ENGRAM_LOCOMO_DIR", "/work/shared/data/locomo-dev"))
LOCOMO_FILE = "26.json"  # the first conversation of locomo-dev
BATCH = 100  # the API's limit of messages per append
PAGE = 100  # the API's largest page
PENDING = ("queued", "running")


class SeedError(Exception):
    """A failure worth one line on stderr, not a traceback."""


class ApiError(SeedError):
    """A non-2xx answer; keeps the problem+json body so callers can read `code` and `existingId`."""

    def __init__(self, method: str, path: str, status: int, body: dict[str, Any]) -> None:
        self.status = status
        self.body = body
        detail = body.get("detail") or body.get("title") or ""
        super().__init__(f"{method} {path} -> {status} {body.get('code', '')}: {detail}".rstrip(": "))


class Api:
    """The handful of JSON calls the seed makes, with the API key on each."""

    def __init__(self, base_url: str, key: str, timeout: float = 60.0) -> None:
        if urllib.parse.urlsplit(base_url).scheme not in {"http", "https"}:
            raise SeedError(f"--base-url must be http(s)://..., not {base_url!r}")
        self.base_url = base_url.rstrip("/")
        self.headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
        self.timeout = timeout

    def call(self, method: str, path: str, body: object = None, **query: str | int | None) -> Any:
        params = {k: v for k, v in query.items() if v is not None}
        url = self.base_url + path + (f"?{urllib.parse.urlencode(params)}" if params else "")
        data = None if body is None else json.dumps(body).encode()
        # S310: the scheme is http(s), checked in __init__.
        request = urllib.request.Request(url, data=data, headers=self.headers, method=method)  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                return json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            raise ApiError(method, path, error.code, _problem(error.read())) from None
        except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
            reason = getattr(error, "reason", error)
            raise SeedError(f"cannot reach {self.base_url} ({reason}): is `make run` running?") from None

    def pages(self, path: str, key: str, **query: str | int | None) -> list[dict[str, Any]]:
        """Every item of a cursor-paginated list."""
        items: list[dict[str, Any]] = []
        cursor: str | None = None
        while True:
            page = self.call("GET", path, limit=PAGE, cursor=cursor, **query)
            items.extend(page[key])
            cursor = page["pagination"].get("nextCursor")
            if not page["pagination"].get("hasMore") or not cursor:
                return items


def _problem(raw: bytes) -> dict[str, Any]:
    try:
        body = json.loads(raw)
    except ValueError:
        return {"detail": raw.decode(errors="replace")[:200]}
    return body if isinstance(body, dict) else {"detail": str(body)[:200]}


# --- the demo ---------------------------------------------------------------------------------


def rfc3339(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


Thread = tuple[str, list[dict[str, Any]]]  # a thread's name and its API messages, in order


@dataclass(frozen=True, slots=True)
class DemoUser:
    external_id: str
    first_name: str
    last_name: str | None = None
    email: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    threads: tuple[Thread, ...] = ()


def chat(name: str, start: str, *turns: tuple[str, str]) -> Thread:
    """A hand-written thread of (role, content) turns, a minute apart from `start` (UTC).

    Assistant turns are stored but not mined for facts: they show that only what users say is learned.
    """
    at = datetime.fromisoformat(start).replace(tzinfo=UTC)
    return name, [
        {"role": role, "content": content, "createdAt": rfc3339(at + timedelta(minutes=i))}
        for i, (role, content) in enumerate(turns)
    ]


ALICE = DemoUser(
    external_id="demo-alice",
    first_name="Alice",
    last_name="Moreau",
    email="alice@example.com",
    metadata={"demo": True, "plan": "premium"},
    threads=(
        chat(
            "Getting to know you",
            "2025-01-12T18:00:00",
            ("assistant", "Hi! Tell me a bit about yourself."),
            ("user", "I live in Seattle and I work as a nurse at Harborview."),
            ("assistant", "Nice to meet you! Anyone else at home?"),
            ("user", "I have a dog named Biscuit. He hates the rain."),
            ("user", "My sister Anna lives in Berlin."),
            ("user", "I've been vegetarian since college."),
        ),
        chat(
            "Big news",
            "2025-04-03T09:30:00",
            ("user", "I moved from Seattle to Portland last week!"),
            ("assistant", "Congratulations! How is Biscuit taking it?"),
            ("user", "My dog Biscuit loves the beach here."),
            ("user", "Anna is visiting us in Portland in May."),
        ),
    ),
)

BOB = DemoUser(
    external_id="demo-bob",
    first_name="Bob",
    last_name="Okafor",
    email="bob@example.com",
    metadata={"demo": True, "plan": "free"},
    threads=(
        chat(
            "Career chat",
            "2025-02-20T12:00:00",
            ("user", "I work at Initech as a data analyst."),
            ("assistant", "How do you like it?"),
            ("user", "I'll probably start looking for a new job in the summer."),
            ("assistant", "Good to know. Anything else I should remember?"),
            ("user", "I love Thai food, especially green curry."),
        ),
        chat(
            "Fresh start",
            "2025-09-08T08:15:00",
            ("user", "Just started my new job at Globex as a product manager!"),
            ("assistant", "Well done! What will you work on?"),
            ("user", "My manager Priya wants me on the billing team."),
        ),
    ),
)


# --- LoCoMo -----------------------------------------------------------------------------------


def locomo_time(text: str) -> datetime:
    """`1:56 pm on 8 May, 2023` (LoCoMo's session date_time) as a UTC instant; the data has no zone."""
    return datetime.strptime(text.strip(), "%I:%M %p on %d %B, %Y").replace(tzinfo=UTC)


def locomo_sessions(conversation: dict[str, Any]) -> list[int]:
    """Session numbers with turns, in order (some files carry date_times of sessions that have none)."""
    numbers = [int(m[1]) for k in conversation if (m := re.fullmatch(r"session_(\d+)", k))]
    return sorted(n for n in numbers if conversation[f"session_{n}"])


def locomo_content(turn: dict[str, Any]) -> str:
    """The turn's text, plus the caption of a shared photo: some answers are only in the photo."""
    caption = turn.get("blip_caption")
    return f"{turn['text']} [shared {caption}]" if caption else str(turn["text"])


def locomo_messages(conversation: dict[str, Any]) -> list[dict[str, Any]]:
    """Every turn of a LoCoMo conversation, in order, as an API message.

    Both speakers are `user` messages with their `name`, so each one's facts are extracted with "I"
    meaning that speaker. A session's turns get its date_time plus one second per turn, so message
    times keep the conversation order; `metadata.diaId` ties a message back to LoCoMo's evidence.
    The one place this mapping lives: the LoCoMo benches reuse it, so they ingest what the demo shows.
    """
    messages: list[dict[str, Any]] = []
    for number in locomo_sessions(conversation):
        start = locomo_time(conversation[f"session_{number}_date_time"])
        for i, turn in enumerate(conversation[f"session_{number}"]):
            messages.append(
                {
                    "role": "user",
                    "name": turn["speaker"],
                    "content": locomo_content(turn),
                    "createdAt": rfc3339(start + timedelta(seconds=i)),
                    "metadata": {"diaId": turn["dia_id"]},
                }
            )
    return messages


def locomo_user(path: Path) -> DemoUser:
    conversation = json.loads(path.read_text())
    a, b = conversation["speaker_a"], conversation["speaker_b"]
    return DemoUser(
        external_id=f"demo-locomo-{path.stem}",
        first_name=a,
        metadata={"demo": True, "source": "LoCoMo", "conversation": path.stem, "speakers": f"{a}, {b}"},
        threads=((f"LoCoMo {path.stem}: {a} and {b}", locomo_messages(conversation)),),
    )


# --- loading ----------------------------------------------------------------------------------


@dataclass(slots=True)
class Loaded:
    demo: DemoUser
    user_id: str
    messages: int = 0
    job_ids: list[str] = field(default_factory=list)


def create_user(api: Api, demo: DemoUser) -> str:
    """Create the demo user; an existing one with the same externalId is deleted first, and said so."""
    body = {
        "externalId": demo.external_id,
        "firstName": demo.first_name,
        "lastName": demo.last_name,
        "email": demo.email,
        "metadata": demo.metadata,
    }
    body = {k: v for k, v in body.items() if v is not None}
    try:
        return str(api.call("POST", "/v1/users", body)["id"])
    except ApiError as error:
        existing = error.body.get("existingId")
        if error.status != 409 or not existing:
            raise
    api.call("DELETE", f"/v1/users/{existing}")
    print(
        f"replaced the existing demo user {demo.external_id} ({existing}): deleted, loading again",
        file=sys.stderr,
    )
    return str(api.call("POST", "/v1/users", body)["id"])


def append_all(api: Api, loaded: Loaded, progress: Progress) -> None:
    """Each thread's messages in batches of up to 100, in order; collects the ingest job ids."""
    for name, messages in loaded.demo.threads:
        thread = api.call("POST", f"/v1/users/{loaded.user_id}/threads", {"name": name})
        for start in range(0, len(messages), BATCH):
            batch = messages[start : start + BATCH]
            appended = api.call("POST", f"/v1/threads/{thread['id']}/messages", {"messages": batch})
            loaded.messages += len(batch)
            loaded.job_ids.extend(j["jobId"] for j in appended["ingested"])
            progress.add(len(batch))


def pending_jobs(api: Api, user_id: str) -> int:
    """Jobs still queued or running. Queued first: a job that starts between the two reads still counts."""
    return sum(len(api.pages(f"/v1/users/{user_id}/jobs", "jobs", status=s)) for s in PENDING)


def wait_for_ingest(api: Api, loaded: Sequence[Loaded], timeout: float) -> bool:
    """Poll until no job of the demo users is pending; False when the time runs out first."""
    total = sum(len(u.job_ids) for u in loaded)
    progress = Progress(total, "messages ingested")
    waiting = list(loaded)
    deadline = time.monotonic() + timeout
    while True:
        counts = {u.user_id: pending_jobs(api, u.user_id) for u in waiting}
        waiting = [u for u in waiting if counts[u.user_id]]
        progress.set(total - sum(counts.values()))
        if not waiting:
            progress.finish()
            return True
        if time.monotonic() > deadline:
            progress.finish()
            return False
        time.sleep(1.0)


class Progress:
    """A plain-text bar on stderr, `[#####.....] 120/400 messages`; one line per tenth when not a tty."""

    def __init__(self, total: int, label: str, width: int = 30) -> None:
        self.total, self.label, self.width = total, label, width
        self.done = 0
        self.tty = sys.stderr.isatty()
        self._shown_tenth = -1

    def add(self, n: int) -> None:
        self.set(self.done + n)

    def set(self, done: int) -> None:
        self.done = done
        tenth = 10 * done // max(1, self.total)
        if self.tty:
            print(f"\r{self.bar()}", end="", file=sys.stderr, flush=True)
        elif tenth != self._shown_tenth:
            self._shown_tenth = tenth
            print(self.bar(), file=sys.stderr, flush=True)

    def finish(self) -> None:
        if self.tty:
            print(file=sys.stderr)

    def bar(self) -> str:
        filled = self.width * self.done // max(1, self.total)
        return f"[{'#' * filled}{'.' * (self.width - filled)}] {self.done}/{self.total} {self.label}"


# --- the report -------------------------------------------------------------------------------


def summary(api: Api, loaded: Sequence[Loaded]) -> None:
    """Users, messages, valid memories and entities per demo user, from the users' own stats."""
    rows: list[tuple[str, ...]] = [("externalId", "id", "messages", "memories", "entities", "failed jobs")]
    for u in loaded:
        stats = api.call("GET", f"/v1/users/{u.user_id}")["stats"]
        failed = len(api.pages(f"/v1/users/{u.user_id}/jobs", "jobs", status="failed"))
        rows.append(
            (
                u.demo.external_id,
                u.user_id,
                str(stats.get("messages", u.messages)),
                str(stats.get("memories", "?")),
                str(stats.get("entities", "?")),
                str(failed),
            )
        )
    totals = [sum(int(r[i]) if r[i].isdigit() else 0 for r in rows[1:]) for i in range(2, 6)]
    rows.append(("total", f"{len(loaded)} users", *(str(t) for t in totals)))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    print(f"\nseeded {len(loaded)} users")
    for row in rows:
        print("  " + "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())


def show_memories(api: Api, user: Loaded, limit: int = 12) -> None:
    """A taste of what was learned about one user, superseded facts included."""
    try:
        page = api.call("GET", f"/v1/users/{user.user_id}/memories", includeInvalid="true", limit=limit)
    except ApiError as error:
        if error.status != 404:
            raise
        print("\n(no memory list yet: GET /v1/users/{id}/memories answers 404 on this server)")
        return
    print(f"\nwhat Engram learned about {user.demo.first_name} (the latest {limit}, oldest first):")
    for memory in reversed(page["memories"]):  # the list is newest first; a story reads forwards
        invalid = f"  [invalid since {memory['invalidAt']}]" if memory.get("invalidAt") else ""
        print(f"  - ({memory.get('kind', '?')}) {memory['text']}{invalid}")


def browser_query(user_id: str) -> str:
    return (
        f"MATCH (u:User {{id: '{user_id}'}})-[:HAS_GRAPH]->(g:UserGraph)-[:HAS_MEMORY]->(m:Memory)\n"
        "OPTIONAL MATCH (m)-[:ABOUT]->(e:Entity)\n"
        "OPTIONAL MATCH (e)-[r]->(o:Entity)\n"
        "RETURN u, g, m, e, r, o LIMIT 300"
    )


# --- the command ------------------------------------------------------------------------------


def api_key(given: str | None) -> str:
    """--api-key, else the dev key that `make run` keeps in the data dir."""
    if given:
        return given
    key_file = Path(os.environ.get("ENGRAM_DATA_DIR", ROOT / ".data")) / "dev-api-key"
    if not key_file.exists():
        raise SeedError(f"no --api-key and no {key_file}: start `make run` first or pass --api-key")
    return key_file.read_text().strip()


def arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    default_url = os.environ.get(
        "ENGRAM_BASE_URL", f"http://127.0.0.1:{os.environ.get('ENGRAM_PORT', '8000')}"
    )
    p = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    p.add_argument("--base-url", default=default_url)
    p.add_argument(
        "--api-key",
        default=os.environ.get("ENGRAM_API_KEY"),
        help="defaults to the dev key that `make run` keeps in .data/dev-api-key",
    )
    p.add_argument("--locomo", type=Path, default=LOCOMO_DIR / LOCOMO_FILE, help="a LoCoMo conversation file")
    p.add_argument("--no-locomo", action="store_true", help="only the hand-written users")
    p.add_argument("--timeout", type=float, default=900.0, help="seconds to wait for ingest")
    return p.parse_args(argv)


def demo_users(args: argparse.Namespace) -> list[DemoUser]:
    users = [ALICE, BOB]
    if args.no_locomo:
        return users
    if not args.locomo.exists():
        print(f"no LoCoMo file at {args.locomo}: seeding the hand-written users only", file=sys.stderr)
        return users
    return [*users, locomo_user(args.locomo)]


def seed(args: argparse.Namespace) -> int:
    api = Api(args.base_url, api_key(args.api_key))
    demos = demo_users(args)
    loaded = [Loaded(demo, create_user(api, demo)) for demo in demos]
    total = sum(len(m) for d in demos for _, m in d.threads)
    progress = Progress(total, "messages appended")
    for user in loaded:
        append_all(api, user, progress)
    progress.finish()
    finished = wait_for_ingest(api, loaded, args.timeout)
    summary(api, loaded)
    show_memories(api, loaded[0])
    print(f"\nNeo4j Browser (`make up`: http://localhost:7474), {loaded[0].demo.first_name}'s graph:")
    print(browser_query(loaded[0].user_id))
    if not finished:
        print(
            f"\ningest not finished after {args.timeout:.0f} s; the counts above are partial", file=sys.stderr
        )
        return 1
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = arguments(argv)
    try:
        return seed(args)
    except SeedError as error:
        print(f"\nseed: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
