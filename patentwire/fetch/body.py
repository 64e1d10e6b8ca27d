"""Reading a response body within limits: size, time, and decompression that cannot explode."""

from __future__ import annotations

import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from patentwire.fetch import reasons

CHUNK = 64 * 1024  # bytes per read of a body (a read returns when this many have arrived or the body ends)
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
HTML_SNIFF = (b"<!doctype html", b"<html", b"<head", b"<body")


@dataclass(frozen=True)
class BodyOutcome:
    body: bytes | None
    reason: str | None = None


class BodyTooLarge(Exception):
    pass


class CorruptEncoding(Exception):
    pass


class Decoder:
    """Incremental gzip/deflate decoding whose output is capped, so a tiny bomb cannot fill memory."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        self._inflater: zlib._Decompress | None = None

    def feed(self, chunk: bytes, room: int) -> bytes:
        """Decode `chunk`; BodyTooLarge as soon as the output passes `room` bytes."""
        if self._inflater is None:
            self._inflater = zlib.decompressobj(self._wbits(chunk))
        try:
            out = self._inflater.decompress(chunk, room + 1)
        except zlib.error as error:
            raise CorruptEncoding(str(error)) from error
        if len(out) > room or self._inflater.unconsumed_tail:
            raise BodyTooLarge
        return out

    @property
    def complete(self) -> bool:
        return self._inflater is not None and self._inflater.eof

    def _wbits(self, first: bytes) -> int:
        if self.encoding in ("gzip", "x-gzip"):
            return 31
        # "deflate" is meant to be zlib-wrapped, but some servers send raw deflate.
        return 15 if first[:1] == b"\x78" else -15


def decoder_for(content_encoding: str | None) -> Decoder | None:
    """A decoder for the Content-Encoding header; None for identity; ValueError for one we cannot read."""
    encoding = (content_encoding or "identity").strip().lower()
    if encoding in ("", "identity"):
        return None
    if encoding in ("gzip", "x-gzip", "deflate"):
        return Decoder(encoding)
    raise ValueError(encoding)


def read_limited(chunks: Iterator[bytes], decoder: Decoder | None, max_bytes: int, deadline: float,
                 clock: Callable[[], float] = time.monotonic) -> BodyOutcome:
    """Collect a body from raw chunks: decoded, at most `max_bytes`, finished before `deadline`.

    Network errors raised by `chunks` propagate; the caller knows which library raised them.
    """
    out = bytearray()
    for chunk in chunks:
        if clock() > deadline:
            return BodyOutcome(None, reasons.TIMEOUT)
        if not chunk:
            continue
        try:
            piece = decoder.feed(chunk, max_bytes - len(out)) if decoder else chunk
        except BodyTooLarge:
            return BodyOutcome(None, reasons.TOO_LARGE)
        except CorruptEncoding:
            return BodyOutcome(None, reasons.BAD_ENCODING)
        out += piece
        if len(out) > max_bytes:
            return BodyOutcome(None, reasons.TOO_LARGE)
    if decoder is not None and not decoder.complete:
        return BodyOutcome(None, reasons.TRUNCATED_BODY)
    return BodyOutcome(bytes(out))


def media_type(content_type: str | None) -> str | None:
    """`text/html; charset=utf-8` → `text/html`."""
    if not content_type:
        return None
    return content_type.split(";", 1)[0].strip().lower() or None


def looks_like_html(body: bytes) -> bool:
    """For bodies served without a Content-Type: does it start like an HTML document?"""
    head = body[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(HTML_SNIFF) or head.startswith(b"<!--") and b"<html" in head


def is_html(content_type: str | None, body: bytes | None = None) -> bool:
    """An HTML/XHTML media type, or no media type and a body that looks like HTML."""
    if content_type:
        return content_type in HTML_TYPES
    return body is not None and looks_like_html(body)
