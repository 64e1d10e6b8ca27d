"""Resources the assets ask for; `pipelines/` configures them."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb
from dagster_duckdb import DuckDBResource

from patentwire.fetch import HttpClient, PageStore
from patentwire.home import Home
from patentwire.inbox import with_inbox
from patentwire.sources import SourcesConfig, load_sources
from patentwire.warehouse import migrate, publish_snapshot
from patentwire.warehouse.versions import change_count


# The concurrency pool of every step that opens the warehouse: DuckDB allows one writer process per file,
# so the instance limits the pool to one step at a time (pipelines/instance.py).
WAREHOUSE_POOL = "duckdb"


class PatentwireConfig(dg.ConfigurableResource):
    """Where patentwire keeps its state and which sources it crawls."""

    home: str
    sources: str

    @property
    def paths(self) -> Home:
        return Home.resolve(self.home)

    def load_sources(self, only: str | None = None) -> SourcesConfig:
        """sources.yaml plus the home's inbox folder; `only` keeps one source (a per-source partition)."""
        config = with_inbox(load_sources(Path(self.sources)), self.paths.inbox)
        if only is None:
            return config
        chosen = config.source(only)
        if chosen is None:
            raise ValueError(f"source {only!r} is not in {self.sources} (nor the inbox); "
                             f"backfill one of: {', '.join(s.name for s in config.sources)}")
        return config.model_copy(update={"sources": [chosen]})

    def page_store(self) -> PageStore:
        return PageStore(self.paths.pages)


# For what fails and then works a minute later: a source's server hiccup, the warehouse file lock
# held by a reader. A real bug fails three times in ~15 s and the run shows it.
TRANSIENT_RETRY = dg.RetryPolicy(max_retries=2, delay=5, backoff=dg.Backoff.EXPONENTIAL)

# Stages after the fetch follow new pages on their own (the automation condition sensor evaluates
# this): a per-source backfill or a fetch flows through to the warehouse, models and exports.
FOLLOW_NEW_DATA = dg.AutomationCondition.eager()


@contextmanager
def warehouse_writer(duckdb_resource: DuckDBResource, config: PatentwireConfig) -> Iterator[duckdb.DuckDBPyConnection]:
    """The warehouse's one writer: migrated on open, snapshot republished after a clean write that changed a table."""
    with duckdb_resource.get_connection() as con:
        try:
            migrate(con)
            before = change_count(con)
            yield con
            # a step that changed nothing leaves the snapshot as it is: no copy of an unchanged file
            if change_count(con) != before or not config.paths.snapshot.exists():
                publish_snapshot(con, config.paths.snapshot)  # checkpoints first
        finally:
            con.close()


@contextmanager
def http_client(sources: SourcesConfig) -> Iterator[HttpClient]:
    client = HttpClient(sources.fetch, sources.host_policies)
    try:
        yield client
    finally:
        client.close()
