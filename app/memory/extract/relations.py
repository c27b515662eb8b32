"""Typed relations from the parse of one clause, one rule family per relation family.

A clause is a memory; inside it every predicate (the head verb, and verbs hanging under it such as
"I can't stand cilantro, it tastes like soap") is read by each family in turn: people and pets,
having and owning, places lived and come from, work and study, partners, likes and dislikes, visits,
playing. Noun-anchored patterns ("my boss at Deloitte", "a shellfish allergy", "a big Arsenal fan",
"member of X") are read once per clause. What a clause says is over is reported as an `Ending`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from app.memory.extract import parse as P
from app.memory.extract.model import Ending, Entity, Extraction, Relation, normalise_name
from app.memory.extract.parse import Token
from app.memory.extract.vocabulary import ORG_HEADS, PETS, ROLES

_DEATH_WORDS = {"died", "passed", "rip", "r.i.p", "lost", "dead", "funeral"}
_SIDE_JOB = {"weekends", "weekend", "side", "part-time", "extra", "freelance", "moonlighting", "evenings"}
_SPOUSES = {"husband", "wife", "spouse", "hubby"}
# Verbs whose time is when a person or pet came into the speaker's life.
_BEGINNING = {
    "adopt", "get", "got", "rescue", "bring", "buy", "foster", "bear", "born", "marry", "wed", "have",
    "welcome", "meet", "engage", "date", "hire", "join", "become", "start", "begin", "move",
}  # fmt: skip
_BRANDS = {"kindle", "ipad", "iphone", "macbook", "xbox", "playstation", "ps5", "ps4", "switch", "fitbit"}
_NOT_A_TARGET = {"it", "that", "this", "them", "they", "one", "lot", "bit", "stuff", "thing", "things"}
# Verbs that say little of an activity beside their object: "making curries" is about curries.
_LIGHT_VERBS = {"make", "have", "get", "do", "eat", "drink", "try", "buy", "order"}
# Verbs that end a liking when said to be over ("I don't hike anymore"), unless another family reads
# them (homes, jobs, visits) or they say nothing of an activity.
_NOT_ACTIVITIES = P.LIVE_VERBS | P.WORK_VERBS | P.QUIT_VERBS | P.VISIT_VERBS | {
    "be", "have", "do", "get", "stop", "give", "want", "need", "know", "think", "feel", "say", "care",
    "use", "see", "make", "take", "like", "love", "enjoy", "hate", "eat", "drink", "talk", "speak",
}  # fmt: skip
# Named things that are not employers: "I started learning Japanese" is no job at "Japanese".
_NOT_WORKPLACES = frozenset({"NORP", "LANGUAGE", "GPE", "LOC", "PERSON", "DATE", "EVENT", "WORK_OF_ART"})


_NAME_JOINERS = {"'s", "\u2019s", "&", "-"}
_NOT_NAME_STARTS = {"the", "a", "an", "my", "our", "your", "his", "her", "their", "its"}


def correct_parse(doc: Any) -> None:
    """Mend what the small model gets wrong about names before the rules read the doc, in place:

    - a lowercase pet or role noun tagged as a proper noun ("my golden retriever Biscuit") is a noun,
      so that it is not taken for part of the name;
    - the name given to the speaker's pet ("my golden retriever Biscuit", "a dog named Rex") is no
      organisation or place, whatever NER said: the entity spans over it are dropped (the pet rules
      type it);
    - a proper name ending in an organisation word (Center, Hospital, Clinic, University, Inc, ...) is
      one organisation, across the spans NER cut it into ("St. David's" FAC + "Medical Center" ORG
      -> "St. David's Medical Center" ORG).
    """
    for tok in doc:
        if tok.pos_ == "PROPN" and tok.text.islower() and (tok.lower_ in PETS or tok.lower_ in ROLES):
            tok.pos_, tok.tag_ = "NOUN", "NN"
    ents = list(doc.ents)
    spans: list[tuple[int, int]] = []
    for tok in doc:
        if tok.text in ORG_HEADS and tok.pos_ == "PROPN":
            start = _name_start(tok)
            end = _name_end(tok)
            if end - start >= 2:
                spans.append((start, end))
    pets = _pet_names(doc)
    if not spans and not any(e.start <= i < e.end for e in ents for i in pets):
        return
    kept = [
        e
        for e in ents
        if not any(s < e.end and e.start < t for s, t in spans)
        and not any(e.start <= i < e.end for i in pets)
    ]
    kept += [doc[s:t] for s, t in spans]
    for span in kept[len(kept) - len(spans) :]:
        span.label_ = "ORG"
    doc.ents = sorted(kept, key=lambda e: e.start)


def _cased(tok: Token, text: str) -> str:
    """`text` (a lowercased concept phrase of `tok`) with its proper adjectives and names as written:
    "spicy thai curries" -> "spicy Thai curries"."""
    proper = {t.lower_: t.text for t in tok.subtree if t.pos_ == "PROPN" or t.ent_type_ == "NORP"}
    return " ".join(proper.get(w, w) for w in text.split())


def _activity(verb: Token, obj: Token) -> str:
    """ "fixing up old cars": the gerund, its particle and its object, without determiners."""
    words = [
        t
        for t in verb.doc[verb.i : obj.i + 1]
        if t.dep_ not in ("det", "poss", "punct", "advmod", "neg") and t.tag_ != "PRP$"
    ]
    if not words or words[0].i != verb.i:
        return P.gerund(P.lemma(verb))
    head = P.gerund(P.lemma(verb)) if verb.tag_ != "VBG" else verb.lower_
    rest = [t.text if t.pos_ == "PROPN" or t.ent_type_ == "NORP" else t.lower_ for t in words[1:]]
    return " ".join([head, *rest])


def _name_start(head: Token) -> int:
    """The first token of the proper name `head` ends: capitalised words and name joiners before it."""
    start: int = head.i
    for i in range(head.i - 1, -1, -1):
        t = head.doc[i]
        if t.text[:1].isupper() and t.pos_ == "PROPN" and t.lower_ not in _NOT_NAME_STARTS:
            start = i
        elif t.lower_ in _NAME_JOINERS and i > 0 and head.doc[i - 1].text[:1].isupper():
            continue
        else:
            break
    return start


def _name_end(head: Token) -> int:
    """After an organisation word: "University of Texas", "Bank of America" (capitalised words)."""
    doc, end = head.doc, int(head.i) + 1
    if end + 1 < len(doc) and doc[end].lower_ == "of" and doc[end + 1].text[:1].isupper():
        end += 1
        while end < len(doc) and doc[end].text[:1].isupper() and doc[end].pos_ == "PROPN":
            end += 1
    return end


def _pet_names(doc: Any) -> set[int]:
    """Token indexes of the names given to the speaker's pets in `doc`."""
    out: set[int] = set()
    for tok in doc:
        named = P.owned_by_speaker(tok) or any(c.dep_ == "acl" for c in tok.children)
        if tok.pos_ == "NOUN" and named and P.pet_word(tok):
            for n in P.name_tokens(tok):
                out.add(n.i)
    return out


