"""URLs: links resolved against their document, one spelling per article URL (so a page reached through a
feed and a sitemap is fetched once), and the host key that politeness is kept per."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit, urlunsplit

from courlan import normalize_url as courlan_normalize

WEB_SCHEMES = frozenset({"http", "https"})


def resolve_link(href: str, document_url: str) -> str | None:
    """An absolute URL for a link found in a document, or None for links that are not pages."""
    href = (href or "").strip()
    if not href or href.startswith(("#", "mailto:", "javascript:", "tel:", "data:")):
        return None
    return urljoin(document_url, href)


def normalize_url(url: str) -> str | None:
    """Lower-case scheme and host, no default port, fragment or tracking parameters, sorted query.

    Returns None for URLs that cannot be fetched (unknown scheme, no host).
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme == "file":
        # courlan does not know file://; the path is already absolute and resolved by whoever made it.
        return urlunsplit(("file", "", parts.path or "/", "", ""))
    if scheme not in WEB_SCHEMES or not parts.hostname:
        return None
    # urljoin removes `.` and `..` segments, which courlan keeps.
    cleaned = urljoin(f"{scheme}://{parts.netloc}/", urlunsplit(("", "", parts.path or "/", parts.query, "")))
    try:
        normalized = courlan_normalize(cleaned)
    except ValueError:
        return None
    normalized_parts = urlsplit(normalized)
    return urlunsplit((normalized_parts.scheme, normalized_parts.netloc, normalized_parts.path or "/",
                       normalized_parts.query, ""))


def host_key(url: str) -> str:
    """What rate limits and robots.txt are kept per: scheme and network location."""
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"
