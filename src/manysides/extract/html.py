"""Main text and metadata out of an HTML page: trafilatura first, readability-lxml second.

``extract_html`` returns the raw (not yet cleaned) text, one paragraph per line, and the
page's metadata. ``readability_text`` is the fallback extractor; the caller decides which
result to keep (see ``manysides.extract``).
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import ExtractionError
from ..records import MAX_META_CHARS

if TYPE_CHECKING:
    from lxml.html import HtmlElement

__all__ = [
    "Extracted",
    "Page",
    "decode_html",
    "extract_html",
    "main_text",
    "parse_page",
    "readability_text",
]

_LANG = re.compile(r"^[a-z]{2,3}$")
# Bytes that occur in text; what is left after deleting them is control characters.
_TEXT_BYTES = bytes(range(9, 14)) + bytes(range(32, 256))
_SPACE = re.compile(r"[ \t\r\f\v\u00a0]+")
_BLOCKS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "dd", "dt")


@dataclass(slots=True)
class Extracted:
    """What one extractor found on the page, before cleanup."""

    text: str
    title: str = ""
    authors: tuple[str, ...] = ()
    date: str = ""
    site: str = ""
    language: str = ""
    canonical: str = ""
    extractor: str = "trafilatura"
    page_chars: int = 0  # characters of paragraph text on the whole page
    page_type: str = ""  # og:type, or a schema.org NewsArticle subtype (OpinionNewsArticle)
    page_section: str = ""  # article:section (or JSON-LD articleSection), e.g. "Opinion"


def decode_html(content: bytes, charset: str | None) -> str:
    """Decode page bytes (BOM, declared charset, else detected); refuse binary content."""
    from ..fetch.charset import bom, decode

    if not content or not content.strip():
        raise ExtractionError("empty document")
    if bom(content) is None:
        head = content[:4096]
        if b"\x00" in head or len(head.translate(None, _TEXT_BYTES)) > len(head) // 20:
            raise ExtractionError("not an HTML or text document (binary content)")
    return decode(content, charset)


def _parse(html: str) -> HtmlElement:
    from trafilatura.utils import load_html

    tree = load_html(html)
    if tree is None or not len(tree):
        raise ExtractionError("not parseable as HTML")
    return tree


_PUBLISHED_META = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "date",
    "pubdate",
    "publishdate",
    "dc.date.issued",
    "dcterms.created",
    "sailthru.date",
    "parsely-pub-date",
)


_SECTION_META = ("article:section", "section", "parsely-section", "sailthru.section")
# schema.org's NewsArticle subtypes that say what kind of piece a page is.
_NEWS_SUBTYPES = re.compile(
    r'"@type"\s*:\s*(?:\[[^\]]*?)?"((?:Opinion|Analysis|Review|Background|Reportage|AskPublic)NewsArticle)"'
)
_LD_SECTION = re.compile(r'"articleSection"\s*:\s*\[?\s*"([^"]{1,80})"')


@dataclass(slots=True)
class HeadMeta:
    """What the page's head declares about itself."""

    language: str = ""
    canonical: str = ""
    published: str = ""
    page_type: str = ""
    page_section: str = ""


