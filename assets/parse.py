"""Turn stored pages into articles: body text, title, date, language, canonical URL."""

import dagster as dg
from dagster_duckdb import DuckDBResource

from assets.checks import check_results, check_specs
from assets.ingest import fetch_log
from assets.metadata import table_metadata
from assets.resources import FOLLOW_NEW_DATA, TRANSIENT_RETRY, WAREHOUSE_POOL, PatentwireConfig, warehouse_writer
from patentwire.stages import run_parse


@dg.multi_asset(
    group_name="parse",
    pool=WAREHOUSE_POOL,
    retry_policy=TRANSIENT_RETRY,
    specs=[
        dg.AssetSpec("articles", kinds={"python", "duckdb"}, deps=[fetch_log],
                     automation_condition=FOLLOW_NEW_DATA,
                     description="One row per article (by canonical URL): its body text with paragraph breaks, "
                                 "title, publication date and language."),
        dg.AssetSpec("page_parses", kinds={"python", "duckdb"}, deps=[fetch_log],
                     automation_condition=FOLLOW_NEW_DATA,
                     description="One row per fetched URL: which body was parsed, by which parser version, "
                                 "and why no article was found when none was."),
    ],
    check_specs=check_specs("articles", "page_parses"),
)
def parsed_pages(patentwire: PatentwireConfig, duckdb: DuckDBResource):
    with warehouse_writer(duckdb, patentwire) as con:
        report = run_parse(con, patentwire.page_store())
        articles = table_metadata(con, "articles")
        parses = table_metadata(con, "page_parses")
        checked = list(check_results(con, "articles", "page_parses"))
    yield dg.MaterializeResult(asset_key="articles", metadata={**articles, **report.counts})
    yield dg.MaterializeResult(asset_key="page_parses", metadata=parses)
    yield from checked
