"""``manysides cluster`` (JSONL in, story ids out) and ``manysides stories`` (list them)."""

from __future__ import annotations

import json
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import IO, Annotated, Any

import typer

from ..errors import ParseError, UserError
from ..times import FORMATS
from ..times import parse as parse_time
from ._jsonl import exit_if_failed, jsonl_streams, numbered_lines
from ._state import AppState


def _cluster(state: AppState, src: IO[str], dst: IO[str], timings: Path | None) -> int:
    """Cluster every line of ``src``; returns how many lines failed.

    Lines are clustered in batches (``stories.clusterer.BATCH``), the open stories
    consolidated after each, as the ``stories`` step does; the output is written at the
    end, every story id final (merges applied), in input order.
    """
    from ..stories import StoryClusterer
    from ..stories.clusterer import BATCH, resolve
    from ..stories.jsonl import line_id, parse_line

    clusterer = StoryClusterer(state.config.stories)
    if state.config.stories.embeddings and clusterer.embedder is None:
        from ..stories.embeddings import EMBEDDINGS_MISSING

        print(f"manysides cluster: note: {EMBEDDINGS_MISSING}", file=sys.stderr)
    failed = 0
    per_1000: list[float] = []
    cpu_per_1000: list[float] = []
    started = chunk_start = time.perf_counter()
    cpu_start = time.process_time()
    done = 0
    rows: list[dict[str, Any]] = []  # output rows; story ids resolved at the end
    merges: dict[int, int] = {}
    batch: list[tuple[Any, dict[str, Any]]] = []

    def flush() -> None:
        nonlocal done, chunk_start, cpu_start
        assigned = clusterer.add_batch([item for item, _ in batch])
        for (_, row), got in zip(batch, assigned, strict=True):
            row["story"], row["similarity"] = got.story_id, got.similarity
            for absorbed in got.merged:
                merges[absorbed] = got.story_id
            done += 1
            if done % 1000 == 0:
                now, cpu = time.perf_counter(), time.process_time()
                per_1000.append(round(now - chunk_start, 4))
                cpu_per_1000.append(round(cpu - cpu_start, 4))
                chunk_start, cpu_start = now, cpu
        for absorbed, into in clusterer.consolidate():
            merges[absorbed] = into
        batch.clear()

    for number, line in numbered_lines(src):
        try:
            item = parse_line(line)
        except ParseError as exc:
            failed += 1
            print(f"manysides cluster: line {number}: {exc}", file=sys.stderr)
            rows.append({"id": line_id(line), "story": None, "error": str(exc)})
            continue
        row: dict[str, Any] = {"id": item.id, "story": None}
        rows.append(row)
        batch.append((item, row))
        if len(batch) >= BATCH:
            flush()
    if batch:
        flush()
    for row in rows:
        if row["story"] is not None:
            row["story"] = resolve(row["story"], merges)
        dst.write(json.dumps(row) + "\n")
    dst.flush()
    if timings is not None:
        data = {
            "articles": done,
            "failed": failed,
            "seconds": round(time.perf_counter() - started, 3),
            "per_1000": per_1000,  # wall seconds per 1,000 articles
            "cpu_per_1000": cpu_per_1000,  # CPU seconds of this process per 1,000 articles
            "open_stories": clusterer.open_stories,
            "merges": len(merges),
        }
        timings.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    return failed


def _story_rows(
    state: AppState, day: date | None, min_outlets: int, limit: int
) -> list[dict[str, Any]]:
    since = until = None
    if day is not None:
        since, until = day.isoformat(), (day + timedelta(days=1)).isoformat()
    with state.open_store() as store:
        rows = store.stories.list(since=since, until=until, min_outlets=min_outlets, limit=limit)
        return [
            {
                "id": r["id"],
                "headline": r["headline"],
                "first_seen": r["first_seen"],
                "last_updated": r["last_updated"],
                "articles": r["n_articles"],
                "outlets": store.stories.outlets(int(r["id"])),
            }
            for r in rows
        ]


def _when(value: object) -> str:
    return str(value or "")[:16].replace("T", " ")


def _table(rows: list[dict[str, Any]]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{len(rows)} stories")
    table.add_column("id", no_wrap=True)
    table.add_column("headline", ratio=3, min_width=24)
    table.add_column("first seen", no_wrap=True)
    table.add_column("last updated", no_wrap=True)
    table.add_column("articles", justify="right", no_wrap=True)
    table.add_column("outlets", ratio=2, overflow="fold")
    for r in rows:
        outlets = ", ".join(f"{o['name']} ({o['leaning']})" for o in r["outlets"])
        table.add_row(
            str(r["id"]),
            r["headline"],
            _when(r["first_seen"]),
            _when(r["last_updated"]),
            str(r["articles"]),
            outlets,
        )
    Console().print(table)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""

    @app.command()
    def cluster(
        ctx: typer.Context,
        input: Annotated[
            Path | None, typer.Option("--input", "-i", help="JSONL input (default: stdin).")
        ] = None,
        output: Annotated[
            Path | None, typer.Option("--output", "-o", help="JSONL output (default: stdout).")
        ] = None,
        timings: Annotated[
            Path | None,
            typer.Option("--timings", help="Write seconds per 1,000 articles to this JSON file."),
        ] = None,
    ) -> None:
        """Cluster JSONL articles {"id","title","text","date"?,...} into stories
        {"id","story","similarity"} (similarity: the scorer's probability that the article
        reports its story's event; null for the article that started it)."""
        state: AppState = ctx.obj
        with jsonl_streams(input, output, missing="no such file: {path}") as (src, dst):
            failed = _cluster(state, src, dst, timings)
        exit_if_failed(failed, f"manysides cluster: {failed} line(s) failed")

    @app.command()
    def stories(
        ctx: typer.Context,
        day: Annotated[
            str | None, typer.Option("--date", help="Stories active on this day (YYYY-MM-DD).")
        ] = None,
        min_outlets: Annotated[
            int, typer.Option("--min-outlets", min=1, help="At least N outlets.")
        ] = 1,
        limit: Annotated[int, typer.Option("--limit", min=1, help="At most N stories.")] = 50,
    ) -> None:
        """List stories with their outlets and leanings, busiest first."""
        state: AppState = ctx.obj
        chosen: date | None = None
        if day is not None:
            moment = parse_time(day)
            if moment is None:
                raise UserError(f"--date must be a date, not {day!r} ({FORMATS})")
            chosen = moment.date()
        rows = _story_rows(state, chosen, min_outlets, limit)
        if state.json:
            state.emit(rows)
        elif not state.quiet:
            _table(rows)
