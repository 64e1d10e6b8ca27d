"""Deals: the deal types, and whether a deal is news, background, rumoured or negated.

Extractor behaviour on short texts written for these tests (no real articles).
"""

import pytest

from conftest import _extract, _primary, _pairs, _deal_pairs

from patentwire.vocab import DealStatus, DealType


def test_companies_that_only_grow_are_not_a_deal():
    assert _extract("Oppo and Vivo are growing fast in India.").deals == ()


def test_negated_deal_is_never_primary():
    facts = _extract("Nokia and Xiaomi did not sign a licence agreement.")
    assert _pairs(facts) == []
    assert _pairs(facts, DealStatus.NEGATED) == [frozenset({"Nokia", "Xiaomi"})]


def test_talks_are_rumoured_not_announced():
    facts = _extract("Qualcomm is reportedly in talks with Huawei about a new patent licence agreement.")
    assert _pairs(facts, DealStatus.RUMOURED) == [frozenset({"Qualcomm", "Huawei"})]


def test_settling_litigation_is_a_settlement():
    facts = _extract("Ericsson and Apple signed a global patent license agreement, settling all pending litigation.")
    assert set(_primary(facts)[0].types) == {DealType.LICENSE, DealType.SETTLEMENT}


def test_ongoing_dispute_with_someone_else_is_background():
    facts = _extract("Huawei und Ericsson haben ein gegenseitiges Patentlizenzabkommen unterzeichnet. Mit dem "
                     "chinesischen Hersteller Lenovo liefern sich die Schweden dagegen weiter einen Rechtsstreit.", "de")
    assert _pairs(facts) == [frozenset({"Huawei", "Ericsson"})]
    assert _primary(facts)[0].types == (DealType.CROSS_LICENSE,)


def test_plan_in_another_clause_does_not_make_the_deal_a_rumour():
    facts = _extract("Samsung and Google said on Wednesday they would expand their partnership, as the South Korean "
                     "firm seeks to take on Apple.")
    assert _pairs(facts) == [frozenset({"Samsung Electronics", "Google"})]


def test_long_standing_joint_venture_is_background():
    facts = _extract("Kioxia and Western Digital have operated a joint venture for more than 20 years.")
    assert _pairs(facts) == []


def test_a_list_of_existing_licensees_is_not_new_deals():
    facts = _extract("InterDigital signed a licence with Vivo. InterDigital now has licences with seven of the top ten "
                     "vendors, including Apple, Samsung, and Xiaomi.")
    assert _pairs(facts) == [frozenset({"InterDigital", "Vivo"})]


def test_headline_deal_counts_when_the_body_never_pairs_the_parties():
    facts = _extract("The Finnish network group said the contract runs for five years. Xiaomi did not comment.",
                     title="Nokia and Xiaomi sign patent license agreement")
    assert _pairs(facts) == [frozenset({"Nokia", "Xiaomi"})]
    assert _primary(facts)[0].evidence[0].sentence.startswith("The Finnish network group")  # names Nokia


def test_rumoured_headline_makes_no_deal():
    facts = _extract("Xiaomi did not comment.", title="Nokia and Xiaomi in talks over patent license")
    assert facts.deals == ()


def test_product_review_verbs_make_no_deal():
    facts = _extract("Mit dem Pixel 8 Pro liefert Google ein Smartphone ab, das sich vor Apple und Samsung nicht "
                     "verstecken muss. Der Chip stammt aus einer Kooperation mit Samsung.", "de",
                     title="Pixel 8 Pro im Test")
    assert _pairs(facts) == []


def test_settling_ongoing_litigation_is_news():
    facts = _extract("Qualcomm and Apple today announced an agreement to dismiss all ongoing litigation between the "
                     "two companies worldwide.")
    assert _pairs(facts) == [frozenset({"Qualcomm", "Apple"})]


def test_a_partnership_headline_does_not_vouch_for_other_pairs():
    facts = _extract("Die Partnerschaft zwischen Panasonic und Tesla gerät unter Druck. Tesla bezieht inzwischen auch "
                     "Zellen von LG und CATL.", "de", title="Panasonic und Tesla: Batteriepartnerschaft auf dem Prüfstand")
    assert _pairs(facts) == [frozenset({"Panasonic", "Tesla"})]


def test_no_plans_to_buy_is_negated_even_when_said_on_a_day():
    facts = _extract("Vodafone Group said on Monday that it has no plans to acquire any patents from Nokia.")
    assert _pairs(facts) == []
    assert _pairs(facts, DealStatus.NEGATED) == [frozenset({"Vodafone", "Nokia"})]


