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
        """The stored perspective JSON of a story, exactly as saved; None if there is none."""
        row = self.store.execute(
            "SELECT data FROM perspectives WHERE story_id = ?", (story_id,)
        ).fetchone()
        return json.loads(row["data"]) if row else None

    def perspective_articles(self, story_id: int) -> int | None:
        """How many articles the story's stored perspective was computed on."""
        row = self.store.execute(
            "SELECT n_articles FROM perspectives WHERE story_id = ?", (story_id,)
        ).fetchone()
        return int(row[0]) if row else None

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

    def briefing_text(self, date: str) -> str | None:
        """The stored JSON text of the briefing of ``date`` (served as is by the API)."""
        row = self.store.execute("SELECT data FROM briefings WHERE date = ?", (date,)).fetchone()
        return row[0] if row else None

    def latest_date(self) -> str | None:
        row = self.store.execute("SELECT MAX(date) FROM briefings").fetchone()
        return row[0] if row else None

    def dates(self) -> list[str]:
        return [r[0] for r in self.store.query("SELECT date FROM briefings ORDER BY date DESC")]

    # -- reads for the archive and the web app -------------------------------------------
    def index(self, limit: int | None = None) -> list[dict[str, Any]]:
        """Every briefing, newest first: date, created_at, n_stories, top headlines."""
        rows = self.store.query(
            "SELECT b.date, b.created_at, COUNT(bs.story_id) AS n_stories FROM briefings b"
            " LEFT JOIN briefing_stories bs ON bs.date = b.date GROUP BY b.date"
            " ORDER BY b.date DESC LIMIT ?",
            (-1 if limit is None else limit,),
        )
        out = [dict(r) | {"headlines": []} for r in rows]
        by_date = {d["date"]: d for d in out}
        if by_date:
            marks = ",".join("?" * len(by_date))
            for r in self.store.query(
                "SELECT bs.date, s.headline FROM briefing_stories bs"  # noqa: S608 - placeholders
                " JOIN stories s ON s.id = bs.story_id"
                f" WHERE bs.date IN ({marks}) AND bs.rank <= 5 ORDER BY bs.date, bs.rank",
                tuple(by_date),
            ):
                by_date[r["date"]]["headlines"].append(r["headline"])
        return out

    def briefing_stamp(self, date: str) -> str | None:
        """When the briefing of ``date`` was (re)built; None if there is none."""
        row = self.store.execute(
            "SELECT created_at FROM briefings WHERE date = ?", (date,)
        ).fetchone()
        return row[0] if row else None

    def stamps(self, limit: int) -> list[tuple[str, str]]:
        """(date, created_at) of the newest ``limit`` briefings: their cache version."""
        rows = self.store.query(
            "SELECT date, created_at FROM briefings ORDER BY date DESC LIMIT ?", (limit,)
        )
        return [(r[0], r[1]) for r in rows]

    def last_stored(self) -> str | None:
        """When a briefing was last (re)built, any date (appearances change then)."""
        row = self.store.execute("SELECT MAX(created_at) FROM briefings").fetchone()
        return row[0] if row else None

    def perspective_stamp(self, story_id: int) -> str | None:
        """When the live story's perspective was last computed; None if never or merged."""
        row = self.store.execute(
            "SELECT p.computed_at FROM perspectives p JOIN stories s ON s.id = p.story_id"
            " WHERE p.story_id = ? AND s.merged_into IS NULL",
            (story_id,),
        ).fetchone()
        return row[0] if row else None

    def appearances(self, story_id: int) -> list[dict[str, Any]]:
        """Every briefing the story appeared in, newest first."""
        rows = self.store.query(
            "SELECT date, rank, section, n_articles, max_article_id FROM briefing_stories"
            " WHERE story_id = ? ORDER BY date DESC",
            (story_id,),
        )
        return [dict(r) for r in rows]

    def outlet_stories(self, source_id: str, limit: int = 30) -> list[dict[str, Any]]:
        """Live stories the outlet covered, most recently updated first."""
        rows = self.store.query(
            "SELECT s.* FROM stories s WHERE s.merged_into IS NULL AND s.id IN"
            " (SELECT DISTINCT story_id FROM articles WHERE source_id = ? AND story_id IS NOT NULL)"
            " ORDER BY s.last_updated DESC LIMIT ?",
            (source_id, limit),
        )
        return [dict(r) for r in rows]

    def outlet_articles(self, source_id: str, limit: int = 30) -> list[dict[str, Any]]:
        """The outlet's latest articles (id, title, url, published, story_id)."""
        rows = self.store.query(
            "SELECT id, title, url, published, story_id FROM articles WHERE source_id = ?"
            " ORDER BY COALESCE(published, created_at) DESC LIMIT ?",
            (source_id, limit),
        )
        return [dict(r) for r in rows]
