"""The one BOM and charset path: Content-Type parsing, charset detection and decoding.

The fetcher and local inputs call ``detect_charset`` to label a body; extraction, feeds
and records call ``decode`` to turn it into text. Both honour a byte order mark first,
refuse codecs that are not for web content and fall back instead of raising.
"""

from __future__ import annotations

import codecs
import re

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""", re.I)
# Longest first: the UTF-32 LE mark starts with the UTF-16 LE one.
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Codecs Python knows that no page may select: they are not character encodings of web
# content (``punycode`` and ``idna`` raise a plain ``UnicodeError``, ``undefined``
# always fails), reinterpret the text (the escape codecs) or hide markup (UTF-7).
_NOT_FOR_PAGES = frozenset(
    codecs.lookup(name).name
    for name in ("punycode", "idna", "undefined", "unicode_escape", "raw_unicode_escape", "utf-7")
)
_FALLBACK = "windows-1252"


def parse_content_type(value: str) -> tuple[str, str | None]:
    """(media type, charset parameter) of a Content-Type header."""
    parts = [p.strip() for p in value.split(";")]
    media = parts[0].lower() if parts else ""
    charset = None
    for param in parts[1:]:
        key, _, val = param.partition("=")
        if key.strip().lower() == "charset" and val.strip():
            charset = val.strip().strip("\"'")
    return media, charset


def bom(content: bytes) -> tuple[str, int] | None:
    """(codec, length of the mark) when the body starts with a byte order mark."""
    for mark, codec in _BOMS:
        if content.startswith(mark):
            return codec, len(mark)
    return None


def page_codec(name: str | None) -> str | None:
    """Python's name for a declared charset, or None if it is unknown or not for pages."""
    if not name:
        return None
    try:
        info = codecs.lookup(name.strip())
    except (LookupError, ValueError):  # ValueError: e.g. an embedded NUL
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_FOR_PAGES:
        return None
    return info.name


def _decodes(content: bytes, codec: str) -> bool:
    try:
        content.decode(codec)
    except (UnicodeError, LookupError):  # UnicodeError: codecs that fail without position
        return False
    return True


def detect_charset(content: bytes, declared: str | None) -> str:
    """Charset of a body: BOM, then header, then ``<meta>``/XML declaration, then detection.

    A declared charset that cannot decode the bytes, or that is not an encoding of web
    content (``punycode``, ``idna``, ``utf-7``...), is ignored (servers lie).
    """
    marked = bom(content)
    if marked is not None:
        return marked[0]
    head = content[:4096]
    meta = _META_CHARSET.search(head) or _XML_DECL.search(head)
    in_page = meta.group(1).decode("ascii", "replace") if meta else None
    for candidate in (declared, in_page):
        codec = page_codec(candidate)
        if codec is None or (candidate is in_page and codec.startswith(("utf-16", "utf-32"))):
            continue  # an ASCII-readable declaration cannot be true of UTF-16/32 bytes
        if codec in ("ascii", "us-ascii") and not _decodes(content, codec):
            codec = "cp1252"  # mislabeled Western text is the common case
        if _decodes(content, codec) or (codec == "cp1252" and _decodes(content, "latin-1")):
            return "windows-1252" if codec == "cp1252" else codec
    if _decodes(content, "utf-8"):
        return "utf-8"
    from charset_normalizer import from_bytes

    matches = list(from_bytes(content[:200_000]))
    if not matches:
        return _FALLBACK
    best = min(matches, key=lambda m: m.chaos)
    # Ties are common for short text; English-language news favours Windows-1252.
    for m in matches:
        if m.chaos <= best.chaos + 0.01 and "cp1252" in (m.encoding, *m.could_be_from_charset):
            return _FALLBACK
    return page_codec(best.encoding) or _FALLBACK


def decode(content: bytes, charset: str | None = None) -> str:
    """The text of a body: its byte order mark, else ``charset`` (as ``detect_charset``
    found it, or as stored), else detection. Undecodable bytes become U+FFFD; never raises.
    """
    marked = bom(content)
    if marked is not None:
        codec, skip = marked
        return content[skip:].decode(codec, errors="replace")
    codec = page_codec(charset) or detect_charset(content, None)
    try:
        return content.decode(codec, errors="replace")
    except (UnicodeError, LookupError):  # a codec that fails even with errors="replace"
        return content.decode(_FALLBACK if codec != _FALLBACK else "latin-1", errors="replace")
