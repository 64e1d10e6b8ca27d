"""Column lists and dtypes of the normalized tables, and one way to build a frame that obeys them.

Dtypes are fixed so DuckDB sees the same types on every run, even for empty frames:
text is pandas `string`, counts and offsets `Int64`, flags `bool`, dates python `date`
objects in `object` columns (DuckDB reads them as DATE, never TIMESTAMP) and lists python lists
(DuckDB reads them as VARCHAR[]).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

TEXT, INT, FLAG, DATE, LIST, REAL = "string", "Int64", "bool", "date", "list", "Float64"

COMPANY_SCHEMA = {
    "company_id": TEXT, "name": TEXT, "country": TEXT, "parent_name": TEXT,
    "in_registry": FLAG, "first_seen": DATE, "mention_count": INT,
}
COMPANY_ALIAS_SCHEMA = {"company_id": TEXT, "alias": TEXT, "alias_kind": TEXT}
DEAL_SCHEMA = {
    "deal_id": TEXT, "deal_date": DATE, "date_precision": TEXT, "deal_types": LIST, "status": TEXT,
    "party_count": INT, "article_count": INT, "mention_count": INT,
    "first_reported": DATE, "last_reported": DATE, "extractor_version": TEXT, "confidence": REAL,
}
DEAL_PARTY_SCHEMA = {"deal_id": TEXT, "company_id": TEXT, "role": TEXT, "name_as_written": TEXT}
# `evidence` holds ALL evidence of the mention as a JSON array of {"sentence", "start", "end"};
# sentence/start_offset/end_offset repeat the first one (lowest start) for plain SQL use.
DEAL_MENTION_SCHEMA = {
    "mention_id": TEXT, "deal_id": TEXT, "article_id": TEXT, "url": TEXT, "published": DATE,
    "deal_types": LIST, "status": TEXT, "mention_date": DATE, "date_precision": TEXT,
    "sentence": TEXT, "start_offset": INT, "end_offset": INT, "evidence_count": INT,
    "evidence": TEXT, "extractor_version": TEXT, "confidence": REAL,
}
# as_of is the stated as-of date, else the article's published date; as_of_precision is null
# exactly when the date fell back to `published`.
PATENT_COUNT_SCHEMA = {
    "count_id": TEXT, "article_id": TEXT, "url": TEXT, "company_id": TEXT, "company_name": TEXT,
    "name_as_written": TEXT, "value": INT, "qualifier": TEXT, "unit": TEXT, "period": TEXT,
    "as_of": DATE, "as_of_precision": TEXT, "published": DATE,
    "sentence": TEXT, "start_offset": INT, "end_offset": INT, "evidence_count": INT,
    "evidence": TEXT, "extractor_version": TEXT, "confidence": REAL,
}

COMPANY_COLUMNS = list(COMPANY_SCHEMA)
COMPANY_ALIAS_COLUMNS = list(COMPANY_ALIAS_SCHEMA)
DEAL_COLUMNS = list(DEAL_SCHEMA)
DEAL_PARTY_COLUMNS = list(DEAL_PARTY_SCHEMA)
DEAL_MENTION_COLUMNS = list(DEAL_MENTION_SCHEMA)
PATENT_COUNT_COLUMNS = list(PATENT_COUNT_SCHEMA)


def typed_frame(data: pd.DataFrame | Iterable[Mapping], schema: Mapping[str, str],
                sort_by: list[str] | None = None) -> pd.DataFrame:
    """`data` restricted to the schema's columns, in order, with its dtypes; sorted and re-indexed."""
    frame = data if isinstance(data, pd.DataFrame) else pd.DataFrame(list(data))
    frame = frame.reindex(columns=list(schema))
    if sort_by and len(frame):
        frame = frame.sort_values(sort_by, kind="stable")
    frame = frame.reset_index(drop=True)
    return pd.DataFrame({name: _typed_column(frame[name], kind) for name, kind in schema.items()})


def _typed_column(column: pd.Series, kind: str) -> pd.Series:
    if kind in (DATE, LIST):
        # missing values become None (not NaN/NaT) so DuckDB reads NULL of the right type
        return pd.Series([None if _is_missing(value) else value for value in column], dtype=object)
    if kind == FLAG:
        return column.fillna(False).astype(bool)
    return column.astype(kind)


def _is_missing(value: object) -> bool:
    return value is None or (not isinstance(value, list | tuple) and pd.isna(value))
