"""What `patentwire run` shows while it runs: one line per finished asset, progress bars on a terminal.

Dagster's event log drives the lines (our logger replaces its console logger); the core's stage progress
(patentwire/progress.py) drives the bars, which rich draws only when stdout is a terminal, so a pipe or a
log file gets plain lines.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import IO

import dagster as dg
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeRemainingColumn

STAGE_LABELS = {"fetch": "fetching pages", "parse": "parsing pages", "extract": "extracting facts"}


@dataclass
class RunEvents:
    """What the event log said: finished assets and their metadata, checks, failures."""

    assets_done: list[str] = field(default_factory=list)
    steps_failed: list[str] = field(default_factory=list)
    checks_passed: int = 0
    checks_failed: list[str] = field(default_factory=list)
    metadata: dict[str, dict[str, object]] = field(default_factory=dict)  # asset -> latest materialization's

    def count(self, asset: str, name: str) -> int:
        value = self.metadata.get(asset, {}).get(name)
        return int(value) if isinstance(value, int | float) else 0


class RunConsole:
    """Prints the run as it happens; `elapsed` counts from the process start, not from Dagster's."""

    def __init__(self, started: float, stream: IO[str] | None = None) -> None:
        self.started = started
        self.console = Console(file=stream or own_stdout(), highlight=False, markup=False, soft_wrap=True)
        self.bars = Progress(TextColumn("{task.description:<17}"), BarColumn(), MofNCompleteColumn(),
                             TimeRemainingColumn(compact=True), console=self.console, transient=True,
                             disable=not self.console.is_terminal)
        self.tasks: dict[str, TaskID] = {}
        self.events = RunEvents()
        self._assets_of_step: dict[str, list[str]] = defaultdict(list)
        self._checks_of_step: dict[str, int] = defaultdict(int)

    def __enter__(self) -> RunConsole:
        self.bars.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.bars.stop()

    def line(self, text: str) -> None:
        self.bars.console.print(f"[{time.time() - self.started:6.1f}s] {text}", markup=False, highlight=False)

    # --- the core's stage progress ----------------------------------------------------------------

    def stage_progress(self, stage: str, done: int, total: int) -> None:
        if self.bars.disable or total == 0:
            return
        if stage not in self.tasks or done == 0:
            if stage in self.tasks:
                self.bars.remove_task(self.tasks[stage])
            self.tasks[stage] = self.bars.add_task(STAGE_LABELS.get(stage, stage), total=total)
        self.bars.update(self.tasks[stage], completed=done)
        if done >= total:
            self.bars.remove_task(self.tasks.pop(stage))

    # --- Dagster's event log ----------------------------------------------------------------------

    def on_event(self, event: dg.DagsterEvent) -> None:
        kind = event.event_type_value
        data = event.event_specific_data
        if kind == "ASSET_MATERIALIZATION":
            name = data.materialization.asset_key.to_user_string()
            self._assets_of_step[event.step_key].append(name)
            self.events.metadata[name] = {key: getattr(value, "value", value)
                                          for key, value in data.materialization.metadata.items()}
        elif kind == "ASSET_CHECK_EVALUATION":
            self._checks_of_step[event.step_key] += 1
            if data.passed:
                self.events.checks_passed += 1
            else:
                key = data.asset_check_key
                self.events.checks_failed.append(f"{key.asset_key.to_user_string()} {key.name}")
                self.line(f"check failed: {key.asset_key.to_user_string()} {key.name}")
        elif kind == "STEP_SUCCESS":
            assets = self._assets_of_step.pop(event.step_key, [])
            self.events.assets_done.extend(assets)
            if assets:
                self.line(f"done    {', '.join(assets)}{self._detail(assets)}")
            elif not self._checks_of_step.get(event.step_key):  # an asset stored by an IO manager
                self.events.assets_done.append(event.step_key)
                self.line(f"done    {event.step_key}")
        elif kind == "STEP_FAILURE" and not interrupted(event):  # a stopped run says so once, at the end
            self.events.steps_failed.append(event.step_key)
            self.line(f"FAILED  {event.step_key}: {failure_message(event)}")

    def _detail(self, assets: list[str]) -> str:
        """A few words on what the asset did, for the assets whose counts say something."""
        count = self.events.count
        if "fetch_log" in assets:
            return (f"  (pages: {count('fetch_log', 'pages new')} new, {count('fetch_log', 'pages changed')} "
                    f"changed, {count('fetch_log', 'pages unchanged')} unchanged, "
                    f"{count('fetch_log', 'pages skipped')} skipped, {count('fetch_log', 'pages failed')} failed)")
        if "discovered_urls" in assets:
            return f"  ({count('discovered_urls', 'urls')} article URLs)"
        if "extractions" in assets:
            return f"  ({count('extractions', 'articles_extracted')} articles extracted)"
        if "articles" in assets:
            return f"  ({count('articles', 'pages_parsed')} pages parsed)"
        return ""


def own_stdout() -> IO[str]:
    """Standard output as it is now, on a file descriptor of our own.

    While a step runs, Dagster tees fd 1 into its compute log, so a terminal would look like a pipe (no bars)
    and the lines would land in the log of whichever step is running.
    """
    sys.stdout.flush()
    return os.fdopen(os.dup(sys.stdout.fileno()), "w", buffering=1, encoding=sys.stdout.encoding or "utf-8",
                     errors="replace")


INTERRUPT_ERRORS = {"DagsterExecutionInterruptedError", "KeyboardInterrupt"}


def interrupted(event: dg.DagsterEvent) -> bool:
    """A step that failed because the run was stopped (Ctrl-C, SIGTERM), not because of its own fault."""
    error = getattr(event.event_specific_data, "error", None)
    while error is not None:
        if error.cls_name in INTERRUPT_ERRORS:
            return True
        error = error.cause
    return False


def failure_message(event: dg.DagsterEvent) -> str:
    error = getattr(event.event_specific_data, "error", None)
    return error.message.strip().splitlines()[-1] if error else "see the Dagster logs"


class ConsoleHandler(logging.Handler):
    """Hands Dagster's event records to the run console."""

    def __init__(self, console: RunConsole) -> None:
        super().__init__(logging.DEBUG)
        self.console = console

    def emit(self, record: logging.LogRecord) -> None:
        event = getattr(record, "dagster_meta", {}).get("dagster_event")
        if event is not None:
            self.console.on_event(event)


def console_logger(console: RunConsole) -> dg.LoggerDefinition:
    @dg.logger(description="One line per finished asset, for `patentwire run`.")
    def _logger(_init_context) -> logging.Logger:
        logger = logging.getLogger("patentwire.run")
        logger.setLevel(logging.DEBUG)  # Dagster logs its step events at DEBUG
        logger.propagate = False
        logger.handlers[:] = [ConsoleHandler(console)]
        return logger

    return _logger
