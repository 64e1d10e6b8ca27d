"""The fetcher against a local HTTP server: every fault lands in the fetch log with its reason,
good pages are stored, and the run completes."""

import gzip
import socket
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from patentwire.fetch import FETCH_LOG_COLUMNS, PAGE_STATE_COLUMNS, HttpClient, PageStore, fetch_pages
from patentwire.ids import stable_id
from patentwire.sources.config import parse_sources

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
PAGE = b"<!doctype html><html><head><title>Deal</title></head><body><p>Two firms cross-license.</p></body></html>"
NO_STATE = pd.DataFrame(columns=PAGE_STATE_COLUMNS)


@pytest.fixture
def server(local_http):
    local_http.clear()
    yield local_http
    local_http.clear()


def no_robots(server: HTTPServer) -> None:
    server.expect_request("/robots.txt").respond_with_data("", status=404)


def make_config(tmp_path: Path, *, allow_private: bool = True, rate: float = 500, **fetch):
    settings = {"retries": 2, "backoff": 0.01, "connect_timeout": 0.5, "read_timeout": 0.3, "total_timeout": 3,
                "max_bytes": 1_000_000, "refresh_hours": 20, **fetch}
    source = {"name": "local", "kind": "urls", "urls": ["http://127.0.0.1/"], "allow_private": allow_private,
              "rate": rate}
    return parse_sources({"fetch": settings, "sources": [source]}, tmp_path / "sources.yaml")


def discovered(*urls: str, source: str = "local") -> pd.DataFrame:
    return pd.DataFrame({"source": source, "url": list(urls)})


def crawl(tmp_path, urls, previous=NO_STATE, now=NOW, resolver=None, **config):
    cfg = make_config(tmp_path, **config)
    client = HttpClient(cfg.fetch, cfg.host_policies, **({"resolver": resolver} if resolver else {}))
    with client:
        log = fetch_pages(discovered(*urls), client, PageStore(tmp_path / "pages"), previous, now=now)
    assert list(log.columns) == FETCH_LOG_COLUMNS
    return log.set_index("url", drop=False)


def requests_to(server: HTTPServer, path: str) -> list[Request]:
    return [request for request, _response in server.log if request.path == path]


def state_of(log: pd.DataFrame) -> pd.DataFrame:
    return log[log["content_hash"].notna()][PAGE_STATE_COLUMNS].reset_index(drop=True)


# --- the normal, incremental path --------------------------------------------------------------


def test_new_page_is_stored_then_skipped_then_revalidated_with_304(server, tmp_path):
    no_robots(server)
    server.expect_request("/a.html", headers={"If-None-Match": '"v1"'}).respond_with_data("", status=304)
    server.expect_request("/a.html").respond_with_data(PAGE, content_type="text/html; charset=utf-8",
                                                       headers={"ETag": '"v1"', "Last-Modified": "Sun, 01 Mar 2026 10:00:00 GMT"})
    url = server.url_for("/a.html")

    first = crawl(tmp_path, [url]).loc[url]
    assert first.outcome == "new" and first.status == 200 and first.reason is None
    assert first.etag == '"v1"' and first.content_type == "text/html" and first.bytes == len(PAGE)
    assert PageStore(tmp_path / "pages").get(first.content_hash) == PAGE
    assert first.attempt_id == stable_id(url, first.fetched_at.isoformat())
    assert first.fetched_at.tzinfo is not None

    soon = crawl(tmp_path, [url], previous=state_of(crawl_log := pd.DataFrame([first])), now=NOW + timedelta(hours=1))
    assert soon.loc[url].outcome == "skipped"
    assert len(requests_to(server, "/a.html")) == 1  # the refresh period spared the host

    later = crawl(tmp_path, [url], previous=state_of(crawl_log), now=NOW + timedelta(days=2)).loc[url]
    assert later.outcome == "unchanged" and later.status == 304 and later.content_hash == first.content_hash
    assert requests_to(server, "/a.html")[-1].headers["If-Modified-Since"] == "Sun, 01 Mar 2026 10:00:00 GMT"


