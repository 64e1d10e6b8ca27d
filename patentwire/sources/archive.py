"""A local folder of saved pages, for back-filling: each page becomes a file:// URL."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

PAGE_SUFFIXES = (".html", ".htm", ".xhtml", ".html.gz", ".htm.gz", ".xhtml.gz")


class SavedPage(NamedTuple):
    path: Path  # as found in the folder
    real: str  # where it is, links resolved (inside the folder)

    @property
    def url(self) -> str:
        return Path(self.real).as_uri()


def saved_pages(folder: Path) -> tuple[list[SavedPage], list[Path]]:
    """(pages inside `folder`, symlinks among them that lead out of it), each in path order.

    A symlink to a page elsewhere in the folder is fine; one that leaves it (to /etc, to another user's
    files) is refused, so dropping a link into an archive or the inbox cannot read a file outside it.
    """
    inside, outside = [], []
    for found, real in _page_files(folder):
        if real is None:
            outside.append(Path(found))
        else:
            inside.append(SavedPage(Path(found), real))
    return inside, outside


def _page_files(folder: Path) -> Iterator[tuple[str, str | None]]:
    """(path as found, real path or None when it leads outside) of every saved page, in path order.

    One directory walk without following directory links; only file links are resolved, so a large
    archive costs a listing, not a chain of lstat calls per page (FileNotFoundError if the folder is missing).
    """
    if not folder.is_dir():
        raise FileNotFoundError(folder)
    top = os.fspath(folder)
    root = os.path.realpath(top)
    found = [os.path.join(directory, name) for directory, _subdirs, names in os.walk(top)
             for name in names if not name.startswith(".") and name.lower().endswith(PAGE_SUFFIXES)]
    found.sort(key=lambda path: path.split(os.sep))
    for path in found:
        if not os.path.islink(path):
            if os.path.isfile(path):
                yield path, root + path[len(top):]
            continue
        real = os.path.realpath(path)
        if os.path.isfile(real):
            yield path, real if real.startswith(root + os.sep) else None
