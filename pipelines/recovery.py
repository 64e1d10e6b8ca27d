"""Leave every home usable after a run that died: run storage repaired, stale runs ended, pool slots freed.

A run killed with kill -9 (OOM, power loss, a reboot) stays STARTED in Dagster's run storage and keeps
the `duckdb` pool slot of the step it was in; every later step on that home would wait for that slot
for ever. `patentwire run` calls `recover_home` while it holds the home's run lock, so every run it
finds in progress that `patentwire run` launched is known to be dead. Runs launched from the UI are
left to Dagster's own run monitoring (enabled in the home's dagster.yaml).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg
from alembic.config import Config
from alembic.script import ScriptDirectory
from dagster._core.storage.sql import ALEMBIC_SCRIPTS_LOCATION

from patentwire.home import Home
from pipelines.instance import write_dagster_yaml
from patentwire.runlock import HomeBusy, home_lock

LAUNCHED_BY_TAG = "patentwire/launched_by"
CLI_LAUNCHER = "patentwire run"
PID_TAG = "patentwire/pid"

_UNFINISHED = [dg.DagsterRunStatus.NOT_STARTED, dg.DagsterRunStatus.STARTING, dg.DagsterRunStatus.STARTED,
               dg.DagsterRunStatus.CANCELING]


@dataclass
class Recovery:
    """What `recover_home` repaired, for one line of output."""

    repaired_storage: list[str] = field(default_factory=list)
    stale_runs: list[str] = field(default_factory=list)
    freed_slots_of: list[str] = field(default_factory=list)

    def describe(self) -> str | None:
        parts = []
        if self.stale_runs:
            parts.append(f"marked {len(self.stale_runs)} run(s) of a process that died as failed "
                         f"({', '.join(run_id[:8] for run_id in self.stale_runs)})")
        if self.freed_slots_of:
            parts.append(f"freed the pool slots of {len(self.freed_slots_of)} ended run(s)")
        if self.repaired_storage:
            parts.append(f"repaired the schema version of {', '.join(self.repaired_storage)}")
        return "patentwire: " + "; ".join(parts) if parts else None


def open_instance(home: Home) -> dg.DagsterInstance:
    """The home's Dagster instance; call it holding the home's run lock, so storage is created once."""
    dagster_home = write_dagster_yaml(home)
    return dg.DagsterInstance.from_config(str(dagster_home))


def repair_schema_versions(dagster_home: Path) -> list[str]:
    """Collapse the several alembic heads that two processes creating one fresh storage can leave.

    Both processes create every table at the current schema and then stamp it; the loser's stamp adds a
    second row, after which Dagster refuses the storage ('more than one head present'). The tables are
    those of the head revision, so stamping the head alone is the truth.
    """
    config = Config()
    config.set_main_option("script_location", ALEMBIC_SCRIPTS_LOCATION)
    head = ScriptDirectory.from_config(config).get_current_head()
    repaired = []
    for database in sorted(dagster_home.glob("storage/**/*.db")):
        with sqlite3.connect(database) as con:
            try:
                versions = [row[0] for row in con.execute("select version_num from alembic_version")]
            except sqlite3.DatabaseError:
                continue  # no version table (yet): nothing stamped, nothing to repair
            if len(versions) > 1:
                con.execute("delete from alembic_version")
                con.execute("insert into alembic_version (version_num) values (?)", [head])
                repaired.append(str(database.relative_to(dagster_home)))
    return repaired


def launched_by_cli(run: dg.DagsterRun) -> bool:
    """Runs `patentwire run` started: tagged so since this module exists, untagged before."""
    tags = run.tags or {}
    return tags.get(LAUNCHED_BY_TAG) == CLI_LAUNCHER or not any(key.startswith("dagster/") for key in tags)


def _unfinished_cli_runs(instance: dg.DagsterInstance) -> Iterator[dg.DagsterRun]:
    for run in instance.get_runs(filters=dg.RunsFilter(statuses=_UNFINISHED)):
        if launched_by_cli(run):
            yield run


def recover_home(home: Home) -> tuple[dg.DagsterInstance, Recovery]:
    """Open the instance and end what dead runs left behind. Call it holding the home's run lock."""
    recovery = Recovery(repaired_storage=repair_schema_versions(home.dagster))
    instance = open_instance(home)
    for run in _unfinished_cli_runs(instance):
        pid = (run.tags or {}).get(PID_TAG, "?")
        instance.report_run_failed(run, message=f"The patentwire run process (pid {pid}) ended without finishing "
                                                f"this run (killed, or the machine stopped); marked failed "
                                                f"by the next run on this home.")
        recovery.stale_runs.append(run.run_id)
    storage = instance.event_log_storage
    for run_id in sorted(storage.get_concurrency_run_ids()):
        run = instance.get_run_by_id(run_id)
        if run is None or run.is_finished:
            storage.free_concurrency_slots_for_run(run_id)
            recovery.freed_slots_of.append(run_id)
    return instance, recovery


def recover_home_unless_busy(home: Home) -> tuple[dg.DagsterInstance | None, Recovery | None]:
    """`recover_home` unless a live `patentwire run` holds the home (its storage exists, nothing is stale)."""
    try:
        with home_lock(home.root, wait=False):
            return recover_home(home)
    except HomeBusy:
        return None, None
