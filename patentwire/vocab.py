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
    """What an organisation is; only companies and patent pools can be parties to a deal."""

    COMPANY = "company"
    POOL = "pool"
    COURT = "court"
    AUTHORITY = "authority"
    RESEARCH = "research"
    NEWS_AGENCY = "news_agency"
    STANDARDS_BODY = "standards_body"


PARTY_KINDS = frozenset({OrgKind.COMPANY, OrgKind.POOL})


class MentionVia(StrEnum):
    """How an organisation mention was found in the text."""

    REGISTRY = "registry"  # a registry name or alias
    LEGAL_SUFFIX = "legal_suffix"  # an unknown name ending in GmbH, Inc., ...
    KONZERN = "konzern"  # German "der X-Konzern"
    DESCRIPTOR = "descriptor"  # "die Finnen", "the South Korean tech giant"
    UNKNOWN = "unknown"  # a capitalised name the context makes an organisation


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
