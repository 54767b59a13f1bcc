"""The ``fetch`` step: feeds and sitemaps of the enabled sources, then their article pages.

1. Sync the catalog into the store.
2. Fetch every feed/sitemap of the enabled sources concurrently, with conditional GET
   from the stored ETag/Last-Modified; record each feed's state; count
   ``feeds_ok``/``feeds_not_modified``/``feeds_failed``.
3. Keep the entries that are new (not stored), recent enough (``fetch.max_article_age_days``
   before ``ctx.now``) and within ``fetch.max_articles_per_feed`` (newest first).
4. Fetch those pages concurrently; the event loop's consumer hands finished pages, in
   small batches, to the run's ``pipeline.ingest.Ingestor``: workers extract one batch
   while a thread (the single writer) stores the previous one. Every failure is one
   recorded error; the run goes on.
"""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import Coroutine, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from ..errors import ItemError, ManysidesError, ParseError, UserError
from ..records import FeedEntry, FetchResult, RawDocument, Source

if TYPE_CHECKING:
    from ..fetch import Fetcher
    from ..store import Store
    from . import RunContext

T = TypeVar("T")

MAX_CHILD_SITEMAPS = 3
SAVE_BATCH = 32


@dataclass(frozen=True, slots=True)
class FeedJob:
    source: Source
    url: str
    kind: str  # "feed" | "sitemap" (as listed in the catalog; the content decides parsing)


@dataclass(slots=True)
class FeedOutcome:
    job: FeedJob
    status: int | None = None
    not_modified: bool = False
    entries: list[FeedEntry] = field(default_factory=list)
    error: ManysidesError | None = None
    child_errors: list[tuple[str, ManysidesError]] = field(default_factory=list)
    etag: str | None = None
    last_modified: str | None = None
    seconds: float = 0.0
    final_url: str = ""
    redirects: tuple[tuple[int, str], ...] = ()


def feed_jobs(sources: Iterable[Source], *, include_dead: bool = False) -> list[FeedJob]:
    """One job per distinct feed and sitemap URL; feeds the catalog marks dead are left
    out unless ``include_dead``."""
    jobs: list[FeedJob] = []
    seen: set[str] = set()
    for s in sources:
        feeds = s.feeds if include_dead else s.live_feeds()
        maps = s.sitemaps if include_dead else s.live_sitemaps()
        for url, kind in [*((u, "feed") for u in feeds), *((u, "sitemap") for u in maps)]:
            if url not in seen:
                seen.add(url)
                jobs.append(FeedJob(s, url, kind))
    return jobs


def skip_dead(ctx: RunContext, sources: Iterable[Source]) -> None:
    """Count and note the feeds a run skips because the catalog marks them dead."""
    dead = [(s.id, url, why) for s in sources for url, why in s.dead_feeds]
    if not dead:
        return
    ctx.report.count("feeds_skipped_dead", len(dead))
    shown = "; ".join(f"{sid} {url}: {why}" for sid, url, why in dead[:3])
    more = f"; and {len(dead) - 3} more" if len(dead) > 3 else ""
    ctx.report.note(
        f"skipped {len(dead)} feed(s) marked dead in the catalog ({shown}{more});"
        " `manysides sources check --include-dead` rechecks them"
    )


def parse_entries(content: bytes, url: str) -> tuple[list[FeedEntry], list[str]]:
    """Entries and child sitemap URLs of a feed or sitemap body (the content decides)."""
    from ..fetch.feeds import parse_feed, parse_sitemap, sniff_kind

    if sniff_kind(content) == "sitemap":
        return parse_sitemap(content, url)
    return parse_feed(content, url), []


async def fetch_feed(
    fetcher: Fetcher, job: FeedJob, *, etag: str | None = None, last_modified: str | None = None
) -> FeedOutcome:
    """Fetch and parse one feed or sitemap (one level of sitemap index followed)."""
    outcome = FeedOutcome(job)
    started = time.perf_counter()
    try:
        res = await fetcher.get(job.url, etag=etag, last_modified=last_modified, kind="feed")
        outcome.status = res.status
        outcome.final_url = res.final_url
        outcome.redirects = res.redirects
        outcome.etag = res.headers.get("etag")
        outcome.last_modified = res.headers.get("last-modified")
        if res.not_modified:
            outcome.not_modified = True
            return outcome
        entries, children = parse_entries(res.content, res.final_url)
        outcome.entries = entries
        for child in children[:MAX_CHILD_SITEMAPS]:
            try:
                sub = await fetcher.get(child, kind="feed")
                sub_entries, _ = parse_entries(sub.content, sub.final_url)
                outcome.entries.extend(sub_entries)
            except ManysidesError as exc:
                outcome.child_errors.append((child, exc))
        if children and not outcome.entries and outcome.child_errors:
            outcome.error = outcome.child_errors[0][1]
    except ManysidesError as exc:
        outcome.error = exc
        outcome.status = getattr(exc, "status", outcome.status)
    except Exception as exc:  # noqa: BLE001 - a hostile feed must not stop the run
        outcome.error = ItemError(
            f"unexpected failure reading {job.url}: {type(exc).__name__}: {exc}", item=job.url
        )
    finally:
        outcome.seconds = time.perf_counter() - started
    return outcome


