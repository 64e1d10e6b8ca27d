"""normalize_facts: companies resolved, mentions merged into events, every evidence row and count kept."""

from __future__ import annotations

import json
import random
from datetime import date

import pandas as pd
import pytest

from patentwire.companies import CompanyRegistry
from patentwire.ids import stable_id
from patentwire.normalize import (COMPANY_ALIAS_COLUMNS, COMPANY_COLUMNS, DEAL_COLUMNS, DEAL_MENTION_COLUMNS,
                                  DEAL_PARTY_COLUMNS, PATENT_COUNT_COLUMNS, normalize_facts)

VERSION = "extract-test-1"


@pytest.fixture(scope="module")
def registry() -> CompanyRegistry:
    return CompanyRegistry.from_records([
        {"name": "Nokia", "aliases": ["Nokia Oyj", "Nokia Technologies"], "country": "FI", "parent": None},
        {"name": "Xiaomi", "aliases": ["Xiaomi Corp"], "country": "CN", "parent": None},
        {"name": "Samsung", "aliases": ["Samsung Electronics"], "country": "KR", "parent": None},
        {"name": "Ericsson", "aliases": ["Telefonaktiebolaget LM Ericsson"], "country": "SE", "parent": None},
        {"name": "Lenovo", "aliases": ["Lenovo Group"], "country": "CN", "parent": None},
        {"name": "Motorola Mobility", "aliases": [], "country": "US", "parent": "Lenovo"},
        {"name": "Landgericht München I", "aliases": [], "country": "DE", "kind": "court"},
    ])


def article(article_id: str, published: date | None, language: str = "en") -> dict:
    return {"article_id": article_id, "url": f"https://news.example/{article_id}", "canonical_url": None,
            "source": "test-source", "title": f"Title {article_id}", "published": published, "language": language}


def party(name: str, canonical: str | None = None, role: str = "party") -> dict:
    return {"name": name, "canonical": canonical or name, "role": role}


def deal(parties: list[dict], types: list[str], sentence: str, start: int = 0, date_text: str | None = None,
         precision: str | None = None, status: str = "primary", evidence: list[dict] | None = None) -> dict:
    return {"parties": parties, "types": types, "date": date_text, "date_precision": precision, "status": status,
            "evidence": evidence or [{"sentence": sentence, "start": start, "end": start + len(sentence)}]}


def count(company: str, value: int, sentence: str, name: str | None = None, as_of: str | None = None,
          qualifier: str = "exact", unit: str = "patents", start: int = 0) -> dict:
    return {"company": company, "name": name or company, "value": value, "qualifier": qualifier, "unit": unit,
            "period": None, "as_of": as_of, "evidence": [{"sentence": sentence, "start": start,
                                                          "end": start + len(sentence)}]}


def facts(article_id: str, deals: list[dict] = (), counts: list[dict] = ()) -> dict:
    return {"id": article_id, "extractor_version": VERSION, "deals": list(deals), "patent_counts": list(counts)}


def run(articles: list[dict], fact_list: list[dict], registry: CompanyRegistry, **options):
    return normalize_facts(pd.DataFrame(articles), fact_list, registry, **options)


def names_of(result, deal_id: str) -> list[str]:
    ids = result.deal_parties.loc[result.deal_parties["deal_id"] == deal_id, "company_id"]
    return sorted(result.companies.set_index("company_id").loc[ids, "name"])


# --- the Nokia/Xiaomi cross-licence, reported by a German blog and an English site ------------------

EN_SENTENCE = "Nokia Oyj and Xiaomi signed a patent cross-license agreement."
DE_SENTENCE = "Die Finnen und die Chinesen tauschen Patente aus."
DE_SUPPLY = "Nokia liefert Netzwerktechnik an Xiaomi."


