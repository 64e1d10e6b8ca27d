"""Discovery against a local HTTP server and local files: feeds, sitemaps, listings, archives."""

import gzip
import socket
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from patentwire.fetch import FETCH_LOG_COLUMNS, PAGE_STATE_COLUMNS, HttpClient, PageStore
from patentwire.fetch.pages import page_states
from patentwire.sources import DISCOVERED_COLUMNS, discover
from patentwire.sources.config import parse_sources
from patentwire.sources.entries import MalformedDocument
from patentwire.sources.feeds import parse_feed
from patentwire.sources.listing import parse_listing
from patentwire.sources.sitemaps import parse_sitemap

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Mobile wire</title>
<item><title>Handset makers sign cross-licence</title><link>/news/cross-licence.html?utm_source=rss</link>
  <pubDate>Tue, 04 Jul 2017 10:00:00 +0200</pubDate></item>
<item><title>Old story</title><link>/news/old.html</link><pubDate>Mon, 03 Jan 2005 09:00:00 +0000</pubDate></item>
<item><title>Jobs</title><link>/jobs/engineer.html</link></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Lumenta press</title><id>urn:x</id>
<updated>2024-03-01T10:00:00Z</updated>
<entry><title>Lumenta buys patents</title><id>urn:1</id><link rel="alternate" href="press/buys-patents.html"/>
  <updated>2024-03-01T10:00:00Z</updated></entry>
<entry><title>Same story again</title><id>urn:2</id><link href="/news/cross-licence.html#comments"/>
  <updated>2024-03-02T10:00:00Z</updated></entry>
</feed>"""


def sitemap_index(children: list[str]) -> bytes:
    items = "".join(f"<sitemap><loc>{c}</loc><lastmod>2024-02-01</lastmod></sitemap>" for c in children)
    return (f'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"{items}</sitemapindex>").encode()


NEWS_URLSET = b"""<?xml version="1.0"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>/ip/settlement.html</loc>
  <news:news><news:publication_date>2024-02-10T08:00:00+01:00</news:publication_date>
  <news:title>Settlement ends patent dispute</news:title></news:news></url>
