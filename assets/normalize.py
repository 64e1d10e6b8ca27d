"""Resolve companies and merge mentions from many articles into one event per deal."""

import dagster as dg
from dagster_duckdb import DuckDBResource

from assets.metadata import markdown_preview
from assets.resources import FOLLOW_NEW_DATA, TRANSIENT_RETRY, WAREHOUSE_POOL, PatentwireConfig
from patentwire.normalize import NormalizedFacts
from patentwire.stages import INPUTS_KEY, facts_are_current, load_registry, normalize_inputs, run_normalize
from patentwire.tables import fact_tables


@dg.asset(
    group_name="normalize",
    kinds={"python", "pandas"},
    pool=WAREHOUSE_POOL,
    retry_policy=TRANSIENT_RETRY,
    automation_condition=FOLLOW_NEW_DATA,
    deps=["extractions"],
    description="Companies resolved through the registry and fuzzy alias matching, deal events merged "
                "across articles, every patent-count statement kept; handed to the load step as DataFrames.",
)
def normalized_facts(context: dg.AssetExecutionContext, patentwire: PatentwireConfig,
                     duckdb: DuckDBResource) -> NormalizedFacts | None:
    with duckdb.get_connection() as con:
        try:
            inputs = normalize_inputs(con, patentwire.paths.root)
            if facts_are_current(con, inputs):
                # nothing new since the fact tables were loaded: the load step leaves them as they are
                context.add_output_metadata({"skipped": "articles and extractions unchanged since the last load"})
                return None
            facts = run_normalize(con, load_registry(patentwire.paths.root), inputs)
        finally:
            con.close()
    context.add_output_metadata({
        "dagster/row_count": len(facts.deals),
        **{f"{name} rows": len(getattr(facts, name)) for name in fact_tables()},
        **{f"summary {key}": value for key, value in facts.summary.items() if key != INPUTS_KEY},
        "deals preview": dg.MetadataValue.md(markdown_preview(facts.deals)),
    })
    return facts
