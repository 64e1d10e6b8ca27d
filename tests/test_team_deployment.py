"""The team deployment runs here for real: Dagster storage on a real PostgreSQL, the steps on two celery
workers with a real Redis broker, all on 127.0.0.1, and the run gives the embedded default's tables."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest

from patentwire.project import DEFAULT_SOURCES, ROOT
from ports import free_port

pytestmark = pytest.mark.slow

PG_BIN = next((path for path in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)), None)
REDIS = shutil.which("redis-server")
needs_services = pytest.mark.skipif(
    PG_BIN is None or REDIS is None,
    reason="needs Debian's postgresql and redis-server (apt-get install postgresql redis-server; .ci/run does)")

# columns that hold the time of the run (or an id made from it) and so differ between any two runs
RUN_TIME_COLUMNS = {"parsed_at", "extracted_at", "fetched_at", "discovered_at", "attempt_id", "elapsed_ms"}
COMPARED = ["articles", "page_parses", "extractions", "companies", "company_aliases", "deals", "deal_parties",
            "deal_mentions", "patent_counts", "partnership_timeline", "portfolio_trend", "partner_network",
            "company_profile", "deal_activity_monthly"]


def as_service_user(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: as root, run it as Debian's `postgres` user."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def wait_for_port(port: int, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"service exited with {process.returncode}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise AssertionError(f"nothing listens on 127.0.0.1:{port} after {seconds}s")


@contextmanager
def serving(command: list[str], port: int) -> Iterator[int]:
    """A server started from `command`, yielded once it listens on `port`, stopped afterwards."""
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port, server)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture(scope="module")
def postgres() -> Iterator[int]:
    # its own temp folder: pytest's are private to root, and the server runs as `postgres`
    folder = Path(tempfile.mkdtemp(prefix="patentwire-pg-"))
    data = folder / "data"
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    subprocess.run(as_service_user([str(PG_BIN / "initdb"), "-D", str(data), "-U", "dagster", "--auth=trust",
                                    "--no-sync"]), check=True, capture_output=True)
    port = free_port()
    try:
        with serving(as_service_user([str(PG_BIN / "postgres"), "-D", str(data), "-p", str(port), "-k", str(folder),
                                      "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"]), port):
            yield port
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def redis(tmp_path_factory) -> Iterator[int]:
    port = free_port()
    with serving([REDIS, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                  "--dir", str(tmp_path_factory.mktemp("redis"))], port):
        yield port


@pytest.fixture(scope="module")
def team_env(tmp_path_factory, postgres, redis) -> dict[str, str]:
    dagster_home = tmp_path_factory.mktemp("dagster-home")
    shutil.copy(ROOT / "deploy" / "dagster.yaml", dagster_home / "dagster.yaml")  # the operator's file, as shipped
    return {**os.environ, "DAGSTER_HOME": str(dagster_home), "DAGSTER_PG_HOST": "127.0.0.1",
            "DAGSTER_PG_PORT": str(postgres), "DAGSTER_PG_USER": "dagster", "DAGSTER_PG_PASSWORD": "unused",
            "DAGSTER_PG_DB": "postgres", "PATENTWIRE_EXECUTOR": "celery",
            "PATENTWIRE_CELERY_BROKER": f"redis://127.0.0.1:{redis}/0",
            "PATENTWIRE_CELERY_BACKEND": f"redis://127.0.0.1:{redis}/1",
            "PATENTWIRE_HOME": str(tmp_path_factory.mktemp("team-home")), "PATENTWIRE_SOURCES": str(DEFAULT_SOURCES)}


@pytest.fixture(scope="module")
def workers(team_env, tmp_path_factory) -> Iterator[list[Path]]:
    logs = tmp_path_factory.mktemp("worker-logs")
    started = []
    for number in (1, 2):
        log = logs / f"worker{number}.log"
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "pipelines.celery_app", "worker", "-P", "solo", "-Q", "dagster",
             "-n", f"worker{number}@127.0.0.1", "--without-gossip", "--without-mingle", "--without-heartbeat",
             "--loglevel", "INFO"], cwd=ROOT, env=team_env, stdout=log.open("w"), stderr=subprocess.STDOUT)
        started.append((process, log))
    try:
        deadline = time.monotonic() + 120
        while not all("ready" in log.read_text() for _, log in started):
            assert time.monotonic() < deadline, "celery workers did not start: " + started[0][1].read_text()[-2000:]
            assert all(process.poll() is None for process, _ in started), started[0][1].read_text()[-2000:]
            time.sleep(0.5)
        yield [log for _, log in started]
    finally:
        for process, _ in started:
            process.terminate()
        for process, _ in started:
            process.wait(timeout=60)


def table_rows(database: Path) -> dict[str, list[str]]:
    with duckdb.connect(str(database), read_only=True) as con:
        rows = {}
        for table in COMPARED:
            columns = [name for (name,) in con.execute(
                "select column_name from information_schema.columns where table_name = ? order by ordinal_position",
                [table]).fetchall() if name not in RUN_TIME_COLUMNS]
            rows[table] = sorted(map(repr, con.execute(f"select {', '.join(columns)} from {table}").fetchall()))
        return rows


@needs_services
def test_a_run_on_postgres_and_two_celery_workers_gives_the_embedded_tables(team_env, workers, tmp_path):
    team = subprocess.run([sys.executable, "-m", "pipelines.team", "--home", team_env["PATENTWIRE_HOME"],
                           "--sources", str(DEFAULT_SOURCES)], cwd=ROOT, env=team_env, capture_output=True,
                          text=True, timeout=900)
    assert team.returncode == 0 and "succeeded" in team.stdout, team.stdout[-3000:] + team.stderr[-3000:]

    embedded_env = {key: value for key, value in os.environ.items()
                    if not key.startswith(("DAGSTER_", "PATENTWIRE_"))}
    embedded = subprocess.run([sys.executable, "-m", "pipelines.run", "--home", str(tmp_path / "embedded"),
                               "--sources", str(DEFAULT_SOURCES)], cwd=ROOT, env=embedded_env, capture_output=True,
                              text=True, timeout=900)
    assert embedded.returncode == 0, embedded.stdout[-3000:] + embedded.stderr[-3000:]

    team_tables = table_rows(Path(team_env["PATENTWIRE_HOME"]) / "warehouse.duckdb")
    embedded_tables = table_rows(tmp_path / "embedded" / "warehouse.duckdb")
    assert team_tables["deals"] and team_tables["articles"]
    assert {t: len(r) for t, r in team_tables.items()} == {t: len(r) for t, r in embedded_tables.items()}
    assert team_tables == embedded_tables

    # both workers ran steps, and the run and its events live in PostgreSQL
    assert all("execute_plan" in log.read_text() and "succeeded" in log.read_text() for log in workers)
    import dagster as dg
    os.environ.update({k: v for k, v in team_env.items() if k.startswith("DAGSTER_PG_")})
    with dg.DagsterInstance.from_config(team_env["DAGSTER_HOME"]) as instance:
        assert type(instance.run_storage).__name__ == "PostgresRunStorage"
        [run] = instance.get_runs()
        assert run.is_success
