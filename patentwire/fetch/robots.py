"""robots.txt, fetched once per host and kept for the client's lifetime."""

from __future__ import annotations

import threading
from collections.abc import Callable

from protego import Protego

from patentwire.fetch.response import Fetched
from patentwire.urls import host_key

ROBOTS_MAX_BYTES = 512 * 1024  # what Google reads of a robots.txt


class RobotsCache:
    """Answers "may we fetch this URL" and "how long between requests" for each host.

    A missing robots.txt (4xx) allows everything. An unreachable one (5xx, timeout) also allows
    everything, as Scrapy does: the per-host rate limit still applies, and one flaky robots.txt should
    not silently empty a source. (RFC 9309 would disallow; change `allow_when_unreachable` for that.)
    """

    def __init__(self, fetch: Callable[[str], Fetched], user_agent: str, allow_when_unreachable: bool = True):
        self._fetch, self._agent = fetch, user_agent
        self._allow_when_unreachable = allow_when_unreachable
        self._rules: dict[str, Protego | None | bool] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def allowed(self, url: str) -> bool:
        rules = self._rules_for(host_key(url))
        if isinstance(rules, bool):
            return rules
        return rules.can_fetch(url, self._agent)

    def crawl_delay(self, url: str) -> float | None:
        rules = self._rules_for(host_key(url))
        if isinstance(rules, bool):
            return None
        delay = rules.crawl_delay(self._agent)
        return float(delay) if delay is not None else None

    def _rules_for(self, host: str) -> Protego | bool:
        with self._guard:
            lock = self._locks.setdefault(host, threading.Lock())
        with lock:  # one fetch per host, even when many workers ask at once
            if host not in self._rules:
                self._rules[host] = self._load(host)
            return self._rules[host]

    def _load(self, host: str) -> Protego | bool:
        fetched = self._fetch(f"{host}/robots.txt")
        if fetched.ok and fetched.body is not None:
            return Protego.parse(fetched.body.decode("utf-8", errors="replace"))
        if fetched.status is not None and 400 <= fetched.status < 500:
            return True
        return self._allow_when_unreachable
