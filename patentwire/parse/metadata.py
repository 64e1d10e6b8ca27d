"""Title, canonical URL and declared language, read from the page's markup."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from lxml.html import HtmlElement

_SPACES = re.compile(r"\s+")
# Site names trail a <title> after one of these ("Nokia signs deal | Tech Blog").
_TITLE_SEPARATORS = re.compile(r"\s+[|–—:·»-]\s+")
_LANGUAGE_CODE = re.compile(r"^([a-z]{2,3})(?:[-_][a-z0-9]+)*$", re.IGNORECASE)


def _clean(text: str | None) -> str | None:
    text = _SPACES.sub(" ", text or "").strip()
    return text or None


def meta_content(tree: HtmlElement, *names: str) -> str | None:
    """First non-empty content of <meta property|name=...> among `names`, in order."""
    for name in names:
        for meta in tree.iterfind(f".//meta[@property='{name}']"):
            if value := _clean(meta.get("content")):
                return value
        for meta in tree.iterfind(f".//meta[@name='{name}']"):
            if value := _clean(meta.get("content")):
                return value
    return None


def title_candidates(tree: HtmlElement) -> list[str]:
    """Every headline the page states: og/twitter title, the <h1>s and the <title>."""
    found = [meta_content(tree, "og:title"), meta_content(tree, "twitter:title")]
    found += [_clean(h1.text_content()) for h1 in tree.iter("h1")][:3]
    title = tree.find(".//title")
    found.append(_clean(title.text_content()) if title is not None else None)
    return [text for text in found if text]


def find_title(tree: HtmlElement) -> str | None:
    """og:title, else the single <h1>, else <title> without the trailing site name."""
    if title := meta_content(tree, "og:title", "twitter:title"):
        return title
    headings = [text for h1 in tree.iter("h1") if (text := _clean(h1.text_content()))]
    if len(headings) == 1:
        return headings[0]
    element = tree.find(".//title")
    title = _clean(element.text_content()) if element is not None else None
    if not title:
        return headings[0] if headings else None
    return max(_TITLE_SEPARATORS.split(title), key=len).strip() or title


def find_canonical_url(tree: HtmlElement, url: str) -> str:
    """<link rel=canonical>, else og:url, else the final URL; a canonical pointing at a site's
    home page from a deeper page is a CMS mistake and is ignored (it would merge all articles)."""
    candidates = [link.get("href") for link in tree.iterfind(".//link[@rel]")
                  if "canonical" in link.get("rel", "").lower().split()]
    candidates.append(meta_content(tree, "og:url"))
    for candidate in candidates:
        absolute = _absolute_http_url(candidate, url)
        if absolute and not _is_home_page_of_deeper(absolute, url):
            return absolute
    return url


def _absolute_http_url(candidate: str | None, base: str) -> str | None:
    candidate = (candidate or "").strip()
    if not candidate:
        return None
    absolute = urljoin(base, candidate)
    parts = urlsplit(absolute)
    return absolute if parts.scheme in {"http", "https"} and parts.netloc else None


def _is_home_page_of_deeper(candidate: str, url: str) -> bool:
    return urlsplit(candidate).path in {"", "/"} and urlsplit(url).path not in {"", "/"}


def declared_language(tree: HtmlElement) -> str | None:
    """ISO 639-1 code from <html lang>, Content-Language or og:locale; None if absent or odd."""
    root = tree.getroottree().getroot()
    declared = [root.get("lang"), root.get("{http://www.w3.org/XML/1998/namespace}lang")]
    declared += [meta.get("content") for meta in tree.iterfind(".//meta[@http-equiv]")
                 if meta.get("http-equiv", "").lower() == "content-language"]
    declared.append(meta_content(tree, "og:locale", "language", "dc.language"))
    for value in declared:
        if code := normalize_language_code(value):
            return code
    return None


def normalize_language_code(value: str | None) -> str | None:
    """'de-DE' -> 'de', 'en_US' -> 'en'; only two-letter primary codes are kept."""
    match = _LANGUAGE_CODE.match((value or "").strip().split(",")[0].strip())
    if not match or len(match.group(1)) != 2:
        return None
    return match.group(1).lower()
