"""Briefings of editions (``manysides.editions``): their own history, apart from the
default (national) briefing's ``briefings`` table."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ._sql import in_chunks

if TYPE_CHECKING:
    from . import Store


class EditionRepo:
    def __init__(self, store: Store) -> None:
        self.store = store

    def save_briefing(
        self,
        edition: str,
        date: str,
        data: dict[str, Any],
        stories: list[tuple[int, int, str, int, int]],
    ) -> None:
        """Store an edition's briefing and its (story_id, rank, section, n_articles,
        max_article_id)."""
        from . import utcnow

        with self.store.transaction() as c:
            c.execute("DELETE FROM edition_stories WHERE edition = ? AND date = ?", (edition, date))
            c.execute(
                "INSERT INTO edition_briefings(edition, date, created_at, data)"
                " VALUES (?, ?, ?, ?) ON CONFLICT(edition, date) DO UPDATE SET"
                " created_at = excluded.created_at, data = excluded.data",
                (edition, date, utcnow(), json.dumps(data, default=str)),
            )
            c.executemany(
                "INSERT INTO edition_stories(edition, date, story_id, rank, section,"
                " n_articles, max_article_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(edition, date, *s) for s in stories],
            )

    def briefing(self, edition: str, date: str) -> dict[str, Any] | None:
        row = self.store.execute(
            "SELECT data FROM edition_briefings WHERE edition = ? AND date = ?", (edition, date)
        ).fetchone()
        return json.loads(row["data"]) if row else None

    def latest_date(self, edition: str) -> str | None:
        row = self.store.execute(
            "SELECT MAX(date) FROM edition_briefings WHERE edition = ?", (edition,)
        ).fetchone()
        return row[0] if row else None

    def dates(self, edition: str) -> list[str]:
        return [
            r[0]
            for r in self.store.query(
                "SELECT date FROM edition_briefings WHERE edition = ? ORDER BY date DESC",
                (edition,),
            )
        ]

    def briefing_stamp(self, edition: str, date: str) -> str | None:
        """When the edition's briefing of ``date`` was (re)built; None if there is none."""
        row = self.store.execute(
            "SELECT created_at FROM edition_briefings WHERE edition = ? AND date = ?",
            (edition, date),
        ).fetchone()
        return row[0] if row else None

    def stamps(self, edition: str, limit: int) -> list[tuple[str, str]]:
        """(date, created_at) of the edition's newest ``limit`` briefings."""
        rows = self.store.query(
            "SELECT date, created_at FROM edition_briefings WHERE edition = ?"
            " ORDER BY date DESC LIMIT ?",
            (edition, limit),
        )
        return [(r[0], r[1]) for r in rows]

    def editions(self) -> list[str]:
        return [
            r[0]
            for r in self.store.query("SELECT DISTINCT edition FROM edition_briefings ORDER BY 1")
        ]

    def index(self, edition: str) -> list[dict[str, Any]]:
        """Every briefing of the edition, newest first: date, n_stories, top headlines."""
        rows = self.store.query(
            "SELECT b.date, b.created_at, COUNT(es.story_id) AS n_stories"
            " FROM edition_briefings b LEFT JOIN edition_stories es"
            " ON es.edition = b.edition AND es.date = b.date"
            " WHERE b.edition = ? GROUP BY b.date ORDER BY b.date DESC",
            (edition,),
        )
        out = [dict(r) | {"headlines": []} for r in rows]
        by_date = {d["date"]: d for d in out}
        for r in self.store.query(
            "SELECT es.date, s.headline FROM edition_stories es JOIN stories s"
            " ON s.id = es.story_id WHERE es.edition = ? AND es.rank <= 5"
            " ORDER BY es.date, es.rank",
            (edition,),
        ):
            if r["date"] in by_date:
                by_date[r["date"]]["headlines"].append(r["headline"])
        return out

    def outlet_counts(self, story_ids: Sequence[int], source_ids: Sequence[str]) -> dict[int, int]:
        """Per story, how many of ``source_ids`` carried one of its articles."""
        wanted = set(source_ids)
        seen: dict[int, set[str]] = {}
        for chunk, marks in in_chunks(list(story_ids)):
            for r in self.store.query(
                "SELECT DISTINCT story_id, source_id FROM articles"  # noqa: S608 - placeholders
                f" WHERE story_id IN ({marks}) AND source_id IS NOT NULL",
                chunk,
            ):
                if r["source_id"] in wanted:
                    seen.setdefault(int(r["story_id"]), set()).add(r["source_id"])
        return {sid: len(v) for sid, v in seen.items()}
