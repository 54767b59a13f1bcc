"""Stories (events) and which articles belong to them."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from ..times import DAY_ONLY_CLOCK
from ._sql import fts_floor, in_chunks
from .schema import introduced

WHY_SCHEMA = introduced("CREATE TABLE IF NOT EXISTS story_why")

if TYPE_CHECKING:
    from . import Store


class StoryRepo:
    def __init__(self, store: Store) -> None:
        self.store = store

    def create(self, story_id: int, headline: str, seen_at: str) -> None:
        with self.store.transaction() as c:
            c.execute(
                "INSERT OR IGNORE INTO stories(id, headline, first_seen, last_updated)"
                " VALUES (?, ?, ?, ?)",
                (story_id, headline, seen_at, seen_at),
            )

    def assign(self, article_id: int, story_id: int) -> None:
        with self.store.transaction() as c:
            c.execute("UPDATE articles SET story_id = ? WHERE id = ?", (story_id, article_id))

    def merge(self, absorbed: int, into: int) -> None:
        """Record that story ``absorbed`` was merged into ``into``; move its articles."""
        with self.store.transaction() as c:
            c.execute("UPDATE stories SET merged_into = ? WHERE id = ?", (into, absorbed))
            c.execute("UPDATE stories SET merged_into = ? WHERE merged_into = ?", (into, absorbed))
            c.execute("UPDATE articles SET story_id = ? WHERE story_id = ?", (into, absorbed))
            c.execute("DELETE FROM story_why WHERE story_id = ?", (absorbed,))

    def refresh(self, story_id: int, headline: str | None = None) -> None:
        """Recompute counts and times of one story from its articles."""
        with self.store.transaction() as c:
            c.execute(
                "UPDATE stories SET"
                " n_articles = (SELECT COUNT(*) FROM articles WHERE story_id = :id),"
                " n_outlets = (SELECT COUNT(DISTINCT COALESCE(source_id, site)) FROM articles"
                "   WHERE story_id = :id),"
                " last_updated = COALESCE((SELECT MAX(COALESCE(published, created_at))"
                "   FROM articles WHERE story_id = :id), last_updated),"
                " first_seen = COALESCE((SELECT MIN(COALESCE(published, created_at))"
                "   FROM articles WHERE story_id = :id), first_seen)"
                " WHERE id = :id",
                {"id": story_id},
            )
            if headline is not None:
                c.execute("UPDATE stories SET headline = ? WHERE id = ?", (headline, story_id))

    def get(self, story_id: int) -> dict[str, Any] | None:
        row = self.store.execute("SELECT * FROM stories WHERE id = ?", (story_id,)).fetchone()
        if row and row["merged_into"]:
            return self.get(int(row["merged_into"]))
        return dict(row) if row else None

    def article_ids(self, story_id: int, as_of: str | None = None) -> list[int]:
        """The story's article ids; with ``as_of``, only those published (or, undated,
        stored) at or before it: the story as it stood then."""
        return [
            r[0]
            for r in self.store.query(
                "SELECT id FROM articles WHERE story_id = ?"
                " AND (? IS NULL OR COALESCE(published, created_at) <= ?) ORDER BY id",
                (story_id, as_of, as_of),
            )
        ]

    # -- why a story is one story (stories.explain) ------------------------------------
    def unexplained(self, stage: str, version: int) -> list[tuple[int, int | None]]:
        """(article id, story id) of the articles ``stage`` has not explained yet."""
        rows = self.store.query(
            "SELECT a.id, a.story_id FROM articles a LEFT JOIN stage_done d"
            " ON d.article_id = a.id AND d.stage = ? AND d.version = ?"
            " WHERE d.article_id IS NULL ORDER BY a.id",
            (stage, version),
        )
        return [(int(r[0]), None if r[1] is None else int(r[1])) for r in rows]

    def members(self, story_id: int) -> list[dict[str, Any]]:
        """What explaining a story needs of its articles (id, title, text), by id."""
        rows = self.store.query(
            "SELECT id, title, text FROM articles WHERE story_id = ? ORDER BY id",
            (story_id,),
        )
        return [dict(r) for r in rows]

    def save_why(self, story_id: int, n_articles: int, data: dict[str, Any]) -> None:
        """Store a story's explanation; ``computed_at`` (to the microsecond, so a
        recomputation within the same second is a new version) is its cache version."""
        now = datetime.now(UTC).isoformat(timespec="microseconds")
        with self.store.transaction() as c:
            c.execute(
                "INSERT INTO story_why(story_id, computed_at, n_articles, data)"
                " VALUES (?, ?, ?, ?) ON CONFLICT(story_id) DO UPDATE SET"
                " computed_at = excluded.computed_at, n_articles = excluded.n_articles,"
                " data = excluded.data",
                (story_id, now, n_articles, json.dumps(data, ensure_ascii=False)),
            )

    def _has_why(self) -> bool:
        # a web app reading (never migrating) a database older than the explanations
        return self.store.schema_version >= WHY_SCHEMA

    def why(self, story_id: int) -> dict[str, Any] | None:
        """The stored explanation of a story (``StoryWhy.to_dict``); None if there is none."""
        if not self._has_why():
            return None
        row = self.store.execute(
            "SELECT data FROM story_why WHERE story_id = ?", (story_id,)
        ).fetchone()
        return json.loads(row[0]) if row else None

    def why_stamp(self, story_id: int) -> str | None:
        """When the story's explanation was last computed (its cache version)."""
        if not self._has_why():
            return None
        row = self.store.execute(
            "SELECT computed_at FROM story_why WHERE story_id = ?", (story_id,)
        ).fetchone()
        return row[0] if row else None

    # -- clustering inputs -------------------------------------------------------------
    def clustering_order(self, article_ids: list[int]) -> list[int]:
        """These articles in arrival order: publication time (else storage time), then id."""
        rows: list[tuple[str, int]] = []
        for chunk, marks in in_chunks(article_ids):
            rows.extend(
                (r[0] or "", int(r[1]))
                for r in self.store.query(
                    "SELECT COALESCE(published, created_at), id FROM articles"  # noqa: S608
                    f" WHERE id IN ({marks})",
                    chunk,
                )
            )
        rows.sort()
        return [i for _, i in rows]

    def clustering_inputs(self, article_ids: list[int]) -> list[dict[str, Any]]:
        """What the clusterer needs of these articles, in the order of ``article_ids``."""
        found: dict[int, dict[str, Any]] = {}
        for chunk, marks in in_chunks(article_ids):
            for r in self.store.query(
                "SELECT id, title, text, published, created_at, source_id, site, url,"  # noqa: S608
                f" report_id, language FROM articles WHERE id IN ({marks})",
                chunk,
            ):
                found[int(r["id"])] = dict(r)
        return [found[i] for i in article_ids if i in found]

    def story_of_report(self, report_id: int) -> int | None:
        """The story already holding a copy of this syndicated report, if any."""
        row = self.store.execute(
            "SELECT story_id FROM articles WHERE report_id = ? AND story_id IS NOT NULL"
            " ORDER BY id LIMIT 1",
            (report_id,),
        ).fetchone()
        return int(row[0]) if row else None

    def max_id(self) -> int:
        return int(self.store.execute("SELECT COALESCE(MAX(id), 0) FROM stories").fetchone()[0])

    def list(
        self,
        *,
        since: str | None = None,
        until: str | None = None,
        as_of: str | None = None,
        day_since: str | None = None,
        min_outlets: int = 1,
        limit: int = 200,
    ) -> list[dict[str, Any]]:
        """Live (not merged) stories, busiest first.

        ``since``: last updated at or after it; ``until``: first seen before it (so
        ``since``/``until`` = one day lists the stories active that day).
        ``day_since`` (the start of ``since``'s day): a story last updated by a day-dated
        article (clock ``times.DAY_ONLY_CLOCK``, how a bare date is stored) counts from that day on,
        since the article was published some time within its day.
        ``as_of`` (a replay's clock): the stories as they stood then. Their articles,
        outlets, first and last times count only articles published (or, undated, stored)
        at or before it, and ``since``, ``day_since`` and ``min_outlets`` apply to those, so
        a story that went on after the clock is listed as it was, not left out.
        """
        if as_of is not None:
            return self._list_as_of(as_of, since, until, day_since, min_outlets, limit)
        rows = self.store.query(
            "SELECT * FROM stories WHERE merged_into IS NULL AND n_outlets >= ?"
            " AND (? IS NULL OR last_updated >= ?"
            "      OR (? IS NOT NULL AND substr(last_updated, 12, 8) = ?"
            "          AND last_updated >= ?))"
            " AND (? IS NULL OR first_seen < ?)"
            " ORDER BY n_outlets DESC, n_articles DESC, last_updated DESC LIMIT ?",
            (
                min_outlets,
                since,
                since,
                day_since,
                DAY_ONLY_CLOCK,
                day_since,
                until,
                until,
                limit,
            ),
        )
        return [dict(r) for r in rows]

    def _list_as_of(
        self,
        as_of: str,
        since: str | None,
        until: str | None,
        day_since: str | None,
        min_outlets: int,
        limit: int,
    ) -> list[dict[str, Any]]:
        # Candidates by the stored (indexed) last time, which is never earlier than the
        # time as of the clock; then each one recounted from its articles up to the clock.
        window = (
            "(:since IS NULL OR {t} >= :since"
            " OR (:day_since IS NOT NULL AND substr({t}, 12, 8) = :day AND {t} >= :day_since))"
        )
        rows = self.store.query(
            "SELECT s.id, s.headline, s.merged_into, s.section,"
            " MIN(x.at) AS first_seen, MAX(x.at) AS last_updated,"
            " COUNT(*) AS n_articles, COUNT(DISTINCT x.outlet) AS n_outlets"
            " FROM stories s JOIN (SELECT story_id, COALESCE(source_id, site) AS outlet,"
            "   COALESCE(published, created_at) AS at FROM articles) x ON x.story_id = s.id"
            " WHERE s.merged_into IS NULL AND x.at <= :as_of AND "
            + window.format(t="s.last_updated")
            + " GROUP BY s.id HAVING COUNT(DISTINCT x.outlet) >= :min_outlets AND "
            + window.format(t="MAX(x.at)")
            + " AND (:until IS NULL OR MIN(x.at) < :until)"
            " ORDER BY n_outlets DESC, n_articles DESC, last_updated DESC LIMIT :limit",
            {
                "as_of": as_of,
                "since": since,
                "day_since": day_since,
                "day": DAY_ONLY_CLOCK,
                "until": until,
                "min_outlets": min_outlets,
                "limit": limit,
            },
        )
        return [dict(r) for r in rows]

    def outlets(self, story_id: int) -> list[dict[str, Any]]:
        rows = self.store.query(
            "SELECT COALESCE(s.id, a.site) AS source_id, COALESCE(s.name, a.site) AS name,"
            " COALESCE(s.leaning, 'unrated') AS leaning, COUNT(*) AS articles"
            " FROM articles a LEFT JOIN sources s ON s.id = a.source_id"
            " WHERE a.story_id = ? GROUP BY 1, 2, 3 ORDER BY articles DESC, name",
            (story_id,),
        )
        return [dict(r) for r in rows]

    def search(
        self, query: str, limit: int = 20, *, offset: int = 0, candidates: int = 500
    ) -> list[dict[str, Any]]:
        """One page of live stories whose headline matches the FTS5 ``query``, best
        first; only the newest ``candidates`` matches are ranked (bounded cost)."""
        floor = fts_floor(self.store, "stories_fts", query, candidates)
        rows = self.store.query(
            "SELECT s.* FROM stories_fts JOIN stories s ON s.id = stories_fts.rowid"
            " WHERE stories_fts MATCH ? AND stories_fts.rowid >= ? AND s.merged_into IS NULL"
            " ORDER BY rank LIMIT ? OFFSET ?",
            (query, floor, limit, offset),
        )
        return [dict(r) for r in rows]
