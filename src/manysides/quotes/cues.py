"""Cue verbs of reported speech and thought, with their inflected forms."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from ..nlp.text import wordset

# Lemmas that introduce a quote or an attribution.
SPEECH_LEMMAS: frozenset[str] = wordset(
    """
    say tell add argue claim warn insist explain note state declare announce report
    write tweet post reply respond answer ask acknowledge admit concede confirm deny
    suggest predict promise vow pledge urge caution complain contend assert maintain
    stress emphasize emphasise recall remark observe comment mention describe testify
    allege charge accuse boast joke quip scoff shout yell cry whisper murmur continue
    agree disagree counter retort concede conclude estimate reveal disclose indicate
    signal announce declare proclaim recount explain reason lament muse wonder point
    believe think feel hope fear worry expect know find show suggest estimate
    call describe criticize criticise endorse praise defend urge propose reject dismiss
    blame accuse cite support oppose want seek promise pledge vow refuse decline plan
    ask question predict tweet demand condemn slam blast attack label dub
    """
)

# Cues whose object (not a clause) is what is reported: "called X “...”", "declined to ...".
OBJECT_CUES: frozenset[str] = wordset(
    """
    call describe criticize criticise endorse praise defend urge propose reject dismiss
    blame accuse cite support oppose want seek promise pledge vow refuse decline plan
    ask question predict tweet demand condemn slam blast attack label dub
    """
)

# Verbs of saying that only ever introduce a direct quotation ("“Go back,” Trump barked").
MANNER_LEMMAS: frozenset[str] = wordset(
    """
    bark snap exclaim chant scream thunder gush plead beg rage fume sigh laugh chuckle opine
    interject interrupt quip chide scold mock sneer concede marvel recount recite sing
    """
)

# Cues that appear as "X said" right after a quote; surface forms (lower case).
_IRREGULAR: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "say": ("say", "says", "said", "saying"),
        "tell": ("tell", "tells", "told", "telling"),
        "write": ("write", "writes", "wrote", "writing", "written"),
        "think": ("think", "thinks", "thought"),
        "feel": ("feel", "feels", "felt"),
        "know": ("know", "knows", "knew", "known"),
        "find": ("find", "finds", "found"),
        "cry": ("cry", "cries", "cried"),
        "reply": ("reply", "replies", "replied"),
        "deny": ("deny", "denies", "denied"),
        "testify": ("testify", "testifies", "testified"),
        "show": ("show", "shows", "showed", "shown"),
        "seek": ("seek", "seeks", "sought"),
        "read": ("read", "reads"),
        "sing": ("sing", "sings", "sang"),
        "snap": ("snap", "snaps", "snapped"),
        "beg": ("beg", "begs", "begged"),
        "plan": ("plan", "plans", "planned"),
        "label": ("label", "labels", "labeled", "labelled"),
        "dub": ("dub", "dubs", "dubbed"),
        "criticize": ("criticize", "criticizes", "criticized"),
        "quip": ("quip", "quips", "quipped"),
    }
)


_DOUBLING = frozenset({"admit", "quip", "plan", "dub", "snap", "beg", "chat"})


def forms(lemma: str) -> tuple[str, ...]:
    """Inflected forms of a cue lemma ("say" -> say, says, said, saying)."""
    return _forms(lemma)


def _forms(lemma: str) -> tuple[str, ...]:
    if lemma in _IRREGULAR:
        forms = _IRREGULAR[lemma]
        if any(f.endswith("ing") for f in forms):
            return forms
        if lemma.endswith("e") and not lemma.endswith("ee"):
            return (*forms, lemma[:-1] + "ing")
        if lemma in _DOUBLING:
            return (*forms, lemma + lemma[-1] + "ing")
        return (*forms, lemma + "ing")
    if lemma.endswith("ee"):
        return (lemma, lemma + "s", lemma + "d", lemma + "ing")
    if lemma.endswith("e"):
        return (lemma, lemma + "s", lemma + "d", lemma[:-1] + "ing")
    if lemma.endswith(("sh", "ch", "ss", "x")):
        return (lemma, lemma + "es", lemma + "ed", lemma + "ing")
    if lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
        return (lemma, lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing")
    if lemma in _DOUBLING:
        return (lemma, lemma + "s", lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing")
    return (lemma, lemma + "s", lemma + "ed", lemma + "ing")


CUE_FORMS: Mapping[str, str] = MappingProxyType(
    {f: lemma for lemma in SPEECH_LEMMAS for f in _forms(lemma)}
)

# Verbs strong enough to attribute a quotation standing next to them.
_NOT_DIRECT = wordset("believe think feel hope fear know find show worry expect")
_DIRECT_OBJECT_CUES = wordset("ask tweet predict promise pledge vow urge demand question read")
DIRECT_CUES: frozenset[str] = frozenset(
    f
    for lemma in (SPEECH_LEMMAS - _NOT_DIRECT - OBJECT_CUES) | _DIRECT_OBJECT_CUES | MANNER_LEMMAS
    for f in _forms(lemma)
)

PRONOUNS: frozenset[str] = frozenset({"he", "she", "they", "i", "we", "it", "you"})
PERSON_PRONOUNS: frozenset[str] = frozenset({"he", "she", "i", "we", "they"})

# Cue forms that are more often nouns ("the state", "a report"): only parsed where the
# surrounding words suggest a verb (see ``analyzer._likely_verb``).
AMBIGUOUS_CUES: frozenset[str] = frozenset(
    f
    for lemma in wordset(
        """state support report post question claim demand comment call show find want plan
        charge reply answer estimate fear hope promise pledge attack label signal note reason
        counter cry joke point concern charge dub blast slam accuse cite seek ask write"""
    )
    for f in _forms(lemma)[:2]
) - wordset("asks writes says")
