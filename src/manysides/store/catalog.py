"""Sources (outlets) and feeds with their fetch state."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..records import Source

if TYPE_CHECKING:
    from . import Store


@dataclass(frozen=True, slots=True)
class FeedState:
    url: str
    source_id: str | None
    kind: str
    etag: str | None
    last_modified: str | None
    last_status: int | None
    last_error: str | None
    last_fetched: str | None
    last_ok: str | None


class CatalogRepo:
    def __init__(self, store: Store) -> None:
        self.store = store

    def sync_sources(self, sources: Iterable[Source]) -> int:
        """Upsert the catalog into the store (sources are looked up by id)."""
        from . import utcnow

        now = utcnow()
        rows = [
            (
                s.id,
                s.name,
                json.dumps(list(s.domains)),
                json.dumps(list(s.feeds)),
                s.country,
                s.ownership,
                s.leaning,
                s.leaning_provenance,
                s.kind,
                s.language,
                json.dumps(list(s.categories)),
                s.owner,
                s.ownership_type,
                now,
            )
            for s in sources
        ]
        with self.store.transaction() as c:
            c.executemany(
                "INSERT INTO sources(id, name, domains, feeds, country, ownership, leaning,"
                " leaning_provenance, kind, language, categories, owner, ownership_type,"
                " updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
                " ON CONFLICT(id) DO UPDATE SET name=excluded.name, domains=excluded.domains,"
                " feeds=excluded.feeds, country=excluded.country, ownership=excluded.ownership,"
                " leaning=excluded.leaning, leaning_provenance=excluded.leaning_provenance,"
                " kind=excluded.kind, language=excluded.language,"
                " categories=excluded.categories, owner=excluded.owner,"
                " ownership_type=excluded.ownership_type, updated_at=excluded.updated_at",
                rows,
            )
        return len(rows)

    def sources(self) -> dict[str, dict[str, Any]]:
        out = {}
        for r in self.store.query("SELECT * FROM sources ORDER BY name"):
            d = dict(r)
            d["domains"] = json.loads(d["domains"])
            d["feeds"] = json.loads(d["feeds"])
            d["categories"] = json.loads(d["categories"])
            out[d["id"]] = d
        return out

    def source(self, source_id: str) -> dict[str, Any] | None:
        return self.sources().get(source_id)

    def feed_state(self, url: str) -> FeedState | None:
        row = self.store.execute(
            "SELECT url, source_id, kind, etag, last_modified, last_status, last_error,"
            " last_fetched, last_ok FROM feeds WHERE url = ?",
            (url,),
        ).fetchone()
        return FeedState(**dict(row)) if row else None

    def update_feed(
        self,
        url: str,
        *,
        source_id: str | None,
        kind: str,
        status: int | None,
        error: str | None,
        etag: str | None = None,
        last_modified: str | None = None,
        entries: int = 0,
        final_url: str | None = None,
        newest_entry: str | None = None,
    ) -> None:
        """Record one fetch of a feed. Validators are kept unless a new one arrived."""
        from . import utcnow

        now = utcnow()
        ok = error is None
        with self.store.transaction() as c:
            c.execute(
                "INSERT INTO feeds(url, source_id, kind, etag, last_modified, last_status,"
                " last_error, last_fetched, last_ok, entries, final_url, newest_entry)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)"
                " ON CONFLICT(url) DO UPDATE SET source_id = excluded.source_id,"
                " kind = excluded.kind,"
                " etag = COALESCE(excluded.etag, feeds.etag),"
                " last_modified = COALESCE(excluded.last_modified, feeds.last_modified),"
                " last_status = excluded.last_status, last_error = excluded.last_error,"
                " last_fetched = excluded.last_fetched,"
                " last_ok = COALESCE(excluded.last_ok, feeds.last_ok),"
                " entries = CASE WHEN excluded.last_error IS NULL THEN excluded.entries"
                " ELSE feeds.entries END,"
                " final_url = COALESCE(excluded.final_url, feeds.final_url),"
                " newest_entry = COALESCE(excluded.newest_entry, feeds.newest_entry)",
                (
                    url,
                    source_id,
                    kind,
                    etag if ok else None,
                    last_modified if ok else None,
                    status,
                    error,
                    now,
                    now if ok else None,
                    entries,
                    final_url,
                    newest_entry,
                ),
            )

    def feeds(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self.store.query("SELECT * FROM feeds ORDER BY url")]