def test_same_body_is_unchanged_and_a_new_body_is_changed(server, tmp_path):
    no_robots(server)
    bodies = iter([PAGE, PAGE, PAGE.replace(b"Two", b"Three")])
    server.expect_request("/p.html").respond_with_handler(
        lambda request: Response(next(bodies), content_type="text/html"))
    url = server.url_for("/p.html")
    outcomes = []
    previous = NO_STATE
    for day in range(3):
        log = crawl(tmp_path, [url], previous=previous, now=NOW + timedelta(days=day))
        outcomes.append(log.loc[url].outcome)
        previous = state_of(log)
    assert outcomes == ["new", "unchanged", "changed"]


# --- retries -----------------------------------------------------------------------------------


def test_500_then_success_is_retried(server, tmp_path):
    no_robots(server)
    server.expect_oneshot_request("/flaky.html").respond_with_data("oops", status=500)
    server.expect_request("/flaky.html").respond_with_data(PAGE, content_type="text/html")
    url = server.url_for("/flaky.html")
    assert crawl(tmp_path, [url]).loc[url].outcome == "new"
    assert len(requests_to(server, "/flaky.html")) == 2


def test_429_waits_for_retry_after(server, tmp_path):
    no_robots(server)
    server.expect_oneshot_request("/busy.html").respond_with_data("slow down", status=429, headers={"Retry-After": "1"})
    server.expect_request("/busy.html").respond_with_data(PAGE, content_type="text/html")
    url = server.url_for("/busy.html")
    started = time.monotonic()
    assert crawl(tmp_path, [url]).loc[url].outcome == "new"
    assert time.monotonic() - started >= 0.9


def test_retry_after_beyond_the_limit_gives_up_at_once(server, tmp_path):
    no_robots(server)
    server.expect_request("/later.html").respond_with_data("", status=503, headers={"Retry-After": "3600"})
    url = server.url_for("/later.html")
    started = time.monotonic()
    row = crawl(tmp_path, [url], max_retry_after=5).loc[url]
    assert (row.outcome, row.reason) == ("failed", "retry_after_too_long")
    assert time.monotonic() - started < 2


def test_persistent_500_fails_after_the_retries_and_404_is_not_retried(server, tmp_path):
    no_robots(server)
    server.expect_request("/down.html").respond_with_data("", status=500)
    server.expect_request("/gone.html").respond_with_data("", status=404)
    down, gone = server.url_for("/down.html"), server.url_for("/gone.html")
    log = crawl(tmp_path, [down, gone])
    assert (log.loc[down].reason, log.loc[down].status) == ("http_500", 500)
    assert (log.loc[gone].reason, log.loc[gone].status) == ("http_404", 404)
    assert len(requests_to(server, "/down.html")) == 3  # 1 + retries
    assert len(requests_to(server, "/gone.html")) == 1


# --- limits ------------------------------------------------------------------------------------


def sleepy(seconds: float, body: bytes = PAGE):
    def handler(request: Request) -> Response:
        time.sleep(seconds)
        return Response(body, content_type="text/html")
    return handler


def stalls_midway(request: Request) -> Response:
    def chunks():
        yield PAGE[:20]
        time.sleep(1.0)
        yield PAGE[20:]
    return Response(chunks(), content_type="text/html", headers={"Content-Length": str(len(PAGE))})


def endless(request: Request) -> Response:
    block = b"<p>" + b"x" * (1024 * 1024 - 7) + b"</p>\n"
    return Response((block for _ in range(50)), content_type="text/html")  # 50 MB, no Content-Length


