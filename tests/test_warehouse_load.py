"""Loads are bulk, one transaction each, and idempotent; a failure or a killed process loses nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from conftest import FACT_KEYS, fact_frames, load_facts, log_frames

from patentwire.checks import run_check, warehouse_checks
from patentwire.project import ROOT
from patentwire.warehouse import LoadResult, insert_new, open_writer, replace_all, upsert

DATA_TABLES = ["articles", "page_parses", "fetch_log", *FACT_KEYS]


def contents(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    """Every data table's rows in a fixed order (schema_migrations holds apply times, so it is left out)."""
    return {table: con.execute(f"select * from {table} order by all").fetchall() for table in DATA_TABLES}


@pytest.fixture
def clean_run(tmp_path) -> dict[str, list[tuple]]:
    """What one clean load of the hand-written facts leaves in a fresh warehouse."""
    with open_writer(tmp_path / "clean.duckdb") as con:
        load_facts(con)
        return contents(con)


def test_clean_run_holds_every_hand_written_row(clean_run):
    expected = {**log_frames(), **fact_frames()}
    assert {table: len(rows) for table, rows in clean_run.items()} == {t: len(f) for t, f in expected.items()}


def test_rerun_leaves_exactly_the_rows_of_a_clean_run(facts_con, clean_run):
    load_facts(facts_con)
    load_facts(facts_con)
    assert contents(facts_con) == clean_run


def test_partial_rerun_leaves_exactly_the_rows_of_a_clean_run(facts_con, clean_run):
    logs, facts = log_frames(), fact_frames()
    upsert(facts_con, "articles", logs["articles"].iloc[:2], ["article_id"])
    insert_new(facts_con, "fetch_log", logs["fetch_log"].iloc[1:3], ["attempt_id"])
    replace_all(facts_con, {"deals": facts["deals"], "deal_parties": facts["deal_parties"]}, FACT_KEYS)
    assert contents(facts_con) == clean_run


def test_rerun_after_a_failed_load_leaves_exactly_the_rows_of_a_clean_run(facts_con, clean_run):
    broken = fact_frames()
    broken["deal_parties"] = pd.concat([broken["deal_parties"], broken["deal_parties"].iloc[:1]])
    with pytest.raises(duckdb.ConstraintException):
        replace_all(facts_con, broken, FACT_KEYS)
    load_facts(facts_con)
    assert contents(facts_con) == clean_run


def test_constraint_violation_in_second_table_leaves_the_first_table_unchanged(facts_con):
    before = contents(facts_con)
    frames = fact_frames()
    companies = frames["companies"].iloc[1:].copy()  # would delete one company ...
    companies.loc[companies.index[0], "mention_count"] = 99  # ... and change another
    deals = pd.concat([frames["deals"], frames["deals"].iloc[:1]])  # duplicate primary key
    with pytest.raises(duckdb.ConstraintException):
        replace_all(facts_con, {"companies": companies, "deals": deals}, FACT_KEYS)
    assert contents(facts_con) == before
    # the connection is usable afterwards: no transaction left open, no incoming view left registered
    facts_con.execute("begin transaction")
    facts_con.execute("rollback")
    assert not facts_con.execute("select * from duckdb_views() where view_name like '_incoming%'").fetchall()


def test_failed_upsert_leaves_the_table_unchanged(facts_con):
    before = contents(facts_con)
    deals = fact_frames()["deals"]
    deals.loc[0, "article_count"] = 7
    deals.loc[1, "status"] = None  # NOT NULL column
    with pytest.raises(duckdb.ConstraintException):
        upsert(facts_con, "deals", deals, ["deal_id"])
    assert contents(facts_con) == before


def test_upsert_replaces_rows_with_the_same_key_and_counts_them(facts_con):
    deals = fact_frames()["deals"].iloc[:2].copy()
    deals["article_count"] = [5, 6]
    new = deals.iloc[:1].copy()
    new["deal_id"] = "brand-new-deal"
    result = upsert(facts_con, "deals", pd.concat([deals, new]), ["deal_id"])
    assert result == LoadResult("deals", rows=3, inserted=1, replaced=2)
    counts = dict(facts_con.execute("select deal_id, article_count from deals").fetchall())
    assert len(counts) == 5
    assert [counts[d] for d in deals["deal_id"]] == [5, 6]


def test_upsert_keeps_the_last_of_duplicate_keys_in_one_frame(facts_con):
    deals = fact_frames()["deals"].iloc[[0, 0]].copy()
    deals["article_count"] = [3, 4]
    result = upsert(facts_con, "deals", deals, ["deal_id"])
    assert (result.rows, result.replaced) == (1, 1)
    assert facts_con.execute("select article_count from deals where deal_id = ?",
                             [deals["deal_id"].iloc[0]]).fetchall() == [(4,)]


