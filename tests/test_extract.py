"""Behaviour of the extractor on short texts written for these tests (no real articles)."""

import datetime

import pytest

from patentwire.extract import ArticleFacts, ArticleInput, extract_article, extract_record
from patentwire.vocab import CountUnit, DealStatus, DealType, Qualifier

PUBLISHED = datetime.date(2017, 7, 5)  # a Wednesday

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


def _extract(text, language="en", title=None, published=PUBLISHED):
    return extract_article(ArticleInput("a1", text, title, language, published))


def _primary(facts):
    return [deal for deal in facts.deals if deal.status is DealStatus.PRIMARY]


def _pairs(facts, status=DealStatus.PRIMARY):
    return [frozenset(p.canonical for p in deal.parties) for deal in facts.deals if deal.status is status]


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
])
def test_units_of_patent_counts(sentence, language, unit):
    assert [(c.value, c.unit) for c in _extract(sentence, language).counts] == [(16000, unit)]


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


def test_companies_that_only_grow_are_not_a_deal():
    assert _extract("Oppo and Vivo are growing fast in India.").deals == ()


def test_unlike_clause_keeps_its_companies_out_of_the_deal():
    facts = _extract("Unlike Apple and Samsung, who fight in court, Ericsson and Lenovo signed a cross-license.")
    assert _pairs(facts) == [frozenset({"Ericsson", "Lenovo"})]


def test_negated_deal_is_never_primary():
    facts = _extract("Nokia and Xiaomi did not sign a licence agreement.")
    assert _pairs(facts) == []
    assert _pairs(facts, DealStatus.NEGATED) == [frozenset({"Nokia", "Xiaomi"})]


def test_talks_are_rumoured_not_announced():
    facts = _extract("Qualcomm is reportedly in talks with Huawei about a new patent licence agreement.")
    assert _pairs(facts, DealStatus.RUMOURED) == [frozenset({"Qualcomm", "Huawei"})]


def test_dated_past_litigation_is_background():
    facts = _extract("Nokia and Apple signed a patent license agreement. Nokia had sued Apple in 2016.",
                     published=datetime.date(2017, 5, 23))
    assert _pairs(facts) == [frozenset({"Nokia", "Apple"})]
    background = [deal for deal in facts.deals if deal.status is DealStatus.BACKGROUND]
    assert [(deal.types, deal.date) for deal in background] == [((DealType.LITIGATION,), "2016")]


def test_settling_litigation_is_a_settlement():
    facts = _extract("Ericsson and Apple signed a global patent license agreement, settling all pending litigation.")
    assert set(_primary(facts)[0].types) == {DealType.LICENSE, DealType.SETTLEMENT}


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


def test_relative_deal_date_resolves_against_publication():
    facts = _extract("Nokia and Huawei signed a patent license agreement last month.")
    assert (_primary(facts)[0].date, str(_primary(facts)[0].date_precision)) == ("2017-06", "month")


def test_courts_and_news_agencies_are_not_parties():
    facts = _extract("The ITC ruled that Apple infringed Ericsson patents, Reuters reported.")
    assert {p.canonical for deal in facts.deals for p in deal.parties} <= {"Apple", "Ericsson"}


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


def test_ongoing_dispute_with_someone_else_is_background():
    facts = _extract("Huawei und Ericsson haben ein gegenseitiges Patentlizenzabkommen unterzeichnet. Mit dem "
                     "chinesischen Hersteller Lenovo liefern sich die Schweden dagegen weiter einen Rechtsstreit.", "de")
    assert _pairs(facts) == [frozenset({"Huawei", "Ericsson"})]
    assert _primary(facts)[0].types == (DealType.CROSS_LICENSE,)


def test_passive_suit_gives_the_plaintiff_after_by():
    facts = _extract("Samsung was sued in Texas by Headwater Research LLC for patent infringement.")
    roles = {p.canonical: p.role for p in _primary(facts)[0].parties}
    assert roles == {"Samsung Electronics": "defendant", "Headwater Research": "plaintiff"}


