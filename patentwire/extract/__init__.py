"""Fact extraction in English and German: deals between companies and patent-portfolio sizes.

Rules and lexicons (`patentwire/data/lexicon/*.yaml`), no model downloads. Every fact carries its
evidence sentence with offsets into the article text and the extractor version.
"""

from __future__ import annotations

from patentwire.extract.article import extract_article
from patentwire.extract.dates import parse_publication_date
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
    "extract_article", "extract_record",
]


def extract_record(record: dict) -> dict:
    """One line of the `patentwire extract` filter: an article record in, the facts contract out."""
    if not isinstance(record, dict):
        raise ValueError(f"record is not a JSON object: {record!r}")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"record {record.get('id', '?')!r} lacks 'text' (a non-empty string with the article body)")
    if record.get("id") in (None, ""):
        raise ValueError("record lacks 'id'; give every article an id")
    published = parse_publication_date(record.get("published"))
    article = ArticleInput(
        id=str(record["id"]), text=text, title=record.get("title") or None,
        language=record.get("language") or None, published=published.day if published else None,
        published_precision=published.precision if published else DatePrecision.DAY,
        url=record.get("url") or None,
    )
    return extract_article(article).to_dict()