def test_timeouts_truncation_and_size_limits_each_have_their_reason(server, tmp_path):
    no_robots(server)
    bomb = gzip.compress(b"\0" * (20 * 1024 * 1024), compresslevel=1)
    truncated = gzip.compress(PAGE * 50)[:-60]
    server.expect_request("/slow.html").respond_with_handler(sleepy(1.0))
    server.expect_request("/stall.html").respond_with_handler(stalls_midway)
    server.expect_request("/huge.html").respond_with_handler(endless)
    server.expect_request("/declared.html").respond_with_handler(lambda request: Response(
        iter([b"<html>"]), content_type="text/html", headers={"Content-Length": str(50 * 1024 * 1024)}))
    server.expect_request("/bomb.html").respond_with_data(bomb, content_type="text/html",
                                                          headers={"Content-Encoding": "gzip"})
    server.expect_request("/cut.html").respond_with_data(truncated, content_type="text/html",
                                                         headers={"Content-Encoding": "gzip"})
    server.expect_request("/ok.html").respond_with_data(PAGE, content_type="text/html")
    names = ["slow", "stall", "huge", "declared", "bomb", "cut", "ok"]
    urls = {name: server.url_for(f"/{name}.html") for name in names}
    started = time.monotonic()
    log = crawl(tmp_path, list(urls.values()), retries=0)
    reasons = {name: log.loc[url].reason for name, url in urls.items()}
    assert reasons == {"slow": "timeout", "stall": "timeout", "huge": "too_large", "declared": "too_large",
                       "bomb": "too_large", "cut": "truncated_body", "ok": None}
    assert log.loc[urls["ok"]].outcome == "new"
    assert time.monotonic() - started < 10


def test_redirects_are_followed_capped_and_loops_detected(server, tmp_path):
    no_robots(server)
    server.expect_request("/old.html").respond_with_data("", status=301, headers={"Location": "/new.html"})
    server.expect_request("/new.html").respond_with_data(PAGE, content_type="text/html")
    server.expect_request("/loop-a").respond_with_data("", status=302, headers={"Location": "/loop-b"})
    server.expect_request("/loop-b").respond_with_data("", status=302, headers={"Location": "/loop-a"})
    for hop in range(6):
        server.expect_request(f"/chain{hop}").respond_with_data("", status=302, headers={"Location": f"/chain{hop + 1}"})
    old, loop, chain = server.url_for("/old.html"), server.url_for("/loop-a"), server.url_for("/chain0")
    log = crawl(tmp_path, [old, loop, chain], max_redirects=3)
    assert log.loc[old].outcome == "new" and log.loc[old].final_url == server.url_for("/new.html")
    assert (log.loc[loop].outcome, log.loc[loop].reason) == ("failed", "redirect_loop")
    assert log.loc[chain].reason == "too_many_redirects"


def test_non_html_is_refused_and_not_stored(server, tmp_path):
    no_robots(server)
    server.expect_request("/report.pdf").respond_with_data(b"%PDF-1.7" + b"0" * 1000, content_type="application/pdf")
    server.expect_request("/untyped").respond_with_data(b"plain words, no markup", content_type="")
    pdf, untyped = server.url_for("/report.pdf"), server.url_for("/untyped")
    log = crawl(tmp_path, [pdf, untyped])
    assert (log.loc[pdf].reason, log.loc[pdf].content_type) == ("not_html", "application/pdf")
    assert log.loc[untyped].reason == "not_html"
    assert log["content_hash"].isna().all() and not (tmp_path / "pages").exists()


def test_connection_refused_is_a_connection_error(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again before the fetch: nothing listens there
    url = f"http://127.0.0.1:{port}/x.html"
    assert crawl(tmp_path, [url], retries=1).loc[url].reason == "connection_error"


# --- robots.txt and politeness -----------------------------------------------------------------


def test_robots_disallowed_path_is_never_requested(server, tmp_path):
    server.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow: /private/\n",
                                                           content_type="text/plain")
    server.expect_request("/private/memo.html").respond_with_data(PAGE, content_type="text/html")
    server.expect_request("/public.html").respond_with_data(PAGE, content_type="text/html")
    private, public = server.url_for("/private/memo.html"), server.url_for("/public.html")
    log = crawl(tmp_path, [private, public])
    assert (log.loc[private].outcome, log.loc[private].reason) == ("failed", "robots_disallowed")
    assert log.loc[public].outcome == "new"
    assert not requests_to(server, "/private/memo.html")
    assert len(requests_to(server, "/robots.txt")) == 1
    assert requests_to(server, "/public.html")[0].headers["User-Agent"].startswith("patentwire/")


def test_crawl_delay_and_rate_space_requests_to_one_host(server, tmp_path):
    server.expect_request("/robots.txt").respond_with_data("User-agent: *\nCrawl-delay: 0.2\n")
    for n in range(4):
        server.expect_request(f"/{n}.html").respond_with_data(PAGE, content_type="text/html")
    urls = [server.url_for(f"/{n}.html") for n in range(4)]
    started = time.monotonic()
    log = crawl(tmp_path, urls, rate=100, concurrency=4)
    assert (log["outcome"] == "new").all()
    assert time.monotonic() - started >= 0.55  # three gaps of 0.2 s, even with four workers


