"""The DuckDB warehouse: schema migrations, bulk idempotent loads and read-only snapshots."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from patentwire.warehouse.load import LoadResult, insert_new, replace_all, table_columns, upsert
from patentwire.warehouse.migrations import migrate
from patentwire.warehouse.snapshot import publish_snapshot

__all__ = ["LoadResult", "insert_new", "replace_all", "upsert", "table_columns", "migrate",
           "publish_snapshot", "open_writer", "open_reader", "ReaderUnavailable", "writer_config"]

MEMORY_ENV = "PATENTWIRE_DUCKDB_MEMORY"  # the writer's DuckDB memory limit, e.g. 512MB or 2GB
# DuckDB's own default is 80 % of RAM, and its buffer pool keeps what it read until that is reached: the
# writer's memory then grows with the warehouse. With a limit, merges and exports larger than it spill to
# the temporary folder beside the database file instead.
DEFAULT_MEMORY_LIMIT = "128MB"


def writer_config() -> dict[str, str]:
    """The DuckDB settings of every writer connection (open_writer and the pipeline's resource)."""
    return {"memory_limit": os.environ.get(MEMORY_ENV, "").strip() or DEFAULT_MEMORY_LIMIT}


class ReaderUnavailable(RuntimeError):
    """Nothing to read yet."""


@contextmanager
def open_writer(database: Path, snapshot: Path | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """The single writer: migrated on open; on clean exit, checkpointed and the snapshot republished."""
    database.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(database), config=writer_config())
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
