"""Column documentation from one source (patentwire/data/schema.yaml).

Used for the Parquet schema.json, the README's schema section and Dagster's column schema.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import duckdb
import yaml


@dataclass(frozen=True)
class ColumnDoc:
    name: str
    meaning: str
    example: str | None = None


@dataclass(frozen=True)
class TableDoc:
    name: str
    description: str
    grain: str
    partition_by_year_of: str | None = None
    columns: dict[str, ColumnDoc] = field(default_factory=dict)


@cache
def table_docs() -> dict[str, TableDoc]:
    raw = yaml.safe_load((resources.files("patentwire") / "data" / "schema.yaml").read_text("utf-8"))
    docs = {}
    for name, spec in raw["tables"].items():
        columns = {
            column: ColumnDoc(column, str(info.get("meaning", "")), None if info.get("example") is None else str(info["example"]))
            for column, info in (spec.get("columns") or {}).items()
        }
        docs[name] = TableDoc(name, spec.get("description", ""), spec.get("grain", ""),
                              spec.get("partition_by_year_of"), columns)
    return docs


def describe_columns(con: duckdb.DuckDBPyConnection, table: str, doc: TableDoc | None) -> list[dict]:
    """Each column's DuckDB type next to its documented meaning and example."""
    rows = con.execute(
        "select column_name, data_type, is_nullable from information_schema.columns "
        "where table_name = ? order by ordinal_position", [table]).fetchall()
    described = []
    for name, data_type, nullable in rows:
        column = doc.columns.get(name) if doc else None
        described.append({
            "name": name,
            "type": data_type,
            "nullable": nullable == "YES",
            "meaning": column.meaning if column else "",
            "example": column.example if column else None,
        })
    return described
