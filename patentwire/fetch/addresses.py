"""Server-side request forgery guard: no requests to private, loopback or link-local addresses."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from urllib.parse import urlsplit

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
    parts = urlsplit(url)
    if not parts.hostname:
        return reasons.INVALID_URL
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        addresses = resolver(parts.hostname, port)
    except (socket.gaierror, UnicodeError, OSError):
        return reasons.DNS_ERROR
    if not addresses:
        return reasons.DNS_ERROR
    if not allow_private and not all(is_public(address) for address in addresses):
        return reasons.PRIVATE_ADDRESS
    return None
