"""Who covers a story: outlets and articles by leaning, ownership, timing, blindspots.

Sides group the 5-point scale (left = left + lean-left, right = lean-right + right,
center); unrated outlets are counted by leaning but take no part in the blindspot rule.

Blindspot rule: among the *rated* outlets covering the story (at least
``blindspot_min_outlets`` of them), if one side supplies a share ≥ ``blindspot_share``,
that side is ``dominant_side`` and ``blindspot`` names the side that is missing it: the
opposite side for a left- or right-dominated story, and for a center-dominated story
whichever of left/right has fewer outlets (none when they tie).

Absent sides: once at least ``absent_side_min_outlets`` rated outlets cover a story, every
side with none of them is named in ``absent_sides`` ("No right-leaning outlet covered this").
Opinion and analysis pieces count as outlets covering the story but not as reports.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Hashable, Sequence
from dataclasses import dataclass

from ..config import PerspectivesConfig
from ..records import LEANINGS
from ..times import format as format_time
from .lexicon import loaded_language
from .opinion import NEWS, Kind, opinion_groups
from .records import SIDE_OF, ArticleRef, Coverage, StoryArticle


def side_of(leaning: str) -> str | None:
    """The side of a 5-point leaning (also accepts "left"/"center"/"right"); None if unrated."""
    return SIDE_OF.get((leaning or "").strip().lower())


def normalize_leaning(leaning: str | None) -> str:
    value = (leaning or "").strip().lower().replace("_", "-").replace(" ", "-")
    return value if value in LEANINGS else "unrated"


def outlet_key(article: StoryArticle) -> str:
    return article.source_id or article.outlet or f"article-{article.id}"


def outlet_name(article: StoryArticle) -> str:
    return article.outlet or article.source_id or f"article {article.id}"


@dataclass(frozen=True, slots=True)
class Counted:
    """One article as coverage counts it (from a full article or a stored reference)."""

    outlet: str  # the outlet's key: one outlet however many of its articles
    name: str  # the outlet's name, as shown
    leaning: str  # normalised 5-point leaning, or "unrated"
    report: Hashable | None  # the report it carries (copies share one); None: opinion
    opinion: Hashable | None  # the opinion piece it is (a column carried twice is one)
    published: str | None  # formatted time
    ownership: str | None = None  # None: not known (then no ownership breakdown)


def coverage(
    articles: Sequence[StoryArticle],
    config: PerspectivesConfig,
    kinds: dict[int, Kind] | None = None,
) -> Coverage:
    """Coverage of one story; syndicated copies (same ``report_id``) are one report, and
    opinion/analysis pieces (``kinds``, see ``opinion.py``) are counted apart from reports."""
    kinds = kinds or {}
    counted = [
        Counted(
            outlet=outlet_key(a),
            name=outlet_name(a),
            leaning=normalize_leaning(a.leaning),
            report=None
            if kinds.get(a.id, NEWS).kind
            else (a.report_id if a.report_id is not None else -a.id - 1),
            opinion=None,  # counted by opinion_groups (by first author)
            published=format_time(a.published),
            ownership=a.ownership or "unknown",
        )
        for a in articles
    ]
    return count(counted, config, n_opinion=opinion_groups(articles, kinds))


def count(
    articles: Sequence[Counted], config: PerspectivesConfig, *, n_opinion: int | None = None
) -> Coverage:
    """The coverage of ``articles``: outlets and articles by leaning and side, reports,
    opinion pieces (``n_opinion``, else the distinct ``opinion`` keys), ownership,
    first and latest report, blindspot and absent sides."""
    outlets_by_leaning: dict[str, set[str]] = defaultdict(set)
    articles_by_leaning: dict[str, int] = defaultdict(int)
    side_outlets: dict[str, set[str]] = defaultdict(set)
    ownership: dict[str, set[str]] = defaultdict(set)
    for a in articles:
        outlets_by_leaning[a.leaning].add(a.name)
        articles_by_leaning[a.leaning] += 1
        if a.ownership is not None:
            ownership[a.ownership].add(a.outlet)
        side = side_of(a.leaning)
        if side:
            side_outlets[side].add(a.outlet)
    by_leaning = {
        leaning: {
            "outlets": sorted(outlets_by_leaning[leaning]),
            "articles": articles_by_leaning[leaning],
        }
        for leaning in LEANINGS
    }
    by_side = {side: len(side_outlets[side]) for side in ("left", "center", "right")}
    times = sorted(a.published for a in articles if a.published)
    blindspot, dominant = find_blindspot(by_side, config)
    if n_opinion is None:
        n_opinion = len({a.opinion for a in articles if a.report is None})
    return Coverage(
        n_articles=len(articles),
        n_reports=len({a.report for a in articles if a.report is not None}),
        n_outlets=len({a.outlet for a in articles}),
        by_leaning=by_leaning,  # type: ignore[arg-type]
        by_side=by_side,
        ownership={k: len(v) for k, v in sorted(ownership.items())},
        first_report=times[0] if times else None,
        latest_report=times[-1] if times else None,
        blindspot=blindspot,
        dominant_side=dominant,
        n_opinion=n_opinion,
        absent_sides=absent_sides(by_side, config),
    )


def absent_sides(by_side: dict[str, int], config: PerspectivesConfig) -> list[str]:
    """The sides (left, center, right) no rated outlet covered, once at least
    ``absent_side_min_outlets`` rated outlets did."""
    if sum(by_side.values()) < config.absent_side_min_outlets:
        return []
    return [side for side in ("left", "center", "right") if not by_side.get(side)]


def find_blindspot(
    by_side: dict[str, int], config: PerspectivesConfig
) -> tuple[str | None, str | None]:
    """(blindspot side, dominant side) under the rule in the module docstring."""
    rated = sum(by_side.values())
    if rated < config.blindspot_min_outlets:
        return None, None
    dominant = max(("left", "center", "right"), key=lambda s: by_side.get(s, 0))
    if by_side.get(dominant, 0) / rated < config.blindspot_share:
        return None, None
    if dominant == "left":
        return "right", dominant
    if dominant == "right":
        return "left", dominant
    left, right = by_side.get("left", 0), by_side.get("right", 0)
    if left == right:
        return None, None
    return ("left" if left < right else "right"), dominant


def article_refs(
    articles: Sequence[StoryArticle],
    lexicon: Collection[str] | None,
    kinds: dict[int, Kind] | None = None,
) -> list[ArticleRef]:
    """One reference per article, with its loaded-language score and co-carriers."""
    carriers: dict[int, list[StoryArticle]] = defaultdict(list)
    for a in articles:
        if a.report_id is not None:
            carriers[a.report_id].append(a)
    refs = []
    for a in articles:
        others = (
            [outlet_name(b) for b in carriers.get(a.report_id, []) if b.id != a.id]
            if a.report_id is not None
            else []
        )
        refs.append(
            ArticleRef(
                id=a.id,
                title=a.title,
                url=a.url,
                outlet=outlet_name(a),
                source_id=a.source_id,
                leaning=normalize_leaning(a.leaning),
                published=format_time(a.published),
                loaded_language=loaded_language(f"{a.title}. {a.text}", lexicon),
                carriers=sorted(set(others) - {outlet_name(a)}),
                kind=(kinds or {}).get(a.id, NEWS).kind,
                kind_reason=(kinds or {}).get(a.id, NEWS).reason,
            )
        )
    return refs
