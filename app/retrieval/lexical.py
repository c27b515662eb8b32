"""Words: Okapi BM25 over memory texts, with a light stemmer, for names and rare terms.

Meaning (embeddings) misses exact names ("Biscuit", "Acme") and rare words; BM25 catches them.
The index is built once per cached user and scored with numpy: a query costs one array update per
distinct query term.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

K1 = 1.2
B = 0.75
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "been",
        "but",
        "by",
        "did",
        "do",
        "does",
        "for",
        "from",
        "had",
        "has",
        "have",
        "he",
        "her",
        "hers",
        "him",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "me",
        "my",
        "of",
        "on",
        "or",
        "our",
        "she",
        "so",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "they",
        "this",
        "to",
        "us",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
    ]
)


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """A deliberately small stemmer: plural and verb endings, and a final "e", so that "live",
    "lives", "lived" and "living" meet, as do "plan", "plans" and "planning"."""
    if word.endswith("'s"):
        word = word[:-2]
    word = word.replace("'", "")
    if len(word) > 4 and word.endswith(("ies", "ied")):
        word = word[:-3] + "y"
    elif len(word) > 5 and word.endswith("ing"):
        word = word[:-3]
    elif (len(word) > 4 and word.endswith("ed")) or (
        len(word) > 3 and word.endswith("es") and word[-3] in "sxz"
    ):
        word = word[:-2]
    elif len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiouls":
        word = word[:-1]
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]
    return word


def terms(text: str) -> list[str]:
    return [stem(w) for w in _WORD.findall(text.lower()) if w not in STOP_WORDS]


@dataclass(frozen=True, slots=True)
class Posting:
    docs: np.ndarray  # document positions
    weights: np.ndarray  # the term's saturated, length-normalised frequency in each


class Bm25:
    def __init__(self, documents: list[str]) -> None:
        self.size = len(documents)
        tokenised = [terms(d) for d in documents]
        lengths = np.array([len(t) for t in tokenised], dtype=np.float32)
        average = float(lengths.mean()) if self.size and lengths.sum() else 1.0
        norm = K1 * (1 - B + B * lengths / average)
        docs: dict[str, list[int]] = defaultdict(list)
        freqs: dict[str, list[int]] = defaultdict(list)
        for position, words in enumerate(tokenised):
            for word, freq in Counter(words).items():
                docs[word].append(position)
                freqs[word].append(freq)
        self.postings: dict[str, Posting] = {}
        for word, positions in docs.items():
            index = np.array(positions, dtype=np.int32)
            tf = np.array(freqs[word], dtype=np.float32)
            self.postings[word] = Posting(index, tf * (K1 + 1) / (tf + norm[index]))

    def idf(self, word: str) -> float:
        posting = self.postings.get(word)
        df = 0 if posting is None else len(posting.docs)
        return math.log(1 + (self.size - df + 0.5) / (df + 0.5))

    def scores(self, query: str) -> np.ndarray:
        out = np.zeros(self.size, dtype=np.float32)
        for word in set(terms(query)):
            posting = self.postings.get(word)
            if posting is not None:
                out[posting.docs] += self.idf(word) * posting.weights
        return out
