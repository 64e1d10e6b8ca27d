"""The fetch log: one row per attempt, every failure with a reason a person understands."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from patentwire.ids import stable_id
from patentwire.tables import table
from patentwire.vocab import FetchOutcome

FETCH_LOG_COLUMNS = table("fetch_log").column_names
PAGE_STATE_COLUMNS = ["url", "etag", "last_modified", "fetched_at", "content_hash"]
# what the revisit policy also reads, when the caller has the URL's history (fetch.pages.skip_reason)
PAGE_HISTORY_COLUMNS = ["stable_since", "first_fetched_at"]


@dataclass(frozen=True)
class Attempt:
    """One row of the fetch log."""

    source: str
    url: str
    outcome: FetchOutcome
    fetched_at: datetime
    final_url: str | None = None
    status: int | None = None
    reason: str | None = None
    bytes: int | None = None
    elapsed_ms: float | None = None
    etag: str | None = None
    last_modified: str | None = None
    content_type: str | None = None
    content_hash: str | None = None

    @property
    def attempt_id(self) -> str:
        return stable_id(self.url, self.fetched_at.isoformat())

    def row(self) -> dict:
        return {"attempt_id": self.attempt_id, "source": self.source, "url": self.url,
                "final_url": self.final_url, "status": self.status, "outcome": self.outcome.value,
                "reason": self.reason, "bytes": self.bytes, "elapsed_ms": self.elapsed_ms, "etag": self.etag,
                "last_modified": self.last_modified, "content_type": self.content_type,
                "fetched_at": self.fetched_at, "content_hash": self.content_hash}


def attempts_frame(attempts: list[Attempt]) -> pd.DataFrame:
    """The fetch log rows with stable dtypes, also when empty."""
    frame = pd.DataFrame([attempt.row() for attempt in attempts], columns=FETCH_LOG_COLUMNS)
    frame["status"] = frame["status"].astype("Int64")
    frame["bytes"] = frame["bytes"].astype("Int64")
    frame["elapsed_ms"] = frame["elapsed_ms"].astype("float64")
    frame["fetched_at"] = pd.to_datetime(frame["fetched_at"], utc=True)
    for column in ("attempt_id", "source", "url", "final_url", "outcome", "reason", "etag", "last_modified",
                   "content_type", "content_hash"):
        # None, not NaN, for a missing text: what DuckDB and `is None` checks expect.
        frame[column] = frame[column].astype("object").where(frame[column].notna(), None)
    return frame
