"""The runner: reads from the store, calls stage functions, persists their output.

Stages (``manysides.extract``, ``manysides.stories``, ...) are pure functions over
typed records. Each pipeline *step* in this package is the glue for one stage: it loads
what the stage needs from the store, calls it, and writes the result back, one item per
transaction so that a killed run loses nothing that was committed and the next run
resumes where it stopped. Steps are registered, with what they require and assign, in
``manysides.registrations``.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..config import Config
from ..errors import ManysidesError
from ..store import Store
from .report import Report

__all__ = ["RunContext", "Report", "run_steps"]


@dataclass
class RunContext:
    """Everything a step may use. Built once per command by the CLI or library caller."""

    store: Store
    config: Config
    report: Report = field(default_factory=Report)
    run_id: int | None = None
    now: datetime = field(default_factory=lambda: datetime.now(UTC))
    paths: Sequence[Path] = ()  # inputs for the "ingest" step
    options: dict[str, Any] = field(default_factory=dict)
    # What a step hands back to its caller beyond the store (e.g. ``check``'s feed
    # outcomes for the command's table); not persisted.
    outputs: dict[str, Any] = field(default_factory=dict)
    # Per-run resources a step builds once and later calls reuse (catalog, dedupe index,
    # worker pool); closed by ``run_steps`` at the end of the run.
    resources: dict[str, Any] = field(default_factory=dict, repr=False)

    def close(self) -> None:
        for resource in self.resources.values():
            closer = getattr(resource, "close", None)
            if callable(closer):
                closer()
        self.resources.clear()

    def record_error(self, stage: str, item: str, exc: BaseException) -> None:
        """Record one failed item; the run goes on."""
        if isinstance(exc, ManysidesError):
            kind, code, message = exc.kind, exc.code, exc.message
        else:
            kind, code, message = "internal", "E999", f"{type(exc).__name__}: {exc}"
        self.report.error(kind)
        self.store.runs.record_error(self.run_id, stage, item, kind, code, message)
        if self.report.verbose:
            print(f"{stage}: {item}: {message} [{code}]", file=sys.stderr)


def run_steps(ctx: RunContext, steps: Sequence[str], command: str) -> Report:
    """Run named steps in order inside one recorded run."""
    from ..registrations import STEPS

    ctx.run_id = ctx.store.runs.start(command)
    status = "ok"
    try:
        for name in steps:
            step = STEPS[name]
            started = time.perf_counter()
            step.run(ctx)
            ctx.report.stage_seconds[name] = time.perf_counter() - started
    except BaseException:
        status = "interrupted"
        raise
    finally:
        ctx.close()
        if status == "ok" and ctx.report.errors:
            status = "partial"
        ctx.store.runs.finish(ctx.run_id, status, ctx.report.as_dict())
    return ctx.report
