"""Local inputs: HTML and text files, JSONL records and web archives → ``RawDocument``.

``iter_inputs`` streams: one file, one line or one archive record at a time, so a
37,554-record ``.jsonl.gz`` or a multi-gigabyte CC-NEWS WARC never sits in memory. A bad
item comes out as a ``ParseError`` (naming file and line or record) in the same stream,
and the items after it still come.

Supported: ``.html``/``.htm``/``.xhtml`` (and ``.gz``), ``.txt`` (and ``.gz``),
``.jsonl``/``.ndjson`` (and ``.gz``) with records holding ``url`` plus ``html`` or
``text`` and optional ``title``, ``date``, ``source``, ``source_url``, ``authors``,
``language``; WARC and ARC (``.warc``, ``.warc.gz``, ``.arc``, ``.arc.gz``): HTTP
response records with an HTML content type. Folders are walked in sorted order,
skipping hidden entries. Records without a URL get ``urn:manysides:sha1:<content sha1>``.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import zlib
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from .errors import ParseError
from .records import (
    MAX_HINT_CHARS,
    MAX_TITLE_CHARS,
    MAX_URL_CHARS,
    RawDocument,
    cap,
    cap_authors,
)
from .times import parse as parse_time

MAX_FILE_BYTES = 50_000_000
MAX_RECORD_BYTES = 20_000_000
HTML_TYPES = ("text/html", "application/xhtml+xml")
HINT_KEYS = ("title", "date", "source", "source_url", "authors", "language", "section")

_HTML_EXT = (".html", ".htm", ".xhtml")
_TEXT_EXT = (".txt",)
_JSONL_EXT = (".jsonl", ".ndjson")
_ARCHIVE_EXT = (".warc", ".arc")
_CANONICAL = re.compile(
    rb"""<link\b[^>]*\brel\s*=\s*["']?canonical["']?[^>]*\bhref\s*=\s*["']([^"'<>\s]+)["']"""
    rb"""|<link\b[^>]*\bhref\s*=\s*["']([^"'<>\s]+)["'][^>]*\brel\s*=\s*["']?canonical\b"""
    rb"""|<meta\b[^>]*\bproperty\s*=\s*["']og:url["'][^>]*\bcontent\s*=\s*["']([^"'<>\s]+)["']""",
    re.I,
)

_SURROGATE = re.compile("[\ud800-\udfff]")
_HINT_LIMITS = {"title": MAX_TITLE_CHARS}

Item = RawDocument | ParseError


def synthetic_url(content: bytes) -> str:
    """Stable identifier for a document that has no URL."""
    return "urn:manysides:sha1:" + hashlib.sha1(content).hexdigest()  # noqa: S324 - identity


def iter_inputs(paths: Sequence[Path]) -> Iterator[Item]:
    """Documents (or per-item ``ParseError``) from files and folders, in order."""
    for file in input_files(paths):
        if isinstance(file, ParseError):
            yield file
        else:
            yield from _guarded(file)


def input_files(paths: Sequence[Path]) -> Iterator[Path | ParseError]:
    """The files ``iter_inputs`` reads, in its order: folders walked sorted, hidden entries
    skipped; a missing path or an unreadable folder comes out as a ``ParseError``."""
    for path in paths:
        path = Path(path)
        if path.is_dir():
            yield from _walk(path)
        elif path.exists():
            yield path
        else:
            yield ParseError(f"{path}: no such file or folder", item=str(path))


def _walk(folder: Path) -> Iterator[Path | ParseError]:
    failed: list[OSError] = []
    for root, dirs, files in os.walk(folder, onerror=failed.append):
        while failed:
            exc = failed.pop(0)
            where = str(exc.filename or root)
            yield ParseError(f"{where}: cannot read folder: {exc.strerror or exc}", item=where)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(root) / name
    for exc in failed:  # the top folder itself
        where = str(exc.filename or folder)
        yield ParseError(f"{where}: cannot read folder: {exc.strerror or exc}", item=where)


def _guarded(path: Path) -> Iterator[Item]:
    """``_iter_file``, with anything the parsing libraries raise turned into one error."""
    try:
        yield from _iter_file(path)
    except Exception as exc:  # noqa: BLE001 - hostile bytes must not stop the run
        yield ParseError(
            f"{path}: stopped reading: {type(exc).__name__}: {exc}"[:1000], item=str(path)
        )


def _kind_of(path: Path) -> tuple[str, bool]:
    """(kind, gzipped) from the file name."""
    name = path.name.lower()
    gz = name.endswith(".gz")
    stem = name[:-3] if gz else name
    for kind, exts in (
        ("html", _HTML_EXT),
        ("text", _TEXT_EXT),
        ("jsonl", _JSONL_EXT),
        ("archive", _ARCHIVE_EXT),
    ):
        if stem.endswith(exts):
            return kind, gz
    return "", gz


def _iter_file(path: Path) -> Iterator[Item]:
    kind, gz = _kind_of(path)
    try:
        if kind in ("html", "text"):
            yield _read_single(path, kind, gz)
        elif kind == "jsonl":
            yield from _iter_jsonl(path, gz)
        elif kind == "archive":
            yield from _iter_archive(path)
        else:
            yield ParseError(
                f"{path}: unsupported file type (use .html, .htm, .txt, .jsonl, .warc or .arc,"
                " optionally .gz)",
                item=str(path),
            )
    except (OSError, EOFError, zlib.error, gzip.BadGzipFile) as exc:
        yield ParseError(f"{path}: cannot read: {exc}", item=str(path))


def _open(path: Path, gz: bool) -> IO[bytes]:
    return gzip.open(path, "rb") if gz else open(path, "rb")  # noqa: SIM115 - returned


def _read_single(path: Path, kind: str, gz: bool) -> Item:
    with _open(path, gz) as fh:
        content = fh.read(MAX_FILE_BYTES + 1)
    if len(content) > MAX_FILE_BYTES:
        return ParseError(f"{path}: larger than {MAX_FILE_BYTES} bytes", item=str(path))
    if not content.strip():
        return ParseError(f"{path}: empty file", item=str(path))
    from .fetch.charset import detect_charset

    url = _canonical_url(content) if kind == "html" else None
    mtime = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
    return RawDocument(
        url=url or synthetic_url(content),
        content=content,
        kind="html" if kind == "html" else "text",
        content_type="text/html" if kind == "html" else "text/plain",
        charset=detect_charset(content, None),
        fetched_at=mtime,
        origin=str(path),
    )


def _canonical_url(content: bytes) -> str | None:
    head = content[:65_536]
    end = head.lower().find(b"</head>")
    match = _CANONICAL.search(head if end < 0 else head[:end])
    if not match:
        return None
    url = next(g for g in match.groups() if g).decode("utf-8", "replace").strip()
    return url if _usable_url(url) else None


def _usable_url(url: object) -> bool:
    """An http(s) URL within ``MAX_URL_CHARS`` (others are never linked to or stored)."""
    return (
        isinstance(url, str)
        and len(url.strip()) <= MAX_URL_CHARS
        and url.strip().lower().startswith(("http://", "https://"))
    )


def _text(value: str) -> str:
    """A JSON string safe to encode: lone surrogates become U+FFFD."""
    return _SURROGATE.sub("\ufffd", value)


def _hint(key: str, value: Any) -> str:
    if isinstance(value, list | tuple):  # e.g. authors: each name capped, then joined
        text = ", ".join(cap_authors([_text(str(v)) for v in value]))
    else:
        text = str(value).strip()
    return cap(_text(text), _HINT_LIMITS.get(key, MAX_HINT_CHARS))


def _lines(fh: IO[bytes]) -> Iterator[tuple[int, bytes | None]]:
    """(number, line) of a byte stream; ``None`` for a line over ``MAX_RECORD_BYTES``,
    which is skipped without ever being held whole."""
    number = 0
    while True:
        line = fh.readline(MAX_RECORD_BYTES + 1)
        if not line:
            return
        number += 1
        if len(line) > MAX_RECORD_BYTES and not line.endswith(b"\n"):
            while (rest := fh.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
            yield number, None
            continue
        yield number, line


def _iter_jsonl(path: Path, gz: bool) -> Iterator[Item]:
    with _open(path, gz) as fh:
        for number, line in _lines(fh):
            where = f"{path}:{number}"
            if line is None:
                yield ParseError(f"{where}: line longer than {MAX_RECORD_BYTES} bytes", item=where)
                continue
            if number == 1:
                line = line.removeprefix(b"\xef\xbb\xbf")
            if not line.strip():
                continue
            try:  # JSON Lines is UTF-8; a stray bad byte costs that character only
                record = json.loads(line.decode("utf-8", "replace"))
            except ValueError as exc:
                yield ParseError(f"{where}: not valid JSON: {exc}", item=where)
                continue
            except RecursionError:
                yield ParseError(f"{where}: not valid JSON: nested too deeply", item=where)
                continue
            try:
                yield _from_record(record, where)
            except RecursionError:
                yield ParseError(f"{where}: record nested too deeply", item=where)


def _from_record(record: Any, where: str) -> Item:
    if not isinstance(record, dict):
        return ParseError(f"{where}: record is not a JSON object", item=where)
    html, text = record.get("html"), record.get("text")
    if isinstance(html, str) and html.strip():
        content, kind = _text(html).encode("utf-8"), "html"
    elif isinstance(text, str) and text.strip():
        content, kind = _text(text).encode("utf-8"), "text"
    else:
        return ParseError(f"{where}: record has neither 'html' nor 'text'", item=where)
    url = record.get("url")
    if not _usable_url(url):
        # missing, too long, or a scheme we never link to (javascript:, data:, file:, ...)
        url = synthetic_url(content)
    url = _text(url)
    hints = {k: _hint(k, record[k]) for k in HINT_KEYS if record.get(k) not in (None, "", [])}
    return RawDocument(
        url=url.strip(),
        content=content,
        kind=kind,  # type: ignore[arg-type]
        content_type="text/html" if kind == "html" else "text/plain",
        charset="utf-8",
        origin=where,
        hints=hints,
    )


def _looks_like_archive(path: Path) -> bool:
    with open(path, "rb") as fh:
        head = fh.read(2)
        fh.seek(0)
        stream: IO[bytes] = gzip.GzipFile(fileobj=fh) if head == b"\x1f\x8b" else fh
        start = stream.read(16).lstrip()
    return start.startswith((b"WARC/", b"filedesc://"))


def _iter_archive(path: Path) -> Iterator[Item]:
    from warcio.archiveiterator import ArchiveIterator

    if not _looks_like_archive(path):
        yield ParseError(
            f"{path}: not a readable WARC/ARC archive (no 'WARC/' or 'filedesc://' header)",
            item=str(path),
        )
        return
    seen = found = failures = 0
    with open(path, "rb") as fh:
        gz = fh.read(2) == b"\x1f\x8b"
        offset: int | None = 0
        while offset is not None:
            fh.seek(offset)
            records = ArchiveIterator(fh, arc2warc=True)
            try:
                for record in records:
                    seen += 1
                    item = _guarded_record(record, path)
                    if isinstance(item, RawDocument):
                        found += 1
                    if item is not None:
                        yield item
                offset = None
            except Exception as exc:  # noqa: BLE001 - warcio on hostile bytes raises anything
                failures += 1
                at = records.offset
                yield ParseError(
                    f"{path}: record at byte {at} is not readable: {type(exc).__name__}: {exc}"[
                        :1000
                    ],
                    item=f"{path}@{at}",
                )
                offset = _next_record_start(fh, at + 1, gz) if failures < _MAX_FAILURES else None
    if not found and not failures:
        what = f"{seen} record(s), none an HTML response" if seen else "no records"
        yield ParseError(f"{path}: nothing to ingest in this archive: {what}", item=str(path))


_MAX_FAILURES = 100  # unreadable records in one archive before the rest is given up
_SCAN = 1 << 20


def _next_record_start(fh: IO[bytes], start: int, gz: bool) -> int | None:
    """Offset of the next gzip member (``.gz``) or ``WARC/1.`` line at or after ``start``."""
    marker = b"\x1f\x8b\x08" if gz else b"WARC/1."
    fh.seek(start)
    position, tail = start, b""
    while chunk := fh.read(_SCAN):
        window = tail + chunk
        hit = window.find(marker)
        if hit >= 0:
            return position - len(tail) + hit
        tail = window[-(len(marker) - 1) :]
        position += len(chunk)
    return None


def _guarded_record(record: Any, path: Path) -> Item | None:
    """``_from_archive_record``, with a failure of this record's body one error."""
    try:
        return _from_archive_record(record, path)
    except Exception as exc:  # noqa: BLE001 - warcio on hostile bytes raises anything
        where = f"{path}#{_header(record.rec_headers, 'WARC-Record-ID')}"
        return ParseError(f"{where}: unreadable record: {type(exc).__name__}: {exc}", item=where)


def _header(headers: Any, name: str) -> str:
    return _text(str(headers.get_header(name) or "")).strip() if headers is not None else ""


def _from_archive_record(record: Any, path: Path) -> Item | None:
    """The HTML response of one archive record (None: not one to ingest)."""
    from .fetch.charset import detect_charset, parse_content_type

    if record.rec_type != "response" or record.http_headers is None:
        return None
    url = _header(record.rec_headers, "WARC-Target-URI")
    if not _usable_url(url):
        url = ""
    where = f"{path}#{_header(record.rec_headers, 'WARC-Record-ID') or url}"
    media, declared = parse_content_type(_header(record.http_headers, "Content-Type"))
    if media not in HTML_TYPES:
        return None
    try:
        status = int(record.http_headers.get_statuscode() or 0)
    except ValueError:
        status = 0
    if not 200 <= status < 300:
        return None
    try:
        content = record.content_stream().read(MAX_RECORD_BYTES + 1)
    except (OSError, EOFError, zlib.error, ValueError) as exc:
        return ParseError(f"{where}: unreadable record body: {exc}", item=url or where)
    if len(content) > MAX_RECORD_BYTES:
        return ParseError(
            f"{where}: record larger than {MAX_RECORD_BYTES} bytes", item=url or where
        )
    if not content.strip():
        return None
    return RawDocument(
        url=url or synthetic_url(content),
        content=content,
        kind="html",
        final_url=url,
        status=status,
        content_type=media,
        charset=detect_charset(content, declared),
        fetched_at=parse_time(_header(record.rec_headers, "WARC-Date")),
        origin=where,
    )
