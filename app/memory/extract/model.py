"""The values the extractor returns: memories, entities, relations, endings."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Utterance:
    text: str
    speaker: str  # who "I" is: the message's `name`, else the user's name
    created_at: datetime
    previous: str | None = None  # the assistant message just before, if any
    # Written about the speaker rather than by them ("Sam lives in Lisbon"): a memory added by hand.
    about_speaker: bool = False


@dataclass(frozen=True, slots=True)
class Entity:
    name: str
    type: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Relation:
    source: str
    type: str
    target: str
    memory: int  # index of the memory that states it
    label: str | None = None  # for RELATED_TO: the role ("aunt", "mentor")
    # Held next to the current value of a one-valued type, not instead of it ("I started working
    # weekends at Target" keeps the main job).
    alongside: bool = False
    # Begins when its memory is dated ("I adopted Rex in 2020"), or only known since it was said:
    # "my sister Lena visited last week" names a sister, she did not become one last week.
    dated: bool = True


@dataclass(frozen=True, slots=True)
class Ending:
    """Something the message says is over: a relation type (and target, if named) of a source."""

    source: str
    type: str
    target: str | None
    memory: int
    similar: bool = False  # match targets by meaning ("meat" ends "steak"), not only by name


@dataclass(frozen=True, slots=True)
class Memory:
    text: str
    kind: str
    confidence: float
    valid_at: str | None = None  # "YYYY", "YYYY-MM" or "YYYY-MM-DD"
    entities: tuple[str, ...] = ()  # names of the entities it is about (the speaker included)
    negated: bool = False
    # The single-valued attribute the memory states about `entities[0]` ("diet", "favorite food",
    # "relationship status", "number of children", "age", "job title"); a newer memory filling the
    # same slot of the same subject replaces it. None for most memories.
    slot: str | None = None


@dataclass(slots=True)
class Extraction:
    memories: list[Memory] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    endings: list[Ending] = field(default_factory=list)


def normalise_name(name: str) -> str:
    """The entity key: lowercase, no accents' case games, no articles or punctuation."""
    key = re.sub(r"[^\w\s'-]", "", name.lower()).strip()
    key = re.sub(r"^(the|a|an|my|our)\s+", "", key)
    return re.sub(r"\s+", " ", key)
