"""Languages as units: one profile per language (`patentwire/data/languages/<code>.yaml`) says how it
writes numbers, whether it joins nouns into compounds, capitalises every noun or puts the subject before
the verb, and which word stems cue each deal type. Adding a language is adding a profile.

Profiles are validated on load: an unknown or missing key, or a deal type without cues, is an error that
names the file and the key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from patentwire.vocab import DealType

LANGUAGE_DIR = Path(__file__).resolve().parent.parent / "data" / "languages"
DEFAULT_LANGUAGE = "en"


class LanguageProfileError(ValueError):
    """A language profile that does not follow its schema; the message names the file and the key."""


class _ProfileFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str
    decimal_mark: str
    compounds: bool
    capitalises_nouns: bool
    roles_from_verb_side: bool
    descriptor_articles: list[str]
    plural_articles: list[str]
    noun_endings: list[str]
    conjunctions: list[str]
    deal_cues: dict[DealType, list[str]]

    @field_validator("decimal_mark")
    @classmethod
    def _one_mark(cls, value: str) -> str:
        if value not in (".", ","):
            raise ValueError("decimal_mark must be '.' or ','")
        return value

    @field_validator("deal_cues")
    @classmethod
    def _every_type(cls, cues: dict[DealType, list[str]]) -> dict[DealType, list[str]]:
        missing = [str(deal_type) for deal_type in DealType if not cues.get(deal_type)]
        if missing:
            raise ValueError(f"every deal type needs cues; none for {', '.join(missing)}")
        return cues


@dataclass(frozen=True)
class LanguageProfile:
    code: str
    decimal_mark: str
    group_mark: str
    compounds: bool
    capitalises_nouns: bool
    roles_from_verb_side: bool
    descriptor_articles: tuple[str, ...]  # articles before a descriptor ("der Münchner Zulieferer", "the maker")
    plural_articles: tuple[str, ...]  # articles before a people's noun that stands for a company ("die Finnen")
    noun_endings: tuple[str, ...]  # inflections a descriptor head may carry ("Zulieferers", "makers")
    conjunctions: tuple[str, ...]  # words that join the members of a list ("and", "sowie")
    deal_cues: re.Pattern  # one group per deal type, named by its position in DealType

    def cued_types(self, text: str) -> frozenset[DealType]:
        """The deal types whose cue stems occur in the text (one pass over it)."""
        return frozenset(_TYPES[int(match.lastgroup[1:])] for match in self.deal_cues.finditer(text))


_TYPES = list(DealType)


def _cue_pattern(cues: dict[DealType, list[str]], compounds: bool) -> re.Pattern:
    groups = []
    for deal_type, stems in cues.items():
        alternatives = "|".join(re.escape(stem) for stem in sorted(stems, key=len, reverse=True))
        groups.append(f"(?P<t{_TYPES.index(deal_type)}>{alternatives})")
    # in a compounding language a stem may sit inside a word; elsewhere it starts one
    body = "|".join(groups)
    return re.compile(body if compounds else rf"\b(?:{body})", re.IGNORECASE)


def load_profile(path: Path) -> LanguageProfile:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        data = _ProfileFile.model_validate(raw)
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(map(str, issue['loc'])) or 'file'}: {issue['msg']}" for issue in error.errors())
        raise LanguageProfileError(f"{path.name}: {problems}") from None
    if data.code != path.stem:
        raise LanguageProfileError(f"{path.name}: code {data.code!r} does not match the file name")
    return LanguageProfile(
        code=data.code, decimal_mark=data.decimal_mark, group_mark="." if data.decimal_mark == "," else ",",
        compounds=data.compounds, capitalises_nouns=data.capitalises_nouns,
        roles_from_verb_side=data.roles_from_verb_side,
        descriptor_articles=tuple(data.descriptor_articles), plural_articles=tuple(data.plural_articles),
        noun_endings=tuple(data.noun_endings), conjunctions=tuple(data.conjunctions),
        deal_cues=_cue_pattern(data.deal_cues, data.compounds),
    )


@cache
def profiles() -> dict[str, LanguageProfile]:
    """Every bundled profile by language code."""
    return {path.stem: load_profile(path) for path in sorted(LANGUAGE_DIR.glob("*.yaml"))}


@cache
def conjunctions() -> frozenset[str]:
    """Every language's list conjunctions, lower case: German articles quote English names and lists."""
    return frozenset(word.casefold() for language in profiles().values() for word in language.conjunctions)


@cache
def profile(language: str | None) -> LanguageProfile:
    """The profile of an ISO 639-1 code or tag ("de", "de-CH", "en_GB"); English for unknown languages."""
    code = (language or DEFAULT_LANGUAGE).replace("_", "-").split("-")[0].lower()
    known = profiles()
    return known.get(code, known[DEFAULT_LANGUAGE])