@pytest.fixture(scope="module")
def cross_licence(registry):
    articles = [article("en-1", date(2017, 7, 5)), article("de-1", date(2017, 7, 6), "de")]
    fact_list = [
        facts("en-1", [deal([party("Nokia Oyj", "Nokia"), party("Xiaomi")], ["cross_license"], EN_SENTENCE)],
              [count("Xiaomi", 16000, "Xiaomi hat rund 16.000 Patente angemeldet.", qualifier="about",
                     unit="patent_applications", start=200)]),
        facts("de-1", [
            deal([party("die Finnen", "Nokia"), party("die Chinesen", "Xiaomi")], ["cross_license"], DE_SENTENCE),
            deal([party("Nokia"), party("Xiaomi")], ["supply"], DE_SUPPLY, start=120),
        ]),
    ]
    return run(articles, fact_list, registry)


def test_one_event_from_an_english_and_a_german_article(cross_licence):
    deals = cross_licence.deals
    assert len(deals) == 1
    event = deals.iloc[0]
    assert event["article_count"] == 2 and event["mention_count"] == 3
    assert event["deal_types"] == ["cross_license", "supply"]
    assert event["deal_date"] == date(2017, 7, 5) and event["date_precision"] == "day"
    assert (event["first_reported"], event["last_reported"]) == (date(2017, 7, 5), date(2017, 7, 6))
    assert names_of(cross_licence, event["deal_id"]) == ["Nokia", "Xiaomi"]


def test_descriptors_and_legal_names_become_aliases_of_the_registry_company(cross_licence):
    aliases = cross_licence.company_aliases
    nokia_id = cross_licence.companies.loc[cross_licence.companies["name"] == "Nokia", "company_id"].item()
    nokia = dict(aliases.loc[aliases["company_id"] == nokia_id, ["alias", "alias_kind"]].values.tolist())
    assert nokia == {"Nokia": "canonical", "Nokia Oyj": "registry", "Nokia Technologies": "registry",
                     "die Finnen": "as_written"}
    assert not aliases.duplicated(["company_id", "alias"]).any()


def test_name_as_written_is_the_most_frequent_spelling(cross_licence):
    written = dict(cross_licence.deal_parties.merge(cross_licence.companies, on="company_id")[
        ["name", "name_as_written"]].values.tolist())
    assert written == {"Nokia": "Nokia", "Xiaomi": "Xiaomi"}  # "Xiaomi" twice beats "die Chinesen" once


def test_every_evidence_row_is_kept_and_linked_to_its_event(cross_licence):
    mentions = cross_licence.deal_mentions
    assert sorted(mentions["sentence"]) == sorted([EN_SENTENCE, DE_SENTENCE, DE_SUPPLY])
    assert set(mentions["deal_id"]) == set(cross_licence.deals["deal_id"])
    supply = mentions[mentions["sentence"] == DE_SUPPLY].iloc[0]
    assert (supply["article_id"], supply["start_offset"], supply["end_offset"]) == ("de-1", 120, 120 + len(DE_SUPPLY))
    assert supply["url"] == "https://news.example/de-1" and supply["published"] == date(2017, 7, 6)
    assert supply["extractor_version"] == VERSION
    assert mentions["mention_id"].is_unique


def test_companies_carry_registry_details_and_first_sighting(cross_licence):
    companies = cross_licence.companies.set_index("name")
    assert companies.loc["Nokia", "country"] == "FI" and bool(companies.loc["Nokia", "in_registry"])
    assert companies.loc["Nokia", "first_seen"] == date(2017, 7, 5)
    assert companies.loc["Nokia", "mention_count"] == 3
    assert companies.loc["Xiaomi", "mention_count"] == 4  # three deal mentions and one count
    assert companies.loc["Nokia", "company_id"] == stable_id("company", "nokia")


def test_frames_have_the_declared_columns_and_stable_dtypes(cross_licence):
    for frame, columns in [(cross_licence.companies, COMPANY_COLUMNS),
                           (cross_licence.company_aliases, COMPANY_ALIAS_COLUMNS),
                           (cross_licence.deals, DEAL_COLUMNS), (cross_licence.deal_parties, DEAL_PARTY_COLUMNS),
                           (cross_licence.deal_mentions, DEAL_MENTION_COLUMNS),
                           (cross_licence.patent_counts, PATENT_COUNT_COLUMNS)]:
        assert list(frame.columns) == columns
    assert str(cross_licence.deals["mention_count"].dtype) == "Int64"
    assert str(cross_licence.patent_counts["value"].dtype) == "Int64"
    assert cross_licence.companies["in_registry"].dtype == bool
    assert isinstance(cross_licence.deals["deal_date"].iloc[0], date)


