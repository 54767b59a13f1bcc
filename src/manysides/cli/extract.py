"""``manysides extract``: clean article text out of HTML or plain text, JSON Lines in and out."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ..errors import UserError
from ._jsonl import exit_if_failed, jsonl_streams
from ._state import AppState


def extract_command(
    ctx: typer.Context,
    input_path: Annotated[
        Path | None, typer.Option("--input", "-i", help="JSON Lines input (default: stdin).")
    ] = None,
    output_path: Annotated[
        Path | None, typer.Option("--output", "-o", help="JSON Lines output (default: stdout).")
    ] = None,
    explain: Annotated[
        bool, typer.Option("--explain", help="List every removed line and its rule (stderr).")
    ] = False,
    workers: Annotated[
        int | None, typer.Option("--workers", "-w", help="Processes (default: workers.processes).")
    ] = None,
    rules: Annotated[
        bool,
        typer.Option("--rules", help="List the cleanup rules and what they remove, then exit."),
    ] = False,
) -> None:
    """Extract articles: IN lines {"id","url"?,"html"} or {"id","text"}; one OUT line each.

    OUT lines are {"id","title","authors","date","site","language","text"} in input
    order, with "error" when nothing usable came out. Exit code 1 if any line failed.
    """
    import json

    from ..extract.batch import BatchOptions, run_lines
    from ..workers import WorkerPool

    state: AppState = ctx.obj
    if rules:
        _print_rules(state)
        return
    if workers is not None and workers < 0:
        raise UserError("--workers must be 0 (all cores) or more")
    processes = state.config.workers.processes if workers is None else workers
    failed = total = 0
    with (
        jsonl_streams(input_path, output_path) as (source, sink),
        WorkerPool(processes) as pool,
    ):
        for out in run_lines(source, BatchOptions(state.config.extract, explain), pool):
            total += 1
            if explain or '"error"' in out:
                record = json.loads(out)
                failed += "error" in record
                if explain and not state.quiet:
                    _print_removed(record)
            sink.write(out + "\n")
    exit_if_failed(
        failed, f"manysides extract: {failed} of {total} inputs yielded no article", state.quiet
    )


def _print_rules(state: AppState) -> None:
    from ..extract import RULES, STRUCTURAL

    table = [{"rule": r.name, "where": r.where, "removes": r.description} for r in RULES]
    table += [
        {"rule": name, "where": "structure", "removes": doc} for name, doc in STRUCTURAL.items()
    ]
    human = "\n".join(f"{row['rule']:<18} {row['where']:<10} {row['removes']}" for row in table)
    state.emit(table, human)


def _print_removed(record: dict[str, object]) -> None:
    removed = record.get("removed") or []
    ident = record.get("id")
    if isinstance(removed, list):
        for item in removed:
            print(f"{ident}\t{item['rule']}\t{item['text']}", file=sys.stderr)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command("extract")(extract_command)
