"""The stories a run analyses: the shortlist shared by the quotes, perspectives and
briefing steps.

A story is a candidate when it was last updated within ``briefing.hours`` before the run's
clock (``ctx.now``; bounded on both sides, so a replay with ``brief --as-of`` never sees
later reporting: a story that went on after the clock is taken as it stood then; an article dated by day only counts as published within its day, so a
window that reaches into that day includes it) and is carried by at least ``briefing.min_outlets`` outlets. Only the
busiest ``briefing.candidates`` of them (most outlets, then most articles) get quotes and
perspectives: the briefing shows ``briefing.max_stories``, and analysing every two-outlet
story of a busy day would cost minutes for stories nobody sees. An edition
(``ctx.options["edition"]``) shortlists the stories its own outlets carry.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..config import BriefingConfig
    from ..editions import Edition
    from ..store import Store


def window(now: datetime, hours: float) -> tuple[datetime, datetime]:
    """The briefing's window [now - hours, now] in UTC."""
    now = now if now.tzinfo else now.replace(tzinfo=UTC)
    until = now.astimezone(UTC)
    return until - timedelta(hours=hours), until


def clock_text(now: datetime) -> str:
    """The run's clock as stored times are written: stories are taken as they stood then."""
    return window(now, 0)[1].isoformat(timespec="seconds")


def candidate_stories(
    store: Store, now: datetime, hours: float, min_outlets: int, limit: int = 1000
) -> list[dict[str, Any]]:
    """Live stories last updated in [now - hours, now], busiest first, as they stood at
    ``now`` (articles published after it are not counted)."""
    since, until = window(now, hours)
    day_start = since.replace(hour=0, minute=0, second=0, microsecond=0)
    return store.stories.list(
        since=since.isoformat(timespec="seconds"),
        day_since=day_start.isoformat(timespec="seconds"),
        as_of=clock_text(until),
        min_outlets=min_outlets,
        limit=limit,
    )


def shortlist(
    store: Store, now: datetime, cfg: BriefingConfig, edition: Edition | None = None
) -> list[dict[str, Any]]:
    """The candidate stories this run analyses (see the module docstring). For an
    edition, the stories that at least ``edition.min_outlets`` of its outlets carry."""
    if edition is None:
        return candidate_stories(store, now, cfg.hours, cfg.min_outlets, cfg.candidates)
    rows = candidate_stories(store, now, cfg.hours, edition.min_outlets)
    counts = store.editions.outlet_counts([int(r["id"]) for r in rows], edition.sources)
    kept = [r for r in rows if counts.get(int(r["id"]), 0) >= edition.min_outlets]
    return kept[: cfg.candidates]