def test_plan_in_another_clause_does_not_make_the_deal_a_rumour():
    facts = _extract("Samsung and Google said on Wednesday they would expand their partnership, as the South Korean "
                     "firm seeks to take on Apple.")
    assert _pairs(facts) == [frozenset({"Samsung Electronics", "Google"})]


def test_long_standing_joint_venture_is_background():
    facts = _extract("Kioxia and Western Digital have operated a joint venture for more than 20 years.")
    assert _pairs(facts) == []


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


def test_known_name_with_an_entity_suffix_is_that_company():
    facts = _extract("InterDigital has signed a patent license agreement with vivo Mobile Communication Co., Ltd.")
    assert _pairs(facts) == [frozenset({"InterDigital", "Vivo"})]


def test_a_list_of_existing_licensees_is_not_new_deals():
    facts = _extract("InterDigital signed a licence with Vivo. InterDigital now has licences with seven of the top ten "
                     "vendors, including Apple, Samsung, and Xiaomi.")
    assert _pairs(facts) == [frozenset({"InterDigital", "Vivo"})]


def test_german_separable_verb_particle_is_not_a_transfer():
    facts = _extract("Bosch meldete im vergangenen Jahr mehr als 4.500 Patente an und gehört damit zur Spitze.", "de")
    assert [(c.value, c.unit) for c in facts.counts] == [(4500, CountUnit.PATENT_APPLICATIONS)]


def test_patent_sale_with_the_buyer_named_in_the_next_sentence():
    facts = _extract("Bosch hat sich von einem Paket mit rund 1.100 Patenten getrennt. Käufer ist der chinesische "
                     "Zulieferer Weichai Power.", "de")
    assert _pairs(facts) == [frozenset({"Bosch", "Weichai Power"})]
    assert facts.counts == ()


@pytest.mark.parametrize(("sentence", "language", "as_of"), [
    ("Samsung Electronics owned 220,000 patents worldwide at the end of last year.", "en", "2016"),
    ("Xiaomi besaß Ende 2020 weltweit mehr als 19.000 erteilte Patente.", "de", "2020"),
    ("As of December 31, 2022, Ericsson held 60,000 patents.", "en", "2022-12-31"),
    ("Ericsson holds 60,000 patents.", "en", None),
])
def test_as_of_date_of_a_count(sentence, language, as_of):
    assert [c.as_of for c in _extract(sentence, language).counts] == [as_of]


def test_sector_descriptor_resolves_to_the_company_of_that_sector():
    facts = _extract("Qualcomm hat gegen Apple geklagt. Das Urteil ist ein Etappensieg für den US-Chiphersteller, "
                     "der weltweit mehr als 130.000 Patente hält.", "de",
                     title="Qualcomm erwirkt Verkaufsverbot gegen Apple")
    assert [(c.company, c.value) for c in facts.counts] == [("Qualcomm", 130000)]


def test_city_adjective_and_sector_make_a_descriptor():
    facts = _extract("Bosch und Infineon forschen gemeinsam. Der Münchner Chipkonzern hält mindestens 30.000 Patente.",
                     "de")
    assert [(c.company, c.value, c.qualifier) for c in facts.counts] == [("Infineon", 30000, Qualifier.AT_LEAST)]


def test_parallel_clause_puts_the_new_supplier_opposite_the_same_customer():
    facts = _extract("Vodafone has chosen Samsung Networks as a supplier of Open RAN equipment. Samsung will provide "
                     "radio units and software, while NEC will supply massive MIMO radios.",
                     title="Vodafone picks Samsung for Open RAN rollout")
    assert set(_pairs(facts)) == {frozenset({"Vodafone", "Samsung Electronics"}), frozenset({"Vodafone", "NEC"})}


