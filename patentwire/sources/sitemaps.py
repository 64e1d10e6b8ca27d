"""XML sitemaps: urlset, sitemap index and Google News sitemaps (gzip handled by the caller)."""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from patentwire.fetch import reasons
from patentwire.sources.entries import Entry, MalformedDocument, parse_w3c_datetime
from patentwire.urls import resolve_link

# No network, no entities, no huge trees: a sitemap is untrusted input.
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=False)


@dataclass(frozen=True)
class Sitemap:
    entries: list[Entry]  # article URLs (urlset)
    children: list[Entry]  # child sitemaps (sitemap index), lastmod as `published`


def parse_sitemap(body: bytes, document_url: str) -> Sitemap:
    try:
        root = etree.fromstring(body.lstrip(), PARSER)
    except (etree.XMLSyntaxError, ValueError) as error:
        raise MalformedDocument(reasons.MALFORMED_SITEMAP) from error
    kind = etree.QName(root).localname
    if kind == "sitemapindex":
        return Sitemap(entries=[], children=_locations(root, "sitemap", document_url))
    if kind == "urlset":
        return Sitemap(entries=_locations(root, "url", document_url), children=[])
    raise MalformedDocument(reasons.MALFORMED_SITEMAP)


def _locations(root: etree._Element, element: str, document_url: str) -> list[Entry]:
    found = []
    for node in root.iter("{*}" + element):
        url = resolve_link(_child_text(node, "loc") or "", document_url)
        if not url:
            continue
        news_date = _news_text(node, "publication_date")
        published = parse_w3c_datetime(news_date) or parse_w3c_datetime(_child_text(node, "lastmod"))
        found.append(Entry(url=url, title=_news_text(node, "title"), published=published))
    return found


def _child_text(node: etree._Element, name: str) -> str | None:
    for child in node:
        if isinstance(child.tag, str) and etree.QName(child).localname == name and child.text:
            return child.text.strip()
    return None


def _news_text(node: etree._Element, name: str) -> str | None:
    """A field of the Google News extension (`<news:news>`), whatever its namespace prefix."""
    for news in node.iter("{*}news"):
        for child in news.iter("{*}" + name):
            if child.text and child.text.strip():
                return child.text.strip()
    return None
