"""Content-Type parsing and charset detection, shared by the fetcher and local inputs."""

from __future__ import annotations

import codecs
import re

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""", re.I)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


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


def _valid_codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _decodes(content: bytes, codec: str) -> bool:
    try:
        content.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def detect_charset(content: bytes, declared: str | None) -> str:
    """Charset of a body: BOM, then header, then ``<meta>``/XML declaration, then detection.

    A declared charset that cannot decode the bytes is ignored (servers lie).
    """
    for bom, codec in _BOMS:
        if content.startswith(bom):
            return codec
    head = content[:4096]
    meta = _META_CHARSET.search(head) or _XML_DECL.search(head)
    for candidate in (declared, meta.group(1).decode("ascii", "replace") if meta else None):
        codec = _valid_codec(candidate)
        if codec is None:
            continue
        if codec in ("ascii", "us-ascii") and not _decodes(content, codec):
            codec = "cp1252"  # mislabeled Western text is the common case
        if _decodes(content, codec) or (codec == "cp1252" and _decodes(content, "latin-1")):
            return "windows-1252" if codec == "cp1252" else codec
    if _decodes(content, "utf-8"):
        return "utf-8"
    from charset_normalizer import from_bytes

    matches = list(from_bytes(content[:200_000]))
    if not matches:
        return "windows-1252"
    best = min(matches, key=lambda m: m.chaos)
    # Ties are common for short text; English-language news favours Windows-1252.
    for m in matches:
        if m.chaos <= best.chaos + 0.01 and "cp1252" in (m.encoding, *m.could_be_from_charset):
            return "windows-1252"
    return best.encoding
