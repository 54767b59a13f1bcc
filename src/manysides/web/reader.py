"""Read-only access to the store for the web app: one SQLite connection per thread."""

from __future__ import annotations

import contextlib
import threading
from pathlib import Path
from typing import Any

from ..errors import StoreError
from ..store import Store


class StoreReader:
    """Opens the database read-only, lazily, once per server thread."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self._lock = threading.Lock()
        self._stores: list[Store] = []

    def store(self) -> Store:
        store = getattr(self._local, "store", None)
        if store is None:
            if not self.path.exists():
                raise StoreError(f"no database at {self.path}; run `manysides brief` first")
            store = Store(self.path, read_only=True)
            self._local.store = store
            with self._lock:
                self._stores.append(store)
        return store

    def version(self) -> tuple[int, ...]:
        """What changes whenever anything is committed to the database: the size and
        modification time of its file and of its write-ahead log (a commit appends to
        the log; a checkpoint writes the file). Two ``stat`` calls, no query.

        An empty log counts as no log: opening a connection may create one, and that
        changes nothing that was stored."""
        out: list[int] = []
        for path in (self.path, self.path.with_name(self.path.name + "-wal")):
            try:
                st = path.stat()
            except OSError:
                out += [0, 0]
                continue
            out += [st.st_size, st.st_mtime_ns] if st.st_size else [0, 0]
        return tuple(out)

    def close(self) -> None:
        with self._lock:
            for store in self._stores:
                with contextlib.suppress(Exception):  # best effort, from another thread
                    store.close()
            self._stores.clear()

    # -- convenience reads (all through store methods) ----------------------------------
    def outlet(self, source_id: str) -> dict[str, Any] | None:
        return self.store().catalog.source(source_id)
