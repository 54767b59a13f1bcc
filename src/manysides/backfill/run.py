"""The backfill plan, the same for every engine.

1. **Per shard** (resumable): read → extract + signature → entities and quotes, written
   to the per-shard datasets in batches; a shard enters the manifest once all of it is
   written, and a re-run skips it.
2. **Archive-wide** (rebuilt from the per-shard datasets on every run, cheap beside 1):
   report groups by the LSH band join (``groups.py``); stories per time window in
   parallel, stitched across the edges (``windows.py``).

An ``Engine`` runs the parallel parts: ``records`` (1), ``pairs`` (the band join's
group-by and verification) and ``windows`` (one clusterer per window). ``LocalEngine``
uses a process pool on this machine, ``RayEngine`` a Ray cluster (Ray Data tasks and
actor pools). The workers write the per-shard Parquet files (staged); the driver
publishes them in archive order and is the single writer of the manifest and of the
archive-wide datasets.
"""

from __future__ import annotations

import glob
import time
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from ..errors import UserError
from .groups import Pair, resolve, seq_of
from .output import ARCHIVE_WIDE, BackfillDir, Manifest, Part, ShardDone, all_schemas, settings_of
from .output import shard_of as _shard_of
from .records import Shard
from .windows import Item, WindowResult, WindowTask, cluster, plan, stitch, text_chars

if TYPE_CHECKING:
    from ..config import Config
    from ..pipeline.report import Report


@dataclass(frozen=True, slots=True)
class Options:
    engine: str = "local"  # local | ray
    workers: int = 0  # local engine processes (0: all cores); ray: CPUs of a local cluster
    batch_size: int = 64  # records per task: bounds memory per worker and in flight
    window_days: float = 7.0  # story windows
    ray_address: str | None = None  # an existing cluster (else a local one is started)


class Engine(Protocol):
    def records(
        self, shards: Sequence[Shard], batch_size: int, out: BackfillDir, run: str
    ) -> Iterator[list[Part]]:
        """Read, extract, analyze and stage the shards' records (``BackfillDir.stage_rows``
        with ``run``) in batches of ``batch_size``, yielding the staged parts in order."""
        ...

    def pairs(self, out: BackfillDir, rank: dict[str, int]) -> Iterable[Pair]: ...

    def windows(self, out: BackfillDir, tasks: Sequence[WindowTask]) -> list[WindowResult]: ...

    def close(self) -> None: ...


@dataclass(slots=True)
class Summary:
    shards_total: int = 0
    shards_done: int = 0  # this run
    shards_skipped: int = 0  # finished by an earlier run
    records: int = 0
    articles: int = 0
    errors: int = 0
    report_groups: int = 0
    stories: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


_GLOB = ("*", "?", "[")


def list_shards(paths: Sequence[str | Path]) -> list[Shard]:
    """The archive's shards: files, folders (walked sorted) and glob patterns, in order."""
    from ..errors import ParseError
    from ..inputs import input_files

    expanded: list[Path] = []
    for raw in paths:
        text = str(raw)
        if not Path(text).exists() and any(c in text for c in _GLOB):
            matched = sorted(glob.glob(text, recursive=True))
            if not matched:
                raise UserError(f"{text}: the pattern matches no file")
            expanded.extend(Path(m) for m in matched)
        else:
            expanded.append(Path(text))
    shards: list[Shard] = []
    seen: set[str] = set()
    for found in input_files(expanded):
        if isinstance(found, ParseError):
            raise UserError(found.message)
        shard = _shard_of(found)
        if shard.id not in seen:
            seen.add(shard.id)
            shards.append(shard)
    if not shards:
        raise UserError("no input files to backfill")
    return shards


def make_engine(config: Config, options: Options) -> Engine:
    if options.engine == "local":
        from .local import LocalEngine

        return LocalEngine(config, options.workers)
    if options.engine == "ray":
        from .ray_engine import RayEngine

        return RayEngine(config, options.workers or None, options.ray_address)
    raise UserError(f"--engine must be 'local' or 'ray', not {options.engine!r}")


