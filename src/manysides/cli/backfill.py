"""``backfill`` and ``load``: an archive into Parquet (locally or on Ray), then the store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ._state import AppState


def register(app: typer.Typer) -> None:
    @app.command()
    def backfill(
        ctx: typer.Context,
        paths: Annotated[
            list[str],
            typer.Argument(help="WARC/ARC/JSONL(.gz) shards: files, folders or glob patterns."),
        ],
        out: Annotated[Path, typer.Option("--out", help="Output folder (Parquet datasets).")],
        engine: Annotated[
            str, typer.Option(help="local (process pool) or ray (needs the ray extra).")
        ] = "local",
        ray_address: Annotated[
            str | None,
            typer.Option("--ray-address", help="Join this Ray cluster (else start a local one)."),
        ] = None,
        workers: Annotated[
            int,
            typer.Option(help="Local processes, or CPUs of a local Ray (0: all cores)."),
        ] = 0,
        batch_size: Annotated[
            int, typer.Option(help="Records per task; bounds memory per worker.")
        ] = 64,
        window_days: Annotated[
            float, typer.Option(help="Days per story window (clustered in parallel).")
        ] = 7.0,
    ) -> None:
        """Run the pipeline's stages over an archive into Parquet; a re-run resumes."""
        from ..backfill import Options
        from ..backfill import backfill as run
        from ..errors import UserError
        from ..pipeline.report import Report

        state: AppState = ctx.obj
        if batch_size < 1 or window_days <= 0 or workers < 0:
            raise UserError("--batch-size and --window-days must be positive, --workers >= 0")
        report = Report(show_progress=not (state.quiet or state.json), verbose=state.verbose)
        options = Options(engine, workers, batch_size, window_days, ray_address)
        summary = run(paths, out, state.config, options, report)
        data = {
            "out": str(out),
            "shards": summary.shards_total,
            "shards_done": summary.shards_done,
            "shards_skipped": summary.shards_skipped,
            "records": summary.records,
            "articles": summary.articles,
            "errors": summary.errors,
            "report_groups": summary.report_groups,
            "stories": summary.stories,
            "seconds": {k: round(v, 2) for k, v in summary.seconds.items()},
        }
        human = [f"manysides backfill: done -> {out}"]
        human += [f"  {k.replace('_', ' ')}: {v}" for k, v in data.items() if k != "out"]
        if summary.errors:
            human.append(f"  (details: the errors dataset in {out / 'errors'})")
        state.emit(data, "\n".join(human))

    @app.command()
    def load(
        ctx: typer.Context,
        folder: Annotated[Path, typer.Argument(help="A finished backfill's --out folder.")],
    ) -> None:
        """Import a backfill into the store (web app, search and briefings then use it)."""
        from ..backfill.load import load as run
        from ..pipeline.report import Report

        state: AppState = ctx.obj
        report = Report(show_progress=not (state.quiet or state.json), verbose=state.verbose)
        with state.open_store() as store:
            loaded = run(folder, store, state.config, report)
        data = {
            "shards": loaded.shards,
            "shards_skipped": loaded.shards_skipped,
            "articles": loaded.articles,
            "stories": loaded.stories,
            "quotes": loaded.quotes,
        }
        human = ["manysides load: done"] + [
            f"  {k.replace('_', ' ')}: {v}" for k, v in data.items()
        ]
        state.emit(data, "\n".join(human))
