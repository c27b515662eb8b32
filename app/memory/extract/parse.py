"""Lexicons and helpers over the spaCy parse: clauses, subjects, objects, prepositions, names, phrases.

Everything here reads a parsed `Doc` and returns tokens or strings; nothing keeps state. The small
English model slips in known ways (a lowercase name tagged NOUN, "hates" lemmatised as "hat", a
"not X" correction attached to the verb as its negation), and the helpers repair what they can.
"""

from __future__ import annotations

import re
from typing import Any

from app.memory.extract.vocabulary import PETS, ROLES

Token = Any  # spacy.tokens.Token
Span = Any  # spacy.tokens.Span

# --- lexicons -------------------------------------------------------------------------------

FIRST_PERSON = {"i", "me", "myself", "we", "us", "ourselves"}
FIRST_POSSESSIVE = {"my", "our", "mine", "ours"}
THIRD_POSSESSIVE = {"his", "her", "its", "their"}
LIKE_VERBS = {"love", "like", "enjoy", "adore", "prefer", "dig", "fancy", "appreciate"}
DISLIKE_VERBS = {"hate", "dislike", "detest", "loathe", "despise"}
LIVE_VERBS = {"live", "move", "relocate", "settle", "reside"}
VISIT_VERBS = {"visit", "go", "travel", "fly", "drive", "be", "head", "vacation", "tour", "trip", "road"}
RETURN_VERBS = {"get", "come", "return", "fly", "arrive", "drive"}
WORK_VERBS = {"work", "intern", "teach", "employ", "hire", "promote", "lecture"}
WORK_NOUNS = {
    "job", "position", "role", "internship", "gig", "work", "career", "offer", "boss", "coworker",
    "co-worker", "colleague", "manager", "office", "shift", "team", "employer", "company", "firm",
    "interview", "promotion", "commute", "desk", "salary", "contract",
}  # fmt: skip
STUDY_NOUNS = {
    "student", "freshman", "sophomore", "undergrad", "undergraduate", "grad", "semester", "term",
    "class", "course", "degree", "master", "masters", "master's", "phd", "doctorate", "major", "grade",
    "kindergarten", "preschool", "thesis", "dissertation", "program", "programme", "bachelor",
    "bachelor's", "midterm", "exam", "diploma", "studies",
}  # fmt: skip
STUDY_HINTS = (
    "university", "college", "school", "academy", "institute", "uni", "elementary", "polytechnic",
    "conservatory", "kindergarten", "montessori",
)  # fmt: skip
GROUP_HINTS = (
    "club", "team", "band", "choir", "group", "league", "society", "association", "church", "union",
    "gym", "orchestra", "troupe", "crew", "guild", "chapter", "fitness", "ensemble", "quartet",
)  # fmt: skip
PRODUCT_NOUNS = {
    "car", "house", "apartment", "flat", "bike", "motorcycle", "boat", "truck", "van", "laptop", "phone",
    "guitar", "piano", "camera", "condo", "console", "kindle", "tablet", "ipad", "iphone", "watch",
    "scooter", "drone", "telescope", "keyboard", "pc", "computer", "jeep", "suv", "cabin", "rv",
}  # fmt: skip
INSTRUMENTS = {
    "piano", "guitar", "violin", "cello", "drums", "drum", "bass", "ukulele", "flute", "saxophone",
    "sax", "trumpet", "clarinet", "harp", "banjo", "keyboard", "keys", "viola", "trombone", "harmonica",
    "accordion", "mandolin", "oboe", "tuba", "organ", "synth", "bagpipes",
}  # fmt: skip
SPORTS = {
    "tennis", "soccer", "football", "basketball", "baseball", "volleyball", "golf", "hockey", "rugby",
    "cricket", "badminton", "squash", "pickleball", "chess", "poker", "softball", "lacrosse",
    "ping pong", "table tennis", "handball", "polo", "bridge", "darts", "pool", "snooker", "frisbee",
}  # fmt: skip
PLAY_VERBS = {"play", "learn", "practice", "practise", "study", "pick", "take", "start", "teach"}
# Words that, as the thing said to be "my whole life" or "my favorite", mark a liking.
LOVE_ATTRS = {
    "life", "favorite", "favourite", "passion", "obsession", "jam", "weakness", "addiction", "love",
    "thing", "comfort", "therapy", "happy",
}  # fmt: skip
EVALUATIVE = {
    "amazing", "awesome", "beautiful", "gorgeous", "great", "incredible", "lovely", "wonderful",
    "stunning", "fantastic", "unreal", "magical", "breathtaking", "fun", "nice", "cool", "perfect",
    "terrible", "awful", "disappointing", "overrated", "crowded", "hot", "cold", "expensive",
}  # fmt: skip
TRIP_NOUNS = {
    "trip", "cruise", "vacation", "holiday", "honeymoon", "tour", "journey", "getaway", "road",
    "backpacking", "visit", "weekend", "break",
}  # fmt: skip
DEATH_VERBS = {"die", "pass", "rip"}
GENERIC_PLACES = {
    "town", "city", "village", "house", "home", "apartment", "flat", "place", "suburb", "suburbs",
    "area", "neighborhood", "neighbourhood", "part", "region", "condo", "farm", "countryside", "state",
    "island", "coast", "street", "building", "studio", "loft", "cabin", "country",
}  # fmt: skip
# A "my cat X" compound is a name unless X is one of these ("my cat food", "my dog walker").
NOT_NAMES = {
    "food", "toy", "toys", "bed", "tree", "sitter", "hair", "litter", "treats", "treat", "vet", "door",
    "bowl", "walker", "park", "house", "care", "name", "names", "owner", "friend", "friends", "years",
    "life", "stuff", "trainer", "crate", "cage", "tank", "leash", "collar", "breed", "family", "group",
}  # fmt: skip
HEDGES = {"maybe", "perhaps", "might", "possibly", "probably", "could", "thinking", "considering"}
QUIT_VERBS = {"quit", "leave", "resign", "retire"}
ENT_TYPES = {
    "PERSON": "person", "GPE": "place", "LOC": "place", "FAC": "place", "ORG": "organization",
    "PRODUCT": "product", "EVENT": "event", "LANGUAGE": "concept", "WORK_OF_ART": "product",
}  # fmt: skip
TRAIT_ADJECTIVES = {
    "vegetarian", "vegan", "introvert", "introverted", "extrovert", "extroverted", "shy", "left-handed",
    "allergic", "diabetic", "gay", "lesbian", "bisexual", "trans", "transgender", "nonbinary",
    "religious", "christian", "muslim", "jewish", "atheist", "buddhist", "hindu", "pescatarian",
    "sober", "single", "divorced", "retired", "pregnant", "colorblind", "deaf", "blind", "autistic",
    "adopted",
}  # fmt: skip
_DROP_FROM_PHRASE = {
    "my", "our", "new", "old", "favorite", "favourite", "first", "big", "little", "great", "good", "own",
    "used", "current", "second", "third", "absolute", "lifelong", "huge", "whole", "really", "all",
    "best", "entire", "same", "other", "another", "next", "last",
}  # fmt: skip