def backfill(
    paths: Sequence[str | Path],
    out: Path,
    config: Config,
    options: Options = Options(),
    report: Report | None = None,
    engine: Engine | None = None,
) -> Summary:
    """Run (or resume) a backfill of ``paths`` into ``out``; see the module docstring."""
    from ..pipeline.report import Report
    from .stages import check_quotes_model

    report = report or Report(show_progress=False)
    shards = list_shards(paths)
    folder = BackfillDir(out)
    manifest = folder.open(settings_of(config))
    check_quotes_model(config)
    summary = Summary(shards_total=len(shards))
    done = {s.id for s in manifest.shards}
    pending = [s for s in shards if s.id not in done]
    summary.shards_skipped = len(shards) - len(pending)
    own_engine = engine is None
    engine = engine or make_engine(config, options)
    try:
        started = time.perf_counter()
        if pending:
            manifest.complete = False
            folder.save(manifest)
            _per_shard(folder, manifest, pending, engine, options, report, summary)
        summary.seconds["records"] = time.perf_counter() - started
        if not manifest.complete or any(not (out / n).exists() for n in ARCHIVE_WIDE):
            _archive_wide(folder, manifest, engine, config, options, report, summary)
    finally:
        if own_engine:
            engine.close()
    for s in manifest.shards:
        summary.articles += s.articles
        summary.errors += s.errors
    return summary


def _per_shard(
    folder: BackfillDir,
    manifest: Manifest,
    pending: list[Shard],
    engine: Engine,
    options: Options,
    report: Report,
    summary: Summary,
) -> None:
    for shard in pending:
        folder.clear_shard(shard.id)
    by_id = {s.id: s for s in pending}
    order = [s.id for s in pending]
    position = 0  # shards before order[position] are finished
    current: ShardDone | None = None

    def finish_until(index: int) -> None:
        nonlocal position, current
        while position < index:
            shard_id = order[position]
            finished = current if current and current.id == shard_id else None
            finished = finished or ShardDone(shard_id, str(by_id[shard_id].path))
            manifest.shards.append(finished)
            folder.save(manifest)
            summary.shards_done += 1
            report.count("backfill_shards")
            position += 1
        current = None

    run = uuid.uuid4().hex[:12]  # this run's staged files (never those of a killed one)
    folder.clear_staging()
    try:
        stream = engine.records(pending, options.batch_size, folder, run)
        for parts in report.progress(stream, "backfill: read, extract, quotes (batches)"):
            for part in parts:
                index = order.index(part.shard, position)
                if index > position or current is None:
                    finish_until(index)
                    current = ShardDone(part.shard, str(by_id[part.shard].path))
                folder.publish(part)
                current.records += part.records
                current.articles += part.articles
                current.errors += part.errors
                summary.records += part.records
                report.count("backfill_records", part.records)
                report.count("backfill_errors", part.errors)
        finish_until(len(order))
    finally:
        folder.clear_staging()


def _archive_wide(
    folder: BackfillDir,
    manifest: Manifest,
    engine: Engine,
    config: Config,
    options: Options,
    report: Report,
    summary: Summary,
) -> None:
    rank = manifest.rank()
    started = time.perf_counter()
    items, outlet = _items(folder, rank)
    key_of = {i.seq: i.key for i in items}
    roots = resolve(engine.pairs(folder, rank))
    summary.seconds["dedupe"] = time.perf_counter() - started
    report.note(f"backfill: {len(roots)} of {len(items)} articles are copies")
    items = [
        Item(i.key, i.seq, i.ts, i.date, key_of[roots[i.seq][0]] if i.seq in roots else i.key)
        for i in items
    ]
    schemas = all_schemas()
    folder.replace_dataset(
        "report_groups",
        schemas["report_groups"],
        (
            {
                "article_key": i.key,
                "report_key": i.report,
                "score": roots[i.seq][1] if i.seq in roots else None,
                "date": i.date,
            }
            for i in items
        ),
    )
    summary.report_groups = len({i.report for i in items})
    started = time.perf_counter()
    overlap = min(config.stories.window_days, options.window_days)
    story_plan = plan(items, options.window_days, overlap)
    results = engine.windows(folder, story_plan.tasks)
    stories = stitch(story_plan, results)
    summary.seconds["stories"] = time.perf_counter() - started
    _write_stories(folder, items, stories.assignment, stories.headlines, outlet)
    summary.stories = len(stories.headlines)
    manifest.complete = True
    folder.save(manifest)


