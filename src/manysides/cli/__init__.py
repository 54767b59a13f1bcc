"""The ``manysides`` command: a thin typer layer over the library.

Each command group lives in its own module with a ``register(app)`` function; this
module wires the global options and turns errors into one line and an exit code:
0 ok, 1 partial failure (some items failed), 2 usage error.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ..errors import ManysidesError, UserError
from . import backfill, briefing, extract, ingest, quotes, sources, stories, summarize
from ._state import AppState

app = typer.Typer(
    name="manysides",
    help="Open news briefing engine: stories, who said what, and how every side covers them.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _global(
    ctx: typer.Context,
    config: Annotated[
        Path | None,
        typer.Option("--config", "-c", help="Config TOML file.", envvar="MANYSIDES_CONFIG"),
    ] = None,
    db: Annotated[Path | None, typer.Option("--db", help="SQLite database path.")] = None,
    verbose: Annotated[int, typer.Option("--verbose", "-v", count=True, help="More output.")] = 0,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only errors.")] = False,
    json_out: Annotated[bool, typer.Option("--json", help="Machine-readable JSON output.")] = False,
) -> None:
    ctx.obj = AppState(config_path=config, db=db, verbose=verbose, quiet=quiet, json=json_out)


for _module in (ingest, sources, extract, stories, quotes, summarize, briefing, backfill):
    _module.register(app)


def main(argv: list[str] | None = None) -> None:
    """Console entry point: click handles usage errors (exit 2); ours become one line."""
    try:
        app(args=argv, prog_name="manysides")
    except UserError as exc:
        print(f"manysides: error: {exc}", file=sys.stderr)
        sys.exit(2)
    except ManysidesError as exc:
        print(f"manysides: error: {exc}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        print("manysides: interrupted", file=sys.stderr)
        sys.exit(130)
