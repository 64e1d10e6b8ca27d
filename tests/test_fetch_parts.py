"""The fetcher's pure parts: page store, Retry-After, backoff, body limits, local files, politeness."""

import gzip
import threading
import time
import zlib
from datetime import UTC, datetime

import pytest

from patentwire.fetch import PageStore
from patentwire.fetch.addresses import address_problem, is_public
from patentwire.fetch.body import Decoder, is_html, read_limited
from patentwire.fetch.client import backoff_delay, parse_retry_after
from patentwire.fetch.files import read_file_url
from patentwire.fetch.politeness import HostLimiter, run_politely
from patentwire.fetch.response import Fetched
from patentwire.fetch.robots import RobotsCache

PAGE = b"<html><body><p>Both companies agree to a licence.</p></body></html>"


def test_page_store_keeps_identical_bodies_once_and_compressed(tmp_path):
    store = PageStore(tmp_path)
    first, second = store.put(PAGE), store.put(PAGE)
    assert first == second and len(first) == 64
    assert store.get(first) == PAGE
    assert store.path(first).read_bytes()[:2] == b"\x1f\x8b"
    assert len(list(tmp_path.rglob("*.gz"))) == 1
    assert first in store and "0" * 64 not in store


def test_page_store_says_what_to_do_for_an_unknown_hash(tmp_path):
    with pytest.raises(KeyError, match="fetch the page again"):
        PageStore(tmp_path).get("ab" * 32)


def test_retry_after_accepts_seconds_and_http_dates():
    now = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("7", now) == 7.0
    assert parse_retry_after("Sun, 01 Mar 2026 12:00:30 GMT", now) == 30.0
    assert parse_retry_after("Sun, 01 Mar 2026 11:00:00 GMT", now) == 0.0  # already past
    assert parse_retry_after("soon", now) is None and parse_retry_after(None, now) is None


def test_backoff_doubles_and_yields_to_a_longer_retry_after():
    assert [backoff_delay(0.5, attempt, None) for attempt in range(4)] == [0.5, 1.0, 2.0, 4.0]
    assert backoff_delay(0.5, 0, 10.0) == 10.0
    assert backoff_delay(0.5, 3, 1.0) == 4.0


def test_gzip_bomb_stops_at_the_limit_without_inflating_everything():
    bomb = gzip.compress(b"\0" * (20 * 1024 * 1024), compresslevel=1)
    chunks = (bomb[i:i + 65536] for i in range(0, len(bomb), 65536))
    assert read_limited(chunks, Decoder("gzip"), max_bytes=1_000_000, deadline=float("inf")).reason == "too_large"


def test_raw_and_zlib_deflate_both_decode_and_truncation_is_noticed():
    raw = zlib.compressobj(wbits=-15)
    raw_body = raw.compress(PAGE) + raw.flush()
    assert read_limited(iter([raw_body]), Decoder("deflate"), 10_000, float("inf")).body == PAGE
    assert read_limited(iter([zlib.compress(PAGE)]), Decoder("deflate"), 10_000, float("inf")).body == PAGE
    cut = gzip.compress(PAGE)[:-12]
    assert read_limited(iter([cut]), Decoder("gzip"), 10_000, float("inf")).reason == "truncated_body"


def test_slow_drip_is_cut_by_the_overall_deadline():
    ticks = iter([0.0, 1.0, 2.0, 3.0, 99.0])
    outcome = read_limited(iter([b"a", b"b", b"c", b"d", b"e"]), None, 100, deadline=2.5, clock=lambda: next(ticks))
    assert outcome.reason == "timeout"


def test_html_is_recognized_by_type_or_by_its_start():
    assert is_html("text/html") and is_html("application/xhtml+xml")
    assert not is_html("application/pdf", PAGE)
    assert is_html(None, b"\xef\xbb\xbf  <!DOCTYPE html><html>") and not is_html(None, b"%PDF-1.7")


def test_local_file_is_read_decompressed_and_revalidated_by_size_and_mtime(tmp_path):
    page = tmp_path / "saved.html.gz"
    page.write_bytes(gzip.compress(PAGE))
    first = read_file_url(page.as_uri(), max_bytes=10_000, html_only=True)
    assert first.ok and first.body == PAGE and first.status == 200 and first.content_type == "text/html"
    again = read_file_url(page.as_uri(), max_bytes=10_000, html_only=True, etag=first.etag)
    assert again.not_modified and again.body is None
    assert read_file_url((tmp_path / "x.pdf").as_uri(), max_bytes=10, html_only=True).reason == "file_not_found"
    (tmp_path / "x.pdf").write_bytes(b"%PDF")
    assert read_file_url((tmp_path / "x.pdf").as_uri(), max_bytes=10, html_only=True).reason == "not_html"
    assert read_file_url(page.as_uri(), max_bytes=10, html_only=True).reason == "too_large"


def test_private_loopback_and_link_local_addresses_are_not_public():
    for address in ("127.0.0.1", "10.1.2.3", "192.168.0.1", "172.16.5.5", "169.254.169.254", "::1", "fe80::1",
                    "::ffff:127.0.0.1", "0.0.0.0"):
        assert not is_public(address), address
    fake = {"inward.test": ["10.0.0.5"], "mixed.test": ["203.0.113.9", "127.0.0.1"]}
    assert address_problem("http://inward.test/", allow_private=False, resolver=lambda h, p: fake[h]) == \
        "private_address"
    assert address_problem("http://inward.test/", allow_private=True, resolver=lambda h, p: fake[h]) is None
    assert address_problem("http://mixed.test/", allow_private=False, resolver=lambda h, p: fake[h]) == \
        "private_address"


def test_limiter_spaces_requests_to_one_host_but_not_across_hosts():
    limiter = HostLimiter()
    started = time.monotonic()
    for _ in range(3):
        limiter.wait("http://a.test", 0.05)
    limiter.wait("http://b.test", 0.05)
    assert 0.09 <= time.monotonic() - started < 0.5


def test_scheduler_never_runs_two_requests_to_one_host_at_once():
    in_flight: dict[str, int] = {}
    worst: dict[str, int] = {}
    lock = threading.Lock()
    items = [(host, n) for n in range(5) for host in ("a", "b", "c")]

    def work(item):
        host = item[0]
        with lock:
            in_flight[host] = in_flight.get(host, 0) + 1
            worst[host] = max(worst.get(host, 0), in_flight[host])
        time.sleep(0.005)
        with lock:
            in_flight[host] -= 1
        return item

    results = run_politely(items, work, host_of=lambda item: item[0], limiter=HostLimiter(), concurrency=6)
    assert results == items  # in input order
    assert worst == {"a": 1, "b": 1, "c": 1}


def test_robots_group_for_our_product_token_applies_and_is_fetched_once_per_host():
    asked = []

    def fetch(url):
        asked.append(url)
        if url.startswith("http://gone.test"):
            return Fetched(url=url, status=404, reason="http_404")
        text = b"User-agent: patentwire\nDisallow: /drafts/\nCrawl-delay: 2\n\nUser-agent: *\nDisallow: /\n"
        return Fetched(url=url, status=200, body=text)

    robots = RobotsCache(fetch, "patentwire/0.1")
    assert robots.allowed("http://news.test/press/a.html")  # "User-agent: *" forbids all, but ours is named
    assert not robots.allowed("http://news.test/drafts/b.html")
    assert robots.crawl_delay("http://news.test/press/a.html") == 2.0
    assert robots.allowed("http://gone.test/anything") and robots.crawl_delay("http://gone.test/") is None
    assert asked == ["http://news.test/robots.txt", "http://gone.test/robots.txt"]
