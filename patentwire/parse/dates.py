"""The publication date: htmldate's fast search (meta tags, JSON-LD, <time>, URL, a little text),
never later than the moment the page was fetched."""

from __future__ import annotations

import datetime as dt
import logging

from htmldate import find_date
from lxml.html import HtmlElement

# A page's local date runs up to 14 hours ahead of UTC (UTC+14), so a page fetched at 20:00 UTC
# may truthfully be dated tomorrow.
_LARGEST_UTC_OFFSET = dt.timedelta(hours=14)

# htmldate logs every page without a date at WARNING; a missing date is an ordinary outcome here.
logging.getLogger("htmldate").setLevel(logging.ERROR)


def find_published(tree: HtmlElement, url: str | None, fetched_at: dt.datetime) -> dt.date | None:
    """Original publication date, or None when absent or later than `fetched_at`.

    The tree is passed (not the HTML string) so htmldate can never mistake it for a URL and fetch it.
    """
    latest = latest_local_date(fetched_at)
    found = find_date(tree, url=url, original_date=True, extensive_search=False,
                      max_date=latest.isoformat())
    if not found:
        return None
    published = dt.date.fromisoformat(found)
    return published if published <= latest else None


def latest_local_date(fetched_at: dt.datetime) -> dt.date:
    """The latest calendar date anywhere on earth at `fetched_at` (naive means UTC)."""
    if fetched_at.tzinfo is not None:
        fetched_at = fetched_at.astimezone(dt.UTC).replace(tzinfo=None)
    return (fetched_at + _LARGEST_UTC_OFFSET).date()