def test_headline_deal_counts_when_the_body_never_pairs_the_parties():
    facts = _extract("The Finnish network group said the contract runs for five years. Xiaomi did not comment.",
                     title="Nokia and Xiaomi sign patent license agreement")
    assert _pairs(facts) == [frozenset({"Nokia", "Xiaomi"})]
    assert _primary(facts)[0].evidence[0].sentence.startswith("The Finnish network group")  # names Nokia


def test_rumoured_headline_makes_no_deal():
    facts = _extract("Xiaomi did not comment.", title="Nokia and Xiaomi in talks over patent license")
    assert facts.deals == ()


def test_each_partner_keeps_its_own_stretch_of_a_long_sentence():
    facts = _extract("Chinese smartphone maker Oppo, which had been locked in a legal battle with Nokia since 2021, "
                     "said on Monday it had signed a cross-licence agreement with Ericsson covering 5G patents.",
                     published=datetime.date(2023, 11, 6))
    primary = _primary(facts)
    assert [frozenset(p.canonical for p in deal.parties) for deal in primary] == [frozenset({"Oppo", "Ericsson"})]
    assert primary[0].types == (DealType.CROSS_LICENSE,)
    assert primary[0].date == "2023-11-06"  # "since 2021" dates the other dispute
    assert _pairs(facts, DealStatus.BACKGROUND) == [frozenset({"Oppo", "Nokia"})]


def test_parenthesised_ranking_counts_take_the_unit_before():
    facts = _extract("Huawei hat beim EPA 4.279 Patentanmeldungen eingereicht und liegt vor Samsung (4.041) und "
                     "LG (3.462).", "de")
    assert {(c.company, c.value, c.unit) for c in facts.counts} == {
        ("Huawei", 4279, CountUnit.PATENT_APPLICATIONS), ("Samsung Electronics", 4041, CountUnit.PATENT_APPLICATIONS),
        ("LG Electronics", 3462, CountUnit.PATENT_APPLICATIONS)}


def test_year_in_a_participle_clause_does_not_make_the_news_history():
    facts = _extract("Nokia today announced that it has signed a new patent license agreement with Samsung, replacing "
                     "the agreement that expired at the end of 2022.", published=datetime.date(2023, 1, 23))
    assert [(deal.status, deal.date) for deal in facts.deals] == [(DealStatus.PRIMARY, "2023-01-23")]


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


def test_possessive_names_the_owner_even_when_unknown():
    facts = _extract("Nokia agreed to buy Infinera. Infinera's portfolio of about 1,800 patents will strengthen "
                     "Nokia's optical business.")
    assert [(c.company, c.value) for c in facts.counts] == [("Infinera", 1800)]


def test_patents_a_pool_licenses_are_not_its_portfolio():
    assert _extract("The Sisvel pool offers a single license to more than 1,000 patents.").counts == ()


def test_the_two_rivals_are_the_parties_not_bystanders():
    facts = _extract("Die Lkw-Hersteller Daimler Truck und Volvo Group wollen eine Plattform entwickeln. Dafür gründen "
                     "die beiden Konkurrenten ein Gemeinschaftsunternehmen, wie sie am Dienstag mitteilten.", "de")
    assert _pairs(facts) == [frozenset({"Daimler Truck", "Volvo Group"})]


def test_no_plans_to_buy_is_negated_even_when_said_on_a_day():
    facts = _extract("Vodafone Group said on Monday that it has no plans to acquire any patents from Nokia.")
    assert _pairs(facts) == []
    assert _pairs(facts, DealStatus.NEGATED) == [frozenset({"Vodafone", "Nokia"})]


def test_parent_named_to_describe_a_party_is_not_the_other_side():
    facts = _extract("Sharp, a unit of Taiwan's Foxconn, sued Oppo in Germany over Wi-Fi patents.")
    assert _pairs(facts) == [frozenset({"Sharp", "Oppo"})]


