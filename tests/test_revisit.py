"""Revisits: a page that keeps coming back unchanged is asked for less and less often, a changed one is
watched closely again, and an old page is retired; discovery takes only URLs it has not seen before."""

from datetime import UTC, datetime, timedelta
from itertools import count

import duckdb
import pytest
from werkzeug import Response

from patentwire.fetch import HttpClient, PageStore
from patentwire.fetch.pages import FETCHED_RECENTLY, RETIRED, PageState, revisit_interval, skip_reason
from patentwire.fetch.settings import FetchSettings
from patentwire.sources.config import parse_sources
from patentwire.stages import run_discover, run_fetch
from patentwire.warehouse import migrate

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def state(fetched_at: datetime, stable_since: datetime | None, first: datetime | None = None) -> PageState:
    return PageState(etag=None, last_modified=None, fetched_at=fetched_at, content_hash="ab" * 32,
                     stable_since=stable_since, first_fetched_at=first or stable_since)


# --- the policy, as a function ------------------------------------------------------------------------


def test_the_interval_is_a_share_of_how_long_the_body_has_been_seen_unchanged_within_bounds():
    settings = FetchSettings(refresh_hours=20, revisit_share=0.5, max_refresh_hours=240)
    assert revisit_interval(state(NOW, NOW), settings) == 20 * HOUR  # just fetched: the floor
    assert revisit_interval(state(NOW, NOW - 100 * HOUR), settings) == 50 * HOUR
    assert revisit_interval(state(NOW, NOW - 10_000 * HOUR), settings) == 240 * HOUR  # the ceiling
    assert revisit_interval(state(NOW, None), settings) == 20 * HOUR  # no history: the floor
    assert revisit_interval(state(NOW, NOW - 100 * HOUR), FetchSettings(refresh_hours=0)) == timedelta(0)


def test_skip_reasons():
    settings = FetchSettings(refresh_hours=20, retire_after_days=90)
    stable = state(NOW - 30 * HOUR, NOW - 130 * HOUR)  # due after 50 hours
    assert skip_reason(stable, NOW, settings) == FETCHED_RECENTLY
    assert skip_reason(stable, NOW + 21 * HOUR, settings) is None
    old = state(NOW - HOUR, NOW - HOUR, first=NOW - timedelta(days=90))
    assert skip_reason(old, NOW, settings) == RETIRED
    assert skip_reason(old, NOW, FetchSettings(retire_after_days=0)) == FETCHED_RECENTLY  # 0: never retired
    assert skip_reason(None, NOW, settings) is None  # never fetched: fetch it
    assert skip_reason(PageState(None, None, NOW, None), NOW, settings) is None  # nothing stored: fetch it


# --- through the warehouse, over weeks of runs --------------------------------------------------------


@pytest.fixture
def server(local_http):
    local_http.clear()
    local_http.expect_request("/robots.txt").respond_with_data("", status=404)
    versions = count()
    local_http.expect_request("/stable.html").respond_with_data(
        b"<html><body><p>Unchanged for ever.</p></body></html>", content_type="text/html")
    local_http.expect_request("/changing.html").respond_with_handler(
        lambda request: Response(f"<html><body><p>Version {next(versions)}.</p></body></html>",
                                 content_type="text/html"))
    yield local_http
    local_http.clear()


def requests_to(server, path: str) -> int:
    return sum(1 for request, _ in server.log if request.path == path)


def test_unchanged_pages_back_off_changed_ones_do_not_and_old_ones_retire(server, tmp_path):
    urls = [server.url_for("/stable.html"), server.url_for("/changing.html")]
    config = parse_sources({"fetch": {"refresh_hours": 20, "max_refresh_hours": 400, "retire_after_days": 60,
                                      "retries": 0},
                            "sources": [{"name": "local", "kind": "urls", "urls": urls, "allow_private": True,
                                         "rate": 500}]}, tmp_path / "sources.yaml")
    store = PageStore(tmp_path / "pages")
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    migrate(con)
    runs = [NOW + 21 * HOUR * k for k in range(68)]  # a run every 21 hours for 59.5 days
    retired = []
    with HttpClient(config.fetch, config.host_policies) as client:
        run_discover(con, config, client, now=NOW)
        for when in runs:
            retired.append(run_fetch(con, config, client, store, now=when).counts["retired"])
        assert requests_to(server, "/changing.html") == 68  # every run: it changes every time
        stable = requests_to(server, "/stable.html")
        assert 8 <= stable <= 16  # the interval grew (x1.5 per unchanged fetch) instead of 68 requests
        assert retired == [0] * 68  # first fetched under 60 days before the last run
        after_retirement = NOW + timedelta(days=61)
        report = run_fetch(con, config, client, store, now=after_retirement)
    assert report.counts["retired"] == 2 and report.counts["skipped"] == 2 and report.rows == 0
    assert requests_to(server, "/changing.html") == 68 and requests_to(server, "/stable.html") == stable
    outcomes = dict(con.execute("select outcome, count(*) from fetch_log where url = ? group by all",
                                [urls[0]]).fetchall())
    assert outcomes == {"new": 1, "unchanged": stable - 1}  # skips are counted, never stored


def test_discovery_takes_up_to_max_pages_new_urls_per_run_and_works_through_a_large_source(server, tmp_path):
    urls = [server.url_for(f"/page-{n}.html") for n in range(5)]
    config = parse_sources({"fetch": {"retries": 0},
                            "sources": [{"name": "local", "kind": "urls", "urls": urls, "allow_private": True,
                                         "max_pages": 2}]}, tmp_path / "sources.yaml")
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    migrate(con)
    taken = []
    with HttpClient(config.fetch, config.host_policies) as client:
        for day in range(4):
            taken.append(run_discover(con, config, client, now=NOW + timedelta(days=day)).counts["urls"])
    assert taken == [2, 2, 1, 0]
    stored = [url for (url,) in con.execute("select url from discovered_urls order by url").fetchall()]
    assert stored == sorted(urls)
