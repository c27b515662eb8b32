"""Which clauses of a chat message make a memory, and what their pronouns stand for. Pure.

Chat is mostly talk to the other person: greetings, thanks, compliments, advice, questions,
feelings of the moment, "here's a pic". None of that is a fact about the speaker's life, and a
clause that leans on what was said before ("It was so powerful", "They loved it") means nothing
once it is stored alone. So a clause makes a memory only when, read on its own, it is a claim about
the speaker or someone or something of theirs:

- nothing aimed at the other person: no "you"/"your", no imperative ("Check it out!", "Take
  care"), no thanks, agreement, wishes or offers ("I appreciate it", "I'd be glad to help");
- no pronoun or pointer without an antecedent: "he/she/they/it" resolve to a person, pet or thing
  named earlier in the same message ("my sister Anna ... she" -> Anna) or the clause goes;
  "this/that/these/those", "here/there" and "the pic" always point outside the text;
- no feeling of the moment ("I'm so excited", "it made me feel connected"), no evaluation of a
  thing ("Learning an instrument is really cool"), no conditional ("If I keep pushing ..."), no
  fragment ("I haven't decided yet").

`trim` takes greetings, interjections and the other person's name off a clause's edges ("Hi! I live
in Austin" keeps "I live in Austin").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lemminflect import getLemma  # type: ignore[import-untyped]

from app.memory.extract import parse as P
from app.memory.extract.parse import Token
from app.memory.extract.vocabulary import ROLES

SECOND_PERSON = frozenset(
    {"you", "your", "yours", "yourself", "yourselves", "ya", "y'all", "u", "ur", "thee"}
)
DEMONSTRATIVES = frozenset({"this", "that", "these", "those"})
PERSONAL = P.PERSONAL
PLURAL = frozenset({"they", "them", "their", "theirs", "themselves"})
THING = frozenset({"it", "its", "itself"})
FIRST_PLURAL = frozenset({"we", "us", "our", "ours", "ourselves"})
# Nouns a demonstrative may point at inside the message's own time ("this weekend", "that year").
TIME_NOUNS = frozenset(
    {
        "day", "days", "week", "weeks", "weekend", "weekends", "month", "months", "year", "years",
        "morning", "afternoon", "evening", "night", "summer", "winter", "spring", "fall", "autumn",
        "semester", "season", "time", "past", "decade", "term", "quarter", "point",
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
        "february", "march", "april", "may", "june", "july", "august", "september", "october",
        "november", "december", "christmas", "halloween", "thanksgiving",
    }
)  # fmt: skip
PHOTO_NOUNS = frozenset(
    {
        "pic", "pics", "photo", "photos", "picture", "pictures", "shot", "shots", "snap", "snapshot",
        "image", "images", "selfie", "video", "clip", "photograph", "screenshot",
    }
)  # fmt: skip
# States of the moment, not lasting traits: "I'm so excited", "we were so psyched".
MOMENT = frozenset(
    {
        "happy", "glad", "excited", "thrilled", "stoked", "pumped", "psyched", "proud", "grateful",
        "thankful", "lucky", "blessed", "sorry", "sad", "upset", "nervous", "anxious", "worried",
        "relieved", "tired", "exhausted", "busy", "swamped", "positive", "motivated", "inspired",
        "determined", "ready", "sure", "certain", "curious", "amazed", "impressed", "touched",
        "moved", "honored", "honoured", "humbled", "overwhelmed", "surprised", "shocked", "bummed",
        "disappointed", "frustrated", "stressed", "calm", "relaxed", "confident", "hopeful", "eager",
        "good", "great", "fine", "ok", "okay", "well", "awesome", "amazing", "fun", "cool", "nice",
        "welcome", "alive", "better", "strong", "safe", "jealous", "heartbroken", "devastated",
        "bored", "annoyed", "angry", "mad", "furious", "scared", "crushed", "gutted",
        "ecstatic", "speechless", "sore", "starving", "done", "content", "fulfilled",
        "appreciative", "connected",
        "energized", "refreshed", "rewarding", "incredible", "wonderful", "special",
        "interested", "keen", "hooked", "invested", "satisfied", "emotional", "grounded",
        "peaceful", "encouraged", "empowered", "uplifted", "optimistic", "comfortable", "focused",
        "humbling", "fulfilling", "hard", "tough", "crazy", "wild", "hectic", "intense", "chill",
        "blown", "floored", "elated", "overjoyed", "pleased", "delighted",
        "nostalgic", "homesick", "lonely", "afraid", "terrified", "unsure", "hyped",
        "mesmerized", "captivated", "fascinated", "enchanted", "rough", "stuck", "lost",
        "alone", "creative", "alright", "quiet", "right", "wrong", "MIA", "late",
        "frustrating", "exciting", "annoying", "scary", "stressful", "overwhelming", "nerve-wracking",
        "inspiring", "motivating", "heartwarming", "touching", "refreshing",
    }
)  # fmt: skip
# ...unless about something: "passionate about veterans' rights", "scared of heights".
LASTING_WITH_OBJECT = frozenset(
    {"afraid", "scared", "terrified", "interested", "passionate", "obsessed", "fond", "allergic", "crazy"}
)
REACTIONS = frozenset(
    {
        "scream",
        "cry",
        "laugh",
        "smile",
        "squeal",
        "sob",
        "freak",
        "gasp",
        "panic",
        "melt",
        "tear",
        "shout",
        "giggle",
    }
)
# Verbs of a feeling or an effect on the speaker: "it made me feel", "I felt so welcome".
FEELING_VERBS = frozenset({"feel", "seem", "sound", "look"})
EVALUATING = FEELING_VERBS | {"be"}  # "it was amazing", "that sounds great"
# Verbs that, with the speaker as subject, are talk to the other person, not facts.
FILLER_VERBS = frozenset(
    {
        "agree", "appreciate", "thank", "bet", "congratulate", "admire", "recommend", "suggest",
        "welcome", "apologize", "apologise", "mean", "promise", "encourage", "cheer", "envy",
        "understand", "hear", "bless", "wish", "guess", "suppose", "imagine", "relate", "owe",
        "count", "root", "support", "miss", "figure", "wonder", "remember", "forget", "notice",
        "realize", "realise", "believe", "reckon", "doubt", "assume",
    }
)  # fmt: skip
# "I'd love to see it", "can't wait to hear": wanting the other person's news.
NEWS_VERBS = frozenset(
    {"see", "hear", "read", "check", "know", "learn", "watch", "meet", "catch", "chat", "talk"}
)
# "I haven't decided yet": a verb that says nothing without its complement.
EMPTY_VERBS = frozenset(
    {
        "decide", "do", "go", "happen", "try", "know", "see", "think", "work", "help", "come", "get",
        "snap", "capture", "shoot", "post", "send", "bring", "say", "check", "visit",
        "keep", "wait", "tell", "make", "manage", "mean", "continue", "find", "win",
        "lose", "stop", "start", "begin", "finish", "change", "grow", "bond", "connect", "pay", "own",
        "have", "love", "like", "want", "need", "take", "buy", "use", "enjoy", "give", "put",
        "hold", "feel", "watch", "read", "hate", "miss", "appreciate", "share", "show", "create",
    }
)  # fmt: skip
COMPLEMENTS = frozenset(
    {"dobj", "attr", "acomp", "oprd", "prep", "xcomp", "ccomp", "dative", "agent", "npadvmod", "advcl"}
)
# Leading words that are not part of the claim ("Hi!", "Wow,", "Sure Sam,", "Well,").
OPENERS = frozenset(
    {
        "hi", "hey", "hello", "yo", "hiya", "wow", "woah", "whoa", "oh", "ah", "aw", "aww", "ooh",
        "yay", "yeah", "yes", "yep", "yup", "no", "nope", "nah", "sure", "ok", "okay", "well", "so",
        "honestly", "actually", "anyway", "anyways", "also", "and", "but", "plus", "um", "uh", "hmm",
        "lol", "haha", "omg", "nice", "cool", "great", "awesome", "thanks", "thank", "cheers",
        "congrats", "congratulations", "totally", "absolutely", "definitely", "indeed", "right",
        "true", "alright", "amazing", "sweet", "gosh", "man", "dude", "btw", "anyhow",
        "oops", "geez", "jeez", "phew", "whew", "hah", "ha", "hehe", "yikes", "ugh", "damn", "exactly",
        "agreed", "sounds", "good", "glad", "same", "hmmm", "oh-", "then", "now", "yess",
    }
)  # fmt: skip
GREETINGS = frozenset(
    {
        "hi", "hey", "hello", "yo", "hiya", "thanks", "thank", "sure", "congrats", "wow", "woah",
        "whoa", "yeah", "yes", "yep", "ok", "okay", "oh", "nice", "cool", "great", "awesome", "cheers",
        "sorry", "morning", "evening", "dear", "bye", "night", "haha", "lol", "aw", "aww", "true",
    }
)  # fmt: skip
FEMALE = frozenset(
    {
        "sister", "sis", "mom", "mum", "mother", "mommy", "daughter", "wife", "girlfriend", "fiancee",
        "fiancée", "grandma", "grandmother", "aunt", "niece", "stepmom", "stepmother", "stepdaughter",
        "stepsister", "girl", "lady", "woman", "gf",
    }
)  # fmt: skip
MALE = frozenset(
    {
        "brother", "bro", "dad", "father", "daddy", "son", "husband", "hubby", "boyfriend", "fiance",
        "fiancé", "grandpa", "grandfather", "uncle", "nephew", "stepdad", "stepfather", "stepson",
        "stepbrother", "boy", "guy", "man", "bf",
    }
)  # fmt: skip


def is_vocative(tok: Token) -> bool:
    """The other person's name said to them: "Thanks, John!", "Hi Maria, I ...", "... , Mel."."""
    if tok.pos_ != "PROPN" or tok.dep_ in ("poss", "compound", "pobj", "dobj"):
        return False
    if tok.ent_type_ not in ("PERSON", "", "NORP", "ORG"):
        return False  # "this Friday", "Loved Lisbon,"
    if any(c.dep_ == "appos" for c in tok.children):
        return False  # "Anna, my sister, lives in Berlin"
    doc = tok.doc
    before = doc[tok.i - 1] if tok.i > 0 else None
    after = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    start = (
        before is None
        or tok.is_sent_start
        or before.text in (",", "!", ".", "?", "...")
        or before.lower_ in GREETINGS
        or before.pos_ == "INTJ"
    )
    end = after is None or after.text in (",", "!", ".", "?", "...")
    if tok.dep_ in ("nsubj", "nsubjpass", "attr"):
        # "Hi Maria, I'm ...": a second subject after the comma makes the name a vocative
        head = tok.head
        return bool(start and end) and any(
            c.dep_ in ("nsubj", "nsubjpass") and c != tok and c.i > tok.i for c in head.children
        )
    return bool(start and end) or (tok.dep_ == "intj" and (start or end))


