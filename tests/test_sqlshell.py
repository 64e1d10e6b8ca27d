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
from patentwire.sqlshell import is_complete, render, run_statements, split_statements


def test_statements_are_split_by_duckdbs_parser_not_at_every_semicolon():
    text = "select 1; select\n  'a;b' as x; -- a comment; with a semicolon\nselect 3"
    # DuckDB keeps a trailing comment with the statement before it; the `;` inside it splits nothing
    assert split_statements(text) == ["select 1", "select\n  'a;b' as x; -- a comment; with a semicolon", "select 3"]


def test_a_statement_the_parser_rejects_does_not_hide_the_others():
    assert split_statements("select 1 as a; selec 2; select 'x;y' as b;") == ["select 1 as a", "selec 2",
                                                                              "select 'x;y' as b"]


def test_blank_input_and_lone_comments_give_no_statement():
    assert split_statements("\n  \n") == [] and split_statements("-- nothing here\n;") == []


@pytest.mark.parametrize(("text", "complete"), [
    ("select 1;", True), ("select 1", False), ("select 'a;", False), ("select 'a;';", True),
    ("select 1; -- done", True), (".tables", True), ("", True), ("select 1;\nselect", False),
])
def test_the_prompt_runs_input_once_its_last_token_is_a_semicolon(text, complete):
    assert is_complete(text) is complete


def test_every_statement_of_one_input_prints_its_result():
    out = io.StringIO()
    with duckdb.connect() as con:
        status = run_statements(con, split_statements("select 1 as a; select 2 as b;"), out, "csv")
    assert status == 0 and out.getvalue().split() == ["a", "1", "b", "2"]


def test_table_format_shows_null_dates_and_lists_readably():
    with duckdb.connect() as con:
        shown = render(con.sql("select date '2023-06-07' as day, null as nothing, ['license', 'litigation'] as t"),
                       "table", max_rows=10)
    row = shown.splitlines()[2]
    assert "2023-06-07" in row and "00:00:00" not in row and "NULL" in row and "[license, litigation]" in row


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
def test_cli_prints_the_result_of_every_statement_on_one_line(facts_warehouse):
    result = patentwire_sql("--format", "csv", home=facts_warehouse.home,
                            stdin="select 1 as a; select 'x;y' as b;\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["a", "1", "b", "x;y"]


@pytest.mark.slow
def test_tables_and_describe_helpers_list_and_explain_the_tables(facts_warehouse):
    tables = patentwire_sql("--format", "csv", ".tables", home=facts_warehouse.home)
    assert tables.returncode == 0, tables.stderr
    assert any(line.startswith("deals,table,4,") for line in tables.stdout.splitlines())
    described = patentwire_sql(".describe deals", home=facts_warehouse.home)
    assert described.returncode == 0, described.stderr
    assert "deal_id" in described.stdout and "VARCHAR" in described.stdout
    unknown = patentwire_sql(".describe nowhere", home=facts_warehouse.home)
    assert unknown.returncode == 1 and ".tables lists them" in unknown.stdout


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