def test_x_tochter_names_the_parent_of_the_party_that_follows():
    facts = _extract("Der Zulieferer ZF und die Intel-Tochter Mobileye bauen ihre Zusammenarbeit aus, teilten die "
                     "Unternehmen am Mittwoch mit.", "de")
    assert _pairs(facts) == [frozenset({"ZF", "Mobileye"})]


@pytest.mark.parametrize(("sentence", "owner"), [
    ("With more than 20,000 patent families, Nokia leads the field.", "Nokia"),
    ("More than 20,000 patent families are held by Nokia.", "Nokia"),
    ("Ericsson said 20,000 patent families strengthen Nokia's position.", "Ericsson"),
])
def test_count_owner_named_after_the_number(sentence, owner):
    assert [c.company for c in _extract(sentence).counts] == [owner]


def test_negation_in_a_reason_clause_does_not_negate_the_suit():
    facts = _extract("Das Landgericht Mannheim hat dem Hersteller Oppo den Verkauf mehrerer Modelle untersagt. Nokia "
                     "hatte geklagt, weil Oppo keine Lizenzgebühren zahle.", "de")
    assert _pairs(facts) == [frozenset({"Nokia", "Oppo"})]


def test_several_partners_signed_today_are_news_but_a_licensee_list_is_not():
    signed = _extract("InterDigital today signed license agreements with Samsung, TCL and Lenovo.")
    assert len(_pairs(signed)) == 3
    record = _extract("Nokia has licensed Apple, Samsung, Huawei and Oppo over the years.")
    assert _pairs(record) == []


def test_headline_extension_of_an_old_partnership_is_news():
    facts = _extract('Microsoft said on Monday it is making a multibillion dollar investment in OpenAI, extending a '
                     'partnership that began in 2019.', title="Microsoft, OpenAI extend partnership",
                     published=datetime.date(2023, 1, 23))
    assert _pairs(facts) == [frozenset({"Microsoft", "OpenAI"})]


@pytest.mark.parametrize(("sentence", "language", "pair"), [
    ("Telefonica chooses Ericsson as 5G core network vendor in Spain.", "en", {"Telefonica", "Ericsson"}),
    ("Vodafone taps Samsung to supply Open RAN equipment.", "en", {"Vodafone", "Samsung Electronics"}),
    ("Die Telekom hat Nokia als Ausrüster für das 5G-Netz ausgewählt.", "de", {"Deutsche Telekom", "Nokia"}),
])
def test_choosing_a_vendor_is_a_supply_deal(sentence, language, pair):
    facts = _extract(sentence, language)
    assert _pairs(facts) == [frozenset(pair)]
    assert _primary(facts)[0].types == (DealType.SUPPLY,)


def _counts(text, language):
    return {(count.company, count.value, count.unit) for count in _extract(text, language).counts}


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


def _deal_pairs(text, language, title=None):
    facts = _extract(text, language, title)
    return {frozenset(party.canonical for party in deal.parties): set(deal.types) for deal in _primary(facts)}


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


def test_telekom_choosing_two_vendors_gives_two_supply_pairs():
    pairs = _deal_pairs("Die Deutsche Telekom hat Nokia und Ericsson als Lieferanten für ihr Netz ausgewählt.", "de")
    assert pairs == {frozenset({"Deutsche Telekom", "Nokia"}): {DealType.SUPPLY},
                     frozenset({"Deutsche Telekom", "Ericsson"}): {DealType.SUPPLY}}


def test_licensors_of_a_pool_are_not_paired_with_each_other():
    pairs = _deal_pairs("Mercedes-Benz has signed a license with Avanci. The license covers patents held by "
                        "Ericsson, Nokia and Qualcomm.", "en")
    assert set(pairs) == {frozenset({"Mercedes-Benz", "Avanci"})}


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


def test_offering_a_licence_in_a_lawsuit_is_no_licence():
    pairs = _deal_pairs("Qualcomm said on Tuesday it had filed a countersuit against Arm. Qualcomm said it had "
                        "offered Arm a fair licence fee.", "en")
    assert pairs == {frozenset({"Qualcomm", "Arm"}): {DealType.LITIGATION}}


