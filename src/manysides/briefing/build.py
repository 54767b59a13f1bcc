"""Assemble the day's ``Briefing`` from ranked candidates (pure)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from .rank import Candidate, RankOptions, continuing, rank
from .records import Briefing

BriefingRow = tuple[int, int, str, int, int]  # story_id, rank, section, n_articles, max_article_id


def build_briefing(
    date: str,
    title: str,
    candidates: Iterable[Candidate],
    now: datetime,
    opts: RankOptions,
    label: str = "",
) -> Briefing:
    """Rank the candidates into a dated briefing (zero stories is a valid briefing)."""
    pool = list(candidates)
    return Briefing(
        date=date,
        title=title,
        generated_at=now.astimezone(UTC).isoformat(timespec="seconds"),
        sections=rank(pool, now, opts),
        n_candidates=len(pool),
        label=label,
        continuing=continuing(pool, now, opts),
    )


def briefing_rows(briefing: Briefing) -> list[BriefingRow]:
    """The rows ``store.briefings.save_briefing`` records for "what's new" next time."""
    return [
        (
            item.story_id,
            item.rank,
            item.section,
            item.perspective.coverage.n_articles,
            item.max_article_id,
        )
        for item in briefing.items
    ]
