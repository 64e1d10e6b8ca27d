"""Many real `patentwire run` processes, a few seconds each, for the fault matrix.

A warm process imports the pipeline once (about 8 s of imports) and forks one child per run; each child
runs `pipelines.run.main` exactly as `patentwire run` does, as its own process that can be killed with
SIGKILL or interrupted with SIGINT. The warm process opens no database and starts no thread before it
forks, so every child starts clean. Also a static file server for the samples, in its own process.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from patentwire.project import ROOT
from ports import free_port

WARM_PROCESS = r"""
import json, os, signal, sys
import pipelines.run  # the expensive imports, once

for line in sys.stdin:
    command = json.loads(line)
    if "argv" in command:
        pid = os.fork()
        if pid == 0:
            log = os.open(command["log"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            os.dup2(log, 1)
            os.dup2(log, 2)
            devnull = os.open(os.devnull, os.O_RDONLY)
            os.dup2(devnull, 0)
            signal.signal(signal.SIGINT, signal.default_int_handler)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            try:
                code = pipelines.run.main(command["argv"])
            except SystemExit as stop:
                code = stop.code if isinstance(stop.code, int) else 1
            except BaseException:
                import traceback
                traceback.print_exc()
                code = 99
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
        print(json.dumps({"pid": pid}), flush=True)
    elif "wait" in command:
        _, status = os.waitpid(command["wait"], 0)
        print(json.dumps({"code": os.waitstatus_to_exitcode(status)}), flush=True)
"""


@dataclass
class Run:
    pid: int
    log: Path
    started: float

    def output(self) -> str:
        return self.log.read_text("utf-8", errors="replace") if self.log.exists() else ""


class WarmRunner:
    """Start, kill and wait for `patentwire run` processes forked from one warm process."""

    def __init__(self) -> None:
        self.process = subprocess.Popen([sys.executable, "-c", WARM_PROCESS], cwd=ROOT, text=True,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def _ask(self, command: dict) -> dict:
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline()
        if not answer:
            raise RuntimeError(f"the warm process ended (exit {self.process.wait()})")
        return json.loads(answer)

    def start(self, home: Path, sources: Path, log: Path) -> Run:
        pid = self._ask({"argv": ["--home", str(home), "--sources", str(sources)], "log": str(log)})["pid"]
        return Run(pid, log, time.monotonic())

    def wait(self, run: Run) -> int:
        return self._ask({"wait": run.pid})["code"]

    def run(self, home: Path, sources: Path, log: Path) -> tuple[int, float, str]:
        """A whole run: (exit code, seconds, output)."""
        started = self.start(home, sources, log)
        code = self.wait(started)
        return code, time.monotonic() - started.started, started.output()

    def wait_for_line(self, run: Run, pattern: str, timeout: float = 120) -> bool:
        """Poll the run's output until a line matches `pattern`; False if the run ended first."""
        deadline = time.monotonic() + timeout
        compiled = re.compile(pattern, re.MULTILINE)
        while time.monotonic() < deadline:
            if compiled.search(run.output()):
                return True
            if _exited(run.pid):
                return False
            time.sleep(0.02)
        raise TimeoutError(f"no line matching {pattern!r} within {timeout}s:\n{run.output()[-2000:]}")

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)


def _exited(pid: int) -> bool:
    """True once the child is a zombie or gone (its parent, the warm process, reaps it on `wait`)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True


def kill_hard(run: Run) -> None:
    try:
        os.kill(run.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


class FileServer:
    """`python -m http.server` on 127.0.0.1 over a folder, in its own process."""

    def __init__(self, folder: Path) -> None:
        self.port = free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "http.server", str(self.port), "--bind", "127.0.0.1", "--directory", str(folder)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("the file server did not start")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
