"""One article in, its deals and patent counts out: the sentence loop that ties the rule families together."""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache

from patentwire.companies import CompanyRegistry, default_registry
from patentwire.extract.counts import CountStatement, find_count_statements, owner_of, states_aggregate
from patentwire.extract.dates import deal_date, explicit_date, period_reference
from patentwire.extract.deals import (
    DealSignal,
    candidate_parties,
    clause_spans,
    deal_signal,
    pair_window,
    party_roles,
    reports_done_deal,
    reports_news,
    sets_in_past,
    trigger_clause,
    without_existing_tie,
    without_superseded,
)
from patentwire.extract.decisions import (
    COUNT_HEAD,
    MAX_EVIDENCE_SENTENCES,
    PAIR_HEAD,
    TYPE_HEADS,
    ArticleView,
    CountCandidate,
    Model,
    PairCandidate,
    SentenceRead,
    count_features,
    load_model,
    pair_features,
)
from patentwire.extract.language import conjunctions, profile
from patentwire.extract.lexicon import deals_lexicon
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
from patentwire.extract.parties import PartyContext, UnknownNames, party_groups
from patentwire.extract.sentences import Sentence, split_sentences
from patentwire.vocab import STATUS_RANK, DatePrecision, DealStatus, DealType

# types whose counterpart is often named only in the sentence before ("Geklagt hatte Nokia")
_MAX_ORGS_PAIRED = 8  # a sentence listing more organisations is a list, not eight deals
_NEARBY_COUNTERPARTY_TYPES = frozenset({DealType.LITIGATION, DealType.SETTLEMENT, DealType.PATENT_ACQUISITION})


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


def extract_article(article: ArticleInput, registry: CompanyRegistry | None = None,
                    model: Model | None | bool = True) -> ArticleFacts:
    """Deals and patent counts stated in one article, each with its evidence sentence and confidence.

    The rules read the article and propose; the shipped model (`model=True`) decides. `model=None` gives
    the rules' own verdicts, for comparison and as the fallback of a package without a model."""
    reading = read_article(article, registry)
    chosen = load_model() if model is True else model or None
    facts = decide(reading, chosen) if chosen is not None else reading.rule_facts
    return under_current_names(facts, reading.current_name)


def read_article(article: ArticleInput, registry: CompanyRegistry | None = None) -> Reading:
    """The rules' reading of one article: their own facts, and the candidates a model decides on."""
    reader = _ArticleReader(article, registry or default_registry())
    for sentence in split_sentences(article.text):
        reader.read(sentence)
    return reader.reading()