_ASKED = frozenset({"recommendation", "advice", "tip", "suggestion", "help", "idea", "input"})
# What "our" shares with everyone, not the speaker's own: "our future", "our community".
_EVERYONES = frozenset(
    {"future", "world", "society", "community", "planet", "country", "generation", "action", "life", "impact"}
)
_US = frozenset({"friend", "family", "team", "partner", "buddy", "pal", "twin", "soulmate"})
_GOOD_TIMES = frozenset({"time", "blast", "fun", "day", "feeling", "moment", "night", "weekend", "ball"})
_SPANS = frozenset(
    {"while", "ages", "forever", "bit", "lot", "blast", "journey", "ride", "mess", "whirlwind"}
)
_CHAT_ABOUT_CHAT = frozenset({"talk", "speak", "chat", "catch", "hear", "see"})


def _opening(tok: Token) -> int:
    """Where the words of `tok`'s phrase begin (its punctuation aside)."""
    return int(min((x.i for x in tok.subtree if not x.is_punct), default=tok.i))


def prune(tokens: list[Token], head: Token) -> list[Token]:  # noqa: PLR0912 - one rule per kind of remark
    """The clause without the parts that only comment: a spliced-on remark before it ("Staying fit
    is essential, so I ..."), "..., which is awesome", a trailing "- so excited"."""
    inside = {t.i for t in tokens}
    drop: set[int] = set()
    for c in head.children:
        if c.i not in inside:
            continue
        between = head.doc[min(c.i, head.i) : max(c.i, head.i)]
        if (
            c.dep_ in ("ccomp", "advcl", "parataxis")
            and c.i < head.i
            and any(t.text in (",", ";", "-") for t in between)
            and not any(m.dep_ == "mark" for m in c.children)
        ):
            drop.update(t.i for t in c.subtree)
        if (
            c.dep_ == "advcl"
            and c.i < head.i
            and (P.lemma(c) in _CHAT_ABOUT_CHAT or any(x.lower_ == "last" for x in c.children))
        ):
            drop.update(t.i for t in c.subtree)  # "since we last talked, ..."
    dashes = ("-", "\u2014", "\u2013", ":")
    for n, t in enumerate(tokens):
        rest = tokens[n + 1 :]
        if (
            t.text in dashes
            and t.whitespace_
            and t.i > head.i
            and rest
            and all(x.pos_ in ("ADJ", "ADV", "PUNCT", "DET") for x in rest)
        ):
            drop.update(x.i for x in [t, *rest])  # "a crazy game - crazy intense!"
        elif (
            t.text in dashes
            and t.whitespace_
            and t.i > head.i
            and rest
            and rest[0].lower_ in ("ca", "can", "cannot")
            and any(x.lemma_ == "wait" for x in rest)
        ):
            drop.update(x.i for x in [t, *rest])  # "... with my paintings - can't wait!"
    for c in tokens:
        if (
            c.i > head.i
            and c.tag_ in ("VB", "VBP")
            and c.dep_ in ("conj", "parataxis", "dep", "advcl", "ccomp")
            and not any(x.dep_ in ("nsubj", "aux") for x in c.children)
            and _opening(c) > 0
            and head.doc[_opening(c) - 1].text in (*dashes, ",")
        ):
            drop.update(t.i for t in c.subtree)  # "Dyed my hair last week - come see!"
            drop.add(_opening(c) - 1)
    for c in tokens:
        if (
            c.i <= head.i
            or not _moment(c)
            or c.dep_ not in ("acomp", "advmod", "dep", "parataxis", "npadvmod", "attr", "conj", "amod")
        ):
            continue
        before = list(head.doc[max(0, c.i - 3) : c.i])
        while before and before[-1].pos_ == "ADV":
            before.pop()
        if (
            before and before[-1].text in dashes and before[-1].whitespace_
        ):  # " - so excited", not "gluten-free"
            drop.update(t.i for t in head.doc[before[-1].i : c.i])
            drop.update(t.i for t in c.subtree if t.i > before[-1].i)
    for t in tokens:
        comment = t.dep_ == "relcl" and t.head.pos_ in ("VERB", "AUX", "ADJ")  # "..., which explains a lot"
        evaluation = (
            t.dep_ == "relcl"
            and P.lemma(t) in EVALUATING
            and any(
                c.dep_ in ("acomp", "attr", "oprd") and (_moment(c) or c.dep_ != "attr") for c in t.children
            )
        )
        concession = t.dep_ == "advcl" and any(
            c.dep_ == "mark" and c.lower_ in ("though", "although", "tho") for c in t.children
        )
        # "I finished a piece yesterday that I'm really proud of": a feeling tacked on after
        feeling = (
            t.dep_ in ("ccomp", "advcl", "relcl")
            and t.i > head.i
            and P.lemma(t) in EVALUATING
            and any(c.dep_ in ("acomp", "oprd") and _moment(c) for c in t.children)
        )
        if (comment or evaluation or concession or feeling) and t.head.i < t.i and t.i != head.i:
            part = t
            parent = t.head
            if (
                parent.dep_ == "conj"
                and parent.i != head.i
                and not any(x.dep_ in ("dobj", "prep", "xcomp") for x in parent.children)
            ):
                part = parent  # "hiking to the top and seeing this was awesome": "and seeing" goes too
                drop.update(x.i for x in part.head.children if x.dep_ == "cc" and part.head.i < x.i < part.i)
            drop.update(x.i for x in part.subtree)
            comma = part.doc[min(x.i for x in part.subtree) - 1]
            if comma.text == ",":
                drop.add(comma.i)
        if t.dep_ == "ccomp" and t.head.dep_ != "ROOT" and P.lemma(t) in EVALUATING and t.i > head.i:
            subj = next((c for c in t.children if c.dep_ == "nsubj"), None)
            if subj is not None and subj.lower_ in ("which",):
                drop.update(x.i for x in t.subtree)
    for t in tokens:
        if t.lower_ in _ALSO and t.dep_ in ("advmod", "cc") and t.head.pos_ in ("VERB", "AUX"):
            drop.add(t.i)  # "I made a painting too", "However, I'm also open to ...": as what else?
            after = t.doc[t.i + 1] if t.i + 1 < len(t.doc) else None
            if after is not None and after.text == "," and t.i < head.i:
                drop.add(after.i)
    return [t for t in tokens if t.i not in drop]


# Words that tie the clause to what was said before it and add nothing of their own.
_ALSO = frozenset({"too", "also", "however", "though", "tho", "anyway", "anyways", "either", "even"})


