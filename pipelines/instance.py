"""The Dagster instance configuration patentwire writes into its home (plain YAML: no Dagster import needed)."""

from __future__ import annotations

import os
from pathlib import Path

import yaml

from patentwire.home import Home

MAX_CONCURRENT_RUNS = 4


def dagster_yaml(home: Home) -> dict:
    """Storage under the home, the warehouse pool limited to one op at a time, a bounded run queue."""
    base = home.dagster
    return {
        "storage": {"sqlite": {"base_dir": str(base / "storage")}},
        "local_artifact_storage": {
            "module": "dagster._core.storage.root",
            "class": "LocalArtifactStorage",
            "config": {"base_dir": str(base)},
        },
        "compute_logs": {
            "module": "dagster._core.storage.local_compute_log_manager",
            "class": "LocalComputeLogManager",
            "config": {"base_dir": str(base / "logs")},
        },
        "concurrency": {
            "pools": {"default_limit": 1},  # the warehouse pool: DuckDB allows one writer
            "runs": {"max_concurrent_runs": MAX_CONCURRENT_RUNS},
        },
        # The daemon of `patentwire ui` ends runs stuck starting or canceling and frees the pool slots of
        # ended runs; `patentwire run` sweeps what its own dead runs left (pipelines/recovery.py).
        "run_monitoring": {
            "enabled": True,
            "start_timeout_seconds": 300,
            "cancel_timeout_seconds": 300,
            "max_resume_run_attempts": 0,
            "poll_interval_seconds": 30,
            "free_slots_after_run_end_seconds": 60,
        },
        "telemetry": {"enabled": False},
        "nux": {"enabled": False},
    }


WRITTEN_BY_PATENTWIRE = "# Written by patentwire; edits are overwritten on the next run."


def write_dagster_yaml(home: Home) -> Path:
    """The folder to use as DAGSTER_HOME: the operator's, else HOME/dagster with patentwire's dagster.yaml.

    An operator takes control by setting $DAGSTER_HOME to a folder holding their own dagster.yaml (say
    deploy/dagster.yaml: PostgreSQL storage), or by deleting the first line of HOME/dagster/dagster.yaml:
    a file without that line is never rewritten."""
    operator = os.environ.get("DAGSTER_HOME")
    if operator and (Path(operator) / "dagster.yaml").exists():
        return Path(operator)
    home.dagster.mkdir(parents=True, exist_ok=True)
    path = home.dagster / "dagster.yaml"
    text = WRITTEN_BY_PATENTWIRE + "\n" + yaml.safe_dump(dagster_yaml(home), sort_keys=False)
    if path.exists() and not path.read_text("utf-8").startswith(WRITTEN_BY_PATENTWIRE):
        return home.dagster  # the operator's own file
    if not path.exists() or path.read_text("utf-8") != text:
        path.write_text(text, "utf-8")
    return home.dagster
