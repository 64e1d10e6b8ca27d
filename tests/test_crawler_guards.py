"""The crawler cannot be turned on its host: hostile documents and servers, each recorded with its reason
while the good sources load. Servers on 127.0.0.1 only; DNS answers come from an injected resolver."""

from __future__ import annotations

import gzip
import socket
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest

from patentwire.fetch import HttpClient, PageStore, fetch_pages
from patentwire.fetch.addresses import address_problem, never_allowed
from patentwire.sources import discover
from patentwire.sources.config import DEFAULT_MAX_PAGES, parse_sources

NOW = datetime(2024, 5, 1, tzinfo=UTC)
PAGE = (b"<html><head><title>Lumenta and Orbis sign a licence</title></head><body><article>"
        + b"<p>Lumenta Corp. and Orbis Radio GmbH have signed a patent licence covering cellular standards.</p>" * 6
        + b"</article></body></html>")


def config(tmp_path: Path, sources: list[dict], **fetch):
    settings = {"retries": 0, "connect_timeout": 1, "read_timeout": 2, "total_timeout": 5, **fetch}
    return parse_sources({"fetch": settings, "sources": sources}, tmp_path / "sources.yaml")


def crawl(tmp_path: Path, cfg, resolver=None):
    client = HttpClient(cfg.fetch, cfg.host_policies, **({"resolver": resolver} if resolver else {}))
    with client:
        found = discover(cfg, client, now=NOW)
        pages = fetch_pages(found.urls, client, PageStore(tmp_path / "pages"), None, now=NOW)
    return found, pd.concat([found.log, pages], ignore_index=True)


def test_local_files_named_by_a_remote_document_are_never_read(tmp_path, httpserver):
    secret = tmp_path / "secret.html"
    secret.write_bytes(PAGE.replace(b"Lumenta", b"SECRET"))
    httpserver.expect_request("/sitemap.xml").respond_with_data(
        f"""<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
        <url><loc>{secret.as_uri()}</loc></url><url><loc>file:///x{secret}</loc></url>
        <url><loc>file:///no/such/file.html</loc></url><url><loc>{httpserver.url_for('/good.html')}</loc></url>
        </urlset>""", content_type="application/xml")
    httpserver.expect_request("/index.xml").respond_with_data(
        f"""<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
        <sitemap><loc>{(tmp_path / 'local-sitemap.xml').as_uri()}</loc></sitemap></sitemapindex>""",
        content_type="application/xml")
    (tmp_path / "local-sitemap.xml").write_text(f"<urlset><url><loc>{secret.as_uri()}</loc></url></urlset>")
    httpserver.expect_request("/good.html").respond_with_data(PAGE, content_type="text/html")
    archive = tmp_path / "archive"
    archive.mkdir()
    (archive / "saved.html").write_bytes(PAGE)
    cfg = config(tmp_path, [
        {"name": "remote", "kind": "sitemap", "url": httpserver.url_for("/sitemap.xml"), "allow_private": True},
        {"name": "remote-index", "kind": "sitemap", "url": httpserver.url_for("/index.xml"), "allow_private": True},
        {"name": "saved", "kind": "archive", "path": str(archive)}])
    _found, log = crawl(tmp_path, cfg)
    remote = log[log["source"].str.startswith("remote")]
    refused = remote[remote["url"].str.startswith("file:")]
    assert len(refused) == 4 and set(refused["reason"]) == {"local_file_refused"}  # exists or not: one reason
    stored = log[log["content_hash"].notna()]
    assert set(stored["source"]) == {"remote", "saved"}  # the good pages of both load
    assert all(b"SECRET" not in PageStore(tmp_path / "pages").get(sha) for sha in stored["content_hash"])


def test_allow_private_never_opens_link_local_or_metadata_addresses():
    for address in ("169.254.169.254", "fe80::1", "100.100.100.200", "fd00:ec2::254", "0.0.0.0", "224.0.0.1"):
        assert never_allowed(address), address
        assert address_problem("http://metadata.test/latest/", allow_private=True,
                               resolver=lambda host, port, a=address: [a]) == "link_local_or_metadata_address"
    for address in ("127.0.0.1", "10.1.2.3", "192.168.0.5", "172.16.0.1", "fd12::1", "100.64.0.1"):
        assert not never_allowed(address), address
        assert address_problem("http://intranet.test/", allow_private=True,
                               resolver=lambda host, port, a=address: [a]) is None
        assert address_problem("http://intranet.test/", allow_private=False,
                               resolver=lambda host, port, a=address: [a]) == "private_address"


