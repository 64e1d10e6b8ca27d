"""Bytes to text: the charset a page declares is a claim, checked against its bytes.

Order (issue 5): HTTP header charset, then a byte-order mark, then `<meta charset>`, then
detection. A declared charset is only used when the bytes decode cleanly under it, so a
windows-1252 page labelled UTF-8 falls through to detection instead of becoming U+FFFD soup.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

import charset_normalizer

from patentwire.vocab import NoArticleReason

# Labels that browsers treat as windows-1252 (WHATWG encoding standard): decoding them as strict
# ISO-8859-1 would turn typographic quotes (0x93, 0x94) into C1 control characters.
_WINDOWS_1252_ALIASES = {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "us-ascii", "ascii",
                         "iso-ir-100", "cp819", "ibm819", "x-cp1252", "cp1252", "windows-1252"}
_SINGLE_BYTE_WESTERN = "windows-1252"
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([a-zA-Z0-9_:.\-]+)""", re.IGNORECASE)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([a-zA-Z0-9_:.\-]+)""", re.IGNORECASE)
_META_SCAN_BYTES = 4096  # the HTML spec's prescan looks at the first 1024; CMS headers run longer
_SNIFF_BYTES = 1024


class DecodeError(ValueError):
    """The body is not HTML text; `reason` says which way."""

    def __init__(self, reason: NoArticleReason, message: str):
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class DecodedPage:
    html: str
    encoding: str  # the Python codec name actually used
    source: str  # where the encoding came from: header, bom, meta, detected, utf-8-check


def charset_from_content_type(content_type: str | None) -> str | None:
    match = _HEADER_CHARSET.search(content_type or "")
    return match.group(1).strip().lower() if match else None


def charset_from_meta(body: bytes) -> str | None:
    match = _META_CHARSET.search(body[:_META_SCAN_BYTES])
    return match.group(1).decode("ascii").strip().lower() if match else None


def check_is_html(body: bytes, content_type: str | None) -> None:
    """Raise DecodeError for a PDF, a binary or a non-HTML media type."""
    media_type = (content_type or "").split(";")[0].strip().lower()
    head = body[:_SNIFF_BYTES].lstrip()
    if media_type == "application/pdf" or head.startswith(b"%PDF-"):
        raise DecodeError(NoArticleReason.PDF, "the body is a PDF document, not an HTML page")
    html_like = not media_type or media_type in {"text/html", "application/xhtml+xml", "text/plain",
                                                 "application/xml", "text/xml", "application/octet-stream"}
    if not html_like:
        raise DecodeError(NoArticleReason.NOT_HTML, f"media type {media_type!r} is not an HTML page")
    if b"\x00" in head and not any(head.startswith(bom) for bom, _ in _BOMS[1:]):
        raise DecodeError(NoArticleReason.NOT_HTML, "the body holds NUL bytes: binary data, not an HTML page")


def decode_html(body: bytes, content_type: str | None = None) -> DecodedPage:
    """The page as text, trying each declared charset before detection (see module doc)."""
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            bom_page = _try(body[len(bom):], encoding, "bom")
            if bom_page:
                return bom_page
    candidates = (("header", charset_from_content_type(content_type)), ("meta", charset_from_meta(body)))
    for source, label in candidates:
        page = _try_declared(body, label, source)
        if page:
            return page
    utf8 = _try(body, "utf-8", "utf-8-check")  # undeclared pages are UTF-8 far more often than not
    return utf8 or _detect(body)


def _try_declared(body: bytes, label: str | None, source: str) -> DecodedPage | None:
    encoding = _codec_name(label)
    if encoding is None:
        return None
    if encoding != "utf-8" and not body.isascii():
        # A page labelled with a legacy charset whose bytes are valid UTF-8 is UTF-8 (a transcoded
        # page that kept its old label): multi-byte UTF-8 sequences practically never form by
        # accident in single-byte or East Asian legacy text.
        as_utf8 = _try(body, "utf-8", source)
        if as_utf8:
            return as_utf8
    return _try(body, encoding, source)


def _codec_name(label: str | None) -> str | None:
    if not label:
        return None
    if label in _WINDOWS_1252_ALIASES:
        return _SINGLE_BYTE_WESTERN
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    # A page can only declare utf-16 in a meta tag if it was transcoded; browsers then read UTF-8.
    return "utf-8" if name.startswith("utf-16") else name


def _try(body: bytes, encoding: str, source: str) -> DecodedPage | None:
    try:
        return DecodedPage(body.decode(encoding), encoding, source)
    except (UnicodeDecodeError, LookupError):
        return None


def _detect(body: bytes) -> DecodedPage:
    matches = charset_normalizer.from_bytes(body)
    best = matches.best()
    if best is None:
        raise DecodeError(NoArticleReason.UNDECODABLE, "no character encoding decodes this body")
    # Short Western text often scores the same under cp1250, cp1252 and cp1257; on a tie take
    # windows-1252, the web's default for undeclared Western pages (WHATWG), so "à" stays "à".
    tied = [m for m in matches if (m.chaos, m.coherence) == (best.chaos, best.coherence)]
    chosen = next((m for m in tied if m.encoding == "cp1252"), best)
    return DecodedPage(str(chosen), chosen.encoding, "detected")