def test_headline_deal_the_body_reports_only_from_sources_is_not_news():
    facts = _extract("SEOUL -- Samsung Display will supply OLED panels for Apple's next phone, two people familiar "
                     "with the matter said. LG Display also supplies panels to Apple.", "en",
                     "Samsung to supply OLED panels to Apple")
    assert _primary(facts) == []


def test_an_office_total_and_a_targets_portfolio_are_no_counts():
    facts = _extract("Samsung Electronics topped the list with 6,248 patents granted in 2022. In total the USPTO "
                     "granted 320,000 patents. Google agreed to buy Motorola to gain its portfolio of about "
                     "17,000 patents.", "en")
    assert [(count.company, count.value) for count in facts.counts] == [("Samsung Electronics", 6248)]


@pytest.mark.parametrize(("text", "pair"), [
    ("Quantum Leap Labs, a startup backed by Intel and SoftBank, has licensed battery patents from BASF.",
     {"Quantum Leap Labs", "BASF"}),
    ("SoftBank-backed Arm has signed a licence agreement with Alibaba.", {"Arm", "Alibaba"}),
    ("Cerence today announced an expanded partnership with Volkswagen. Cerence's customers include BMW, Ford and "
     "Toyota.", {"Cerence", "Volkswagen"}),
])
def test_backers_and_customer_lists_are_not_parties(text, pair):
    assert set(_deal_pairs(text, "en")) == {frozenset(pair)}


def test_a_deal_to_develop_components_is_a_partnership():
    pairs = _deal_pairs("Apple said on Tuesday it had signed a multi-billion dollar deal with Broadcom to develop "
                        "radio components. Apple also has supply agreements with Qualcomm for modems.", "en")
    assert pairs == {frozenset({"Apple", "Broadcom"}): {DealType.PARTNERSHIP}}


def test_refusing_a_licence_is_no_licence():
    pairs = _deal_pairs("Nokia hat Klagen gegen den Smartphone-Hersteller Oppo eingereicht. Oppo habe sich geweigert, "
                        "eine Lizenz zu fairen Bedingungen zu erwerben, teilte Nokia mit.", "de")
    assert pairs == {frozenset({"Nokia", "Oppo"}): {DealType.LITIGATION}}


def test_a_part_of_the_count_before_keeps_its_unit():
    counts = _counts("IBM inventors received 4,400 granted U.S. patents in 2022. More than 2,300 of those patents "
                     "relate to AI.", "en")
    assert counts == {("IBM", 4400, CountUnit.GRANTED_PATENTS), ("IBM", 2300, CountUnit.GRANTED_PATENTS)}


@pytest.mark.parametrize("text", [
    "Die Barmer kooperiert künftig mit Anbietern von Gesundheits-Apps.",
    "Nokia kooperiert künftig mit FRAND-Bedingungen.",
])
def test_german_compound_nouns_are_no_parties(text):
    assert _deal_pairs(text, "de") == {}


def test_cooperating_from_now_on_is_an_announced_partnership():
    pairs = _deal_pairs("Die Barmer kooperiert künftig mit der Techniker Krankenkasse bei Gesundheits-Apps.", "de")
    assert pairs == {frozenset({"Barmer", "Techniker Krankenkasse"}): {DealType.PARTNERSHIP}}


def test_an_old_agreement_that_settled_a_dispute_adds_no_settlement():
    pairs = _deal_pairs("Qualcomm said on Monday it had signed an agreement with Apple to supply modem chips. The deal "
                        "extends a 2019 agreement that settled a legal battle between the two companies.", "en")
    assert pairs == {frozenset({"Qualcomm", "Apple"}): {DealType.SUPPLY}}


