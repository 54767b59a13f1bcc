"""The one worker pool: processes for the CPU-heavy stages (extraction, who-said-what).

A run owns one ``WorkerPool`` (``run_pool(ctx)``, kept in ``RunContext.resources`` and
closed with the run); the steps pass it to the stages that can use it, so ``brief``
never has two pools alive at once. Commands outside a run (``manysides extract``) make
their own and close it.

- Workers are started with ``forkserver`` (``spawn`` where there is none), never with a
  bare ``fork`` of a process that may already run threads (the fetcher's event loop, a
  pool's management thread). Everything sent to a worker is therefore pickled: module
  level functions and plain records only.
- Workers die with the process that made the pool (``die_with_parent``), so a ``kill -9``
  of a run leaves no process behind (the fork server and resource tracker then exit too).
- Heavy models are loaded once per worker, by the stage's own per-process cache (e.g.
  ``quotes.analyzer.load_nlp``), on the first task that needs them; the pool is created
  on first use, so a run that never needs it starts no process.
- ``workers.processes`` sets the size (0: every core the process may use; 1: no
  processes, work runs in the caller).
"""

from __future__ import annotations

import multiprocessing
import os
import select
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from .pipeline import RunContext

__all__ = ["WorkerPool", "cpu_count", "die_with_parent", "run_pool"]

T = TypeVar("T")
R = TypeVar("R")

RESOURCE = "workers"


def cpu_count() -> int:
    """Cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def die_with_parent(owner: int | None = None) -> None:
    """Worker initializer: end this worker when its parent, or the ``owner`` process that
    made the pool, dies.

    On Linux the kernel kills the worker when its parent (the fork server, or the owner
    under ``spawn``) dies (``PR_SET_PDEATHSIG``). A fork server outlives a killed owner
    while its workers hold its liveness pipe, so each worker also watches the owner with
    a daemon thread (a pidfd where there is one, else polling) and exits with it. Without
    this a ``kill -9`` of the run would leave idle workers behind.
    """
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() == 1:  # the parent died before we got here
        os._exit(1)
    if owner is not None and owner != os.getppid():
        import threading

        threading.Thread(target=_exit_with, args=(owner,), daemon=True).start()


def _exit_with(owner: int) -> None:
    """Block until the ``owner`` process ends, then end this one."""
    try:
        fd = os.pidfd_open(owner)
    except ProcessLookupError:
        os._exit(1)
    except (AttributeError, OSError):  # no pidfds: poll
        while _alive(owner):
            time.sleep(0.5)
        os._exit(1)
    select.select([fd], [], [])
    os._exit(1)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _start_method() -> str:
    return "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"


def _run_chunk(fn: Callable[[T], R], items: list[T]) -> list[R]:
    return [fn(item) for item in items]


class WorkerPool:
    """A lazily started process pool with an ordered, bounded ``map``.

    ``map`` submits the first chunks at once (so work starts while the caller does
    something else, e.g. writes the previous batch) and the rest as results are taken.
    """

    def __init__(self, processes: int = 0) -> None:
        self.processes = processes if processes > 0 else cpu_count()
        self._executor: ProcessPoolExecutor | None = None

    @property
    def parallel(self) -> bool:
        """Whether work goes to other processes (else ``map`` runs in the caller)."""
        return self.processes > 1

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            self._executor = ProcessPoolExecutor(
                max_workers=self.processes,
                mp_context=multiprocessing.get_context(_start_method()),
                initializer=die_with_parent,
                initargs=(os.getpid(),),
            )
        return self._executor

    def submit(self, fn: Callable[..., R], *args: Any) -> Future[R]:
        return self._pool().submit(fn, *args)

    def map(
        self,
        fn: Callable[[T], R],
        items: Iterable[T],
        *,
        chunksize: int = 1,
        window: int = 0,
    ) -> Iterator[R]:
        """``fn(item)`` for every item, in order. Items travel ``chunksize`` per task, at
        most ``window`` tasks (default four per process) in flight; ``fn`` must be
        picklable (a module-level function or a ``functools.partial`` of one)."""
        if not self.parallel:
            return (fn(item) for item in items)
        chunks = _chunked(items, max(1, chunksize))
        limit = window if window > 0 else self.processes * 4
        pending = deque(self.submit(_run_chunk, fn, c) for c in islice(chunks, limit))
        return self._drain(fn, chunks, pending)

    def _drain(
        self,
        fn: Callable[[T], R],
        chunks: Iterator[list[T]],
        pending: deque[Future[list[R]]],
    ) -> Iterator[R]:
        try:
            while pending:
                done = pending.popleft().result()
                following = next(chunks, None)
                if following is not None:
                    pending.append(self.submit(_run_chunk, fn, following))
                yield from done
        finally:
            for future in pending:
                future.cancel()

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(cancel_futures=True)
            self._executor = None

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _chunked(items: Iterable[T], n: int) -> Iterator[list[T]]:
    it = iter(items)
    while chunk := list(islice(it, n)):
        yield chunk


def run_pool(ctx: RunContext) -> WorkerPool:
    """The run's one pool (``workers.processes``), made on first use, closed with the run."""
    found = ctx.resources.get(RESOURCE)
    if found is None:
        found = ctx.resources[RESOURCE] = WorkerPool(ctx.config.workers.processes)
    return found
