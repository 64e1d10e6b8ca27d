"""The typed lexicons: split per language, merged by one loader, every key known and every key read."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pydantic
import pytest
import yaml

import patentwire.extract.lexicon as lexicon_module
from patentwire.extract.language import profiles
from patentwire.extract.lexicon import (
    LEXICON_DIR,
    LEXICONS,
    CountsLexicon,
    DealsLexicon,
    LexiconError,
    OrganisationsLexicon,
    build,
    deals_lexicon,
    lexicon_languages,
)
from patentwire.vocab import DealType

EXTRACT_SOURCES = [path for path in (Path(__file__).resolve().parents[1] / "patentwire" / "extract").glob("*.py")
                   if path.name != "lexicon.py"]


@pytest.fixture
def lexicon_copy(tmp_path: Path) -> Path:
    root = tmp_path / "lexicon"
    shutil.copytree(LEXICON_DIR, root)
    return root


def _edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


@pytest.mark.parametrize("model", LEXICONS, ids=lambda model: model.name)
def test_every_bundled_lexicon_validates(model):
    assert isinstance(build(model), model)


def test_every_language_with_a_profile_has_lexicons_and_the_reverse():
    assert set(lexicon_languages()) == set(profiles())
    for code in lexicon_languages():
        assert {path.stem for path in (LEXICON_DIR / code).glob("*.yaml")} <= {model.name for model in LEXICONS}


@pytest.mark.parametrize("code", lexicon_languages())
def test_every_deal_type_has_triggers_in_every_language(code):
    triggers = yaml.safe_load((LEXICON_DIR / code / "deals.yaml").read_text(encoding="utf-8"))["triggers"]
    missing = [deal_type.value for deal_type in DealType if not triggers.get(deal_type.value)]
    assert not missing, f"{code}/deals.yaml has no triggers for {missing}"


@pytest.mark.parametrize("model", LEXICONS, ids=lambda model: model.name)
def test_per_language_fields_have_every_language(model):
    lexicon = build(model)
    for field in model.by_language:
        assert set(getattr(lexicon, field)) == set(lexicon_languages()), field


def _fields(model: type[pydantic.BaseModel]):
    """Every field name of a model and of the models its fields hold."""
    for name, info in model.model_fields.items():
        yield model.__name__, name
        for nested in re.findall(r"\b[A-Z]\w+\b", str(info.annotation)):
            candidate = getattr(lexicon_module, nested, None)
            if isinstance(candidate, type) and issubclass(candidate, pydantic.BaseModel):
                yield from _fields(candidate)


@pytest.mark.parametrize("model", LEXICONS, ids=lambda model: model.name)
def test_every_key_is_read_by_the_extractor(model):
    """A key no code reads is a rule that silently does nothing; each must be used outside the loader."""
    code = "\n".join(path.read_text(encoding="utf-8") for path in EXTRACT_SOURCES)
    unread = sorted({f"{owner}.{name}" for owner, name in _fields(model) if not re.search(rf"\.{name}\b", code)})
    assert not unread


def test_an_unknown_key_names_its_file(lexicon_copy):
    _edit(lexicon_copy / "de" / "deals.yaml", lambda data: data.update(agreemnt_cues="vereinbart"))
    with pytest.raises(LexiconError, match=r"de/deals\.yaml: unknown key 'agreemnt_cues'"):
        build(DealsLexicon, lexicon_copy)


def test_a_missing_key_or_a_bad_pattern_is_named(lexicon_copy):
    _edit(lexicon_copy / "en" / "deals.yaml", lambda data: data.pop("done_cues"))
    _edit(lexicon_copy / "de" / "deals.yaml", lambda data: data.pop("done_cues"))
    with pytest.raises(LexiconError, match="done_cues: Field required"):
        build(DealsLexicon, lexicon_copy)
    shutil.rmtree(lexicon_copy)
    shutil.copytree(LEXICON_DIR, lexicon_copy)
    _edit(lexicon_copy / "en" / "deals.yaml", lambda data: data.update(brand_cues="(unclosed"))
    with pytest.raises(LexiconError, match="brand_cues: Value error, does not compile"):
        build(DealsLexicon, lexicon_copy)


def test_a_yaml_boolean_in_a_word_list_is_refused(lexicon_copy):
    """YAML 1.1 reads a bare `On` as true: the word would silently drop out of the list."""
    path = lexicon_copy / "en" / "organisations.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("not_name_words: [", "not_name_words: [On, ", 1),
                    encoding="utf-8")
    with pytest.raises(LexiconError, match=r"not_name_words\.0"):
        build(OrganisationsLexicon, lexicon_copy)


def test_a_per_language_key_in_the_neutral_file_is_refused(lexicon_copy):
    _edit(lexicon_copy / "deals.yaml", lambda data: data.update(fronted_contrast={}))
    with pytest.raises(LexiconError, match="fronted_contrast is per language"):
        build(DealsLexicon, lexicon_copy)


def test_each_language_adds_its_alternatives_to_one_pattern(lexicon_copy):
    """Triggers from every language apply to every text: German articles quote English releases."""
    merged = build(DealsLexicon, lexicon_copy).triggers[DealType.LICENSE]
    assert merged.search("signed a patent license agreement") and merged.search("unterzeichneten einen Lizenzvertrag")
    english_only = yaml.safe_load((lexicon_copy / "en" / "deals.yaml").read_text(encoding="utf-8"))["triggers"]["license"]
    assert not any(re.search(pattern, "unterzeichneten einen Lizenzvertrag", re.IGNORECASE) for pattern in english_only)


def test_a_third_language_is_a_folder_of_data(lexicon_copy):
    """Adding a language adds its words to the union; nothing in the code changes."""
    french = lexicon_copy / "fr"
    french.mkdir()
    (french / "deals.yaml").write_text("triggers:\n  cross_license: ['\\blicences? croisées?\\b']\n", encoding="utf-8")
    merged = build(DealsLexicon, lexicon_copy)
    assert merged.triggers[DealType.CROSS_LICENSE].search("un accord de licences croisées")
    assert merged.triggers[DealType.CROSS_LICENSE].search("a patent cross-license")


def test_values_that_cannot_be_merged_are_an_error(lexicon_copy):
    _edit(lexicon_copy / "de" / "counts.yaml", lambda data: data.update(max_gap_words=5))
    with pytest.raises(LexiconError, match="max_gap_words: languages give values that cannot be merged"):
        build(CountsLexicon, lexicon_copy)


def test_the_shared_instance_is_frozen():
    with pytest.raises(pydantic.ValidationError):
        deals_lexicon().weak_types = frozenset()
