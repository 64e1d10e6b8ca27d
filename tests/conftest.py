"""Shared fixtures: a small hand-written warehouse whose every fact is known.

The story (all text written for these tests; the companies are invented):
- Alpenfunk sues Kestrel Semiconductor (2019-02-15), then both settle with a licence (2020-06-04):
  one pair, two events in time order.
- Nordlicht Mobile and Qinghe Devices agree a cross-licence, reported by a German article
  (2021-07-05) and an English one (2021-07-07): one event, two articles.
- The English article also repeats a rumour that Nordlicht courts Kestrel (status rumoured, no date):
  the marts must leave it out.
- Portfolio sizes at several dates: Alpenfunk 5,000 -> 5,600 granted patents, Qinghe 12,000 ->
  16,000 -> 16,000 patent applications, Kestrel 20,000 patents, and the unknown start-up
  Tannenberg Labs (not in the registry) 140 patent families.
Evidence offsets are found in the texts (0-based, in characters), so they really point into them.
"""

from __future__ import annotations

import ipaddress
import json
import os
import shutil
import socket
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from pytest_httpserver import HTTPServer

from patentwire.extract import ArticleInput, extract_article
from patentwire.home import Home
from patentwire.ids import stable_id
from patentwire.project import DEFAULT_SOURCES, ROOT
from patentwire.tables import fact_tables, key_of
from patentwire.stages import text_hash
from patentwire.vocab import DealStatus
from patentwire.warehouse import insert_new, open_writer, replace_all, upsert

class OutsideHostError(RuntimeError):
    """A test tried to open a connection beyond this machine's loopback."""


def _is_loopback(address: object) -> bool:
    host = address[0] if isinstance(address, tuple) else address
    if not isinstance(host, str):
        return True  # AF_UNIX paths and socketpairs stay on this machine
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False  # a host name: only loopback names are allowed, and they were resolved before connect


def pytest_collection_modifyitems(config, items):
    """Slow and browser tests first, in collection order: handed out one at a time (pyproject's addopts),
    they start at once on the parallel workers instead of ending the run alone."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None and item.get_closest_marker("ui") is None)


@pytest.fixture(autouse=True, scope="session")
def loopback_only():
    """Every test in this process may connect to 127.0.0.1 / ::1 only; anything else fails loudly.

    XML namespaces and JSON-LD contexts in fixtures (sitemaps.org, w3.org/2005/Atom, schema.org) are
    identifiers inside documents, never dereferenced; this guard is what makes that a checked fact.
    """
    original_connect, original_connect_ex = socket.socket.connect, socket.socket.connect_ex

    def guarded(original):
        def connect(sock, address):
            if sock.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address):
                raise OutsideHostError(f"tests may only reach loopback addresses, not {address!r}")
            return original(sock, address)
        return connect

    socket.socket.connect = guarded(original_connect)
    socket.socket.connect_ex = guarded(original_connect_ex)
    try:
        yield
    finally:
        socket.socket.connect, socket.socket.connect_ex = original_connect, original_connect_ex


@pytest.fixture(scope="module")
def local_http():
    """One local HTTP server per module (stopping one takes half a second); tests clear it before use."""
    with HTTPServer(host="127.0.0.1", threaded=True) as http:
        yield http


# --- the `patentwire` command, and one run of it shared by every test that only reads what it leaves ---

HOME_COMMANDS = {"run", "sql", "export", "ui"}


def patentwire(*args: str, home: Path | None = None, stdin: str | None = None,
               timeout: float = 600) -> subprocess.CompletedProcess:
    """The command as a user runs it: its own process, its own home, no $PATENTWIRE_HOME inherited."""
    env = {key: value for key, value in os.environ.items() if key != "PATENTWIRE_HOME"}
    command = [sys.executable, "-m", "patentwire", *args]
    if home is not None and args and args[0] in HOME_COMMANDS:
        command += ["--home", str(home)]
    return subprocess.run(command, capture_output=True, text=True, input=stdin, timeout=timeout, cwd=ROOT, env=env)


@dataclass(frozen=True)
class SampleRun:
    home: Path
    sources: Path
    result: subprocess.CompletedProcess

    @property
    def snapshot(self) -> Path:
        return self.home / "warehouse.snapshot.duckdb"

    def connect(self) -> duckdb.DuckDBPyConnection:
        return duckdb.connect(str(self.snapshot), read_only=True)

    def copy_home(self, target: Path) -> Path:
        """A home of one's own to run again in (the shared one is never written after the run)."""
        return Path(shutil.copytree(self.home, target, symlinks=True))


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory) -> SampleRun:
    """`patentwire run` once per session on the bundled samples, as a user types it, in its own process.

    The CLI, pipeline and export tests read what it leaves; a test that writes makes `copy_home` first.
    """
    folder = tmp_path_factory.mktemp("sample-run")
    home = folder / "home"
    result = patentwire("run", home=home)
    assert result.returncode == 0, result.stdout + result.stderr
    return SampleRun(home, DEFAULT_SOURCES, result)