def test_insert_new_appends_only_unseen_keys(facts_con):
    log = log_frames()["fetch_log"]
    extra = log.iloc[:1].copy()
    extra["attempt_id"] = "a-later-attempt"
    changed_old = log.iloc[1:2].copy()
    changed_old["status"] = 404  # an old key is never rewritten in an append-only log
    result = insert_new(facts_con, "fetch_log", pd.concat([extra, changed_old]), ["attempt_id"])
    assert (result.rows, result.inserted, result.replaced) == (2, 1, 0)
    assert facts_con.execute("select count(*) from fetch_log").fetchone() == (len(log) + 1,)
    assert facts_con.execute("select status from fetch_log where attempt_id = ?",
                             [changed_old["attempt_id"].iloc[0]]).fetchone() == (200,)


def test_replace_all_reports_inserted_replaced_and_deleted(facts_con):
    companies = fact_frames()["companies"].iloc[1:].copy()
    newcomer = companies.iloc[:1].copy()
    newcomer["company_id"], newcomer["name"] = "newcomer", "Newcomer"
    [result] = replace_all(facts_con, {"companies": pd.concat([companies, newcomer])}, FACT_KEYS)
    assert result == LoadResult("companies", rows=5, inserted=1, replaced=4, deleted=1)
    assert facts_con.execute("select count(*) from companies").fetchone() == (5,)


def test_replace_all_with_an_empty_frame_empties_the_table(facts_con):
    empty = fact_frames()["company_aliases"].iloc[:0]
    [result] = replace_all(facts_con, {"company_aliases": empty}, FACT_KEYS)
    assert (result.rows, result.deleted) == (0, 9)
    assert facts_con.execute("select count(*) from company_aliases").fetchone() == (0,)


def test_a_frame_without_a_table_column_is_refused_with_its_name(facts_con):
    deals = fact_frames()["deals"].drop(columns=["status"])
    with pytest.raises(ValueError, match="status"):
        upsert(facts_con, "deals", deals, ["deal_id"])


def test_extra_frame_columns_are_ignored(facts_con, clean_run):
    frames = fact_frames()
    frames["patent_counts"]["reviewer"] = "qa"  # a stage may carry more columns than the table holds
    replace_all(facts_con, frames, FACT_KEYS)
    assert contents(facts_con) == clean_run


# --- a process killed in the middle of a big load ------------------------------------------------

BIG_LOAD = textwrap.dedent("""
    import sys, time
    import pandas as pd
    from patentwire.warehouse import open_writer, replace_all

    database, pause_before, rows = sys.argv[1], sys.argv[2], int(sys.argv[3])

    class PausingConnection:
        '''Runs every statement, but stops for good just before the one starting with `pause_before`.'''
        def __init__(self, con):
            self._con = con
        def __getattr__(self, name):
            return getattr(self._con, name)
        def execute(self, sql, *args):
            if sql.lstrip().startswith(pause_before):
                print("paused", flush=True)
                time.sleep(600)
            return self._con.execute(sql, *args)

    ids = pd.Series(range(rows)).astype(str)
    counts = pd.DataFrame({
        "count_id": "big-" + ids, "article_id": "article-" + (ids.str[-3:]), "url": "https://x.example/" + ids,
        "company_id": "company-" + ids.str[-2:], "company_name": "Company " + ids.str[-2:], "name_as_written": None,
        "value": pd.Series(range(rows)) % 90000 + 1, "qualifier": "about", "unit": "patents", "period": None,
        "as_of": pd.Timestamp("2020-01-01").date(), "as_of_precision": None, "published": None,
        "sentence": "Company " + ids + " holds many patents.", "start_offset": 0, "end_offset": 30,
        "evidence_count": 1, "evidence": None, "extractor_version": "big", "confidence": 0.9})
    mentions = pd.DataFrame({
        "mention_id": "big-" + ids, "deal_id": "deal-" + ids.str[-4:], "article_id": "article-" + ids.str[-3:],
        "url": None, "published": None, "deal_types": [["license"]] * rows, "status": "primary",
        "mention_date": None, "date_precision": None, "sentence": "Two companies signed a licence " + ids,
        "start_offset": 0, "end_offset": 40, "evidence_count": 1, "evidence": None, "extractor_version": "big",
        "confidence": 0.9})
    keys = {"patent_counts": ["count_id"], "deal_mentions": ["mention_id"]}
    with open_writer(__import__("pathlib").Path(database)) as con:
        print("loading", flush=True)
        replace_all(PausingConnection(con), {"patent_counts": counts, "deal_mentions": mentions}, keys)
    print("committed", flush=True)
""")


