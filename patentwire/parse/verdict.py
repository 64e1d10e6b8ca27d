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
from patentwire.vocab import NoArticleReason

LEXICON_FILE = Path(__file__).resolve().parents[1] / "data" / "parse" / "no_article.yaml"
# Fewer words than this is a caption or a stub, not an article (the benchmark's shortest has 18).
MIN_ARTICLE_WORDS = 15
# A consent notice is short; a long article that mentions cookies is still an article.
CONSENT_MAX_WORDS = 300
CONSENT_MIN_PHRASES = 3
CONSENT_MIN_SHARE = 0.5
# Teasers: <article> elements or headings holding a link. Four or more mark a listing when a
# good share of the extracted lines are teaser headlines, or when the extracted text quotes
# several teasers and no one place holds half of it (an article's text sits in one container).
# Text length is no cue: short news items with short paragraphs beside a related-stories box
# are common in the benchmark.
LISTING_MIN_TEASERS = 4
LISTING_TEASER_LINE_SHARE = 0.3
LISTING_MIN_QUOTED_TEASERS = 3
LISTING_MAX_SHARE_OF_ONE = 0.5
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
    """Several consent phrases, in a short text that is mostly made of the lines holding them
    (a cookie line leaking into a short article does not turn it into a consent wall)."""
    lowered = text.lower()
    phrases = consent_phrases()
    if sum(phrase in lowered for phrase in phrases) < CONSENT_MIN_PHRASES or word_count(text) > CONSENT_MAX_WORDS:
        return False
    consent_words = sum(word_count(line) for line in lowered.split("\n") if any(p in line for p in phrases))
    return consent_words >= CONSENT_MIN_SHARE * word_count(text)


def teaser_containers(tree: HtmlElement) -> list[HtmlElement]:
    """<article> elements and the parents of headings that hold a link: one per teaser on a listing."""
    found = list(tree.iter("article"))
    for heading in tree.iter("h2", "h3", "h4"):
        parent = heading.getparent()
        if parent is not None and (heading.find(".//a") is not None or parent.tag == "a"):
            found.append(parent)
    return list(dict.fromkeys(found))


def teaser_line_share(tree: HtmlElement, text: str) -> float:
    """Share of the text's lines that are the text of a link on the page (teaser headlines)."""
    lines = [word_key(line) for line in text.split("\n") if line.strip()]
    if not lines:
        return 0.0
    link_texts = {key for a in tree.iter("a") if len((key := word_key(a.text_content())).split()) >= _HEADLINE_MIN_WORDS}
    return sum(line in link_texts for line in lines) / len(lines)


def text_by_teaser(containers: list[HtmlElement], text: str) -> dict[HtmlElement | None, int]:
    """Words of the text per teaser container that quotes them (None: no single container).

    A line belongs to the innermost container holding it; a line held by several unrelated
    containers (a repeated section name) belongs to none.
    """
    contents = sorted(((c, word_key(c.text_content())) for c in containers), key=lambda pair: len(pair[1]))
    words: dict[HtmlElement | None, int] = {}
    for line in text.split("\n"):
        key = word_key(line)
        holders = [c for c, content in contents if key and key in content]  # innermost first
        owner = holders[0] if holders else None
        if owner is not None and not all(_nested(owner, other) for other in holders[1:]):
            owner = None
        words[owner] = words.get(owner, 0) + len(key.split())
    return words


def _nested(one: HtmlElement, other: HtmlElement) -> bool:
    return any(a is other for a in one.iterancestors()) or any(a is one for a in other.iterancestors())


def is_listing(tree: HtmlElement, text: str) -> bool:
    containers = teaser_containers(tree)
    if len(containers) < LISTING_MIN_TEASERS:
        return False
    if teaser_line_share(tree, text) >= LISTING_TEASER_LINE_SHARE:
        return True
    words = text_by_teaser(containers, text)
    quoted = sum(1 for owner in words if owner is not None)
    return quoted >= LISTING_MIN_QUOTED_TEASERS and max(words.values()) < LISTING_MAX_SHARE_OF_ONE * sum(words.values())


def no_article_reason(tree: HtmlElement, text: str) -> NoArticleReason | None:
    """None for an article, else why not."""
    if not text.strip():
        page_text = visible_text(tree)
        if not page_text.strip():
            return NoArticleReason.EMPTY
        if is_consent_notice(page_text):
            return NoArticleReason.CONSENT_WALL
        listing = len(teaser_containers(tree)) >= LISTING_MIN_TEASERS
        return NoArticleReason.LISTING_PAGE if listing else NoArticleReason.TOO_SHORT
    if is_consent_notice(text):
        return NoArticleReason.CONSENT_WALL
    if is_listing(tree, text):
        return NoArticleReason.LISTING_PAGE
    if word_count(text) < MIN_ARTICLE_WORDS:
        return NoArticleReason.TOO_SHORT
    return None
