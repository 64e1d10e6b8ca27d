"""Deal dates: an explicit or relative date in the sentence, resolved against the publication date."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from functools import cache

from patentwire.extract.lexicon import dates_lexicon
from patentwire.vocab import DatePrecision


@dataclass(frozen=True)
class ResolvedDate:
    value: str  # "YYYY", "YYYY-MM" or "YYYY-MM-DD"
    precision: DatePrecision


@cache
def _patterns() -> dict[str, re.Pattern]:
    lexicon = dates_lexicon()
    months = "|".join(sorted(lexicon.months, key=len, reverse=True))
    weekdays = "|".join(lexicon.weekdays)
    return {
        "iso": re.compile(r"\b((?:19|20)\d\d)-(\d\d)-(\d\d)\b"),
        "day_month_year": re.compile(rf"\b(\d{{1,2}})\.?\s+({months})\.?,?\s+((?:19|20)\d\d)\b", re.IGNORECASE),
        "month_day_year": re.compile(rf"\b({months})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+((?:19|20)\d\d)\b", re.IGNORECASE),
        "month_year": re.compile(rf"\b({months})\.?\s+((?:19|20)\d\d)\b", re.IGNORECASE),
        "weekday": re.compile(rf"\b(?:on|am|last|vergangenen|letzten)?\s*({weekdays})s?\b", re.IGNORECASE),
        "month_alone": re.compile(rf"\b(?:in|im|on|am|seit|since)\s+({months})\b(?!\s*\d)", re.IGNORECASE),
        "year": re.compile(r"\b(?:in|im|im jahr|im jahre|seit|since|during|of|year)\s+((?:19|20)\d\d)\b", re.IGNORECASE),
    }


@dataclass(frozen=True)
class PublicationDate:
    """When an article appeared, as precisely as its source says: feeds and archives often give only
    "2017-07" or "2011". `day` is the first day of that period; `precision` says how much of it is known."""

    day: datetime.date
    precision: DatePrecision

    @property
    def value(self) -> str:
        return {DatePrecision.DAY: self.day.isoformat(), DatePrecision.MONTH: self.day.isoformat()[:7],
                DatePrecision.YEAR: self.day.isoformat()[:4]}[self.precision]


_ISO_PUBLISHED = re.compile(r"(\d{4})(?:-(\d\d)(?:-(\d\d))?)?(?:$|[T ])")


def parse_publication_date(value: object) -> PublicationDate | None:
    """An ISO date at year, month or day precision ("2011", "2017-07", "2017-07-05", or a timestamp);
    None for an empty value; ValueError naming the accepted forms otherwise."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return PublicationDate(value.date(), DatePrecision.DAY)
    if isinstance(value, datetime.date):
        return PublicationDate(value, DatePrecision.DAY)
    match = _ISO_PUBLISHED.match(str(value).strip()) if isinstance(value, str) else None
    if match:
        year, month, day = match.group(1), match.group(2), match.group(3)
        found = _safe_date(int(year), int(month or 1), int(day or 1))
        if found is not None:
            precision = DatePrecision.DAY if day else DatePrecision.MONTH if month else DatePrecision.YEAR
            return PublicationDate(found, precision)
    raise ValueError(f"'published' must be an ISO date at year, month or day precision "
                     f"(2011, 2017-07 or 2017-07-05), got {value!r}")


def _month(name: str) -> int:
    return dates_lexicon().months[name.lower().rstrip(".")]


