"""Resolve every name a fact uses to one company, and build the `companies` and `company_aliases` rows.

Order of trust: the registry's canonical name, then its exact alias lookup, then a fuzzy match
(rapidfuzz, via the registry), and last the name itself for organisations the registry does not
know. Unknown names that differ only in case, punctuation, legal suffix or a small typo are one
company, named by their most frequent spelling.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
from rapidfuzz import fuzz, process

from patentwire.companies import Company, CompanyRegistry, normalize_name, strip_legal_suffix
from patentwire.ids import stable_id
from patentwire.normalize.schema import COMPANY_ALIAS_SCHEMA, COMPANY_SCHEMA, typed_frame
from patentwire.vocab import AliasKind, ResolvedBy

UNKNOWN_MATCH_CUTOFF = 92  # same bar as the registry's fuzzy match
MIN_FUZZY_KEY_LENGTH = 4  # short names fuzz-match far too much
ALIAS_KIND_ORDER = {kind: rank for rank, kind in enumerate(AliasKind)}
RESOLUTION_COLUMNS = ["name", "canonical", "company_id", "company_name", "resolved_by", "in_registry",
                      "can_be_party"]


def company_id(name: str) -> str:
    """Stable id of a company: a hash of its folded canonical name (case, accents, punctuation ignored)."""
    return stable_id("company", normalize_name(name))


def resolve_names(references: pd.DataFrame, registry: CompanyRegistry) -> pd.DataFrame:
    """One row per distinct (name, canonical) in `references`, with the company it resolves to.

    `resolved_by` says how: registry (canonical name given), alias (exact alias lookup),
    fuzzy (rapidfuzz match) or unknown (kept under its own name).
    """
    pairs = (references[["name", "canonical"]].fillna("").value_counts(sort=False)
             .rename("uses").reset_index())
    found = [_registry_match(name, canonical, registry)
             for name, canonical in pairs[["name", "canonical"]].itertuples(index=False)]
    pairs["company"] = [company for company, _ in found]
    pairs["resolved_by"] = [how for _, how in found]
    pairs["company_name"] = pairs["company"].map(lambda company: company.name if company else None)
    unknown = pairs["company"].isna()
    spelling = pairs["canonical"].where(pairs["canonical"] != "", pairs["name"]).map(_display_spelling)
    frequency = pairs.loc[unknown, "uses"].groupby(spelling[unknown]).sum()
    pairs.loc[unknown, "company_name"] = spelling[unknown].map(_cluster_spellings(frequency))
    pairs["company_id"] = pairs["company_name"].map(company_id)
    pairs["in_registry"] = ~unknown
    pairs["can_be_party"] = pairs["company"].map(lambda company: company is None or company.can_be_party)
    return pairs[RESOLUTION_COLUMNS]


def _registry_match(name: str, canonical: str, registry: CompanyRegistry) -> tuple[Company | None, ResolvedBy]:
    if canonical and (company := registry.get(canonical)) is not None:
        return company, ResolvedBy.REGISTRY
    for text in (canonical, name):
        if text and (company := registry.lookup(text)) is not None:
            return company, ResolvedBy.ALIAS
    # only the canonical form is fuzzed: the as-written form may be a descriptor ("die Finnen")
    # that the extractor already resolved, and fuzzing it would only invite false matches
    if canonical and (company := registry.match(canonical)) is not None:
        return company, ResolvedBy.FUZZY
    return None, ResolvedBy.UNKNOWN


def _display_spelling(raw: str) -> str:
    """'Quantenfeld Systems GmbH' -> 'Quantenfeld Systems': unknown organisations are named without legal form."""
    return strip_legal_suffix(raw) or raw.strip()


def _cluster_spellings(frequency: pd.Series) -> dict[str, str]:
    """Map each spelling to its cluster's representative: most frequent first, ties alphabetical."""
    ordered = sorted(frequency.items(), key=lambda item: (-item[1], item[0]))
    representatives: dict[str, str] = {}  # folded key -> representative spelling
    # numbers name different things ("Fund 1" vs "Fund 10"): only spellings with the same digits may merge,
    # so the keys are kept by their digits and a spelling is compared with its own group only
    keys_by_digits: dict[str, list[str]] = {}
    mapping: dict[str, str] = {}
    for spelling, _ in ordered:
        key = normalize_name(spelling)
        if key in representatives:
            mapping[spelling] = representatives[key]
            continue
        choices = keys_by_digits.setdefault(_digits(key), [])
        best = None
        if len(key) >= MIN_FUZZY_KEY_LENGTH and choices:
            best = process.extractOne(key, choices, scorer=fuzz.ratio, score_cutoff=UNKNOWN_MATCH_CUTOFF)
        representatives[key] = representatives[best[0]] if best else spelling
        choices.append(key)
        mapping[spelling] = representatives[key]
    return mapping


