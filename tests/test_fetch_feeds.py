"""Feed and sitemap parsing: fixtures, malformed and hostile input."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime
from pathlib import Path

import pytest

from manysides.errors import ParseError
from manysides.fetch.feeds import parse_feed, parse_sitemap, sniff_kind

FIX = Path(__file__).parent / "fixtures" / "fetch"
BASE = "https://news.example.com/rss.xml"


def test_rss_entries_deduped_resolved_and_dated() -> None:
    entries = parse_feed((FIX / "rss.xml").read_bytes(), BASE)
    urls = [e.url for e in entries]
    assert urls == [
        "https://news.example.com/politics/budget-vote",
        "https://news.example.com/weather/storm",
        "https://news.example.com/world/permalink",
    ]
    first = entries[0]
    assert first.title == "Senate passes budget & adjourns"
    assert first.guid == "story-1"
    assert first.authors == ("Jane Roe",)
    assert first.published == datetime(2026, 11, 24, 19, 30, tzinfo=UTC)
    assert first.summary == "The Senate voted late on Tuesday."
    assert entries[2].published is None


def test_atom_with_xml_base_and_authors() -> None:
    (entry,) = parse_feed((FIX / "atom.xml").read_bytes(), "https://mag.example.org/atom")
    assert entry.url == "https://mag.example.org/features/long-read"
    assert entry.authors == ("A. Writer", "B. Editor")
    assert entry.published == datetime(2026, 11, 25, 8, 15, tzinfo=UTC)


def test_bozo_feed_with_entries_tolerated() -> None:
    broken = (FIX / "rss.xml").read_bytes().replace(b"</channel>", b"<unclosed></channel>")
    broken = broken.replace(b"Storm hits coast</title>", b"Storm & hits coast</title>")
    assert len(parse_feed(broken, BASE)) >= 1


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"<rss><channel><item><title>x",
        b"\x89PNG\r\n\x1a\n\x00\x00binary",
        b"<html><body>Hello</body></html>",
    ],
)
def test_garbage_feeds_raise_parse_error(content: bytes) -> None:
    with pytest.raises(ParseError, match="feed"):
        parse_feed(content, BASE)


def test_empty_valid_feed_is_empty() -> None:
    assert parse_feed(b'<rss version="2.0"><channel><title>t</title></channel></rss>', BASE) == []


def test_gzipped_feed() -> None:
    assert len(parse_feed(gzip.compress((FIX / "rss.xml").read_bytes()), BASE)) == 3


def test_news_sitemap() -> None:
    entries, children = parse_sitemap(
        (FIX / "news-sitemap.xml").read_bytes(), "https://news.example.com/sm.xml"
    )
    assert children == []
    assert [e.url for e in entries] == [
        "https://news.example.com/business/markets-rally",
        "https://news.example.com/tech/chips",
    ]
    assert entries[0].title == "Markets rally on rate hopes"
    assert entries[0].published == datetime(2026, 11, 25, 7, 45, tzinfo=UTC)
    assert entries[1].published == datetime(2026, 11, 24, tzinfo=UTC)


def test_sitemap_index_and_gzip() -> None:
    data = gzip.compress((FIX / "sitemap-index.xml").read_bytes())
    entries, children = parse_sitemap(data, "https://news.example.com/sitemap.xml")
    assert entries == []
    assert children == [  # dated (newest first) before undated
        "https://news.example.com/sitemaps/2026-11.xml.gz",
        "https://news.example.com/sitemaps/news.xml",
    ]


def test_hostile_sitemaps_rejected() -> None:
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><urlset><url><loc>&lol2;</loc></url></urlset>'
    )
    with pytest.raises(ParseError, match="entity"):
        parse_sitemap(laughs, BASE)
    xxe = b'<?xml version="1.0"?><!DOCTYPE x SYSTEM "http://169.254.169.254/"><urlset><url><loc>https://a.example/x</loc></url></urlset>'
    entries, _ = parse_sitemap(xxe, BASE)
    assert [e.url for e in entries] == ["https://a.example/x"]
    with pytest.raises(ParseError, match="not a sitemap"):
        parse_sitemap(b"<rss><channel/></rss>", BASE)
    with pytest.raises(ParseError):
        parse_sitemap(b"\x00\x01 not xml at all", BASE)


def test_sniff_kind() -> None:
    assert sniff_kind((FIX / "news-sitemap.xml").read_bytes()) == "sitemap"
    assert sniff_kind(gzip.compress((FIX / "sitemap-index.xml").read_bytes())) == "sitemap"
    assert sniff_kind((FIX / "rss.xml").read_bytes()) == "feed"
    assert sniff_kind((FIX / "atom.xml").read_bytes()) == "feed"
    assert sniff_kind(b"<!-- c --><sm:urlset xmlns:sm='x'/>") == "sitemap"


def test_feedburner_original_links_preferred() -> None:
    feed = (
        b'<rss version="2.0" xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0">'
        b"<channel><title>t</title><item><title>A</title>"
        b"<link>https://feeds.feedburner.com/~r/example/~3/abc/</link>"
        b"<feedburner:origLink>https://www.example.com/politics/a</feedburner:origLink>"
        b"</item></channel></rss>"
    )
    (entry,) = parse_feed(feed, "https://feeds.feedburner.com/example")
    assert entry.url == "https://www.example.com/politics/a"
