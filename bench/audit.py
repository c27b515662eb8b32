"""Blind audit of stored memories: draw a random sample for human labellers, then score their labels.

    python -m bench.audit draw --out audit.jsonl [--user bench-locomo-26 ...] [--n 200] [--seed 1]
    python -m bench.audit draw --offline [DATA_DIR] --out audit.jsonl [--n 200] [--seed 1]
    python -m bench.audit score audit.jsonl [--labels LABELS.jsonl]

`draw` takes N random valid memories of the LoCoMo bench users (externalId `bench-locomo-<stem>`, as
`make bench-locomo` loads them; default: the five of locomo-dev), spread evenly across the users,
each with the turn(s) it came from (`GET /v1/memories/{id}` for its sources, the users' threads for
the messages). `--offline` needs no service: it runs the extractor in-process over the conversations
of DATA_DIR (default locomo-dev), each turn alone (no question before it), and draws from what it
extracts (a memory said twice in one conversation is one memory with two sources). Both write
FILE.jsonl (one object per memory: n, id, user, memory, sources [{speaker, date, text}], label: null,
reason: null) and FILE.md beside it for the labellers: the rubric, then the numbered items (memory and
source turns, nothing else: no ids, nothing of where the memory came from).

`score` reads the labelled JSONL (or the drawn one with `--labels`, one {n, label, reason} line per
item, as a labeller returns them) and prints the shares of GOOD / WEAK / BAD, the BAD reasons, three
examples of each label and reason, and the verdict. Targets: BAD <= 5 %, GOOD >= 60 %; exit 1 when
missed, 2 when a row is unlabelled or a label is not of the rubric.

The rubric:
  GOOD: a well-formed, self-contained statement about a named person (or their people, pets, places,
    things), faithful to the source, worth knowing later: a fact, preference, plan, event with its
    time, relationship or trait. Minor style issues allowed.
  WEAK: faithful and readable, but of little lasting value (small talk, a passing feeling, a
    compliment to the other speaker, a photo caption with no fact) or too vague to use.
  BAD, with one reason:
    garbled: ungrammatical after rewriting;
    pronoun: a pronoun or pointer that means nothing out of context ("Evan loves it.");
    second-person: "you" / "your" left in;
    filler: a greeting, thanks, sign-off, agreement or advice turned into a fact about the speaker;
    unfaithful: the wrong person, or a meaning the source does not have;
    fragment: no claim at all.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sys
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import httpx

from bench.common import DEFAULT_BASE_URL, BenchError, api_key, call, table
from bench.ingest import pages
from bench.locomo_data import LOCOMO_DIR, load_all

EXTERNAL_ID = "bench-locomo-{}"  # as bench.locomo loads the conversations
LABELS = ("GOOD", "WEAK", "BAD")
REASONS = ("garbled", "pronoun", "second-person", "filler", "unfaithful", "fragment")
REASON_ALIASES = {"deixis": "pronoun", "second person": "second-person", "2nd-person": "second-person"}
BAD_TARGET = 0.05  # at most
GOOD_TARGET = 0.60  # at least
EXAMPLES = 3
READS = 8  # memory reads in flight

RUBRIC = """\
- **GOOD**: a well-formed, self-contained statement about a named person (or their people, pets,
  places, things), faithful to the source, worth knowing later: a fact, preference, plan, event with
  its time, relationship or trait. Minor style issues allowed.
- **WEAK**: faithful and readable, but of little lasting value (small talk, a passing feeling, a
  compliment to the other speaker, a photo caption with no fact) or too vague to use.
- **BAD**, with one reason:
  - `garbled`: ungrammatical after rewriting;
  - `pronoun`: a pronoun or pointer that means nothing out of context ("Evan loves it.");
  - `second-person`: "you" / "your" left in;
  - `filler`: a greeting, thanks, sign-off, agreement or advice turned into a fact about the speaker;
  - `unfaithful`: the wrong person, or a meaning the source does not have;
  - `fragment`: no claim at all.
