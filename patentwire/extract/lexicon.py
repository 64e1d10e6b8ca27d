"""Loading the YAML lexicons under `patentwire/data/lexicon/`, once per process."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

LEXICON_DIR = Path(__file__).resolve().parent.parent / "data" / "lexicon"


@cache
def load_lexicon(name: str) -> dict:
    """The parsed `name`.yaml; callers must not mutate it (it is shared)."""
    path = LEXICON_DIR / f"{name}.yaml"
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}
