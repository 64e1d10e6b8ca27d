"""Materialization metadata every table asset attaches: row count, column schema, a preview.

Previews read like `patentwire sql` output (the same cell formatting): dates as dates, NULL for a missing
value, lists as [a, b]; tables of ids get the names a reader recognises a row by.
"""

import dagster as dg
import duckdb
import numpy as np
import pandas as pd

from patentwire.sqlshell import display_cell
from patentwire.tables import table_docs

PREVIEW_ROWS = 10
_PREVIEW_CELL = 80

# Extra columns for tables whose own columns are mostly ids (the SELECT keeps the table's own columns).
PREVIEW_QUERIES = {
    "deals": """
        select d.deal_id,
               (select string_agg(c.name, ', ' order by c.name)
                from deal_parties p join companies c using (company_id)
                where p.deal_id = d.deal_id) as parties,
               d.* exclude (deal_id)
        from deals d
    """,
}


def column_schema(con: duckdb.DuckDBPyConnection, table: str) -> dg.TableSchema:
    doc = table_docs().get(table)
    rows = con.execute(
        "select column_name, data_type from information_schema.columns where table_name = ? order by ordinal_position",
        [table]).fetchall()
    return dg.TableSchema(columns=[
        dg.TableColumn(name, data_type, description=(doc.columns[name].meaning if doc and name in doc.columns else None))
        for name, data_type in rows
    ])


def preview_markdown(names: list[str], rows: list[tuple]) -> str:
    """Rows (Python values, as DuckDB returns them) as a markdown table, long cells shortened."""
    if not rows:
        return "_(no rows)_"
    cells = [[_short_cell(display_cell(value)) for value in row] for row in rows[:PREVIEW_ROWS]]
    return pd.DataFrame(cells, columns=names, dtype=object).to_markdown(index=False)


def markdown_preview(frame: pd.DataFrame) -> str:
    """A pandas frame's first rows, formatted like `preview_markdown` (no nan, NaT or numpy lists)."""
    rows = [tuple(_plain(value) for value in row) for row in frame.head(PREVIEW_ROWS).itertuples(index=False)]
    return preview_markdown([str(name) for name in frame.columns], rows)


def _plain(value: object) -> object:
    """pandas' and numpy's stand-ins back to what DuckDB would have returned."""
    if isinstance(value, np.ndarray):
        return [_plain(item) for item in value.tolist()]
    if isinstance(value, list | tuple | dict):
        return value
    if pd.isna(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date() if value == value.normalize() and value.tz is None else value.to_pydatetime()
    if isinstance(value, np.generic):
        return value.item()
    return value


def _short_cell(value: object) -> str:
    text = str(value).replace("|", "\\|").replace("\n", " ")
    return text if len(text) <= _PREVIEW_CELL else text[: _PREVIEW_CELL - 1] + "…"


def preview_table(names: list[str], types: list[str], rows: list[tuple]) -> dg.TableMetadataValue:
    """The first rows as Dagster table metadata, which the asset page shows inline (markdown needs a click).

    Every cell is the text `patentwire sql` shows for it, so dates, NULLs and lists read the same in both.
    """
    records = [dg.TableRecord({name: _short_cell(display_cell(value)).replace("\\|", "|")
                               for name, value in zip(names, row, strict=True)})
               for row in rows[:PREVIEW_ROWS]]
    schema = dg.TableSchema(columns=[dg.TableColumn(name, str(kind)) for name, kind in zip(names, types, strict=True)])
    return dg.MetadataValue.table(records=records, schema=schema)


def table_metadata(con: duckdb.DuckDBPyConnection, table: str) -> dict:
    """Row count, column schema and a preview in the table's registered preview order."""
    (rows,) = con.execute(f"select count(*) from {table}").fetchone()
    doc = table_docs().get(table)
    order = f" order by {doc.preview_order}" if doc and doc.preview_order else ""
    source = f"({PREVIEW_QUERIES[table]})" if table in PREVIEW_QUERIES else table
    preview = con.execute(f"select * from {source}{order} limit {PREVIEW_ROWS}")
    names = [column[0] for column in preview.description]
    types = [column[1] for column in preview.description]
    shown = preview.fetchall()  # before the next query on this connection replaces the result
    return {
        "dagster/row_count": rows,
        "dagster/column_schema": column_schema(con, table),
        "dagster/table_name": table,
        "preview": preview_table(names, types, shown),
    }
