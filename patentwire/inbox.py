"""The inbox: a folder in the home where saved pages can be dropped to be read on the next run.

It is crawled as an implicit `archive` source named `inbox`, and its fingerprint tells the
Dagster sensor whether anything new arrived since the last look.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from patentwire.sources import Source, SourcesConfig
from patentwire.sources.archive import saved_pages

INBOX_SOURCE = "inbox"


def inbox_pages(folder: Path) -> list[Path]:
    """Saved pages in the inbox (hidden files and half-written downloads ignored), in path order."""
    if not folder.is_dir():
        return []
    # symlinks leading out of the inbox are refused by the archive reader
    return [page.path for page in saved_pages(folder)[0]]


def inbox_fingerprint(folder: Path) -> str:
    """Changes whenever a page is added, removed, renamed or rewritten; empty string for an empty inbox."""
    pages = inbox_pages(folder)
    if not pages:
        return ""
    digest = hashlib.sha256()
    for page in pages:
        stat = page.stat()
        digest.update(f"{page.relative_to(folder)}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:16]


def inbox_source(folder: Path) -> Source:
    return Source(name=INBOX_SOURCE, kind="archive", path=folder.resolve())


def with_inbox(config: SourcesConfig, folder: Path) -> SourcesConfig:
    """The sources plus the inbox as an archive source, once it holds a page.

    An empty inbox adds nothing, so a home without dropped pages crawls exactly its sources.yaml.
    A source the user already named `inbox` wins: theirs is kept and the folder is not added.
    """
    if not inbox_pages(folder) or config.source(INBOX_SOURCE) is not None:
        return config
    return config.model_copy(update={"sources": [*config.sources, inbox_source(folder)]})
