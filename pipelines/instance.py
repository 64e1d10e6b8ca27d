"""The Dagster instance configuration patentwire writes into its home (plain YAML: no Dagster import needed)."""

from __future__ import annotations

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
        "telemetry": {"enabled": False},
        "nux": {"enabled": False},
    }


def write_dagster_yaml(home: Home) -> Path:
    """Write HOME/dagster/dagster.yaml (idempotent) and return the folder to use as DAGSTER_HOME."""
    home.dagster.mkdir(parents=True, exist_ok=True)
    path = home.dagster / "dagster.yaml"
    text = "# Written by patentwire; edits are overwritten on the next run.\n" + yaml.safe_dump(
        dagster_yaml(home), sort_keys=False)
    if not path.exists() or path.read_text("utf-8") != text:
        path.write_text(text, "utf-8")
    return home.dagster
