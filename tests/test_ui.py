"""End to end in a real browser: `patentwire ui` (dagster dev) on a temporary home, driven by Debian's Chromium.

Clicks "Materialize all" on the asset graph, waits for the run to succeed, opens an asset and checks that
its row count and preview are shown. Screenshots go to the test's temporary directory; set
PATENTWIRE_UI_SCREENSHOT=path.png to also keep the asset graph picture (how README's image was taken).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from patentwire.project import ROOT
from ports import free_port

pytestmark = [pytest.mark.ui, pytest.mark.slow, pytest.mark.timeout(900)]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SERVER_START_SECONDS = 180
RUN_SECONDS = 600
STOP_SECONDS = 30
README_IMAGE_ENV = "PATENTWIRE_UI_SCREENSHOT"

if not Path(CHROMIUM).exists():
    pytest.skip("Debian's chromium is not installed (apt-get install chromium; .ci/run does it)",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is in the dev extra")


def wait_until_serving(url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"dagster dev exited with {server.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if requests.get(f"{url}/server_info", timeout=2).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(1)
    pytest.fail(f"dagster dev did not answer within {SERVER_START_SECONDS}s:\n{log.read_text()[-3000:]}")


def stop(server: subprocess.Popen) -> None:
    """SIGINT to the whole group (dagster dev, webserver, daemon, run workers), then harder if needed."""
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGKILL):
        if server.poll() is not None:
            break
        try:
            os.killpg(server.pid, sig)
        except ProcessLookupError:
            break
        try:
            server.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            continue
    # The group may outlive its leader for a moment; leave nothing behind.
    try:
        os.killpg(server.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


@pytest.fixture()
def dagster_ui(tmp_path) -> Iterator[tuple[str, Path]]:
    home = tmp_path / "home"
    port = free_port()
    log = tmp_path / "dagster-dev.log"
    # --default-signal: a shell or CI runner may start us with SIGINT ignored, which children inherit.
    command = ["env", "--default-signal=INT,TERM", sys.executable, "-m", "patentwire", "ui",
               "--home", str(home), "--port", str(port)]
    with log.open("wb") as output:
        server = subprocess.Popen(command, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT,
                                  start_new_session=True)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until_serving(url, server, log)
        yield url, log
    finally:
        stop(server)


@pytest.fixture()
def browser_page(tmp_path):
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1600, "height": 1000})
            page.set_default_timeout(60_000)
            yield page
        finally:
            browser.close()


def dismiss_first_visit_popup(page) -> None:
    """Dagster greets a new instance with a newsletter / what's-new dialog; close it when it shows."""
    dialog = page.get_by_role("dialog")
    try:
        dialog.first.wait_for(state="visible", timeout=5_000)
    except sync_api.TimeoutError:
        return
    for label in ("Skip", "Dismiss", "Close", "Got it", "No thanks"):
        button = dialog.get_by_role("button", name=label)
        if button.count():
            button.first.click()
            break
    else:
        page.keyboard.press("Escape")
    dialog.first.wait_for(state="hidden", timeout=10_000)


def open_asset_graph(page, url: str) -> None:
    page.goto(f"{url}/asset-groups", wait_until="domcontentloaded")
    dismiss_first_visit_popup(page)
    page.get_by_role("button", name="Materialize all").wait_for()


def show_whole_graph(page) -> None:
    """Every stage group opened, navigation hidden, zoomed out so the whole pipeline fits (for the picture)."""
    page.keyboard.press("Alt+e")  # the graph's "Expand all groups"
    page.get_by_role("button", name="Hide navigation").click()
    page.locator("input[placeholder^='Jump to']").locator("xpath=following::button[1]").click()  # asset tree
    page.mouse.move(900, 600)
    for _ in range(2):
        with_control_zoom_out(page)
    page.wait_for_timeout(1500)  # the graph animates its zoom


def with_control_zoom_out(page) -> None:
    page.keyboard.down("Control")
    page.mouse.wheel(0, 60)
    page.keyboard.up("Control")
    page.wait_for_timeout(300)


def launch_materialize_all(page) -> str:
    """Click the button, read the short run id from the toast."""
    page.get_by_role("button", name="Materialize all").click()
    toast = page.get_by_text(re.compile(r"Launched run [0-9a-f]{8}"))
    toast.first.wait_for()
    return re.search(r"Launched run ([0-9a-f]{8})", toast.first.inner_text()).group(1)


def wait_for_run(page, url: str, short_id: str) -> str:
    """Opens the run from the runs list and waits for the status the run page shows once it is over."""
    page.goto(f"{url}/runs", wait_until="domcontentloaded")
    page.get_by_role("link", name=short_id).first.click()
    final = page.get_by_text(re.compile(r"^(Success|Failure|Canceled)$")).first
    final.wait_for(timeout=RUN_SECONDS * 1000)
    return final.inner_text()


def inline_metadata(page, key: str) -> str:
    """The text of a metadata entry the asset page shows inline (a table value)."""
    row = page.locator("tr", has=page.get_by_text(key, exact=True)).first
    row.locator("table").first.wait_for()
    return row.inner_text()


def test_materialize_all_from_the_asset_graph_and_read_an_asset(dagster_ui, browser_page, tmp_path):
    url, log = dagster_ui
    page = browser_page

    open_asset_graph(page, url)
    page.screenshot(path=tmp_path / "asset-graph-before.png")
    short_id = launch_materialize_all(page)
    status = wait_for_run(page, url, short_id)
    page.screenshot(path=tmp_path / "run.png")
    assert status == "Success", log.read_text()[-4000:]
    assert "Could not set lock" not in log.read_text(), "two warehouse writers ran at once"

    page.goto(f"{url}/assets/deals", wait_until="domcontentloaded")
    page.get_by_text("Row count").first.wait_for()
    body = page.locator("body").inner_text()
    row_count = re.search(r"Row count\s+([0-9,]+)", body)
    assert row_count and int(row_count.group(1).replace(",", "")) > 0, body[:2000]
    page.screenshot(path=tmp_path / "asset-deals.png", full_page=True)
    preview = inline_metadata(page, "preview")  # a table on the page itself, no click needed
    assert "deal_id" in preview and "parties" in preview and "deal_types" in preview
    assert re.search(r"\b20\d\d-\d\d-\d\d\b", preview) and "00:00:00" not in preview  # dates as dates
    assert "Samsung Electronics" in preview or "Nokia" in preview  # parties by name, not only ids
    assert re.search(r"\[[a-z_]+(, [a-z_]+)*\]", preview) and "' '" not in preview  # lists as [a, b]

    page.goto(f"{url}/assets/patent_counts", wait_until="domcontentloaded")
    page.get_by_text("Row count").first.wait_for()
    counts = inline_metadata(page, "preview")
    assert "NULL" in counts and not re.search(r"\b(nan|NaT|None)\b", counts)  # a missing value reads NULL

    page.goto(f"{url}/assets/portfolio_trend", wait_until="domcontentloaded")
    page.get_by_text("Row count").first.wait_for()
    row = page.locator("tr", has=page.get_by_text("chart", exact=True))
    row.get_by_text("Show Markdown").first.click()
    page.get_by_role("dialog").locator("img").first.wait_for()
    page.screenshot(path=tmp_path / "portfolio-trend-chart.png")

    open_asset_graph(page, url)
    show_whole_graph(page)
    page.screenshot(path=tmp_path / "asset-graph.png")
    if os.environ.get(README_IMAGE_ENV):
        shutil.copyfile(tmp_path / "asset-graph.png", os.environ[README_IMAGE_ENV])