def test_a_region_ranked_after_companies_owns_no_count():
    counts = _counts("Spitzenreiter war erneut Bosch mit 4.193 Anmeldungen vor BMW (1.588). Aus Bayern kamen 15.000 "
                     "Anmeldungen, aus Baden-Württemberg 14.100. In Deutschland hält Bosch 9.000 Patente.", "de")
    assert {value for _, value, _ in counts} == {4193, 1588, 9000}


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


def test_a_past_opener_dates_every_pair_of_a_listing_sentence():
    text = ("Sisvel signed a licence with Telit today. "
            "Earlier this year, the pool administrator signed similar licences with Quectel and Fibocom.")
    assert _pairs(_extract(text)) == [frozenset({"Sisvel", "Telit"})]


def test_a_verdict_reported_as_news_is_a_primary_suit_with_the_patent_holder():
    facts = _extract("A jury found on Tuesday that Samsung Electronics infringed patents held by Netlist.")
    assert [(set(pair), deal.types) for pair, deal in zip(_pairs(facts), _primary(facts))] == [
        ({"Samsung Electronics", "Netlist"}, (DealType.LITIGATION,))]


@pytest.mark.parametrize("text, language", [
    ("Last month a jury found that Samsung Electronics infringed Netlist patents.", "en"),
    ("Im Frühjahr hatte ein Gericht entschieden, dass Samsung Patente von Netlist verletzt.", "de"),
    ("Zwei Jahre nach dem Ende des Verfahrens entschied das Gericht, dass Samsung Patente von Netlist verletzt.", "de"),
])
def test_a_verdict_dated_in_the_past_is_background(text, language):
    facts = _extract(text, language)
    assert not _primary(facts) and _pairs(facts, DealStatus.BACKGROUND) == [frozenset({"Samsung Electronics", "Netlist"})]


def test_brands_of_a_party_are_not_parties_but_their_deal_words_count():
    text = ("Bosch und Volkswagen haben eine Kooperation vereinbart. "
            "Bosch wird künftig Radarsensoren für Modelle der Marken Audi, Seat und Porsche liefern.")
    facts = _extract(text, "de")
    assert _pairs(facts) == [frozenset({"Bosch", "Volkswagen"})]
    assert DealType.SUPPLY in _primary(facts)[0].types


@pytest.mark.parametrize("text, language", [
    ("Bosch und Siemens haben sich geeinigt. Bosch hat dabei eine Lizenz an Patenten von Siemens erworben.", "de"),
    ("Bosch acquired a licence to 300 Siemens patents today.", "en"),
])
def test_an_acquired_licence_is_a_licence_not_a_patent_purchase(text, language):
    assert [deal.types for deal in _primary(_extract(text, language))] == [(DealType.LICENSE,)]


def test_patents_bought_outright_stay_a_patent_acquisition():
    facts = _extract("Bosch hat 300 Patente von Siemens erworben.", "de")
    assert [deal.types for deal in _primary(facts)] == [(DealType.PATENT_ACQUISITION,)]


def test_expanding_a_partnership_that_began_years_ago_is_news():
    facts = _extract("Ericsson and Huawei are expanding a partnership that began in 2013.")
    assert _pairs(facts) == [frozenset({"Ericsson", "Huawei"})]
    dated = _extract("Ericsson and Huawei signed a partnership in 2013.")
    assert _pairs(dated) == []


def test_a_sale_reported_by_the_buyer_in_apposition_pairs_seller_and_buyer():
    facts = _extract("Veoneer sold 120 patents to Autoliv, the Swedish safety systems maker said on Tuesday.")
    assert _pairs(facts) == [frozenset({"Veoneer", "Autoliv"})]


def test_a_past_tail_dates_every_pair_of_a_listing_sentence():
    text = ("Infineon signed a supply deal with Stellantis today. Infineon supplies power chips to Hyundai, BMW "
            "and Kia under contracts signed in previous years.")
    assert _pairs(_extract(text)) == [frozenset({"Infineon", "Stellantis"})]
