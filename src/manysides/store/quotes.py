"""Entities and quotes extracted from articles."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from . import Store


_QUOTE_DEFAULTS = {"confidence": 0.0, "fragments": None}


class QuoteRepo:
    def __init__(self, store: Store) -> None:
        self.store = store

    def replace_for_article(
        self,
        article_id: int,
        entities: Iterable[tuple[str, str, str, int, int]],
        quotes: Iterable[dict[str, Any]],
    ) -> None:
        """Replace an article's entities (label, text, canonical, start, end) and quotes
        (rows of the quotes table: ``fragments`` is JSON ``[[start, end], ...]`` or None)."""
        with self.store.transaction() as c:
            c.execute("DELETE FROM entities WHERE article_id = ?", (article_id,))
            c.execute("DELETE FROM quotes WHERE article_id = ?", (article_id,))
            c.executemany(
                "INSERT INTO entities(article_id, label, text, canonical, start, end)"
                " VALUES (?,?,?,?,?,?)",
                [(article_id, *e) for e in entities],
            )
            c.executemany(
                "INSERT INTO quotes(article_id, text, start, end, speaker, speaker_start,"
                " speaker_end, cue, direct, quote_key, confidence, fragments) VALUES"
                " (:article_id, :text, :start, :end, :speaker, :speaker_start, :speaker_end,"
                " :cue, :direct, :quote_key, :confidence, :fragments)",
                [{"article_id": article_id, **_QUOTE_DEFAULTS, **q} for q in quotes],
            )

    def for_story(self, story_id: int) -> list[dict[str, Any]]:
        rows = self.store.query(
            "SELECT q.*, a.source_id, a.site FROM quotes q JOIN articles a ON a.id = q.article_id"
            " WHERE a.story_id = ? ORDER BY q.article_id, q.start",
            (story_id,),
        )
        return [dict(r) for r in rows]

    def for_article(self, article_id: int) -> list[dict[str, Any]]:
        rows = self.store.query(
            "SELECT * FROM quotes WHERE article_id = ? ORDER BY start", (article_id,)
        )
        return [dict(r) for r in rows]

    def entities_for_article(self, article_id: int) -> list[dict[str, Any]]:
        rows = self.store.query(
            "SELECT * FROM entities WHERE article_id = ? ORDER BY start", (article_id,)
        )
        return [dict(r) for r in rows]

    def story_items(self, story_id: int) -> list[dict[str, Any]]:
        """A story's quotes with each carrier's outlet and leaning, by article then offset."""
        rows = self.store.query(
            "SELECT q.*, COALESCE(s.name, a.site, '') AS outlet,"
            " COALESCE(s.leaning, 'unrated') AS leaning FROM quotes q"
            " JOIN articles a ON a.id = q.article_id LEFT JOIN sources s ON s.id = a.source_id"
            " WHERE a.story_id = ? ORDER BY q.article_id, q.start",
            (story_id,),
        )
        return [dict(r) for r in rows]

    def count(self) -> int:
        return int(self.store.execute("SELECT COUNT(*) FROM quotes").fetchone()[0])
