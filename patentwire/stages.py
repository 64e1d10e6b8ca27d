"""Each pipeline stage as one call over the warehouse: read its inputs, run the core, load its rows.

The Dagster layer and the tests call these; they hold no orchestration of their own.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from patentwire.companies import CompanyRegistry
from patentwire.extract import EXTRACTOR_VERSION, ArticleInput, extract_article
from patentwire.extract.limits import bound_text
from patentwire.extract.warm import warm_up
from patentwire.fetch import PAGE_STATE_COLUMNS, HttpClient, PageStore, fetch_pages
from patentwire.fetch.pages import RETIRED, page_states
from patentwire.ids import stable_id
from patentwire.normalize import NormalizedFacts, normalize_facts
from patentwire.normalize.facts import as_date
from patentwire.parallel import StagePool, batch_size, stage_pool, worker_state
from patentwire.parse import PARSER_VERSION, parse_page
from patentwire.progress import stage_progress
from patentwire.sources import SourcesConfig, discover
from patentwire.tables import fact_tables, key_of, table
from patentwire.vocab import STORED_OUTCOMES, FetchOutcome, values
from patentwire.warehouse import LoadResult, insert_new, replace_all, upsert
from patentwire.warehouse.versions import fingerprint, inputs_of, record_inputs

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
    previous = page_states(latest_page_state(con, documents_only=True)) if store is not None else None
    known = {url for (url,) in con.execute("select url from discovered_urls").fetchall()}
    found = discover(config, client, now=_now(now), store=store, previous=previous, known=known)
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


def latest_page_state(con: duckdb.DuckDBPyConnection, documents_only: bool = False) -> pd.DataFrame:
    """The latest stored fetch of every url (what a conditional GET sends back), with the history the
    revisit policy reads: since when its body is unchanged, and when it was first fetched.

    `documents_only`: feeds, sitemaps and listings only (what discovery reads), not the article pages."""
    pages_left_out = "anti join discovered_urls d on d.url = s.url" if documents_only else ""
    columns = ", ".join(f"s.{column}" for column in PAGE_STATE_COLUMNS)
    return con.execute(f"""
        with stored as (
            select url, etag, last_modified, fetched_at, content_hash
            from fetch_log
            where content_hash is not null and list_contains(?, outcome)
        ),
        body_changes as (
            select url, fetched_at,
                   content_hash is distinct from lag(content_hash) over (partition by url order by fetched_at)
                       as body_changed
            from stored
        ),
        history_per_url as (
            select url, max(fetched_at) filter (where body_changed) as stable_since,
                   min(fetched_at) as first_fetched_at
            from body_changes group by url
        )
        select {columns}, h.stable_since, h.first_fetched_at
        from stored s join history_per_url h using (url) {pages_left_out}
        qualify row_number() over (partition by s.url order by s.fetched_at desc) = 1
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
    counts["retired"] = int((log["reason"] == RETIRED).sum())
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


def parse_one(page: dict) -> tuple[dict | None, dict]:
    """(article row or None, page_parses row) of one stored page; runs in a worker process.

    The worker reads the body from the page store itself, so bodies never travel between processes.
    """
    state = worker_state()
    parsed = parse_page(state["read_body"](page["content_hash"]), url=page["final_url"],
                        content_type=page["content_type"], fetched_at=page["fetched_at"],
                        language_hint=_text_or_none(page["language_hint"]))
    now = state["now"]
    article_id = stable_id(parsed.canonical_url) if parsed.reason is None else None
    parse_row = {"url": page["url"], "content_hash": page["content_hash"], "parser_version": PARSER_VERSION,
                 "article_id": article_id, "reason": parsed.reason, "parsed_at": now}
    if not article_id:
        return None, parse_row
    return {"article_id": article_id, "url": page["url"], "canonical_url": parsed.canonical_url,
            "source": page["source"], "title": parsed.title, "published": parsed.published,
            "language": parsed.language, "text": parsed.text, "content_hash": page["content_hash"],
            "parser_version": PARSER_VERSION, "parsed_at": now, "text_hash": text_hash(parsed.text)}, parse_row


def _page_tasks(pages: pd.DataFrame) -> list[dict]:
    return [{"url": page.url, "final_url": page.final_url, "source": page.source,
             "content_hash": page.content_hash, "content_type": page.content_type,
             "fetched_at": page.fetched_at.to_pydatetime() if hasattr(page.fetched_at, "to_pydatetime")
             else page.fetched_at, "language_hint": page.language_hint}
            for page in pages.itertuples(index=False)]


def parse_rows(pages: pd.DataFrame, pool: StagePool) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(articles, page_parses) rows for the given pages, in the pages' order (the pool holds read_body, now)."""
    return _parse_frames(pool.map(parse_one, _page_tasks(pages)))