<url><loc>/ip/portfolio.html</loc><lastmod>2024-01-15</lastmod></url>
</urlset>"""


def listing_page(links: list[str], next_href: str | None) -> bytes:
    articles = "".join(f'<article><h2><a href="{href}">Story {i}</a></h2></article>' for i, href in enumerate(links))
    nav = f'<a rel="next" href="{next_href}">older</a>' if next_href else ""
    return f"<html><body><nav><a href='/about.html'>About</a></nav><main>{articles}</main>{nav}</body></html>".encode()


@pytest.fixture
def server(local_http):
    local_http.clear()
    local_http.expect_request("/robots.txt").respond_with_data("", status=404)
    yield local_http
    local_http.clear()


def config(tmp_path: Path, sources: list[dict], **fetch):
    settings = {"retries": 0, "backoff": 0.01, "connect_timeout": 1, "read_timeout": 1, **fetch}
    defaults = {"allow_private": True, "rate": 200}
    return parse_sources({"defaults": defaults, "fetch": settings, "sources": sources}, tmp_path / "sources.yaml")


def local_resolver(host: str, port: int) -> list[str]:
    """Stands in for DNS so no test ever asks a real resolver: only 127.0.0.1 exists."""
    if host == "127.0.0.1":
        return ["127.0.0.1"]
    raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")


def run(tmp_path, sources, store=None, previous=None, **fetch):
    cfg = config(tmp_path, sources, **fetch)
    with HttpClient(cfg.fetch, cfg.host_policies, resolver=local_resolver) as client:
        return discover(cfg, client, now=NOW, store=store, previous=previous)


def states_of(log) -> dict:
    """What the warehouse hands the next run: the last successful read of each document."""
    return page_states(log[log["content_hash"].notna()][PAGE_STATE_COLUMNS])


def test_rss_and_atom_feeds_give_normalized_deduplicated_urls(server, tmp_path):
    server.expect_request("/feeds/wire.xml").respond_with_data(RSS, content_type="application/rss+xml")
    server.expect_request("/feeds/press.atom").respond_with_data(ATOM, content_type="application/atom+xml")
    found = run(tmp_path, [
        {"name": "wire", "kind": "feed", "url": server.url_for("/feeds/wire.xml"), "language": "en",
         "since": "2010-01-01", "exclude": ["/jobs/"]},
        {"name": "press", "kind": "feed", "url": server.url_for("/feeds/press.atom")},
    ])
    urls = found.urls
    assert list(urls.columns) == DISCOVERED_COLUMNS and list(found.log.columns) == FETCH_LOG_COLUMNS
    base = server.url_for("/").rstrip("/")
    assert urls[["source", "url"]].values.tolist() == [
        ["wire", f"{base}/news/cross-licence.html"],  # tracking parameter dropped; the old and the job are skipped
        ["press", f"{base}/feeds/press/buys-patents.html"],  # relative to the feed's own URL
    ]  # the Atom entry for cross-licence.html#comments is the same article: the first source keeps it
    first = urls.iloc[0]
    assert first.language == "en" and first.entry_title == "Handset makers sign cross-licence"
    assert first.entry_published == datetime(2017, 7, 4, 8, 0, tzinfo=UTC)
    assert str(urls["entry_published"].dt.tz) == "UTC"
    assert found.log["outcome"].tolist() == ["new", "new"] and found.log["status"].tolist() == [200, 200]


def test_sitemap_index_with_gzipped_child_and_news_dates(server, tmp_path):
    server.expect_request("/sitemap.xml").respond_with_data(
        sitemap_index(["/maps/news.xml.gz", "/maps/plain.xml"]), content_type="application/xml")
    server.expect_request("/maps/news.xml.gz").respond_with_data(gzip.compress(NEWS_URLSET),
                                                                 content_type="application/gzip")
    server.expect_request("/maps/plain.xml").respond_with_data(
        gzip.compress(b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                      b"<url><loc>/ip/served-compressed.html</loc></url></urlset>"),
        content_type="application/xml", headers={"Content-Encoding": "gzip"})
    found = run(tmp_path, [{"name": "maps", "kind": "sitemap", "url": server.url_for("/sitemap.xml"),
                            "since": "2024-01-20"}])
    base = server.url_for("/").rstrip("/")
    assert found.urls["url"].tolist() == [f"{base}/ip/settlement.html", f"{base}/ip/served-compressed.html"]
    settlement = found.urls.iloc[0]
    assert settlement.entry_title == "Settlement ends patent dispute"
    assert settlement.entry_published == datetime(2024, 2, 10, 7, 0, tzinfo=UTC)
    assert len(found.log) == 3 and set(found.log["outcome"]) == {"new"}


def test_paginated_listing_follows_next_links_up_to_the_page_limit(server, tmp_path):
    server.expect_request("/blog/").respond_with_data(listing_page(["a.html", "b.html"], "page2.html"),
                                                      content_type="text/html")
    server.expect_request("/blog/page2.html").respond_with_data(listing_page(["c.html"], "page3.html"),
                                                                content_type="text/html")
    server.expect_request("/blog/page3.html").respond_with_data(listing_page(["d.html"], None),
                                                                content_type="text/html")
    found = run(tmp_path, [{"name": "blog", "kind": "listing", "url": server.url_for("/blog/"),
                            "link_selector": "main article h2 a", "next_selector": "a[rel=next]",
                            "max_listing_pages": 2, "language": "de"}])
    names = [url.rsplit("/", 1)[1] for url in found.urls["url"]]
    assert names == ["a.html", "b.html", "c.html"]  # page 3 is past the limit; the nav link is not an article
    assert found.urls["entry_title"].tolist() == ["Story 0", "Story 1", "Story 0"]
    assert len(found.log) == 2


def test_max_pages_caps_urls_taken_from_one_source(server, tmp_path):
    server.expect_request("/blog/").respond_with_data(listing_page(["a.html", "b.html", "c.html"], None),
                                                      content_type="text/html")
    found = run(tmp_path, [{"name": "blog", "kind": "listing", "url": server.url_for("/blog/"),
                            "link_selector": "article a", "max_pages": 2}])
    assert len(found.urls) == 2


def test_malformed_feed_is_logged_and_other_sources_still_run(server, tmp_path):
    server.expect_request("/broken.xml").respond_with_data(b"<rss><channel><item><title>half", content_type="text/xml")
    server.expect_request("/gone.xml").respond_with_data("", status=404)
    server.expect_request("/ok.xml").respond_with_data(RSS, content_type="application/rss+xml")
    found = run(tmp_path, [
        {"name": "broken", "kind": "feed", "url": server.url_for("/broken.xml")},
        {"name": "gone", "kind": "feed", "url": server.url_for("/gone.xml")},
        {"name": "dns", "kind": "feed", "url": "http://nowhere.invalid/feed.xml"},
        {"name": "ok", "kind": "feed", "url": server.url_for("/ok.xml")},
    ])
    log = found.log.set_index("source")
    assert log.loc["broken", "outcome"] == "failed" and log.loc["broken", "reason"] == "malformed_feed"
    assert log.loc["gone", "reason"] == "http_404" and log.loc["gone", "status"] == 404
    assert log.loc["dns", "reason"] == "dns_error"
    assert log.loc["ok", "outcome"] == "new"
    assert set(found.urls["source"]) == {"ok"} and len(found.urls) == 3


def test_feed_with_bad_xml_but_readable_entries_is_kept_and_flagged(server, tmp_path):
    server.expect_request("/loose.xml").respond_with_data(
        b'<rss version="2.0"><channel><item><title>R & D deal</title><link>/x.html</link></item></channel></rss>',
        content_type="application/rss+xml")
    found = run(tmp_path, [{"name": "loose", "kind": "feed", "url": server.url_for("/loose.xml")}])
    assert len(found.urls) == 1
    assert found.log.iloc[0].outcome == "new" and found.log.iloc[0].reason == "malformed_feed_recovered"


def test_file_feed_with_relative_links_and_archive_folder(tmp_path):
    (tmp_path / "feeds").mkdir()
    (tmp_path / "feeds" / "wire.xml").write_bytes(RSS.replace(b"/news/", b"../news/").replace(b"/jobs/", b"../jobs/"))
    archive = tmp_path / "archive" / "2019"
    archive.mkdir(parents=True)
    (archive / "saved.html.gz").write_bytes(gzip.compress(b"<html><body>saved</body></html>"))
    (archive / "notes.txt").write_text("not a page")
    found = run(tmp_path, [{"name": "wire", "kind": "feed", "url": "feeds/wire.xml"},
                           {"name": "saved", "kind": "archive", "path": "archive"},
                           {"name": "missing", "kind": "archive", "path": "nowhere"}])
    urls = found.urls["url"].tolist()
    assert (tmp_path / "news" / "cross-licence.html").resolve().as_uri() in urls
    assert urls[-1] == (archive / "saved.html.gz").resolve().as_uri()
    assert found.log.set_index("source").loc["missing", "reason"] == "file_not_found"


def test_feed_answering_304_is_unchanged_and_its_stored_entries_are_read_again(server, tmp_path):
    store = PageStore(tmp_path / "pages")
    source = [{"name": "wire", "kind": "feed", "url": server.url_for("/feeds/wire.xml"), "since": "2010-01-01"}]
    server.expect_oneshot_request("/feeds/wire.xml").respond_with_data(
        RSS, content_type="application/rss+xml", headers={"ETag": '"v1"', "Last-Modified": "Tue, 04 Jul 2017 10:00:00 GMT"})
    first = run(tmp_path, source, store=store)
    server.expect_oneshot_request("/feeds/wire.xml", headers={"If-None-Match": '"v1"'}).respond_with_data("", status=304)
    second = run(tmp_path, source, store=store, previous=states_of(first.log))
    sent = [entry[0] for entry in server.log if entry[0].path == "/feeds/wire.xml"]
    assert "If-None-Match" not in sent[0].headers and sent[1].headers["If-Modified-Since"].startswith("Tue, 04 Jul")
    assert first.log["outcome"].tolist() == ["new"] and second.log["outcome"].tolist() == ["unchanged"]
    assert second.log.iloc[0].status == 304 and second.log.iloc[0].bytes == 0
    assert second.log.iloc[0].content_hash == first.log.iloc[0].content_hash
    assert second.urls["url"].tolist() == first.urls["url"].tolist() != []


def test_sitemap_without_validators_is_unchanged_when_its_body_is_and_changed_when_not(server, tmp_path):
    store = PageStore(tmp_path / "pages")
    source = [{"name": "ip", "kind": "sitemap", "url": server.url_for("/sitemap.xml")}]
    server.expect_oneshot_request("/sitemap.xml").respond_with_data(NEWS_URLSET)
    server.expect_oneshot_request("/sitemap.xml").respond_with_data(NEWS_URLSET)
    server.expect_oneshot_request("/sitemap.xml").respond_with_data(NEWS_URLSET.replace(b"portfolio", b"licence"))
    outcomes = []
    previous = None
    for _ in range(3):
        found = run(tmp_path, source, store=store, previous=previous)
        previous = states_of(found.log)
        outcomes.append(found.log.iloc[0].outcome)
    assert outcomes == ["new", "unchanged", "changed"]
    assert found.urls["url"].str.endswith("/ip/licence.html").any()


def test_local_feed_file_is_unchanged_while_its_size_and_time_stay(tmp_path):
    (tmp_path / "wire.xml").write_bytes(RSS)
    store = PageStore(tmp_path / "pages")
    source = [{"name": "wire", "kind": "feed", "url": "wire.xml"}]
    first = run(tmp_path, source, store=store)
    second = run(tmp_path, source, store=store, previous=states_of(first.log))
    assert [first.log.iloc[0].outcome, second.log.iloc[0].outcome] == ["new", "unchanged"]
    assert len(second.urls) == len(first.urls) == 3


def test_disabled_source_is_not_read(server, tmp_path):
    found = run(tmp_path, [{"name": "off", "kind": "feed", "url": server.url_for("/off.xml"), "enabled": False}])
    assert found.urls.empty and found.log.empty
    assert not [entry for entry in server.log if entry[0].path == "/off.xml"]


@settings(max_examples=60, deadline=None)
@given(st.one_of(st.binary(max_size=300), st.text(max_size=300).map(str.encode),
                 st.sampled_from([RSS[:n] for n in range(0, len(RSS), 37)] + [NEWS_URLSET[:n] for n in (40, 120, 300)])))
def test_any_bytes_parse_or_fail_as_malformed_never_crash(body):
    for parse in (parse_feed, parse_sitemap,
                  lambda b, u: parse_listing(b, u, "article a", "a[rel=next]")):
        try:
            parse(body, "https://news.example/feed.xml")
        except MalformedDocument:
            pass
