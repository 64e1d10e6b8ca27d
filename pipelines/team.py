"""`python -m pipelines.team --home DIR --sources FILE`: one run on the team deployment's engines.

The run's steps go to the celery workers ($PATENTWIRE_EXECUTOR=celery), its events to the instance of
$DAGSTER_HOME (deploy/dagster.yaml: PostgreSQL). The job is reconstructable from this module, so every
worker loads the same Definitions from the same settings.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

import dagster as dg

from patentwire.home import HOME_ENV, SOURCES_ENV, Home
from pipelines.definitions import build_definitions


def patentwire_job() -> dg.JobDefinition:
    """The whole pipeline, for the home and sources in the environment (what the workers load too)."""
    return build_definitions().resolve_job_def("patentwire")


def run_on_team_engines(home: Home, sources: str) -> dg.ExecuteJobResult:
    os.environ[HOME_ENV], os.environ[SOURCES_ENV] = str(home.root), sources
    instance = dg.DagsterInstance.get()  # $DAGSTER_HOME/dagster.yaml, the operator's
    # by module name, not __main__: the workers import the job the same way
    job = dg.reconstructable(importlib.import_module("pipelines.team").patentwire_job)
    with dg.execute_job(job, instance=instance, raise_on_error=False) as result:
        return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines.team")
    parser.add_argument("--home", required=True)
    parser.add_argument("--sources", required=True)
    args = parser.parse_args(argv)
    if "DAGSTER_HOME" not in os.environ:
        parser.error("set DAGSTER_HOME to the folder of the deployment's dagster.yaml (see deploy/)")
    result = run_on_team_engines(Home.resolve(args.home).ensure(), os.path.abspath(args.sources))
    failed = [event.step_key for event in result.all_events if event.event_type_value == "STEP_FAILURE"]
    print(f"run {result.run_id}: {'succeeded' if result.success else 'failed'}"
          + (f" (failed steps: {', '.join(failed)})" if failed else ""))
    return 0 if result.success else 1


if __name__ == "__main__":
    sys.exit(main())
