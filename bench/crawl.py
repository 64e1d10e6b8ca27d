"""Crawl benchmark: is the fetcher as fast as politeness allows, and is a re-run nearly free?

Starts one local HTTP server per "host" (each on its own 127.0.0.1 port) with a fixed latency per
request and M pages, then fetches every page with a per-host rate limit. Prints:

- pages per second of the first run;
- the ratio of its wall time to the politeness bound (pages per host × the host's delay): ≤ 1.2 is the target;
- the second run (same pages, within the refresh period: every page skipped) as a share of the first: ≤ 5 %;
- for reference, a revalidation run past the refresh period (every page answered 304).

    .venv/bin/python bench/crawl.py [--hosts 8] [--pages 20] [--rate 10] [--latency 0.05]
"""

from __future__ import annotations

import argparse
import hashlib
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pandas as pd

from patentwire.fetch import PAGE_STATE_COLUMNS, HttpClient, PageStore, fetch_pages
from patentwire.sources.config import parse_sources


def page_body(host: int, page: int) -> bytes:
    words = " ".join(f"word{(host * 31 + page * 7 + n) % 97}" for n in range(400))
    return (f"<!doctype html><html><head><title>Host {host} page {page}</title></head>"
            f"<body><article><p>{words}</p></article></body></html>").encode()


def make_handler(host: int, latency: float) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, so the client's connection pool is exercised

        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            time.sleep(latency)
            if self.path == "/robots.txt":
                return self._send(404, b"", "text/plain")
            page = int(self.path.strip("/").removesuffix(".html") or 0)
            body = page_body(host, page)
            etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            if self.headers.get("If-None-Match") == etag:
                return self._send(304, b"", None, etag)
            return self._send(200, body, "text/html; charset=utf-8", etag)

        def _send(self, status: int, body: bytes, content_type: str | None, etag: str | None = None) -> None:
            self.send_response(status)
            if content_type:
                self.send_header("Content-Type", content_type)
            if etag:
                self.send_header("ETag", etag)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    return Handler


def start_hosts(count: int, latency: float) -> list[ThreadingHTTPServer]:
    servers = []
    for host in range(count):
        server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(host, latency))
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
    return servers


def timed_run(discovered, client, store, previous, now) -> tuple[float, pd.DataFrame]:
    started = time.perf_counter()
    log = fetch_pages(discovered, client, store, previous, now=now)
    return time.perf_counter() - started, log


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hosts", type=int, default=8)
    parser.add_argument("--pages", type=int, default=20, help="pages per host (M)")
    parser.add_argument("--rate", type=float, default=10.0, help="requests per second per host")
    parser.add_argument("--latency", type=float, default=0.05, help="seconds each request takes on the server")
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()

    servers = start_hosts(args.hosts, args.latency)
    urls = [f"http://127.0.0.1:{server.server_address[1]}/{page}.html"
            for page in range(args.pages) for server in servers]
    discovered = pd.DataFrame({"source": "bench", "url": urls})
    with tempfile.TemporaryDirectory() as home:
        config = parse_sources({
            "fetch": {"concurrency": args.concurrency, "refresh_hours": 20, "retries": 0},
            "sources": [{"name": "bench", "kind": "urls", "urls": urls[:1], "rate": args.rate,
                         "allow_private": True}],
        }, Path(home) / "sources.yaml")
        store = PageStore(Path(home) / "pages")
        now = datetime.now(UTC)
        with HttpClient(config.fetch, config.host_policies) as client:
            first_s, first = timed_run(discovered, client, store, pd.DataFrame(columns=PAGE_STATE_COLUMNS), now)
        state = first[first["content_hash"].notna()][PAGE_STATE_COLUMNS]
        with HttpClient(config.fetch, config.host_policies) as client:
            second_s, second = timed_run(discovered, client, store, state, now + timedelta(hours=1))
        with HttpClient(config.fetch, config.host_policies) as client:
            revalidate_s, third = timed_run(discovered, client, store, state, now + timedelta(days=2))
    for server in servers:
        server.shutdown()

    bound = args.pages / args.rate  # the slowest host's pages × its delay
    print(f"crawl benchmark: {args.hosts} hosts × {args.pages} pages, {args.rate:g} req/s per host, "
          f"{args.latency * 1000:.0f} ms latency, concurrency {args.concurrency}")
    print(f"first run:   {first_s:6.2f} s  {len(urls) / first_s:7.1f} pages/s  "
          f"outcomes {first['outcome'].value_counts().to_dict()}")
    print(f"politeness bound {bound:.2f} s  ratio wall/bound = {first_s / bound:.3f}  (target <= 1.2)")
    print(f"second run:  {second_s:6.3f} s  = {100 * second_s / first_s:.2f} % of the first (target <= 5 %)  "
          f"outcomes {second['outcome'].value_counts().to_dict()}")
    print(f"revalidation past the refresh period: {revalidate_s:6.2f} s  "
          f"outcomes {third['outcome'].value_counts().to_dict()}")


if __name__ == "__main__":
    main()
