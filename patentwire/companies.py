"""The company registry: canonical names, aliases, country and parent of known organisations.

The bundled `patentwire/data/companies.yaml` holds the organisations most often named in
tech-patent news; users extend or override it with their own YAML files of the same shape.
Non-party organisations (courts, authorities, research firms, news agencies) live in the same
file with a `kind`, so the extractor can recognise them and keep them out of deals.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from cleanco import basename
from rapidfuzz import fuzz, process

BUNDLED_REGISTRY = Path(__file__).parent / "data" / "companies.yaml"
PARTY_KINDS = frozenset({"company", "pool"})
_LEGAL_FORMS = frozenset({"ltd", "inc", "co", "corp", "llc", "ag", "gmbh", "se", "plc", "oyj", "sa", "nv", "bv", "kg"})
KNOWN_KINDS = frozenset({"company", "pool", "court", "authority", "research", "news_agency", "standards_body"})


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

    @property
    def can_be_party(self) -> bool:
        return self.kind in PARTY_KINDS

    @property
    def surface_forms(self) -> tuple[str, ...]:
        """The canonical name followed by every alias, as written."""
        return (self.name, *self.aliases)


def normalize_name(name: str) -> str:
    """Case-, accent- and punctuation-insensitive key for exact lookups."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    folded = re.sub(r"[^0-9a-zA-Z&]+", " ", folded.casefold())
    return " ".join(folded.split())


def strip_legal_suffix(name: str) -> str:
    """'Samsung Electronics Co., Ltd.' -> 'Samsung Electronics' (cleanco, applied until stable)."""
    current = name.strip()
    for _ in range(3):
        stripped = basename(current).strip(" ,.")
        if not stripped or stripped == current:
            break
        current = stripped
    return current


class CompanyRegistry:
    """Known organisations, looked up by canonical name, alias or a fuzzy match."""

    def __init__(self, companies: Iterable[Company]):
        by_name: dict[str, Company] = {}
        for company in companies:
            by_name[company.name] = company  # later entries (user files) replace earlier ones
        self.companies: tuple[Company, ...] = tuple(by_name.values())
        self._by_canonical = by_name
        self._by_key = self._index_keys(self.companies)
        self._fuzzy_keys = list(self._by_key)

    @staticmethod
    def _index_keys(companies: Sequence[Company]) -> dict[str, Company]:
        index: dict[str, Company] = {}
        # canonical names first so an alias never shadows another company's canonical name
        for company in companies:
            index.setdefault(normalize_name(company.name), company)
        for company in companies:
            for form in company.surface_forms:
                for key in {normalize_name(form), normalize_name(strip_legal_suffix(form))}:
                    if key:
                        index.setdefault(key, company)
        return index

    @classmethod
    def load(cls, paths: Sequence[Path] | None = None) -> CompanyRegistry:
        """The bundled registry plus `paths` (user files; their entries override bundled ones by name)."""
        records: list[dict] = []
        for path in (BUNDLED_REGISTRY, *(Path(p) for p in paths or ())):
            records.extend(_read_records(path))
        return cls.from_records(records)

    @classmethod
    def from_records(cls, records: Iterable[dict]) -> CompanyRegistry:
        return cls(company_from_record(record) for record in records)

    def get(self, canonical: str) -> Company | None:
        return self._by_canonical.get(canonical)

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


def company_from_record(record: dict, source: str = "registry") -> Company:
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
    )


def _read_records(path: Path) -> list[dict]:
    if not path.exists():
        raise RegistryError(f"company registry {path} does not exist; create it or drop it from the list")
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
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