# Extraction helpers shared by tests/test_extract_*.py: one short text in, the facts out.
PUBLISHED = date(2017, 7, 5)  # a Wednesday


def _extract(text, language="en", title=None, published=PUBLISHED):
    """The rules' own reading (the proposer whose verdicts the learned decisions weigh); the shipped
    model's decisions are tested in test_decisions.py and measured by bench/."""
    return extract_article(ArticleInput("a1", text, title, language, published), model=None)


def _primary(facts):
    return [deal for deal in facts.deals if deal.status is DealStatus.PRIMARY]


def _pairs(facts, status=DealStatus.PRIMARY):
    return [frozenset(p.canonical for p in deal.parties) for deal in facts.deals if deal.status is status]


def _counts(text, language):
    return {(count.company, count.value, count.unit) for count in _extract(text, language).counts}


def _deal_pairs(text, language, title=None):
    facts = _extract(text, language, title)
    return {frozenset(party.canonical for party in deal.parties): set(deal.types) for deal in _primary(facts)}


EXTRACTOR = "extract-test"
PARSER = "parse-test"

# Natural keys of the fact and log tables, as the stages use them (from the table registry).
FACT_KEYS = fact_tables()
LOG_KEYS = {name: key_of(name) for name in ("articles", "page_parses", "fetch_log")}

ARTICLE_TEXTS = {
    "a1": ("Alpenfunk files suit against Kestrel\n"
           "Alpenfunk AG has sued Kestrel Semiconductor in Munich over four radio patents. "
           "The company says it holds more than 5,000 granted patents worldwide. "
           "Kestrel declined to comment."),
    "a2": ("Alpenfunk and Kestrel end their patent dispute\n"
           "Alpenfunk and Kestrel Semiconductor have settled all pending lawsuits and signed a licence agreement. "
           "Alpenfunk now owns 5,600 granted patents. "
           "Kestrel holds at least 20,000 patents across its product lines. "
           "Separately, Qinghe Devices said it has filed about 12,000 patent applications."),
    "a3": ("Nordlicht und Qinghe tauschen Patente\n"
           "Die Finnen und die Chinesen haben einen mehrjährigen Patentaustausch vereinbart und wollen künftig "
           "bei Funkmodulen zusammenarbeiten. "
           "Qinghe hat in den letzten sieben Jahren rund 16.000 Patente angemeldet. "
           "Das Start-up Tannenberg Labs meldete 140 Patentfamilien. "
           "Größere Details wurden nicht genannt."),
    "a4": ("Nordlicht and Qinghe sign cross-licence\n"
           "Nordlicht Mobile and Qinghe Devices have agreed a multi-year cross-licence covering cellular patents. "
           "Qinghe has filed about 16,000 patent applications since 2014. "
           "Analysts expect Nordlicht to court Kestrel Semiconductor next, according to people familiar with the talks."),
}
ARTICLE_META = {  # key: (url, language, published)
    "a1": ("https://wire.example/2019/alpenfunk-sues-kestrel", "en", date(2019, 2, 15)),
    "a2": ("https://wire.example/2020/alpenfunk-kestrel-settle", "en", date(2020, 6, 4)),
    "a3": ("https://blog.example/2021/07/nordlicht-qinghe-patentaustausch", "de", date(2021, 7, 5)),
    "a4": ("https://wire.example/2021/nordlicht-qinghe-cross-licence", "en", date(2021, 7, 7)),
}
COMPANIES = {  # key: (name, country, in_registry)
    "alpenfunk": ("Alpenfunk", "DE", True),
    "kestrel": ("Kestrel Semiconductor", "US", True),
    "nordlicht": ("Nordlicht Mobile", "FI", True),
    "qinghe": ("Qinghe Devices", "CN", True),
    "tannenberg": ("Tannenberg Labs", None, False),
}


