"""Parties: who is a party to a deal, in which role, and who is only a bystander.

Extractor behaviour on short texts written for these tests (no real articles).
"""

import datetime

import pytest

from conftest import _extract, _primary, _pairs, _deal_pairs

from patentwire.vocab import DealType


def test_unlike_clause_keeps_its_companies_out_of_the_deal():
    facts = _extract("Unlike Apple and Samsung, who fight in court, Ericsson and Lenovo signed a cross-license.")
    assert _pairs(facts) == [frozenset({"Ericsson", "Lenovo"})]


def test_several_deals_with_different_pairs():
    facts = _extract("InterDigital signed a licence agreement with Lenovo. Separately, Sisvel sued Oppo for patent "
                     "infringement in Germany.")
    assert set(_pairs(facts)) == {frozenset({"InterDigital", "Lenovo"}), frozenset({"Sisvel", "Oppo"})}


def test_unknown_organisation_is_kept_as_written():
    facts = _extract("Frobozz Widgets GmbH hat mit Bosch einen Lizenzvertrag unterzeichnet.", "de")
    assert _primary(facts)[0].parties[0].name == "Frobozz Widgets GmbH"
    assert {p.canonical for p in _primary(facts)[0].parties} == {"Frobozz Widgets", "Bosch"}


def test_litigation_roles_in_english():
    facts = _extract("Nokia sued Oppo for patent infringement.")
    assert {(p.canonical, p.role) for p in _primary(facts)[0].parties} == {("Nokia", "plaintiff"), ("Oppo", "defendant")}


def test_courts_and_news_agencies_are_not_parties():
    facts = _extract("The ITC ruled that Apple infringed Ericsson patents, Reuters reported.")
    assert {p.canonical for deal in facts.deals for p in deal.parties} <= {"Apple", "Ericsson"}


def test_a_company_named_as_a_rival_is_not_a_party():
    facts = _extract("Apple is weighing a patent licensing deal with a Qualcomm competitor.")
    assert _pairs(facts) == []


def test_subsidiary_named_as_such_stands_with_its_parent():
    facts = _extract("Ericsson verklagt Lenovo. Lenovo und dessen Tochter Motorola Mobility reagierten mit einer "
                     "Klage.", "de")
    assert set(_pairs(facts)) == {frozenset({"Ericsson", "Lenovo"})}


def test_one_supplier_with_two_customers_gives_two_pairs():
    facts = _extract("Infineon will supply power modules to Hyundai Motor and Kia under a new agreement.")
    assert set(_pairs(facts)) == {frozenset({"Infineon", "Hyundai"}), frozenset({"Infineon", "Kia"})}


def test_unknown_company_introduced_by_a_descriptor_is_a_party():
    facts = _extract("Infineon hat Klage gegen den chinesischen Chiphersteller Innoscience eingereicht.", "de")
    assert _pairs(facts) == [frozenset({"Infineon", "Innoscience"})]


def test_joined_licensees_named_for_comparison_are_not_parties():
    facts = _extract("BMW has signed a licence agreement with patent pool Avanci, the German carmaker said on Tuesday, "
                     "joining Mercedes-Benz and Volkswagen which signed up last year.",
                     title="BMW signs up for Avanci licence", published=datetime.date(2024, 2, 20))
    assert _pairs(facts) == [frozenset({"BMW", "Avanci"})]
    assert _primary(facts)[0].date == "2024-02-20"


def test_passive_suit_gives_the_plaintiff_after_by():
    facts = _extract("Samsung was sued in Texas by Headwater Research LLC for patent infringement.")
    roles = {p.canonical: p.role for p in _primary(facts)[0].parties}
    assert roles == {"Samsung Electronics": "defendant", "Headwater Research": "plaintiff"}


def test_known_name_with_an_entity_suffix_is_that_company():
    facts = _extract("InterDigital has signed a patent license agreement with vivo Mobile Communication Co., Ltd.")
    assert _pairs(facts) == [frozenset({"InterDigital", "Vivo"})]


def test_patent_sale_with_the_buyer_named_in_the_next_sentence():
    facts = _extract("Bosch hat sich von einem Paket mit rund 1.100 Patenten getrennt. Käufer ist der chinesische "
                     "Zulieferer Weichai Power.", "de")
    assert _pairs(facts) == [frozenset({"Bosch", "Weichai Power"})]
    assert facts.counts == ()