def test_frames_load_into_the_warehouse_schema_and_a_rerun_changes_nothing(cross_licence):
    import duckdb

    from patentwire.warehouse import migrate, replace_all

    keys = {"companies": ["company_id"], "company_aliases": ["company_id", "alias"], "deals": ["deal_id"],
            "deal_parties": ["deal_id", "company_id"], "deal_mentions": ["mention_id"],
            "patent_counts": ["count_id"]}  # the primary keys of the warehouse's fact tables

    con = duckdb.connect()
    migrate(con)
    frames = {table: getattr(cross_licence, table) for table in keys}
    replace_all(con, frames, keys)
    second = replace_all(con, frames, keys)
    assert all(load.inserted == 0 and load.deleted == 0 for load in second)
    deal_date, types = con.execute("select deal_date, deal_types from deals").fetchone()
    assert (deal_date, types) == (date(2017, 7, 5), ["cross_license", "supply"])
    assert con.execute("select count(*) from deal_mentions join deals using (deal_id)").fetchone() == (3,)


def test_all_evidence_of_a_mention_is_kept_as_json(registry):
    evidence = [{"sentence": "Second, they agreed to swap patents.", "start": 90, "end": 126},
                {"sentence": "Nokia and Xiaomi agreed.", "start": 10, "end": 34}]
    result = run([article("a", date(2017, 7, 5))],
                 [facts("a", [deal([party("Nokia"), party("Xiaomi")], ["cross_license"], "", evidence=evidence)])],
                 registry)
    mention = result.deal_mentions.iloc[0]
    assert mention["evidence_count"] == 2
    assert (mention["sentence"], mention["start_offset"]) == ("Nokia and Xiaomi agreed.", 10)  # first in the text
    assert [item["start"] for item in json.loads(mention["evidence"])] == [10, 90]


# --- litigation and the settlement that ends it ---------------------------------------------------


def test_litigation_and_later_settlement_are_two_events_in_time_order(registry):
    articles = [article("suit", date(2019, 3, 1)), article("settle", date(2019, 3, 20))]
    fact_list = [
        facts("suit", [deal([party("Ericsson", role="plaintiff"), party("Lenovo", role="defendant")], ["litigation"],
                            "Ericsson sued Lenovo over 5G patents.")]),
        facts("settle", [deal([party("Ericsson"), party("Lenovo Group", "Lenovo")], ["settlement", "license"],
                              "Ericsson and Lenovo settled and signed a licence.")]),
    ]
    result = run(articles, fact_list, registry)
    deals = result.deals.sort_values("deal_date")
    assert [types for types in deals["deal_types"]] == [["litigation"], ["license", "settlement"]]
    assert list(deals["deal_date"]) == [date(2019, 3, 1), date(2019, 3, 20)]
    roles = dict(result.deal_parties.merge(result.companies, on="company_id").query(
        "deal_id == @deals.deal_id.iloc[0]")[["name", "role"]].values.tolist())
    assert roles == {"Ericsson": "plaintiff", "Lenovo": "defendant"}


def test_a_background_mention_of_the_suit_joins_the_suit_not_the_settlement(registry):
    articles = [article("suit", date(2019, 3, 1)), article("settle", date(2019, 3, 20))]
    fact_list = [
        facts("suit", [deal([party("Ericsson"), party("Lenovo")], ["litigation"], "Ericsson sued Lenovo.")]),
        facts("settle", [
            deal([party("Ericsson"), party("Lenovo")], ["settlement"], "They settled."),
            deal([party("Ericsson"), party("Lenovo")], ["litigation"], "The suit began in March 2019.", start=40,
                 date_text="2019-03", precision="month", status="background"),
        ]),
    ]
    result = run(articles, fact_list, registry)
    suit = result.deals[result.deals["deal_types"].map(lambda types: types == ["litigation"])].iloc[0]
    assert suit["mention_count"] == 2 and suit["status"] == "primary" and suit["article_count"] == 2


