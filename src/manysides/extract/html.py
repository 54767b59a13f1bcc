"""Main text and metadata out of an HTML page: trafilatura first, readability-lxml second.

``extract_html`` returns the raw (not yet cleaned) text, one paragraph per line, and the
page's metadata. ``readability_text`` is the fallback extractor; the caller decides which
result to keep (see ``manysides.extract``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import ExtractionError

if TYPE_CHECKING:
    from lxml.html import HtmlElement

__all__ = ["Extracted", "decode_html", "extract_html", "readability_text"]

_LANG = re.compile(r"^[a-z]{2,3}$")
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


def decode_html(content: bytes, charset: str | None) -> str:
    """Decode page bytes (declared charset, else detected); refuse binary content."""
    if not content or not content.strip():
        raise ExtractionError("empty document")
    head = content[:4096]
    if b"\x00" in head or sum(b < 9 or 13 < b < 32 for b in head) > len(head) // 20:
        raise ExtractionError("not an HTML or text document (binary content)")
    if charset:
        try:
            return content.decode(charset, errors="replace")
        except LookupError:
            pass
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(content).best()
        return str(best) if best is not None else content.decode("utf-8", errors="replace")


def _parse(html: str) -> HtmlElement:
    from trafilatura.utils import load_html

    tree = load_html(html)
    if tree is None or not len(tree):
        raise ExtractionError("not parseable as HTML")
    return tree


_PUBLISHED_META = (
    "article:published_time", "og:published_time", "datepublished", "date", "pubdate",
    "publishdate", "dc.date.issued", "dcterms.created", "sailthru.date", "parsely-pub-date",
)


def _page_metadata(tree: HtmlElement) -> tuple[str, str, str]:
    """(language, canonical link, published timestamp) as the page's head declares them."""
    lang = tree.get("lang") or tree.get("xml:lang") or ""
    published = ""
    for meta in tree.iterfind(".//meta"):
        key = (
            meta.get("http-equiv") or meta.get("property") or meta.get("name")
            or meta.get("itemprop") or ""
        ).lower()
        if not lang and key in ("content-language", "og:locale", "language", "dc.language"):
            lang = meta.get("content") or ""
        if not published and key in _PUBLISHED_META and "T" in (meta.get("content") or ""):
            published = (meta.get("content") or "").strip()
    lang = lang.strip().lower().replace("_", "-").split("-")[0]
    canonical = ""
    for link in tree.iterfind(".//link"):
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
            canonical = link.get("href", "").strip()
            break
    return (lang if _LANG.match(lang) else ""), canonical, published


def _authors(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    parts = re.split(r"\s*(?:;|\band\b|&)\s*", value)
    return tuple(dict.fromkeys(p.strip(" ,") for p in parts if p.strip(" ,")))


def _clean_text(text: str) -> str:
    lines = (_SPACE.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def extract_html(html: str, url: str = "", *, favor: str = "precision") -> Extracted:
    """trafilatura: text (comments excluded, no deduplication) and metadata."""
    import trafilatura

    tree = _parse(html)
    language, canonical, published = _page_metadata(tree)
    page_chars = sum(len(t.strip()) for t in tree.xpath("//p//text()"))
    options: dict[str, Any] = {"favor_precision": favor == "precision", "favor_recall": favor == "recall"}
    try:
        result = trafilatura.bare_extraction(
            tree,
            url=url or None,
            include_comments=False,
            deduplicate=False,
            include_tables=True,
            with_metadata=True,
            **options,
        )
    except Exception as exc:  # trafilatura raises assorted errors on odd markup
        raise ExtractionError(f"trafilatura failed: {type(exc).__name__}: {exc}") from None
    if result is None:
        return Extracted("", language=language, canonical=canonical, page_chars=page_chars)
    data = result.as_dict() if hasattr(result, "as_dict") else dict(result)
    return Extracted(
        text=_clean_text(data.get("text") or ""),
        title=(data.get("title") or "").strip(),
        authors=_authors(data.get("author")),
        date=_best_date(data.get("date") or "", published),
        site=(data.get("sitename") or "").strip(),
        language=language or (data.get("language") or ""),
        canonical=canonical,
        page_chars=page_chars,
    )


def _best_date(found: str, published: str) -> str:
    """trafilatura's date, with the time of day from the page's meta tag when they agree."""
    if published and (not found or published.startswith(found[:10])):
        return published
    return found


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
