"""Ranking: which of the day's stories make the briefing, in which section and order.

Pure functions over ``Perspective`` records. Importance grows with the number of distinct
outlets and of distinct reports (syndicated copies counted once), with the spread across
sides (left, center, right), with recency (latest report) and with momentum (share of
articles published in the last ``momentum_hours``). A story that was in the previous
briefing (``briefing/previous.py``, computed from the data) comes back only with new
reporting, and then carries "what's new" (articles, outlets and key facts since then);
without new reporting it is one "continuing" line (``continuing``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from ..config import BriefingConfig
from ..perspectives.records import SIDES, Perspective
from ..times import parse as parse_time
from .records import BriefingItem, BriefingSection, ContinuingItem, WhatsNew

RECENCY_HALF_LIFE_HOURS = 12.0


@dataclass(frozen=True)
class RankOptions:
    """The ranking's settings, always taken from ``BriefingConfig`` (which owns the defaults)."""

    max_stories: int
    per_section: int
    min_outlets: int
    sections: tuple[str, ...]
    blindspot_section: str
    other_section: str
    momentum_hours: float

    @classmethod
    def from_config(cls, cfg: BriefingConfig) -> RankOptions:
        return cls(
            max_stories=cfg.max_stories,
            per_section=cfg.per_section,
            min_outlets=cfg.min_outlets,
            sections=tuple(cfg.sections),
            blindspot_section=cfg.blindspot_section,
            other_section=cfg.other_section,
            momentum_hours=cfg.momentum_hours,
        )

    def section_order(self) -> list[str]:
        """Display order: configured sections, ``other_section`` before the blindspots."""
        order = list(self.sections)
        if self.other_section and self.other_section not in order:
            if self.blindspot_section in order:
                order.insert(order.index(self.blindspot_section), self.other_section)
            else:
                order.append(self.other_section)
        return order


@dataclass(frozen=True)
class PreviousAppearance:
    """A story as it stood in the previous briefing: that briefing's date and the ids of
    the articles it had then."""

    date: str
    article_ids: frozenset[int]


@dataclass(frozen=True)
class Candidate:
    perspective: Perspective
    previous: PreviousAppearance | None = None


def max_article_id(p: Perspective) -> int:
    return max((a.id for a in p.articles), default=0)


def sides_covered(p: Perspective) -> int:
    return sum(1 for side in SIDES if p.coverage.by_side.get(side, 0) > 0)


def momentum(p: Perspective, now: datetime, hours: float) -> float:
    """Share of the story's dated articles published within ``hours`` before ``now``."""
    times = [t for t in (parse_time(a.published) for a in p.articles) if t is not None]
    if not times:
        return 0.0
    recent = sum(1 for t in times if 0 <= (now - t).total_seconds() <= hours * 3600)
    return recent / len(times)


def recency(p: Perspective, now: datetime) -> float:
    """1.0 for a report right now, halving every ``RECENCY_HALF_LIFE_HOURS``."""
    latest = parse_time(p.coverage.latest_report)
    if latest is None:
        latest = max((t for t in (parse_time(a.published) for a in p.articles) if t), default=None)
    if latest is None:
        return 0.25
    age_hours = max(0.0, (now - latest).total_seconds() / 3600)
    return 0.5 ** (age_hours / RECENCY_HALF_LIFE_HOURS)


def importance(p: Perspective, now: datetime, momentum_hours: float = 6.0) -> float:
    """A story's importance score (higher is more important)."""
    cov = p.coverage
    reports = max(cov.n_reports, 1 if cov.n_articles else 0)
    base = 2.0 * math.log2(1 + cov.n_outlets) + math.log2(1 + reports) + 0.75 * sides_covered(p)
    return base * (0.5 + 0.5 * recency(p, now)) * (1 + 0.5 * momentum(p, now, momentum_hours))


def has_new_reporting(p: Perspective, previous: PreviousAppearance | None) -> bool:
    if previous is None:
        return True
    return any(a.id not in previous.article_ids for a in p.articles)


