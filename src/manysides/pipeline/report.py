"""Run feedback: counters, per-kind error tallies and rich progress bars.

The runner owns one ``Report``; pipeline steps count into it and wrap long loops in
``report.progress(...)``. Progress is drawn on stderr only when it is a terminal and the
user did not ask for ``--quiet`` or ``--json``.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

T = TypeVar("T")


@dataclass
class Report:
    show_progress: bool = True
    verbose: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    stage_seconds: dict[str, float] = field(default_factory=dict)
    messages: list[str] = field(default_factory=list)

    def count(self, key: str, n: int = 1) -> None:
        self.counts[key] += n

    def error(self, kind: str) -> None:
        self.errors[kind] += 1

    def note(self, message: str) -> None:
        self.messages.append(message)
        if self.verbose:
            print(message, file=sys.stderr)

    def progress(
        self, items: Iterable[T], description: str, total: int | None = None
    ) -> Iterator[T]:
        if not (self.show_progress and sys.stderr.isatty()):
            yield from items
            return
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        if total is None and hasattr(items, "__len__"):
            total = len(items)  # type: ignore[arg-type]
        columns = (
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        with Progress(*columns, transient=True) as bar:
            task = bar.add_task(description, total=total)
            for item in items:
                yield item
                bar.advance(task)

    def as_dict(self) -> dict[str, Any]:
        return {
            "counts": dict(sorted(self.counts.items())),
            "errors": dict(sorted(self.errors.items())),
            "error_total": sum(self.errors.values()),
            "stage_seconds": {k: round(v, 3) for k, v in self.stage_seconds.items()},
        }
