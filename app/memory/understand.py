"""The ingest step's CPU work, run inside the compute process: extract, then embed in one batch.

For a batch of messages: the extractor's output for each, and unit vectors for each memory text
(what retrieval searches) and for each entity name and ending target (what resolution by meaning
and "meat ends steak" compare). One `encode` call covers them all. The whole message is not
embedded: memories are the unit of retrieval and point at their messages, and a LoCoMo turn's
vector alone cost 40 % of the step. `whole_text=True` adds it (a memory added by hand is its text).
"""

from __future__ import annotations

from dataclasses import dataclass

from app.memory import embeddings
from app.memory.extract import Extraction, Extractor, Utterance

_extractor: Extractor | None = None


@dataclass(frozen=True, slots=True)
class Understood:
    extraction: Extraction
    message_vector: list[float] | None
    memory_vectors: list[list[float]]
    name_vectors: dict[str, list[float]]


def load(threads: int, precision: str = "auto") -> None:
    global _extractor  # noqa: PLW0603 - one pipeline per process, loaded once
    embeddings.load_model(threads, precision)
    if _extractor is None:
        _extractor = Extractor.load()


def names_of(extraction: Extraction) -> list[str]:
    names = [e.name for e in extraction.entities]
    names += [e.target for e in extraction.endings if e.target]
    names += [r.target for r in extraction.relations]
    return list(dict.fromkeys(names))


def understand(utterances: list[Utterance], whole_text: bool = False) -> list[Understood]:
    if _extractor is None:
        raise RuntimeError("the extractor is not loaded in this process")
    extractions = _extractor.extract_many(utterances)
    texts: list[str] = [u.text for u in utterances] if whole_text else []
    for ex in extractions:
        texts += [m.text for m in ex.memories]
        texts += names_of(ex)
    vectors = iter(embeddings.embed(texts))
    message_vectors = [next(vectors) if whole_text else None for _ in utterances]
    out = []
    for ex, message_vector in zip(extractions, message_vectors, strict=True):
        memory_vectors = [next(vectors) for _ in ex.memories]
        name_vectors = {name: next(vectors) for name in names_of(ex)}
        out.append(Understood(ex, message_vector, memory_vectors, name_vectors))
    return out
