"""The company registry: canonical names, aliases, country and parent of known organisations.

Three tiers, later ones winning a name or alias they share with earlier ones:
- `data/registry/listed.json`: thousands of US-listed companies, generated from open exchange
  listings by `python -m patentwire.registry_build` (public domain data; see its SOURCES.md);
- `data/companies.yaml`: hand-curated organisations most often named in tech-patent news, with
  former names, parents and sectors, including the European and Asian firms US listings miss;
- users' own YAML files of the same shape (`HOME/companies.yaml`).
Non-party organisations (courts, authorities, research firms, news agencies) live in the curated
file with a `kind`, so the extractor can recognise them and keep them out of deals.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import json

import yaml
from cleanco import basename
from cleanco.clean import normalized, prepare_default_terms, strip_punct, strip_tail
from rapidfuzz import fuzz, process

from patentwire.vocab import PARTY_KINDS as VOCAB_PARTY_KINDS, OrgKind

BUNDLED_REGISTRY = Path(__file__).parent / "data" / "companies.yaml"
LISTED_REGISTRY = Path(__file__).parent / "data" / "registry" / "listed.json"
PARTY_KINDS = frozenset(str(kind) for kind in VOCAB_PARTY_KINDS)  # one source: patentwire.vocab
_LEGAL_FORMS = frozenset({"ltd", "inc", "co", "corp", "llc", "ag", "gmbh", "se", "plc", "oyj", "sa", "nv", "bv", "kg"})
KNOWN_KINDS = frozenset(str(kind) for kind in OrgKind)
TIERS = ("listed", "curated", "user")  # lowest priority first


class RegistryError(ValueError):
    """A registry file the user can fix; the message names the file and the entry."""


@dataclass(frozen=True)
class Company:
    name: str
    aliases: tuple[str, ...]
    country: str | None
    parent: str | None
    kind: str = "company"
    sectors: tuple[str, ...] = ()  # e.g. "chips", "phones": lets "the chipmaker" point to the company
    former_names: tuple[str, ...] = ()  # "Facebook" for Meta: still found, resolved to the current name
    tickers: tuple[str, ...] = ()  # exchange symbols, matched only as "(NYSE: XYZ)"
    context_forms: tuple[str, ...] = ()  # forms that are also common words: names only in company context
    tier: str = "curated"  # listed | curated | user: which source a record came from

    @property
    def can_be_party(self) -> bool:
        return self.kind in PARTY_KINDS

    @property
    def surface_forms(self) -> tuple[str, ...]:
        """The canonical name followed by every alias and former name, as written."""
        return (self.name, *self.aliases, *self.former_names)


@lru_cache(maxsize=200_000)
def normalize_name(name: str) -> str:
    """Case-, accent- and punctuation-insensitive key for exact lookups."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    folded = re.sub(r"[^0-9a-zA-Z&]+", " ", folded.casefold())
    return " ".join(folded.split())


@lru_cache(maxsize=200_000)
def strip_legal_suffix(name: str) -> str:
    """'Samsung Electronics Co., Ltd.' -> 'Samsung Electronics' (cleanco, applied until stable)."""
    current = name.strip()
    for _ in range(3):
        stripped = (basename(current) if _may_end_in_legal_form(current) else strip_tail(current)).strip(" ,.")
        if not stripped or stripped == current:
            break
        current = stripped
    return current


# last words of cleanco's legal terms: a name ending in none of them has no legal form to strip, which
# spares cleanco's scan of all its terms (the registry strips some 15,000 names when it loads)
_LEGAL_TERM_ENDINGS = frozenset(parts[-1] for _size, parts in prepare_default_terms())


def _may_end_in_legal_form(name: str) -> bool:
    words = strip_tail(name).split()
    return bool(words) and strip_punct(normalized(words[-1])) in _LEGAL_TERM_ENDINGS