def test_a_redirect_to_the_metadata_address_is_refused_even_with_allow_private(tmp_path, httpserver):
    # the redirect names a reserved host that the injected resolver points at the metadata address; it is
    # refused at the one lookup, before any connection
    httpserver.expect_request("/go").respond_with_data("", status=302,
                                                       headers={"Location": "http://metadata.example/latest/"})
    answers = {"metadata.example": "169.254.169.254", "localhost": "127.0.0.1", "127.0.0.1": "127.0.0.1"}
    cfg = config(tmp_path, [{"name": "s", "kind": "urls", "urls": [httpserver.url_for("/go")], "allow_private": True}])
    _found, log = crawl(tmp_path, cfg, resolver=lambda host, port: [answers[host]])
    assert log["reason"].tolist() == ["link_local_or_metadata_address"]


class CountingResolver:
    """Stands in for DNS and counts the lookups."""

    def __init__(self, answer: str):
        self.answer, self.calls = answer, []

    def __call__(self, host: str, port: int) -> list[str]:
        self.calls.append(host)
        return [self.answer]


def test_each_connection_resolves_once_and_connects_to_the_address_checked(tmp_path, httpserver, monkeypatch):
    """One lookup per connection (robots.txt and the page: one each, this server closes after a response),
    through the checked resolver only: the system resolver is never asked for the name, so the socket
    goes to the very address that was checked."""
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nAllow: /\n")
    httpserver.expect_request("/page.html").respond_with_data(PAGE, content_type="text/html")
    system_lookup = socket.getaddrinfo

    def no_system_dns(host, *args, **kwargs):
        assert host != "pinned.test", "the name was resolved a second time, outside the guard"
        return system_lookup(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", no_system_dns)
    resolver = CountingResolver("127.0.0.1")
    cfg = config(tmp_path, [{"name": "s", "kind": "urls", "allow_private": True,
                             "urls": [f"http://pinned.test:{httpserver.port}/page.html"]}])
    _found, log = crawl(tmp_path, cfg, resolver=resolver)
    assert log["outcome"].tolist() == ["new"]
    assert [request.path for request, _ in httpserver.log] == ["/robots.txt", "/page.html"]
    assert [request.host for request, _ in httpserver.log] == [f"pinned.test:{httpserver.port}"] * 2
    assert resolver.calls == ["pinned.test"] * 2


def test_robots_txt_is_not_fetched_from_an_address_the_page_may_not_reach(tmp_path, httpserver):
    """robots.txt is a connection like any other: a name that resolves inward gets no request at all."""
    resolver = CountingResolver("127.0.0.1")
    cfg = config(tmp_path, [{"name": "s", "kind": "urls",
                             "urls": [f"http://inward.test:{httpserver.port}/page.html"]}])
    _found, log = crawl(tmp_path, cfg, resolver=resolver)
    assert not httpserver.log
    assert log["reason"].tolist() == ["private_address"]
    assert set(resolver.calls) == {"inward.test"}


def test_a_server_dripping_bytes_is_cut_at_the_total_deadline(tmp_path):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    port = listener.getsockname()[1]
    stop = threading.Event()

    def drip():
        connection, _ = listener.accept()
        connection.recv(4096)
        connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n")
        while not stop.is_set():
            try:
                connection.sendall(b"<")
            except OSError:
                break
            time.sleep(0.2)  # well inside read_timeout: only a wall-clock deadline stops it
        connection.close()

    threading.Thread(target=drip, daemon=True).start()
    cfg = config(tmp_path, [{"name": "s", "kind": "urls", "urls": [f"http://127.0.0.1:{port}/slow.html"],
                             "allow_private": True}], total_timeout=1.5, respect_robots=False)
    started = time.monotonic()
    try:
        _found, log = crawl(tmp_path, cfg)
    finally:
        stop.set()
        listener.close()
    assert log["reason"].tolist() == ["timeout"]
    assert time.monotonic() - started < 4


def test_symlinks_leaving_an_archive_are_refused_and_the_rest_loads(tmp_path):
    outside = tmp_path / "outside.html"
    outside.write_bytes(PAGE.replace(b"Lumenta", b"SECRET"))
    archive = tmp_path / "archive"
    (archive / "sub").mkdir(parents=True)
    (archive / "saved.html").write_bytes(PAGE)
    (archive / "escape.html").symlink_to(outside)
    (archive / "sub" / "alias.html").symlink_to(archive / "saved.html")  # inside the folder: fine
    (archive / "dir").symlink_to(tmp_path, target_is_directory=True)
    cfg = config(tmp_path, [{"name": "saved", "kind": "archive", "path": str(archive)}])
    found, log = crawl(tmp_path, cfg)
    refused = log[log["reason"] == "symlink_outside_folder"]
    assert [Path(url).name for url in refused["url"]] == ["escape.html"]  # a linked folder is not even entered
    assert not any("outside" in url for url in found.urls["url"])
    assert (log["outcome"] == "new").sum() >= 1


def test_every_source_has_a_default_cap_on_pages(tmp_path):
    urls = [f"https://press.example/{n}.html" for n in range(DEFAULT_MAX_PAGES + 500)]
    cfg = config(tmp_path, [{"name": "many", "kind": "urls", "urls": urls}])
    assert cfg.sources[0].max_pages == DEFAULT_MAX_PAGES
    found = discover(cfg, HttpClient(cfg.fetch, cfg.host_policies), now=NOW)
    assert len(found.urls) == DEFAULT_MAX_PAGES


def test_an_oversized_gzipped_sitemap_is_too_large_not_truncated(tmp_path, httpserver):
    body = b"<urlset>" + b"<url><loc>https://a.example/x</loc></url>" * 50_000 + b"</urlset>"
    httpserver.expect_request("/sitemap.xml.gz").respond_with_data(gzip.compress(body),
                                                                   content_type="application/octet-stream")
    cfg = config(tmp_path, [{"name": "s", "kind": "sitemap", "url": httpserver.url_for("/sitemap.xml.gz"),
                             "allow_private": True}], max_document_bytes=100_000)
    found, _log = crawl(tmp_path, cfg)
    assert found.log["reason"].tolist() == ["too_large"]


def test_a_url_without_scheme_and_a_non_utf8_sources_file_are_clear_errors(tmp_path):
    from patentwire.sources import SourceConfigError, load_sources
    with pytest.raises(SourceConfigError, match=r"write https://example.com/feed.xml"):
        config(tmp_path, [{"name": "s", "kind": "feed", "url": "example.com/feed.xml"}])
    latin1 = tmp_path / "latin1.yaml"
    latin1.write_bytes("sources:\n  - name: caf\xe9\n    kind: feed\n    url: f.xml\n".encode("latin-1"))
    with pytest.raises(SourceConfigError, match=r"not UTF-8 text"):
        load_sources(latin1)


def test_a_sitemap_index_nesting_past_the_depth_limit_is_recorded_not_fetched(tmp_path, httpserver):
    def index(child: str) -> str:
        return (f'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                f"<sitemap><loc>{httpserver.url_for(child)}</loc></sitemap></sitemapindex>")

    for level in range(1, 5):
        httpserver.expect_request(f"/index-{level}.xml").respond_with_data(index(f"/index-{level + 1}.xml"),
                                                                           content_type="application/xml")
    cfg = config(tmp_path, [{"name": "deep", "kind": "sitemap", "url": httpserver.url_for("/index-1.xml"),
                             "allow_private": True}], max_sitemap_depth=3, respect_robots=False)
    found, log = crawl(tmp_path, cfg)
    assert [request.path for request, _ in httpserver.log] == ["/index-1.xml", "/index-2.xml", "/index-3.xml"]
    refused = log[log["reason"] == "sitemap_too_deep"]
    assert refused["url"].tolist() == [httpserver.url_for("/index-4.xml")]
    assert refused["outcome"].tolist() == ["failed"]
