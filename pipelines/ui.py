"""`patentwire ui`: `dg dev` on the installed definitions, with the instance configuration written into the home.

`dg dev -m pipelines.definitions` needs no checkout (the module is installed, editable or from a wheel) and,
unlike the superseded `dagster dev`, starts without a deprecation warning.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from patentwire.home import HOME_ENV, SOURCES_ENV, Home
from pipelines.instance import write_dagster_yaml

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
    print(f"Dagster UI on http://{args.host}:{args.port} (home {home.root}); Ctrl-C stops it.", flush=True)
    return subprocess.call(dg_dev_command(args.host, args.port), env=env)


if __name__ == "__main__":
    sys.exit(main())