def article_id(key: str) -> str:
    return stable_id(ARTICLE_META[key][0])


def company_id(key: str) -> str:
    return stable_id(COMPANIES[key][0])


def deal_id(key: str) -> str:
    return stable_id("deal", key)


def evidence(article: str, sentence: str) -> dict:
    """The sentence with its offsets in the article text (fails loudly if the text lacks it), also as
    the one-element JSON evidence array the normalize stage writes."""
    start = ARTICLE_TEXTS[article].index(sentence)
    end = start + len(sentence)
    return {"sentence": sentence, "start_offset": start, "end_offset": end, "evidence_count": 1,
            "evidence": json.dumps([{"sentence": sentence, "start": start, "end": end}], ensure_ascii=False)}


def _articles() -> pd.DataFrame:
    parsed = datetime(2021, 8, 1, 9, 30, tzinfo=UTC)
    rows = []
    for key, text in ARTICLE_TEXTS.items():
        url, language, published = ARTICLE_META[key]
        rows.append({"article_id": article_id(key), "url": url, "canonical_url": url,
                     "source": "blog" if language == "de" else "wire", "title": text.split("\n")[0],
                     "published": published, "language": language, "text": text,
                     "content_hash": stable_id("body", key, length=64), "parser_version": PARSER,
                     "parsed_at": parsed, "text_hash": text_hash(text)})
    return pd.DataFrame(rows)


def _fetch_log() -> pd.DataFrame:
    rows = []
    for number, key in enumerate(ARTICLE_META):
        url = ARTICLE_META[key][0]
        fetched = datetime(2021, 8, 1, 9, number, tzinfo=UTC)
        rows.append({"attempt_id": stable_id(url, fetched.isoformat()), "source": "wire", "url": url,
                     "final_url": url, "status": 200, "outcome": "new", "reason": None, "bytes": 4000 + number,
                     "elapsed_ms": 12.5, "etag": None, "last_modified": None, "content_type": "text/html",
                     "fetched_at": fetched, "content_hash": stable_id("body", key, length=64)})
    broken = "https://wire.example/2020/gone"
    fetched = datetime(2020, 12, 31, 23, 59, tzinfo=UTC)
    rows.append({"attempt_id": stable_id(broken, fetched.isoformat()), "source": "wire", "url": broken,
                 "final_url": None, "status": 500, "outcome": "failed", "reason": "http_500", "bytes": None,
                 "elapsed_ms": 3.0, "etag": None, "last_modified": None, "content_type": None,
                 "fetched_at": fetched, "content_hash": None})
    return pd.DataFrame(rows)


def _page_parses() -> pd.DataFrame:
    parsed = datetime(2021, 8, 1, 9, 30, tzinfo=UTC)
    rows = [{"url": ARTICLE_META[key][0], "content_hash": stable_id("body", key, length=64),
             "parser_version": PARSER, "article_id": article_id(key), "reason": None, "parsed_at": parsed}
            for key in ARTICLE_META]
    rows.append({"url": "https://wire.example/archive", "content_hash": stable_id("archive", length=64),
                 "parser_version": PARSER, "article_id": None, "reason": "listing_page", "parsed_at": parsed})
    return pd.DataFrame(rows)


