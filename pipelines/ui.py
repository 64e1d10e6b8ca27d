"""`patentwire ui`: `dg dev` on the installed definitions, with the instance configuration written into the home.

`dg dev -m pipelines.definitions` needs no checkout (the module is installed, editable or from a wheel) and,
unlike the superseded `dagster dev`, starts without a deprecation warning.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from patentwire.home import HOME_ENV, SOURCES_ENV, Home
from pipelines.instance import write_dagster_yaml
from pipelines.recovery import recover_home_unless_busy

DEFINITIONS_MODULE = "pipelines.definitions"


def dg_dev_command(host: str, port: int) -> list[str]:
    """`dg dev` of this interpreter's environment, pointed at the one Definitions object."""
    dg = Path(sys.executable).with_name("dg")
    return [str(dg), "dev", "-m", DEFINITIONS_MODULE, "-a", "defs", "-h", host, "-p", str(port)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines.ui")
    parser.add_argument("--home", required=True)
    parser.add_argument("--sources", default=None)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=3000)
    args = parser.parse_args(argv)
    home = Home.resolve(args.home).ensure()
    env = dict(os.environ, DAGSTER_HOME=str(write_dagster_yaml(home)), **{HOME_ENV: str(home.root)})
    if args.sources:
        env[SOURCES_ENV] = str(Path(args.sources).resolve())
    command = dg_dev_command(args.host, args.port)
    # Create the run storage and end what dead runs left, before the webserver and the daemon open it at once.
    _instance, recovery = recover_home_unless_busy(home)
    if recovery is not None and recovery.describe():
        print(recovery.describe(), flush=True)
    print(f"Dagster UI on http://{args.host}:{args.port} (home {home.root}); Ctrl-C stops it.", flush=True)
    return run_process_group(command, env=env)


UI_STOP_GRACE_SECONDS = 30


def run_process_group(command: list[str], env: dict[str, str], grace: float = UI_STOP_GRACE_SECONDS) -> int:
    """Run `command` as the leader of its own process group; SIGINT and SIGTERM go to the whole group.

    `dagster dev` starts a webserver, a daemon and code servers (and run workers), all in its process
    group. Signalled on our pid only (systemd, docker, kill), they would be orphaned and keep serving;
    so every signal is passed to the group, and we return only once no process of it is left (after
    `grace` seconds the rest is killed). 0 when stopped as asked.
    """
    leader = subprocess.Popen(command, env=env, start_new_session=True)
    stopped_at: list[float] = []  # when the first stop signal came

    def forward(signum, _frame):
        stopped_at.append(time.monotonic())
        _signal_group(leader.pid, signum)

    previous = {sig: signal.signal(sig, forward) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        code = _wait_for_leader(leader, stopped_at, grace)
        # one grace period in all, from the signal: what the leader took of it is not given again
        _wait_for_group(leader.pid, grace - (time.monotonic() - stopped_at[0]) if stopped_at else grace)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0 if stopped_at else code


def _wait_for_leader(leader: subprocess.Popen, stopped_at: list[float], grace: float) -> int:
    """The leader's exit code; once a stop signal came, a leader still busy after `grace` seconds (dg dev
    waiting on a code server that does not stop) is killed with its group, so a stop is never unbounded."""
    while True:
        try:
            return leader.wait(timeout=0.5)
        except subprocess.TimeoutExpired:
            if stopped_at and time.monotonic() > stopped_at[0] + grace:
                _signal_group(leader.pid, signal.SIGKILL)


def _signal_group(group: int, signum: int) -> bool:
    """Send `signum` to every process of `group`; False when none is left."""
    try:
        os.killpg(group, signum)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # a member we may not signal (cannot happen for our own children, but never crash)


def _wait_for_group(group: int, grace: float) -> None:
    """Block until no process of `group` is left; SIGKILL what remains after `grace` seconds."""
    deadline, killed = time.monotonic() + grace, False
    while _signal_group(group, 0):
        if time.monotonic() > deadline:
            if killed:
                return  # only unreaped zombies can be left (a container whose pid 1 reaps nothing)
            _signal_group(group, signal.SIGKILL)
            deadline, killed = time.monotonic() + 5, True
        time.sleep(0.1)


if __name__ == "__main__":
    sys.exit(main())
