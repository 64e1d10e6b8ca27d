"""Deal mentions: trigger words per deal type, parties in the same sentence (or the article's main
pair when the sentence says "both companies"), modality (negated, rumoured, background) and roles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from patentwire.extract.language import profile
from patentwire.extract.lexicon import DealsLexicon, deals_lexicon
from patentwire.extract.orgs import OrgMention
from patentwire.extract.screen import LiteralScreen, Possible
from patentwire.vocab import DealStatus, DealType


@dataclass(frozen=True)
class DealSignal:
    """Deal types found in one sentence, with their modality and the trigger spans."""

    types: tuple[DealType, ...]
    status: DealStatus
    trigger_spans: tuple[tuple[int, int], ...]
    vouched: bool  # an agreement or patent word backs the weak types (supply, partnership)

    def types_for(self, known_pair: bool, headline_types: tuple[DealType, ...] = ()) -> tuple[DealType, ...]:
        """Weak types count only when vouched for, between the parties the article is about, or in the headline."""
        if self.vouched or known_pair:
            return self.types
        return tuple(deal_type for deal_type in self.types
                     if deal_type not in _lexicon().weak_types or deal_type in headline_types)


def _lexicon() -> DealsLexicon:
    return deals_lexicon()


@cache
def _fronted_contrast_openers() -> list[tuple[re.Pattern, bool]]:
    """Per language: the opener of a clause of contrast (after up to three dateline words), verb-first or not."""
    return [(re.compile(rf"^\W*(?:\S+\s+){{0,3}}?(?:{spec.openers})\b"), spec.verb_first)
            for spec in _lexicon().fronted_contrast.values()]


@cache
def _screen() -> LiteralScreen:
    """The big alternations of the deal lexicon, screened by their literals (see `screen.py`)."""
    lexicon = _lexicon()
    return LiteralScreen([*lexicon.triggers.values(), lexicon.bystander_cues, lexicon.offer_phrases,
                          lexicon.licence_acquired, lexicon.agreement_cues, lexicon.patent_words])


@lru_cache(maxsize=4096)
def _possible(sentence: str) -> Possible:
    return _screen().possible(sentence)


def _finditer(pattern: re.Pattern, sentence: str) -> list[re.Match]:
    """Every match of a screened pattern; none without running it where its literals are missing."""
    return list(pattern.finditer(sentence)) if pattern in _possible(sentence) else []


@lru_cache(maxsize=4096)  # asked for each sentence, then again for its clauses and pair windows
def deal_signal(sentence: str) -> DealSignal | None:
    """The deal types a sentence announces, their modality, and whether agreement words vouch for them."""
    lexicon = _lexicon()
    possible = _possible(sentence)
    triggers = [(deal_type, pattern) for deal_type, pattern in lexicon.triggers.items() if pattern in possible]
    if not triggers and lexicon.offer_phrases not in possible:
        return None  # no trigger and no offer can match: most sentences end here
    types, spans = [], []
    has_agreement = bool(_finditer(lexicon.agreement_cues, sentence))
    has_patent_word = bool(_finditer(lexicon.patent_words, sentence))
    clauses = bystander_spans(sentence)
    offers = [match.span() for match in _finditer(lexicon.offer_phrases, sentence)]
    licences_acquired = [match.span() for match in _finditer(lexicon.licence_acquired, sentence)]
    for deal_type, pattern in triggers:
        # a trigger inside a clause about bystanders is their business ("gegen Klagen der Konkurrenz")
        excluded = clauses + offers + (licences_acquired if deal_type is DealType.PATENT_ACQUISITION else [])
        matches = [match for match in pattern.finditer(sentence)
                   if not any(start <= match.start() < end for start, end in excluded)
                   and not lexicon.bystander_next.match(sentence, match.end())]
        if not matches:
            continue
        types.append(deal_type)
        spans.extend((match.start(), match.end()) for match in matches)
    types = list(without_superseded(types))
    if not types:
        return _offer_signal(sentence, offers)
    if offers:  # "offered Oppo a licence before filing suit": the suit is news, the offer says nothing of it
        sentence = lexicon.offer_phrases.sub(lambda match: " " * len(match.group()), sentence)
    vouched = has_agreement or has_patent_word  # the headline vouches only for its own pair (see types_for)
    spans = sorted(spans)
    hedged = without_object_relatives(sentence, spans[-1][1])
    return DealSignal(tuple(types), modality(hedged, trigger_clause(hedged, spans)), tuple(spans), vouched)


def without_object_relatives(sentence: str, after: int) -> str:
    """The sentence with relative clauses after position `after` (the last trigger) blanked out."""
    pattern = _lexicon().object_relative_clause
    return sentence[:after] + pattern.sub(lambda match: " " * len(match.group()), sentence[after:])


def _offer_signal(sentence: str, offers: list[tuple[int, int]]) -> DealSignal | None:
    """A sentence whose only deal is a licence on offer: a licence not (yet) agreed."""
    if not offers:
        return None
    lexicon = _lexicon()
    spans = [match.span() for match in lexicon.triggers[DealType.LICENSE].finditer(sentence)
             if any(start <= match.start() < end for start, end in offers)]
    if not spans:
        return None
    status = modality(sentence, trigger_clause(sentence, spans))
    rumoured = DealStatus.RUMOURED if status is DealStatus.PRIMARY else status
    return DealSignal((DealType.LICENSE,), rumoured, tuple(spans), True)


def pair_window(sentence: str, partner: tuple[int, int], triggers: tuple[tuple[int, int], ...]) -> str:
    """The stretch of a many-party sentence that links `partner` to its nearest trigger, between commas,
    dashes or brackets: "Oppo, which had fought Nokia since 2021, signed a licence with Ericsson" gives
    "which had fought Nokia since 2021" for Nokia and "signed a licence with Ericsson" for Ericsson."""
    trigger = min(triggers, key=lambda span: min(abs(span[0] - partner[1]), abs(partner[0] - span[1])))
    first, last = min(trigger[0], partner[0]), max(trigger[1], partner[1])
    boundaries = list(_lexicon().pair_window_boundary.finditer(sentence))
    start = max((match.end() for match in boundaries if match.end() <= first), default=0)
    end = min((match.start() for match in boundaries if match.start() >= last), default=len(sentence))
    return sentence[start:end]


def trigger_clause(sentence: str, spans: list[tuple[int, int]] | tuple[tuple[int, int], ...]) -> str:
    """The stretch of the sentence around its triggers, without other subordinate clauses."""
    first, last = spans[0][0], spans[-1][1]
    openers = [match for match in _lexicon().subclause_start.finditer(sentence)]
    start = max((match.end() for match in openers if match.end() <= first), default=0)
    end = min((match.start() for match in openers if match.start() >= last), default=len(sentence))
    return sentence[start:end]


def without_superseded(types, scope: str = "sentence") -> tuple[DealType, ...]:
    """Drop types another present type supersedes (a settlement ends the litigation it names);
    `scope` "deal" applies the narrower rules that hold across sentences."""
    present = set(types)
    rules = (_lexicon().superseded_by if scope == "sentence" else _lexicon().deal_superseded_by)
    for deal_type, superseders in rules.items():  # in file order: litigation goes first
        if deal_type in present and superseders & present:
            present.discard(deal_type)
    return tuple(deal_type for deal_type in types if deal_type in present)


def is_subsidiary_phrase(between: str) -> bool:
    """'Lenovo und dessen Tochter Motorola': the words between two names make the second a subsidiary."""
    return bool(_lexicon().subsidiary_cues.search(between))


def is_possessive_subsidiary(between: str) -> bool:
    """"Volkswagen Group's software unit Cariad": the unit is the party, its parent only describes it."""
    return bool(_lexicon().possessive_subsidiary.match(between))


def coordinated_subject_count(sentence: str, parties: list) -> int:
    """How many leading parties are joined subjects that deal with the partners after "with"/"mit"
    ("Mercedes-Benz and BMW have signed licences with Avanci" gives 2); 0 when the sentence is not so built."""
    lexicon = _lexicon()
    count = 1
    while count < len(parties) and lexicon.subject_join.match(sentence[parties[count - 1].end:parties[count].start]):
        count += 1
    if count < 2 or count == len(parties):
        return 0
    if not lexicon.partner_preposition.search(sentence[parties[count - 1].end:parties[count].start]):
        return 0
    return count


def clause_spans(sentence: str) -> list[tuple[int, int]]:
    """The sentence cut at contrastive joints (", while", "; "), each clause possibly its own deal."""
    spans, start = [], 0
    for joint in _lexicon().clause_split.finditer(sentence):
        spans.append((start, joint.start()))
        start = joint.end()
    spans.append((start, len(sentence)))
    return spans


def reports_done_deal(sentence: str) -> bool:
    """'signed', 'agreed', 'vereinbart', 'mitteilten'...: the sentence reports a deal as done."""
    return bool(_lexicon().done_cues.search(sentence))


def reports_news(clause: str) -> bool:
    """A deal verb in the perfect or past, a day, the future or 'also': the clause tells something new."""
    lexicon = _lexicon()
    return bool(lexicon.done_cues.search(clause) or lexicon.news_cues.search(clause))


def modality(sentence: str, trigger_clause: str | None = None) -> DealStatus:
    """Negated, rumoured (talks, reports, or plans not yet agreed), background, else primary.

    Plans count only in the clause of the trigger (`trigger_clause`, default the whole sentence)."""
    lexicon = _lexicon()
    cues = lexicon.modality
    own_clause = sentence if trigger_clause is None else trigger_clause
    if cues[DealStatus.NEGATED].search(own_clause):  # "geklagt, weil Oppo keine Gebühren zahle" is a suit
        return DealStatus.NEGATED
    if cues[DealStatus.RUMOURED].search(sentence):
        return DealStatus.RUMOURED
    unreported = lexicon.reported_announcement.sub(" ", sentence if trigger_clause is None else trigger_clause)
    if lexicon.intent_cues.search(unreported) and not lexicon.done_cues.search(sentence):
        return DealStatus.RUMOURED
    unreported = without_existing_tie(unreported)
    if cues[DealStatus.BACKGROUND].search(unreported):  # "said it had signed" is reported speech, not history
        return DealStatus.BACKGROUND
    return DealStatus.PRIMARY


def without_existing_tie(text: str) -> str:
    """The text with the words that date an existing tie blanked out when a verb expands, extends or renews
    it ("renewed their long-standing licence", "a partnership that began in 2013"): the renewal is the news."""
    lexicon = _lexicon()
    if not lexicon.extension_verbs.search(text):
        return text
    return lexicon.existing_tie.sub(lambda match: " " * len(match.group()), text)


def sets_in_past(opener: str) -> bool:
    """'Earlier this year, ...': a sentence opener that dates every deal the sentence lists as history."""
    return bool(_lexicon().modality[DealStatus.BACKGROUND].search(opener))


def bystander_spans(sentence: str) -> list[tuple[int, int]]:
    """Clauses of comparison or example ("unlike Apple and Samsung, ..."): their organisations are not parties."""
    lexicon = _lexicon()
    spans = []
    for cue in _finditer(lexicon.bystander_cues, sentence):
        if lexicon.apposition_before.search(sentence[:cue.start()]):
            continue  # "mit dem japanischen Konkurrenten Panasonic": the rival is the partner
        if lexicon.asserted_holder_before.search(sentence[:cue.start()]):
            continue  # "infringed patents held by Netlist": the holder sues
        spans.append((cue.start(), _clause_end(sentence, cue.end())))
    fronted = fronted_contrast_span(sentence)
    return spans + [fronted] if fronted else spans


def fronted_contrast_span(sentence: str) -> tuple[int, int] | None:
    """The opening clause of contrast of a sentence ("While Apple and Samsung fight in court, ..."), up to the
    comma where the main clause starts; None when the sentence does not open so or no main clause follows."""
    lexicon = _lexicon()
    for opener, verb_first in _fronted_contrast_openers():
        found = opener.match(sentence)
        if found is None:
            continue
        for comma in re.finditer(r",\s*", sentence[found.end():]):
            rest = sentence[found.end() + comma.end():]
            if not rest or lexicon.subordinate_continuation.match(rest):
                continue  # "..., wenn es um Patente geht, ...": the opening clause goes on
            if verb_first and not rest[0].islower():
                continue  # "..., *hust* Apple *hust* Samsung, hatten ...": an aside within the opening clause
            return found.start(), found.end() + comma.start()
    return None


def _clause_end(sentence: str, position: int) -> int:
    """Where the clause from `position` ends; a list of names runs on past its commas."""
    lexicon = _lexicon()
    while closing := lexicon.clause_end.search(sentence, position):
        if not (closing.group() == "," and lexicon.list_continuation.match(sentence, closing.start())):
            return closing.start()
        position = closing.end()
    return len(sentence)


def candidate_parties(mentions: list[OrgMention], sentence: str) -> list[OrgMention]:
    """Party-capable organisations outside bystander clauses, one per canonical name."""
    clauses = bystander_spans(sentence) + [(cue.start(), _clause_end(sentence, cue.end()))
                                           for cue in _lexicon().brand_cues.finditer(sentence)]
    chosen: dict[str, OrgMention] = {}
    for mention in mentions:
        if not mention.can_be_party:
            continue
        if any(start <= mention.start < end for start, end in clauses):
            continue
        if _lexicon().bystander_after.match(sentence[mention.end:]):
            continue  # "a Qualcomm competitor": named only to describe another company
        if _lexicon().subsidiary_of.search(sentence[:mention.start]):
            continue  # "the medical unit of Siemens" is the party, not Siemens
        chosen.setdefault(mention.canonical, mention)
    return list(chosen.values())


def party_roles(deal_type: DealType, parties: list, sentence: str, triggers: tuple[tuple[int, int], ...],
                language: str | None) -> dict[str, str]:
    """Roles of a two-party deal from the sentence: "from/von X" marks the seller or licensor; in English,
    the side of the trigger verb ("X sued Y": X plaintiff, Y defendant; "X was sued by Y" the other way
    round). Where the language profile says word order is free (German), parties keep the role "party"
    unless "von X" speaks."""
    neutral = {mention.canonical: "party" for mention in parties}
    if len(parties) != 2:
        return neutral
    lexicon = _lexicon()
    giving_roles = lexicon.from_roles.roles.get(deal_type)
    if giving_roles:
        givers = [m for m in parties if lexicon.from_roles.pattern.search(sentence[max(0, m.start - 6):m.start])]
        if len(givers) == 1:
            return {m.canonical: str(giving_roles[0] if m is givers[0] else giving_roles[1]) for m in parties}
    spec = lexicon.roles.get(deal_type)
    if spec is None or not profile(language).roles_from_verb_side:
        return neutral
    for verb_pattern, before_role, after_role in ((spec.passive, spec.passive_before, spec.passive_after),
                                                  (spec.active, spec.before, spec.after)):
        verb = verb_pattern.search(sentence) if verb_pattern else None
        if verb and any(start < verb.end() and verb.start() < end for start, end in triggers):
            sides = {m.canonical: str(before_role if m.end <= verb.start() else after_role) for m in parties}
            return sides if len(set(sides.values())) == 2 else neutral
    return neutral
