"""The fetch step end to end: local feeds and pages through the real fetcher into the store."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from httpserver import LocalServer, Reply

from manysides.config import Config
from manysides.errors import UnknownSourceError
from manysides.pipeline import Report, RunContext, run_steps
from manysides.pipeline.fetch import select_entries
from manysides.records import FeedEntry
from manysides.store import Store

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
PARAGRAPHS = [
    "The city council voted on Tuesday to approve a new flood defence plan for the river district,"
    " after months of public hearings and a long debate about its cost to residents.",
    "Officials said construction would begin in the spring and take about three years, with the"
    " first walls going up along the most exposed stretch of the riverbank near the old market.",
    "Critics argued that the plan does too little for the neighbourhoods downstream, where homes"
    " were flooded twice in the last decade, and asked the council to publish its risk studies.",
]


def page(title: str, n: int) -> str:
    body = "".join(f"<p>{p} ({title} {i})</p>" for i, p in enumerate(PARAGRAPHS * n))
    return (
        f"<html><head><title>{title}</title></head><body><nav>Home | News</nav>"
        f"<article><h1>{title}</h1>{body}</article><footer>Contact us</footer></body></html>"
    )


def rss(base: str, items: list[tuple[str, str, str]]) -> str:
    xml = "".join(
        f"<item><title>{t}</title><link>{base}{path}</link><pubDate>{date}</pubDate></item>"
        for t, path, date in items
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>{xml}</channel></rss>'


def _setup(server: LocalServer, tmp_path: Path) -> Config:
    base = server.base
    server.route(
        "/feed.xml",
        Reply(
            body=rss(
                base,
                [
                    ("River plan approved", "/news/river", "Wed, 25 Nov 2026 09:00:00 GMT"),
                    ("Bridge reopens", "/news/bridge", "Wed, 25 Nov 2026 08:00:00 GMT"),
                    ("Broken page", "/news/broken", "Wed, 25 Nov 2026 07:00:00 GMT"),
                    ("Ancient news", "/news/old", "Mon, 02 Nov 2026 07:00:00 GMT"),
                    ("A picture", "/news/photo.jpg", "Wed, 25 Nov 2026 06:00:00 GMT"),
                ],
            ),
            content_type="application/rss+xml",
            etag='"feed-v1"',
        ),
    )
    server.route(
        "/broken-feed.xml", Reply(body="<rss><channel><item><title>oops", content_type="text/xml")
    )
    server.route(
        "/news-sitemap.xml",
        Reply(
            body=(
                '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
                'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
                f"<url><loc>{base}/news/river</loc></url>"
                f"<url><loc>{base}/news/council</loc><news:news><news:title>Council split</news:title>"
                "<news:publication_date>2026-11-25T10:00:00Z</news:publication_date></news:news></url>"
                "</urlset>"
            ),
            content_type="application/xml",
        ),
    )
    server.route("/news/river", Reply(body=page("River plan approved", 2)))
    server.route("/news/bridge", Reply(body=page("Bridge reopens after repairs", 2)))
    server.route("/news/council", Reply(body=page("Council split on flood costs", 3)))
    server.route("/news/broken", Reply(status=500))
    server.route("/news/photo.jpg", Reply(body=b"\xff\xd8\xff\xe0JFIF", content_type="image/jpeg"))
    server.route(
        "/robots.txt", Reply(body="User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    )
    catalog = tmp_path / "sources.toml"
    catalog.write_text(
        "[sources.local-news]\n"
        'name = "Local News"\ndomains = ["local-news.test"]\n'
        f'feeds = ["{base}/feed.xml", "{base}/broken-feed.xml"]\n'
        f'sitemaps = ["{base}/news-sitemap.xml"]\n'
        'leaning = "center"\nleaning_provenance = "test"\n\n'
        "[sources.other]\n"
        'name = "Other"\ndomains = ["other.test"]\nfeeds = ["http://other.test.invalid/feed"]\n'
    )
    return (
        Config()
        .replace(
            "fetch",
            allowed_hosts=("127.0.0.1",),
            per_host_delay=0.0,
            retries=1,
            backoff=0.01,
            total_timeout=5.0,
            per_host_concurrency=4,
        )
        .replace("sources", catalog=str(catalog), use_builtin=False)
    )


def _run(db: Path, config: Config, **options: object) -> Report:
    with Store(db) as store:
        ctx = RunContext(
            store=store, config=config, report=Report(False), now=NOW, options=dict(options)
        )
        return run_steps(ctx, ("fetch",), "brief")


def test_fetch_step_end_to_end_and_idempotent(http_server: LocalServer, tmp_path: Path) -> None:
    config = _setup(http_server, tmp_path)
    db = tmp_path / "m.db"
    first = _run(db, config, sources=["local-news"])
    c = first.counts
    assert (c["feeds_ok"], c["feeds_failed"], c["feeds_not_modified"]) == (2, 1, 0)
    assert c["documents_fetched"] == 3 and c["articles_new"] == 3
    assert http_server.hits("/news/old") == 0 and http_server.hits("/news/river") == 1
    assert first.errors["fetch"] == 2 and first.errors["parse"] == 1  # 500, jpeg; broken feed
    with Store(db) as store:
        titles = {a["title"] for a in store.articles.get_many([1, 2, 3])}
        assert titles == {
            "River plan approved",
            "Bridge reopens after repairs",
            "Council split on flood costs",
        }
        feeds = {f["url"]: f for f in store.catalog.feeds()}
        ok = feeds[http_server.url("/feed.xml")]
        assert ok["etag"] == '"feed-v1"' and ok["last_error"] is None and ok["entries"] == 5
        bad = feeds[http_server.url("/broken-feed.xml")]
        assert bad["last_error"] and "feed" in bad["last_error"]
        messages = " ".join(e["message"] for e in store.runs.errors())
        assert "HTTP 500" in messages and "image/jpeg" in messages
        assert set(store.catalog.sources()) == {"local-news", "other"}

    second = _run(db, config, sources="local-news")
    assert second.counts["feeds_not_modified"] == 1
    assert second.counts["documents_fetched"] == 0  # sitemap lists only stored URLs
    assert http_server.hits("/news/river") == 1 and http_server.hits("/news/council") == 1
    assert any(r.headers.get("if-none-match") == '"feed-v1"' for r in http_server.requests)
    with Store(db) as store:
        assert store.articles.count() == 3 and store.articles.document_count() == 3
        feeds = {f["url"]: f for f in store.catalog.feeds()}
        assert feeds[http_server.url("/feed.xml")]["entries"] == 5  # kept on 304


def test_unreachable_feed_is_an_error_not_a_crash(http_server: LocalServer, tmp_path: Path) -> None:
    config = _setup(http_server, tmp_path)
    report = _run(tmp_path / "m.db", config, sources=["other"])
    assert report.counts["feeds_failed"] == 1 and report.errors


def test_unknown_source_is_a_user_error(http_server: LocalServer, tmp_path: Path) -> None:
    config = _setup(http_server, tmp_path)
    with pytest.raises(UnknownSourceError):
        _run(tmp_path / "m.db", config, sources=["nope"])


def test_select_entries() -> None:
    def e(url: str, day: int | None) -> FeedEntry:
        return FeedEntry(url=url, published=datetime(2026, 11, day, tzinfo=UTC) if day else None)

    entries = [e("a", 20), e("b", 25), e("c", None), e("d", 24), e("known", 25)]
    chosen = select_entries(entries, now=NOW, max_age_days=3, limit=2, skip={"known"})
    assert [x.url for x in chosen] == ["b", "d"]
    everything = select_entries(entries, now=NOW, max_age_days=0, limit=10, skip=set())
    assert [x.url for x in everything] == ["b", "known", "d", "a", "c"]