class CompanyRegistry:
    """Known organisations, looked up by canonical name, alias or a fuzzy match."""

    def __init__(self, companies: Iterable[Company]):
        by_name: dict[str, Company] = {}
        for company in companies:
            by_name.pop(company.name, None)
            by_name[company.name] = company  # later entries (user files) replace earlier ones
        self.companies: tuple[Company, ...] = tuple(by_name.values())
        self._by_canonical = by_name
        self._by_key = self._index_keys(self.companies)
        # fuzzy matching only among hand-made names: thousands of listed names would fuzz-match anything
        self._fuzzy_keys = [key for key, company in self._by_key.items() if company.tier != "listed"]
        self._by_ticker = {ticker: company for company in self.companies for ticker in company.tickers}

    @staticmethod
    def _index_keys(companies: Sequence[Company]) -> dict[str, Company]:
        index: dict[str, Company] = {}
        # higher tiers first (a user file, then the curated one, then the listings), and within a tier
        # canonical names before aliases, so a user's or the curated file's
        # names are never shadowed by a listed company, and an alias never by another canonical name
        for tier in reversed(TIERS):
            ranked = [company for company in companies if company.tier == tier]
            for company in ranked:
                index.setdefault(normalize_name(company.name), company)
            for company in ranked:
                # listed names are stored without legal form already: cleanco (slow) is spared for them
                forms = company.surface_forms
                keys = {normalize_name(form) for form in forms} if tier == "listed" else \
                    {key for form in forms for key in (normalize_name(form), normalize_name(strip_legal_suffix(form)))}
                for key in sorted(keys):
                    if key:
                        index.setdefault(key, company)
        return index

    @classmethod
    def load(cls, paths: Sequence[Path] | None = None, listed: bool = True) -> CompanyRegistry:
        """The listed and curated registries plus `paths` (user files; their entries override bundled ones
        by name). `listed=False` leaves out the generated listed companies."""
        companies: list[Company] = []
        if listed and LISTED_REGISTRY.exists():
            companies.extend(read_listed(LISTED_REGISTRY))
        for path, tier in ((BUNDLED_REGISTRY, "curated"), *((Path(p), "user") for p in paths or ())):
            companies.extend(company_from_record(record, str(path), tier) for record in _read_records(path))
        return cls(companies)

    @classmethod
    def from_records(cls, records: Iterable[dict]) -> CompanyRegistry:
        return cls(company_from_record(record) for record in records)

    def get(self, canonical: str) -> Company | None:
        return self._by_canonical.get(canonical)

    def by_ticker(self, ticker: str) -> Company | None:
        """The listed company with that exchange symbol ("QCOM")."""
        return self._by_ticker.get(ticker.upper())

    def lookup(self, name: str) -> Company | None:
        """Exact, case-insensitive match on name or alias, also with legal suffixes stripped."""
        for key in (normalize_name(name), normalize_name(strip_legal_suffix(name))):
            if key and key in self._by_key:
                return self._by_key[key]
        return None

    def match(self, name: str, score_cutoff: float = 92) -> Company | None:
        """`lookup`, then a fuzzy match (rapidfuzz) for spelling variants such as 'Interdigital Inc'."""
        exact = self.lookup(name)
        if exact is not None:
            return exact
        key = normalize_name(strip_legal_suffix(name))
        if len(key) < 4:  # short names fuzz-match far too much ("ZT" ~ "ZTE")
            return None
        best = process.extractOne(key, self._fuzzy_keys, scorer=fuzz.ratio, score_cutoff=score_cutoff)
        return self._by_key[best[0]] if best else None


def company_from_record(record: dict, source: str = "registry", tier: str = "curated") -> Company:
    if not isinstance(record, dict) or not record.get("name"):
        raise RegistryError(f"{source}: every company needs a 'name' (got {record!r}); "
                            "write entries as {{name: ..., aliases: [...], country: XX}}")
    kind = record.get("kind") or "company"
    if kind not in KNOWN_KINDS:
        raise RegistryError(f"{source}: company {record['name']!r} has unknown kind {kind!r}; "
                            f"use one of {sorted(KNOWN_KINDS)}")
    aliases = record.get("aliases") or []
    if isinstance(aliases, str):
        aliases = [aliases]
    for alias in aliases:
        if not normalize_name(strip_legal_suffix(str(alias))) or normalize_name(str(alias)) in _LEGAL_FORMS:
            raise RegistryError(f"{source}: company {record['name']!r} has alias {alias!r}, which is only a legal form; "
                                "quote names that contain commas, e.g. \"Samsung Electronics Co., Ltd.\"")
    return Company(
        name=str(record["name"]),
        aliases=tuple(str(alias) for alias in aliases),
        country=(str(record["country"]).upper() if record.get("country") else None),
        parent=record.get("parent") or None,
        kind=kind,
        sectors=tuple(str(sector) for sector in record.get("sectors") or ()),
        former_names=_strings(record.get("former_names")),
        tickers=_strings(record.get("tickers")),
        context_forms=_strings(record.get("context_forms")),
        tier=tier,
    )


def _strings(value) -> tuple[str, ...]:
    if not value:
        return ()
    return (str(value),) if isinstance(value, str) else tuple(str(item) for item in value)


def read_listed(path: Path = LISTED_REGISTRY) -> list[Company]:
    """The generated listed companies (trusted: written by `patentwire.registry_build`, not by hand)."""
    records = json.loads(path.read_text(encoding="utf-8"))["companies"]
    return [Company(name=record["name"], aliases=tuple(record.get("aliases", ())), country=record.get("country"),
                    parent=None, kind="company", sectors=tuple(record.get("sectors", ())),
                    tickers=tuple(record.get("tickers", ())), context_forms=tuple(record.get("context_forms", ())),
                    tier="listed")
            for record in records]


def _read_records(path: Path) -> list[dict]:
    if not path.exists():
        raise RegistryError(f"company registry {path} does not exist; create it or drop it from the list")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C loader reads the curated file 10x faster
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader) or {}
    records = data.get("companies", []) if isinstance(data, dict) else data
    if not isinstance(records, list):
        raise RegistryError(f"{path}: expected a list under 'companies:'")
    for record in records:
        company_from_record(record, source=str(path))  # validate early, with the file name in the message
    return records


@cache
def default_registry() -> CompanyRegistry:
    """The bundled registry, loaded once per process."""
    return CompanyRegistry.load()
