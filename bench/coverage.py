"""Answer coverage of a context block: the pure parts of `bench.locomo`'s answer measure.

For a LoCoMo question with a gold answer, its *answer words* are the answer's content words: the
lowercase runs of [a-z0-9] of `str(answer)`, minus NLTK's English stop words and "yes"/"no". The
*coverage* of a text is the share of those words that are among the text's own runs; a question is
*all-words* when every one of them is. The plain-retrieval baseline ("rrf") is the conversation's
raw turns, one line each (`turn_line`), ranked by reciprocal-rank fusion (`rrf`, k = 60) of BM25 and
dense cosine, packed in rank order into a cl100k_base token budget (`pack`).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field

from app.retrieval import tokens

RRF_K = 60
BUDGETS = (500, 1500, 3000)
CATEGORIES = {1: "multi-hop", 2: "temporal", 4: "single-hop"}  # the categories measured

# NLTK's English stop-word list (`nltk.corpus.stopwords.words("english")`), copied because the
# corpus cannot be downloaded here: the current nltk_data list, 198 words (the classic 179 plus
# the pronoun contractions added in 2025, "he'd", "i'd", "they've", ...). Words here are [a-z0-9]
# runs, so an apostrophe form never matches as a whole; its pieces ("he", "d") are on the list.
NLTK_ENGLISH_STOP_WORDS = (
    "a", "about", "above", "after", "again", "against", "ain", "all", "am", "an", "and", "any", "are",
    "aren", "aren't", "as", "at", "be", "because", "been", "before", "being", "below", "between",
    "both", "but", "by", "can", "couldn", "couldn't", "d", "did", "didn", "didn't", "do", "does",
    "doesn", "doesn't", "doing", "don", "don't", "down", "during", "each", "few", "for", "from",
    "further", "had", "hadn", "hadn't", "has", "hasn", "hasn't", "have", "haven", "haven't", "having",
    "he", "he'd", "he'll", "her", "here", "hers", "herself", "he's", "him", "himself", "his", "how",
    "i", "i'd", "if", "i'll", "i'm", "in", "into", "is", "isn", "isn't", "it", "it'd", "it'll", "it's",
    "its", "itself", "i've", "just", "ll", "m", "ma", "me", "mightn", "mightn't", "more", "most",
    "mustn", "mustn't", "my", "myself", "needn", "needn't", "no", "nor", "not", "now", "o", "of",
    "off", "on", "once", "only", "or", "other", "our", "ours", "ourselves", "out", "over", "own", "re",
    "s", "same", "shan", "shan't", "she", "she'd", "she'll", "she's", "should", "shouldn",
    "shouldn't", "should've", "so", "some", "such", "t", "than", "that", "that'll", "the", "their",
    "theirs", "them", "themselves", "then", "there", "these", "they", "they'd", "they'll", "they're",
    "they've", "this", "those", "through", "to", "too", "under", "until", "up", "ve", "very", "was",
    "wasn", "wasn't", "we", "we'd", "we'll", "we're", "were", "weren", "weren't", "we've", "what",
    "when", "where", "which", "while", "who", "whom", "why", "will", "with", "won", "won't", "wouldn",
    "wouldn't", "y", "you", "you'd", "you'll", "your", "you're", "yours", "yourself", "yourselves",
    "you've",
)  # fmt: skip
NOT_ANSWER_WORDS = frozenset(NLTK_ENGLISH_STOP_WORDS) | {"yes", "no"}

_WORD = re.compile(r"[a-z0-9]+")


def words(text: str) -> set[str]:
    """The text's lowercase runs of [a-z0-9] ("Caroline's 5K" -> caroline, s, 5k)."""
    return set(_WORD.findall(text.lower()))


def answer_words(answer: object) -> tuple[str, ...]:
    """The gold answer's content words, in order, once each; () when it has none (then skip it)."""
    found = _WORD.findall(str(answer).lower())
    return tuple(dict.fromkeys(w for w in found if w not in NOT_ANSWER_WORDS))


def missing(answer: Sequence[str], text: str) -> list[str]:
    """The answer words that are not among the text's words."""
    present = words(text)
    return [w for w in answer if w not in present]


def coverage(answer: Sequence[str], text: str) -> float:
    """The share of the answer words present in the text (nan for no words: such a question is skipped)."""
    if not answer:
        return math.nan
    return 1 - len(missing(answer, text)) / len(answer)


