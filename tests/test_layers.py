"""The import direction pipelines -> assets -> patentwire, and a core free of Dagster."""

import ast
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]


def _imported_modules(folder: str) -> set[tuple[str, str]]:
    found = set()
    for path in (ROOT / folder).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                found |= {(path.name, alias.name.split(".")[0]) for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add((path.name, node.module.split(".")[0]))
    return found


def test_core_never_imports_dagster_assets_or_pipelines():
    offending = {(f, m) for f, m in _imported_modules("patentwire")
                 if m in {"dagster", "dagster_duckdb", "assets", "pipelines"}}
    assert not offending


def test_assets_never_import_pipelines():
    assert not {(f, m) for f, m in _imported_modules("assets") if m == "pipelines"}


def test_importing_every_core_module_loads_no_dagster():
    code = (
        "import importlib, pkgutil, sys, patentwire\n"
        "for m in pkgutil.walk_packages(patentwire.__path__, 'patentwire.'):\n"
        "    if m.name != 'patentwire.__main__': importlib.import_module(m.name)\n"
        "print(sorted(n for n in sys.modules if n.split('.')[0] in ('dagster', 'dagster_duckdb')))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert result.stdout.strip() == "[]"