class _ArticleReader:
    """Reads an article sentence by sentence, keeping what earlier sentences established."""

    def __init__(self, article: ArticleInput, registry: CompanyRegistry):
        self.article = article
        self.finder = _finder(registry)
        self.language = article.language or guess_language(article.text)
        self.profile = profile(self.language)
        self.title = article.title or ""
        title_parties = candidate_parties(self.finder.named_mentions(self.title), self.title) if self.title else []
        self.parties = PartyContext(registry, title_parties, title_parties if len(title_parties) == 2 else [])
        self.parties.recent.append(title_parties)
        self.discourse = Discourse(title_names=frozenset(mention.canonical for mention in title_parties),
                                   article_text=article.text)
        self.discourse.remember(title_parties)
        self.title_signal = deal_signal(self.title) if self.title else None
        # the modality of the article's main deal carries over to sentences that only point back at it
        self.main_status = self.title_signal.status if self.title_signal and self.parties.main_pair else None
        self.unknown_names = UnknownNames()
        self.drafts: dict[tuple[frozenset[str], DealStatus], _DealDraft] = {}
        self.counts: dict[tuple, CountMention] = {}
        self.first_sentence_naming: dict[str, Sentence] = {}  # canonical -> first sentence that names it
        self.main_pair_sentence: Sentence | None = None  # where the body first set the main pair (None: title)
        self.sentence: Sentence | None = None
        self.lead_sentence: Sentence | None = None
        title_sentence = Sentence(self.title, 0, len(self.title))
        self.reads: list[SentenceRead] = [SentenceRead(
            -1, title_sentence, tuple(title_parties), self.title_signal, cues=self.profile.cued_types(self.title))] \
            if self.title else []
        self.count_candidates: list[CountCandidate] = []
        self.body_sentences = 0

    def read(self, sentence: Sentence) -> None:
        self.sentence = sentence
        self.lead_sentence = self.lead_sentence or sentence
        mentions = self.unknown_names.add_mentions(
            sentence.text, self.finder.mentions(sentence.text, self.language, self.discourse))
        if deal_signal(sentence.text) is not None:
            unknown = connected_unknown_orgs(sentence.text, mentions, self.language)
            self.unknown_names.learn(unknown + mentions)
            mentions = sorted(mentions + unknown, key=lambda mention: mention.start)
        self.parties.parallel_partner = None
        party_capable = tuple(m for m in mentions if m.can_be_party)
        candidates = {m.canonical for m in candidate_parties(list(party_capable), sentence.text)}
        self.reads.append(SentenceRead(
            self.body_sentences, sentence, party_capable, deal_signal(sentence.text),
            refers_to_pair(sentence.text, self.language) or refers_to_deal(sentence.text, self.language),
            self.profile.cued_types(sentence.text), frozenset(m.canonical for m in party_capable) - candidates))
        self.body_sentences += 1
        for clause, clause_mentions in _clauses(sentence.text, mentions):
            self._read_deals(clause, clause_mentions, sentence)
        self._read_counts(sentence, mentions)
        for mention in mentions:
            self.first_sentence_naming.setdefault(mention.canonical, sentence)
        self.discourse.learn_renamings(sentence.text, mentions)
        self.discourse.remember(mentions)
        self.parties.recent.append([mention for mention in mentions if mention.can_be_party])

    def _read_deals(self, clause: str, mentions: list[OrgMention], sentence: Sentence) -> None:
        signal = deal_signal(clause)
        if signal is None:
            return
        nearby_counterparty = bool(_NEARBY_COUNTERPARTY_TYPES & set(signal.types))
        groups = party_groups(clause, self.language, mentions, self.parties, nearby_counterparty)
        whole_clause, whole_signal = clause, signal
        for parties, continued in groups:
            clause, signal = whole_clause, whole_signal
            if len(groups) >= 2 and not continued:
                # one subject, several partners: each pair keeps only its own stretch of the sentence
                clause = pair_window(whole_clause, (parties[1].start, parties[1].end), whole_signal.trigger_spans)
                signal = deal_signal(clause)
                if signal is None:
                    continue
                last_name_end = max(mention.end for mention in mentions)
                if signal.status is DealStatus.PRIMARY and (sets_in_past(whole_clause[:parties[0].start])
                                                            or sets_in_past(whole_clause[last_name_end:])):
                    signal = replace(signal, status=DealStatus.BACKGROUND)
            status = self._status(signal, clause, parties, continued, several=len(groups) >= 3)
            names = {mention.canonical for mention in parties}
            known_pair = continued or names == self.parties.main_names or names <= self.parties.title_names
            types = signal.types_for(known_pair, self.title_signal.types if self.title_signal else ())
            if not types:
                continue
            # only a vouched deal makes the article's main pair ("liefert ein Smartphone ab" does not)
            if not self.parties.main_pair and signal.status is not DealStatus.NEGATED:
                self.parties.main_pair = parties[:2]
                self.main_pair_sentence = sentence
            self.main_status = self.main_status or status
            self._add_deal(parties, status, types, signal, clause, sentence)

    def _status(self, signal: DealSignal, clause: str, parties: list[OrgMention], continued: bool,
                several: bool) -> DealStatus:
        status = signal.status
        published = self.article.published
        written = explicit_date(without_existing_tie(trigger_clause(clause, signal.trigger_spans)))
        if status is DealStatus.PRIMARY and published and written and int(written.value[:4]) < published.year:
            status = DealStatus.BACKGROUND  # an event dated in an earlier year is context, not the news
        in_title = {mention.canonical for mention in parties} <= self.parties.title_names
        if status is DealStatus.PRIMARY and several and not in_title and not reports_done_deal(clause) \
                and not reports_done_deal(self.sentence.text):
            status = DealStatus.BACKGROUND  # "has licensed Apple, Samsung, Huawei and Oppo": a track record
        if status is DealStatus.PRIMARY and not continued and self._later_pair(parties) \
                and not reports_news(clause):
            status = DealStatus.BACKGROUND  # "Nokia licenses its patents via Avanci": the release's news came first
        if status is DealStatus.PRIMARY and continued and self.main_status not in (None, DealStatus.PRIMARY) \
                and not reports_done_deal(clause):
            status = self.main_status  # "the companies" of a denied or rumoured deal, unless now it is done
        return status

    def _later_pair(self, parties: list[OrgMention]) -> bool:
        """Another pair than the article's main one, in a sentence after the one that set the main pair."""
        names = {mention.canonical for mention in parties}
        if not self.parties.main_pair or names == self.parties.main_names or names <= self.parties.title_names:
            return False
        # the lead sentence after the headline is the release's news whatever pair it names
        return self.main_pair_sentence is not self.sentence and self.sentence is not self.lead_sentence

    def _add_deal(self, parties: list[OrgMention], status: DealStatus, types: tuple[DealType, ...],
                  signal: DealSignal, clause: str, sentence: Sentence) -> None:
        key = (frozenset(mention.canonical for mention in parties), status)
        draft = self.drafts.get(key)
        if draft is None:
            draft = self.drafts[key] = _DealDraft({mention.canonical: mention for mention in parties}, status)
        for deal_type in types:
            if deal_type not in draft.types:
                draft.types.append(deal_type)
            for canonical, role in party_roles(deal_type, parties, clause, signal.trigger_spans,
                                               self.language).items():
                draft.roles[canonical].add(role)
        for mention in parties:  # a registry name beats a descriptor as the written form of a party
            if draft.parties[mention.canonical].via == "descriptor" and mention.via != "descriptor":
                draft.parties[mention.canonical] = mention
        if sentence not in draft.sentences:
            draft.sentences.append(sentence)

    def _read_counts(self, sentence: Sentence, mentions: list[OrgMention]) -> None:
        previous_unit = next(reversed(self.counts.values())).unit if self.counts else None
        statements = find_count_statements(sentence.text, self.language, previous_unit, broad=True)
        if not statements:
            return
        has_reference = bool(reference_spans(sentence.text, self.language))
        named = [mention for mention in mentions if mention.can_be_party and mention.via != "descriptor"]
        # a sentence of its own about an office ("the USPTO granted 320,000") or a total is no company's count
        unowned = not named and not has_reference and (states_aggregate(sentence.text) or any(not mention.can_be_party for mention in mentions))
        fallback = (self.discourse.subject or self.discourse.most_recent()) \
            if (has_reference or not named) and not unowned else None
        context_owners = [mention for mention in (self.discourse.subject, self.discourse.most_recent(),
                                                  *self.parties.title_parties) if mention is not None]
        for statement in statements:
            owner = owner_of(statement, mentions, fallback, sentence.text)
            self._propose_owners(statement, owner, named + [m for m in mentions if m.via == "descriptor"],
                                 context_owners)
            if statement.rejected:
                continue  # the rules take a transfer, rate or total for no portfolio; the model may weigh it
            if owner is None or (owner.canonical, statement.value, statement.unit) in self.counts:
                continue  # no owner, or the same figure repeated later
            self.counts[(owner.canonical, statement.value, statement.unit)] = CountMention(
                company=owner.canonical, name=owner.name, value=statement.value, qualifier=statement.qualifier,
                unit=statement.unit, period=statement.period, as_of=_as_of(statement.as_of, self.article.published),
                evidence=(Evidence(sentence.text, sentence.start, sentence.end),),
            )

    def _propose_owners(self, statement: CountStatement, rule_owner: OrgMention | None,
                        in_sentence: list[OrgMention], context: list[OrgMention]) -> None:
        """Every organisation that might own the figure: those named in the sentence, the rules' choice,
        and the article's current subject and headline parties."""
        read = self.reads[-1]
        seen: set[str] = set()
        options = [(m, True) for m in in_sentence if m.can_be_party]
        if rule_owner is not None:
            options.append((rule_owner, any(m.canonical == rule_owner.canonical for m in in_sentence)
                            or rule_owner.via == "unknown" and rule_owner.start < len(read.sentence.text)))
        options += [(m, False) for m in context]
        for mention, named_here in options:
            if mention.canonical in seen or not mention.can_be_party:
                continue
            seen.add(mention.canonical)
            self.count_candidates.append(CountCandidate(
                read, statement, mention, named_here,
                rule_owner is not None and mention.canonical == rule_owner.canonical))

    def reading(self) -> Reading:
        rule_facts = self.facts()
        return Reading(self.article, rule_facts, self._pair_candidates(), self.count_candidates, self._view(),
                       self.reads, self.discourse.current_name)

    def _most_named_pair(self) -> dict[str, OrgMention] | None:
        """The two party-capable organisations named most (a release is mostly about its two parties),
        as first written; None when the article names fewer than two."""
        ranked = [name for name, _ in self.discourse.frequency.most_common(2)]
        if len(ranked) < 2:
            return None
        written = {}
        for read in self.reads:
            for mention in read.parties:
                if mention.canonical in ranked:
                    written.setdefault(mention.canonical, mention)
        return written if len(written) == 2 else None

    def _view(self) -> ArticleView:
        frequency = self.discourse.frequency
        ranked = [name for name, _ in frequency.most_common()]
        first_index: dict[str, int] = {}
        for read in self.reads:
            for mention in read.parties:
                first_index.setdefault(mention.canonical, read.index)
        return ArticleView(frozenset(self.parties.title_names), {name: rank + 1 for rank, name in enumerate(ranked)},
                           first_index, tuple(self.reads))

    def _pair_candidates(self) -> list[PairCandidate]:
        """Pairs that share a deal sentence (or the headline), and every party set the rules made a deal of."""
        candidates: dict[frozenset[str], PairCandidate] = {}
        for read in self.reads:
            if not read.proposes:
                continue
            unique = list({m.canonical: m for m in read.parties}.values())[:_MAX_ORGS_PAIRED]
            for index, first in enumerate(unique):
                for second in unique[index + 1:]:
                    names = frozenset((first.canonical, second.canonical))
                    candidate = candidates.setdefault(names, PairCandidate(names, {m.canonical: m for m in (first, second)}))
                    candidate.sentences.append(read)
        main = self._most_named_pair()
        if main is not None and any(read.proposes for read in self.reads):
            names = frozenset(main)
            candidates.setdefault(names, PairCandidate(names, main))
        by_sentence = {read.sentence: read for read in self.reads if read.index >= 0}
        for (names, status), draft in sorted(self.drafts.items(), key=lambda item: STATUS_RANK[item[0][1]]):
            candidate = candidates.get(names)
            if candidate is None:
                candidate = candidates[names] = PairCandidate(names, dict(draft.parties))
            if candidate.rule_status is None:  # the most decided verdict of the rules wins (primary first)
                candidate.rule_status, candidate.rule_types = status, tuple(draft.types)
                candidate.rule_sentences = tuple(draft.sentences)
                candidate.rule_roles = {name: _single_role(draft.roles[name]) for name in draft.parties}
            for sentence in draft.sentences:
                read = by_sentence.get(sentence)
                if read is not None and read not in candidate.sentences:
                    candidate.sentences.append(read)
        for candidate in candidates.values():
            candidate.sentences.sort(key=lambda read: read.index)
        return list(candidates.values())

    def _deal_from_headline(self) -> None:
        """A headline that announces a deal between two parties the body never pairs up ("Nokia and Xiaomi
        sign patent deal" over a text of "the Finnish company" and "the Beijing-based maker"), or pairs up only
        as history ("extending a partnership that began in 2019"), still counts; its evidence is the first
        body sentence that names one of them."""
        pair, signal = self.parties.title_parties, self.title_signal
        if len(pair) != 2 or signal is None or signal.status is not DealStatus.PRIMARY:
            return
        names = frozenset(mention.canonical for mention in pair)
        if any(key[0] == names and key[1] is not DealStatus.BACKGROUND for key in self.drafts):
            return  # the body reports it (or knows it is only talks or denied); history alone does not count
        if any(key[1] in (DealStatus.RUMOURED, DealStatus.NEGATED) and key[0] & names
               and set(draft.types) & set(signal.types) for key, draft in self.drafts.items()):
            return  # "Samsung to supply Apple" over a body that only reports it from sources
        named = [self.first_sentence_naming[name] for name in names if name in self.first_sentence_naming]
        sentence = min(named, key=lambda sentence: sentence.start, default=None)
        if sentence is not None:
            self._add_deal(pair, DealStatus.PRIMARY, signal.types, signal, self.title, sentence)

    def facts(self) -> ArticleFacts:
        self._deal_from_headline()
        deals = [_finish_deal(draft, self.article.published, self.article.published_precision)
                 for draft in self.drafts.values()]
        deals.sort(key=lambda deal: (STATUS_RANK[deal.status], deal.evidence[0].start))
        return ArticleFacts(self.article.id, tuple(deals), tuple(self.counts.values()))


