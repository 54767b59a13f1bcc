"""The store: the only module that talks SQL.

``Store`` owns one SQLite connection (WAL, foreign keys, versioned migrations) and
exposes one small repository per area, so no class grows into a god object::

    store.catalog    sources and feeds                (catalog.py)
    store.articles   documents, articles, minhashes   (articles.py)
    store.runs       runs, per-item errors, stage state (runs.py)
    store.stories    stories and assignments          (stories.py)
    store.quotes     entities and quotes              (quotes.py)
    store.briefings  perspectives and briefings       (briefings.py)

Writes happen inside ``with store.transaction():`` blocks, one per item, so a run killed
at any point leaves a consistent database and the next run resumes.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from ..errors import QueryTimeout, StoreError
from .articles import ArticleRepo
from .briefings import BriefingRepo
from .catalog import CatalogRepo
from .editions import EditionRepo
from .quotes import QuoteRepo
from .runs import RunRepo
from .schema import MIGRATIONS
from .stories import StoryRepo

__all__ = ["Store", "utcnow"]
PROGRESS_STEPS = 2000  # SQLite VM steps between time-limit checks (well under 1 ms)


def utcnow() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Store:
    """One SQLite database. Use as a context manager or call ``close()``."""

    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).expanduser().parent.mkdir(parents=True, exist_ok=True)
        try:
            if read_only:
                uri = f"file:{Path(self.path).expanduser()}?mode=ro"
                self.conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
            else:
                self.conn = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open database {self.path}: {exc}") from None
        self.conn.row_factory = sqlite3.Row
        self._lock = threading.RLock()
        self._depth = 0
        try:
            self.conn.execute("PRAGMA foreign_keys = ON")
            self.conn.execute("PRAGMA busy_timeout = 30000")
            if not read_only:
                self.conn.execute("PRAGMA journal_mode = WAL")
                self.conn.execute("PRAGMA synchronous = NORMAL")
                self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"database {self.path} is unusable: {exc}") from None
        self.catalog = CatalogRepo(self)
        self.articles = ArticleRepo(self)
        self.runs = RunRepo(self)
        self.stories = StoryRepo(self)
        self.quotes = QuoteRepo(self)
        self.briefings = BriefingRepo(self)
        self.editions = EditionRepo(self)

    # -- lifecycle -------------------------------------------------------------------
    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    @property
    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        version = self.schema_version
        if version > len(MIGRATIONS):
            raise StoreError(
                f"database {self.path} has schema version {version}, newer than this "
                f"manysides ({len(MIGRATIONS)}); upgrade manysides"
            )
        if version == len(MIGRATIONS):
            return
        # Data migrations re-spell stored values with the same functions the code uses
        # (imported only when a migration is due: opening a current store stays light).
        from ..dedupe import canonical_url

        self.conn.create_function("ms_canonical_url", 1, canonical_url, deterministic=True)
        for number, sql in enumerate(MIGRATIONS[version:], start=version + 1):
            # executescript commits first; the version bump is part of the same script.
            self.conn.executescript(f"BEGIN;\n{sql}\nPRAGMA user_version = {number};\nCOMMIT;")

    # -- transactions ----------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction (nested calls join the outer one)."""
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield self.conn
                finally:
                    self._depth -= 1
                return
            self.conn.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield self.conn
            except BaseException:
                self.conn.rollback()
                raise
            else:
                self.conn.commit()
            finally:
                self._depth = 0

    @contextmanager
    def time_limit(self, seconds: float) -> Iterator[None]:
        """Statements run inside stop after about ``seconds`` of wall time and raise
        ``QueryTimeout`` (the web app bounds what one request may cost)."""
        deadline = time.monotonic() + seconds
        with self._lock:
            self.conn.set_progress_handler(lambda: time.monotonic() > deadline, PROGRESS_STEPS)
            try:
                yield
            except sqlite3.OperationalError as exc:
                if time.monotonic() <= deadline or "interrupt" not in str(exc):
                    raise
                raise QueryTimeout(f"a query ran past its {seconds:g} s limit") from None
            finally:
                self.conn.set_progress_handler(None, 0)

    def execute(self, sql: str, params: tuple | dict = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    def query(self, sql: str, params: tuple | dict = ()) -> list[sqlite3.Row]:
        return self.conn.execute(sql, params).fetchall()
