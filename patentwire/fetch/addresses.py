"""Server-side request forgery guard: no requests to private, loopback or link-local addresses.

`allow_private: true` on a source opens loopback, the private ranges (10/8, 172.16/12, 192.168/16,
fc00::/7) and shared address space (100.64/10) for it, and nothing more: link-local addresses
(169.254/16, fe80::/10, where cloud metadata services answer), the known metadata addresses, multicast,
unspecified and reserved addresses are refused for every source, on every hop and at connect time.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from urllib.parse import urlsplit

import urllib3
import urllib3.connection
from requests.adapters import HTTPAdapter

from patentwire.fetch import reasons

Resolver = Callable[[str, int], list[str]]


def resolve_host(host: str, port: int) -> list[str]:
    """Every address the host resolves to (socket.gaierror when it does not resolve)."""
    return sorted({info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)})


# Cloud metadata services outside link-local space (Alibaba; AWS over IPv6); link-local covers the rest.
METADATA_ADDRESSES = frozenset({ipaddress.ip_address("100.100.100.200"), ipaddress.ip_address("fd00:ec2::254")})


def _ip(address: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone id
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip


def is_public(address: str) -> bool:
    ip = _ip(address)
    return ip.is_global and not ip.is_multicast


def never_allowed(address: str) -> bool:
    """Addresses no source may reach, `allow_private` or not."""
    ip = _ip(address)
    return (ip in METADATA_ADDRESSES or ip.is_link_local or ip.is_multicast or ip.is_unspecified
            or (ip.is_reserved and not ip.is_global))


def address_problem(url: str, *, allow_private: bool, resolver: Resolver = resolve_host) -> str | None:
    """None if the URL's host may be contacted; else `dns_error` or `private_address`.

    Checked on every hop (redirects included) because a public name may point, or redirect, inward.
    """
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:  # a port out of range or not a number
        return reasons.INVALID_URL
    if not parts.hostname:
        return reasons.INVALID_URL
    try:
        addresses = resolver(parts.hostname, port)
    except (socket.gaierror, UnicodeError, OSError):
        return reasons.DNS_ERROR
    if not addresses:
        return reasons.DNS_ERROR
    if any(never_allowed(address) for address in addresses):
        return reasons.NEVER_ALLOWED_ADDRESS
    if not allow_private and not all(is_public(address) for address in addresses):
        return reasons.PRIVATE_ADDRESS
    return None


# --- connect-time guard ---------------------------------------------------------------------------
# The check above resolves the name once; the HTTP library resolves it again when it connects. A name
# that answers "public" first and "private" next (DNS rebinding) would slip through, so the address
# actually connected to is checked as well, on every new connection.


class PrivateAddressRefused(OSError):
    """Raised inside the HTTP library when a connection reached a non-public address."""


class NeverAllowedRefused(PrivateAddressRefused):
    """Raised when a connection reached a link-local or metadata address (refused even with allow_private)."""


class _CheckedPeer:
    allow_private = False

    def _new_conn(self):  # urllib3's hook that opens the socket
        sock = super()._new_conn()
        peer = sock.getpeername()[0]
        if never_allowed(peer):
            sock.close()
            raise NeverAllowedRefused(f"connected to link-local or metadata address {peer}")
        if not self.allow_private and not is_public(peer):
            sock.close()
            raise PrivateAddressRefused(f"connected to non-public address {peer}")
        return sock


def _pools(allow_private: bool) -> dict[str, type]:
    http = type("CheckedHTTPConnection", (_CheckedPeer, urllib3.connection.HTTPConnection),
                {"allow_private": allow_private})
    https = type("CheckedHTTPSConnection", (_CheckedPeer, urllib3.connection.HTTPSConnection),
                 {"allow_private": allow_private})
    return {"http": type("CheckedHTTPPool", (urllib3.HTTPConnectionPool,), {"ConnectionCls": http}),
            "https": type("CheckedHTTPSPool", (urllib3.HTTPSConnectionPool,), {"ConnectionCls": https})}


class PublicOnlyAdapter(HTTPAdapter):
    """A requests adapter whose connections refuse private, loopback and link-local peers."""

    pools = _pools(allow_private=False)

    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = dict(self.pools)


class PrivateAllowedAdapter(PublicOnlyAdapter):
    """For sources with allow_private: private peers are fine, link-local and metadata peers are not."""

    pools = _pools(allow_private=True)


def refused_reason(error: BaseException) -> str | None:
    """The reason when a connection error came from the connect-time guard (it arrives wrapped several times)."""
    found = _guard_error(error)
    if found is None:
        return None
    return reasons.NEVER_ALLOWED_ADDRESS if isinstance(found, NeverAllowedRefused) else reasons.PRIVATE_ADDRESS


def refused_private(error: BaseException) -> bool:
    return _guard_error(error) is not None


def _guard_error(error: BaseException) -> PrivateAddressRefused | None:
    pending, seen = [error], set()
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, PrivateAddressRefused):
            return current
        pending.extend([current.__cause__, current.__context__, getattr(current, "reason", None)])
        pending.extend(arg for arg in current.args if isinstance(arg, BaseException))
    return None
