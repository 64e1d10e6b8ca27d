"""parse_page: one fetched page (bytes) to a ParsedPage; parse_record: the same for one JSON line."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from lxml.html import HtmlElement
from trafilatura.utils import load_html

from patentwire.decompress import DecompressError, gunzip_bounded
from patentwire.parse.body import extract_body
from patentwire.parse.dates import find_published
from patentwire.parse.decoding import DecodeError, check_is_html, decode_html
from patentwire.parse.language import choose_language
from patentwire.parse.metadata import declared_language, find_canonical_url, find_title, title_candidates
from patentwire.parse.verdict import no_article_reason
from patentwire.vocab import NoArticleReason

PARSER_VERSION = "parse-2"  # parse-2: pages cut at the parser depth limit are too_deep, not empty


@dataclass(frozen=True)
class ParsedPage:
    url: str  # the final URL the page was fetched from
    canonical_url: str
    title: str | None
    published: dt.date | None
    language: str | None  # ISO 639-1, e.g. "en", "de"
    text: str  # "" when reason is set
    reason: NoArticleReason | None  # None = an article


def parse_page(body: bytes, *, url: str, content_type: str | None = None,
               fetched_at: dt.datetime | None = None, language_hint: str | None = None) -> ParsedPage:
    """Text, title, date, language and canonical URL of one page; pure and thread-safe.

    `fetched_at` bounds the publication date (default: now, UTC); `language_hint` (the source's
    configured language) decides only when neither the markup nor the text is conclusive.
    """
    if not body.strip():
        return _no_article(url, NoArticleReason.EMPTY)
    try:
        check_is_html(body, content_type)
        html = decode_html(body, content_type).html
    except DecodeError as error:
        return _no_article(url, error.reason)
    tree = load_html(html)
    if tree is None:
        return _no_article(url, NoArticleReason.EMPTY)
    return _parse_tree(tree, url, fetched_at or dt.datetime.now(dt.UTC), language_hint)


def _parse_tree(tree: HtmlElement, url: str, fetched_at: dt.datetime, language_hint: str | None) -> ParsedPage:
    titles = title_candidates(tree)
    title, canonical_url = find_title(tree), find_canonical_url(tree, url)
    text = extract_body(tree, url, titles)
    reason = no_article_reason(tree, text)
    if reason in (NoArticleReason.EMPTY, NoArticleReason.TOO_SHORT) and cut_at_depth_limit(tree):
        reason = NoArticleReason.TOO_DEEP  # the text is missing because the parser stopped, not because it is
    if reason:
        return ParsedPage(url, canonical_url, title, None, None, "", reason)
    language = choose_language(text, declared_language(tree), language_hint)
    published = find_published(tree, url, fetched_at)  # last: htmldate may prune the tree it searches
    return ParsedPage(url, canonical_url, title, published, language, text, None)


# libxml2 (under lxml and trafilatura) stops building the tree at this nesting depth and drops what lies
# deeper; its "huge" option, which would lift the limit, is never set for pages from the web.
PARSER_MAX_DEPTH = 256


def cut_at_depth_limit(tree: HtmlElement) -> bool:
    """Whether the parser reached its depth limit: asked only of pages that yielded no article."""
    pending = [(tree, 1)]
    while pending:
        element, depth = pending.pop()
        if depth >= PARSER_MAX_DEPTH:
            return True
        pending.extend((child, depth + 1) for child in element)
    return False


def _no_article(url: str, reason: NoArticleReason) -> ParsedPage:
    return ParsedPage(url=url, canonical_url=url, title=None, published=None, language=None, text="", reason=reason)


# --- the JSON Lines filter -------------------------------------------------------------------

MAX_PAGE_FILE_BYTES = 5_000_000  # as the crawler's default fetch.max_bytes: a page, not a data dump
EARLIEST_YEAR, LATEST_YEAR = 1900, 2200  # a fetch time outside is garbage; date arithmetic near year 1 overflows


def parse_record(record: dict) -> dict:
    """One line of `patentwire parse`: {"id","url","html"} or {"id","url","path"} in (optionally
    "content_type", "fetched_at" as ISO timestamp, "language_hint"), the parsed page out as
    {"id", "url", "canonical_url", "title", "published", "language", "text", "reason"}. Raises ValueError for
    a record that lacks what it needs."""
    missing = [key for key in ("id", "url") if record.get(key) in (None, "")]
    if missing:
        raise ValueError(f"record lacks {' and '.join(repr(k) for k in missing)}: "
                         'each line needs {"id", "url", "html"} or {"id", "url", "path"}')
    body, content_type = _record_body(record)
    parsed = parse_page(body, url=str(record["url"]), content_type=content_type, fetched_at=_fetched_at(record),
                        language_hint=_text_or_none(record.get("language_hint")))
    return {"id": record["id"], "url": parsed.url, "canonical_url": parsed.canonical_url, "title": parsed.title,
            "published": parsed.published.isoformat() if parsed.published else None,
            "language": parsed.language, "text": parsed.text, "reason": parsed.reason}


def _record_body(record: dict) -> tuple[bytes, str | None]:
    """The page bytes and their content type; inline HTML is already text, so its charset is known."""
    if isinstance(record.get("html"), str):
        # a lone surrogate (legal in a JSON escape, not in UTF-8) becomes U+FFFD, as a browser would show it
        return record["html"].encode("utf-8", "replace"), "text/html; charset=utf-8"
    if record.get("path"):
        if not isinstance(record["path"], str):
            raise ValueError(f"record {record['id']!r}: 'path' must be a string, got {type(record['path']).__name__}")
        return _read_page_file(Path(record["path"]), record["id"]), _text_or_none(record.get("content_type"))
    raise ValueError(f"record {record.get('id')!r} has neither 'html' (the page as a string) nor 'path' "
                     "(a .html or .html.gz file)")


def _read_page_file(path: Path, record_id: object) -> bytes:
    """A saved page (`.gz` decompressed), at most MAX_PAGE_FILE_BYTES either way."""
    if not path.is_file():
        raise ValueError(f"record {record_id!r}: no file at path {str(path)!r}")
    with path.open("rb") as handle:
        raw = handle.read(MAX_PAGE_FILE_BYTES + 1)
    if len(raw) > MAX_PAGE_FILE_BYTES:
        raise ValueError(f"record {record_id!r}: {str(path)!r} is larger than {MAX_PAGE_FILE_BYTES:,} bytes")
    if path.suffix != ".gz":
        return raw
    try:
        return gunzip_bounded(raw, MAX_PAGE_FILE_BYTES)
    except DecompressError as error:
        raise ValueError(f"record {record_id!r}: {str(path)!r}: {error}") from None


def _text_or_none(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _fetched_at(record: dict) -> dt.datetime | None:
    value = record.get("fetched_at")
    if not value:
        return None
    try:
        fetched_at = dt.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise ValueError(f"record {record['id']!r}: fetched_at {value!r} is not an ISO timestamp") from None
    if not EARLIEST_YEAR <= fetched_at.year <= LATEST_YEAR:
        raise ValueError(f"record {record['id']!r}: fetched_at {value!r} is outside {EARLIEST_YEAR}-{LATEST_YEAR}")
    return fetched_at
