"""The single-valued attribute a memory states about its subject, if any: its SLOT.

A slot is a short lowercase name ("diet", "favorite food", "relationship status", "number of
children", "age", "job title") of an attribute that holds one value at a time, so that a newer
memory filling the same slot of the same subject replaces the older one (`supersede.ended_memories`).
Most memories have none. The rules are lexical, over the clause's parse:

- diet: "vegetarian", "vegan", "pescatarian", "plant-based" said of the subject ("I'm vegan", "went
  vegetarian"), or a habit of eating meat, fish or dairy ("I don't eat meat", "started eating meat
  again"), not a single meal ("I ate meat yesterday");
- favorites: "my favorite X" -> "favorite x" (not "my second favorite", "one of my favorite");
- relationship status: single, married, engaged, divorced, widowed, separated, dating or seeing
  someone, a break-up or a divorce;
- counts: "I have N <people or pets>" -> "number of <noun>" (N a number, not "a");
- age: "I'm 34", "34 years old", "she turned 9";
- job title: "I work as a nurse".

Plans, hedged statements and past states ("I was vegetarian", "I used to be single") fill no slot.
"""

from __future__ import annotations

from app.memory.extract import parse as P
from app.memory.extract.parse import Token
from app.memory.extract.vocabulary import PETS, ROLES

DIETS = {"vegetarian", "vegan", "pescatarian", "pescetarian", "plant-based", "carnivore", "omnivore"}
DIET_FOODS = {"meat", "fish", "dairy", "seafood", "animal"}
STATUS_WORDS = {"single", "married", "engaged", "divorced", "widowed", "separated"}
_CHANGE_VERBS = {"start", "stop", "quit", "begin", "resume", "give", "cut", "go", "become", "turn", "switch"}
_NOT_SOLE_FAVORITE = {"second", "third", "another", "other", "new", "co", "joint", "fellow"}
_PLURAL = {"kid": "children", "child": "children", "grandkid": "grandchildren", "grandchild": "grandchildren"}
_COUNTED = set(ROLES) | set(PETS) | {"grandkid", "grandchild", "pet", "sibling", "stepkid", "stepchild"}


def _present(verb: Token) -> bool:
    """Said as holding now: a present tense, or a present perfect ("I've been vegan since 2019")."""
    if verb.tag_ in ("VBZ", "VBP"):
        return True
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if any(a.lower_ in ("used", "was", "were", "had", "'d") for a in auxes):
        return False
    if any(a.tag_ in ("VBZ", "VBP") for a in auxes):
        return True
    # "I started eating meat again", "went vegan": a change said in the past still holds now
    return verb.tag_ == "VBD" and P.lemma(verb) in _CHANGE_VERBS


def _count_noun(tok: Token) -> str:
    base = tok.lemma_.lower()
    if base in _PLURAL:
        return _PLURAL[base]
    return str(tok.lower_) if tok.tag_ == "NNS" else base + "s"


def slot_of(verb: Token, tokens: list[Token], subject_is_source: bool, about_speaker: bool) -> str | None:  # noqa: PLR0911, PLR0912
    """The slot the clause headed by `verb` fills about the memory's subject, or None.

    `subject_is_source`: the grammatical subject is the memory's subject (the speaker's "I", or the
    person the clause is about), so that "my sister is 30" is the sister's age, not the speaker's.
    `about_speaker`: the memory's subject is the speaker (whose favorites are "my favorite X")."""
    if any(t.lower_ == "used" and t.head.i == verb.i for t in tokens):
        return None
    lemma = P.lemma(verb)
    words = {t.lower_ for t in tokens}
    # favorite X (the possessor must be the memory's subject: "my", or "his/her" about another)
    for t in tokens:
        if t.lower_ not in ("favorite", "favourite", "fave", "fav") or t.dep_ != "amod":
            continue
        noun = t.head
        if (
            noun.pos_ not in ("NOUN", "PROPN")
            or noun.tag_ in ("NNS", "NNPS")
            or noun.lower_ in ("one", "thing")
        ):
            continue  # "my favorite foods" are several
        lefts = {x.lower_ for x in noun.lefts}
        if lefts & _NOT_SOLE_FAVORITE or (noun.head.lower_ == "of" and noun.head.head.lower_ == "one"):
            continue
        if not about_speaker or not any(
            c.dep_ == "poss" and c.lower_ in P.FIRST_POSSESSIVE for c in noun.children
        ):
            continue
        if lemma != "be" or P.negated(verb):
            return None
        return f"favorite {noun.lemma_.lower()}"
    if not subject_is_source or (verb.tag_ == "VBD" and lemma == "be"):
        return None
    # diet
    acomps = [c for c in verb.children if c.dep_ in ("acomp", "attr", "oprd")]
    if lemma in {"be", "go", "become", "turn", "stay", "switch"} and any(c.lower_ in DIETS for c in acomps):
        return "diet" if _present(verb) else None
    for t in tokens:
        if (
            P.lemma(t) == "eat"
            and t.pos_ in ("VERB", "AUX")
            and any(c.dep_ == "dobj" and c.lemma_.lower() in DIET_FOODS for c in t.children)
        ):
            habitual = _present(t) or (
                t.tag_ in ("VBG", "VB") and t.dep_ == "xcomp" and P.lemma(t.head) in _CHANGE_VERBS
            )
            if habitual and verb.i in (t.i, t.head.i):
                return "diet" if _present(verb) else None
    # relationship status
    if (lemma in {"be", "get"} and any(c.lower_ in STATUS_WORDS for c in acomps)) or (
        verb.lower_ in ("married", "engaged", "divorced") and verb.tag_ == "VBN"
    ):
        return "relationship status" if _present(verb) or verb.tag_ == "VBN" else None
    if lemma in {"date", "see"} and verb.tag_ == "VBG" and not P.negated(verb):
        objs = P.objects(verb)
        if any(o.pos_ == "PROPN" or o.lower_ in ("someone", "somebody", "anyone") for o in objs):
            return "relationship status"
    if (lemma == "break" and "up" in words) or lemma == "divorce":
        return "relationship status"
    if lemma in {"start", "begin"}:
        for c in verb.children:
            if c.dep_ == "xcomp" and P.lemma(c) in {"date", "see"}:
                return "relationship status"
    # number of <people or pets>
    if lemma == "have" and not P.negated(verb) and _present(verb):
        for obj in (c for c in verb.children if c.dep_ == "dobj"):
            num = next((c for c in obj.children if c.dep_ == "nummod" and c.like_num), None)
            base = obj.lemma_.lower()
            if num is not None and (base in _COUNTED or obj.lower_ in _COUNTED):
                return f"number of {_count_noun(obj)}"
    # age
    if lemma == "be" and _present(verb):
        for c in verb.children:
            if c.dep_ in ("attr", "acomp", "npadvmod") and c.text.isdigit() and not list(c.children):
                return "age"  # "I'm 34" (not "I've been one")
            if (
                c.dep_ == "acomp"
                and c.lower_ == "old"
                and any(x.lower_ in ("years", "year") for x in c.children)
            ):
                return "age"
    if lemma == "turn" and any(
        c.dep_ in ("dobj", "attr", "oprd") and c.text.isdigit() for c in verb.children
    ):
        return "age"
    # job title
    if (
        lemma == "work"
        and _present(verb)
        and not P.negated(verb)
        and any(prep == "as" for prep, _ in P.preps(verb))
    ):
        return "job title"
    return None
