"""Resolve companies and merge mentions from many articles into one event per deal."""

import dagster as dg
from dagster_duckdb import DuckDBResource

from assets.metadata import markdown_preview
from assets.resources import FOLLOW_NEW_DATA, TRANSIENT_RETRY, PatentwireConfig
from patentwire.normalize import NormalizedFacts
from patentwire.stages import load_registry, run_normalize
from patentwire.tables import fact_tables


@dg.asset(
    group_name="normalize",
    kinds={"python", "pandas"},
    pool="duckdb",
    retry_policy=TRANSIENT_RETRY,
    automation_condition=FOLLOW_NEW_DATA,
    deps=["extractions"],
    description="Companies resolved through the registry and fuzzy alias matching, deal events merged "
                "across articles, every patent-count statement kept; handed to the load step as DataFrames.",
)
def normalized_facts(context: dg.AssetExecutionContext, patentwire: PatentwireConfig,
                     duckdb: DuckDBResource) -> NormalizedFacts:
    registry = load_registry(patentwire.paths.root)
    with duckdb.get_connection() as con:
        try:
            facts = run_normalize(con, registry)
        finally:
            con.close()
    context.add_output_metadata({
        "dagster/row_count": len(facts.deals),
        **{f"{name} rows": len(getattr(facts, name)) for name in fact_tables()},
        **{f"summary {key}": value for key, value in facts.summary.items()},
        "deals preview": dg.MetadataValue.md(markdown_preview(facts.deals)),
    })
    return facts
