"""One article in, its deals and patent counts out: the sentence loop that ties the rule families together."""

from __future__ import annotations

import datetime
import re
from collections import defaultdict, deque
from dataclasses import dataclass, field, replace
from functools import lru_cache

from patentwire.companies import CompanyRegistry, default_registry
from patentwire.extract.counts import find_count_statements, owner_of
from patentwire.extract.dates import deal_date, explicit_date
from patentwire.extract.deals import (
    DealSignal,
    candidate_parties,
    clause_spans,
    deal_signal,
    is_subsidiary_phrase,
    party_roles,
    without_superseded,
)
from patentwire.extract.model import ArticleFacts, ArticleInput, CountMention, DealMention, Evidence, Party
from patentwire.extract.orgs import (
    Discourse,
    OrgFinder,
    OrgMention,
    connected_unknown_orgs,
    reference_spans,
    refers_to_deal,
    refers_to_pair,
)
from patentwire.extract.sentences import Sentence, split_sentences
from patentwire.vocab import DealStatus, DealType

_STATUS_RANK = {DealStatus.PRIMARY: 0, DealStatus.BACKGROUND: 1, DealStatus.RUMOURED: 2, DealStatus.NEGATED: 3}


@dataclass
class _DealDraft:
    """Deal mentions of one article for one party set and status, merged as they are found."""

    parties: dict[str, OrgMention]
    status: DealStatus
    types: list[DealType] = field(default_factory=list)
    roles: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    sentences: list[Sentence] = field(default_factory=list)


@lru_cache(maxsize=8)
def _finder(registry: CompanyRegistry) -> OrgFinder:
    return OrgFinder(registry)


def guess_language(text: str) -> str:
    import py3langid  # imported lazily: its model loads on first use and only when no language is given

    return py3langid.classify(text)[0]


def extract_article(article: ArticleInput, registry: CompanyRegistry | None = None) -> ArticleFacts:
    """Deals and patent counts stated in one article, each with its evidence sentence."""
    registry = registry or default_registry()
    finder = _finder(registry)
    language = article.language or guess_language(article.text)
    title = article.title or ""
    title_parties = candidate_parties(finder.named_mentions(title), title) if title else []
    discourse = Discourse(title_names=frozenset(mention.canonical for mention in title_parties))
    discourse.remember(title_parties)
    main_pair = title_parties if len(title_parties) == 2 else []
    title_signal = deal_signal(title) if title else None
    # the modality of the article's main deal carries over to sentences that only point back at it
    main_status = title_signal.status if title_signal and main_pair else None
    title_names = {mention.canonical for mention in title_parties}
    headline_types = title_signal.types if title_signal else ()
    unknown_names = UnknownNames()

    drafts: dict[tuple[frozenset[str], DealStatus], _DealDraft] = {}
    counts: dict[tuple, CountMention] = {}
    recent: deque[list[OrgMention]] = deque([title_parties], maxlen=2)  # parties of the previous sentences
    for sentence in split_sentences(article.text):
        mentions = unknown_names.add_mentions(sentence.text, finder.mentions(sentence.text, language, discourse))
        if deal_signal(sentence.text, context=title) is not None:
            unknown = connected_unknown_orgs(sentence.text, mentions, language)
            unknown_names.learn(unknown + mentions)
            mentions = sorted(mentions + unknown, key=lambda m: m.start)
        for clause, clause_mentions in _clauses(sentence.text, mentions):
            signal = deal_signal(clause, context=title)
            if signal is None:
                continue
            legal_dispute = bool({DealType.LITIGATION, DealType.SETTLEMENT, DealType.PATENT_ACQUISITION}
                                 & set(signal.types))
            groups = _party_groups(clause, language, clause_mentions, main_pair, recent, registry, legal_dispute,
                                   title_parties)
            for parties, continued in groups:
                status = _status(signal, clause, parties, article.published, title_parties, title_signal)
                if len(groups) >= 3 and not {m.canonical for m in parties} <= title_names and status is DealStatus.PRIMARY:
                    status = DealStatus.BACKGROUND  # "has licensed Apple, Samsung, Huawei and Oppo": a track record
                if continued and main_status not in (None, DealStatus.PRIMARY) and status is DealStatus.PRIMARY:
                    status = main_status
                if not main_pair and signal.status is DealStatus.PRIMARY:
                    main_pair = parties[:2]
                main_status = main_status or status
                names = {m.canonical for m in parties}
                known_pair = names == {m.canonical for m in main_pair} or names <= title_names
                types = signal.types_for(known_pair, headline_types)
                if types:
                    _add_deal(drafts, parties, status, types, signal, clause, sentence, language)
        _add_counts(counts, sentence, language, mentions, discourse)
        discourse.remember(mentions)
        recent.append([mention for mention in mentions if mention.can_be_party])
    deals = tuple(_finish_deal(draft, article.published) for draft in drafts.values())
    deals = tuple(sorted(deals, key=lambda deal: (_STATUS_RANK[deal.status], deal.evidence[0].start)))
    return ArticleFacts(article.id, deals, tuple(counts.values()))