def test_parallel_clause_puts_the_new_supplier_opposite_the_same_customer():
    facts = _extract("Vodafone has chosen Samsung Networks as a supplier of Open RAN equipment. Samsung will provide "
                     "radio units and software, while NEC will supply massive MIMO radios.",
                     title="Vodafone picks Samsung for Open RAN rollout")
    assert set(_pairs(facts)) == {frozenset({"Vodafone", "Samsung Electronics"}), frozenset({"Vodafone", "NEC"})}


def test_possessive_names_the_owner_even_when_unknown():
    facts = _extract("Nokia agreed to buy Infinera. Infinera's portfolio of about 1,800 patents will strengthen "
                     "Nokia's optical business.")
    assert [(c.company, c.value) for c in facts.counts] == [("Infinera", 1800)]


def test_the_two_rivals_are_the_parties_not_bystanders():
    facts = _extract("Die Lkw-Hersteller Daimler Truck und Volvo Group wollen eine Plattform entwickeln. Dafür gründen "
                     "die beiden Konkurrenten ein Gemeinschaftsunternehmen, wie sie am Dienstag mitteilten.", "de")
    assert _pairs(facts) == [frozenset({"Daimler Truck", "Volvo Group"})]


def test_parent_named_to_describe_a_party_is_not_the_other_side():
    facts = _extract("Sharp, a unit of Taiwan's Foxconn, sued Oppo in Germany over Wi-Fi patents.")
    assert _pairs(facts) == [frozenset({"Sharp", "Oppo"})]


def test_x_tochter_names_the_parent_of_the_party_that_follows():
    facts = _extract("Der Zulieferer ZF und die Intel-Tochter Mobileye bauen ihre Zusammenarbeit aus, teilten die "
                     "Unternehmen am Mittwoch mit.", "de")
    assert _pairs(facts) == [frozenset({"ZF", "Mobileye"})]


def test_telekom_choosing_two_vendors_gives_two_supply_pairs():
    pairs = _deal_pairs("Die Deutsche Telekom hat Nokia und Ericsson als Lieferanten für ihr Netz ausgewählt.", "de")
    assert pairs == {frozenset({"Deutsche Telekom", "Nokia"}): {DealType.SUPPLY},
                     frozenset({"Deutsche Telekom", "Ericsson"}): {DealType.SUPPLY}}


def test_licensors_of_a_pool_are_not_paired_with_each_other():
    pairs = _deal_pairs("Mercedes-Benz has signed a license with Avanci. The license covers patents held by "
                        "Ericsson, Nokia and Qualcomm.", "en")
    assert set(pairs) == {frozenset({"Mercedes-Benz", "Avanci"})}


@pytest.mark.parametrize(("text", "language", "pair"), [
    ("Nokia hat Verletzungsklagen gegen Xiaomi und Oppo eingereicht.", "de", [{"Nokia", "Xiaomi"}, {"Nokia", "Oppo"}]),
    ("Continental will supply its new brake system to Volkswagen, BMW and Volvo, the company announced on Monday.",
     "en", [{"Continental", "Volkswagen"}, {"Continental", "BMW"}, {"Continental", "Volvo Cars"}]),
])
def test_one_actor_with_each_listed_partner(text, language, pair):
    assert set(_deal_pairs(text, language)) == {frozenset(names) for names in pair}


@pytest.mark.parametrize(("text", "pair"), [
    ("BERLIN -- Berlin-based Kaia Health has signed a partnership with Siemens Healthineers.",
     {"Kaia Health", "Siemens Healthineers"}),
    ("Acme Robotics has signed a supply agreement with Siemens.", {"Acme Robotics", "Siemens"}),
    ("Panasonic has transferred 1,600 patents to IP Bridge, a Japanese patent fund.", {"Panasonic", "IP Bridge"}),
    ("ESPOO, Finland -- Hollow Pine Devices and Nokia have signed a patent licence.", {"Hollow Pine Devices", "Nokia"}),
])
def test_unknown_organisation_without_legal_suffix_is_a_party(text, pair):
    assert set(_deal_pairs(text, "en")) == {frozenset(pair)}


