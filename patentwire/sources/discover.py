"""Discovery: from the sources to a de-duplicated list of article URLs, and a log of every document read.

One source failing (a dead feed, a malformed sitemap) is logged with its reason; the others go on.
Discovery documents are fetched conditionally: their bodies go to the page store, the validators of the last
successful read are sent back, and a 304 (or the same body again) is logged `unchanged` and parsed from the store.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pandas as pd

from patentwire.fetch import reasons
from patentwire.fetch.client import HttpClient
from patentwire.decompress import CORRUPT, TOO_LARGE, TRUNCATED, DecompressError, gunzip_bounded
from patentwire.fetch.log import Attempt, attempts_frame
from patentwire.fetch.pages import UNEXPECTED_304, PageState, outcome_against
from patentwire.fetch.response import Fetched
from patentwire.fetch.store import PageStore
from patentwire.sources.archive import saved_pages
from patentwire.sources.config import Source, SourcesConfig
from patentwire.sources.entries import Entry, MalformedDocument
from patentwire.sources.feeds import parse_feed
from patentwire.sources.listing import parse_listing
from patentwire.sources.sitemaps import parse_sitemap
from patentwire.tables import table
from patentwire.urls import host_key, normalize_url
from patentwire.vocab import FetchOutcome

DISCOVERED_COLUMNS = table("discovered_urls").column_names
MAX_SITEMAPS_PER_SOURCE = 200  # a sitemap index of a huge site must not turn one run into a full crawl
MALFORMED_FEED_RECOVERED = "malformed_feed_recovered"
GZIP_REASONS = {TOO_LARGE: reasons.TOO_LARGE, TRUNCATED: reasons.TRUNCATED_BODY, CORRUPT: reasons.BAD_ENCODING}


@dataclass(frozen=True)
class Discovery:
    urls: pd.DataFrame  # DISCOVERED_COLUMNS
    log: pd.DataFrame  # FETCH_LOG_COLUMNS: one row per discovery document attempt


@dataclass
class SourceRun:
    """What reading one source's documents produced."""

    source: Source
    clock: Callable[[], datetime]
    store: PageStore | None = None
    states: dict[str, PageState] = field(default_factory=dict)  # last successful read per document URL
    entries: list[Entry] = field(default_factory=list)
    attempts: list[Attempt] = field(default_factory=list)

    def log(self, url: str, fetched: Fetched, *, outcome: FetchOutcome | None = None, reason: str | None = None,
            fetched_at: datetime, content_hash: str | None = None) -> None:
        self.attempts.append(Attempt(
            source=self.source.name, url=url, fetched_at=fetched_at,
            outcome=outcome or (FetchOutcome.NEW if fetched.ok else FetchOutcome.FAILED),
            reason=reason if reason is not None else fetched.reason, final_url=fetched.final_url,
            status=fetched.status, bytes=0 if fetched.not_modified else fetched.size,
            elapsed_ms=fetched.elapsed_ms, etag=fetched.etag, last_modified=fetched.last_modified,
            content_type=fetched.content_type, content_hash=content_hash))

    def stored_state(self, url: str) -> PageState | None:
        """The last successful read of `url`, if its body is still in the store (else fetch it whole)."""
        state = self.states.get(url)
        if self.store is None or state is None or state.content_hash is None or state.content_hash not in self.store:
            return None
        return state

    def fetch(self, client: HttpClient, url: str) -> tuple[Fetched, bytes | None, str | None, FetchOutcome]:
        """(response, body, content hash, outcome): a 304 brings back the stored body, marked unchanged."""
        state = self.stored_state(url)
        fetched = client.get(url, policy=self.source.host_policy, max_bytes=client.settings.max_document_bytes,
                             etag=state.etag if state else None,
                             last_modified=state.last_modified if state else None)
        if not fetched.ok:
            return fetched, None, None, FetchOutcome.FAILED
        if fetched.not_modified:
            if state is None:  # a 304 to a request without validators has nothing to point at
                return Fetched(url=url, final_url=fetched.final_url, status=fetched.status,
                               reason=UNEXPECTED_304), None, None, FetchOutcome.FAILED
            return fetched, self.store.get(state.content_hash), state.content_hash, FetchOutcome.UNCHANGED
        if self.store is None:
            return fetched, fetched.body, None, FetchOutcome.NEW
        content_hash = self.store.put(fetched.body)
        return fetched, fetched.body, content_hash, outcome_against(state.content_hash if state else None,
                                                                    content_hash)

    def read(self, client: HttpClient, url: str, parse: Callable[[bytes, str], object]) -> object | None:
        """Fetch one discovery document and parse it; None (logged) on any failure."""
        fetched_at = self.clock()
        fetched, body, content_hash, outcome = self.fetch(client, url)
        if body is None:
            self.log(url, fetched, outcome=outcome, fetched_at=fetched_at)
            return None
        if body[:2] == b"\x1f\x8b":  # .xml.gz served as a file, not as Content-Encoding
            try:
                body = gunzip_bounded(body, client.settings.max_document_bytes)
            except DecompressError as error:
                self.log(url, fetched, outcome=FetchOutcome.FAILED, reason=GZIP_REASONS[error.reason],
                         fetched_at=fetched_at)
                return None
        base = fetched.final_url or url
        try:
            parsed = parse(body, base)
        except MalformedDocument as error:
            self.log(url, fetched, outcome=FetchOutcome.FAILED, reason=str(error), fetched_at=fetched_at)
            return None
        recovered = getattr(parsed, "recovered", False)
        self.log(url, fetched, outcome=outcome, reason=MALFORMED_FEED_RECOVERED if recovered else None,
                 fetched_at=fetched_at, content_hash=content_hash)
        return parsed