@dataclass(frozen=True)
class Reading:
    """One article as the rules read it: their facts, and the candidates for the learned decisions."""

    article: ArticleInput
    rule_facts: ArticleFacts
    pairs: list[PairCandidate]
    counts: list[CountCandidate]
    view: ArticleView
    sentences: list[SentenceRead]
    current_name: Callable[[str], str] = str  # a company's name now, after renamings the article reports


def under_current_names(facts: ArticleFacts, current_name: Callable[[str], str]) -> ArticleFacts:
    """The facts with every company under the name it has now ("Kodama, now Lumetra, holds ..." is
    Lumetra's count). A deal whose parties turn out to be one company is no deal; a count stated twice
    under two names is one count."""
    deals = []
    for deal in facts.deals:
        parties = tuple(replace(party, canonical=current_name(party.canonical)) for party in deal.parties)
        if len({party.canonical for party in parties}) >= 2:
            deals.append(replace(deal, parties=parties))
    counts, seen = [], set()
    for count in facts.counts:
        count = replace(count, company=current_name(count.company))
        key = (count.company, count.value, count.unit, count.evidence[0].start if count.evidence else None)
        if key not in seen:
            seen.add(key)
            counts.append(count)
    return replace(facts, deals=tuple(deals), counts=tuple(counts))