"""

T = TypeVar("T")


class LabelError(Exception):
    """The labels cannot be scored: a row unlabelled, a label or reason not of the rubric."""


# --- drawing (pure) ---------------------------------------------------------------------------


def quotas(sizes: Mapping[str, int], n: int) -> dict[str, int]:
    """How many to draw from each pool: as even as the pools allow, `n` in all (or all there is).
    Round-robin over the pools in name order, so the split does not depend on the mapping's order."""
    left = {name: sizes[name] for name in sorted(sizes)}
    taken = dict.fromkeys(left, 0)
    remaining = min(n, sum(left.values()))
    while remaining:
        for name, size in left.items():
            if remaining and taken[name] < size:
                taken[name] += 1
                remaining -= 1
    return taken


def sample(pools: Mapping[str, Sequence[T]], n: int, seed: int, key: Any = None) -> list[tuple[str, T]]:
    """`n` random (pool, item) pairs spread evenly across the pools, in a shuffled order; the same
    pools, n and seed always give the same draw (each pool is sorted by `key` first, so the order the
    items came in does not matter)."""
    rng = random.Random(seed)
    drawn: list[tuple[str, T]] = []
    for name, quota in quotas({name: len(items) for name, items in pools.items()}, n).items():
        items = sorted(pools[name], key=key) if key is not None else list(pools[name])
        drawn += [(name, item) for item in rng.sample(items, quota)]
    rng.shuffle(drawn)  # the labellers see the users mixed
    return drawn


def row(n: int, memory_id: str, user: str, text: str, sources: Sequence[dict[str, str]]) -> dict[str, Any]:
    return {
        "n": n,
        "id": memory_id,
        "user": user,
        "memory": text,
        "sources": list(sources),
        "label": None,
        "reason": None,
    }


def source(speaker: str | None, at: datetime | str | None, text: str) -> dict[str, str]:
    """A source turn as the labellers see it: speaker, a readable date ("8 May 2023, 13:56"), text."""
    if isinstance(at, str):
        at = datetime.fromisoformat(at.replace("Z", "+00:00"))
    date = f"{at.day} {at:%B %Y, %H:%M}" if at is not None else ""
    return {"speaker": speaker or "", "date": date, "text": text}


def markdown(rows: Iterable[Mapping[str, Any]]) -> str:
    """The labellers' file: the rubric, how to answer, then each item's memory and source turns."""
    lines = [
        "# Memory audit",
        "",
        "Each item is a statement written from a conversation, followed by the turn(s) it was written",
        "from. Label each item GOOD, WEAK or BAD by the rubric below; give one reason for BAD.",
        "",
        RUBRIC,
        "Answer with one JSON line per item, e.g.",
        '`{"n": 1, "label": "GOOD", "reason": null}` or `{"n": 2, "label": "BAD", "reason": "pronoun"}`.',
        "",
    ]
    for r in rows:
        lines += ["---", "", f"## {r['n']}", "", f"**Statement:** {r['memory']}", "", "**From:**", ""]
        for s in r["sources"]:
            when = f" ({s['date']})" if s.get("date") else ""
            lines.append(f"> **{s['speaker']}**{when}: {s['text']}  ")
        lines.append("")
    return "\n".join(lines)


