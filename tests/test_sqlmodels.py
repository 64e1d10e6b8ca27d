"""SQL models: dependencies, order, code version and description come from the files; marts answer right."""

from __future__ import annotations

import hashlib
import re
from datetime import date

import duckdb
import pandas as pd
import pytest
from conftest import COMPANIES, deal_id, fact_frames

from patentwire.project import SQL_DIR
from patentwire.sqlmodels import SqlModel, SqlModelError, build_model, load_models, referenced_tables, topological
from patentwire.vocab import DealType
from patentwire.warehouse import replace_all

MARTS = ["partnership_timeline", "portfolio_trend", "partner_network", "deal_activity_monthly", "company_profile"]


def model(name: str, sql: str) -> SqlModel:
    return SqlModel(name, sql, SQL_DIR / f"{name}.sql")


@pytest.fixture
def built(facts_con) -> duckdb.DuckDBPyConnection:
    for each in load_models(SQL_DIR):
        build_model(facts_con, each)
    return facts_con


def rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict]:
    result = con.execute(sql)
    names = [column[0] for column in result.description]
    return [dict(zip(names, row, strict=True)) for row in result.fetchall()]


# --- reading the files --------------------------------------------------------------------------


def test_dependencies_exclude_cte_names():
    sql = """
        with pairs as (select * from deal_parties),
             named as (select * from pairs join companies using (company_id))
        select * from named where deal_id in (select deal_id from deals)
    """
    assert referenced_tables(sql) == ("deal_parties", "companies", "deals")


def test_a_cte_named_like_the_table_it_reads_keeps_the_table_as_dependency():
    sql = "with deals as (select * from deals where status = 'primary') select * from deals"
    assert referenced_tables(sql) == ("deals",)


def test_table_functions_are_not_dependencies():
    assert referenced_tables("select * from read_parquet('x.parquet') join main.deals using (deal_id)") == ("deals",)


def test_every_bundled_model_reads_only_core_tables_or_other_models():
    core = {"articles", "companies", "company_aliases", "deals", "deal_parties", "deal_mentions", "patent_counts"}
    names = {m.name for m in load_models(SQL_DIR)}
    for each in load_models(SQL_DIR):
        assert set(each.dependencies) <= core | names, each.name


def test_models_come_after_the_models_they_read():
    order = [m.name for m in load_models(SQL_DIR)]
    for position, each in enumerate(load_models(SQL_DIR)):
        for dependency in each.dependencies:
            if dependency in order:
                assert order.index(dependency) < position, (each.name, dependency)
    assert order.index("stg_deal_events") < order.index("stg_deal_pairs") < order.index("partnership_timeline")


def test_order_follows_reads_not_file_names():
    models = [model("a_mart", "select * from z_staging"), model("z_staging", "select * from deals")]
    assert [m.name for m in topological(models)] == ["z_staging", "a_mart"]


def test_models_reading_each_other_in_a_cycle_are_refused_with_the_cycle():
    models = [model("left", "select * from right"), model("right", "select * from left")]
    with pytest.raises(SqlModelError, match="cycle"):
        topological(models)


def test_code_version_is_the_hash_of_the_file_and_changes_with_it(tmp_path):
    for each in load_models(SQL_DIR):
        assert each.code_version == hashlib.sha256(each.path.read_bytes()).hexdigest()[:12]
    path = tmp_path / "m.sql"
    path.write_text("-- m: one row.\nselect 1 as x\n")
    first = load_models(tmp_path)[0].code_version
    path.write_text("-- m: one row.\nselect 2 as x\n")
    assert load_models(tmp_path)[0].code_version != first


def test_description_is_the_leading_comment_without_the_model_name():
    described = model("trend", "-- trend: one row per company\n-- and statement date.\nselect 1")
    assert described.description == "one row per company and statement date."
    assert model("bare", "select 1").description == "SQL model bare"
    for each in load_models(SQL_DIR):
        assert each.description.startswith("one row per"), each.name


def test_a_failing_rebuild_keeps_the_previous_table(built):
    before = built.execute("select count(*) from portfolio_trend").fetchone()
    with pytest.raises(duckdb.Error):
        build_model(built, model("portfolio_trend", "select no_such_column from patent_counts"))
    assert built.execute("select count(*) from portfolio_trend").fetchone() == before


