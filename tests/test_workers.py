"""The one worker pool: ordered results, no bare fork, one pool per run, closed with it."""

from __future__ import annotations

import os
from functools import partial
from pathlib import Path

from manysides.config import Config
from manysides.pipeline import RunContext
from manysides.store import Store
from manysides.workers import WorkerPool, run_pool


def _square_plus(offset: int, n: int) -> tuple[int, int]:
    return n * n + offset, os.getpid()


def test_map_keeps_order_across_chunks_and_windows() -> None:
    items = list(range(37))
    expected = [n * n + 1 for n in items]
    with WorkerPool(2) as pool:
        got = list(pool.map(partial(_square_plus, 1), items, chunksize=3, window=2))
        assert [value for value, _pid in got] == expected
        assert {pid for _value, pid in got} - {os.getpid()}, "work did not leave this process"
        method = pool._pool()._mp_context.get_start_method()  # noqa: SLF001
        assert method in ("forkserver", "spawn")  # never a fork of a threaded process


def test_one_process_runs_in_the_caller() -> None:
    pool = WorkerPool(1)
    assert not pool.parallel
    got = list(pool.map(partial(_square_plus, 0), [2, 3]))
    assert got == [(4, os.getpid()), (9, os.getpid())]
    assert pool._executor is None  # noqa: SLF001 - no process was started
    pool.close()


def test_the_run_owns_one_pool(tmp_path: Path) -> None:
    with Store(tmp_path / "m.db") as store:
        ctx = RunContext(store=store, config=Config().replace("workers", processes=2))
        pool = run_pool(ctx)
        assert run_pool(ctx) is pool and pool.processes == 2
        assert list(pool.map(partial(_square_plus, 0), range(4)))
        ctx.close()
        assert pool._executor is None  # noqa: SLF001 - shut down with the run
        assert run_pool(ctx) is not pool  # a later run makes its own
        ctx.close()
