"""A reusable local HTTP server for tests: fixture routes plus misbehaviour on demand.

Usage (import the fixture into your test module)::

    from httpserver import LocalServer, Reply, http_server  # noqa: F401

    def test_something(http_server: LocalServer) -> None:
        http_server.route("/feed.xml", Reply(body=FEED, content_type="application/rss+xml"))
        http_server.route("/flaky", [Reply(status=503, headers={"Retry-After": "0"}), Reply(body="ok")])
        http_server.redirect("/old", "/new")
        url = http_server.url("/feed.xml")
        ...
        assert http_server.hits("/flaky") == 2

A route maps a path (query included if given, else the path alone) to a ``Reply``, a list
of replies served in turn (the last one repeats), or a callable ``(Request) -> Reply``.
Unknown paths answer 404, including ``/robots.txt`` unless routed. ``Reply`` supports
a delay before the headers, trickling the body (slow loris), ETag / Last-Modified
validators that answer 304 to matching conditional requests, gzip, and raw headers.
The server runs in a daemon thread on 127.0.0.1 with a random port.
"""

from __future__ import annotations

import gzip as gzip_mod
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest


@dataclass
class Reply:
    status: int = 200
    body: bytes | str = b""
    content_type: str | None = "text/html; charset=utf-8"  # None: no Content-Type header
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before the status line
    trickle: float = 0.0  # seconds between body chunks (slow loris)
    chunk: int = 16  # bytes per trickled chunk
    etag: str | None = None  # answer 304 when If-None-Match matches
    last_modified: str | None = None  # answer 304 when If-Modified-Since equals it
    gzip: bool = False
    content_length: bool = True  # False: close-delimited body, no Content-Length

    def payload(self) -> bytes:
        data = self.body.encode("utf-8") if isinstance(self.body, str) else self.body
        return gzip_mod.compress(data) if self.gzip else data


@dataclass(frozen=True)
class Request:
    method: str
    path: str  # with query
    headers: dict[str, str]  # lower-case names


Handler = Reply | list[Reply] | Callable[[Request], Reply]


class LocalServer:
    """Threaded HTTP server with a route table; use as a context manager."""

    def __init__(self) -> None:
        self._routes: dict[str, Handler] = {}
        self._turns: dict[str, int] = {}
        self._lock = threading.Lock()
        self.requests: list[Request] = []
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._httpd.daemon_threads = True
        self._httpd.block_on_close = False
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    # -- lifecycle --------------------------------------------------------------------
    def start(self) -> LocalServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> LocalServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- API ----------------------------------------------------------------------------
    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str = "/") -> str:
        return self.base + (path if path.startswith("/") else "/" + path)

    def route(self, path: str, handler: Handler) -> None:
        with self._lock:
            self._routes[path] = handler
            self._turns[path] = 0

    def redirect(self, path: str, to: str, status: int = 302) -> None:
        self.route(path, Reply(status=status, headers={"Location": to}, content_type=None))

    def hits(self, path: str) -> int:
        with self._lock:
            return sum(1 for r in self.requests if r.path == path or urlsplit(r.path).path == path)

    # -- internals ----------------------------------------------------------------------
    def _resolve(self, request: Request) -> Reply:
        with self._lock:
            self.requests.append(request)
            handler = self._routes.get(request.path)
            key = request.path
            if handler is None:
                key = urlsplit(request.path).path
                handler = self._routes.get(key)
            if handler is None:
                return Reply(status=404, body="not found")
            if isinstance(handler, list):
                turn = self._turns[key]
                self._turns[key] = turn + 1
                return handler[min(turn, len(handler) - 1)]
        if isinstance(handler, Reply):
            return handler
        return handler(request)

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                return

            def do_HEAD(self) -> None:  # noqa: N802
                self._serve(head=True)

            def do_GET(self) -> None:  # noqa: N802
                self._serve(head=False)

            def _serve(self, *, head: bool) -> None:
                headers = {k.lower(): v for k, v in self.headers.items()}
                reply = server._resolve(Request(self.command, self.path, headers))
                try:
                    self._send(reply, headers, head=head)
                except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
                    self.close_connection = True

            def _send(self, reply: Reply, headers: dict[str, str], *, head: bool) -> None:
                if reply.delay:
                    time.sleep(reply.delay)
                fresh = (reply.etag is not None and headers.get("if-none-match") == reply.etag) or (
                    reply.last_modified is not None
                    and headers.get("if-modified-since") == reply.last_modified
                )
                status = 304 if fresh else reply.status
                payload = b"" if status == 304 else reply.payload()
                self.send_response(status)
                if reply.content_type is not None and status != 304:
                    self.send_header("Content-Type", reply.content_type)
                if reply.etag:
                    self.send_header("ETag", reply.etag)
                if reply.last_modified:
                    self.send_header("Last-Modified", reply.last_modified)
                if reply.gzip and status != 304:
                    self.send_header("Content-Encoding", "gzip")
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                if reply.content_length or status == 304:
                    self.send_header("Content-Length", str(len(payload)))
                else:
                    self.send_header("Connection", "close")
                    self.close_connection = True
                self.end_headers()
                if head or not payload:
                    return
                if not reply.trickle:
                    self.wfile.write(payload)
                    return
                for i in range(0, len(payload), max(1, reply.chunk)):
                    self.wfile.write(payload[i : i + reply.chunk])
                    self.wfile.flush()
                    time.sleep(reply.trickle)

        return _Handler


@pytest.fixture
def http_server() -> Iterator[LocalServer]:
    """A started ``LocalServer`` on 127.0.0.1 (random port), stopped after the test."""
    with LocalServer() as server:
        yield server
