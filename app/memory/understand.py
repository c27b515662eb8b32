"""The pipeline's CPU work (`app.memory.pipeline`), run inside the compute process: extract, then
embed in one batch.

For a batch of utterances: the extractor's output for each, and unit vectors for each memory text
(what memory search ranks), for each entity name and ending target (what resolution by meaning
and "meat ends steak" compare) and, with `by_sentence=True` (chat messages), for each sentence of
the message: verbatim excerpts are found by their best sentence, since a whole chat turn's vector is
diluted by its small talk. One `encode` call covers them all. `whole_text=True` adds a vector of the
whole text (a memory added by hand is its text).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.memory import embeddings
from app.memory.extract import Extraction, Extractor, Utterance
from app.memory.sentences import sentences

_extractor: Extractor | None = None


@dataclass(frozen=True, slots=True)
class Understood:
    extraction: Extraction
    message_vector: list[float] | None
    memory_vectors: list[list[float]]
    name_vectors: dict[str, list[float]]
    sentence_vectors: list[list[float]] = field(default_factory=list)


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


def understand(
    utterances: list[Utterance], whole_text: bool = False, *, by_sentence: bool = False
) -> list[Understood]:
    if _extractor is None:
        raise RuntimeError("the extractor is not loaded in this process")
    extractions = _extractor.extract_many(utterances)
    texts: list[str] = [u.text for u in utterances] if whole_text else []
    # Each sentence is embedded with who said it ("Caroline: I went ..."): questions name the person.
    split = [[f"{u.speaker}: {p}" for p in sentences(u.text)] if by_sentence else [] for u in utterances]
    for ex, parts in zip(extractions, split, strict=True):
        texts += [m.text for m in ex.memories]
        texts += names_of(ex)
        texts += parts
    vectors = iter(embeddings.embed(texts))
    message_vectors = [next(vectors) if whole_text else None for _ in utterances]
    out = []
    for ex, message_vector, parts in zip(extractions, message_vectors, split, strict=True):
        memory_vectors = [next(vectors) for _ in ex.memories]
        name_vectors = {name: next(vectors) for name in names_of(ex)}
        sentence_vectors = [next(vectors) for _ in parts]
        out.append(Understood(ex, message_vector, memory_vectors, name_vectors, sentence_vectors))
    return out
