"""Every pipeline step, registered in one place with what it requires and assigns.

fetch → extract → dedupe → stories → who-said-what → perspectives → briefing.
``fetch`` and ``ingest`` run extraction and deduplication inline, per document, so a
document is never stored without its article (or its recorded error).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .pipeline import RunContext


@dataclass(frozen=True)
class Step:
    name: str
    run: Callable[[RunContext], None]
    requires: tuple[str, ...]
    assigns: tuple[str, ...]
    doc: str


def _lazy(module: str, func: str) -> Callable[[RunContext], None]:
    """Import the step's module only when it runs (keeps spaCy etc. off start-up)."""

    def run(ctx: RunContext) -> None:
        import importlib

        getattr(importlib.import_module(module, __package__), func)(ctx)

    run.__name__ = func
    return run


STEPS: dict[str, Step] = {
    s.name: s
    for s in (
        Step(
            "fetch",
            _lazy(".pipeline.fetch", "fetch_step"),
            requires=("sources", "feeds"),
            assigns=("documents", "articles", "minhashes"),
            doc="Fetch feeds and sitemaps of the enabled sources, then their article pages.",
        ),
        Step(
            "ingest",
            _lazy(".pipeline.ingest", "ingest_step"),
            requires=("paths",),
            assigns=("documents", "articles", "minhashes"),
            doc="Read local HTML, text, JSONL and WARC files.",
        ),
        Step(
            "reprocess",
            _lazy(".pipeline.ingest", "reprocess_step"),
            requires=("documents",),
            assigns=("articles", "minhashes"),
            doc="Rebuild articles from stored documents without refetching.",
        ),
        Step(
            "stories",
            _lazy(".pipeline.stories", "stories_step"),
            requires=("articles",),
            assigns=("stories", "articles.story_id"),
            doc="Assign new articles to stories (online clustering).",
        ),
        Step(
            "quotes",
            _lazy(".pipeline.quotes", "quotes_step"),
            requires=("articles", "stories"),
            assigns=("entities", "quotes"),
            doc="Extract entities and attributed quotes.",
        ),
        Step(
            "perspectives",
            _lazy(".pipeline.perspectives", "perspectives_step"),
            requires=("stories", "quotes"),
            assigns=("perspectives",),
            doc="Coverage, facts, framing and neutral summary per story.",
        ),
        Step(
            "briefing",
            _lazy(".pipeline.briefing", "briefing_step"),
            requires=("perspectives",),
            assigns=("briefings",),
            doc="Rank stories into today's briefing and render its outputs.",
        ),
        Step(
            "check",
            _lazy(".pipeline.fetch", "check_step"),
            requires=("sources",),
            assigns=("feeds",),
            doc="Fetch each feed once and record its health (`sources check`).",
        ),
    )
}

BRIEF_STEPS = ("fetch", "stories", "quotes", "perspectives", "briefing")
INGEST_STEPS = ("ingest", "stories")
