"""Connect-time address guard for httpx (closes the DNS-rebinding gap).

``safety.check_url`` vets a URL before the request, but the HTTP library resolves the
host again when it connects, and a hostile DNS server can answer differently the
second time. ``guard_transport`` installs a network backend in httpx's connection pool
that resolves the host itself, refuses non-public addresses (unless allowed), and
connects to exactly the addresses it checked. TLS still verifies the certificate
against the host name, because httpcore takes that from the request, not the socket.
"""

from __future__ import annotations

import typing

import httpcore
import httpx

from ..config import FetchConfig
from ..errors import BlockedURLError
from .safety import host_allowed, is_public, resolve


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """Wraps httpcore's backend; every TCP connection goes to a vetted address."""

    def __init__(self, inner: httpcore.AsyncNetworkBackend, config: FetchConfig) -> None:
        self._inner = inner
        self._config = config

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[typing.Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        kwargs = {
            "timeout": timeout,
            "local_address": local_address,
            "socket_options": socket_options,
        }
        if host_allowed(host.lower(), self._config):
            return await self._inner.connect_tcp(host, port, **kwargs)
        addresses = await resolve(host.lower(), port)
        allowed = {h.lower().strip("[]") for h in self._config.allowed_hosts}
        for ip in addresses:
            if str(ip) not in allowed and not is_public(ip):
                raise BlockedURLError(
                    f"refusing to connect to {host}: it resolves to non-public address {ip}"
                    " (set fetch.allow_private or fetch.allowed_hosts to allow it)",
                    item=host,
                )
        last: Exception | None = None
        for ip in addresses:
            try:
                return await self._inner.connect_tcp(str(ip), port, **kwargs)
            except (httpcore.ConnectError, httpcore.ConnectTimeout, OSError) as exc:
                last = exc
        assert last is not None
        raise last

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: typing.Iterable[typing.Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise BlockedURLError("unix sockets are not fetched", item=path)

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


def guard_transport(transport: httpx.AsyncHTTPTransport, config: FetchConfig) -> bool:
    """Install the guard in an httpx transport's pool; False if httpx's internals differ."""
    pool = getattr(transport, "_pool", None)
    inner = getattr(pool, "_network_backend", None)
    if not isinstance(pool, httpcore.AsyncConnectionPool) or inner is None:
        return False
    pool._network_backend = GuardedBackend(inner, config)
    return True