KNOWN_VERBS = LIKE_VERBS | DISLIKE_VERBS | LIVE_VERBS | VISIT_VERBS | QUIT_VERBS | WORK_VERBS | {
    "join", "start", "study", "attend", "marry", "play", "adopt", "grow", "stop", "give", "visit", "own",
    "buy", "sell", "graduate", "transfer", "date", "divorce", "get", "have", "see", "come", "take",
    "make", "do", "say", "bear", "raise", "call",
}  # fmt: skip


def lemma(tok: Token) -> str:
    """The verb's lemma, repaired where the small model's lemmatizer slips ("hates" -> "hat")."""
    base: str = tok.lemma_.lower()
    if base in KNOWN_VERBS or tok.pos_ not in ("VERB", "AUX", "NOUN"):
        return base
    w: str = tok.lower_
    for cand in (  # only what an inflection ending explains: not "bet" -> "be"
        w,
        w[:-1] if w.endswith(("s", "d")) else "",
        w[:-2] if w.endswith(("es", "ed")) else "",
        w[:-3] if w.endswith("ing") else "",
        w[:-3] + "e" if w.endswith("ing") else "",
    ):
        if cand in KNOWN_VERBS:
            return cand
    return base


def subject(verb: Token) -> Token | None:
    for c in verb.children:
        if c.dep_ in ("nsubj", "nsubjpass"):
            return c
    for c in verb.children:  # "Brandon and I are engaged": the parser hangs it on the auxiliary
        if c.dep_ in ("aux", "auxpass"):
            for cc in c.children:
                if cc.dep_ in ("nsubj", "nsubjpass"):
                    return cc
    # An auxiliary chain or a conjunct shares its head's subject.
    if verb.dep_ in ("conj", "xcomp", "advcl") and verb.head is not verb:
        return subject(verb.head) if verb.dep_ != "advcl" else None
    return None


