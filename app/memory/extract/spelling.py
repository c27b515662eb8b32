"""Typos fixed before parsing: "i liv in chicgo with my boyfreind" -> "i live in chicago with my
boyfriend".

The dictionary is what the parser already ships: the WordNet word lists of spaCy's lemmatizer (about
83,000 lemmas, place names included), its irregular forms and stop words, plus the extractor's own
lexicons (roles, pets, verbs, sports, instruments...). Nothing is downloaded. A lowercase word that
is not in it (nor an inflection of a word in it) is replaced by the one dictionary word a single edit
away, trying the usual typing slips in order: two letters swapped ("learnign"), a letter left out
("chicgo", "strawberies"), a key hit twice ("summmer"), a wrong vowel in a long word
("grandparants"). The extractor's own words are tried first ("evry" is "every", not "very"); short
words, and capitalised words opening a sentence, are corrected only towards them ("liv" -> "live").
Any other capitalised word is only corrected towards a capitalised word of the same message ("Lincon
... Lincoln"). Names are left alone: a word right after a role or pet noun, after "named" / "called"
/ "name is", or after "not" ("Mateo, not Matteo") is not corrected, nor is a hyphenated or clipped
word ("comin'"), nor one with no single best fix. A letter run of three ("summmer", "loooong") is
cut to two, else to one, when that makes a word.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from app.memory.extract import parse as P
from app.memory.extract.times import MONTHS, WEEKDAYS
from app.memory.extract.vocabulary import PETS, ROLES

_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_ROMAN = re.compile(r"^m{0,4}(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$")
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_NAME_CUES = {"named", "called", "name", "names"}
_CHAT = {
    "lol", "lmao", "haha", "hahaha", "omg", "tbh", "ngl", "btw", "idk", "imo", "imho", "fyi", "pls",
    "plz", "thx", "yay", "yup", "nope", "nah", "yeah", "ok", "okay", "gonna", "wanna", "gotta", "kinda",
    "sorta", "dunno", "lemme", "gimme", "ya", "yall", "y'all", "hmm", "hmmm", "ugh", "woah", "whoa",
    "rly", "pic", "pics", "fave", "faves", "fav", "favs", "gamer", "gamers", "influencer",
    "influencers", "selfie", "vlog", "kpop", "emoji", "texting", "online", "app", "apps",
}  # fmt: skip


def _lexicon() -> set[str]:
    """The extractor's own words, with their plain inflections."""
    verbs = P.KNOWN_VERBS | P.PLAY_VERBS | {"learn", "start", "visit", "live", "obsess"}
    out: set[str] = set()
    for v in verbs:
        stem = v[:-1] if v.endswith("e") else v
        out |= {v, v + "s", stem + "ed", stem + "ing", v + "d" if v.endswith("e") else v + "ed"}
    nouns = set(ROLES) | set(PETS) | P.STUDY_NOUNS | P.WORK_NOUNS | P.INSTRUMENTS | P.SPORTS | P.PRODUCT_NOUNS
    out |= nouns | {n + "s" for n in nouns} | {n[:-1] + "ies" for n in nouns if n.endswith("y")}
    out |= P.TRAIT_ADJECTIVES | P.EMOTIONS | P.LOVE_ATTRS | set(P.STUDY_HINTS) | set(P.GROUP_HINTS)
    out |= {"allergic", "allergy", "allergies", "favorite", "favourite", "every", "really", "grandparents"}
    out |= set(MONTHS) | set(WEEKDAYS) | {"summer", "winter", "spring", "autumn", "weekend", "weekends"}
    return {w for w in out if " " not in w}


