"""Surface text: cleaning user input, spotting non-disclosures, third-person rewriting."""

from __future__ import annotations

import re
from typing import Any

from lemminflect import getInflection, getLemma  # type: ignore[import-untyped]

from app.memory.extract import parse as P

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
    "rn": "right now", "tbh": "", "ugh": "", "ngl": "", "btw": "", "lol": "", "lmao": "", "haha": "",
    "hahaha": "", "omg": "", "idk": "I don't know", "gf": "girlfriend", "bf": "boyfriend",
    "bday": "birthday", "w/": "with", "wanna": "want to", "gonna": "going to", "gotta": "have to",
    "sis": "sister", "bro": "brother", "i": "I", "i'm": "I'm", "i've": "I've",
    "i'll": "I'll", "i'd": "I'd", "'cause": "because", "'em": "them",
}  # fmt: skip
_CAPTION = re.compile(r"\[shared [^\]]*\]", re.I)
_WORD = re.compile(r"[A-Za-z/']+")

CHITCHAT = re.compile(
    r"^(hi|hey|hello|yo|hiya|good (morning|afternoon|evening|night)|thanks?( you)?|thx|ty|ok(ay)?|cool|nice|"
    r"great|awesome|wow|sure|yes|yeah|yep|no|nope|bye|goodbye|see (you|ya)|lol|haha|hmm+|oh|ah|"
    r"sounds good|good to know|got it|no worries|you too|same|congrats|that's (great|cool|awesome|nice|amazing))\b[\s!.,]*",  # noqa: E501
    re.I,
)


def normalise(raw: str) -> str:
    """Emoji and emoticons out, common chat spellings fixed, whitespace collapsed. A shared photo's
    caption ("[shared a photo of a sunset]", as the LoCoMo loader writes it) is the picture's
    description, not the speaker's words: it goes too."""
    s = _CAPTION.sub(" ", raw)
    s = _EMOJI.sub(" ", s)
    s = _EMOTICON.sub(" ", s)
    s = _WORD.sub(lambda m: _TYPOS.get(m.group(0).lower(), m.group(0)), s)
    s = re.sub(r"\s+([,.!?])", r"\1", s)
    s = re.sub(r"([!?.]){2,}", r"\1", s)
    s = re.sub(r"\s+", " ", s).strip()
    # "Quick update: my sister ...", "Big news: ...": a heading before the news
    s = re.sub(
        r"(^|[.!?] )(?:[A-Za-z']+,? ){0,3}(?:update|news|recap|question|confession|fun fact)"
        r"[^.!?:]{0,25}(?::| -) ",
        r"\1",
        s,
        flags=re.I,
    )
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
_DISCOURSE = re.compile(
    r"^(?:(?:so|well|oh|ah|yeah|yes|yep|honestly|actually|btw|anyway|anyways|also|and|but|plus|um|uh|"
    r"ok|okay|guess what|fun fact|oh and|just so you know|by the way|lol|haha|hey|hi|hello|wow|omg|ngl|tbh|"
    r"i mean|basically|fyi|fwiw|sure|cool|nice|great|awesome|woah|whoa|aw+|yay|then|now|"
    r"on (?:another|a different|a (?:more )?(?:positive|serious|lighter|side)) note)[\s,!:-]+)+",
    re.I,
)
_MODALS = frozenset(
    {"can", "could", "will", "would", "shall", "should", "may", "might", "must", "'ll", "'d", "ca", "wo"}
)
_CLITICS = {"'m": "am", "'re": "are", "'ve": "have", "'ll": "will", "'d": "would"}


def _before_participle(tok: Token) -> bool:
    """ "'d" right before a past participle ("I'd been", "I'd seen") is "had"."""
    nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
    return nxt is not None and nxt.tag_ == "VBN"


def third_singular(tok: Token) -> str:
    """The verb `tok` agreeing with a singular third-person subject ("wish" -> "wishes", "am" ->
    "is", "'ve" -> "has"); modals and past forms as they are."""
    lower = tok.lower_
    if lower in _THIRD_PERSON:
        return _THIRD_PERSON[lower]
    if lower in _MODALS or (
        tok.tag_ not in ("VBP", "VB") and not (tok.tag_ == "IN" and lower in ("like", "love"))
    ):
        return str(tok.text)
    base = tok.lemma_.lower() if tok.tag_ != "IN" else lower
    if base == "-pron-" or not base.isalpha():
        base = lower
    if lower not in getLemma(lower, upos="VERB"):
        return str(tok.text)  # "Took" tagged as a base form: a past tense already
    inflected = getInflection(base, tag="VBZ")
    return str(inflected[0]) if inflected else str(tok.text) + "s"


