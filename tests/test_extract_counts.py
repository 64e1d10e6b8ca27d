"""Patent-portfolio counts: value, qualifier, unit and owner.

Extractor behaviour on short texts written for these tests (no real articles).
"""

import pytest

from conftest import _extract, _counts

from patentwire.vocab import CountUnit, Qualifier


@pytest.mark.parametrize(("phrase", "qualifier"), [
    ("rund 16.000", Qualifier.ABOUT), ("about 16,000", Qualifier.ABOUT), ("nearly 16,000", Qualifier.ABOUT),
    ("mehr als 16.000", Qualifier.MORE_THAN), ("über 16.000", Qualifier.MORE_THAN), ("over 16,000", Qualifier.MORE_THAN),
    ("mindestens 16.000", Qualifier.AT_LEAST), ("at least 16,000", Qualifier.AT_LEAST),
    ("bis zu 16.000", Qualifier.UP_TO), ("up to 16,000", Qualifier.UP_TO), ("16,000", Qualifier.EXACT),
])
def test_qualifier_words_before_the_number(phrase, qualifier):
    language = "de" if any(word in phrase for word in ("rund", "mehr", "über", "mindestens", "bis")) else "en"
    noun = "Patente" if language == "de" else "patents"
    facts = _extract(f"Ericsson hält {phrase} {noun}." if language == "de" else f"Ericsson holds {phrase} {noun}.",
                     language)
    assert [(c.value, c.qualifier) for c in facts.counts] == [(16000, qualifier)]


@pytest.mark.parametrize(("sentence", "language", "unit"), [
    ("Ericsson holds 16,000 patents.", "en", CountUnit.PATENTS),
    ("Ericsson holds 16,000 granted patents.", "en", CountUnit.GRANTED_PATENTS),
    ("Ericsson hält 16.000 erteilte Patente.", "de", CountUnit.GRANTED_PATENTS),
    ("Ericsson has filed 16,000 patent applications.", "en", CountUnit.PATENT_APPLICATIONS),
    ("Ericsson hat 16.000 Patente angemeldet.", "de", CountUnit.PATENT_APPLICATIONS),
    ("Ericsson owns 16,000 patent families.", "en", CountUnit.PATENT_FAMILIES),
    ("Ericsson besitzt 16.000 Patentfamilien.", "de", CountUnit.PATENT_FAMILIES),
    ("Ericsson holds 16,000 granted U.S. patents.", "en", CountUnit.GRANTED_PATENTS),  # a country word between
    ("Ericsson hält 16.000 erteilte europäische Patente.", "de", CountUnit.GRANTED_PATENTS),
    ("Ericsson holds 16,000 pending U.S. patents.", "en", CountUnit.PATENT_APPLICATIONS),
    ("Ericsson owns 16,000 issued and pending patents.", "en", CountUnit.PATENTS),  # two kinds: plain patents
    ("Ericsson holds 16,000 granted patents and pending applications.", "en", CountUnit.PATENTS),
])
def test_units_of_patent_counts(sentence, language, unit):
    assert [(c.value, c.unit) for c in _extract(sentence, language).counts] == [(16000, unit)]


def test_two_counts_joined_by_and_keep_their_own_units():
    """"... and 410 pending applications" is a second count, not the other half of a mixed total."""
    counts = _counts("Ericsson holds 640 issued patents and 410 pending patent applications.", "en")
    assert counts == {("Ericsson", 640, CountUnit.GRANTED_PATENTS), ("Ericsson", 410, CountUnit.PATENT_APPLICATIONS)}


@pytest.mark.parametrize(("sentence", "language"), [
    ("Xiaomi sold 23.2 million smartphones in 2016.", "en"),
    ("Xiaomi erzielte einen Umsatz von 16 Milliarden Euro.", "de"),
    ("Xiaomi employs 15,000 people.", "en"),
    ("Xiaomi shares rose 4 percent.", "en"),
    ("Xiaomi acquired 1,500 patents from Nokia.", "en"),
    ("Nokia verkauft 500 Patente an Xiaomi.", "de"),
    ("Xiaomi was founded in 2010.", "en"),
])
def test_distractor_numbers_are_not_patent_counts(sentence, language):
    assert _extract(sentence, language).counts == ()


