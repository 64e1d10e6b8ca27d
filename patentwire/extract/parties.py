"""Which organisations of a deal sentence are its parties, and which pairs they form.

Context decides as much as the sentence: the article's main pair (from the headline or the first
deal), the headline's subject, and the parties named just before.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from patentwire.companies import CompanyRegistry
from patentwire.extract.deals import (
    candidate_parties,
    coordinated_subject_count,
    is_possessive_subsidiary,
    is_subsidiary_phrase,
)
from patentwire.extract.forms import FormIndex
from patentwire.extract.orgs import OrgMention, refers_to_deal, refers_to_pair


@dataclass
class PartyContext:
    """What the article has established about its parties so far."""

    registry: CompanyRegistry
    title_parties: list[OrgMention]
    main_pair: list[OrgMention] = field(default_factory=list)
    recent: deque = field(default_factory=lambda: deque(maxlen=2))  # parties of the previous sentences
    # "Samsung will provide radios, while NEC will supply antennas": NEC takes Samsung's place opposite Vodafone
    parallel_partner: OrgMention | None = None

    @property
    def title_names(self) -> set[str]:
        return {mention.canonical for mention in self.title_parties}

    @property
    def main_names(self) -> set[str]:
        return {mention.canonical for mention in self.main_pair}


def party_groups(sentence: str, language: str | None, mentions: list[OrgMention], context: PartyContext,
                 legal_dispute: bool = False) -> list[tuple[list[OrgMention], bool]]:
    """The party sets of the deals a trigger sentence speaks of (usually one pair).

    Three or more parties: the first named (the subject) deals with each of the others ("Infineon will
    supply Hyundai and Kia"). Two: that pair. One: the main pair when it is one of them; the headline's
    subject when the headline names several partners; else, in a legal dispute or patent sale, the only
    other party named just before ("Geklagt hatte Nokia" after a sentence about Oppo). None: the main
    pair when the sentence points back at it ("both companies", "the agreement"). The flag says the
    set came from the main pair (or a clause parallel to it) rather than from names in the sentence.
    """
    parties = without_subsidiaries(candidate_parties(mentions, sentence), sentence, context.registry)
    subjects = coordinated_subject_count(sentence, parties)
    if subjects:  # "Mercedes-Benz and BMW have signed licences with Avanci": each subject with Avanci
        return [([subject, partner], False) for subject in parties[:subjects] for partner in parties[subjects:]
                if not related(subject.canonical, partner.canonical, context.registry)]
    if len(parties) >= 2:
        # "Sharp, a unit of Foxconn, sued Oppo": a parent or subsidiary is never the other side
        groups = [([parties[0], other], False) for other in parties[1:]
                  if not related(parties[0].canonical, other.canonical, context.registry)]
        return groups if len(parties) >= 3 or groups else []
    bystanders = {m.canonical for m in mentions if m.can_be_party} - {m.canonical for m in parties}
    bystanders = {name for name in bystanders if not _belongs_to(name, context.main_names, context.registry)}
    if parties and bystanders:
        return []  # "Sunwoda supplies several carmakers, including Volkswagen": the deal is with bystanders
    if _continues_main_pair(sentence, language, parties, context):
        if len(parties) == 1:
            context.parallel_partner = next((m for m in context.main_pair if m.canonical != parties[0].canonical), None)
        written = {mention.canonical: mention for mention in parties}
        return [([written.get(mention.canonical, mention) for mention in context.main_pair], True)]
    if not parties and not context.main_pair and refers_to_pair(sentence, language):
        named_before = _recent_pair(context)
        if named_before:
            return [(named_before, False)]
    if len(parties) == 1 and context.parallel_partner is not None:
        return [([context.parallel_partner, parties[0]], True)]
    if len(parties) == 1:
        partner = _headline_subject(parties[0], context) or (
            _recent_counterparty(parties[0], context) if legal_dispute and not context.main_pair else None)
        if partner is not None:
            return [([partner, parties[0]], False)]
    return []


def _continues_main_pair(sentence: str, language: str | None, parties: list[OrgMention],
                         context: PartyContext) -> bool:
    if parties:
        return parties[0].canonical in context.main_names
    return bool(context.main_pair) and (refers_to_pair(sentence, language) or refers_to_deal(sentence, language))


def _recent_pair(context: PartyContext) -> list[OrgMention]:
    """'die beiden Konkurrenten' right after a sentence that named exactly two parties: those two."""
    previous = {mention.canonical: mention for mention in (context.recent[-1] if context.recent else [])}
    return list(previous.values()) if len(previous) == 2 else []


def _headline_subject(party: OrgMention, context: PartyContext) -> OrgMention | None:
    """'InterDigital signs licences with Samsung and TCL': the headline's subject deals with each."""
    title = context.title_parties
    if len(title) >= 3 and party.canonical in context.title_names and title[0].canonical != party.canonical:
        return title[0]
    return None


def _recent_counterparty(party: OrgMention, context: PartyContext) -> OrgMention | None:
    """A suit or patent sale names its other side nearby; only an unambiguous one is taken."""
    others = {m.canonical: m for group in context.recent for m in group
              if m.canonical != party.canonical and not related(m.canonical, party.canonical, context.registry)}
    return next(iter(others.values())) if len(others) == 1 else None


def related(a: str, b: str, registry: CompanyRegistry) -> bool:
    """Parent and subsidiary: they stand on one side of a deal, not on both."""
    company_a, company_b = registry.get(a), registry.get(b)
    return bool(company_a and company_a.parent == b or company_b and company_b.parent == a)


def without_subsidiaries(parties: list[OrgMention], sentence: str, registry: CompanyRegistry) -> list[OrgMention]:
    """Drop a party the sentence itself presents as a subsidiary of another party ("Lenovo und dessen Tochter
    Motorola"); a subsidiary the registry knows but the text names as an equal ("Hyundai and Kia") stays."""
    kept = []
    described = {owner.canonical for owner, unit in zip(parties, parties[1:])
                 if _is_parent(owner, unit, registry) and is_possessive_subsidiary(sentence[owner.end:unit.start])}
    parties = [mention for mention in parties if mention.canonical not in described]
    for mention in parties:
        company = registry.get(mention.canonical)
        owner = next((other for other in parties if other.end <= mention.start
                      and company is not None and company.parent == other.canonical), None)
        if owner is not None and is_subsidiary_phrase(sentence[owner.end:mention.start]):
            continue
        kept.append(mention)
    return kept


def _belongs_to(name: str, owners: set[str], registry: CompanyRegistry) -> bool:
    """A brand or unit of one of `owners` ("Modelle der Marken Audi und Porsche" in a Volkswagen deal)."""
    company = registry.get(name)
    return company is not None and company.parent in owners


def _is_parent(owner: OrgMention, unit: OrgMention, registry: CompanyRegistry) -> bool:
    company = registry.get(unit.canonical)
    return company is not None and company.parent == owner.canonical


class UnknownNames:
    """Unknown organisations named in this article, found again by their full or short name
    ("Quantenfeld Systems GmbH" ... "Quantenfeld will license ...")."""

    def __init__(self) -> None:
        self._forms: dict[str, tuple[str, str]] = {}  # written form -> (canonical, kind)
        self._index = FormIndex()

    def learn(self, mentions: list[OrgMention]) -> None:
        for mention in mentions:
            if mention.via not in ("legal_suffix", "unknown"):
                continue
            self._learn_form(mention.canonical, mention)
            words = mention.canonical.split()
            if len(words) > 1 and len(words[0]) >= 4 and words[0][0].isupper():
                self._learn_form(words[0], mention)

    def _learn_form(self, form: str, mention: OrgMention) -> None:
        if form not in self._forms:
            self._forms[form] = (mention.canonical, mention.kind)
            self._index.add(form)

    def add_mentions(self, sentence: str, mentions: list[OrgMention]) -> list[OrgMention]:
        found = list(mentions)
        # longest forms first, then the earlier learned, then in text order: as one regex per form would
        for occurrence in sorted(self._index.occurrences(sentence),
                                 key=lambda occurrence: (-len(occurrence.form), occurrence.order, occurrence.start)):
            canonical, kind = self._forms[occurrence.form]
            candidate = OrgMention(occurrence.start, occurrence.end, occurrence.form, canonical, kind, None, "unknown")
            if not any(candidate.start < other.end and other.start < candidate.end for other in found):
                found.append(candidate)
        return sorted(found, key=lambda mention: mention.start)
