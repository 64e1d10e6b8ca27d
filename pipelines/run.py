"""`patentwire run`: materialize every asset in process, print progress and a summary.

The `patentwire` CLI finds `main` through the `patentwire.launchers` entry point (pyproject.toml), so the
core never names this package.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg

from assets.models import model_names
from patentwire.home import Home
from patentwire.report import fetch_failures_since, table_rows
from patentwire.tables import core_tables
from patentwire.warehouse import open_reader
from pipelines.definitions import build_definitions
from pipelines.instance import write_dagster_yaml


class ProgressHandler(logging.Handler):
    """Prints one line per finished step from Dagster's event log records."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.started = time.monotonic()

    def emit(self, record: logging.LogRecord) -> None:
        event = getattr(record, "dagster_meta", {}).get("dagster_event")
        if event is None:
            return
        elapsed = time.monotonic() - self.started
        if event.event_type_value == "STEP_SUCCESS":
            print(f"[{elapsed:6.1f}s] done    {event.step_key}", flush=True)
        elif event.event_type_value == "STEP_FAILURE":
            print(f"[{elapsed:6.1f}s] FAILED  {event.step_key}: {_failure_message(event)}", flush=True)
        elif event.event_type_value == "ASSET_CHECK_EVALUATION" and not event.event_specific_data.passed:
            key = event.event_specific_data.asset_check_key
            print(f"[{elapsed:6.1f}s] check failed: {key.asset_key.to_user_string()} {key.name}", flush=True)


@dg.logger(description="One line per finished step, for `patentwire run`.")
def progress_logger(_init_context) -> logging.Logger:
    logger = logging.getLogger("patentwire.progress")
    logger.setLevel(logging.DEBUG)  # Dagster logs its step events at DEBUG
    logger.propagate = False
    if not logger.handlers:
        logger.addHandler(ProgressHandler())
    return logger


def _failure_message(event: dg.DagsterEvent) -> str:
    error = getattr(event.event_specific_data, "error", None)
    return error.message.strip().splitlines()[-1] if error else "see the Dagster logs"


@dataclass
class RunSummary:
    success: bool
    steps_succeeded: int
    steps_failed: list[str] = field(default_factory=list)
    table_rows: dict[str, int] = field(default_factory=dict)
    fetch_failures: list[tuple[str, str, int]] = field(default_factory=list)
    home: Home | None = None

    def render(self, seconds: float) -> str:
        lines = ["", f"patentwire run {'succeeded' if self.success else 'finished with failures'} "
                     f"in {seconds:.1f}s: {self.steps_succeeded} steps done, {len(self.steps_failed)} failed"]
        for step in self.steps_failed:
            lines.append(f"  failed: {step}")
        rows = self.table_rows
        if rows:
            lines.append(f"  articles read: {rows.get('articles', 0)}, deals: {rows.get('deals', 0)}, "
                         f"patent counts: {rows.get('patent_counts', 0)}")
            lines.append("  tables: " + ", ".join(f"{t} {n}" for t, n in rows.items()))
        for source, reason, attempts in self.fetch_failures:
            lines.append(f"  source {source}: {attempts} fetch{'es' if attempts > 1 else ''} failed ({reason})")
        if self.home:
            lines.append(f"  warehouse: {self.home.warehouse}")
            lines.append(f"  read-only snapshot for SQL: {self.home.snapshot}")
            lines.append(f"  Parquet exports: {self.home.exports}")
        return "\n".join(lines)


def run_pipeline(home: Home, sources: Path) -> RunSummary:
    started_at = datetime.now(UTC)
    instance = dg.DagsterInstance.from_config(str(write_dagster_yaml(home)))
    definitions = build_definitions(str(home.root), str(sources), loggers={"progress": progress_logger})
    job = definitions.resolve_job_def("patentwire")
    # Our own logger replaces Dagster's console logger: one line per step instead of every event.
    result = job.execute_in_process(instance=instance, raise_on_error=False, run_config={"loggers": {"progress": {}}})
    failed = [event.step_key for event in result.all_events if event.event_type_value == "STEP_FAILURE"]
    succeeded = sum(event.event_type_value == "STEP_SUCCESS" for event in result.all_events)
    summary = RunSummary(result.success, succeeded, failed, home=home)
    if home.warehouse.exists():
        with open_reader(home.warehouse, home.snapshot) as con:
            summary.table_rows = table_rows(con, [*(doc.name for doc in core_tables()), *model_names()])
            summary.fetch_failures = fetch_failures_since(con, started_at)
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines.run")
    parser.add_argument("--home", required=True)
    parser.add_argument("--sources", required=True)
    args = parser.parse_args(argv)
    home = Home.resolve(args.home).ensure()
    started = time.monotonic()
    summary = run_pipeline(home, Path(args.sources))
    print(summary.render(time.monotonic() - started))
    return 0 if summary.steps_succeeded else 1


if __name__ == "__main__":
    sys.exit(main())
