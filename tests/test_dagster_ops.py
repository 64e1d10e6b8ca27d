"""Operating the pipeline in Dagster: schedule, inbox sensor, automation, per-source backfill, UI metadata."""

from __future__ import annotations

import base64
import gzip
import os
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from assets.ingest import discovered_urls
from assets.plots import chart_metadata
from assets.resources import PatentwireConfig
from patentwire.checks import warehouse_checks
from patentwire.home import Home
from patentwire.inbox import INBOX_SOURCE, inbox_fingerprint, inbox_pages, with_inbox
from pipelines.instance import write_dagster_yaml
from patentwire.project import DEFAULT_SOURCES, SQL_DIR
from patentwire.sources import load_sources
from patentwire.sqlmodels import build_model, load_models
from patentwire.warehouse import writer_config
from pipelines.definitions import build_definitions, resources

PAGE = """<html><head><title>Lumenta and Orbis Radio sign a patent licence</title>
<meta name="date" content="2024-05-02"></head><body><article>
<h1>Lumenta and Orbis Radio sign a patent licence</h1>
<p>Lumenta Corp. and Orbis Radio GmbH have signed a licence covering cellular standard patents.</p>
<p>Lumenta says it holds more than 9,000 patents, and the agreement runs for five years.</p>
</article></body></html>"""


@pytest.fixture()
def home(tmp_path) -> Home:
    return Home(tmp_path / "home").ensure()


@pytest.fixture()
def defs(home) -> dg.Definitions:
    return build_definitions(str(home.root), str(DEFAULT_SOURCES))


def drop_page(home: Home, name: str, text: str = PAGE, mtime: int | None = None) -> Path:
    path = home.inbox / name
    path.write_bytes(gzip.compress(text.encode()) if name.endswith(".gz") else text.encode())
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path


def config(home: Home) -> PatentwireConfig:
    return PatentwireConfig(home=str(home.root), sources=str(DEFAULT_SOURCES))


# --- schedule -----------------------------------------------------------------------------------


def test_daily_crawl_is_off_by_default_and_requests_the_main_job_once_per_day(defs):
    schedule = defs.resolve_schedule_def("daily_crawl")
    assert schedule.default_status == dg.DefaultScheduleStatus.STOPPED
    assert schedule.job_name == "patentwire"
    context = dg.build_schedule_context(scheduled_execution_time=datetime(2026, 3, 1, 6, 0, tzinfo=UTC))
    (request,) = schedule.evaluate_tick(context).run_requests
    assert request.run_key == "daily-2026-03-01"
    assert request.tags["patentwire/trigger"] == "schedule"


# --- inbox ----------------------------------------------------------------------------------------


def test_inbox_sensor_skips_an_empty_inbox(defs, home):
    sensor = defs.resolve_sensor_def("inbox")
    result = sensor.evaluate_tick(dg.build_sensor_context(resources={"patentwire": config(home)}))
    assert not result.run_requests
    assert "holds no saved pages" in result.skip_message


def test_inbox_sensor_requests_one_run_per_new_set_of_files(defs, home):
    sensor = defs.resolve_sensor_def("inbox")
    assert sensor.job_name == "patentwire"
    drop_page(home, "licence.html")
    first = sensor.evaluate_tick(dg.build_sensor_context(resources={"patentwire": config(home)}))
    (request,) = first.run_requests
    assert request.run_key.startswith("inbox-") and request.tags["patentwire/inbox_pages"] == "1"

    again = sensor.evaluate_tick(dg.build_sensor_context(cursor=first.cursor, resources={"patentwire": config(home)}))
    assert not again.run_requests and "no change" in again.skip_message

    drop_page(home, "second.html.gz")
    more = sensor.evaluate_tick(dg.build_sensor_context(cursor=first.cursor, resources={"patentwire": config(home)}))
    (second_request,) = more.run_requests
    assert second_request.run_key != request.run_key and more.cursor != first.cursor


