"""Each warehouse rule passes on the clean facts and catches a violation planted for it."""

from __future__ import annotations

import duckdb
import pytest
from conftest import deal_id

from patentwire.checks import MAX_PLAUSIBLE_COUNT, run_check, warehouse_checks

CHECKS = {check.name: check for check in warehouse_checks()}


def without_constraints(table: str) -> str:
    """Rebuild a table without its keys, the way a faulty migration or a hand edit could leave it."""
    return f"create or replace table {table} as select * from {table}"


def duplicate_first_row(table: str) -> list[str]:
    return [without_constraints(table), f"insert into {table} select * from {table} limit 1"]


def twice(table: str, values: str) -> list[str]:
    """Two copies of one row in a table the facts leave empty."""
    return [without_constraints(table), *[f"insert into {table} values ({values})"] * 2]


def null_in(table: str, column: str) -> list[str]:
    return [without_constraints(table), f"update {table} set {column} = null where rowid = (select min(rowid) from {table})"]


SUIT, CROSS = deal_id("suit"), deal_id("cross")

# check name -> statements that break exactly that rule (several plants where a rule has several ways to fail)
PLANTS: dict[str, list[list[str]]] = {
    "discovered_urls_unique_key": [twice("discovered_urls", "'https://wire.example/x', 'w', 'en', null, null, now()")],
    "fetch_log_unique_key": [duplicate_first_row("fetch_log")],
    "page_parses_unique_key": [duplicate_first_row("page_parses")],
    "articles_unique_key": [duplicate_first_row("articles")],
    "extractions_unique_key": [twice("extractions", "'a1', 'h', 'extract-test', '{}', 0, 0, now(), false")],
    "company_aliases_unique_key": [duplicate_first_row("company_aliases")],
    "companies_unique_key": [duplicate_first_row("companies")],
    "deals_unique_key": [duplicate_first_row("deals")],
    "deal_parties_unique_key": [duplicate_first_row("deal_parties")],
    "deal_mentions_unique_key": [duplicate_first_row("deal_mentions")],
    "patent_counts_unique_key": [duplicate_first_row("patent_counts")],
    "companies_keys_not_null": [null_in("companies", "name")],
    "deals_keys_not_null": [null_in("deals", "status"), null_in("deals", "deal_types")],
    "deal_parties_keys_not_null": [null_in("deal_parties", "role")],
    "deal_mentions_keys_not_null": [null_in("deal_mentions", "article_id")],
    "patent_counts_keys_not_null": [null_in("patent_counts", "unit"), null_in("patent_counts", "value")],
    "fetch_log_outcome_in_vocabulary": [["update fetch_log set outcome = 'gone' where status = 500"]],
    "page_parses_reason_in_vocabulary": [["update page_parses set reason = 'paywall' where reason is not null"]],
    "company_aliases_alias_kind_in_vocabulary": [
        ["update company_aliases set alias_kind = 'nickname' where alias = 'Kestrel'"]],
    "deal_parties_role_in_vocabulary": [["update deal_parties set role = 'licencor' where role = 'licensor'"]],
    "deal_mentions_date_precision_in_vocabulary": [
        [f"update deal_mentions set date_precision = 'week' where deal_id = '{SUIT}'"]],
    "deals_deal_types_in_vocabulary": [
        [f"update deals set deal_types = ['licence'] where deal_id = '{SUIT}'"],
        [f"update deals set deal_types = [] where deal_id = '{SUIT}'"],
        [f"update deals set deal_types = ['license', null] where deal_id = '{SUIT}'"],
        [f"update deals set deal_types = ['license', 'merger'] where deal_id = '{SUIT}'"],
    ],
    "deals_status_in_vocabulary": [[f"update deals set status = 'announced' where deal_id = '{SUIT}'"]],
    "deals_date_precision_in_vocabulary": [[f"update deals set date_precision = 'week' where deal_id = '{SUIT}'"]],
    "deal_mentions_deal_types_in_vocabulary": [
        [f"update deal_mentions set deal_types = ['Cross_License'] where deal_id = '{CROSS}'"]],
    "deal_mentions_status_in_vocabulary": [[f"update deal_mentions set status = 'maybe' where deal_id = '{CROSS}'"]],
    "patent_counts_unit_in_vocabulary": [["update patent_counts set unit = 'patente' where value = 140"]],
    "patent_counts_qualifier_in_vocabulary": [["update patent_counts set qualifier = 'rund' where value = 140"]],
    "patent_counts_as_of_precision_in_vocabulary": [
        ["update patent_counts set as_of_precision = 'quarter' where value = 140"]],
    "deal_parties_point_to_deal_and_company": [
        [f"insert into deal_parties values ('{SUIT}', 'no-such-company', 'party', 'Ghost Inc')"],
        ["insert into deal_parties select 'no-such-deal', company_id, role, name_as_written from deal_parties limit 1"],
    ],
    "deal_mentions_point_to_deal": [[f"update deal_mentions set deal_id = 'no-such-deal' where deal_id = '{SUIT}'"]],
    "deal_mentions_evidence_inside_article": [
        [f"update deal_mentions set end_offset = end_offset + 10000 where deal_id = '{SUIT}'"],
        [f"update deal_mentions set start_offset = start_offset + 1, end_offset = end_offset + 1 "
         f"where deal_id = '{SUIT}'"],
        [f"update deal_mentions set start_offset = -1 where deal_id = '{SUIT}'"],
        [f"update deal_mentions set end_offset = start_offset where deal_id = '{SUIT}'"],
        [f"update deal_mentions set sentence = upper(sentence) where deal_id = '{SUIT}'"],
        [f"update deal_mentions set article_id = 'no-such-article' where deal_id = '{SUIT}'"],
    ],
    "patent_counts_evidence_inside_article": [
        # umlauts precede this German sentence; the clean facts pass, so offsets count characters, not bytes
        ["update patent_counts set start_offset = start_offset - 1, end_offset = end_offset - 1 where value = 140"],
        ["update patent_counts set sentence = 'Qinghe hat rund 16.000 Patente.' where value = 16000"],
    ],
    "deal_mentions_evidence_array_inside_article": [
        [f"update deal_mentions set evidence = 'not json' where deal_id = '{SUIT}'"],
        [f"update deal_mentions set evidence_count = 2 where deal_id = '{SUIT}'"],
        [f"""update deal_mentions set evidence = '[{{"sentence": "Kestrel declined to comment.", "start": 0, "end": 28}}]'
             where deal_id = '{SUIT}'"""],
        [f"""update deal_mentions set evidence = '[{{"sentence": "x", "start": 5000, "end": 5001}}]'
             where deal_id = '{SUIT}'"""],
    ],
    "patent_counts_evidence_array_inside_article": [
        ["update patent_counts set evidence = replace(evidence, 'Patentfamilien', 'Patente') where value = 140"],
        ["update patent_counts set evidence = '[]' where value = 140"],
    ],
    "patent_counts_positive_and_plausible": [
        ["update patent_counts set value = 0 where value = 140"],
        ["update patent_counts set value = -5 where value = 140"],
        [f"update patent_counts set value = {MAX_PLAUSIBLE_COUNT * 16} where value = 140"],
    ],
    "deals_have_two_parties": [
        [f"delete from deal_parties where deal_id = '{SUIT}' and role = 'defendant'"],
        [f"delete from deal_parties where deal_id = '{SUIT}'"],
    ],
}


