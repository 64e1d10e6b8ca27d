"""The rows extraction produces, and their JSON form (the `patentwire extract` CLI contract)."""

from __future__ import annotations

import datetime
import hashlib
from pathlib import Path
from dataclasses import dataclass

from patentwire.vocab import CountUnit, DatePrecision, DealStatus, DealType, Qualifier

def _version() -> str:
    """extract-6 plus the shipped model's hash: a retrained model is a new extractor version."""
    model = Path(__file__).resolve().parent.parent / "data" / "model" / "extractor.npz"
    return f"extract-6+{hashlib.sha256(model.read_bytes()).hexdigest()[:8]}" if model.exists() else "extract-6+rules"


EXTRACTOR_VERSION = _version()


@dataclass(frozen=True)
class Evidence:
    """A sentence of the article and where it sits: text[start:end] == sentence."""

    sentence: str
    start: int
    end: int

    def to_dict(self) -> dict:
        return {"sentence": self.sentence, "start": self.start, "end": self.end}

    @classmethod
    def from_dict(cls, data: dict) -> Evidence:
        return cls(data["sentence"], int(data["start"]), int(data["end"]))


@dataclass(frozen=True)
class Party:
    name: str  # as written in the text
    canonical: str  # registry name, or the written name without legal suffix when unknown
    role: str  # "party", "licensor", "licensee", "buyer", "seller", "plaintiff", "defendant", "supplier", "customer"

    def to_dict(self) -> dict:
        return {"name": self.name, "canonical": self.canonical, "role": self.role}

    @classmethod
    def from_dict(cls, data: dict) -> Party:
        return cls(data["name"], data["canonical"], data.get("role", "party"))


@dataclass(frozen=True)
class DealMention:
    parties: tuple[Party, ...]
    types: tuple[DealType, ...]
    date: str | None  # "YYYY", "YYYY-MM" or "YYYY-MM-DD"
    date_precision: DatePrecision | None
    status: DealStatus
    evidence: tuple[Evidence, ...]
    confidence: float | None = None  # the model's probability that the text reports this deal (0-1)

    def to_dict(self) -> dict:
        return {
            "parties": [party.to_dict() for party in self.parties],
            "types": [str(deal_type) for deal_type in self.types],
            "date": self.date,
            "date_precision": None if self.date_precision is None else str(self.date_precision),
            "status": str(self.status),
            "confidence": self.confidence,
            "evidence": [evidence.to_dict() for evidence in self.evidence],
        }

    @classmethod
    def from_dict(cls, data: dict) -> DealMention:
        precision = data.get("date_precision")
        return cls(
            parties=tuple(Party.from_dict(party) for party in data.get("parties", [])),
            types=tuple(DealType(deal_type) for deal_type in data.get("types", [])),
            date=data.get("date"),
            date_precision=DatePrecision(precision) if precision else None,
            status=DealStatus(data.get("status", DealStatus.PRIMARY)),
            evidence=tuple(Evidence.from_dict(evidence) for evidence in data.get("evidence", [])),
            confidence=_confidence(data.get("confidence")),
        )


@dataclass(frozen=True)
class CountMention:
    company: str  # canonical
    name: str  # as written (or the descriptor that pointed to the company)
    value: int
    qualifier: Qualifier
    unit: CountUnit
    period: str | None  # as written: "in den letzten sieben Jahren", "since 2010"
    as_of: str | None  # "YYYY[-MM[-DD]]"
    evidence: tuple[Evidence, ...]
    confidence: float | None = None  # the model's probability that this is the company's portfolio size (0-1)

    def to_dict(self) -> dict:
        return {
            "company": self.company, "name": self.name, "value": self.value,
            "qualifier": str(self.qualifier), "unit": str(self.unit),
            "period": self.period, "as_of": self.as_of, "confidence": self.confidence,
            "evidence": [evidence.to_dict() for evidence in self.evidence],
        }

    @classmethod
    def from_dict(cls, data: dict) -> CountMention:
        return cls(
            company=data["company"], name=data.get("name", data["company"]), value=int(data["value"]),
            qualifier=Qualifier(data.get("qualifier", Qualifier.EXACT)), unit=CountUnit(data.get("unit", CountUnit.PATENTS)),
            period=data.get("period"), as_of=data.get("as_of"),
            evidence=tuple(Evidence.from_dict(evidence) for evidence in data.get("evidence", [])),
            confidence=_confidence(data.get("confidence")),
        )


def _confidence(value: object) -> float | None:
    return None if value is None else float(value)


@dataclass(frozen=True)
class ArticleInput:
    id: str
    text: str
    title: str | None = None
    language: str | None = None
    published: datetime.date | None = None  # the first day of the period `published_precision` names
    url: str | None = None
    published_precision: DatePrecision = DatePrecision.DAY


@dataclass(frozen=True)
class ArticleFacts:
    id: str
    deals: tuple[DealMention, ...]
    counts: tuple[CountMention, ...]

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "extractor_version": EXTRACTOR_VERSION,
            "deals": [deal.to_dict() for deal in self.deals],
            "patent_counts": [count.to_dict() for count in self.counts],
        }

    @classmethod
    def from_dict(cls, data: dict) -> ArticleFacts:
        return cls(
            id=data["id"],
            deals=tuple(DealMention.from_dict(deal) for deal in data.get("deals", [])),
            counts=tuple(CountMention.from_dict(count) for count in data.get("patent_counts", [])),
        )
