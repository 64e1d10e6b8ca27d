"""Warehouse benchmark: patentwire's bulk loads against DuckDB's own COPY of the same rows.

Generates a consistent synthetic fact set (1,000,000 fact rows: patent_counts + deal_mentions, plus
the deals, parties and companies they point to), shaped like the normalize stage's frames (text as
pandas strings, dates as python `date` objects, lists as python lists). Then, each in a fresh
warehouse file:

- load: `replace_all` of the two fact tables (one transaction), against `COPY … FROM 'x.parquet'`
  of the very same rows (the Parquet files are written beforehand, outside the timing);
- rerun: the same `replace_all` again on the full tables (idempotent: same row counts after);
- upsert: `upsert` of all patent_counts rows whose keys are all present;
- models: every SQL model in sql/, in dependency order;
- export: the Parquet datasets of the fact tables and every model;
- snapshot: publishing the read-only snapshot of the whole warehouse, as every writer does on exit.

    .venv/bin/python bench/warehouse.py [--rows 1000000] [--seed 7] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import tempfile
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from patentwire.export import export_all
from patentwire.project import SQL_DIR
from patentwire.tables import table_docs
from patentwire.sqlmodels import build_model, load_models
from patentwire.vocab import CountUnit, DatePrecision, DealStatus, DealType, Qualifier, values
from patentwire.warehouse import migrate, publish_snapshot, replace_all, table_columns, upsert

FACT_KEYS = {"patent_counts": ["count_id"], "deal_mentions": ["mention_id"], "deals": ["deal_id"],
             "deal_parties": ["deal_id", "company_id"], "companies": ["company_id"]}
TARGET_RATIO = 1.5
FIRST_DAY = np.datetime64("2010-01-01")
DAYS = 15 * 365


# --- synthetic facts ------------------------------------------------------------------------


def hex_ids(rng: np.random.Generator, n: int, prefix: str = "") -> pd.Series:
    """n distinct 16-hex-digit ids, like patentwire.ids.stable_id gives."""
    numbers = rng.choice(2**62, size=n, replace=False) if n < 10_000_000 else rng.integers(0, 2**62, n)
    return pd.Series([f"{prefix}{number:016x}" for number in numbers], dtype="string")


def python_dates(days: np.ndarray) -> pd.Series:
    """Dates as python `date` objects in an object column, as the normalize stage hands them over."""
    stamps = (FIRST_DAY + days.astype("timedelta64[D]")).astype("datetime64[D]").astype(object)
    return pd.Series(stamps, dtype=object)


def pick(rng: np.random.Generator, choices: list[str], n: int, weights: list[float] | None = None) -> pd.Series:
    return pd.Series(np.asarray(choices, dtype=object)[rng.choice(len(choices), n, p=weights)], dtype="string")


def evidence_json(sentences: pd.Series, starts: np.ndarray) -> pd.Series:
    """The one-sentence JSON evidence array the normalize stage writes beside the first sentence."""
    return pd.Series([json.dumps([{"sentence": text, "start": int(start), "end": int(start) + len(text)}])
                      for text, start in zip(sentences, starts, strict=True)], dtype="string")


@dataclass
class SyntheticFacts:
    companies: pd.DataFrame
    deals: pd.DataFrame
    deal_parties: pd.DataFrame
    deal_mentions: pd.DataFrame
    patent_counts: pd.DataFrame

    @property
    def fact_rows(self) -> int:
        return len(self.deal_mentions) + len(self.patent_counts)


def synthetic_facts(rows: int, seed: int) -> SyntheticFacts:
    rng = np.random.default_rng(seed)
    n_mentions, n_counts = rows // 2, rows - rows // 2
    n_companies, n_deals, n_articles = max(50, rows // 200), max(10, rows // 5), max(10, rows // 4)

    company_ids = hex_ids(rng, n_companies)
    company_names = pd.Series([f"Company {i:05d}" for i in range(n_companies)], dtype="string")
    companies = pd.DataFrame({
        "company_id": company_ids, "name": company_names,
        "country": pick(rng, ["DE", "FI", "CN", "US", "KR", "JP", "SE"], n_companies),
        "parent_name": pd.Series([None] * n_companies, dtype="string"),
        "in_registry": rng.random(n_companies) < 0.8,
        "first_seen": python_dates(rng.integers(0, DAYS, n_companies)),
        "mention_count": pd.Series(rng.integers(1, 500, n_companies), dtype="Int64"),
    })

    deal_ids = hex_ids(rng, n_deals)
    deal_days = rng.integers(0, DAYS, n_deals)
    type_lists = [[t] for t in values(DealType)] + [["cross_license", "partnership"], ["license", "settlement"]]
    deal_types = pd.Series([type_lists[i] for i in rng.integers(0, len(type_lists), n_deals)], dtype=object)
    statuses = pick(rng, values(DealStatus), n_deals, [0.8, 0.1, 0.07, 0.03])
    mentions_per_deal = np.bincount(rng.integers(0, n_deals, n_mentions), minlength=n_deals)
    deals = pd.DataFrame({
        "deal_id": deal_ids, "deal_date": python_dates(deal_days),
        "date_precision": pick(rng, values(DatePrecision), n_deals, [0.8, 0.15, 0.05]),
        "deal_types": deal_types, "status": statuses,
        "party_count": pd.Series(np.full(n_deals, 2), dtype="Int64"),
        "article_count": pd.Series(np.maximum(mentions_per_deal, 1), dtype="Int64"),
        "mention_count": pd.Series(np.maximum(mentions_per_deal, 1), dtype="Int64"),
        "first_reported": python_dates(deal_days), "last_reported": python_dates(deal_days + 30),
        "extractor_version": pd.Series(["extract-bench"] * n_deals, dtype="string"),
    })

    # two distinct parties per deal
    first = rng.integers(0, n_companies, n_deals)
    second = (first + rng.integers(1, n_companies, n_deals)) % n_companies
    deal_parties = pd.DataFrame({
        "deal_id": pd.concat([deal_ids, deal_ids], ignore_index=True),
        "company_id": pd.concat([company_ids.iloc[first], company_ids.iloc[second]], ignore_index=True),
        "role": pick(rng, ["party", "licensor", "licensee", "plaintiff", "defendant"], 2 * n_deals),
        "name_as_written": pd.concat([company_names.iloc[first], company_names.iloc[second]], ignore_index=True),
    })

    article_ids = hex_ids(rng, n_articles)
    mention_deal = np.repeat(np.arange(n_deals), mentions_per_deal)
    mention_article = rng.integers(0, n_articles, n_mentions)
    published_days = deal_days[mention_deal] + rng.integers(0, 60, n_mentions)
    starts = rng.integers(0, 4000, n_mentions)
    sentences = pd.Series([f"Company {a:05d} and Company {b:05d} signed a patent agreement covering {n} families."
                           for a, b, n in zip(first[mention_deal], second[mention_deal],
                                              rng.integers(2, 900, n_mentions), strict=True)], dtype="string")
    deal_mentions = pd.DataFrame({
        "mention_id": hex_ids(rng, n_mentions), "deal_id": deal_ids.iloc[mention_deal].reset_index(drop=True),
        "article_id": article_ids.iloc[mention_article].reset_index(drop=True),
        "url": "https://news.example/" + article_ids.iloc[mention_article].reset_index(drop=True),
        "published": python_dates(published_days), "deal_types": deal_types.iloc[mention_deal].reset_index(drop=True),
        "status": statuses.iloc[mention_deal].reset_index(drop=True),
        "mention_date": python_dates(deal_days[mention_deal]),
        "date_precision": pd.Series(["day"] * n_mentions, dtype="string"),
        "sentence": sentences, "start_offset": pd.Series(starts, dtype="Int64"),
        "end_offset": pd.Series(starts + sentences.str.len().to_numpy(), dtype="Int64"),
        "evidence_count": pd.Series(np.ones(n_mentions, dtype=int), dtype="Int64"),
        "evidence": evidence_json(sentences, starts),
        "extractor_version": pd.Series(["extract-bench"] * n_mentions, dtype="string"),
    })

    owner = rng.integers(0, n_companies, n_counts)
    count_article = rng.integers(0, n_articles, n_counts)
    count_days = rng.integers(0, DAYS, n_counts)
    values_stated = rng.integers(10, 200_000, n_counts)
    count_starts = rng.integers(0, 4000, n_counts)
    count_sentences = pd.Series([f"Company {o:05d} holds about {v:,} patents." for o, v in
                                 zip(owner, values_stated, strict=True)], dtype="string")
    patent_counts = pd.DataFrame({
        "count_id": hex_ids(rng, n_counts), "article_id": article_ids.iloc[count_article].reset_index(drop=True),
        "url": "https://news.example/" + article_ids.iloc[count_article].reset_index(drop=True),
        "company_id": company_ids.iloc[owner].reset_index(drop=True),
        "company_name": company_names.iloc[owner].reset_index(drop=True),
        "name_as_written": company_names.iloc[owner].reset_index(drop=True),
        "value": pd.Series(values_stated, dtype="Int64"),
        "qualifier": pick(rng, values(Qualifier), n_counts), "unit": pick(rng, values(CountUnit), n_counts),
        "period": pd.Series([None] * n_counts, dtype="string"),
        "as_of": python_dates(count_days), "as_of_precision": pd.Series([None] * n_counts, dtype="string"),
        "published": python_dates(count_days), "sentence": count_sentences,
        "start_offset": pd.Series(count_starts, dtype="Int64"),
        "end_offset": pd.Series(count_starts + count_sentences.str.len().to_numpy(), dtype="Int64"),
        "evidence_count": pd.Series(np.ones(n_counts, dtype=int), dtype="Int64"),
        "evidence": evidence_json(count_sentences, count_starts),
        "extractor_version": pd.Series(["extract-bench"] * n_counts, dtype="string"),
    })
    return SyntheticFacts(companies, deals, deal_parties, deal_mentions, patent_counts)


# --- timing ---------------------------------------------------------------------------------


@contextmanager
def fresh_warehouse(folder: Path, name: str):
    con = duckdb.connect(str(folder / f"{name}.duckdb"))
    try:
        migrate(con)
        yield con
    finally:
        con.close()


def seconds(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def write_parquet(frame: pd.DataFrame, path: Path) -> Path:
    """The rows as DuckDB would read them from patentwire's frame (same column types as the table)."""
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), path, compression="zstd")
    return path


