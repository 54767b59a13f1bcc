"""Small SQL helpers shared by the repositories."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, TypeVar

T = TypeVar("T")

IN_CHUNK = 500  # values per ``IN (...)``: well under SQLite's limit on bound parameters


def in_chunks(values: Sequence[T], size: int = IN_CHUNK) -> Iterator[tuple[tuple[T, ...], str]]:
    """``values`` in chunks of ``size``, each with its placeholders ``"?,?,…"`` for ``IN``."""
    for i in range(0, len(values), size):
        chunk = tuple(values[i : i + size])
        yield chunk, ",".join("?" * len(chunk))


def fts_floor(store: Any, table: str, query: str, candidates: int) -> int:
    """The smallest rowid among the newest ``candidates`` matches of ``query`` in the
    FTS5 ``table`` (0 when there are fewer): ranking above it bounds a search's cost."""
    row = store.execute(
        f"SELECT rowid FROM {table} WHERE {table} MATCH ? ORDER BY rowid DESC"  # noqa: S608
        " LIMIT 1 OFFSET ?",
        (query, max(0, candidates - 1)),
    ).fetchone()
    return int(row[0]) if row else 0