def clauses(sent: Span) -> list[list[Token]]:
    """Clause heads (root and conjoined verbs with their own subject), each with its tokens."""
    heads = [sent.root]
    for tok in sent:
        if tok is sent.root:
            continue
        if (
            (
                tok.dep_ == "conj"
                and tok.pos_ in ("VERB", "AUX")
                and any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children)
            )
            or (
                tok.dep_ == "conj"
                and tok.pos_ in ("VERB",)
                and tok.head.pos_ in ("VERB", "AUX")
                # "trying to stay active and do my rehab", "fun bonding and creating memories": not
                # a clause's own verb
                and (
                    tok.head.dep_ == "ROOT"
                    or any(
                        c.dep_ in ("nsubj", "nsubjpass")
                        and c.lower_ not in ("me", "us", "him", "her", "them")
                        for c in tok.head.children
                    )
                )
                and any(c.dep_ in ("dobj", "prep") for c in tok.children)
                and any(c.dep_ in ("dobj", "prep", "attr", "acomp") for c in tok.head.children)
                and tok.lemma_ != tok.head.lemma_
            )
            or _comma_clause(tok)
            or _reason_clause(tok)
        ):
            heads.append(tok)
    frames = {h.i for h in heads}
    heads = [_framed(h) for h in heads]
    heads.sort(key=lambda h: h.i)  # memories in the order the message says them
    head_set = {h.i for h in heads} | frames  # a frame's own words ("Sony Music said") go nowhere
    out = []
    for head in heads:
        toks = []
        stack = [head]
        while stack:
            t = stack.pop()
            toks.append(t)
            for c in t.children:
                if c.i in head_set:
                    continue
                if c.dep_ == "cc" and any(x.i in head_set for x in t.children if x.i > c.i):
                    continue
                stack.append(c)
        if head.dep_ == "conj" and not any(c.dep_ in ("nsubj", "nsubjpass") for c in head.children):
            subj = subject(head.head)
            if subj is not None:
                toks.extend(subj.subtree)
                if (
                    head.tag_ in ("VBG", "VBN")
                    and head.tag_ == head.head.tag_
                    and not any(c.dep_ in ("aux", "auxpass") for c in head.children)
                ):
                    # "We've been putting in work and achieving our goals": "achieving" shares "'ve been"
                    toks.extend(
                        c for c in head.head.children if c.dep_ in ("aux", "auxpass") and c.i < head.head.i
                    )
        out.append([head, *sorted((t for t in toks if t is not head), key=lambda t: t.i)])
    return out


# He and she in every case: who they are is a person named before them.
PERSONAL = frozenset({"he", "she", "him", "her", "his", "hers", "himself", "herself"})
FRAMES = {
    "think",
    "guess",
    "believe",
    "know",
    "feel",
    "realize",
    "realise",
    "figure",
    "suppose",
    "reckon",
}
_REASONS = {"because", "since", "cause", "'cause", "as"}
_CHAT_ABOUT_CHAT = {
    "be",
    "have",
    "talk",
    "speak",
    "chat",
    "see",
    "meet",
    "catch",
    "hear",
    "ask",
    "say",
    "mention",
    "last",
}


def _framed(head: Token) -> Token:
    """ "I think I'm going to start a blog", "turns out I'm allergic to shellfish", "Doctor told me
    I'm allergic to penicillin": the clause is what is thought or found, not the thinking."""
    base = lemma(head)
    mine = any(c.dep_ == "nsubj" and c.lower_ in FIRST_PERSON for c in head.children)
    found = base in ("find", "turn") and any(c.dep_ == "prt" and c.lower_ == "out" for c in head.children)
    told = base in ("tell", "say") and any(
        c.dep_ == "ccomp" and any(x.dep_ == "nsubj" and x.lower_ in ("i", "we") for x in c.children)
        for c in head.children
    )
    if not ((base in FRAMES and mine) or found or told):
        return head
    said = next(
        (
            c
            for c in head.children
            if c.dep_ == "ccomp"
            and c.i > head.i
            and any(x.dep_ in ("nsubj", "nsubjpass") for x in c.children)
        ),
        None,
    )
    return said if said is not None else head