def trim(tokens: list[Token], head: Token) -> list[Token]:
    """The clause without the greetings, interjections and vocatives at its edges."""
    out = list(tokens)
    while (
        out
        and out[0] != head
        and (
            (out[0].is_punct and not (out[0].text == '"' and any(t.text == '"' for t in out[1:])))
            or out[0].pos_ == "INTJ"
            or out[0].dep_ in ("intj", "discourse")
            or is_vocative(out[0])
            or (out[0].lower_ in OPENERS and out[0].dep_ not in ("nsubj", "dobj", "attr", "acomp", "pobj"))
            or out[0].dep_ == "cc"
            # "Inspiring 💪 I emailed ...": a word of reaction glued to the subject
            or (
                out[0].tag_ in ("JJ", "VBG")
                and len(out) > 1
                and (out[0].head.pos_ == "PRON" or (out[1].dep_ == "nsubj" and out[1].pos_ == "PRON"))
            )
        )
    ):
        out.pop(0)
    while (
        out
        and out[-1] != head
        and (
            (out[-1].is_punct and out[-1].text not in ('"', ")", "”", "'"))
            or out[-1].dep_ == "cc"
            or is_vocative(out[-1])
            or out[-1].pos_ == "INTJ"
            or out[-1].dep_ == "intj"
        )
    ):
        out.pop()
    # a vocative inside ("..., Caroline, ...") goes with its commas
    drop = {t.i for t in out if t != head and is_vocative(t)}
    return [t for t in out if t.i not in drop]


# --- referents -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Referent:
    at: int  # token index of the mention
    name: str  # how the memory names it: "Anna", "Maya's sister", "Maya's laptop", "jazz"
    plural: bool
    gender: str | None  # "f", "m" or None (a name: unknown)
    animate: bool


def _gender(tok: Token) -> str | None:
    word = tok.lower_.rstrip("s") if tok.tag_ == "NNS" else tok.lower_
    return "f" if word in FEMALE else "m" if word in MALE else None