def _variants(word: str) -> Iterable[str]:
    """The words `word` may be an inflection of."""
    yield word
    for suffix, repl in (
        ("ies", "y"), ("ied", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"),
        ("ing", ""), ("ing", "e"), ("er", ""), ("er", "e"), ("est", ""), ("ly", ""), ("'s", ""),
    ):  # fmt: skip
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
            base = word[: -len(suffix)] + repl
            yield base
            if len(base) > 2 and base[-1] == base[-2] and suffix in ("ed", "ing", "er", "est"):
                yield base[:-1]  # "stopped" -> "stop"


def _plain_forms(word: str) -> Iterable[str]:
    """What a correction may be: a word, or a regular -s / -ed / -ing form of one."""
    yield word
    if re.search(r"(.)\1\1", word):
        return
    if word.endswith("ies"):
        yield word[:-3] + "y"
    elif word.endswith("es") and re.search(r"(s|x|z|ch|sh)es$", word):
        yield word[:-2]
    elif word.endswith("s") and not re.search(r"(s|x|z|ch|sh)s$", word):
        yield word[:-1]
    for suffix in ("ed", "ing"):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            base = word[: -len(suffix)]
            yield base
            yield base + "e"
            if base[-1] == base[-2] and base[-1] not in "aeiou":
                yield base[:-1]


class Speller:
    def __init__(
        self, words: set[str], stop_words: Iterable[str] = (), lemmas: set[str] | None = None
    ) -> None:
        self.lexicon = _lexicon()
        self.short = self.lexicon | _CHAT | {w.lower() for w in stop_words}  # what short words may be
        # WordNet lists roman numerals as words: "liv" would hide "live"
        self.words = {w for w in words if len(w) > 4 or w == "mix" or not _ROMAN.match(w)} | self.short
        self.lemmas = lemmas or self.words  # what a correction may be based on

    def _valid(self, candidate: str) -> bool:
        return any(v in self.lemmas or v in self.lexicon for v in _plain_forms(candidate))

    @classmethod
    def from_nlp(cls, nlp: Any) -> Speller:
        """The dictionary the pipeline ships (none, and so no correction, if it ships none)."""
        found: dict[str, set[str]] = {"lemma_index": set(), "lemma_exc": set()}
        try:
            tables = nlp.get_pipe("lemmatizer").lookups
            for name, words in found.items():
                if tables.has_table(name):
                    for part in tables.get_table(name).values():
                        words.update(w for w in part if "_" not in w)
        except (KeyError, AttributeError):
            return cls(set())
        lemmas = found["lemma_index"]
        if not lemmas:
            return cls(set())
        return cls(lemmas | found["lemma_exc"], nlp.Defaults.stop_words, lemmas)

    def known(self, word: str) -> bool:
        return any(v in self.words for v in _variants(word))

    def _fix(self, word: str, within: set[str] | None, lexicon_only: bool = False) -> str | None:
        n = len(word)
        splits = [(word[:i], word[i:]) for i in range(n + 1)]
        groups = [
            [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1 and b[0] != b[1]],  # swapped
            [a + c + b for a, b in splits for c in _LETTERS],  # a letter left out
            # a key hit twice ("summmer")
            [a + b[1:] for a, b in splits if b and ((a and a[-1] == b[0]) or b[1:2] == b[0])]
            if n >= 5
            else [],
            # a wrong vowel ("grandparants")
            [a + c + b[1:] for a, b in splits if b and b[0] in "aeiouy" for c in "aeiouy" if c != b[0]]
            if n >= 8
            else [],
        ]
        if within is None:
            for group in groups:  # the extractor's own words first ("evry" is "every", not "very")
                found = {c for c in group if c in self.lexicon}
                if found:
                    return found.pop() if len(found) == 1 else None
            if n < 5 or lexicon_only:
                return None  # short words: too many real words one edit away
        for group in groups:
            found = {c for c in group if (c in within if within is not None else self._valid(c))}
            if len(found) == 1:
                return found.pop()
            if found:
                return None  # no single best fix
        return None

    def correct(self, text: str) -> str:
        if not self.words:
            return text
        matches = list(_WORD.finditer(text))
        capitalised = {m.group(0).lower() for m in matches if m.group(0)[:1].isupper()}
        out, last = [], 0
        for k, m in enumerate(matches):
            word = m.group(0)
            low = word.lower()
            before = matches[k - 1].group(0).lower() if k else ""
            if before in ("not", "or"):
                continue  # "Mateo, not Matteo": a correction names both on purpose
            if before in ("is", "was") and k > 1 and matches[k - 2].group(0).lower() in ("name", "names"):
                continue  # "his name is jakob"
            after = text[m.end() : m.end() + 1]
            if (
                len(word) < 3
                or after in ("'", "-")
                or text[m.start() - 1 : m.start()] == "-"
                or "'" in word
                or word.isupper()
                or self.known(low)
                or before in _NAME_CUES
                or before in ROLES
                or before.rstrip("s") in ROLES
                or before in PETS
            ):
                continue
            opening = not text[: m.start()].strip() or text[: m.start()].rstrip()[-1] in ".!?"
            if re.search(r"(.)\1\1", low) and (word.islower() or opening):
                # a key hit too often ("summmer") or a word stretched on purpose ("loooong")
                twice, once = re.sub(r"(.)\1\1+", r"\1\1", low), re.sub(r"(.)\1\1+", r"\1", low)
                fixed = next((w for w in (twice, once) if self.known(w)), None)
                fixed = fixed and (fixed if word.islower() else fixed.capitalize())
            elif word.islower() or (opening and word[1:].islower()):
                # a capital at the start of a sentence may be a name's ("Tilly"): lexicon words only
                fixed = self._fix(low, None, lexicon_only=not word.islower())
                fixed = fixed and (fixed if word.islower() else fixed.capitalize())
            elif word[0].isupper() and word[1:].islower() and len(word) >= 4:
                fixed = self._fix(low, capitalised - {low})
                fixed = fixed and fixed.capitalize()
            else:
                fixed = None
            if fixed:
                out.append(text[last : m.start()])
                out.append(fixed)
                last = m.end()
        out.append(text[last:])
        return "".join(out)