def test_a_lawsuit_over_licence_terms_joins_the_lawsuit(registry):
    articles = [article("suit", date(2023, 10, 11)), article("blog", date(2023, 10, 12), "de")]
    fact_list = [
        facts("suit", [deal([party("Ericsson"), party("Lenovo")], ["litigation", "license"],
                            "Ericsson sued Lenovo after licence talks failed.")]),
        facts("blog", [deal([party("Ericsson"), party("Lenovo")], ["litigation"], "Ericsson verklagt Lenovo.")]),
    ]
    result = run(articles, fact_list, registry)
    assert len(result.deals) == 1 and result.deals["article_count"].item() == 2


def test_two_licence_deals_years_apart_are_two_events(registry):
    articles = [article("first", date(2014, 1, 10)), article("renewal", date(2021, 2, 1))]
    fact_list = [facts(a["article_id"], [deal([party("Nokia"), party("Samsung")], ["license"], "They signed.")])
                 for a in articles]
    result = run(articles, fact_list, registry)
    assert len(result.deals) == 2
    assert sorted(result.deals["deal_date"]) == [date(2014, 1, 10), date(2021, 2, 1)]


def test_reports_beyond_the_window_start_a_new_event_and_the_window_is_a_parameter(registry):
    articles = [article("a", date(2020, 1, 1)), article("b", date(2020, 3, 1))]
    fact_list = [facts(a["article_id"], [deal([party("Nokia"), party("Xiaomi")], ["license"], "Licence.")])
                 for a in articles]
    assert len(run(articles, fact_list, registry).deals) == 2  # 60 days apart, default window 45
    assert len(run(articles, fact_list, registry, window_days=90).deals) == 1


def test_a_year_only_mention_joins_the_dated_event_it_falls_in(registry):
    articles = [article("news", date(2017, 7, 5)), article("later", date(2018, 6, 1))]
    fact_list = [
        facts("news", [deal([party("Nokia"), party("Xiaomi")], ["cross_license"], "They cross-licensed.")]),
        facts("later", [deal([party("Nokia"), party("Xiaomi")], ["cross_license"], "In 2017 they cross-licensed.",
                             date_text="2017", precision="year", status="background")]),
    ]
    result = run(articles, fact_list, registry)
    assert len(result.deals) == 1
    event = result.deals.iloc[0]
    assert (event["deal_date"], event["date_precision"], event["article_count"]) == (date(2017, 7, 5), "day", 2)


def test_rumour_only_event_is_kept_with_its_status(registry):
    result = run([article("r", date(2022, 5, 5))],
                 [facts("r", [deal([party("Nokia"), party("Lenovo")], ["license"], "Talks are said to be under way.",
                                   status="rumoured")])], registry)
    assert list(result.deals["status"]) == ["rumoured"]


# --- company resolution ---------------------------------------------------------------------------


def test_legal_name_with_a_typo_fuzzy_resolves_to_the_registry_company(registry):
    result = run([article("a", date(2020, 1, 1))], [facts("a", [deal(
        [party("Samsung Electronis Co., Ltd."), party("Nokia")], ["license"], "Licence signed.")])], registry)
    assert sorted(result.companies["name"]) == ["Nokia", "Samsung"]
    assert result.summary["names_fuzzy_resolved"] == 1
    samsung_id = result.companies.loc[result.companies["name"] == "Samsung", "company_id"].item()
    aliases = result.company_aliases[result.company_aliases["company_id"] == samsung_id]
    assert "Samsung Electronis Co., Ltd." in set(aliases["alias"])


def test_legal_name_resolves_through_registry_alias(registry):
    result = run([article("a", date(2020, 1, 1))], [facts("a", [deal(
        [party("Samsung Electronics Co., Ltd."), party("Nokia")], ["license"], "Licence signed.")])], registry)
    assert sorted(result.companies["name"]) == ["Nokia", "Samsung"]