def _party_groups(sentence: str, language: str | None, mentions: list[OrgMention], main_pair: list[OrgMention],
                  recent: deque[list[OrgMention]], registry: CompanyRegistry,
                  legal_dispute: bool = False, title_parties: list[OrgMention] = ()) -> list[tuple[list[OrgMention], bool]]:
    """The party sets of the deals a trigger sentence speaks of (usually one pair).

    Three or more parties: the first named (the subject) deals with each of the others ("Infineon will
    supply Hyundai and Kia"). One party: the article's main pair when it is one of them, else, in a legal
    dispute, the only other party named just before ("Geklagt hatte Nokia" after a sentence about Oppo). None: the main pair when
    the sentence points back at it ("both companies", "the agreement"). The flag says the set came
    from the main pair rather than from names in the sentence.
    """
    parties = _without_subsidiaries(candidate_parties(mentions, sentence), sentence, registry)
    if len(parties) >= 3:
        return [([parties[0], other], False) for other in parties[1:]]
    if len(parties) == 2:
        return [(parties, False)]
    title_names = {mention.canonical for mention in title_parties}
    main_names = {mention.canonical for mention in main_pair}
    bystanders = {m.canonical for m in mentions if m.can_be_party} - {m.canonical for m in parties}
    if parties and bystanders:
        return []  # "Sunwoda supplies several carmakers, including Volkswagen": the deal is with bystanders
    if parties and parties[0].canonical in main_names or not parties and main_pair and (
            refers_to_pair(sentence, language) or refers_to_deal(sentence, language)):
        written = {mention.canonical: mention for mention in parties}
        return [([written.get(mention.canonical, mention) for mention in main_pair], True)]
    if len(parties) == 1 and len(title_parties) >= 3 and parties[0].canonical in title_names \
            and title_parties[0].canonical != parties[0].canonical:
        # "InterDigital signs licences with Samsung and TCL": the headline's subject deals with each
        return [([title_parties[0], parties[0]], False)]
    if len(parties) == 1 and not main_pair and legal_dispute:
        # a suit names its other side nearby; only an unambiguous one is taken
        others = {m.canonical: m for group in recent for m in group
                  if m.canonical != parties[0].canonical and not _related(m.canonical, parties[0].canonical, registry)}
        if len(others) == 1:
            return [([*others.values(), parties[0]], False)]
    return []


def _related(a: str, b: str, registry: CompanyRegistry) -> bool:
    """Parent and subsidiary: they stand on one side of a deal, not on both."""
    company_a, company_b = registry.get(a), registry.get(b)
    return bool(company_a and company_a.parent == b or company_b and company_b.parent == a)


def _without_subsidiaries(parties: list[OrgMention], sentence: str, registry: CompanyRegistry) -> list[OrgMention]:
    """Drop a party the sentence itself presents as a subsidiary of another party ("Lenovo und dessen Tochter
    Motorola"); a subsidiary the registry knows but the text names as an equal ("Hyundai and Kia") stays."""
    kept = []
    for mention in parties:
        company = registry.get(mention.canonical)
        owner = next((other for other in parties if other.end <= mention.start and (
            company is not None and company.parent == other.canonical)), None)
        if owner is not None and is_subsidiary_phrase(sentence[owner.end:mention.start]):
            continue
        kept.append(mention)
    return kept


class UnknownNames:
    """Unknown organisations named in this article, found again by their full or short name
    ("Quantenfeld Systems GmbH" ... "Quantenfeld will license ...")."""

    def __init__(self) -> None:
        self._forms: dict[str, tuple[str, str]] = {}  # written form -> (canonical, kind)

    def learn(self, mentions: list[OrgMention]) -> None:
        for mention in mentions:
            if mention.via not in ("legal_suffix", "unknown"):
                continue
            self._forms.setdefault(mention.canonical, (mention.canonical, mention.kind))
            first = mention.canonical.split()[0]
            if len(mention.canonical.split()) > 1 and len(first) >= 4 and first[0].isupper():
                self._forms.setdefault(first, (mention.canonical, mention.kind))

    def add_mentions(self, sentence: str, mentions: list[OrgMention]) -> list[OrgMention]:
        found = list(mentions)
        for form, (canonical, kind) in sorted(self._forms.items(), key=lambda item: -len(item[0])):
            for match in re.finditer(rf"(?<![\w-]){re.escape(form)}(?![\w-])", sentence):
                candidate = OrgMention(match.start(), match.end(), form, canonical, kind, None, "unknown")
                if not any(candidate.start < other.end and other.start < candidate.end for other in found):
                    found.append(candidate)
        return sorted(found, key=lambda mention: mention.start)


