"""Surface text: cleaning user input, spotting non-disclosures, third-person rewriting."""

from __future__ import annotations

import re
from typing import Any

Token = Any

_EMOJI = re.compile(
    "[\U0001f000-\U0001faff\U00002600-\U000027bf\U0001f900-\U0001f9ff\U00002b00-\U00002bff\ufe0f\u200d]+"
)
_EMOTICON = re.compile(r"(?<!\w)(?::-?\)|:-?\(|:-?D|;-?\)|<3|:p|:P|xD|XD)(?!\w)")
_TYPOS = {
    "im": "I'm", "ive": "I've", "id": "I'd", "ill": "I'll", "dont": "don't", "cant": "can't",
    "wont": "won't", "didnt": "didn't", "doesnt": "doesn't", "isnt": "isn't", "wasnt": "wasn't",
    "havent": "haven't", "hasnt": "hasn't", "couldnt": "couldn't", "wouldnt": "wouldn't",
    "shouldnt": "shouldn't", "arent": "aren't", "werent": "weren't", "thats": "that's",
    "u": "you", "ur": "your", "bc": "because", "b/c": "because", "cuz": "because", "coz": "because",
    "rn": "right now", "tbh": "", "ngl": "", "btw": "", "lol": "", "lmao": "", "haha": "",
    "hahaha": "", "omg": "", "idk": "I don't know", "gf": "girlfriend", "bf": "boyfriend",
    "bday": "birthday", "w/": "with", "wanna": "want to", "gonna": "going to", "gotta": "have to",
    "sis": "sister", "bro": "brother", "i": "I", "i'm": "I'm", "i've": "I've",
    "i'll": "I'll", "i'd": "I'd",
}  # fmt: skip
_WORD = re.compile(r"[A-Za-z/']+")

CHITCHAT = re.compile(
    r"^(hi|hey|hello|yo|hiya|good (morning|afternoon|evening|night)|thanks?( you)?|thx|ty|ok(ay)?|cool|nice|"
    r"great|awesome|wow|sure|yes|yeah|yep|no|nope|bye|goodbye|see (you|ya)|lol|haha|hmm+|oh|ah|"
    r"sounds good|good to know|got it|no worries|you too|same|congrats|that's (great|cool|awesome|nice|amazing))\b[\s!.,]*",  # noqa: E501
    re.I,
)


def normalise(raw: str) -> str:
    """Emoji and emoticons out, common chat spellings fixed, whitespace collapsed."""
    s = _EMOJI.sub(" ", raw)
    s = _EMOTICON.sub(" ", s)
    s = _WORD.sub(lambda m: _TYPOS.get(m.group(0).lower(), m.group(0)), s)
    s = re.sub(r"\s+([,.!?])", r"\1", s)
    s = re.sub(r"([!?.]){2,}", r"\1", s)
    s = re.sub(r"\s+", " ", s).strip()
    s = apply_corrections(s)
    if s and s[0].islower():
        s = s[0].upper() + s[1:]
    # a sentence start after . ! ? gets its capital back (lowercase writers)
    return re.sub(r"([.!?] )([a-z])", lambda m: m.group(1) + m.group(2).upper(), s)


_UNMARKED_QUESTION = re.compile(
    r"^(?:(?:what|where|when|why|how|who|which)\s+(?:do|does|did|can|could|should|would|will|is|are)"
    r"\s+(?:i|you|we|it|they|one)|(?:do|does|did|can|could|would|will|should)\s+you)\b",
    re.I,
)
# Evasive answers and apologies for the chat itself: nothing about the speaker's life.
_NON_DISCLOSURE = re.compile(
    r"^(?:(?:i'?d|i would) rather not (?:say|tell|share|talk about it|get into it)|"
    r"(?:i'?d|i) prefer not to (?:say|share|answer)|not telling|no comment|pass|my bad|"
    r"none of your business|i'?d rather keep that (?:private|to myself))\b[\s!.,]*",
    re.I,
)


_RETRACT = re.compile(
    r"(?P<old>[\w'&-]+)(?P<cue>\s*[,\u2014\u2013-]\s*(?P<words>(?:(?:sorry|oops|no|wait|err|um|uh|oh)[,!]?\s+)+)"
    r"(?:actually,?\s+)?(?P<say>(?:i mean|i meant|it's|it is|it was|make that)\s+)?)"
    r"(?P<new>[^,.;!?\u2014\u2013]+?)(?=\s*(?:[,.;!?\u2014\u2013]|$))",
    re.I,
)


_NOT_A_VALUE = {
    "to", "for", "about", "if", "that", "this", "it", "i", "you", "we", "he", "she", "they", "but",
    "and", "so", "what", "how", "why", "when", "where", "who", "let", "lol", "haha",
}  # fmt: skip


def _shape(word: str) -> str:
    return "digit" if word[:1].isdigit() else "upper" if word[:1].isupper() else "lower"


def apply_corrections(s: str) -> str:
    """ "I live in Austin, sorry I mean Houston" -> "I live in Houston"; "since 2021, wait no, 2022"
    -> "since 2022": the retracted value is dropped, only the corrected one is said."""
    for _ in range(3):
        m = next(
            (
                m
                for m in _RETRACT.finditer(s)
                if (m.group("say") or re.search(r"oops|wait", m.group("words"), re.I))
                and len(m.group("new").split()) <= 3
                and m.group("new").split()[0].lower() not in _NOT_A_VALUE
                and (m.group("say") or _shape(m.group("old")) == _shape(m.group("new")))
            ),
            None,
        )
        if m is None:
            return s
        new, start = m.group("new").strip(), m.start("old")
        before = s[:start].split(" ")
        old_words = [m.group("old")]
        want = len(new.split()) if _shape(old_words[0]) != "upper" else 9
        while len(old_words) < want and len(before) > 1 and before[-2]:
            word = before[-2]
            if _shape(old_words[0]) == "upper" and (_shape(word) != "upper" or word == "I"):
                break
            old_words.insert(0, word)
            before.pop(-2)
            start -= len(word) + 1
        rest = s[m.end() :]
        # "Anna, not Anne": the retracted name said again after the correction goes too
        rest = re.sub(rf"^\s*,?\s*not {re.escape(' '.join(old_words))}\b", "", rest)
        s = s[:start] + new + rest
    return s


