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

    def close(self) -> None:
        with self._lock:
            for store in self._stores:
                with contextlib.suppress(Exception):  # best effort, from another thread
                    store.close()
            self._stores.clear()

    # -- convenience reads (all through store methods) ----------------------------------
    def outlet(self, source_id: str) -> dict[str, Any] | None:
        return self.store().catalog.source(source_id)