def test_unknown_organisation_is_kept_under_its_name_and_spellings_merge(registry):
    articles = [article("a", date(2021, 4, 1)), article("b", date(2021, 4, 2))]
    fact_list = [
        facts("a", [deal([party("Quantenfeld Systems GmbH"), party("Nokia")], ["license"], "Lizenz.")]),
        facts("b", [deal([party("Quantenfeld Systems GmbH", "Quantenfeld Systems"), party("Nokia")], ["license"],
                         "Licence.")]),
    ]
    result = run(articles, fact_list, registry)
    unknown = result.companies[~result.companies["in_registry"]]
    assert list(unknown["name"]) == ["Quantenfeld Systems"]
    assert unknown["country"].isna().all()
    assert len(result.deals) == 1 and result.deals["article_count"].item() == 2
    assert result.summary["companies_unregistered"] == 1


def test_unknown_spellings_with_a_typo_are_one_company_but_different_names_stay_apart(registry):
    articles = [article(name, date(2021, 4, 1)) for name in ("a", "b", "c", "d")]
    fact_list = [facts(key, [deal([party(name), party("Nokia")], ["license"], f"{name} licensed.")])
                 for key, name in zip("abcd", ["Quantenfeld Systems", "Quantenfeld Systems AG", "Quantenfeld Sytems",
                                               "Quantenwerk Labs"], strict=True)]
    unknown = run(articles, fact_list, registry).companies.query("not in_registry")
    assert sorted(unknown["name"]) == ["Quantenfeld Systems", "Quantenwerk Labs"]
    assert unknown.set_index("name").loc["Quantenfeld Systems", "mention_count"] == 3


def test_unknown_names_differing_in_a_number_are_different_companies(registry):
    articles = [article(key, date(2021, 4, 1)) for key in "ab"]
    fact_list = [facts(key, [deal([party(name), party("Nokia")], ["license"], "Licensed.")])
                 for key, name in zip("ab", ["Patentfonds 1", "Patentfonds 10"], strict=True)]
    unknown = run(articles, fact_list, registry).companies.query("not in_registry")
    assert sorted(unknown["name"]) == ["Patentfonds 1", "Patentfonds 10"]


def test_a_court_is_never_a_party(registry):
    result = run([article("a", date(2020, 1, 1))], [facts("a", [deal(
        [party("Landgericht München I"), party("Nokia"), party("Lenovo")], ["litigation"], "Urteil.")])], registry)
    assert names_of(result, result.deals["deal_id"].item()) == ["Lenovo", "Nokia"]
    assert result.summary["non_party_organisations_removed"] == 1


def test_single_party_deal_is_dropped_and_counted(registry):
    result = run([article("a", date(2020, 1, 1))], [facts("a", [
        deal([party("Nokia Oyj", "Nokia"), party("Nokia Technologies", "Nokia")], ["license"], "Nokia licenses."),
        deal([party("Nokia"), party("Xiaomi")], ["license"], "Nokia and Xiaomi.", start=50),
    ])], registry)
    assert len(result.deals) == 1 and result.summary["dropped"] == 1
    assert list(result.deal_mentions["sentence"]) == ["Nokia and Xiaomi."]


def test_a_subsidiary_is_its_own_company_with_its_parent_named(registry):
    result = run([article("a", date(2020, 1, 1))], [facts("a", [deal(
        [party("Motorola Mobility"), party("Nokia")], ["license"], "Licence.")])], registry)
    companies = result.companies.set_index("name")
    assert companies.loc["Motorola Mobility", "parent_name"] == "Lenovo"


# --- patent counts --------------------------------------------------------------------------------


def test_every_count_statement_is_kept_with_its_date_and_provenance(registry):
    articles = [article("a", date(2019, 6, 1)), article("b", date(2020, 6, 1))]
    fact_list = [
        facts("a", counts=[count("Nokia", 20000, "Nokia owns 20,000 patent families.", unit="patent_families"),
                           count("Nokia", 20000, "Again: 20,000 families.", unit="patent_families", start=300)]),
        facts("b", counts=[count("Nokia", 20500, "Stand Ende 2019: 20.500 Patentfamilien.", name="Nokia Oyj",
                                 as_of="2019-12", unit="patent_families")]),
    ]
    result = run(articles, fact_list, registry)
    counts = result.patent_counts.sort_values(["as_of", "start_offset"])
    assert list(counts["value"]) == [20000, 20000, 20500]
    assert list(counts["as_of"]) == [date(2019, 6, 1), date(2019, 6, 1), date(2019, 12, 1)]
    assert list(counts["as_of_precision"].fillna("published")) == ["published", "published", "month"]
    assert set(counts["company_name"]) == {"Nokia"} and counts["count_id"].is_unique
    stated = counts.iloc[2]
    assert (stated["article_id"], stated["url"], stated["name_as_written"]) == ("b", "https://news.example/b",
                                                                                  "Nokia Oyj")
    assert stated["published"] == date(2020, 6, 1) and stated["extractor_version"] == VERSION


