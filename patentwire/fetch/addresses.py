"""Server-side request forgery guard: no requests to private, loopback or link-local addresses.

A host name is resolved once per connection, by the injectable `Resolver`, at the moment the connection
is made: the addresses are checked and the socket is opened to the address just checked, so no second
lookup can answer differently (DNS rebinding). robots.txt and every redirect hop are connections like any
other. Behind a proxy (`use_proxy_env`) the proxy connects, so the name is checked once before the request.

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
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError
from urllib3.util import connection as urllib3_connection

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


def addresses_problem(addresses: list[str], *, allow_private: bool) -> str | None:
    """The verdict on the addresses a name resolved to: None, or why none of them may be contacted."""
    if not addresses:
        return reasons.DNS_ERROR
    if any(never_allowed(address) for address in addresses):
        return reasons.NEVER_ALLOWED_ADDRESS
    if not allow_private and not all(is_public(address) for address in addresses):
        return reasons.PRIVATE_ADDRESS
    return None


def _host_and_port(url: str) -> tuple[str, int] | None:
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:  # a port out of range or not a number
        return None
    return (parts.hostname, port) if parts.hostname else None


def _literal_address(host: str) -> str | None:
    try:
        return str(_ip(host))
    except ValueError:
        return None


def url_problem(url: str, *, allow_private: bool) -> str | None:
    """What can be said of a URL before connecting, without a lookup: a malformed URL, or a literal address
    that may not be contacted ("http://169.254.169.254/")."""
    found = _host_and_port(url)
    if found is None:
        return reasons.INVALID_URL
    literal = _literal_address(found[0])
    return addresses_problem([literal], allow_private=allow_private) if literal else None


def address_problem(url: str, *, allow_private: bool, resolver: Resolver = resolve_host) -> str | None:
    """None if the URL's host may be contacted; else `invalid_url`, `dns_error`, `private_address` or
    `link_local_or_metadata_address`. One lookup: for requests through a proxy, which connects itself."""
    found = _host_and_port(url)
    if found is None:
        return reasons.INVALID_URL
    try:
        addresses = resolver(*found)
    except (socket.gaierror, UnicodeError, OSError):
        return reasons.DNS_ERROR
    return addresses_problem(addresses, allow_private=allow_private)


# --- the connection: one lookup, checked and pinned ------------------------------------------------


class ConnectionRefusedByGuard(OSError):
    """Raised inside the HTTP library when the guard refuses a connection; the subclass says why."""

    reason = reasons.PRIVATE_ADDRESS


class UnresolvedHost(ConnectionRefusedByGuard):
    reason = reasons.DNS_ERROR


class PrivateAddressRefused(ConnectionRefusedByGuard):
    """The name resolved to, or the socket reached, a non-public address."""


class NeverAllowedRefused(PrivateAddressRefused):
    """A link-local or metadata address (refused even with allow_private)."""

    reason = reasons.NEVER_ALLOWED_ADDRESS


_REFUSALS = {reasons.DNS_ERROR: UnresolvedHost, reasons.PRIVATE_ADDRESS: PrivateAddressRefused,
             reasons.NEVER_ALLOWED_ADDRESS: NeverAllowedRefused}


class _PinnedConnection:
    """Mixed into urllib3's connections: `_new_conn` (its hook that opens the socket) resolves the name once
    with `resolver`, checks every address, and connects to a checked one. The peer is checked again after
    connecting (a system resolver or a tunnel should never make it differ; if it does, it is refused)."""

    allow_private = False
    resolver: Resolver = staticmethod(resolve_host)

    def _checked_addresses(self) -> list[str]:
        try:
            addresses = self.resolver(self._dns_host, self.port)
        except (socket.gaierror, UnicodeError, OSError) as error:
            raise UnresolvedHost(f"{self._dns_host} does not resolve: {error}") from None
        if problem := addresses_problem(addresses, allow_private=self.allow_private):
            raise _REFUSALS[problem](f"{self._dns_host} resolves to {', '.join(addresses) or 'nothing'}")
        return addresses

    def _new_conn(self):
        error: OSError | None = None
        for address in self._checked_addresses():
            try:
                sock = urllib3_connection.create_connection(
                    (address, self.port), self.timeout, source_address=self.source_address,
                    socket_options=self.socket_options)
            except TimeoutError as timeout:
                raise ConnectTimeoutError(
                    self, f"Connection to {self.host} timed out. (connect timeout={self.timeout})") from timeout
            except OSError as failed:
                error = failed
                continue
            self._check_peer(sock)
            return sock
        raise NewConnectionError(self, f"Failed to establish a new connection: {error}") from error

    def _check_peer(self, sock: socket.socket) -> None:
        peer = sock.getpeername()[0]
        if problem := addresses_problem([peer], allow_private=self.allow_private):
            sock.close()
            raise _REFUSALS[problem](f"connected to {peer}")


def _pools(allow_private: bool, resolver: Resolver) -> dict[str, type]:
    settings = {"allow_private": allow_private, "resolver": staticmethod(resolver)}
    http = type("PinnedHTTPConnection", (_PinnedConnection, urllib3.connection.HTTPConnection), settings)
    https = type("PinnedHTTPSConnection", (_PinnedConnection, urllib3.connection.HTTPSConnection), settings)
    return {"http": type("PinnedHTTPPool", (urllib3.HTTPConnectionPool,), {"ConnectionCls": http}),
            "https": type("PinnedHTTPSPool", (urllib3.HTTPSConnectionPool,), {"ConnectionCls": https})}


class GuardedAdapter(HTTPAdapter):
    """A requests adapter whose every connection resolves once, is checked and is pinned (see above)."""

    def __init__(self, *, allow_private: bool, resolver: Resolver = resolve_host, **kwargs) -> None:
        self._pool_classes = _pools(allow_private, resolver)  # before HTTPAdapter builds its pool manager
        super().__init__(**kwargs)

    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = dict(self._pool_classes)


def refused_reason(error: BaseException) -> str | None:
    """The reason when a connection error came from the guard (it arrives wrapped several times)."""
    found = _guard_error(error)
    return None if found is None else found.reason


def _guard_error(error: BaseException) -> ConnectionRefusedByGuard | None:
    pending, seen = [error], set()
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, ConnectionRefusedByGuard):
            return current
        pending.extend([current.__cause__, current.__context__, getattr(current, "reason", None)])
        pending.extend(arg for arg in current.args if isinstance(arg, BaseException))
    return None
