"""A home survives whatever happens to a run: kill -9 anywhere, concurrent runs, Ctrl-C; honest exit codes.

The fault matrix of issue 12 (the slow part) uses real `patentwire run` processes forked from a warm
process (tests/warm_runs.py) against the samples served by a 127.0.0.1 file server:
- kill -9 at 10 points spread over a first run, each followed by a rerun: tables equal to a clean run's
  (timestamps aside), no duplicate keys, the rerun within 2x the clean run's time;
- 2 and 3 concurrent runs on fresh homes, then 5 more runs: all succeed, no duplicates;
- Ctrl-C: one line, the run recorded as canceled, the next run clean.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from patentwire.home import Home
from patentwire.project import ROOT, SAMPLES_DIR
from patentwire.report import failed_sources_since
from patentwire.runlock import HomeBusy, home_lock, holder_of, lock_path
from pipelines.recovery import CLI_LAUNCHER, LAUNCHED_BY_TAG, PID_TAG, recover_home, repair_schema_versions
from pipelines.console import RunEvents
from pipelines.run import RunSummary
from warm_runs import FileServer, WarmRunner, kill_hard

# --- the run lock ---------------------------------------------------------------------------------

HOLD_LOCK = """
import sys, time
from pathlib import Path
from patentwire.runlock import home_lock
with home_lock(Path(sys.argv[1])):
    print("holding", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def _holder(home: Path, seconds: float) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(home), str(seconds)], cwd=ROOT,
                               stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == "holding"
    return process


def test_a_second_run_is_told_who_holds_the_home_and_can_refuse(tmp_path):
    holder = _holder(tmp_path, 30)
    try:
        with pytest.raises(HomeBusy, match=rf"pid {holder.pid} since .*; wait for it to finish or use another --home"):
            with home_lock(tmp_path, wait=False):
                pass
    finally:
        holder.kill()
        holder.wait()


def test_a_waiting_run_proceeds_when_the_holder_finishes_and_a_killed_holder_frees_the_home(tmp_path):
    holder = _holder(tmp_path, 1.0)
    told = []
    started = time.monotonic()
    with home_lock(tmp_path, on_wait=told.append):
        waited = time.monotonic() - started
        assert holder_of(lock_path(tmp_path)).startswith(f"pid {os.getpid()} ")
    holder.wait()
    assert told == [f"pid {holder.pid} since {told[0].split(' since ')[1]}"] and 0.3 < waited < 20

    killed = _holder(tmp_path, 60)
    killed.send_signal(signal.SIGKILL)
    killed.wait()
    with home_lock(tmp_path, wait=False):  # the kernel released the dead holder's lock at once
        pass


# --- recovery of what a dead run left ------------------------------------------------------------


def _instance(home: Home) -> dg.DagsterInstance:
    instance, _ = recover_home(home)
    return instance


def test_a_dead_runs_slot_is_freed_and_the_run_marked_failed_but_a_ui_run_is_left_alone(tmp_path):
    home = Home(tmp_path / "home").ensure()
    instance = _instance(home)
    dead = dg.DagsterRun(job_name="patentwire", run_id="d" * 8 + "-0000-0000-0000-000000000000",
                         status=dg.DagsterRunStatus.STARTED, tags={LAUNCHED_BY_TAG: CLI_LAUNCHER, PID_TAG: "4242"})
    ui_run = dg.DagsterRun(job_name="patentwire", run_id="u" * 8 + "-0000-0000-0000-000000000000",
                           status=dg.DagsterRunStatus.STARTED, tags={"dagster/from_ui": "true"})
    for run in (dead, ui_run):
        instance.add_run(run)
    storage = instance.event_log_storage
    storage.set_concurrency_slots("duckdb", 1)
    assert storage.claim_concurrency_slot("duckdb", dead.run_id, "fetch_log").is_claimed
    assert not storage.claim_concurrency_slot("duckdb", "someone-else", "parsed_pages").is_claimed  # what hung

    instance, recovery = recover_home(home)
    assert recovery.stale_runs == [dead.run_id] and dead.run_id in recovery.freed_slots_of
    assert "marked 1 run(s) of a process that died as failed" in recovery.describe()
    assert instance.get_run_by_id(dead.run_id).status == dg.DagsterRunStatus.FAILURE
    assert instance.get_run_by_id(ui_run.run_id).status == dg.DagsterRunStatus.STARTED
    assert not instance.event_log_storage.get_concurrency_info("duckdb").claimed_slots
    assert recover_home(home)[1].describe() is None  # nothing left to do the second time


