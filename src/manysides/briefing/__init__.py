"""The briefing stage: rank the day's stories and render the briefing in every format.

``build_briefing`` (pure) turns stored ``Perspective`` records into a ``Briefing``;
``manysides.briefing.render`` turns a ``Briefing`` into HTML, email HTML, plain text,
Markdown, JSON and Atom. The pipeline step ``manysides.pipeline.briefing`` does the
store and file I/O.
"""

from __future__ import annotations

from .build import briefing_rows, build_briefing
from .rank import Candidate, PreviousAppearance, RankOptions, importance, rank
from .records import (
    SCHEMA_VERSION,
    Briefing,
    BriefingItem,
    BriefingSection,
    ContinuingItem,
    WhatsNew,
)

__all__ = [
    "SCHEMA_VERSION",
    "Briefing",
    "BriefingItem",
    "BriefingSection",
    "Candidate",
    "ContinuingItem",
    "PreviousAppearance",
    "RankOptions",
    "WhatsNew",
    "briefing_rows",
    "build_briefing",
    "importance",
    "rank",
]