def test_negation_in_a_reason_clause_does_not_negate_the_suit():
    facts = _extract("Das Landgericht Mannheim hat dem Hersteller Oppo den Verkauf mehrerer Modelle untersagt. Nokia "
                     "hatte geklagt, weil Oppo keine Lizenzgebühren zahle.", "de")
    assert _pairs(facts) == [frozenset({"Nokia", "Oppo"})]


def test_several_partners_signed_today_are_news_but_a_licensee_list_is_not():
    signed = _extract("InterDigital today signed license agreements with Samsung, TCL and Lenovo.")
    assert len(_pairs(signed)) == 3
    record = _extract("Nokia has licensed Apple, Samsung, Huawei and Oppo over the years.")
    assert _pairs(record) == []


@pytest.mark.parametrize(("sentence", "language", "pair"), [
    ("Telefonica chooses Ericsson as 5G core network vendor in Spain.", "en", {"Telefonica", "Ericsson"}),
    ("Vodafone taps Samsung to supply Open RAN equipment.", "en", {"Vodafone", "Samsung Electronics"}),
    ("Die Telekom hat Nokia als Ausrüster für das 5G-Netz ausgewählt.", "de", {"Deutsche Telekom", "Nokia"}),
])
def test_choosing_a_vendor_is_a_supply_deal(sentence, language, pair):
    facts = _extract(sentence, language)
    assert _pairs(facts) == [frozenset(pair)]
    assert _primary(facts)[0].types == (DealType.SUPPLY,)


@pytest.mark.parametrize(("title", "text", "language", "news"), [
    ("Nokia signs licence with Oppo",
     "Nokia has signed a patent licence agreement with Oppo. Nokia licenses its cellular patents to carmakers "
     "via the Avanci pool. The agreement does not affect existing agreements with Apple.", "en", {"Nokia", "Oppo"}),
    ("Bosch und Continental vereinbaren Zusammenarbeit",
     "Bosch und Continental haben eine Zusammenarbeit bei Sensoren vereinbart. Mit BMW verbindet Bosch eine "
     "Partnerschaft, die seit mehr als 25 Jahren besteht.", "de", {"Bosch", "Continental"}),
    ("Ericsson and Lenovo sign cross-licence",
     "Ericsson and Lenovo have signed a global patent cross-license agreement. The agreement follows a verdict "
     "that Ericsson won against Lenovo in a US court. Earlier this year Ericsson signed a licence with Oppo.",
     "en", {"Ericsson", "Lenovo"}),
])
def test_later_sentences_about_other_pairs_are_background(title, text, language, news):
    pairs = _deal_pairs(text, language, title)
    assert set(pairs) == {frozenset(news)}
    assert DealType.LITIGATION not in pairs[frozenset(news)]


@pytest.mark.parametrize(("text", "language", "pair"), [
    ("IBM presented a new chip. IBM also said it had signed a research partnership with Samsung.", "en",
     {"IBM", "Samsung Electronics"}),
    ("Infineon teilte mit, man habe mit BMW einen Liefervertrag unterzeichnet.", "de", {"Infineon", "BMW"}),
    ("Siemens und SAP hätten eine strategische Partnerschaft vereinbart, sagte ein Sprecher.", "de", {"Siemens", "SAP"}),
])
def test_reported_speech_announces_the_deal(text, language, pair):
    assert frozenset(pair) in _deal_pairs(text, language)


@pytest.mark.parametrize(("text", "pair", "deal_type"), [
    ("Bosch und Microsoft arbeiten künftig bei der Software fürs Auto eng zusammen.", {"Bosch", "Microsoft"},
     DealType.PARTNERSHIP),
    ("Die Intel-Tochter Mobileye liefert künftig Chips an Volkswagen.", {"Mobileye", "Volkswagen"}, DealType.SUPPLY),
    ("Daimler erhält eine Lizenz von Nokia für Mobilfunkpatente.", {"Daimler", "Nokia"}, DealType.LICENSE),
])
def test_german_deal_phrasings(text, pair, deal_type):
    assert deal_type in _deal_pairs(text, "de").get(frozenset(pair), set())


def test_removing_litigation_risk_is_no_litigation():
    pairs = _deal_pairs("Apple and Qualcomm settled all litigation. The agreement removes litigation risk for "
                        "both companies.", "en")
    assert pairs == {frozenset({"Apple", "Qualcomm"}): {DealType.SETTLEMENT}}