def _reason_clause(tok: Token) -> bool:
    """ "Since I lost my job at Door Dash, things have been tough": the reason is a fact of its own
    (what it explains is often only a feeling)."""
    if tok.dep_ != "advcl" or tok.pos_ not in ("VERB", "AUX") or lemma(tok) in _CHAT_ABOUT_CHAT:
        return False
    if any(c.lower_ == "last" for c in tok.children):
        return False  # "since we last talked"
    if not any(c.dep_ == "mark" and c.lower_ in _REASONS for c in tok.children):
        return False
    return any(c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in FIRST_PERSON for c in tok.children)


def _comma_clause(tok: Token) -> bool:
    """A clause spliced on with a comma ("I'm an introvert, big crowds drain me"; "born in Accra,
    raised in Manchester"): a fact of its own. Not a subordinate one ("because I love them")."""
    if tok.dep_ not in ("ccomp", "advcl", "parataxis", "conj") or tok.pos_ not in ("VERB", "AUX"):
        return False
    if any(c.dep_ == "mark" or (c.dep_ == "advmod" and c.tag_ == "WRB") for c in tok.children):
        return False
    lo, hi = sorted((tok.i, tok.head.i))
    between = tok.doc[lo:hi]
    before = tok.i < tok.head.i and tok.dep_ in ("ccomp", "parataxis")  # "I'm so over X, Y is better"
    if not any(
        t.text in (",", ";", "—", "-") and (before or t.head.i in (tok.i, tok.head.i)) for t in between
    ):
        return False
    own_subject = any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children)
    participle = (
        tok.tag_ in ("VBN", "VBG")
        and tok.i > tok.head.i
        and (
            tok.head.dep_ == "ROOT"
            or any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.head.children)
            or _comma_clause(tok.head)  # "Born in Osaka, raised in Tokyo, now living in Vancouver"
        )
    )
    # "Just finished my first semester, it was brutal": the speaker's own clause, subject left out
    opening = tok.tag_ in ("VBD", "VBN") and tok.i < tok.head.i and tok.left_edge.i == tok.sent.start
    return own_subject or participle or opening


def predicates(head: Token, tokens: list[Token]) -> list[Token]:
    """The clause head, then the other verbs inside the clause that can carry a relation of their own
    ("I can't stand cilantro, it tastes like soap": "stand" hangs under "tastes")."""
    inside = {t.i for t in tokens}
    out = [head]
    for t in tokens:
        if t is head or t.i not in inside:
            continue
        verbal = t.pos_ in ("VERB", "AUX") or (t.pos_ == "ADJ" and t.dep_ in ("ccomp", "conj", "advcl"))
        if not verbal or t.dep_ not in (
            "ccomp",
            "advcl",
            "xcomp",
            "conj",
            "relcl",
            "pcomp",
            "acl",
            "parataxis",
        ):
            continue
        if t.dep_ in ("aux", "auxpass"):
            continue
        if any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in t.children):
            continue
        out.append(t)
    return out


def has_first_possessive(tok: Token) -> bool:
    return any(c.dep_ == "poss" and c.lower_ in FIRST_POSSESSIVE for c in tok.children)


def owned_by_speaker(tok: Token) -> bool:
    """ "my sister", and "my cat biscuit" / "my parrot Kiko" where "my" hangs on the name."""
    if has_first_possessive(tok):
        return True
    head = tok.head
    return tok.dep_ in ("compound", "amod") and head.i == tok.i + 1 and has_first_possessive(head)


def mentions_first_person(tokens: list[Token]) -> bool:
    return any(t.lower_ in FIRST_PERSON | FIRST_POSSESSIVE for t in tokens)


def title(name: str) -> str:
    """A proper name as it should be written: "emma" -> "Emma" (a lowercase writer's names)."""
    return " ".join(w[:1].upper() + w[1:] if w.islower() else w for w in name.split())


def _name_like(tok: Token) -> bool:
    """A token that can be a given name: a proper noun, or a bare lowercase noun in a name slot."""
    if tok.lower_ in FIRST_PERSON | FIRST_POSSESSIVE or tok.pos_ == "PRON":
        return False
    if tok.pos_ == "PROPN":
        return tok.ent_type_ not in ("DATE", "TIME")
    return (
        tok.pos_ == "NOUN"
        and tok.text.islower()
        and tok.tag_ == "NN"
        and tok.lower_ not in NOT_NAMES
        and tok.lemma_.lower() not in ROLES
        and tok.lower_ not in PETS
        and not any(c.dep_ in ("det", "poss", "amod", "nummod") for c in tok.children)
    )


