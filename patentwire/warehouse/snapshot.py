"""Read-only snapshots, so ad-hoc readers never meet the writer's lock.

DuckDB lets one process write a file and refuses every other open of it, read-only included.
After each successful load the writer copies its database into a fresh file with DuckDB's own
`COPY FROM DATABASE` (a consistent copy) and renames it over the snapshot. Readers open the
snapshot read-only; a rename never disturbs a reader that already has the old file open.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import duckdb


def publish_snapshot(con: duckdb.DuckDBPyConnection, snapshot: Path) -> Path:
    """Copy the connected database to `snapshot` atomically; return its path."""
    temporary = snapshot.with_name(f".{snapshot.name}.{uuid.uuid4().hex}.tmp")
    source = con.execute("select current_database()").fetchone()[0]
    con.execute(f"attach {sql_string(temporary)} as _snapshot")
    try:
        con.execute(f"copy from database {source} to _snapshot")
    finally:
        con.execute("detach _snapshot")
    os.replace(temporary, snapshot)
    _remove_leftover_wal(temporary)
    return snapshot


def sql_string(path: Path) -> str:
    """A path as a SQL string literal (a home like /home/o'neil must not break the statement)."""
    return "'" + str(path).replace("'", "''") + "'"


def _remove_leftover_wal(database: Path) -> None:
    wal = database.with_name(database.name + ".wal")
    if wal.exists():
        wal.unlink()