def record_feed(store: Store, outcome: FeedOutcome, previous_entries: int = 0) -> None:
    """Write one feed fetch to the store's feed table."""
    from .. import times

    dates = [e.published for e in outcome.entries if e.published]
    store.catalog.update_feed(
        outcome.job.url,
        source_id=outcome.job.source.id,
        kind=outcome.job.kind,
        status=outcome.status,
        error=outcome.error.message if outcome.error else None,
        etag=outcome.etag,
        last_modified=outcome.last_modified,
        entries=previous_entries if outcome.not_modified else len(outcome.entries),
        final_url=outcome.final_url or None,
        newest_entry=times.format(max(dates)) if dates else None,
    )


def select_entries(
    entries: Sequence[FeedEntry],
    *,
    now: datetime,
    max_age_days: int,
    limit: int,
    skip: set[str],
) -> list[FeedEntry]:
    """New, recent entries, newest first, at most ``limit`` (entries without a date kept)."""
    cutoff = now - timedelta(days=max_age_days) if max_age_days > 0 else None
    fresh = [
        e
        for e in entries
        if e.url not in skip and not (cutoff and e.published and e.published < cutoff)
    ]
    oldest = datetime.min.replace(tzinfo=UTC)
    fresh.sort(key=lambda e: e.published or oldest, reverse=True)
    return fresh[: max(0, limit)]


def page_document(res: FetchResult, entry: FeedEntry, source: Source, origin: str) -> RawDocument:
    hints = {"source": source.id, "source_url": f"https://{source.domains[0]}/"}
    if entry.title:
        hints["title"] = entry.title
    if entry.published:
        hints["date"] = entry.published.isoformat()
    if entry.authors:
        hints["authors"] = ", ".join(entry.authors)
    return RawDocument(
        url=entry.url,
        content=res.content,
        kind="html",
        final_url=res.final_url,
        status=res.status,
        content_type=res.content_type,
        charset=res.charset,
        fetched_at=res.fetched_at,
        origin=origin,
        hints=hints,
    )


def _chosen_sources(ctx: RunContext) -> list[Source]:
    from ..sources import load_catalog

    catalog = load_catalog(ctx.config.sources)
    ctx.store.catalog.sync_sources(catalog.sources)
    wanted: Any = ctx.options.get("sources")
    if isinstance(wanted, str):
        wanted = [w.strip() for w in wanted.split(",") if w.strip()]
    config = ctx.config.sources
    if wanted:
        config = dataclasses.replace(config, only=tuple(wanted))
    return catalog.enabled(config)


def check_step(ctx: RunContext) -> None:
    """Fetch each feed of the chosen sources once, unconditionally (no ETag), and record its
    health in the feeds table; a failing feed is also a per-item error of the run. The
    outcomes, sorted by source and URL, go to ``ctx.outputs["feeds"]``.

    Sources: ``ctx.options["sources"]`` (ids, disabled ones included), else every enabled
    one; feeds marked dead are skipped unless ``ctx.options["include_dead"]``. Each
    outcome is also judged (``manysides.health``): ``ctx.outputs["health"]``, in the same
    order. Raises ``UserError`` when there is no feed to check.
    """
    from ..health import judge
    from ..sources import load_catalog

    catalog = load_catalog(ctx.config.sources)
    ctx.store.catalog.sync_sources(catalog.sources)
    wanted = ctx.options.get("sources") or ()
    sources = [catalog.get(i) for i in wanted] if wanted else catalog.enabled(ctx.config.sources)
    include_dead = bool(ctx.options.get("include_dead"))
    if not include_dead:
        skip_dead(ctx, sources)
    jobs = feed_jobs(sources, include_dead=include_dead)
    if not jobs:
        raise UserError("no feeds to check")
    outcomes = sorted(
        run_async(_check_feeds(ctx, jobs)), key=lambda o: (o.job.source.id, o.job.url)
    )
    health = []
    for o in outcomes:
        record_feed(ctx.store, o)
        if o.error is not None:
            ctx.report.count("feeds_failed")
            ctx.record_error("check", o.job.url, o.error)
        else:
            ctx.report.count("feeds_ok")
        verdict = judge(
            source=o.job.source.id,
            url=o.job.url,
            kind=o.job.kind,
            status=o.status,
            error=o.error.message if o.error else None,
            final_url=o.final_url,
            redirects=o.redirects,
            dates=[e.published for e in o.entries],
            now=ctx.now,
            stale_days=ctx.config.sources.stale_days,
            seconds=o.seconds,
        )
        ctx.report.count(f"health_{verdict.state}")
        health.append(verdict)
    ctx.outputs["feeds"] = outcomes
    ctx.outputs["health"] = health