def test_two_alembic_heads_left_by_a_creation_race_are_repaired(tmp_path):
    home = Home(tmp_path / "home").ensure()
    _instance(home).get_runs()
    runs_db = home.dagster / "storage" / "history" / "runs.db"
    import sqlite3
    with sqlite3.connect(runs_db) as con:
        con.execute("insert into alembic_version values ('5771160a95ad')")  # the loser's stamp
    with pytest.raises(Exception, match="more than one head"):
        dg.DagsterInstance.from_config(str(home.dagster)).get_runs()
    assert repair_schema_versions(home.dagster) == ["storage/history/runs.db"]
    assert dg.DagsterInstance.from_config(str(home.dagster)).get_runs() == []


# --- exit codes -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("success", "failed_steps", "sources", "failed_sources", "code"), [
    (True, [], ["a", "b"], [], 0),
    (True, [], ["a", "b"], ["a"], 0),  # one source failing is a fact recorded, not a failed run
    (True, [], ["a", "b"], ["a", "b"], 3),
    (False, ["parquet_exports"], ["a", "b"], ["a", "b"], 1),  # a failed step says more than the sources
    (True, [], [], [], 0),
])
def test_exit_code_of_a_finished_run(success, failed_steps, sources, failed_sources, code):
    summary = RunSummary(success, RunEvents(steps_failed=failed_steps), sources=sources, failed_sources=failed_sources)
    assert summary.exit_code == code


def test_a_source_fails_when_it_tried_and_read_nothing(facts_con):
    from datetime import UTC, datetime
    since = datetime(2020, 12, 1, tzinfo=UTC)
    # the conftest log: source "wire" has 4 pages fetched in 2021 and one http_500 in 2020-12-31
    assert failed_sources_since(facts_con, since) == []
    assert failed_sources_since(facts_con, datetime(2021, 9, 1, tzinfo=UTC)) == []  # tried nothing: not failed
    facts_con.execute("delete from fetch_log where outcome <> 'failed'")
    assert failed_sources_since(facts_con, since) == ["wire"]


# --- the fault matrix: real runs ------------------------------------------------------------------

VOLATILE_COLUMNS = {"attempt_id", "elapsed_ms", "status", "outcome", "etag", "last_modified"}


def sources_file(folder: Path, server: FileServer) -> Path:
    """Three of the bundled sources: a feed and a sitemap over HTTP, an archive folder (21 articles)."""
    path = folder / "sources.yaml"
    path.write_text(f"""
defaults:
  allow_private: true   # the file server is on 127.0.0.1
  rate: 100
fetch:
  retries: 0
sources:
  - name: wire
    kind: feed
    url: {server.url}/feeds/mobile-patent-wire.xml
    language: en
  - name: ipwatch
    kind: sitemap
    url: {server.url}/sitemaps/sitemap.xml
  - name: saved
    kind: archive
    path: {SAMPLES_DIR / 'archive'}
""", "utf-8")
    return path


def tables_of(home: Path) -> dict[str, list[tuple]]:
    """Every table of the warehouse, timestamps and per-attempt details aside; fetch_log as what was stored."""
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        tables = [name for (name,) in con.execute(
            "select table_name from information_schema.tables "
            "where table_name not in ('schema_migrations', 'table_versions')").fetchall()]  # bookkeeping, not data
        contents = {}
        for table in sorted(tables):
            if table == "fetch_log":
                query = ("select distinct source, url, content_hash from fetch_log "
                         "where content_hash is not null")
            else:
                columns = [name for name, kind in con.execute(
                    "select column_name, data_type from information_schema.columns where table_name = ? "
                    "order by ordinal_position", [table]).fetchall()
                    if "TIMESTAMP" not in kind and name not in VOLATILE_COLUMNS]
                query = f"select {', '.join(columns)} from {table}"
            contents[table] = sorted(map(repr, con.execute(query).fetchall()))
        return contents


