"""Closed vocabularies shared by every stage: the values a column or a field may hold, and nothing else.

The warehouse checks every closed column against these (schema.yaml names the vocabulary of each).
"""

from collections.abc import Iterable
from enum import StrEnum


class DealType(StrEnum):
    CROSS_LICENSE = "cross_license"
    LICENSE = "license"
    PATENT_ACQUISITION = "patent_acquisition"
    SETTLEMENT = "settlement"
    LITIGATION = "litigation"
    PARTNERSHIP = "partnership"
    SUPPLY = "supply"


class CountUnit(StrEnum):
    PATENTS = "patents"
    GRANTED_PATENTS = "granted_patents"
    PATENT_APPLICATIONS = "patent_applications"
    PATENT_FAMILIES = "patent_families"


class Qualifier(StrEnum):
    EXACT = "exact"
    ABOUT = "about"
    MORE_THAN = "more_than"
    AT_LEAST = "at_least"
    UP_TO = "up_to"


class DealStatus(StrEnum):
    PRIMARY = "primary"  # announced in this text
    BACKGROUND = "background"  # reported as past context
    RUMOURED = "rumoured"  # talks, plans, rumours
    NEGATED = "negated"  # explicitly not happening


# Which reading of a deal wins when one article tells it several ways: the declaration order above.
STATUS_RANK = {status: rank for rank, status in enumerate(DealStatus)}


class PartyRole(StrEnum):
    """What a party does in a deal; PARTY when the text says no more (a partnership, a cross-licence)."""

    PARTY = "party"
    LICENSOR = "licensor"
    LICENSEE = "licensee"
    BUYER = "buyer"
    SELLER = "seller"
    PLAINTIFF = "plaintiff"
    DEFENDANT = "defendant"
    SUPPLIER = "supplier"
    CUSTOMER = "customer"


class OrgKind(StrEnum):
    """What an organisation is; companies, patent pools, universities and research institutes can be parties."""

    COMPANY = "company"
    POOL = "pool"
    UNIVERSITY = "university"
    RESEARCH_INSTITUTE = "research_institute"
    COURT = "court"
    AUTHORITY = "authority"
    RESEARCH = "research"  # research and analyst firms: organisations, never parties
    NEWS_AGENCY = "news_agency"
    STANDARDS_BODY = "standards_body"
    LAW_FIRM = "law_firm"
    OTHER = "other"  # associations, trade fairs, ...


PARTY_KINDS = frozenset({OrgKind.COMPANY, OrgKind.POOL, OrgKind.UNIVERSITY, OrgKind.RESEARCH_INSTITUTE})


class MentionVia(StrEnum):
    """How an organisation mention was found in the text."""

    REGISTRY = "registry"  # a registry name or alias
    LEGAL_SUFFIX = "legal_suffix"  # an unknown name ending in GmbH, Inc., ...
    KONZERN = "konzern"  # German "der X-Konzern"
    DESCRIPTOR = "descriptor"  # "die Finnen", "the South Korean tech giant"
    UNKNOWN = "unknown"  # a capitalised name the context makes an organisation
    APPOSITION = "apposition"  # "Kestrel Orbital, a satellite startup, ..."
    DESCRIBED = "described"  # after a company noun: "the Munich-based supplier X"
    ABBREVIATION = "abbreviation"  # defined in parentheses: "... Co., Ltd. (HLM)", then "HLM"
    LONG_FORM = "long_form"  # the phrase its abbreviation spells out: "Inductive Charging Licensing Platform (ICLP)"
    FORMER_NAME = "former_name"  # "X, formerly Y": Y, resolved to X
    SHORT_FORM = "short_form"  # an earlier unknown name found again by its first word
    TICKER = "ticker"  # "(NASDAQ: XYZ)"
    INSTITUTION = "institution"  # universities, institutes, courts, authorities by their head words
    LISTED = "listed"  # after an affiliation or list cue, or listed beside a known organisation
    SUBSIDIARY = "subsidiary"  # a known company followed by a country or unit word


class ResolvedBy(StrEnum):
    """How normalize resolved a name to a company, in order of trust."""

    REGISTRY = "registry"  # the canonical name the extractor gave is a registry company
    ALIAS = "alias"  # exact alias lookup
    FUZZY = "fuzzy"  # rapidfuzz match against the registry
    UNKNOWN = "unknown"  # kept under its own name


class AliasKind(StrEnum):
    """Where a company alias comes from (company_aliases.alias_kind), most trusted first."""

    CANONICAL = "canonical"
    REGISTRY = "registry"
    AS_WRITTEN = "as_written"


class NoArticleReason(StrEnum):
    """Why a fetched page holds no article (page_parses.reason, ParsedPage.reason)."""

    EMPTY = "empty"
    TOO_SHORT = "too_short"
    LISTING_PAGE = "listing_page"
    CONSENT_WALL = "consent_wall"
    NOT_HTML = "not_html"
    PDF = "pdf"
    UNDECODABLE = "undecodable"
    TOO_DEEP = "too_deep"  # nested past the HTML parser's depth limit: the tree was cut off


class DatePrecision(StrEnum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


class FetchOutcome(StrEnum):
    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"  # 304, or same content hash
    SKIPPED = "skipped"  # fetched recently, within the refresh period
    FAILED = "failed"


# A fetch whose body is in the page store (what parse reads and a conditional GET sends back).
STORED_OUTCOMES = (FetchOutcome.NEW, FetchOutcome.CHANGED, FetchOutcome.UNCHANGED)


def values(members: type[StrEnum] | Iterable[StrEnum]) -> list[str]:
    """A vocabulary (or some of its members) as plain strings, for SQL and docs."""
    return [member.value for member in members]
