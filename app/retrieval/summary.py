"""The user's biographical summary, from their most important valid facts; no language model.

At most one memory per slot of a subject (Alice's job, her sister's job, Alice's diet...), the
most important first, then arranged as a biography reads: who they are and where (slots,
relationships, facts), what they are like (traits, preferences), what they are up to (plans,
events).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from app.memory.extract.text import QUOTED
from app.retrieval.index import Memories

SENTENCES = 6
CONFIDENT = 0.8
_HEDGED = re.compile(r"\b(would|might|may|could|maybe|perhaps|probably)\b", re.I)
_NEGATED = re.compile(r"\b(not|never|n't)\b|n't\b", re.I)
MAX_WORDS = 120
ORDER = {"relationship": 1, "fact": 2, "trait": 3, "preference": 4, "plan": 5, "event": 6}
# What someone does comes first in a biography, then the other single-valued facts.
FIRST_SLOTS = ("job title",)


@dataclass(frozen=True, slots=True)
class Summary:
    text: str
    memory_ids: tuple[str, ...]
    considered: int
    sentences: tuple[str, ...] = ()  # one per memory, in the order of `memory_ids`

    def within(self, budget: int, count: Callable[[str], int]) -> Summary:
        """The first sentences that fit in `budget` tokens (a shorter summary for a small block)."""
        kept = 0
        while kept < len(self.sentences) and count(" ".join(self.sentences[: kept + 1])) <= budget:
            kept += 1
        if kept == len(self.sentences):
            return self
        return Summary(
            " ".join(self.sentences[:kept]), self.memory_ids[:kept], self.considered, self.sentences[:kept]
        )


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if text[-1:] in '.!?"' else f"{text}."


def about(text: str, subjects: Sequence[str]) -> bool:
    """Whether a memory's text is about one of `subjects`: it starts with the name ("Maya lives in
    Denver.", "Maya's sister Lena is a lawyer.")."""
    return any(text.startswith((f"{s} ", f"{s}'s ", f"{s}\u2019s ")) for s in subjects if s)


def quoted(text: str) -> bool:
    """A memory kept in the speaker's words (`Evan said (3 May 2023): "..."`): a biography retells,
    it does not quote."""
    return QUOTED.match(text) is not None


def lasting(memory: dict[str, object]) -> bool:
    """What a biography states: said with confidence, not hedged ("would", "might") or a passing
    "not yet"; a negation only where it fills a slot ("doesn't eat meat")."""
    text = str(memory.get("text") or "")
    if float(memory.get("confidence") or 0.9) < CONFIDENT:  # type: ignore[arg-type]
        return False
    if _HEDGED.search(text):
        return False
    return not (_NEGATED.search(text) and not memory.get("slot"))


def summarize(memories: Memories, subjects: Sequence[str] = ()) -> Summary:
    """The biography of `subjects` (the user's names; any memory when empty), quotes left out."""
    eligible = memories.valid & memories.general
    order = memories.by_importance[eligible[memories.by_importance]]  # most important first
    chosen: list[int] = []
    slots: set[str] = set()
    texts: set[str] = set()
    words = 0
    for i in order:
        memory = memories.rows[i]["memory"]
        said = memory.get("text") or ""
        if (subjects and not about(said, subjects)) or quoted(said) or not lasting(memory):
            continue
        text = _sentence(said)
        slot = f"{memory.get('subjectId')}|{memory['slot']}" if memory.get("slot") else None
        if (slot and slot in slots) or text.lower() in texts or len(text) < 3:
            continue
        if words + len(text.split()) > MAX_WORDS:
            break
        chosen.append(int(i))
        words += len(text.split())
        texts.add(text.lower())
        if slot:
            slots.add(slot)
        if len(chosen) == SENTENCES:
            break

    def place(i: int) -> tuple[int, float]:
        memory = memories.rows[i]["memory"]
        slot = memory.get("slot")
        rank = (0 if slot in FIRST_SLOTS else 1) if slot else 1 + ORDER.get(memory.get("kind") or "fact", 2)
        return rank, -float(memories.importance[i])

    chosen.sort(key=place)
    sentences = tuple(_sentence(memories.rows[i]["memory"]["text"]) for i in chosen)
    return Summary(
        text=" ".join(sentences),
        memory_ids=tuple(memories.rows[i]["memory"]["id"] for i in chosen),
        considered=int(eligible.sum()),
        sentences=sentences,
    )
