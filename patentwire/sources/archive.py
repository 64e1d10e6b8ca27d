"""A local folder of saved pages, for back-filling: each page becomes a file:// URL."""

from __future__ import annotations

from pathlib import Path

from patentwire.sources.entries import Entry

PAGE_SUFFIXES = (".html", ".htm", ".xhtml", ".html.gz", ".htm.gz", ".xhtml.gz")


def archive_entries(folder: Path) -> list[Entry]:
    """Every saved page under `folder`, in path order (FileNotFoundError if the folder is missing)."""
    if not folder.is_dir():
        raise FileNotFoundError(folder)
    pages = [path for path in folder.rglob("*")
             if path.is_file() and path.name.lower().endswith(PAGE_SUFFIXES) and not path.name.startswith(".")]
    return [Entry(url=path.resolve().as_uri()) for path in sorted(pages)]