def _possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") and " " in name and not name.endswith("'s") else f"{name}'s"


_SUBORDINATORS = frozenset(
    {"since", "when", "because", "before", "after", "while", "until", "as", "once", "whenever", "if"}
)


def _shared(verb: Token, inside: set[int]) -> list[Token]:
    """The verbs conjoined to `verb` in the clause that have no subject of their own ("I'm vegan,
    have been for years"): they agree with its subject too."""
    out = []
    for c in verb.children:
        if (
            c.dep_ == "conj"
            and c.pos_ in ("VERB", "AUX")
            and c.i in inside
            and not any(x.dep_ in ("nsubj", "nsubjpass", "expl") for x in c.children)
            # "wanted to make connections, laugh together": infinitives stay; not "I practice and train"
            and (c.tag_ != "VB" or (verb.tag_ == "VBP" and not any(x.lower_ == "to" for x in c.children)))
        ):
            out.append(c)
            out.extend(_shared(c, inside))
    return out


# What "the" cannot own in place of "my": "clear the head", "improved the life", "pets of the own".
_INALIENABLE = frozenset(
    {
        "life", "mind", "heart", "soul", "head", "hair", "face", "body", "dream", "goal", "passion",
        "journey", "best", "way", "self", "health", "feeling", "thought", "love", "creativity",
        "confidence", "voice", "potential", "past", "future", "childhood", "name", "own", "eye",
        "hand", "skill", "ability", "strength", "view", "opinion", "world", "story",
        "experience", "effort", "time", "energy", "attention", "focus", "purpose", "identity", "truth",
        "values", "belief", "faith", "career", "dreams", "goals", "friend", "friends", "family", "part",
        "share",
        "wrist", "arm", "leg", "knee", "ankle", "back", "foot", "shoulder", "neck", "finger", "toe",
    }
)  # fmt: skip


# What "the" leaves as some earlier one unless something follows it: "lost the job", "showed the
# support", "in the hometown"; "quit the job at St. David's" is fine.
_WHOSE = frozenset({"job", "support", "hometown", "home", "town", "country", "neighborhood", "neighbourhood"})


# Kin that "the" cannot own either: "celebrated the daughter's birthday", "helping the cousin".
_KIN = frozenset(
    {
        "mom", "mum", "mother", "mommy", "dad", "father", "daddy", "son", "daughter", "kid", "child",
        "sister", "brother", "sibling", "grandma", "grandmother", "grandpa", "grandfather", "aunt",
        "uncle", "cousin", "niece", "nephew", "parent",
    }
)  # fmt: skip


def _specific(owned: Token, tokens: list[Token]) -> bool:
    """ "my" may become "the" before this noun without losing whose it is: when what follows it says
    which ("the job at St. David's", "the banking job", "the driver's license"). Otherwise "the
    store", "the plan", "the turtles" leave a reader asking whose, and the claim is kept as said."""
    if owned.dep_ == "poss":
        return True  # "my driver's license": "the driver's license"
    if any(c.dep_ in ("prep", "relcl", "acl", "appos") and c.i > owned.i for c in owned.children):
        return True
    return owned.lemma_.lower() in _WHOSE and any(x.i > owned.i and x.dep_ == "prep" for x in tokens)


def _ours_unclear(our: Token) -> bool:
    """ "our trip", "our kids", "our fam": the speaker's and whose else? Not "our golden retriever
    Max", "our new house": a name or the words with it say which."""
    owned = our.head if our.head.pos_ in ("NOUN", "PROPN") else our.head.head
    return not (
        owned.pos_ == "PROPN"
        or P.name_tokens(owned)
        or any(c.dep_ in ("amod", "compound", "nummod") for c in owned.children)
    )


class Unclean(Exception):
    """The clause cannot be told in the third person without repeating the speaker's name."""


