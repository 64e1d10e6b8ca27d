"""The extractor's per-article facts (the extract CLI contract) as flat frames, one row per mention.

Input shape, one dict per article: {"id", "extractor_version", "deals": [...], "patent_counts": [...]};
see `patentwire.extract.model` for the fields of a deal and a count.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

import pandas as pd

from patentwire.vocab import PartyRole

MENTION_FRAME_COLUMNS = ["article_id", "mention_index", "extractor_version", "deal_types", "date_text",
                         "status", "evidence", "confidence"]
PARTY_FRAME_COLUMNS = ["article_id", "mention_index", "name", "canonical", "role"]
COUNT_FRAME_COLUMNS = ["article_id", "count_index", "extractor_version", "canonical", "name", "value",
                       "qualifier", "unit", "period", "as_of_text", "evidence", "confidence"]


class FactsFormatError(ValueError):
    """Extractor output that does not follow the contract; the message says which article and what to do."""


def deal_mention_frame(facts: Iterable[Mapping]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(mentions, parties): one row per deal mention and one per party of a mention."""
    mentions, parties = [], []
    for article in facts:
        _check_article(article)
        for index, deal in enumerate(article.get("deals") or ()):
            mentions.append({
                "article_id": article["id"], "mention_index": index,
                "extractor_version": article.get("extractor_version") or "unknown",
                "deal_types": sorted({str(deal_type) for deal_type in deal.get("types") or ()}),
                "date_text": deal.get("date"), "status": deal.get("status") or "primary",
                "evidence": ordered_evidence(deal.get("evidence")),
                "confidence": _confidence(deal.get("confidence")),
            })
            for party in deal.get("parties") or ():
                name, canonical = (party.get("name") or "").strip(), (party.get("canonical") or "").strip()
                if name or canonical:  # a party with no name at all cannot be resolved
                    parties.append({"article_id": article["id"], "mention_index": index, "name": name or canonical,
                                    "canonical": canonical or name, "role": party.get("role") or PartyRole.PARTY})
    return (pd.DataFrame(mentions, columns=MENTION_FRAME_COLUMNS),
            pd.DataFrame(parties, columns=PARTY_FRAME_COLUMNS))


def patent_count_frame(facts: Iterable[Mapping]) -> pd.DataFrame:
    """One row per portfolio-size statement, exactly as the extractor stated it."""
    facts = list(facts)
    for article in facts:
        _check_article(article)
    rows = [
        {"article_id": article["id"], "count_index": index,
         "extractor_version": article.get("extractor_version") or "unknown",
         "canonical": (count.get("company") or count.get("name") or "").strip(),
         "name": (count.get("name") or count.get("company") or "").strip(),
         "value": int(count["value"]), "qualifier": count.get("qualifier") or "exact",
         "unit": count.get("unit") or "patents", "period": count.get("period"),
         "as_of_text": count.get("as_of"), "evidence": ordered_evidence(count.get("evidence")),
         "confidence": _confidence(count.get("confidence"))}
        for article in facts
        for index, count in enumerate(article.get("patent_counts") or ())
        if (count.get("company") or count.get("name") or "").strip()  # a count about nobody says nothing
    ]
    return pd.DataFrame(rows, columns=COUNT_FRAME_COLUMNS)


def _confidence(value: object) -> float | None:
    """The fact's confidence as a float in [0, 1]; None when the extractor gave none (rules alone)."""
    if value is None:
        return None
    try:
        confidence = float(value)
    except (TypeError, ValueError):
        raise FactsFormatError(f"confidence must be a number between 0 and 1, got {value!r}") from None
    if not 0.0 <= confidence <= 1.0:
        raise FactsFormatError(f"confidence must be between 0 and 1, got {confidence}")
    return confidence


def _check_article(article: Mapping) -> None:
    if not isinstance(article, Mapping) or not article.get("id"):
        raise FactsFormatError(f"extractor facts without an 'id' (the article_id): {str(article)[:120]!r}; "
                               "re-run the extract stage so every article's facts carry its id")


def ordered_evidence(evidence: Iterable[Mapping] | None) -> list[dict]:
    """Evidence as plain dicts in text order, so 'the first evidence' never depends on list order."""
    items = [{"sentence": item.get("sentence") or "", "start": int(item.get("start", 0)),
              "end": int(item.get("end", 0))} for item in evidence or ()]
    return sorted(items, key=lambda item: (item["start"], item["end"], item["sentence"]))


def evidence_columns(evidence: pd.Series) -> pd.DataFrame:
    """sentence/start_offset/end_offset of the first evidence, the count, and all of it as JSON."""
    first = evidence.map(lambda items: items[0] if items else {"sentence": "", "start": 0, "end": 0})
    return pd.DataFrame({
        "sentence": first.map(lambda item: item["sentence"]),
        "start_offset": first.map(lambda item: item["start"]),
        "end_offset": first.map(lambda item: item["end"]),
        "evidence_count": evidence.map(len),
        "evidence": evidence.map(lambda items: json.dumps(items, ensure_ascii=False)),
    }, index=evidence.index)
