"""The `patentwire` command as a user runs it: a subprocess with its own home."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlparse

import duckdb
import pytest

from conftest import patentwire

from patentwire.project import ROOT

SUBCOMMANDS = ["run", "sql", "export", "parse", "extract", "ui"]


@pytest.mark.parametrize("subcommand", SUBCOMMANDS)
def test_every_subcommand_has_help(subcommand):
    result = patentwire(subcommand, "--help")
    assert result.returncode == 0
    assert "usage: patentwire" in result.stdout


def test_bad_sources_file_is_a_clear_error_before_anything_runs(tmp_path):
    bad = tmp_path / "sources.yaml"
    bad.write_text("sources:\n  - name: x\n    kind: feed\n    url: a.xml\n    rat: 2\n")
    result = patentwire("run", "--sources", str(bad), home=tmp_path / "home")
    assert result.returncode == 2
    assert "sources.yaml" in result.stderr and "rat" in result.stderr
    assert not (tmp_path / "home").exists()  # nothing is made before the configuration is known to be good


def test_unwritable_home_is_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = patentwire("run", home=blocker / "home")
    assert result.returncode == 2
    assert "not writable" in result.stderr


def test_sql_before_any_run_says_what_to_do(tmp_path):
    result = patentwire("sql", "select 1", home=tmp_path)
    assert result.returncode == 2
    assert "patentwire run" in result.stderr


def _table_contents(database: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(database), read_only=True) as con:
        tables = [name for (name,) in con.execute(
            "select table_name from information_schema.tables where table_name not in ('schema_migrations', 'table_versions') order by 1"
        ).fetchall()]
        return {t: sorted(map(repr, con.execute(f"select * from {t}").fetchall())) for t in tables}


@pytest.fixture(scope="module")
def twice_run_home(sample_run, tmp_path_factory):
    """The shared first run, and a second run in a copy of its home: (home, first, rows after the first,
    rows after the second, second)."""
    copy = sample_run.copy_home(tmp_path_factory.mktemp("cli-home") / "home")
    second = patentwire("run", home=copy)
    assert second.returncode == 0, second.stdout + second.stderr
    return (sample_run.home, sample_run.result, _table_contents(sample_run.snapshot),
            _table_contents(copy / "warehouse.snapshot.duckdb"), second)


def test_run_prints_progress_and_a_summary(twice_run_home):
    home, first, *_ = twice_run_home
    lines = first.stdout.splitlines()
    assert lines[0].startswith("patentwire 0.1.0: run of the bundled samples into ")
    assert "done    fetch_log  (pages: 36 new, 0 changed, 0 unchanged, 0 skipped, 0 failed)" in first.stdout
    # asset names as the UI shows them, not step names
    assert "done    articles, page_parses" in first.stdout and "parsed_pages" not in first.stdout
    assert "fact_tables" not in first.stdout and "_keys_not_null" not in first.stdout
    assert "pages: 36 new, 0 changed, 0 unchanged, 0 failed, 0 skipped" in first.stdout
    assert "articles: 36, deals:" in first.stdout and str(home / "exports") in first.stdout
    assert "\x1b[" not in first.stdout  # no progress bars or colours when stdout is not a terminal


def test_summary_time_covers_the_whole_command(twice_run_home):
    _, first, *_ = twice_run_home
    summary = next(line for line in first.stdout.splitlines() if line.startswith("patentwire run succeeded in "))
    reported = float(summary.split(" in ")[1].split("s")[0])
    last_step = max(float(line[1:7]) for line in first.stdout.splitlines() if line.startswith("[ "))
    assert reported >= last_step and "Dagster started in" in summary


def test_second_run_reports_unchanged_documents_and_skipped_pages(twice_run_home):
    second = twice_run_home[4].stdout
    assert "feeds, sitemaps and listings 0 new, 0 changed, 5 unchanged, 0 failed" in second
    assert "pages: 0 new, 0 changed, 0 unchanged, 0 failed, 36 skipped" in second


def test_version_is_printed():
    result = patentwire("--version")
    assert result.returncode == 0 and result.stdout.strip() == "patentwire 0.1.0"


def test_running_twice_leaves_exactly_the_same_rows(twice_run_home):
    _, _, before, after, _ = twice_run_home
    assert set(before) == set(after)
    for table in before:
        if table == "fetch_log":
            # an append-only log of attempts: a second run adds its own, never changes or drops one
            assert set(before[table]) <= set(after[table])
        else:
            assert before[table] == after[table], table


def test_sql_reads_the_snapshot_and_prints_a_table(twice_run_home):
    home = twice_run_home[0]
    result = patentwire("sql", "select count(*) as deals from deals", home=home)
    assert result.returncode == 0, result.stderr
    assert "deals" in result.stdout and "(1 rows)" in result.stdout


def test_sql_reads_statements_from_stdin(twice_run_home):
    home = twice_run_home[0]
    result = patentwire("sql", "--format", "csv", home=home,
                        stdin="select 1 as a;\nselect name from companies where name = 'Nokia';\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["a", "1", "name", "Nokia"]


def test_export_writes_a_dataset_per_table_to_another_folder(twice_run_home, tmp_path):
    home = twice_run_home[0]
    result = patentwire("export", "--out", str(tmp_path / "out"), home=home)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "schema.json").exists()
    rows = duckdb.sql(f"select count(*) from read_parquet('{tmp_path}/out/deals/**/*.parquet')").fetchall()[0][0]
    with duckdb.connect(str(home / "warehouse.snapshot.duckdb"), read_only=True) as con:
        assert rows == con.execute("select count(*) from deals").fetchone()[0]


def test_parse_filter_honours_its_contract(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<html lang='en'><head><title>T</title></head><body><article><h1>T</h1>"
                    + "<p>Nokia and Xiaomi signed a patent cross-license agreement today in Espoo.</p>" * 8
                    + "</article></body></html>")
    lines = "\n".join([json.dumps({"id": "1", "url": "https://news.example/a", "path": str(page)}),
                       "{broken", json.dumps({"url": "https://news.example/b"})])
    result = patentwire("parse", "--input", "-", "--output", "-", stdin=lines + "\n")
    assert result.returncode == 1, result.stderr  # two lines became error lines
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(out) == 3
    assert set(out[0]) >= {"id", "url", "canonical_url", "title", "published", "language", "text", "reason"}
    assert "cross-license" in out[0]["text"] and out[0]["reason"] is None
    assert "error" in out[1] and "error" in out[2]


def test_extract_filter_honours_its_contract():
    text = ("Nokia and Xiaomi have signed a multi-year patent cross-license agreement. "
            "Xiaomi says it has filed more than 16,000 patent applications in the last seven years.")
    lines = "\n".join([json.dumps({"id": "a", "text": text, "language": "en", "published": "2017-07-05"}),
                       "not json", json.dumps({"id": "b"})])
    result = patentwire("extract", stdin=lines + "\n")
    assert result.returncode == 1, result.stderr  # two lines became error lines
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o.get("id") for o in out] == ["a", None, "b"]
    deal = out[0]["deals"][0]
    assert sorted(p["canonical"] for p in deal["parties"]) == ["Nokia", "Xiaomi"]
    assert "cross_license" in deal["types"] and deal["status"] == "primary"
    ev = deal["evidence"][0]
    assert text[ev["start"]:ev["end"]] == ev["sentence"]
    count = out[0]["patent_counts"][0]
    assert (count["company"], count["value"], count["qualifier"], count["unit"]) == (
        "Xiaomi", 16000, "more_than", "patent_applications")
    assert "error" in out[1] and "error" in out[2]


def test_every_config_mistake_is_reported_in_one_go(tmp_path):
    bad = tmp_path / "sources.yaml"
    bad.write_text("sources:\n  - {name: a, kind: feed, url: a.xml, rat: 2}\n  - {name: b, kind: sitemap}\n"
                   "fetch: {retrys: 1}\n")
    result = patentwire("run", "--sources", str(bad), home=tmp_path / "home")
    assert result.returncode == 2
    assert all(fragment in result.stderr for fragment in ("unknown key 'rat'", "needs `url:`", "'retrys'"))


def test_dg_checks_the_definitions(tmp_path):
    env = dict(os.environ, DAGSTER_HOME=str(tmp_path), PATENTWIRE_HOME=str(tmp_path / "home"),
               VIRTUAL_ENV=sys.prefix)
    (tmp_path / "dagster.yaml").write_text("telemetry: {enabled: false}\n")
    dg = str(Path(sys.executable).with_name("dg"))
    result = subprocess.run([dg, "check", "defs"], capture_output=True, text=True, cwd=ROOT, env=env, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "All definitions loaded successfully" in result.stdout + result.stderr
    assert "Warning" not in result.stderr and "does not match" not in result.stdout + result.stderr


def test_dagster_validates_the_workspace(tmp_path):
    env = dict(os.environ, DAGSTER_HOME=str(tmp_path), PATENTWIRE_HOME=str(tmp_path / "home"))
    result = subprocess.run([sys.executable, "-m", "dagster", "definitions", "validate", "-w", "workspace.yaml"],
                            capture_output=True, text=True, cwd=ROOT, env=env, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


def test_parse_filter_gives_the_same_text_as_the_pipeline(twice_run_home):
    home = twice_run_home[0]
    with duckdb.connect(str(home / "warehouse.snapshot.duckdb"), read_only=True) as con:
        stored = con.execute("""
            select a.url, a.canonical_url, a.text from articles a
            where a.url like 'file://%' order by a.article_id limit 5
        """).fetchall()
    assert len(stored) == 5
    lines = "".join(json.dumps({"id": url, "url": url, "path": unquote(urlparse(url).path)}) + "\n"
                    for url, _, _ in stored)
    result = patentwire("parse", stdin=lines)
    assert result.returncode == 0, result.stderr
    parsed = {row["id"]: row for row in map(json.loads, result.stdout.splitlines())}
    for url, canonical_url, text in stored:
        assert parsed[url]["canonical_url"] == canonical_url
        assert parsed[url]["text"] == text


def test_a_dead_source_is_recorded_and_does_not_stop_the_others(tmp_path):
    sources = tmp_path / "sources.yaml"
    archive = ROOT / "samples" / "archive"
    sources.write_text(
        "sources:\n"
        f"  - {{name: saved, kind: archive, path: '{archive}'}}\n"
        "  - {name: dead-feed, kind: feed, url: missing/feed.xml}\n"
        "  - {name: closed-port, kind: feed, url: 'http://127.0.0.1:9/feed.xml', allow_private: true}\n"
        "  - {name: local-test, kind: feed, url: 'http://127.0.0.1:9/other.xml'}\n"
        "fetch: {retries: 0, connect_timeout: 1}\n"
    )
    result = patentwire("run", "--sources", str(sources), home=tmp_path / "home")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "source dead-feed: 1 fetch failed (file_not_found)" in result.stdout
    assert "source local-test: 1 fetch failed (private_address)\n    hint: a loopback address is refused unless " \
           "the source allows it: add `allow_private: true`" in result.stdout
    assert "fetch.contact is not set" not in result.stderr  # only loopback and files: no site owner to reach
    with duckdb.connect(str(tmp_path / "home" / "warehouse.snapshot.duckdb"), read_only=True) as con:
        failures = dict(con.execute(
            "select source, reason from fetch_log where outcome = 'failed' order by source").fetchall())
        (articles,) = con.execute("select count(*) from articles where source = 'saved'").fetchone()
    assert set(failures) == {"dead-feed", "closed-port", "local-test"}
    assert all(failures.values())
    assert articles == len(list(archive.glob("*.html*")))
