"""``brief``, ``ingest``, ``reprocess`` and ``status``: the commands that run the pipeline."""

from __future__ import annotations

import dataclasses
import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from .. import times
from ..errors import UserError
from ..pipeline import Report, RunContext, run_steps
from ..registrations import BRIEF_STEPS, INGEST_STEPS
from ._state import AppState


def _run(state: AppState, steps: tuple[str, ...], command: str, **ctx_args: object) -> Report:
    report = Report(show_progress=not (state.quiet or state.json), verbose=state.verbose)
    with state.open_store() as store:
        ctx = RunContext(store=store, config=state.config, report=report, **ctx_args)  # type: ignore[arg-type]
        run_steps(ctx, steps, command)
    return report


def _parse_as_of(value: str) -> datetime:
    moment = times.parse(value)
    if moment is None:
        raise UserError(
            f"--as-of must be a date or a date and time, not {value!r} ({times.FORMATS})"
        )
    return times.end_of_day(moment) if times.is_day_only(value) else moment  # a bare date: its end


def reached_no_source(report: Report) -> bool:
    """A fetch in which every feed and page failed (e.g. a machine without internet)."""
    counts = report.counts
    reached = sum(counts.get(k, 0) for k in ("feeds_ok", "feeds_not_modified", "documents_fetched"))
    return reached == 0 and counts.get("feeds_failed", 0) > 0


def run_sample(state: AppState) -> tuple[AppState, Report]:
    """Build the sample briefing (``manysides.sample``) into its own store and folder."""
    from .. import sample

    sample_state = dataclasses.replace(state, db=None, _config=sample.sample_config(state.config))
    paths = (sample.files().articles,)
    return sample_state, _run(sample_state, sample.STEPS, "brief", paths=paths, now=sample.AS_OF)


def _sample_notes(report: Report) -> None:
    from .. import sample

    report.note(f"this is the sample briefing: {sample.LABEL}")
    report.note("view it with `manysides serve --sample`")
    report.note(sample.LIVE_HINT)


