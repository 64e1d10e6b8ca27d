"""Load the normalized facts into the warehouse's core tables, all in one transaction."""

import dagster as dg
from dagster_duckdb import DuckDBResource

from assets.checks import check_results, check_specs
from assets.metadata import table_metadata
from assets.resources import FOLLOW_NEW_DATA, TRANSIENT_RETRY, WAREHOUSE_POOL, PatentwireConfig, warehouse_writer
from patentwire.normalize import NormalizedFacts
from patentwire.stages import FACT_TABLES, run_load
from patentwire.tables import table_docs


@dg.multi_asset(
    group_name="warehouse",
    pool=WAREHOUSE_POOL,
    retry_policy=TRANSIENT_RETRY,
    ins={"normalized_facts": dg.AssetIn()},
    specs=[
        dg.AssetSpec(table, kinds={"duckdb"}, deps=["normalized_facts"], description=table_docs()[table].description,
                     automation_condition=FOLLOW_NEW_DATA)
        for table in FACT_TABLES
    ],
    check_specs=check_specs(*FACT_TABLES),
)
def fact_tables(patentwire: PatentwireConfig, duckdb: DuckDBResource, normalized_facts: NormalizedFacts | None):
    with warehouse_writer(duckdb, patentwire) as con:
        report = run_load(con, normalized_facts)
        results = {load.table: load for load in report.loads}
        for table in FACT_TABLES:
            yield dg.MaterializeResult(asset_key=table, metadata={
                **table_metadata(con, table),
                **results[table].as_metadata(),
            })
        yield from check_results(con, *FACT_TABLES)