def test_offering_a_licence_in_a_lawsuit_is_no_licence():
    pairs = _deal_pairs("Qualcomm said on Tuesday it had filed a countersuit against Arm. Qualcomm said it had "
                        "offered Arm a fair licence fee.", "en")
    assert pairs == {frozenset({"Qualcomm", "Arm"}): {DealType.LITIGATION}}


def test_headline_deal_the_body_reports_only_from_sources_is_not_news():
    facts = _extract("SEOUL -- Samsung Display will supply OLED panels for Apple's next phone, two people familiar "
                     "with the matter said. LG Display also supplies panels to Apple.", "en",
                     "Samsung to supply OLED panels to Apple")
    assert _primary(facts) == []


def test_a_deal_to_develop_components_is_a_partnership():
    pairs = _deal_pairs("Apple said on Tuesday it had signed a multi-billion dollar deal with Broadcom to develop "
                        "radio components. Apple also has supply agreements with Qualcomm for modems.", "en")
    assert pairs == {frozenset({"Apple", "Broadcom"}): {DealType.PARTNERSHIP}}


def test_refusing_a_licence_is_no_licence():
    pairs = _deal_pairs("Nokia hat Klagen gegen den Smartphone-Hersteller Oppo eingereicht. Oppo habe sich geweigert, "
                        "eine Lizenz zu fairen Bedingungen zu erwerben, teilte Nokia mit.", "de")
    assert pairs == {frozenset({"Nokia", "Oppo"}): {DealType.LITIGATION}}


def test_cooperating_from_now_on_is_an_announced_partnership():
    pairs = _deal_pairs("Die Barmer kooperiert künftig mit der Techniker Krankenkasse bei Gesundheits-Apps.", "de")
    assert pairs == {frozenset({"Barmer", "Techniker Krankenkasse"}): {DealType.PARTNERSHIP}}


def test_an_old_agreement_that_settled_a_dispute_adds_no_settlement():
    pairs = _deal_pairs("Qualcomm said on Monday it had signed an agreement with Apple to supply modem chips. The deal "
                        "extends a 2019 agreement that settled a legal battle between the two companies.", "en")
    assert pairs == {frozenset({"Qualcomm", "Apple"}): {DealType.SUPPLY}}


@pytest.mark.parametrize(("text", "language", "status"), [
    ("Wie Nokia am Dienstag mitteilte, habe man mit Vodafone einen Liefervertrag unterzeichnet.", "de",
     DealStatus.PRIMARY),
    ("Nokia und Vivo hätten sich auf einen Lizenzvertrag geeinigt, berichtet eine Agentur unter Berufung auf Insider.",
     "de", DealStatus.RUMOURED),
    ("Nokia said it expects to sign a licence with Vivo soon.", "en", DealStatus.RUMOURED),
    ("Bosch wolle mit Continental eine Partnerschaft eingehen, hieß es.", "de", DealStatus.RUMOURED),
])
def test_who_reports_the_deal_decides_whether_it_is_news(text, language, status):
    assert [deal.status for deal in _extract(text, language).deals] == [status]


def test_a_roundup_of_deals_in_the_present_tense_is_all_news():
    facts = _extract("Nokia signs a patent licence with Oppo. Ericsson signs a patent licence with Vivo. "
                     "InterDigital sues Lenovo in Munich.", "en", "Patent roundup")
    assert set(_pairs(facts)) == {frozenset({"Nokia", "Oppo"}), frozenset({"Ericsson", "Vivo"}),
                                  frozenset({"InterDigital", "Lenovo"})}


@pytest.mark.parametrize(("text", "language"), [
    ("Nokia offered Oppo a licence before filing suit in Mannheim.", "en"),
    ("Nokia habe Oppo eine Lizenz angeboten, bevor es klagte.", "de"),
])
def test_a_licence_offered_in_a_lawsuit_sentence_leaves_the_suit_news(text, language):
    assert _deal_pairs(text, language) == {frozenset({"Nokia", "Oppo"}): {DealType.LITIGATION}}


def test_renewing_an_existing_licence_is_news_beside_a_second_new_licence():
    text = ("Acme Licensing announced two separate patent license agreements on Tuesday. "
            "The first is a long-term agreement with Samsung Electronics covering cellular patents. "
            "The second renews an existing license agreement with TCL Communication for its phones.")
    pairs = _pairs(_extract(text, title="Acme Licensing signs licences with Samsung and TCL"))
    assert {"Samsung Electronics", "TCL"} <= {name for pair in pairs for name in pair}
    assert all(len(pair) == 2 for pair in pairs)


