"""What to tell the person running a crawl before and after it: an unset contact, a refused local address."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from patentwire.fetch import reasons
from patentwire.sources.config import SourcesConfig

LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


def is_loopback_url(url: str) -> bool:
    """Whether `url` names this machine (127.0.0.0/8, ::1, localhost) without asking a resolver."""
    host = (urlsplit(url).hostname or "").lower()
    if host in LOOPBACK_NAMES or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def remote_urls(config: SourcesConfig) -> list[str]:
    """Every http(s) location of an enabled source that is not on this machine."""
    urls = []
    for source in config.enabled_sources:
        for url in [source.url, *(source.urls or [])]:
            if url and url.lower().startswith(("http://", "https://")) and not is_loopback_url(url):
                urls.append(url)
    return urls


def contact_warning(config: SourcesConfig) -> str | None:
    """A warning when real hosts are about to be crawled and `fetch.contact` was left at its default."""
    if "contact" in config.fetch.model_fields_set:
        return None
    remote = remote_urls(config)
    if not remote:
        return None
    where = config.path or "sources.yaml"
    return (f"warning: fetch.contact is not set in {where}, and {len(remote)} source location"
            f"{'s are' if len(remote) > 1 else ' is'} on other hosts (e.g. {remote[0]}). Site owners see only "
            f"'{config.fetch.user_agent_header}'; add `fetch: {{contact: mailto:you@example.org}}` so they can "
            f"reach you.")


def failure_hint(reason: str, url: str | None) -> str | None:
    """A sentence on how to fix a fetch failure, where there is one to give."""
    if reason == reasons.PRIVATE_ADDRESS and url and is_loopback_url(url):
        return ("a loopback address is refused unless the source allows it: add `allow_private: true` to the "
                "source (or to `defaults:`) in sources.yaml")
    if reason == reasons.PRIVATE_ADDRESS:
        return "private addresses are refused; add `allow_private: true` to the source if it is meant to be reached"
    return None
