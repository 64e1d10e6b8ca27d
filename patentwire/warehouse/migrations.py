"""Schema migrations: numbered SQL files applied once each and recorded in the warehouse.

A schema change never requires deleting the warehouse: add `NNN_what.sql` beside the others.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

import duckdb

from patentwire.warehouse.transaction import transaction

_FILE_NAME = re.compile(r"^(\d{3})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def bundled_migrations() -> list[Migration]:
    folder = resources.files("patentwire.warehouse") / "migrations"
    found = []
    for entry in folder.iterdir():
        match = _FILE_NAME.match(entry.name)
        if match:
            found.append(Migration(int(match[1]), match[2], entry.read_text("utf-8")))
    return sorted(found, key=lambda m: m.version)


def applied_versions(con: duckdb.DuckDBPyConnection) -> set[int]:
    con.execute("""
        create table if not exists schema_migrations (
            version     integer primary key,
            name        varchar not null,
            applied_at  timestamptz not null default current_timestamp
        )""")
    return {row[0] for row in con.execute("select version from schema_migrations").fetchall()}


def migrate(con: duckdb.DuckDBPyConnection, migrations: list[Migration] | None = None) -> list[Migration]:
    """Apply every migration not yet recorded, each in its own transaction; return those applied."""
    done = applied_versions(con)
    applied = []
    for migration in migrations if migrations is not None else bundled_migrations():
        if migration.version in done:
            continue
        with transaction(con):
            con.execute(migration.sql)
            con.execute("insert into schema_migrations (version, name) values (?, ?)",
                        [migration.version, migration.name])
        applied.append(migration)
    return applied
