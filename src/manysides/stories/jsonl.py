"""Parse the JSON lines that ``manysides cluster`` reads."""

from __future__ import annotations

import json
from datetime import datetime

from .. import times
from ..errors import ParseError
from .records import StoryInput


def parse_date(value: object) -> datetime | None:
    """A date or date-time as ``times.parse`` reads it (naive ones are UTC); empty or null
    is no date."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ParseError(f"'date' must be a string ({times.FORMATS}), not {value!r}")
    dt = times.parse(value)
    if dt is None:
        raise ParseError(f"'date' is not a date we can read: {value!r} (use {times.FORMATS})")
    return dt


def parse_line(line: str) -> StoryInput:
    """One input line ``{"id", "title", "text", "date"?, "source"?, "url"?}``."""
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ParseError(f"not valid JSON: {exc.msg} at column {exc.colno}") from None
    if not isinstance(data, dict):
        raise ParseError("a line must be a JSON object")
    item_id = data.get("id")
    if isinstance(item_id, bool) or not isinstance(item_id, str | int) or item_id == "":
        raise ParseError("missing or invalid 'id' (a string or an integer)")
    title, text = data.get("title", ""), data.get("text", "")
    if not isinstance(title, str) or not isinstance(text, str):
        raise ParseError("'title' and 'text' must be strings", item=str(item_id))
    if not (title.strip() or text.strip()):
        raise ParseError("both 'title' and 'text' are empty", item=str(item_id))
    source, url = data.get("source"), data.get("url")
    try:
        published = parse_date(data.get("date"))
    except ParseError as exc:
        raise ParseError(exc.message, item=str(item_id)) from None
    return StoryInput(
        id=item_id,
        title=title,
        text=text,
        published=published,
        source=source if isinstance(source, str) else None,
        url=url if isinstance(url, str) else None,
    )


def line_id(line: str) -> str | int | None:
    """The ``id`` of a line, if it has a usable one (for error rows)."""
    try:
        data = json.loads(line)
    except json.JSONDecodeError:
        return None
    item_id = data.get("id") if isinstance(data, dict) else None
    return item_id if isinstance(item_id, str | int) and not isinstance(item_id, bool) else None