@pytest.mark.parametrize("text, language", [
    ("Nokia and Samsung Electronics agreed today to expand their existing cross-license agreement to 6G.", "en"),
    ("Siemens und Bosch haben ihre seit mehr als drei Jahrzehnten bestehende Partnerschaft verlängert.", "de"),
])
def test_extending_an_existing_tie_is_news(text, language):
    facts = _extract(text, language)
    assert len(_primary(facts)) == 1


def test_an_existing_tie_without_an_extension_stays_background():
    facts = _extract("Nokia and Samsung Electronics have a long-standing cross-license agreement.")
    assert not _primary(facts)


@pytest.mark.parametrize("text, language", [
    ("Nokia remains open to working with Oppo to settle the dispute.", "en"),
    ("Bosch already supplies radar sensors to BMW under a supply contract.", "en"),
    ("Bosch die Software von Siemens lizenzieren will.", "de"),
    ("Bosch will die Software von Siemens lizenzieren.", "de"),
])
def test_openness_wishes_and_ongoing_supply_are_not_primary_deals(text, language):
    assert not _primary(_extract(text, language))


@pytest.mark.parametrize("text", [
    "Nokia und Oppo ziehen ihre Klagen gegeneinander zurück.",
    "Nokia und Oppo beenden ihren Patentstreit.",
])
def test_withdrawing_suits_or_ending_a_dispute_is_a_settlement_in_german(text):
    primary = _primary(_extract(text, "de"))
    assert [deal.types for deal in primary] == [(DealType.SETTLEMENT,)]


def test_a_licence_covering_both_sides_patents_is_a_cross_licence():
    text = "Nokia und Oppo schließen eine Lizenzvereinbarung, die die Patente beider Seiten umfasst."
    primary = _primary(_extract(text, "de"))
    assert [deal.types for deal in primary] == [(DealType.CROSS_LICENSE,)]


def test_a_verdict_reported_as_news_is_a_primary_suit_with_the_patent_holder():
    facts = _extract("A jury found on Tuesday that Samsung Electronics infringed patents held by Netlist.")
    assert [(set(pair), deal.types) for pair, deal in zip(_pairs(facts), _primary(facts))] == [
        ({"Samsung Electronics", "Netlist"}, (DealType.LITIGATION,))]


@pytest.mark.parametrize("text, language", [
    ("Bosch und Siemens haben sich geeinigt. Bosch hat dabei eine Lizenz an Patenten von Siemens erworben.", "de"),
    ("Bosch acquired a licence to 300 Siemens patents today.", "en"),
])
def test_an_acquired_licence_is_a_licence_not_a_patent_purchase(text, language):
    assert [deal.types for deal in _primary(_extract(text, language))] == [(DealType.LICENSE,)]


def test_patents_bought_outright_stay_a_patent_acquisition():
    facts = _extract("Bosch hat 300 Patente von Siemens erworben.", "de")
    assert [deal.types for deal in _primary(facts)] == [(DealType.PATENT_ACQUISITION,)]


@pytest.mark.parametrize(("text", "language"), [
    ("Die Hausnetz Technik GmbH hat Lizenzvereinbarungen mit Qualcomm, Nokia und InterDigital abgeschlossen.", "de"),
    ("Hausnetz Technik GmbH has signed licence agreements with Qualcomm, Nokia and InterDigital.", "en"),
])
def test_one_subject_with_a_list_of_partners_is_one_deal_per_partner_for_the_model_too(text, language):
    from patentwire.extract import extract_record

    deals = extract_record({"id": "list", "text": text, "language": language})["deals"]
    assert {frozenset(party["canonical"] for party in deal["parties"]) for deal in deals} == {
        frozenset({"Hausnetz Technik", partner}) for partner in ("Qualcomm", "Nokia", "InterDigital")}


def test_a_list_of_subjects_is_not_a_list_of_partners():
    """"X, Y and Z announced a three-way cross-licence": the model's reading stands, no pair is added."""
    from patentwire.extract.article import _partners_listed

    assert not _partners_listed("Helion AG, LG Energy Solution and Panasonic announced a cross-licence.",
                                "Helion", "LG Energy Solution", "Panasonic")
    assert _partners_listed("Helion AG signed licences with LG Energy Solution and Panasonic.",
                            "Helion", "LG Energy Solution", "Panasonic")
