"""Discover article URLs from the configured sources and fetch their pages."""

import dagster as dg
from dagster_duckdb import DuckDBResource

from assets.checks import check_results, check_specs
from assets.metadata import markdown_preview, table_metadata
from assets.resources import TRANSIENT_RETRY, WAREHOUSE_POOL, PatentwireConfig, http_client, warehouse_writer
from patentwire.stages import run_discover, run_fetch


@dg.asset(
    group_name="ingest",
    kinds={"python", "duckdb"},
    pool=WAREHOUSE_POOL,
    retry_policy=TRANSIENT_RETRY,
    check_specs=check_specs("discovered_urls"),
    description="Article URLs found in the feeds, sitemaps, listing pages and archives of sources.yaml "
                "(normalized, de-duplicated across sources).",
)
def discovered_urls(patentwire: PatentwireConfig, duckdb: DuckDBResource) -> dg.MaterializeResult:
    sources = patentwire.load_sources()
    with http_client(sources) as client, warehouse_writer(duckdb, patentwire) as con:
        report = run_discover(con, sources, client, store=patentwire.page_store())
        metadata = table_metadata(con, "discovered_urls")
        checked = list(check_results(con, "discovered_urls"))
    return dg.MaterializeResult(check_results=checked, metadata={
        **metadata,
        **report.counts,
        "urls per source": dg.MetadataValue.md(markdown_preview(report.per_source)),
    })


@dg.asset(
    group_name="ingest",
    kinds={"python", "duckdb"},
    pool=WAREHOUSE_POOL,
    retry_policy=TRANSIENT_RETRY,
    deps=[discovered_urls],
    check_specs=check_specs("fetch_log"),
    description="One row per fetch attempt: status, outcome (new, changed, unchanged, failed) and the reason "
                "of every failure. Bodies go to the content-addressed page store.",
)
def fetch_log(patentwire: PatentwireConfig, duckdb: DuckDBResource) -> dg.MaterializeResult:
    sources = patentwire.load_sources()
    with http_client(sources) as client, warehouse_writer(duckdb, patentwire) as con:
        report = run_fetch(con, sources, client, patentwire.page_store())
        metadata = table_metadata(con, "fetch_log")
        checked = list(check_results(con, "fetch_log"))
    return dg.MaterializeResult(check_results=checked, metadata={
        **metadata,
        **{f"pages {name}": count for name, count in report.counts.items()},
        "pages per source": dg.MetadataValue.md(markdown_preview(report.per_source)),
    })
