"""The web app over a filled store: pages, JSON API, search safety, security headers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from briefing_data import ALL_SOURCES, NOW, assert_safe_html, fill_store, perspective
from fastapi.testclient import TestClient

from manysides.config import Config
from manysides.pipeline import RunContext
from manysides.pipeline.briefing import briefing_step
from manysides.pipeline.stories import explain_stories
from manysides.store import Store
from manysides.web import create_app
from manysides.web.cache import PageCache, Prepared
from manysides.web.data import fts_query, snippet
from manysides.web.http import accepts_gzip
from manysides.web.security import CSP


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    tmp = tmp_path_factory.mktemp("web")
    db = tmp / "db.sqlite"
    cfg = Config().replace("briefing", output_dir=str(tmp / "out"))
    with Store(db) as store:
        fill_store(
            store,
            [
                perspective(1, ALL_SOURCES, first_id=1, headline="Budget deal passes Senate"),
                perspective(2, ALL_SOURCES[:3], first_id=6, section="World", hostile=True),
                perspective(3, ALL_SOURCES[:2], first_id=9, headline="Absorbed story"),
            ],
        )
        store.stories.merge(3, 1)
        explain_stories(RunContext(store=store, config=cfg, now=NOW))
        briefing_step(RunContext(store=store, config=cfg, now=NOW))
    with TestClient(create_app(cfg, db)) as c:
        yield c


def test_today_and_security_headers(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200
    assert r.headers["content-security-policy"] == CSP
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "no-referrer"
    assert "Budget deal passes Senate" in r.text
    assert 'href="/story/1"' in r.text and 'href="/static/manysides.css"' in r.text
    assert_safe_html(r.text)
    assert 'style="' not in r.text  # the CSP forbids inline styles
    css = client.get("/static/manysides.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")


def test_story_outlet_archive_pages(client: TestClient) -> None:
    story = client.get("/story/1")
    assert story.status_code == 200
    assert "Budget deal passes Senate" in story.text and "2026-03-10" in story.text
    assert 'href="/outlet/right-times"' in story.text
    hostile = client.get("/story/2")
    assert hostile.status_code == 200 and "&lt;script&gt;" in hostile.text
    assert_safe_html(hostile.text)
    assert client.get("/story/999").status_code == 404
    merged = client.get("/story/3", follow_redirects=False)
    assert merged.status_code == 301 and merged.headers["location"] == "/story/1"
    assert 'style="' not in story.text
    for bad in ("abc", "0", "9223372036854775808", "-9223372036854775809"):
        page = client.get(f"/story/{bad}")  # a browser gets the HTML error page
        assert page.status_code == 404, bad
        assert page.headers["content-type"].startswith("text/html") and "<h1>Not found" in page.text
    assert client.get("/nowhere").headers["content-type"].startswith("text/html")
    outlet = client.get("/outlet/right-times")
    assert outlet.status_code == 200 and "Right" in outlet.text and "private" in outlet.text
    assert "Budget deal passes Senate" in outlet.text
    assert client.get("/outlet/nope").status_code == 404
    assert "2026-03-10" in client.get("/archive").text
    assert client.get("/briefing/2026-03-10").status_code == 200
    assert client.get("/briefing/2026-03-09").status_code == 404
    assert client.get("/briefing/2026-13-99").status_code == 404
    feed = client.get("/feed.atom")
    assert feed.status_code == 200 and "<entry>" in feed.text


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "budget AND",
        "NEAR(",
        "a*b OR -",
        "title:budget",
        "'); DROP TABLE articles; --",
        "^budget",
        "{x}",
        XSS := "<script>alert(1)</script>",
    ],
)
def test_search_survives_hostile_queries(client: TestClient, query: str) -> None:
    r = client.get("/search", params={"q": query})
    assert r.status_code == 200
    assert_safe_html(r.text)
    api = client.get("/api/search", params={"q": query})
    assert api.status_code == 200 and set(api.json()) == {
        "query",
        "limit",
        "offset",
        "timed_out",
        "stories",
        "articles",
    }
    if query == XSS:
        assert "&lt;script&gt;" in r.text


def test_search_finds_stories_and_articles(client: TestClient) -> None:
    r = client.get("/search", params={"q": "budget senate"})
    assert 'href="/story/1"' in r.text
    data = client.get("/api/search", params={"q": "Budget"}).json()
    assert [s["id"] for s in data["stories"]] == [1]
    data = client.get("/api/search", params={"q": "officials confirmed"}).json()
    assert {a["story_id"] for a in data["articles"]} == {1}
    assert len(data["articles"]) == 7  # 5 of story 1 and 2 of story 3, merged into it
    assert "[Officials]" in data["articles"][0]["snippet"]


def test_fts_query_quotes_every_term() -> None:
    assert fts_query('budget" OR NEAR(x') == '"budget" "OR" "NEAR" "x"'
    assert fts_query("  ") == ""


def test_json_api(client: TestClient) -> None:
    assert [b["date"] for b in client.get("/api/briefings").json()] == ["2026-03-10"]
    latest = client.get("/api/briefings/latest").json()
    assert latest["schema_version"] == 1 and latest["date"] == "2026-03-10"
    assert client.get("/api/briefings/2026-03-10").json() == latest
    assert client.get("/api/briefings/yesterday").status_code == 422
    assert client.get("/api/briefings/2020-01-01").status_code == 404
    story = client.get("/api/stories/1").json()
    assert story["story_id"] == 1 and story["appearances"][0]["date"] == "2026-03-10"
    assert client.get("/api/stories/999").status_code == 404
    outlet = client.get("/api/outlets/left-news").json()
    assert outlet["leaning"] == "left" and outlet["stories"]
    api = client.get("/api/stories/2")
    assert api.headers["content-type"] == "application/json"
    assert api.headers["content-security-policy"] == CSP
    spec = client.get("/openapi.json").json()
    assert {"/api/briefings", "/api/stories/{story_id}", "/api/search"} <= set(spec["paths"])
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/api/search" in docs.text


def test_missing_database_is_a_clear_error(tmp_path: Path) -> None:
    with TestClient(create_app(Config(), tmp_path / "missing.db")) as c:
        r = c.get("/")
        assert r.status_code == 503 and "manysides brief" in r.text
        assert c.get("/api/briefings").status_code == 503


def test_every_story_says_why(client: TestClient) -> None:
    """``why`` in the API (the names and terms the articles share, each article's
    similarity) and on the story page, escaped."""
    why = client.get("/api/stories/1").json()["why"]
    assert why["n_articles"] == 7  # 5 of its own and 2 of story 3, merged into it
    assert [m["id"] for m in why["members"]] == [1, 2, 3, 4, 5, 9, 10]
    assert all(0.0 <= m["similarity"] <= 1.0 for m in why["members"])
    terms = {t["term"]: t["members"] for t in why["terms"]}
    assert terms["official"] == 7 and terms["confirm"] == 7
    assert {"monday", "officials"} & {e["term"] for e in why["entities"]}
    page = client.get("/story/1").text
    assert "Why these articles are one story" in page and "official (7/7)" in page
    hostile = client.get("/story/2")
    assert hostile.status_code == 200
    section = hostile.text.split('<section class="why">')[1].split("</section>")[0]
    assert "&lt;script&gt;" in section and "<script" not in section
    assert_safe_html(hostile.text)
    assert client.get("/api/stories/2").json()["why"]["members"]


def test_cached_pages_are_compressed_and_validated_once(client: TestClient) -> None:
    """A cached page or body is gzipped and given its ETag when it is cached: every
    encoding has the same validator, the bytes are compressed once (not again by the
    middleware), and a revalidation is a 304."""
    for path in ("/", "/story/1", "/api/briefings/latest", "/api/stories/1", "/feed.atom"):
        plain = client.get(path, headers={"accept-encoding": "identity"})
        packed = client.get(path, headers={"accept-encoding": "gzip"})
        assert plain.status_code == packed.status_code == 200, path
        assert "content-encoding" not in plain.headers, path
        assert packed.headers["content-encoding"] == "gzip", path
        assert packed.content == plain.content, path  # one gzip layer, same document
        assert packed.headers["etag"] == plain.headers["etag"], path
        assert "accept-encoding" in packed.headers["vary"].lower(), path
        again = client.get(path, headers={"if-none-match": plain.headers["etag"]})
        assert again.status_code == 304 and not again.content, path
        head = client.head(path, headers={"accept-encoding": "gzip"})
        assert head.headers["content-length"] == packed.headers["content-length"], path
    cached = [v for v in client.app.state.web.cache._items.values() if isinstance(v, Prepared)]  # type: ignore[attr-defined]
    assert len(cached) >= 5 and all(p.gzipped for p in cached)


@pytest.mark.parametrize(
    ("header", "gzip"),
    [
        ("gzip", True),
        ("gzip, deflate, br", True),
        ("br;q=1.0, gzip;q=0.8", True),
        ("gzip;q=0", False),
        ("identity", False),
        ("*", True),
        ("*;q=0", False),
        ("", False),
        (None, False),
        ("gzip;q=abc", False),
    ],
)
def test_accepts_gzip(header: str | None, gzip: bool) -> None:
    assert accepts_gzip(header) is gzip


def test_snippets_come_from_the_first_matching_word() -> None:
    text = "Opening words of the piece. " + "Filler text here. " * 30
    text += "Police said the shootings began at noon, and the shooter fled. " + "More. " * 40
    got = snippet(text, ["shooting"])
    assert got.startswith("…") and got.endswith("…")
    assert "[shootings]" in got and "noon" in got and "Opening" not in got
    assert len(got.split()) <= 21
    assert snippet(text, ["nothing"]).startswith("Opening words of the piece")
    assert snippet("Short text.", ["text"]) == "Short [text]"
    assert snippet("", ["x"]) == ""
    hostile = snippet("<script>alert(1)</script> hits", ["hits"])
    assert "</script>" in hostile  # raw text: the page escapes it (see hostile queries)


def test_a_slow_search_is_cut_off(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import sqlite3

    from manysides import store as store_module
    from manysides.errors import QueryTimeout

    with Store(tmp_path / "t.db") as store:
        slow = (
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT max(i) FROM n"
        )
        with pytest.raises(QueryTimeout), store.time_limit(0.05):
            store.execute(slow).fetchone()
        assert store.execute("SELECT 1").fetchone()[0] == 1  # the limit is gone after
        with pytest.raises(sqlite3.OperationalError), store.time_limit(30):
            store.execute("SELECT * FROM no_such_table")  # other errors pass through
    monkeypatch.setattr(store_module, "PROGRESS_STEPS", 1)  # check the clock every step
    state = client.app.state.web  # type: ignore[attr-defined]
    monkeypatch.setattr(state, "searches", PageCache(16))  # nothing cached by other tests
    fast = state.config
    monkeypatch.setattr(state, "config", fast.replace("serve", query_timeout=1e-9))
    api = client.get("/api/search", params={"q": "budget"}).json()
    assert api["timed_out"] is True and api["stories"] == [] and api["articles"] == []
    page = client.get("/search", params={"q": "budget"})
    assert page.status_code == 200 and "took too long" in page.text
    monkeypatch.setattr(state, "config", fast)  # a timed-out search was not kept
    api = client.get("/api/search", params={"q": "budget"}).json()
    assert api["timed_out"] is False and api["stories"]
    assert "took too long" not in client.get("/search", params={"q": "budget"}).text


def test_a_database_older_than_the_explanations_is_served(tmp_path: Path) -> None:
    """The web app never migrates: on a database from before ``story_why`` (until the next
    run upgrades it) story pages are served without the explanation."""
    from manysides.store.stories import WHY_SCHEMA

    db = tmp_path / "old.db"
    cfg = Config().replace("briefing", output_dir=str(tmp_path / "out"))
    with Store(db) as store:
        fill_store(store, [perspective(1, ALL_SOURCES, first_id=1, headline="Old store")])
        briefing_step(RunContext(store=store, config=cfg, now=NOW))
        store.conn.executescript(f"DROP TABLE story_why; PRAGMA user_version = {WHY_SCHEMA - 1};")
    with TestClient(create_app(cfg, db)) as c:
        page = c.get("/story/1")
        assert page.status_code == 200 and "Old store" in page.text
        assert "Why these articles" not in page.text
        assert c.get("/api/stories/1").json()["why"] is None
