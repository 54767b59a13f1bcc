"""The SSRF address-form table: every way of writing a non-public address is refused.

Each form is refused twice: by the pre-flight ``check_url`` (literal in the URL) and by
the connect-time guard when a host name resolves to it (DNS rebinding), where a
recording network backend proves that no connection was attempted.
"""

from __future__ import annotations

import asyncio
import ipaddress
from typing import Any

import httpcore
import pytest

from manysides.config import FetchConfig
from manysides.errors import BlockedURLError
from manysides.fetch import guard
from manysides.fetch.guard import GuardedBackend
from manysides.fetch.safety import check_url, is_public

# (address, what it reaches)
REFUSED = [
    ("127.0.0.1", "loopback"),
    ("10.1.2.3", "private"),
    ("172.16.0.1", "private"),
    ("192.168.1.1", "private"),
    ("169.254.169.254", "link-local (cloud metadata)"),
    ("100.64.0.1", "carrier-grade NAT"),
    ("0.0.0.0", "unspecified"),
    ("224.0.0.1", "multicast"),
    ("240.0.0.1", "reserved"),
    ("255.255.255.255", "broadcast"),
    ("192.0.2.1", "documentation"),
    ("::1", "IPv6 loopback"),
    ("::", "IPv6 unspecified"),
    ("fe80::1", "IPv6 link-local"),
    ("fec0::1", "IPv6 site-local (deprecated)"),
    ("fc00::1", "IPv6 unique local"),
    ("fd12:3456::1", "IPv6 unique local"),
    ("ff02::1", "IPv6 multicast"),
    ("2001:db8::1", "IPv6 documentation"),
    ("100::1", "IPv6 discard"),
    ("::ffff:127.0.0.1", "IPv4-mapped loopback"),
    ("::ffff:169.254.169.254", "IPv4-mapped link-local"),
    ("::ffff:10.0.0.1", "IPv4-mapped private"),
    ("::127.0.0.1", "IPv4-compatible loopback"),
    ("::169.254.169.254", "IPv4-compatible link-local"),
    ("::8.8.8.8", "IPv4-compatible (deprecated form, even public)"),
    ("2002:a9fe:a9fe::1", "6to4 of 169.254.169.254"),
    ("2002:7f00:1::1", "6to4 of 127.0.0.1"),
    ("2002:c0a8:101::1", "6to4 of 192.168.1.1"),
    ("2002:808:808::1", "6to4 (refused whole: relay tunnel)"),
    ("2001:0:4136:e378:8000:63bf:3fff:fdd2", "Teredo"),
    ("2001:0:a9fe:a9fe::1", "Teredo with link-local server"),
    ("64:ff9b::7f00:1", "NAT64 of 127.0.0.1"),
    ("64:ff9b::a9fe:a9fe", "NAT64 of 169.254.169.254"),
    ("64:ff9b::c0a8:101", "NAT64 of 192.168.1.1"),
    ("64:ff9b:1::808:808", "NAT64 local-use prefix"),
    ("::ffff:0:7f00:1", "SIIT IPv4-translated loopback"),
    ("::ffff:0:a9fe:a9fe", "SIIT IPv4-translated link-local"),
    ("2a00:1450:4001::5efe:a9fe:a9fe", "ISATAP embedding link-local"),
    ("2a00:1450:4001::200:5efe:7f00:1", "ISATAP embedding loopback"),
    ("2a00:1450:4001::5efe:c0a8:101", "ISATAP embedding private"),
    ("fe80::5efe:808:808", "ISATAP on a link-local prefix"),
]

# Host names that the system resolver turns into loopback without any DNS traffic.
NUMERIC_HOSTS = ["2130706433", "0x7f.1", "017700000001", "127.1", "0177.0.0.1", "0x7f000001"]

PUBLIC = [
    "8.8.8.8",
    "93.184.216.34",
    "2606:4700:4700::1111",
    "2a00:1450:4001:80b::200e",
    "::ffff:8.8.8.8",  # mapped public IPv4
    "64:ff9b::808:808",  # NAT64 of a public address (DNS64 networks)
    "2a00:1450:4001::200:5efe:808:808",  # ISATAP embedding a public address
]


def _url_host(address: str) -> str:
    return f"[{address}]" if ":" in address else address


class RecordingBackend(httpcore.AsyncNetworkBackend):
    """A network backend that records connection attempts and makes none."""

    def __init__(self) -> None:
        self.attempts: list[tuple[str, int]] = []

    async def connect_tcp(self, host: str, port: int, *args: Any, **kwargs: Any) -> Any:
        self.attempts.append((host, port))
        raise httpcore.ConnectError("recording backend: no connection made")

    async def connect_unix_socket(self, path: str, *args: Any, **kwargs: Any) -> Any:
        raise AssertionError("unexpected unix socket")

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


def _connect(address: str, inner: RecordingBackend, monkeypatch: pytest.MonkeyPatch) -> None:
    """Connect through the guard to a name that resolves to ``address``."""

    async def rebinding(host: str, port: int) -> list[Any]:
        return [ipaddress.ip_address(address)]

    monkeypatch.setattr(guard, "resolve", rebinding)
    asyncio.run(GuardedBackend(inner, FetchConfig()).connect_tcp("rebind.example", 80))


@pytest.mark.parametrize(("address", "reaches"), REFUSED, ids=[a for a, _ in REFUSED])
def test_refused_before_the_request(address: str, reaches: str) -> None:
    assert not is_public(ipaddress.ip_address(address)), reaches
    with pytest.raises(BlockedURLError, match="non-public address"):
        asyncio.run(check_url(f"http://{_url_host(address)}/latest/meta-data/", FetchConfig()))


@pytest.mark.parametrize(("address", "reaches"), REFUSED, ids=[a for a, _ in REFUSED])
def test_refused_at_connect_time(
    address: str, reaches: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    inner = RecordingBackend()
    with pytest.raises(BlockedURLError, match="refusing to connect"):
        _connect(address, inner, monkeypatch)
    assert inner.attempts == [], reaches


@pytest.mark.parametrize("host", NUMERIC_HOSTS)
def test_numeric_host_spellings_of_loopback(host: str) -> None:
    with pytest.raises(BlockedURLError, match="non-public address 127.0.0.1"):
        asyncio.run(check_url(f"http://{host}/", FetchConfig()))


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_are_connected_to(address: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert is_public(ipaddress.ip_address(address))
    asyncio.run(check_url(f"http://{_url_host(address)}/", FetchConfig()))
    inner = RecordingBackend()
    with pytest.raises(httpcore.ConnectError, match="recording backend"):
        _connect(address, inner, monkeypatch)
    assert inner.attempts == [(str(ipaddress.ip_address(address)), 80)]


def test_allowed_hosts_still_reach_a_listed_private_address(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def rebinding(host: str, port: int) -> list[Any]:
        return [ipaddress.ip_address("2002:7f00:1::1")]

    monkeypatch.setattr(guard, "resolve", rebinding)
    inner = RecordingBackend()
    config = FetchConfig(allowed_hosts=("2002:7f00:1::1",))
    with pytest.raises(httpcore.ConnectError):
        asyncio.run(GuardedBackend(inner, config).connect_tcp("rebind.example", 80))
    assert inner.attempts == [("2002:7f00:1::1", 80)]
