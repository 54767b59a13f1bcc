"""HTML extraction: text, metadata, cleanup of what trafilatura leaves, fallbacks, errors."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from manysides.config import ExtractConfig
from manysides.errors import ExtractionError
from manysides.extract import explain, extract
from manysides.records import DocKind, RawDocument

FIXTURES = Path(__file__).parent / "fixtures" / "extract"
CONFIG = ExtractConfig()


def _doc(name: str, url: str) -> RawDocument:
    return RawDocument(url=url, content=(FIXTURES / name).read_bytes())


def test_news_page_text_and_metadata() -> None:
    doc = _doc(
        "news-article.html",
        "https://m.coastalledger.example/news/2024/05/14/harbour-tidal-barrier?utm_medium=x",
    )
    article = extract(doc, CONFIG)
    assert article.title == "Harbour council approves tidal barrier after decade of debate"
    assert article.authors == ("Maria Okafor",)
    assert article.published == datetime(2024, 5, 14, 9, 30, tzinfo=UTC)
    assert article.site == "The Coastal Ledger"
    assert article.language == "en"
    assert (
        article.canonical_url
        == "https://coastalledger.example/news/2024/05/14/harbour-tidal-barrier"
    )
    text = article.text
    assert text.startswith("The harbour council voted nine to four")
    assert "regional insurers' association." in text
    assert "Every family who had to carry their furniture upstairs" in text
    for junk in (
        "cookies",
        "Sign up",
        "inbox",
        "Getty",
        "is an environment correspondent",
        "Related stories",
        "Storm surge floods",
        "Most read",
        "Pier reopens",
        "Tags:",
        "Follow us",
        "All rights reserved",
        "Advertisement",
        "Share",
    ):
        assert junk not in text, junk
    assert len(text.splitlines()) == 7


def test_inline_junk_is_removed_and_explained() -> None:
    doc = _doc("inline-junk.html", "https://www.news-site.example/world/grain-harvest")
    article = extract(doc, CONFIG)
    assert len(article.text.splitlines()) == 5
    assert "Storage operators said silos" in article.text
    removed = {r.text: r.rule for r in explain(doc, CONFIG)}
    assert removed == {
        "Wire operator reports record grain harvest in the plains": "title",
        "Read more: Grain prices slide as bumper crop fills silos": "read-more-link",
        "Sign up for our Farm & Food newsletter to get the week's agriculture news in your"
        " inbox.": "newsletter-promo",
        "(Reporting by Paul Dreyer; Editing by Anna Castillo)": "credit-line",
        "Share this article": "share-prompt",
        "Related coverage": "related-heading",
        "Grain prices slide as bumper crop fills silos": "related-list",
        "Rail freight strike ends after three days": "related-list",
        "Drought fears ease in southern districts": "related-list",
    }


def test_canonical_link_to_another_site_is_not_trusted() -> None:
    doc = _doc("inline-junk.html", "https://www.news-site.example/world/grain-harvest/amp?fbclid=1")
    assert extract(doc, CONFIG).canonical_url == "https://news-site.example/world/grain-harvest"


def test_hints_fill_missing_metadata() -> None:
    html = (
        (FIXTURES / "inline-junk.html")
        .read_bytes()
        .replace(b"<title>", b"<title>x")
        .replace(b"<h1>Wire operator reports record grain harvest in the plains</h1>", b"")
    )
    doc = RawDocument(
        url="https://news-site.example/a",
        content=html,
        hints={"date": "2024-02-03T04:05:06Z", "authors": "Ann Lee, Bo Kim", "source": "Wire"},
    )
    article = extract(doc, CONFIG)
    assert article.published == datetime(2024, 2, 3, 4, 5, 6, tzinfo=UTC)
    assert article.authors == ("Ann Lee", "Bo Kim")
    assert article.site == "Wire"


def test_plain_text_document() -> None:
    dump = (FIXTURES / "crawler-dump.txt").read_bytes()
    doc = RawDocument(
        url="https://dailyround.example/x",
        content=dump,
        kind="text",
        hints={"title": "Village school saved"},
    )
    article = extract(doc, CONFIG)
    assert article.title == "Village school saved"
    assert "Sign up" not in article.text and "Lower Ashby" in article.text
    assert article.text.startswith("Village school saved by parents")  # not the same line
    titled = RawDocument(
        url="https://dailyround.example/x",
        content=b"Council approves barrier\n\n" + dump,
        kind="text",
        hints={"title": "Council approves barrier"},
    )
    assert extract(titled, CONFIG).text.startswith("Village school saved by parents")


def test_readability_fallback_when_trafilatura_finds_little() -> None:
    paragraphs = "".join(
        f"<div class='x'>Paragraph {i} of the story tells how the river rose through the night"
        f" and the volunteers filled sandbags until the early hours of the morning.</div>"
        for i in range(8)
    )
    html = f"<html><body><div id='story'>{paragraphs}</div></body></html>".encode()
    article = extract(RawDocument(url="https://x.example/a", content=html), CONFIG)
    assert article.text.count("volunteers filled sandbags") >= 6


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"\x00\x01\x02\x03PK\x03\x04" * 200, "binary"),
        (b"<html><body><p>Too short.</p></body></html>", "no usable article text"),
    ],
)
def test_unusable_documents_raise_one_clear_error(content: bytes, message: str) -> None:
    with pytest.raises(ExtractionError, match=message):
        extract(RawDocument(url="https://x.example/a", content=content), CONFIG)


def test_min_text_chars_is_respected() -> None:
    doc = _doc("inline-junk.html", "https://news-site.example/a")
    with pytest.raises(ExtractionError):
        extract(doc, ExtractConfig(min_text_chars=100_000))


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (b"A plain paragraph sent where HTML was expected. " * 10, "html"),
        (
            "Café owners in the old town said the new rules were unfair. ".encode("latin-1") * 5,
            "text",
        ),
        (
            b"\xff\xfe"
            + "<p>A page saved as UTF-16 with a byte order mark.</p>".encode("utf-16-le") * 6,
            "html",
        ),
    ],
)
def test_odd_encodings_and_kinds_still_extract(content: bytes, kind: DocKind) -> None:
    article = extract(RawDocument(url="https://x.example/a", content=content, kind=kind), CONFIG)
    assert len(article.text) >= CONFIG.min_text_chars
    assert "\ufffd" not in article.text
