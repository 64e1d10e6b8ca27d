"""Data-quality checks on the warehouse, as SQL that counts the rows breaking a rule.

The Dagster asset checks and the tests both run these, so a rule is written once.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from patentwire.tables import column_types, core_tables
from patentwire.vocab import values

# The largest portfolios reported are a few hundred thousand; a million is a misread number.
MAX_PLAUSIBLE_COUNT = 1_000_000


@dataclass(frozen=True)
class WarehouseCheck:
    table: str
    name: str
    description: str
    violations_sql: str  # selects the offending rows
    blocking: bool = True


@dataclass(frozen=True)
class CheckOutcome:
    check: WarehouseCheck
    violations: int
    sample: pd.DataFrame

    @property
    def passed(self) -> bool:
        return self.violations == 0


def _sql_list(items: list[str]) -> str:
    return "[" + ", ".join(f"'{item}'" for item in items) + "]"


def unique_key(table: str, keys: list[str]) -> WarehouseCheck:
    key = ", ".join(keys)
    return WarehouseCheck(table, f"{table}_unique_key", f"No two rows of {table} share ({key}).",
                          f"select {key}, count(*) as copies from {table} group by {key} having count(*) > 1")


def not_null(table: str, columns: list[str]) -> WarehouseCheck:
    condition = " or ".join(f"{c} is null" for c in columns)
    return WarehouseCheck(table, f"{table}_keys_not_null", f"{', '.join(columns)} of {table} are never null.",
                          f"select * from {table} where {condition}")


def in_vocabulary(table: str, column: str, allowed: list[str], is_list: bool = False) -> WarehouseCheck:
    allowed_sql = _sql_list(allowed)
    # a list must be non-empty and every element (null included) must be a known value
    condition = (f"len({column}) = 0 or len(list_filter({column}, "
                 f"lambda v: v is null or not list_contains({allowed_sql}, v))) > 0" if is_list
                 else f"not list_contains({allowed_sql}, {column})")
    return WarehouseCheck(table, f"{table}_{column}_in_vocabulary",
                          f"{table}.{column} only holds {', '.join(allowed)}.",
                          f"select * from {table} where {condition}")


def evidence_inside_article(table: str) -> WarehouseCheck:
    return WarehouseCheck(
        table, f"{table}_evidence_inside_article",
        f"Every {table} evidence offset lies inside its article's text and spells its sentence.",
        f"""select f.* from {table} f left join articles a using (article_id)
            where a.article_id is null or f.start_offset < 0 or f.end_offset > length(a.text)
               or f.start_offset >= f.end_offset
               or substring(a.text, f.start_offset + 1, f.end_offset - f.start_offset) <> f.sentence""")


_EVIDENCE_ITEMS = """'[{"sentence": "VARCHAR", "start": "BIGINT", "end": "BIGINT"}]'"""


def evidence_array_inside_article(table: str, key: str) -> WarehouseCheck:
    """The JSON array of ALL evidence (migration 002): it parses, holds evidence_count items, and each
    item's offsets lie inside the article text and spell its sentence."""
    return WarehouseCheck(
        table, f"{table}_evidence_array_inside_article",
        f"Every {table} evidence array parses, holds evidence_count sentences, and each lies inside "
        f"its article's text and spells its sentence.",
        f"""with parsed as (
                select {key}, article_id, evidence_count, try(from_json(evidence, {_EVIDENCE_ITEMS})) as items
                from {table} where evidence is not null
            ),
            items as (
                select {key}, article_id, unnest(items) as item from parsed
            )
            select {key}, 'unreadable or miscounted array' as problem from parsed
            where items is null or len(items) <> evidence_count
            union all
            select i.{key}, 'item outside the article text' as problem from items i
            left join articles a using (article_id)
            where a.article_id is null or i.item.sentence is null or i.item.start < 0
               or i.item."end" > length(a.text) or i.item.start >= i.item."end"
               or substring(a.text, i.item.start + 1, i.item."end" - i.item.start) <> i.item.sentence""")


def registered_checks() -> list[WarehouseCheck]:
    """What the registry (data/schema.yaml) declares: every table's key is unique, and every closed
    column holds only its vocabulary (a list column: a non-empty list of it)."""
    types = column_types()
    keys = [unique_key(doc.name, list(doc.key)) for doc in core_tables() if doc.key]
    closed = [in_vocabulary(doc.name, column.name, values(column.vocabulary),
                            is_list=types[doc.name][column.name].endswith("[]"))
              for doc in core_tables() for column in doc.columns.values() if column.vocabulary]
    return keys + closed


def warehouse_checks() -> list[WarehouseCheck]:
    return [
        *registered_checks(),
        not_null("companies", ["company_id", "name"]),
        not_null("deals", ["deal_id", "deal_types", "status"]),
        not_null("deal_parties", ["deal_id", "company_id", "role"]),
        not_null("deal_mentions", ["mention_id", "deal_id", "article_id", "sentence"]),
        not_null("patent_counts", ["count_id", "article_id", "company_id", "value", "unit", "qualifier"]),
        WarehouseCheck("deal_parties", "deal_parties_point_to_deal_and_company",
                       "Every deal_parties row points to an existing deal and company.",
                       """select p.* from deal_parties p
                          left join deals d using (deal_id) left join companies c using (company_id)
                          where d.deal_id is null or c.company_id is null"""),
        WarehouseCheck("deal_mentions", "deal_mentions_point_to_deal",
                       "Every deal mention points to an existing deal.",
                       "select m.* from deal_mentions m anti join deals d using (deal_id)"),
        evidence_inside_article("deal_mentions"),
        evidence_inside_article("patent_counts"),
        evidence_array_inside_article("deal_mentions", "mention_id"),
        evidence_array_inside_article("patent_counts", "count_id"),
        WarehouseCheck("patent_counts", "patent_counts_positive_and_plausible",
                       f"Stated portfolio sizes are positive and below {MAX_PLAUSIBLE_COUNT:,}.",
                       f"select * from patent_counts where value <= 0 or value >= {MAX_PLAUSIBLE_COUNT}"),
        WarehouseCheck("deals", "deals_have_two_parties",
                       "No deal has fewer than two parties.",
                       """select d.deal_id, count(p.company_id) as parties from deals d
                          left join deal_parties p using (deal_id) group by d.deal_id
                          having count(distinct p.company_id) < 2"""),
    ]


def run_check(con: duckdb.DuckDBPyConnection, check: WarehouseCheck, sample_rows: int = 5) -> CheckOutcome:
    (violations,) = con.execute(f"select count(*) from ({check.violations_sql})").fetchone()
    sample = con.execute(f"{check.violations_sql} limit {sample_rows}").df() if violations else pd.DataFrame()
    return CheckOutcome(check, violations, sample)