def start_big_load(database: Path, pause_before: str, rows: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", BIG_LOAD, str(database), pause_before, str(rows)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for_line(process: subprocess.Popen, wanted: str) -> None:
    for line in process.stdout:
        if line.strip() == wanted:
            return
    raise AssertionError(f"load ended before '{wanted}': {process.stderr.read()}")


def kill(process: subprocess.Popen) -> None:
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL


@pytest.mark.slow
@pytest.mark.parametrize("pause_before", ["insert into deal_mentions", "commit"])
def test_load_killed_before_commit_leaves_the_previous_rows_and_a_rerun_is_clean(
        facts_warehouse, clean_run, pause_before):
    load = start_big_load(facts_warehouse.home.warehouse, pause_before, rows=300_000)
    wait_for_line(load, "paused")  # 300k rows already deleted/written inside the open transaction
    kill(load)
    with open_writer(facts_warehouse.home.warehouse) as con:
        assert contents(con) == clean_run
        assert all(run_check(con, check).passed for check in warehouse_checks())
        load_facts(con)
        assert contents(con) == clean_run


@pytest.mark.slow
def test_load_killed_at_any_moment_leaves_either_the_old_or_the_new_state(facts_warehouse, clean_run):
    load = start_big_load(facts_warehouse.home.warehouse, "never pause", rows=300_000)
    wait_for_line(load, "loading")
    try:
        load.wait(timeout=0.8)
    except subprocess.TimeoutExpired:
        kill(load)
    with duckdb.connect(str(facts_warehouse.home.warehouse)) as con:
        sizes = con.execute("select (select count(*) from patent_counts), (select count(*) from deal_mentions)")
        assert sizes.fetchone() in {(len(clean_run["patent_counts"]), len(clean_run["deal_mentions"])),
                                    (300_000, 300_000)}


def test_replace_all_keeps_the_table_keys_constraints_and_indexes(facts_con):
    facts_con.execute("create index patent_counts_by_company on patent_counts (company_id)")
    frames = fact_frames()
    replace_all(facts_con, {"patent_counts": frames["patent_counts"]}, FACT_KEYS)
    indexes = facts_con.execute("select index_name from duckdb_indexes() where table_name = 'patent_counts'")
    assert ("patent_counts_by_company",) in indexes.fetchall()
    with pytest.raises(duckdb.ConstraintException):  # primary key
        facts_con.execute("insert into patent_counts select * from patent_counts limit 1")
    with pytest.raises(duckdb.ConstraintException):  # not null
        facts_con.execute("update patent_counts set unit = null")


def test_upsert_of_most_rows_rebuilds_to_the_same_rows_and_keeps_the_keys(facts_con, clean_run):
    logs = log_frames()
    changed = logs["articles"].copy()
    changed["title"] = "new title"
    result = upsert(facts_con, "articles", changed.iloc[1:], ["article_id"])  # 3 of 4 rows: the rebuild path
    assert (result.inserted, result.replaced) == (0, 3)
    titles = [t for (t,) in facts_con.execute("select title from articles order by article_id").fetchall()]
    assert sorted(titles) == sorted([logs["articles"]["title"].iloc[0], "new title", "new title", "new title"])
    with pytest.raises(duckdb.ConstraintException):
        facts_con.execute("insert into articles select * from articles limit 1")
    upsert(facts_con, "articles", logs["articles"], ["article_id"])
    assert contents(facts_con) == clean_run


def test_failed_upsert_on_the_rebuild_path_leaves_the_table_unchanged(facts_con):
    before = contents(facts_con)
    articles = log_frames()["articles"]
    articles.loc[3, "text"] = None  # NOT NULL column
    with pytest.raises(duckdb.ConstraintException):
        upsert(facts_con, "articles", articles, ["article_id"])
    assert contents(facts_con) == before


# --- any sequence of loads ends where a plain dict says it must ---------------------------------

KEYS = st.sampled_from([f"k{i}" for i in range(12)])
LOADS = st.lists(st.tuples(st.sampled_from(["upsert", "replace_all", "insert_new"]),
                           st.lists(st.tuples(KEYS, st.integers(0, 9)), max_size=12)), max_size=8)


@settings(max_examples=40, deadline=None)
@given(LOADS)
def test_any_sequence_of_loads_matches_a_dict_model(loads):
    expected: dict[str, int] = {}
    with duckdb.connect() as con:
        con.execute("create table kv (k varchar primary key, v integer not null)")
        for kind, pairs in loads:
            frame = pd.DataFrame(pairs, columns=["k", "v"])
            if kind == "upsert":
                result = upsert(con, "kv", frame, ["k"])
                new_keys = set(frame["k"]) - set(expected)
                expected.update(pairs)  # the last of duplicate keys wins
            elif kind == "insert_new":
                result = insert_new(con, "kv", frame, ["k"])
                new_keys = set(frame["k"]) - set(expected)
                for key, value in pairs:
                    expected.setdefault(key, value)  # the first of duplicate keys wins, old keys stay
            else:
                frame = frame.drop_duplicates("k")
                [result] = replace_all(con, {"kv": frame}, {"kv": ["k"]})
                new_keys = set(frame["k"]) - set(expected)
                assert result.deleted == len(set(expected) - set(frame["k"]))
                expected = dict(zip(frame["k"], frame["v"], strict=True))
            assert result.inserted == len(new_keys)
            assert dict(con.execute("select k, v from kv").fetchall()) == expected


def test_the_transaction_helper_is_all_or_nothing():
    from patentwire.warehouse.transaction import transaction

    con = duckdb.connect()
    con.execute("create table t (x int)")
    with transaction(con):
        con.execute("insert into t values (1)")
    with pytest.raises(ZeroDivisionError), transaction(con):
        con.execute("insert into t values (2)")
        raise ZeroDivisionError
    assert con.execute("select x from t").fetchall() == [(1,)]