def _safe_date(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def explicit_date(sentence: str) -> ResolvedDate | None:
    """A full or partial calendar date written in the sentence."""
    patterns = _patterns()
    if match := patterns["iso"].search(sentence):
        if _safe_date(*map(int, match.groups())):
            return ResolvedDate(match.group(0), DatePrecision.DAY)
    if match := patterns["day_month_year"].search(sentence):
        if day := _safe_date(int(match.group(3)), _month(match.group(2)), int(match.group(1))):
            return ResolvedDate(day.isoformat(), DatePrecision.DAY)
    if match := patterns["month_day_year"].search(sentence):
        if day := _safe_date(int(match.group(3)), _month(match.group(1)), int(match.group(2))):
            return ResolvedDate(day.isoformat(), DatePrecision.DAY)
    if match := patterns["month_year"].search(sentence):
        return ResolvedDate(f"{match.group(2)}-{_month(match.group(1)):02d}", DatePrecision.MONTH)
    if match := patterns["year"].search(sentence):
        return ResolvedDate(match.group(1), DatePrecision.YEAR)
    return None


def day_reference(sentence: str, published: datetime.date) -> ResolvedDate | None:
    """'today', 'gestern', 'am Mittwoch': a day of the week the article was written in."""
    lowered = sentence.lower()
    for rule in dates_lexicon().relative:
        if rule.unit == "day" and rule.pattern.search(lowered):
            return _shift(published, rule.unit, rule.offset)
    if match := _patterns()["weekday"].search(sentence):
        weekday = dates_lexicon().weekdays[match.group(1).lower()]
        back = (published.weekday() - weekday) % 7
        return ResolvedDate((published - datetime.timedelta(days=back)).isoformat(), DatePrecision.DAY)
    return None


def period_reference(sentence: str, published: datetime.date) -> ResolvedDate | None:
    """'last month', 'im vergangenen Jahr', 'im März': a month or year before the publication."""
    lowered = sentence.lower()
    for rule in dates_lexicon().relative:
        if rule.unit != "day" and rule.pattern.search(lowered):
            return _shift(published, rule.unit, rule.offset)
    if match := _patterns()["month_alone"].search(sentence):
        month = _month(match.group(1))
        year = published.year if month <= published.month else published.year - 1
        return ResolvedDate(f"{year}-{month:02d}", DatePrecision.MONTH)
    return None


def _plausibly_news(found: ResolvedDate, published: datetime.date | None) -> bool:
    """An announcement's own date lies at most a quarter before publication ("since 2021" in a 2023
    article dates the history, not the deal)."""
    if published is None:
        return True
    earliest = published - datetime.timedelta(days=92) if published > datetime.date.min + datetime.timedelta(days=92) \
        else datetime.date.min
    if found.precision is DatePrecision.YEAR:  # a bare year names news only in its own year
        return int(found.value) == published.year
    if found.precision is DatePrecision.MONTH:
        return found.value >= f"{earliest.year}-{earliest.month:02d}"
    return found.value >= earliest.isoformat()


def _shift(published: datetime.date, unit: str, offset: int) -> ResolvedDate:
    if unit == "day":
        return ResolvedDate((published + datetime.timedelta(days=offset)).isoformat(), DatePrecision.DAY)
    if unit == "month":
        index = published.year * 12 + published.month - 1 + offset
        return ResolvedDate(f"{index // 12}-{index % 12 + 1:02d}", DatePrecision.MONTH)
    return ResolvedDate(str(published.year + offset), DatePrecision.YEAR)


def deal_date(sentences: list[str], published: datetime.date | None,
              precision: DatePrecision = DatePrecision.DAY) -> ResolvedDate | None:
    """The calendar date the announcing (first) sentence gives, else a day named in any evidence
    sentence ("on Monday"), else a month or year the first sentence names ("last month"), else the
    publication date. Dates in later sentences, and periods after a day, are usually history.
    A publication known only to the month or year (`precision`) dates nothing more precisely than that."""
    if sentences and (found := explicit_date(sentences[0])) and _plausibly_news(found, published):
        return found
    if published is None:
        return None
    if precision is DatePrecision.DAY:
        for sentence in sentences:
            if found := day_reference(sentence, published):
                return found
    if precision is not DatePrecision.YEAR and sentences and (found := period_reference(sentences[0], published)):
        return found
    return ResolvedDate(PublicationDate(published, precision).value, precision)
