"""Build the listed-companies part of the registry from open data (`python -m patentwire.registry_build`).

Input: the exchange listings and the S&P 500 constituents committed under `data/registry/sources/`
(public domain, ODC-PDDL-1.0; see SOURCES.md there). Output: `data/registry/listed.json`, one record
per operating company, in the shape of `companies.yaml` plus `tickers`, `context_forms` and `source`.

What is kept: common stock, ordinary shares and ADRs of operating companies. What is dropped: ETFs,
test issues, funds and trusts, notes, preferreds, warrants, rights, units and blank-cheque companies
(SPACs), and every company the hand-curated `companies.yaml` already knows (it stays the source of
truth for those). Names lose their security description ("Common Stock", "American Depositary
Shares ...") and their legal form (cleanco); a short form ("Agilent" for "Agilent Technologies") is an
alias only when it is distinctive. Forms that are common English or German words ("Target", "Gap")
go to `context_forms`: the recogniser takes them only with a legal form or company context.

The build is deterministic: same sources, same `companies.yaml`, same pinned wordfreq -> same file.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from patentwire.companies import BUNDLED_REGISTRY, LISTED_REGISTRY, normalize_name, strip_legal_suffix
from patentwire.wordlists import is_common_word

SOURCES = LISTED_REGISTRY.parent / "sources"

# Security descriptions that end the company part of a name ("Acme Corp. Class A Common Stock").
_SECURITY = re.compile(
    r"\s*(?:[-–]\s+)?(?:\bClass [A-Z]\b.*|\bSeries [A-Z0-9]+\b.*|\bCommon\b.*|\bOrdinary\b.*|\bAmerican Depositary\b.*|"
    r"\bAmerican Depository\b.*|\bDepositary\b.*|\bADSs?\b.*|\bSubordinate Voting\b.*|\bRestricted Voting\b.*|"
    r"\bShares\b.*|\bNew\b\s*$|\bWhen[- ]Issued\b.*|\bRegistered\b.*|\bVoting\b.*|\bCapital Stock\b.*|\bStock\b.*)$",
    re.IGNORECASE)
# Securities that are no operating company's equity.
_NOT_EQUITY = re.compile(
    r"\b(?:Warrants?|Rights?|Units?|Notes?|Debentures?|Bonds?|Preferred|Preference|Perpetual|Cumulative|"
    r"Beneficial Interest|Fund|Funds|ETF|ETN|ETNs|Index|Trust Certificates?|Exchange[- ]Traded|Due \d{4}|"
    r"Limited Partner(?:ship)? Interests?|Contingent Value)\b|%", re.IGNORECASE)
# Companies that are investment vehicles rather than firms that make, sell or license anything.
_NOT_OPERATING = re.compile(
    r"\b(?:Acquisition|Acquisitions|SPAC|Fund|Funds|Trust|Income|Municipal|Portfolio|Strategies|Strategy|"
    r"Opportunit(?:y|ies)|BDC|Closed[- ]End|iShares|ProShares|Direxion|Invesco|Vanguard|SPDR|Nuveen|"
    r"BlackRock [A-Z][a-z]+ (?:Trust|Fund)|Bitcoin|Ether(?:eum)?)\b", re.IGNORECASE)
# Trailing words that a short form may drop ("Micron Technology" -> "Micron").
_GENERIC_TAIL = frozenset({
    "technologies", "technology", "holdings", "holding", "group", "international", "systems", "corporation",
    "company", "companies", "industries", "enterprises", "incorporated", "global", "worldwide", "solutions",
    "labs", "laboratories", "networks", "communications", "semiconductor", "semiconductors", "electronics",
    "software", "therapeutics", "pharmaceuticals", "biosciences", "bioscience", "inc", "corp", "co", "ltd",
    "plc", "limited", "sa", "nv", "ag", "se", "the", "and", "&", "of", "brands", "platforms", "interactive",
    "devices", "instruments", "energy", "medical", "health", "sciences", "entertainment", "media"})
# GICS sub-industries and sectors -> the sectors descriptors use ("the chipmaker").
_GICS_SECTORS = {
    "Semiconductors": ["chips"], "Semiconductor Materials & Equipment": ["chips"],
    "Technology Hardware, Storage & Peripherals": ["electronics", "pc"], "Electronic Components": ["electronics"],
    "Electronic Equipment & Instruments": ["electronics"], "Electronic Manufacturing Services": ["electronics"],
    "Communications Equipment": ["telecom_equipment"], "Integrated Telecommunication Services": ["operator"],
    "Wireless Telecommunication Services": ["operator"], "Automobile Manufacturers": ["automotive"],
    "Automotive Parts & Equipment": ["supplier"], "Application Software": ["tech"], "Systems Software": ["tech"],
    "Interactive Media & Services": ["tech"], "Internet Services & Infrastructure": ["tech"],
    "IT Consulting & Other Services": ["tech"], "Industrial Conglomerates": ["industrial"],
    "Health Care Equipment": ["medtech"], "Health Care Supplies": ["medtech"],
    "Electrical Components & Equipment": ["industrial"], "Heavy Electrical Equipment": ["industrial"],
    "Aerospace & Defense": ["industrial"], "Industrial Machinery & Supplies & Components": ["industrial"],
}
_COUNTRIES = {"Ireland": "IE", "United Kingdom": "GB", "Switzerland": "CH", "Netherlands": "NL", "Bermuda": "BM",
              "Canada": "CA", "Israel": "IL", "Germany": "DE", "France": "FR", "Jersey": "JE", "Luxembourg": "LU"}


@dataclass
class ListedCompany:
    name: str  # display name, without legal form
    legal_name: str
    tickers: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    sectors: list[str] = field(default_factory=list)
    country: str | None = None
    sources: list[str] = field(default_factory=list)


def company_part(security_name: str) -> str:
    """'Agilent Technologies, Inc. Common Stock' -> 'Agilent Technologies, Inc.'; '(The)' moves to the front."""
    name = " ".join(security_name.split())
    name = _SECURITY.sub("", name).strip(" ,-–")
    if name.endswith("(The)"):
        name = "The " + name[: -len("(The)")].strip(" ,")
    return re.sub(r"\s*\((?:The|Holding Company|Holdings?)\)", "", name).strip(" ,")


def display_name(legal_name: str) -> str:
    """'The Gap, Inc.' -> 'Gap'; 'Agilent Technologies, Inc.' -> 'Agilent Technologies'."""
    name = re.sub(r"^The\s+", "", legal_name.strip())
    name = re.sub(r",?\s+(?:S\.A\.B\. de C\.V\.|S\.A\.B\.|New)$", "", name)
    name = strip_legal_suffix(name).strip(" ,.")
    return re.sub(r"\s+(?:Corporation|Incorporated|Company)\.?$", "", name) or name


def short_form(name: str) -> str | None:
    """A shorter distinctive form ('Micron Technology' -> 'Micron'), or None when it would not be distinctive."""
    words = name.split()
    while len(words) > 1 and words[-1].casefold().strip(".,") in _GENERIC_TAIL:
        words.pop()
    short = " ".join(words).strip(" ,&")
    if short == name or len(short) < 4 or not re.search(r"[A-Za-z]{3}", short):
        return None
    if all(is_common_word(word, threshold=2.5) for word in re.findall(r"[\w'’-]+", short)):
        return None  # "American", "Texas", "Wearable": a word, a place, or a demonym (a short form must be rarer
        # than a full name: it stands alone in text)
    return short


def is_equity(security_name: str, company: str) -> bool:
    return not _NOT_EQUITY.search(security_name) and not _NOT_OPERATING.search(company)


def read_nasdaq(path: Path) -> Iterator[tuple[str, str, str]]:
    """(ticker, company part, source) of every NASDAQ equity that is no ETF or test issue."""
    for row in csv.DictReader(path.open(encoding="utf-8")):
        if row.get("ETF") != "N" or row.get("Test Issue") != "N" or not row.get("Company Name"):
            continue
        if is_equity(row["Security Name"], row["Company Name"]):
            yield row["Symbol"], company_part(row["Company Name"]), "nasdaq"


def read_other(path: Path) -> Iterator[tuple[str, str, str]]:
    """The same for NYSE, NYSE American, NYSE Arca and Cboe listings."""
    for row in csv.DictReader(path.open(encoding="utf-8")):
        if row.get("ETF") != "N" or row.get("Test Issue") != "N":
            continue
        company = company_part(row["Security Name"])
        if company and is_equity(row["Security Name"], company):
            yield row["ACT Symbol"], company, "nyse"


def read_sp500(path: Path) -> dict[str, dict]:
    """Ticker -> GICS sector, sub-industry and headquarters of each S&P 500 constituent."""
    return {row["Symbol"]: row for row in csv.DictReader(path.open(encoding="utf-8"))}


def curated_keys(path: Path = BUNDLED_REGISTRY) -> set[str]:
    """Every folded name and alias of the hand-curated registry: those companies are not rebuilt."""
    records = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("companies", [])
    keys = set()
    for record in records:
        for form in [record["name"], *(record.get("aliases") or []), *(record.get("former_names") or [])]:
            keys |= {normalize_name(str(form)), normalize_name(strip_legal_suffix(str(form)))}
    return keys - {""}


def build(sources: Path = SOURCES, curated: set[str] | None = None) -> list[dict]:
    """The listed-companies records, sorted by name."""
    curated = curated_keys() if curated is None else curated
    sp500 = read_sp500(sources / "sp500-constituents.csv")
    by_key: dict[str, ListedCompany] = {}
    listings = [*read_nasdaq(sources / "nasdaq-listed-symbols.csv"), *read_other(sources / "other-listed.csv")]
    for ticker, legal_name, source in sorted(listings):
        name = display_name(legal_name)
        key = normalize_name(name)
        if len(key) < 2 or not re.search(r"[a-z]", key):
            continue
        company = by_key.setdefault(key, ListedCompany(name, legal_name))
        company.tickers.append(ticker)
        company.sources.append(source)
    records = []
    for key, company in sorted(by_key.items()):
        _add_sp500(company, sp500)
        forms = _forms(company)
        if any(normalize_name(form) in curated or normalize_name(strip_legal_suffix(form)) in curated
               for form in forms):
            continue
        records.append(_record(company, forms))
    return _without_shared_aliases(records)


def _add_sp500(company: ListedCompany, sp500: dict[str, dict]) -> None:
    for ticker in company.tickers:
        row = sp500.get(ticker)
        if row is None:
            continue
        company.sources.append("sp500")
        company.sectors = _GICS_SECTORS.get(row["GICS Sub-Industry"], [])
        place = row["Headquarters Location"].rsplit(",", 1)[-1].strip()
        company.country = _COUNTRIES.get(place, "US")
        security = re.sub(r"\s*\(Class [A-Z]\)", "", row["Security"]).strip()
        if normalize_name(display_name(security)) != normalize_name(company.name):
            company.aliases.append(display_name(security))


def _forms(company: ListedCompany) -> list[str]:
    forms = [company.name]
    if normalize_name(company.legal_name) != normalize_name(company.name):
        forms.append(company.legal_name)
    short = short_form(company.name)
    if short:
        forms.append(short)
    forms.extend(company.aliases)
    return list(dict.fromkeys(form for form in forms if form))


def _record(company: ListedCompany, forms: list[str]) -> dict:
    aliases = [form for form in forms if form != company.name]
    context_forms = [form for form in forms if _needs_context(form)]
    record = {"name": company.name, "aliases": aliases, "tickers": sorted(set(company.tickers)),
              "source": "+".join(sorted(set(company.sources)))}
    if company.country:
        record["country"] = company.country
    if company.sectors:
        record["sectors"] = company.sectors
    if context_forms:
        record["context_forms"] = context_forms
    return record


def _needs_context(form: str) -> bool:
    """A name only in company context: a common word ("Target", "NICE"), a phrase of very common words
    ("United States"), or a short acronym ("AES", the cipher). A written legal form is context enough."""
    bare = strip_legal_suffix(form)
    if normalize_name(bare) != normalize_name(form):
        return False
    words = re.findall(r"[^\W_][\w'’-]*", bare)
    if len(words) == 1:
        return len(words[0]) <= 4 or is_common_word(words[0])
    return all(is_common_word(word, threshold=5.0) for word in words)  # "Public Storage", not "Applied Materials"


def _without_shared_aliases(records: list[dict]) -> list[dict]:
    """An alias two listed companies share names neither for sure ("Alpha" of two firms): drop it."""
    owners: dict[str, set[str]] = {}
    for record in records:
        for form in [record["name"], *record["aliases"]]:
            owners.setdefault(normalize_name(form), set()).add(record["name"])
    for record in records:
        record["aliases"] = [alias for alias in record["aliases"] if len(owners[normalize_name(alias)]) == 1]
        if "context_forms" in record:
            kept = {record["name"], *record["aliases"]}
            record["context_forms"] = [form for form in record["context_forms"] if form in kept]
    return records


def write(records: Iterable[dict], path: Path = LISTED_REGISTRY) -> None:
    payload = {"licence": "ODC-PDDL-1.0 (public domain); see sources/SOURCES.md",
               "generated_by": "python -m patentwire.registry_build", "companies": list(records)}
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=0, sort_keys=False) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    records = build()
    write(records)
    print(f"{len(records):,} listed companies -> {LISTED_REGISTRY}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
