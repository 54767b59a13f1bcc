"""Cheap, stateless text features for story clustering.

Three sparse views of an article, as in Miranda et al. (2018): title terms, body terms
and entities. Entities are capitalised-token sequences (no NER model in the hot path).
Terms are lower-cased word tokens without stop words, with a light plural stemmer.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

_WORD = re.compile(r"[a-z0-9]+")
# Capitalised sequences, allowing inner connectors ("Bank of America", "Kim Jong Un").
_ENTITY = re.compile(
    r"\b(?:[A-Z][\w'’.-]*[A-Za-z0-9]|[A-Z])(?:\s+(?:of|de|the|al|bin|van|von)?\s*"
    r"(?:[A-Z][\w'’.-]*[A-Za-z0-9]|[A-Z]))*"
)

_STOP_TEXT = """a about above after again against ago all also am an and any are aren as at be
    because been before being below between both but by can cannot could couldn did didn do
    does doesn doing don down during each even ever every few for from further get gets got
    had hadn has hasn have haven having he her here hers herself him himself his how however
    i if in into is isn it its itself just least less let like ll made make many may me
    might more most much must mustn my myself new no nor not now of off on once one only or
    other our ours ourselves out over own per re said same say says she should shouldn so
    some such than that the their theirs them themselves then there these they this those
    though through thus to too under until up upon us use used ve very via was wasn way we
    were weren what when where whether which while who whom whose why will with within
    without won would wouldn yet you your yours yourself yourselves s t d m o y also
    mr mrs ms dr told according"""
STOP_WORDS = frozenset(_STOP_TEXT.split())

# Capitalised words that start sentences or headlines and name nothing.
_ENTITY_STOP_TEXT = """breaking update watch opinion analysis exclusive live video photos read editor
    monday tuesday wednesday thursday friday saturday sunday"""
_ENTITY_STOP = STOP_WORDS | frozenset(_ENTITY_STOP_TEXT.split())


_CONNECTORS = frozenset(("of", "de", "the", "al", "bin", "van", "von"))


def stem(word: str) -> str:
    """A deliberately tiny stemmer: fold common plural endings."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if len(word) > 5 and word.endswith("ing"):
        return word[:-3]
    if len(word) > 4 and word.endswith("ed") and not word.endswith("eed"):
        return word[:-2] if not word.endswith("ied") else word[:-3] + "y"
    if len(word) > 4 and word.endswith("e"):
        return word[:-1]
    return word


def terms(text: str, limit: int | None = None, stems: dict[str, str] | None = None) -> list[str]:
    """Content terms of a text, in order (at most ``limit`` tokens are read).

    ``stems`` memoises ``stem`` across calls (the caller owns and bounds it).
    """
    words = _WORD.findall(text.lower())
    if limit is not None:
        words = words[:limit]
    memo = {} if stems is None else stems
    out: list[str] = []
    for w in words:
        if w in STOP_WORDS or len(w) < 2:
            continue
        s = memo.get(w)
        if s is None:
            s = memo[w] = stem(w)
        out.append(s)
    return out


def entities(text: str) -> list[str]:
    """Capitalised-token sequences, lower-cased, without leading function words."""
    out: list[str] = []
    for match in _ENTITY.finditer(text):
        words = match.group(0).replace("’", "'").split()
        while words and words[0].lower().strip(".'") in _ENTITY_STOP:
            words = words[1:]
        if not words:
            continue
        if len(words) > 2 and not _CONNECTORS.intersection(words):
            words = words[-2:]  # "Republican US Senator Lisa Murkowski" -> "lisa murkowski"
        name = " ".join(words).lower().rstrip(".").removesuffix("'s")
        if len(name) > 1:
            out.append(name)
    return out


@dataclass(frozen=True, slots=True)
class Bags:
    """Raw term counts of one article's three views."""

    title: Counter[str]
    body: Counter[str]
    entities: Counter[str]


def bags(title: str, text: str, max_body_tokens: int, stems: dict[str, str] | None = None) -> Bags:
    """Term counts of the title, the text (title and body opening) and their entities."""
    body_text = text[: max_body_tokens * 8]
    ents = entities(title) + entities(body_text)
    title_terms = terms(title, None, stems)
    return Bags(
        title=Counter(title_terms),
        body=Counter(title_terms + terms(body_text, max_body_tokens, stems)),
        entities=Counter(ents),
    )
