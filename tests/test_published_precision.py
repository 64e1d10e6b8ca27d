"""`extract` accepts publication dates at year, month or day precision and keeps the precision."""

from __future__ import annotations

import datetime

import pytest

from patentwire.extract import extract_record
from patentwire.extract.dates import PublicationDate, deal_date, parse_publication_date
from patentwire.vocab import DatePrecision


@pytest.mark.parametrize(("written", "day", "precision"), [
    ("2017-07-05", datetime.date(2017, 7, 5), DatePrecision.DAY),
    ("2017-07", datetime.date(2017, 7, 1), DatePrecision.MONTH),
    ("2011", datetime.date(2011, 1, 1), DatePrecision.YEAR),
    ("2017-07-05T09:30:00+02:00", datetime.date(2017, 7, 5), DatePrecision.DAY),
    (datetime.date(2020, 2, 29), datetime.date(2020, 2, 29), DatePrecision.DAY),
])
def test_iso_dates_of_every_precision_are_read(written, day, precision):
    assert parse_publication_date(written) == PublicationDate(day, precision)


@pytest.mark.parametrize("bad", ["2017-13", "July 2017", "17-07-05", "2017-02-30", 2017])
def test_other_dates_are_refused_with_the_accepted_forms(bad):
    with pytest.raises(ValueError, match="2017-07"):
        parse_publication_date(bad)


def test_a_month_publication_dates_its_deal_to_the_month_and_never_invents_a_day():
    month = datetime.date(2017, 7, 1)
    found = deal_date(["Nokia and Xiaomi signed a licence on Wednesday."], month, DatePrecision.MONTH)
    assert (found.value, found.precision) == ("2017-07", DatePrecision.MONTH)
    found = deal_date(["The companies signed a licence."], datetime.date(2011, 1, 1), DatePrecision.YEAR)
    assert (found.value, found.precision) == ("2011", DatePrecision.YEAR)


def test_extract_keeps_a_month_only_record_instead_of_refusing_it():
    facts = extract_record({"id": "m1", "language": "en", "published": "2017-07",
                            "text": "Nokia and Ericsson signed a patent license agreement on Monday."})
    assert "error" not in facts
    assert all(deal["date"] in (None, "2017-07") for deal in facts["deals"])
