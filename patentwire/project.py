"""Where the project's bundled files live (the repository checkout; installed editable)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SQL_DIR = ROOT / "sql"
SAMPLES_DIR = ROOT / "samples"
DEFAULT_SOURCES = SAMPLES_DIR / "sources.yaml"