def decide(reading: Reading, model: Model) -> ArticleFacts:
    """The model's facts: pairs it takes for the article's news, with their types; figures it takes for a
    company's portfolio, with their owner. Each fact's confidence is the model's probability."""
    article = reading.article
    deals = []
    scored = [(candidate, features, model.probability(PAIR_HEAD, features))
              for candidate in reading.pairs for features in [pair_features(candidate, reading.view)]]
    accepted = [candidate for candidate, _features, confidence in scored if confidence >= model.threshold(PAIR_HEAD)]
    for candidate, features, confidence in scored:
        if confidence < model.threshold(PAIR_HEAD):
            if not (_rules_vouch(candidate, reading.view) or _listed_beside(candidate, accepted)):
                continue
            confidence = model.threshold(PAIR_HEAD)  # kept at the threshold: the marts' default floor shows it
        deal = _decided_deal(candidate, features, confidence, model, article)
        if deal is not None:
            deals.append(deal)
    deals.sort(key=lambda deal: deal.evidence[0].start)
    return ArticleFacts(article.id, tuple(deals), _decided_counts(reading, model))


def _listed_beside(candidate: PairCandidate, accepted: list[PairCandidate]) -> bool:
    """One subject, a list of partners ("licences with Qualcomm, Nokia and InterDigital"): when the model
    takes one pair of the list, the rules' pair with another partner of the same list in the same sentence
    is as much the news (the model, reading each pair alone, doubts the ones after the first)."""
    if candidate.rule_status is not DealStatus.PRIMARY or len(candidate.names) != 2:
        return False
    for other in accepted:
        shared = candidate.names & other.names
        if len(shared) != 1 or len(other.names) != 2 or other.rule_status is not DealStatus.PRIMARY:
            continue
        (partner,) = candidate.names - shared
        (listed,) = other.names - shared
        (subject,) = shared
        for sentence in set(candidate.rule_sentences) & set(other.rule_sentences):
            if _partners_listed(sentence.text, candidate.mentions[subject].name,
                                candidate.mentions[partner].name, other.mentions[listed].name):
                return True
    return False