def whats_new(p: Perspective, previous: PreviousAppearance) -> WhatsNew:
    """The articles, outlets and key facts the story gained since ``previous``; a key fact
    is new when none of the articles stating it was there before."""
    new = [a for a in p.articles if a.id not in previous.article_ids]
    old_outlets = {a.outlet for a in p.articles if a.id in previous.article_ids}
    new_outlets: list[str] = []
    for a in new:
        if a.outlet not in old_outlets and a.outlet not in new_outlets:
            new_outlets.append(a.outlet)
    new_facts = [
        f.text
        for f in p.facts
        if f.articles and not any(aid in previous.article_ids for aid in f.articles)
    ]
    return WhatsNew(
        since=previous.date,
        previous_articles=len(previous.article_ids),
        new_articles=new,
        new_outlets=new_outlets,
        new_facts=new_facts,
    )


def eligible(p: Perspective, opts: RankOptions) -> bool:
    """Enough outlets, and at least one news report (not only opinion or analysis)."""
    if p.coverage.n_outlets < opts.min_outlets:
        return False
    return not (p.coverage.n_opinion and not p.coverage.n_reports)


def continuing(
    candidates: Iterable[Candidate], now: datetime, opts: RankOptions
) -> list[ContinuingItem]:
    """One line each for the stories of the previous briefing without new reporting,
    most important first (at most ``max_stories``)."""
    rows = [
        (importance(c.perspective, now, opts.momentum_hours), c)
        for c in candidates
        if c.previous is not None
        and not has_new_reporting(c.perspective, c.previous)
        and eligible(c.perspective, opts)
    ]
    rows.sort(key=lambda t: (-t[0], t[1].perspective.story_id))
    return [
        ContinuingItem(
            story_id=c.perspective.story_id,
            headline=c.perspective.headline,
            since=c.previous.date,
            n_outlets=c.perspective.coverage.n_outlets,
            n_articles=c.perspective.coverage.n_articles,
        )
        for _, c in rows[: opts.max_stories]
        if c.previous is not None
    ]


def section_for(p: Perspective, opts: RankOptions) -> str | None:
    """The briefing section of a story, or None when no configured section takes it."""
    if p.coverage.blindspot and opts.blindspot_section in opts.sections:
        return opts.blindspot_section
    if p.section in opts.sections and p.section != opts.blindspot_section:
        return p.section
    return opts.other_section or None


def rank(
    candidates: Iterable[Candidate], now: datetime, opts: RankOptions
) -> list[BriefingSection]:
    """Select and order stories into sections (empty sections are left out)."""
    scored: list[tuple[float, Candidate, str]] = []
    for c in candidates:
        p = c.perspective
        if not eligible(p, opts) or not has_new_reporting(p, c.previous):
            continue  # too few outlets, only opinion, or continuing without new reporting
        section = section_for(p, opts)
        if section is None:
            continue
        scored.append((importance(p, now, opts.momentum_hours), c, section))
    scored.sort(key=lambda t: (-t[0], t[1].perspective.story_id))

    # The Blindspots section appears whenever a candidate meets the blindspot rule: its
    # best blindspot story keeps a slot even when busier stories fill ``max_stories``.
    reserve = 1 if any(section == opts.blindspot_section for _, _, section in scored) else 0
    chosen: dict[str, list[tuple[float, Candidate]]] = {}
    total = 0
    for score, c, section in scored:
        is_blindspot = section == opts.blindspot_section
        if total >= opts.max_stories - (0 if is_blindspot else reserve):
            continue
        bucket = chosen.setdefault(section, [])
        if len(bucket) >= opts.per_section:
            continue
        bucket.append((score, c))
        total += 1
        if is_blindspot:
            reserve = 0
    return _number(chosen, opts.section_order())


def _number(
    chosen: dict[str, list[tuple[float, Candidate]]], order: Sequence[str]
) -> list[BriefingSection]:
    sections: list[BriefingSection] = []
    position = 0
    for name in order:
        if not chosen.get(name):
            continue
        section = BriefingSection(name=name)
        for score, c in chosen[name]:
            position += 1
            p = c.perspective
            section.items.append(
                BriefingItem(
                    rank=position,
                    section=name,
                    score=round(score, 4),
                    perspective=p,
                    max_article_id=max_article_id(p),
                    whats_new=whats_new(p, c.previous) if c.previous else None,
                )
            )
        sections.append(section)
    return sections