def test_inbox_fingerprint_changes_when_a_page_is_rewritten_but_ignores_other_files(home):
    page = drop_page(home, "a.html", mtime=1_700_000_000)
    before = inbox_fingerprint(home.inbox)
    (home.inbox / "notes.txt").write_text("not a page")
    (home.inbox / ".partial.html").write_text("<html>")
    assert inbox_fingerprint(home.inbox) == before
    assert inbox_pages(home.inbox) == [page]
    drop_page(home, "a.html", PAGE.replace("9,000", "9,500"), mtime=1_700_000_100)
    assert inbox_fingerprint(home.inbox) != before


def test_inbox_is_an_archive_source_only_once_it_holds_a_page(home):
    sources = load_sources(DEFAULT_SOURCES)
    assert with_inbox(sources, home.inbox) == sources
    drop_page(home, "licence.html")
    added = with_inbox(sources, home.inbox).source(INBOX_SOURCE)
    assert added.kind == "archive" and added.path == home.inbox.resolve()


def test_a_source_the_user_named_inbox_is_kept(home, tmp_path):
    own = tmp_path / "own.yaml"
    (tmp_path / "saved").mkdir()
    own.write_text("sources:\n  - name: inbox\n    kind: archive\n    path: saved\n")
    drop_page(home, "licence.html")
    (source,) = with_inbox(load_sources(own), home.inbox).sources
    assert source.path == (tmp_path / "saved").resolve()


def test_pages_dropped_into_the_inbox_are_discovered_as_source_inbox(home):
    drop_page(home, "licence.html")
    instance = dg.DagsterInstance.from_config(str(write_dagster_yaml(home)))
    result = dg.materialize([discovered_urls], instance=instance, resources=resources(home, str(DEFAULT_SOURCES)))
    assert result.success
    with duckdb.connect(str(home.warehouse), read_only=True) as con:
        urls = con.execute("select url from discovered_urls where source = 'inbox'").fetchall()
    assert urls == [((home.inbox / "licence.html").resolve().as_uri(),)]


# --- automation -----------------------------------------------------------------------------------


def test_stages_after_the_fetch_follow_new_data_through_a_running_automation_sensor(defs):
    sensor = defs.resolve_sensor_def("follow_new_data")
    assert isinstance(sensor, dg.AutomationConditionSensorDefinition)
    assert sensor.default_status == dg.DefaultSensorStatus.RUNNING
    graph = defs.resolve_asset_graph()
    followers = {key.to_user_string() for key in graph.get_all_asset_keys()
                 if graph.get(key).automation_condition is not None}
    assert {"articles", "extractions", "normalized_facts", "deals", "portfolio_trend", "parquet_exports"} <= followers
    # The crawl itself only runs when asked: by a click, the schedule, the inbox sensor or a backfill.
    assert not {"discovered_urls", "fetch_log"} & followers


# --- per-source backfill ----------------------------------------------------------------------------


def test_backfill_of_two_source_partitions_fetches_exactly_those_sources(defs, home):
    job = defs.resolve_job_def("refresh_sources")
    assert set(job.partitions_def.get_partition_keys()) == {s.name for s in load_sources(DEFAULT_SOURCES).sources}
    instance = dg.DagsterInstance.from_config(str(write_dagster_yaml(home)))
    for partition in ("lumenta-press", "saved-pages"):
        result = job.execute_in_process(instance=instance, partition_key=partition)
        assert result.success
        recorded = {event.asset_key.to_user_string(): event.step_materialization_data.materialization.metadata
                    for event in result.get_asset_materialization_events()}
        assert recorded["fetch_log"]["source"].value == partition
        assert recorded["fetch_log"]["pages new"].value > 0
    with duckdb.connect(str(home.warehouse), read_only=True) as con:
        fetched = dict(con.execute("select source, count(*) from fetch_log where outcome = 'new' group by source")
                       .fetchall())
    assert set(fetched) == {"lumenta-press", "saved-pages"}
    runs = instance.get_runs(filters=dg.RunsFilter(job_name="refresh_sources"))
    assert sorted(run.tags["dagster/partition"] for run in runs) == ["lumenta-press", "saved-pages"]