def _page_metadata(tree: HtmlElement) -> HeadMeta:
    """Language, canonical link, published timestamp, type and section as the page's head
    declares them (meta tags; JSON-LD for a NewsArticle subtype or ``articleSection``)."""
    lang = tree.get("lang") or tree.get("xml:lang") or ""
    published = og_type = section = ""
    for meta in tree.iterfind(".//meta"):
        key = (
            meta.get("http-equiv")
            or meta.get("property")
            or meta.get("name")
            or meta.get("itemprop")
            or ""
        ).lower()
        content = (meta.get("content") or "").strip()
        if not lang and key in ("content-language", "og:locale", "language", "dc.language"):
            lang = content
        if not published and key in _PUBLISHED_META and "T" in content:
            published = content
        if not og_type and key == "og:type":
            og_type = content
        if not section and key in _SECTION_META:
            section = content
    for script in tree.iterfind(".//script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        subtype = _NEWS_SUBTYPES.search(script.text)
        if subtype:
            og_type = subtype.group(1)
        found = _LD_SECTION.search(script.text)
        if found and not section:
            section = found.group(1).strip()
    lang = lang.strip().lower().replace("_", "-").split("-")[0]
    canonical = ""
    for link in tree.iterfind(".//link"):
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
            canonical = link.get("href", "").strip()
            break
    return HeadMeta(
        language=lang if _LANG.match(lang) else "",
        canonical=canonical,
        published=published,
        page_type=" ".join(og_type.split())[:MAX_META_CHARS],
        page_section=" ".join(section.split())[:MAX_META_CHARS],
    )


def _authors(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    parts = re.split(r"\s*(?:;|\band\b|&)\s*", value)
    return tuple(dict.fromkeys(p.strip(" ,") for p in parts if p.strip(" ,")))


def _clean_text(text: str) -> str:
    lines = (_SPACE.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


@dataclass(slots=True)
class _Meta:
    title: str = ""
    authors: tuple[str, ...] = ()
    date: str = ""
    site: str = ""


def _metadata(tree: HtmlElement, url: str, published: str) -> _Meta:
    """trafilatura's metadata steps that manysides uses (no categories, tags, license).

    Meta tags and JSON-LD first, then the page's title, byline and date heuristics; the
    date search is the quick one unless the head states no publication time.
    """
    from htmldate import find_date
    from trafilatura.metadata import (
        examine_meta,
        extract_author,
        extract_meta_json,
        extract_sitename,
        extract_title,
    )

    meta = examine_meta(tree)
    if meta.author and " " not in meta.author:
        meta.author = None
    with contextlib.suppress(Exception):  # trafilatura's JSON-LD parser trips on odd markup
        meta = extract_meta_json(tree, meta)
    title = meta.title or extract_title(tree) or ""
    author = meta.author or extract_author(tree) or ""
    date = published
    if not date:
        try:
            date = (
                find_date(tree, url=url or None, original_date=True, extensive_search=False) or ""
            )
        except Exception:  # htmldate raises on some malformed dates
            date = ""
    site = (meta.sitename or extract_sitename(tree) or "").lstrip("@").strip()
    if site and "." not in site and not site[0].isupper():
        site = site.title()
    return _Meta(title.strip(), _authors(author), date, site)


@dataclass(slots=True)
class Page:
    """A parsed page and what its head declares; parsed once, extracted from as needed."""

    html: str
    url: str
    tree: HtmlElement
    language: str
    canonical: str
    published: str
    page_chars: int  # characters of paragraph text on the whole page
    page_type: str = ""
    page_section: str = ""


def parse_page(html: str, url: str = "") -> Page:
    tree = _parse(html)
    head = _page_metadata(tree)
    page_chars = sum(len(t.strip()) for t in tree.xpath("//p//text()"))
    return Page(
        html,
        url,
        tree,
        head.language,
        head.canonical,
        head.published,
        page_chars,
        head.page_type,
        head.page_section,
    )


def main_text(page: Page, *, fast: bool) -> str:
    """trafilatura's main text (precision mode, comments excluded, no deduplication), one
    paragraph per line; ``fast`` skips trafilatura's internal fallback extractors.

    trafilatura works on a copy of the tree, so the page can be extracted from again.
    """
    import trafilatura

    try:
        result = trafilatura.bare_extraction(
            page.tree,
            url=page.url or None,
            fast=fast,
            favor_precision=True,
            include_comments=False,
            deduplicate=False,
            include_tables=True,
            with_metadata=False,
        )
    except Exception as exc:  # trafilatura raises assorted errors on odd markup
        raise ExtractionError(f"trafilatura failed: {type(exc).__name__}: {exc}") from None
    if result is None:
        return ""
    data = result.as_dict() if hasattr(result, "as_dict") else dict(result)
    return _clean_text(data.get("text") or "")


def extract_html(page: Page, *, fast: bool = True) -> Extracted:
    """Main text and metadata of a parsed page."""
    meta = _metadata(page.tree, page.url, page.published)
    return Extracted(
        text=main_text(page, fast=fast),
        title=meta.title,
        authors=meta.authors,
        date=meta.date,
        site=meta.site,
        language=page.language,
        canonical=page.canonical,
        page_chars=page.page_chars,
        page_type=page.page_type,
        page_section=page.page_section,
    )


def readability_text(html: str) -> str:
    """Main text according to readability-lxml, one block element per line."""
    import lxml.html
    from readability import Document

    try:
        summary = Document(html).summary(html_partial=True)
        root = lxml.html.fromstring(summary)
    except Exception:  # readability raises on pages it cannot score
        return ""
    lines: list[str] = []
    for el in root.iter(*_BLOCKS):
        if any(anc.tag in _BLOCKS for anc in el.iterancestors()):
            continue  # nested block: its text is in the ancestor's
        text = _SPACE.sub(" ", el.text_content()).strip()
        if text:
            lines.append(text)
    if not lines:
        lines = [_SPACE.sub(" ", root.text_content()).strip()]
    return "\n".join(line for line in lines if line)