def test_count_owner_through_its_and_descriptor():
    facts = _extract("Samsung Electronics signed a licence with Nokia. The South Korean tech giant holds more than "
                     "180,000 patents worldwide.")
    assert [(c.company, c.value, c.qualifier) for c in facts.counts] == [("Samsung Electronics", 180000, Qualifier.MORE_THAN)]


def test_german_descriptor_resolves_to_the_chinese_party():
    facts = _extract("Nokia und Xiaomi schließen einen Patentvertrag. Der chinesische Hersteller hält 20.000 Patente.", "de")
    assert [(c.company, c.value) for c in facts.counts] == [("Xiaomi", 20000)]


def test_filing_rates_are_not_portfolio_sizes():
    facts = _extract("Trumpf hält rund zwölftausend Patente. Das Unternehmen meldet jedes Jahr bis zu 400 "
                     "Erfindungen zum Patent an.", "de")
    assert [(c.company, c.value, c.qualifier) for c in facts.counts] == [("Trumpf", 12000, Qualifier.ABOUT)]


def test_subset_of_a_portfolio_keeps_the_unit():
    facts = _extract("Nokia hält rund 20.000 Patentfamilien, davon über 4.500 für 5G.", "de")
    assert [(c.value, c.unit, c.qualifier) for c in facts.counts] == [
        (20000, CountUnit.PATENT_FAMILIES, Qualifier.ABOUT), (4500, CountUnit.PATENT_FAMILIES, Qualifier.MORE_THAN)]


def test_granted_subset_changes_the_unit():
    facts = _extract("ZTE owns more than 80,000 patent applications, of which more than 40,000 have been granted.")
    assert [(c.value, c.unit) for c in facts.counts] == [
        (80000, CountUnit.PATENT_APPLICATIONS), (40000, CountUnit.GRANTED_PATENTS)]


def test_adjectives_between_number_and_unit_but_not_other_nouns():
    assert [c.value for c in _extract("IBM holds over 1,000 AI-related patents.").counts] == [1000]
    assert _extract("IBM inventors live in 40 countries, earned patents in AI.").counts == ()


def test_for_comparison_is_not_a_settlement():
    facts = _extract("Zum Vergleich: Der Konkurrent Oppo meldete rund 55.000 Patentanmeldungen, Huawei mehr als "
                     "100.000 aktive Patente.", "de")
    assert facts.deals == ()
    assert {(c.company, c.value) for c in facts.counts} == {("Oppo", 55000), ("Huawei", 100000)}


def test_ranking_with_elliptical_counts():
    facts = _extract("Samsung Electronics ranked second with 6,366 patents, followed by Canon with 3,021.")
    assert {(c.company, c.value, c.unit) for c in facts.counts} == {
        ("Samsung Electronics", 6366, CountUnit.PATENTS), ("Canon", 3021, CountUnit.PATENTS)}


def test_german_separable_verb_particle_is_not_a_transfer():
    facts = _extract("Bosch meldete im vergangenen Jahr mehr als 4.500 Patente an und gehört damit zur Spitze.", "de")
    assert [(c.value, c.unit) for c in facts.counts] == [(4500, CountUnit.PATENT_APPLICATIONS)]


def test_sector_descriptor_resolves_to_the_company_of_that_sector():
    facts = _extract("Qualcomm hat gegen Apple geklagt. Das Urteil ist ein Etappensieg für den US-Chiphersteller, "
                     "der weltweit mehr als 130.000 Patente hält.", "de",
                     title="Qualcomm erwirkt Verkaufsverbot gegen Apple")
    assert [(c.company, c.value) for c in facts.counts] == [("Qualcomm", 130000)]


def test_city_adjective_and_sector_make_a_descriptor():
    facts = _extract("Bosch und Infineon forschen gemeinsam. Der Münchner Chipkonzern hält mindestens 30.000 Patente.",
                     "de")
    assert [(c.company, c.value, c.qualifier) for c in facts.counts] == [("Infineon", 30000, Qualifier.AT_LEAST)]


def test_parenthesised_ranking_counts_take_the_unit_before():
    facts = _extract("Huawei hat beim EPA 4.279 Patentanmeldungen eingereicht und liegt vor Samsung (4.041) und "
                     "LG (3.462).", "de")
    assert {(c.company, c.value, c.unit) for c in facts.counts} == {
        ("Huawei", 4279, CountUnit.PATENT_APPLICATIONS), ("Samsung Electronics", 4041, CountUnit.PATENT_APPLICATIONS),
        ("LG Electronics", 3462, CountUnit.PATENT_APPLICATIONS)}


