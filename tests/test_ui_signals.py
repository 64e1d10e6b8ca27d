"""`patentwire ui` stops with everything it started: SIGTERM on its pid (systemd, docker) reaches the
whole Dagster process group (webserver, daemon, code server), and nothing is left listening."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from patentwire.project import ROOT
from ports import free_port

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]

START_SECONDS = 300
STOP_SECONDS = 60


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            tree.setdefault(parent, []).append(int(entry.name))
    return tree


def descendants(pid: int) -> set[int]:
    tree, found, pending = _children(), set(), [pid]
    while pending:
        for child in tree.get(pending.pop(), []):
            if child not in found:
                found.add(child)
                pending.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM])
def test_sigterm_on_the_ui_pid_stops_every_dagster_process(tmp_path, stop_signal):
    port = free_port()
    log = tmp_path / "ui.log"
    env = {key: value for key, value in os.environ.items() if key != "DAGSTER_HOME"}
    with log.open("w") as output:
        ui = subprocess.Popen([sys.executable, "-m", "patentwire", "ui", "--home", str(tmp_path / "home"),
                               "--port", str(port)], cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
                              start_new_session=True)  # so that the test can clean up whatever happens
    started: set[int] = set()
    try:
        deadline = time.monotonic() + START_SECONDS
        while True:
            assert ui.poll() is None, log.read_text()[-3000:]
            try:
                if requests.get(f"http://127.0.0.1:{port}/server_info", timeout=2).ok:
                    break
            except requests.RequestException:
                pass
            assert time.monotonic() < deadline, log.read_text()[-3000:]
            time.sleep(1)
        started = descendants(ui.pid)
        assert len(started) >= 3, started  # dagster dev, its webserver and daemon (and code servers)

        os.kill(ui.pid, stop_signal)  # the pid only, as systemd and docker do
        assert ui.wait(timeout=STOP_SECONDS) == 0
        left = sorted(pid for pid in started if alive(pid))
        assert left == [], f"still running after {stop_signal.name}: {left}"
        assert not listening(port)
    finally:
        for pid in started | descendants(ui.pid) | {ui.pid}:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        ui.wait(timeout=30)


def test_a_stop_signal_ends_a_group_that_ignores_it_within_the_grace_period():
    import threading

    from pipelines.ui import run_process_group
    stubborn = [sys.executable, "-c", "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
                "time.sleep(120)"]
    threading.Timer(1.0, os.kill, (os.getpid(), signal.SIGTERM)).start()  # as systemd does, on our pid
    began = time.monotonic()
    assert run_process_group(stubborn, env=dict(os.environ), grace=2) == 0
    assert time.monotonic() - began < 10  # signal at 1 s, 2 s of grace, then SIGKILL (and 5 s at most for zombies)
