"""The listed-companies registry: rebuilt from the committed open data, cleaned, and merged under the
curated file."""

import json

import pytest

from patentwire.companies import LISTED_REGISTRY, CompanyRegistry, default_registry
from patentwire.registry_build import build, company_part, display_name, is_equity, short_form


def test_a_clean_checkout_rebuilds_the_committed_registry():
    committed = json.loads(LISTED_REGISTRY.read_text(encoding="utf-8"))["companies"]
    assert build() == committed


def test_registry_holds_thousands_of_organisations_with_their_licence_recorded():
    registry = default_registry()
    assert len(registry.companies) >= 5000
    assert "ODC-PDDL-1.0" in (LISTED_REGISTRY.parent / "sources" / "SOURCES.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("security, company", [
    ("Agilent Technologies, Inc. Common Stock", "Agilent Technologies, Inc."),
    ("Chemours Company (The) Common Stock", "The Chemours Company"),
    ("Mega Matrix Inc. Class A Ordinary Shares", "Mega Matrix Inc."),
    ("Spotify Technology S.A. Ordinary Shares", "Spotify Technology S.A."),
])
def test_security_descriptions_are_cut_from_the_company_name(security, company):
    assert company_part(security) == company


def test_display_names_lose_article_and_legal_form():
    assert display_name("The Gap, Inc.") == "Gap"
    assert display_name("Agilent Technologies, Inc.") == "Agilent Technologies"
    assert display_name("Grupo Simec, S.A.B. de C.V.") == "Grupo Simec"


@pytest.mark.parametrize("security, company", [
    ("Artius II Acquisition Inc. - Rights", "Artius II Acquisition Inc."),
    ("Virtus Convertible & Income Fund Common Shares of Beneficial Interest", "Virtus Convertible & Income Fund"),
    ("MFA Financial, Inc. 9.000% Senior Notes due 2029", "MFA Financial, Inc."),
    ("Viking Acquisition Corp. I Class A Ordinary Shares", "Viking Acquisition Corp. I"),
])
def test_funds_notes_rights_and_blank_cheque_companies_are_skipped(security, company):
    assert not is_equity(security, company)


def test_short_forms_only_where_distinctive():
    assert short_form("Agilent Technologies") == "Agilent"
    assert short_form("Texas Instruments") is None  # a place
    assert short_form("American Electric Power") is None


def test_listed_companies_resolve_and_common_words_need_context():
    registry = default_registry()
    assert registry.lookup("Agilent Technologies, Inc.").name == "Agilent Technologies"
    assert registry.by_ticker("A").name == "Agilent Technologies"
    target = registry.get("Target")
    assert target.tier == "listed" and "Target" in target.context_forms
    assert "Micron" not in target.context_forms


def test_curated_names_win_over_listed_ones():
    registry = default_registry()
    assert registry.lookup("Apple Inc.").tier == "curated"
    assert registry.lookup("Nokia Corporation").name == "Nokia"


def test_fuzzy_matching_stays_among_curated_names():
    registry = default_registry()
    assert registry.match("Interdigitall").name == "InterDigital"
    assert registry.match("Agilent Technologie") is None  # listed names match exactly only


def test_registry_without_listed_companies():
    assert CompanyRegistry.load(listed=False).get("Agilent Technologies") is None