def _partners_listed(text: str, subject: str, first: str, second: str) -> bool:
    """Both partners stand in one list after "with"/"mit" that follows the subject: between them only
    separators and other capitalised names ("X ... with Qualcomm, Nokia and InterDigital"). A list of
    subjects ("X, Y and Z announced a cross-licence") is not one: all of them are one deal's parties."""
    at = text.find(subject)
    for a, b in ((first, second), (second, first)):
        start, end = text.find(a), text.find(b)
        if at < 0 or start < 0 or end <= start or at >= start:
            continue
        if not deals_lexicon().partner_preposition.search(text[at + len(subject):start]):
            continue
        between = text[start + len(a):end]
        tokens = re.findall(r",|&|[^\s,&]+", between)
        separators = {",", *conjunctions()}
        if len(between) <= 60 and tokens and any(token.casefold() in separators for token in tokens) \
                and all(token.casefold() in separators or token[:1].isupper() for token in tokens):
            return True
    return False


def _rules_vouch(candidate: PairCandidate, view: ArticleView) -> bool:
    """The rules read the pair as news in two sentences or more, and it is the pair the article names most:
    the article's own deal, which the model's doubt (a genre it has seen little of) does not overturn."""
    top_two = {name for name, rank in view.frequency_rank.items() if rank <= 2}
    return candidate.rule_status is DealStatus.PRIMARY and candidate.names == top_two \
        and len(candidate.rule_sentences) >= 2


