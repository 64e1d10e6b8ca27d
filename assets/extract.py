"""Find deal and patent-count mentions in each article."""

import dagster as dg
from dagster_duckdb import DuckDBResource

from assets.checks import check_results, check_specs
from assets.metadata import table_metadata
from assets.resources import FOLLOW_NEW_DATA, TRANSIENT_RETRY, WAREHOUSE_POOL, PatentwireConfig, warehouse_writer
from patentwire.stages import load_registry, run_extract


@dg.asset(
    group_name="extract",
    kinds={"python", "duckdb"},
    pool=WAREHOUSE_POOL,
    retry_policy=TRANSIENT_RETRY,
    automation_condition=FOLLOW_NEW_DATA,
    deps=["articles"],
    check_specs=check_specs("extractions"),
    description="Deal and patent-count mentions found in each article (the extract CLI contract as JSON), "
                "re-extracted only when the text or the extractor version changes.",
)
def extractions(patentwire: PatentwireConfig, duckdb: DuckDBResource) -> dg.MaterializeResult:
    with warehouse_writer(duckdb, patentwire) as con:
        # the registry takes seconds to load: only when some article needs extracting
        report = run_extract(con, lambda: load_registry(patentwire.paths.root))
        metadata = table_metadata(con, "extractions")
        checked = list(check_results(con, "extractions"))
    return dg.MaterializeResult(metadata={**metadata, **report.counts}, check_results=checked)
