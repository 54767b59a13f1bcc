"""Every date manysides reads goes through ``parse``; every time it stores, through ``format``.

``parse`` is lenient in the ways news is: ISO 8601 (``Z`` allowed), RFC 2822
(``Mon, 18 May 2020 10:00:00 GMT``, US zone names included), US numeric dates
(``9/20/17``, month first), written-out dates (``May 18, 2020``) and WARC's
``20200518100000``. It returns an aware UTC datetime; a value without a zone is taken as
UTC. A string that names no year or no day ("12", "May 2020"), or no date at all, is not
a date: ``parse`` returns None and the caller reports the line.

Precision: a value with a date but no time of day ("2020-05-18", "May 18, 2020") parses
to midnight UTC, and ``is_day_only`` says so. Stored times keep that convention, so a
stored time whose clock reads ``DAY_ONLY_CLOCK`` came from a day-dated article, which was
published some time within that day (the briefing's replay windows rely on it).
"""

from __future__ import annotations

import warnings
from datetime import UTC, date, datetime, timedelta, timezone
from functools import lru_cache

__all__ = ["DAY_ONLY_CLOCK", "FORMATS", "end_of_day", "format", "is_day_only", "parse"]

# What ``parse`` reads, for messages that reject a value.
FORMATS = "ISO 8601, RFC 2822, 9/20/17 or May 18, 2020"

DAY_ONLY_CLOCK = "00:00:00"  # the clock of a stored day-dated time (``format``'s T..+00:00)

# Zone names RFC 2822 allows beside numeric offsets (dateutil knows only UTC/GMT/Z).
_ZONES = {
    name: timezone(timedelta(hours=hours), name)
    for name, hours in {
        "EST": -5,
        "EDT": -4,
        "CST": -6,
        "CDT": -5,
        "MST": -7,
        "MDT": -6,
        "PST": -8,
        "PDT": -7,
        "UT": 0,
    }.items()
}
# Two defaults that differ in every field: a field the string does not give shows up as
# a difference between the two parses.
_DEFAULT_A = datetime(2000, 1, 1, 0, 0, 0)
_DEFAULT_B = datetime(2001, 2, 2, 1, 1, 1)
_MAX_LEN = 100  # longer strings are not dates (and dateutil's cost grows with length)


def parse(value: str | datetime | date | None) -> datetime | None:
    """``value`` as an aware UTC datetime, or None when it is empty or not a date."""
    found = _parse(value)
    return found[0] if found else None


def is_day_only(value: str | datetime | date | None) -> bool:
    """Whether ``value`` is a date without a time of day (``2020-05-18``, ``9/20/17``)."""
    found = _parse(value)
    return bool(found and found[1])


def format(dt: datetime | None) -> str | None:  # noqa: A001 - times.format, the one writer
    """``dt`` in UTC as ISO 8601 to the second (naive values are taken as UTC); None stays."""
    if dt is None:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC).isoformat(timespec="seconds")


def end_of_day(dt: datetime) -> datetime:
    """The last second of ``dt``'s (UTC) day: where a window given by a bare date ends."""
    return dt.astimezone(UTC).replace(hour=23, minute=59, second=59, microsecond=0)


def _parse(value: str | datetime | date | None) -> tuple[datetime, bool] | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return _utc(value), False
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC), True
    if not isinstance(value, str):
        return None
    return _parse_text(value.strip())


@lru_cache(maxsize=4096)
def _parse_text(text: str) -> tuple[datetime, bool] | None:
    if not text or len(text) > _MAX_LEN:
        return None
    try:  # the common case, and the stored form: ISO 8601
        dt = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text)
    except ValueError:
        return _lenient(text)
    return _utc(dt), len(text) <= 10


def _lenient(text: str) -> tuple[datetime, bool] | None:
    from dateutil import parser

    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", parser.UnknownTimezoneWarning)
            a = parser.parse(text, default=_DEFAULT_A, tzinfos=_ZONES)
            b = parser.parse(text, default=_DEFAULT_B, tzinfos=_ZONES)
    except (ValueError, OverflowError, TypeError):
        return None
    if any(issubclass(w.category, parser.UnknownTimezoneWarning) for w in caught):
        return None  # a zone we cannot place ("CEST"): better no date than a wrong one
    if a.year != b.year or a.day != b.day or a.month != b.month:
        return None  # "12", "May 2020": not a day
    day_only = a.hour != b.hour  # no hour given (minutes and seconds may be left out)
    dt = a  # missing fields take _DEFAULT_A's zeros
    return _utc(dt), day_only


def _utc(dt: datetime) -> datetime:
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)
