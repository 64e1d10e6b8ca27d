from pathlib import Path

import pytest

from patentwire.companies import CompanyRegistry, RegistryError, default_registry


def test_legal_names_and_subsidiaries_resolve_to_the_canonical_company():
    registry = default_registry()
    assert registry.lookup("Nokia Oyj").name == "Nokia"
    assert registry.lookup("nokia technologies").name == "Nokia"
    assert registry.lookup("Samsung Electronics Co., Ltd.").name == "Samsung Electronics"


def test_legal_suffix_is_stripped_before_lookup():
    assert default_registry().lookup("Xiaomi Corporation Ltd").name == "Xiaomi"
    assert default_registry().lookup("Ericsson Inc.").name == "Ericsson"


def test_unknown_name_is_not_found():
    assert default_registry().lookup("Frobozz Widgets") is None


def test_fuzzy_match_finds_spelling_variants_but_not_short_names():
    registry = default_registry()
    assert registry.match("Interdigitall").name == "InterDigital"
    assert registry.match("ZT") is None


def test_registry_knows_country_parent_and_non_party_kinds():
    registry = default_registry()
    assert registry.get("Nokia").country == "FI"
    assert registry.get("Audi").parent == "Volkswagen"
    assert not registry.lookup("Landgericht München").can_be_party
    assert registry.lookup("Reuters").kind == "news_agency"
    assert len([c for c in registry.companies if c.can_be_party]) >= 150


def test_user_file_adds_and_overrides_companies(tmp_path: Path):
    extra = tmp_path / "companies.yaml"
    extra.write_text("companies:\n  - {name: Nokia, aliases: [Nokia Bell Labs], country: FI}\n"
                     "  - {name: Frobozz, aliases: [Frobozz Widgets GmbH], country: DE}\n", encoding="utf-8")
    registry = CompanyRegistry.load([extra])
    assert registry.lookup("Nokia Bell Labs").name == "Nokia"
    assert registry.lookup("Frobozz Widgets").name == "Frobozz"
    assert registry.get("Nokia").aliases == ("Nokia Bell Labs",)  # the user's entry replaced the bundled one
    assert registry.lookup("Nokia Siemens Networks") is None


def test_bad_user_file_says_what_to_fix(tmp_path: Path):
    extra = tmp_path / "companies.yaml"
    extra.write_text("companies:\n  - {aliases: [X]}\n", encoding="utf-8")
    with pytest.raises(RegistryError, match="needs a 'name'"):
        CompanyRegistry.load([extra])
    extra.write_text("companies:\n  - {name: X, kind: bakery}\n", encoding="utf-8")
    with pytest.raises(RegistryError, match="unknown kind"):
        CompanyRegistry.load([extra])


def test_from_records_builds_a_registry_without_files():
    registry = CompanyRegistry.from_records([{"name": "Acme", "aliases": ["Acme Corp."], "country": "us"}])
    assert registry.lookup("ACME CORP").country == "US"


def test_alias_split_at_a_comma_is_reported(tmp_path: Path):
    extra = tmp_path / "companies.yaml"
    extra.write_text("companies:\n  - {name: Acme, aliases: [Acme Co., Ltd.]}\n", encoding="utf-8")
    with pytest.raises(RegistryError, match="only a legal form"):
        CompanyRegistry.load([extra])


def test_a_bare_legal_form_is_no_company():
    assert default_registry().lookup("Ltd.") is None


def test_sectors_let_descriptors_find_the_company():
    registry = default_registry()
    assert "chips" in registry.get("Infineon").sectors
    assert "telecom_equipment" in registry.get("Nokia").sectors