def export_rows(home: Path) -> dict[str, int]:
    """Rows of each exported dataset; fetch_log aside, an append-only log of attempts (the killed run's too)."""
    datasets = [folder for folder in sorted((home / "exports").iterdir())
                if folder.is_dir() and not folder.name.startswith(".") and folder.name != "fetch_log"]
    with duckdb.connect() as con:
        return {folder.name: con.execute(f"select count(*) from read_parquet('{folder}/**/*.parquet')").fetchone()[0]
                for folder in datasets}


UNIQUE_KEYS = {"discovered_urls": ["url"], "articles": ["article_id"], "page_parses": ["url"],
               "extractions": ["article_id"], "companies": ["company_id"], "company_aliases": ["company_id", "alias"],
               "deals": ["deal_id"], "deal_parties": ["deal_id", "company_id"], "deal_mentions": ["mention_id"],
               "patent_counts": ["count_id"], "fetch_log": ["attempt_id"]}


def duplicate_keys(home: Path) -> dict[str, int]:
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        found = {}
        for table, keys in UNIQUE_KEYS.items():
            [(rows, distinct)] = con.execute(
                f"select count(*), count(distinct ({', '.join(keys)})) from {table}").fetchall()
            if rows != distinct:
                found[table] = rows - distinct
        return found


def run_statuses(home: Path) -> list[str]:
    instance = dg.DagsterInstance.from_config(str(home / "dagster"))
    return sorted(run.status.value for run in instance.get_runs())


@pytest.fixture(scope="module")
def matrix(tmp_path_factory):
    """The warm runner, the file server, a sources file and a clean run's tables and time."""
    folder = tmp_path_factory.mktemp("matrix")
    server = FileServer(SAMPLES_DIR)
    runner = WarmRunner()
    sources = sources_file(folder, server)
    clean_home = folder / "clean"
    code, seconds, output = runner.run(clean_home, sources, folder / "clean.log")
    assert code == 0, output
    try:
        yield {"runner": runner, "sources": sources, "folder": folder, "server": server, "clean_seconds": seconds,
               "clean_tables": tables_of(clean_home), "clean_exports": export_rows(clean_home)}
    finally:
        runner.close()
        server.close()


# (name, output line to wait for, seconds to wait after it): spread from the first instant to the summary
KILL_POINTS = [
    ("at start: lock, run storage creation", None, 0.05),
    ("building the definitions", None, 0.8),
    ("discovering", r"Dagster ready", 0.2),
    ("fetching pages", r"done    discovered_urls", 0.0),
    ("parsing", r"done    fetch_log", 0.1),
    ("extracting", r"done    articles, page_parses", 0.1),
    ("loading the fact tables", r"done    normalized_facts", 0.1),
    ("warehouse checks and SQL models", r"done    companies, company_aliases", 0.3),
    ("exporting Parquet", r"done    partnership_timeline", 0.0),
    ("summary, after the last step", r"done    parquet_exports", 0.0),
]


@pytest.mark.slow
@pytest.mark.timeout(1500)
def test_kill_9_anywhere_then_a_rerun_equals_a_clean_run(matrix):
    runner, folder = matrix["runner"], matrix["folder"]
    figures = []
    for number, (name, line, delay) in enumerate(KILL_POINTS):
        home = folder / f"kill-{number}"
        run = runner.start(home, matrix["sources"], folder / f"kill-{number}.log")
        if line is not None:
            assert runner.wait_for_line(run, line), f"{name}: the run ended before {line!r}:\n{run.output()}"
        time.sleep(delay)
        kill_hard(run)
        killed_code = runner.wait(run)
        code, seconds, output = runner.run(home, matrix["sources"], folder / f"rerun-{number}.log")
        assert code == 0, f"rerun after kill {name!r} exited {code}:\n{output}"
        assert tables_of(home) == matrix["clean_tables"], name
        assert export_rows(home) == matrix["clean_exports"], name
        assert duplicate_keys(home) == {}, name
        assert seconds <= 2 * matrix["clean_seconds"], (name, seconds, matrix["clean_seconds"])
        assert "STARTED" not in run_statuses(home), name
        figures.append((name, killed_code, round(seconds, 1)))
    print(f"\nclean run {matrix['clean_seconds']:.1f}s; kill point, exit of the killed run, rerun seconds:")
    for figure in figures:
        print("  ", *figure)
    assert sum(code == -signal.SIGKILL for _, code, _ in figures) >= 10  # really killed, not finished first


