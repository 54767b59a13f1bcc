"""Per-story perspectives and the daily briefings built from them."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from . import Store


class BriefingRepo:
    def __init__(self, store: Store) -> None:
        self.store = store

    # -- perspectives ----------------------------------------------------------------
    def save_perspective(self, story_id: int, n_articles: int, data: dict[str, Any]) -> None:
        from . import utcnow

        with self.store.transaction() as c:
            c.execute(
                "INSERT INTO perspectives(story_id, computed_at, n_articles, data)"
                " VALUES (?, ?, ?, ?) ON CONFLICT(story_id) DO UPDATE SET"
                " computed_at = excluded.computed_at, n_articles = excluded.n_articles,"
                " data = excluded.data",
                (story_id, utcnow(), n_articles, json.dumps(data, default=str)),
            )

    def perspective(self, story_id: int) -> dict[str, Any] | None:
        row = self.store.execute(
            "SELECT data, n_articles FROM perspectives WHERE story_id = ?", (story_id,)
        ).fetchone()
        return json.loads(row["data"]) | {"_n_articles": row["n_articles"]} if row else None

    # -- briefings -------------------------------------------------------------------
    def save_briefing(
        self, date: str, data: dict[str, Any], stories: list[tuple[int, int, str, int, int]]
    ) -> None:
        """Store a briefing and its (story_id, rank, section, n_articles, max_article_id)."""
        from . import utcnow

        with self.store.transaction() as c:
            c.execute("DELETE FROM briefing_stories WHERE date = ?", (date,))
            c.execute(
                "INSERT INTO briefings(date, created_at, data) VALUES (?, ?, ?)"
                " ON CONFLICT(date) DO UPDATE SET created_at = excluded.created_at,"
                " data = excluded.data",
                (date, utcnow(), json.dumps(data, default=str)),
            )
            c.executemany(
                "INSERT INTO briefing_stories(date, story_id, rank, section, n_articles,"
                " max_article_id) VALUES (?, ?, ?, ?, ?, ?)",
                [(date, *s) for s in stories],
            )

    def briefing(self, date: str) -> dict[str, Any] | None:
        row = self.store.execute("SELECT data FROM briefings WHERE date = ?", (date,)).fetchone()
        return json.loads(row["data"]) if row else None

    def latest_date(self) -> str | None:
        row = self.store.execute("SELECT MAX(date) FROM briefings").fetchone()
        return row[0] if row else None

    def dates(self) -> list[str]:
        return [r[0] for r in self.store.query("SELECT date FROM briefings ORDER BY date DESC")]

    def previous_appearance(self, story_id: int, before: str) -> dict[str, Any] | None:
        """The story's latest appearance in a briefing dated before ``before``."""
        row = self.store.execute(
            "SELECT * FROM briefing_stories WHERE story_id = ? AND date < ?"
            " ORDER BY date DESC LIMIT 1",
            (story_id, before),
        ).fetchone()
        return dict(row) if row else None
