"""A change counter per warehouse table, so that work downstream of an unchanged table is skipped.

Every load that changes a table's rows bumps its version in the same transaction. The snapshot is
republished only when a step changed some table, a SQL model is rebuilt only when a table it reads
changed, an export is rewritten only when its table changed, and normalize runs only when articles or
extractions changed: a rerun with nothing new reads a few counters instead of every row.
"""

from __future__ import annotations

import json

import duckdb

VERSIONS_TABLE = "table_versions"


def ensure_versions_table(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"""
        create table if not exists {VERSIONS_TABLE} (
            table_name  varchar primary key,
            version     bigint not null,
            inputs      varchar,          -- the versions of the tables it was built from (models, fact tables)
            changed_at  timestamptz not null default current_timestamp
        )""")


def bump(con: duckdb.DuckDBPyConnection, table: str, inputs: str | None = None) -> None:
    """Record that `table` changed (inside the caller's transaction, if any)."""
    ensure_versions_table(con)
    con.execute(f"""
        insert into {VERSIONS_TABLE} (table_name, version, inputs) values (?, 1, ?)
        on conflict (table_name) do update
        set version = {VERSIONS_TABLE}.version + 1, inputs = excluded.inputs, changed_at = now()
    """, [table, inputs])


def record_inputs(con: duckdb.DuckDBPyConnection, table: str, inputs: str) -> None:
    """Remember what `table` was last built from, without counting it as a change."""
    ensure_versions_table(con)
    con.execute(f"""
        insert into {VERSIONS_TABLE} (table_name, version, inputs) values (?, 0, ?)
        on conflict (table_name) do update set inputs = excluded.inputs
    """, [table, inputs])


def versions(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    if not _exists(con):
        return {}
    return dict(con.execute(f"select table_name, version from {VERSIONS_TABLE}").fetchall())


def change_count(con: duckdb.DuckDBPyConnection) -> int:
    """Sum of all versions: it grows whenever any table changes."""
    return sum(versions(con).values())


def fingerprint(con: duckdb.DuckDBPyConnection, tables: list[str] | tuple[str, ...], extra: str = "") -> str:
    """The versions of `tables` (and anything else the result depends on) as one comparable string."""
    known = versions(con)
    return json.dumps({"tables": {table: known.get(table, 0) for table in sorted(tables)}, "extra": extra},
                      sort_keys=True)


def inputs_of(con: duckdb.DuckDBPyConnection, table: str) -> str | None:
    if not _exists(con):
        return None
    row = con.execute(f"select inputs from {VERSIONS_TABLE} where table_name = ?", [table]).fetchone()
    return row[0] if row else None


def _exists(con: duckdb.DuckDBPyConnection) -> bool:
    [(found,)] = con.execute("select count(*) from duckdb_tables() where table_name = ? "
                             "and schema_name = current_schema()", [VERSIONS_TABLE]).fetchall()
    return bool(found)
