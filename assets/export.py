"""Parquet datasets for BI tools, one per core table and SQL model."""

import dagster as dg
import pandas as pd
from dagster_duckdb import DuckDBResource

from assets.metadata import markdown_preview
from assets.models import model_names
from assets.resources import WAREHOUSE_POOL, PatentwireConfig
from patentwire.export import export_warehouse
from patentwire.tables import exported_core_tables


@dg.asset(
    group_name="export",
    kinds={"parquet", "duckdb"},
    pool=WAREHOUSE_POOL,
    deps=[dg.AssetKey(name) for name in (*exported_core_tables(), *model_names())],
    automation_condition=dg.AutomationCondition.eager(),
    description="Zstd Parquet datasets under HOME/exports/ (hive-partitioned by year where the table has a "
                "date), swapped in atomically, with schema.json documenting every column.",
)
def parquet_exports(patentwire: PatentwireConfig, duckdb: DuckDBResource) -> dg.MaterializeResult:
    with duckdb.get_connection() as con:
        try:
            results = export_warehouse(con, patentwire.paths.exports, model_names(), only_changed=True)
        finally:
            con.close()
    listing = pd.DataFrame([{"dataset": r.table, "rows": r.rows, "partitioned by year of": r.partitioned_by_year_of}
                            for r in results])
    return dg.MaterializeResult(metadata={
        "dagster/row_count": int(listing["rows"].sum()),
        "datasets": len(results),
        "path": dg.MetadataValue.path(str(patentwire.paths.exports)),
        "preview": dg.MetadataValue.md(markdown_preview(listing.head(50))),
    })
