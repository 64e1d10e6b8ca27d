"""Each pipeline stage as one call over the warehouse: read its inputs, run the core, load its rows.

The Dagster layer and the tests call these; they hold no orchestration of their own.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pandas as pd

from patentwire.companies import CompanyRegistry
from patentwire.extract import EXTRACTOR_VERSION, ArticleInput, extract_article
from patentwire.fetch import PAGE_STATE_COLUMNS, HttpClient, PageStore, fetch_pages
from patentwire.fetch.pages import page_states
from patentwire.ids import stable_id
from patentwire.normalize import NormalizedFacts, normalize_facts
from patentwire.parse import PARSER_VERSION, parse_page
from patentwire.sources import SourcesConfig, discover
from patentwire.tables import fact_tables, key_of, table
from patentwire.vocab import STORED_OUTCOMES, FetchOutcome, values
from patentwire.warehouse import LoadResult, insert_new, replace_all, upsert

FACT_TABLES = fact_tables()  # table -> key, from the registry (data/schema.yaml)


@dataclass
class StageReport:
    """What a stage did, for the run summary and the Dagster metadata."""

    rows: int
    counts: dict[str, int] = field(default_factory=dict)
    per_source: pd.DataFrame | None = None
    loads: list[LoadResult] = field(default_factory=list)


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


def outcome_counts(log: pd.DataFrame) -> pd.DataFrame:
    """Per source: how many attempts ended in each outcome."""
    if log.empty:
        return pd.DataFrame(columns=["source"])
    table = pd.crosstab(log["source"], log["outcome"]).reset_index()
    table.columns.name = None
    return table


# --- discover ---------------------------------------------------------------------------------


def run_discover(con: duckdb.DuckDBPyConnection, config: SourcesConfig, client: HttpClient,
                 now: datetime | None = None, store: PageStore | None = None) -> StageReport:
    """With a page store, feeds, sitemaps and listings are fetched conditionally (304 -> `unchanged`)."""
    previous = page_states(latest_page_state(con)) if store is not None else None
    found = discover(config, client, now=_now(now), store=store, previous=previous)
    # First discovery wins: a URL seen again on a later run is the same fact, not a new row.
    loads = [insert_new(con, "discovered_urls", found.urls, key_of("discovered_urls")),
             insert_new(con, "fetch_log", found.log, key_of("fetch_log"))]
    outcomes = found.log["outcome"].value_counts()
    per_source = found.urls.groupby("source").size().rename("urls").reset_index()
    counts = {"urls": len(found.urls), "discovery_failures": int(outcomes.get(FetchOutcome.FAILED, 0)),
              **{f"documents_{outcome.value}": int(outcomes.get(outcome, 0))
                 for outcome in (FetchOutcome.NEW, FetchOutcome.CHANGED, FetchOutcome.UNCHANGED)}}
    return StageReport(len(found.urls), counts, per_source, loads)


# --- fetch ------------------------------------------------------------------------------------


def latest_page_state(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The latest stored fetch of every url (what a conditional GET sends back)."""
    columns = ", ".join(PAGE_STATE_COLUMNS)
    return con.execute(f"""
        select {columns} from fetch_log
        where content_hash is not null and list_contains(?, outcome)
        qualify row_number() over (partition by url order by fetched_at desc) = 1
    """, [values(STORED_OUTCOMES)]).df()


def run_fetch(con: duckdb.DuckDBPyConnection, config: SourcesConfig, client: HttpClient, store: PageStore,
              now: datetime | None = None) -> StageReport:
    names = [source.name for source in config.sources if source.enabled]
    discovered = con.execute("select * from discovered_urls where list_contains(?, source) order by url",
                             [names]).df()
    log = fetch_pages(discovered, client, store, latest_page_state(con), now=_now(now))
    attempts = log[log["outcome"] != FetchOutcome.SKIPPED]
    load = insert_new(con, "fetch_log", attempts, key_of("fetch_log"))
    counts = {outcome.value: int((log["outcome"] == outcome).sum()) for outcome in FetchOutcome}
    return StageReport(len(attempts), counts, outcome_counts(log), [load])


# --- parse ------------------------------------------------------------------------------------


def pages_to_parse(con: duckdb.DuckDBPyConnection, parser_version: str = PARSER_VERSION) -> pd.DataFrame:
    """Stored pages whose current body has not been parsed by this parser version.

    Only discovered article URLs are pages: feeds, sitemaps and listings are stored too, but never parsed.
    """
    return con.execute("""
        with latest as (
            select url, coalesce(final_url, url) as final_url, source, content_hash, content_type, fetched_at
            from fetch_log
            where content_hash is not null and list_contains(?, outcome)
            qualify row_number() over (partition by url order by fetched_at desc) = 1
        )
        select l.*, d.language as language_hint
        from latest l
        join discovered_urls d using (url)
        anti join page_parses p
            on p.url = l.url and p.content_hash = l.content_hash and p.parser_version = ?
        order by l.fetched_at, l.url  -- the last of several URLs with one canonical article wins
    """, [values(STORED_OUTCOMES), parser_version]).df()


