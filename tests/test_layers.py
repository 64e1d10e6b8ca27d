"""The import direction pipelines -> assets -> patentwire, a core free of Dagster, and an acyclic core."""

import ast
import graphlib
import pathlib
import re
import subprocess
import sys

from patentwire.launchers import launcher

ROOT = pathlib.Path(__file__).resolve().parents[1]
CORE = ROOT / "patentwire"


def _imported_modules(folder: str) -> set[tuple[str, str]]:
    found = set()
    for path in (ROOT / folder).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                found |= {(path.name, alias.name.split(".")[0]) for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add((path.name, node.module.split(".")[0]))
    return found


def _core_part(module: str) -> str:
    """`patentwire.fetch.client` -> `fetch`, `patentwire.urls` -> `urls`: the unit the core is layered in."""
    return module.split(".")[1]


def _core_import_graph() -> dict[str, set[str]]:
    """Which part of the core imports which other part, counting every import (also deferred or typing-only)."""
    graph: dict[str, set[str]] = {}
    for path in CORE.rglob("*.py"):
        relative = path.relative_to(CORE).with_suffix("")
        part = relative.parts[0]
        graph.setdefault(part, set())
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else \
                [node.module] if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 else []
            graph[part] |= {_core_part(name) for name in names if name.startswith("patentwire.")} - {part}
    return graph


def test_core_never_imports_dagster_assets_or_pipelines():
    offending = {(f, m) for f, m in _imported_modules("patentwire")
                 if m in {"dagster", "dagster_duckdb", "assets", "pipelines"}}
    assert not offending


def test_assets_never_import_pipelines():
    assert not {(f, m) for f, m in _imported_modules("assets") if m == "pipelines"}


def test_no_core_module_names_the_layers_above_it_even_in_a_string():
    # `python -m pipelines.run` in a subprocess or importlib.import_module("assets.x") would hide the
    # dependency from the import checks above; the launchers entry point is the one seam upwards.
    named = {path.relative_to(ROOT).as_posix(): sorted(set(found))
             for path in CORE.rglob("*.py")
             if (found := re.findall(r"\b(pipelines|assets)\b", path.read_text("utf-8")))}
    assert named == {}


def test_fetch_never_imports_sources():
    graph = _core_import_graph()
    assert "fetch" in graph["sources"]  # the order this protects: sources -> fetch
    assert "sources" not in graph["fetch"]


def test_the_parts_of_the_core_import_each_other_without_a_cycle():
    graphlib.TopologicalSorter(_core_import_graph()).prepare()  # raises CycleError naming the cycle


def test_the_cli_finds_the_dagster_commands_through_entry_points():
    assert {launcher(name).__module__ for name in ("run", "ui")} == {"pipelines.run", "pipelines.ui"}


def test_importing_every_core_module_loads_no_dagster():
    code = (
        "import importlib, pkgutil, sys, patentwire\n"
        "for m in pkgutil.walk_packages(patentwire.__path__, 'patentwire.'):\n"
        "    if m.name != 'patentwire.__main__': importlib.import_module(m.name)\n"
        "print(sorted(n for n in sys.modules if n.split('.')[0] in ('dagster', 'dagster_duckdb')))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert result.stdout.strip() == "[]"
