"""The asynchronous HTTP fetcher.

``Fetcher`` wraps one ``httpx.AsyncClient`` and adds what a polite, safe news crawler
needs: global and per-host concurrency limits, a per-host delay (raised to robots.txt's
Crawl-delay, capped), robots.txt, conditional GET, retries with exponential backoff on
429/5xx and connection errors (honouring Retry-After), a total deadline per attempt
(so a server that trickles bytes cannot hold a slot forever), a maximum body size,
manual redirects with every hop re-checked by the address guard, and charset detection.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Literal
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

from ..config import FetchConfig
from ..errors import BlockedURLError, FetchError, ParseError
from ..records import FetchResult
from ..times import parse as parse_time
from .charset import detect_charset, parse_content_type
from .robots import RobotsCache
from .safety import check_url, split_host

Kind = Literal["page", "feed", "any"]

REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
RETRY_CODES = frozenset({429, 500, 502, 503, 504})
PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/xml", "application/xml")
ACCEPT = {
    "page": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
    "feed": "application/rss+xml,application/atom+xml,application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.5",
    "any": "*/*",
}


class HTTPStatusError(FetchError):
    """The server answered with an error status (after any retries)."""

    def __init__(self, message: str, *, status: int, item: str | None = None) -> None:
        super().__init__(message, item=item)
        self.status = status


@dataclass
class _HostSlot:
    semaphore: asyncio.Semaphore
    lock: asyncio.Lock
    next_start: float = 0.0


@dataclass
class _Raw:
    status: int
    headers: httpx.Headers
    content: bytes


def strip_fragment(url: str) -> str:
    try:
        parts = urlsplit(url.strip())
    except ValueError as exc:
        raise BlockedURLError(f"malformed URL {url!r}: {exc}", item=url) from None
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, ""))


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or HTTP-date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    when = parse_time(value)
    if when is None:
        return None
    current = now if now is not None else time.time()
    return max(0.0, when.timestamp() - current)


class Fetcher:
    """``async with Fetcher(cfg) as f: res = await f.get(url)``."""

    def __init__(
        self, config: FetchConfig, *, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        self.config = config
        self._transport = transport
        self._client: httpx.AsyncClient | None = None
        self._global = asyncio.Semaphore(config.concurrency)
        self._hosts: dict[str, _HostSlot] = {}
        self._robots = RobotsCache(self._load_robots, config.user_agent)
        self.guarded = False  # True once the connect-time address guard is installed

    async def __aenter__(self) -> Fetcher:
        cfg = self.config
        timeout = httpx.Timeout(
            connect=cfg.connect_timeout,
            read=cfg.read_timeout,
            write=cfg.read_timeout,
            pool=cfg.total_timeout,
        )
        transport = self._transport
        if transport is None:
            from .guard import guard_transport

            limits = httpx.Limits(max_connections=cfg.concurrency, max_keepalive_connections=8)
            default = httpx.AsyncHTTPTransport(limits=limits, trust_env=False)
            self.guarded = guard_transport(default, cfg)
            transport = default
        self._client = httpx.AsyncClient(
            transport=transport,
            timeout=timeout,
            follow_redirects=False,
            headers={"User-Agent": cfg.user_agent, "Accept-Language": "en;q=1.0, *;q=0.5"},
            limits=httpx.Limits(max_connections=cfg.concurrency, max_keepalive_connections=8),
            trust_env=False,
        )
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    # -- public ------------------------------------------------------------------------
    async def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        kind: Kind = "page",
    ) -> FetchResult:
        """Fetch one URL. ``kind="page"`` rejects non-text content; feeds accept any type.

        Returns a ``FetchResult`` (``not_modified=True`` on 304); raises ``FetchError`` or
        ``BlockedURLError`` with a one-line message otherwise.
        """
        start_url = strip_fragment(url)
        headers = {"Accept": ACCEPT[kind]}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        raw, final_url, hops = await self._follow(
            start_url, headers, robots=self.config.respect_robots
        )
        fetched_at = datetime.now(UTC)
        flat = {k.lower(): v for k, v in raw.headers.items()}
        content_type, declared = parse_content_type(flat.get("content-type", ""))
        if raw.status == 304:
            return FetchResult(
                url=start_url,
                final_url=final_url,
                status=304,
                headers=flat,
                content=b"",
                content_type=content_type,
                charset=None,
                fetched_at=fetched_at,
                not_modified=True,
                redirects=hops,
            )
        if not 200 <= raw.status < 300:
            raise HTTPStatusError(
                f"HTTP {raw.status} for {final_url}", status=raw.status, item=start_url
            )
        if kind == "page":
            check_page_type(content_type, raw.content, final_url)
        charset = detect_charset(raw.content, declared) if kind != "any" else declared
        return FetchResult(
            url=start_url,
            final_url=final_url,
            status=raw.status,
            headers=flat,
            content=raw.content,
            content_type=content_type,
            charset=charset,
            fetched_at=fetched_at,
            redirects=hops,
        )

    async def post_json(
        self, url: str, payload: Any, *, headers: dict[str, str] | None = None
    ) -> Any:
        """POST ``payload`` as JSON to an API endpoint and return the decoded JSON answer.

        The same guard, timeouts, retries (429/5xx, connection failures), size cap and
        per-host limits as ``get``; no robots.txt (an API, not a page) and no redirects
        (a redirected POST is refused). Raises ``FetchError`` or ``ParseError``.
        """
        target = strip_fragment(url)
        await check_url(target, self.config)
        body = json.dumps(payload).encode("utf-8")
        sent = {"Content-Type": "application/json", "Accept": "application/json"}
        raw = await self._request(target, sent | (headers or {}), method="POST", body=body)
        if not 200 <= raw.status < 300:
            raise HTTPStatusError(f"HTTP {raw.status} for {target}", status=raw.status, item=url)
        try:
            return json.loads(raw.content)
        except (ValueError, UnicodeDecodeError):
            raise ParseError(f"{target} did not answer with JSON", item=url) from None

    # -- redirects, guard, robots ------------------------------------------------------
    async def _follow(
        self, url: str, headers: dict[str, str], *, robots: bool
    ) -> tuple[_Raw, str, tuple[tuple[int, str], ...]]:
        """The final response, its URL and the (status, target) of each redirect."""
        seen = {url}
        current = url
        hops = 0
        chain: list[tuple[int, str]] = []
        while True:
            await check_url(current, self.config)
            if robots:
                ok, reason, unreachable = await self._robots.allowed(current)
                if unreachable:
                    raise FetchError(f"cannot fetch {current}: {reason}", item=url)
                if not ok:
                    raise BlockedURLError(f"robots.txt forbids {current}: {reason}", item=url)
            raw = await self._request(current, headers)
            location = raw.headers.get("location")
            if raw.status not in REDIRECT_CODES or not location:
                return raw, current, tuple(chain)
            hops += 1
            target = strip_fragment(urljoin(current, location.strip()))
            if target in seen:
                raise FetchError(f"redirect loop at {current} -> {target}", item=url)
            if hops > self.config.max_redirects:
                raise FetchError(
                    f"too many redirects (more than {self.config.max_redirects}) from {url}",
                    item=url,
                )
            split_host(target)  # scheme check with a clear message before anything else
            seen.add(target)
            chain.append((raw.status, target))
            current = target

    async def _load_robots(self, robots_url: str) -> tuple[int, bytes]:
        raw, _final, _hops = await self._follow(robots_url, {"Accept": "text/plain"}, robots=False)
        return raw.status, raw.content

    # -- one request with retries --------------------------------------------------------
    async def _request(
        self, url: str, headers: dict[str, str], *, method: str = "GET", body: bytes | None = None
    ) -> _Raw:
        cfg = self.config
        attempts = cfg.retries + 1
        for attempt in range(attempts):
            last = attempt == attempts - 1
            try:
                raw = await self._attempt(url, headers, method, body)
            except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
                if last:
                    raise FetchError(
                        f"cannot connect to {url} after {attempts} attempt(s): {_why(exc)}",
                        item=url,
                    ) from None
                await asyncio.sleep(self._backoff(attempt))
                continue
            if raw.status in RETRY_CODES and not last:
                wait = retry_after_seconds(raw.headers.get("retry-after"))
                if wait is None:
                    wait = self._backoff(attempt)
                await asyncio.sleep(min(wait, cfg.max_retry_after))
                continue
            if raw.status in RETRY_CODES:
                raise HTTPStatusError(
                    f"HTTP {raw.status} for {url} after {attempts} attempt(s)",
                    status=raw.status,
                    item=url,
                )
            return raw
        raise AssertionError("unreachable")  # pragma: no cover

    def _backoff(self, attempt: int) -> float:
        return min(self.config.backoff * (2**attempt), self.config.max_retry_after)

    async def _attempt(
        self, url: str, headers: dict[str, str], method: str = "GET", body: bytes | None = None
    ) -> _Raw:
        assert self._client is not None, "use 'async with Fetcher(...)'"
        _scheme, host, port = split_host(url)
        slot = self._hosts.setdefault(
            f"{host}:{port}",
            _HostSlot(asyncio.Semaphore(self.config.per_host_concurrency), asyncio.Lock()),
        )
        async with self._global, slot.semaphore:
            await self._wait_turn(slot, url)
            try:
                async with asyncio.timeout(self.config.total_timeout):
                    return await self._send(url, headers, method, body)
            except TimeoutError:
                raise FetchError(
                    f"timed out after {self.config.total_timeout:g}s in total fetching {url}",
                    item=url,
                ) from None
            except (httpx.ConnectError, httpx.ConnectTimeout):
                raise
            except httpx.TimeoutException as exc:
                raise FetchError(f"timed out fetching {url}: {_why(exc)}", item=url) from None
            except (httpx.HTTPError, httpx.InvalidURL, httpx.StreamError) as exc:
                raise FetchError(f"HTTP failure fetching {url}: {_why(exc)}", item=url) from None

    async def _wait_turn(self, slot: _HostSlot, url: str) -> None:
        delay = self.config.per_host_delay
        if self.config.respect_robots and not url.endswith("/robots.txt"):
            delay = max(delay, await self._robots.crawl_delay(url))
        loop = asyncio.get_running_loop()
        async with slot.lock:
            now = loop.time()
            wait = max(0.0, slot.next_start - now)
            slot.next_start = max(now, slot.next_start) + delay
        if wait:
            await asyncio.sleep(wait)

    async def _send(
        self, url: str, headers: dict[str, str], method: str = "GET", body: bytes | None = None
    ) -> _Raw:
        assert self._client is not None
        limit = self.config.max_bytes
        async with self._client.stream(method, url, headers=headers, content=body) as response:
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > limit:
                raise FetchError(
                    f"response too large: {url} declares {int(declared)} bytes"
                    f" (limit fetch.max_bytes = {limit})",
                    item=url,
                )
            chunks: list[bytes] = []
            size = 0
            if response.status_code not in REDIRECT_CODES and response.status_code != 304:
                async for chunk in response.aiter_bytes():
                    size += len(chunk)
                    if size > limit:
                        raise FetchError(
                            f"response too large: {url} exceeded {limit} bytes"
                            " (limit fetch.max_bytes)",
                            item=url,
                        )
                    chunks.append(chunk)
            return _Raw(response.status_code, response.headers, b"".join(chunks))


def _why(exc: BaseException) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def check_page_type(content_type: str, content: bytes, url: str) -> None:
    """Reject binary bodies for article pages (images, PDFs, archives, octet streams)."""
    if content_type:
        if content_type in PAGE_TYPES or content_type.endswith("+xml"):
            return
        raise FetchError(f"not an HTML page: {url} is {content_type}", item=url)
    if b"\x00" in content[:2048]:
        raise FetchError(f"not an HTML page: {url} has binary content", item=url)
