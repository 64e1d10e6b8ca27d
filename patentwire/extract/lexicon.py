"""The typed lexicons under `patentwire/data/lexicon/`, loaded once per process.

Each lexicon (`deals`, `counts`, `organisations`, `dates`, `numbers`, `abbreviations`) is split per language:
`lexicon/<code>/<name>.yaml` holds one language's words and patterns, `lexicon/<name>.yaml` the settings that
belong to no language (which types are weak, which role a side of a verb gives). The loader merges them into
one model per lexicon:

- a field the model lists in `by_language` stays keyed by language code (descriptor heads, number words),
  for rules that must read only the article's own language;
- every other field is the union over languages, because German articles quote English releases: patterns
  become one alternation (the default language's alternatives first), lists are joined, mappings merged.

The models are pydantic with `extra="forbid"`, so an unknown or misspelt key, a missing
one, a pattern that does not compile, or a YAML 1.1 surprise (`On` read as `true`) is an error naming the file
and the key. Adding a language is adding its profile (`data/languages/`) and a folder of lexicons.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, PlainValidator, ValidationError

from patentwire.vocab import CountUnit, DealStatus, DealType, OrgKind, PartyRole, Qualifier

LEXICON_DIR = Path(__file__).resolve().parent.parent / "data" / "lexicon"
DEFAULT_LANGUAGE = "en"  # its alternatives come first in a merged pattern


class LexiconError(ValueError):
    """A lexicon file that does not follow its schema; the message names the file and the key."""


def _alternation(value: Any) -> str:
    if isinstance(value, list) and value and all(isinstance(item, str) for item in value):
        return "|".join(f"(?:{item})" for item in value)
    if not isinstance(value, str):
        raise ValueError("expected a regular expression or a list of them")
    return value


def _compiler(flags: int):
    def compile_pattern(value: Any) -> re.Pattern:
        try:
            return re.compile(_alternation(value), flags)
        except re.error as error:
            raise ValueError(f"does not compile: {error}") from None
    return PlainValidator(compile_pattern)


def _checked_source(value: Any) -> str:
    """A pattern kept as text because code composes it into a larger one; it must compile on its own."""
    source = _alternation(value)
    try:
        re.compile(source.replace("{heads}", "x"))
    except re.error as error:
        raise ValueError(f"does not compile: {error}") from None
    return source


Pattern = Annotated[re.Pattern, _compiler(re.IGNORECASE)]  # case-insensitive; a list is one alternation
CasePattern = Annotated[re.Pattern, _compiler(0)]  # case matters (names are capitalised)
PatternSource = Annotated[str, PlainValidator(_checked_source)]


class _Lexicon(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)

    name: ClassVar[str]
    by_language: ClassVar[frozenset[str]] = frozenset()


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


# --- deals -------------------------------------------------------------------------------------------------

class FrontedContrast(_Part):
    openers: str  # case-sensitive alternation of the clause openers
    verb_first: bool  # the main clause after the comma opens with its finite verb


class RoleSpec(_Part):
    active: Pattern
    before: PartyRole
    after: PartyRole
    passive: Pattern | None = None
    passive_before: PartyRole | None = None
    passive_after: PartyRole | None = None


class FromRoles(_Part):
    pattern: Pattern
    roles: dict[DealType, tuple[PartyRole, PartyRole]]  # (the party after "from", the other)


class DealsLexicon(_Lexicon):
    name: ClassVar[str] = "deals"
    by_language: ClassVar[frozenset[str]] = frozenset({"fronted_contrast"})

    triggers: dict[DealType, Pattern]
    agreement_cues: Pattern
    weak_types: frozenset[DealType]
    superseded_by: dict[DealType, frozenset[DealType]]
    deal_superseded_by: dict[DealType, frozenset[DealType]]
    patent_words: Pattern
    modality: dict[DealStatus, Pattern]
    extension_verbs: Pattern
    existing_tie: Pattern
    licence_acquired: Pattern
    offer_phrases: Pattern
    reported_announcement: Pattern
    pair_window_boundary: CasePattern
    subclause_start: Pattern
    intent_cues: Pattern
    news_cues: Pattern
    done_cues: Pattern
    bystander_cues: Pattern
    brand_cues: Pattern
    fronted_contrast: dict[str, FrontedContrast]
    object_relative_clause: Pattern
    subordinate_continuation: Pattern
    list_continuation: CasePattern
    subsidiary_cues: Pattern
    bystander_after: Pattern
    bystander_next: Pattern
    clause_split: Pattern
    asserted_holder_before: Pattern
    apposition_before: Pattern
    possessive_subsidiary: Pattern
    subject_join: Pattern
    partner_preposition: Pattern
    subsidiary_of: Pattern
    clause_end: Pattern
    roles: dict[DealType, RoleSpec]
    from_roles: FromRoles


# --- counts ------------------------------------------------------------------------------------------------

class CountsLexicon(_Lexicon):
    name: ClassVar[str] = "counts"

    max_gap_words: int
    units: dict[CountUnit, list[PatternSource]]  # first match wins: specific units first
    gap_words: PatternSource
    filed_cues: Pattern
    granted_cues: Pattern
    granted_adjectives: Pattern
    pending_adjectives: Pattern
    qualifiers: dict[Qualifier, list[PatternSource]]
    reject_before: Pattern
    reject_after: Pattern
    transfer_cues: Pattern
    transfer_verbs_after: Pattern
    owner_after_cues: Pattern
    subject_owner: CasePattern
    not_subject_owner: list[str]
    relative_owner_after: Pattern
    reporting_owner_after: Pattern
    possessive_owner: CasePattern
    region_total_cues: Pattern
    joint_total_cues: Pattern
    relative_clause: Pattern
    aggregate_cues: Pattern
    asserted_cues: Pattern
    transfer_after: Pattern
    subset_cues: Pattern
    rate_cues: Pattern
    subset_after: Pattern
    ellipsis_followers: Pattern
    vague_before: Pattern
    granted_ellipsis: Pattern
    mixed_unit_after: Pattern
    phrase_end: Pattern
    granted_before: Pattern
    refers_back: Pattern
    forward_ellipsis: CasePattern
    holding_verb_before: Pattern
    periods: list[Pattern]
    as_of: list[Pattern]


# --- organisations -----------------------------------------------------------------------------------------

class OrganisationsLexicon(_Lexicon):
    name: ClassVar[str] = "organisations"
    by_language: ClassVar[frozenset[str]] = frozenset({
        "descriptor_heads", "demonyms", "demonym_nouns", "references", "pair_references", "deal_references",
        "affiliation_cues"})

    legal_suffixes: list[str]
    not_name_words: list[str]
    descriptor_nouns: list[str]
    konzern_pattern: CasePattern
    descriptor_heads: dict[str, dict[str, str | None]]  # head noun -> sector it names (None: any company)
    demonyms: dict[str, dict[str, str]]  # adjective stem -> ISO country
    demonym_nouns: dict[str, dict[str, str]]  # plural people's noun -> ISO country
    references: dict[str, Pattern]
    pair_references: dict[str, Pattern]
    deal_references: dict[str, Pattern]
    unknown_org_connectors: PatternSource
    demonym_like: CasePattern
    not_org_after: CasePattern
    appositive_org: CasePattern
    unknown_subject_org: CasePattern
    name_descriptor_word: CasePattern
    unknown_org_name: PatternSource
    not_organisations: list[str]
    apposition_heads: list[str]
    apposition_org: PatternSource  # "{heads}" stands for the descriptor and apposition heads
    abbreviation_definition: CasePattern
    former_name: CasePattern
    renaming: Pattern  # the words between an old name and the new one ("has changed its name to")
    exchange_ticker: CasePattern
    company_context_before: Pattern
    role_nouns: list[str]
    generic_org_words: list[str]
    institution_patterns: dict[OrgKind, CasePattern]
    glued_nouns: list[str]
    regions: list[str]
    subsidiary_units: list[str]
    company_name_nouns: list[str]
    industry_name_nouns: list[str]
    affiliation_cues: dict[str, PatternSource]
    institution_triggers: dict[OrgKind, CasePattern]


# --- dates, numbers, sentence ends -------------------------------------------------------------------------

class RelativeDate(_Part):
    pattern: Pattern  # matched against the lower-cased sentence
    unit: Literal["day", "month", "year"]
    offset: int


class DatesLexicon(_Lexicon):
    name: ClassVar[str] = "dates"

    months: dict[str, int]  # lower-case month name or abbreviation -> month number
    weekdays: dict[str, int]  # lower-case weekday -> Monday 0 ... Sunday 6
    relative: list[RelativeDate]


class CompoundParts(_Part):
    """The parts of a number written as one word ("zweitausendfünfhundert", "twenty-one")."""

    ones: dict[str, int]
    teens: dict[str, int]
    tens: dict[str, int]
    hundred: str
    thousand: str
    joiner: str  # between ones and tens ("einundzwanzig")


class NumbersLexicon(_Lexicon):
    name: ClassVar[str] = "numbers"
    by_language: ClassVar[frozenset[str]] = frozenset({"scales", "words", "compound_parts"})

    scales: dict[str, dict[str, int]]  # "Mio.", "million" -> factor
    words: dict[str, dict[str, int]]  # "zwei", "two" -> value
    compound_parts: dict[str, CompoundParts]


class AbbreviationsLexicon(_Lexicon):
    name: ClassVar[str] = "abbreviations"

    any: list[str]  # tokens ending in a period that never end a sentence
    sentence_final_suffixes: list[str]  # legal forms that end a sentence before an opener ("... Ltd. The")
    sentence_openers: list[str]


LEXICONS: tuple[type[_Lexicon], ...] = (DealsLexicon, CountsLexicon, OrganisationsLexicon, DatesLexicon,
                                         NumbersLexicon, AbbreviationsLexicon)


# --- loading -----------------------------------------------------------------------------------------------

def lexicon_languages(root: Path = LEXICON_DIR) -> tuple[str, ...]:
    """Language codes with a lexicon folder, the default language first (its alternatives win ties)."""
    codes = sorted(path.name for path in root.iterdir() if path.is_dir())
    return tuple(sorted(codes, key=lambda code: code != DEFAULT_LANGUAGE))


def _read(path: Path, root: Path, model: type[_Lexicon]) -> dict:
    """One file's keys; a key the model does not know is an error naming the file."""
    if not path.exists():
        return {}
    where = path.relative_to(root)
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise LexiconError(f"{where}: expected a mapping of keys")
    unknown = sorted(set(data) - set(model.model_fields))
    if unknown:
        raise LexiconError(f"{where}: unknown key {', '.join(map(repr, unknown))}")
    return data


