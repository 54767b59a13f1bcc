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
from .records import RawDocument

MAX_FILE_BYTES = 50_000_000
MAX_RECORD_BYTES = 20_000_000
HTML_TYPES = ("text/html", "application/xhtml+xml")
HINT_KEYS = ("title", "date", "source", "source_url", "authors", "language")

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
            yield from _iter_file(file)


def input_files(paths: Sequence[Path]) -> Iterator[Path | ParseError]:
    """The files ``iter_inputs`` reads, in its order: folders walked sorted, hidden entries
    skipped; a missing path comes out as a ``ParseError``."""
    for path in paths:
        path = Path(path)
        if path.is_dir():
            yield from _walk(path)
        elif path.exists():
            yield path
        else:
            yield ParseError(f"{path}: no such file or folder", item=str(path))


def _walk(folder: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(root) / name


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
    return url if url.startswith(("http://", "https://")) else None


def _hint(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(v).strip() for v in value if str(v).strip())
    return str(value).strip()


def _iter_jsonl(path: Path, gz: bool) -> Iterator[Item]:
    with _open(path, gz) as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                record = json.loads(line)
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                yield ParseError(f"{where}: not valid JSON: {exc}", item=where)
                continue
            yield _from_record(record, where)


def _from_record(record: Any, where: str) -> Item:
    if not isinstance(record, dict):
        return ParseError(f"{where}: record is not a JSON object", item=where)
    html, text = record.get("html"), record.get("text")
    if isinstance(html, str) and html.strip():
        content, kind = html.encode("utf-8"), "html"
    elif isinstance(text, str) and text.strip():
        content, kind = text.encode("utf-8"), "text"
    else:
        return ParseError(f"{where}: record has neither 'html' nor 'text'", item=where)
    url = record.get("url")
    if not isinstance(url, str) or not url.strip().lower().startswith(("http://", "https://")):
        # missing, or a scheme we never link to (javascript:, data:, file:, ...)
        url = synthetic_url(content)
    hints = {k: _hint(record[k]) for k in HINT_KEYS if record.get(k) not in (None, "", [])}
    return RawDocument(
        url=url.strip(),
        content=content,
        kind=kind,  # type: ignore[arg-type]
        content_type="text/html" if kind == "html" else "text/plain",
        charset="utf-8",
        origin=where,
        hints=hints,
    )


def _warc_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        dt = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        try:
            dt = datetime.strptime(value.strip(), "%Y%m%d%H%M%S")
        except ValueError:
            return None
    return (dt if dt.tzinfo else dt.replace(tzinfo=UTC)).astimezone(UTC)


def _looks_like_archive(path: Path) -> bool:
    with open(path, "rb") as fh:
        head = fh.read(2)
        fh.seek(0)
        stream: IO[bytes] = gzip.GzipFile(fileobj=fh) if head == b"\x1f\x8b" else fh
        start = stream.read(16).lstrip()
    return start.startswith((b"WARC/", b"filedesc://"))


def _iter_archive(path: Path) -> Iterator[Item]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    from .fetch.charset import detect_charset, parse_content_type

    if not _looks_like_archive(path):
        yield ParseError(
            f"{path}: not a readable WARC/ARC archive (no 'WARC/' or 'filedesc://' header)",
            item=str(path),
        )
        return
    with open(path, "rb") as fh:
        try:
            for record in ArchiveIterator(fh, arc2warc=True):
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                url = (record.rec_headers.get_header("WARC-Target-URI") or "").strip()
                record_id = record.rec_headers.get_header("WARC-Record-ID") or url
                where = f"{path}#{record_id}"
                media, declared = parse_content_type(
                    record.http_headers.get_header("Content-Type") or ""
                )
                if media not in HTML_TYPES:
                    continue
                try:
                    status = int(record.http_headers.get_statuscode() or 0)
                except ValueError:
                    status = 0
                if not 200 <= status < 300:
                    continue
                try:
                    content = record.content_stream().read(MAX_RECORD_BYTES + 1)
                except (OSError, EOFError, zlib.error, ValueError) as exc:
                    yield ParseError(f"{where}: unreadable record body: {exc}", item=url or where)
                    continue
                if len(content) > MAX_RECORD_BYTES:
                    yield ParseError(
                        f"{where}: record larger than {MAX_RECORD_BYTES} bytes", item=url
                    )
                    continue
                if not content.strip():
                    continue
                yield RawDocument(
                    url=url or synthetic_url(content),
                    content=content,
                    kind="html",
                    final_url=url,
                    status=status,
                    content_type=media,
                    charset=detect_charset(content, declared),
                    fetched_at=_warc_date(record.rec_headers.get_header("WARC-Date")),
                    origin=where,
                )
        except ArchiveLoadFailed as exc:
            yield ParseError(f"{path}: not a readable WARC/ARC archive: {exc}", item=str(path))
