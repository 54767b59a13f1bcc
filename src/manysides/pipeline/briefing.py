"""Pipeline step ``briefing``: rank stored perspectives into today's briefing and render it.

Loads candidate stories and their stored perspectives from the store, calls the pure
``manysides.briefing.build_briefing``, saves the result with
``store.briefings.save_briefing`` and writes every output file atomically under
``briefing.output_dir``::

    YYYY-MM-DD/{index.html,email.html,briefing.txt,briefing.md,briefing.json}
    index.html   (archive)     feed.atom     manysides.css
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, tzinfo
from pathlib import Path

from ..briefing import Briefing, Candidate, PreviousAppearance, RankOptions, briefing_rows
from ..briefing import build_briefing as build
from ..briefing.previous import previous_briefing, previous_clock
from ..briefing.render import ArchiveEntry, render_files
from ..briefing.view import RenderOptions
from ..config import BriefingConfig, Config, data_dir, public_url
from ..editions import Edition
from ..errors import ConfigError, ManysidesError, UserError
from ..files import write_atomic
from ..perspectives.records import Perspective
from ..store import Store
from . import Report, RunContext
from .candidates import shortlist, window

FEED_ENTRIES = 30


def output_dir(config: Config, edition: Edition | None = None) -> Path:
    """Where the briefing's files go; an edition's under ``editions/<slug>/`` there."""
    root = (
        Path(config.briefing.output_dir).expanduser()
        if config.briefing.output_dir
        else data_dir() / "briefings"
    )
    return root / "editions" / edition.slug if edition is not None else root


def local_zone(cfg: BriefingConfig) -> tzinfo | None:
    """The configured time zone, or None for UTC dates / the machine's local time."""
    if not cfg.timezone:
        return None
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(cfg.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"briefing.timezone: unknown time zone {cfg.timezone!r}") from None


def briefing_date(now: datetime, cfg: BriefingConfig) -> str:
    """The briefing's date: the UTC date of ``now``, or its date in ``briefing.timezone``."""
    zone = local_zone(cfg)
    return now.astimezone(zone or UTC).date().isoformat()


def _load(ctx: RunContext, story_id: int) -> Perspective | None:
    data = ctx.store.briefings.perspective(story_id)
    if data is None:
        return None
    try:
        return Perspective.from_dict(data)
    except (KeyError, TypeError, ValueError) as exc:
        ctx.record_error("briefing", f"story {story_id}", exc)
        return None


def candidates(ctx: RunContext) -> list[Candidate]:
    """The run's shortlisted stories (``pipeline/candidates.py``) with a stored perspective,
    each with its appearance in the previous briefing, computed from the data
    (``briefing/previous.py``): the stories of the previous clock's shortlist and of this
    one, as they stood then, ranked as that briefing ranks them."""
    cfg = ctx.config.briefing
    store = ctx.store
    edition: Edition | None = ctx.options.get("edition")
    clock = previous_clock(ctx.now, cfg.previous_hours)
    today: list[Perspective] = []
    for row in shortlist(store, ctx.now, cfg, edition):
        p = _load(ctx, int(row["id"]))
        if p is None:
            ctx.report.count("briefing_without_perspective")
            continue
        today.append(p)
    if clock is None:
        return [Candidate(p) for p in today]
    pool = {p.story_id: p for p in today}
    for row in shortlist(store, clock, cfg, edition):
        if int(row["id"]) not in pool:
            p = _load(ctx, int(row["id"]))
            if p is not None:
                pool[p.story_id] = p
    before = previous_briefing(
        pool.values(), clock, cfg.hours, RankOptions.from_config(cfg), ctx.config.perspectives
    )
    since = briefing_date(clock, cfg)
    return [
        Candidate(
            p,
            PreviousAppearance(since, frozenset(a.id for a in before[p.story_id].articles))
            if p.story_id in before
            else None,
        )
        for p in today
    ]


def history(
    store: Store, limit: int = FEED_ENTRIES, edition: Edition | None = None
) -> list[Briefing]:
    """The latest stored briefings (for the feed and the archive), of the edition if one
    is given."""
    out: list[Briefing] = []
    dates = store.editions.dates(edition.slug) if edition else store.briefings.dates()
    for date in dates[:limit]:
        data = (
            store.editions.briefing(edition.slug, date)
            if edition
            else store.briefings.briefing(date)
        )
        if data is None:
            continue
        try:
            out.append(Briefing.from_dict(data))
        except (KeyError, TypeError, ValueError):
            continue  # an old or damaged briefing is skipped, not fatal
    return out


