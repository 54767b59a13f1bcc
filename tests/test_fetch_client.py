"""The real fetcher against a misbehaving local server."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import time
from typing import Any

import pytest
from httpserver import LocalServer, Reply

from manysides.config import FetchConfig
from manysides.errors import BlockedURLError, FetchError
from manysides.fetch import Fetcher, HTTPStatusError
from manysides.fetch.charset import detect_charset
from manysides.fetch.client import retry_after_seconds
from manysides.fetch.safety import is_public
from manysides.records import FetchResult

LOCAL = FetchConfig(
    allowed_hosts=("127.0.0.1",),
    per_host_delay=0.0,
    backoff=0.01,
    retries=2,
    total_timeout=2.0,
    read_timeout=2.0,
    connect_timeout=2.0,
    max_bytes=100_000,
)


def fetch(url: str, config: FetchConfig = LOCAL, **kwargs: Any) -> FetchResult:
    async def go() -> FetchResult:
        async with Fetcher(config) as f:
            return await f.get(url, **kwargs)

    return asyncio.run(go())


def test_plain_page_with_user_agent(http_server: LocalServer) -> None:
    http_server.route("/a", Reply(body="<html><body>héllo</body></html>"))
    res = fetch(http_server.url("/a"))
    assert res.status == 200 and res.charset == "utf-8"
    assert "héllo" in res.text()
    assert res.content_type == "text/html"
    assert res.fetched_at is not None and res.fetched_at.tzinfo is not None
    assert http_server.requests[-1].headers["user-agent"].startswith("manysides/")


def test_loopback_blocked_without_allowed_hosts(http_server: LocalServer) -> None:
    http_server.route("/a", Reply(body="x"))
    strict = FetchConfig(respect_robots=False)
    with pytest.raises(BlockedURLError, match="non-public address 127.0.0.1"):
        fetch(http_server.url("/a"), strict)
    with pytest.raises(BlockedURLError):
        fetch(f"http://localhost:{http_server.port}/a", strict)
    assert http_server.requests == []
    assert (
        fetch(http_server.url("/a"), FetchConfig(allow_private=True, per_host_delay=0)).status
        == 200
    )


@pytest.mark.parametrize(
    "url", ["ftp://example.com/x", "file:///etc/passwd", "javascript:alert(1)", "http:///x"]
)
def test_non_http_schemes_blocked(url: str) -> None:
    with pytest.raises(BlockedURLError):
        fetch(url)


def test_address_classes() -> None:
    for private in (
        "10.1.2.3",
        "192.168.0.1",
        "169.254.169.254",
        "::1",
        "fe80::1",
        "::ffff:127.0.0.1",
        "0.0.0.0",
    ):
        assert not is_public(ipaddress.ip_address(private)), private
    assert is_public(ipaddress.ip_address("8.8.8.8"))
    assert is_public(ipaddress.ip_address("2606:4700:4700::1111"))


def test_redirect_chain_followed_and_rechecked(http_server: LocalServer) -> None:
    http_server.redirect("/r1", "/r2", 301)
    http_server.redirect("/r2", http_server.url("/r3"), 307)
    http_server.redirect("/r3", "/final#frag")
    http_server.route("/final", Reply(body="<p>done</p>"))
    res = fetch(http_server.url("/r1"))
    assert res.final_url == http_server.url("/final") and res.url == http_server.url("/r1")
    http_server.redirect("/evil", "file:///etc/passwd")
    with pytest.raises(BlockedURLError, match="only http and https"):
        fetch(http_server.url("/evil"))
    http_server.redirect("/meta", "http://169.254.169.254/latest/meta-data/")
    with pytest.raises(BlockedURLError, match="non-public"):
        fetch(http_server.url("/meta"))


def test_redirect_loop_and_limit(http_server: LocalServer) -> None:
    http_server.redirect("/loop-a", "/loop-b")
    http_server.redirect("/loop-b", "/loop-a")
    with pytest.raises(FetchError, match="redirect loop"):
        fetch(http_server.url("/loop-a"))
    for i in range(10):
        http_server.redirect(f"/hop{i}", f"/hop{i + 1}")
    with pytest.raises(FetchError, match="too many redirects"):
        fetch(http_server.url("/hop0"))


def test_retries_on_5xx_and_429_honour_retry_after(http_server: LocalServer) -> None:
    http_server.route(
        "/flaky",
        [Reply(status=503, headers={"Retry-After": "0"}), Reply(status=429), Reply(body="ok")],
    )
    assert fetch(http_server.url("/flaky")).content == b"ok"
    assert http_server.hits("/flaky") == 3
    http_server.route("/down", Reply(status=500))
    with pytest.raises(HTTPStatusError, match="HTTP 500 .* after 3 attempt") as info:
        fetch(http_server.url("/down"))
    assert info.value.status == 500 and http_server.hits("/down") == 3
    http_server.route(
        "/slowdown", [Reply(status=429, headers={"Retry-After": "3600"}), Reply(body="ok")]
    )
    started = time.monotonic()
    capped = FetchConfig(**{**LOCAL.__dict__, "max_retry_after": 0.2})
    assert fetch(http_server.url("/slowdown"), capped).content == b"ok"
    assert 0.2 <= time.monotonic() - started < 2


def test_client_errors_not_retried(http_server: LocalServer) -> None:
    with pytest.raises(HTTPStatusError, match="HTTP 404") as info:
        fetch(http_server.url("/missing"))
    assert info.value.status == 404 and http_server.hits("/missing") == 1


def test_slow_loris_hits_total_timeout(http_server: LocalServer) -> None:
    http_server.route("/slow", Reply(body=b"x" * 2000, trickle=0.05, chunk=1))
    cfg = FetchConfig(**{**LOCAL.__dict__, "total_timeout": 0.6, "read_timeout": 5.0})
    started = time.monotonic()
    with pytest.raises(FetchError, match="timed out after 0.6s in total"):
        fetch(http_server.url("/slow"), cfg)
    assert time.monotonic() - started < 3


def test_oversized_bodies_aborted(http_server: LocalServer) -> None:
    http_server.route("/big", Reply(body=b"a" * 200_000))
    with pytest.raises(FetchError, match="declares 200000 bytes"):
        fetch(http_server.url("/big"))
    http_server.route("/big-stream", Reply(body=b"a" * 200_000, content_length=False))
    with pytest.raises(FetchError, match="exceeded 100000 bytes"):
        fetch(http_server.url("/big-stream"))
    http_server.route("/bomb", Reply(body=b"a" * 500_000, gzip=True))
    with pytest.raises(FetchError, match="too large"):
        fetch(http_server.url("/bomb"))


def test_gzip_encoding_decoded(http_server: LocalServer) -> None:
    http_server.route("/gz", Reply(body="<p>compressed</p>", gzip=True))
    assert fetch(http_server.url("/gz")).content == b"<p>compressed</p>"


def test_charsets(http_server: LocalServer) -> None:
    latin = "<html><head><meta charset='iso-8859-1'></head><body>café</body></html>".encode(
        "latin-1"
    )
    http_server.route("/meta", Reply(body=latin, content_type="text/html"))
    assert fetch(http_server.url("/meta")).text().endswith("café</body></html>")
    http_server.route(
        "/lies",
        Reply(body="naïve café façade".encode("cp1252"), content_type="text/html; charset=utf-8"),
    )
    assert "naïve café façade" in fetch(http_server.url("/lies")).text()
    xml = '<?xml version="1.0" encoding="windows-1252"?><rss>“quoted”</rss>'.encode("cp1252")
    http_server.route("/xml", Reply(body=xml, content_type="application/xml"))
    assert "“quoted”" in fetch(http_server.url("/xml")).text()
    http_server.route(
        "/bogus", Reply(body="plain ascii", content_type="text/html; charset=no-such-codec")
    )
    assert fetch(http_server.url("/bogus")).charset == "utf-8"


def test_detect_charset_without_hints() -> None:
    text = "Les élèves de l'école sont allés à la fête médiévale près du château. " * 20
    assert detect_charset(text.encode("utf-8"), None) == "utf-8"
    guessed = detect_charset(text.encode("cp1252"), None)
    assert text.encode("cp1252").decode(guessed) == text


def test_binary_rejected_for_pages_allowed_for_feeds(http_server: LocalServer) -> None:
    http_server.route("/img", Reply(body=b"\x89PNG\r\n\x1a\n\x00\x00", content_type="image/png"))
    with pytest.raises(FetchError, match="not an HTML page: .* is image/png"):
        fetch(http_server.url("/img"))
    http_server.route("/blob", Reply(body=b"\x00\x01\x02binary", content_type=None))
    with pytest.raises(FetchError, match="binary content"):
        fetch(http_server.url("/blob"))
    assert fetch(http_server.url("/img"), kind="feed").content.startswith(b"\x89PNG")
    http_server.route("/notes", Reply(body="just text", content_type="text/plain"))
    with pytest.raises(FetchError, match="is text/plain"):
        fetch(http_server.url("/notes"))


def test_conditional_get(http_server: LocalServer) -> None:
    lm = "Wed, 21 Oct 2026 07:28:00 GMT"
    http_server.route(
        "/feed",
        Reply(body="<rss/>", content_type="application/rss+xml", etag='"v1"', last_modified=lm),
    )
    first = fetch(http_server.url("/feed"), kind="feed")
    assert first.headers["etag"] == '"v1"' and not first.not_modified
    again = fetch(http_server.url("/feed"), etag='"v1"', kind="feed")
    assert again.not_modified and again.status == 304 and again.content == b""
    by_date = fetch(http_server.url("/feed"), last_modified=lm, kind="feed")
    assert by_date.not_modified
    changed = fetch(http_server.url("/feed"), etag='"v0"', kind="feed")
    assert not changed.not_modified and changed.content == b"<rss/>"


def test_robots_respected_and_cached(http_server: LocalServer) -> None:
    http_server.route(
        "/robots.txt", Reply(body="User-agent: *\nDisallow: /private\n", content_type="text/plain")
    )
    http_server.route("/private/x", Reply(body="secret"))
    http_server.route("/public", Reply(body="hi"))

    async def go() -> tuple[bytes, BaseException | None]:
        async with Fetcher(LOCAL) as f:
            ok = await f.get(http_server.url("/public"))
            await f.get(http_server.url("/public"))
            try:
                await f.get(http_server.url("/private/x"))
            except FetchError as exc:
                return ok.content, exc
        return ok.content, None

    content, exc = asyncio.run(go())
    assert content == b"hi"
    assert isinstance(exc, BlockedURLError) and "robots.txt forbids" in str(exc)
    assert http_server.hits("/robots.txt") == 1 and http_server.hits("/private/x") == 0
    ignoring = FetchConfig(**{**LOCAL.__dict__, "respect_robots": False})
    assert fetch(http_server.url("/private/x"), ignoring).content == b"secret"


def test_robots_server_error_disallows_host(http_server: LocalServer) -> None:
    http_server.route("/robots.txt", Reply(status=500))
    http_server.route("/page", Reply(body="x"))
    with pytest.raises(BlockedURLError, match="robots.txt answered HTTP 500"):
        fetch(http_server.url("/page"))


def test_agent_specific_robots(http_server: LocalServer) -> None:
    http_server.route(
        "/robots.txt",
        Reply(
            body="User-agent: manysides\nDisallow: /\n\nUser-agent: *\nAllow: /\n",
            content_type="text/plain",
        ),
    )
    http_server.route("/page", Reply(body="x"))
    with pytest.raises(BlockedURLError):
        fetch(http_server.url("/page"))


def test_connection_refused() -> None:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    with pytest.raises(FetchError, match="cannot connect .* after 3 attempt"):
        fetch(f"http://127.0.0.1:{port}/x", LOCAL)


def test_per_host_delay_and_concurrency(http_server: LocalServer) -> None:
    http_server.route("/p", Reply(body="x"))
    cfg = FetchConfig(**{**LOCAL.__dict__, "per_host_delay": 0.15, "respect_robots": False})

    async def go() -> float:
        async with Fetcher(cfg) as f:
            started = time.monotonic()
            await asyncio.gather(*(f.get(http_server.url(f"/p?i={i}")) for i in range(4)))
            return time.monotonic() - started

    assert asyncio.run(go()) >= 0.44


def test_retry_after_parsing() -> None:
    assert retry_after_seconds("7") == 7.0
    assert retry_after_seconds(None) is None and retry_after_seconds("soon") is None
    now = 1_700_000_000.0
    assert retry_after_seconds("Tue, 14 Nov 2023 22:13:40 GMT", now=now) == pytest.approx(20.0)


def test_robots_crawl_delay_spaces_requests(http_server: LocalServer) -> None:
    http_server.route(
        "/robots.txt",
        Reply(body="User-agent: *\nCrawl-delay: 1\nAllow: /\n", content_type="text/plain"),
    )
    http_server.route("/p", Reply(body="x"))

    async def go() -> float:
        async with Fetcher(LOCAL) as f:
            started = time.monotonic()
            await asyncio.gather(*(f.get(http_server.url(f"/p?i={i}")) for i in range(2)))
            return time.monotonic() - started

    assert asyncio.run(go()) >= 0.95  # robots.txt's integer delay beats per_host_delay = 0


def test_connect_time_guard_stops_dns_rebinding(
    http_server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Even if the pre-flight check were fooled, the connection itself is refused."""
    import manysides.fetch.client as client

    async def fooled(url: str, config: FetchConfig) -> None:
        return None

    monkeypatch.setattr(client, "check_url", fooled)
    http_server.route("/a", Reply(body="secret"))

    async def go() -> bool:
        async with Fetcher(FetchConfig(respect_robots=False, retries=0)) as f:
            assert f.guarded
            with pytest.raises(BlockedURLError, match="refusing to connect to localhost"):
                await f.get(f"http://localhost:{http_server.port}/a")
        return True

    assert asyncio.run(go())
    assert http_server.requests == []
    assert fetch(http_server.url("/a")).content == b"secret"  # allowed_hosts still honoured