def write_draw(out: Path, rows: Sequence[dict[str, Any]]) -> Path:
    """FILE.jsonl and the labellers' FILE.md beside it; returns the Markdown's path."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    md = out.with_suffix(".md")
    md.write_text(markdown(rows))
    return md


# --- drawing from the service -----------------------------------------------------------------


def default_users(data_dir: Path = LOCOMO_DIR) -> list[str]:
    return [EXTERNAL_ID.format(p.stem) for p in sorted(data_dir.glob("*.json"))]


async def draw_service(args: argparse.Namespace) -> list[dict[str, Any]]:
    """N valid memories of the given users, with their source messages."""
    headers = {"Authorization": f"Bearer {api_key(args.api_key)}"}
    async with httpx.AsyncClient(base_url=args.base_url, headers=headers, timeout=120) as client:
        users: dict[str, str] = {}  # externalId -> id
        for external_id in args.user or default_users():
            response = await client.get(f"/v1/users/external/{external_id}")
            if response.status_code == 404:
                raise BenchError(f"no user {external_id}: load it first (make bench-locomo)")
            user = await call(client, "GET", f"/v1/users/external/{external_id}")
            users[external_id] = user["id"]
        pools = {
            external_id: await pages(client, f"/v1/users/{user_id}/memories", "memories")
            for external_id, user_id in users.items()
        }
        drawn = sample(pools, args.n, args.seed, key=lambda m: m["id"])
        gate = asyncio.Semaphore(READS)

        async def read(memory_id: str) -> dict[str, Any]:
            async with gate:
                memory: dict[str, Any] = await call(client, "GET", f"/v1/memories/{memory_id}")
                return memory

        memories = await asyncio.gather(*(read(m["id"]) for _, m in drawn))
        messages: dict[str, dict[str, Any]] = {}
        for external_id in sorted({name for name, _ in drawn}):
            for thread in await pages(client, f"/v1/users/{users[external_id]}/threads", "threads"):
                for message in await pages(client, f"/v1/threads/{thread['id']}/messages", "messages"):
                    messages[message["id"]] = message
    rows = []
    for n, ((external_id, _), memory) in enumerate(zip(drawn, memories, strict=True), start=1):
        sources = [
            source(m.get("name"), m.get("createdAt"), m["content"])
            for m in (messages.get(i) for i in memory.get("sourceMessageIds", []))
            if m is not None
        ]
        rows.append(row(n, memory["id"], external_id, memory["text"], sources))
    return rows


# --- drawing offline --------------------------------------------------------------------------


@dataclass(slots=True)
class Extracted:
    """One distinct memory text of a conversation and the turns that said it."""

    key: str  # "<stem>:<dia_id of the first turn>:<index in its extraction>"
    text: str
    sources: list[dict[str, str]]


def extract_offline(data_dir: Path, conversations: int | None = None) -> dict[str, list[Extracted]]:
    """The extractor over every turn of each conversation, one turn at a time (no previous question);
    per conversation, its distinct memories in the order they were first said."""
    from app.memory.extract import Extractor, Utterance

    extractor = Extractor.load()
    pools: dict[str, list[Extracted]] = {}
    for c in load_all(data_dir, limit=conversations):
        utterances = [
            Utterance(
                text=m["content"],
                speaker=m["name"],
                created_at=datetime.fromisoformat(m["createdAt"].replace("Z", "+00:00")),
                previous=None,
            )
            for m in c.messages
        ]
        by_text: dict[str, Extracted] = {}
        for message, u, extraction in zip(
            c.messages, utterances, extractor.extract_many(utterances), strict=True
        ):
            turn = source(u.speaker, u.created_at, u.text)
            for i, memory in enumerate(extraction.memories):
                found = by_text.setdefault(
                    memory.text, Extracted(f"{c.name}:{message['metadata']['diaId']}:{i}", memory.text, [])
                )
                if turn not in found.sources:
                    found.sources.append(turn)
        pools[f"offline-{c.name}"] = list(by_text.values())
        print(f"{c.name}: {len(c.messages)} turns, {len(by_text)} memories", file=sys.stderr)
    return pools


def draw_offline(args: argparse.Namespace) -> list[dict[str, Any]]:
    pools = extract_offline(args.offline, args.conversations)
    drawn = sample(pools, args.n, args.seed, key=lambda e: e.key)
    return [row(n, e.key, user, e.text, e.sources) for n, (user, e) in enumerate(drawn, start=1)]


# --- scoring (pure) ---------------------------------------------------------------------------


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    rows = []
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as error:
                raise LabelError(f"{path}:{number}: not JSON ({error})") from None
    return rows


def merge_labels(rows: Sequence[dict[str, Any]], labels: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The drawn rows with the labeller's {n, label, reason} put in (a label given replaces the row's)."""
    by_n = {r["n"]: dict(r) for r in rows}
    seen: set[Hashable] = set()
    for label in labels:
        n = label.get("n")
        if n not in by_n:
            raise LabelError(f"a label for item {n!r}, which was not drawn")
        if n in seen:
            raise LabelError(f"item {n} labelled twice")
        seen.add(n)
        by_n[n]["label"] = label.get("label")
        by_n[n]["reason"] = label.get("reason")
    return [by_n[r["n"]] for r in rows]