def _status(signal: DealSignal, sentence: str, parties: list[OrgMention], published: datetime.date | None,
            title_parties: list[OrgMention], title_signal: DealSignal | None) -> DealStatus:
    if signal.status is not DealStatus.PRIMARY:
        return signal.status
    written = explicit_date(sentence)
    if published and written and int(written.value[:4]) < published.year:
        return DealStatus.BACKGROUND  # an event dated in an earlier year is context, not the news
    return DealStatus.PRIMARY


def _clauses(sentence: str, mentions: list[OrgMention]) -> list[tuple[str, list[OrgMention]]]:
    """Clauses of the sentence with their own mentions (offsets made clause-local)."""
    spans = clause_spans(sentence)
    if len(spans) == 1:
        return [(sentence, mentions)]
    return [(sentence[start:end], [replace(m, start=m.start - start, end=m.end - start)
                                   for m in mentions if start <= m.start and m.end <= end])
            for start, end in spans]


def _add_deal(drafts: dict, parties: list[OrgMention], status: DealStatus, types: tuple[DealType, ...],
              signal: DealSignal, clause: str, sentence: Sentence, language: str | None) -> None:
    key = (frozenset(mention.canonical for mention in parties), status)
    draft = drafts.get(key)
    if draft is None:
        draft = drafts[key] = _DealDraft({mention.canonical: mention for mention in parties}, status)
    for deal_type in types:
        if deal_type not in draft.types:
            draft.types.append(deal_type)
        roles = party_roles(deal_type, parties, clause, signal.trigger_spans, language)
        for canonical, role in roles.items():
            draft.roles[canonical].add(role)
    for mention in parties:  # a registry name beats a descriptor as the written form of a party
        if draft.parties[mention.canonical].via == "descriptor" and mention.via != "descriptor":
            draft.parties[mention.canonical] = mention
    if sentence not in draft.sentences:
        draft.sentences.append(sentence)


def _finish_deal(draft: _DealDraft, published: datetime.date | None) -> DealMention:
    parties = tuple(Party(mention.name, canonical, _single_role(draft.roles[canonical]))
                    for canonical, mention in draft.parties.items())
    texts = [sentence.text for sentence in draft.sentences]
    if draft.status is DealStatus.PRIMARY:
        date = deal_date(texts, published)
    else:
        date = next((found for found in map(explicit_date, texts) if found), None)
    return DealMention(
        parties=parties, types=tuple(sorted(without_superseded(draft.types, "deal"), key=list(DealType).index)),
        date=date.value if date else None, date_precision=date.precision if date else None,
        status=draft.status,
        evidence=tuple(Evidence(sentence.text, sentence.start, sentence.end) for sentence in draft.sentences),
    )


def _single_role(roles: set[str]) -> str:
    specific = roles - {"party"}
    return specific.pop() if len(specific) == 1 else "party"


def _add_counts(counts: dict, sentence: Sentence, language: str | None, mentions: list[OrgMention],
                discourse: Discourse) -> None:
    previous_unit = next(reversed(counts.values())).unit if counts else None
    statements = find_count_statements(sentence.text, language, previous_unit)
    if not statements:
        return
    has_reference = bool(reference_spans(sentence.text, language))
    fallback = (discourse.subject or discourse.most_recent()) if has_reference or not mentions else None
    for statement in statements:
        owner = owner_of(statement, mentions, fallback)
        if owner is None:
            continue
        key = (owner.canonical, statement.value, statement.unit)
        evidence = Evidence(sentence.text, sentence.start, sentence.end)
        if key in counts:
            continue  # the same figure repeated later adds nothing
        counts[key] = CountMention(
            company=owner.canonical, name=owner.name, value=statement.value, qualifier=statement.qualifier,
            unit=statement.unit, period=statement.period, as_of=_as_of(statement.as_of),
            evidence=(evidence,),
        )


def _as_of(written: str | None) -> str | None:
    if not written:
        return None
    found = explicit_date(f"in {written}")
    if found:
        return found.value
    year = re.search(r"(?:19|20)\d\d", written)
    return year.group() if year else None