def is_question(sentence: str) -> bool:
    """A question, with its mark or without one ("how do I convert grams to ounces")."""
    s = sentence.strip()
    return s.endswith("?") or bool(_UNMARKED_QUESTION.match(s))


def is_chitchat(sentence: str) -> bool:
    s = sentence.strip()
    nd = _NON_DISCLOSURE.match(s)
    if nd and not re.search(r"\w", s[nd.end() :]):
        return True
    rest = CHITCHAT.sub("", s, count=1) if CHITCHAT.match(s) else s
    return not re.search(r"\w", rest) or (
        rest != s and not re.search(r"\b(I|my|me|we|our)\b", rest, re.I) and len(rest.split()) < 3
    )


# --- third person ------------------------------------------------------------------------------

_THIRD_PERSON = {
    "am": "is",
    "'m": "is",
    "are": "is",
    "'re": "is",
    "were": "was",
    "have": "has",
    "'ve": "has",
    "do": "does",
}
_IRREGULAR_3SG = {"be": "is", "have": "has", "do": "does", "go": "goes"}
_DISCOURSE = re.compile(
    r"^(?:(?:so|well|oh|ah|yeah|yes|yep|honestly|actually|btw|anyway|anyways|also|and|but|plus|um|uh|"
    r"ok|okay|guess what|fun fact|oh and|just so you know|by the way|lol|haha|hey|wow|omg|ngl|tbh|"
    r"i mean|basically|fyi|fwiw)[\s,!:-]+)+",
    re.I,
)


def _third_singular(verb: str) -> str:
    lower = verb.lower()
    if lower in _IRREGULAR_3SG:
        return _IRREGULAR_3SG[lower]
    if re.search(r"(s|sh|ch|x|z|o)$", lower):
        return verb + "es"
    if re.search(r"[^aeiou]y$", lower):
        return verb[:-1] + "ies"
    return verb + "s"


def third_person(tokens: list[Token], speaker: str, subjectless_verb: Token | None) -> str:  # noqa: PLR0912
    """The clause with the speaker's name for "I"/"we" and verbs agreeing with it."""
    first_subject_verbs = set()
    for t in tokens:
        if t.dep_ in ("nsubj", "nsubjpass") and t.lower_ in ("i", "we"):
            head = t.head
            auxes = [c for c in head.children if c.dep_ in ("aux", "auxpass") and c.i < head.i]
            first_subject_verbs.add((auxes[0] if auxes else head).i)
    possessive_used = False
    out: list[str] = []
    for t in tokens:
        word, ws = t.text, t.whitespace_
        lower = t.lower_
        if subjectless_verb is not None and t is subjectless_verb:
            prefix = "is " if t.tag_ == "VBG" else ""
            if t.tag_ in ("VBP", "VB"):
                word = _third_singular(word)
            out.append(prefix)
        if lower in ("i", "me", "myself", "we", "us", "ourselves") and t.pos_ == "PRON":
            word = speaker
        elif lower in ("my", "our") and t.dep_ == "poss":
            in_subject = t.head.dep_ in ("nsubj", "nsubjpass")
            word = f"{speaker}'s" if in_subject or not possessive_used else "their"
            possessive_used = True
        elif lower in ("mine", "ours"):
            word = f"{speaker}'s"
        elif t.i in first_subject_verbs:
            if lower in _THIRD_PERSON:
                word = _THIRD_PERSON[lower]
            elif t.tag_ == "VBP" or (t.tag_ == "IN" and lower in ("like", "love")):  # "I kind of like"
                word = _third_singular(word)
        if t.text.startswith("'") and t.lower_ != "'s" and out and not out[-1].endswith(" "):
            out.append(" ")
        out.append(word + ws)
    s = "".join(out)
    if subjectless_verb is not None:
        s = f"{speaker} {s[0].lower() + s[1:]}" if s else s
    s = re.sub(r"\b(does|is|has|was)\s+n't\b", r"\1n't", s)
    s = re.sub(r"\bca n't\b", "can't", s)
    s = re.sub(r"\bwo n't\b", "won't", s)
    s = re.sub(rf"\b{re.escape(speaker)} 'd\b", f"{speaker} would", s)
    s = re.sub(rf"\b{re.escape(speaker)} 'll\b", f"{speaker} will", s)
    s = re.sub(rf"\b{re.escape(speaker)} 's\b", f"{speaker} has", s)
    return s


def finish(clause: str) -> str:
    """Trim chat filler and end as a sentence."""
    s = clause.strip()
    s = _DISCOURSE.sub("", s)
    s = re.sub(r"\s*[,;:-]+\s*$", "", s)
    s = re.sub(r"\s+([,.!?])", r"\1", s)
    s = re.sub(r"[\s!?.]+$", "", s).strip(" ,;-")
    s = re.sub(r"\s+", " ", s)
    if not s:
        return s
    return s[0].upper() + s[1:] + "."
