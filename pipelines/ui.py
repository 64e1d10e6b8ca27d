"""`patentwire ui`: `dagster dev` on the workspace, with the instance configuration written into the home."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from patentwire.home import HOME_ENV, SOURCES_ENV, Home
from patentwire.project import ROOT
from pipelines.instance import write_dagster_yaml

WORKSPACE = ROOT / "workspace.yaml"


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
    command = [sys.executable, "-m", "dagster", "dev", "-w", str(WORKSPACE), "-h", args.host, "-p", str(args.port)]
    print(f"Dagster UI on http://{args.host}:{args.port} (home {home.root}); Ctrl-C stops it.", flush=True)
    return subprocess.call(command, cwd=ROOT, env=env)


if __name__ == "__main__":
    sys.exit(main())
