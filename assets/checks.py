"""Asset checks: the warehouse rules of patentwire.checks, shown on the assets they guard.

A check runs inside the step that writes its table, on the writer's connection, right after the write:
one step per asset instead of one more step (and one more warehouse open) per rule.
"""

from collections.abc import Iterable, Iterator

import dagster as dg
import duckdb

from assets.metadata import markdown_preview
from patentwire.checks import WarehouseCheck, run_check, warehouse_checks


def _checks_of(tables: Iterable[str]) -> list[WarehouseCheck]:
    wanted = set(tables)
    return [check for check in warehouse_checks() if check.table in wanted]


def _short_name(check: WarehouseCheck) -> str:
    # The check is shown on its table's page: the table prefix of the core name would only repeat it.
    return check.name.removeprefix(f"{check.table}_")


def check_specs(*tables: str) -> list[dg.AssetCheckSpec]:
    """The checks of the step that writes these tables, for its `check_specs`."""
    return [dg.AssetCheckSpec(_short_name(check), asset=check.table, description=check.description,
                              blocking=check.blocking)
            for check in _checks_of(tables)]


def check_results(con: duckdb.DuckDBPyConnection, *tables: str) -> Iterator[dg.AssetCheckResult]:
    """Run the checks of these tables on the step's connection, after its write."""
    for check in _checks_of(tables):
        outcome = run_check(con, check)
        metadata = {"violations": outcome.violations}
        if not outcome.passed:
            metadata["sample"] = dg.MetadataValue.md(markdown_preview(outcome.sample))
        yield dg.AssetCheckResult(asset_key=check.table, check_name=_short_name(check), passed=outcome.passed,
                                  metadata=metadata)