def pet_word(tok: Token) -> str | None:
    """The pet noun of `tok` ("guinea pig", "bearded dragon", "cats"), or None."""
    compound = " ".join(t.lower_ for t in tok.lefts if t.dep_ in ("compound", "amod")) + " " + tok.lower_
    compound = compound.strip()
    for cand in (compound, f"{compound.split()[-2]} {tok.lemma_.lower()}" if " " in compound else ""):
        if cand and (cand in PETS or cand.rstrip("s") in PETS):
            return cand
    if tok.lemma_.lower() in PETS or tok.lower_ in PETS:
        return str(tok.lower_)
    return None


def role_word(tok: Token) -> str | None:
    """The role key of `tok` in ROLES ("sisters" -> "sister"), or None."""
    for cand in (tok.lower_, tok.lemma_.lower(), tok.lower_.rstrip("s")):
        if cand in ROLES:
            return str(cand)
    return None


def surface(tok: Token) -> str:
    """The role or pet word as the speaker wrote it, with its compound ("guinea pig", "best friend")."""
    parts = [
        t for t in tok.lefts if t.dep_ in ("compound", "amod") and t.lower_ in ("best", "guinea", "bearded")
    ]
    return " ".join(t.lower_ for t in [*parts, tok])


def name_tokens(tok: Token) -> list[Token]:  # noqa: PLR0912 - one branch per way of naming
    """The names given to a role or pet noun: "my sister Anna", "my cat biscuit", "Oscar (my guinea
    pig)", "a dog named Rex", "my turtles are named Tank and Shelly", "my brother's name is Mateo",
    "my boyfriend is Jake"."""
    found: Token | None = None
    for c in tok.children:
        if c.dep_ in ("appos", "npadvmod") and _name_like(c) and c.i > tok.i:
            found = c
            break
        if c.dep_ == "acl" and c.lemma_ in ("name", "call"):
            for cc in c.children:
                if cc.dep_ in ("oprd", "attr", "dobj", "xcomp", "npadvmod") and cc.pos_ in ("PROPN", "NOUN"):
                    found = cc
    if found is None:
        for c in tok.children:
            if c.dep_ == "compound" and c.pos_ == "PROPN" and c.i > tok.i:
                found = c
    head = tok.head
    if found is None and tok.dep_ in ("compound", "amod") and head.i == tok.i + 1 and _name_like(head):
        found = head  # "my cat biscuit": the parser makes the pet word a compound of the name
    if found is None and tok.dep_ == "appos" and head.i < tok.i and _name_like(head):
        found = head  # "Oscar (my guinea pig)", "Peanut, my bearded dragon,"
    if found is None and tok.dep_ in ("nsubj", "nsubjpass") and head.lemma_ in ("be", "name", "call"):
        for c in head.children:
            if c.dep_ in ("attr", "oprd", "acomp") and c.pos_ == "PROPN" and c.i > head.i:
                found = c  # "my boyfriend is Jake", "my turtles are named Tank and Shelly"
    if found is None and tok.dep_ == "attr" and head.lemma_ == "be":
        subj = next((c for c in head.children if c.dep_ == "nsubj"), None)
        if subj is not None and subj.pos_ == "PROPN":
            found = subj  # "Anna is my sister"
    if found is None and tok.dep_ == "poss" and head.lemma_ == "name" and head.dep_ == "nsubj":
        for c in head.head.children:
            if c.dep_ in ("attr", "acomp", "oprd") and (_name_like(c) or c.pos_ == "PROPN"):
                found = c  # "my brother's name is Mateo"
    if found is None and (
        tok.i + 1 < len(tok.doc)
        and tok.doc[tok.i + 1].pos_ == "PROPN"
        and tok.doc[tok.i + 1].dep_ in ("appos", "npadvmod", "compound", "nsubj", "pobj", "dobj")
    ):
        found = tok.doc[tok.i + 1]
    if found is None:
        return []
    return [found, *[c for c in conjuncts(found) if c.pos_ == "PROPN" or _name_like(c)]]


def name_text(tok: Token) -> str:
    parts = [t for t in tok.lefts if t.pos_ == "PROPN" and t.dep_ in ("compound", "flat")]
    return title(" ".join(t.text for t in [*parts, tok]))


