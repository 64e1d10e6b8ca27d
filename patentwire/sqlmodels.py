"""SQL models: one SELECT per file in sql/, the file name is the table name.

Dependencies are read from the SQL itself, so adding a model is adding a file.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import duckdb
import sqlglot
from sqlglot import exp
from sqlglot.optimizer.scope import traverse_scope

from patentwire.extract.decisions import load_model
from patentwire.warehouse.transaction import transaction
from patentwire.warehouse.versions import bump, fingerprint, inputs_of

_LEADING_COMMENT = re.compile(r"^\s*--\s?(.*)$")


@dataclass(frozen=True)
class SqlModel:
    name: str
    sql: str
    path: Path

    @property
    def code_version(self) -> str:
        return hashlib.sha256(self.sql.encode("utf-8")).hexdigest()[:12]

    @property
    def description(self) -> str:
        """The leading `--` comment block, which says what one row is."""
        lines = []
        for line in self.sql.splitlines():
            match = _LEADING_COMMENT.match(line)
            if not match:
                break
            lines.append(match[1])
        text = " ".join(lines).strip()
        text = re.sub(rf"^{re.escape(self.name)}:\s*", "", text)
        return text or f"SQL model {self.name}"

    @property
    def dependencies(self) -> tuple[str, ...]:
        return referenced_tables(self.sql)


class SqlModelError(ValueError):
    """The sql/ folder cannot be built as it stands."""


@lru_cache(maxsize=512)  # parsing is ~8 ms a model and a run asks ~64 times about the same files
def referenced_tables(sql: str) -> tuple[str, ...]:
    """Tables a SELECT reads, CTE names excluded, in first-seen order.

    Resolved per scope, so a CTE that shadows the table it reads (`with deals as (select * from deals
    where ...)`) still counts that table as a dependency.
    """
    tree = sqlglot.parse_one(sql, read="duckdb")
    names: list[str] = []
    for scope in traverse_scope(tree):
        for source in scope.sources.values():
            if isinstance(source, exp.Table) and source.name and source.name not in names:
                names.append(source.name)
    return tuple(names)


def load_models(folder: Path) -> list[SqlModel]:
    models = [SqlModel(path.stem, path.read_text("utf-8"), path) for path in sorted(folder.glob("*.sql"))]
    return topological(models)


def topological(models: list[SqlModel]) -> list[SqlModel]:
    """Models ordered so that each comes after the models it reads."""
    by_name = {m.name: m for m in models}
    graph = {m.name: [d for d in m.dependencies if d in by_name] for m in models}
    try:
        order = list(TopologicalSorter(graph).static_order())
    except CycleError as error:
        cycle = " -> ".join(error.args[1])
        raise SqlModelError(f"SQL models read each other in a cycle ({cycle}): "
                            f"make one of them read a core table instead") from error
    return [by_name[name] for name in order]


MIN_CONFIDENCE_ENV = "PATENTWIRE_MIN_CONFIDENCE"


def default_min_confidence() -> float:
    """The shipped model's lowest decision threshold (0 without a model): by default the marts show every
    fact the extractor accepted, and a higher floor trades recall for precision."""
    model = load_model()
    return min(model.thresholds.values(), default=0.0) if model is not None else 0.0


def min_confidence() -> float:
    """The least confidence a fact needs to reach the marts: $PATENTWIRE_MIN_CONFIDENCE, else the default.
    Core tables keep every fact the extractor accepted; staging models filter with this (facts the rules
    alone produced carry no confidence and always pass)."""
    raw = os.environ.get(MIN_CONFIDENCE_ENV, "").strip()
    if not raw:
        return default_min_confidence()
    try:
        value = float(raw)
    except ValueError:
        raise SqlModelError(f"{MIN_CONFIDENCE_ENV}={raw!r} is not a number; give a value between 0 and 1") from None
    if not 0.0 <= value <= 1.0:
        raise SqlModelError(f"{MIN_CONFIDENCE_ENV}={raw!r} is outside 0..1; give a value between 0 and 1")
    return value


def build_model(con: duckdb.DuckDBPyConnection, model: SqlModel, confidence: float | None = None) -> int:
    """(Re)build the model's table in one transaction; return its row count. The SQL reads the marts'
    confidence floor as getvariable('min_confidence').

    A model whose SQL, confidence floor and input tables are unchanged since its last build is not
    rebuilt (the table versions say so): a rerun with nothing new costs a lookup, not a query."""
    body = model.sql.strip().rstrip(";")
    floor = float(min_confidence() if confidence is None else confidence)
    inputs = fingerprint(con, model.dependencies, extra=f"{model.code_version}/{floor!r}")
    if inputs_of(con, model.name) == inputs and _exists(con, model.name):
        (rows,) = con.execute(f"select count(*) from {model.name}").fetchone()
        return rows
    con.execute(f"set variable min_confidence = {floor!r}")
    with transaction(con):
        con.execute(f"create or replace table {model.name} as {body}")
        (rows,) = con.execute(f"select count(*) from {model.name}").fetchone()
        bump(con, model.name, inputs)
    return rows


def _exists(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    [(found,)] = con.execute("select count(*) from duckdb_tables() where table_name = ? "
                             "and schema_name = current_schema()", [table]).fetchall()
    return bool(found)