def _digits(text: str) -> str:
    return "".join(character for character in text if character.isdigit())


def build_companies(references: pd.DataFrame, registry: CompanyRegistry) -> tuple[pd.DataFrame, pd.DataFrame]:
    """`companies` and `company_aliases` rows for every company that `references` resolved to.

    `references` has one row per mention of a company: company_id, company_name, in_registry,
    name (as written), canonical (as given by the extractor) and published (the article's date).
    """
    if references.empty:
        return typed_frame([], COMPANY_SCHEMA), typed_frame([], COMPANY_ALIAS_SCHEMA)
    seen = references.assign(seen_on=pd.to_datetime(references["published"])).groupby("company_id", sort=True).agg(
        name=("company_name", "first"),
        in_registry=("in_registry", "first"),
        first_seen=("seen_on", "min"),
        mention_count=("company_id", "size"),
    ).reset_index()
    seen["first_seen"] = seen["first_seen"].map(lambda seen_on: None if pd.isna(seen_on) else seen_on.date())
    registered = seen["name"].map(lambda name: registry.get(name) if name else None)
    seen["country"] = registered.map(lambda company: company.country if company else None)
    seen["parent_name"] = registered.map(lambda company: company.parent if company else None)
    companies = typed_frame(seen, COMPANY_SCHEMA, sort_by=["company_id"])
    aliases = _aliases(seen[["company_id", "name"]], registered, references)
    return companies, aliases


def _aliases(seen: pd.DataFrame, registered: pd.Series, references: pd.DataFrame) -> pd.DataFrame:
    canonical = seen.rename(columns={"name": "alias"}).assign(alias_kind=AliasKind.CANONICAL.value)
    from_registry = seen.assign(alias=[list(_registry_aliases(company)) for company in registered])[
        ["company_id", "alias"]].explode("alias").dropna().assign(alias_kind=AliasKind.REGISTRY.value)
    as_written = pd.concat([
        references[["company_id", "name"]].rename(columns={"name": "alias"}),
        references[["company_id", "canonical"]].rename(columns={"canonical": "alias"}),
    ]).assign(alias_kind=AliasKind.AS_WRITTEN.value)
    aliases = pd.concat([canonical, from_registry, as_written], ignore_index=True)
    aliases["alias"] = aliases["alias"].map(lambda alias: alias.strip() if isinstance(alias, str) else None)
    aliases = aliases[aliases["alias"].astype(bool)]
    # one row per (company, alias): the most authoritative kind wins
    aliases = (aliases.assign(order=aliases["alias_kind"].map(ALIAS_KIND_ORDER))
               .sort_values(["company_id", "alias", "order"], kind="stable")
               .drop_duplicates(["company_id", "alias"]))
    return typed_frame(aliases, COMPANY_ALIAS_SCHEMA, sort_by=["company_id", "alias"])


def _registry_aliases(company: Company | None) -> Iterable[str]:
    return company.aliases if company else ()