@dataclass(slots=True)
class Pred:
    """One predicate of a clause, with what the clause says around it."""

    verb: Token
    lemma: str
    tokens: list[Token]  # the whole clause
    words: set[str]
    source: str  # who the predicate is about
    index: int  # the memory it belongs to
    negated: bool
    plan: bool
    ending: bool  # "anymore", "no longer", "gave up"

    @property
    def past(self) -> bool:
        return self.verb.tag_ in ("VBD", "VBN") or any(
            c.dep_ == "aux" and c.tag_ in ("VBD",) for c in self.verb.children
        )


class RelationRules:
    """The relation families; mixed into the per-message run, which owns the state used here."""

    speaker: str
    out: Extraction
    entities: dict[str, Entity]
    people: dict[int, str]  # token index of a person or pet mention -> entity name
    named: dict[int, list[str]]  # token index of a role or pet noun -> the names given to it
    mine: set[int]  # token indexes of role or pet nouns that are the speaker's own

    # entities and relations -------------------------------------------------------------------

    def entity(self, name: str, type_: str, alias: str | None = None) -> str:
        name = name.strip(" .,!?'\"()")
        if not name or normalise_name(name) == normalise_name(self.speaker):
            return self.speaker
        key = normalise_name(name)
        old = self.entities.get(key)
        if old is None:
            self.entities[key] = Entity(name, type_, (alias,) if alias else ())
        elif alias and alias not in old.aliases and normalise_name(alias) != key:
            self.entities[key] = Entity(old.name, old.type, (*old.aliases, alias))
        return self.entities[key].name

    def relate(
        self,
        source: str,
        type_: str,
        target: str,
        index: int,
        label: str | None = None,
        alongside: bool = False,
        dated: bool = True,
    ) -> None:
        if not target or normalise_name(target) == normalise_name(source):
            return
        if type_ == "RELATED_TO":
            return  # cousins, grandparents, in-laws, mentors: entities only, no relation type
        if any((r.source, r.type, r.target) == (source, type_, target) for r in self.out.relations):
            return
        self.out.relations.append(Relation(source, type_, target, index, label, alongside, dated))

    def end(self, source: str, type_: str, target: str | None, index: int, similar: bool = False) -> None:
        e = Ending(source, type_, target, index, similar)
        if e not in self.out.endings:
            self.out.endings.append(e)

    def _place(self, tok: Token) -> str:
        return self.entity(P.title(P.phrase(tok)), "place")

    def _org(self, tok: Token) -> str:
        return self.entity(P.title(P.phrase(tok)), "organization")

    def _thing(self, tok: Token) -> str:
        """A liked, disliked, played thing: a concept in lowercase, a named thing as named. An
        activity with an object is the object after a light verb ("making spicy Thai curries" ->
        "spicy Thai curries"), else the activity with its object ("fixing up old cars"); never the
        bare verb ("making")."""
        if tok.pos_ == "VERB":
            obj = next((c for c in tok.children if c.dep_ == "dobj" and c.lower_ not in _NOT_A_TARGET), None)
            if obj is not None and obj.pos_ in ("NOUN", "PROPN"):
                if P.lemma(tok) in _LIGHT_VERBS:
                    return self.entity(_cased(obj, P.concept(obj)), P.entity_type(obj, "concept"))
                return self.entity(_activity(tok, obj), "concept")
        if tok.pos_ == "VERB" and tok.tag_ != "VBG":
            return self.entity(P.gerund(tok.lemma_.lower()), "concept")
        return self.entity(_cased(tok, P.concept(tok)), P.entity_type(tok, "concept"))

    def _role_names(self, tok: Token, role: str) -> list[str]:
        """The entity names of a role noun: its given names, else "<Speaker>'s <role as written>"."""
        names = self.named.get(tok.i) or [P.name_text(n) for n in P.name_tokens(tok) or P.later_name(tok)]
        if names:
            alias = f"{self.speaker}'s {role}"
            return [self.entity(n, "person", alias) for n in names]
        return [self.entity(f"{self.speaker}'s {P.surface(tok)}", "person")]

    def _pet_names(self, tok: Token) -> list[str]:
        names = self.named.get(tok.i) or [P.name_text(n) for n in P.name_tokens(tok) or P.later_name(tok)]
        if names:
            return [self.entity(n, "pet") for n in names]
        return [self.entity(f"{self.speaker}'s {P.surface(tok)}", "pet")]

    # the families --------------------------------------------------------------------------------

    def clause_relations(self, preds: list[Pred], tokens: list[Token], source: str, index: int) -> None:
        head = preds[0]
        self._people(tokens, index, head)
        for p in preds:
            self._having(p)
            self._places(p)
            self._work(p)
            self._partners(p)
            self._preferences(p)
            self._visits(p)
            self._playing(p)
        self._nouns(tokens, source, index, head)

    def _people(self, tokens: list[Token], index: int, head: Pred) -> None:
        """The speaker's people and pets named in the clause: "my sister Anna", "Oscar (my guinea pig)"."""
        dead = bool(head.words & _DEATH_WORDS) or head.lemma in P.DEATH_VERBS
        expecting = bool(head.words & {"expecting", "due", "pregnant"})
        # "I adopted my dog Rex in 2020" dates having Rex; "my sister Lena visited last week" does not
        # date having a sister (the relation is known since the message)
        begins = head.lemma in _BEGINNING and not head.negated
        for t in tokens:
            if t.i not in self.mine:
                continue
            names = self.named.get(t.i) or [self.people[t.i]]
            role = P.role_word(t)
            if role is not None:
                rel, _ = ROLES[role]
                if role == "baby" and expecting:
                    continue
                if dead and role in _SPOUSES:
                    self.end(self.speaker, rel, None, index)
                    continue
                for name in names:
                    if self.entities.get(normalise_name(name), Entity(name, "person")).type == "pet":
                        continue  # "Peanut, my bearded dragon, is basically my roommate"
                    self.relate(
                        self.speaker, rel, name, index, role if rel == "RELATED_TO" else None, dated=begins
                    )
            elif P.pet_word(t):
                for name in names:
                    if dead:
                        self.end(self.speaker, "HAS_PET", name, index)
                    else:
                        self.relate(self.speaker, "HAS_PET", name, index, dated=begins)

    def _having(self, p: Pred) -> None:  # noqa: PLR0912 - one short rule per way of saying it
        """ "I have a sister", "we adopted a puppy (her name is Luna)", "I own a Honda Civic", "sold the
        Civic", "a single mom of three"."""
        if p.lemma == "sell" and not p.negated:
            for obj in P.objects(p.verb):
                if obj.lower_ not in _NOT_A_TARGET:
                    self.end(p.source, "OWNS", self.entity(P.phrase(obj), "product"), p.index, similar=True)
            return
        if p.lemma == "be" and not p.negated:
            for attr in (c for c in p.verb.children if c.dep_ == "attr"):
                role = P.role_word(attr)
                if (
                    role
                    and ROLES[role][0] == "CHILD_OF"
                    and any(o.pos_ == "NUM" or o.like_num for _, o in P.preps(attr))
                ):
                    self.relate(
                        p.source, "PARENT_OF", self.entity(f"{self.speaker}'s kids", "person"), p.index
                    )
        if p.lemma not in {"have", "adopt", "get", "rescue", "bring", "own", "buy", "foster", "got"}:
            return
        if p.negated or p.plan or p.ending:
            return
        for obj in P.objects(p.verb):
            if P.has_first_possessive(obj) or obj.i in self.mine:
                continue
            role = P.role_word(obj)
            if P.pet_word(obj):
                for name in self._pet_names(obj):
                    self.relate(p.source, "HAS_PET", name, p.index)
            elif (
                role is not None
                and obj.lemma_.lower() != "baby"
                and p.source == self.speaker
                and p.verb.tag_ != "VBG"
            ):
                rel = ROLES[role][0]
                for name in self._role_names(obj, obj.lower_):
                    self.relate(p.source, rel, name, p.index, role if rel == "RELATED_TO" else None)
            elif p.lemma in {"own", "buy", "get", "have", "got"} and (
                obj.ent_type_ == "PRODUCT"
                or (obj.pos_ == "PROPN" and obj.ent_type_ not in ("PERSON", "GPE", "LOC", "DATE", "NORP"))
                or obj.lower_ in _BRANDS
                or (obj.lower_ in P.PRODUCT_NOUNS and p.lemma in {"own", "have", "get"})
            ):
                name = P.phrase(obj)
                self.relate(
                    p.source,
                    "OWNS",
                    self.entity(P.title(name) if obj.lower_ in _BRANDS else name, "product"),
                    p.index,
                )

    def _places(self, p: Pred) -> None:  # noqa: PLR0912 - one short rule per way of saying it
        """Where someone lives and where they come from."""
        verb, lemma = p.verb, p.lemma
        preps = P.preps(verb)
        if lemma in P.LIVE_VERBS and not p.plan:
            for prep, obj in preps:
                place = P.place_of(obj, slot=True)
                if prep in ("in", "to", "into") and place is not None:
                    name = self._place(place)
                    if p.negated or p.ending or "used" in p.words:
                        if not (p.words & {"used"}):
                            self.end(p.source, "LIVES_IN", name, p.index)
                    else:
                        self.relate(p.source, "LIVES_IN", name, p.index)
                    if any(c.lower_ == "home" for c in verb.children) and "back" in p.words:
                        self.relate(p.source, "FROM", name, p.index)  # "moving back home to Chicago"
                elif prep in ("from", "out") and place is not None and lemma == "move":
                    self.end(p.source, "LIVES_IN", self._place(place), p.index)
        if lemma == "call" and any(c.lower_ == "home" for c in verb.children) and not p.negated:
            for obj in (c for c in verb.children if c.dep_ in ("dobj", "nsubj")):
                if P.place_like(obj):
                    self.relate(p.source, "LIVES_IN", self._place(obj), p.index)
        if lemma == "be" and not p.negated:
            for prep, obj in preps:
                place = P.place_of(obj, slot=prep == "from")
                if place is None:
                    continue
                if prep == "from":
                    self.relate(p.source, "FROM", self._place(place), p.index)
                    self._wider_places(place, p.source, "FROM", p.index)
                if prep == "in" and any(c.lower_ in ("based", "living") for c in verb.children):
                    self.relate(p.source, "LIVES_IN", self._place(place), p.index)
            for c in verb.children:
                if c.dep_ == "acomp" and c.lower_ == "based":
                    for prep, obj in P.preps(c):
                        place = P.place_of(obj)
                        if prep == "in" and place is not None:
                            self.relate(p.source, "LIVES_IN", self._place(place), p.index)
        if lemma in {"grow", "bear", "raise"} and not p.negated:
            for prep, obj in preps:
                # "grew up in Sapporo": only a place is grown up in, whatever NER says (a brand here)
                place = P.place_of(obj, slot=True) or (
                    obj if obj.pos_ == "PROPN" and obj.ent_type_ == "ORG" and prep == "in" else None
                )
                if prep in ("in", "up") and place is not None:
                    self.relate(p.source, "FROM", self._place(place), p.index)
                    self._wider_places(place, p.source, "FROM", p.index)

    def _wider_places(self, place: Token, source: str, type_: str, index: int) -> None:
        """ "from Dublin, Ireland": the region named in apposition holds too."""
        for c in place.children:
            if c.dep_ == "appos" and P.place_like(c):
                self.relate(source, type_, self._place(c), index)

    def _work(self, p: Pred) -> None:  # noqa: PLR0912 - one short rule per way of saying it
        """Workplaces and schools: joining, working, studying, quitting, graduating."""
        verb, lemma = p.verb, p.lemma
        laid_off = lemma in {"lay", "fire", "let"} and bool(p.words & {"off", "fired", "go"})
        work_context = (
            lemma in P.WORK_VERBS | {"join", "start", "begin", "land", "accept", "intern", "run"}
            or (lemma == "get" and bool(p.words & {"promoted", "hired", "job"}))
            or bool(p.words & P.WORK_NOUNS)
            or bool(p.words & P.STUDY_NOUNS)
            or (lemma == "be" and any(c.dep_ == "attr" for c in verb.children))
            or laid_off
        )
        study_context = lemma in {"study", "attend", "enroll", "transfer", "graduate"} or bool(
            {w.rstrip("s") for w in p.words} & P.STUDY_NOUNS
        )
        for prep, obj in P.all_preps(verb):
            target = P.called(obj)
            if prep not in ("at", "for", "with", "by", "from", "in") or not work_context:
                continue
            if not (
                P.org_like(target) or (prep == "at" and target.pos_ == "PROPN" and target.ent_type_ == "GPE")
            ):
                continue
            if prep == "in" and not (study_context and lemma in {"study", "enroll"}):
                continue
            if prep == "from" and not laid_off:
                continue
            if target.ent_type_ in ("PERSON",) or target.i in self.people:
                continue  # "a nurse at X and my golden retriever Biscuit": a pet is no workplace
            name = P.phrase(target)
            hinted = any(h in name.lower() for h in P.STUDY_HINTS)
            studying = lemma not in P.WORK_VERBS and (study_context or hinted)
            rel = "STUDIES_AT" if studying else "WORKS_AT"
            ent = self._org(target)
            if p.negated or p.ending or lemma in P.QUIT_VERBS or laid_off:
                self.end(p.source, rel, ent, p.index)
            elif not p.plan:
                self.relate(p.source, rel, ent, p.index, alongside=bool(p.words & _SIDE_JOB))
        if laid_off and not any(pr == "from" for pr, _ in P.preps(verb)):
            self.end(p.source, "WORKS_AT", None, p.index)
        if (
            lemma in {"join", "start", "run", "own", "open", "found", "launch"}
            and not p.negated
            and not p.plan
        ):
            for obj in P.objects(verb):
                target = P.called(obj)
                name = P.phrase(target)
                if target is obj and lemma in {"run", "own", "open", "found", "launch"}:
                    continue  # "I own a Honda Civic": a business only when it is named ("called X")
                if any(h in name.lower() for h in P.GROUP_HINTS) or any(
                    h in P.phrase(obj).lower() for h in P.GROUP_HINTS
                ):
                    self.relate(p.source, "MEMBER_OF", self._org(target), p.index)
                elif (
                    (obj.head.i == verb.i or obj.dep_ == "conj")
                    and (target.i != obj.i or target.ent_type_ not in _NOT_WORKPLACES)
                    and (target.ent_type_ == "ORG" or target.pos_ == "PROPN")
                ):  # not "started learning Japanese"
                    self.relate(p.source, "WORKS_AT", self._org(target), p.index)
        if lemma == "attend" and not p.plan:
            for obj in P.objects(verb):
                if any(h in P.phrase(obj).lower() for h in P.STUDY_HINTS):
                    self.relate(p.source, "STUDIES_AT", self._org(obj), p.index)
        if lemma == "transfer" and not p.plan and not p.negated:
            for prep, obj in P.preps(verb):
                if prep == "to" and P.org_like(obj) and study_context:
                    self.relate(p.source, "STUDIES_AT", self._org(obj), p.index)
        if lemma == "graduate" and not p.plan and not p.negated:
            target = next((o for pr, o in P.preps(verb) if pr == "from" and P.org_like(o)), None)
            self.end(p.source, "STUDIES_AT", self._org(target) if target is not None else None, p.index)
        if lemma in P.QUIT_VERBS:
            for obj in P.objects(verb):
                if obj.lemma_.lower() in P.WORK_NOUNS and not any(
                    pr in ("at", "for") for pr, _ in P.all_preps(verb)
                ):
                    self.end(p.source, "WORKS_AT", None, p.index)
                elif P.org_like(obj):
                    self.end(p.source, "WORKS_AT", self._org(obj), p.index)

    def _partners(self, p: Pred) -> None:
        """Marriage, engagement, dating, break-ups, divorce, and the death of a partner or pet."""
        verb, lemma, words = p.verb, p.lemma, p.words
        subj = P.subject(verb)
        together = [
            c
            for c in ([subj, *P.conjuncts(subj)] if subj is not None else [])
            if c.lower_ not in P.FIRST_PERSON
        ]
        with_me = subj is not None and any(c.lower_ in P.FIRST_PERSON for c in [subj, *P.conjuncts(subj)])
        if (
            (
                lemma in {"marry", "wed", "married", "engage", "engaged"}
                or verb.lower_ in ("married", "engaged")
                or any(c.lower_ in ("married", "engaged") for c in verb.children)
            )
            and not p.negated
            and not p.plan
        ):
            rel = "PARTNER_OF" if "engaged" in words or lemma == "engage" else "MARRIED_TO"
            partners = [o for o in P.objects(verb) if o.pos_ == "PROPN"]
            for holder in [verb, *(c for c in verb.children if c.lower_ in ("married", "engaged"))]:
                partners += [o for pr, o in P.preps(holder) if pr == "to" and o.pos_ == "PROPN"]
            if with_me:
                partners += [c for c in together if c.pos_ == "PROPN"]
            for o in partners:
                self.relate(p.source, rel, self.entity(P.name_text(o), "person"), p.index)
        if lemma in {"date", "see"} and verb.tag_ == "VBG" and not p.negated:
            for obj in P.objects(verb):
                names = (
                    [obj]
                    if obj.pos_ == "PROPN"
                    else P.later_name(obj)
                    if obj.lower_ in ("someone", "somebody", "a guy", "a girl", "guy", "girl")
                    else []
                )
                for n in names:
                    self.relate(p.source, "PARTNER_OF", self.entity(P.name_text(n), "person"), p.index)
        if lemma == "break" and "up" in words:
            target = next(
                (P.name_text(o) for pr, o in P.all_preps(verb) if pr == "with" and o.pos_ == "PROPN"), None
            )
            if target is None and with_me:
                target = next((P.name_text(c) for c in together if c.pos_ == "PROPN"), None)
            self.end(p.source, "PARTNER_OF", target and self.entity(target, "person"), p.index)
        if lemma == "divorce" or "divorced" in words or "divorce" in words:
            self.end(p.source, "MARRIED_TO", None, p.index)
        dies = lemma in {"die", "pass"} and (lemma == "die" or "away" in words)
        if dies and subj is not None and (subj.pos_ == "PROPN" or subj.i in self.people):
            name = self.people.get(subj.i) or self.entity(P.name_text(subj), "person")
            for rel in ("MARRIED_TO", "PARTNER_OF", "HAS_PET"):
                self.end(self.speaker, rel, name, p.index)

    def _preferences(self, p: Pred) -> None:  # noqa: PLR0912 - one short rule per way of saying it
        """Likes and dislikes: verbs, "fan of", "into", "X is my favorite / life", "a wine person"."""
        verb, lemma, words = p.verb, p.lemma, p.words
        if p.plan or (P.is_would(verb) and lemma in P.LIKE_VERBS):
            if "rather" in words and not p.plan:
                pass
            else:
                return
        like = lemma in P.LIKE_VERBS
        cant_stand = lemma in {"stand", "bear"} and p.negated
        dislike = (lemma in P.DISLIKE_VERBS and not p.negated) or cant_stand or (like and p.negated)
        targets = P.preference_targets(verb)
        if like or dislike:
            if not targets:
                targets = [
                    a for a in (P.antecedent(c) for c in verb.children if c.dep_ == "dobj") if a is not None
                ]
            if not targets and verb.dep_ == "relcl":
                targets = [P.called(verb.head)]  # "that Italian place we love, Lupa"
            for obj in targets:
                if obj.lower_ in _NOT_A_TARGET or obj.ent_type_ in ("PERSON",) or obj.i in self.people:
                    continue
                ent = self._thing(obj)
                if dislike:
                    self.relate(p.source, "DISLIKES", ent, p.index)
                    self.end(p.source, "LIKES", ent, p.index, similar=True)
                elif not p.negated and not p.ending:
                    self.relate(p.source, "LIKES", ent, p.index)
        if (
            any(c.lower_ == "rather" for c in verb.children)
            and lemma not in P.LIKE_VERBS | {"be"}
            and verb.pos_ == "VERB"
            and not p.negated
        ):
            self.relate(p.source, "LIKES", self.entity(P.gerund(lemma), "concept"), p.index)
        if lemma in {"be", "get", "have"}:
            self._copular_preferences(p)
        if lemma in {"beat"} and any(c.lower_ == "nothing" for c in verb.children):
            for obj in P.objects(verb):
                self.relate(p.source, "LIKES", self._thing(obj), p.index)
        no_longer = "longer" in words and any(
            t.lower_ == "no" and t.head.lower_ == "longer" for t in p.tokens
        )
        if (
            ((p.negated or no_longer) and p.ending)
            or lemma in {"stop", "quit"}
            or (lemma == "give" and "up" in words)
        ):
            objects = targets or P.objects(verb)
            for obj in objects:
                if obj.lower_ in _NOT_A_TARGET:
                    continue
                ent = self.entity(P.concept(obj), "concept")
                self.end(p.source, "LIKES", ent, p.index, similar=True)
                self.end(p.source, "PLAYS", ent, p.index, similar=True)
            if (
                not objects
                and verb.pos_ == "VERB"
                and lemma not in _NOT_ACTIVITIES
                and not any(c.dep_ in ("prep", "xcomp", "ccomp", "dobj") for c in verb.children)
            ):
                # "I don't hike anymore", "I no longer hike": the activity itself ("hiking") is over
                ent = self.entity(P.gerund(lemma), "concept")
                self.end(p.source, "LIKES", ent, p.index, similar=True)
                self.end(p.source, "PLAYS", ent, p.index, similar=True)

    def _copular_preferences(self, p: Pred) -> None:  # noqa: PLR0912 - one short rule per way of saying it
        verb, words = p.verb, p.words
        subj = P.subject(verb)
        for c in verb.children:
            # "jazz is my favourite genre", "Coffee is life", "dance has been my whole life"
            if (
                c.dep_ in ("attr", "acomp")
                and c.lemma_.lower() in P.LOVE_ATTRS
                and (P.has_first_possessive(c) or c.lower_ == "life" or c.lower_ in ("favorite", "favourite"))
                and subj is not None
                and subj.lower_ not in P.FIRST_PERSON | _NOT_A_TARGET
                and subj.pos_ in ("NOUN", "PROPN")
                and not p.negated
            ):
                self.relate(
                    p.source if p.source != self._who_name(subj) else self.speaker,
                    "LIKES",
                    self._thing(subj),
                    p.index,
                )
            # "my favorite band is Radiohead"
            if (
                c.dep_ in ("attr", "nsubj", "acomp")
                and ("favorite" in words or "favourite" in words)
                and not any(w.lower_ in ("favorite", "favourite") for w in c.subtree)
                and c.lower_ not in P.FIRST_PERSON | _NOT_A_TARGET
                and (c.pos_ in ("NOUN", "PROPN") or c.ent_type_)
                and not p.negated
                and p.verb.lemma_ == "be"
            ):
                self.relate(self.speaker, "LIKES", self._thing(c), p.index)
            # "I'm a big fan of X" / "not a fan of X"
            if c.dep_ == "attr" and c.lower_ == "fan":
                for prep, obj in P.preps(c):
                    if prep == "of":
                        self.relate(p.source, "DISLIKES" if p.negated else "LIKES", self._thing(obj), p.index)
            # "I'm into running", "I've gotten really into running"
            if c.dep_ in ("acomp", "prep") and c.lower_ == "into" and not p.negated:
                for obj in (x for x in c.children if x.dep_ in ("pobj", "pcomp")):
                    self.relate(p.source, "LIKES", self._thing(obj), p.index)
            # "I'm so over Valorant"
            if c.dep_ in ("prep", "acomp") and c.lower_ == "over" and p.verb.lemma_ == "be":
                for obj in (x for x in c.children if x.dep_ == "pobj"):
                    self.end(p.source, "LIKES", self._thing(obj), p.index)
            # "obsessed with horses", "hooked on sudoku"
            if c.dep_ in ("acomp", "attr") and c.lower_ in ("obsessed", "hooked", "addicted", "passionate"):
                for prep, obj in P.preps(c):
                    if prep in ("with", "on", "to", "about") and not p.negated:
                        self.relate(p.source, "LIKES", self._thing(obj), p.index)
            # "more of a wine person", "a dog person"
            if c.lower_ == "person" and c.dep_ in ("attr", "pobj", "npadvmod", "ROOT"):
                for m in c.children:
                    if m.dep_ in ("compound", "nmod") and m.pos_ == "NOUN":
                        self.relate(p.source, "DISLIKES" if p.negated else "LIKES", self._thing(m), p.index)
        # "Counter-Strike is way better"
        if (
            p.verb.lemma_ == "be"
            and subj is not None
            and subj.pos_ in ("PROPN", "NOUN")
            and subj.lower_ not in _NOT_A_TARGET
            and subj.ent_type_ not in ("PERSON",)
            and subj.i not in self.people
            and any(
                c.lower_ in ("better", "best") and c.dep_ in ("acomp", "advmod", "attr")
                for c in verb.children
            )
            and not p.negated
        ):
            self.relate(self.speaker, "LIKES", self._thing(subj), p.index)

    def _who_name(self, tok: Token) -> str | None:
        return self.people.get(tok.i)

    def _visits(self, p: Pred) -> None:  # noqa: PLR0912 - one short rule per way of saying it
        """Places the speaker has been: went to, got back from, been to, a trip to, Paris was amazing."""
        verb, lemma, words = p.verb, p.lemma, p.words
        again = "again" in words and lemma in {"go", "visit", "come"}
        if again and (p.negated or p.plan):
            for prep, obj in P.preps(verb):  # "never going to vegas again"
                place = P.place_of(obj) or (
                    obj if prep == "to" and obj.pos_ in ("PROPN", "NOUN") and not obj.children else None
                )
                if prep == "to" and place is not None:
                    self.relate(p.source, "VISITED", self._place(place), p.index)
            return
        if p.plan or p.negated:
            return
        past = p.past
        preps = P.preps(verb)
        places: list[Token] = []
        slotted: set[int] = set()  # places in a slot only a place fills ("went to X"), whatever NER says
        if past and lemma in P.VISIT_VERBS | {"spend"}:
            for prep, obj in preps:
                if prep in ("to", "in", "around", "through") and (lemma != "be" or prep == "to"):
                    places.append(obj)
                    if prep == "to":
                        slotted.add(obj.i)
                    places += [o for pr, o in P.preps(obj) if pr in ("in", "at")]
                if lemma == "spend" and prep in ("in", "at"):
                    places.append(obj)
            if lemma == "visit":
                for obj in P.objects(verb):
                    places.append(obj)
                    places += [o for pr, o in P.preps(obj) if pr == "in"]
        # "we just got back from Rome", "got home from Tokyo", "back from camping at Lake Tahoe"
        if lemma in P.RETURN_VERBS and (words & {"back", "home"}) and not p.plan:
            back = [c for c in verb.children if c.lower_ in ("back", "home")]
            for prep, obj in P.all_preps(verb) + [x for c in back for x in P.preps(c)]:
                if prep == "from":
                    places.append(obj)
                    places += [o for pr, o in P.preps(obj) if pr in ("in", "at", "to")]
        # "celebrated our anniversary in Mexico City", "saw whales in Alaska"
        if past and lemma not in P.LIVE_VERBS | P.WORK_VERBS | {
            "grow",
            "bear",
            "raise",
            "be",
            "study",
            "meet",
        }:
            for prep, obj in preps:
                if prep == "in" and obj.ent_type_ in ("GPE", "LOC"):
                    places.append(obj)
        # "did a road trip through utah", "took a cruise to Alaska"
        if past and lemma not in {"book", "plan", "cancel", "want"}:
            for obj in P.objects(verb):
                if obj.lemma_.lower() in P.TRIP_NOUNS or any(c.lower_ in P.TRIP_NOUNS for c in obj.children):
                    for pr, o in P.preps(obj) + preps:
                        if pr in ("to", "through", "in", "around", "across"):
                            places.append(o)
                            slotted.add(o.i)
        # "Paris was amazing" (the speaker has been)
        subj = P.subject(verb)
        if (
            lemma == "be"
            and verb.tag_ == "VBD"
            and subj is not None
            and P.place_like(subj)
            and any(c.dep_ == "acomp" and c.lower_ in P.EVALUATIVE for c in verb.children)
        ):
            places.append(subj)
        # "I'm in Osaka visiting my parents"
        if lemma == "be" and any(
            c.dep_ in ("advcl", "xcomp", "conj") and c.lemma_ == "visit" for c in verb.children
        ):
            places += [o for pr, o in preps if pr == "in"]
        for obj in places:
            place = P.place_of(obj, slot=obj.i in slotted)
            if place is not None:
                self.relate(p.source, "VISITED", self._place(place), p.index)

    def _playing(self, p: Pred) -> None:
        """Instruments, sports and games played: "I play the piano", "picked up the drums"."""
        verb, lemma = p.verb, p.lemma
        if p.negated or p.plan:
            return
        for obj in P.objects(verb):
            thing = P.concept(obj)
            played = lemma == "play" and obj.lower_ not in _NOT_A_TARGET
            learnt = lemma in P.PLAY_VERBS and (obj.lower_ in P.INSTRUMENTS | P.SPORTS or thing in P.SPORTS)
            if played or learnt:
                self.relate(p.source, "PLAYS", self.entity(thing, "concept"), p.index)

    def _nouns(self, tokens: list[Token], source: str, index: int, head: Pred) -> None:  # noqa: PLR0912
        """Patterns anchored on a noun: "my boss at Deloitte", "a PhD student at Stanford", "member of X",
        "a shellfish allergy", "a big Arsenal fan", "my 2015 Subaru Outback", "our band Paper Lanterns"."""
        plan, negated = head.plan, head.negated
        for t in tokens:
            low, lem = t.lower_, t.lemma_.lower()
            if (
                lem in P.WORK_NOUNS | P.STUDY_NOUNS
                or low in P.STUDY_NOUNS
                or low.rstrip("s") in P.STUDY_NOUNS
            ):
                if plan or negated or head.ending or head.lemma in P.QUIT_VERBS:
                    continue
                study = lem in P.STUDY_NOUNS or low.rstrip("s") in P.STUDY_NOUNS or low in P.STUDY_NOUNS
                for prep, obj in P.preps(t):
                    target = P.called(obj)
                    if (
                        prep in ("at", "for")
                        and P.org_like(target)
                        and target.ent_type_ != "PERSON"
                        and target.i not in self.people
                    ):
                        hinted = any(h in P.phrase(target).lower() for h in P.STUDY_HINTS)
                        rel = "STUDIES_AT" if study or (hinted and lem not in P.WORK_NOUNS) else "WORKS_AT"
                        who = self.speaker if P.has_first_possessive(t) or t.i in self.mine else source
                        self.relate(who, rel, self._org(target), index)
                if lem in ("office", "headquarters", "hq", "store", "branch", "campus"):
                    for c in t.children:
                        if (
                            c.dep_ == "compound"
                            and P.org_like(c)
                            and (head.words & {"commute", "work", "my"})
                        ):
                            self.relate(source, "WORKS_AT", self._org(c), index)
            if low == "member" or (low == "part" and head.lemma == "be"):
                for prep, obj in P.preps(t):
                    if prep == "of" and (
                        P.org_like(obj) or any(h in P.phrase(obj).lower() for h in P.GROUP_HINTS)
                    ):
                        self.relate(source, "MEMBER_OF", self._org(obj), index)
            if any(h == low for h in P.GROUP_HINTS) and (P.has_first_possessive(t) or t.i in self.mine):
                for n in P.name_tokens(t):
                    self.relate(source, "MEMBER_OF", self.entity(P.name_text(n), "organization"), index)
            if lem == "allergy":
                for prep, obj in P.preps(t):
                    if prep == "to":
                        self.relate(source, "ALLERGIC_TO", self.entity(P.concept(obj), "concept"), index)
                for c in t.children:
                    if c.dep_ in ("compound", "amod") and c.pos_ in ("NOUN", "PROPN"):
                        owner = self.people.get(t.head.i) if t.dep_ == "dobj" else None
                        subj = P.subject(t.head) if t.dep_ == "dobj" else None
                        who = self.people.get(subj.i, source) if subj is not None else (owner or source)
                        self.relate(who, "ALLERGIC_TO", self.entity(c.lower_, "concept"), index)
            if low == "fan" and not any(pr == "of" for pr, _ in P.preps(t)):
                names = [c for c in t.children if c.dep_ == "compound" and c.pos_ == "PROPN"]
                if names and not plan:
                    name = self.entity(
                        P.phrase(names[-1]).replace("Big ", ""), P.entity_type(names[-1], "organization")
                    )
                    self.relate(source, "DISLIKES" if negated else "LIKES", name, index)
            if low == "fan" and t.dep_ not in ("attr",) and not plan:
                neg = negated or any(c.dep_ == "neg" or c.lower_ == "not" for c in t.subtree if c.i < t.i)
                for prep, obj in P.preps(t):
                    if prep == "of":
                        self.relate(source, "DISLIKES" if neg else "LIKES", self._thing(obj), index)
            if (
                P.has_first_possessive(t)
                and t.i not in self.mine
                and t.i not in self.people
                and (
                    (t.pos_ == "PROPN" and t.ent_type_ not in ("PERSON", "GPE", "LOC", "NORP"))
                    or low in _BRANDS
                )
            ):
                name = P.phrase(t)
                self.relate(
                    source, "OWNS", self.entity(P.title(name) if low in _BRANDS else name, "product"), index
                )
            if (
                (low in P.SPORTS or low in P.INSTRUMENTS)
                and t.dep_ == "nsubj"
                and P.mentions_first_person(tokens)
            ):
                self.relate(
                    source, "PLAYS", self.entity(low, "concept"), index
                )  # "Tennis twice a week keeps me sane"
            if low in ("like", "love") and t.tag_ == "IN" and not plan and not negated:
                # "now I kind of like them": the small parser reads "like" as a preposition
                hedge = (
                    t.i >= 2 and t.doc[t.i - 2].lower_ in ("kind", "sort") and t.doc[t.i - 1].lower_ == "of"
                )
                if hedge or any(c.dep_ == "nsubj" and c.lower_ in P.FIRST_PERSON for c in t.children):
                    for obj in (c for c in t.children if c.dep_ == "pobj"):
                        thing = P.antecedent(obj) if obj.lower_ in _NOT_A_TARGET else obj
                        if thing is not None and thing.i not in self.people and thing.ent_type_ != "PERSON":
                            self.relate(source, "LIKES", self._thing(thing), index)
        self._allergies(tokens, source, index, negated)

    def _allergies(self, tokens: list[Token], source: str, index: int, negated: bool) -> None:
        """ "allergic to peanuts, shellfish and cats" (the small parser often mangles the list)."""
        clause_text = " ".join(t.text for t in tokens)
        for m in re.finditer(
            r"\ballergic to ([\w\s,'-]+?)"
            r"(?=\s*(?:[.!?;\u2014\u2013]|$|\bbut\b|\bso\b|\bwhich\b|\bno\b|\bthough\b))",
            clause_text,
            re.I,
        ):
            for raw in re.split(r",|\band\b|\bor\b", m.group(1)):
                item = re.sub(r"^\s*(the|a|an|all|any|some)\s+", "", raw.strip(), flags=re.I).lower()
                item = re.sub(r"\s+(too|also|as well|though|apparently|now)$", "", item)
                if item and not negated and item not in ("it", "them", "that", "anything", "something"):
                    self.relate(source, "ALLERGIC_TO", self.entity(item, "concept"), index)