def test_patents_a_pool_licenses_are_not_its_portfolio():
    assert _extract("The Sisvel pool offers a single license to more than 1,000 patents.").counts == ()


@pytest.mark.parametrize(("sentence", "owner"), [
    ("With more than 20,000 patent families, Nokia leads the field.", "Nokia"),
    ("More than 20,000 patent families are held by Nokia.", "Nokia"),
    ("Ericsson said 20,000 patent families strengthen Nokia's position.", "Ericsson"),
])
def test_count_owner_named_after_the_number(sentence, owner):
    assert [c.company for c in _extract(sentence).counts] == [owner]


@pytest.mark.parametrize(("text", "language", "expected"), [
    ("Kestrel Optics holds more than 9,000 patents and was granted 812 in Japan last year.", "en",
     {("Kestrel Optics", 9000, CountUnit.PATENTS), ("Kestrel Optics", 812, CountUnit.GRANTED_PATENTS)}),
    ("Siemens verfügt über mehr als 140.000 erteilte Patente und Patentanmeldungen.", "de",
     {("Siemens", 140000, CountUnit.PATENTS)}),
    ("Huawei has declared more than 3,000 Wi-Fi 6 patent families.", "en",
     {("Huawei", 3000, CountUnit.PATENT_FAMILIES)}),
    ("Der Chipkonzern Infineon hält rund 30.000 Patentrechte.", "de", {("Infineon", 30000, CountUnit.PATENTS)}),
    ("Bosch führt die Liste mit 4.100 Anmeldungen an. Dahinter folgen ZF (1.450) und Schaeffler (1.320).", "de",
     {("Bosch", 4100, CountUnit.PATENT_APPLICATIONS), ("ZF", 1450, CountUnit.PATENT_APPLICATIONS),
      ("Schaeffler", 1320, CountUnit.PATENT_APPLICATIONS)}),
    ("Northvolt filed 150 patent applications last year.", "en", {("Northvolt", 150, CountUnit.PATENT_APPLICATIONS)}),
    ("Sick meldete 2022 rund 210 Patente an.", "de", {("Sick", 210, CountUnit.PATENT_APPLICATIONS)}),
])
def test_each_count_takes_the_unit_and_owner_of_its_own_phrase(text, language, expected):
    assert _counts(text, language) == expected


@pytest.mark.parametrize(("text", "language"), [
    ("Bosch hält 300 Patente. Rund 15.000 Anmeldungen kamen aus Bayern.", "de"),
    ("Siemens holds 300 patents. Applicants from Germany accounted for 24,966 applications.", "en"),
    ("Bosch hält 300 Patente. Im Freistaat wurden 15.000 Anmeldungen gezählt.", "de"),
    ("Die Firma hält 300 Patente.", "de"),
])
def test_region_totals_and_generic_subjects_own_no_count(text, language):
    assert {value for _, value, _ in _counts(text, language)} <= {300}


def test_an_office_total_and_a_targets_portfolio_are_no_counts():
    facts = _extract("Samsung Electronics topped the list with 6,248 patents granted in 2022. In total the USPTO "
                     "granted 320,000 patents. Google agreed to buy Motorola to gain its portfolio of about "
                     "17,000 patents.", "en")
    assert [(count.company, count.value) for count in facts.counts] == [("Samsung Electronics", 6248)]


def test_a_part_of_the_count_before_keeps_its_unit():
    counts = _counts("IBM inventors received 4,400 granted U.S. patents in 2022. More than 2,300 of those patents "
                     "relate to AI.", "en")
    assert counts == {("IBM", 4400, CountUnit.GRANTED_PATENTS), ("IBM", 2300, CountUnit.GRANTED_PATENTS)}


def test_a_region_ranked_after_companies_owns_no_count():
    counts = _counts("Spitzenreiter war erneut Bosch mit 4.193 Anmeldungen vor BMW (1.588). Aus Bayern kamen 15.000 "
                     "Anmeldungen, aus Baden-Württemberg 14.100. In Deutschland hält Bosch 9.000 Patente.", "de")
    assert {value for _, value, _ in counts} == {4193, 1588, 9000}


