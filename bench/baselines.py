"""Retrieval baselines over a LoCoMo conversation's raw turns: Okapi BM25 and dense MiniLM.

Both rank the turns of one conversation for a question and return dia_ids, best first. A turn is
indexed as "Speaker: text" with the caption of a shared photo (`app.seed.locomo_content`), the
text Engram itself is given, so the baselines see everything the service sees (BM25 recall@10 on
locomo-dev: 0.469; without the speaker 0.440, without the captions 0.463).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

K1 = 1.5
B = 0.75

# NLTK's English stop words, with the contractions' pieces. Dropped, BM25 scores higher on
# locomo-dev: recall@10 0.469 against 0.424 with them kept (`bench.locomo --bm25-stop-words keep`).
_NLTK_ENGLISH = """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she
    her hers herself it its itself they them their theirs themselves what which who whom this that
    these those am is are was were be been being have has had having do does did doing a an the and
    but if or because as until while of at by for with about against between into through during
    before after above below to from up down in out on off over under again further then once here
    there when where why how all any both each few more most other some such no nor not only own
    same so than too very s t can will just don should now d ll m o re ve y ain aren couldn didn
    doesn hadn hasn haven isn ma mightn mustn needn shan shouldn wasn weren won wouldn
"""
STOP_WORDS = frozenset(_NLTK_ENGLISH.split())

_WORD = re.compile(r"[a-z0-9]+")


def tokens(text: str, *, drop_stop_words: bool = True) -> list[str]:
    """Lowercase runs of letters and digits ("Caroline's" -> caroline, s), stop words dropped or kept."""
    words = _WORD.findall(text.lower().replace("\u2019", "'"))
    return [w for w in words if w not in STOP_WORDS] if drop_stop_words else words


def turn_text(message: dict[str, Any]) -> str:
    """The indexed text of one turn: "Speaker: text [shared <caption>]"."""
    return f"{message['name']}: {message['content']}"


class Bm25:
    """Okapi BM25 over tokenised documents (k1=1.5, b=0.75).

    IDF is Lucene's log(1 + (N - n + 0.5) / (n + 0.5)): always positive, so a term in more than
    half of the turns (a speaker's name) still counts a little instead of counting against a turn.
    Each distinct query term counts once.
    """

    def __init__(self, documents: Sequence[Sequence[str]], k1: float = K1, b: float = B) -> None:
        self.k1 = k1
        self.b = b
        self.count = len(documents)
        self.lengths = [len(d) for d in documents]
        self.average_length = sum(self.lengths) / self.count if self.count else 0.0
        self.postings: dict[str, list[tuple[int, int]]] = {}  # term -> [(document, term frequency)]
        for index, document in enumerate(documents):
            for term, tf in Counter(document).items():
                self.postings.setdefault(term, []).append((index, tf))

    def idf(self, term: str) -> float:
        n = len(self.postings.get(term, ()))
        return math.log(1 + (self.count - n + 0.5) / (n + 0.5))

    def scores(self, query: Sequence[str]) -> list[float]:
        """One score per document, in document order."""
        scores = [0.0] * self.count
        for term in dict.fromkeys(query):
            idf = self.idf(term)
            for index, tf in self.postings.get(term, ()):
                norm = 1 - self.b + self.b * self.lengths[index] / (self.average_length or 1.0)
                scores[index] += idf * tf * (self.k1 + 1) / (tf + self.k1 * norm)
        return scores

    def top(self, query: Sequence[str], k: int) -> list[int]:
        """The indexes of the k best documents with a positive score, best first (ties: earlier first)."""
        scores = self.scores(query)
        ranked = sorted((i for i, s in enumerate(scores) if s > 0), key=lambda i: (-scores[i], i))
        return ranked[:k]


def bm25_rankings(
    turns: Sequence[tuple[str, str]], questions: Sequence[str], k: int, *, drop_stop_words: bool = True
) -> list[list[str]]:
    """For each question, the dia_ids of the k best turns by BM25. `turns`: (dia_id, text) pairs."""
    index = Bm25([tokens(text, drop_stop_words=drop_stop_words) for _, text in turns])
    return [
        [turns[i][0] for i in index.top(tokens(q, drop_stop_words=drop_stop_words), k)] for q in questions
    ]


def load_dense_model(threads: int) -> None:
    """all-MiniLM-L6-v2 exactly as the service's compute processes load it (offline, same precision)."""
    from app.memory import embeddings

    embeddings.load_model(threads=threads)


def dense_rankings(turns: Sequence[tuple[str, str]], questions: Sequence[str], k: int) -> list[list[str]]:
    """For each question, the dia_ids of the k turns of highest cosine (normalised vectors: dot product)."""
    import numpy as np

    from app.memory import embeddings

    turn_vectors = np.asarray(embeddings.embed([text for _, text in turns]), dtype=np.float32)
    question_vectors = np.asarray(embeddings.embed(list(questions)), dtype=np.float32)
    similarities = question_vectors @ turn_vectors.T
    # A stable sort on the negated scores: equal scores keep turn order, like BM25's ties.
    order = np.argsort(-similarities, axis=1, kind="stable")[:, :k]
    return [[turns[int(i)][0] for i in row] for row in order]
