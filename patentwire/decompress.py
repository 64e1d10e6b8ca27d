"""gzip with a size cap: a small compressed file can inflate to gigabytes (a "zip bomb").

Every gunzip of something patentwire did not write itself goes through here: `.html.gz` pages in an
archive or a filter's `path`, `.xml.gz` sitemaps. Reading stops one byte past the cap, so memory stays
bounded whatever the ratio, and the error says which of the three things went wrong.
"""

from __future__ import annotations

import zlib

TOO_LARGE, TRUNCATED, CORRUPT = "too_large", "truncated_gzip", "corrupt_gzip"


class DecompressError(ValueError):
    """The data cannot be decompressed within the cap; `reason` is one of the constants above."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def gunzip_bounded(data: bytes, max_bytes: int) -> bytes:
    """The decompressed gzip `data`, at most `max_bytes` long; DecompressError otherwise."""
    inflater = zlib.decompressobj(zlib.MAX_WBITS | 16)
    try:
        out = inflater.decompress(data, max_bytes + 1)
    except zlib.error as error:
        raise DecompressError(CORRUPT, f"not valid gzip data ({error})") from None
    if len(out) > max_bytes:
        raise DecompressError(TOO_LARGE, f"decompresses to more than {max_bytes:,} bytes")
    if not inflater.eof:
        raise DecompressError(TRUNCATED, "the gzip data ends before its end marker (a truncated file)")
    return out
