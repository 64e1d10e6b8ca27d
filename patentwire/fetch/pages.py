"""Fetch the discovered article pages: incremental (refresh period, conditional GET), polite, and
never failing the run for one page or one source."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pandas as pd

from patentwire.fetch.client import HttpClient
from patentwire.fetch.log import PAGE_HISTORY_COLUMNS, Attempt, attempts_frame
from patentwire.fetch.response import Fetched
from patentwire.fetch.settings import FetchSettings
from patentwire.fetch.store import PageStore
from patentwire.progress import stage_progress
from patentwire.urls import host_key
from patentwire.vocab import FetchOutcome

INTERNAL_ERROR = "internal_error"
UNEXPECTED_304 = "unexpected_304"
FETCHED_RECENTLY = "fetched_recently"  # within its revisit interval
RETIRED = "retired"  # first fetched longer ago than retire_after_days: never asked for again


@dataclass(frozen=True)
class PageState:
    """The latest successful fetch of one URL (a row of PAGE_STATE_COLUMNS)."""

    etag: str | None
    last_modified: str | None
    fetched_at: datetime | None
    content_hash: str | None
    stable_since: datetime | None = None  # first fetch that returned the current body (after a different one)
    first_fetched_at: datetime | None = None  # first stored fetch of the URL at all


@dataclass(frozen=True)
class PageTask:
    source: str
    url: str
    state: PageState | None


def fetch_pages(discovered: pd.DataFrame, client: HttpClient, store: PageStore, previous: pd.DataFrame, *,
                now: datetime | None = None) -> pd.DataFrame:
    """One fetch-log row per discovered URL: fetched (new/changed/unchanged/failed) or skipped as fresh."""
    now = now or datetime.now(UTC)
    states = page_states(previous)
    skipped: list[Attempt] = []
    tasks: list[PageTask] = []
    for source, url in unique_urls(discovered):
        state = states.get(url)
        reason = skip_reason(state, now, client.settings)
        if reason:
            skipped.append(Attempt(source=source, url=url, outcome=FetchOutcome.SKIPPED, fetched_at=now,
                                   reason=reason, etag=state.etag, last_modified=state.last_modified))
        else:
            tasks.append(PageTask(source, url, state))
    clock_start = time.monotonic()
    progress = stage_progress("fetch", len(tasks))

    def fetch_one(task: PageTask) -> Attempt:
        fetched_at = now + timedelta(seconds=time.monotonic() - clock_start)
        try:
            return fetch_task(task, client, store, fetched_at)
        except Exception as error:  # a bug in one page must not lose the rest of the run's log
            return Attempt(source=task.source, url=task.url, outcome=FetchOutcome.FAILED, fetched_at=fetched_at,
                           reason=f"{INTERNAL_ERROR}: {type(error).__name__}: {error}"[:300])
        finally:
            progress.advance()

    fetched = client.run_politely(tasks, fetch_one, host_of=lambda task: host_key(task.url))
    return attempts_frame(skipped + fetched)


def revisit_interval(state: PageState, settings: FetchSettings) -> timedelta:
    """How long after its last fetch a stored page is due again.

    A body seen unchanged for a long time is unlikely to change soon: the interval is `revisit_share` of
    how long the current body has been seen (up to its last fetch), between refresh_hours and
    max_refresh_hours. With refresh_hours 0 every run fetches again."""
    floor = timedelta(hours=settings.refresh_hours)
    if not settings.refresh_hours or state.stable_since is None or state.fetched_at is None:
        return floor
    ceiling = timedelta(hours=max(settings.refresh_hours, settings.max_refresh_hours))
    return min(ceiling, max(floor, (state.fetched_at - state.stable_since) * settings.revisit_share))


def skip_reason(state: PageState | None, now: datetime, settings: FetchSettings) -> str | None:
    """Why a URL is not fetched on this run (None: fetch it). Only a stored page is ever skipped."""
    if not (state and state.fetched_at and state.content_hash):
        return None
    if (settings.retire_after_days and state.first_fetched_at
            and now - state.first_fetched_at >= timedelta(days=settings.retire_after_days)):
        return RETIRED
    if now - state.fetched_at < revisit_interval(state, settings):
        return FETCHED_RECENTLY
    return None


def fetch_task(task: PageTask, client: HttpClient, store: PageStore, fetched_at: datetime) -> Attempt:
    state = task.state
    result = client.get(task.url, policy=client.policy(task.source), html_only=True,
                        etag=state.etag if state and state.content_hash else None,
                        last_modified=state.last_modified if state and state.content_hash else None)
    return attempt_from(task, result, store, fetched_at)


def attempt_from(task: PageTask, result: Fetched, store: PageStore, fetched_at: datetime) -> Attempt:
    """Classify a fetch against the URL's previous state, storing a new body."""
    common = dict(source=task.source, url=task.url, fetched_at=fetched_at, final_url=result.final_url,
                  status=result.status, elapsed_ms=result.elapsed_ms, content_type=result.content_type)
    if not result.ok:
        return Attempt(outcome=FetchOutcome.FAILED, reason=result.reason, **common)
    previous_hash = task.state.content_hash if task.state else None
    if result.not_modified and previous_hash is None:
        # We sent no validator, so a 304 has nothing to point at: there is no page to store.
        return Attempt(outcome=FetchOutcome.FAILED, reason=UNEXPECTED_304, **common)
    if result.not_modified:
        # A 304 costs no parse: the body stored last time is still the page.
        return Attempt(outcome=FetchOutcome.UNCHANGED, bytes=0, etag=result.etag,
                       last_modified=result.last_modified, content_hash=previous_hash, **common)
    content_hash = store.put(result.body)
    return Attempt(outcome=outcome_against(previous_hash, content_hash), bytes=result.size, etag=result.etag, last_modified=result.last_modified,
                   content_hash=content_hash, **common)


