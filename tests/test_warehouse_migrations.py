"""Schema changes are numbered migrations, applied once and recorded; the warehouse is never deleted."""

from __future__ import annotations

import duckdb
import pytest

from patentwire.warehouse import migrate, open_writer
from patentwire.warehouse.migrations import Migration, bundled_migrations

NEXT = len(bundled_migrations()) + 1
ADD_CONFIDENCE = Migration(NEXT, "deal_review_note", """
    alter table deals add column review_note varchar;
    create table deal_notes (deal_id varchar primary key, note varchar not null);
""")


def recorded(con: duckdb.DuckDBPyConnection) -> list[tuple[int, str]]:
    return con.execute("select version, name from schema_migrations order by version").fetchall()


def test_bundled_migrations_are_numbered_from_one_without_gaps():
    versions = [m.version for m in bundled_migrations()]
    assert versions == list(range(1, len(versions) + 1))
    assert bundled_migrations()[0].name == "core_tables"


def test_a_new_warehouse_records_every_bundled_migration(tmp_path):
    with open_writer(tmp_path / "w.duckdb") as con:
        assert recorded(con) == [(m.version, m.name) for m in bundled_migrations()]


def test_reopening_applies_nothing_again(tmp_path):
    with open_writer(tmp_path / "w.duckdb"):
        pass
    with open_writer(tmp_path / "w.duckdb") as con:
        assert migrate(con) == []
        assert len(recorded(con)) == len(bundled_migrations())


def test_a_new_migration_adds_a_column_and_a_table_once_and_keeps_the_rows(facts_con):
    deals_before = facts_con.execute("select * from deals order by deal_id").fetchall()
    applied = migrate(facts_con, [*bundled_migrations(), ADD_CONFIDENCE])
    assert applied == [ADD_CONFIDENCE]
    assert migrate(facts_con, [*bundled_migrations(), ADD_CONFIDENCE]) == []
    assert recorded(facts_con)[-1] == (NEXT, "deal_review_note")
    deals_after = facts_con.execute("select * exclude (review_note) from deals order by deal_id").fetchall()
    assert deals_after == deals_before
    assert facts_con.execute("select count(*) from deals where review_note is null").fetchone() == (len(deals_before),)
    facts_con.execute("insert into deal_notes values ('d', 'a note')")


def test_the_new_column_survives_reopening_the_file(facts_warehouse):
    with facts_warehouse.connect() as con:
        migrate(con, [*bundled_migrations(), ADD_CONFIDENCE])
    with facts_warehouse.connect(read_only=True) as con:
        columns = [row[0] for row in con.execute("describe deals").fetchall()]
        assert columns[-1] == "review_note"
        assert (NEXT, "deal_review_note") in recorded(con)


def test_a_failing_migration_changes_nothing_and_is_not_recorded(facts_con):
    half_good = Migration(NEXT, "half_good", """
        alter table deals add column review_note varchar;
        alter table no_such_table add column x integer;
    """)
    with pytest.raises(duckdb.CatalogException):
        migrate(facts_con, [*bundled_migrations(), half_good])
    assert [v for v, _ in recorded(facts_con)] == [m.version for m in bundled_migrations()]
    assert "review_note" not in [row[0] for row in facts_con.execute("describe deals").fetchall()]
    assert migrate(facts_con, [*bundled_migrations(), ADD_CONFIDENCE]) == [ADD_CONFIDENCE]



def test_a_warehouse_from_an_older_release_is_upgraded_in_place(tmp_path):
    database = tmp_path / "w.duckdb"
    first_release = bundled_migrations()[:1]
    with duckdb.connect(str(database)) as con:
        migrate(con, first_release)
        con.execute("insert into companies values ('c1', 'Alpenfunk', 'DE', null, true, null, 1)")
    with open_writer(database) as con:  # the current release: every later migration, once
        assert recorded(con) == [(m.version, m.name) for m in bundled_migrations()]
        assert con.execute("select name from companies").fetchall() == [("Alpenfunk",)]
        columns = {row[0] for row in con.execute("describe deal_mentions").fetchall()}
    later = {m.version for m in bundled_migrations()} - {1}
    assert later, "no later migration to upgrade with"
    assert "evidence" in columns
