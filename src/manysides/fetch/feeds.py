"""RSS/Atom feeds (feedparser) and sitemaps (lxml, hardened) → ``FeedEntry`` records."""

from __future__ import annotations

import calendar
import gzip
import html
import io
import re
import zlib
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

from ..errors import ParseError
from ..records import MAX_AUTHOR_CHARS, MAX_TITLE_CHARS, MAX_URL_CHARS, FeedEntry, cap_authors
from ..times import parse as parse_time

MAX_DECOMPRESSED = 50_000_000
# feedparser spends about 150 us per element, so a 10 MB feed of tiny elements would take
# minutes; real feeds have 10-30 elements per item (a 2,000-item feed stays under this).
MAX_FEED_ELEMENTS = 60_000
_TAGS = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")


def _gunzip(content: bytes, url: str) -> bytes:
    if not content.startswith(b"\x1f\x8b"):
        return content
    try:
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        out = d.decompress(content, MAX_DECOMPRESSED)
    except zlib.error as exc:
        raise ParseError(f"broken gzip data in {url}: {exc}", item=url) from None
    if d.unconsumed_tail:
        raise ParseError(f"{url} decompresses to more than {MAX_DECOMPRESSED} bytes", item=url)
    return out


def _as_utf8(data: bytes) -> bytes:
    """The feed re-encoded as UTF-8 by the shared charset path, its XML declaration dropped."""
    from .charset import decode, detect_charset

    text = decode(data, detect_charset(data, None))
    return _XML_DECL.sub("", text, count=1).encode("utf-8")


def sniff_kind(content: bytes) -> str:
    """ "sitemap" for ``<urlset>``/``<sitemapindex>`` documents, otherwise "feed"."""
    head = content[:200_000]
    if head.startswith(b"\x1f\x8b"):
        try:
            head = gzip.GzipFile(fileobj=io.BytesIO(content)).read(8192)
        except (OSError, EOFError):
            return "feed"
    text = head[:8192].lower()
    match = re.search(rb"<(?![?!])([a-z0-9_:.-]+)", text)
    if match:
        local = match.group(1).split(b":")[-1]
        if local in (b"urlset", b"sitemapindex"):
            return "sitemap"
    return "feed"


def _http_url(base: str, link: str) -> str | None:
    link = (link or "").strip()
    if not link or len(link) > MAX_URL_CHARS:  # a longer link is never stored or fetched
        return None
    try:
        parts = urlsplit(urljoin(base, link))
    except ValueError:  # e.g. an invalid IPv6 literal
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    url = parts._replace(fragment="").geturl()
    return url if len(url) <= MAX_URL_CHARS else None


def _clean(text: str, limit: int = 1000) -> str:
    return _SPACE.sub(" ", html.unescape(_TAGS.sub(" ", text or ""))).strip()[:limit]


def _struct_to_dt(value: object) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return None


