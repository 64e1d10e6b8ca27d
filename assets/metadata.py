"""Materialization metadata every table asset attaches: row count, column schema, a preview."""

import dagster as dg
import duckdb
import pandas as pd

from patentwire.tables import table_docs

PREVIEW_ROWS = 10
_PREVIEW_CELL = 80


def column_schema(con: duckdb.DuckDBPyConnection, table: str) -> dg.TableSchema:
    doc = table_docs().get(table)
    rows = con.execute(
        "select column_name, data_type from information_schema.columns where table_name = ? order by ordinal_position",
        [table]).fetchall()
    return dg.TableSchema(columns=[
        dg.TableColumn(name, data_type, description=(doc.columns[name].meaning if doc and name in doc.columns else None))
        for name, data_type in rows
    ])


def markdown_preview(frame: pd.DataFrame) -> str:
    """First rows as a markdown table, long cells shortened so the UI stays readable."""
    shown = frame.head(PREVIEW_ROWS).astype(object).map(_short_cell)
    return shown.to_markdown(index=False) if not shown.empty else "_(no rows)_"


def _short_cell(value: object) -> object:
    text = "" if value is None else str(value)
    return text if len(text) <= _PREVIEW_CELL else text[: _PREVIEW_CELL - 1] + "…"


def table_metadata(con: duckdb.DuckDBPyConnection, table: str) -> dict:
    """Row count, column schema and a preview in the table's registered preview order."""
    (rows,) = con.execute(f"select count(*) from {table}").fetchone()
    doc = table_docs().get(table)
    order = f" order by {doc.preview_order}" if doc and doc.preview_order else ""
    preview = con.execute(f"select * from {table}{order} limit {PREVIEW_ROWS}").df()
    return {
        "dagster/row_count": rows,
        "dagster/column_schema": column_schema(con, table),
        "dagster/table_name": table,
        "preview": dg.MetadataValue.md(markdown_preview(preview)),
    }
