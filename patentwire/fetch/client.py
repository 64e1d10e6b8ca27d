"""The one way patentwire reads a URL: polite, bounded, retried, and safe about where it connects.

http(s) and file:// go through `HttpClient.get`, so discovery documents and article pages follow the
same rules. It never raises for a bad URL or a bad server: the result carries a reason instead.
"""

from __future__ import annotations

import email.utils
import socket
import threading
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

import requests
import urllib3.exceptions
from requests.adapters import HTTPAdapter

from patentwire.fetch import reasons
from patentwire.fetch.addresses import (
    GuardedAdapter,
    Resolver,
    address_problem,
    refused_reason,
    resolve_host,
    url_problem,
)
from patentwire.fetch.body import CHUNK, decoder_for, is_html, media_type, read_limited
from patentwire.fetch.files import read_file_url
from patentwire.fetch.politeness import HostLimiter, run_politely
from patentwire.fetch.response import Fetched
from patentwire.fetch.robots import ROBOTS_MAX_BYTES, RobotsCache
from patentwire.fetch.settings import DEFAULT_POLICY, FetchSettings, HostPolicy
from patentwire.urls import WEB_SCHEMES, host_key

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
NETWORK_ERRORS = (urllib3.exceptions.HTTPError, requests.exceptions.RequestException, OSError)