def _companies() -> pd.DataFrame:
    first_seen = {"alpenfunk": date(2019, 2, 15), "kestrel": date(2019, 2, 15), "nordlicht": date(2021, 7, 5),
                  "qinghe": date(2020, 6, 4), "tannenberg": date(2021, 7, 5)}
    mentions = {"alpenfunk": 4, "kestrel": 4, "nordlicht": 3, "qinghe": 5, "tannenberg": 1}
    return pd.DataFrame([
        {"company_id": company_id(key), "name": name, "country": country, "parent_name": None,
         "in_registry": in_registry, "first_seen": first_seen[key], "mention_count": mentions[key]}
        for key, (name, country, in_registry) in COMPANIES.items()])


def _company_aliases() -> pd.DataFrame:
    aliases = [("alpenfunk", "Alpenfunk", "canonical"), ("alpenfunk", "Alpenfunk AG", "registry"),
               ("kestrel", "Kestrel Semiconductor", "canonical"), ("kestrel", "Kestrel", "as_written"),
               ("nordlicht", "Nordlicht Mobile", "canonical"), ("nordlicht", "die Finnen", "as_written"),
               ("qinghe", "Qinghe Devices", "canonical"), ("qinghe", "die Chinesen", "as_written"),
               ("tannenberg", "Tannenberg Labs", "canonical")]
    return pd.DataFrame([{"company_id": company_id(c), "alias": alias, "alias_kind": kind}
                         for c, alias, kind in aliases])


# deal key: (types, status, date, precision, [(party, role, as written)], [(article, sentence)])
DEALS = {
    "suit": (["litigation"], "primary", date(2019, 2, 15), "day",
             [("alpenfunk", "plaintiff", "Alpenfunk AG"), ("kestrel", "defendant", "Kestrel Semiconductor")],
             [("a1", "Alpenfunk AG has sued Kestrel Semiconductor in Munich over four radio patents.")]),
    "settlement": (["settlement", "license"], "primary", date(2020, 6, 4), "day",
                   [("alpenfunk", "licensor", "Alpenfunk"), ("kestrel", "licensee", "Kestrel Semiconductor")],
                   [("a2", "Alpenfunk and Kestrel Semiconductor have settled all pending lawsuits "
                           "and signed a licence agreement.")]),
    "cross": (["cross_license", "partnership"], "primary", date(2021, 7, 5), "day",
              [("nordlicht", "party", "die Finnen"), ("qinghe", "party", "die Chinesen")],
              [("a3", "Die Finnen und die Chinesen haben einen mehrjährigen Patentaustausch vereinbart und wollen "
                      "künftig bei Funkmodulen zusammenarbeiten."),
               ("a4", "Nordlicht Mobile and Qinghe Devices have agreed a multi-year cross-licence covering "
                      "cellular patents.")]),
    "rumour": (["partnership"], "rumoured", None, None,
               [("nordlicht", "party", "Nordlicht"), ("kestrel", "party", "Kestrel Semiconductor")],
               [("a4", "Analysts expect Nordlicht to court Kestrel Semiconductor next, according to people "
                       "familiar with the talks.")]),
}


def _deals() -> pd.DataFrame:
    rows = []
    for key, (types, status, when, precision, parties, reports) in DEALS.items():
        published = [ARTICLE_META[article][2] for article, _ in reports]
        rows.append({"deal_id": deal_id(key), "deal_date": when, "date_precision": precision, "deal_types": types,
                     "status": status, "party_count": len(parties), "article_count": len(reports),
                     "mention_count": len(reports), "first_reported": min(published),
                     "last_reported": max(published), "extractor_version": EXTRACTOR, "confidence": 0.9})
    return pd.DataFrame(rows)


def _deal_parties() -> pd.DataFrame:
    return pd.DataFrame([
        {"deal_id": deal_id(key), "company_id": company_id(party), "role": role, "name_as_written": written}
        for key, (*_, parties, _reports) in DEALS.items() for party, role, written in parties])


def _deal_mentions() -> pd.DataFrame:
    rows = []
    for key, (types, status, when, precision, _parties, reports) in DEALS.items():
        for article, sentence in reports:
            url, _, published = ARTICLE_META[article]
            rows.append({"mention_id": stable_id(deal_id(key), article_id(article)), "deal_id": deal_id(key),
                         "article_id": article_id(article), "url": url, "published": published,
                         "deal_types": types, "status": status, "mention_date": when, "date_precision": precision,
                         **evidence(article, sentence), "extractor_version": EXTRACTOR, "confidence": 0.9})
    return pd.DataFrame(rows)


