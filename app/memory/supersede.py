"""Which held relations a new extraction ends. Pure: the writer passes what the graph holds.

- A functional relation (`LIVES_IN`, `WORKS_AT`, ...) has one valid value per source: a new value
  ends the others, unless it is held alongside them (a weekend job next to the main one).
- `LIKES x` ends `DISLIKES x` and the other way round.
- An `Ending` ("I quit my job at Acme", "I don't eat meat anymore") ends the source's relations of
  its type: all of them when it names no target, the named one otherwise (or the held name it is
  short for: "the Civic" ends "Honda Civic"), and, when it asks for meaning (`similar`), every
  target of the same stem ("I don't hike anymore" ends "hiking", and "long hikes") or close enough
  to the named one ("meat" ends "steak").
- A memory with a SLOT (`Memory.slot`: "diet", "favorite food", "relationship status", ...) is ended
  by a new memory that fills the same slot of the same subject with a different statement ("I
  started eating meat again" ends "Liam is vegetarian."), even when no relation says so.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from app.memory.extract import Extraction
from app.memory.extract.extractor import normalise_name
from app.memory.extract.vocabulary import FUNCTIONAL, OPPOSITE

SIMILAR_TARGET = 0.62  # all-MiniLM-L6-v2 cosine: meat~steak 0.71, dairy~cheese 0.67, coffee~tea 0.62


@dataclass(frozen=True, slots=True)
class Held:
    """A valid relation the graph already holds, with the memory that stated it."""

    id: str
    source: str
    type: str
    target: str
    memory_id: str | None


def _short_for(short: str, full: str) -> bool:
    """ "civic" names "honda civic": the last words of a held name stand for it."""
    return bool(short) and len(short) < len(full) and full.endswith(" " + short)


def stem(word: str) -> str:
    """A crude English stem, enough to tell that "hike", "hikes", "hiked" and "hiking" are one
    activity (and "swim" / "swimming", "run" / "running")."""
    w = word.lower()
    for suffix in ("ing", "ed", "es", "s"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)]
            break
    if len(w) >= 4 and w[-1] == w[-2] and w[-1] not in "aeiousl":
        w = w[:-1]  # "swimm" -> "swim", "runn" -> "run"
    return w[:-1] if w.endswith("e") and len(w) > 3 else w


def same_stem(short: str, full: str) -> bool:
    """ "hike" names "hiking" and "long hikes": the last words share a stem, and every word of
    `short` has its stem in `full`."""
    a, b = short.split(), full.split()
    if not a or not b or stem(a[-1]) != stem(b[-1]):
        return False
    stems = {stem(w) for w in b}
    return all(stem(w) in stems for w in a)


def ended(
    held: list[Held], new: Extraction, similarity: Callable[[str, str], float] | None = None
) -> list[Held]:
    """The held relations that `new` makes no longer true, each once, in held order."""
    out: dict[str, Held] = {}
    for h in held:
        hs, ht = normalise_name(h.source), normalise_name(h.target)
        for r in new.relations:
            if normalise_name(r.source) != hs:
                continue
            same_target = normalise_name(r.target) == ht
            if r.type == h.type and r.type in FUNCTIONAL and not same_target and not r.alongside:
                out[h.id] = h
            if OPPOSITE.get(r.type) == h.type and same_target:
                out[h.id] = h
        for e in new.endings:
            if normalise_name(e.source) != hs or e.type != h.type:
                continue
            if (
                e.target is None
                or normalise_name(e.target) == ht
                or _short_for(normalise_name(e.target), ht)
                or (e.similar and same_stem(normalise_name(e.target), ht))
                or (e.similar and similarity is not None and similarity(e.target, h.target) >= SIMILAR_TARGET)
            ):
                out[h.id] = h
    # A relation restated by the new message is not ended by it.
    restated = {(normalise_name(r.source), r.type, normalise_name(r.target)) for r in new.relations}
    return [
        h
        for h in out.values()
        if (normalise_name(h.source), h.type, normalise_name(h.target)) not in restated
    ]


@dataclass(frozen=True, slots=True)
class HeldMemory:
    """A valid memory the graph already holds that fills a slot of its subject."""

    id: str
    subject: str  # name of the entity the slot belongs to
    slot: str
    text: str


def _statement(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s']", " ", text.lower())).strip()


def ended_memories(held: list[HeldMemory], new: Extraction) -> list[tuple[HeldMemory, int]]:
    """Held memories whose slot (same subject by normalised name, same slot) a new memory fills
    with a different statement, each once, with the index of the new memory that ends it."""
    filled: dict[tuple[str, str], list[tuple[int, str]]] = {}
    for i, m in enumerate(new.memories):
        if m.slot and m.entities:
            key = (normalise_name(m.entities[0]), m.slot.strip().lower())
            filled.setdefault(key, []).append((i, _statement(m.text)))
    out: list[tuple[HeldMemory, int]] = []
    seen: set[str] = set()
    for h in held:
        fills = filled.get((normalise_name(h.subject), h.slot.strip().lower()))
        if not fills or h.id in seen:
            continue
        said = _statement(h.text)
        if any(text == said for _, text in fills):
            continue  # restated, not replaced
        seen.add(h.id)
        out.append((h, fills[0][0]))
    return out