def parse_rows(pages: pd.DataFrame, read_body: Callable[[str], bytes], now: datetime) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(articles, page_parses) rows for the given pages."""
    articles, parses = [], []
    for page in pages.itertuples(index=False):
        fetched_at = page.fetched_at.to_pydatetime() if hasattr(page.fetched_at, "to_pydatetime") else page.fetched_at
        parsed = parse_page(read_body(page.content_hash), url=page.final_url, content_type=page.content_type,
                            fetched_at=fetched_at, language_hint=_text_or_none(page.language_hint))
        article_id = stable_id(parsed.canonical_url) if parsed.reason is None else None
        parses.append({"url": page.url, "content_hash": page.content_hash, "parser_version": PARSER_VERSION,
                       "article_id": article_id, "reason": parsed.reason, "parsed_at": now})
        if article_id:
            articles.append({"article_id": article_id, "url": page.url, "canonical_url": parsed.canonical_url,
                             "source": page.source, "title": parsed.title, "published": parsed.published,
                             "language": parsed.language, "text": parsed.text, "content_hash": page.content_hash,
                             "parser_version": PARSER_VERSION, "parsed_at": now})
    return (pd.DataFrame(articles, columns=table("articles").column_names),
            pd.DataFrame(parses, columns=table("page_parses").column_names))


def _text_or_none(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def run_parse(con: duckdb.DuckDBPyConnection, store: PageStore, now: datetime | None = None) -> StageReport:
    pages = pages_to_parse(con)
    articles, parses = parse_rows(pages, store.get, _now(now))
    # Several URLs may share one canonical article: keep the most recently fetched one.
    loads = [upsert(con, "articles", articles, key_of("articles")),
             upsert(con, "page_parses", parses, key_of("page_parses"))]
    reasons = parses["reason"].dropna().value_counts().to_dict()
    counts = {"pages_parsed": len(parses), "articles": len(articles), "no_article": int(parses["reason"].notna().sum())}
    counts.update({f"reason_{k}": int(v) for k, v in reasons.items()})
    return StageReport(len(articles), counts, None, loads)


# --- extract ----------------------------------------------------------------------------------


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def articles_to_extract(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    articles = con.execute("""
        select a.article_id, a.url, a.title, a.language, a.published, a.text, e.text_hash, e.extractor_version
        from articles a left join extractions e using (article_id)
        order by a.article_id
    """).df()
    if articles.empty:
        return articles
    current = articles["text"].map(text_hash)
    stale = (articles["text_hash"] != current) | (articles["extractor_version"] != EXTRACTOR_VERSION)
    return articles[stale.fillna(True)].assign(text_hash=current[stale.fillna(True)])


def extraction_rows(articles: pd.DataFrame, registry: CompanyRegistry, now: datetime) -> pd.DataFrame:
    rows = []
    for article in articles.itertuples(index=False):
        facts = extract_article(ArticleInput(
            id=article.article_id, text=article.text, title=_text_or_none(article.title),
            language=_text_or_none(article.language), published=_as_date(article.published), url=article.url,
        ), registry)
        rows.append({"article_id": article.article_id, "text_hash": article.text_hash,
                     "extractor_version": EXTRACTOR_VERSION,
                     "facts_json": json.dumps(facts.to_dict(), ensure_ascii=False, sort_keys=True),
                     "deal_mentions": len(facts.deals), "count_mentions": len(facts.counts), "extracted_at": now})
    return pd.DataFrame(rows, columns=table("extractions").column_names)


def _as_date(value: object) -> date | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return pd.Timestamp(value).date()


def run_extract(con: duckdb.DuckDBPyConnection, registry: CompanyRegistry, now: datetime | None = None) -> StageReport:
    rows = extraction_rows(articles_to_extract(con), registry, _now(now))
    load = upsert(con, "extractions", rows, key_of("extractions"))
    counts = {"articles_extracted": len(rows), "deal_mentions": int(rows["deal_mentions"].sum()),
              "count_mentions": int(rows["count_mentions"].sum())}
    return StageReport(len(rows), counts, None, [load])


# --- normalize and load -----------------------------------------------------------------------


def run_normalize(con: duckdb.DuckDBPyConnection, registry: CompanyRegistry) -> NormalizedFacts:
    articles = con.execute("""
        select article_id, url, canonical_url, source, title, published, language
        from articles order by article_id
    """).df()
    articles["published"] = articles["published"].map(_as_date).astype(object)
    facts = [json.loads(text) for (text,) in con.execute(
        "select facts_json from extractions where article_id in (select article_id from articles) order by article_id"
    ).fetchall()]
    return normalize_facts(articles, facts, registry)


def run_load(con: duckdb.DuckDBPyConnection, facts: NormalizedFacts) -> StageReport:
    frames = {table: getattr(facts, table) for table in FACT_TABLES}
    loads = replace_all(con, frames, FACT_TABLES)
    return StageReport(sum(load.rows for load in loads), {load.table: load.rows for load in loads}, None, loads)


def load_registry(home_root: Path) -> CompanyRegistry:
    """The bundled registry plus the user's own `companies.yaml` in the home, if any."""
    extra = home_root / "companies.yaml"
    return CompanyRegistry.load([extra] if extra.exists() else None)
