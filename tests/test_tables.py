"""The table registry (data/schema.yaml) agrees with the DDL of the migrations and the SQL models."""

from __future__ import annotations

import duckdb
import pytest

from patentwire.project import SQL_DIR
from patentwire.tables import MODEL, column_types, core_tables, table_docs
from patentwire.warehouse import migrate


@pytest.fixture(scope="module")
def migrated():
    with duckdb.connect() as con:
        migrate(con)
        yield con


def test_every_table_the_migrations_create_is_registered_as_written_by_a_stage():
    assert set(column_types()) == {doc.name for doc in core_tables()}


def test_registered_columns_are_the_ddl_columns(migrated):
    differences = {doc.name: set(doc.columns) ^ set(column_types()[doc.name]) for doc in core_tables()}
    assert {name: diff for name, diff in differences.items() if diff} == {}


def test_registered_keys_are_the_ddl_primary_keys(migrated):
    primary_keys = dict(migrated.execute(
        "select table_name, constraint_column_names from duckdb_constraints() "
        "where constraint_type = 'PRIMARY KEY' and table_name <> 'schema_migrations'").fetchall())
    assert {doc.name: list(doc.key) for doc in core_tables()} == primary_keys


def test_every_sql_model_is_registered_as_a_model_and_nothing_else_is():
    models = {path.stem for path in SQL_DIR.glob("*.sql")}
    assert {name for name, doc in table_docs().items() if doc.written_by == MODEL} == models


def test_closed_columns_name_a_vocabulary_of_text_values():
    closed = {(doc.name, column.name): column_types()[doc.name][column.name]
              for doc in core_tables() for column in doc.columns.values() if column.vocabulary}
    assert closed and set(closed.values()) <= {"VARCHAR", "VARCHAR[]"}
    assert ("deal_parties", "role") in closed and ("page_parses", "reason") in closed


def test_preview_orders_and_partitions_name_real_columns(migrated):
    for doc in core_tables():
        migrated.execute(f"select * from {doc.name} order by {doc.preview_order} limit 0")
        assert doc.partition_by_year_of is None or doc.partition_by_year_of in doc.columns