def discover(config: SourcesConfig, client: HttpClient, *, now: datetime | None = None,
             store: PageStore | None = None, previous: dict[str, PageState] | None = None,
             known: set[str] | None = None) -> Discovery:
    """Article URLs of every enabled source, normalized and de-duplicated (the first source wins).

    With a `store`, document bodies are kept and `previous` (the last read of each document URL) makes
    every fetch conditional. URLs in `known` (discovered on an earlier run) are not taken again, so
    `max_pages` bounds the new URLs of a run and a large archive is worked through run by run.
    """
    now = now or datetime.now(UTC)
    started = time.monotonic()

    def clock() -> datetime:
        return now + timedelta(seconds=time.monotonic() - started)

    def read_source(source: Source) -> SourceRun:
        run = SourceRun(source, clock, store, previous or {})
        try:
            READERS[source.kind](run, client)
        except Exception as error:  # one broken source never stops the others
            run.attempts.append(Attempt(source=source.name, url=source.url or str(source.path or ""),
                                        outcome=FetchOutcome.FAILED, fetched_at=clock(),
                                        reason=f"internal_error: {type(error).__name__}: {error}"[:300]))
        return run

    # Sources are read in parallel (one at a time per host); their URLs are merged in file order.
    runs = client.run_politely(config.enabled_sources, read_source, host_of=first_host)
    rows: list[dict] = []
    attempts: list[Attempt] = []
    seen: set[str] = set(known or ())
    for run in runs:
        attempts.extend(run.attempts)
        for entry, url in select_entries(run.source, run.entries, seen):
            rows.append({"source": run.source.name, "url": url, "language": run.source.language,
                         "entry_title": entry.title, "entry_published": entry.published, "discovered_at": now})
    return Discovery(urls=discovered_frame(rows), log=attempts_frame(attempts))


def first_host(source: Source) -> str:
    """The host a source's discovery starts on (local sources share the unlimited `file:` host)."""
    return host_key(source.url) if source.url else "file:"


