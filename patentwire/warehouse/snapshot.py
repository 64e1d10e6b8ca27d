"""Read-only snapshots, so ad-hoc readers never meet the writer's lock.

DuckDB lets one process write a file and refuses every other open of it, read-only included.
After each successful load the writer checkpoints its database and copies the file, then renames
the copy over the snapshot. Readers open the snapshot read-only; a rename never disturbs a reader
that already has the old file open.

Copying the checkpointed file is safe because the writer is the only process that may touch it
and runs nothing while it copies; it is ~30x faster than DuckDB's `COPY FROM DATABASE`, which
re-encodes every table (1M fact rows: 0.2 s against 5 s, paid after every asset that writes).
`COPY FROM DATABASE` remains the way when there is no clean file to copy (in-memory database, or
a checkpoint that left a write-ahead log behind).
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import duckdb


def publish_snapshot(con: duckdb.DuckDBPyConnection, snapshot: Path) -> Path:
    """Copy the connected database to `snapshot` atomically; return its path."""
    temporary = snapshot.with_name(f".{snapshot.name}.{uuid.uuid4().hex}.tmp")
    con.execute("checkpoint")
    source = database_file(con)
    try:
        if source is not None and not _wal(source).exists():
            shutil.copyfile(source, temporary)
        else:
            _copy_from_database(con, temporary)
        os.replace(temporary, snapshot)
    finally:
        for leftover in (temporary, _wal(temporary)):
            leftover.unlink(missing_ok=True)
    return snapshot


def database_file(con: duckdb.DuckDBPyConnection) -> Path | None:
    """The file behind the connection's current database; None when it lives in memory."""
    [(path,)] = con.execute(
        "select path from duckdb_databases() where database_name = current_database()").fetchall()
    return Path(path) if path else None


def _copy_from_database(con: duckdb.DuckDBPyConnection, target: Path) -> None:
    [(source,)] = con.execute("select current_database()").fetchall()
    con.execute(f"attach {sql_string(target)} as _snapshot")
    try:
        con.execute(f"copy from database {source} to _snapshot")
    finally:
        con.execute("detach _snapshot")


def _wal(database: Path) -> Path:
    return database.with_name(database.name + ".wal")


def sql_string(path: Path) -> str:
    """A path as a SQL string literal (a home like /home/o'neil must not break the statement)."""
    return "'" + str(path).replace("'", "''") + "'"
