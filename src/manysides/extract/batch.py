"""JSON Lines in, JSON Lines out: the engine behind ``manysides extract``.

Input lines are ``{"id", "url"?, "html"}`` or ``{"id", "text"}``; every input line gives
exactly one output line ``{"id", "title", "authors", "date", "site", "language", "text"}``
(plus ``"error"`` when nothing usable came out, and ``"removed"`` with ``explain``), in
input order. Work is spread over the worker pool (``manysides.workers``) in chunks; the
parent only reads and writes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

from ..config import ExtractConfig
from ..errors import ManysidesError
from ..records import RawDocument
from ..workers import WorkerPool

__all__ = ["BatchOptions", "process_line", "run_lines"]

_CHUNK = 4  # lines per task sent to a worker
_WINDOW = 64  # tasks in flight per worker (bounds memory on huge inputs)


@dataclass(frozen=True, slots=True)
class BatchOptions:
    config: ExtractConfig
    explain: bool = False


def _record(data: Any) -> RawDocument:
    if not isinstance(data, dict):
        raise ValueError("input line is not a JSON object")
    url = str(data.get("url") or "")
    hints = {k: str(data[k]) for k in ("title", "date", "source", "language") if data.get(k)}
    if isinstance(data.get("authors"), list):
        hints["authors"] = ", ".join(str(a) for a in data["authors"])
    if isinstance(data.get("html"), str):
        doc = RawDocument(url=url, content=data["html"].encode("utf-8"), kind="html", hints=hints)
    elif isinstance(data.get("text"), str):
        doc = RawDocument(url=url, content=data["text"].encode("utf-8"), kind="text", hints=hints)
    else:
        raise ValueError('input line has neither an "html" nor a "text" string')
    doc.charset = "utf-8"
    return doc


def process_line(line: str, options: BatchOptions) -> str:
    """One input line to one output line (never raises for bad input)."""
    from . import extract, extract_explained

    out: dict[str, Any] = {
        "id": None,
        "title": "",
        "authors": [],
        "date": "",
        "site": "",
        "language": "",
        "text": "",
    }
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        out["error"] = f"malformed JSON line: {exc.msg} (column {exc.colno})"
        return json.dumps(out, ensure_ascii=False)
    out["id"] = data.get("id") if isinstance(data, dict) else None
    try:
        doc = _record(data)
    except ValueError as exc:
        out["error"] = str(exc)
        return json.dumps(out, ensure_ascii=False)
    try:
        if options.explain:
            found, removed = extract_explained(doc, options.config)
            out["removed"] = [{"text": r.text, "rule": r.rule} for r in removed]
            if isinstance(found, ManysidesError):
                raise found
            article = found
        else:
            article = extract(doc, options.config)
        out.update(
            title=article.title,
            authors=list(article.authors),
            date=article.published.isoformat() if article.published else "",
            site=article.site,
            language=article.language,
            text=article.text,
        )
    except ManysidesError as exc:
        out["error"] = exc.message
    except Exception as exc:  # a crash on one page must not end the run
        out["error"] = f"extraction crashed: {type(exc).__name__}: {exc}"
    return json.dumps(out, ensure_ascii=False)


def run_lines(lines: Iterable[str], options: BatchOptions, pool: WorkerPool) -> Iterator[str]:
    """Output lines for the non-blank input lines, in input order, over the pool's workers."""
    wanted = (line for line in lines if line.strip())
    yield from pool.map(
        partial(process_line, options=options),
        wanted,
        chunksize=_CHUNK,
        window=pool.processes * _WINDOW,
    )