def select_entries(source: Source, entries: list[Entry], seen: set[str]) -> list[tuple[Entry, str]]:
    """The source's entries that are new, wanted, recent enough, up to `max_pages`; marks them seen."""
    taken = []
    for entry in entries:
        if entry.url in seen:  # seen URLs are normalized and normalizing is idempotent: skip the work
            continue
        url = normalize_url(entry.url)
        if url is None or url in seen or not source.wants(url):
            continue
        if source.since and entry.published and entry.published < source.since:
            continue
        if source.max_pages is not None and len(taken) >= source.max_pages:
            break
        seen.add(url)
        taken.append((entry, url))
    return taken


def discovered_frame(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=DISCOVERED_COLUMNS)
    frame["entry_published"] = pd.to_datetime(frame["entry_published"], utc=True)
    frame["discovered_at"] = pd.to_datetime(frame["discovered_at"], utc=True)
    for column in ("source", "url", "language", "entry_title"):
        frame[column] = frame[column].astype("object").where(frame[column].notna(), None)
    return frame


# --- one reader per kind ------------------------------------------------------------------------


def read_feed(run: SourceRun, client: HttpClient) -> None:
    parsed = run.read(client, run.source.url, parse_feed)
    if parsed is not None:
        run.entries.extend(parsed.entries)


def read_sitemap(run: SourceRun, client: HttpClient) -> None:
    """Breadth-first through sitemap indexes, skipping child sitemaps last modified before `since`."""
    pending = [(run.source.url, 1)]
    visited: set[str] = set()
    while pending and len(visited) < MAX_SITEMAPS_PER_SOURCE:
        url, depth = pending.pop(0)
        if url in visited:
            continue
        visited.add(url)
        sitemap = run.read(client, url, parse_sitemap)
        if sitemap is None:
            continue
        run.entries.extend(sitemap.entries)
        for child in sitemap.children:
            if run.source.since and child.published and child.published < run.source.since:
                continue
            if depth >= client.settings.max_sitemap_depth:  # recorded, never fetched: an index nesting for ever
                run.log(child.url, Fetched(url=child.url, reason=reasons.TOO_DEEP), outcome=FetchOutcome.FAILED,
                        fetched_at=run.clock())
                continue
            pending.append((child.url, depth + 1))


def read_listing(run: SourceRun, client: HttpClient) -> None:
    """The index page and its "next page" links, up to `max_listing_pages`."""
    url: str | None = run.source.url
    visited: set[str] = set()
    while url and url not in visited and len(visited) < run.source.max_listing_pages:
        visited.add(url)
        page = run.read(client, url, lambda body, base: parse_listing(
            body, base, run.source.link_selector, run.source.next_selector))
        if page is None:
            return
        run.entries.extend(page.entries)
        url = page.next_url


def read_urls(run: SourceRun, client: HttpClient) -> None:
    run.entries.extend(Entry(url=url) for url in run.source.urls or [])


def read_archive(run: SourceRun, client: HttpClient) -> None:
    try:
        inside, outside = saved_pages(run.source.path)
        run.entries.extend(Entry(url=page.url) for page in inside)
        for link in outside:  # logged under the link's own name: where it points is nobody's business
            run.attempts.append(Attempt(source=run.source.name, url=link.absolute().as_uri(),
                                        outcome=FetchOutcome.FAILED, fetched_at=run.clock(),
                                        reason=reasons.SYMLINK_OUTSIDE_FOLDER))
    except FileNotFoundError:
        run.attempts.append(Attempt(source=run.source.name, url=run.source.path.as_uri(),
                                    outcome=FetchOutcome.FAILED, fetched_at=run.clock(),
                                    reason=reasons.FILE_NOT_FOUND))


READERS: dict[str, Callable[[SourceRun, HttpClient], None]] = {
    "feed": read_feed, "sitemap": read_sitemap, "listing": read_listing, "urls": read_urls,
    "archive": read_archive,
}