class Referents:
    """The people, pets and things a message names, in order, for its pronouns to point back to."""

    def __init__(self, doc: object, speaker: str, people: dict[int, str], roles: dict[int, str]) -> None:
        self.speaker = speaker
        found: list[Referent] = []
        seen_spans: set[int] = set()
        for i, name in sorted(people.items()):
            tok = doc[i]  # type: ignore[index]
            role = roles.get(i)
            role_tok = tok if role is not None else next((h for h in (tok.head,) if h.i in roles), None)
            gender = _gender(role_tok) if role_tok is not None else None
            plural = tok.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in tok.children)
            found.append(Referent(i, name, plural, gender, True))
            seen_spans.add(i)
        for tok in doc:  # type: ignore[attr-defined]
            if tok.i in seen_spans:
                continue
            if tok.ent_type_ == "PERSON" and tok.pos_ == "PROPN" and tok.ent_iob_ in ("B", "I"):
                ent = next((e for e in tok.doc.ents if e.start <= tok.i < e.end), None)
                if ent is None or tok.i != ent.end - 1 or is_vocative(tok) or ent.text == speaker:
                    continue
                if tok.dep_ in ("npadvmod", "intj") or ent.root.dep_ in ("npadvmod", "intj"):
                    continue
                found.append(Referent(tok.i, P.title(ent.text), False, None, True))
        self.found = found

    def person(self, pron: Token) -> str | None:
        """Who "he/she/they/him/her/his/their" is: the one person (or group) of the right number and
        gender named before it in the message, else None."""
        lower = pron.lower_
        plural = lower in PLURAL
        want = "f" if lower in ("she", "her", "hers", "herself") else "m" if lower in PERSONAL else None
        names = {
            r.name
            for r in self.found
            if r.at < pron.i
            and r.animate
            and r.plural == plural
            and (want is None or r.gender in (None, want))
        }
        return next(iter(names)) if len(names) == 1 else None

    def thing(self, pron: Token) -> str | None:
        """What "it/they/them" is: the closest thing named before it, outside its own clause, if it
        can be named alone (the speaker's own "my laptop", a proper noun, a bare "jazz" or "horror
        movies"), and named near enough to be sure (`_near`)."""
        return _near(pron, self._antecedent(pron))

    def _antecedent(self, pron: Token) -> str | None:  # noqa: PLR0911, PLR0912 - one reason per way it fails
        lower = pron.lower_
        plural = lower in PLURAL
        ante = None
        own_verb = _governor(pron)
        above = {a.i for a in pron.ancestors}
        for t in reversed(pron.doc[: pron.i]):
            if t.pos_ not in ("NOUN", "PROPN") or _governor(t) == own_verb:
                continue
            if t.i in above or (t.dep_ == "conj" and t.head.i in above):
                continue  # "the freedom and connection it brings": what the clause describes
            if t.dep_ in ("compound", "amod", "poss", "npadvmod") or t.ent_type_ in (
                "DATE",
                "TIME",
                "CARDINAL",
                "ORDINAL",
                "PERCENT",
                "MONEY",
                "QUANTITY",
            ):
                continue
            ante = t
            break
        previous = pron.doc[pron.sent.start - 1].sent if pron.sent.start > 0 else None
        if pron.dep_ in ("nsubj", "nsubjpass") and previous is not None and pron.i - pron.sent.start <= 1:
            # "My cork board is full of quotes ... It's my little corner": a subject pronoun
            # continues the last sentence's subject
            subject = next((c for c in previous.root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subject is not None and subject.pos_ == "NOUN" and P.role_word(subject) is None:
                ante = subject
        if ante is None:
            return None
        if lower in THING and (
            is_vocative(ante)
            or ante.ent_type_ == "PERSON"
            or (ante.pos_ == "PROPN" and not ante.ent_type_ and ante.dep_ == "attr")  # "That's great Jon!"
        ):
            return None  # "Paris?! That's great Jon! Never had a chance to visit it": not Jon
        if ante.dep_ == "attr" and ante.head.lemma_ == "be":
            subj = next(
                (c for c in ante.head.children if c.dep_ == "nsubj" and c.pos_ in ("NOUN", "PROPN")), None
            )
            ante = subj if subj is not None else ante  # "jazz is my favourite genre ... it": jazz
        known = next((r.name for r in self.found if r.at == ante.i), None)
        if known is not None:
            return known if (ante.tag_ in ("NNS", "NNPS")) == plural else None
        if ante.lower_ in GREETINGS | OPENERS or ante.dep_ == "ROOT":
            return None
        if ante.dep_ not in ("nsubj", "nsubjpass", "dobj", "attr", "appos", "conj") and not (
            ante.dep_ == "pobj" and ante.head.head.pos_ in ("VERB", "AUX", "ADJ") and ante.head.lower_ != "of"
        ):
            return None
        if ante.lemma_.lower() in ROLES or ante.lower_ in (
            "lot",
            "way",
            "thing",
            "bit",
            "kind",
            "stuff",
            "things",
        ):
            return None
        if (ante.tag_ in ("NNS", "NNPS")) != plural:
            return None
        if ante.lower_ in PHOTO_NOUNS | TIME_NOUNS:
            return None
        dets = [c for c in ante.children if c.dep_ in ("det", "poss")]
        if any(d.lower_ in P.FIRST_POSSESSIVE for d in dets):
            phrase = P.concept(ante) if ante.pos_ != "PROPN" else P.phrase(ante)
            return f"{self.speaker}'s {phrase}" if phrase else None
        if any(d.lower_ in ("any", "some", "all", "no", "many") for d in dets) and plural:
            dets = []  # "I don't have any pets, my building doesn't allow them": pets
        if dets and all(d.lower_ in ("a", "an", "the") for d in dets) and ante.pos_ == "PROPN":
            dets = []  # "I got an iPhone 16 and dropped it"
        if dets:
            return None
        if ante.pos_ == "PROPN":
            return P.phrase(ante) or None
        if any(c.dep_ == "prep" for c in ante.children):
            return None  # "books about castles": more than the noun
        return P.concept(ante) or None


def _near(pron: Token, thing: str | None) -> str | None:
    """What "it"/"they" stands for, when it is named in the pronoun's own sentence ("I got a Kindle
    and love it"); one from an earlier sentence is a guess ("I haven't done pottery yet, but I'm game
    for trying new art. I might try it sometime": not art)."""
    if thing is None:
        return None
    head = thing.split()[-1].casefold()
    if any(t.lower_ == head or t.lemma_.casefold() == head for t in pron.sent if t.i < pron.i):
        return thing
    # "Tried sushi again. Actually love it now.": the sentence before names one thing only
    before = pron.doc[pron.sent.start - 1].sent if pron.sent.start > 0 else None
    nouns = (
        [] if before is None else [t for t in before if t.pos_ in ("NOUN", "PROPN") and t.dep_ != "compound"]
    )
    return thing if len(nouns) == 1 and head in (nouns[0].lower_, nouns[0].lemma_.casefold()) else None


# --- the gate --------------------------------------------------------------------------------


# Nouns that, after "the", stand for something said before ("got the idea", "for the cause").
POINTING_NOUNS = frozenset(
    {
        "idea", "cause", "win", "deficit", "goal", "thing", "things", "stuff", "one", "ones", "result",
        "outcome", "situation", "issue", "problem", "reason", "decision", "opportunity", "news", "plan",
        "topic", "subject", "matter", "story", "question", "answer", "change", "difference", "effort",
        "thought", "project",
    }
)  # fmt: skip


# Nouns that "the" picks out without a conversation: the places, times, people and things everyone
# has one of or goes to ("went to the park", "with the kids", "around the campfire", "by the way").
KNOWN_BY_ALL = frozenset(
    {
        "park", "beach", "gym", "mall", "library", "store", "hospital", "doctor", "dentist", "movie",
        "movies", "theater", "theatre", "zoo", "museum", "office", "airport", "lake", "mountain",
        "mountains", "city", "countryside", "news", "internet", "radio", "piano", "guitar",
        "violin", "drum", "drums", "world", "community", "team", "school", "church", "pool", "ocean",
        "sea", "sun", "sky", "moon", "bank", "supermarket", "market", "vet", "kitchen", "garden",
        "house", "gallery", "stage", "court", "game", "playoff", "playoffs", "final", "finals",
        "rest", "end", "beginning", "start", "first", "same", "whole", "future", "outdoors", "road",
        "trail", "trails", "woods", "forest", "river", "coast", "bar", "club", "cinema", "festival",
        "wedding", "funeral", "holiday", "holidays", "military", "army", "navy", "police", "government",
        "election", "lottery", "wild", "country", "town", "campfire", "sunset", "sunrise", "star", "stars",
        "tree", "trees", "street", "streets", "ground", "wave", "waves", "snow", "rain", "weather",
        "water", "air", "floor", "way", "plunge", "hunt", "lead", "spotlight", "chance", "most", "best",
        "top", "bottom", "middle", "moment", "meantime", "gang", "crowd", "audience", "fan", "fans",
        "public", "kid", "kids", "wife", "husband", "family", "fam", "dog", "cat", "car", "tv", "web",
        "media", "stadium", "arena", "track", "hill", "hills", "desert", "jungle", "island", "suburbs",
        "neighborhood", "area", "region", "globe", "planet", "universe", "nature", "environment",
        "economy", "industry", "weekend", "couch", "bed", "shower", "dishes", "laundry", "groceries",
        "side", "nursery", "bedroom", "bathroom", "basement", "attic", "garage", "yard", "backyard",
        "porch", "patio", "divorce", "breakup", "surgery", "baby", "pregnancy", "interview",
        "exam", "promotion", "move", "honeymoon", "anniversary", "birthday", "day", "concert", "show",
        "screening", "premiere", "opening", "graduation",
        "marathon", "race", "championship", "recital",
        "vacuum", "fridge", "oven", "stove", "microwave", "dishwasher", "mailman", "phone", "lights",
    }
)  # fmt: skip

# Adjectives that single a thing out by themselves: "the first screenplay", "the next trip".
_SINGLING = frozenset(
    {
        "first",
        "last",
        "next",
        "same",
        "only",
        "main",
        "local",
        "other",
        "northern",
        "southern",
        "eastern",
        "western",
    }
)


def anaphoric(tokens: list[Token]) -> bool:
    """A definite "the X" that only the conversation explains: X said earlier in the message ("teamed
    up with a local artist ... worked with the artist"), a noun that points back by nature ("got the
    idea", "for the cause"), or any thing not everyone knows that nothing where it stands singles out
    ("I like the structure of the language", "I love the color and texture", "we're deciding on the
    destination", "the yellow leaves"). A "the X" explained where it stands ("the book that I wrote",
    "the idea of a store", "the dance studio", "the first game"), a name ("The Name of the Wind") and
    one everyone knows ("the park", "the kids") are not."""
    for tok in tokens:
        if tok.lower_ in ("eachother", "each-other") or (
            tok.lower_ in ("each", "one")
            and tok.i + 1 < len(tok.doc)
            and tok.doc[tok.i + 1].lower_ in ("other", "another")
        ):
            return True  # "the last time we saw each other": who else, the conversation knows
        if tok.tag_ == "POS" and tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ in ("a", "an"):
            return True  # "Searching for the perfect studio's a tough job": a verb's "'s" read as whose
        if tok.dep_ != "det" or tok.lower_ != "the" or tok.head.pos_ != "NOUN":
            continue
        noun = tok.head
        if any(c.dep_ in ("relcl", "acl") or (c.dep_ == "prep" and c.lower_ == "of") for c in noun.children):
            continue
        earlier = any(t.lemma_ == noun.lemma_ for t in noun.doc[: tokens[0].i])
        if earlier or noun.lemma_.lower() in POINTING_NOUNS:
            return True
        if noun.tag_ not in ("NN", "NNS") or noun.dep_ == "appos" or _known_where_it_stands(tok, noun):
            continue  # not "spicy food, the hotter the better"
        return True
    return False


def _known_where_it_stands(the: Token, noun: Token) -> bool:  # noqa: PLR0911 - one reason per way
    """Whether a reader can tell which "the X" is meant without the conversation."""
    word = noun.lower_.strip("-.")
    if word in KNOWN_BY_ALL or noun.lemma_.lower() in KNOWN_BY_ALL or word in TIME_NOUNS:
        return True
    if noun.text[:1].isupper() or (the.text[:1].isupper() and the.i > 0 and the.doc[the.i - 1].text != "."):
        return True  # part of a name or a title
    if (word.endswith("ing") and (the.head.head.lemma_ == "do" or the.doc[the.i - 1].lower_ == "all")) or (
        the.head.head.lemma_ == "play"
    ):
        return True  # "does all the cooking", "playing the cello"; not "breaking up the studying"
    after = the.doc[noun.i + 1] if noun.i + 1 < len(the.doc) else None
    if (
        after is not None
        and after.dep_ == "prep"
        and after.lower_ in ("of", "for", "at", "in", "on", "from", "with")
    ):
        return True  # "signed the lease for my studio": attached to the verb, still says which
    for c in noun.children:
        if c.i == the.i:
            continue
        if c.dep_ in ("prep", "poss", "nummod", "appos"):
            return True
        if c.dep_ == "compound" or (
            c.dep_ == "amod"
            and (
                c.tag_ == "JJS"
                or c.lower_ in _SINGLING
                or c.ent_type_
                or any(x.tag_ == "HYPH" for x in c.subtree)
            )
        ):
            return True
    return bool(the.head.head.lower_ == "by")  # "by the way"


def deictic(tok: Token) -> bool:  # noqa: PLR0911, PLR0912 - one rule per kind of pointer
    """A word that points outside the text: "this", "that", "here", "the pic", "some", "a few"."""
    lower = tok.lower_
    if lower in DEMONSTRATIVES and (tok.tag_ == "DT" or tok.dep_ == "det"):
        if tok.dep_ == "det":
            return tok.head.lower_ not in TIME_NOUNS
        return True  # "that was amazing", "I love this"
    if lower in DEMONSTRATIVES and tok.dep_ in ("dobj", "nsubj", "nsubjpass", "pobj", "attr"):
        return True  # "I learned that the hard way"
    if lower in ("afterward", "afterwards") or (
        lower == "later" and any(c.dep_ == "npadvmod" for c in tok.children)
    ):
        return True  # after what? ("two weekends later")
    if lower in ("here", "there") and tok.tag_ != "EX":
        return True
    if lower in PHOTO_NOUNS and tok.pos_ == "NOUN":
        return any(c.dep_ in ("det", "poss") and c.lower_ in (*DEMONSTRATIVES, "the") for c in tok.children)
    if lower in ("one", "ones") and tok.dep_ in ("nsubj", "dobj", "attr", "pobj", "nsubjpass"):
        return not any(c.dep_ == "prep" and c.lower_ == "of" for c in tok.children)
    if lower in (
        "something",
        "anything",
        "everything",
        "nothing",
        "stuff",
        "things",
        "experience",
    ) and tok.dep_ in (
        "dobj",
        "nsubj",
        "attr",
        "pobj",
    ):
        return not any(c.dep_ in ("prep", "relcl") for c in tok.children)  # "I've got something to share"
    if lower in ("few", "much", "lot", "lots") and tok.dep_ in ("dobj", "nsubj", "attr"):
        # "I'm planning a few", "my kids have so much"; not "painting a lot"
        return tok.dep_ != "dobj" or (
            tok.head.lemma_ in ("have", "get", "plan", "do", "make", "want", "need")
            and not any(c.dep_ == "prep" for c in tok.children)
        )
    if lower == "since" and tok.dep_ != "mark" and not any(c.dep_ in ("pobj", "pcomp") for c in tok.children):
        return True  # "I've been playing ever since", "since then": since what?
    if lower == "that" and tok.dep_ == "mark" and tok.head.pos_ == "NOUN":
        return True  # "I learned that the hard way"
    if lower == "more" and tok.dep_ == "dobj" and any(c.lower_ in ("few", "couple") for c in tok.children):
        return True  # "I submitted a few more"
    if lower in ("some", "any", "few") and (
        tok.dep_ not in ("det", "amod", "advmod", "quantmod", "nummod")
        or (tok.dep_ == "det" and tok.head.pos_ not in ("NOUN", "PROPN", "ADJ", "NUM"))
    ):
        return not any(c.dep_ == "prep" for c in tok.children)  # "We'll have to check some out"
    if lower in ("any", "some", "many", "all", "both", "either", "neither", "none", "another", "others"):
        return tok.dep_ in ("nsubj", "dobj", "pobj", "attr", "nsubjpass") and not any(
            c.dep_ == "prep" for c in tok.children
        )
    return lower in ("such", "same") and tok.dep_ in ("nsubj", "dobj", "attr") and tok.pos_ != "ADJ"


def _moment(word: Token) -> bool:
    """A feeling of the moment: "excited", "so glad that ...", not "scared of heights", not "so
    excited about my new job at Stripe" (what it is about is a fact)."""
    if word.lower_ not in MOMENT and word.lemma_.lower() not in MOMENT:
        return False
    if word.lower_ in LASTING_WITH_OBJECT:
        return not any(c.dep_ == "prep" for c in word.children)
    for prep, obj in P.preps(word):
        if prep in ("about", "for") and (
            P.has_first_possessive(obj) or obj.ent_type_ in ("ORG", "GPE", "EVENT", "FAC", "WORK_OF_ART")
        ):
            return False
    return True


@dataclass(frozen=True, slots=True)
class Clause:
    """A clause as the checks see it: its verb, subject and words (greetings trimmed)."""

    head: Token
    subject: Token | None
    tokens: list[Token]
    speaker_subject: bool  # the speaker is the subject, or the clause has none ("Lost my job")
    mine: bool  # the subject is a person, pet or thing of the speaker's


def reason(
    head: Token, subject: Token | None, tokens: list[Token], speaker_subject: bool, mine: bool
) -> str | None:
    """Why the clause makes no memory, or None: the first check that finds a reason."""
    clause = Clause(head, subject, tokens, speaker_subject, mine)
    for check in _CHECKS:
        found = check(clause)
        if found is not None:
            return found
    return None


def _subject_left_out(cl: Clause) -> str | None:  # noqa: PLR0911 - one rule per pattern
    """An imperative ("Check it out!", "Take care"), or a subject left out that is not the speaker
    ("(It) takes a lot of courage", "(It's) been a busy week")."""
    head = cl.head
    subject = cl.subject
    lemma = P.lemma(head)
    modal = any(c.dep_ == "aux" and c.tag_ == "MD" for c in head.children)  # "Can't stand running"
    base_form = head.lower_ in getLemma(head.lower_, upos="VERB")  # not "Lost my job", "Got tickets"
    if (
        subject is None
        and head.dep_ in ("ROOT", "conj")
        and head.tag_ in ("VB", "VBP")
        and not modal
        and base_form
    ):
        bare_like = (
            lemma in P.LIKE_VERBS
            and not any(c.dep_ == "aux" for c in head.children)
            and all(
                not any(d.dep_ in ("det", "poss") for d in o.children)
                for o in head.children
                if o.dep_ == "dobj"
            )
        )
        if not bare_like:
            return "imperative"
    if (
        subject is None
        and any(t.dep_ == "aux" and t.lemma_ == "do" for t in cl.tokens)
        and any(t.dep_ == "neg" for t in cl.tokens)
    ):
        return "imperative"  # "Don't get discouraged"
    if subject is None and head.tag_ == "VBZ":
        return "no subject"  # "Takes a lot of courage", "Sounds like a blast": "it" left out
    if (
        subject is None
        and head.tag_ == "VBG"
        and any(
            (t.tag_ in ("VBZ", "VBD", "VBP", "MD") and t.head != head and t.dep_ not in ("aux", "auxpass"))
            or (t.dep_ in ("aux", "auxpass") and t.tag_ == "MD" and t.head != head)
            for t in head.sent
        )
    ):
        return "no subject"  # "Being able to show my vision is awesome": a gerund subject misread
    if subject is None and any(c.dep_ == "xcomp" and c.lemma_ == "be" for c in head.children):
        return "no subject"  # "Gonna be a big change"
    if subject is None and len([t for t in cl.tokens if not t.is_punct]) == 1 and head.tag_ in ("VBG", "JJ"):
        return "fragment"  # "Uplifting!": a word of reaction, not "Maria is uplifting"
    if subject is not None and subject.ent_type_ in ("DATE", "TIME"):
        return "no subject"  # "Next Friday works"
    if subject is None and any(
        c.dep_ == "aux" and c.lower_ in ("must", "might", "should", "could", "would", "may")
        for c in head.children
    ):
        return "no subject"  # "(It) must have been quite an atmosphere"
    if (
        subject is not None
        and subject.lower_ not in P.FIRST_PERSON
        and head.dep_ == "conj"
        and head.tag_ == "VB"
        and not any(c.dep_ in ("aux", "auxpass") for c in head.children)
    ):
        return "garbled"  # a bare infinitive given a subject by the parse ("... platform support rights")
    if subject is None and lemma == "be" and any(c.dep_ == "acomp" for c in head.children):
        return "no subject"  # "(It) must be so meaningful to work on"
    if (
        subject is None
        and lemma == "be"
        and (
            not any(c.dep_ in ("attr", "acomp", "prep") for c in head.children)
            or any(
                c.dep_ in ("attr", "acomp")
                and (c.lower_ in TIME_NOUNS | _SPANS or _moment(c) or c.lemma_ in TIME_NOUNS)
                for c in head.children
            )
        )
    ):
        return "no subject"  # "(It's) been a busy week", not "Been a nurse at Mercy for 10 years"
    return None


def _evaluation(cl: Clause) -> str | None:  # noqa: PLR0911 - one rule per pattern
    """An opinion of a thing, advice or a condition, not a fact: "Learning an instrument is cool"."""
    head = cl.head
    subject = cl.subject
    tokens = cl.tokens
    if subject is not None and subject.dep_ == "expl":
        return "evaluation"
    if any(c.dep_ in ("csubj", "csubjpass", "expl") for c in head.children):
        return "evaluation"  # "Learning an instrument is really cool", "It's nice to ..."
    if any(t.lower_ in ("otherwise", "anyway", "anyways") and t.dep_ == "advmod" for t in tokens):
        return "conditional"
    if (
        tokens
        and (tokens[0].tag_ in ("WP", "WRB", "WDT", "WP$") or tokens[0].dep_ == "mark")
        and _governor(tokens[0]) == head
    ):
        return "wh-fragment"  # "what we learn", "how much I've developed"
    if (
        subject is not None
        and subject.lower_ == "we"
        and any(t.lower_ in ("both", "each", "together", "all") for t in tokens if t.head in (head, subject))
    ):
        return "second person"  # "we're both on different paths": the two of them
    if any(c.dep_ == "aux" and c.lower_ in ("should", "ought") for c in head.children):
        return "advice"  # "our kids should have the best", "I should get going": no fact
    governing = [*tokens, *head.children, *(head.head.children if head.dep_ == "conj" else [])]
    if (
        subject is not None
        and subject.lower_ in ("we", "us")
        and any(
            t.dep_ == "aux" and t.lower_ in ("should", "could", "can", "might", "may", "must", "ca")
            for t in governing
        )
    ):
        return "advice"
    return None


def _pointing(cl: Clause) -> str | None:
    """A clause that points outside itself ("this", "there", "the pic") or is cut off."""
    head = cl.head
    tokens = cl.tokens
    for t in tokens:
        if any(c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether") for c in t.children) and (
            t == head or (t.head == head and (t.i < head.i or not _concrete(head)))
        ):
            return "conditional"  # "If I keep pushing, I'll reach my dreams"; not "I might go, if ..."
    inside = {t.i for t in tokens}
    if any(
        c.dep_ == "advcl"
        and c.i not in inside
        and c.tag_ in ("VBP", "VBZ")
        and any(
            m.dep_ in ("mark", "advmod") and m.lower_ in ("when", "whenever", "if", "unless")
            for m in c.children
        )
        for c in head.children
    ):
        return "conditional"  # "(when I rest,) I'm able to focus": the part cut off was the point
    if any(deictic(t) for t in tokens):
        return "deixis"
    if any(
        t.dep_ == "prep"
        and not any(c.dep_ in ("pobj", "pcomp") and c.pos_ != "ADV" for c in t.children)
        and not any(a.dep_ == "relcl" and a != head for a in t.ancestors)  # "the studio I go to"
        for t in tokens
    ):
        return "garbled"  # "working on for a while", "connect with": its object was a pronoun or relative
    return None


def _filler(cl: Clause) -> str | None:  # noqa: PLR0911, PLR0912 - one rule per pattern
    """What keeps the chat going: "I know", "can't wait to hear", "I appreciate it"."""
    head = cl.head
    tokens = cl.tokens
    speaker_subject = cl.speaker_subject
    subject = cl.subject
    lemma = P.lemma(head)
    if (
        speaker_subject
        and lemma == "know"
        and not any(
            c.dep_ == "dobj" and (c.pos_ == "PROPN" or c.ent_type_ in ("LANGUAGE", "NORP"))
            for c in head.children
        )
    ):
        return "filler"  # "I know the stress of exams", "I know what you mean"
    if lemma == "have" and any(
        c.dep_ == "dobj"
        and c.lemma_ in _GOOD_TIMES
        and not any(x.dep_ in ("prep", "relcl", "acl") for x in c.children)
        for c in head.children
    ):
        return "feeling"  # "we had a great time", "had a blast"
    if any(
        t.dep_ in ("acomp", "oprd") and _moment(t) and t.head.lemma_ in ("stay", "remain", "keep", "feel")
        for t in tokens
    ):
        return "feeling"  # "I'm trying to stay positive"
    if (
        lemma in ("talk", "chat", "speak")
        and (subject is None or subject.lower_ == "we")
        and not any(c.dep_ == "prep" and c.lower_ in ("about", "to", "with") for c in head.children)
    ):
        return "filler"  # "we haven't talked in a few days", "Haven't talked in a while!"
    if any(
        t.lemma_ in ("check", "tune", "join")
        and head in (t, t.head)
        and any(c.dep_ == "prt" and c.lower_ == "in" for c in t.children)
        for t in tokens
    ):
        return "filler"  # "I just wanted to check in", "I'll be tuning in", "I'd love to join in"
    if (
        speaker_subject
        and lemma in ("see", "understand", "get")
        and any(c.dep_ == "aux" and c.lower_ in ("can", "ca") for c in head.children)
        and any(c.dep_ == "ccomp" and c.left_edge.lower_ in ("why", "how") for c in head.children)
    ):
        return "filler"  # "I can see why having a pet helps": agreeing with the other speaker
    if (
        subject is not None
        and subject.lower_ == "we"
        and head.tag_ == "VBP"
        and lemma in ("need", "have", "make")
    ):
        return "second person"  # "We need better education": us all, not a fact of the speaker's
    if any(
        t.dep_ == "acomp"
        and t.lower_.endswith("ing")
        and t.lower_ not in ("outgoing", "easygoing", "ongoing")
        for t in head.children
    ):
        return "feeling"  # "Maria is uplifting", "it was exhausting"
    if lemma in REACTIONS and not any(c.dep_ in ("dobj", "prep", "xcomp", "ccomp") for c in head.children):
        return "feeling"  # "I literally screamed"
    if head.dep_ == "ROOT" and any(c.dep_ == "mark" and c.i < head.i for c in head.children):
        return "fragment"  # "since I was 12": a subordinate clause said alone
    if lemma == "do" and any(
        c.dep_ in ("advmod", "acomp", "oprd", "dobj") and _moment(c) for c in head.children
    ):
        return "feeling"  # "I'm doing OK", "doing good"
    if lemma in ("hope", "wish") and any(c.lower_ == "best" for c in head.subtree):
        return "filler"  # "hoping for the best"
    if (
        tokens
        and tokens[-1].pos_ in ("ADP", "SCONJ", "CCONJ", "DET", "PART")
        and tokens[-1].dep_ not in ("prt", "case")
    ):
        return "garbled"  # "... as long", a clause cut off
    if lemma == "change" and any(c.dep_ == "dobj" and c.lower_ == "mind" for c in head.children):
        return "filler"  # "Changed my mind, ..."
    if any(
        t.lemma_ in ("agree", "thank", "appreciate", "congratulate", "apologize")
        and any(x.dep_ == "nsubj" and x.lower_ in ("i", "we") for x in t.children)
        for t in tokens
    ):
        return "filler"  # "I totally agree - taking risks is key"
    if (
        subject is not None
        and subject.lower_ == "we"
        and any(c.dep_ == "attr" and c.lemma_ in _US for c in head.children)
    ):
        return "second person"  # "Glad we're friends!": the two of them
    if any(t.lower_ in ("us", "we") for t in tokens) and any(t.lower_ == "together" for t in tokens):
        return "second person"  # "dance has the power to bring us together"
    if any(t.lemma_ == "fun" for t in tokens) and lemma in ("have", "be"):
        return "feeling"  # "had a ton of fun", "it was fun"
    if any(t.lower_ == "each" and t.i + 1 < len(t.doc) and t.doc[t.i + 1].lower_ == "other" for t in tokens):
        return "second person"  # "we have each other's back": the two of them
    if _platitude(tokens):
        return "platitude"  # "I'll keep pushing forward and doing my best"
    if any(t.lower_ == "better" and t.dep_ == "advmod" for t in head.children) and any(
        c.dep_ == "aux" and c.lower_ in ("'d", "had") for c in head.children
    ):
        return "filler"  # "I'd better get going"
    wishing_to = lemma == "wish" and any(c.dep_ == "xcomp" for c in head.children)  # "I wish to visit Japan"
    if speaker_subject and lemma in FILLER_VERBS and not wishing_to:
        return "filler"
    if speaker_subject and lemma in ("love", "like", "wait") and _news(head):
        return "filler"  # "I'd love to see it", "can't wait to hear"
    if lemma == "use" and any(c.dep_ == "dobj" and c.lemma_ in _ASKED for c in head.children):
        return "filler"  # "I could use some recommendations!"
    if any(t.lower_ == "our" and t.head.lemma_ in _EVERYONES for t in tokens):
        return "second person"  # "Our actions can have a big impact", "our kids are our future"
    if lemma == "be" and any(
        c.dep_ == "attr" and c.lemma_ == "fan" and not any(x.dep_ == "prep" for x in c.children)
        for c in head.children
    ):
        return "fragment"  # "I'm a huge fan." (of whom?)
    if (
        speaker_subject
        and lemma in ("love", "like", "glad", "happy")
        and any(c.dep_ == "xcomp" and P.lemma(c) in ("help", "lend", "offer", "pitch") for c in head.children)
    ):
        return "filler"  # "I'd love to help in any way I can": an offer
    if (
        subject is not None
        and subject.lower_ == "we"
        and head.tag_ == "VBP"
        and any(t.lemma_ in _US for t in tokens)
    ):
        return "second person"  # "we rock as a team"
    if (
        head.dep_ == "conj"
        and head.tag_ == "VB"
        and not any(c.dep_ in ("aux", "auxpass") for c in head.children)
    ):
        return "garbled"  # "... to stay on track, visualize goals": an infinitive, not a clause
    if speaker_subject and lemma == "hope" and any(c.dep_ == "ccomp" for c in head.children):
        return "filler"  # "I hope it's going well": wishes about the other person's things
    if speaker_subject and lemma in ("help", "hope") and not _object(head):
        return "filler"
    return None


def _feeling(cl: Clause) -> str | None:  # noqa: PLR0911 - one rule per pattern
    """A feeling of the moment, or a clause that claims nothing."""
    head = cl.head
    subject = cl.subject
    tokens = cl.tokens
    mine = cl.mine
    lemma = P.lemma(head)
    looking_for = lemma == "look" and any(
        c.dep_ == "prep" and c.lower_ in ("for", "into", "after") for c in head.children
    )  # "looking for a place" is no look of something
    if (
        lemma in FEELING_VERBS
        or (lemma in ("make", "get", "keep", "stay", "remain", "become") and _feels(head))
    ) and not looking_for:
        return "feeling"
    if lemma in ("be", "get", "stay", "remain", "become", "keep") or head.tag_ == "VBN":
        comps = [c for c in head.children if c.dep_ in ("acomp", "oprd")]
        if (
            head.tag_ == "VBN"
            and head.lemma_ != "be"
            and any(c.dep_ in ("auxpass", "aux") and c.lemma_ in ("be", "get") for c in head.children)
        ):
            comps.append(head)  # "I'm so moved", not "I moved"
        attrs = [c for c in head.children if c.dep_ == "attr"]
        if comps and any(_moment(c) for c in comps) and not attrs:
            return "feeling"
        if any(
            a.lower_ in ("feeling", "experience", "moment", "thrill", "blast", "joy", "relief") for a in attrs
        ):
            return "feeling"
    if _mentioned_only_inside_subject(head, subject, tokens):
        return "effect"
    if _effect_on_speaker(head, subject, mine):
        return "effect"
    if not _has_claim(head, tokens, lemma):
        return "fragment"
    inside = {t.i for t in tokens}
    for c in head.children:
        if (
            c.dep_ == "xcomp"
            and c.i in inside
            and P.lemma(c) in EMPTY_VERBS
            and not any(x.dep_ in COMPLEMENTS | {"prt"} and x.i in inside for x in c.children)
        ):
            return "fragment"  # "Just wanted to say (hi)", "can't wait to visit"
    return None


# Nouns that say nothing on their own: "has a few plans", "got some cool projects", "took a trip to
# a new place", "met some amazing people", "picked up new skills", "made great memories".
VAGUE_NOUNS = frozenset(
    {
        "plan", "project", "thing", "place", "addition", "people", "person", "folk", "folks", "situation",
        "skill", "event", "stuff", "idea", "memory", "trip", "adventure", "opportunity", "change",
        "step", "update", "news", "progress", "lot", "bit", "ton", "setback", "experience", "challenge",
        "hurdle", "spot", "item", "way", "moment", "time", "work", "story",
    }
)  # fmt: skip
# Verbs that say little without what they act on: "doesn't go often" (where?), "has been playing
# since August" (playing what?), "had to take a picture".
_OBJECT_NEEDED = frozenset({"go", "play", "try", "do", "make", "watch", "read", "practice", "share", "show"})
_TIME_PREPOSITIONS = frozenset({"since", "until", "till", "during", "after", "before", "around"})
# (with the forms the small model's lemmatizer misses: "hoping" -> "hop")
_SO_VERBS = frozenset(
    {
        "hope",
        "hoping",
        "hoped",
        "think",
        "thinking",
        "guess",
        "guessing",
        "believe",
        "suppose",
        "imagine",
        "expect",
    }
)


_ADVICE = frozenset({"recommend", "reccomend", "recomend", "suggest", "advise"})


def _offer_or_advice(cl: Clause) -> str | None:
    """Advice and offers to the other speaker told as the speaker's own fact: "I recommend reading
    a fantasy series", "Maybe I can help as well"."""
    head = cl.head
    if head.tag_ in ("VBP", "VB") and (P.lemma(head) in _ADVICE or head.lower_.rstrip("s") in _ADVICE):
        return "filler"
    maybe = any(t.lower_ in ("maybe", "perhaps") for t in cl.tokens[:2])
    if maybe and any(c.dep_ == "aux" and c.lower_ in ("can", "could") for c in head.children):
        return "filler"
    return None


def _object_missing(cl: Clause) -> str | None:
    """A verb that needs its object said with nothing of it left ("Melanie doesn't go often"), "so"
    standing for what was said ("hoping so"), a picture taken."""
    head, inside = cl.head, {t.i for t in cl.tokens}
    if (P.lemma(head) in _SO_VERBS or head.lower_ in _SO_VERBS) and any(
        c.lower_ == "so" and c.i in inside for c in head.children
    ):
        return "pointer"
    if any(
        P.lemma(t) in ("take", "snap", "grab")
        and any(c.dep_ == "dobj" and c.lemma_.lower() in PHOTO_NOUNS for c in t.children)
        for t in cl.tokens
    ):
        return "pointer"  # "had to take a picture": of what, only the photo shows
    ending = any(t.lower_ in ("anymore", "longer") for t in cl.tokens)  # "I don't play anymore" ends a fact
    if P.lemma(head) in ("wait", "want", "hope", "plan", "love", "like"):
        head = next((c for c in head.children if c.dep_ == "xcomp" and c.i in inside), head)
    showing = P.lemma(head) in ("share", "show")  # "can't wait to share with my customers": share what?
    if (
        P.lemma(head) in _OBJECT_NEEDED
        and not ending
        and not any(
            c.i in inside
            and (
                c.dep_ in ("dobj", "xcomp", "ccomp", "attr", "acomp", "prt", "dative", "advcl", "conj")
                or (
                    c.dep_ == "prep"
                    and c.lemma_.lower() not in _TIME_PREPOSITIONS
                    and not (showing and c.lower_ in ("with", "to"))
                )
                or (
                    c.dep_ == "advmod"
                    and c.lemma_.lower() in ("home", "out", "back", "away", "abroad", "there")
                )
            )
            for c in head.children
        )
    ):
        return "fragment"
    return None


# Sayings of a mood, not a fact: "I'm over the moon", "stepping into the unknown", "I'm on fire".
_MOOD_SAYINGS = re.compile(
    r"\b(?:over the moon|on cloud nine|on top of the world|on fire|on a roll|into the unknown|"
    r"in a good place|in a (?:bad|dark|rough) place|on edge|in the zone|beside (?:him|her|my)self)\b"
)
# Verbs that alone tell only how it is going: "I've been struggling", "I'm pushing on though".
_COPING = frozenset({"struggle", "cope", "push", "hang", "survive", "manage", "hold", "soldier", "plug"})


def _vague(cl: Clause) -> str | None:  # noqa: PLR0911 - one rule per pattern
    """A clause whose only things are vague ("a few plans", "a new place", "some people"), a mood
    ("over the moon", "been struggling"), or a plan of the moment ("I'm off to have dinner")."""
    head = cl.head
    tokens = cl.tokens
    inside = {t.i for t in tokens}
    said = " ".join(t.lower_ for t in tokens)
    if _MOOD_SAYINGS.search(said):
        return "feeling"
    if P.lemma(head) in ("start", "begin", "quit", "stop", "finish") and not any(
        c.dep_ in ("dobj", "xcomp", "ccomp", "prep", "prt", "attr", "acomp") and c.i in inside
        for c in head.children
    ):
        return "fragment"  # "Started when I was young": started what?
    if (
        P.lemma(head) in ("see", "understand", "get")
        and any(c.dep_ == "aux" and c.lower_ in ("can", "ca", "could") for c in head.children)
        and any(c.dep_ == "ccomp" and any(x.tag_ == "WRB" for x in c.children) for c in head.children)
    ):
        return "filler"  # "I can see why that would help": agreeing, not a fact
    if P.lemma(head) in _COPING and not any(
        c.dep_ in ("dobj", "prep", "xcomp", "ccomp", "advcl", "attr", "acomp") and c.i in inside
        for c in head.children
    ):
        return "feeling"  # "I've been struggling", "pushing on though"; not "struggling with math"
    if any(t.lower_ == "off" and t.head == head for t in tokens) and any(
        c.dep_ in ("xcomp", "advcl") and c.i in inside for c in head.children
    ):
        return "filler"  # "I'm off to have dinner with friends": what the speaker does next
    if any(
        t.dep_ == "dobj"
        and t.lower_ == "way"
        and t.head.lemma_ in ("love", "like", "adore")
        and any(c.dep_ == "relcl" for c in t.children)
        for t in tokens
    ):
        return "compliment"  # "I love the way the frosting turned out"
    nouns = [
        t
        for t in tokens
        if t.pos_ in ("NOUN", "PROPN", "NUM")
        and t.dep_ not in ("nsubj", "nsubjpass", "npadvmod")
        and t.lower_ not in TIME_NOUNS
        and t.ent_type_ not in ("DATE", "TIME")
    ]
    if (
        nouns
        and P.lemma(head) != "be"
        and not any(c.dep_ in ("acomp", "attr") for c in head.children)  # "passionate about a safe place"
        and all(t.pos_ == "NOUN" and t.lemma_.lower() in VAGUE_NOUNS for t in nouns)
        and not any(t.pos_ == "PROPN" or t.ent_type_ for t in tokens if t.dep_ not in ("nsubj", "nsubjpass"))
        and not any(
            c.dep_ in ("acl", "relcl")
            and c.i in inside
            and any(x.pos_ in ("NOUN", "PROPN") and x.lemma_.lower() not in VAGUE_NOUNS for x in c.subtree)
            for t in nouns
            for c in t.children
        )  # "a few things I learned about pottery"
    ):
        return "vague"  # "Gina has a few plans", "John took a trip to a new place"
    return None


_CHECKS = (
    _subject_left_out,
    _evaluation,
    _pointing,
    _filler,
    _feeling,
    _vague,
    _object_missing,
    _offer_or_advice,
)


# Words of encouragement and resolve: a clause made only of them says nothing lasting.
PLATITUDE = frozenset(
    {
        "keep", "push", "forward", "go", "work", "hard", "best", "do", "make", "difference", "impact",
        "positive", "progress", "goal", "dream", "believe", "pursue", "chase", "grind", "try", "give",
        "up", "let", "stay", "strong", "motivated", "focus", "happen", "learn", "lot", "grow",
        "growth", "journey", "reach", "potential", "strive", "succeed", "success", "achieve", "move",
        "ahead", "fight", "hope", "wish", "support", "help", "people", "others", "life", "thing",
        "way", "time", "world", "change", "inspire", "passion", "self", "care", "balance", "stuff",
        "take", "step", "better", "good", "great", "energy", "purpose", "surge", "get", "real",
        "really", "definitely", "always", "never", "just", "also", "still", "sure", "much",
        "new", "challenge", "obstacle", "effort", "continue", "be", "have", "will", "can", "going",
        "end", "worth", "happy", "mind", "heart", "soul", "moment", "day", "everyday",
        "improve", "improvement", "bit", "little", "more", "even", "long", "run", "plunge", "quit",
        "savor", "vibe", "ton", "want", "share", "love", "hoping", "join", "in", "come", "true",
        "matter", "what", "no",
    }
)  # fmt: skip


def _platitude(tokens: list[Token]) -> bool:
    content = [
        t
        for t in tokens
        if t.pos_ in ("NOUN", "VERB", "ADJ", "ADV", "PROPN", "NUM", "AUX") and t.lower_ not in P.FIRST_PERSON
    ]
    return bool(content) and all(t.lemma_.lower() in PLATITUDE or t.lower_ in PLATITUDE for t in content)


_CORE = frozenset({"dobj", "pobj", "attr", "acomp", "xcomp", "prt", "oprd", "dative", "pcomp"})


def mend_lists(tokens: list[Token]) -> list[Token]:
    """A list whose "and" was cut: put back where its items all stand ("a mix of excited and
    scared"); where an item went with it (or the parse hung the "and" elsewhere), the kept items
    after the first go too: "we chilled under the trees, played games, and ate ..." is not "chilled
    under the trees, played games"."""
    kept = {t.i for t in tokens}
    doc = tokens[0].doc if tokens else None
    drop: set[int] = set()
    add: set[int] = set()
    for head in tokens:
        if head.dep_ == "conj" or head.i in drop or doc is None:
            continue
        items, queue = [], [head]
        while queue:
            item = queue.pop()
            items.append(item)
            # "..., but I'm trying": a clause of its own, not an item of the list
            queue.extend(
                c
                for c in item.children
                if c.dep_ == "conj" and not any(x.dep_ in ("nsubj", "nsubjpass") for x in c.children)
            )
        listed = sorted((x for x in items if x.i in kept), key=lambda t: t.i)
        if len(listed) < 2:
            continue
        last = max(x.i for x in items)
        ccs = [c for item in items for c in item.children if c.dep_ == "cc" and c.i < last]
        if any(c.i in kept for c in ccs):
            continue
        if ccs and len(listed) == len(items):
            add.add(max(c.i for c in ccs))
            continue
        after = listed[-1].right_edge.i + 1
        while after < len(doc) and doc[after].text == ",":
            after += 1
        if not ccs and not (after < len(doc) and doc[after].dep_ == "cc" and after not in kept):
            continue  # "I love hiking, biking, swimming": a list said without "and"
        for item in listed[1:]:
            drop.update(x.i for x in item.subtree)
            if item.left_edge.i > 0 and doc[item.left_edge.i - 1].text == ",":
                drop.add(item.left_edge.i - 1)
    if doc is None or (not drop and not add):
        return tokens
    mended = [t for t in tokens if t.i not in drop] + [doc[i] for i in add if i not in kept]
    return sorted(mended, key=lambda t: t.i)


def stranded(clause: list[Token], tokens: list[Token]) -> bool:
    """A word of the clause that was cut away (a pointer, a remark) was the object or complement
    of a word that stays: what is left is not a sentence ("I had a crazy - crazy intense"), or a
    comparison lost its second half ("learn as much as I can" -> "learn as much", "As soon as I start,
    ..." -> "As soon, ...")."""
    kept = {t.i for t in tokens}
    if any(t.dep_ in _CORE and t.head.i in kept and t.i not in kept for t in clause if t.head != t):
        return True
    if not tokens:
        return False
    for t in tokens:
        if t.dep_ == "prep" and not any(
            c.dep_ in ("pobj", "pcomp", "prep") and c.i in kept for c in t.children
        ):
            return True  # "I've been working on for a while": on what
        if t.lower_ in _SAID_BY_WHAT_FOLLOWS and any(
            c.dep_ in ("relcl", "acl") and c.i not in kept for c in t.children
        ):
            return True  # "I did something new that had an impact on me" -> "did something new"
    doc = tokens[0].doc
    return any(
        t.lower_ == "as"
        and t.i + 2 < len(doc)
        and doc[t.i + 1].lower_ in _AS_MUCH
        and doc[t.i + 1].i in kept
        and doc[t.i + 2].lower_ == "as"
        and doc[t.i + 2].i not in kept
        for t in tokens
    )


# Words that mean nothing without the clause that says what they are.
_SAID_BY_WHAT_FOLLOWS = frozenset(
    {"something", "anything", "everything", "nothing", "experience", "thing", "things", "stuff", "one"}
)
_AS_MUCH = frozenset(
    {"much", "many", "soon", "long", "far", "well", "often", "hard", "best", "quickly", "fast"}
)


def _concrete(head: Token) -> bool:
    """A plan or fact with something definite in it (a named place or thing, a time)."""
    return any(t.ent_type_ in ("GPE", "ORG", "FAC", "EVENT", "DATE", "PERSON", "LOC") for t in head.subtree)


def _governor(tok: Token) -> Token:
    """The nearest verb above `tok` (itself if it is one)."""
    t = tok
    while t.pos_ not in ("VERB", "AUX") and t.head != t:
        t = t.head
    return t


def _object(head: Token) -> bool:
    return any(c.dep_ in ("dobj", "prep", "ccomp") for c in head.children) or any(
        x.dep_ in ("dobj", "prep") for c in head.children if c.dep_ == "xcomp" for x in c.children
    )


def _news(head: Token) -> bool:
    return any(
        c.dep_ in ("xcomp", "advcl", "ccomp") and P.lemma(c) in NEWS_VERBS for c in head.children
    ) or any(c.dep_ == "prep" and c.lower_ == "for" for c in head.children)


def _feels(head: Token) -> bool:
    """ "it makes me (feel) happy", "keeps me motivated", "got so excited"."""
    for c in head.children:
        if c.i < head.i:
            continue
        if c.dep_ in ("ccomp", "xcomp") and P.lemma(c) in EVALUATING:
            return True
        if c.dep_ in ("ccomp", "xcomp", "acomp", "oprd") and _moment(c):
            return True
    return False


def _mentioned_only_inside_subject(head: Token, subject: Token | None, tokens: list[Token]) -> bool:
    """ "(The) support I got was really helpful": the speaker is only in the subject's relative
    clause; the clause is about the support."""
    if subject is None or subject.lower_ in P.FIRST_PERSON or P.has_first_possessive(subject):
        return False
    inside = {t.i for c in subject.children if c.dep_ in ("relcl", "acl") for t in c.subtree}
    mentions = [t for t in tokens if t.lower_ in P.FIRST_PERSON | P.FIRST_POSSESSIVE]
    return bool(mentions) and all(t.i in inside for t in mentions) and subject.pos_ == "NOUN"


def _effect_on_speaker(head: Token, subject: Token | None, mine: bool) -> bool:
    """A thing that is not the speaker's acting on them: "Pets bring so much joy to us", "Blue calms
    me", "Networking was a lifesaver for me": how something feels, not a fact of their life."""
    if subject is None or mine or subject.lower_ in P.FIRST_PERSON:
        return False
    if subject.pos_ == "PROPN" or subject.ent_type_ == "PERSON" or P.role_word(subject):
        return False
    if (
        head.tag_ in ("VBP", "VBZ")
        and subject.tag_ in ("NNS", "NN")
        and not any(c.dep_ in ("det", "poss") for c in subject.children)
        and any(c.dep_ == "dobj" and c.lower_ in ("me", "us") for c in head.children)
    ):
        return False  # "big crowds drain me": what the speaker is like
    if P.has_first_possessive(subject):
        return False
    if P.lemma(head) == "be" and any(
        c.dep_ == "attr" and (P.has_first_possessive(c) or c.lower_ in P.LOVE_ATTRS) for c in head.children
    ):
        return False  # "Jazz is my favourite genre", "Coffee is life": a preference, kept
    return any(t.lower_ in P.FIRST_PERSON | P.FIRST_POSSESSIVE for t in head.subtree if t.i > head.i)


_TIME_ADVERBS = frozenset(
    {
        "recently", "lately", "yesterday", "today", "tomorrow", "tonight", "ago", "once", "twice",
        "before", "again", "home", "abroad", "back", "away", "overseas",
    }
)  # fmt: skip


def _has_claim(head: Token, tokens: list[Token], lemma: str) -> bool:  # noqa: PLR0911
    """Something said about the subject: an object, a complement, a place or time; or a verb that is
    a claim alone ("I retired", "we got married"). Not "I haven't decided yet"."""
    inside = {t.i for t in tokens}
    if any(c.dep_ in COMPLEMENTS and c.i in inside for c in head.children):
        return True
    if any(
        c.dep_ == "advmod" and (c.lower_ in _TIME_ADVERBS or any(x.dep_ == "prep" for x in c.children))
        for c in head.children
    ):
        return True  # "I moved recently", "I went back to work"
    if P.negated(head) and any(t.lower_ in ("anymore", "longer") for t in tokens):
        return True  # "me and my brother don't talk anymore"
    if any(c.dep_ == "auxpass" for c in head.children):
        return True
    if any(c.dep_ == "prt" for c in head.children) and lemma not in EMPTY_VERBS:
        return True
    if P.negated(head):
        return False
    return lemma not in EMPTY_VERBS and head.pos_ in ("VERB", "AUX") and lemma != "be"


def role_tokens(doc: object, mine: set[int]) -> dict[int, str]:
    """Role and pet nouns of the speaker's by token index, with the word: for a pronoun's gender."""
    out: dict[int, str] = {}
    for i in mine:
        tok = doc[i]  # type: ignore[index]
        word = P.role_word(tok) or P.pet_word(tok)
        if word is not None:
            out[i] = word
    return out


__all__ = ["Referents", "is_vocative", "reason", "role_tokens", "trim"]
