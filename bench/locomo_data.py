"""The LoCoMo dev conversations: their turns as API messages, and their questions' evidence turns.

The turn -> message mapping is `app.seed.locomo_messages` (the demo loads the same conversation and
`app/` may not import `bench/`); this module adds what only measurements need: the questions, with
their evidence dia_ids cleaned of the dataset's few typos.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.seed import LOCOMO_DIR, locomo_messages, locomo_sessions

__all__ = ["LOCOMO_DIR", "Conversation", "Question", "Turn", "evidence_ids", "load", "load_all", "turns"]

ADVERSARIAL = 5  # category 5 questions have no answer in the conversation: no evidence to capture
ANSWERED = (1, 2, 4)  # the categories whose gold answers the answer-coverage measure reads
_DIA_ID = re.compile(r"D:?(\d+):(\d+)")  # "D1:3"; the data also has "D:11:26"


@dataclass(frozen=True, slots=True)
class Question:
    text: str
    category: int
    evidence: tuple[str, ...]  # dia_ids of the turns that hold the answer
    answer: str = ""  # the gold answer as text (the data has a few ints); "" when there is none


@dataclass(frozen=True, slots=True)
class Turn:
    """One raw turn as the dataset has it (the baselines' lines are built from these)."""

    dia_id: str
    date: str  # its session's `session_N_date_time`, verbatim: "1:56 pm on 8 May, 2023"
    speaker: str
    text: str
    caption: str | None  # `blip_caption` of a shared photo


@dataclass(frozen=True, slots=True)
class Conversation:
    name: str  # the file's stem, e.g. "26"
    speakers: tuple[str, str]
    messages: list[dict[str, Any]]  # API message bodies in conversation order, `metadata.diaId` set
    # Categories 1-4, each with at least one evidence turn of this conversation; questions of
    # categories 1, 2 and 4 with a gold answer are kept without one too (none on locomo-dev).
    questions: list[Question]
    turns: list[Turn] = field(default_factory=list)  # the raw turns, in the order of `messages`

    @property
    def dia_ids(self) -> set[str]:
        return {m["metadata"]["diaId"] for m in self.messages}


def evidence_ids(raw: list[str], known: set[str]) -> tuple[str, ...]:
    """Evidence as clean dia_ids: splits "D8:6; D9:17", mends "D:11:26", drops ids of no turn ("D")."""
    found = (f"D{m[1]}:{m[2]}" for item in raw for m in _DIA_ID.finditer(item))
    return tuple(dict.fromkeys(d for d in found if d in known))


def gold(answer: Any) -> str:
    """The gold answer as text: ints are str()-ed, a missing answer is ""."""
    return "" if answer is None else str(answer)


def turns(raw: dict[str, Any]) -> list[Turn]:
    """The raw turns of a conversation file, in order (the sessions of `app.seed.locomo_messages`)."""
    return [
        Turn(
            turn["dia_id"],
            raw[f"session_{n}_date_time"],
            turn["speaker"],
            turn["text"],
            turn.get("blip_caption"),
        )
        for n in locomo_sessions(raw)
        for turn in raw[f"session_{n}"]
    ]


def load(path: Path) -> Conversation:
    raw = json.loads(path.read_text())
    messages = locomo_messages(raw)
    known = {m["metadata"]["diaId"] for m in messages}
    questions = [
        Question(
            q["question"], q["category"], evidence_ids(q.get("evidence", []), known), gold(q.get("answer"))
        )
        for q in raw["qa"]
        if q["category"] != ADVERSARIAL
    ]
    return Conversation(
        name=path.stem,
        speakers=(raw["speaker_a"], raw["speaker_b"]),
        messages=messages,
        questions=[q for q in questions if q.evidence or (q.category in ANSWERED and q.answer)],
        turns=turns(raw),
    )


def load_all(directory: Path = LOCOMO_DIR, limit: int | None = None) -> list[Conversation]:
    """The conversations in file order (26, 30, 41, ...); the first `limit` of them when given."""
    paths = sorted(directory.glob("*.json"))
    if not paths:
        raise FileNotFoundError(f"no LoCoMo conversations (*.json) in {directory}")
    return [load(p) for p in paths[:limit]]