def test_rebuilding_gives_the_same_rows(built):
    first = {name: built.execute(f"select * from {name} order by all").fetchall() for name in MARTS}
    for each in load_models(SQL_DIR):
        build_model(built, each)
    assert {name: built.execute(f"select * from {name} order by all").fetchall() for name in MARTS} == first


# --- what the marts say about the hand-written facts --------------------------------------------


def test_partnership_timeline_orders_litigation_then_settlement_with_evidence(built):
    events = rows(built, """select * from partnership_timeline
                            where company_a = 'Alpenfunk' and company_b = 'Kestrel Semiconductor'
                            order by event_number""")
    assert [(e["event_number"], e["deal_date"], e["deal_types"]) for e in events] == [
        (1, date(2019, 2, 15), ["litigation"]),
        (2, date(2020, 6, 4), ["license", "settlement"]),
    ]
    assert [e["deal_id"] for e in events] == [deal_id("suit"), deal_id("settlement")]
    assert all(e["pair_event_count"] == 2 and e["pair_first_date"] == date(2019, 2, 15)
               and e["pair_last_date"] == date(2020, 6, 4) for e in events)
    assert events[0]["first_evidence"].startswith("Alpenfunk AG has sued")
    assert events[1]["first_evidence"] == events[1]["last_evidence"]


def test_partnership_timeline_event_reported_twice_has_first_and_last_evidence(built):
    [event] = rows(built, "select * from partnership_timeline where company_a = 'Nordlicht Mobile'")
    assert event["company_b"] == "Qinghe Devices"
    assert event["article_count"] == 2
    assert event["first_evidence"].startswith("Die Finnen und die Chinesen")  # 5 July, German
    assert event["last_evidence"].startswith("Nordlicht Mobile and Qinghe Devices")  # 7 July, English
    assert event["first_url"].startswith("https://blog.example/")


def test_rumoured_deals_stay_out_of_the_marts(built):
    rumour = deal_id("rumour")
    assert built.execute("select count(*) from partnership_timeline where deal_id = ?", [rumour]).fetchone() == (0,)
    pairs = built.execute("select company_a, company_b from partner_network order by all").fetchall()
    assert pairs == [("Alpenfunk", "Kestrel Semiconductor"), ("Nordlicht Mobile", "Qinghe Devices")]


def test_portfolio_trend_has_change_and_growth_against_the_previous_statement(built):
    trend = rows(built, """select statement_date, value, previous_value, change, growth_pct from portfolio_trend
                           where company = 'Qinghe Devices' order by statement_date""")
    assert trend == [
        {"statement_date": date(2020, 6, 4), "value": 12000, "previous_value": None, "change": None,
         "growth_pct": None},
        {"statement_date": date(2021, 7, 5), "value": 16000, "previous_value": 12000, "change": 4000,
         "growth_pct": 33.3},
        {"statement_date": date(2021, 7, 7), "value": 16000, "previous_value": 16000, "change": 0, "growth_pct": 0.0},
    ]
    alpenfunk = rows(built, "select value, change, growth_pct from portfolio_trend where company = 'Alpenfunk' "
                            "order by statement_date")
    assert alpenfunk[-1] == {"value": 5600, "change": 600, "growth_pct": 12.0}


def test_portfolio_trend_never_compares_different_units(built, facts_con):
    counts = fact_frames()["patent_counts"]
    other_unit = counts[counts["company_name"] == "Qinghe Devices"].iloc[-1:].copy()
    other_unit["count_id"], other_unit["unit"], other_unit["value"] = "families", "patent_families", 3000
    replace_all(built, {"patent_counts": pd.concat([counts, other_unit])}, {"patent_counts": ["count_id"]})
    for each in load_models(SQL_DIR):
        build_model(built, each)
    families = rows(built, "select previous_value, change from portfolio_trend "
                           "where company = 'Qinghe Devices' and unit = 'patent_families'")
    assert families == [{"previous_value": None, "change": None}]