def later_name(tok: Token) -> list[Token]:
    """ "We adopted a puppy! Her name is Luna": a name given right after, before any other pet or
    person is mentioned."""
    doc = tok.doc
    end = min(len(doc), tok.i + 25)
    for t in doc[tok.i + 1 : end]:
        if t.i != tok.i and (pet_word(t) or role_word(t)) and t.pos_ == "NOUN":
            return []
        if t.lemma_ == "name" and t.pos_ == "NOUN" and any(c.lower_ in THIRD_POSSESSIVE for c in t.children):
            if t.dep_ == "nsubj":
                for c in t.head.children:
                    if c.dep_ == "attr" and (c.pos_ == "PROPN" or _name_like(c)):
                        return [c, *[x for x in conjuncts(c) if x.pos_ == "PROPN" or _name_like(x)]]
            nxt = doc[t.i + 2] if t.i + 2 < len(doc) else None
            if nxt is not None and doc[t.i + 1].lemma_ == "be" and (nxt.pos_ == "PROPN" or _name_like(nxt)):
                return [nxt]
    return []


def conjuncts(tok: Token) -> list[Token]:
    out = []
    for c in tok.children:
        if c.dep_ == "conj":
            out.append(c)
            out.extend(conjuncts(c))
    return out


def called(tok: Token) -> Token:
    """ "a startup called Cabify" -> Cabify; any other token -> itself."""
    for c in tok.children:
        if c.dep_ == "acl" and c.lemma_ in ("call", "name"):
            for cc in c.children:
                if cc.dep_ in ("oprd", "attr", "dobj", "xcomp", "npadvmod") and cc.pos_ in ("PROPN", "NOUN"):
                    return cc
        if c.dep_ == "appos" and c.pos_ == "PROPN":
            return c
    return tok


def objects(verb: Token) -> list[Token]:
    objs = [c for c in verb.children if c.dep_ in ("dobj", "attr", "oprd")]
    for c in verb.children:
        if c.dep_ in ("xcomp", "ccomp") and c.pos_ == "VERB":
            objs.extend(x for x in c.children if x.dep_ == "dobj")
    return [o for base in objs for o in [base, *conjuncts(base)]]


def preps(tok: Token) -> list[tuple[str, Token]]:
    out: list[tuple[str, Token]] = []
    for c in tok.children:
        if c.dep_ in ("prep", "dative", "agent") or (c.dep_ == "prt" and c.lower_ == "up"):
            for o in c.children:
                if o.dep_ in ("pobj", "pcomp"):
                    out.extend((c.lower_, x) for x in [o, *conjuncts(o)])
    return out


def all_preps(verb: Token) -> list[tuple[str, Token]]:
    """Prepositions of the verb, its objects and its open complements ("started a job at X", "work
    as an engineer at X")."""
    out = preps(verb)
    for c in verb.children:
        if c.dep_ in ("dobj", "attr", "xcomp", "advcl", "acomp", "npadvmod"):
            out.extend(preps(c))
            for cc in c.children:
                if cc.dep_ in ("dobj", "attr"):
                    out.extend(preps(cc))
    for _, obj in list(out):
        if obj.pos_ in ("NOUN", "VERB"):
            out.extend(preps(obj))
            for cc in obj.children:
                if cc.dep_ == "dobj":
                    out.extend(preps(cc))
    return out


def is_would(verb: Token) -> bool:
    return any(c.dep_ == "aux" and c.lower_ in ("would", "'d", "wanna") for c in verb.children)


def preference_targets(verb: Token) -> list[Token]:
    objs = [c for c in verb.children if c.dep_ in ("dobj", "xcomp", "ccomp", "attr")]
    out = []
    for o in objs:
        if o.dep_ in ("xcomp", "ccomp") and o.pos_ in ("VERB", "AUX"):
            if o.tag_ == "VBG":
                out.append(o)
            else:
                dobj = [x for x in o.children if x.dep_ == "dobj"]
                out.extend(dobj or [o])
        elif o.pos_ in ("NOUN", "PROPN", "VERB", "ADJ") and o.lower_ not in ("it", "that", "this", "them"):
            out.append(o)
    targets = [x for base in out for x in [base, *conjuncts(base)]]
    # "Thai food, especially green curry": an apposition names a liked thing too
    targets += [
        c for t in list(targets) for c in t.children if c.dep_ == "appos" and c.pos_ in ("NOUN", "PROPN")
    ]
    return targets


def antecedent(pron: Token) -> Token | None:
    """What "it" / "them" refers to: the closest thing named before it in the message (a noun that is
    a subject or object, not a person, a time or a place)."""
    if pron.lower_ not in ("it", "them", "they", "those", "these", "one"):
        return None
    for t in reversed(pron.doc[: pron.i]):
        if t.pos_ not in ("NOUN", "PROPN") or t.dep_ not in (
            "dobj",
            "pobj",
            "nsubj",
            "attr",
            "appos",
            "ROOT",
        ):
            continue
        if t.ent_type_ in ("PERSON", "DATE", "TIME", "GPE", "LOC", "CARDINAL", "ORDINAL"):
            continue
        if t.lemma_.lower() in ROLES or t.lower_ in ("lot", "way", "time", "thing", "bit", "kind", "day"):
            continue
        return t
    return None


