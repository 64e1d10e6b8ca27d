"""Per-source backfill: one partition per source of sources.yaml, each re-discovering and fetching that source.

The main assets stay unpartitioned, so "Materialize all" and `patentwire run` remain one run. The
backfill is an op job partitioned by source: select sources (partitions) in the UI's Launch backfill
dialog and each becomes its own run. Its materializations of `discovered_urls` and `fetch_log` are
what the automation condition sensor sees, so parse, extract, load, models and exports follow.
"""

import logging

import dagster as dg
from dagster_duckdb import DuckDBResource

from assets.metadata import markdown_preview
from assets.resources import TRANSIENT_RETRY, WAREHOUSE_POOL, PatentwireConfig, http_client, warehouse_writer
from patentwire.sources import SourceConfigError, load_sources
from patentwire.stages import run_discover, run_fetch

BACKFILL_JOB = "refresh_sources"


def source_partitions(sources_path: str) -> dg.StaticPartitionsDefinition | None:
    """One partition per source name; None when sources.yaml cannot be read (the assets will say why)."""
    try:
        names = [source.name for source in load_sources(sources_path).sources]
    except SourceConfigError as error:
        logging.getLogger(__name__).warning("no per-source backfill job: %s", error)
        return None
    return dg.StaticPartitionsDefinition(names)


@dg.op(pool=WAREHOUSE_POOL, retry_policy=TRANSIENT_RETRY,
       description="Discover and fetch the one source named by the partition key.")
def refresh_source(context: dg.OpExecutionContext, patentwire: PatentwireConfig, duckdb: DuckDBResource) -> None:
    name = context.partition_key
    sources = patentwire.load_sources(only=name)
    with http_client(sources) as client, warehouse_writer(duckdb, patentwire) as con:
        discovered = run_discover(con, sources, client, store=patentwire.page_store())
        fetched = run_fetch(con, sources, client, patentwire.page_store())
    context.log_event(dg.AssetMaterialization("discovered_urls", description=f"backfill of source {name}",
                                              metadata={"source": name, **discovered.counts}))
    context.log_event(dg.AssetMaterialization("fetch_log", description=f"backfill of source {name}", metadata={
        "source": name,
        **{f"pages {outcome}": count for outcome, count in fetched.counts.items()},
        "pages per source": dg.MetadataValue.md(markdown_preview(fetched.per_source)),
    }))


def backfill_job(partitions: dg.StaticPartitionsDefinition) -> dg.JobDefinition:
    @dg.job(name=BACKFILL_JOB, partitions_def=partitions, tags={"patentwire/trigger": "backfill"},
            description="Re-discover and fetch selected sources (one partition per source); "
                        "launch a backfill of several sources from the job's Partitions tab.")
    def _refresh() -> None:
        refresh_source()

    return _refresh
