"""Closed vocabularies shared by every stage (see DESIGN.md, Contracts)."""

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


def values(enum: type[StrEnum]) -> list[str]:
    """The vocabulary as plain strings, for SQL checks and docs."""
    return [member.value for member in enum]
