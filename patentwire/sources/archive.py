"""A local folder of saved pages, for back-filling: each page becomes a file:// URL."""

from __future__ import annotations

from pathlib import Path

from patentwire.sources.entries import Entry

PAGE_SUFFIXES = (".html", ".htm", ".xhtml", ".html.gz", ".htm.gz", ".xhtml.gz")


def archive_entries(folder: Path) -> list[Entry]:
    """Every saved page under `folder`, in path order (FileNotFoundError if the folder is missing)."""
    inside, _outside = saved_pages(folder)
    return [Entry(url=path.resolve().as_uri()) for path in inside]


def saved_pages(folder: Path) -> tuple[list[Path], list[Path]]:
    """(pages inside `folder`, symlinks among them that lead out of it), each in path order.

    A symlink to a page elsewhere in the folder is fine; one that leaves it (to /etc, to another user's
    files) is refused, so dropping a link into an archive or the inbox cannot read a file outside it.
    """
    if not folder.is_dir():
        raise FileNotFoundError(folder)
    root = folder.resolve()
    inside, outside = [], []
    for path in sorted(folder.rglob("*")):
        if not (path.name.lower().endswith(PAGE_SUFFIXES) and not path.name.startswith(".") and path.is_file()):
            continue
        (inside if path.resolve().is_relative_to(root) else outside).append(path)
    return inside, outside
