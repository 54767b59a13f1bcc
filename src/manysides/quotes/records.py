"""Typed records of the who-said-what stage."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ENTITY_LABELS: frozenset[str] = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP"})


@dataclass(frozen=True, slots=True)
class Entity:
    """A named entity mention; ``canonical`` is the fullest name of its variant group."""

    label: str  # PERSON | ORG | GPE | LOC | NORP
    text: str
    canonical: str
    start: int
    end: int


FRAGMENT_JOIN = " … "  # how the fragments of a split quote are joined in ``Quote.text``


@dataclass(frozen=True, slots=True)
class Fragment:
    """One verbatim piece of a quote: ``text == article_text[start:end]``."""

    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Quote:
    """One attribution: what was said, verbatim, and who said it.

    Most quotes are one stretch of text, ``text == article_text[start:end]``. A split quote
    (``"A," he said, "B."``) is one attribution of several ``fragments``, each verbatim
    with its offsets; then ``text`` joins them with ``FRAGMENT_JOIN`` and ``start``/``end``
    span from the first to the last. ``fragments`` always lists at least one piece.

    ``speaker`` is the person or organisation the quote is given to, by the fullest name
    the article uses ("Vladimir Putin" for "Putin", "he" or "the president"), or None when
    no named person or organisation could be resolved ("a source said", "they said").
    ``speaker_start``/``speaker_end`` locate the mention the text attributes it to (the
    "he" of "he said"), so ``speaker`` need not equal the text at those offsets.
    ``confidence`` is the estimated probability that ``speaker`` is right (calibrated on
    annotated news; 0 when ``speaker`` is None); ``basis`` names the rule and the kind of
    mention it came from, which is what the confidence is estimated from.
    """

    text: str
    start: int
    end: int
    speaker: str | None
    speaker_start: int | None
    speaker_end: int | None
    cue: str | None
    direct: bool
    confidence: float = 0.0
    basis: str = ""  # how it was attributed: "<rule>/<mention kind>", e.g. "after/pronoun"
    fragments: tuple[Fragment, ...] = ()

    def __post_init__(self) -> None:
        if not self.fragments:
            object.__setattr__(self, "fragments", (Fragment(self.text, self.start, self.end),))

    @property
    def split(self) -> bool:
        return len(self.fragments) > 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "speaker": self.speaker,
            "speaker_start": self.speaker_start,
            "speaker_end": self.speaker_end,
            "cue": self.cue,
            "direct": self.direct,
            "confidence": round(self.confidence, 3),
            "basis": self.basis,
            "fragments": [{"text": f.text, "start": f.start, "end": f.end} for f in self.fragments],
        }


def verbatim(text: str, quote: Quote) -> bool:
    """Whether every fragment of ``quote`` is exactly the article text at its offsets."""
    return all(text[f.start : f.end] == f.text for f in quote.fragments) and (
        quote.text == FRAGMENT_JOIN.join(f.text for f in quote.fragments)
    )


@dataclass(slots=True)
class ArticleQuotes:
    entities: list[Entity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    error: str | None = None  # set (and nothing else) when this article could not be analyzed


@dataclass(slots=True)
class StoryQuote:
    """One quote within a story, with every outlet that carried it."""

    text: str
    speaker: str | None
    cue: str | None
    direct: bool
    carriers: list[dict[str, Any]] = field(default_factory=list)  # article_id, outlet, leaning
    confidence: float = 0.0  # the best confidence of an outlet's attribution to ``speaker``
    wording_differs: bool = False
    variants: list[str] = field(default_factory=list)
