"""The DuckDB warehouse: schema migrations, bulk idempotent loads and read-only snapshots."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from patentwire.warehouse.load import LoadResult, insert_new, replace_all, table_columns, upsert
from patentwire.warehouse.migrations import migrate
from patentwire.warehouse.snapshot import publish_snapshot

__all__ = ["LoadResult", "insert_new", "replace_all", "upsert", "table_columns", "migrate",
           "publish_snapshot", "open_writer", "open_reader", "ReaderUnavailable"]


class ReaderUnavailable(RuntimeError):
    """Nothing to read yet."""


@contextmanager
def open_writer(database: Path, snapshot: Path | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """The single writer: migrated on open; on clean exit, checkpointed and the snapshot republished."""
    database.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(database))
    try:
        migrate(con)
        yield con
        if snapshot is not None:
            publish_snapshot(con, snapshot)  # checkpoints first
        else:
            con.execute("checkpoint")
    finally:
        con.close()


def open_reader(database: Path, snapshot: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection for ad-hoc SQL: the latest snapshot, else the warehouse itself."""
    if snapshot.exists():
        return duckdb.connect(str(snapshot), read_only=True)
    if not database.exists():
        raise ReaderUnavailable(f"no warehouse at {database} yet: run `patentwire run` first")
    try:
        return duckdb.connect(str(database), read_only=True)
    except duckdb.IOException as error:
        if "lock" not in str(error).lower():
            raise
        # the very first run is writing and has not published a snapshot yet
        raise ReaderUnavailable(f"the warehouse {database} is being written and has no read-only snapshot yet: "
                                f"try again when the run's first load has finished") from error
