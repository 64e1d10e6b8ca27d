"""Resources the assets ask for; `pipelines/` configures them."""


from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb
from dagster_duckdb import DuckDBResource

from patentwire.fetch import HttpClient, PageStore
from patentwire.home import Home
from patentwire.sources import SourcesConfig, load_sources
from patentwire.warehouse import migrate, publish_snapshot


class PatentwireConfig(dg.ConfigurableResource):
    """Where patentwire keeps its state and which sources it crawls."""

    home: str
    sources: str

    @property
    def paths(self) -> Home:
        return Home.resolve(self.home)

    def load_sources(self) -> SourcesConfig:
        return load_sources(Path(self.sources))

    def page_store(self) -> PageStore:
        return PageStore(self.paths.pages)


@contextmanager
def warehouse_writer(duckdb_resource: DuckDBResource, config: PatentwireConfig) -> Iterator[duckdb.DuckDBPyConnection]:
    """The warehouse's one writer: migrated on open, snapshot republished after a clean write."""
    with duckdb_resource.get_connection() as con:
        try:
            migrate(con)
            yield con
            con.execute("checkpoint")
            publish_snapshot(con, config.paths.snapshot)
        finally:
            con.close()


@contextmanager
def http_client(sources: SourcesConfig) -> Iterator[HttpClient]:
    client = HttpClient.from_config(sources)
    try:
        yield client
    finally:
        client.close()
