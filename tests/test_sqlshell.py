"""`patentwire sql`: statements from an argument or a pipe, answered from the read-only snapshot."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import duckdb
import pytest

from patentwire.project import ROOT
from patentwire.sqlshell import render, run_statements, statements_from


def test_statements_split_at_a_semicolon_ending_a_line():
    lines = ["select 1;\n", "select\n", "  'a;b' as x;\n", "select 3"]
    assert list(statements_from(lines)) == ["select 1", "select\n  'a;b' as x", "select 3"]


def test_blank_input_gives_no_statement():
    assert list(statements_from(["\n", "  \n"])) == []


def test_each_statement_prints_its_result_and_an_error_does_not_stop_the_rest():
    out = io.StringIO()
    with duckdb.connect() as con:
        status = run_statements(con, ["select 1 as one", "select * from nowhere", "select 2 as two"], out, "csv")
    printed = out.getvalue()
    assert status == 1
    assert "one\n1" in printed and "two\n2" in printed
    assert "error:" in printed and "nowhere" in printed


def test_table_format_says_when_rows_were_cut():
    with duckdb.connect() as con:
        shown = render(con.sql("select range as n from range(5)"), "table", max_rows=3)
    assert "(3 rows)" in shown and "more than 3 rows" in shown


def test_json_format_is_one_object_per_line_with_dates_as_text():
    with duckdb.connect() as con:
        shown = render(con.sql("select date '2017-07-05' as day, ['a', 'b'] as tags"), "json", max_rows=10)
    assert [json.loads(line) for line in shown.splitlines()] == [{"day": "2017-07-05", "tags": ["a", "b"]}]


def test_empty_result_says_no_rows():
    with duckdb.connect() as con:
        assert render(con.sql("select 1 as x where false"), "table", max_rows=10).startswith("(no rows)")


def patentwire_sql(*args: str, home, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key != "PATENTWIRE_HOME"}
    return subprocess.run([sys.executable, "-m", "patentwire", "sql", *args, "--home", str(home.root)],
                          input=stdin, capture_output=True, text=True, timeout=120, cwd=ROOT, env=env)


@pytest.mark.slow
def test_cli_answers_piped_statements_from_the_snapshot(facts_warehouse):
    result = patentwire_sql("--format", "csv", home=facts_warehouse.home, stdin=(
        "select name from companies where not in_registry;\n"
        "select count(*) as mentions from deal_mentions where status = 'primary';\n"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["name", "Tannenberg", "Labs", "mentions", "4"]


@pytest.mark.slow
def test_cli_cannot_change_the_warehouse(facts_warehouse):
    result = patentwire_sql("drop table deals", home=facts_warehouse.home)
    assert result.returncode == 1
    with facts_warehouse.connect(read_only=True) as con:
        assert con.execute("select count(*) from deals").fetchone() == (4,)


def test_csv_format_writes_dates_as_dates_and_lists_as_json():
    with duckdb.connect() as con:
        shown = render(con.sql("select date '2017-07-05' as day, ['a', 'b'] as tags, null as nothing"), "csv", 10)
    assert shown.splitlines() == ["day,tags,nothing", '2017-07-05,"[""a"", ""b""]",']
