"""Dates: deal dates and as-of dates, and how a past date makes a deal background.

Extractor behaviour on short texts written for these tests (no real articles).
"""

import datetime

import pytest

from conftest import _extract, _primary, _pairs

from patentwire.vocab import DealStatus, DealType


def test_dated_past_litigation_is_background():
    facts = _extract("Nokia and Apple signed a patent license agreement. Nokia had sued Apple in 2016.",
                     published=datetime.date(2017, 5, 23))
    assert _pairs(facts) == [frozenset({"Nokia", "Apple"})]
    background = [deal for deal in facts.deals if deal.status is DealStatus.BACKGROUND]
    assert [(deal.types, deal.date) for deal in background] == [((DealType.LITIGATION,), "2016")]


def test_relative_deal_date_resolves_against_publication():
    facts = _extract("Nokia and Huawei signed a patent license agreement last month.")
    assert (_primary(facts)[0].date, str(_primary(facts)[0].date_precision)) == ("2017-06", "month")


@pytest.mark.parametrize(("sentence", "language", "as_of"), [
    ("Samsung Electronics owned 220,000 patents worldwide at the end of last year.", "en", "2016"),
    ("Xiaomi besaß Ende 2020 weltweit mehr als 19.000 erteilte Patente.", "de", "2020"),
    ("As of December 31, 2022, Ericsson held 60,000 patents.", "en", "2022-12-31"),
    ("Ericsson holds 60,000 patents.", "en", None),
])
def test_as_of_date_of_a_count(sentence, language, as_of):
    assert [c.as_of for c in _extract(sentence, language).counts] == [as_of]


def test_each_partner_keeps_its_own_stretch_of_a_long_sentence():
    facts = _extract("Chinese smartphone maker Oppo, which had been locked in a legal battle with Nokia since 2021, "
                     "said on Monday it had signed a cross-licence agreement with Ericsson covering 5G patents.",
                     published=datetime.date(2023, 11, 6))
    primary = _primary(facts)
    assert [frozenset(p.canonical for p in deal.parties) for deal in primary] == [frozenset({"Oppo", "Ericsson"})]
    assert primary[0].types == (DealType.CROSS_LICENSE,)
    assert primary[0].date == "2023-11-06"  # "since 2021" dates the other dispute
    assert _pairs(facts, DealStatus.BACKGROUND) == [frozenset({"Oppo", "Nokia"})]


def test_year_in_a_participle_clause_does_not_make_the_news_history():
    facts = _extract("Nokia today announced that it has signed a new patent license agreement with Samsung, replacing "
                     "the agreement that expired at the end of 2022.", published=datetime.date(2023, 1, 23))
    assert [(deal.status, deal.date) for deal in facts.deals] == [(DealStatus.PRIMARY, "2023-01-23")]


def test_headline_extension_of_an_old_partnership_is_news():
    facts = _extract('Microsoft said on Monday it is making a multibillion dollar investment in OpenAI, extending a '
                     'partnership that began in 2019.', title="Microsoft, OpenAI extend partnership",
                     published=datetime.date(2023, 1, 23))
    assert _pairs(facts) == [frozenset({"Microsoft", "OpenAI"})]


def test_a_past_opener_dates_every_pair_of_a_listing_sentence():
    text = ("Sisvel signed a licence with Telit today. "
            "Earlier this year, the pool administrator signed similar licences with Quectel and Fibocom.")
    assert _pairs(_extract(text)) == [frozenset({"Sisvel", "Telit"})]


@pytest.mark.parametrize("text, language", [
    ("Last month a jury found that Samsung Electronics infringed Netlist patents.", "en"),
    ("Im Frühjahr hatte ein Gericht entschieden, dass Samsung Patente von Netlist verletzt.", "de"),
    ("Zwei Jahre nach dem Ende des Verfahrens entschied das Gericht, dass Samsung Patente von Netlist verletzt.", "de"),
])
def test_a_verdict_dated_in_the_past_is_background(text, language):
    facts = _extract(text, language)
    assert not _primary(facts) and _pairs(facts, DealStatus.BACKGROUND) == [frozenset({"Samsung Electronics", "Netlist"})]


def test_expanding_a_partnership_that_began_years_ago_is_news():
    facts = _extract("Ericsson and Huawei are expanding a partnership that began in 2013.")
    assert _pairs(facts) == [frozenset({"Ericsson", "Huawei"})]
    dated = _extract("Ericsson and Huawei signed a partnership in 2013.")
    assert _pairs(dated) == []


def test_a_past_tail_dates_every_pair_of_a_listing_sentence():
    text = ("Infineon signed a supply deal with Stellantis today. Infineon supplies power chips to Hyundai, BMW "
            "and Kia under contracts signed in previous years.")
    assert _pairs(_extract(text)) == [frozenset({"Infineon", "Stellantis"})]
