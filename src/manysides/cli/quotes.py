"""``manysides quotes``: who said what in JSONL articles, without touching the store."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer

from ..errors import ConfigError
from ..records import record_id
from ._jsonl import exit_if_failed, jsonl_streams, numbered_lines
from ._state import AppState


def _parse(line: str, number: int) -> tuple[Any, str | None, str | None]:
    """(id, text, error) of one input line."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return None, None, f"line {number}: not valid JSON ({exc.msg})"
    if not isinstance(record, dict):
        return None, None, f'line {number}: expected an object with "id" and "text"'
    rid = record.get("id")
    try:
        record_id(rid)
    except ValueError as exc:
        return rid, None, f"line {number}: {exc}"
    text = record.get("text")
    if not isinstance(text, str):
        return rid, None, f'line {number}: "text" must be a string'
    return rid, text, None


def _records(stream: TextIO) -> Iterator[tuple[Any, str | None, str | None]]:
    for number, line in numbered_lines(stream):
        yield _parse(line, number)


def run_quotes(source: TextIO, sink: TextIO, state: AppState) -> int:
    """Analyze every input line, write one output line each; the number of bad lines."""
    from ..quotes import QuoteAnalyzer

    cfg = state.config.quotes
    try:
        analyzer = QuoteAnalyzer(cfg)
    except OSError as exc:
        raise ConfigError(
            f"spaCy model '{cfg.spacy_model}' cannot be loaded ({exc}); install it"
            " (requirements/models.txt) or set quotes.spacy_model"
        ) from None
    errors = 0
    batch: list[tuple[Any, str | None, str | None]] = []

    def flush() -> None:
        nonlocal errors
        good = [(rid, text) for rid, text, err in batch if err is None]
        results = iter(analyzer.analyze_many(text or "" for _rid, text in good))
        for rid, _text, err in batch:
            if err is not None:
                errors += 1
                out: dict[str, Any] = {"id": rid, "error": err}
            else:
                result = next(results)
                if result.error is not None:
                    errors += 1
                    out = {"id": rid, "error": f"could not analyze: {result.error}"}
                else:
                    out = {"id": rid, "quotes": [q.to_dict() for q in result.quotes]}
            sink.write(json.dumps(out, ensure_ascii=False) + "\n")
        batch.clear()

    for record in _records(source):
        batch.append(record)
        if len(batch) >= cfg.batch_size:
            flush()
    flush()
    return errors


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""

    @app.command("quotes")
    def quotes_command(
        ctx: typer.Context,
        input_path: Annotated[
            Path | None,
            typer.Option("--input", "-i", help='JSONL of {"id", "text"} (default: stdin).'),
        ] = None,
        output_path: Annotated[
            Path | None, typer.Option("--output", "-o", help="JSONL output (default: stdout).")
        ] = None,
    ) -> None:
        """Direct and indirect quotes with speakers and character offsets, per article."""
        state: AppState = ctx.obj
        with jsonl_streams(input_path, output_path, "no such input file: {path}") as (src, dst):
            errors = run_quotes(src, dst, state)
        exit_if_failed(errors, f"manysides quotes: {errors} line(s) could not be read")
