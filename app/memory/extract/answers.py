"""Bare answers to the assistant's question, turned into first-person sentences.

"Where do you live?" + "Seattle" -> "I live in Seattle."; "Do you have any pets?" + "yeah, two cats"
-> "I have two cats."; "Have you been to Japan?" + "nope" -> "I have not been to Japan." An answer
that is already a sentence (it has a first-person word) is left alone.
"""

from __future__ import annotations

import re

_YES = re.compile(
    r"^(yes|yeah|yep|yup|sure|of course|definitely|absolutely|totally|i do|i have|i am|i did)\b[\s,.!]*", re.I
)
_NO = re.compile(
    r"^(no|nope|nah|not really|never|i don't|i do not|i haven't|i'm not|i am not)\b[\s,.!]*", re.I
)
_SELF = re.compile(r"\b(i|i'm|i've|my|me|we|our)\b", re.I)

_WH = [
    (re.compile(r"where do you (live|stay)", re.I), "I live in {a}."),
    (re.compile(r"where do you work", re.I), "I work at {a}."),
    (re.compile(r"where do you study|where do you go to school", re.I), "I study at {a}."),
    (re.compile(r"where (?:are|were) you (?:from|born)", re.I), "I am from {a}."),
    (re.compile(r"where did you grow up", re.I), "I grew up in {a}."),
    (re.compile(r"where (?:are|were) you based", re.I), "I live in {a}."),
    (
        re.compile(r"what do you do(?: for (?:a living|work))?|what is your job|what's your job", re.I),
        "I work as {a}.",
    ),
    (re.compile(r"what(?:'s| is) your (favou?rite [\w ]+?)\b\s*\??$", re.I), "My {g1} is {a}."),
    (re.compile(r"what(?:'s| is) your ([\w ]+?)'s name", re.I), "My {g1}'s name is {a}."),
    (re.compile(r"what(?:'s| is) the name of your ([\w ]+?)\b\s*\??$", re.I), "My {g1}'s name is {a}."),
    (re.compile(r"how old are you\b", re.I), "I am {a} years old."),
    (re.compile(r"how old (?:is|are) your ([\w ]+?)\b\s*\??$", re.I), "My {g1} {be} {a}."),
    (re.compile(r"what (?:are|do|did) you (?:study|major in)", re.I), "I study {a}."),
    (re.compile(r"what (?:kind of |type of |sort of )?[\w ]+? are you into", re.I), "I am into {a}."),
    (
        re.compile(r"where did you (go|travel|fly|move|head)\b((?: on| for) [\w ]+?)?\s*\??$", re.I),
        "I {past} to {a}{g2}.",
    ),
    (
        re.compile(
            r"(?:what|which) (?:kind of |type of |sort of )?([\w ]+?) do you "
            r"(like|love|enjoy|play|prefer|drive|speak)",
            re.I,
        ),
        "I {g2} {a}.",
    ),
    (re.compile(r"who do you work for", re.I), "I work for {a}."),
    (re.compile(r"when is your birthday", re.I), "My birthday is {a}."),
]
# Hedges around a bare answer ("just penicillin", "Sapporo mostly"): not part of the value.
_FILLER = re.compile(
    r"^(?:just|only|mostly|mainly|probably|definitely|obviously|honestly|actually)\b[\s,]*|"
    r"[\s,]+(?:mostly|mainly|probably|obviously|i guess|i think)$",
    re.I,
)
_PAST = {"go": "went", "fly": "flew", "head": "headed", "travel": "traveled", "move": "moved"}
_ANY = re.compile(r"\b(anything|something|any \w+|some \w+)$", re.I)
_YESNO = re.compile(r"^(?:so,? )?(do|did|are|were|have|is) you (.+?)\??$", re.I)


def _flip(clause: str) -> str:
    return re.sub(r"\byour\b", "my", re.sub(r"\byou\b", "I", clause, flags=re.I), flags=re.I)


def expand(question: str, answer: str) -> str | None:  # noqa: PLR0911
    """The answer as a sentence, or None when it needs no help (or the question gives none)."""
    q = question.strip().split("?")[0].strip() + "?"
    # the last question in the assistant's message is the one answered
    q = re.split(r"(?<=[.!])\s+", q)[-1]
    a = answer.strip()
    if not q.endswith("?") or not a or a.rstrip(" !.").endswith("?"):
        return None  # no question to answer, or the answer is a question back
    body = _YES.sub("", a) if _YES.match(a) else a
    if _SELF.search(a) and len(a.split()) > 3:
        return None
    for pattern, template in _WH:
        m = pattern.search(q)
        if m:
            value = _FILLER.sub("", body.strip(" .!")).strip(" ,.!")
            if not value:
                return None
            groups = {f"g{i}": g or "" for i, g in enumerate(m.groups(), 1)}
            plural = groups.get("g1", "").endswith("s") or " and " in value
            verb = groups.get("g1", "").lower()
            return template.format(
                a=value, be="are" if plural else "is", past=_PAST.get(verb, verb + "ed"), **groups
            )
    m = _YESNO.search(q)
    if m:
        aux, rest = m.group(1).lower(), _flip(m.group(2))
        rest = re.sub(r"\bany\b", "some", rest)
        if _NO.match(a):
            tail = _NO.sub("", a).strip(" .!")
            neg = {
                "do": "I don't",
                "did": "I didn't",
                "are": "I'm not",
                "were": "I wasn't",
                "have": "I have not",
                "is": "My",
            }[aux]
            return f"{neg} {rest}." + (f" {tail[0].upper() + tail[1:]}." if len(tail.split()) > 2 else "")
        if not _YES.match(a) and _ANY.search(rest) and len(a.split()) <= 4:
            # "Are you allergic to anything?" + "just penicillin" -> "I'm allergic to penicillin."
            value = _FILLER.sub("", a.strip(" .!")).strip(" ,.!")
            head = {"do": "I", "did": "I", "are": "I'm", "were": "I was", "have": "I have", "is": "My"}[aux]
            if value:
                return f"{head} {_ANY.sub(value, rest)}."
        if _YES.match(a) or len(a.split()) <= 6:
            head = {"do": "I", "did": "I", "are": "I'm", "were": "I was", "have": "I have", "is": "My"}[aux]
            detail = body.strip(" .!")
            if aux == "do" and detail and re.match(r"^(have|own|keep)\b", rest, re.I):
                verb = rest.split()[0]
                return f"I {verb} {detail}."
            return f"{head} {rest}." + (f" {detail[0].upper() + detail[1:]}." if detail else "")
    return None
