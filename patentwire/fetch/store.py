"""Fetched bodies, content-addressed: re-parsing never re-fetches, identical pages are stored once."""

from __future__ import annotations

import gzip
import hashlib
import os
import tempfile
from pathlib import Path


class PageStore:
    """`root/ab/abcdef….gz`: the gzip of a body, named by the sha256 of the uncompressed body."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path(self, sha: str) -> Path:
        return self.root / sha[:2] / f"{sha}.gz"

    def put(self, body: bytes) -> str:
        """Store a body (once) and return its sha256 hex."""
        sha = hashlib.sha256(body).hexdigest()
        target = self.path(sha)
        if target.exists():
            return sha
        target.parent.mkdir(parents=True, exist_ok=True)
        # Write then rename, so a crash or a parallel writer never leaves a half-written body under its name.
        handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".part")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(gzip.compress(body, compresslevel=6, mtime=0))
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return sha

    def get(self, sha: str) -> bytes:
        """The body stored under `sha`; KeyError if it was never stored."""
        try:
            return gzip.decompress(self.path(sha).read_bytes())
        except FileNotFoundError:
            raise KeyError(f"no page with sha256 {sha} in the page store {self.root}; "
                           f"fetch the page again (or point --home at the store that has it)") from None

    def __contains__(self, sha: str) -> bool:
        return self.path(sha).exists()
