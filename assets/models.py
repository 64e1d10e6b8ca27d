"""One asset per sql/*.sql file: dependencies read from the SQL, code version = hash of the file."""

import dagster as dg
from dagster_duckdb import DuckDBResource

from assets.metadata import table_metadata
from assets.plots import chart_metadata
from assets.resources import WAREHOUSE_POOL, PatentwireConfig, warehouse_writer
from patentwire.project import SQL_DIR
from patentwire.sqlmodels import SqlModel, build_model, load_models


def model_asset(model: SqlModel) -> dg.AssetsDefinition:
    @dg.asset(
        name=model.name,
        group_name="staging" if model.name.startswith("stg_") else "marts",
        kinds={"duckdb", "sql"},
        pool=WAREHOUSE_POOL,
        deps=[dg.AssetKey(dependency) for dependency in model.dependencies],
        code_version=model.code_version,
        description=model.description,
        automation_condition=dg.AutomationCondition.eager(),
        metadata={"sql": dg.MetadataValue.md(f"```sql\n{model.sql}\n```"), "path": str(model.path.name)},
    )
    def _build(patentwire: PatentwireConfig, duckdb: DuckDBResource) -> dg.MaterializeResult:
        with warehouse_writer(duckdb, patentwire) as con:
            build_model(con, model)
            return dg.MaterializeResult(metadata={**table_metadata(con, model.name),
                                                  **chart_metadata(con, model.name, patentwire.paths.charts)})

    return _build


def sql_model_assets() -> list[dg.AssetsDefinition]:
    return [model_asset(model) for model in load_models(SQL_DIR)]


def model_names() -> list[str]:
    return [model.name for model in load_models(SQL_DIR)]
