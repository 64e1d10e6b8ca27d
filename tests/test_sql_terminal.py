"""The interactive `patentwire sql` in a real terminal (tmux): history, several statements a line, Ctrl-C."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

TMUX = shutil.which("tmux")
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(TMUX is None, reason="tmux is not installed (apt-get install tmux; .ci/run does)")]

LONG_QUERY = "select sum(hash(i)) from range(1000000000000) t(i);"  # minutes of work, unless cancelled


class Terminal:
    """One tmux session on a private socket, running one command."""

    def __init__(self, socket: Path, command: list[str]) -> None:
        self.socket = socket
        self.tmux("new-session", "-d", "-s", "sql", "-x", "160", "-y", "60", shlex.join(command))

    def tmux(self, *args: str) -> str:
        return subprocess.run([TMUX, "-S", str(self.socket), *args], capture_output=True, text=True,
                              timeout=30).stdout

    def type(self, text: str) -> None:
        # tmux reads an argument ending in ';' as a command separator; '\;' is the literal character
        self.tmux("send-keys", "-t", "sql", "-l", text[:-1] + "\\;" if text.endswith(";") else text)

    def press(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", "sql", *keys)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-J", "-S", "-1000", "-t", "sql")

    def alive(self) -> bool:
        return subprocess.run([TMUX, "-S", str(self.socket), "has-session", "-t", "sql"],
                              capture_output=True, timeout=30).returncode == 0

    def wait_until(self, condition, what: str, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if condition(screen):
                return screen
            time.sleep(0.2)
        raise AssertionError(f"timed out waiting for {what}; the terminal shows:\n{self.screen()}")

    def close(self) -> None:
        self.tmux("kill-server")


@pytest.fixture
def terminal(facts_warehouse, tmp_path):
    env = {key: value for key, value in os.environ.items() if key != "PATENTWIRE_HOME"}
    command = ["env", *(f"{key}={value}" for key, value in env.items() if key in {"PATH", "HOME", "LANG"}),
               sys.executable, "-m", "patentwire", "sql", "--home", str(facts_warehouse.home.root)]
    shell = Terminal(tmp_path / "tmux.sock", command)
    yield shell, facts_warehouse.home
    shell.close()


def results(screen: str) -> int:
    return screen.count(" rows)")


def test_interactive_sql_in_a_real_terminal(terminal):
    shell, home = terminal
    shell.wait_until(lambda s: "patentwire>" in s, "the prompt")

    # several statements on one line: each prints its result
    shell.type("select 1 as a; select 'x;y' as b;")
    shell.press("Enter")
    screen = shell.wait_until(lambda s: results(s) >= 2, "two results")
    assert "x;y" in screen and results(screen) == 2

    # a statement over two lines: Enter without the closing ';' continues it
    shell.type("select 40 + 2")
    shell.press("Enter")
    shell.wait_until(lambda s: "...>" in s, "the continuation prompt")
    shell.type("as answer;")
    shell.press("Enter")
    shell.wait_until(lambda s: results(s) >= 3 and "42" in s, "the two-line statement's result")

    # history: Up walks back (through the lines of the two-line entry, then to the input before it)
    for _ in range(3):
        shell.press("Up")
    shell.wait_until(lambda s: s.rstrip().endswith("patentwire> select 1 as a; select 'x;y' as b;"),
                     "the recalled input")
    shell.press("Enter")
    shell.wait_until(lambda s: results(s) >= 5, "the recalled input's results")
    assert "select 1 as a; select 'x;y' as b;" in (home.root / "sql_history").read_text("utf-8")

    # Ctrl-C cancels the running statement, not the shell
    shell.type(LONG_QUERY)
    shell.press("Enter")
    time.sleep(1.5)
    shell.press("C-c")
    screen = shell.wait_until(lambda s: "cancelled (Ctrl-C)" in s, "the cancellation", timeout=30)
    assert "Traceback" not in screen
    shell.type("select 7 as seven;")
    shell.press("Enter")
    shell.wait_until(lambda s: "seven" in s.split("cancelled (Ctrl-C)")[-1] and results(s) >= 6,
                     "a statement after the cancel")

    # the helpers, then Ctrl-D leaves
    shell.type(".tables")
    shell.press("Enter")
    shell.wait_until(lambda s: "deal_parties" in s and "holds" in s, "the table list")
    shell.press("C-d")
    deadline = time.monotonic() + 20
    while shell.alive() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not shell.alive()
