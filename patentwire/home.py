"""The one directory that holds all of patentwire's state."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_HOME = ".patentwire"
HOME_ENV = "PATENTWIRE_HOME"
SOURCES_ENV = "PATENTWIRE_SOURCES"  # sources.yaml for `dagster dev`; default: the bundled samples


class HomeError(RuntimeError):
    """The home directory cannot be used."""


@dataclass(frozen=True)
class Home:
    root: Path

    @classmethod
    def resolve(cls, explicit: str | os.PathLike | None = None) -> Home:
        """`--home DIR`, else $PATENTWIRE_HOME, else ./.patentwire (made absolute)."""
        chosen = explicit or os.environ.get(HOME_ENV) or DEFAULT_HOME
        return cls(Path(chosen).expanduser().resolve())

    @property
    def warehouse(self) -> Path:
        return self.root / "warehouse.duckdb"

    @property
    def snapshot(self) -> Path:
        """Read-only copy published after each load; what ad-hoc readers open."""
        return self.root / "warehouse.snapshot.duckdb"

    @property
    def pages(self) -> Path:
        return self.root / "pages"

    @property
    def exports(self) -> Path:
        return self.root / "exports"

    @property
    def dagster(self) -> Path:
        return self.root / "dagster"

    @property
    def inbox(self) -> Path:
        """Saved pages dropped here are picked up by the inbox sensor."""
        return self.root / "inbox"

    @property
    def staging(self) -> Path:
        """Hand-off between stages that do not write the warehouse."""
        return self.root / "staging"

    @property
    def charts(self) -> Path:
        """The charts of the SQL models' materializations, one per table version (drawn once)."""
        return self.staging / "charts"

    def ensure(self) -> Home:
        """Create the directory tree, or say clearly why it cannot be."""
        try:
            for path in (self.root, self.pages, self.exports, self.dagster, self.inbox, self.staging):
                path.mkdir(parents=True, exist_ok=True)
            probe = self.root / ".write-test"
            probe.write_text("ok")
            probe.unlink()
        except OSError as error:
            raise HomeError(f"patentwire home {self.root} is not writable: {error.strerror or error}. "
                            f"Pass --home DIR or set {HOME_ENV} to a writable directory.") from error
        return self
