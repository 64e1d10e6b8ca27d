"""The seed article, read exactly right: by `patentwire extract` (the shared checker) and by a full
`patentwire run` over the same text served as a newsroom page behind a local feed.

The seed is third-party text: it is read from `../shared/seed/` beside the checkout, never copied into the
project; without that folder these tests skip.
"""

from __future__ import annotations

import html
import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from conftest import patentwire
from patentwire.project import ROOT

SEED = ROOT.parent / "shared" / "seed"
pytestmark = pytest.mark.skipif(not (SEED / "seed.jsonl").exists(), reason="../shared/seed is not beside the checkout")

PAGE_PATH = "/news/seed-article.html"


def _seed() -> dict:
    return json.loads((SEED / "seed.jsonl").read_text("utf-8").splitlines()[0])


def _expected() -> dict:
    return json.loads((SEED / "expected.json").read_text("utf-8"))


def test_the_shared_checker_passes_on_patentwire_extract():
    command = Path(sys.executable).with_name("patentwire")
    result = subprocess.run([sys.executable, str(SEED / "check.py"), str(command)], capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0 and "PASS" in result.stdout, result.stdout + result.stderr


def _page(record: dict) -> str:
    """The seed as a blog page: its capture marker (" date 2017-07 ") becomes the page's date."""
    text = record["text"].strip()
    marker = f"date {record['published']}"
    body = text[len(marker):].strip() if text.startswith(marker) else text
    paragraphs = "".join(f"<p>{html.escape(part.strip())}</p>" for part in body.split("\n") if part.strip())
    title = html.escape(record.get("title") or "Nokia und Xiaomi")
    return (f"<!doctype html><html lang='de'><head><meta charset='utf-8'><title>{title}</title>"
            f"<meta property='article:published_time' content='{record['published']}-05'></head>"
            f"<body><nav><a href='/'>Start</a> <a href='/news/'>News</a></nav>"
            f"<article><h1>{title}</h1>{paragraphs}</article>"
            f"<footer>Impressum · Datenschutz</footer></body></html>")


def _feed(base: str) -> str:
    return (f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>Blog</title>"
            f"<link>{base}/</link><item><title>Nokia und Xiaomi</title><link>{base}{PAGE_PATH}</link>"
            f"<pubDate>Wed, 05 Jul 2017 10:00:00 +0200</pubDate></item></channel></rss>")


def test_a_full_run_over_the_seed_served_as_a_page_gives_the_expected_deal_and_count(local_http, tmp_path):
    local_http.clear()
    base = local_http.url_for("/").rstrip("/")
    local_http.expect_request("/robots.txt").respond_with_data("", status=404)
    local_http.expect_request("/feed.xml").respond_with_data(_feed(base), content_type="application/rss+xml")
    local_http.expect_request(PAGE_PATH).respond_with_data(_page(_seed()), content_type="text/html; charset=utf-8")
    sources = tmp_path / "sources.yaml"
    sources.write_text(f"sources:\n  - {{name: blog, kind: feed, url: '{base}/feed.xml', language: de, "
                       f"allow_private: true}}\nfetch: {{retries: 0}}\n", "utf-8")
    home = tmp_path / "home"
    result = patentwire("run", "--sources", str(sources), home=home)
    assert result.returncode == 0, result.stdout + result.stderr
    with duckdb.connect(str(home / "warehouse.snapshot.duckdb"), read_only=True) as con:
        deals = con.execute("""
            select list_sort(list(c.name)), list_sort(d.deal_types)
            from deals d join deal_parties p using (deal_id) join companies c using (company_id)
            where d.status = 'primary' group by d.deal_id, d.deal_types
        """).fetchall()
        counts = con.execute("select company_name, value, unit from patent_counts").fetchall()
    expected = _expected()
    [deal] = [d for d in expected["deals"] if not d.get("optional")]
    wanted_pair = sorted(party["canonical"] for party in deal["parties"])
    optional = [sorted(p["canonical"] for p in d["parties"]) for d in expected["deals"] if d.get("optional")]
    pairs = [parties for parties, _ in deals]
    assert wanted_pair in pairs, deals
    assert all(parties == wanted_pair or parties in optional for parties in pairs), deals  # no bystander pair
    [types] = [types for parties, types in deals if parties == wanted_pair]
    assert {"cross_license", "patent_acquisition", "supply", "partnership"} <= set(types)
    assert [(name, value) for name, value, _ in counts] == [("Xiaomi", 16000)], counts
    assert counts[0][2] in ("patent_applications", "patents")