def outcome_against(previous_hash: str | None, content_hash: str) -> FetchOutcome:
    """A body compared with the one stored last time for the same URL."""
    if previous_hash is None:
        return FetchOutcome.NEW
    return FetchOutcome.UNCHANGED if previous_hash == content_hash else FetchOutcome.CHANGED


def unique_urls(discovered: pd.DataFrame) -> list[tuple[str, str]]:
    """(source, url) once per URL, first source wins, in the order given."""
    if discovered is None or discovered.empty:
        return []
    pairs = discovered[["source", "url"]].drop_duplicates(subset="url", keep="first")
    return [(str(source), str(url)) for source, url in pairs.itertuples(index=False)]


def page_states(previous: pd.DataFrame | None) -> dict[str, PageState]:
    """The latest successful fetch per URL, from PAGE_STATE_COLUMNS rows (and PAGE_HISTORY_COLUMNS if given)."""
    if previous is None or previous.empty:
        return {}
    latest = previous.copy()
    for column in ("fetched_at", *PAGE_HISTORY_COLUMNS):
        latest[column] = pd.to_datetime(latest[column], utc=True) if column in latest else pd.NaT
    latest = latest.sort_values("fetched_at").drop_duplicates(subset="url", keep="last")
    # column by column, not row by row: a home keeps one state per page it ever fetched
    columns = {"url": latest["url"].astype(str).tolist(),
               **{column: [_text(value) for value in latest[column].tolist()]
                  for column in ("etag", "last_modified", "content_hash")},
               **{column: _times(latest[column]) for column in ("fetched_at", *PAGE_HISTORY_COLUMNS)}}
    return {url: PageState(etag, last_modified, fetched_at, content_hash, stable_since, first_fetched_at)
            for url, etag, last_modified, content_hash, fetched_at, stable_since, first_fetched_at
            in zip(*columns.values(), strict=True)}


def _times(column: pd.Series) -> list[datetime | None]:
    return [None if pd.isna(value) else value for value in column.dt.to_pydatetime().tolist()]


def _text(value: object) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return str(value) or None