class HttpClient:
    """A pooled session with robots.txt, per-host rate limits, retries and SSRF checks."""

    def __init__(self, settings: FetchSettings, policies: Mapping[str, HostPolicy] | None = None, *,
                 resolver: Resolver = resolve_host, sleep: Callable[[float], None] = time.sleep) -> None:
        self.settings = settings
        self._policies = dict(policies or {})  # by the name that fetch-log rows carry (a source's)
        self._resolver, self._sleep = resolver, sleep
        self.limiter = HostLimiter(sleep=sleep)
        # Two pools: sources that may reach private addresses, and the rest. Each connection resolves its
        # host once with `resolver`, checks the addresses and connects to a checked one (see addresses.py).
        # Behind a proxy the proxy connects: the name is checked once before each request instead.
        self._sessions = {allow_private: self._new_session(allow_private) for allow_private in (True, False)}
        self.robots = RobotsCache(self._fetch_robots, settings.user_agent)
        self._asking = threading.local()  # the policy of the page whose robots.txt is being read

    def _new_session(self, allow_private: bool) -> requests.Session:
        session = requests.Session()
        session.trust_env = self.settings.use_proxy_env
        size = max(10, self.settings.concurrency)
        pool = {"pool_connections": size, "pool_maxsize": size, "max_retries": 0}
        adapter = HTTPAdapter(**pool) if self.settings.use_proxy_env else \
            GuardedAdapter(allow_private=allow_private, resolver=self._resolver, **pool)
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        session.headers.update({
            "User-Agent": self.settings.user_agent_header,
            "Accept-Encoding": "gzip, deflate",  # only what `body.Decoder` can bound
            "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
        })
        return session

    def close(self) -> None:
        for session in self._sessions.values():
            session.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def policy(self, name: str) -> HostPolicy:
        return self._policies.get(name, DEFAULT_POLICY)

    def interval(self, url: str, policy: HostPolicy) -> float:
        """Seconds between two requests to the URL's host: the policy's rate or robots' Crawl-delay."""
        delay = self.robots.crawl_delay(url) if self.settings.respect_robots else None
        return max(1.0 / policy.rate, delay or 0.0)

    def run_politely(self, items: list, work: Callable, host_of: Callable[[object], str]) -> list:
        """`work(item)` on `concurrency` threads, one request in flight per host; local files run freely."""
        return run_politely(items, work, host_of, self.limiter, self.settings.concurrency,
                            exclusive=lambda host: not host.startswith("file:"))

    # --- the one entry point ------------------------------------------------------------------

    def get(self, url: str, *, policy: HostPolicy = DEFAULT_POLICY, etag: str | None = None,
            last_modified: str | None = None, html_only: bool = False, max_bytes: int | None = None) -> Fetched:
        """Fetch a URL; `html_only` refuses other media types before reading their body."""
        limit = max_bytes or self.settings.max_bytes
        scheme = urlsplit(url).scheme.lower()
        if scheme == "file":
            if not policy.allow_files:
                return Fetched(url=url, reason=reasons.LOCAL_FILE_REFUSED)
            return read_file_url(url, max_bytes=limit, html_only=html_only, etag=etag)
        if scheme not in WEB_SCHEMES:
            return Fetched(url=url, reason=reasons.INVALID_URL)
        return self._get_http(url, policy, etag, last_modified, html_only, limit, check_robots=True)

    # --- http(s) ------------------------------------------------------------------------------

    def _get_http(self, url: str, policy: HostPolicy, etag: str | None, last_modified: str | None,
                  html_only: bool, max_bytes: int, check_robots: bool) -> Fetched:
        started = time.monotonic()
        deadline = started + self.settings.total_timeout
        allow_private = policy.allow_private
        headers = conditional_headers(etag, last_modified)
        current, seen = url, {url}

        def failed(reason: str, status: int | None = None) -> Fetched:
            return Fetched(url=url, final_url=current, status=status, reason=reason,
                           elapsed_ms=(time.monotonic() - started) * 1000)

        for _hop in range(self.settings.max_redirects + 1):
            # the lookup itself happens once, when the connection is made; a proxy connects for us
            problem = address_problem(current, allow_private=allow_private, resolver=self._resolver) \
                if self.settings.use_proxy_env else url_problem(current, allow_private=allow_private)
            if problem:
                return failed(problem)
            self._asking.allow_private = allow_private
            if check_robots and self.settings.respect_robots and not self.robots.allowed(current):
                return failed(reasons.ROBOTS_DISALLOWED)
            # robots.txt itself rides on the next page's slot, so it does not cost the host an interval
            interval = self.interval(current, policy) if check_robots else 0.0
            response, reason = self._request(current, headers, interval, deadline, allow_private)
            if response is None:
                return failed(reason)
            with response:
                status = response.status_code
                if status in REDIRECT_STATUSES and response.headers.get("Location"):
                    target = urljoin(current, response.headers["Location"])
                    if target in seen:
                        return failed(reasons.REDIRECT_LOOP, status)
                    seen.add(target)
                    current = target
                    continue
                return self._answer(response, url, current, started, deadline, etag, last_modified,
                                    html_only, max_bytes)
        return failed(reasons.TOO_MANY_REDIRECTS)

    def _answer(self, response: requests.Response, url: str, final_url: str, started: float, deadline: float,
                etag: str | None, last_modified: str | None, html_only: bool, max_bytes: int) -> Fetched:
        """What a final (non-redirect) response means: not modified, a failure, or a body within limits."""
        status = response.status_code
        content_type = media_type(response.headers.get("Content-Type"))
        answer = {"url": url, "final_url": final_url, "status": status, "content_type": content_type}

        def elapsed_ms() -> float:
            return (time.monotonic() - started) * 1000

        if status == 304:
            return Fetched(**answer, not_modified=True, elapsed_ms=elapsed_ms(),
                           etag=response.headers.get("ETag") or etag,
                           last_modified=response.headers.get("Last-Modified") or last_modified)
        if not 200 <= status < 300:  # 4xx, 5xx after retries, and a 3xx without a Location
            return Fetched(**answer, reason=reasons.http_status(status), elapsed_ms=elapsed_ms())
        if html_only and content_type is not None and not is_html(content_type):
            return Fetched(**answer, reason=reasons.NOT_HTML, elapsed_ms=elapsed_ms())  # body never read
        body, reason = self._read_body(response, max_bytes, deadline)
        if reason is None and html_only and not is_html(content_type, body):
            reason = reasons.NOT_HTML
        if reason:
            return Fetched(**answer, reason=reason, elapsed_ms=elapsed_ms())
        return Fetched(**answer, body=body, elapsed_ms=elapsed_ms(), etag=response.headers.get("ETag"),
                       last_modified=response.headers.get("Last-Modified"))

    def _request(self, url: str, headers: dict, interval: float, deadline: float,
                 allow_private: bool) -> tuple[requests.Response | None, str | None]:
        """Send one GET (headers only read), retrying connection errors, 429 and 5xx with backoff.

        Returns the response (possibly a final 429/5xx, whose status the caller logs) or a reason.
        """
        host = host_key(url)
        timeout = (self.settings.connect_timeout, self.settings.read_timeout)
        session = self._sessions[allow_private]
        reason: str | None = None
        for attempt in range(self.settings.retries + 1):
            self.limiter.wait(host, interval)
            retry_after = None
            try:
                response = session.get(url, headers=headers, stream=True, allow_redirects=False,
                                            timeout=timeout)
            except requests.exceptions.ConnectTimeout:
                response, reason = None, reasons.CONNECT_TIMEOUT
            except requests.exceptions.Timeout:
                response, reason = None, reasons.TIMEOUT
            except (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema,
                    requests.exceptions.InvalidSchema, UnicodeError):
                return None, reasons.INVALID_URL
            except NETWORK_ERRORS as error:
                if refused := refused_reason(error):
                    return None, refused
                response, reason = None, reasons.CONNECTION_ERROR
            else:
                if response.status_code not in RETRY_STATUSES:
                    return response, None
                retry_after = parse_retry_after(response.headers.get("Retry-After"), datetime.now(UTC))
                if retry_after is not None and retry_after > self.settings.max_retry_after:
                    response.close()
                    return None, reasons.RETRY_AFTER_TOO_LONG
            delay = backoff_delay(self.settings.backoff, attempt, retry_after)
            if attempt == self.settings.retries or time.monotonic() + delay > deadline:
                return response, reason  # out of attempts or time: the last answer stands
            if response is not None:
                response.close()
            # The wait holds for the whole host (a Retry-After speaks for the site), not just this worker.
            self.limiter.push_back(host, time.monotonic() + delay)
        return None, reason

    def _read_body(self, response: requests.Response, max_bytes: int,
                   deadline: float) -> tuple[bytes | None, str | None]:
        declared = response.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > max_bytes:
            return None, reasons.TOO_LARGE  # refused before a single body byte is read
        try:
            decoder = decoder_for(response.headers.get("Content-Encoding"))
        except ValueError:
            return None, reasons.BAD_ENCODING
        chunks = iter(lambda: response.raw.read(CHUNK, decode_content=False), b"")
        # A read blocks until CHUNK bytes arrive, so a server dripping a byte a second would outlast the deadline
        # between two checks; at the deadline the watchdog shuts the socket, which ends the blocked read.
        watchdog = threading.Timer(max(0.0, deadline - time.monotonic()), _shut_down, args=(response,))
        watchdog.daemon = True
        watchdog.start()
        try:
            outcome = read_limited(chunks, decoder, max_bytes, deadline)
        except (urllib3.exceptions.ReadTimeoutError, TimeoutError):
            return None, reasons.TIMEOUT
        except NETWORK_ERRORS if watchdog.finished.is_set() else ():
            return None, reasons.TIMEOUT
        except (urllib3.exceptions.ProtocolError, urllib3.exceptions.IncompleteRead):
            return None, reasons.TRUNCATED_BODY
        except NETWORK_ERRORS:
            return None, reasons.CONNECTION_ERROR
        finally:
            watchdog.cancel()
        if watchdog.finished.is_set() and time.monotonic() >= deadline and outcome.reason is not None:
            return None, reasons.TIMEOUT  # the shut socket looked like an early end of the body
        return outcome.body, outcome.reason

    def _fetch_robots(self, robots_url: str) -> Fetched:
        # Under the policy of the page that needs it, checked like any request: a name that turns private
        # between two lookups (DNS rebinding) cannot earn robots.txt a private address the page was refused.
        # robots.txt is read without consulting robots and with a small size cap.
        policy = HostPolicy(allow_private=getattr(self._asking, "allow_private", False))
        return self._get_http(robots_url, policy, None, None, False, ROBOTS_MAX_BYTES, check_robots=False)


def _shut_down(response: requests.Response) -> None:
    """End every blocked read of the response's connection (a close alone does not wake a reader)."""
    sock = getattr(getattr(response.raw, "_connection", None), "sock", None)
    try:
        if sock is not None:
            sock.shutdown(socket.SHUT_RDWR)
        else:
            response.raw.close()
    except OSError:
        pass


def conditional_headers(etag: str | None, last_modified: str | None) -> dict[str, str]:
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date); None if absent or bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def backoff_delay(base: float, attempt: int, retry_after: float | None) -> float:
    """Exponential backoff (base, 2·base, 4·base, …), or the server's Retry-After when it says more."""
    exponential = base * (2 ** attempt)
    return max(exponential, retry_after) if retry_after is not None else exponential