def _parse_frames(results: list[tuple[dict | None, dict]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    articles = [article for article, _ in results if article is not None]
    parses = [parse for _, parse in results]
    return (pd.DataFrame(articles, columns=table("articles").column_names),
            pd.DataFrame(parses, columns=table("page_parses").column_names))


def _text_or_none(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def batches(frame: pd.DataFrame, size: int) -> Iterator[pd.DataFrame]:
    for start in range(0, len(frame), size):
        yield frame.iloc[start:start + size]


def run_parse(con: duckdb.DuckDBPyConnection, store: PageStore, now: datetime | None = None,
              workers: int | None = None) -> StageReport:
    """Parse the pages not parsed yet, in bounded batches: each batch is parsed, loaded and let go."""
    now = _now(now)
    pages = pages_to_parse(con)  # page metadata only: the bodies are read batch by batch in the workers
    loads: dict[str, LoadResult] = {}
    counts = {"pages_parsed": 0, "articles": 0, "no_article": 0}
    reasons: Counter[str] = Counter()
    progress = stage_progress("parse", len(pages))
    with stage_pool({"read_body": store.get, "now": now}, workers) as pool:
        tasks = (_page_tasks(chunk) for chunk in batches(pages, batch_size()))
        for results in pool.map_batches(parse_one, tasks, progress.advance):
            articles, parses = _parse_frames(results)
            # Several URLs may share one canonical article: keep the most recently fetched one (pages come
            # oldest fetch first, so a later batch or a later row of the same batch wins).
            for load in (upsert(con, "articles", articles, key_of("articles")),
                         upsert(con, "page_parses", parses, key_of("page_parses"))):
                loads[load.table] = _added(loads.get(load.table), load)
            counts["pages_parsed"] += len(parses)
            counts["articles"] += len(articles)
            counts["no_article"] += int(parses["reason"].notna().sum())
            reasons.update(parses["reason"].dropna())
    counts.update({f"reason_{k}": int(v) for k, v in sorted(reasons.items())})
    return StageReport(counts["articles"], counts, None, list(loads.values()) or _no_loads("articles", "page_parses"))


def _added(total: LoadResult | None, load: LoadResult) -> LoadResult:
    if total is None:
        return load
    return LoadResult(load.table, total.rows + load.rows, total.inserted + load.inserted,
                      total.replaced + load.replaced, total.deleted + load.deleted)


def _no_loads(*tables: str) -> list[LoadResult]:
    return [LoadResult(table, 0, 0, 0) for table in tables]


# --- extract ----------------------------------------------------------------------------------


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def stale_extractions(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """(article_id, text_hash) of the articles whose text or extractor version changed: ids and hashes only."""
    return con.execute("""
        select a.article_id, a.text_hash
        from articles a left join extractions e using (article_id)
        where e.article_id is null or e.text_hash is distinct from a.text_hash or e.extractor_version <> ?
        order by a.article_id
    """, [EXTRACTOR_VERSION]).df()


def article_texts(con: duckdb.DuckDBPyConnection, article_ids: list[str]) -> pd.DataFrame:
    """The fields extract reads, for one bounded batch of articles."""
    return con.execute("""
        select article_id, url, title, language, published, text, text_hash
        from articles where list_contains(?, article_id) order by article_id
    """, [article_ids]).df()


def articles_to_extract(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every article extract has to read, texts included (small homes and tests; run_extract batches)."""
    return article_texts(con, stale_extractions(con)["article_id"].tolist())


def extract_one(article: dict) -> dict:
    """The extractions row of one article; runs in a worker process."""
    state = worker_state()
    bounded = bound_text(article["text"])  # a page dump must not hold the stage for minutes
    facts = extract_article(ArticleInput(
        id=article["article_id"], text=bounded.text, title=_text_or_none(article["title"]),
        language=_text_or_none(article["language"]), published=as_date(article["published"]), url=article["url"],
    ), state["registry"]).to_dict()
    if bounded.truncated:
        facts["truncated"] = bounded.record()
    return {"article_id": article["article_id"], "text_hash": article["text_hash"],
            "extractor_version": EXTRACTOR_VERSION,
            "facts_json": json.dumps(facts, ensure_ascii=False, sort_keys=True),
            "deal_mentions": len(facts["deals"]), "count_mentions": len(facts["patent_counts"]),
            "text_truncated": bounded.truncated, "extracted_at": state["now"]}


def extraction_rows(articles: pd.DataFrame, pool: StagePool) -> pd.DataFrame:
    """extractions rows for the given articles, in their order (the pool holds registry, now)."""
    return _extraction_frame(pool.map(extract_one, _extract_tasks(articles)))


def _extraction_frame(results: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(results, columns=table("extractions").column_names)


def _extract_tasks(articles: pd.DataFrame) -> list[dict]:
    return articles[["article_id", "url", "title", "language", "published", "text", "text_hash"]].to_dict("records")


def run_extract(con: duckdb.DuckDBPyConnection, registry: CompanyRegistry | Callable[[], CompanyRegistry],
                now: datetime | None = None, workers: int | None = None) -> StageReport:
    """Extract the articles whose text or extractor changed, texts fetched and loaded in bounded batches.

    `registry` may be a function that loads it: it is called only when there is something to extract."""
    now = _now(now)
    stale = stale_extractions(con)
    if stale.empty:
        return StageReport(0, {"articles_extracted": 0, "deal_mentions": 0, "count_mentions": 0,
                               "articles_truncated": 0}, None, _no_loads("extractions"))
    if callable(registry):
        registry = registry()
    total: LoadResult | None = None
    counts = {"articles_extracted": 0, "deal_mentions": 0, "count_mentions": 0, "articles_truncated": 0}
    progress = stage_progress("extract", len(stale))
    # workers inherit the extractor's warmed-up state; in one process it is built lazily, only as needed
    with stage_pool({"registry": registry, "now": now}, workers, before_fork=lambda: warm_up(registry)) as pool:
        # each batch's texts are read when the batch is handed to the workers, one batch ahead of the loads
        tasks = (_extract_tasks(article_texts(con, chunk["article_id"].tolist()))
                 for chunk in batches(stale, batch_size()))
        for results in pool.map_batches(extract_one, tasks, progress.advance):
            rows = _extraction_frame(results)
            total = _added(total, upsert(con, "extractions", rows, key_of("extractions")))
            counts["articles_extracted"] += len(rows)
            counts["deal_mentions"] += int(rows["deal_mentions"].sum())
            counts["count_mentions"] += int(rows["count_mentions"].sum())
            counts["articles_truncated"] += int(rows["text_truncated"].sum())
    return StageReport(counts["articles_extracted"], counts, None, [total] if total else _no_loads("extractions"))


# --- normalize and load -----------------------------------------------------------------------


NORMALIZE_INPUTS = ("articles", "extractions")
INPUTS_KEY = "inputs"


def normalize_inputs(con: duckdb.DuckDBPyConnection, home_root: Path) -> str:
    """What the fact tables are derived from: the versions of articles and extractions, the user's company
    list and the normalize code (by size and modification time: a stat, not a read)."""
    watched = [home_root / "companies.yaml", *sorted(_NORMALIZE_CODE.glob("*.py")), _COMPANIES_CODE]
    stats = [(path.name, path.stat().st_size, path.stat().st_mtime_ns) for path in watched if path.exists()]
    return fingerprint(con, NORMALIZE_INPUTS, extra=json.dumps(stats))


_NORMALIZE_CODE = Path(__file__).parent / "normalize"
_COMPANIES_CODE = Path(__file__).parent / "companies.py"


def facts_are_current(con: duckdb.DuckDBPyConnection, inputs: str) -> bool:
    """True when the fact tables were last loaded from exactly these inputs: normalize has nothing to do.

    Normalize re-clusters every deal group when anything changed (company names are clustered across all
    articles, so a new mention can rename or merge companies anywhere); bench/scale.py measures that this
    full pass stays a small share of a cold run, and it is skipped entirely on a rerun with nothing new."""
    return all(inputs_of(con, table) == inputs for table in FACT_TABLES)


def _stored_facts(con: duckdb.DuckDBPyConnection, chunk: int = 1000) -> Iterator[dict]:
    """Every stored extraction's facts, parsed as they are read (a stream, not a list)."""
    cursor = con.cursor()  # its own cursor: the stream may be read while the connection runs other queries
    # no order: sorting would hold every text of the result at once, and normalize_facts gives the same
    # frames for the same facts in any order
    cursor.execute("select facts_json from extractions where article_id in (select article_id from articles)")
    try:
        while rows := cursor.fetchmany(chunk):
            yield from (json.loads(text) for (text,) in rows)
    finally:
        cursor.close()


def run_normalize(con: duckdb.DuckDBPyConnection, registry: CompanyRegistry, inputs: str | None = None) -> NormalizedFacts:
    articles = con.execute("""
        select article_id, url, canonical_url, source, title, published, language
        from articles order by article_id
    """).df()
    articles["published"] = articles["published"].map(as_date).astype(object)
    normalized = normalize_facts(articles, _stored_facts(con), registry)
    if inputs is None:
        return normalized
    # carried to the load step, which records it beside the fact tables it loads
    return replace(normalized, summary={**normalized.summary, INPUTS_KEY: inputs})


def run_load(con: duckdb.DuckDBPyConnection, facts: NormalizedFacts | None) -> StageReport:
    """Merge the normalized facts into the fact tables; None (normalize found nothing new) loads nothing."""
    if facts is None:
        loads = [LoadResult(table, 0, 0, 0) for table in FACT_TABLES]
        return StageReport(0, {"skipped": 1}, None, loads)
    frames = {table: getattr(facts, table) for table in FACT_TABLES}
    loads = replace_all(con, frames, FACT_TABLES)
    if INPUTS_KEY in facts.summary:
        for table in FACT_TABLES:
            record_inputs(con, table, facts.summary[INPUTS_KEY])
    return StageReport(sum(load.rows for load in loads), {load.table: load.rows for load in loads}, None, loads)


def load_registry(home_root: Path) -> CompanyRegistry:
    """The bundled registry plus the user's own `companies.yaml` in the home, if any."""
    extra = home_root / "companies.yaml"
    return CompanyRegistry.load([extra] if extra.exists() else None)