def summarize_report(
    state: AppState, report: Report, command: str, *, needs_stories: bool = False
) -> None:
    """Print the end-of-run summary; exit 1 when some items failed or, with
    ``needs_stories``, when the briefing it built has no story (the notes say why)."""
    data = {"command": command} | report.as_dict() | {"notes": report.messages}
    lines = [f"manysides {command}: done"]
    for key, value in sorted(report.counts.items()):
        lines.append(f"  {key.replace('_', ' ')}: {value}")
    if report.errors:
        lines.append(f"  errors: {sum(report.errors.values())}")
        for kind, n in sorted(report.errors.items()):
            lines.append(f"    {kind}: {n}")
    for message in report.messages:
        lines.append(f"  {message}")
    if report.errors:
        lines.append("  (details: manysides errors)")
    state.emit(data, "\n".join(lines))
    empty = needs_stories and not (
        report.counts.get("briefing_stories") or report.counts.get("sample_briefing_stories")
    )
    if report.errors or empty:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    @app.command()
    def brief(
        ctx: typer.Context,
        steps: Annotated[
            str | None,
            typer.Option(help="Comma-separated subset of steps to run (default: all)."),
        ] = None,
        sources: Annotated[
            str | None,
            typer.Option(help="Comma-separated source ids to fetch (default: all enabled)."),
        ] = None,
        as_of: Annotated[
            str | None,
            typer.Option(
                "--as-of",
                help="Build the briefing as of this ISO date/time (UTC), e.g. to replay an archive.",
            ),
        ] = None,
        sample: Annotated[
            bool,
            typer.Option(
                "--sample",
                help="Build the sample briefing (real news of 18-24 May 2020, shipped with"
                " manysides) into its own store and folder.",
            ),
        ] = False,
        edition: Annotated[
            str | None,
            typer.Option(
                "--edition",
                help="Build an edition: a table [editions.NAME] of the config or a catalog"
                ' category such as "USA | Texas" (its own page, feed and history).',
            ),
        ] = None,
    ) -> None:
        """The main job: fetch the configured sources and build today's briefing.

        When no source can be reached at all (no internet) and the briefing is empty, the
        sample briefing is built instead, labelled as such."""
        state: AppState = ctx.obj
        if sample:
            if steps or sources or as_of or edition:
                raise UserError("--sample takes no --steps, --sources, --as-of or --edition")
            _state, report = run_sample(state)
            _sample_notes(report)
            summarize_report(state, report, "brief", needs_stories=True)
            return
        chosen = tuple(s.strip() for s in steps.split(",")) if steps else BRIEF_STEPS
        unknown = [s for s in chosen if s not in BRIEF_STEPS]
        if unknown:
            raise UserError(
                f"unknown step(s) {', '.join(unknown)}; choose from {', '.join(BRIEF_STEPS)}"
            )
        extra: dict[str, object] = {}
        if as_of:
            extra["now"] = _parse_as_of(as_of)
        if sources:
            extra["options"] = {"sources": [s.strip() for s in sources.split(",") if s.strip()]}
        if edition:
            from ..editions import resolve_edition
            from ..sources import load_catalog

            if sources:
                raise UserError("--edition chooses its own sources; drop --sources")
            chosen_edition = resolve_edition(
                edition, state.config, load_catalog(state.config.sources)
            )
            extra["options"] = {
                "edition": chosen_edition,
                "sources": list(chosen_edition.sources),
            }
        report = _run(state, chosen, "brief", **extra)
        if (
            chosen == BRIEF_STEPS
            and not (sources or as_of or edition)
            and reached_no_source(report)
            and not report.counts.get("briefing_stories")
        ):
            if not state.quiet:
                print(
                    f"manysides brief: no source could be reached"
                    f" ({report.counts.get('feeds_failed', 0)} feeds failed);"
                    " building the sample briefing instead",
                    file=sys.stderr,
                    flush=True,
                )
            _state, sample_report = run_sample(state)
            for key, value in sample_report.counts.items():
                report.count(f"sample_{key}", value)
            for message in sample_report.messages:
                report.note(f"sample briefing: {message}")
            _sample_notes(report)
        summarize_report(state, report, "brief", needs_stories="briefing" in chosen)

    @app.command()
    def ingest(
        ctx: typer.Context,
        paths: Annotated[
            list[Path], typer.Argument(help="HTML, TXT, JSONL(.gz), WARC/ARC files or folders.")
        ],
        no_stories: Annotated[
            bool, typer.Option("--no-stories", help="Skip story clustering.")
        ] = False,
    ) -> None:
        """Load local files and web archives into the store."""
        state: AppState = ctx.obj
        missing = [str(p) for p in paths if not p.exists()]
        if missing:
            raise UserError(f"no such file or folder: {', '.join(missing)}")
        steps = ("ingest",) if no_stories else INGEST_STEPS
        summarize_report(state, _run(state, steps, "ingest", paths=tuple(paths)), "ingest")

    @app.command()
    def reprocess(ctx: typer.Context) -> None:
        """Rebuild articles from stored documents without refetching."""
        state: AppState = ctx.obj
        summarize_report(state, _run(state, ("reprocess", "stories"), "reprocess"), "reprocess")

    @app.command()
    def errors(
        ctx: typer.Context,
        run: Annotated[int | None, typer.Option(help="Only this run's errors.")] = None,
        limit: Annotated[int, typer.Option(help="At most this many.")] = 50,
    ) -> None:
        """The per-item errors recorded by recent runs."""
        state: AppState = ctx.obj
        with state.open_store() as store:
            rows = store.runs.errors(run, limit)
        human = "\n".join(
            f"{r['at']} run {r['run_id']} {r['stage']} [{r['code']} {r['kind']}] {r['item']}: "
            f"{r['message']}"
            for r in rows
        )
        state.emit(rows, human or "no errors recorded")

    @app.command()
    def status(ctx: typer.Context) -> None:
        """What the store holds and how the last runs went."""
        state: AppState = ctx.obj
        with state.open_store() as store:
            store.runs.reap_stale()
            data = {
                "db": store.path,
                "documents": store.articles.document_count(),
                "articles": store.articles.count(),
                "stories": store.stories.max_id(),
                "runs": store.runs.last_runs(5),
            }
        human = [
            f"store: {data['db']}",
            f"documents: {data['documents']}",
            f"articles: {data['articles']}",
        ]
        for run in data["runs"]:
            human.append(f"run {run['id']} {run['command']}: {run['status']} ({run['started_at']})")
        state.emit(data, "\n".join(human))
