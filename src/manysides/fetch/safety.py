"""URL and address guard: only http(s), and no private, loopback or link-local targets.

Every hop of a fetch (first URL, each redirect, robots.txt) passes through
``check_url``. A host is allowed when it is listed in ``fetch.allowed_hosts`` (by name or
by any of its resolved addresses) or when ``fetch.allow_private`` is set; otherwise every
address the host resolves to must be a public unicast address.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit

from ..config import FetchConfig
from ..errors import BlockedURLError, FetchError

ALLOWED_SCHEMES = ("http", "https")

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def split_host(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of an absolute http(s) URL, or ``BlockedURLError``."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise BlockedURLError(f"malformed URL {url!r}: {exc}", item=url) from None
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        shown = scheme or "no scheme"
        raise BlockedURLError(f"only http and https URLs are fetched, not {shown}: {url}", item=url)
    host = (parts.hostname or "").lower().rstrip(".")
    if not host:
        raise BlockedURLError(f"URL has no host: {url}", item=url)
    return scheme, host, port or (443 if scheme == "https" else 80)


def is_public(ip: IPAddress) -> bool:
    """True for a globally routable unicast address."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_reserved
        or ip.is_multicast
        or ip.is_unspecified
        or not ip.is_global
    )


def _literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


async def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address the host resolves to (a literal IP resolves to itself)."""
    literal = _literal(host)
    if literal is not None:
        return [literal]
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError) as exc:
        raise FetchError(f"cannot resolve host {host}: {exc}", item=host) from None
    out: list[IPAddress] = []
    for info in infos:
        addr = _literal(str(info[4][0]).split("%", 1)[0])
        if addr is not None and addr not in out:
            out.append(addr)
    if not out:
        raise FetchError(f"host {host} resolved to no address", item=host)
    return out


def host_allowed(host: str, config: FetchConfig) -> bool:
    allowed = {h.lower().strip("[]") for h in config.allowed_hosts}
    return config.allow_private or host.strip("[]") in allowed


async def check_url(url: str, config: FetchConfig) -> None:
    """Raise ``BlockedURLError`` unless the URL may be fetched under this config."""
    _scheme, host, port = split_host(url)
    if host_allowed(host, config):
        return
    addresses = await resolve(host, port)
    allowed = {h.lower().strip("[]") for h in config.allowed_hosts}
    for ip in addresses:
        if str(ip) in allowed:
            continue
        if not is_public(ip):
            raise BlockedURLError(
                f"refusing to fetch {url}: {host} resolves to non-public address {ip}"
                " (set fetch.allow_private or fetch.allowed_hosts to allow it)",
                item=url,
            )
