"""The store: migrations, idempotent writes, transactions that survive failures."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from manysides.errors import StoreError
from manysides.records import Article, RawDocument
from manysides.store import Store
from manysides.store.schema import MIGRATIONS


def _article(url: str, text: str = "Body text. " * 30, title: str = "T") -> Article:
    return Article(url=url, canonical_url=url, title=title, text=text)


def test_migrations_apply_once(tmp_path: Path) -> None:
    path = tmp_path / "m.db"
    with Store(path) as s:
        assert s.schema_version == len(MIGRATIONS)
        assert s.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    with Store(path) as s:  # reopening does not re-run migrations
        assert s.schema_version == len(MIGRATIONS)


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "n.db"
    Store(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 5}")
    conn.close()
    with pytest.raises(StoreError, match="newer"):
        Store(path)


def test_corrupt_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="unusable"):
        Store(path)


def test_documents_are_idempotent(tmp_path: Path) -> None:
    with Store(tmp_path / "d.db") as s:
        doc = RawDocument(url="https://ex.com/a", content=b"<html>hi</html>")
        first = s.articles.add_document(doc)
        again = s.articles.add_document(doc)
        assert first == (first[0], True)
        assert again == (first[0], False)
        changed = RawDocument(url="https://ex.com/a", content=b"<html>changed</html>")
        assert s.articles.add_document(changed)[1] is True
        assert s.articles.document_count() == 2
        _, stored = next(s.articles.iter_documents())
        assert stored.content == b"<html>hi</html>"  # raw bytes survive compression


def test_articles_new_updated_unchanged(tmp_path: Path) -> None:
    with Store(tmp_path / "a.db") as s:
        a = s.articles.save_article(_article("https://ex.com/a"))
        assert a.status == "new"
        assert s.articles.get(a.id)["report_id"] == a.id
        assert s.articles.save_article(_article("https://ex.com/a")).status == "unchanged"
        s.runs.mark_done("quotes", 1, [a.id])
        upd = s.articles.save_article(_article("https://ex.com/a", text="New body. " * 30))
        assert (upd.id, upd.status) == (a.id, "updated")
        assert s.runs.pending("quotes", 1) == [a.id]  # changed text is redone downstream
        copy = s.articles.save_article(_article("https://other.org/x"), report_id=a.id)
        assert [c["id"] for c in s.articles.carriers(a.id)] == [a.id, copy.id]


def test_failed_transaction_leaves_nothing(tmp_path: Path) -> None:
    with Store(tmp_path / "t.db") as s:
        with pytest.raises(RuntimeError), s.transaction():
            s.articles.save_article(_article("https://ex.com/a"))
            raise RuntimeError("killed mid-item")
        assert s.articles.count() == 0


def test_full_text_search(tmp_path: Path) -> None:
    with Store(tmp_path / "f.db") as s:
        s.articles.save_article(
            _article("https://ex.com/a", text="The senate passed the budget. " * 10)
        )
        s.articles.save_article(_article("https://ex.com/b", text="A storm hit the coast. " * 10))
        hits = s.articles.search("budget")
        assert [h["url"] for h in hits] == ["https://ex.com/a"]


def test_feed_state_keeps_validators(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as s:
        s.catalog.update_feed(
            "https://f/x",
            source_id=None,
            kind="feed",
            status=200,
            error=None,
            etag='"v1"',
            last_modified="Mon",
            entries=3,
        )
        s.catalog.update_feed("https://f/x", source_id=None, kind="feed", status=500, error="boom")
        st = s.catalog.feed_state("https://f/x")
        assert st is not None
        assert (st.etag, st.last_status, st.last_error) == ('"v1"', 500, "boom")


def test_migration_respells_stored_canonical_urls_without_losing_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Migration 4 re-spells canonical URLs written by an older normaliser; where two old
    spellings fold into one, the second row keeps its spelling and nothing is lost."""
    path = tmp_path / "old.db"
    with monkeypatch.context() as m:  # a store as the first three migrations left it
        m.setattr("manysides.store.MIGRATIONS", MIGRATIONS[:3])
        with Store(path) as s:
            # rows as that schema held them (today's save_article writes later columns)
            for i, url in enumerate(
                (
                    "https://nyt.example/a.html?hp=",
                    "https://nyt.example/b.html?hp=",
                    "https://nyt.example/b.html",
                    "https://nyt.example/c.html?id=3",
                )
            ):
                with s.transaction() as c:
                    c.execute(
                        "INSERT INTO articles(url, canonical_url, title, text, text_sha1,"
                        " created_at, updated_at) VALUES (?, ?, 'T', ?, ?, ?, ?)",
                        (url, url, f"Body {i}. " * 30, f"sha{i}", "2026-01-01", "2026-01-01"),
                    )
            assert s.schema_version == 3
    with Store(path) as s:
        assert s.schema_version == len(MIGRATIONS)
        urls = sorted(r[0] for r in s.execute("SELECT canonical_url FROM articles"))
    assert urls == [
        "https://nyt.example/a.html",
        "https://nyt.example/b.html",
        "https://nyt.example/b.html?hp=",
        "https://nyt.example/c.html?id=3",
    ]
