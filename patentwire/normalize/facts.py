"""normalize_facts: per-article extractor output -> companies, deal events with their evidence, counts.

Every frame is sorted by its id and typed by `schema`, so the same input in any order gives the
same frames, and the load step can replace the fact tables wholesale on every run.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import chain, islice

import pandas as pd

from patentwire.companies import CompanyRegistry
from patentwire.ids import stable_id
from patentwire.normalize.companies import build_companies, resolve_names
from patentwire.normalize.dates import DateSpan, day_span, parse_partial_date
from patentwire.normalize.events import DEFAULT_WINDOW_DAYS, cluster_mentions, status_rank, type_family
from patentwire.normalize.flatten import deal_mention_frame, evidence_columns, patent_count_frame
from patentwire.normalize.schema import (DEAL_MENTION_SCHEMA, DEAL_PARTY_SCHEMA, DEAL_SCHEMA,
                                         PATENT_COUNT_SCHEMA, typed_frame)
from patentwire.vocab import PartyRole, ResolvedBy

ARTICLE_COLUMNS = ["article_id", "url", "canonical_url", "source", "title", "published", "language"]


@dataclass(frozen=True)
class NormalizedFacts:
    companies: pd.DataFrame
    company_aliases: pd.DataFrame
    deals: pd.DataFrame
    deal_parties: pd.DataFrame
    deal_mentions: pd.DataFrame
    patent_counts: pd.DataFrame
    summary: dict[str, int] = field(default_factory=dict)  # counts for the run report and Dagster metadata


def normalize_facts(articles: pd.DataFrame, facts: Iterable[Mapping], registry: CompanyRegistry,
                    window_days: int = DEFAULT_WINDOW_DAYS) -> NormalizedFacts:
    """Resolve companies, merge deal mentions into events (within `window_days`), keep every count.

    `facts` may be a stream: it is flattened a bounded chunk at a time, so only the flat mention rows of
    the whole set are held, never every article's facts at once."""
    article_info = _article_info(articles)
    article_count, mentions, parties, counts = _flattened(facts)

    resolution = resolve_names(pd.concat([parties[["name", "canonical"]], counts[["name", "canonical"]]]), registry)
    parties = parties.merge(resolution, on=["name", "canonical"], how="left")
    counts = counts.merge(resolution, on=["name", "canonical"], how="left")
    non_party = ~parties["can_be_party"].astype(bool)
    parties = parties[~non_party]

    mentions = _with_party_sets(mentions, parties).merge(article_info, on="article_id", how="left")
    single_party = mentions["party_count"] < 2
    kept = _place_in_events(mentions[~single_party].copy(), window_days)
    kept_parties = parties.merge(kept[["article_id", "mention_index", "deal_id"]], on=["article_id", "mention_index"])

    references = pd.concat([
        parties.merge(article_info, on="article_id", how="left"),
        counts.merge(article_info, on="article_id", how="left"),
    ])[["company_id", "company_name", "in_registry", "name", "canonical", "published"]]
    companies, company_aliases = build_companies(references, registry)
    deals = _deals(kept)
    summary = {
        "articles": article_count,
        "deal_mentions": len(mentions),
        "deal_mentions_kept": len(kept),
        "dropped": int(single_party.sum()),  # mentions with fewer than two distinct companies
        "non_party_organisations_removed": int(non_party.sum()),
        "deals": len(deals),
        "deals_primary": int((deals["status"] == "primary").sum()),
        "companies": len(companies),
        "companies_unregistered": int((~companies["in_registry"]).sum()),
        "names_fuzzy_resolved": int((resolution["resolved_by"] == ResolvedBy.FUZZY).sum()),
        "mentions_without_evidence": int((kept["evidence"].map(len) == 0).sum()),
        "patent_counts": len(counts),
    }
    return NormalizedFacts(
        companies=companies,
        company_aliases=company_aliases,
        deals=deals,
        deal_parties=_deal_parties(kept_parties),
        deal_mentions=_deal_mentions(kept),
        patent_counts=_patent_counts(counts.merge(article_info, on="article_id", how="left")),
        summary=summary,
    )


FLATTEN_CHUNK = 2000  # articles' facts parsed and flattened at a time


