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


@dataclass(frozen=True, slots=True)
class Quote:
    """One attributed quote, verbatim: ``text == article_text[start:end]``.

    ``speaker`` is the resolved, fullest name ("Vladimir Putin" for "Putin" or "he");
    ``speaker_start``/``speaker_end`` locate the mention the text attributes it to (the
    "he" of "he said"), so ``speaker`` need not equal the text at those offsets.
    """

    text: str
    start: int
    end: int
    speaker: str | None
    speaker_start: int | None
    speaker_end: int | None
    cue: str | None
    direct: bool

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
        }


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
    wording_differs: bool = False
    variants: list[str] = field(default_factory=list)
