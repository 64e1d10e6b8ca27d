"""The commands that need Dagster, found through the `patentwire.launchers` entry point group.

The orchestration layer registers them in pyproject.toml; the core looks them up by command name, so it
never names (or imports) the layers above it, and Dagster loads only when such a command runs.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.metadata import entry_points

LAUNCHER_GROUP = "patentwire.launchers"

Launcher = Callable[[list[str]], int]  # argv in, exit status out


class LauncherMissing(RuntimeError):
    """No installed distribution registers the command."""


def launcher(command: str) -> Launcher:
    """The registered callable for `command` (e.g. "run", "ui")."""
    found = entry_points(group=LAUNCHER_GROUP, name=command)
    if not found:
        raise LauncherMissing(
            f"no '{command}' launcher is installed (entry point group {LAUNCHER_GROUP}). Reinstall the checkout "
            f"so its entry points are registered: `uv pip install -e .` (or `pip install -e .`).")
    return next(iter(found)).load()
