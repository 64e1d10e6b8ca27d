"""Fact extraction in English and German: deals between companies and patent-portfolio sizes.

Rules and lexicons (`patentwire/data/lexicon/*.yaml`), no model downloads. Every fact carries its
evidence sentence with offsets into the article text and the extractor version.
"""

from __future__ import annotations

import datetime

from patentwire.extract.article import extract_article
from patentwire.extract.model import (
    EXTRACTOR_VERSION,
    ArticleFacts,
    ArticleInput,
    CountMention,
    DealMention,
    Evidence,
    Party,
)

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
    article = ArticleInput(
        id=str(record["id"]), text=text, title=record.get("title") or None,
        language=record.get("language") or None, published=_published(record.get("published")),
        url=record.get("url") or None,
    )
    return extract_article(article).to_dict()


def _published(value: object) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value if not isinstance(value, datetime.datetime) else value.date()
    try:
        return datetime.date.fromisoformat(str(value)[:10])
    except ValueError as error:
        raise ValueError(f"'published' must be an ISO date like 2017-07-05, got {value!r}") from error