async def _check_feeds(ctx: RunContext, jobs: list[FeedJob]) -> list[FeedOutcome]:
    from ..fetch import Fetcher

    async with Fetcher(ctx.config.fetch, transport=ctx.options.get("transport")) as fetcher:
        tasks = [asyncio.create_task(fetch_feed(fetcher, job)) for job in jobs]
        done = asyncio.as_completed(tasks)
        return [await t for t in ctx.report.progress(done, "feeds", total=len(tasks))]


def fetch_step(ctx: RunContext) -> None:
    """Fetch the enabled sources' feeds, then their new article pages, into the store."""
    sources = _chosen_sources(ctx)
    skip_dead(ctx, sources)
    run_async(_fetch_all(ctx, sources))


def run_async(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to completion, also when called from inside a running event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


async def _fetch_all(ctx: RunContext, sources: list[Source]) -> None:
    from ..fetch import Fetcher

    async with Fetcher(ctx.config.fetch, transport=ctx.options.get("transport")) as fetcher:
        pending = await _fetch_feeds(ctx, fetcher, feed_jobs(sources))
        await _fetch_pages(ctx, fetcher, pending)


async def _fetch_feeds(
    ctx: RunContext, fetcher: Fetcher, jobs: list[FeedJob]
) -> list[tuple[FeedJob, FeedEntry]]:
    store, report, cfg = ctx.store, ctx.report, ctx.config.fetch
    known_feeds = {row["url"]: row for row in store.catalog.feeds()}
    tasks = []
    for job in jobs:
        row = known_feeds.get(job.url) or {}
        tasks.append(
            asyncio.create_task(
                fetch_feed(
                    fetcher, job, etag=row.get("etag"), last_modified=row.get("last_modified")
                )
            )
        )
    outcomes: list[FeedOutcome] = []
    for next_done in report.progress(asyncio.as_completed(tasks), "feeds", total=len(tasks)):
        outcome = await next_done
        previous = int((known_feeds.get(outcome.job.url) or {}).get("entries") or 0)
        record_feed(store, outcome, previous)
        for child, exc in outcome.child_errors:
            ctx.record_error("fetch", child, exc)
        if outcome.error is not None:
            report.count("feeds_failed")
            ctx.record_error("fetch", outcome.job.url, outcome.error)
        elif outcome.not_modified:
            report.count("feeds_not_modified")
        else:
            report.count("feeds_ok")
            report.count("feed_entries", len(outcome.entries))
            outcomes.append(outcome)
    candidates = sorted({e.url for o in outcomes for e in o.entries})
    skip = store.articles.known_urls(candidates) if candidates else set()
    chosen: list[tuple[FeedJob, FeedEntry]] = []
    for outcome in sorted(outcomes, key=lambda o: o.job.url):
        for entry in select_entries(
            outcome.entries,
            now=ctx.now,
            max_age_days=cfg.max_article_age_days,
            limit=cfg.max_articles_per_feed,
            skip=skip,
        ):
            skip.add(entry.url)  # the same article listed in two feeds is fetched once
            chosen.append((outcome.job, entry))
    return chosen


async def _fetch_page(fetcher: Fetcher, job: FeedJob, entry: FeedEntry) -> RawDocument:
    res = await fetcher.get(entry.url, kind="page")
    if res.not_modified or not res.content.strip():
        raise ParseError(f"empty page: {entry.url}", item=entry.url)
    return page_document(res, entry, job.source, job.url)


async def _fetch_pages(
    ctx: RunContext, fetcher: Fetcher, chosen: list[tuple[FeedJob, FeedEntry]]
) -> None:
    from .ingest import PendingBatch, ingestor

    if not chosen:
        return
    ingest = ingestor(ctx)
    pending: PendingBatch | None = None

    async def one(job: FeedJob, entry: FeedEntry) -> tuple[str, RawDocument | BaseException]:
        try:
            return entry.url, await _fetch_page(fetcher, job, entry)
        except ManysidesError as exc:
            return entry.url, exc
        except Exception as exc:  # noqa: BLE001 - one broken page must not stop the run
            return entry.url, exc

    tasks = [asyncio.create_task(one(job, entry)) for job, entry in chosen]
    batch: list[RawDocument] = []
    try:
        for next_done in ctx.report.progress(
            asyncio.as_completed(tasks), "pages", total=len(tasks)
        ):
            url, result = await next_done
            if isinstance(result, BaseException):
                ctx.record_error("fetch", url, result)
                continue
            ctx.report.count("documents_fetched")
            batch.append(result)
            if len(batch) >= SAVE_BATCH:
                # Workers extract this batch while one thread (the single writer) saves the
                # previous one and the event loop keeps fetching.
                submitted = ingest.submit(batch)
                if pending is not None:
                    await asyncio.to_thread(ingest.complete, pending)
                pending, batch = submitted, []
        if pending is not None:
            await asyncio.to_thread(ingest.complete, pending)
        if batch:
            await asyncio.to_thread(ingest.save_batch, batch)
    finally:
        for task in tasks:
            task.cancel()