# --- no requests inward unless the source allows it ---------------------------------------------


def test_private_address_is_refused_unless_the_source_allows_it(server, tmp_path):
    server.expect_request("/a.html").respond_with_data(PAGE, content_type="text/html")
    url = server.url_for("/a.html")
    row = crawl(tmp_path, [url], allow_private=False).loc[url]
    assert (row.outcome, row.reason) == ("failed", "private_address")
    assert not requests_to(server, "/a.html") and not requests_to(server, "/robots.txt")  # not even robots


def test_redirect_to_a_private_host_is_refused_after_the_redirect(server, tmp_path, monkeypatch):
    no_robots(server)
    target = server.url_for("/secret.html").replace("127.0.0.1", "localhost")
    server.expect_request("/hop.html").respond_with_data("", status=302, headers={"Location": target})
    server.expect_request("/secret.html").respond_with_data(PAGE, content_type="text/html")
    # Pretend the test server is a public host and "localhost" resolves to an intranet address
    # (never contacted: the check refuses it before any connection).
    monkeypatch.setattr("patentwire.fetch.addresses.is_public", lambda address: address.startswith("127."))
    url = server.url_for("/hop.html")
    row = crawl(tmp_path, [url], allow_private=False,
                resolver=lambda host, port: ["127.0.0.1"] if host == "127.0.0.1" else ["10.0.0.1"]).loc[url]
    assert (row.outcome, row.reason) == ("failed", "private_address")
    assert row.final_url == target
    assert len(requests_to(server, "/hop.html")) == 1 and not requests_to(server, "/secret.html")


def test_a_name_is_checked_where_the_connection_is_made(server, tmp_path, monkeypatch):
    """Nothing is resolved before connecting (a second lookup could answer differently): the one lookup,
    at connect time, finds the private address and no request leaves."""
    server.expect_request("/a.html").respond_with_data(PAGE, content_type="text/html")
    lookups = []
    url = server.url_for("/a.html").replace("127.0.0.1", "inward.test")
    row = crawl(tmp_path, [url], allow_private=False,
                resolver=lambda host, port: lookups.append(host) or ["127.0.0.1"]).loc[url]
    assert (row.outcome, row.reason) == ("failed", "private_address")
    assert not requests_to(server, "/a.html")
    assert lookups and set(lookups) == {"inward.test"}


# --- the whole run -----------------------------------------------------------------------------


def test_one_run_with_every_fault_completes_and_stores_the_good_pages(server, tmp_path):
    server.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow: /blocked/\n")
    server.expect_oneshot_request("/flaky.html").respond_with_data("", status=502)
    server.expect_request("/flaky.html").respond_with_data(PAGE, content_type="text/html")
    server.expect_request("/good.html").respond_with_data(PAGE.replace(b"Two", b"Four"), content_type="text/html")
    server.expect_request("/doc.pdf").respond_with_data(b"%PDF", content_type="application/pdf")
    server.expect_request("/blocked/x.html").respond_with_data(PAGE, content_type="text/html")
    server.expect_request("/slow.html").respond_with_handler(sleepy(1.0))
    local = tmp_path / "saved.html"
    local.write_bytes(PAGE)
    urls = [server.url_for(p) for p in ("/flaky.html", "/good.html", "/doc.pdf", "/blocked/x.html", "/slow.html")]
    urls += [local.as_uri(), (tmp_path / "missing.html").as_uri()]
    log = crawl(tmp_path, urls, retries=1)
    assert log["outcome"].tolist().count("new") == 2
    # a web source's list naming local files reads none of them, and says the same whether they exist or not
    assert set(log["reason"].dropna()) == {"not_html", "robots_disallowed", "timeout", "local_file_refused"}
    assert log.loc[local.as_uri(), "reason"] == log.loc[(tmp_path / "missing.html").as_uri(), "reason"]
    store = PageStore(tmp_path / "pages")
    assert all(store.get(sha) for sha in log["content_hash"].dropna())
    assert len(set(log["content_hash"].dropna())) == 2
