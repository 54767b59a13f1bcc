"""ISO 8601 times as the store keeps them: UTC, to the second."""

from __future__ import annotations

from datetime import UTC, datetime


def iso_utc(dt: datetime | None) -> str | None:
    """``dt`` in UTC as ISO 8601 to the second (naive values are taken as UTC); None stays."""
    if dt is None:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC).isoformat(timespec="seconds")


def parse_utc(value: str | None) -> datetime | None:
    """ISO 8601 (``Z`` allowed) to an aware UTC datetime, naive taken as UTC; None if bad."""
    if not value:
        return None
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def parse_iso(value: str | None) -> datetime | None:
    """A stored ISO 8601 time, as written; None when empty or not ISO 8601."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None