def normalised(r: Mapping[str, Any]) -> tuple[str, str | None]:
    """(label, reason) of a row checked against the rubric: BAD needs one of its reasons."""
    label = r.get("label")
    if not label:
        raise LabelError(f"item {r.get('n')} is not labelled")
    label = str(label).strip().upper()
    if label not in LABELS:
        raise LabelError(f"item {r.get('n')}: label {r.get('label')!r} is none of {', '.join(LABELS)}")
    if label != "BAD":
        return label, None
    reason = str(r.get("reason") or "").strip().lower().replace("_", "-")
    reason = REASON_ALIASES.get(reason, reason)
    if reason not in REASONS:
        raise LabelError(
            f"item {r.get('n')}: BAD needs a reason of {', '.join(REASONS)}, not {r.get('reason')!r}"
        )
    return label, reason


@dataclass(slots=True)
class Scores:
    total: int
    labels: Counter[str]
    reasons: Counter[str]
    examples: dict[str, list[dict[str, Any]]]  # label or BAD reason -> its first rows

    def share(self, label: str) -> float:
        return self.labels[label] / self.total if self.total else float("nan")

    @property
    def passed(self) -> bool:
        return self.share("BAD") <= BAD_TARGET and self.share("GOOD") >= GOOD_TARGET


def score(rows: Sequence[Mapping[str, Any]]) -> Scores:
    """The tallies; raises LabelError listing every unlabelled row first, then any bad label."""
    unlabelled = [r.get("n") for r in rows if not r.get("label")]
    if unlabelled:
        shown = ", ".join(str(n) for n in unlabelled[:20]) + (" ..." if len(unlabelled) > 20 else "")
        raise LabelError(f"{len(unlabelled)} of {len(rows)} items not labelled: {shown}")
    labels: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    examples: dict[str, list[dict[str, Any]]] = {}
    for r in sorted(rows, key=lambda r: r["n"]):
        label, reason = normalised(r)
        labels[label] += 1
        for group in (label, reason):
            if group is not None and len(examples.setdefault(group, [])) < EXAMPLES:
                examples[group].append(dict(r))
        if reason:
            reasons[reason] += 1
    return Scores(len(rows), labels, reasons, examples)


def example_line(r: Mapping[str, Any], width: int = 100) -> str:
    said = " / ".join(f"{s['speaker']}: {s['text']}" for s in r.get("sources", []))
    said = said if len(said) <= width else said[: width - 3] + "..."
    return f"    {r['n']:>4}. {r['memory']}\n          <- {said}"