def test_backfilling_an_unknown_source_says_which_exist(home):
    with pytest.raises(ValueError, match="backfill one of: .*lumenta-press"):
        config(home).load_sources(only="no-such-source")


# --- what the UI shows --------------------------------------------------------------------------------


def test_every_asset_has_a_description_kinds_and_a_stage_group(defs):
    graph = defs.resolve_asset_graph()
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        assert node.description, key
        assert node.kinds, key
        assert node.group_name not in (None, "default"), key


def _check_names(defs) -> set[tuple[str, str]]:
    return {(key.asset_key.to_user_string(), key.name) for key in defs.resolve_asset_graph().asset_check_keys}


def test_every_warehouse_rule_is_a_check_of_the_step_that_writes_its_table(defs):
    names = _check_names(defs)
    assert len(names) == len(warehouse_checks())
    assert {table for table, _ in names} == {check.table for check in warehouse_checks()}
    # no check is a step of its own: each runs inside its table's step
    assert all(not definition.check_specs for definition in defs.asset_checks or [])


def test_checks_are_named_without_repeating_their_table(defs):
    names = _check_names(defs)
    assert ("articles", "unique_key") in names
    assert not any(name.startswith(f"{table}_") for table, name in names)


@pytest.fixture()
def marts(facts_con) -> duckdb.DuckDBPyConnection:
    for model in load_models(SQL_DIR):
        build_model(facts_con, model)
    return facts_con


@pytest.mark.parametrize("model", ["portfolio_trend", "deal_activity_monthly"])
def test_trend_and_activity_models_carry_a_png_chart(marts, model):
    markdown = chart_metadata(marts, model)["chart"].value
    encoded = markdown.split("base64,", 1)[1].rstrip(")")
    assert base64.b64decode(encoded).startswith(b"\x89PNG\r\n\x1a\n")


def test_other_models_carry_no_chart(marts):
    assert chart_metadata(marts, "partner_network") == {}


def test_an_empty_model_gets_a_note_instead_of_an_empty_chart(marts):
    marts.execute("delete from portfolio_trend")
    assert "no data" in chart_metadata(marts, "portfolio_trend")["chart"].value


def test_a_chart_is_drawn_once_per_version_of_its_table(marts, tmp_path, monkeypatch):
    import assets.plots as plots
    cache = tmp_path / "charts"
    first = chart_metadata(marts, "portfolio_trend", cache)["chart"].value
    drawn = []
    monkeypatch.setitem(plots.CHARTS, "portfolio_trend", lambda con: drawn.append(1) or "redrawn")
    assert chart_metadata(marts, "portfolio_trend", cache)["chart"].value == first  # same version: reused
    assert drawn == []
    trend = load_models(SQL_DIR)
    marts.execute("delete from patent_counts where count_id in (select count_id from patent_counts limit 1)")
    marts.execute("update table_versions set version = version + 1 where table_name = 'patent_counts'")
    for model in trend:
        build_model(marts, model)  # the trend's input changed: a new version of the model
    assert chart_metadata(marts, "portfolio_trend", cache)["chart"].value == "redrawn"
    assert len(list(cache.glob("portfolio_trend-*.md"))) == 1  # the old drawing is gone


def test_the_warehouse_resource_opens_writers_with_the_writers_settings(tmp_path):
    resource = resources(Home.resolve(str(tmp_path)), str(DEFAULT_SOURCES))["duckdb"]
    with resource.get_connection() as con:
        limit = con.execute("select current_setting('memory_limit')").fetchall()[0][0]
    expected = duckdb.connect(config=writer_config()).execute("select current_setting('memory_limit')")
    assert limit == expected.fetchall()[0][0]
