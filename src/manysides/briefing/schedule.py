"""Pure scheduling arithmetic for ``manysides run``: intervals, build time, next wake-up."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from ..errors import UserError

_PART = re.compile(r"(\d+(?:\.\d+)?)\s*([hms])", re.IGNORECASE)
_UNIT = {"h": 3600.0, "m": 60.0, "s": 1.0}
MIN_INTERVAL = 10.0


def parse_interval(text: str) -> float:
    """``"1h"``, ``"30m"``, ``"1h30m"``, ``"90s"`` or plain seconds, as seconds."""
    raw = (text or "").strip().lower()
    if re.fullmatch(r"\d+(?:\.\d+)?", raw):
        seconds = float(raw)
    else:
        parts = _PART.findall(raw)
        if not parts or _PART.sub("", raw).strip():
            raise UserError(f"bad interval {text!r}: use e.g. 1h, 30m, 1h30m or 90s")
        seconds = sum(float(n) * _UNIT[u.lower()] for n, u in parts)
    if seconds < MIN_INTERVAL:
        raise UserError(f"interval {text!r} is too short (at least {MIN_INTERVAL:g} s)")
    return seconds


def parse_clock(text: str) -> time:
    """``"HH:MM"`` (24 h) as a time."""
    m = re.fullmatch(r"(\d{1,2}):(\d{2})", (text or "").strip())
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        raise UserError(f"bad time {text!r}: use HH:MM, e.g. 06:00")
    return time(int(m.group(1)), int(m.group(2)))


def briefing_due(now_local: datetime, build_at: time, last_built: date | None) -> bool:
    """Build now? Once per local day, at or after ``build_at``."""
    return now_local.time() >= build_at and last_built != now_local.date()


def seconds_until(now_local: datetime, build_at: time) -> float:
    """Seconds until the next ``build_at`` (today's if still ahead, else tomorrow's)."""
    target = now_local.replace(hour=build_at.hour, minute=build_at.minute, second=0, microsecond=0)
    if target <= now_local:
        target += timedelta(days=1)
    return (target - now_local).total_seconds()


def next_sleep(now_local: datetime, every: float, build_at: time) -> float:
    """Sleep a full interval, but wake up in time for the daily build."""
    return max(1.0, min(every, seconds_until(now_local, build_at)))
