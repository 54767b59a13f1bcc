"""The previous briefing, computed from the data (pure).

A story "was in the previous briefing" when, with only the articles published by the
previous briefing's clock (``previous_clock``: ``briefing.previous_hours`` earlier, a day
by default; 0: there is no previous briefing), it would have made that
briefing by the same ranking (same options, its latest article within ``briefing.hours``
of that clock, a day-dated article counting as published within its day). Nothing
persisted is read, so a day's front page is the same whether or not the day before was
built. The day before's own continuing stories are not recursed into: the previous
briefing is the stories that would have made it on their own.

``state_at`` is a story as it stood at a clock: its articles published by then (an undated
article counts as new), its coverage recounted from them (outlets, sides, reports, opinion
pieces, blindspot); section and headline stay today's.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from ..config import PerspectivesConfig
from ..perspectives.coverage import Counted, count
from ..perspectives.records import ArticleRef, Coverage, Perspective
from ..times import DAY_ONLY_CLOCK
from ..times import parse as parse_time
from .rank import Candidate, RankOptions, rank


def previous_clock(now: datetime, previous_hours: int) -> datetime | None:
    """When the previous briefing was built (None: there is none)."""
    return now - timedelta(hours=previous_hours) if previous_hours else None


def published_by(a: ArticleRef, clock: datetime) -> bool:
    """Whether ``a`` was published at or before ``clock`` (undated: no)."""
    t = parse_time(a.published)
    return t is not None and t <= clock


def recount(articles: Sequence[ArticleRef], config: PerspectivesConfig) -> Coverage:
    """Coverage of a story's article references (what ``perspectives.coverage`` counts
    from full articles: one report per set of carriers, an opinion piece once)."""
    counted = []
    for a in articles:
        group = frozenset({a.outlet, *a.carriers}) if a.carriers else frozenset({f"#{a.id}"})
        counted.append(
            Counted(
                outlet=a.source_id or a.outlet or f"article-{a.id}",
                name=a.outlet,
                leaning=a.leaning,
                report=None if a.kind else group,
                opinion=group if a.kind else None,
                published=a.published,
            )
        )
    return count(counted, config)


def state_at(p: Perspective, clock: datetime, config: PerspectivesConfig) -> Perspective | None:
    """The story as it stood at ``clock`` (None: it had no article yet)."""
    arts = [a for a in p.articles if published_by(a, clock)]
    if not arts:
        return None
    return dataclasses.replace(p, articles=arts, coverage=recount(arts, config))


def in_window(latest: str | None, clock: datetime, hours: float) -> bool:
    """Whether a story last updated at ``latest`` was in the window of ``hours`` before
    ``clock`` (a day-dated time counts from the start of its day on)."""
    t = parse_time(latest)
    if t is None or t > clock:
        return False
    since = clock - timedelta(hours=hours)
    if t >= since:
        return True
    day_start = since.replace(hour=0, minute=0, second=0, microsecond=0)
    return t.strftime("%H:%M:%S") == DAY_ONLY_CLOCK and t >= day_start


def previous_briefing(
    perspectives: Iterable[Perspective],
    clock: datetime,
    hours: float,
    opts: RankOptions,
    config: PerspectivesConfig,
) -> dict[int, Perspective]:
    """The stories of the briefing built at ``clock`` (as they stood then), by story id."""
    states: list[Candidate] = []
    for p in perspectives:
        state = state_at(p, clock, config)
        if state is not None and in_window(state.coverage.latest_report, clock, hours):
            states.append(Candidate(state))
    shown = rank(states, clock, opts)
    return {item.story_id: item.perspective for s in shown for item in s.items}
