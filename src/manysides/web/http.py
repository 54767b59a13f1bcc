"""HTTP caching semantics for every GET route (pure ASGI middleware).

- ``HeadAsGet``: ``HEAD`` is answered as the route's ``GET`` with the body dropped (the
  headers, ``content-length`` included, are the GET's), so every GET route takes HEAD.
- ``Validators``: a successful GET gets a weak ``ETag`` (a hash of its body) unless the
  route set one; ``If-None-Match`` (or, without it, ``If-Modified-Since`` against the
  route's ``Last-Modified``) answers ``304 Not Modified`` with no body.

Compression is Starlette's ``GZipMiddleware``, mounted between the two (``create_app``),
so validators hash the identity body and stay stable whatever the encoding. Cached pages
and bodies skip both per-request costs: ``prepared_response`` sends a ``cache.Prepared``
(gzipped and validated once, when it was cached) with its ``ETag``, ``Vary`` and
``Content-Encoding`` set, which both middlewares then pass through.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from email.utils import format_datetime
from typing import TYPE_CHECKING, Any

from ..times import parse as parse_time
from .cache import Prepared, weak_etag

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# Headers a 304 repeats from the 200 it stands for (RFC 9110 §15.4.5).
_KEEP_ON_304 = frozenset(
    {b"cache-control", b"content-location", b"date", b"etag", b"expires", b"last-modified", b"vary"}
)


def http_date(iso: str | None) -> str | None:
    """An HTTP date (``Last-Modified``) from a stored ISO timestamp; None if unparsable."""
    dt = parse_time(iso)
    return format_datetime(dt.replace(microsecond=0), usegmt=True) if dt else None


def accepts_gzip(accept_encoding: str | None) -> bool:
    """Whether an ``Accept-Encoding`` value accepts gzip (``gzip;q=0`` refuses it)."""
    for part in (accept_encoding or "").lower().split(","):
        coding, *params = (p.strip() for p in part.split(";"))
        if coding not in ("gzip", "x-gzip", "*"):
            continue
        q = next((p[2:] for p in params if p.startswith("q=")), "1")
        try:
            return float(q) > 0
        except ValueError:
            return False
    return False


def prepared_response(
    request: Request,
    prepared: Prepared,
    media_type: str,
    headers: Mapping[str, str] | None = None,
    status: int = 200,
) -> Response:
    """``prepared`` as a response: its gzip when the client accepts it, its ETag."""
    from starlette.responses import Response

    out = dict(headers or {}) | {"etag": prepared.etag, "vary": "Accept-Encoding"}
    body = prepared.body
    if prepared.gzipped is not None and accepts_gzip(request.headers.get("accept-encoding")):
        body = prepared.gzipped
        out["content-encoding"] = "gzip"
    return Response(body, status_code=status, media_type=media_type, headers=out)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return value.decode("latin-1")
    return None


def _etag_matches(if_none_match: str, etag: str) -> bool:
    """Weak comparison (RFC 9110 §13.1.2): ``W/`` prefixes are ignored."""
    if if_none_match.strip() == "*":
        return True
    bare = etag.removeprefix("W/")
    return any(t.strip().removeprefix("W/") == bare for t in if_none_match.split(","))


def _not_modified_since(if_modified_since: str, last_modified: str) -> bool:
    since, modified = parse_time(if_modified_since), parse_time(last_modified)
    return since is not None and modified is not None and modified <= since


class HeadAsGet:
    """Answer ``HEAD`` with the headers of the route's ``GET`` and an empty body."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if not message.get("more_body", False):
                    await send({"type": "http.response.body", "body": b"", "more_body": False})
                return
            await send(message)

        await self.app(dict(scope, method="GET"), receive, send_headers_only)


class Validators:
    """Weak ETags on successful GETs, and ``304`` for matching conditional requests."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        if_none_match = _header(scope, b"if-none-match")
        if_modified_since = None if if_none_match else _header(scope, b"if-modified-since")
        start: Message | None = None
        chunks: list[bytes] = []

        async def buffered(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                if message["status"] != 200:
                    await send(message)
                    return
                start = message
                return
            if start is None or message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            await self._finish(start, b"".join(chunks), if_none_match, if_modified_since, send)

        await self.app(scope, receive, buffered)

    @staticmethod
    async def _finish(
        start: Message,
        body: bytes,
        if_none_match: str | None,
        if_modified_since: str | None,
        send: Send,
    ) -> None:
        headers = list(start.get("headers", []))
        found = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in headers}
        etag = found.get("etag")
        if etag is None:
            etag = weak_etag(body)
            headers.append((b"etag", etag.encode()))
        last_modified = found.get("last-modified")
        fresh = (if_none_match is not None and _etag_matches(if_none_match, etag)) or (
            if_modified_since is not None
            and last_modified is not None
            and _not_modified_since(if_modified_since, last_modified)
        )
        if fresh:
            kept = [(k, v) for k, v in headers if k.lower() in _KEEP_ON_304]
            await send({"type": "http.response.start", "status": 304, "headers": kept})
            await send({"type": "http.response.body", "body": b"", "more_body": False})
            return
        await send(dict(start, headers=headers))
        await send({"type": "http.response.body", "body": body, "more_body": False})