def write_files(root: Path, files: dict[str, str]) -> None:
    try:
        for rel, text in files.items():
            write_atomic(root / rel, text)
    except OSError as exc:
        raise UserError(
            f"cannot write the briefing under {root} (briefing.output_dir): {exc.strerror or exc}"
        ) from None


def briefing_step(ctx: RunContext) -> None:
    """Build, store and render today's briefing (zero stories still renders); with
    ``ctx.options["edition"]``, the edition's, into its own history and folder."""
    cfg = ctx.config.briefing
    edition: Edition | None = ctx.options.get("edition")
    date = briefing_date(ctx.now, cfg)
    pool = candidates(ctx)
    title = edition.title if edition else cfg.title
    briefing = build(date, title, pool, ctx.now, RankOptions.from_config(cfg), cfg.label)
    if edition is not None:
        ctx.store.editions.save_briefing(
            edition.slug, date, briefing.to_dict(), briefing_rows(briefing)
        )
        index = ctx.store.editions.index(edition.slug)
        feed_path = f"editions/{edition.slug}/feed.atom"
    else:
        ctx.store.briefings.save_briefing(date, briefing.to_dict(), briefing_rows(briefing))
        index = ctx.store.briefings.index()
        feed_path = "feed.atom"
    ctx.report.count("briefing_stories", len(briefing.items))
    archive = [ArchiveEntry(r["date"], int(r["n_stories"]), tuple(r["headlines"])) for r in index]
    files = render_files(
        briefing,
        history(ctx.store, edition=edition),
        render_options(ctx.config),
        archive,
        feed_path=feed_path,
    )
    root = output_dir(ctx.config, edition)
    write_files(root, files)
    ctx.report.note(str(root / date / "index.html"))
    if not briefing.items and briefing.continuing:
        since = briefing.continuing[0].since
        ctx.report.note(
            f"the briefing has no new story: its {len(briefing.continuing)} stories have no new"
            f" reporting since the {since} briefing (listed as continuing)"
        )
    elif not briefing.items:
        ctx.report.note(empty_reason(ctx.store, ctx.now, cfg))


def empty_reason(store: Store, now: datetime, cfg: BriefingConfig) -> str:
    """Why a briefing has no story, in one line, with what to try."""
    since, until = window(now, cfg.hours)
    n_window, newest = store.articles.published_span(
        since.replace(hour=0, minute=0, second=0).isoformat(timespec="seconds"),
        until.isoformat(timespec="seconds"),
    )
    span = f"{since:%Y-%m-%d %H:%M} to {until:%Y-%m-%d %H:%M} UTC (briefing.hours = {cfg.hours})"
    if n_window == 0:
        last = f"; the newest article is dated {newest[:10]}" if newest else "; the store has none"
        replay = (
            f" (replay that day with `manysides brief --as-of {newest[:10]}`)"
            if newest and newest < since.isoformat()
            else ""
        )
        return f"the briefing is empty: no article was published in {span}{last}{replay}"
    return (
        f"the briefing is empty: {n_window} articles in {span}, but no story there is covered"
        f" by {cfg.min_outlets} or more outlets (briefing.min_outlets)"
    )


def render_options(config: Config, *, strict: bool = False) -> RenderOptions:
    """Render options of ``config``: links to ``public_url``, the email's unsubscribe
    link. ``strict``: a bad unsubscribe setting is an error (sending), else it is left out
    of the written files (building)."""
    from ..mail import unsubscribe_link

    opts = RenderOptions.from_config(config.briefing, public_url(config))
    try:
        unsubscribe = unsubscribe_link(config.email)
    except (UserError, ConfigError):
        if strict:
            raise
        unsubscribe = ""
    return dataclasses.replace(opts, unsubscribe=unsubscribe)


