"""Parquet exports for BI tools: one dataset per core table and SQL model.

Each dataset is written to a fresh folder and swapped in by renaming a symlink, so a reader
sees the old dataset or the new one, never half of either.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

import duckdb

from patentwire.tables import TableDoc, describe_columns, exported_core_tables, table_docs
from patentwire.warehouse.snapshot import sql_string
from patentwire.warehouse.versions import versions

VERSIONS = ".versions"


@dataclass(frozen=True)
class ExportResult:
    table: str
    path: Path
    rows: int
    partitioned_by_year_of: str | None
    written: bool = True  # False: the dataset was already current and was left as it was


def export_table(con: duckdb.DuckDBPyConnection, table: str, out: Path, doc: TableDoc | None) -> ExportResult:
    year_of = doc.partition_by_year_of if doc else None
    staging = out / VERSIONS / f"{table}.{uuid.uuid4().hex}"
    staging.mkdir(parents=True)
    (rows,) = con.execute(f"select count(*) from {table}").fetchone()
    if year_of and rows:
        con.execute(
            f"copy (select *, year({year_of}) as year from {table}) to {sql_string(staging)} "
            f"(format parquet, compression zstd, partition_by (year), write_partition_columns false)")
    elif year_of:
        # a partitioned COPY of no rows writes no file, and a folder without files has no schema
        # for readers; one empty file with the same columns (year included) keeps the dataset readable
        con.execute(f"copy (select *, cast(null as bigint) as year from {table}) "
                    f"to {sql_string(staging / 'data.parquet')} (format parquet, compression zstd)")
    else:
        con.execute(f"copy (select * from {table}) to {sql_string(staging / 'data.parquet')} "
                    f"(format parquet, compression zstd)")
    _swap_in(staging, out / table)
    return ExportResult(table, out / table, rows, year_of)


def _swap_in(staging: Path, target: Path) -> None:
    """Point `target` at `staging` atomically and drop the version it pointed at before."""
    previous = target.resolve() if target.is_symlink() else None
    if target.exists() and not target.is_symlink():
        shutil.rmtree(target)  # a plain folder from an older layout
    link = target.with_name(f".{target.name}.{uuid.uuid4().hex}.link")
    link.symlink_to(staging.relative_to(target.parent))
    os.replace(link, target)
    if previous and previous != staging.resolve():
        shutil.rmtree(previous, ignore_errors=True)


EXPORTED_STATE = ".exported.json"  # dataset -> the table version it was exported at


def export_all(con: duckdb.DuckDBPyConnection, tables: list[str], out: Path,
               docs: dict[str, TableDoc], only_changed: bool = False) -> list[ExportResult]:
    """Export each table; with `only_changed` (the pipeline's export), a dataset whose table version is the
    one it was written at stays as it is, and the versions written are recorded in EXPORTED_STATE."""
    out.mkdir(parents=True, exist_ok=True)
    state = _exported_state(out) if only_changed else {}
    current = versions(con)
    results = []
    for table in tables:
        version = current.get(table)
        if version is not None and state.get(table) == version and (out / table).exists():
            results.append(ExportResult(table, out / table, _rows(con, table), _year_of(docs.get(table)), False))
            continue
        results.append(export_table(con, table, out, docs.get(table)))
        if version is not None:
            state[table] = version
    write_schema_json(con, [r.table for r in results], out, docs)
    if only_changed:
        _write_json(out / EXPORTED_STATE, state)
    return results


def _exported_state(out: Path) -> dict[str, int]:
    try:
        return json.loads((out / EXPORTED_STATE).read_text("utf-8"))
    except (FileNotFoundError, ValueError):
        return {}


def _rows(con: duckdb.DuckDBPyConnection, table: str) -> int:
    (rows,) = con.execute(f"select count(*) from {table}").fetchone()
    return rows


def _year_of(doc: TableDoc | None) -> str | None:
    return doc.partition_by_year_of if doc else None


def _write_json(path: Path, document: dict) -> None:
    temporary = path.with_suffix(".json.tmp")
    temporary.write_text(json.dumps(document, indent=2, ensure_ascii=False, default=str) + "\n", "utf-8")
    os.replace(temporary, path)


def write_schema_json(con: duckdb.DuckDBPyConnection, tables: list[str], out: Path,
                      docs: dict[str, TableDoc]) -> Path:
    """schema.json beside the datasets: every column with its type, meaning and an example."""
    document = {table: describe_columns(con, table, docs.get(table)) + _partition_columns(docs.get(table))
                for table in tables}
    path = out / "schema.json"
    temporary = path.with_suffix(".json.tmp")
    temporary.write_text(json.dumps(document, indent=2, ensure_ascii=False, default=str) + "\n", "utf-8")
    os.replace(temporary, path)
    return path


def _partition_columns(doc: TableDoc | None) -> list[dict]:
    """The `year` column a hive-partitioned dataset adds (read from the folder names)."""
    if not doc or not doc.partition_by_year_of:
        return []
    return [{"name": "year", "type": "BIGINT", "nullable": True,
             "meaning": f"hive partition (folder year=YYYY): year of {doc.partition_by_year_of}; "
                        f"rows without that date are in year=__HIVE_DEFAULT_PARTITION__ and read as null",
             "example": "2017"}]


def export_warehouse(con: duckdb.DuckDBPyConnection, out: Path, models: list[str],
                     only_changed: bool = False) -> list[ExportResult]:
    """Every core table and SQL model, each as its own dataset under `out` (see `export_all`)."""
    return export_all(con, [*exported_core_tables(), *models], out, table_docs(), only_changed)