# --- determinism ----------------------------------------------------------------------------------


def test_shuffled_input_gives_identical_frames_and_ids(registry):
    articles = [article(f"a{n}", date(2020, 1, 1 + n)) for n in range(6)]
    pairs = [("Nokia", "Xiaomi"), ("Ericsson", "Lenovo"), ("Nokia", "Samsung")]
    fact_list = [
        facts(a["article_id"],
              deals=[deal([party(x), party(y)], ["license"] if n % 2 else ["cross_license", "supply"],
                          f"{x} and {y} agreed.", start=10 * k) for k, (x, y) in enumerate(pairs[: 1 + n % 3])],
              counts=[count("Nokia", 1000 + n, f"{1000 + n} patents.")])
        for n, a in enumerate(articles)
    ]
    first = run(articles, fact_list, registry)
    shuffled_articles, shuffled_facts = articles[:], [dict(f, deals=f["deals"][::-1]) for f in fact_list]
    random.Random(7).shuffle(shuffled_articles)
    random.Random(8).shuffle(shuffled_facts)
    second = run(shuffled_articles, shuffled_facts, registry)
    for name in ("companies", "company_aliases", "deals", "deal_parties", "deal_mentions", "patent_counts"):
        pd.testing.assert_frame_equal(getattr(first, name), getattr(second, name), obj=name)
    assert first.summary == second.summary


def test_new_articles_never_change_the_ids_of_existing_rows(registry):
    old = [article("old", date(2018, 1, 1))]
    old_facts = [facts("old", [deal([party("Nokia"), party("Xiaomi")], ["license"], "Licence.")],
                       [count("Nokia", 500, "500 patents.")])]
    new = [article("new", date(2023, 1, 1))]
    new_facts = [facts("new", [deal([party("Nokia"), party("Xiaomi")], ["license"], "Another licence.",
                                    date_text="2023-01", precision="month")])]
    before = run(old, old_facts, registry)
    after = run(old + new, old_facts + new_facts, registry)
    assert set(before.deal_mentions["mention_id"]) < set(after.deal_mentions["mention_id"])
    assert set(before.deals["deal_id"]) < set(after.deals["deal_id"])
    assert set(before.patent_counts["count_id"]) == set(after.patent_counts["count_id"])


def test_output_rows_are_sorted_by_id(cross_licence):
    assert cross_licence.deal_mentions["mention_id"].is_monotonic_increasing
    assert cross_licence.companies["company_id"].is_monotonic_increasing


def test_facts_of_an_article_missing_from_the_articles_frame_are_kept_without_url(registry):
    result = run([article("known", date(2020, 1, 1))],
                 [facts("ghost", [deal([party("Nokia"), party("Xiaomi")], ["license"], "Licence.")],
                        [count("Nokia", 7, "7 patents.")])], registry)
    assert result.deal_mentions["url"].isna().all() and result.deal_mentions["published"].isna().all()
    assert result.deals["deal_date"].isna().all() and len(result.patent_counts) == 1


def test_facts_without_an_article_id_are_refused_with_a_hint(registry):
    from patentwire.normalize.flatten import FactsFormatError

    with pytest.raises(FactsFormatError, match="re-run the extract stage"):
        run([], [{"deals": []}], registry)


def test_no_facts_give_empty_frames_with_the_declared_columns(registry):
    result = run([article("a", date(2020, 1, 1))], [facts("a")], registry)
    assert result.deals.empty and list(result.deals.columns) == DEAL_COLUMNS
    assert result.companies.empty and list(result.patent_counts.columns) == PATENT_COUNT_COLUMNS
    assert result.summary["deals"] == 0
