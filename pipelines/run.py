"""`patentwire run`: materialize every asset in process, print progress and a summary.

The `patentwire` CLI finds `main` through the `patentwire.launchers` entry point (pyproject.toml), so the
core never names this package.

Exit codes (also in `patentwire run --help` and the README): 0 every step succeeded; 1 a step failed;
3 the run finished but every source failed; 130 stopped by Ctrl-C or SIGTERM (the run is recorded as
canceled). One run at a time per home: a second run waits for the first (patentwire/runlock.py), and each
run first ends what a dead run left behind (pipelines/recovery.py).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
from dagster._core.utils import make_new_run_id

from assets.models import model_names
from patentwire.home import Home
from patentwire.inbox import with_inbox
from patentwire.progress import listening
from patentwire.report import failed_sources_since, fetch_failures_since, table_rows
from patentwire.runlock import home_lock, wait_message
from patentwire.sources import SourcesConfig, load_sources
from patentwire.sources.advice import failure_hint
from patentwire.tables import core_tables
from patentwire.warehouse import open_reader
from pipelines.console import RunConsole, RunEvents, console_logger, interrupted
from pipelines.definitions import build_definitions
from pipelines.recovery import CLI_LAUNCHER, LAUNCHED_BY_TAG, PID_TAG, recover_home

EXIT_OK, EXIT_STEP_FAILED, EXIT_ALL_SOURCES_FAILED, EXIT_INTERRUPTED = 0, 1, 3, 130
OUTCOMES = ("new", "changed", "unchanged", "failed")


@dataclass
class RunSummary:
    success: bool
    events: RunEvents = field(default_factory=RunEvents)
    table_rows: dict[str, int] = field(default_factory=dict)
    fetch_failures: list[tuple[str, str, int]] = field(default_factory=list)
    hints: dict[str, str] = field(default_factory=dict)  # source -> how to fix its failures
    dagster_ready: float | None = None  # seconds from the start until Dagster ran the first step
    sources: list[str] = field(default_factory=list)  # the enabled sources of the run
    failed_sources: list[str] = field(default_factory=list)  # those that tried and read nothing
    home: Home | None = None

    @property
    def steps_failed(self) -> list[str]:
        return self.events.steps_failed

    @property
    def every_source_failed(self) -> bool:
        return bool(self.sources) and set(self.sources) <= set(self.failed_sources)

    @property
    def exit_code(self) -> int:
        if not self.success or self.steps_failed:
            return EXIT_STEP_FAILED
        return EXIT_ALL_SOURCES_FAILED if self.every_source_failed else EXIT_OK

    def render(self, seconds: float) -> str:
        events = self.events
        ready = f" (Dagster started in {self.dagster_ready:.1f}s)" if self.dagster_ready is not None else ""
        verdict = {EXIT_OK: "succeeded", EXIT_STEP_FAILED: "finished with failures",
                   EXIT_ALL_SOURCES_FAILED: "finished, but every source failed"}[self.exit_code]
        lines = ["", f"patentwire run {verdict} in {seconds:.1f}s"
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
            lines.append(f"  pages: {pages} (skipped: not due for a revisit yet, or retired: "
                         f"{events.count('fetch_log', 'pages retired')} retired)")
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


def run_pipeline(home: Home, sources: Path, instance: dg.DagsterInstance, run_id: str,
                 started: float | None = None, console: RunConsole | None = None) -> RunSummary:
    """Every asset of the `patentwire` job in this process; `started` (epoch seconds) is when the command began.

    KeyboardInterrupt when the run was stopped (Ctrl-C, SIGTERM), also when Dagster turned it into a failed step.
    """
    started = started or time.time()
    started_at = datetime.now(UTC)
    console = console or RunConsole(started)
    definitions = build_definitions(str(home.root), str(sources), loggers={"console": console_logger(console)})
    job = definitions.resolve_job_def("patentwire")
    dagster_ready = time.time() - started
    console.line(f"Dagster ready: {len(job.asset_layer.executable_asset_keys)} assets and "
                 f"{len(job.asset_layer.asset_graph.asset_check_keys)} checks to run")
    # Our own logger replaces Dagster's console logger: one line per asset instead of every event.
    with console, listening(console.stage_progress):
        result = job.execute_in_process(instance=instance, raise_on_error=False, run_id=run_id,
                                        tags={LAUNCHED_BY_TAG: CLI_LAUNCHER, PID_TAG: str(os.getpid())},
                                        run_config={"loggers": {"console": {}}})
    if any(interrupted(event) for event in result.all_events if event.event_type_value == "STEP_FAILURE"):
        raise KeyboardInterrupt  # Dagster turned the signal into a failed step; it stops the whole run
    config = load_sources(sources)
    summary = RunSummary(result.success, console.events, dagster_ready=dagster_ready, home=home,
                         sources=[source.name for source in with_inbox(config, home.inbox).enabled_sources])
    if home.warehouse.exists():
        with open_reader(home.warehouse, home.snapshot) as con:
            summary.table_rows = table_rows(con, [*(doc.name for doc in core_tables()), *model_names()])
            summary.fetch_failures = fetch_failures_since(con, started_at)
            summary.failed_sources = failed_sources_since(con, started_at)
        summary.hints = failure_hints(config, summary.fetch_failures)
    return summary


def _stop_on_sigterm() -> None:
    """SIGTERM (systemd, docker, kill) stops a run the way Ctrl-C does: recorded as canceled.

    It is passed on as SIGINT, so that inside a step Dagster's own interrupt handling ends the step.
    """
    def interrupt(_signum, _frame):
        if signal.getsignal(signal.SIGINT) in (signal.SIG_IGN, signal.SIG_DFL, None):
            raise KeyboardInterrupt  # SIGINT is ignored (a background job): stop here ourselves
        signal.raise_signal(signal.SIGINT)
    signal.signal(signal.SIGTERM, interrupt)


def _record_canceled(instance: dg.DagsterInstance, run_id: str) -> None:
    """Mark the interrupted run canceled and free its pool slots."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not leave the run half recorded
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    run = instance.get_run_by_id(run_id)
    if run is not None and run.status != dg.DagsterRunStatus.CANCELED:
        # also when Dagster already ended it as failed: the steps did not fail, the run was stopped
        instance.report_run_canceled(run, message="Stopped by Ctrl-C or SIGTERM on `patentwire run`.")
    instance.event_log_storage.free_concurrency_slots_for_run(run_id)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines.run")
    parser.add_argument("--home", required=True)
    parser.add_argument("--sources", required=True)
    parser.add_argument("--started", type=float, default=None, help="epoch seconds the command started at")
    args = parser.parse_args(argv)
    home = Home.resolve(args.home).ensure()
    started = args.started or time.time()
    _stop_on_sigterm()
    instance = run_id = None
    try:
        with home_lock(home.root, on_wait=lambda holder: print(wait_message(home.root, holder), flush=True)):
            instance, recovery = recover_home(home)
            if recovery.describe():
                print(recovery.describe(), flush=True)
            run_id = make_new_run_id()
            summary = run_pipeline(home, Path(args.sources), instance, run_id, started)
            print(summary.render(time.time() - started), flush=True)
            return summary.exit_code
    except KeyboardInterrupt:
        if instance is not None and run_id is not None:
            _record_canceled(instance, run_id)
        print(f"\npatentwire run stopped{f' (run {run_id[:8]} recorded as canceled)' if run_id else ''}; "
              f"the warehouse keeps what the finished steps loaded.", file=sys.stderr, flush=True)
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
