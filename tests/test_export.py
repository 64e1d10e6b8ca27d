"""Parquet exports: each dataset reads back as its table, in types BI tools read, swapped in atomically."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.dataset as ds
import pytest
from conftest import load_facts

from patentwire.export import VERSIONS, export_all, export_warehouse
from patentwire.project import SQL_DIR
from patentwire.sqlmodels import build_model, load_models
from patentwire.tables import exported_core_tables, table_docs
from patentwire.warehouse import open_writer

MODEL_NAMES = [m.name for m in load_models(SQL_DIR)]
DATASETS = [*exported_core_tables(), *MODEL_NAMES]
# DuckDB types a BI tool cannot read, or reads as something else
UNREADABLE_TYPES = ("HUGEINT", "UHUGEINT", "UUID", "INTERVAL", "ENUM", "MAP", "UNION", "BIT", "TIME WITH TIME ZONE")


def export_facts(con: duckdb.DuckDBPyConnection, out: Path) -> tuple[duckdb.DuckDBPyConnection, Path]:
    for model in load_models(SQL_DIR):
        build_model(con, model)
    export_warehouse(con, out, MODEL_NAMES)
    return con, out


@pytest.fixture
def exported(facts_con, tmp_path) -> tuple[duckdb.DuckDBPyConnection, Path]:
    """An export of the facts warehouse that the test may change."""
    return export_facts(facts_con, tmp_path / "exports")


@pytest.fixture(scope="module")
def shared_export(tmp_path_factory) -> tuple[duckdb.DuckDBPyConnection, Path]:
    """One export of the facts for the tests that only read it (exporting is the slow part)."""
    folder = tmp_path_factory.mktemp("shared")
    with open_writer(folder / "warehouse.duckdb") as con:
        load_facts(con)
        yield export_facts(con, folder / "exports")


def table_rows(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple]:
    return con.execute(f"select * from {table} order by all").fetchall()


def rows_without_year(con: duckdb.DuckDBPyConnection, relation: str, partitioned: bool) -> list[tuple]:
    drop = " exclude (year)" if partitioned else ""
    return con.execute(f"select *{drop} from {relation} order by all").fetchall()


def partitioned(table: str) -> bool:
    doc = table_docs().get(table)
    return bool(doc and doc.partition_by_year_of)


@pytest.mark.parametrize("table", DATASETS)
def test_dataset_read_with_pyarrow_equals_its_table(shared_export, table):
    con, out = shared_export
    dataset = ds.dataset(out / table, format="parquet", partitioning="hive")
    con.register("read_by_pyarrow", dataset.to_table())
    assert rows_without_year(con, "read_by_pyarrow", partitioned(table)) == table_rows(con, table)


@pytest.mark.parametrize("table", DATASETS)
def test_dataset_read_with_duckdb_equals_its_table(shared_export, table):
    con, out = shared_export
    relation = f"read_parquet('{out / table}/**/*.parquet', hive_partitioning = true)"
    assert rows_without_year(con, relation, partitioned(table)) == table_rows(con, table)


def test_year_partition_holds_the_year_of_its_date_and_null_when_there_is_none(shared_export):
    con, out = shared_export
    years = con.execute(f"""select year, deal_date from read_parquet('{out}/deals/**/*.parquet', hive_partitioning = true)
                            order by deal_date""").fetchall()
    assert all(year == (deal_date.year if deal_date else None) for year, deal_date in years)
    assert (None, None) in years  # the rumoured deal has no date
    folders = sorted(p.name for p in (out / "deals").iterdir())
    assert folders == ["year=2019", "year=2020", "year=2021", "year=__HIVE_DEFAULT_PARTITION__"]


def test_exported_types_are_ones_bi_tools_read(shared_export):
    con, out = shared_export
    for table in DATASETS:
        source_types = [t for (t,) in con.execute(
            "select data_type from information_schema.columns where table_name = ?", [table]).fetchall()]
        assert not [t for t in source_types if t.startswith(UNREADABLE_TYPES)], table
        schema = ds.dataset(out / table, format="parquet", partitioning="hive").schema
        for field in schema:
            kind = field.type
            assert not (pa.types.is_decimal(kind) or pa.types.is_fixed_size_binary(kind) or pa.types.is_map(kind)
                        or pa.types.is_dictionary(kind) or pa.types.is_interval(kind)
                        or pa.types.is_duration(kind)), (table, field)
            if pa.types.is_timestamp(kind):
                assert kind.tz == "UTC", (table, field)
        source = dict(con.execute("select column_name, data_type from information_schema.columns "
                                  "where table_name = ?", [table]).fetchall())
        for name, data_type in source.items():
            if data_type == "DATE":
                assert schema.field(name).type == pa.date32(), (table, name)


def test_files_are_zstd_compressed(shared_export):
    con, out = shared_export
    codecs = con.execute(f"select distinct compression from parquet_metadata('{out}/*/**/*.parquet')").fetchall()
    assert codecs == [("ZSTD",)]


def test_schema_json_documents_every_exported_column(shared_export):
    _, out = shared_export
    document = json.loads((out / "schema.json").read_text("utf-8"))
    assert set(document) == set(DATASETS)
    for table, columns in document.items():
        dataset_columns = ds.dataset(out / table, format="parquet", partitioning="hive").schema.names
        assert sorted(c["name"] for c in columns) == sorted(dataset_columns), table
        undocumented = [c["name"] for c in columns if not c["meaning"].strip() or not c["type"]]
        assert undocumented == [], table


def test_a_second_export_leaves_one_complete_version_per_dataset(exported):
    con, out = exported
    first_targets = {table: (out / table).resolve() for table in DATASETS}
    con.execute("delete from deal_mentions where status = 'rumoured'")
    export_warehouse(con, out, MODEL_NAMES)
    versions = sorted(p.name.split(".")[0] for p in (out / VERSIONS).iterdir())
    assert versions == sorted(DATASETS)
    for table in DATASETS:
        link = out / table
        assert link.is_symlink() and link.resolve() != first_targets[table]
        assert not first_targets[table].exists()
        (rows,) = con.execute(f"select count(*) from {table}").fetchone()
        assert ds.dataset(link, format="parquet", partitioning="hive").count_rows() == rows
    assert ds.dataset(out / "deal_mentions", format="parquet", partitioning="hive").count_rows() == 4
    assert [p.name for p in out.iterdir() if p.name.startswith(".") and p.name != VERSIONS] == []


def test_a_failed_export_keeps_the_previous_version_readable(exported):
    con, out = exported
    before = (out / "deals").resolve()
    with pytest.raises(duckdb.CatalogException):
        export_all(con, ["deals", "no_such_table"], out, table_docs())
    after = (out / "deals").resolve()
    assert after.exists()  # either the old or the new version, never a dangling link
    assert ds.dataset(out / "deals", format="parquet", partitioning="hive").count_rows() == 4
    assert json.loads((out / "schema.json").read_text("utf-8")).keys() == set(DATASETS)
    assert before == after or not before.exists()


def test_an_empty_table_exports_a_readable_dataset_with_its_columns(exported):
    con, out = exported
    con.execute("delete from deal_mentions")
    export_all(con, ["deal_mentions"], out, table_docs())
    dataset = ds.dataset(out / "deal_mentions", format="parquet", partitioning="hive")
    assert dataset.count_rows() == 0
    columns = [c for (c,) in con.execute(
        "select column_name from information_schema.columns where table_name = 'deal_mentions'").fetchall()]
    assert dataset.schema.names == [*columns, "year"]
    relation = f"read_parquet('{out}/deal_mentions/**/*.parquet', hive_partitioning = true)"
    assert con.execute(f"select count(*) from {relation}").fetchone() == (0,)


def test_folders_with_quotes_in_their_names_work(facts_con, tmp_path):
    out = tmp_path / "o'neil's exports"
    export_all(facts_con, ["deals"], out, table_docs())
    assert ds.dataset(out / "deals", format="parquet", partitioning="hive").count_rows() == 4


def test_schema_yaml_documents_no_column_that_is_not_there(shared_export):
    con, _ = shared_export
    for table, doc in table_docs().items():
        if table not in DATASETS:
            continue
        actual = {c for (c,) in con.execute(
            "select column_name from information_schema.columns where table_name = ?", [table]).fetchall()}
        assert set(doc.columns) - actual == set(), table
