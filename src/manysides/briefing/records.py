"""The Briefing record: one day's ranked stories, grouped into sections.

Built by ``manysides.briefing.build_briefing`` from stored ``Perspective`` records,
stored as JSON (``to_dict``/``from_dict``, documented in ``docs/briefing-schema.md``)
and rendered by ``manysides.briefing.render``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from ..perspectives.records import ArticleRef, Perspective

SCHEMA_VERSION = 1


@dataclass
class WhatsNew:
    """New reporting on a story since it last appeared in a briefing."""

    since: str  # date (YYYY-MM-DD) of the previous appearance
    previous_articles: int
    new_articles: list[ArticleRef] = field(default_factory=list)
    new_outlets: list[str] = field(default_factory=list)
    new_facts: list[str] = field(default_factory=list)  # key facts only new articles state


@dataclass
class ContinuingItem:
    """A story of the previous briefing with no new reporting since: one line."""

    story_id: int
    headline: str
    since: str  # date (YYYY-MM-DD) of the previous briefing
    n_outlets: int
    n_articles: int


@dataclass
class BriefingItem:
    """One story in the briefing."""

    rank: int  # 1-based position in the whole briefing, in display order
    section: str
    score: float
    perspective: Perspective
    max_article_id: int
    whats_new: WhatsNew | None = None

    @property
    def story_id(self) -> int:
        return self.perspective.story_id


@dataclass
class BriefingSection:
    name: str
    items: list[BriefingItem] = field(default_factory=list)


@dataclass
class Briefing:
    date: str  # YYYY-MM-DD
    title: str
    generated_at: str  # ISO 8601 UTC
    sections: list[BriefingSection] = field(default_factory=list)
    n_candidates: int = 0  # stories considered
    label: str = ""  # shown on every page and output, e.g. "Sample briefing: ..."
    continuing: list[ContinuingItem] = field(default_factory=list)
    schema_version: int = SCHEMA_VERSION

    @property
    def items(self) -> list[BriefingItem]:
        return [item for section in self.sections for item in section.items]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Briefing:
        def whats_new(w: dict[str, Any] | None) -> WhatsNew | None:
            if not w:
                return None
            return WhatsNew(
                since=w["since"],
                previous_articles=w["previous_articles"],
                new_articles=[ArticleRef(**a) for a in w.get("new_articles", [])],
                new_outlets=list(w.get("new_outlets", [])),
                new_facts=list(w.get("new_facts", [])),
            )

        return cls(
            date=d["date"],
            title=d["title"],
            generated_at=d["generated_at"],
            n_candidates=d.get("n_candidates", 0),
            label=d.get("label", ""),
            continuing=[ContinuingItem(**c) for c in d.get("continuing", [])],
            schema_version=d.get("schema_version", SCHEMA_VERSION),
            sections=[
                BriefingSection(
                    name=s["name"],
                    items=[
                        BriefingItem(
                            rank=i["rank"],
                            section=i["section"],
                            score=i["score"],
                            perspective=Perspective.from_dict(i["perspective"]),
                            max_article_id=i["max_article_id"],
                            whats_new=whats_new(i.get("whats_new")),
                        )
                        for i in s["items"]
                    ],
                )
                for s in d.get("sections", [])
            ],
        )
