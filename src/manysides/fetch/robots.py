"""robots.txt rules, fetched once per host and cached for the fetcher's lifetime.

Following RFC 9309: a 4xx robots.txt (missing) allows everything; a 5xx or an
unreachable robots.txt disallows everything on that host for this run. The rules are
read by Protego: the most specific (longest) matching Allow/Disallow rule wins, with
``*`` and ``$`` wildcards (the standard library's parser takes the first match).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from protego import Protego

MAX_ROBOTS_BYTES = 512_000
MAX_CRAWL_DELAY = 10.0

# (robots_url) -> (status, body); raises on network failure
RobotsLoader = Callable[[str], Awaitable[tuple[int, bytes]]]


@dataclass(frozen=True)
class RobotsRules:
    parser: Protego | None  # None: blanket rule below
    allow_all: bool
    reason: str = ""
    unreachable: bool = False  # robots.txt could not be fetched at all (network failure)

    def allowed(self, agent: str, url: str) -> bool:
        if self.parser is None:
            return self.allow_all
        return self.parser.can_fetch(url, agent)

    def crawl_delay(self, agent: str) -> float:
        if self.parser is None:
            return 0.0
        try:
            delay = self.parser.crawl_delay(agent)
        except (ValueError, TypeError):
            return 0.0
        return min(float(delay or 0.0), MAX_CRAWL_DELAY)


def parse_robots(body: bytes) -> RobotsRules:
    from protego import Protego

    text = body[:MAX_ROBOTS_BYTES].decode("utf-8", errors="replace")
    return RobotsRules(Protego.parse(text), allow_all=True)


def robots_url(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/robots.txt"


class RobotsCache:
    """Per-host robots rules; concurrent lookups for one host share one fetch."""

    def __init__(self, loader: RobotsLoader, agent: str) -> None:
        self._loader = loader
        self._agent = agent.split("/", 1)[0].split()[0] if agent.strip() else "*"
        self._rules: dict[str, RobotsRules] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    @property
    def agent(self) -> str:
        return self._agent

    async def rules(self, url: str) -> RobotsRules:
        key = robots_url(url)
        if key in self._rules:
            return self._rules[key]
        lock = self._locks.setdefault(key, asyncio.Lock())
        async with lock:
            if key not in self._rules:
                self._rules[key] = await self._load(key)
        return self._rules[key]

    async def _load(self, key: str) -> RobotsRules:
        from ..errors import BlockedURLError, FetchError

        try:
            status, body = await self._loader(key)
        except BlockedURLError:
            raise
        except FetchError as exc:
            status = getattr(exc, "status", None)
            if status is not None:  # an error status that survived the retries
                return RobotsRules(
                    None, allow_all=False, reason=f"robots.txt answered HTTP {status}"
                )
            return RobotsRules(None, allow_all=False, reason=exc.message, unreachable=True)
        if 200 <= status < 300:
            return parse_robots(body)
        if 400 <= status < 500:
            return RobotsRules(None, allow_all=True)
        return RobotsRules(None, allow_all=False, reason=f"robots.txt answered HTTP {status}")

    async def allowed(self, url: str) -> tuple[bool, str, bool]:
        """(allowed, reason, host unreachable) for fetching this URL."""
        rules = await self.rules(url)
        ok = rules.allowed(self._agent, url)
        reason = "" if ok else (rules.reason or f"disallowed by {robots_url(url)}")
        return ok, reason, rules.unreachable

    async def crawl_delay(self, url: str) -> float:
        return (await self.rules(url)).crawl_delay(self._agent)