@pytest.mark.parametrize(("text", "language", "expected"), [
    ("Siemens hält etwa 44.000 Patente; rund 22.000 davon sind erteilt.", "de",
     {("Siemens", 44000, CountUnit.PATENTS), ("Siemens", 22000, CountUnit.GRANTED_PATENTS)}),
    ("Die Münchner halten rund 2.000 Patentfamilien, teilte Infineon mit.", "de",
     {("Infineon", 2000, CountUnit.PATENT_FAMILIES)}),
    ("The group holds about 2,000 patent families, Infineon said.", "en",
     {("Infineon", 2000, CountUnit.PATENT_FAMILIES)}),
])
def test_subsets_and_owners_named_as_the_speaker(text, language, expected):
    assert _counts(text, language) == expected


@pytest.mark.parametrize(("text", "language", "expected"), [
    ("Es folgen Mercedes-Benz mit 1.817 und BMW mit 1.588 Anmeldungen.", "de",
     {("Mercedes-Benz", 1817, CountUnit.PATENT_APPLICATIONS), ("BMW", 1588, CountUnit.PATENT_APPLICATIONS)}),
    ("Huawei filed 4,505 applications. Samsung filed 3,921, and LG 3,804.", "en",
     {("Huawei", 4505, CountUnit.PATENT_APPLICATIONS), ("Samsung Electronics", 3921, CountUnit.PATENT_APPLICATIONS),
      ("LG Electronics", 3804, CountUnit.PATENT_APPLICATIONS)}),
    ("Nokia with 300 employees and Ericsson with 3,000 patents.", "en", {("Ericsson", 3000, CountUnit.PATENTS)}),
])
def test_ranking_figures_borrow_the_unit_of_their_neighbours(text, language, expected):
    assert _counts(text, language) == expected


@pytest.mark.parametrize("text", [
    "Nokia is selling a portfolio to Apple. The portfolio is said to contain roughly 800 patents.",
    "Apple and Microsoft made a joint bid for about 3,000 patents held by Nortel.",
    "Siemens, Bosch and Infineon together filed 9,000 patents last year.",
])
def test_patents_of_a_proposed_deal_or_a_joint_total_are_nobodys_count(text):
    assert not _extract(text).counts


@pytest.mark.parametrize("text, expected", [
    ("Philips, which spun off Signify, reported that it filed 1,100 patent applications in 2023.",
     ("Philips", 1100, CountUnit.PATENT_APPLICATIONS)),
    ("Samsung led the list. Huawei ranked third with roughly 4,580 grants.",
     ("Huawei", 4580, CountUnit.GRANTED_PATENTS)),
    ("Netlist owns more than 1,000 issued and pending patents.", ("Netlist", 1000, CountUnit.PATENTS)),
])
def test_count_owner_and_unit_in_asides_grants_and_mixed_units(text, expected):
    assert [(count.company, count.value, count.unit) for count in _extract(text).counts] == [expected]


@pytest.mark.parametrize(("text", "language", "owner"), [
    ("Brelwick Optics Inc. has changed its name to Solvane Photonics Inc. Brelwick Optics holds 900 patents.",
     "en", "Solvane Photonics"),
    ("Solvane Photonics Inc. presented its new name on Monday. Solvane Photonics, formerly Brelwick Optics, "
     "holds 900 patents.", "en", "Solvane Photonics"),
    ("Die Hollmark Werkzeug KG firmiert ab März unter dem Namen Trabert Präzision KG. Die Trabert Präzision "
     "KG, vormals Hollmark Werkzeug, hält rund 900 Patente.", "de", "Trabert Präzision"),
])
def test_a_renamed_company_owns_its_counts_under_its_new_name(text, language, owner):
    assert {(company, value) for company, value, _unit in _counts(text, language)} == {(owner, 900)}


def test_a_name_the_article_defines_beats_a_registry_alias():
    """The registry knows a "Kestrel" (Kestrel Group); this article defines its own."""
    text = ('Kestrel Rotor Systems, Inc. ("Kestrel") designs turbine blades. Kestrel holds 38 granted patents.')
    assert _counts(text, "en") == {("Kestrel Rotor Systems", 38, CountUnit.GRANTED_PATENTS)}


def test_a_rate_is_no_portfolio_size_for_the_model_either():
    """The learned decision weighs transfers and totals, but a rate is never a portfolio size."""
    from patentwire.extract import extract_record

    text = ("Fanuc is a robot maker. The Yamanashi-based company, which has about 9,000 employees, files up to "
            "400 patent applications a year, the executive added.")
    assert extract_record({"id": "rate", "text": text, "language": "en"})["patent_counts"] == []
