"""End to end: what the shared `patentwire run` on the bundled samples leaves in the warehouse and exports."""

from __future__ import annotations

import dagster as dg
import pytest

from patentwire.checks import warehouse_checks
from pipelines.definitions import build_definitions


@pytest.fixture()
def warehouse(sample_run):
    con = sample_run.connect()
    yield con
    con.close()


def _deals_with(con, *companies: str) -> list[tuple]:
    return con.execute("""
        select d.deal_id, list_sort(d.deal_types), list_sort(list(c.name)) as parties
        from deals d join deal_parties p using (deal_id) join companies c using (company_id)
        where d.status = 'primary'
        group by d.deal_id, d.deal_types
        having list_has_all(list(c.name), ?)
    """, [list(companies)]).fetchall()


def test_the_run_succeeds_and_every_warehouse_check_passes(sample_run):
    assert "patentwire run succeeded" in sample_run.result.stdout
    instance = dg.DagsterInstance.from_config(str(sample_run.home / "dagster"))
    try:
        [run] = instance.get_runs()
        evaluations = [record.dagster_event.event_specific_data for record in
                       instance.all_logs(run.run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION)]
    finally:
        instance.dispose()
    assert len(evaluations) == len(warehouse_checks())
    assert [(e.asset_key, e.check_name) for e in evaluations if not e.passed] == []


def test_definitions_load_with_every_stage():
    defs = build_definitions()
    keys = {key.to_user_string() for key in defs.resolve_asset_graph().get_all_asset_keys()}
    assert {"discovered_urls", "fetch_log", "articles", "page_parses", "extractions", "normalized_facts",
            "companies", "deals", "deal_parties", "deal_mentions", "patent_counts", "partnership_timeline",
            "portfolio_trend", "parquet_exports"} <= keys


def test_bundled_corpus_yields_articles_from_every_source(warehouse):
    per_source = dict(warehouse.execute("select source, count(*) from articles group by source").fetchall())
    assert sum(per_source.values()) >= 30
    assert {"mobile-patent-wire", "lumenta-press", "ipwatch-sitemap", "nordlicht-blog", "saved-pages"} <= set(per_source)


def test_cross_licence_release_is_one_deal_between_nokia_and_xiaomi_without_bystanders(warehouse):
    deals = _deals_with(warehouse, "Nokia", "Xiaomi")
    cross = [d for d in deals if "cross_license" in d[1]]
    assert len(cross) == 1, deals
    _, types, parties = cross[0]
    assert parties == ["Nokia", "Xiaomi"]
    assert {"cross_license", "patent_acquisition", "supply", "partnership"} <= set(types)
    (articles,) = warehouse.execute("select article_count from deals where deal_id = ?", [cross[0][0]]).fetchone()
    assert articles >= 2  # the German blog post and the English news item are one event


def test_no_bystander_is_ever_a_party_of_the_nokia_xiaomi_deal(warehouse):
    bystanders = warehouse.execute("""
        select distinct c.name from deal_parties p join companies c using (company_id)
        where p.deal_id in (select deal_id from deal_parties join companies using (company_id) where name = 'Xiaomi')
          and c.name in ('Apple', 'Samsung', 'Oppo', 'Vivo', 'Huawei', 'Honor', 'IDC')
    """).fetchall()
    assert bystanders == []


def test_german_count_reads_sixteen_thousand_not_sixteen(warehouse):
    rows = warehouse.execute("""
        select value, qualifier, unit from patent_counts
        where company_name = 'Xiaomi' and sentence like '%16.000%'
    """).fetchall()
    assert rows == [(16000, "about", "patent_applications")]


def test_litigation_and_settlement_make_a_two_event_timeline(warehouse):
    events = warehouse.execute("""
        select event_number, deal_types from partnership_timeline
        where company_a = 'Ericsson' and company_b = 'Lenovo' order by event_number
    """).fetchall()
    assert len(events) >= 2
    assert "litigation" in events[0][1]
    assert "settlement" in events[-1][1]


def test_portfolio_trend_has_several_points_for_a_company(warehouse):
    (points,) = warehouse.execute("""
        select count(*) from portfolio_trend where company = 'Nokia' and unit = 'patent_families'
    """).fetchone()
    assert points >= 3
    changes = warehouse.execute("""
        select count(*) from portfolio_trend where company = 'Nokia' and previous_value is not null
    """).fetchone()[0]
    assert changes >= 2


def test_every_fact_keeps_its_evidence(warehouse):
    (bad,) = warehouse.execute("""
        select count(*) from patent_counts c join articles a using (article_id)
        where substring(a.text, c.start_offset + 1, c.end_offset - c.start_offset) <> c.sentence
           or c.extractor_version is null
    """).fetchone()
    assert bad == 0


def test_exports_exist_for_every_core_table_and_model(sample_run):
    datasets = {path.name for path in (sample_run.home / "exports").iterdir() if not path.name.startswith(".")}
    assert {"articles", "deals", "deal_parties", "patent_counts", "partnership_timeline", "portfolio_trend",
            "schema.json"} <= datasets


@pytest.mark.xfail(strict=True, reason="extract-6 keeps InterDigital-Samsung but scores InterDigital-TCL 0.15: "
                   "the pair is named only as 'and TCL' after the first licensee; a known miss of the learned pair decision")
def test_one_release_with_two_licences_gives_two_deals_with_different_pairs(warehouse):
    pairs = warehouse.execute("""
        select company_a, company_b from partnership_timeline
        where 'InterDigital' in (company_a, company_b) order by all
    """).fetchall()
    assert pairs == [("InterDigital", "Samsung Electronics"), ("InterDigital", "TCL")]
