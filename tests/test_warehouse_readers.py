"""Ad-hoc SQL works while a run holds the writer: readers open the published snapshot."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import duckdb
import pytest
from conftest import patentwire

from patentwire.project import ROOT
from patentwire.warehouse import (DEFAULT_MEMORY_LIMIT, MEMORY_ENV, ReaderUnavailable, open_reader, open_writer,
                                  publish_snapshot, writer_config)

HOLD_THE_WRITER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from patentwire.warehouse import open_writer

    database, snapshot, statement = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    with open_writer(database, snapshot) as con:
        if statement:
            con.execute(statement)
        print("holding", flush=True)
        sys.stdin.readline()  # keep the lock until the test says so
    print("released", flush=True)
""")
ADD_A_DEAL = "insert into deals select 'deal-added-by-the-run' as deal_id, * exclude (deal_id) from deals limit 1"


def hold_the_writer(database, snapshot, statement: str) -> subprocess.Popen:
    """A process that opens the writer, runs `statement`, and holds the lock until its stdin gets a line."""
    return subprocess.Popen([sys.executable, "-c", HOLD_THE_WRITER, str(database), str(snapshot), statement],
                            cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def patentwire_sql(home, query: str) -> subprocess.CompletedProcess:
    return patentwire("sql", query, "--format", "csv", home=home.root, timeout=120)


def read_line(process: subprocess.Popen) -> str:
    line = process.stdout.readline().strip()
    assert line, f"writer process ended early: {process.stderr.read()}"
    return line


@pytest.mark.slow
def test_sql_answers_from_the_snapshot_while_a_load_holds_the_writer(facts_warehouse):
    home = facts_warehouse.home
    writer = hold_the_writer(home.warehouse, home.snapshot, ADD_A_DEAL)
    try:
        assert read_line(writer) == "holding"

        # the working file itself is locked: this is why readers need the snapshot
        with pytest.raises(duckdb.IOException, match="lock"):
            duckdb.connect(str(home.warehouse), read_only=True)

        during = patentwire_sql(home, "select count(*) as deals from deals")
        assert during.returncode == 0, during.stderr
        assert during.stdout.split() == ["deals", "4"]  # the last published state, not the open load

        refused = patentwire_sql(home, "delete from deals")
        assert refused.returncode == 1
        assert "read-only" in refused.stdout.lower()

        writer.stdin.write("\n")
        writer.stdin.flush()
        assert read_line(writer) == "released"
    finally:
        writer.kill()
        writer.wait(timeout=30)

    after = patentwire_sql(home, "select count(*) as deals from deals")
    assert after.stdout.split() == ["deals", "5"]  # the writer republished the snapshot on clean exit


def test_snapshot_holds_exactly_the_warehouse_rows(facts_warehouse):
    with facts_warehouse.connect(read_only=True) as con:
        tables = [name for (name,) in con.execute("select table_name from duckdb_tables() order by 1").fetchall()]
        warehouse = {t: con.execute(f"select * from {t} order by all").fetchall() for t in tables}
    with duckdb.connect(str(facts_warehouse.home.snapshot), read_only=True) as con:
        snapshot = {t: con.execute(f"select * from {t} order by all").fetchall() for t in tables}
    assert snapshot == warehouse
    assert len(tables) >= 12


def test_a_reader_keeps_its_snapshot_while_a_new_one_is_published(facts_warehouse):
    home = facts_warehouse.home
    old_reader = open_reader(home.warehouse, home.snapshot)
    with open_writer(home.warehouse, home.snapshot) as con:
        con.execute("delete from deal_mentions")
    # a new reader (another process: DuckDB shares one open database per path within a process)
    new_reader = patentwire_sql(home, "select count(*) as mentions from deal_mentions")
    assert new_reader.stdout.split() == ["mentions", "0"]
    assert old_reader.execute("select count(*) from deal_mentions").fetchone() == (5,)
    old_reader.close()


def test_publishing_leaves_no_temporary_files(facts_warehouse):
    home = facts_warehouse.home
    with open_writer(home.warehouse, home.snapshot):
        pass
    leftovers = [p.name for p in home.root.iterdir() if p.name.startswith(".") or p.suffix in {".tmp", ".wal"}]
    assert leftovers == []


def test_a_failed_write_does_not_republish_the_snapshot(facts_warehouse):
    home = facts_warehouse.home
    published = home.snapshot.stat().st_mtime_ns
    with pytest.raises(RuntimeError), open_writer(home.warehouse, home.snapshot) as con:
        con.execute("delete from deals")
        raise RuntimeError("the stage failed half way")
    assert home.snapshot.stat().st_mtime_ns == published
    with duckdb.connect(str(home.snapshot), read_only=True) as con:
        assert con.execute("select count(*) from deals").fetchone() == (4,)


def test_reader_falls_back_to_the_warehouse_when_no_snapshot_exists(tmp_path):
    with open_writer(tmp_path / "w.duckdb") as con:
        con.execute("create table marker as select 42 as answer")
    with open_reader(tmp_path / "w.duckdb", tmp_path / "missing.snapshot.duckdb") as con:
        assert con.execute("select answer from marker").fetchone() == (42,)


@pytest.mark.slow
def test_reader_during_the_first_run_says_to_wait_instead_of_a_lock_error(tmp_path):
    database = tmp_path / "w.duckdb"
    with open_writer(database):
        pass  # a warehouse, but no snapshot published yet
    writer = hold_the_writer(database, tmp_path / "s.duckdb", statement="")
    try:
        assert read_line(writer) == "holding"
        with pytest.raises(ReaderUnavailable, match="try again"):
            open_reader(database, tmp_path / "s.duckdb")
    finally:
        writer.kill()
        writer.wait(timeout=30)


def test_reader_without_any_warehouse_says_to_run_first(tmp_path):
    with pytest.raises(ReaderUnavailable, match="patentwire run"):
        open_reader(tmp_path / "w.duckdb", tmp_path / "s.duckdb")


def test_a_home_with_a_quote_in_its_path_gets_a_snapshot(tmp_path):
    home = tmp_path / "o'neil"
    with open_writer(home / "w.duckdb", home / "s.duckdb") as con:
        con.execute("create table marker as select 1 as one")
    with duckdb.connect(str(home / "s.duckdb"), read_only=True) as con:
        assert con.execute("select one from marker").fetchone() == (1,)


def test_an_in_memory_warehouse_is_snapshotted_table_by_table(tmp_path):
    with duckdb.connect() as con:
        con.execute("create table marker as select 7 as seven")
        publish_snapshot(con, tmp_path / "s.duckdb")
    with duckdb.connect(str(tmp_path / "s.duckdb"), read_only=True) as con:
        assert con.execute("select seven from marker").fetchone() == (7,)
    assert [p.name for p in tmp_path.iterdir()] == ["s.duckdb"]


def test_the_snapshot_holds_only_committed_rows_of_the_writer(facts_warehouse):
    home = facts_warehouse.home
    with open_writer(home.warehouse) as con:
        con.execute("begin transaction")
        con.execute("delete from deals")
        with pytest.raises(duckdb.Error):
            publish_snapshot(con, home.snapshot)  # a checkpoint inside an open transaction is refused
        con.execute("rollback")
        publish_snapshot(con, home.snapshot)
    with duckdb.connect(str(home.snapshot), read_only=True) as con:
        assert con.execute("select count(*) from deals").fetchone() == (4,)


# --- the writer's memory limit ---------------------------------------------------------------------


def _memory_limit(con: duckdb.DuckDBPyConnection) -> str:
    return con.execute("select current_setting('memory_limit')").fetchall()[0][0]


def test_the_writer_has_a_bounded_memory_limit_that_the_environment_can_change(tmp_path, monkeypatch):
    monkeypatch.delenv(MEMORY_ENV, raising=False)
    with open_writer(tmp_path / "a.duckdb") as con:
        default = _memory_limit(con)
    monkeypatch.setenv(MEMORY_ENV, "1GB")
    with open_writer(tmp_path / "b.duckdb") as con:
        chosen = _memory_limit(con)
    assert default == _memory_limit(duckdb.connect(config={"memory_limit": DEFAULT_MEMORY_LIMIT}))
    assert default != _memory_limit(duckdb.connect())  # not DuckDB's own 80 % of RAM
    assert chosen == _memory_limit(duckdb.connect(config={"memory_limit": "1GB"})) != default


def test_a_merge_larger_than_the_memory_limit_spills_instead_of_failing(tmp_path, monkeypatch):
    monkeypatch.setenv(MEMORY_ENV, "64MB")
    with open_writer(tmp_path / "w.duckdb") as con:
        # two tables of ~150 MB of text each: the set difference needs more than the limit in its hash table
        con.execute("create table stored as select i, repeat(md5(i::varchar), 2) as text from range(1500000) t(i)")
        con.execute("create table incoming as select i, repeat(md5(i::varchar), 2) as text "
                    "from range(100, 1500100) t(i)")
        [(changed,)] = con.execute(
            "select count(*) from (select * from incoming except all select * from stored)").fetchall()
    assert changed == 100
