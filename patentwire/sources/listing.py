"""Newsroom index pages: article links picked by a CSS selector, and the "next page" link."""

from __future__ import annotations

from dataclasses import dataclass

import lxml.html
from lxml import etree
from lxml.cssselect import CSSSelector

from patentwire.fetch import reasons
from patentwire.sources.entries import Entry, MalformedDocument
from patentwire.urls import resolve_link


@dataclass(frozen=True)
class ListingPage:
    entries: list[Entry]
    next_url: str | None


def parse_listing(body: bytes, document_url: str, link_selector: str, next_selector: str | None) -> ListingPage:
    try:
        root = lxml.html.document_fromstring(body)
    except (etree.ParserError, ValueError) as error:
        raise MalformedDocument(reasons.MALFORMED_LISTING) from error
    entries = []
    for element in CSSSelector(link_selector)(root):
        link = _link_of(element)
        url = resolve_link(link.get("href", ""), document_url) if link is not None else None
        if url:
            title = " ".join(link.text_content().split()) or None
            entries.append(Entry(url=url, title=title))
    return ListingPage(entries=entries, next_url=_next_url(root, document_url, next_selector))


def _link_of(element: etree._Element) -> etree._Element | None:
    """The selector may point at the <a> itself or at something that holds one (an <h2>, an <article>)."""
    if element.tag == "a":
        return element
    return next(iter(element.iter("a")), None)


def _next_url(root: etree._Element, document_url: str, next_selector: str | None) -> str | None:
    if not next_selector:
        return None
    for element in CSSSelector(next_selector)(root):
        link = _link_of(element)
        if link is not None and (url := resolve_link(link.get("href", ""), document_url)):
            return url
    return None
