"""Entity resolution: which entity of the user's graph a mention names. Pure.

A mention (name, type, aliases) resolves, in this order, to
1. the entity with the same normalised name and type;
2. the only entity with that normalised name (NER often disagrees with itself about types: "Luna"
   is a person in one sentence and a pet in the next);
3. an entity whose name or aliases share a key with the mention's name or aliases ("my sister"
   became "Alice's sister" before her name was known; "Anna" arrives with that alias);
4. for a person, the only person whose name begins with the mention's single word ("Anna" for
   "Anna Berg") or whose single word begins the mention's;
5. for an organisation (or a place NER took one for) named by a possessive ("St. David's", "Macy's"),
   the only organisation whose name it begins ("St. David's Medical Center");
6. for a proper name (place, organisation, product, event), the most similar entity of the same type
   by name embedding, at cosine >= SIMILAR_NAME ("NYC" and "New York City").
Otherwise the mention is a new entity. Resolution never leaves one user's graph: the candidates are
read from it alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from app.memory.extract.extractor import normalise_name

SIMILAR_NAME = 0.9
PROPER_TYPES = frozenset({"place", "organization", "product", "event"})


@dataclass(slots=True)
class Known:
    """An entity of the user's graph (or one created earlier in the same batch)."""

    id: str
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    vector: Sequence[float] | None = None
    new: bool = False
    dirty: bool = False  # changed in this batch: written back

    @property
    def key(self) -> str:
        return normalise_name(self.name)

    def keys(self) -> set[str]:
        return {self.key, *(normalise_name(a) for a in self.aliases)}

    def add_alias(self, alias: str) -> None:
        if normalise_name(alias) not in self.keys():
            self.aliases.append(alias)
            self.dirty = True


def cosine(a: Sequence[float], b: Sequence[float]) -> float:
    """Dot product: the model's vectors are unit length."""
    return float(sum(x * y for x, y in zip(a, b, strict=True)))


class Resolver:
    def __init__(self, known: Iterable[Known] = ()) -> None:
        self._all: dict[str, Known] = {}
        for k in known:
            self.add(k)

    def add(self, entity: Known) -> None:
        self._all[entity.id] = entity

    def get(self, entity_id: str) -> Known | None:
        return self._all.get(entity_id)

    def dirty(self) -> list[Known]:
        return [k for k in self._all.values() if k.new or k.dirty]

    def resolve(
        self, name: str, type_: str, aliases: Sequence[str] = (), vector: Sequence[float] | None = None
    ) -> Known | None:
        key = normalise_name(name)
        everyone = list(self._all.values())
        same_key = [k for k in everyone if k.key == key]
        for k in same_key:
            if k.type == type_:
                return k
        if len(same_key) == 1:
            return same_key[0]
        mention_keys = {key, *(normalise_name(a) for a in aliases)}
        shared = [k for k in everyone if k.keys() & mention_keys]
        if len(shared) == 1:
            return shared[0]
        found = _part_of_name(key, type_, everyone)
        if found is not None:
            return found
        if type_ in PROPER_TYPES and vector is not None:
            scored = [
                (cosine(vector, k.vector), k) for k in everyone if k.type == type_ and k.vector is not None
            ]
            if scored:
                best_score, best = max(scored, key=lambda pair: pair[0])
                if best_score >= SIMILAR_NAME:
                    return best
        return None


def _part_of_name(key: str, type_: str, everyone: list[Known]) -> Known | None:
    """A person by one word of their name, an organisation by its possessive start."""
    if type_ == "person":
        return _single_word_match(key, [k for k in everyone if k.type == "person"])
    if type_ in ("organization", "place") and key.endswith("'s"):
        longer = [k for k in everyone if k.type == "organization" and k.key.startswith(key + " ")]
        return longer[0] if len(longer) == 1 else None
    return None


def _single_word_match(key: str, people: list[Known]) -> Known | None:
    """ "anna" ~ "anna berg" (either way round), when exactly one person fits."""
    words = key.split()
    if len(words) == 1:
        fits = [k for k in people if k.key.split()[0] == key]
    else:
        fits = [k for k in people if len(k.key.split()) == 1 and k.key == words[0]]
    return fits[0] if len(fits) == 1 else None
