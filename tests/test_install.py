"""Installing patentwire as a new user does: the README's commands, and a wheel that works from any folder."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from patentwire.project import ROOT

DEBIAN_PYTHON = Path("/usr/bin/python3")


def readme_commands() -> list[str]:
    """The two commands of README's "Two commands" section, in order."""
    section = (ROOT / "README.md").read_text("utf-8").split("## Two commands", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```bash\n(.*?)```", section, flags=re.S)]


def base_python() -> str:
    """Debian's own interpreter where there is one (the case the README must work on), else this one's base."""
    if DEBIAN_PYTHON.exists() and list(Path("/usr/lib").glob("python3*/EXTERNALLY-MANAGED")):
        return str(DEBIAN_PYTHON)
    return getattr(sys, "_base_executable", sys.executable)


def test_readme_commands_make_a_venv_before_installing_anything():
    run, test = readme_commands()
    for command in (run, test):
        assert command.startswith("python3 -m venv .venv && .venv/bin/pip install -q uv==")
        assert "python3 -m pip" not in command and "python3 -m uv" not in command  # the system stays untouched
    assert run.endswith(".venv/bin/patentwire run") and test.endswith(".venv/bin/python -m pytest")


def test_ci_runs_exactly_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    assert readme_commands()[1] in ci.splitlines()


@pytest.mark.slow
def test_wheel_installs_into_a_fresh_venv_and_runs_from_any_folder(tmp_path):
    uv = str(Path(sys.executable).with_name("uv"))
    dist = tmp_path / "dist"
    subprocess.run([uv, "build", "-q", "--wheel", "-o", str(dist), str(ROOT)], check=True, timeout=300,
                   capture_output=True)
    (wheel,) = dist.glob("patentwire-*.whl")
    venv = tmp_path / "venv"
    subprocess.run([base_python(), "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    # uv's cache makes this quick after the first install on a machine; the wheel itself is what is tested
    subprocess.run([uv, "pip", "install", "-q", "--python", str(venv / "bin" / "python"), str(wheel)],
                   check=True, timeout=600, capture_output=True)
    workdir = tmp_path / "elsewhere"
    workdir.mkdir()
    env = {key: value for key, value in os.environ.items() if key not in {"PATENTWIRE_HOME", "VIRTUAL_ENV"}}
    patentwire = str(venv / "bin" / "patentwire")
    result = subprocess.run([patentwire, "run"], cwd=workdir, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "patentwire run succeeded" in result.stdout and "articles: 36," in result.stdout
    assert str(ROOT) not in result.stdout  # nothing read from the checkout: samples and SQL came with the wheel
    assert (workdir / ".patentwire" / "exports" / "partnership_timeline").exists()
    answer = subprocess.run([patentwire, "sql", "--format", "csv", "select count(*) as n from articles"], cwd=workdir,
                            env=env, capture_output=True, text=True, timeout=120)
    assert answer.stdout.split() == ["n", "36"], answer.stderr
