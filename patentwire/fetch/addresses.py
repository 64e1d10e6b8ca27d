"""Server-side request forgery guard: no requests to private, loopback or link-local addresses."""

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


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone id
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


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
    if not allow_private and not all(is_public(address) for address in addresses):
        return reasons.PRIVATE_ADDRESS
    return None


# --- connect-time guard ---------------------------------------------------------------------------
# The check above resolves the name once; the HTTP library resolves it again when it connects. A name
# that answers "public" first and "private" next (DNS rebinding) would slip through, so the address
# actually connected to is checked as well, on every new connection.


class PrivateAddressRefused(OSError):
    """Raised inside the HTTP library when a connection reached a non-public address."""


class _PublicPeerOnly:
    def _new_conn(self):  # urllib3's hook that opens the socket
        sock = super()._new_conn()
        peer = sock.getpeername()[0]
        if not is_public(peer):
            sock.close()
            raise PrivateAddressRefused(f"connected to non-public address {peer}")
        return sock


class _PublicHTTPConnection(_PublicPeerOnly, urllib3.connection.HTTPConnection):
    pass


class _PublicHTTPSConnection(_PublicPeerOnly, urllib3.connection.HTTPSConnection):
    pass


class _PublicHTTPPool(urllib3.HTTPConnectionPool):
    ConnectionCls = _PublicHTTPConnection


class _PublicHTTPSPool(urllib3.HTTPSConnectionPool):
    ConnectionCls = _PublicHTTPSConnection


class PublicOnlyAdapter(HTTPAdapter):
    """A requests adapter whose connections refuse private, loopback and link-local peers."""

    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _PublicHTTPPool, "https": _PublicHTTPSPool}


def refused_private(error: BaseException) -> bool:
    """Whether a connection error came from the connect-time guard (it arrives wrapped several times)."""
    pending, seen = [error], set()
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, PrivateAddressRefused):
            return True
        pending.extend([current.__cause__, current.__context__, getattr(current, "reason", None)])
        pending.extend(arg for arg in current.args if isinstance(arg, BaseException))
    return False
