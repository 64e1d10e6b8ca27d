"""Organisation recognition: registry names written as names, and organisations the registry does not
know, found from context."""

import time

import pytest

from patentwire.companies import default_registry
from patentwire.extract.orgs import Discourse, OrgFinder, article_mentions


@pytest.fixture(scope="module")
def finder() -> OrgFinder:
    return OrgFinder(default_registry())


def _names(finder, sentence, language="en", discourse=None):
    mentions = finder.mentions(sentence, language, discourse or Discourse())
    return [(m.name, m.canonical) for m in mentions if m.can_be_party]


def _article(finder, sentences, language="en", title=""):
    found = article_mentions(finder, title, sentences, language)
    return [{(m.name, m.canonical) for m in mentions if m.can_be_party} for mentions in found]


@pytest.mark.parametrize("sentence", [
    "Retail is the target market for the new sensor.",
    "Target audiences differ between the regions.",
    "The deal closes the gap with its rivals.",
    "A snap decision, said the analyst.",
    "The box ships in May.",
    "Visa requirements slowed the hiring of engineers.",
    "Global demand for chips fell.",
    "Holding more patents does not help.",
])
def test_common_words_are_no_company_names(finder, sentence):
    assert _names(finder, sentence) == []


def test_a_common_word_name_counts_with_its_legal_form_or_a_company_noun(finder):
    assert ("Target Corporation", "Target") in _names(finder, "Target Corporation signed a supply deal with Acme.")
    assert ("Target", "Target") in _names(finder, "The retailer Target signed a supply deal.")


def test_known_names_match_in_capitals_but_not_in_lower_case(finder):
    assert _names(finder, "NOKIA SIGNS LICENCE") == [("NOKIA", "Nokia")]
    assert _names(finder, "The nokia fans were there.") == []
    assert ("Interdigital", "InterDigital") in _names(finder, "Interdigital signed.")


def test_listed_companies_are_known(finder):
    assert ("Agilent Technologies", "Agilent Technologies") in _names(finder, "Agilent Technologies bought a firm.")


def test_unknown_company_with_legal_form(finder):
    names = _names(finder, "Lumora Electronics Co., Ltd. and Brightwave Networks Inc. signed licences.")
    assert ("Lumora Electronics Co., Ltd.", "Lumora Electronics") in names
    assert ("Brightwave Networks Inc.", "Brightwave Networks") in names


def test_a_legal_form_alone_is_no_name(finder):
    assert _names(finder, "The firm, Co. Ltd. and GmbH were named.") == []


def test_all_caps_name_is_the_same_company(finder):
    names = _names(finder, "ACME SEMICONDUCTOR GMBH signed a licence with Bosch.")
    assert ("ACME SEMICONDUCTOR GMBH", "Acme Semiconductor") in names


def test_abbreviation_defined_in_parentheses_is_found_again(finder):
    found = _article(finder, ["Hanlin Mobile Communications Co., Ltd. (HLM) and Orvana Technologies, Inc. settled.",
                              "Orvana sued HLM in 2020."])
    assert ("HLM", "Hanlin Mobile Communications") in found[0]
    assert ("HLM", "Hanlin Mobile Communications") in found[1]
    assert ("Orvana", "Orvana Technologies") in found[1]


def test_apposition_introduces_an_unknown_company(finder):
    names = _names(finder, "The pool grew, while Kaspian Home Devices, a family-owned company from Bielefeld, "
                           "makes hubs.")
    assert ("Kaspian Home Devices", "Kaspian Home Devices") in names


@pytest.mark.parametrize("sentence, language, name", [
    ("Der Münchner Zulieferer Quantenfeld liefert Sensoren an BMW.", "de", "Quantenfeld"),
    ("The Munich-based supplier Kaspian ships sensors to BMW.", "en", "Kaspian"),
    ("Die Taiwaner Foundry Veltrix fertigt die Chips.", "de", "Veltrix"),
])
def test_a_name_after_a_company_descriptor_is_a_company(finder, sentence, language, name):
    assert (name, name) in _names(finder, sentence, language)


def test_former_name_resolves_to_the_current_one(finder):
    found = _article(finder, ["Veltrion Semiconductor GmbH, formerly Odeon Chips, signed a licence.",
                              "Odeon Chips had sued twice."])
    assert ("Odeon Chips", "Veltrion Semiconductor") in found[0]
    assert ("Odeon Chips", "Veltrion Semiconductor") in found[1]


def test_short_form_of_an_unknown_company_is_found_later(finder):
    found = _article(finder, ["Telvana Modules Oy signed a licence with Nokia.", "Telvana also holds 40 families."])
    assert ("Telvana", "Telvana Modules") in found[1]


def test_courts_and_authorities_are_no_parties_universities_are(finder):
    mentions = finder.mentions("The Regional Court of Munich I and the Korean Intellectual Property Office agreed, "
                               "as did the Universität Stuttgart.", "en", Discourse())
    kinds = {m.name: m.kind for m in mentions}
    assert kinds["Regional Court of Munich I"] == "court"
    assert kinds["Korean Intellectual Property Office"] == "authority"
    assert kinds["Universität Stuttgart"] == "university"
    assert [m.name for m in mentions if m.can_be_party] == ["Universität Stuttgart"]


def test_a_name_is_not_glued_to_the_german_noun_after_it(finder):
    names = _names(finder, "Der Münchner Zulieferer Quantenfeld Patente verkauft.", "de")
    assert names == [("Quantenfeld", "Quantenfeld")]


