"""`patentwire run`: materialize every asset in process, print progress and a summary.

The `patentwire` CLI finds `main` through the `patentwire.launchers` entry point (pyproject.toml), so the
core never names this package.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg

from assets.models import model_names
from patentwire.home import Home
from patentwire.progress import listening
from patentwire.report import fetch_failures_since, table_rows
from patentwire.sources import SourcesConfig, load_sources
from patentwire.sources.advice import failure_hint
from patentwire.tables import core_tables
from patentwire.warehouse import open_reader
from pipelines.console import RunConsole, RunEvents, console_logger
from pipelines.definitions import build_definitions
from pipelines.instance import write_dagster_yaml

OUTCOMES = ("new", "changed", "unchanged", "failed")


@dataclass
class RunSummary:
    success: bool
    events: RunEvents = field(default_factory=RunEvents)
    table_rows: dict[str, int] = field(default_factory=dict)
    fetch_failures: list[tuple[str, str, int]] = field(default_factory=list)
    hints: dict[str, str] = field(default_factory=dict)  # source -> how to fix its failures
    dagster_ready: float | None = None  # seconds from the start until Dagster ran the first step
    home: Home | None = None

    @property
    def steps_failed(self) -> list[str]:
        return self.events.steps_failed

    def render(self, seconds: float) -> str:
        events = self.events
        ready = f" (Dagster started in {self.dagster_ready:.1f}s)" if self.dagster_ready is not None else ""
        lines = ["", f"patentwire run {'succeeded' if self.success else 'finished with failures'} in {seconds:.1f}s"
                     f"{ready}: {len(events.assets_done)} assets, {events.checks_passed} checks passed, "
                     f"{len(events.steps_failed) + len(events.checks_failed)} failed"]
        lines += [f"  failed: {step}" for step in events.steps_failed]
        lines += [f"  check failed: {check}" for check in events.checks_failed]
        if "discovered_urls" in events.metadata:
            documents = ", ".join(f"{events.count('discovered_urls', f'documents_{o}')} {o}" for o in OUTCOMES[:3])
            lines.append(f"  discovery: {events.count('discovered_urls', 'urls')} article URLs; feeds, sitemaps "
                         f"and listings {documents}, {events.count('discovered_urls', 'discovery_failures')} failed")
        if "fetch_log" in events.metadata:
            pages = ", ".join(f"{events.count('fetch_log', f'pages {o}')} {o}" for o in (*OUTCOMES, "skipped"))
            lines.append(f"  pages: {pages} (skipped: fetched within the refresh period)")
        rows = self.table_rows
        if rows:
            lines.append(f"  articles: {rows.get('articles', 0)}, deals: {rows.get('deals', 0)}, "
                         f"patent counts: {rows.get('patent_counts', 0)}")
            lines.append("  tables: " + ", ".join(f"{t} {n}" for t, n in rows.items()))
        for source, reason, attempts in self.fetch_failures:
            lines.append(f"  source {source}: {attempts} fetch{'es' if attempts > 1 else ''} failed ({reason})")
            if source in self.hints:
                lines.append(f"    hint: {self.hints[source]}")
        if self.home:
            lines.append(f"  warehouse: {self.home.warehouse}")
            lines.append(f"  read-only snapshot for SQL: {self.home.snapshot}")
            lines.append(f"  Parquet exports: {self.home.exports}")
        return "\n".join(lines)


def failure_hints(config: SourcesConfig, failures: list[tuple[str, str, int]]) -> dict[str, str]:
    """For each failing source, how to fix it where the reason and the source's location say."""
    hints = {}
    for name, reason, _ in failures:
        source = config.source(name)
        hint = failure_hint(reason, (source.url or next(iter(source.urls or []), None)) if source else None)
        if hint:
            hints.setdefault(name, hint)
    return hints


def run_pipeline(home: Home, sources: Path, started: float | None = None,
                 console: RunConsole | None = None) -> RunSummary:
    """Every asset of the `patentwire` job in this process; `started` (epoch seconds) is when the command began."""
    started = started or time.time()
    started_at = datetime.now(UTC)
    console = console or RunConsole(started)
    instance = dg.DagsterInstance.from_config(str(write_dagster_yaml(home)))
    definitions = build_definitions(str(home.root), str(sources), loggers={"console": console_logger(console)})
    job = definitions.resolve_job_def("patentwire")
    dagster_ready = time.time() - started
    console.line(f"Dagster ready: {len(job.asset_layer.executable_asset_keys)} assets and "
                 f"{len(job.asset_layer.asset_graph.asset_check_keys)} checks to run")
    # Our own logger replaces Dagster's console logger: one line per asset instead of every event.
    with console, listening(console.stage_progress):
        result = job.execute_in_process(instance=instance, raise_on_error=False,
                                        run_config={"loggers": {"console": {}}})
    summary = RunSummary(result.success, console.events, dagster_ready=dagster_ready, home=home)
    if home.warehouse.exists():
        with open_reader(home.warehouse, home.snapshot) as con:
            summary.table_rows = table_rows(con, [*(doc.name for doc in core_tables()), *model_names()])
            summary.fetch_failures = fetch_failures_since(con, started_at)
        summary.hints = failure_hints(load_sources(sources), summary.fetch_failures)
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines.run")
    parser.add_argument("--home", required=True)
    parser.add_argument("--sources", required=True)
    parser.add_argument("--started", type=float, default=None, help="epoch seconds the command started at")
    args = parser.parse_args(argv)
    home = Home.resolve(args.home).ensure()
    started = args.started or time.time()
    summary = run_pipeline(home, Path(args.sources), started)
    print(summary.render(time.time() - started), flush=True)
    return 0 if summary.success else 1


if __name__ == "__main__":
    sys.exit(main())