def turn_line(date: str, speaker: str, text: str, caption: str | None = None) -> str:
    """One raw turn as a baseline line: "(1:56 pm on 8 May, 2023) Caroline: text [caption]"."""
    return f"({date}) {speaker}: {text}" + (f" [{caption}]" if caption else "")


def rrf(rankings: Iterable[Sequence[str]], k: int = RRF_K) -> list[str]:
    """Reciprocal-rank fusion: each id scores the sum of 1 / (k + rank) over the rankings that hold it
    (rank from 1); best first. Ties keep the order in which the ids were first seen."""
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + 1 / (k + rank)
    order = {item: i for i, item in enumerate(scores)}
    return sorted(scores, key=lambda item: (-scores[item], order[item]))


def _uncached(text: str) -> int:
    """`tokens.count` without its cache: the joined blocks are long and unique, not worth keeping."""
    counter: Callable[[str], int] = getattr(tokens.count, "__wrapped__", tokens.count)
    return counter(text)


def pack(lines: Sequence[str], budget: int, count: Callable[[str], int] = _uncached) -> list[str]:
    """The first lines, in order, up to the one that would take `"\\n".join(...)` past `budget` tokens.

    Token counts of a growing prefix only grow, so the cut is found by doubling then bisecting:
    a few counts of texts at most twice the budget, instead of one count per line.
    """

    def fits(n: int) -> bool:
        return n == 0 or count("\n".join(lines[:n])) <= budget

    fit, step = 0, 1
    while True:  # doubling: `fit` fits, `fit + step` is the next probe
        probe = min(fit + step, len(lines))
        if probe == fit:
            return list(lines)
        if not fits(probe):
            break
        fit, step = probe, step * 2
    over = probe  # bisect between a prefix that fits and one that does not
    while over - fit > 1:
        mid = (fit + over) // 2
        fit, over = (mid, over) if fits(mid) else (fit, mid)
    return list(lines[:fit])


# --- the tally --------------------------------------------------------------------------------


@dataclass(slots=True)
class Tally:
    """Per (system, budget) and category: questions, summed coverage, all-words questions, evidence."""

    questions: Counter[tuple[str, int, int]] = field(default_factory=Counter)
    coverage: Counter[tuple[str, int, int]] = field(default_factory=Counter)
    complete: Counter[tuple[str, int, int]] = field(default_factory=Counter)
    found: Counter[tuple[str, int, int]] = field(default_factory=Counter)
    cited: Counter[tuple[str, int, int]] = field(default_factory=Counter)

    def add(
        self,
        system: str,
        budget: int,
        category: int,
        answer: Sequence[str],
        text: str,
        evidence: Collection[str] = (),
        sources: Collection[str] = (),
    ) -> None:
        """One question's block: its text against the answer words, its sources against the evidence."""
        if not answer:
            return
        key = (system, budget, category)
        share = coverage(answer, text)
        self.questions[key] += 1
        self.coverage[key] += share
        self.complete[key] += share == 1
        self.found[key] += sum(e in sources for e in evidence)
        self.cited[key] += len(evidence)

    @staticmethod
    def _share(
        part: Counter[tuple[str, int, int]],
        whole: Counter[tuple[str, int, int]],
        system: str,
        budget: int,
        category: int | None,
    ) -> float:
        keys = [k for k in whole if k[:2] == (system, budget) and (category is None or k[2] == category)]
        total = sum(whole[k] for k in keys)
        return sum(part[k] for k in keys) / total if total else math.nan

    def mean_coverage(self, system: str, budget: int, category: int | None = None) -> float:
        """Mean over questions of the share of answer words present."""
        return self._share(self.coverage, self.questions, system, budget, category)

    def all_words(self, system: str, budget: int, category: int | None = None) -> float:
        """Share of questions whose every answer word is present."""
        return self._share(self.complete, self.questions, system, budget, category)

    def recall(self, system: str, budget: int, category: int | None = None) -> float:
        """Share of evidence turns (over question, turn pairs) that are a source of the block."""
        return self._share(self.found, self.cited, system, budget, category)

    def count(self, system: str, budget: int, category: int | None = None) -> int:
        return sum(
            n
            for (s, b, c), n in self.questions.items()
            if (s, b) == (system, budget) and (category is None or c == category)
        )