def _items(folder: BackfillDir, rank: dict[str, int]) -> tuple[list[Item], dict[str, str]]:
    """Every article of the manifest's shards as the planner sees it, in archive order."""
    items: list[Item] = []
    outlet: dict[str, str] = {}
    columns = ["key", "shard", "ordinal", "published", "fetched_at", "date", "source_id", "site"]
    for rows in folder.scan("articles", columns):
        for r in rows:
            if r["shard"] not in rank:
                continue  # left by a shard the manifest does not hold
            stamp = r["published"] or r["fetched_at"]
            seq = seq_of(rank[r["shard"]], r["ordinal"])
            ts = stamp.timestamp() if stamp else None
            items.append(Item(r["key"], seq, ts, r["date"], ""))
            outlet[r["key"]] = r["source_id"] or r["site"] or ""
    items.sort(key=lambda i: i.seq)
    return items, outlet


def story_agreement(out: Path, config: Config) -> tuple[float, float, float]:
    """B-cubed (precision, recall, F1) of a finished backfill's windowed, stitched stories
    against one online clusterer over the same articles in the same order."""
    from ..stories.metrics import bcubed

    folder = BackfillDir(out)
    manifest = folder.read_manifest()
    if manifest is None or not manifest.complete:
        raise UserError(f"{out}: no finished backfill")
    items, _ = _items(folder, manifest.rank())
    report = {
        r["article_key"]: r["report_key"]
        for rows in folder.scan("report_groups", ["article_key", "report_key"])
        for r in rows
    }
    items = [Item(i.key, i.seq, i.ts, i.date, report[i.key]) for i in items]
    whole = plan(items, window_days=1e9, overlap_days=0)
    online = stitch(whole, [run_window(out, t, config) for t in whole.tasks]).assignment
    backfilled = {
        r["article_key"]: r["story_id"]
        for rows in folder.scan("story_articles", ["article_key", "story_id"])
        for r in rows
    }
    return bcubed(backfilled, online)


def _write_stories(
    folder: BackfillDir,
    items: list[Item],
    assignment: dict[str, int],
    headlines: dict[int, str],
    outlet: dict[str, str],
) -> None:
    from datetime import UTC, datetime

    schemas = all_schemas()
    folder.replace_dataset(
        "story_articles",
        schemas["story_articles"],
        ({"article_key": i.key, "story_id": assignment[i.key], "date": i.date} for i in items),
    )
    first: dict[int, float] = {}
    last: dict[int, float] = {}
    counts: dict[int, int] = {}
    outlets: dict[int, set[str]] = {}
    for i in items:
        story = assignment[i.key]
        counts[story] = counts.get(story, 0) + 1
        if outlet.get(i.key):
            outlets.setdefault(story, set()).add(outlet[i.key])
        if i.ts is not None:
            first[story] = min(first.get(story, i.ts), i.ts)
            last[story] = max(last.get(story, i.ts), i.ts)

    def stamp(value: float | None) -> datetime | None:
        return datetime.fromtimestamp(value, tz=UTC) if value is not None else None

    folder.replace_dataset(
        "stories",
        schemas["stories"],
        (
            {
                "story_id": story,
                "headline": headlines[story],
                "first_seen": stamp(first.get(story)),
                "last_updated": stamp(last.get(story)),
                "articles": counts[story],
                "outlets": len(outlets.get(story, ())),
                "date": stamp(first[story]).strftime("%Y-%m-%d")  # type: ignore[union-attr]
                if story in first
                else "unknown",
            }
            for story in sorted(headlines)
        ),
    )


_WINDOW_COLUMNS = ("key", "title", "published", "fetched_at", "source_id", "site", "url")


def run_window(root: Path, task: WindowTask, config: Config) -> WindowResult:
    """One window's clustering (an engine task): read its articles, run the clusterer.

    Only the lead of each text the clusterer reads is held (``windows.text_chars``), so a
    window's memory is its articles' titles and leads, not their whole texts.
    """
    import pyarrow.compute as pc
    import pyarrow.dataset as ds

    folder = BackfillDir(root)
    wanted = ds.field("key").isin(task.keys)
    lead = pc.utf8_slice_codeunits(ds.field("text"), 0, text_chars(config.stories))
    found: dict[str, dict[str, Any]] = {}
    columns: dict[str, Any] = {c: ds.field(c) for c in _WINDOW_COLUMNS} | {"text": lead}
    # only the window's partitions are listed: a window costs its own files, not the archive's
    for rows in folder.scan("articles", columns, filter=wanted, dates=task.dates):
        for r in rows:
            found[r["key"]] = r
    ordered = [found[k] for k in task.keys if k in found]
    return cluster(ordered, config.stories, task.index)
