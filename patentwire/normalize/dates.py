"""Partial dates ("2017", "2017-07", "2017-07-05") as the span of days they stand for."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from patentwire.vocab import DatePrecision

_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
PRECISION_RANK = {DatePrecision.DAY: 0, DatePrecision.MONTH: 1, DatePrecision.YEAR: 2}  # finer first


@dataclass(frozen=True, order=True)
class DateSpan:
    """The days a partial date may mean: `start`..`end` inclusive, at `precision`."""

    start: date
    end: date
    precision: DatePrecision

    @property
    def rank(self) -> int:
        return PRECISION_RANK[self.precision]

    def gap_days(self, other: DateSpan) -> int:
        """Days between the two spans; 0 when they overlap (a month contains its days)."""
        if other.start > self.end:
            return (other.start - self.end).days
        if self.start > other.end:
            return (self.start - other.end).days
        return 0


def parse_partial_date(text: object) -> DateSpan | None:
    """'2017' -> all of 2017 at year precision; None for missing (None, NaN) or malformed text."""
    if not isinstance(text, str):
        return None
    found = _PARTIAL_DATE.match(text.strip())
    if not found:
        return None
    year, month, day = (int(part) if part else None for part in found.groups())
    try:
        if day is not None:
            start = date(year, month, day)
            return DateSpan(start, start, DatePrecision.DAY)
        if month is not None:
            return DateSpan(date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]),
                            DatePrecision.MONTH)
        return DateSpan(date(year, 1, 1), date(year, 12, 31), DatePrecision.YEAR)
    except ValueError:  # "2017-13" or "2017-02-30"
        return None


def day_span(day: object) -> DateSpan | None:
    """A known day as a span; None for anything else (None, NaN from an unmatched join)."""
    return DateSpan(day, day, DatePrecision.DAY) if isinstance(day, date) else None

