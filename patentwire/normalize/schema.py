"""Column lists and dtypes of the normalized tables, and one way to build a frame that obeys them.

The columns come from the table registry (data/schema.yaml), the dtypes from the DuckDB types of the
migrated tables.

Dtypes are fixed so DuckDB sees the same types on every run, even for empty frames:
text is pandas `string`, counts and offsets `Int64`, flags `bool`, dates python `date`
objects in `object` columns (DuckDB reads them as DATE, never TIMESTAMP) and lists python lists
(DuckDB reads them as VARCHAR[]).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from patentwire.tables import column_types
from patentwire.tables import table as registered

TEXT, INT, FLAG, DATE, LIST, REAL = "string", "Int64", "bool", "date", "list", "Float64"
DTYPE_OF_DUCKDB_TYPE = {"VARCHAR": TEXT, "INTEGER": INT, "BIGINT": INT, "BOOLEAN": FLAG, "DATE": DATE,
                        "VARCHAR[]": LIST, "DOUBLE": REAL}


def frame_schema(table: str) -> dict[str, str]:
    """The fact table's columns (registry order) and the dtype its DuckDB type asks for."""
    types = column_types()[table]
    return {column: DTYPE_OF_DUCKDB_TYPE[types[column]] for column in registered(table).column_names}


COMPANY_SCHEMA = frame_schema("companies")
COMPANY_ALIAS_SCHEMA = frame_schema("company_aliases")
DEAL_SCHEMA = frame_schema("deals")
DEAL_PARTY_SCHEMA = frame_schema("deal_parties")
# `evidence` holds ALL evidence of the mention as a JSON array of {"sentence", "start", "end"};
# sentence/start_offset/end_offset repeat the first one (lowest start) for plain SQL use.
DEAL_MENTION_SCHEMA = frame_schema("deal_mentions")
# as_of is the stated as-of date, else the article's published date; as_of_precision is null
# exactly when the date fell back to `published`.
PATENT_COUNT_SCHEMA = frame_schema("patent_counts")

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
