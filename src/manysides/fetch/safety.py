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


# IPv6 forms that carry an IPv4 address. 6to4 and Teredo are refused outright (relay
# tunnels, not news sites), as are IPv4-compatible ``::a.b.c.d`` (deprecated, RFC 4291)
# and the NAT64 local-use prefix (a site's own translator, RFC 8215).
_REFUSED_V6 = (
    ipaddress.ip_network("2002::/16"),  # 6to4 (RFC 3056)
    ipaddress.ip_network("2001::/32"),  # Teredo (RFC 4380)
    ipaddress.ip_network("::/96"),  # IPv4-compatible
    ipaddress.ip_network("64:ff9b:1::/48"),  # NAT64 local use
)
# These reach the IPv4 address in their last 32 bits and are judged by it.
_TRANSLATED = (
    ipaddress.ip_network("64:ff9b::/96"),  # NAT64 well-known prefix (RFC 6052)
    ipaddress.ip_network("::ffff:0:0:0/96"),  # IPv4-translated (RFC 2765, SIIT)
)
_ISATAP_IDS = (b"\x00\x00\x5e\xfe", b"\x02\x00\x5e\xfe")  # interface ids ::0:5efe:w.x.y.z


def _v4_public(ip: ipaddress.IPv4Address) -> bool:
    return not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_reserved
        or ip.is_multicast
        or ip.is_unspecified
        or not ip.is_global
    )


def _translated_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address behind an IPv4-mapped, NAT64 or SIIT address (they reach it)."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if any(ip in net for net in _TRANSLATED):
        return ipaddress.IPv4Address(ip.packed[12:])
    return None


def _isatap_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address in an ISATAP interface identifier (``::0:5efe:w.x.y.z``)."""
    if ip.packed[8:12] in _ISATAP_IDS:
        return ipaddress.IPv4Address(ip.packed[12:])
    return None


def is_public(ip: IPAddress) -> bool:
    """True for a globally routable unicast address.

    IPv4-mapped, NAT64 and SIIT addresses are judged by the IPv4 address they reach; an
    ISATAP address must be public and embed a public IPv4 address; 6to4 (2002::/16),
    Teredo (2001::/32), IPv4-compatible (::/96) and NAT64 local-use (64:ff9b:1::/48)
    addresses are never public: they reach an IPv4 address the fetcher cannot vet.
    """
    if isinstance(ip, ipaddress.IPv4Address):
        return _v4_public(ip)
    if any(ip in net for net in _REFUSED_V6):
        return False
    translated = _translated_ipv4(ip)
    if translated is not None:
        return _v4_public(translated)
    isatap = _isatap_ipv4(ip)
    if isatap is not None and not _v4_public(isatap):
        return False
    return not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_site_local
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
