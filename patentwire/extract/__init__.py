"""Fact extraction in English and German: deals between companies and patent-portfolio sizes.

Rules and lexicons (`patentwire/data/lexicon/`, one folder per language), no model downloads. Every fact carries its
evidence sentence with offsets into the article text and the extractor version.
"""

from __future__ import annotations

from patentwire.extract.article import extract_article
from patentwire.extract.dates import parse_publication_date
from patentwire.extract.limits import MAX_TEXT_CHARS, bound_text
from patentwire.extract.model import (
    EXTRACTOR_VERSION,
    ArticleFacts,
    ArticleInput,
    CountMention,
    DealMention,
    Evidence,
    Party,
)
from patentwire.vocab import DatePrecision

__all__ = [
    "EXTRACTOR_VERSION", "ArticleFacts", "ArticleInput", "CountMention", "DealMention", "Evidence", "Party",
    "MAX_TEXT_CHARS", "extract_article", "extract_record",
]

OPTIONAL_TEXT_FIELDS = ("title", "language", "url")
# A publication date outside this range is a typo or garbage; date arithmetic near year 1 or 9999 overflows.
EARLIEST_YEAR, LATEST_YEAR = 1900, 2200


def extract_record(record: dict) -> dict:
    """One line of the `patentwire extract` filter: an article record in, the facts contract out."""
    if not isinstance(record, dict):
        raise ValueError(f"record is not a JSON object: {record!r}")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"record {record.get('id', '?')!r} lacks 'text' (a non-empty string with the article body)")
    if record.get("id") in (None, ""):
        raise ValueError("record lacks 'id'; give every article an id")
    for key in OPTIONAL_TEXT_FIELDS:
        if record.get(key) is not None and not isinstance(record[key], str):
            raise ValueError(f"record {record['id']!r}: {key!r} must be a string, got {type(record[key]).__name__}")
    published = parse_publication_date(record.get("published"))
    if published and not EARLIEST_YEAR <= published.day.year <= LATEST_YEAR:
        raise ValueError(f"'published' {record['published']!r} is outside {EARLIEST_YEAR}-{LATEST_YEAR}; is it a typo?")
    bounded = bound_text(text)
    article = ArticleInput(
        id=str(record["id"]), text=bounded.text, title=record.get("title") or None,
        language=record.get("language") or None, published=published.day if published else None,
        published_precision=published.precision if published else DatePrecision.DAY,
        url=record.get("url") or None,
    )
    facts = extract_article(article).to_dict()
    if bounded.truncated:
        facts["truncated"] = bounded.record()
    return facts