def copy_from_parquet(con: duckdb.DuckDBPyConnection, files: dict[str, Path]) -> None:
    con.execute("begin transaction")
    for table, path in files.items():
        con.execute(f"copy {table} from '{path}' (format parquet)")
    con.execute("commit")


def fingerprint(con: duckdb.DuckDBPyConnection, tables: list[str]) -> dict[str, tuple[int, int]]:
    """Row count and an order-free checksum of every row, per table: equal fingerprints, equal tables."""
    return {t: tuple(con.execute(f"select count(*), bit_xor(hash(r)) from {t} r").fetchall()[0]) for t in tables}


def rate(rows: int, elapsed: float) -> str:
    return f"{elapsed:.2f} s ({rows / elapsed:,.0f} rows/s)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="fact rows (half patent_counts, half deal_mentions)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="keep the warehouses in this folder instead of a temporary one")
    args = parser.parse_args()

    folder = args.keep or Path(tempfile.mkdtemp(prefix="patentwire-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        started = time.perf_counter()
        facts = synthetic_facts(args.rows, args.seed)
        generated = time.perf_counter() - started
        loaded = {"patent_counts": facts.patent_counts, "deal_mentions": facts.deal_mentions}
        tables = list(loaded)

        with fresh_warehouse(folder, "copy") as con:
            # COPY matches columns by position: write them in the table's order
            parquet = {table: write_parquet(frame[table_columns(con, table)], folder / f"{table}.parquet")
                       for table, frame in loaded.items()}
            copy_time = seconds(lambda: copy_from_parquet(con, parquet))
            copied = fingerprint(con, tables)

        with fresh_warehouse(folder, "upsert") as con:
            upsert_first = seconds(lambda: [upsert(con, t, f, FACT_KEYS[t]) for t, f in loaded.items()])
            upsert_rerun = seconds(lambda: [upsert(con, t, f, FACT_KEYS[t]) for t, f in loaded.items()])
            assert fingerprint(con, tables) == copied, "upsert left other rows than COPY"

        with fresh_warehouse(folder, "replace_all") as con:
            replace_first = seconds(lambda: replace_all(con, loaded, FACT_KEYS))
            assert fingerprint(con, tables) == copied, "replace_all left other rows than COPY"
            replace_rerun = seconds(lambda: replace_all(con, loaded, FACT_KEYS))
            assert fingerprint(con, tables) == copied, "the rerun changed the rows"

            replace_all(con, {"companies": facts.companies, "deals": facts.deals,
                              "deal_parties": facts.deal_parties}, FACT_KEYS)
            model_times = []
            for model in load_models(SQL_DIR):
                rows_built = [0]
                elapsed = seconds(lambda m=model: rows_built.__setitem__(0, build_model(con, m)))
                model_times.append((model.name, elapsed, rows_built[0]))
            export_time = seconds(lambda: export_all(con, ["patent_counts", "deal_mentions", "deals", "deal_parties",
                                                           *(m for m, _, _ in model_times)],
                                                     folder / "exports", table_docs()))
            snapshot_time = seconds(lambda: publish_snapshot(con, folder / "snapshot.duckdb"))
            snapshot_mb = (folder / "snapshot.duckdb").stat().st_size / 1e6
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)

    n = facts.fact_rows
    figures = [
        ("synthetic facts", f"{n:,} fact rows ({len(facts.patent_counts):,} patent_counts, "
                            f"{len(facts.deal_mentions):,} deal_mentions; {len(facts.deals):,} deals, "
                            f"{len(facts.deal_parties):,} parties, {len(facts.companies):,} companies), "
                            f"generated in {generated:.1f} s"),
        ("DuckDB COPY FROM parquet", rate(n, copy_time)),
        ("replace_all, first load", f"{rate(n, replace_first)}  ratio to COPY {replace_first / copy_time:.2f}"),
        ("replace_all, idempotent rerun", f"{rate(n, replace_rerun)}  ratio to COPY {replace_rerun / copy_time:.2f}"),
        ("upsert, first load", f"{rate(n, upsert_first)}  ratio to COPY {upsert_first / copy_time:.2f}"),
        ("upsert, idempotent rerun", f"{rate(n, upsert_rerun)}  ratio to COPY {upsert_rerun / copy_time:.2f}"),
        ("target ratio", f"<= {TARGET_RATIO}; every load checked to leave exactly COPY's rows"),
        ("read-only snapshot (after each writer)", f"{snapshot_time:.2f} s for {snapshot_mb:,.0f} MB"),
        ("Parquet export (facts + all models)", f"{export_time:.2f} s"),
        ("all SQL models", f"{sum(t for _, t, _ in model_times):.2f} s"),
        *[(f"  {name}", f"{elapsed:.2f} s, {rows:,} rows") for name, elapsed, rows in model_times],
    ]
    print(f"patentwire warehouse benchmark, {date.today()}, {platform.node()} ({os.cpu_count()} cores), "
          f"duckdb {duckdb.__version__}, pandas {pd.__version__}")
    width = max(len(label) for label, _ in figures)
    for label, value in figures:
        print(f"{label:<{width}}  {value}")


if __name__ == "__main__":
    main()