def third_person(  # noqa: PLR0912, PLR0915 - one pass over the words
    tokens: list[Token],
    speaker: str,
    subjectless_verb: Token | None,
    replace: dict[int, str] | None = None,
) -> str:
    """The clause with the speaker's name for "I"/"we" (once), verbs agreeing with it, and pronouns
    replaced by what they stand for (`replace`: token index -> name). A second mention of the
    speaker is no name again: "my" after the name becomes "the" ("Maya quit the job at St. David's")
    or nothing before a plural ("with friends"); a second "I"/"me"/"myself" raises `Unclean`."""
    replace = replace or {}
    inside = {t.i for t in tokens}
    drop: set[int] = set()
    first_subject_verbs = set()
    elided: set[int] = set()  # "I used to hate mushrooms but now I like them": the second "I" goes
    subordinate: set[int] = set()  # "... since I was 5": the name again, as a subordinate's subject
    seen_subject = False
    for t in tokens:
        if t.dep_ in ("nsubj", "nsubjpass") and t.lower_ in ("i", "we"):
            head = t.head
            plural = any(c.dep_ == "conj" for c in t.children)  # "me and my brother don't talk"
            for verb in [] if plural else [head, *_shared(head, inside)]:
                auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass") and c.i < verb.i]
                first_subject_verbs.add((auxes[0] if auxes else verb).i)
            before = [x for x in t.doc[max(0, t.i - 3) : t.i] if x.pos_ != "ADV"]
            if seen_subject and (head.dep_ == "conj" or (before and before[-1].dep_ == "cc")):
                elided.add(t.i)  # "... but now I kind of like them": "... but now kind of likes them"
            elif head.dep_ == "advcl" and any(
                (c.dep_ == "mark" or c.tag_ == "WRB") and c.lower_ in _SUBORDINATORS for c in head.children
            ):
                subordinate.add(t.i)
            seen_subject = True
    if subjectless_verb is not None:
        for verb in _shared(subjectless_verb, inside):
            auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass") and c.i < verb.i]
            first_subject_verbs.add((auxes[0] if auxes else verb).i)
    prefix: dict[int, str] = {}
    lowered: set[int] = set()
    coordinated: set[int] = set()  # "My wife Sarah and I": the speaker first, "my" goes
    whose: set[int] = set()  # "my" of an unnamed one beside the speaker: the speaker's
    for t in tokens:
        if t.lower_ not in ("i", "me", "we", "us") or t.pos_ != "PRON":
            continue
        if t.dep_ == "conj" and t.head.i in inside and t.head.pos_ in ("NOUN", "PROPN"):
            partner = t.head
            top = partner
            while top.dep_ in ("appos", "compound") and top.head.i in inside:
                top = top.head  # "My boyfriend Nate and I": the whole "my boyfriend Nate"
            prefix[top.left_edge.i] = f"{speaker} and "
            coordinated.update(c.i for c in top.children if c.dep_ == "poss")
            drop.add(t.i)
            drop.update(c.i for c in partner.children if c.dep_ in ("cc", "punct") and partner.i < c.i < t.i)
        elif t.dep_ in ("nsubj", "nsubjpass") and any(
            c.dep_ == t.dep_ and c.i < t.i and c.i in inside for c in t.head.children
        ):
            # "My boyfriend Nate and I have been together": two subjects side by side
            partner = next(c for c in t.head.children if c.dep_ == t.dep_ and c.i < t.i)
            prefix[partner.left_edge.i] = f"{speaker} and "
            if partner.left_edge.pos_ != "PROPN":
                lowered.add(partner.left_edge.i)  # "Maria and some friends from church"
            drop.add(t.i)
            drop.update(c.i for c in partner.children if c.dep_ == "cc" and c.i < t.i)
            drop.update(x.i for x in t.doc[partner.right_edge.i + 1 : t.i] if x.dep_ == "cc")
            first_subject_verbs.clear()
        elif any(c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN") for c in t.children):
            partner = next(c for c in t.children if c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN"))
        else:
            continue
        mine = [c for c in partner.children if c.dep_ == "poss" and c.lower_ in ("my", "our")]
        if P.role_word(partner) and not P.name_tokens(partner) and mine:
            whose.update(c.i for c in mine)  # "My mom and I made dinner": "Maria and Maria's mom"
            coordinated.difference_update(whose)
            continue
        coordinated.update(c.i for x in (partner, *partner.children) for c in x.children if c.dep_ == "poss")
    said = bool(prefix)  # the speaker's name is in the text already
    main_said = said  # ... outside a subordinate clause
    subordinate_only = False  # ... only as a subordinate clause's subject ("since Gina lost ...")
    replaced_before = False
    out: list[str] = []
    if subjectless_verb is not None:
        said = True
    for t in tokens:
        if t.i in prefix:
            out.append(prefix[t.i])
        if t.i in drop or t.i in coordinated:
            continue
        word, ws = str(t.text), str(t.whitespace_)
        if t.i in whose:
            out.append(f"{speaker}'s{ws}")
            continue
        if t.i in lowered:
            word = word[:1].lower() + word[1:]
        lower = t.lower_
        if subjectless_verb is not None and not out and t.pos_ != "PROPN" and word != "I":
            word = word[:1].lower() + word[1:]  # the speaker's name comes first now
        if subjectless_verb is not None and t == subjectless_verb:
            auxes = [c for c in t.children if c.dep_ in ("aux", "auxpass") and c.i < t.i]
            if not auxes:
                if t.tag_ == "VBG":
                    adverbs_only = all(x.pos_ == "ADV" for x in tokens if x.i < t.i and x.i not in drop)
                    out.insert(0 if adverbs_only else len(out), "is ")  # "is just learning", not "just is"
                elif t.tag_ in ("VBP", "VB"):
                    word = third_singular(t)
                elif t.tag_ == "VBN" and t.lower_ == "been":
                    out.append("has ")
                elif t.tag_ == "VBN" and not any(c.dep_ == "dobj" for c in t.children):
                    out.append("was ")  # "Born in Osaka, raised in Tokyo"; not "Dyed my hair"
        elif subjectless_verb is not None and t.dep_ in ("aux", "auxpass") and t.head == subjectless_verb:
            if t.lower_ == "been" and not any(
                c.dep_ in ("aux", "auxpass") and c.i < t.i for c in subjectless_verb.children
            ):
                adverbs_only = all(x.pos_ == "ADV" for x in tokens if x.i < t.i and x.i not in drop)
                out.insert(0 if adverbs_only else len(out), "has ")  # "has just been", not "just has been"
            elif t.tag_ in ("VBP", "VB"):
                word = third_singular(t)
        is_clitic_after_name = replaced_before and lower.startswith("'") and t.pos_ in ("AUX", "VERB", "PART")
        replaced_before = False
        nxt = next((x for x in tokens if x.i > t.i and x.i not in drop), None)
        if not ws and nxt is not None and nxt.i != t.i + 1 and not nxt.is_punct:
            ws = " "  # words that were apart in the message ("We" and "achieving" without "'ve been")
        if t.i in replace:
            name = replace[t.i]
            if said and name.startswith(f"{speaker}'s "):
                raise Unclean(t.text)  # "helping her (my cousin) find a place": not "the cousin"
            if t.tag_ == "PRP$":
                name = _possessive(name)
            word = name
            replaced_before = True
            said = said or name.startswith(speaker)
        elif t.i in elided:
            continue
        elif t.i in subordinate:
            # "since Gina lost the job": the name again is fine, and "my" after it is "the"
            word, replaced_before, said = speaker, True, True
            subordinate_only = not main_said
        elif (
            lower in ("i", "me", "we", "us")
            and t.pos_ == "PRON"
            and t.dep_ not in ("compound", "amod", "nmod")
        ):
            if said and not subordinate_only:
                raise Unclean(t.text)
            word, said, replaced_before, main_said, subordinate_only = speaker, True, True, True, False
        elif lower in ("myself", "ourselves"):
            if said:
                raise Unclean(t.text)
            word, said = speaker, True
        elif lower == "our" and t.dep_ == "poss" and prefix:
            word = "their"  # "My wife Sarah and I are expecting our first baby": both of theirs
        elif lower == "our" and t.dep_ == "poss" and _ours_unclear(t):
            raise Unclean(t.text)  # "our trip", "our kids": the speaker's and whose else? ("our dog Max" is)
        elif (
            lower in _KIN
            and t.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj")
            and t.i not in replace
            and not any(c.dep_ in ("det", "poss") for c in t.children)
        ):
            if said:
                raise Unclean(t.text)
            word, said = f"{speaker}'s {lower}", True  # "Dad signed me up": the speaker's dad
        elif lower in ("my", "our") and t.dep_ == "poss":
            if not said:
                word, said = f"{speaker}'s", True
            else:
                owned = t.head
                names = P.name_tokens(owned) if P.role_word(owned) or P.pet_word(owned) else []
                if names and names[0].i > owned.i:
                    # "with my sister Anna" after the name: "with Anna" (who she is, said apart)
                    drop.update(x.i for x in t.doc[t.i : names[0].i] if x.i in inside)
                    continue
                if (
                    owned.lemma_.lower() in _INALIENABLE
                    or owned.lower_ in _INALIENABLE
                    or (owned.tag_ == "NN" and P.role_word(owned) in _KIN)  # not "the daughter"
                ):
                    raise Unclean(t.text)  # "to clear my head": not "the head"
                if any(c.lower_ == "own" and c.i == t.i + 1 for c in owned.children):
                    raise Unclean(t.text)  # "my own style" is not "the style"
                if any(c.lower_ == "home" for c in owned.children if c.dep_ == "compound") or (
                    owned.lemma_.lower() in _WHOSE
                    and all(c == t for c in owned.children)
                    and not any(x.i > owned.i and x.dep_ in ("prep", "dobj", "pobj") for x in tokens)
                ):
                    raise Unclean(t.text)  # "Jon lost the job", "moved from the home country": whose?
                plural = owned.tag_ in ("NNS", "NNPS") and (P.role_word(owned) or P.pet_word(owned)) is None
                after_of = t.i > 0 and t.doc[t.i - 1].lower_ == "of"  # "some of the favorite memories"
                word = "" if plural and not after_of else "the"
                if word and not _specific(owned, tokens):
                    raise Unclean(t.text)  # "John wants to use the platform": which one, only "my" said
                if not word:
                    ws = ""
        elif lower in ("mine", "ours"):
            if said:
                raise Unclean(t.text)
            word, said = f"{speaker}'s", True
        elif t.i in first_subject_verbs:
            word = third_singular(t)
        if is_clitic_after_name:
            if t.i not in first_subject_verbs:
                expanded = "is" if lower == "'s" and t.lemma_ == "be" else "has" if lower == "'s" else None
                if lower == "'d" and _before_participle(t):
                    expanded = "had"  # "I'd been wanting to" -> "had been", not "would been"
                word = expanded or _CLITICS.get(lower, word)
            if out and not out[-1].endswith(" "):
                out.append(" ")
        out.append(word + ws)
    s = "".join(out)
    if subjectless_verb is not None:
        s = f"{speaker} {s[0].lower() + s[1:]}" if s else s
    s = re.sub(r"\b(does|is|has|was|did|are|were|have|had|could|would|should)\s+n't\b", r"\1n't", s)
    s = re.sub(r"\bca n't\b", "can't", s)
    s = re.sub(r"\bwo n't\b", "won't", s)
    s = re.sub(r"\bsha n't\b", "shan't", s)
    s = re.sub(
        r"(\w) ?'d (been|had|done|gone|seen|made|got|gotten|known|never|always|just|already)\b",
        r"\1 had \2",
        s,
    )
    s = re.sub(rf"\b{re.escape(speaker)} 'd\b", f"{speaker} would", s)
    s = re.sub(r"\bwould (been|had|done|gone|seen|made|known)\b", r"had \1", s)
    s = re.sub(rf"\b{re.escape(speaker)} 'll\b", f"{speaker} will", s)
    s = re.sub(rf"\b{re.escape(speaker)} 's\b", f"{speaker} has", s)
    s = re.sub(rf"\b{re.escape(speaker)} (am|are)\b", f"{speaker} is", s)
    return re.sub(r" {2,}", " ", s)


# What `quote` makes, for readers of stored memories (a biography retells, it does not quote).
QUOTED = re.compile(r"^[^\"]{1,80} said \(\d{1,2} [A-Z][a-z]+ \d{4}\): \"")


def quote(tokens: list[Token], speaker: str, day: Any, notes: dict[int, str] | None = None) -> str:
    """The clause in the speaker's own words, attributed and dated: `Evan said (3 May 2023): "I can't
    do intense workouts."`, for a claim that cannot be retold cleanly in the third person. `notes`:
    who a pronoun stands for, said in brackets after it ("I visit them [Gina's parents] ...")."""
    notes = notes or {}
    words = "".join(
        str(t.text)
        + (f" [{notes[t.i]}]" if t.i in notes else "")
        + (str(t.whitespace_) or (" " if n + 1 < len(tokens) and tokens[n + 1].i != t.i + 1 else ""))
        for n, t in enumerate(tokens)
    ).strip()
    words = re.sub(r"\s+([,.!?;:])", r"\1", words)
    words = re.sub(r"[\s,;:!?.-]+$", "", words)
    words = re.sub(r"^[\s,;:-]+", "", _DISCOURSE.sub("", words))
    if not words:
        return ""
    words = words[0].upper() + words[1:]
    return f'{speaker} said ({day.day} {day:%B %Y}): "{words}."'


def finish(clause: str) -> str:
    """Trim chat filler and end as a sentence."""
    s = clause.strip()
    s = _DISCOURSE.sub("", s)
    s = re.sub(r"\s*[,;:-]+\s*$", "", s)
    s = re.sub(r"\s+([,.!?])", r"\1", s)
    s = re.sub(r"[\s!?.]+$", "", s).strip(" ,;-")
    s = re.sub(r'([.!?])"$', '"', s)  # 'called "Finding Freedom."' ends once
    s = re.sub(r"\s+", " ", s)
    s = re.sub(r"\b(about|around|roughly|almost|nearly|over) (in|since) (\d{4})\b", r"\2 about \3", s)
    if not s:
        return s
    return s[0].upper() + s[1:] + "."
