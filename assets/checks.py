"""Asset checks: the warehouse rules of patentwire.checks, shown on the assets they guard."""

import dagster as dg
from dagster_duckdb import DuckDBResource

from assets.metadata import markdown_preview
from assets.resources import WAREHOUSE_POOL
from patentwire.checks import WarehouseCheck, run_check
from patentwire.checks import warehouse_checks as all_checks


def asset_check_for(check: WarehouseCheck) -> dg.AssetChecksDefinition:
    # The check is shown on its table's page: the table prefix of the core name would only repeat it.
    @dg.asset_check(asset=check.table, name=check.name.removeprefix(f"{check.table}_"),
                    description=check.description, blocking=check.blocking, pool=WAREHOUSE_POOL)
    def _check(duckdb: DuckDBResource) -> dg.AssetCheckResult:
        with duckdb.get_connection() as con:
            try:
                outcome = run_check(con, check)
            finally:
                con.close()
        metadata = {"violations": outcome.violations}
        if not outcome.passed:
            metadata["sample"] = dg.MetadataValue.md(markdown_preview(outcome.sample))
        return dg.AssetCheckResult(passed=outcome.passed, metadata=metadata)

    return _check


def warehouse_checks() -> list[dg.AssetChecksDefinition]:
    return [asset_check_for(check) for check in all_checks()]