_MISSING = object()


def _merge(base: Any, extra: Any, where: str) -> Any:
    """The union of one key's values from two files (see the module docstring)."""
    if base is _MISSING or base == extra:
        return extra
    if isinstance(base, str) and isinstance(extra, str):
        return f"(?:(?:{base})|(?:{extra}))"
    if isinstance(base, list) and isinstance(extra, list):
        return [*base, *(item for item in extra if item not in base)]
    if isinstance(base, dict) and isinstance(extra, dict):
        merged = dict(base)
        for key, value in extra.items():
            merged[key] = _merge(merged.get(key, _MISSING), value, f"{where}.{key}")
        return merged
    raise LexiconError(f"{where}: languages give values that cannot be merged ({base!r} and {extra!r})")


def merged_data(model: type[_Lexicon], root: Path = LEXICON_DIR) -> dict:
    """The raw data of one lexicon: its language-neutral file merged with every language's file."""
    merged = _read(root / f"{model.name}.yaml", root, model)
    for key in sorted(model.by_language & merged.keys()):
        raise LexiconError(f"{model.name}.yaml: {key} is per language; it belongs in each language's file")
    for code in lexicon_languages(root):
        for key, value in _read(root / code / f"{model.name}.yaml", root, model).items():
            if key in model.by_language:
                merged.setdefault(key, {})[code] = value
            else:
                merged[key] = _merge(merged.get(key, _MISSING), value, f"{code}/{model.name}.yaml: {key}")
    return merged


L = TypeVar("L", bound=_Lexicon)


def build(model: type[L], root: Path = LEXICON_DIR) -> L:
    """One lexicon, validated; an error names the lexicon and the key."""
    try:
        return model.model_validate(merged_data(model, root))
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(map(str, issue['loc'])) or 'file'}: {issue['msg']}" for issue in error.errors())
        raise LexiconError(f"lexicon {model.name!r} ({root}): {problems}") from None


@cache
def lexicon(model: type[L]) -> L:
    """The process-wide instance of a lexicon (frozen: shared by every caller)."""
    return build(model)


def deals_lexicon() -> DealsLexicon:
    return lexicon(DealsLexicon)


def counts_lexicon() -> CountsLexicon:
    return lexicon(CountsLexicon)


def organisations_lexicon() -> OrganisationsLexicon:
    return lexicon(OrganisationsLexicon)


def dates_lexicon() -> DatesLexicon:
    return lexicon(DatesLexicon)


def numbers_lexicon() -> NumbersLexicon:
    return lexicon(NumbersLexicon)


def abbreviations_lexicon() -> AbbreviationsLexicon:
    return lexicon(AbbreviationsLexicon)