def phrase(tok: Token) -> str:
    """A noun phrase for an entity name: compounds and proper-noun parts, no determiners."""
    parts = _modifiers(tok, ("compound", "amod", "flat", "nmod", "nummod"), ("PROPN", "NOUN", "ADJ", "NUM"))
    if tok.ent_type_ and tok.ent_type_ not in ("DATE", "TIME", "CARDINAL", "ORDINAL"):
        ent = next((e for e in tok.doc.ents if e.start <= tok.i < e.end), None)
        # the entity's own span, unless the parse joins more of the name ("Honda" + "Civic")
        if ent is not None and tok.i in (ent.root.i, ent.end - 1) and parts[0].i >= ent.start:
            return re.sub(r"^(the|a|an)\s+", "", ent.text, flags=re.I)
    words = [t.text for t in parts if t.lower_ not in _DROP_FROM_PHRASE]
    return " ".join(words)


def _modifiers(tok: Token, deps: tuple[str, ...], pos: tuple[str, ...]) -> list[Token]:
    """`tok` with the chain of modifiers right before it ("2015 Subaru Outback", "Bay Area Chess Club")."""
    parts = [tok]
    for t in reversed(list(tok.lefts)):
        if t.dep_ in deps and t.pos_ in pos and t.i == parts[0].i - 1 - (1 if t.doc[t.i + 1].is_punct else 0):
            parts.insert(0, t)
            parts[:0] = [x for x in t.lefts if x.dep_ in ("compound",) and x.pos_ in pos]
    for t in tok.rights:
        if t.dep_ == "nummod" and t.i == tok.i + 1 and tok.pos_ == "PROPN":
            parts.append(t)  # "iPhone 16"
    return sorted(set(parts), key=lambda t: t.i)


def concept(tok: Token) -> str:
    if tok.pos_ == "PROPN" or tok.ent_type_ in ENT_TYPES:
        return phrase(tok)
    parts = _modifiers(tok, ("compound", "amod"), ("PROPN", "NOUN", "ADJ", "VERB"))
    return " ".join(t.lower_ for t in parts if t.lower_ not in _DROP_FROM_PHRASE)


def entity_type(tok: Token, default: str) -> str:
    return ENT_TYPES.get(tok.ent_type_, default)


def place_like(tok: Token) -> bool:
    if tok.ent_type_ in ("GPE", "LOC", "FAC"):
        return True
    return tok.pos_ == "PROPN" and tok.ent_type_ not in ("PERSON", "DATE", "TIME", "ORG", "NORP", "EVENT")


def place_of(tok: Token, slot: bool = False) -> Token | None:
    """The named place a phrase is about: "Austin", or "a small town in ohio" -> ohio. In a slot
    that only a place fills ("born in X", "moved to X") a proper noun is a place whatever the
    entity recogniser thought ("Kraków" as a person)."""
    if place_like(tok) or (
        slot and tok.pos_ == "PROPN" and tok.ent_type_ not in ("DATE", "TIME", "ORG", "NORP", "EVENT")
    ):
        return tok
    if tok.lemma_.lower() in GENERIC_PLACES or tok.lower_ in GENERIC_PLACES:
        for c in tok.children:
            if c.dep_ == "compound" and place_like(c):
                return c
        for prep, obj in preps(tok):
            if prep in ("in", "of", "near", "outside", "on") and obj is not tok:
                found = place_of(obj, slot)
                if found is not None:
                    return found
    return None


def org_like(tok: Token) -> bool:
    return tok.ent_type_ in ("ORG", "FAC", "PRODUCT") or (
        tok.pos_ == "PROPN" and tok.ent_type_ not in ("PERSON", "DATE", "TIME", "NORP")
    )


def negated(verb: Token) -> bool:
    """A negated verb; "I live in evanston, not chicago" is a correction, not a negation."""
    for c in verb.children:
        if c.dep_ == "neg" and (c.i < verb.i or (verb.pos_ == "AUX" and c.i <= verb.i + 2)):
            return True
        if c.lower_ in ("never", "no") and c.dep_ in ("advmod", "det") and c.i < verb.i:
            return True
    return any(c.dep_ == "aux" and any(x.dep_ == "neg" for x in c.children) for c in verb.children)


