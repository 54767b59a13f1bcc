"""Extraction: a clean ``Article`` out of a fetched page or a plain-text document.

* ``extract(doc, config, template)``: HTML goes through trafilatura (readability-lxml as
  fallback when trafilatura fails or finds too little; the better result is kept), then
  the news cleanup of ``rules.py``; plain text goes straight to the cleanup.
* ``explain(doc, config, template)``: every line the cleanup removed, with its rule.
* ``clean_text(text, template)``: the cleanup alone, for already-extracted text.

Stages never touch the store: the caller passes the site's learned template (see
``templates.TemplateLearner``) and persists the result.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from ..config import ExtractConfig
from ..dedupe import canonical_url as _canonical
from ..errors import ExtractionError
from ..records import (
    MAX_META_CHARS,
    MAX_TITLE_CHARS,
    MAX_URL_CHARS,
    Article,
    RawDocument,
    cap,
    cap_authors,
)
from ..times import parse as parse_time
from .html import Extracted, decode_html, extract_html, main_text, parse_page, readability_text
from .rules import RULES, STRUCTURAL, describe
from .templates import site_key
from .text import RemovedLine, clean_lines

__all__ = [
    "RULES",
    "STRUCTURAL",
    "RemovedLine",
    "clean_text",
    "describe",
    "explain",
    "MAX_EXTRACT_CHARS",
    "extract",
    "extract_explained",
    "fit_for_extraction",
]

# What extraction is given, at most: parsers need 100-400 times the markup in memory
# and superlinear time (docs/benchmarks.md, "Reliability"), while the largest of 181 real
# news pages is 215 kB without its scripts and styles. A longer page loses those first,
# then its end (see ``fit_for_extraction``).
MAX_EXTRACT_CHARS = 500_000
_INERT = re.compile(r"<(script|style|svg|noscript|template|iframe|object)\b[^>]*>|<!--", re.I)
_CLOSE = {
    tag: re.compile(rf"</{tag}\s*>", re.I)
    for tag in ("script", "style", "svg", "noscript", "template", "iframe", "object")
}

# readability-lxml is consulted when trafilatura's text is short or covers less than this
# share of the page's paragraph text (it may have kept only part of the article) ...
_COVERAGE = 0.45
# ... and its result is kept when trafilatura's is shorter than this share of it.
_PARTIAL_SHARE = 0.5
# ... provided it contains this share of trafilatura's lines.
_CONTAINED_SHARE = 0.5
# trafilatura's text is "substantial" from this many min_text_chars on.
_TRUSTED_TIMES = 4
# trafilatura runs again with its own fallback extractors below this many min_text_chars.
_THOROUGH_BELOW = 2


@dataclass(slots=True)
class _Result:
    extracted: Extracted
    text: str
    removed: list[RemovedLine]


def _strip_inert(html: str) -> str:
    """The page without scripts (JSON-LD metadata kept), styles, SVG and comments.

    Linear: an unclosed element swallows the rest, as it does in a browser.
    """
    out: list[str] = []
    pos = 0
    while (found := _INERT.search(html, pos)) is not None:
        out.append(html[pos : found.start()])
        opening = found.group(0)
        if opening == "<!--":
            end = html.find("-->", found.end())
            stop = -1 if end < 0 else end + 3
        else:
            close = _CLOSE[found.group(1).lower()].search(html, found.end())
            stop = -1 if close is None else close.end()
            if stop >= 0 and "ld+json" in opening.lower():
                out.append(html[found.start() : stop])
        if stop < 0:
            return "".join(out)
        pos = stop
    out.append(html[pos:])
    return "".join(out)


def fit_for_extraction(doc: RawDocument) -> tuple[RawDocument, str]:
    """The document as extraction may take it, and why it was cut ("" if it was not).

    A body over ``MAX_EXTRACT_CHARS`` characters loses its scripts, styles, SVG and
    comments; if still over, it is cut at the last tag (HTML) or line (text) before the
    limit. The stored document keeps every byte.
    """
    if len(doc.content) <= MAX_EXTRACT_CHARS:
        return doc, ""
    text = decode_html(doc.content, doc.charset)
    if len(text) <= MAX_EXTRACT_CHARS:
        return doc, ""
    size = len(text)
    html = doc.kind == "html" and "<" in text[:4096]
    if html:
        text = _strip_inert(text)
    if len(text) > MAX_EXTRACT_CHARS:
        cut = text.rfind("<" if html else "\n", 0, MAX_EXTRACT_CHARS)
        text = text[: cut if cut > MAX_EXTRACT_CHARS // 2 else MAX_EXTRACT_CHARS]
        why = (
            f"body of {size} characters cut to {len(text)} before extraction"
            f" (limit {MAX_EXTRACT_CHARS})"
        )
    else:
        why = ""
    return dataclasses.replace(doc, content=text.encode("utf-8"), charset="utf-8"), why


def clean_text(text: str, template: frozenset[str] = frozenset()) -> str:
    """Plain text with boilerplate lines (promos, bios, related lists...) removed."""
    kept, _ = clean_lines(text.splitlines(), template, plain=True)
    return "\n".join(kept)


def _cleaned(extracted: Extracted, template: frozenset[str]) -> _Result:
    plain = extracted.extractor == "text"
    kept, removed = clean_lines(extracted.text.splitlines(), template, extracted.title, plain=plain)
    return _Result(extracted, "\n".join(kept), removed)


def _run(doc: RawDocument, config: ExtractConfig, template: frozenset[str]) -> _Result:
    doc, _why = fit_for_extraction(doc)
    if doc.kind == "text":
        text = decode_html(doc.content, doc.charset)
        title = doc.hints.get("title", "")  # a headline repeated atop the text is dropped
        return _cleaned(Extracted(text, title=title, extractor="text"), template)
    html = decode_html(doc.content, doc.charset)
    if "<" not in html[:4096]:  # plain text sent as HTML: clean it as text
        return _cleaned(Extracted(html, extractor="text"), template)
    url = doc.final_url or doc.url
    # trafilatura without its internal fallback extractors first (fast); if that finds
    # very little, trafilatura with them; if the result is still short or covers little of
    # the page's paragraph text, readability-lxml too. The better result is kept.
    page = parse_page(html, url)
    primary = _cleaned(extract_html(page, fast=True), template)
    if len(primary.text) < _THOROUGH_BELOW * config.min_text_chars:
        thorough = _cleaned(_with_text(primary.extracted, main_text(page, fast=False)), template)
        if len(thorough.text) > len(primary.text):
            primary = thorough
    if not config.fallback or (_covered(primary) and len(primary.text) >= config.min_text_chars):
        return primary
    second = readability_text(html)
    if not second:
        return primary
    backup = _cleaned(_with_text(primary.extracted, second, "readability"), template)
    if len(primary.text) < config.min_text_chars:
        return backup if len(backup.text) > len(primary.text) else primary
    if len(primary.text) >= _PARTIAL_SHARE * len(backup.text):
        return primary
    # A short trafilatura result is unreliable; a substantial one is replaced only when
    # readability extends it rather than picking another block of the page.
    if len(primary.text) < _TRUSTED_TIMES * config.min_text_chars or _contains(backup, primary):
        return backup
    return primary


def _contains(longer: _Result, shorter: _Result) -> bool:
    """Most of the shorter text's lines occur in the longer text."""
    lines = [line for line in shorter.text.splitlines() if len(line) > 40]
    if not lines:
        return True
    haystack = longer.text
    return sum(line in haystack for line in lines) >= _CONTAINED_SHARE * len(lines)


