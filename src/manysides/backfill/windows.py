"""Stories over an archive: the online clusterer per time window, in parallel, stitched.

The ``stories`` step feeds articles to one ``StoryClusterer`` in arrival order
(publication time, then storage order), each report group once (its first article;
syndicated copies join its story). A backfill does the same per window of
``window_days``: window *k* owns the articles published in
``[start_k, start_k + window_days)`` and is warmed up with the ``overlap_days`` before
it (the clusterer closes a story not updated for ``stories.window_days``, so an overlap of
that length shows window *k* every story still open at its start). The windows run in
parallel; ``stitch`` then walks them in order and continues each story of window *k*
that holds warm-up articles as the story of window *k - 1* holding most of them. Undated
articles come last, as in the online order, and belong to the last window.

``bcubed`` (``stories/metrics.py``) of the result against ``online`` (one clusterer over
the whole stream) is the measured tolerance of the split.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .records import UNKNOWN_DATE

if TYPE_CHECKING:
    from ..config import StoriesConfig

_DAY = 86400.0


@dataclass(frozen=True, slots=True)
class Item:
    """One article as the story planner sees it (no text)."""

    key: str
    seq: int
    ts: float | None  # publication (else capture) time, epoch seconds
    date: str  # its partition
    report: str  # key of its report group's first article


@dataclass(slots=True)
class WindowTask:
    """The articles one window clusters, in clustering order, and which it owns."""

    index: int
    keys: list[str]
    owned: int  # keys[:len(keys) - owned] are warm-up articles owned by the window before
    dates: list[str] = field(default_factory=list)  # partitions holding them


@dataclass(slots=True)
class WindowResult:
    index: int
    assignment: dict[str, int]  # key -> story id local to the window
    headlines: dict[int, str]


@dataclass(slots=True)
class StoryPlan:
    tasks: list[WindowTask]
    copies: dict[str, str]  # copy key -> key of the clustered article of its report group


def _order(item: Item) -> tuple[bool, float, int]:
    return (item.ts is None, item.ts or 0.0, item.seq)


def plan(items: Iterable[Item], window_days: float, overlap_days: float) -> StoryPlan:
    """Split the archive's articles into window tasks (``overlap_days <= window_days``)."""
    if window_days <= 0 or not 0 <= overlap_days <= window_days:
        raise ValueError("need window_days > 0 and 0 <= overlap_days <= window_days")
    first_of: dict[str, Item] = {}
    members: list[Item] = []
    for item in items:
        members.append(item)
        held = first_of.get(item.report)
        if held is None or _order(item) < _order(held):
            first_of[item.report] = item
    reps = sorted(first_of.values(), key=_order)
    copies = {m.key: first_of[m.report].key for m in members if first_of[m.report] is not m}
    dated = [r for r in reps if r.ts is not None]
    if not dated:
        return StoryPlan([_task(0, [], reps)] if reps else [], copies)
    t0 = math.floor(dated[0].ts / _DAY) * _DAY  # type: ignore[operator]
    width, overlap = window_days * _DAY, overlap_days * _DAY
    owned: dict[int, list[Item]] = {}
    for r in dated:
        owned.setdefault(int((r.ts - t0) // width), []).append(r)  # type: ignore[operator]
    indexes = sorted(owned)
    owned[indexes[-1]].extend(r for r in reps if r.ts is None)
    tasks = []
    for k in indexes:
        start = t0 + k * width
        warm = [r for r in owned.get(k - 1, []) if r.ts is not None and r.ts >= start - overlap]
        tasks.append(_task(k, warm, owned[k]))
    return StoryPlan(tasks, copies)


def _task(index: int, warm: list[Item], own: list[Item]) -> WindowTask:
    items = warm + own
    return WindowTask(
        index, [i.key for i in items], len(own), sorted({i.date for i in items} or {UNKNOWN_DATE})
    )


def text_chars(config: StoriesConfig) -> int:
    """How much of an article's text the clusterer reads: the body lead of its term bags
    and numbers (``max_body_tokens * 8`` characters) and the embedded lead. Clustering a
    text cut to this length gives the same stories, so a window holds no more of it."""
    from ..stories.embeddings import LEAD_CHARS

    return max(config.max_body_tokens * 8, LEAD_CHARS)


def cluster(rows: Sequence[dict[str, Any]], config: StoriesConfig, index: int = 0) -> WindowResult:
    """The online clusterer over rows in clustering order (the ``stories`` step's calls).

    Rows carry ``key``, ``title``, ``text``, ``published`` / ``fetched_at`` (datetimes),
    ``source_id``, ``site``, ``url``.
    """
    from ..stories import StoryClusterer, StoryInput
    from ..stories.clusterer import cluster_all, resolve

    clusterer = StoryClusterer(config, next_id=1)
    items = [
        StoryInput(
            id=row["key"],
            title=row.get("title") or "",
            text=row.get("text") or "",
            published=row.get("published") or row.get("fetched_at"),
            source=row.get("source_id") or row.get("site") or None,
            url=row.get("url"),
        )
        for row in rows
    ]
    got, merges = cluster_all(clusterer, items)
    assignment = {item.id: resolve(a.story_id, merges) for item, a in zip(items, got, strict=True)}
    headlines = {s: clusterer.headline(s) for s in set(assignment.values())}
    return WindowResult(index, assignment, headlines)


@dataclass(slots=True)
class Stories:
    """The stitched result: every article's story, and each story's headline."""

    assignment: dict[str, int]
    headlines: dict[int, str]


def stitch(story_plan: StoryPlan, results: Sequence[WindowResult]) -> Stories:
    """Continue stories across window edges, then number them by their first article."""
    by_index = {r.index: r for r in results}
    label: dict[tuple[int, int], int] = {}  # (window, local story) -> global label
    owner_label: dict[str, int] = {}  # owned key -> global label
    parts: dict[int, Counter[tuple[int, int]]] = {}  # label -> owned articles per part
    next_label = 0
    for task in story_plan.tasks:
        result = by_index[task.index]
        warm = task.keys[: len(task.keys) - task.owned]
        votes: dict[int, Counter[int]] = {}
        for key in warm:
            if key in owner_label:
                votes.setdefault(result.assignment[key], Counter())[owner_label[key]] += 1
        for local in sorted(set(result.assignment[k] for k in task.keys[len(warm) :])):
            if local in votes:
                best = max(votes[local].items(), key=lambda kv: (kv[1], -kv[0]))[0]
            else:
                best, next_label = next_label, next_label + 1
            label[(task.index, local)] = best
        for key in task.keys[len(warm) :]:
            got = label[(task.index, result.assignment[key])]
            owner_label[key] = got
            parts.setdefault(got, Counter())[(task.index, result.assignment[key])] += 1
    # number stories 1.. by their first clustered article
    order: dict[int, int] = {}
    for task in story_plan.tasks:
        for key in task.keys[len(task.keys) - task.owned :]:
            order.setdefault(owner_label[key], len(order) + 1)
    assignment = {key: order[lab] for key, lab in owner_label.items()}
    for copy, rep in story_plan.copies.items():
        assignment[copy] = assignment[rep]
    headlines = {}
    for lab, counts in parts.items():
        (window, local), _n = max(counts.items(), key=lambda kv: (kv[1], -kv[0][0], -kv[0][1]))
        headlines[order[lab]] = by_index[window].headlines[local]
    return Stories(assignment, headlines)
