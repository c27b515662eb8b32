"""The way to memory: a user's chat message or a memory added by hand in, their graph written.

Both kinds of input take the same steps, all here:
1. Who says it and when: the extractor's `Utterance`. "I" in a message is its `name`, else the user
   (`display_name`); a bare answer is read with the assistant's question before it. A note is read
   as said about the user, who (while they have no name) is the person it starts with
   (`named_subject`).
2. One compute call for the batch (`app.memory.compute`, which runs `app.memory.understand`):
   extraction, and vectors of every memory and name, plus those of a message's sentences (verbatim
   excerpts are found by them) or of a note's whole text (a note is its own memory).
3. The writer's input, one `Said` per message or note: a message keeps every memory extracted from
   it; a note is one memory, its text as given, about what the extractor found in it.
4. `write`: one transaction per user graph (`app.memory.writer`).

The ingest worker (`app.ingest`) calls `read_messages` and `write`; `app.services.memories` calls
`read_notes` and `write`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

import structlog
from neo4j.exceptions import ConstraintError

from app import metadata as md
from app.clock import now_ms
from app.graph.db import Graph, Row
from app.memory import writer
from app.memory.compute import Compute
from app.memory.extract import Extraction, Memory, Utterance
from app.memory.extract.model import normalise_name
from app.memory.plan import UNNAMED, Plan, Said

log = structlog.get_logger("engram.pipeline")

_NOT_NAMES = frozenset(
    {
        "i", "the", "a", "an", "my", "our", "his", "her", "their", "this", "that", "these", "those",
        "he", "she", "they", "we", "it", "there", "here", "in", "on", "at", "last", "next", "when",
        "after", "before", "yesterday", "today", "tomorrow", "user", "users", "every", "most", "some",
        "also", "since", "from", "for", "if", "not", "no", "yes", "and", "but", "so", "customer",
    }
)  # fmt: skip


def display_name(first_name: str | None, self_name: str | None = None) -> str:
    """The user's name in memories: their first name ("Alice moved to Portland", not "Alice Smith
    moved to Portland"), else the name their own entity was given from what was said (`self_name`),
    else "The user"."""
    return _usable(first_name) or _usable(self_name) or UNNAMED


def _usable(name: str | None) -> str:
    """The name, stripped, if it names anyone: one stored before names had to hold a letter or digit
    (".", "!!") is no name and makes no entity key."""
    name = (name or "").strip()
    return name if normalise_name(name) else ""


def named_subject(text: str) -> str | None:
    """The person a note is written about, when it starts with their name: "Sam lives in Lisbon",
    "Sam's sister Ana works at Siemens" -> "Sam". For a user with no name yet."""
    m = re.match(r"\s*([A-Z][\w-]+(?: [A-Z][\w-]+)?)(?:'s\b|\u2019s\b| (?:[a-z]+)\b)", text)
    if m is None or m.group(1).split()[0].lower() in _NOT_NAMES:
        return None
    return m.group(1)


@dataclass(frozen=True, slots=True)
class Message:
    """A user message claimed by the ingest worker."""

    id: str
    text: str
    at: int  # epoch ms: its createdAt
    speaker: str  # who "I" is
    previous: str | None  # the assistant's message just before it, if the one before is theirs
    personality_id: str | None  # the thread's

    @classmethod
    def claimed(cls, row: Row) -> Message:
        """The message of a row of `jobs/claim`, spoken by its `name`, else by the user (by the name
        learned for their own entity when they have no first name)."""
        message, previous = row["message"], row["previous"]
        return cls(
            id=message["id"],
            text=message["content"],
            at=message["createdAt"],
            speaker=_usable(message.get("name"))
            or display_name(row["user"].get("firstName"), row.get("selfName")),
            previous=previous["content"] if previous and previous.get("role") == "assistant" else None,
            personality_id=row["personalityId"],
        )


@dataclass(frozen=True, slots=True)
class Note:
    """A memory added by hand, validated by the caller."""

    text: str
    kind: str | None = None
    personality_id: str | None = None
    valid_at: int | None = None  # epoch ms; default: when it is added
    metadata: md.Metadata = field(default_factory=dict)


async def read_messages(compute: Compute, messages: Sequence[Message]) -> list[Said]:
    """Extract and embed a batch of messages in one compute call: the writer's input for each."""
    utterances = [
        Utterance(m.text, m.speaker, datetime.fromtimestamp(m.at / 1000, tz=UTC), m.previous)
        for m in messages
    ]
    understood = await compute.extract(utterances, by_sentence=True)
    return [
        Said(
            speaker=m.speaker,
            at=m.at,
            extraction=u.extraction,
            memory_vectors=u.memory_vectors,
            name_vectors=u.name_vectors,
            message_id=m.id,
            personality_id=m.personality_id,
            sentence_vectors=u.sentence_vectors,
        )
        for m, u in zip(messages, understood, strict=True)
    ]