def test_portfolio_trend_keeps_one_statement_per_day_preferring_exact(built):
    counts = fact_frames()["patent_counts"]
    same_day = counts[counts["value"] == 5600].copy()
    same_day["count_id"], same_day["value"], same_day["qualifier"] = "rounded", 5500, "about"
    replace_all(built, {"patent_counts": pd.concat([same_day, counts])}, {"patent_counts": ["count_id"]})
    for each in load_models(SQL_DIR):
        build_model(built, each)
    [day] = rows(built, "select value, qualifier, statements_that_day from portfolio_trend "
                        "where company = 'Alpenfunk' and statement_date = '2020-06-04'")
    assert day == {"value": 5600, "qualifier": "exact", "statements_that_day": 2}


def test_partner_network_counts_deals_types_years_and_reports(built):
    edges = rows(built, "select company_a, company_b, deal_count, deal_types, first_year, last_year, article_count "
                        "from partner_network order by company_a")
    assert edges == [
        {"company_a": "Alpenfunk", "company_b": "Kestrel Semiconductor", "deal_count": 2,
         "deal_types": ["license", "litigation", "settlement"], "first_year": 2019, "last_year": 2020,
         "article_count": 2},
        {"company_a": "Nordlicht Mobile", "company_b": "Qinghe Devices", "deal_count": 1,
         "deal_types": ["cross_license", "partnership"], "first_year": 2021, "last_year": 2021, "article_count": 2},
    ]


def test_deal_activity_monthly_counts_each_type_per_month(built):
    activity = built.execute("select deal_month, deal_type, deals from deal_activity_monthly order by all").fetchall()
    assert activity == [
        (date(2019, 2, 1), "litigation", 1),
        (date(2020, 6, 1), "license", 1),
        (date(2020, 6, 1), "settlement", 1),
        (date(2021, 7, 1), "cross_license", 1),
        (date(2021, 7, 1), "partnership", 1),
    ]


def test_company_profile_sums_up_partners_deals_and_latest_size(built):
    profiles = {p["company"]: p for p in rows(built, "select * from company_profile")}
    assert set(profiles) == {name for name, _, _ in COMPANIES.values()}
    alpenfunk = profiles["Alpenfunk"]
    assert alpenfunk["partners"] == ["Kestrel Semiconductor"]
    assert (alpenfunk["deals"], alpenfunk["litigation_deals"], alpenfunk["settlement_deals"],
            alpenfunk["license_deals"], alpenfunk["cross_license_deals"]) == (2, 1, 1, 1, 0)
    assert (alpenfunk["latest_portfolio_size"], alpenfunk["latest_portfolio_unit"],
            alpenfunk["latest_portfolio_qualifier"], alpenfunk["latest_portfolio_date"]) == (
        5600, "granted_patents", "exact", date(2020, 6, 4))
    nordlicht = profiles["Nordlicht Mobile"]
    assert nordlicht["partners"] == ["Qinghe Devices"]  # the rumoured Kestrel deal is no partnership
    assert nordlicht["latest_portfolio_size"] is None
    assert profiles["Qinghe Devices"]["latest_portfolio_date"] == date(2021, 7, 7)
    tannenberg = profiles["Tannenberg Labs"]
    assert (tannenberg["deals"], tannenberg["partners"], tannenberg["in_registry"]) == (0, [], False)
    assert tannenberg["latest_portfolio_size"] == 140


def test_company_profile_latest_size_is_one_whole_statement(built):
    counts = fact_frames()["patent_counts"]
    kestrel = counts[counts["company_name"] == "Kestrel Semiconductor"].copy()
    kestrel["count_id"], kestrel["value"], kestrel["unit"], kestrel["qualifier"] = (
        "kestrel-granted", 9000, "granted_patents", "exact")
    replace_all(built, {"patent_counts": pd.concat([counts, kestrel])}, {"patent_counts": ["count_id"]})
    for each in load_models(SQL_DIR):
        build_model(built, each)
    latest = built.execute("select latest_portfolio_size, latest_portfolio_unit, latest_portfolio_qualifier "
                           "from company_profile where company = 'Kestrel Semiconductor'").fetchone()
    assert latest == (9000, "granted_patents", "exact")


def test_company_profile_counts_deals_of_every_deal_type_and_no_other():
    """The per-type columns are written once in the SQL; they must be exactly the DealType vocabulary."""
    text = (SQL_DIR / "company_profile.sql").read_text(encoding="utf-8")
    counted = re.findall(r"list_contains\(deal_types, '(\w+)'\)\) as (\w+)_deals", text)
    assert [kind for kind, _ in counted] == [name for _, name in counted] == [t.value for t in DealType]
