"""Feed health: what one fetch of each feed says about it, as a report users can act on.

``manysides sources check`` fetches every feed once (the normal fetcher: robots.txt,
per-host limits and delays, retries) and turns each outcome into a ``FeedHealth``
(``judge``); ``--report FILE`` writes them as JSON (``report_dict``), and
``manysides sources prune FILE`` reads that file back (``read_report``) to mark the
dead feeds in the user's catalog, with the reason, so that runs skip them.

States, the first that applies:

* ``dead``: the fetch failed (HTTP error, no connection, robots.txt refusal, not a feed)
  or the feed lists no item;
* ``stale``: its newest dated item is older than ``sources.stale_days``;
* ``moved``: it answered after permanent redirects only (301/308): the catalog should
  list the final URL;
* ``redirected``: it answered after a temporary redirect;
* ``ok``.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from . import times
from .errors import UserError

STATES = ("dead", "stale", "moved", "redirected", "ok")
PERMANENT = frozenset({301, 308})
REPORT_FORMAT = "manysides feed health report 1"


@dataclass(frozen=True, slots=True)
class FeedHealth:
    source: str
    url: str
    kind: str  # feed | sitemap
    state: str  # one of STATES
    reason: str  # one line: why this state
    status: int | None
    final_url: str
    redirects: tuple[tuple[int, str], ...]
    items: int
    last_item: str | None  # ISO 8601 UTC of the newest dated item
    seconds: float


def judge(
    *,
    source: str,
    url: str,
    kind: str,
    status: int | None,
    error: str | None,
    final_url: str,
    redirects: Sequence[tuple[int, str]],
    dates: Sequence[datetime | None],
    now: datetime,
    stale_days: int,
    seconds: float = 0.0,
) -> FeedHealth:
    """The health of one fetched feed (see the module docstring for the states)."""
    newest = max((d for d in dates if d is not None), default=None)
    last = times.format(newest) if newest else None
    hops = tuple((int(s), str(u)) for s, u in redirects)
    if error is not None:
        state, reason = "dead", error
    elif not dates:
        state, reason = "dead", "the feed lists no item"
    elif newest is not None and newest < now - timedelta(days=stale_days):
        age = (now - newest).days
        state, reason = "stale", f"newest item {age} days old (sources.stale_days = {stale_days})"
    elif hops and all(s in PERMANENT for s, _ in hops):
        state, reason = "moved", f"moved permanently to {final_url}"
    elif hops:
        state, reason = "redirected", f"redirected ({hops[-1][0]}) to {final_url}"
    else:
        state, reason = "ok", ""
    return FeedHealth(
        source=source,
        url=url,
        kind=kind,
        state=state,
        reason=reason,
        status=status,
        final_url=final_url or url,
        redirects=hops,
        items=len(dates),
        last_item=last,
        seconds=round(seconds, 3),
    )


def report_dict(feeds: Sequence[FeedHealth], *, checked_at: datetime, stale_days: int) -> dict:
    counts = Counter(f.state for f in feeds)
    return {
        "format": REPORT_FORMAT,
        "checked_at": times.format(checked_at),
        "stale_days": stale_days,
        "counts": {s: counts.get(s, 0) for s in STATES},
        "feeds": [asdict(f) | {"redirects": [list(r) for r in f.redirects]} for f in feeds],
    }


def read_report(path: Path) -> tuple[str, list[FeedHealth]]:
    """(checked_at, feeds) of a report written by ``sources check --report``."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UserError(f"cannot read {path}: {exc.strerror or exc}") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise UserError(f"{path} is not a JSON report: {exc}") from None
    if not isinstance(data, dict) or data.get("format") != REPORT_FORMAT:
        raise UserError(f"{path} is not a report of 'manysides sources check --report'")
    out: list[FeedHealth] = []
    try:
        for f in data["feeds"]:
            if f["state"] not in STATES:
                raise ValueError(f"unknown state {f['state']!r}")
            out.append(
                FeedHealth(
                    **{k: f[k] for k in FeedHealth.__slots__ if k != "redirects"},
                    redirects=tuple((int(s), str(u)) for s, u in f["redirects"]),
                )
            )
    except (KeyError, TypeError, ValueError) as exc:
        raise UserError(f"{path}: a damaged feed entry ({exc})") from None
    return str(data.get("checked_at", "")), out


def report_json(report: dict[str, Any]) -> str:
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"
