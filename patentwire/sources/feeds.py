"""RSS 0.9x/1.0/2.0 and Atom feeds, via feedparser."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, datetime

import feedparser

from patentwire.fetch import reasons
from patentwire.sources.entries import Entry, MalformedDocument
from patentwire.urls import resolve_link

# feedparser flags these as "bozo" although the feed reads fine.
HARMLESS_BOZO = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)


@dataclass(frozen=True)
class Feed:
    entries: list[Entry]
    recovered: bool = False  # malformed XML, but feedparser's lenient parser still found entries


def parse_feed(body: bytes, document_url: str) -> Feed:
    """The feed's entries, links resolved against the feed's own URL; MalformedDocument when nothing of
    a feed can be read."""
    # No base URL is given to feedparser: it mangles file:// bases. Links are resolved here instead.
    parsed = feedparser.parse(body)
    broken = bool(parsed.bozo) and not isinstance(parsed.get("bozo_exception"), HARMLESS_BOZO)
    if not parsed.get("version") and not parsed.entries:
        raise MalformedDocument(reasons.MALFORMED_FEED)
    entries = []
    for item in parsed.entries:
        url = resolve_link(_entry_link(item), document_url)
        if url:
            entries.append(Entry(url=url, title=(item.get("title") or "").strip() or None,
                                 published=_entry_date(item)))
    if broken and not entries:
        raise MalformedDocument(reasons.MALFORMED_FEED)
    return Feed(entries, recovered=broken)


def _entry_link(item: feedparser.FeedParserDict) -> str:
    for link in item.get("links") or []:
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return link["href"]
    return item.get("link") or item.get("id") or ""


def _entry_date(item: feedparser.FeedParserDict) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = item.get(key)
        if value:
            return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
    return None
