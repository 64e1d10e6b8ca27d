"""The worked example end to end, evidence offsets and the record contract the CLI uses.

Extractor behaviour on short texts written for these tests (no real articles).
"""

import pytest

from conftest import _extract, _primary

from patentwire.extract import ArticleFacts, extract_record
from patentwire.vocab import CountUnit, DealType, Qualifier

NOKIA_XIAOMI_TITLE = "Nokia und Xiaomi: Patentaustausch und Partnerschaft"
NOKIA_XIAOMI_TEXT = """Nokia und Xiaomi haben am Mittwoch eine mehrjährige Geschäftspartnerschaft und einen Patentaustausch vereinbart.
Die beiden Unternehmen tauschen Patente aus dem Mobilfunkbereich, zudem kauft Xiaomi einen Teil der Patente von Nokia.
Die Finnen werden außerdem Netzwerk-Infrastruktur für Rechenzentren an die Chinesen liefern.
Gemeinsam wollen die Partner auch IoT, AR/VR und künstliche Intelligenz erforschen.
"We are pleased to have reached this agreement with Xiaomi", said Nokia CEO Rajeev Suri.
Xiaomi hat in den letzten sieben Jahren rund 16.000 Patente angemeldet.
Anders als Apple und Samsung, die sich jahrelang vor Gericht stritten, setzen die Chinesen auf Verträge.
Konkurrenten wie Oppo und Vivo wachsen schnell, Huawei und die Tochter Honor ebenso.
Xiaomi verkaufte im vergangenen Quartal 23,2 Millionen Smartphones und beschäftigt 15.000 Mitarbeiter."""


def test_worked_example_gives_one_primary_deal_between_nokia_and_xiaomi():
    facts = _extract(NOKIA_XIAOMI_TEXT, "de", NOKIA_XIAOMI_TITLE)
    primary = _primary(facts)
    assert len(primary) == 1
    deal = primary[0]
    assert {party.canonical for party in deal.parties} == {"Nokia", "Xiaomi"}
    assert set(deal.types) >= {DealType.CROSS_LICENSE, DealType.PATENT_ACQUISITION, DealType.SUPPLY,
                               DealType.PARTNERSHIP}
    assert (deal.date, str(deal.date_precision)) == ("2017-07-05", "day")


def test_worked_example_bystanders_are_never_parties():
    facts = _extract(NOKIA_XIAOMI_TEXT, "de", NOKIA_XIAOMI_TITLE)
    named = {party.canonical for deal in facts.deals for party in deal.parties}
    assert not named & {"Apple", "Samsung Electronics", "Oppo", "Vivo", "Huawei", "Honor"}


def test_worked_example_counts_xiaomi_applications_only():
    facts = _extract(NOKIA_XIAOMI_TEXT, "de", NOKIA_XIAOMI_TITLE)
    assert len(facts.counts) == 1
    count = facts.counts[0]
    assert (count.company, count.value, count.qualifier, count.unit) == (
        "Xiaomi", 16000, Qualifier.ABOUT, CountUnit.PATENT_APPLICATIONS)
    assert count.period == "in den letzten sieben Jahren"


def test_every_evidence_points_at_its_sentence_in_the_text():
    facts = _extract(NOKIA_XIAOMI_TEXT, "de", NOKIA_XIAOMI_TITLE)
    evidence = [e for deal in facts.deals for e in deal.evidence] + [e for c in facts.counts for e in c.evidence]
    assert evidence
    for item in evidence:
        assert NOKIA_XIAOMI_TEXT[item.start:item.end] == item.sentence


def test_facts_round_trip_through_the_cli_contract():
    facts = _extract(NOKIA_XIAOMI_TEXT, "de", NOKIA_XIAOMI_TITLE)
    data = facts.to_dict()
    assert set(data) == {"id", "extractor_version", "deals", "patent_counts"}
    assert ArticleFacts.from_dict(data) == facts


def test_extract_record_guesses_the_language_and_reads_the_date():
    out = extract_record({"id": "x", "text": NOKIA_XIAOMI_TEXT, "published": "2017-07-05"})
    assert out["patent_counts"][0]["value"] == 16000
    assert out["deals"][0]["date"] == "2017-07-05"


def test_extract_record_without_text_says_what_is_missing():
    with pytest.raises(ValueError, match="lacks 'text'"):
        extract_record({"id": "x"})
