"""A rerun with nothing new writes nothing: merge loads, table versions, models and exports that stay."""

import pandas as pd

from conftest import FACT_KEYS, fact_frames
from patentwire.export import export_warehouse
from patentwire.project import SQL_DIR
from patentwire.sqlmodels import build_model, load_models
from patentwire.warehouse import replace_all
from patentwire.warehouse.versions import versions


def test_replacing_with_the_same_rows_changes_no_version(facts_con):
    before = versions(facts_con)
    replace_all(facts_con, fact_frames(), FACT_KEYS)
    assert versions(facts_con) == before


def test_one_changed_row_is_merged_and_bumps_only_its_table(facts_con):
    before = versions(facts_con)
    frames = fact_frames()
    parties = frames["deal_parties"].copy()
    parties.loc[parties.index[0], "role"] = "licensee"  # a composite-key table
    gone = parties.index[-1]
    replace_all(facts_con, {**frames, "deal_parties": parties.drop(index=gone)}, FACT_KEYS)
    after = versions(facts_con)
    assert {t for t in after if after[t] != before.get(t)} == {"deal_parties"}
    stored = facts_con.execute("select deal_id, company_id, role, name_as_written from deal_parties "
                               "order by all").fetchall()
    expected = parties.drop(index=gone)[["deal_id", "company_id", "role", "name_as_written"]]
    assert stored == sorted(expected.itertuples(index=False, name=None))


def test_a_model_is_rebuilt_only_when_a_table_it_reads_changed(facts_con):
    models = {model.name: model for model in load_models(SQL_DIR)}
    timeline = models["partnership_timeline"]
    for model in load_models(SQL_DIR):  # in dependency order
        build_model(facts_con, model)
    built = versions(facts_con)["partnership_timeline"]
    build_model(facts_con, timeline)
    assert versions(facts_con)["partnership_timeline"] == built
    deals = fact_frames()["deals"].copy()
    deals.loc[deals.index[0], "article_count"] = 42
    replace_all(facts_con, {"deals": deals}, FACT_KEYS)
    for model in load_models(SQL_DIR):
        build_model(facts_con, model)
    assert versions(facts_con)["partnership_timeline"] == built + 1


def test_the_pipeline_export_rewrites_only_changed_tables(facts_con, tmp_path):
    models = [model.name for model in load_models(SQL_DIR)]
    for model in load_models(SQL_DIR):
        build_model(facts_con, model)
    out = tmp_path / "exports"
    export_warehouse(facts_con, out, models, only_changed=True)
    targets = {path.name: path.resolve() for path in out.iterdir() if path.is_symlink()}
    companies = fact_frames()["companies"].copy()
    companies.loc[companies.index[0], "mention_count"] = 99
    replace_all(facts_con, {"companies": companies}, FACT_KEYS)
    results = {r.table: r for r in export_warehouse(facts_con, out, models, only_changed=True)}
    assert results["companies"].written and not results["deals"].written
    assert (out / "deals").resolve() == targets["deals"]
    assert (out / "companies").resolve() != targets["companies"]
    assert pd.read_parquet(out / "companies")["mention_count"].max() == 99
