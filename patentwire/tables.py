"""The table registry: every warehouse table and exported dataset, from one file (data/schema.yaml).

The lists other modules need (the fact tables and their keys, what is exported, the preview order, the
closed columns the warehouse checks) are all derived from it. Column types are DuckDB's own, read from
the tables the bundled migrations create.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from importlib import resources

import duckdb
import yaml

from patentwire import vocab
from patentwire.warehouse.migrations import migrate

LOAD, MODEL = "load", "model"  # written_by of the fact tables (one transaction) and of the SQL models
STAGES = ("discover", "fetch", "parse", "extract", LOAD, MODEL)


@dataclass(frozen=True)
class ColumnDoc:
    name: str
    meaning: str
    example: str | None = None
    vocabulary: type[StrEnum] | None = None  # a closed column holds only these values


@dataclass(frozen=True)
class TableDoc:
    name: str
    description: str
    grain: str
    written_by: str = MODEL
    key: tuple[str, ...] = ()
    preview_order: str | None = None
    export: bool = True
    partition_by_year_of: str | None = None
    columns: dict[str, ColumnDoc] = field(default_factory=dict)

    @property
    def column_names(self) -> list[str]:
        return list(self.columns)


class RegistryError(ValueError):
    """schema.yaml names something that does not exist."""


@cache
def table_docs() -> dict[str, TableDoc]:
    raw = yaml.safe_load((resources.files("patentwire") / "data" / "schema.yaml").read_text("utf-8"))
    return {name: _table(name, spec) for name, spec in raw["tables"].items()}


def _table(name: str, spec: dict) -> TableDoc:
    if spec.get("written_by", MODEL) not in STAGES:
        raise RegistryError(f"schema.yaml, table {name}: written_by must be one of {', '.join(STAGES)}")
    columns = {column: _column(name, column, info) for column, info in (spec.get("columns") or {}).items()}
    return TableDoc(name, spec.get("description", ""), spec.get("grain", ""), spec.get("written_by", MODEL),
                    tuple(spec.get("key") or ()), spec.get("preview_order"), bool(spec.get("export", True)),
                    spec.get("partition_by_year_of"), columns)


def _column(table: str, name: str, info: dict) -> ColumnDoc:
    meaning, vocabulary = str(info.get("meaning", "")), None
    if info.get("vocabulary") is not None:
        vocabulary = getattr(vocab, info["vocabulary"], None)
        if not (isinstance(vocabulary, type) and issubclass(vocabulary, StrEnum)):
            raise RegistryError(f"schema.yaml, {table}.{name}: "
                                f"no vocabulary {info['vocabulary']!r} in patentwire.vocab")
        meaning += f"; one of {', '.join(vocab.values(vocabulary))}"  # the values are written only in vocab
    example = None if info.get("example") is None else str(info["example"])
    return ColumnDoc(name, meaning, example, vocabulary)


def table(name: str) -> TableDoc:
    return table_docs()[name]


def key_of(name: str) -> list[str]:
    return list(table(name).key)


def core_tables() -> list[TableDoc]:
    """The tables the stages write (not the SQL models), in pipeline order."""
    return [doc for doc in table_docs().values() if doc.written_by != MODEL]


def fact_tables() -> dict[str, list[str]]:
    """The tables normalize rebuilds and load replaces in one transaction, with their keys."""
    return {doc.name: list(doc.key) for doc in core_tables() if doc.written_by == LOAD}


def exported_core_tables() -> list[str]:
    return [doc.name for doc in core_tables() if doc.export]


@cache
def column_types() -> dict[str, dict[str, str]]:
    """DuckDB's type of every column of the core tables, as the bundled migrations create them."""
    with duckdb.connect() as con:
        migrate(con)
        rows = con.execute("select table_name, column_name, data_type from information_schema.columns "
                           "where table_name <> 'schema_migrations' order by table_name, ordinal_position").fetchall()
    types: dict[str, dict[str, str]] = {}
    for table_name, column, data_type in rows:
        types.setdefault(table_name, {})[column] = data_type
    return types


def describe_columns(con: duckdb.DuckDBPyConnection, table: str, doc: TableDoc | None) -> list[dict]:
    """Each column's DuckDB type next to its documented meaning and example."""
    rows = con.execute(
        "select column_name, data_type, is_nullable from information_schema.columns "
        "where table_name = ? order by ordinal_position", [table]).fetchall()
    described = []
    for name, data_type, nullable in rows:
        column = doc.columns.get(name) if doc else None
        described.append({
            "name": name,
            "type": data_type,
            "nullable": nullable == "YES",
            "meaning": column.meaning if column else "",
            "example": column.example if column else None,
        })
    return described