# (article, company, value, qualifier, unit, period, written as, sentence)
PATENT_COUNTS = [
    ("a1", "alpenfunk", 5000, "more_than", "granted_patents", None, "The company",
     "The company says it holds more than 5,000 granted patents worldwide."),
    ("a2", "alpenfunk", 5600, "exact", "granted_patents", None, "Alpenfunk",
     "Alpenfunk now owns 5,600 granted patents."),
    ("a2", "kestrel", 20000, "at_least", "patents", None, "Kestrel",
     "Kestrel holds at least 20,000 patents across its product lines."),
    ("a2", "qinghe", 12000, "about", "patent_applications", None, "Qinghe Devices",
     "Separately, Qinghe Devices said it has filed about 12,000 patent applications."),
    ("a3", "qinghe", 16000, "about", "patent_applications", "in den letzten sieben Jahren", "Qinghe",
     "Qinghe hat in den letzten sieben Jahren rund 16.000 Patente angemeldet."),
    ("a3", "tannenberg", 140, "exact", "patent_families", None, "Tannenberg Labs",
     "Das Start-up Tannenberg Labs meldete 140 Patentfamilien."),
    ("a4", "qinghe", 16000, "about", "patent_applications", "since 2014", "Qinghe",
     "Qinghe has filed about 16,000 patent applications since 2014."),
]


def _patent_counts() -> pd.DataFrame:
    rows = []
    for article, company, value, qualifier, unit, period, written, sentence in PATENT_COUNTS:
        url, _, published = ARTICLE_META[article]
        found = evidence(article, sentence)
        rows.append({"count_id": stable_id(article_id(article), company_id(company), value, unit,
                                           found["start_offset"]),
                     "article_id": article_id(article), "url": url, "company_id": company_id(company),
                     "company_name": COMPANIES[company][0], "name_as_written": written, "value": value,
                     "qualifier": qualifier, "unit": unit, "period": period, "as_of": published,
                     "as_of_precision": None, "published": published, **found, "extractor_version": EXTRACTOR,
                     "confidence": 0.9})
    return pd.DataFrame(rows)


def fact_frames() -> dict[str, pd.DataFrame]:
    """Fresh copies of the hand-written rows of the six fact tables, keyed by table."""
    return {"companies": _companies(), "company_aliases": _company_aliases(), "deals": _deals(),
            "deal_parties": _deal_parties(), "deal_mentions": _deal_mentions(), "patent_counts": _patent_counts()}


def log_frames() -> dict[str, pd.DataFrame]:
    """Fresh copies of the articles, page_parses and fetch_log rows."""
    return {"articles": _articles(), "page_parses": _page_parses(), "fetch_log": _fetch_log()}


def load_facts(con: duckdb.DuckDBPyConnection) -> None:
    """Load the hand-written rows the way the stages do: upserts, an append-only log, one replace_all."""
    logs = log_frames()
    upsert(con, "articles", logs["articles"], LOG_KEYS["articles"])
    upsert(con, "page_parses", logs["page_parses"], LOG_KEYS["page_parses"])
    insert_new(con, "fetch_log", logs["fetch_log"], LOG_KEYS["fetch_log"])
    replace_all(con, fact_frames(), FACT_KEYS)


@dataclass(frozen=True)
class FactsWarehouse:
    """A migrated warehouse (and its snapshot) holding the hand-written facts."""

    home: Home

    def connect(self, read_only: bool = False) -> duckdb.DuckDBPyConnection:
        return duckdb.connect(str(self.home.warehouse), read_only=read_only)


@pytest.fixture
def facts_warehouse(tmp_path) -> FactsWarehouse:
    home = Home(tmp_path / "home").ensure()
    with open_writer(home.warehouse, home.snapshot) as con:
        load_facts(con)
    return FactsWarehouse(home)


@pytest.fixture
def facts_con(facts_warehouse):
    """A writable connection to the facts warehouse, closed after the test."""
    con = facts_warehouse.connect()
    yield con
    con.close()
