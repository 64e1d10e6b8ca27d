"""What a finished run says about the warehouse: row counts and what failed, read from the snapshot."""

from __future__ import annotations

from datetime import datetime

import duckdb


def table_rows(con: duckdb.DuckDBPyConnection, tables: list[str]) -> dict[str, int]:
    """Row count of each of `tables` that exists, in the order given."""
    present = {name for (name,) in con.execute("select table_name from information_schema.tables").fetchall()}
    return {t: con.execute(f"select count(*) from {t}").fetchone()[0] for t in tables if t in present}


def fetch_failures_since(con: duckdb.DuckDBPyConnection, since: datetime) -> list[tuple[str, str, int]]:
    """(source, reason, attempts) of every failed fetch since `since`, most frequent first."""
    return con.execute("""
        select source, coalesce(reason, 'unknown') as reason, count(*) as attempts
        from fetch_log
        where outcome = 'failed' and fetched_at >= ?
        group by all
        order by attempts desc, source, reason
    """, [since]).fetchall()


def failed_sources_since(con: duckdb.DuckDBPyConnection, since: datetime) -> list[str]:
    """Sources that tried to read something since `since` and read nothing: every attempt failed."""
    return [name for (name,) in con.execute("""
        select source
        from fetch_log
        where fetched_at >= ?
        group by source
        having count(*) filter (where outcome <> 'failed') = 0
        order by source
    """, [since]).fetchall()]