# -- delivery and scheduling (used by `manysides send` and `manysides run`) --------------
def send_briefing(
    store: Store,
    config: Config,
    date: str | None,
    recipients: Sequence[str],
    edition: Edition | None = None,
) -> tuple[str, list[str]]:
    """Mail the stored briefing of ``date`` (default: latest) of the default briefing or
    of ``edition`` (to its recipients, else ``email.recipients``); returns (date,
    accepted)."""
    from ..briefing.render import render_email_html, render_text
    from ..mail import briefing_subject, build_message, list_headers, send_message

    if edition is not None:
        date = date or store.editions.latest_date(edition.slug)
        data = store.editions.briefing(edition.slug, date) if date else None
        recipients = recipients or edition.recipients
    else:
        date = date or store.briefings.latest_date()
        data = store.briefings.briefing(date) if date else None
    if date is None or data is None:
        raise UserError(
            f"no briefing for {date}; run `manysides brief` first"
            if date
            else "no briefing yet; run `manysides brief` first"
        )
    email = config.email
    if not email.sender:
        raise UserError("set email.sender in the config to send the briefing")
    briefing = Briefing.from_dict(data)
    opts = render_options(config, strict=True)
    msg = build_message(
        subject=briefing_subject(email, briefing.title, briefing.date),
        sender=email.sender,
        recipients=list(recipients or email.recipients),
        text=render_text(briefing, opts),
        html=render_email_html(briefing, opts),
        headers=list_headers(email, briefing.title),
    )
    return date, send_message(email, msg)


EDITION_STEPS = ("quotes", "perspectives", "briefing")  # after the default build's fetch


def configured_editions(config: Config) -> list[Edition]:
    """Every ``[editions.NAME]`` of the config, resolved against the catalog."""
    if not config.editions:
        return []
    from ..editions import resolve_edition
    from ..sources import load_catalog

    catalog = load_catalog(config.sources)
    return [resolve_edition(name, config, catalog) for name in sorted(config.editions)]


def _build_edition(
    store: Store, config: Config, edition: Edition, report: Report, log: Callable[[str], None]
) -> None:
    """`run`'s daily build of one configured edition (and its email when mail goes out)."""
    from . import run_steps

    ctx = RunContext(store=store, config=config, report=report, options={"edition": edition})
    done = run_steps(ctx, EDITION_STEPS, "run")
    log(f"edition {edition.name}: {done.counts.get('briefing_stories', 0)} stories")
    if config.email.send_on_build and (edition.recipients or config.email.recipients):
        date, accepted = send_briefing(store, config, None, (), edition)
        log(f"sent the {date} {edition.name} briefing to {len(accepted)} recipient(s)")


@dataclass
class Schedule:
    """What ``manysides run`` does: ingest every ``every`` seconds, brief at ``build_at``."""

    every: float
    build_at: time
    iterations: int = 0  # 0: forever (tests pass a small number)


def _local_now(cfg: BriefingConfig) -> datetime:
    zone = local_zone(cfg)
    return datetime.now(zone) if zone else datetime.now().astimezone()


def run_schedule(
    open_store: Callable[[], Store],
    config: Config,
    schedule: Schedule,
    make_report: Callable[[], Report],
    log: Callable[[str], None],
    stop: threading.Event | None = None,
) -> int:
    """Loop until interrupted (or ``schedule.iterations`` cycles); returns cycles run."""
    from ..briefing.schedule import briefing_due, next_sleep
    from ..registrations import BRIEF_STEPS
    from . import run_steps

    stop = stop or threading.Event()
    cycles = 0
    editions = configured_editions(config)  # a bad edition stops `run` before it starts
    with open_store() as store:
        today = briefing_date(datetime.now(UTC), config.briefing)
        last_built = (
            _local_now(config.briefing).date() if store.briefings.briefing_stamp(today) else None
        )
        while not stop.is_set():
            local = _local_now(config.briefing)
            build = briefing_due(local, schedule.build_at, last_built)
            steps = BRIEF_STEPS if build else ("fetch", "stories")
            ctx = RunContext(store=store, config=config, report=make_report())
            try:
                report = run_steps(ctx, steps, "run")
                counts = ", ".join(f"{k} {v}" for k, v in sorted(report.counts.items()))
                log(f"{local:%Y-%m-%d %H:%M} {'+'.join(steps)}: {counts or 'nothing new'}")
                if build:
                    last_built = local.date()
                    if config.email.send_on_build and config.email.recipients:
                        date, accepted = send_briefing(store, config, None, ())
                        log(f"sent the {date} briefing to {len(accepted)} recipient(s)")
                    for edition in editions:
                        _build_edition(store, config, edition, make_report(), log)
            except UserError:
                raise
            except ManysidesError as exc:  # e.g. SMTP down or store locked: retry next cycle
                log(f"{local:%Y-%m-%d %H:%M} run failed: {exc}")
            cycles += 1
            if schedule.iterations and cycles >= schedule.iterations:
                break
            stop.wait(next_sleep(_local_now(config.briefing), schedule.every, schedule.build_at))
    return cycles
