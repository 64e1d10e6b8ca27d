"""Parse and extract: bounded batches, a pool of worker processes, and only the work that is new."""

from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from patentwire.fetch import PageStore
from patentwire.parallel import BATCH_ENV, MIN_ITEMS_FOR_POOL, stage_pool, worker_count
from patentwire.project import ROOT
from patentwire.stages import (extraction_rows, load_registry, parse_rows, run_extract, run_parse,
                               stale_extractions)
from patentwire.warehouse import migrate

NOW = datetime(2026, 1, 5, tzinfo=UTC)


def sample_pages(store: PageStore, copies: int = 1) -> pd.DataFrame:
    """Every bundled sample page, stored, as the rows pages_to_parse hands to parse."""
    paths = sorted((ROOT / "samples").rglob("*.html"))
    rows = []
    for copy in range(copies):
        for path in paths:
            host = f"copy{copy}.example"  # a reserved domain per copy: the same page under another URL
            url = f"https://{host}/{path.parent.name}/{path.name}"
            rows.append({"url": url, "final_url": url, "source": "samples", "content_hash": store.put(path.read_bytes()),
                         "content_type": "text/html", "fetched_at": NOW, "language_hint": None})
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def registry():
    return load_registry(Path("/nonexistent"))


def test_parse_and_extract_give_the_same_rows_with_one_or_two_workers(tmp_path, registry):
    store = PageStore(tmp_path / "pages")
    pages = sample_pages(store, copies=2)
    assert len(pages) >= MIN_ITEMS_FOR_POOL  # large enough to go through the pool
    state = {"read_body": store.get, "now": NOW, "registry": registry}
    with stage_pool(state, workers=1) as serial, stage_pool(state, workers=2) as pool:
        articles_1, parses_1 = parse_rows(pages, serial)
        articles_2, parses_2 = parse_rows(pages, pool)
        pd.testing.assert_frame_equal(articles_1, articles_2)
        pd.testing.assert_frame_equal(parses_1, parses_2)
        assert len(articles_1) > MIN_ITEMS_FOR_POOL
        facts_1 = extraction_rows(articles_1, serial)
        facts_2 = extraction_rows(articles_1, pool)
    pd.testing.assert_frame_equal(facts_1, facts_2)
    assert facts_1["deal_mentions"].sum() > 0
    assert facts_1["article_id"].tolist() == articles_1["article_id"].tolist()  # input order kept


def _warehouse_with_pages(tmp_path) -> tuple[duckdb.DuckDBPyConnection, PageStore, pd.DataFrame]:
    store = PageStore(tmp_path / "pages")
    pages = sample_pages(store)
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    migrate(con)
    log = pages.assign(attempt_id=pages["url"], outcome="new", status=200, bytes=1, elapsed_ms=1.0, reason=None,
                       etag=None, last_modified=None)
    con.register("log", log)
    con.execute("insert into fetch_log by name select attempt_id, source, url, final_url, status, outcome, reason, "
                "bytes, elapsed_ms, etag, last_modified, content_type, fetched_at, content_hash from log")
    con.execute("insert into discovered_urls (url, source, discovered_at) select url, source, fetched_at from log")
    return con, store, pages


def test_small_batches_load_what_one_batch_does(tmp_path, monkeypatch, registry):
    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    con_one, store_one, _ = _warehouse_with_pages(tmp_path / "a")
    run_parse(con_one, store_one, NOW, workers=1)
    monkeypatch.setenv(BATCH_ENV, "3")
    con_many, store_many, _ = _warehouse_with_pages(tmp_path / "b")
    report = run_parse(con_many, store_many, NOW, workers=1)
    query = "select * exclude (parsed_at) from {} order by all"
    for table in ("articles", "page_parses"):
        assert con_one.execute(query.format(table)).fetchall() == con_many.execute(query.format(table)).fetchall()
    assert report.counts["pages_parsed"] == len(con_many.execute("select * from page_parses").fetchall())


def test_extract_reads_only_articles_whose_text_changed(tmp_path, monkeypatch, registry):
    con, store, _ = _warehouse_with_pages(tmp_path)
    assert run_parse(con, store, NOW, workers=1).counts["articles"] > 10
    monkeypatch.setenv(BATCH_ENV, "4")
    first = run_extract(con, registry, NOW, workers=1)
    (articles,) = con.execute("select count(*) from articles").fetchone()
    assert first.counts["articles_extracted"] == articles
    assert stale_extractions(con).empty
    assert run_extract(con, registry, NOW, workers=1).counts["articles_extracted"] == 0
    con.execute("update articles set text = text || ' Nokia and Ericsson signed a cross-licence.', "
                "text_hash = 'changed' where article_id = (select min(article_id) from articles)")
    assert run_extract(con, registry, NOW, workers=1).counts["articles_extracted"] == 1


def test_worker_count_comes_from_the_setting(monkeypatch):
    monkeypatch.setenv("PATENTWIRE_WORKERS", "3")
    assert worker_count() == 3
    monkeypatch.setenv("PATENTWIRE_WORKERS", "lots")
    with pytest.raises(ValueError, match="PATENTWIRE_WORKERS"):
        worker_count()
    monkeypatch.delenv("PATENTWIRE_WORKERS")
    assert worker_count() >= 1


def test_the_warm_up_finds_the_slow_word_lists_without_a_list_of_them():
    from patentwire import wordlists
    from patentwire.extract import orgs
    from patentwire.extract.warm import _lazy_loaders
    loaders = set(_lazy_loaders())
    assert {wordlists.place_names, orgs._first_names} <= loaders  # about a second between them, when cold
    assert wordlists.word_frequency not in loaders  # takes arguments: warmed by the texts it is asked about


def test_the_pool_prepares_once_before_it_forks_and_never_in_one_process():
    from patentwire.parallel import can_start_processes
    prepared = []
    items = list(range(-MIN_ITEMS_FOR_POOL, MIN_ITEMS_FOR_POOL))
    with stage_pool(workers=1, before_fork=lambda: prepared.append("serial")) as serial:
        assert serial.map(abs, items) == [abs(item) for item in items]
    assert prepared == []  # nothing forks: nothing to build ahead
    with stage_pool(workers=2, before_fork=lambda: prepared.append("pool")) as pool:
        pool.map(abs, items)
        pool.map(abs, items)
    assert prepared == (["pool"] if can_start_processes() else [])