@pytest.mark.slow
@pytest.mark.timeout(1500)
def test_concurrent_runs_on_a_fresh_home_queue_and_all_succeed(matrix):
    runner, folder = matrix["runner"], matrix["folder"]
    for together in (2, 3):
        home = folder / f"concurrent-{together}"
        runs = [runner.start(home, matrix["sources"], folder / f"concurrent-{together}-{n}.log")
                for n in range(together)]
        codes = [runner.wait(run) for run in runs]
        assert codes == [0] * together, "\n".join(run.output() for run in runs)
        assert sum("this run waits for it to finish" in run.output() for run in runs) >= 1
        assert tables_of(home) == matrix["clean_tables"]
    for number in range(5):  # then five more on the home of three
        code, _seconds, output = runner.run(home, matrix["sources"], folder / f"after-{number}.log")
        assert code == 0, output
        assert duplicate_keys(home) == {}
    assert tables_of(home) == matrix["clean_tables"]
    assert run_statuses(home) == ["SUCCESS"] * 8


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_ten_reruns_on_one_home_load_nothing_twice(matrix):
    runner, folder = matrix["runner"], matrix["folder"]
    home = folder / "reruns"
    for number in range(11):  # the first run, then ten reruns
        code, _seconds, output = runner.run(home, matrix["sources"], folder / f"rerun-{number}.log")
        assert code == 0, output
        assert duplicate_keys(home) == {}, number
    assert tables_of(home) == matrix["clean_tables"]
    assert export_rows(home) == matrix["clean_exports"]
    assert run_statuses(home) == ["SUCCESS"] * 11


@pytest.mark.slow
def test_ctrl_c_stops_with_one_line_records_canceled_and_the_next_run_is_clean(matrix):
    runner, folder = matrix["runner"], matrix["folder"]
    home = folder / "ctrl-c"
    run = runner.start(home, matrix["sources"], folder / "ctrl-c.log")
    assert runner.wait_for_line(run, r"done    fetch_log")
    os.kill(run.pid, signal.SIGINT)
    assert runner.wait(run) == 130
    output = run.output()
    assert "Traceback" not in output
    assert [line for line in output.splitlines() if line and not line.startswith("[")] == [
        next(line for line in output.splitlines() if line.startswith("patentwire run stopped (run "))]
    assert run_statuses(home) == ["CANCELED"]
    code, _seconds, rerun = runner.run(home, matrix["sources"], folder / "after-ctrl-c.log")
    assert code == 0 and "marked" not in rerun, rerun
    assert tables_of(home) == matrix["clean_tables"]
    assert run_statuses(home) == ["CANCELED", "SUCCESS"]


@pytest.mark.slow
def test_exit_3_when_every_source_fails_and_1_when_a_step_fails(matrix, httpserver):
    runner, folder = matrix["runner"], matrix["folder"]
    httpserver.expect_request("/feed.xml").respond_with_data("down", status=503)
    httpserver.expect_request("/news/").respond_with_data("gone", status=404)
    dead = folder / "dead-sources.yaml"
    dead.write_text(f"""
defaults: {{allow_private: true}}
fetch: {{retries: 0}}
sources:
  - {{name: feed, kind: feed, url: "{httpserver.url_for('/feed.xml')}"}}
  - {{name: listing, kind: listing, url: "{httpserver.url_for('/news/')}", link_selector: "a"}}
""", "utf-8")
    code, _seconds, output = runner.run(folder / "dead", dead, folder / "dead.log")
    assert code == 3, output
    assert "finished, but every source failed" in output and "http_503" in output

    home = folder / "broken-export"
    Home(home).ensure()
    (home / "exports" / "schema.json").mkdir()  # the export cannot write its schema file
    code, _seconds, output = runner.run(home, matrix["sources"], folder / "broken-export.log")
    assert code == 1, output
    assert "failed: parquet_exports" in output