def parse_feed(content: bytes, url: str) -> list[FeedEntry]:
    """Entries of an RSS or Atom feed, deduplicated by GUID and link, links absolute.

    A feed with recoverable errors (``bozo``) is accepted when it still has entries;
    otherwise ``ParseError``, as for a feed of more than ``MAX_FEED_ELEMENTS`` elements.
    A declared encoding that cannot decode falls back to the shared charset path.
    """
    import feedparser

    data = _gunzip(content, url)
    if data.count(b"<") > MAX_FEED_ELEMENTS:
        raise ParseError(
            f"{url}: more than {MAX_FEED_ELEMENTS} elements; not parsed as a feed", item=url
        )
    headers = {"content-location": url, "content-type": "application/xml"}
    utf8 = headers | {"content-type": "application/xml; charset=utf-8"}
    try:
        parsed = feedparser.parse(data, response_headers=headers)
    except (ValueError, LookupError):  # a declared codec that cannot decode (undefined, NUL)
        parsed = feedparser.parse(_as_utf8(data), response_headers=utf8)
    else:
        if not parsed.entries and parsed.get("bozo"):
            # e.g. encoding="utf-16" declared in ASCII bytes: decode by the shared path
            retried = feedparser.parse(_as_utf8(data), response_headers=utf8)
            parsed = retried if retried.entries else parsed
    if not parsed.entries and not parsed.get("bozo") and not parsed.get("version"):
        raise ParseError(f"not an RSS or Atom feed: {url}", item=url)
    out: list[FeedEntry] = []
    seen: set[str] = set()
    for entry in parsed.entries:
        guid = str(entry.get("id") or "").strip()
        # FeedBurner wraps links in a tracking redirect; it keeps the original alongside.
        raw_link = entry.get("feedburner_origlink") or entry.get("link") or ""
        link = _http_url(url, str(raw_link))
        if link is None and guid:
            link = _http_url(url, guid)
        if link is None:
            continue
        keys = {link, guid} - {""}
        if keys & seen:
            continue
        seen |= keys
        authors: list[str] = []
        for a in entry.get("authors") or ():
            name = _clean(str(a.get("name") or ""), MAX_AUTHOR_CHARS) if isinstance(a, dict) else ""
            if name and name not in authors:
                authors.append(name)
        if not authors and entry.get("author"):
            authors.append(_clean(str(entry.get("author")), MAX_AUTHOR_CHARS))
        published = _struct_to_dt(entry.get("published_parsed")) or _struct_to_dt(
            entry.get("updated_parsed")
        )
        out.append(
            FeedEntry(
                url=link,
                guid=guid or link,
                title=_clean(str(entry.get("title") or ""), MAX_TITLE_CHARS),
                published=published,
                authors=cap_authors(authors),
                summary=_clean(str(entry.get("summary") or "")),
            )
        )
    if not out and parsed.get("bozo"):
        why = parsed.get("bozo_exception")
        raise ParseError(f"not a valid feed: {url}: {why}", item=url)
    return out


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _child_text(el: object, name: str) -> str:
    for child in el:  # type: ignore[attr-defined]
        if _local(child.tag) == name:
            return (child.text or "").strip()
    return ""


def parse_sitemap(content: bytes, url: str) -> tuple[list[FeedEntry], list[str]]:
    """(entries, child sitemap URLs) of a sitemap, sitemap index or Google News sitemap.

    Parsed with a hardened lxml parser: no network, no DTD, no entity expansion.
    """
    from lxml import etree

    data = _gunzip(content, url)
    if b"<!ENTITY" in data[:100_000].upper():
        raise ParseError(f"refusing sitemap with entity declarations: {url}", item=url)
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        recover=True,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise ParseError(f"not a valid sitemap: {url}: {exc}", item=url) from None
    if root is None:
        raise ParseError(f"not a valid sitemap: {url}: empty or unreadable XML", item=url)
    kind = _local(root.tag)
    if kind == "sitemapindex":
        children: dict[str, datetime | None] = {}
        for sm in root:
            if _local(sm.tag) != "sitemap":
                continue
            loc = _http_url(url, _child_text(sm, "loc"))
            if loc and loc not in children:
                children[loc] = parse_time(_child_text(sm, "lastmod"))
        # Newest child sitemaps first (undated ones after, in document order).
        oldest = datetime.min.replace(tzinfo=UTC)
        ordered = sorted(children, key=lambda c: children[c] or oldest, reverse=True)
        return [], ordered
    if kind != "urlset":
        raise ParseError(f"not a sitemap: {url} has root element <{kind}>", item=url)
    entries: list[FeedEntry] = []
    seen: set[str] = set()
    for node in root:
        if _local(node.tag) != "url":
            continue
        loc = _http_url(url, _child_text(node, "loc"))
        if loc is None or loc in seen:
            continue
        seen.add(loc)
        title = ""
        published = parse_time(_child_text(node, "lastmod"))
        for child in node:
            if _local(child.tag) == "news":
                title = _clean(_child_text(child, "title"), 500)
                published = parse_time(_child_text(child, "publication_date")) or published
        entries.append(FeedEntry(url=loc, guid=loc, title=title, published=published))
    return entries, []
