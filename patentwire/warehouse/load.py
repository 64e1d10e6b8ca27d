"""Bulk, idempotent loads: one transaction per call, never row by row.

A rerun with the same rows leaves the table exactly as a clean run would; a failure inside the
transaction leaves the previous state intact.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import duckdb
import pandas as pd

from patentwire.warehouse.transaction import transaction
from patentwire.warehouse.versions import bump


@dataclass(frozen=True)
class LoadResult:
    table: str
    rows: int  # rows in the incoming frame
    inserted: int  # keys that were not in the table before
    replaced: int  # keys that were there and were rewritten (changed or not)
    deleted: int = 0  # rows removed by a full replacement that the frame no longer has

    def as_metadata(self) -> dict[str, int]:
        return {"rows": self.rows, "inserted": self.inserted, "replaced": self.replaced, "deleted": self.deleted}


def table_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    rows = con.execute(
        "select column_name from information_schema.columns where table_name = ? order by ordinal_position",
        [table],
    ).fetchall()
    return [name for (name,) in rows]


def _checked_frame(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> pd.DataFrame:
    columns = table_columns(con, table)
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"cannot load {table}: the frame lacks columns {missing}")
    return frame[columns]


def _key_match(keys: list[str]) -> str:
    return " and ".join(f"t.{k} is not distinct from f.{k}" for k in keys)


# Above this share of a table's rows, an upsert rebuilds the table rather than deleting the old rows:
# DuckDB records every deleted row for the commit, so deleting most of a big table costs more than
# copying what stays (a rerun upserting 500,000 rows: ~7 s deleting, ~2.5 s rebuilding).
REBUILD_SHARE = 0.25


def upsert(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame, keys: list[str]) -> LoadResult:
    """Insert the frame's rows, replacing rows with the same key."""
    frame = _checked_frame(con, table, frame).drop_duplicates(subset=keys, keep="last")
    with _transaction_over(con, frame):
        [(replaced, before)] = con.execute(
            f"select (select count(*) from {table} t semi join _incoming f on {_key_match(keys)}), "
            f"(select count(*) from {table})").fetchall()
        if replaced > REBUILD_SHARE * before:
            _rebuild_without_keys_of_incoming(con, table, keys)
        else:
            con.execute(f"delete from {table} t using _incoming f where {_key_match(keys)}")
        con.execute(f"insert into {table} by name select * from _incoming")
        if len(frame):
            bump(con, table)
    return LoadResult(table, len(frame), len(frame) - replaced, replaced)


@contextmanager
def _transaction_over(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame) -> Iterator[None]:
    """One transaction with `frame` visible as `_incoming`: committed on success, rolled back on any error."""
    con.register("_incoming", frame)
    try:
        with transaction(con):
            yield
    finally:
        con.unregister("_incoming")


def _rebuild_without_keys_of_incoming(con: duckdb.DuckDBPyConnection, table: str, keys: list[str]) -> None:
    """Re-create the table holding only its rows whose key is not in `_incoming` (in the open transaction)."""
    definition = table_definition(con, table)
    con.execute(f"create temp table _kept as select t.* from {table} t anti join _incoming f on {_key_match(keys)}")
    con.execute(f"drop table {table}")
    for statement in definition:
        con.execute(statement)
    con.execute(f"insert into {table} select * from _kept")
    con.execute("drop table _kept")


def insert_new(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame, keys: list[str]) -> LoadResult:
    """Append rows whose key is not there yet (append-only logs)."""
    frame = _checked_frame(con, table, frame).drop_duplicates(subset=keys, keep="first")
    with _transaction_over(con, frame):
        (before,) = con.execute(f"select count(*) from {table}").fetchone()
        con.execute(
            f"insert into {table} by name select * from _incoming f "
            f"where not exists (select 1 from {table} t where {_key_match(keys)})")
        (after,) = con.execute(f"select count(*) from {table}").fetchone()
        if after > before:
            bump(con, table)
    return LoadResult(table, len(frame), after - before, 0)


def replace_all(con: duckdb.DuckDBPyConnection, frames: dict[str, pd.DataFrame],
                keys: dict[str, list[str]]) -> list[LoadResult]:
    """Make each table hold exactly its frame, all tables in ONE transaction (derived fact tables).

    Only rows that differ are written (see `_replace_table`)."""
    checked = {table: _checked_frame(con, table, frame) for table, frame in frames.items()}
    results = []
    with transaction(con):  # a rollback also drops the registered frames: registering is transactional
        for table, frame in checked.items():
            results.append(_replace_table(con, table, frame, keys[table]))
    return results


def _replace_table(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame, keys: list[str]) -> LoadResult:
    """Make the table hold exactly the frame's rows, inside the caller's transaction, writing only what differs.

    The frame is typed as the table first, then compared row by row (`except all`): rows stored and
    identical stay untouched, so a rerun with nothing new writes nothing and bumps no version. When
    most rows differ, the table is re-created from DuckDB's own DDL for it (constraints and indexes
    included) instead: a delete records every old row for the commit, which made a full rewrite of a
    million rows about five times slower than the first load.
    """
    name = f"_incoming_{table}"
    con.register(name, frame)
    try:
        # the frame's rows in the table's own types, so that equal rows compare equal
        typed = "select " + ", ".join(f'cast("{column}" as {data_type}) as "{column}"'
                                      for column, data_type in _column_types(con, table)) + f" from {name}"
        stale = f"select * from {table} except all {typed}"  # stored rows the frame does not hold as they are
        key_list = ", ".join(keys)
        [(duplicates,)] = con.execute(
            f"select count(*) from (select {key_list} from {name} group by all having count(*) > 1)").fetchall()
        if duplicates:
            raise duckdb.ConstraintException(f"cannot load {table}: {duplicates} duplicate key(s) ({key_list}) "
                                             f"in the frame violate its primary key")
        [(kept, before, stale_rows)] = con.execute(
            f"select (select count(*) from {table} t semi join {name} f on {_key_match(keys)}), "
            f"(select count(*) from {table}), (select count(*) from ({stale}))").fetchall()
        if stale_rows > REBUILD_SHARE * before:
            definition = table_definition(con, table)
            con.execute(f"drop table {table}")
            for statement in definition:
                con.execute(statement)
            con.execute(f"insert into {table} {typed}")
            changed = True
        else:
            if stale_rows:
                con.execute(f"delete from {table} where ({key_list}) in (select ({key_list}) from ({stale}))")
            # what is left is exactly the stored rows the frame holds unchanged: insert the others
            [(inserted,)] = con.execute(f"insert into {table} select * from ({typed} except all "
                                        f"select * from {table})").fetchall()
            changed = bool(stale_rows or inserted)
        if changed:
            bump(con, table)
    finally:
        con.unregister(name)
    return LoadResult(table, len(frame), len(frame) - kept, kept, before - kept)


def _column_types(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str]]:
    return con.execute("select column_name, data_type from information_schema.columns where table_name = ? "
                       "order by ordinal_position", [table]).fetchall()


def table_definition(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    """The statements that re-create the table empty: CREATE TABLE, then its CREATE INDEXes."""
    [(create,)] = con.execute(
        "select sql from duckdb_tables() where table_name = ? and schema_name = current_schema()", [table]).fetchall()
    indexes = con.execute(
        "select sql from duckdb_indexes() where table_name = ? and schema_name = current_schema() "
        "and sql is not null order by index_name", [table]).fetchall()
    return [create, *(sql for (sql,) in indexes)]