async def read_notes(compute: Compute, notes: Sequence[Note], *, user_name: str, now: int) -> list[Said]:
    """Extract and embed a batch of notes in one compute call: the writer's input for each.

    Each text is read like something the user said, whether written in their voice ("I live in
    Lisbon") or about them ("Sam lives in Lisbon"); a user with no name yet (`user_name` "The user")
    is the person the first note that starts with a name is about. A note is one memory: its own
    text, about every entity the extractor found in it, stating the relations and endings found; a
    time it names ("in March 2025") is its `validAt` unless the note gives one.
    """
    speaker = user_name
    if user_name == UNNAMED:
        speaker = next((n for n in map(named_subject, (n.text for n in notes)) if n), user_name)
    at = datetime.fromtimestamp(now / 1000, tz=UTC)
    utterances = [Utterance(n.text, speaker, at, about_speaker=True) for n in notes]
    understood = await compute.extract(utterances, whole_text=True)
    said = []
    for note, u in zip(notes, understood, strict=True):
        assert u.message_vector is not None  # asked for with whole_text
        ex = u.extraction
        mentioned = [speaker, *(e.name for e in ex.entities), *(n for m in ex.memories for n in m.entities)]
        times = {m.valid_at for m in ex.memories if m.valid_at}
        memory = Memory(
            text=note.text,
            kind=note.kind or (ex.memories[0].kind if ex.memories else "fact"),
            confidence=1.0,
            valid_at=times.pop() if note.valid_at is None and len(times) == 1 else None,
            entities=tuple(dict.fromkeys(mentioned)),
        )
        said.append(
            Said(
                speaker=speaker,
                at=note.valid_at if note.valid_at is not None else now,
                extraction=Extraction(
                    memories=[memory],
                    entities=ex.entities,
                    relations=[replace(r, memory=0) for r in ex.relations],
                    endings=[replace(e, memory=0) for e in ex.endings],
                ),
                memory_vectors=[u.message_vector],
                name_vectors=u.name_vectors,
                personality_id=note.personality_id,
                metadata=md.dumps(note.metadata),
                by_hand=True,
            )
        )
    return said


CONSTRAINT_ATTEMPTS = 3


async def write(graph: Graph, batch: writer.Batch, *, now: int | None = None) -> Plan:
    """Plan and write one user graph's batch in one transaction (retried by the driver on transient
    errors), at `now`, by default the time of each attempt. Raises `writer.LeaseLost` or
    `writer.GraphGone`.

    Writes to one graph are serialised by its lock (`ingest/lock_graph`); a server with optimistic
    concurrency (the local graph server) may still report two racing first writes of the same entity
    as a unique-constraint violation rather than a transient conflict. Nothing of the losing attempt
    was committed, so the batch is planned again against what the winner wrote."""
    attempt = 1
    while True:
        try:
            return await graph.write_tx(
                lambda tx: writer.write(tx, batch, now=now_ms() if now is None else now)
            )
        except ConstraintError:
            if attempt == CONSTRAINT_ATTEMPTS:
                raise
            log.info("graph_write_constraint_retry", attempt=attempt)
            attempt += 1
