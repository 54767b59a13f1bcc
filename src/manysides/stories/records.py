"""Input and output records of the stories stage."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class StoryInput:
    """What the clusterer needs to know about one article."""

    id: str | int
    title: str
    text: str
    published: datetime | None = None
    source: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Assignment:
    """Where one article went: its story, whether it started it, which stories it merged,
    and ``similarity``: the scorer's probability that it reports its story's event (None
    for the article that started the story)."""

    story_id: int
    is_new: bool
    merged: tuple[int, ...] = ()
    similarity: float | None = None
