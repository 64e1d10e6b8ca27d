"""The one Definitions object: what `dagster dev -w workspace.yaml` and `patentwire run` load."""

from __future__ import annotations

import os

import dagster as dg
from dagster_duckdb import DuckDBResource

from assets import export, extract, ingest, normalize, parse, warehouse
from assets.models import sql_model_assets
from assets.resources import PatentwireConfig
from patentwire.home import SOURCES_ENV, Home
from patentwire.project import DEFAULT_SOURCES
from patentwire.warehouse import writer_config
from pipelines.automation import daily_crawl, follow_new_data, inbox_sensor
from pipelines.backfill import backfill_job, source_partitions


def all_assets() -> list:
    stage_assets = dg.load_assets_from_modules([ingest, parse, extract, normalize, warehouse])
    return [*stage_assets, *sql_model_assets(), export.parquet_exports]


def resources(home: Home, sources: str) -> dict:
    return {
        "patentwire": PatentwireConfig(home=str(home.root), sources=sources),
        "duckdb": DuckDBResource(database=str(home.warehouse), connection_config=writer_config()),
        "io_manager": dg.FilesystemIOManager(base_dir=str(home.staging)),
    }


EXECUTOR_ENV = "PATENTWIRE_EXECUTOR"  # in_process (default) | multiprocess | celery
CELERY_BROKER_ENV = "PATENTWIRE_CELERY_BROKER"  # e.g. redis://redis:6379/0
CELERY_BACKEND_ENV = "PATENTWIRE_CELERY_BACKEND"  # e.g. redis://redis:6379/1


def chosen_executor() -> dg.ExecutorDefinition:
    """The executor of every job: in-process by default, celery workers (dagster-celery) in a team deployment."""
    name = os.environ.get(EXECUTOR_ENV, "in_process").strip() or "in_process"
    if name == "in_process":
        return dg.in_process_executor
    if name == "multiprocess":
        return dg.multiprocess_executor
    if name == "celery":
        from dagster_celery import celery_executor  # installed with the `team` extra

        return celery_executor.configured({"broker": {"env": CELERY_BROKER_ENV},
                                           "backend": {"env": CELERY_BACKEND_ENV}})
    raise ValueError(f"{EXECUTOR_ENV}={name!r}: choose in_process, multiprocess or celery")


def build_definitions(home: str | None = None, sources: str | None = None,
                      loggers: dict | None = None) -> dg.Definitions:
    """Definitions for one home and sources file (defaults: $PATENTWIRE_HOME, $PATENTWIRE_SOURCES, samples)."""
    resolved_home = Home.resolve(home)
    resolved_sources = sources or os.environ.get(SOURCES_ENV) or str(DEFAULT_SOURCES)
    assets = all_assets()
    everything = dg.define_asset_job("patentwire", selection=dg.AssetSelection.all(),
                                     description="Discover, fetch, parse, extract, normalize, load, model, export.")
    partitions = source_partitions(resolved_sources)
    jobs = [everything, *([backfill_job(partitions)] if partitions else [])]
    return dg.Definitions(
        assets=assets,
        jobs=jobs,
        schedules=[daily_crawl(everything)],
        sensors=[inbox_sensor(everything), follow_new_data()],
        resources=resources(resolved_home, resolved_sources),
        # Every step is in the one-slot "duckdb" pool, so steps run one after another anyway; in one process
        # they skip the ~4 s start of a step process each. The pool still serializes against other runs.
        # A team deployment picks the celery executor by setting (see chosen_executor).
        executor=chosen_executor(),
        loggers=loggers,
    )


defs = build_definitions()