def test_dateline_city_is_no_party():
    pairs = _deal_pairs("SANTA CLARA, Calif. -- Sonos has filed a new lawsuit against Google.", "en")
    assert set(pairs) == {frozenset({"Sonos", "Google"})}


@pytest.mark.parametrize(("text", "pair"), [
    ("Quantum Leap Labs, a startup backed by Intel and SoftBank, has licensed battery patents from BASF.",
     {"Quantum Leap Labs", "BASF"}),
    ("SoftBank-backed Arm has signed a licence agreement with Alibaba.", {"Arm", "Alibaba"}),
    ("Cerence today announced an expanded partnership with Volkswagen. Cerence's customers include BMW, Ford and "
     "Toyota.", {"Cerence", "Volkswagen"}),
])
def test_backers_and_customer_lists_are_not_parties(text, pair):
    assert set(_deal_pairs(text, "en")) == {frozenset(pair)}


@pytest.mark.parametrize("text", [
    "Die Barmer kooperiert künftig mit Anbietern von Gesundheits-Apps.",
    "Nokia kooperiert künftig mit FRAND-Bedingungen.",
])
def test_german_compound_nouns_are_no_parties(text):
    assert _deal_pairs(text, "de") == {}


def test_sourcing_from_two_suppliers_gives_two_supply_pairs():
    pairs = _deal_pairs("BMW will source battery cells from CATL and Northvolt.", "en")
    assert pairs == {frozenset({"BMW", "CATL"}): {DealType.SUPPLY}, frozenset({"BMW", "Northvolt"}): {DealType.SUPPLY}}


@pytest.mark.parametrize(("text", "language", "pair"), [
    ("Siemens Healthineers kooperiert mit dem Berliner Start-up Kaia Health.", "de",
     {"Siemens Healthineers", "Kaia Health"}),
    ("Munich-based startup Konux has partnered with Deutsche Bahn.", "en", {"Konux", "Deutsche Bahn"}),
    ("Nokia signed a licence with Oppo and UMTS.", "en", {"Nokia", "Oppo"}),
])
def test_cooperating_with_a_described_start_up_and_standards_that_are_no_party(text, language, pair):
    assert set(_deal_pairs(text, language)) == {frozenset(pair)}


@pytest.mark.parametrize("text, language", [
    ("Mercedes-Benz and BMW have signed licenses with Avanci today.", "en"),
    ("Mercedes-Benz und BMW haben heute Lizenzverträge mit Avanci unterzeichnet.", "de"),
])
def test_coordinated_subjects_each_deal_with_the_partner(text, language):
    assert sorted(map(sorted, _pairs(_extract(text, language)))) == [["Avanci", "BMW"], ["Avanci", "Mercedes-Benz"]]


@pytest.mark.parametrize("text, language", [
    ("Toyota hat mit dem japanischen Konkurrenten Panasonic Energy eine Kreuzlizenzvereinbarung geschlossen.", "de"),
    ("Toyota signed a cross-license agreement with its rival Panasonic Energy.", "en"),
])
def test_a_rival_in_apposition_to_the_partner_is_the_partner(text, language):
    assert _pairs(_extract(text, language)) == [frozenset({"Toyota", "Panasonic Energy"})]


def test_a_unit_named_after_its_parents_possessive_is_the_party():
    text = "Volkswagen Group's software unit Cariad has selected Mobileye to supply driver-assistance chips."
    assert _pairs(_extract(text)) == [frozenset({"Cariad", "Mobileye"})]


def test_brands_of_a_party_are_not_parties_but_their_deal_words_count():
    text = ("Bosch und Volkswagen haben eine Kooperation vereinbart. "
            "Bosch wird künftig Radarsensoren für Modelle der Marken Audi, Seat und Porsche liefern.")
    facts = _extract(text, "de")
    assert _pairs(facts) == [frozenset({"Bosch", "Volkswagen"})]
    assert DealType.SUPPLY in _primary(facts)[0].types


def test_a_sale_reported_by_the_buyer_in_apposition_pairs_seller_and_buyer():
    facts = _extract("Veoneer sold 120 patents to Autoliv, the Swedish safety systems maker said on Tuesday.")
    assert _pairs(facts) == [frozenset({"Veoneer", "Autoliv"})]
