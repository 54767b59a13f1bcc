"""The Perspective record: everything the briefing shows about one story.

Produced by ``manysides.perspectives.analyze_story``; stored as JSON by the pipeline
(``to_dict``/``from_dict``) and rendered by ``manysides.briefing``. Sides group the
5-point leaning scale: left = left + lean-left, center, right = lean-right + right.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

SIDES: tuple[str, ...] = ("left", "center", "right")
SIDE_OF: dict[str, str] = {  # 5-point leaning -> side; "unrated" has none
    "left": "left",
    "lean-left": "left",
    "center": "center",
    "lean-right": "right",
    "right": "right",
}


@dataclass
class ArticleRef:
    id: int
    title: str
    url: str
    outlet: str  # outlet name
    source_id: str | None
    leaning: str  # 5-point leaning or "unrated"
    published: str | None  # ISO 8601
    loaded_language: float = 0.0  # share of tokens from the bias lexicon, per 100 tokens
    carriers: list[str] = field(default_factory=list)  # other outlets that ran this same report
    kind: str = ""  # "opinion" | "analysis" | "" (news); see perspectives/opinion.py
    kind_reason: str = ""  # what marked it, e.g. "URL path /opinion/"


@dataclass
class Coverage:
    n_articles: int
    n_reports: int  # syndicated copies counted once
    n_outlets: int
    by_leaning: dict[str, dict[str, Any]]  # leaning -> {"outlets": [names], "articles": n}
    by_side: dict[str, int]  # side -> distinct outlets
    ownership: dict[str, int]  # ownership type -> distinct outlets
    first_report: str | None
    latest_report: str | None
    blindspot: str | None = None  # the side that is NOT covering it, e.g. "right"; None if balanced
    dominant_side: str | None = None  # the side supplying most coverage when blindspot is set
    n_opinion: int = 0  # opinion/analysis pieces (a column in two outlets once), not in n_reports
    absent_sides: list[str] = field(default_factory=list)  # sides no rated outlet covered


@dataclass
class Fact:
    text: str
    articles: list[int]
    outlets: list[str]
    sides: list[str]


@dataclass
class Discrepancy:
    kind: str  # "number" | "date" | "name"
    context: str  # what the values are about
    values: dict[str, list[str]]  # value -> outlets reporting it


@dataclass
class SideFraming:
    side: str
    terms: list[tuple[str, float]]  # distinguishing words/phrases with z-scores (Fightin' Words)
    headlines: list[ArticleRef]
    quotes: list[str]  # quote texts this side carried that others did not
    loaded_language: float  # mean of its articles' loaded-language scores


@dataclass
class StoryQuoteRef:
    text: str
    speaker: str | None
    cue: str | None
    direct: bool
    carriers: list[dict[str, Any]]  # {"article_id", "outlet", "leaning"}
    wording_differs: bool = False
    confidence: float = 0.0  # how far to trust ``speaker`` (quotes.confidence); 0: unknown


@dataclass
class StoryArticle:
    """One article of a story, as the perspectives stage sees it (input record)."""

    id: int
    title: str
    text: str
    url: str = ""
    outlet: str = ""  # outlet name
    source_id: str | None = None
    leaning: str = "unrated"  # 5-point leaning or "unrated"
    ownership: str = "unknown"
    published: datetime | None = None
    report_id: int | None = None  # syndicated copies share one report id
    authors: str = ""  # the byline, comma-separated
    page_type: str = ""  # og:type or schema.org NewsArticle subtype the page declares
    page_section: str = ""  # article:section the page declares ("Opinion")


@dataclass
class StoryBundle:
    """Everything ``analyze_story`` needs about one story."""

    story_id: int
    headline: str
    articles: list[StoryArticle]
    quotes: list[StoryQuoteRef] = field(default_factory=list)


@dataclass
class SummarySentence:
    text: str
    articles: list[int]


@dataclass
class Summary:
    text: str
    sentences: list[SummarySentence]
    method: str = "extractive"  # "extractive" | "llm"


@dataclass
class Perspective:
    story_id: int
    headline: str
    section: str  # "US" | "World" | "Business" | "Science & Tech" | ...
    coverage: Coverage
    summary: Summary
    facts: list[Fact] = field(default_factory=list)
    discrepancies: list[Discrepancy] = field(default_factory=list)
    framing: dict[str, SideFraming] = field(default_factory=dict)  # side -> framing
    quotes: list[StoryQuoteRef] = field(default_factory=list)
    articles: list[ArticleRef] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # e.g. "bias lexicon not found: ..."

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Perspective:
        def refs(items: list[dict[str, Any]]) -> list[ArticleRef]:
            return [ArticleRef(**a) for a in items]

        return cls(
            story_id=d["story_id"],
            headline=d["headline"],
            section=d.get("section", ""),
            coverage=Coverage(**d["coverage"]),
            summary=Summary(
                text=d["summary"]["text"],
                sentences=[SummarySentence(**s) for s in d["summary"]["sentences"]],
                method=d["summary"].get("method", "extractive"),
            ),
            facts=[Fact(**f) for f in d.get("facts", [])],
            discrepancies=[Discrepancy(**x) for x in d.get("discrepancies", [])],
            framing={
                side: SideFraming(
                    side=f["side"],
                    terms=[(t, float(z)) for t, z in f["terms"]],
                    headlines=refs(f["headlines"]),
                    quotes=list(f["quotes"]),
                    loaded_language=f["loaded_language"],
                )
                for side, f in d.get("framing", {}).items()
            },
            quotes=[StoryQuoteRef(**q) for q in d.get("quotes", [])],
            articles=refs(d.get("articles", [])),
            notes=list(d.get("notes", [])),
        )
