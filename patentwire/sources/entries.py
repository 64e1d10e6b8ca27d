"""What a discovery document says about one article link."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime


@dataclass(frozen=True)
class Entry:
    url: str  # absolute, not yet normalized
    title: str | None = None
    published: datetime | None = None  # tz-aware


class MalformedDocument(ValueError):
    """A feed, sitemap or listing page that cannot be read; str() is the fetch-log reason."""


def parse_w3c_datetime(value: str | None) -> datetime | None:
    """`2024-03-01`, `2024-03-01T10:00:00Z`, `2024-03-01T10:00+02:00` → tz-aware datetime (UTC if none given)."""
    if not value:
        return None
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