def test_ticker_names_the_listed_company(finder):
    assert ("AGYS", "Agilysys") in _names(finder, "The software maker (NASDAQ: AGYS) reported results.")


def test_recognition_time_grows_linearly_with_text_length(finder):
    sentence = "Lumora Electronics Co., Ltd. (LEC), a Shenzhen maker, signed with Nokia and the supplier Kaspian. "
    def seconds(copies):  # CPU time, best of three: the machine is shared, wall time is noise
        timings = []
        for _ in range(3):
            started = time.process_time()
            article_mentions(finder, "", [sentence] * copies, "en")
            timings.append(time.process_time() - started)
        return min(timings)
    seconds(10)
    small, large = seconds(100), seconds(1000)
    assert large < 20 * small  # ten times the text in well under twenty times the time


def test_a_german_compound_noun_after_a_company_noun_is_no_name(finder):
    assert _names(finder, "Die Vereinbarung sieht vor, dass beide Firmen Mobilfunkpatente austauschen.", "de") == []


def test_names_after_affiliation_and_list_cues(finder):
    assert ("Fjord Insight", "Fjord Insight") in _names(finder, "It is lumpy, said an analyst at Fjord Insight.")
    names = _names(finder, "Lens makers such as Vemora, Tallisk and Kowa Optical bought patents.")
    assert {"Vemora", "Tallisk", "Kowa Optical"} <= {canonical for _, canonical in names}


def test_people_are_no_organisations(finder):
    found = _article(finder, ["Oliver Grant, a partner at Ferrand Partners, said so.",
                              "The claims were backed by Grant, he added."])
    assert all(canonical != "Oliver Grant" for _, canonical in found[0])
    assert all(canonical != "Grant" for _, canonical in found[1])


def test_long_form_spelled_by_its_abbreviation(finder):
    names = _names(finder, "The Inductive Charging Licensing Platform (ICLP), a patent pool, signed two licensees.")
    assert ("Inductive Charging Licensing Platform", "Inductive Charging Licensing Platform") in names
    assert ("ICLP", "Inductive Charging Licensing Platform") in names


def test_a_known_company_and_a_country_name_a_subsidiary(finder):
    names = _names(finder, "Die Kaleido Screens GmbH und Samsung Electronics Austria haben sich geeinigt.", "de")
    assert ("Samsung Electronics Austria", "Samsung Electronics Austria") in names


def test_place_adjectives_are_no_part_of_a_name_unless_only_a_noun_is_left(finder):
    names = {canonical for _, canonical in _names(
        finder, "Die Salzburger Alpentherm Haustechnik GmbH und die Dresdner Speicherwerke AG einigten sich.", "de")}
    assert names == {"Alpentherm Haustechnik", "Dresdner Speicherwerke"}


def test_bare_names_only_when_asked_for():
    sentence = "The market grew, and Quorvalix and Telmarine ship flat panels now."
    plain = OrgFinder(default_registry())
    bare = OrgFinder(default_registry(), bare_names=True)
    assert _names(plain, sentence) == []
    found = bare.mentions(sentence, "en", Discourse())
    assert {m.canonical for m in found} == {"Quorvalix", "Telmarine"}
    assert all(m.confidence < 1.0 for m in found)


def test_a_name_ending_in_an_industry_noun_is_no_person(finder):
    # "Karin" is a given name; "Optics" ends company names, never a person's
    names = _names(finder, "The licence went to Karin Optics, a Swedish lens maker, the pool said.")
    assert ("Karin Optics", "Karin Optics") in names


def test_a_person_in_an_apposition_is_still_no_company(finder):
    assert _names(finder, "Anna Berger, a developer at the lab, declined to comment.") == []


def test_an_apposition_may_name_a_country_with_dots(finder):
    names = _names(finder, "The portfolio was sold to Westhollow Licensing, a U.S. patent monetisation company, "
                           "filings show.")
    assert ("Westhollow Licensing", "Westhollow Licensing") in names


def test_descriptor_articles_come_from_the_language_profile():
    from patentwire.extract.language import profiles
    for code, language in profiles().items():
        assert language.descriptor_articles and language.plural_articles and language.noun_endings, code
    assert "der" in profiles()["de"].descriptor_articles and profiles()["en"].descriptor_articles == ("the",)


def test_words_before_an_unknown_name_drop_when_the_article_writes_it_alone(finder):
    # invented texts: the place adjective and the descriptor compound are no part of the names
    sentences = ["Die Nürnberger Datavista GmbH verklagt die Wiener Softwarefirma Formwerk GmbH.",
                 "Datavista wirft Formwerk vor, Patente verletzt zu haben."]
    names = [{m.canonical for m in found} for found in article_mentions(finder, "", sentences, "de")]
    assert names[0] == {"Datavista", "Formwerk"}


def test_a_place_adjective_stays_when_the_rest_is_never_written_alone(finder):
    sentences = ["Die Dresdner Speicherwerke AG liefert an die Stadtwerke.", "Die Dresdner Speicherwerke wachsen."]
    names = {m.canonical for found in article_mentions(finder, "", sentences, "de") for m in found}
    assert "Dresdner Speicherwerke" in names


def test_unit_words_after_a_known_company_name_its_subsidiary(finder):
    names = {canonical for _, canonical in _names(
        finder, "Roche Diagnostics und Airbus Defence and Space unterzeichnen einen Vertrag mit Nokia and Japan's Sony.",
        "de")}
    assert {"Roche Diagnostics", "Airbus Defence and Space"} <= names
    assert not any(name.startswith("Nokia and") for name in names)  # "and" joins two unit words only
