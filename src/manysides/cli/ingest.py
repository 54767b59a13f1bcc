"""``brief``, ``ingest``, ``reprocess`` and ``status``: the commands that run the pipeline."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

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
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise UserError(f"--as-of must be an ISO date or date-time, not {value!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    if len(value) <= 10:  # a bare date: the end of that day
        moment = moment.replace(hour=23, minute=59, second=59)
    return moment


def summarize_report(state: AppState, report: Report, command: str) -> None:
    """Print the end-of-run summary and exit 1 when some items failed."""
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
    if report.errors:
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
    ) -> None:
        """The main job: fetch the configured sources and build today's briefing."""
        state: AppState = ctx.obj
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
        summarize_report(state, _run(state, chosen, "brief", **extra), "brief")

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