def failing(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    outcomes = (run_check(con, check) for check in warehouse_checks())
    return {outcome.check.name: outcome.violations for outcome in outcomes if not outcome.passed}


def test_every_check_has_a_planted_violation():
    assert set(PLANTS) == set(CHECKS)


def test_every_check_passes_on_the_clean_facts(facts_con):
    assert failing(facts_con) == {}


@pytest.mark.parametrize(("name", "plant"), [(name, plant) for name, plants in PLANTS.items() for plant in plants])
def test_check_catches_its_planted_violation(facts_con, name, plant):
    for statement in plant:
        facts_con.execute(statement)
    outcome = run_check(facts_con, CHECKS[name])
    assert not outcome.passed
    assert 0 < len(outcome.sample) <= outcome.violations


def test_a_plant_breaks_no_unrelated_rule(facts_con):
    facts_con.execute("update patent_counts set qualifier = 'rund' where value = 140")
    assert failing(facts_con) == {"patent_counts_qualifier_in_vocabulary": 1}


def test_violations_are_counted_and_sampled(facts_con):
    facts_con.execute("update patent_counts set value = 0")
    outcome = run_check(facts_con, CHECKS["patent_counts_positive_and_plausible"], sample_rows=3)
    assert outcome.violations == 7
    assert len(outcome.sample) == 3
    assert set(outcome.sample["value"]) == {0}


def test_every_check_says_what_it_protects():
    for check in warehouse_checks():
        assert check.description.endswith(".") and check.table in check.violations_sql, check.name
