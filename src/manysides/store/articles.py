"""Fetched documents, extracted articles and their near-duplicate signatures."""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from ..records import Article, RawDocument
from ..times import format as format_time
from ..times import parse as parse_time
from ._sql import fts_floor, in_chunks

if TYPE_CHECKING:
    from . import Store


def sha1(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()  # noqa: S324 - identity, not security


@dataclass(frozen=True, slots=True)
class SavedArticle:
    id: int
    status: str  # "new" | "updated" | "unchanged"


class ArticleRepo:
    def __init__(self, store: Store) -> None:
        self.store = store

    # -- documents -----------------------------------------------------------------
    def known_documents(self, pairs: list[tuple[str, str]]) -> set[tuple[str, str]]:
        """Which (url, body_sha1) pairs are already stored."""
        found: set[tuple[str, str]] = set()
        urls = sorted({u for u, _ in pairs})
        for chunk, marks in in_chunks(urls):
            found.update(
                (r[0], r[1])
                for r in self.store.query(
                    f"SELECT url, body_sha1 FROM documents WHERE url IN ({marks})",  # noqa: S608
                    chunk,
                )
            )
        return found & set(pairs)

    def known_urls(self, urls: list[str]) -> set[str]:
        """Which of these URLs already have a document or an article."""
        found: set[str] = set()
        for chunk, marks in in_chunks(urls):
            for r in self.store.query(
                f"SELECT url FROM documents WHERE url IN ({marks})"  # noqa: S608 - placeholders
                f" UNION SELECT canonical_url FROM articles WHERE canonical_url IN ({marks})",
                chunk * 2,
            ):
                found.add(r[0])
        return found

    def add_document(self, doc: RawDocument) -> tuple[int, bool]:
        """Store a document; returns (id, created). Same URL and bytes: no new row."""
        digest = sha1(doc.content)
        row = self.store.execute(
            "SELECT id FROM documents WHERE url = ? AND body_sha1 = ?", (doc.url, digest)
        ).fetchone()
        if row:
            return int(row[0]), False
        with self.store.transaction() as c:
            cur = c.execute(
                "INSERT INTO documents(url, final_url, fetched_at, status, content_type, charset,"
                " kind, body, body_sha1, origin, hints) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (
                    doc.url,
                    doc.final_url or doc.url,
                    format_time(doc.fetched_at or datetime.now(UTC)),
                    doc.status,
                    doc.content_type,
                    doc.charset,
                    doc.kind,
                    zlib.compress(doc.content, 1),
                    digest,
                    doc.origin,
                    json.dumps(doc.hints, default=str),
                ),
            )
            return int(cur.lastrowid or 0), True

    def document_count(self) -> int:
        return int(self.store.execute("SELECT COUNT(*) FROM documents").fetchone()[0])

    def iter_documents(self, batch: int = 500) -> Iterator[tuple[int, RawDocument]]:
        last = 0
        while True:
            rows = self.store.query(
                "SELECT * FROM documents WHERE id > ? ORDER BY id LIMIT ?", (last, batch)
            )
            if not rows:
                return
            for r in rows:
                last = r["id"]
                yield (
                    r["id"],
                    RawDocument(
                        url=r["url"],
                        content=zlib.decompress(r["body"]),
                        kind=r["kind"],
                        final_url=r["final_url"],
                        status=r["status"],
                        content_type=r["content_type"],
                        charset=r["charset"],
                        fetched_at=parse_time(r["fetched_at"]),
                        origin=r["origin"],
                        hints=json.loads(r["hints"]),
                    ),
                )

    # -- articles ------------------------------------------------------------------
    def find_by_hash(self, text_sha1: str) -> int | None:
        row = self.store.execute(
            "SELECT id FROM articles WHERE text_sha1 = ? ORDER BY id LIMIT 1", (text_sha1,)
        ).fetchone()
        return int(row[0]) if row else None

    def save_article(
        self, article: Article, *, report_id: int | None = None, fingerprint: str = ""
    ) -> SavedArticle:
        """Insert or update by canonical URL. Text changes reset downstream stages.

        ``fingerprint`` (``dedupe.text_fingerprint``) is what exact-copy lookups match on;
        without it the SHA-1 of the text is stored.
        """
        from . import utcnow

        now = utcnow()
        text_hash = fingerprint or sha1(article.text.encode("utf-8"))
        existing = self.store.execute(
            "SELECT id, text, title, page_type, page_section FROM articles WHERE canonical_url = ?",
            (article.canonical_url,),
        ).fetchone()
        values = (
            article.document_id,
            article.url,
            article.title,
            json.dumps(list(article.authors)),
            format_time(article.published),
            article.source_id,
            article.site,
            article.language,
            article.text,
            text_hash,
            article.page_type,
            article.page_section,
        )
        with self.store.transaction() as c:
            if existing is None:
                cur = c.execute(
                    "INSERT INTO articles(document_id, url, title, authors, published, source_id,"
                    " site, language, text, text_sha1, page_type, page_section, canonical_url,"
                    " report_id, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (*values, article.canonical_url, report_id, now, now),
                )
                new_id = int(cur.lastrowid or 0)
                if report_id is None:
                    c.execute("UPDATE articles SET report_id = id WHERE id = ?", (new_id,))
                return SavedArticle(new_id, "new")
            art_id = int(existing["id"])
            if (
                existing["text"] == article.text
                and existing["title"] == article.title
                and existing["page_type"] == article.page_type
                and existing["page_section"] == article.page_section
            ):
                return SavedArticle(art_id, "unchanged")
            c.execute(
                "UPDATE articles SET document_id = COALESCE(?, document_id), url = ?, title = ?,"
                " authors = ?, published = COALESCE(?, published), source_id = ?, site = ?,"
                " language = ?, text = ?, text_sha1 = ?, page_type = ?, page_section = ?,"
                " updated_at = ? WHERE id = ?",
                (*values, now, art_id),
            )
            c.execute("DELETE FROM stage_done WHERE article_id = ?", (art_id,))
            return SavedArticle(art_id, "updated")

    def set_report(self, article_id: int, report_id: int) -> None:
        with self.store.transaction() as c:
            c.execute("UPDATE articles SET report_id = ? WHERE id = ?", (report_id, article_id))

    def get(self, article_id: int) -> dict[str, Any] | None:
        row = self.store.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
        return _article_row(row) if row else None

    def get_many(self, ids: list[int]) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for chunk, marks in in_chunks(ids):
            out.extend(
                _article_row(r)
                for r in self.store.query(
                    f"SELECT * FROM articles WHERE id IN ({marks}) ORDER BY id",  # noqa: S608
                    chunk,
                )
            )
        return out

    def count(self) -> int:
        return int(self.store.execute("SELECT COUNT(*) FROM articles").fetchone()[0])

    def published_span(self, since: str, until: str) -> tuple[int, str | None]:
        """(articles published in [since, until], newest publication date of any article)."""
        row = self.store.execute(
            "SELECT (SELECT COUNT(*) FROM articles WHERE published >= ? AND published <= ?),"
            " (SELECT MAX(published) FROM articles)",
            (since, until),
        ).fetchone()
        return int(row[0]), row[1]

    def carriers(self, report_id: int) -> list[dict[str, Any]]:
        """Every article (and so outlet) that carried one syndicated report."""
        return [
            _article_row(r)
            for r in self.store.query(
                "SELECT * FROM articles WHERE report_id = ? ORDER BY id", (report_id,)
            )
        ]

    def search(
        self, query: str, limit: int = 20, *, offset: int = 0, candidates: int = 2000
    ) -> list[dict[str, Any]]:
        """One page of articles matching the FTS5 ``query``, best (bm25) first.

        Bounded cost: only the newest ``candidates`` matches are ranked, and the snippet
        is built for the returned rows only (not for every match).
        """
        floor = fts_floor(self.store, "articles_fts", query, candidates)
        rows = self.store.query(
            "WITH hits AS (SELECT rowid AS id, rank FROM articles_fts"
            " WHERE articles_fts MATCH ?1 AND rowid >= ?2 ORDER BY rank LIMIT ?3 OFFSET ?4)"
            " SELECT a.id, a.title, a.url, a.published, a.source_id, a.site, a.story_id,"
            " (SELECT snippet(articles_fts, 1, '[', ']', '…', 20) FROM articles_fts"
            "  WHERE articles_fts MATCH ?1 AND rowid = hits.id) AS snippet"
            " FROM hits JOIN articles a ON a.id = hits.id ORDER BY hits.rank",
            (query, floor, limit, offset),
        )
        return [dict(r) for r in rows]

    # -- near-duplicate signatures ---------------------------------------------------
    def save_minhash(self, article_id: int, signature: bytes) -> None:
        from . import utcnow

        with self.store.transaction() as c:
            c.execute(
                "INSERT OR REPLACE INTO minhashes(article_id, created_at, signature)"
                " VALUES (?, ?, ?)",
                (article_id, utcnow(), signature),
            )

    def recent_minhashes(self, since_iso: str) -> Iterator[tuple[int, int, bytes]]:
        """(article_id, report_id, signature) of articles stored since a time."""
        for r in self.store.execute(
            "SELECT m.article_id, a.report_id, m.signature FROM minhashes m"
            " JOIN articles a ON a.id = m.article_id WHERE m.created_at >= ? ORDER BY m.article_id",
            (since_iso,),
        ):
            yield int(r[0]), int(r[1] or r[0]), bytes(r[2])


def _article_row(row: Any) -> dict[str, Any]:
    d = dict(row)
    if "authors" in d:
        d["authors"] = json.loads(d["authors"] or "[]")
    return d
