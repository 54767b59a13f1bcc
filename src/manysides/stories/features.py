"""Cheap, stateless text features for story clustering.

Three sparse views of an article, as in Miranda et al. (2018): title terms, body terms
and entities. Entities are capitalised-token sequences (no NER model in the hot path).
Terms are ``nlp.text.content_stems``: lower-cased words without stop words, stemmed.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ..nlp.text import STOPWORDS, content_stems

# Capitalised sequences, allowing inner connectors ("Bank of America", "Kim Jong Un").
_ENTITY = re.compile(
    r"\b(?:[A-Z][\w'’.-]*[A-Za-z0-9]|[A-Z])(?:\s+(?:of|de|the|al|bin|van|von)?\s*"
    r"(?:[A-Z][\w'’.-]*[A-Za-z0-9]|[A-Z]))*"
)

# Capitalised words that start sentences or headlines and name nothing.
_ENTITY_STOP_TEXT = """breaking update watch opinion analysis exclusive live video photos read editor
    monday tuesday wednesday thursday friday saturday sunday"""
_ENTITY_STOP = STOPWORDS | frozenset(_ENTITY_STOP_TEXT.split())


_MIN_TERM = 2  # one-character words are not clustering terms

_CONNECTORS = frozenset(("of", "de", "the", "al", "bin", "van", "von"))


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


def bags(title: str, text: str, max_body_tokens: int) -> Bags:
    """Term counts of the title, the text (title and body opening) and their entities."""
    body_text = text[: max_body_tokens * 8]
    ents = entities(title) + entities(body_text)
    title_terms = content_stems(title, None, _MIN_TERM)
    return Bags(
        title=Counter(title_terms),
        body=Counter(title_terms + content_stems(body_text, max_body_tokens, _MIN_TERM)),
        entities=Counter(ents),
    )
