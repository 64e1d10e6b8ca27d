"""Where the project's bundled files live, in a checkout and in an installed wheel alike.

`sql/` and `samples/` stay at the top of the checkout; `patentwire/bundled/` holds symlinks to them, which
the wheel build follows, so an installed package carries real copies as package data.
"""

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
BUNDLED = PACKAGE / "bundled"
SQL_DIR = (BUNDLED / "sql").resolve()  # resolved: a checkout reports ./sql, not the symlink
SAMPLES_DIR = (BUNDLED / "samples").resolve()
DEFAULT_SOURCES = SAMPLES_DIR / "sources.yaml"
ROOT = PACKAGE.parent  # the checkout (README, tests, workspace.yaml); in a wheel, only site-packages
