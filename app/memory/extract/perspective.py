"""A note written about the speaker ("Sam lives in Lisbon with her husband Tom") told back in their
own voice ("I live in Lisbon with my husband Tom"), so that the extractor, which reads what people
say about themselves, reads it too. Used for memories added by hand or imported from another
system, which are usually written in the third person. Pure: a parsed doc in, text out.

The speaker is named by their name, or as "the user" / "user". The name as a subject becomes "I"
(and its verb agrees: "lives" -> "live", "is" -> "am", "has been" -> "have been"), as a possessor
"my", as an object "me". A third-person pronoun after it ("her husband", "she moved") is the
speaker's only when the speaker is the subject before it and no other person or pet comes between;
otherwise it stays as written. Anything else about other people stays as it is.
"""

from __future__ import annotations

from app.memory.extract import parse as P
from app.memory.extract.parse import Span, Token

_AGREE = {"is": "am", "'s": "'m", "has": "have", "does": "do", "was": "was"}
_SUBJECT = ("nsubj", "nsubjpass")
_OBJECT = ("dobj", "pobj", "dative", "iobj")


def _names(speaker: str) -> list[list[str]]:
    """Word sequences that name the speaker, longest first."""
    names = [speaker.lower().split(), ["the", "user"], ["user"]]
    unique = {tuple(n): n for n in names if n}
    return sorted(unique.values(), key=len, reverse=True)


def _mentions(doc: Span, speaker: str) -> dict[int, list[int]]:
    """The speaker's mentions: the head token's index -> every token index of the mention."""
    found: dict[int, list[int]] = {}
    names = _names(speaker)
    i = 0
    while i < len(doc):
        for words in names:
            span = doc[i : i + len(words)]
            if len(span) == len(words) and [t.lower_ for t in span] == words:
                head = span[-1]
                # (the parser takes some names for common nouns: "Alice lives ...")
                if head.pos_ in ("PROPN", "NOUN") and head.dep_ not in ("compound", "flat"):
                    found[head.i] = [t.i for t in span]
                    i += len(words) - 1
                    break
        i += 1
    return found


def _role(tok: Token) -> str | None:
    """What a mention is in its clause: subject, possessor or object (a conjunct takes its head's)."""
    while tok.dep_ == "conj" and tok.head.i != tok.i:
        tok = tok.head
    if tok.dep_ in _SUBJECT:
        return "subject"
    if tok.dep_ == "poss":
        return "possessor"
    if tok.dep_ in _OBJECT:
        return "object"
    return None


def _agreeing(subject: Token) -> list[Token]:
    """The verbs that agree with a singular subject: its clause's first auxiliary, else the verb
    itself, and the verbs conjoined to it that have no subject of their own."""
    verb = subject.head
    if any(c.dep_ == "conj" for c in subject.children):
        return []  # "Sam and Ana live": already plural
    out = []
    for v in [verb, *(c for c in verb.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX"))]:
        if v is not verb and any(c.dep_ in _SUBJECT for c in v.children):
            continue
        aux = [c for c in v.children if c.dep_ in ("aux", "auxpass") and c.i < v.i]
        out.append(aux[0] if aux else v)
    return out


def _first_person_verb(tok: Token) -> str:
    if tok.tag_ != "VBZ":
        return str(tok.text)
    return _AGREE.get(tok.lower_, str(tok.lemma_))


def _other_being(tok: Token, mine: set[int]) -> bool:
    if tok.i in mine:
        return False
    return tok.ent_type_ == "PERSON" or P.role_word(tok) is not None or P.pet_word(tok) is not None


class _Text:
    """The doc's words and spaces, rewritten in place."""

    def __init__(self, doc: Span) -> None:
        self.words = [str(t.text) for t in doc]
        self.spaces = [str(t.whitespace_) for t in doc]

    def drop(self, i: int) -> None:
        self.words[i], self.spaces[i] = "", ""

    def speaker(self, tok: Token, role: str, mention: list[int], sentence_start: int) -> None:
        """Put the speaker's own word ("I", "my", "me") where `mention` (headed by `tok`) was."""
        first, *rest = mention
        space = self.spaces[tok.i]
        for i in rest:
            self.drop(i)
        if role == "possessor":
            case = next((c for c in tok.children if c.dep_ == "case"), None)  # "Sam's"
            if case is not None:
                space = str(case.whitespace_)
                self.drop(case.i)
            word = "my"
        elif role == "subject":
            word = "I"
            for verb in _agreeing(tok):
                self.words[verb.i] = _first_person_verb(verb)
        else:
            word = "myself" if tok.lower_ in ("himself", "herself") else "me"
        self.words[first] = word.capitalize() if first == sentence_start else word
        self.spaces[first] = space

    def __str__(self) -> str:
        return "".join(w + s for w, s in zip(self.words, self.spaces, strict=True)).strip()


def first_person(doc: Span, speaker: str) -> str:
    """`doc` (a parsed note about `speaker`) rewritten in the speaker's own voice."""
    mentions = _mentions(doc, speaker)
    if not mentions:
        return str(doc.text)
    out = _Text(doc)
    mine = {i for indices in mentions.values() for i in indices}
    speaker_subject = False  # the speaker was the last subject, and nobody else came since
    for sent in doc.sents:
        for tok in sent:
            pronoun = tok.lower_ in P.PERSONAL and tok.pos_ == "PRON"
            if tok.i in mentions or (pronoun and speaker_subject):
                role = "possessor" if pronoun and tok.tag_ == "PRP$" else _role(tok)
                if role is not None:
                    out.speaker(tok, role, mentions.get(tok.i, [tok.i]), sent.start)
                    speaker_subject = speaker_subject or role == "subject"
            elif tok.dep_ in _SUBJECT or _other_being(tok, mine):
                speaker_subject = False
    return str(out)