def _decided_deal(candidate: PairCandidate, features: list[str], confidence: float, model: Model,
                  article: ArticleInput) -> DealMention | None:
    scored = {deal_type: model.probability(head, features) for deal_type, head in TYPE_HEADS.items() if model.has(head)}
    types = [deal_type for deal_type, p in scored.items() if p >= model.threshold(TYPE_HEADS[deal_type])]
    if candidate.rule_status is DealStatus.PRIMARY:  # a type the rules read as news stands (their triggers are precise)
        types += [deal_type for deal_type in candidate.rule_types if deal_type not in types]
    if not types and scored:
        types = [max(scored, key=scored.get)]
    sentences = [read.sentence for read in candidate.sentences if read.index >= 0] or list(candidate.rule_sentences)
    if not sentences:
        return None  # a headline pair the body never names: no evidence to keep
    date = deal_date([sentence.text for sentence in sentences], article.published, article.published_precision)
    parties = tuple(Party(mention.name, name, candidate.rule_roles.get(name, "party"))
                    for name, mention in candidate.mentions.items())
    return DealMention(
        parties=parties, types=tuple(sorted(without_superseded(types, "deal"), key=list(DealType).index)),
        date=date.value if date else None, date_precision=date.precision if date else None,
        status=DealStatus.PRIMARY,
        evidence=tuple(Evidence(s.text, s.start, s.end) for s in sentences[:MAX_EVIDENCE_SENTENCES]),
        confidence=round(confidence, 4),
    )


# Rejections the labelling rules make exact: a rate ("400 applications a year") is never a portfolio size,
# whatever else the sentence says. Transfers and totals stay for the model to weigh.
RULED_OUT = frozenset({"rate"})


def _decided_counts(reading: Reading, model: Model) -> tuple[CountMention, ...]:
    best: dict[tuple[int, int], tuple[float, CountCandidate]] = {}
    for candidate in reading.counts:
        p = model.probability(COUNT_HEAD, count_features(candidate, reading.view))
        key = (candidate.read.index, candidate.statement.start)
        if key not in best or p > best[key][0]:
            best[key] = (p, candidate)
    counts: dict[tuple, CountMention] = {}
    for p, candidate in sorted(best.values(), key=lambda item: (item[1].read.index, item[1].statement.start)):
        statement, owner, sentence = candidate.statement, candidate.owner, candidate.read.sentence
        key = (owner.canonical, statement.value, statement.unit)
        if p < model.threshold(COUNT_HEAD) or key in counts or statement.rejected in RULED_OUT:
            continue
        counts[key] = CountMention(
            company=owner.canonical, name=owner.name, value=statement.value, qualifier=statement.qualifier,
            unit=statement.unit, period=statement.period,
            as_of=_as_of(statement.as_of, reading.article.published),
            evidence=(Evidence(sentence.text, sentence.start, sentence.end),), confidence=round(p, 4),
        )
    return tuple(counts.values())


def _clauses(sentence: str, mentions: list[OrgMention]) -> list[tuple[str, list[OrgMention]]]:
    """Clauses of the sentence with their own mentions (offsets made clause-local)."""
    spans = clause_spans(sentence)
    if len(spans) == 1:
        return [(sentence, mentions)]
    return [(sentence[start:end], [replace(m, start=m.start - start, end=m.end - start)
                                   for m in mentions if start <= m.start and m.end <= end])
            for start, end in spans]


def _finish_deal(draft: _DealDraft, published: datetime.date | None, precision: DatePrecision) -> DealMention:
    parties = tuple(Party(mention.name, canonical, _single_role(draft.roles[canonical]))
                    for canonical, mention in draft.parties.items())
    texts = [sentence.text for sentence in draft.sentences]
    if draft.status is DealStatus.PRIMARY:
        date = deal_date(texts, published, precision)
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


def _as_of(written: str | None, published: datetime.date | None) -> str | None:
    """'December 2022' -> '2022-12', '2020' -> '2020', 'last year' -> the year before publication."""
    if not written:
        return None
    found = explicit_date(f"in {written}") or (period_reference(written, published) if published else None)
    if found:
        return found.value
    year = re.search(r"(?:19|20)\d\d", written)
    return year.group() if year else None
