"""Why a page holds no article: empty, a consent wall, a listing of teasers, or too little text.

Cues are structural (teaser headings, link text) plus a small consent lexicon
(data/parse/no_article.yaml); thresholds were checked against the 181 article pages of the
benchmark, none of which may be turned away.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml
from lxml.html import HtmlElement

from patentwire.parse.boilerplate import word_key
from patentwire.parse.body import word_count

LEXICON_FILE = Path(__file__).resolve().parents[1] / "data" / "parse" / "no_article.yaml"
# Fewer words than this is a caption or a stub, not an article (the benchmark's shortest has 18).
MIN_ARTICLE_WORDS = 15
# A consent notice is short; a long article that mentions cookies is still an article.
CONSENT_MAX_WORDS = 300
CONSENT_MIN_PHRASES = 3
# Teasers: <article> elements or headings holding a link. Four or more mark a listing when a
# good share of the extracted lines are those teasers' headlines. (Text length is no cue: short
# news items with short paragraphs beside a related-stories box are common in the benchmark.)
LISTING_MIN_TEASERS = 4
LISTING_TEASER_LINE_SHARE = 0.3
_HEADLINE_MIN_WORDS = 3


@cache
def consent_phrases() -> tuple[str, ...]:
    return tuple(yaml.safe_load(LEXICON_FILE.read_text("utf-8"))["consent_phrases"])


def visible_text(tree: HtmlElement) -> str:
    body = tree.find(".//body")
    root = body if body is not None else tree
    return " ".join(t for el in root.iter() if isinstance(el.tag, str) and el.tag not in {"script", "style", "noscript"}
                    for t in (el.text, el.tail) if t and not t.isspace())


def is_consent_notice(text: str) -> bool:
    lowered = text.lower()
    found = sum(phrase in lowered for phrase in consent_phrases())
    return found >= CONSENT_MIN_PHRASES and word_count(text) <= CONSENT_MAX_WORDS


def teaser_count(tree: HtmlElement) -> int:
    articles = sum(1 for _ in tree.iter("article"))
    linked_headings = sum(1 for heading in tree.iter("h2", "h3", "h4")
                          if heading.find(".//a") is not None or heading.getparent().tag == "a")
    return max(articles, linked_headings)


def teaser_line_share(tree: HtmlElement, text: str) -> float:
    """Share of the text's lines that are the text of a link on the page (teaser headlines)."""
    lines = [word_key(line) for line in text.split("\n") if line.strip()]
    if not lines:
        return 0.0
    link_texts = {key for a in tree.iter("a") if len((key := word_key(a.text_content())).split()) >= _HEADLINE_MIN_WORDS}
    return sum(line in link_texts for line in lines) / len(lines)


def is_listing(tree: HtmlElement, text: str) -> bool:
    if teaser_count(tree) < LISTING_MIN_TEASERS:
        return False
    return teaser_line_share(tree, text) >= LISTING_TEASER_LINE_SHARE


def no_article_reason(tree: HtmlElement, text: str) -> str | None:
    """None for an article, else a reason code (see ParsedPage.reason)."""
    if not text.strip():
        page_text = visible_text(tree)
        if not page_text.strip():
            return "empty"
        if is_consent_notice(page_text):
            return "consent_wall"
        return "listing_page" if teaser_count(tree) >= LISTING_MIN_TEASERS else "too_short"
    if is_consent_notice(text):
        return "consent_wall"
    if is_listing(tree, text):
        return "listing_page"
    if word_count(text) < MIN_ARTICLE_WORDS:
        return "too_short"
    return None
