"""The context block: sections of short lines, packed into a token budget, cut only between items.

Pure: the service ranks memories and hands over `Item`s in order of value (summary, who the user
is, memories, relations, group memories); `pack` keeps every item that still fits, in that order,
and renders the kept ones grouped under their section headings in the template's order. The token
count of the rendered text is checked as a whole (cl100k_base), never estimated.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

Template = Literal["chat", "agent", "support"]
TEMPLATES: tuple[str, ...] = ("chat", "agent", "support")

# Section keys -> heading per template ("{name}" is the user's name); the order is the render order.
HEADINGS: dict[str, dict[str, str]] = {
    "chat": {
        "summary": "About {name}",
        "who": "Who {name} is",
        "relevant": "Relevant to this conversation",
        "excerpts": "From past conversations",
        "facts": "What {name} has told you",
        "preferences": "What {name} has told you",
        "plans": "What {name} has told you",
        "events": "What {name} has told you",
        "relations": "People, places and things in {name}'s life",
        "group": "Shared knowledge: {group}",
    },
    "agent": {
        "summary": "User profile",
        "who": "User profile",
        "relevant": "Relevant to this task",
        "excerpts": "From past conversations",
        "preferences": "Preferences and constraints",
        "plans": "Projects, plans and recent events",
        "events": "Projects, plans and recent events",
        "facts": "Other facts",
        "relations": "Related people, places and things",
        "group": "Team knowledge: {group}",
    },
    "support": {
        "summary": "Customer",
        "who": "Customer",
        "relevant": "Relevant to this request",
        "excerpts": "From past conversations",
        "events": "History and past issues",
        "facts": "Account and other facts",
        "plans": "Account and other facts",
        "preferences": "Preferences",
        "relations": "Related people, places and things",
        "group": "Knowledge base: {group}",
    },
}
INTRO = {
    "chat": "What you know about {name} from earlier conversations. Use it naturally; do not recite it.",
    "agent": (
        "What is known about {name}, the user you are working for. Respect their preferences and constraints."
    ),
    "support": "What is known about {name}, the customer you are helping.",
}
# Which section a memory of each kind goes to when it is not "relevant".
SECTION_OF_KIND = {
    "fact": "facts",
    "relationship": "facts",
    "trait": "preferences",
    "preference": "preferences",
    "plan": "plans",
    "event": "events",
}


_HAS_DATE = re.compile(
    r"\b(1[89]|20)\d\d\b|\b(january|february|march|april|may|june|july|august|september|october|november|"
    r"december|yesterday|today|tomorrow|last|next|ago)\b",
    re.IGNORECASE,
)


def when(ms: int) -> str:
    """A date as precise as it was said: "2024", "March 2026" or "8 May 2023" (a resolved "last
    March" is stored as the first of the month at midnight, a year as the first of January)."""
    d = datetime.fromtimestamp(ms / 1000, tz=UTC)
    if (d.hour, d.minute, d.second) == (0, 0, 0) and d.day == 1:
        return str(d.year) if d.month == 1 else f"{d:%B %Y}"
    return f"{d.day} {d:%B %Y}"


def dated(text: str, kind: str, valid_at: int | None, *, lasting: bool = False) -> str:
    """The memory's text with its date where the date matters and the text has none: when an event
    happened, when a plan was made, since when a lasting state (a slot: job, diet, relationship
    status...) holds. Other facts, preferences and traits go undated."""
    text = text.strip()
    if valid_at is None or _HAS_DATE.search(text):
        return text
    at = when(valid_at)
    if kind == "event":
        note = at
    elif kind == "plan":
        note = f"as of {at}"
    elif lasting:
        note = f"since {at}"
    else:
        return text
    body, stop = (text[:-1], text[-1]) if text[-1:] in ".!?" else (text, ".")
    return f"{body} ({note}){stop}"


@dataclass(frozen=True, slots=True)
class Item:
    section: str
    text: str
    memory_id: str | None = None
    group: str | None = None
    # A relation is left out when a memory it came from is already in the block.
    covered_by: tuple[str, ...] = ()
    # A summary stands for the memories it was built from: they are not listed again.
    covers: tuple[str, ...] = ()
    # A verbatim excerpt: the message it quotes.
    message_id: str | None = None
    # A memory is left out when every message it came from is already quoted in the block.
    sources: tuple[str, ...] = ()


# No item costs fewer tokens than this ("- " + a few words + a newline): below it, stop looking.
SMALLEST_ITEM = 4


@dataclass(slots=True)
class Packed:
    text: str
    tokens: int
    memory_ids: list[str] = field(default_factory=list)
    truncated: bool = False
    message_ids: list[str] = field(default_factory=list)


def _heading(template: str, section: str, name: str, group: str | None) -> str:
    return "## " + HEADINGS[template][section].format(name=name, group=group or "")


def render(template: str, name: str, items: list[Item], *, intro: bool = True) -> str:
    order = list(dict.fromkeys(_heading(template, s, name, None) for s in HEADINGS[template] if s != "group"))
    sections: dict[str, list[str]] = {}
    for item in items:
        heading = _heading(template, item.section, name, item.group)
        if heading not in order:
            order.append(heading)
        bullet = item.text if item.section == "summary" else f"- {item.text}"
        sections.setdefault(heading, []).append(bullet)
    parts = [INTRO[template].format(name=name)] if intro and items else []
    parts += [heading + "\n" + "\n".join(sections[heading]) for heading in order if heading in sections]
    return "\n\n".join(parts)


def pack(template: str, name: str, items: list[Item], budget: int, count: Callable[[str], int]) -> Packed:
    """Keep items in value order while the rendered block stays within `budget` tokens. A memory
    placed before the excerpt that quotes its every source says the same thing twice: when the
    block quotes all of a memory's sources, it is packed again without that memory."""
    packed = _pack(template, name, items, budget, count)
    quoted = set(packed.message_ids)
    kept = set(packed.memory_ids)
    repeated = {
        i.memory_id for i in items if i.memory_id in kept and i.sources and quoted.issuperset(i.sources)
    }
    if not repeated:
        return packed
    return _pack(template, name, [i for i in items if i.memory_id not in repeated], budget, count)


def _pack(template: str, name: str, items: list[Item], budget: int, count: Callable[[str], int]) -> Packed:
    kept: list[Item] = []
    seen_text: set[str] = set()
    included: set[str] = set()
    truncated = False
    used = count(INTRO[template].format(name=name)) + 2
    headings: set[str] = set()
    for item in items:
        if budget - used < SMALLEST_ITEM:
            truncated = True
            break
        key = " ".join(item.text.lower().split())
        if key in seen_text or (item.memory_id and item.memory_id in included):
            continue
        if item.covered_by and included.intersection(item.covered_by):
            continue
        if item.sources and included.issuperset(item.sources):
            continue
        heading = _heading(template, item.section, name, item.group)
        cost = count(("" if item.section == "summary" else "- ") + item.text) + 1
        if heading not in headings:
            cost += count(heading) + 2
        if used + cost > budget:
            truncated = True
            continue
        kept.append(item)
        used += cost
        headings.add(heading)
        seen_text.add(key)
        included.update(item.covers)
        if item.memory_id:
            included.add(item.memory_id)
        if item.message_id:
            included.add(item.message_id)
    while True:
        text = render(template, name, kept)
        tokens = count(text)
        if tokens <= budget:
            break
        kept.pop()  # the estimate is per line; the whole text decides
        truncated = True
    ids = [i.memory_id for i in kept if i.memory_id]
    ids += [m for i in kept for m in i.covers]
    quoted = [i.message_id for i in kept if i.message_id]
    return Packed(text, tokens, list(dict.fromkeys(ids)), truncated, quoted)
