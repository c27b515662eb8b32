"""A message cut into sentences: the ones that get a vector at ingest, and where they are.

Ingest embeds each sentence of a chat message (a whole turn's vector is diluted by its small talk);
retrieval finds a message by its best sentence and can quote just the sentences that answer. Both
cut the text here, so that the n-th vector is the n-th sentence worth one. Pure and cheap.
"""

from __future__ import annotations

import re

# Sentences of a message that get a vector: the first ones, each of a few words at least.
MAX_SENTENCES = 12
MIN_SENTENCE_WORDS = 3
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(\[A-Z0-9])|\s+(?=\[shared )")


def split(text: str) -> list[str]:
    """Every sentence of `text` in order, whitespace collapsed (a photo's "[shared ...]" caption is one)."""
    return [p.strip() for p in _SENTENCE_END.split(" ".join(text.split())) if p.strip()]


def embedded(parts: list[str]) -> list[int]:
    """Which of `parts` get a vector: the first `MAX_SENTENCES` of at least `MIN_SENTENCE_WORDS`
    words; when none is that long, the whole text gets one (an empty list here)."""
    return [i for i, p in enumerate(parts) if len(p.split()) >= MIN_SENTENCE_WORDS][:MAX_SENTENCES]


def sentences(text: str) -> list[str]:
    """The texts to embed for a message, in order: its sentences worth a vector, else the whole text."""
    parts = split(text)
    chosen = embedded(parts)
    if chosen:
        return [parts[i] for i in chosen]
    return [" ".join(parts)] if parts else []
