"""file:// URLs: the bundled samples and saved archives read through the same rules as the web."""

from __future__ import annotations

import mimetypes
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

from patentwire.fetch import reasons
from patentwire.fetch.body import CHUNK, BodyOutcome, Decoder, is_html, read_limited
from patentwire.fetch.response import Fetched

FILE_TYPES = {".html": "text/html", ".htm": "text/html", ".xhtml": "application/xhtml+xml",
              ".xml": "application/xml", ".rss": "application/rss+xml", ".atom": "application/atom+xml"}


def file_path(url: str) -> Path:
    return Path(unquote(urlsplit(url).path))


def file_etag(path: Path) -> str:
    """Size and modification time, like a web server's weak validator."""
    stat = path.stat()
    return f'"{stat.st_size:x}-{stat.st_mtime_ns:x}"'


def guess_type(path: Path) -> str | None:
    name = path.name.lower().removesuffix(".gz")
    suffix = Path(name).suffix
    return FILE_TYPES.get(suffix) or mimetypes.guess_type(name)[0]


def read_file_url(url: str, *, max_bytes: int, html_only: bool, etag: str | None = None) -> Fetched:
    """Read a local page or document; `.gz` files are decompressed with the same size cap as the web."""
    started = time.monotonic()
    path = file_path(url)

    def done(**fields) -> Fetched:
        return Fetched(url=url, final_url=url, elapsed_ms=(time.monotonic() - started) * 1000, **fields)

    if not path.exists():
        return done(reason=reasons.FILE_NOT_FOUND)
    if not path.is_file():
        return done(reason=reasons.NOT_A_FILE)
    current_etag = file_etag(path)
    content_type = guess_type(path)
    if etag is not None and etag == current_etag:
        return done(status=200, not_modified=True, etag=current_etag, content_type=content_type)
    if html_only and content_type is not None and not is_html(content_type):
        return done(reason=reasons.NOT_HTML, content_type=content_type)
    outcome = _read(path, max_bytes)
    if outcome.reason:
        return done(reason=outcome.reason, content_type=content_type)
    if html_only and not is_html(content_type, outcome.body):
        return done(reason=reasons.NOT_HTML, content_type=content_type)
    return done(status=200, body=outcome.body, etag=current_etag, content_type=content_type)


def _read(path: Path, max_bytes: int) -> BodyOutcome:
    with path.open("rb") as handle:
        gzipped = handle.read(2) == b"\x1f\x8b"
        handle.seek(0)
        if not gzipped and path.stat().st_size > max_bytes:
            return BodyOutcome(None, reasons.TOO_LARGE)
        chunks = iter(lambda: handle.read(CHUNK), b"")
        return read_limited(chunks, Decoder("gzip") if gzipped else None, max_bytes, float("inf"))