def _flattened(facts: Iterable[Mapping]) -> tuple[int, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(articles seen, mentions, parties, counts) of a stream of facts, flattened chunk by chunk."""
    stream = iter(facts)
    chunks = iter(lambda: list(islice(stream, FLATTEN_CHUNK)), [])
    article_count, parts = 0, {"mentions": [], "parties": [], "counts": []}
    for chunk in chain(chunks, [[]]):  # the closing empty chunk gives every frame its columns
        article_count += len(chunk)
        mentions, parties = deal_mention_frame(chunk)
        for name, frame in (("mentions", mentions), ("parties", parties), ("counts", patent_count_frame(chunk))):
            parts[name].append(frame)
    return (article_count, *(_concat(parts[name]) for name in ("mentions", "parties", "counts")))


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """One frame with a fresh index; the last (empty) frame stands for them when every frame is empty."""
    filled = [frame for frame in frames if not frame.empty]
    if len(filled) == 1:
        return filled[0]
    return pd.concat(filled, ignore_index=True) if filled else frames[-1]


def _article_info(articles: pd.DataFrame) -> pd.DataFrame:
    """article_id, url (the fetched URL, else the canonical one) and published as a python date or None."""
    info = articles.reindex(columns=ARTICLE_COLUMNS).drop_duplicates("article_id")
    url = info["url"].where(info["url"].notna(), info["canonical_url"])
    return pd.DataFrame({"article_id": info["article_id"], "url": url,
                         "published": info["published"].map(as_date).astype(object)})


def as_date(value: object) -> date | None:
    """A date from what DuckDB, pandas or a JSON line hold (date, datetime, Timestamp, ISO text); None for a gap."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, datetime):  # pandas Timestamps included
        return value.date()
    if isinstance(value, date):
        return value
    return pd.Timestamp(value).date()


def _with_party_sets(mentions: pd.DataFrame, parties: pd.DataFrame) -> pd.DataFrame:
    """Add party_key (the sorted, distinct company ids of the mention, '|'-joined) and party_count."""
    sets = (parties.groupby(["article_id", "mention_index"])["company_id"]
            .agg(lambda ids: sorted(set(ids))).rename("company_ids").reset_index())
    mentions = mentions.merge(sets, on=["article_id", "mention_index"], how="left")
    mentions["company_ids"] = mentions["company_ids"].map(lambda ids: ids if isinstance(ids, list) else [])
    mentions["party_key"] = mentions["company_ids"].map("|".join)
    mentions["party_count"] = mentions["company_ids"].map(len)
    return mentions


def _place_in_events(mentions: pd.DataFrame, window_days: int) -> pd.DataFrame:
    """Add mention_id, the date span the clustering uses, family, event_first and deal_id."""
    mentions["stated_span"] = mentions["date_text"].map(parse_partial_date)
    # a report that states no date is dated by the article that carries it
    mentions["span"] = [stated or day_span(published) for stated, published
                        in zip(mentions["stated_span"], mentions["published"], strict=True)]
    mentions["family"] = mentions["deal_types"].map(type_family)
    mentions["mention_id"] = _unique_ids(
        mentions, ["article_id", "party_key", "deal_types", "status", "date_text", "evidence"], prefix="mention")
    candidates: dict[tuple[str, str], list[tuple[str, DateSpan | None]]] = defaultdict(list)
    for party_key, family, mention_id, span in zip(mentions["party_key"], mentions["family"],
                                                   mentions["mention_id"], mentions["span"], strict=True):
        candidates[(party_key, family)].append((mention_id, span))
    first_dates: dict[str, DateSpan | None] = {}
    for spans in candidates.values():  # one company set and type family: usually a handful of mentions
        first_dates.update(cluster_mentions(spans, window_days))
    mentions["event_first"] = mentions["mention_id"].map(first_dates)
    # the natural key of an event: who, when it began, and what kind of event it is
    mentions["deal_id"] = [
        stable_id("deal", party_key, _span_text(first), family) for party_key, first, family
        in zip(mentions["party_key"], mentions["event_first"], mentions["family"], strict=True)
    ]
    return mentions


def _span_text(span: DateSpan | None) -> str:
    return "" if span is None else f"{span.start.isoformat()}/{span.precision}"


def _unique_ids(frame: pd.DataFrame, key_columns: list[str], prefix: str) -> pd.Series:
    """stable_id of each row's natural key; identical keys (true repeats) get an occurrence number."""
    keys = pd.Series([_natural_key(values) for values in frame[key_columns].itertuples(index=False)],
                     index=frame.index, dtype=object)
    # repeats are identical facts, so which one gets which occurrence number changes nothing
    occurrence = keys.groupby(keys).cumcount()
    return pd.Series([stable_id(prefix, key, n) for key, n in zip(keys, occurrence, strict=True)], index=frame.index)


def _natural_key(values: Iterable[object]) -> str:
    """JSON of the key parts, with every kind of missing value (None, NaN, NA) written as null.

    pandas stores a missing string as None or NaN depending on its neighbours; the id must not.
    """
    return json.dumps([None if _is_missing(value) else value for value in values],
                      sort_keys=True, ensure_ascii=False, default=str)


def _is_missing(value: object) -> bool:
    return value is None or (not isinstance(value, list | tuple | dict | str) and pd.isna(value))


def _deals(mentions: pd.DataFrame) -> pd.DataFrame:
    if mentions.empty:
        return typed_frame([], DEAL_SCHEMA)
    mentions = mentions.assign(rank=mentions["status"].map(status_rank),
                               reported=pd.to_datetime(mentions["published"]))
    best_rank = mentions.groupby("deal_id")["rank"].transform("min")
    dated_best = mentions[(mentions["rank"] == best_rank) & mentions["span"].notna()]
    # the event's date: the most precise, then earliest, date among its best-status reports
    deal_span = (dated_best.assign(precision_rank=dated_best["span"].map(lambda span: span.rank),
                                   start=dated_best["span"].map(lambda span: span.start))
                 .sort_values(["deal_id", "precision_rank", "start"], kind="stable").drop_duplicates("deal_id")
                 .set_index("deal_id")["span"])
    grouped = mentions.groupby("deal_id")
    deals = pd.DataFrame({
        "status": _best_status(mentions),
        "party_count": grouped["party_count"].first(),
        "article_count": grouped["article_id"].nunique(),
        "mention_count": grouped.size(),
        "first_reported": grouped["reported"].min().map(_timestamp_date),
        "last_reported": grouped["reported"].max().map(_timestamp_date),
        "extractor_version": grouped["extractor_version"].max(),  # the newest, when versions were mixed
        "confidence": grouped["confidence"].max(),  # the surest report vouches for the event
    })
    deals["deal_types"] = _union_of_types(mentions).reindex(deals.index)
    deals["deal_date"] = deal_span.map(lambda span: span.start).reindex(deals.index)
    deals["date_precision"] = deal_span.map(lambda span: str(span.precision)).reindex(deals.index)
    return typed_frame(deals.reset_index(), DEAL_SCHEMA, sort_by=["deal_id"])


def _union_of_types(mentions: pd.DataFrame) -> pd.Series:
    """deal_id -> sorted list of every type any of its mentions named."""
    types = (mentions[["deal_id", "deal_types"]].explode("deal_types").dropna().drop_duplicates()
             .sort_values(["deal_id", "deal_types"]))
    union = types.groupby("deal_id")["deal_types"].agg(list)
    return union.reindex(mentions["deal_id"].unique()).map(lambda value: value if isinstance(value, list) else [])


def _best_status(mentions: pd.DataFrame) -> pd.Series:
    """deal_id -> the most certain status among its mentions (primary > background > rumoured > negated)."""
    return (mentions.sort_values(["deal_id", "rank", "status"], kind="stable")
            .drop_duplicates("deal_id").set_index("deal_id")["status"])


def _timestamp_date(value: pd.Timestamp) -> date | None:
    return None if pd.isna(value) else value.date()


def _deal_parties(parties: pd.DataFrame) -> pd.DataFrame:
    """One row per deal and company: its most specific role and the name most often written for it."""
    keys = ["deal_id", "company_id"]
    names = (parties.groupby([*keys, "name"]).size().rename("uses").reset_index()
             .sort_values([*keys, "uses", "name"], ascending=[True, True, False, True], kind="stable")
             .drop_duplicates(keys).rename(columns={"name": "name_as_written"}))
    # 'licensor' beats the generic 'party'; among specific roles the most frequent, ties alphabetical
    roles = (parties.groupby([*keys, "role"]).size().rename("uses").reset_index()
             .assign(generic=lambda frame: frame["role"] == PartyRole.PARTY)
             .sort_values([*keys, "generic", "uses", "role"], ascending=[True, True, True, False, True], kind="stable")
             .drop_duplicates(keys))
    frame = roles[[*keys, "role"]].merge(names[[*keys, "name_as_written"]], on=keys)
    return typed_frame(frame, DEAL_PARTY_SCHEMA, sort_by=keys)


def _deal_mentions(mentions: pd.DataFrame) -> pd.DataFrame:
    if mentions.empty:
        return typed_frame([], DEAL_MENTION_SCHEMA)
    frame = mentions.assign(
        mention_date=mentions["stated_span"].map(lambda span: span.start if span else None),
        date_precision=mentions["stated_span"].map(lambda span: str(span.precision) if span else None),
    ).drop(columns=["evidence"]).join(evidence_columns(mentions["evidence"]))
    return typed_frame(frame, DEAL_MENTION_SCHEMA, sort_by=["mention_id"])


def _patent_counts(counts: pd.DataFrame) -> pd.DataFrame:
    """Every statement, dated by its stated as-of, else by the article's publication date."""
    if counts.empty:
        return typed_frame([], PATENT_COUNT_SCHEMA)
    stated = counts["as_of_text"].map(parse_partial_date)
    frame = counts.assign(
        count_id=_unique_ids(counts, ["article_id", "company_id", "value", "unit", "qualifier", "evidence"],
                             prefix="count"),
        name_as_written=counts["name"],
        as_of=[span.start if span else published for span, published in zip(stated, counts["published"], strict=True)],
        as_of_precision=stated.map(lambda span: str(span.precision) if span else None),
    ).drop(columns=["evidence"]).join(evidence_columns(counts["evidence"]))
    return typed_frame(frame, PATENT_COUNT_SCHEMA, sort_by=["count_id"])
