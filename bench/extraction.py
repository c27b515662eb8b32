"""Extraction quality on the labelled set in tests/data/extraction.jsonl (the extractor alone, no server).

For every case the extractor reads the message (with the assistant question before it, if any) and
its output is compared with the labels:
- memories: one-to-one, a predicted memory matches an expected one when their content words overlap
  enough (F1 of lemma-ish word sets >= 0.5); the kinds are reported apart;
- entities: by normalised name (an alias counts);
- relations: (source, type, target) by normalised names;
- supersession: the case's `before` messages are extracted first and their relations (and their
  slotted memories) held; the message's extraction must end exactly the labelled relations and
  memories, no more. A memory is ended through a relation that is ended, or through its slot
  (`supersede.ended_memories`: a new memory fills the same slot of the same subject).
Prints precision/recall/F1 per part and exits non-zero when a target is missed. Targets: memory
F1 >= 0.85, relation F1 >= 0.80, every supersession case right.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

from app.memory.extract.extractor import normalise_name as key
from bench.common import table

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "extraction.jsonl"
MEMORY_F1_TARGET = 0.85
RELATION_F1_TARGET = 0.80
MATCH = 0.5
STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "am",
        "has",
        "have",
        "had",
        "do",
        "does",
        "did",
        "to",
        "of",
        "in",
        "on",
        "at",
        "for",
        "with",
        "and",
        "or",
        "but",
        "so",
        "that",
        "this",
        "it",
        "its",
        "their",
        "they",
        "them",
        "his",
        "her",
        "he",
        "she",
        "as",
        "by",
        "from",
        "about",
        "into",
        "very",
        "really",
        "just",
        "also",
        "too",
        "not",
        "no",
    ]
)


def words(text: str, speaker: str) -> set[str]:
    out = set()
    for raw in re.findall(r"[a-z0-9']+", text.lower()):
        word = raw.removesuffix("'s")
        if word in STOP or word == speaker.lower():
            continue
        stem = next(
            (word[: -len(s)] for s in ("ing", "ed", "es", "s") if len(word) > 4 and word.endswith(s)), word
        )
        out.add(stem)
    return out


def overlap(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    common = len(a & b)
    return 2 * common / (len(a) + len(b))


class Score:
    def __init__(self) -> None:
        self.tp = self.fp = self.fn = 0

    def add(self, tp: int, fp: int, fn: int) -> None:
        self.tp, self.fp, self.fn = self.tp + tp, self.fp + fp, self.fn + fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def match_memories(predicted: list[str], expected: list[str], speaker: str) -> list[tuple[int, int]]:
    pw = [words(p, speaker) for p in predicted]
    ew = [words(e, speaker) for e in expected]
    pairs = sorted(((overlap(p, e), i, j) for i, p in enumerate(pw) for j, e in enumerate(ew)), reverse=True)
    used_p: set[int] = set()
    used_e: set[int] = set()
    out = []
    for score, i, j in pairs:
        if score < MATCH:
            break
        if i in used_p or j in used_e:
            continue
        used_p.add(i)
        used_e.add(j)
        out.append((i, j))
    return out


def main() -> int:  # noqa: PLR0912 - one scoring pass, reads top to bottom
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", type=Path, default=DATA)
    p.add_argument("--show", type=int, default=0, help="print this many mismatched cases")
    p.add_argument("--tag", default=None, help="only cases with this tag")
    args = p.parse_args()

    from app.memory import embeddings
    from app.memory.extract import Extractor, Utterance
    from app.memory.supersede import Held, HeldMemory, ended, ended_memories

    cases = [json.loads(line) for line in args.data.read_text().splitlines() if line.strip()]
    if args.tag:
        cases = [c for c in cases if args.tag in c.get("tags", [])]
    extractor = Extractor.load()
    embeddings.load_model()
    cache: dict[str, list[float]] = {}

    def similarity(a: str, b: str) -> float:
        missing = [t for t in (a, b) if t not in cache]
        if missing:
            cache.update(zip(missing, embeddings.embed(missing), strict=True))
        return sum(x * y for x, y in zip(cache[a], cache[b], strict=True))

    memories, entities, relations = Score(), Score(), Score()
    kinds_right = kinds_total = 0
    supersession_right = supersession_total = 0
    shown = 0
    began = time.perf_counter()
    extracted = 0
    for case in cases:
        speaker = case["speaker"]
        at = datetime.fromisoformat(case["createdAt"].replace("Z", "+00:00"))
        held: list[Held] = []
        held_memories: dict[str, str] = {}
        held_slots: list[HeldMemory] = []
        before = case.get("before") or []
        for n, text in enumerate(before):
            earlier = extractor.extract(Utterance(text, speaker, at - timedelta(days=len(before) - n)))
            ids = {}
            for i, m in enumerate(earlier.memories):
                ids[i] = f"m{n}-{i}"
                held_memories[ids[i]] = m.text
            dead = ended(held, earlier, similarity)
            held = [h for h in held if h not in dead]
            gone = {h.id for h, _ in ended_memories(held_slots, earlier)}
            held_slots = [h for h in held_slots if h.id not in gone]
            held_slots += [
                HeldMemory(ids[i], m.entities[0], m.slot, m.text)
                for i, m in enumerate(earlier.memories)
                if m.slot and m.entities
            ]
            held += [
                Held(f"r{n}-{k}", r.source, r.type, r.target, ids.get(r.memory))
                for k, r in enumerate(earlier.relations)
            ]
        result = extractor.extract(Utterance(case["text"], speaker, at, case.get("previous")))
        extracted += 1 + len(before)

        predicted = [m.text for m in result.memories]
        expected = [m["text"] for m in case.get("memories", [])]
        pairs = match_memories(predicted, expected, speaker)
        memories.add(len(pairs), len(predicted) - len(pairs), len(expected) - len(pairs))
        for i, j in pairs:
            kinds_total += 1
            kinds_right += result.memories[i].kind == case["memories"][j]["kind"]

        # An entity counts by its name or any alias ("Anna" labelled as "Alice's sister" matches).
        expected_entities = {key(e["name"]) for e in case.get("entities", [])}
        found = [{key(n) for n in (e.name, *e.aliases)} for e in result.entities]
        hit = {k for k in expected_entities if any(k in names for names in found)}
        wrong = sum(1 for names in found if not names & expected_entities)
        entities.add(len(hit), wrong, len(expected_entities) - len(hit))

        alias = {key(a): key(e.name) for e in result.entities for a in e.aliases}

        def canon(n: str, alias: dict[str, str] = alias) -> str:
            return alias.get(key(n), key(n))

        pr = {(canon(r.source), r.type, canon(r.target)) for r in result.relations}
        er = {(canon(r["source"]), r["type"], canon(r["target"])) for r in case.get("relations", [])}
        relations.add(len(pr & er), len(pr - er), len(er - pr))

        inv = case.get("invalidates") or {}
        if before:
            supersession_total += 1
            dead = ended(held, result, similarity)
            got_r = {(key(h.source), h.type, key(h.target)) for h in dead}
            want_r = {(key(r["source"]), r["type"], key(r["target"])) for r in inv.get("relations", [])}
            got_m = [held_memories[h.memory_id] for h in dead if h.memory_id]
            got_m += [h.text for h, _ in ended_memories(held_slots, result)]
            want_m = inv.get("memories", [])
            memories_ok = (
                len(match_memories(sorted(set(got_m)), want_m, speaker)) == len(want_m) == len(set(got_m))
            )
            ok = got_r == want_r and (memories_ok or (not want_m and not got_m))
            supersession_right += ok
            if not ok and shown < args.show:
                print(
                    f"SUPERSESSION {case['id']}: got {sorted(got_r)} want {sorted(want_r)}; "
                    f"memories got {sorted(set(got_m))} want {want_m}"
                )
        if args.show and shown < args.show and (pr != er or len(pairs) != max(len(predicted), len(expected))):
            shown += 1
            print(f"--- {case['id']} [{', '.join(case.get('tags', []))}] {case['text']!r}")
            for i, said in enumerate(predicted):
                print(("   ok  " if any(i == a for a, _ in pairs) else "   +   ") + said)
            for j, want in enumerate(expected):
                if not any(j == b for _, b in pairs):
                    print("   -   " + want)
            for r in sorted(pr - er):
                print(f"   +R  {r}")
            for r in sorted(er - pr):
                print(f"   -R  {r}")
    seconds = time.perf_counter() - began

    def row(name: str, s: Score, target: float | None) -> tuple[str, str, str, bool | None]:
        value = f"P {s.precision:.2f}  R {s.recall:.2f}  F1 {s.f1:.2f}"
        return (name, value, f"F1 >= {target:.2f}" if target else "", s.f1 >= target if target else None)

    labelled = sum(len(c.get("memories", [])) for c in cases)
    ok = table(
        f"extraction bench: {len(cases)} cases, {labelled} labelled memories",
        [
            row("memories", memories, MEMORY_F1_TARGET),
            row("entities", entities, None),
            row("relations", relations, RELATION_F1_TARGET),
            ("memory kinds right", f"{kinds_right}/{kinds_total}", "", None),
            (
                "supersession cases right",
                f"{supersession_right}/{supersession_total}",
                "all",
                supersession_right == supersession_total,
            ),
            ("extractor speed (msg/s)", f"{extracted / seconds:.0f}", "", None),
        ],
    )
    print(
        f"bench extraction memory_f1={memories.f1:.3f} relation_f1={relations.f1:.3f} "
        f"entity_f1={entities.f1:.3f} supersession={supersession_right}/{supersession_total} "
        f"{'PASS' if ok else 'FAIL'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
