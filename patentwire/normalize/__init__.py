"""Normalization: companies resolved, deal mentions from many articles merged into events, counts kept.

    facts = normalize_facts(articles, extractor_facts, registry)   # -> NormalizedFacts of DataFrames
"""

from patentwire.normalize.events import DEFAULT_WINDOW_DAYS
from patentwire.normalize.facts import ARTICLE_COLUMNS, NormalizedFacts, normalize_facts
from patentwire.normalize.schema import (COMPANY_ALIAS_COLUMNS, COMPANY_COLUMNS, DEAL_COLUMNS,
                                         DEAL_MENTION_COLUMNS, DEAL_PARTY_COLUMNS, PATENT_COUNT_COLUMNS)

__all__ = [
    "ARTICLE_COLUMNS", "COMPANY_ALIAS_COLUMNS", "COMPANY_COLUMNS", "DEAL_COLUMNS", "DEAL_MENTION_COLUMNS",
    "DEAL_PARTY_COLUMNS", "DEFAULT_WINDOW_DAYS", "PATENT_COUNT_COLUMNS", "NormalizedFacts", "normalize_facts",
]