def _with_text(meta: Extracted, text: str, extractor: str = "trafilatura") -> Extracted:
    """The page's metadata with the text of another extraction pass."""
    return dataclasses.replace(meta, text=text, extractor=extractor)


def _covered(result: _Result) -> bool:
    """The text covers enough of the page's paragraph text to be the whole article."""
    return len(result.extracted.text) >= _COVERAGE * result.extracted.page_chars


def _canonical_for(doc: RawDocument, link: str) -> str:
    page = doc.final_url or doc.url
    same_site = bool(site_key(link)) and site_key(link) == site_key(page)
    if link.startswith(("http://", "https://")) and same_site and len(link) <= MAX_URL_CHARS:
        return _canonical(link)
    return _canonical(page)


def _site_name(found: str, hint: str) -> str:
    """The page's outlet name; a bare host name (trafilatura's last resort) yields to a hint."""
    if found and not (hint and "." in found and " " not in found):
        return found
    return hint or found


def _hint_authors(value: str) -> tuple[str, ...]:
    return tuple(a.strip() for a in value.replace(";", ",").split(",") if a.strip())


def extract(
    doc: RawDocument, config: ExtractConfig, template: frozenset[str] = frozenset()
) -> Article:
    """The clean article of one document; ``ExtractionError`` if nothing usable is left."""
    return _article(doc, config, _run(doc, config, template))


def explain(
    doc: RawDocument, config: ExtractConfig, template: frozenset[str] = frozenset()
) -> list[RemovedLine]:
    """Every line the cleanup removed from this document, with the rule that removed it."""
    return _run(doc, config, template).removed


def extract_explained(
    doc: RawDocument, config: ExtractConfig, template: frozenset[str] = frozenset()
) -> tuple[Article | ExtractionError, list[RemovedLine]]:
    """``extract`` and ``explain`` in one pass; a document with no usable text gives its
    ``ExtractionError`` in place of the article (other errors are raised)."""
    result = _run(doc, config, template)
    try:
        return _article(doc, config, result), result.removed
    except ExtractionError as exc:
        return exc, result.removed


def _article(doc: RawDocument, config: ExtractConfig, result: _Result) -> Article:
    if len(result.text) < config.min_text_chars:
        what = "page" if doc.kind == "html" else "text"
        raise ExtractionError(
            f"no usable article text: {len(result.text)} characters left after cleaning the"
            f" {what} (minimum {config.min_text_chars})",
            item=doc.url,
        )
    meta = result.extracted
    hints = doc.hints
    title = cap(meta.title or hints.get("title", "").strip(), MAX_TITLE_CHARS)
    return Article(
        url=doc.final_url or doc.url,
        title=title,
        text=result.text,
        canonical_url=_canonical_for(doc, meta.canonical),
        authors=cap_authors(meta.authors or _hint_authors(hints.get("authors", ""))),
        published=parse_time(meta.date) or parse_time(hints.get("date")),
        site=cap(_site_name(meta.site, hints.get("source", "").strip()), MAX_TITLE_CHARS),
        language=_language(meta.language or hints.get("language", ""), title, result.text),
        page_type=cap(meta.page_type, MAX_META_CHARS),
        page_section=cap(meta.page_section or hints.get("section", "").strip(), MAX_META_CHARS),
    )


def _language(declared: str, title: str, text: str) -> str:
    """The language the page or the input record declares, else the one its text is in
    (``nlp.language.identify``: "" when too short or unsure)."""
    declared = cap(declared.strip(), 16)
    if declared:
        return declared
    from ..nlp.language import identify

    return identify(f"{title}. {text}" if title else text)