def report(s: Scores) -> bool:
    print(f"\nlabels of {s.total} memories")
    for label in LABELS:
        print(f"  {label:<5} {s.labels[label]:>4}  {s.share(label):6.1%}")
    if s.reasons:
        print("\nBAD reasons")
        for reason in REASONS:
            if s.reasons[reason]:
                print(f"  {reason:<14} {s.reasons[reason]:>4}  {s.reasons[reason] / s.total:6.1%} of all")
    for group in (*LABELS, *REASONS):
        if group in s.examples and group != "BAD":
            print(f"\n{group if group in LABELS else 'BAD: ' + group} (first {EXAMPLES})")
            for r in s.examples[group]:
                print(example_line(r))
    ok = table(
        "memory audit",
        [
            ("GOOD share", f"{s.share('GOOD'):.3f}", f">= {GOOD_TARGET:.2f}", s.share("GOOD") >= GOOD_TARGET),
            ("WEAK share", f"{s.share('WEAK'):.3f}", "", None),
            ("BAD share", f"{s.share('BAD'):.3f}", f"<= {BAD_TARGET:.2f}", s.share("BAD") <= BAD_TARGET),
        ],
    )
    figures = " ".join(f"{label.lower()}={s.share(label):.3f}" for label in LABELS)
    print(f"audit {figures} {'PASS' if ok else 'FAIL'}")
    return ok


# --- the commands -----------------------------------------------------------------------------


def draw(args: argparse.Namespace) -> int:
    if args.offline is not None:
        rows = draw_offline(args)
    else:
        try:
            rows = asyncio.run(draw_service(args))
        except BenchError as error:
            print(f"bench audit: {error}", file=sys.stderr)
            return 2
        except httpx.TransportError as error:
            print(
                f"bench audit: cannot reach {args.base_url} ({error!r}): is `make run` up?", file=sys.stderr
            )
            return 2
    md = write_draw(args.out, rows)
    users = Counter(r["user"] for r in rows)
    spread = ", ".join(f"{u} {k}" for u, k in sorted(users.items()))
    print(f"drew {len(rows)} memories ({spread}): {args.out} (labels go here), {md} (for the labellers)")
    return 0


def score_command(args: argparse.Namespace) -> int:
    try:
        rows = read_jsonl(args.file)
        if args.labels is not None:
            rows = merge_labels(rows, read_jsonl(args.labels))
        scores = score(rows)
    except (LabelError, OSError) as error:
        print(f"bench audit: {error}", file=sys.stderr)
        return 2
    return 0 if report(scores) else 1


def arguments(argv: Sequence[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = p.add_subparsers(dest="command", required=True)
    d = commands.add_parser("draw", help="draw N memories and write FILE.jsonl + FILE.md")
    d.add_argument("--out", type=Path, required=True, help="the JSONL to write (the Markdown goes beside it)")
    d.add_argument("--n", type=int, default=200, help="memories to draw (default 200)")
    d.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    d.add_argument(
        "--user",
        action="append",
        default=None,
        metavar="EXTERNAL_ID",
        help="a bench user to draw from (repeatable; default: the five dev ones, bench-locomo-<stem>)",
    )
    d.add_argument(
        "--offline",
        nargs="?",
        type=Path,
        const=LOCOMO_DIR,
        default=None,
        metavar="DATA_DIR",
        help="no service: run the extractor in-process over DATA_DIR's conversations (default locomo-dev)",
    )
    d.add_argument(
        "--conversations", type=int, default=None, help="--offline: only the first N conversations"
    )
    d.add_argument("--base-url", default=os.environ.get("ENGRAM_BASE_URL", DEFAULT_BASE_URL))
    d.add_argument(
        "--api-key",
        default=os.environ.get("ENGRAM_API_KEY"),
        help="defaults to the dev key that `make run` keeps in .data/dev-api-key",
    )
    s = commands.add_parser("score", help="score a labelled FILE.jsonl")
    s.add_argument("file", type=Path, help="the drawn JSONL, labelled (or with --labels)")
    s.add_argument("--labels", type=Path, default=None, help="a labeller's JSONL of {n, label, reason}")
    args = p.parse_args(argv)
    if args.command == "draw" and args.n <= 0:
        p.error("--n must be positive")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = arguments(argv)
    try:
        return draw(args) if args.command == "draw" else score_command(args)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
