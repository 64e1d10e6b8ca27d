"""Ad-hoc SQL for `patentwire sql`: statements from an argument, a pipe or a prompt."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import IO

import duckdb
import pandas as pd

PROMPT = "patentwire> "


def statements_from(lines: Iterable[str], interactive: bool = False) -> Iterator[str]:
    """Split input into statements at a `;` that ends a line."""
    buffer: list[str] = []
    if interactive:
        print("Read-only SQL on the warehouse snapshot; end statements with ';', Ctrl-D quits.")
        print(PROMPT, end="", flush=True)
    for line in lines:
        buffer.append(line)
        if line.rstrip().endswith(";"):
            yield "".join(buffer).strip().rstrip(";")
            buffer = []
        if interactive:
            print(PROMPT if not buffer else "      ...> ", end="", flush=True)
    rest = "".join(buffer).strip().rstrip(";")
    if rest:
        yield rest


def run_statements(con: duckdb.DuckDBPyConnection, statements: Iterable[str], out: IO[str],
                   output_format: str = "table", max_rows: int = 200) -> int:
    """Run each statement and print its result; return 1 if any statement failed."""
    status = 0
    for statement in statements:
        try:
            relation = con.sql(statement)
        except duckdb.Error as error:
            print(f"error: {error}", file=out)
            status = 1
            continue
        if relation is not None:
            print(render(relation, output_format, max_rows), file=out)
    return status


def render(relation: duckdb.DuckDBPyRelation, output_format: str, max_rows: int) -> str:
    # Python values straight from DuckDB (not a pandas frame): dates stay dates and lists stay lists.
    fetched = relation.limit(max_rows + 1) if output_format == "table" else relation
    names, rows = fetched.columns, fetched.fetchall()
    if output_format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(names)
        writer.writerows([_csv_cell(value) for value in row] for row in rows)
        return buffer.getvalue().rstrip("\n")
    if output_format == "json":
        return "\n".join(json.dumps(dict(zip(names, row, strict=True)), ensure_ascii=False, default=str)
                         for row in rows)
    shown = pd.DataFrame(rows[:max_rows], columns=names, dtype=object)
    table = shown.to_markdown(index=False) if not shown.empty else "(no rows)"
    more = f"\n… more than {max_rows} rows; use --max-rows or LIMIT" if len(rows) > max_rows else ""
    return f"{table}\n({len(shown)} rows){more}"


def _csv_cell(value: object) -> object:
    """Lists and structs as JSON text, so a spreadsheet shows them the way DuckDB wrote them."""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return "" if value is None else value
