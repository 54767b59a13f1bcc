"""Small SQL helpers shared by the repositories."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")

IN_CHUNK = 500  # values per ``IN (...)``: well under SQLite's limit on bound parameters


def in_chunks(values: Sequence[T], size: int = IN_CHUNK) -> Iterator[tuple[tuple[T, ...], str]]:
    """``values`` in chunks of ``size``, each with its placeholders ``"?,?,…"`` for ``IN``."""
    for i in range(0, len(values), size):
        chunk = tuple(values[i : i + size])
        yield chunk, ",".join("?" * len(chunk))