def gerund(verb: str) -> str:
    """ "swim" -> "swimming", "ride" -> "riding", "read" -> "reading"."""
    if verb.endswith("ie"):
        return verb[:-2] + "ying"
    if verb.endswith("e") and not verb.endswith("ee"):
        return verb[:-1] + "ing"
    if re.search(r"[^aeiou][aeiou][bdgmnprt]$", verb) and len(verb) <= 4:
        return verb + verb[-1] + "ing"
    return verb + "ing"


# --- what says nothing about the speaker's life -------------------------------------------------

EMOTIONS = {
    "happy", "sad", "tired", "exhausted", "excited", "jealous", "heartbroken", "stressed", "nervous",
    "thrilled", "devastated", "bored", "anxious", "upset", "overwhelmed", "grateful", "relieved",
    "obsessed", "hungry", "sleepy", "annoyed", "angry", "mad", "furious", "glad", "scared", "worried",
    "crushed", "gutted", "ecstatic", "pumped", "stoked", "fine", "okay", "good", "great", "confused",
    "speechless", "shook", "sore", "starving", "blessed", "done", "dead", "curious",
}  # fmt: skip
_REQUEST_OBJECTS = {"me", "us", "'s"}
_CHAT_VERBS = {"type", "mistype", "misspell", "misspeak", "typo", "wonder"}
_COMPLEMENTS = ("prep", "xcomp", "ccomp", "advcl", "dobj", "pobj", "agent", "relcl", "acl")


def _bare(tok: Token) -> bool:
    """A word with nothing that says what about: "(so) jealous", not "jealous of Anna"."""
    return not any(c.dep_ in _COMPLEMENTS for c in tok.children) and all(
        _bare(c) for c in tok.children if c.dep_ == "conj"
    )


def says_nothing(verb: Token, subj: Token | None) -> bool:  # noqa: PLR0911
    """A clause that is chat, not a disclosure: a request to the assistant ("tell me a joke", "let me
    think", "wish me luck"), a hypothetical ("If I won the lottery I'd buy an island"), musing ("I
    wonder if aliens exist"), talk about the typing itself, a feeling of the moment ("I'm so
    jealous", "I'm still adjusting", "this semester is killing me"), a reaction ("never thought
    about it that way")."""
    base = lemma(verb)
    mine = subj is None or subj.lower_ in FIRST_PERSON
    if subj is None and verb.tag_ == "VB" and not any(c.dep_ in ("aux", "neg") for c in verb.children):
        near = [
            *verb.children,
            *(x for c in verb.children if c.dep_ in ("ccomp", "xcomp") for x in c.children),
        ]
        if base == "let" or any(
            c.lower_ in _REQUEST_OBJECTS and c.dep_ in ("dative", "dobj", "nsubj", "iobj") for c in near
        ):
            return True
    if subj is None and verb.tag_ == "VBZ" and base in ("sound", "look", "seem"):
        return True  # "Sounds good": said of what the assistant said
    counterfactual = any(
        c.dep_ == "advcl"
        and c.tag_ == "VBD"
        and any(m.dep_ == "mark" and m.lower_ == "if" for m in c.children)
        for c in verb.children
    )
    if counterfactual and any(c.dep_ == "aux" and c.lower_ in ("would", "'d") for c in verb.children):
        return True
    if base in _CHAT_VERBS and mine:
        return True
    if mine and base == "be" and not negated(verb):
        comps = [c for c in verb.children if c.dep_ in ("acomp", "attr", "oprd")]
        if (
            comps
            and all(c.lower_ in EMOTIONS and _bare(c) for c in comps)
            and not any(c.dep_ in _COMPLEMENTS and c.i > verb.i for c in verb.children)
        ):
            return True
    if mine and verb.lower_ in EMOTIONS and verb.tag_ == "VBN" and _bare(verb):
        return True  # "I'm obsessed"
    if mine and verb.tag_ == "VBG" and base in ("adjust", "cope", "struggle", "recover", "dying"):
        return _bare(verb)
    if (
        base in ("kill", "destroy")
        and verb.tag_ == "VBG"
        and any(c.dep_ == "dobj" and c.lower_ == "me" for c in verb.children)
    ):
        return True
    if base == "think" and mine and not any(c.dep_ in ("ccomp", "xcomp") for c in verb.children):
        about = [o for _, o in preps(verb)]
        return bool(about) and all(o.lower_ in ("it", "that", "this") for o in about)
    return False
