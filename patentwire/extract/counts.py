"""Patent-portfolio sizes: number + qualifier + unit noun phrase, owned by the nearest organisation.

A count that changes hands in a deal ("acquired 1,500 patents from Nokia") is a deal term, not a
portfolio size, and is rejected; so are money, shares, years and the like.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from patentwire.extract.language import conjunctions
from patentwire.extract.lexicon import CountsLexicon, counts_lexicon, organisations_lexicon
from patentwire.extract.numbers import NumberMatch, find_number_words, find_numbers
from patentwire.extract.orgs import OrgMention
from patentwire.vocab import CountUnit, Qualifier


@dataclass(frozen=True)
class CountStatement:
    """One portfolio-size statement inside a sentence (offsets are sentence-local)."""

    value: int
    qualifier: Qualifier
    unit: CountUnit
    start: int
    end: int
    period: str | None
    as_of: str | None
    # why the rules would not take it as a portfolio size (a transfer, a rate, ...); only with broad=True
    rejected: str | None = None


def _lexicon() -> CountsLexicon:
    return counts_lexicon()


@cache
def _unit_patterns() -> list[tuple[CountUnit, re.Pattern]]:
    """Per unit, what must follow the number: up to `max_gap_words` adjectives (never across punctuation),
    then the unit's words; specific units first."""
    lexicon = _lexicon()
    gap = rf"(?:{lexicon.gap_words}[\s/-]+){{0,{lexicon.max_gap_words}}}"
    return [(unit, re.compile(rf"\s*{gap}(?:{'|'.join(patterns)})", re.IGNORECASE))
            for unit, patterns in lexicon.units.items()]


@cache
def _qualifier_patterns() -> list[tuple[Qualifier, re.Pattern]]:
    """Per qualifier, its words standing right before the number."""
    return [(qualifier, re.compile(rf"(?:^|\W)(?:{'|'.join(words)})\s*$", re.IGNORECASE))
            for qualifier, words in _lexicon().qualifiers.items()]


@cache
def _not_subject_owner() -> frozenset[str]:
    """Capitalised sentence openers that are no owner, with the organisations lexicon's non-organisations."""
    return frozenset(word.casefold() for word in
                     [*_lexicon().not_subject_owner, *organisations_lexicon().not_organisations])


_CLAUSE_FINAL = re.compile(r"\s*(?:[.;,)]|$)")


def _unit_after(sentence: str, number: NumberMatch) -> tuple[CountUnit, int] | None:
    end = number.end + 1 if sentence[number.end:number.end + 1] == "+" else number.end  # "20,000+ patents"
    for unit, pattern in _unit_patterns():
        match = pattern.match(sentence, end)
        if match:
            mixed = _lexicon().mixed_unit_after.match(sentence[match.end():])
            if mixed:  # "erteilte Patente und Patentanmeldungen": neither unit alone
                return CountUnit.PATENTS, match.end() + mixed.end()
            return unit, match.end()
    return None


def _elliptical_unit(sentence: str, number: NumberMatch, earlier: list[CountStatement]) -> tuple[CountUnit, int] | None:
    """A number whose unit was given by an earlier count in the sentence: "of which 40,000 have been granted"
    (granted patents), "Sony holds 58,000 patents, Panasonic nearly 110,000" (the same unit)."""
    if not earlier:
        return None
    lexicon = _lexicon()
    granted = lexicon.granted_ellipsis.match(sentence, number.end)
    if granted:
        return CountUnit.GRANTED_PATENTS, granted.end()
    subset = lexicon.subset_after.match(sentence, number.end)
    if subset:  # "rund 22.000 davon sind erteilt": a part of the count before, granted if it says so
        granted = lexicon.granted_ellipsis.match(sentence, subset.end())
        return (CountUnit.GRANTED_PATENTS, granted.end()) if granted else (earlier[-1].unit, subset.end())
    if lexicon.granted_before.search(sentence[earlier[-1].end:number.start]) \
            and lexicon.ellipsis_followers.match(sentence[number.end:]):
        return CountUnit.GRANTED_PATENTS, number.end  # "holds 100,000 patents and was granted 4,676 in 2022"
    if not lexicon.ellipsis_followers.match(sentence[number.end:]):
        return None
    before = sentence[earlier[-1].end:number.start]
    if lexicon.subset_cues.search(before):
        return earlier[-1].unit, number.end
    if _CLAUSE_FINAL.match(sentence, number.end) and (
            re.search(r"[,;]\s*\S+\s+(?:\S+\s+)?$", before) or re.search(r"\b[A-ZÄÖÜ][\w&.-]*\s*\(\s*$", before)):
        return earlier[-1].unit, number.end  # "..., Panasonic knapp 110.000", "vor Samsung (4.041)"
    return None


def _continued_unit(sentence: str, number: NumberMatch, earlier: list[CountStatement],
                    previous_unit: CountUnit | None) -> tuple[CountUnit, int] | None:
    """A bare number that continues the previous sentence's count: "up from 13k", "Rund 2.500 davon"."""
    if earlier or previous_unit is None:
        return None
    lexicon = _lexicon()
    if not lexicon.ellipsis_followers.match(sentence[number.end:]):
        return None
    subset_after = lexicon.subset_after.match(sentence, number.end)
    if subset_after:
        return previous_unit, subset_after.end()
    if lexicon.subset_cues.search(sentence[:number.start]):
        return previous_unit, number.end
    if lexicon.holding_verb_before.search(sentence[:number.start]) and _CLAUSE_FINAL.match(sentence, number.end):
        return previous_unit, number.end  # "Huawei filed 4,505 applications. Samsung filed 3,921, .."
    if _CLAUSE_FINAL.match(sentence, number.end) and re.search(r"\b[A-ZÄÖÜ][\w&.-]*\s*\(\s*$",
                                                                         sentence[:number.start]):
        return previous_unit, number.end  # a ranking continued in the next sentence: "Es folgen ZF (1.400)"
    return None


def _forward_unit(sentence: str, number: NumberMatch, following: list[NumberMatch]) -> tuple[CountUnit, int] | None:
    """A figure whose unit comes only after the next company's figure: "A mit 1.817 und B mit 1.588 Anmeldungen"."""
    if not following or not _lexicon().forward_ellipsis.match(sentence[number.end:following[0].start]):
        return None
    found = _unit_after(sentence, following[0])
    return (found[0], number.end) if found else None


def _qualifier_before(sentence: str, number: NumberMatch) -> Qualifier:
    if sentence[number.end:number.end + 1] == "+":
        return Qualifier.MORE_THAN
    before = sentence[max(0, number.start - 25):number.start]
    for qualifier, pattern in _qualifier_patterns():
        if pattern.search(before):
            return qualifier
    return Qualifier.EXACT


def _is_transfer(sentence: str, number: NumberMatch, unit_end: int) -> bool:
    """Patents bought, sold, transferred or covered by a deal, not held."""
    words_before = " ".join(re.findall(r"\w+", sentence[:number.start])[-8:])
    rest_of_clause = " ".join(re.split(r"[,;:]", sentence[unit_end:])[0].split()[:14])
    lexicon = _lexicon()
    return bool(lexicon.transfer_cues.search(words_before) or lexicon.asserted_cues.search(words_before)
                or lexicon.transfer_after.match(sentence[unit_end:])
                or lexicon.transfer_verbs_after.search(rest_of_clause))


def _is_joint_total(sentence: str, number: NumberMatch) -> bool:
    """Patents several companies hold or filed together ("together filed 9,000"): no one company's count."""
    words_before = " ".join(re.findall(r"\w+", sentence[:number.start])[-6:])
    return bool(_lexicon().joint_total_cues.search(words_before))


def _is_rate(sentence: str, number: NumberMatch, unit_end: int) -> bool:
    """Filings per year or per working day, not a portfolio."""
    return bool(_lexicon().rate_cues.search(_phrase_window(sentence, number.start, unit_end, 4, 4)))


def states_aggregate(sentence: str) -> bool:
    """'In total', 'insgesamt': the sentence sums up a field or an office, not the company named before."""
    return bool(_lexicon().aggregate_cues.search(sentence))


def _is_region_total(sentence: str, number: NumberMatch, unit_end: int) -> bool:
    """The filings of a country, state or office ("kamen aus Bayern"), which no company owns."""
    clause_start = max((match.end() for match in re.finditer(r"[,;:]\s", sentence[:number.start])), default=0)
    clause_end = re.search(r"[,;:]\s|$", sentence[unit_end:]).start() + unit_end
    return bool(_lexicon().region_total_cues.search(sentence[clause_start:clause_end]))


def _refine_unit(sentence: str, number: NumberMatch, unit_end: int, unit: CountUnit) -> CountUnit:
    """Plain "patents" with "filed"/"angemeldet" nearby are applications; with "granted" granted patents.

    The adjectives between the number and the noun speak first ("210 granted U.S. patents": the country word
    keeps "granted" from the unit's own words). Then only the words around this count phrase are read, up
    to the next number, so that "120,000 patents, including 30,000 granted patents" keeps its first unit.
    """
    if unit is not CountUnit.PATENTS:
        return unit
    gap = sentence[number.end:unit_end]
    # not where two kinds are joined: "issued and pending patents", "granted patents and pending applications"
    joined = any(word.casefold() in conjunctions() for word in re.findall(r"[^\W\d_]+|&", gap))
    mixed = joined or _lexicon().mixed_unit_after.match(sentence[unit_end:])
    if not mixed and _lexicon().granted_adjectives.search(gap):
        return CountUnit.GRANTED_PATENTS
    if not mixed and _lexicon().pending_adjectives.search(gap):
        return CountUnit.PATENT_APPLICATIONS
    window = _phrase_window(sentence, number.start, unit_end, words_before=8)
    if _lexicon().filed_cues.search(window):
        return CountUnit.PATENT_APPLICATIONS
    if _lexicon().granted_cues.search(window):
        return CountUnit.GRANTED_PATENTS
    return unit


def _phrase_window(sentence: str, start: int, end: int, words_before: int = 5, words_after: int = 4) -> str:
    # the phrase starts after the previous number; a year ("meldete 2022 rund 200 Patente an") does not cut it
    figures = [found for found in re.finditer(r"\d[\d.,]*\d|\d", sentence[:start])
               if not re.fullmatch(r"(?:19|20)\d\d", found.group())]
    before = sentence[figures[-1].end():start] if figures else sentence[:start]
    after = _lexicon().phrase_end.split(re.split(r"\d|[,;]", sentence[end:])[0])[0]
    return " ".join(before.split()[-words_before:] + after.split()[:words_after])


def _first_match(patterns: list[re.Pattern], sentence: str, group: int = 0) -> str | None:
    for pattern in patterns:
        match = pattern.search(sentence)
        if match:
            return match.group(group)
    return None


def _numbers(sentence: str, language: str | None) -> list[NumberMatch]:
    """Digits, and written-out numbers large enough to be a portfolio ("zwölftausend Patente")."""
    digits = find_numbers(sentence, language)
    vague = _lexicon().vague_before
    words = [word for word in find_number_words(sentence, language) if word.value >= 100
             and not vague.search(sentence[:word.start])
             and not any(word.start < number.end and number.start < word.end for number in digits)]
    return sorted(digits + words, key=lambda number: number.start)


def find_count_statements(sentence: str, language: str | None,
                          previous_unit: CountUnit | None = None, broad: bool = False) -> list[CountStatement]:
    """Every portfolio-size statement in one sentence; `previous_unit` is the unit of the article's last
    count, for a sentence that continues it ("That is up from roughly 13k two years ago.").

    `broad` also returns the figures the rules reject as no portfolio (transfers, rates, region and joint
    totals), each with its `rejected` reason, so that a learned decision can weigh them."""
    lexicon = _lexicon()
    found = []
    numbers = _numbers(sentence, language)
    for index, number in enumerate(numbers):
        if not number.is_whole or number.value < 1:
            continue
        if lexicon.reject_before.search(sentence[:number.start]) or lexicon.reject_after.match(sentence[number.end:]):
            continue
        unit_match = (_unit_after(sentence, number) or _elliptical_unit(sentence, number, found)
                      or _continued_unit(sentence, number, found, previous_unit)
                      or _forward_unit(sentence, number, numbers[index + 1:index + 2]))
        if unit_match is None:
            continue
        unit, unit_end = unit_match
        earlier_unit = found[-1].unit if found else previous_unit
        if unit is CountUnit.PATENTS and earlier_unit and lexicon.refers_back.match(sentence[number.end:]):
            unit = earlier_unit  # "4,400 granted patents ... More than 2,300 of those patents" are granted too
        rejected = _rejection(sentence, number, unit_end)
        if rejected and not broad:
            continue
        as_of = _first_match(lexicon.as_of, sentence, group=1)
        found.append(CountStatement(
            value=int(number.value), qualifier=_qualifier_before(sentence, number),
            unit=_refine_unit(sentence, number, unit_end, unit), start=number.start, end=unit_end,
            period=_first_match(lexicon.periods, sentence), as_of=as_of, rejected=rejected,
        ))
    return found


def _rejection(sentence: str, number: NumberMatch, unit_end: int) -> str | None:
    if _is_transfer(sentence, number, unit_end):
        return "transfer"
    if _is_rate(sentence, number, unit_end):
        return "rate"
    if _is_region_total(sentence, number, unit_end):
        return "region_total"
    if _is_joint_total(sentence, number):
        return "joint_total"
    return None


def owner_of(statement: CountStatement, mentions: list[OrgMention], fallback: OrgMention | None,
             sentence: str = "") -> OrgMention | None:
    """The organisation nearest before the number in the sentence (or named in the possessive before
    "portfolio", known or not), else one named after it as its holder ("held by Nokia"), else `fallback`."""
    parties = [mention for mention in mentions if mention.can_be_party]
    before = [mention for mention in parties if mention.end <= statement.start]
    asides = [match.span() for match in _lexicon().relative_clause.finditer(sentence[:statement.start])]
    outside_asides = [m for m in before if not any(start <= m.start < end for start, end in asides)]
    before = outside_asides or before  # "Philips, which spun off Signify, reported ...": Philips speaks
    possessive = _possessive_owner(sentence[:statement.start])
    if possessive is not None and not any(mention.start >= possessive.start for mention in before):
        return next((m for m in before if m.start == possessive.start), possessive)
    if before:
        return before[-1]
    cue = _lexicon().owner_after_cues
    leading = bool(re.match(r"\W*(?:with|mit|having|holding)\b", sentence[:statement.start], re.IGNORECASE))
    reporting = _lexicon().reporting_owner_after
    relative = _lexicon().relative_owner_after
    after = [mention for mention in parties if mention.start >= statement.end
             and (leading or cue.search(sentence[:mention.start]) or reporting.match(sentence[mention.end:])
                  or relative.match(sentence[statement.end:mention.start]))]  # "With 20,000 families, Nokia ..."
    return after[0] if after else (_subject_owner(sentence[:statement.start]) or fallback)


def _subject_owner(text: str) -> OrgMention | None:
    """An unknown company that opens the sentence as the subject of "holds"/"filed"/"hält": the registry
    cannot know every small holder (a battery start-up, a sensor maker)."""
    match = _lexicon().subject_owner.match(text)
    if match is None or match.group(1).split()[0].casefold() in _not_subject_owner() \
            or match.group(1).casefold() in _not_subject_owner():
        return None
    name = match.group(1)
    return OrgMention(match.start(1), match.end(1), name, name, "company", None, "unknown")


def _possessive_owner(text: str) -> OrgMention | None:
    match = None
    for match in _lexicon().possessive_owner.finditer(text):
        pass
    if match is None:
        return None
    name = match.group(1)
    return OrgMention(match.start(1), match.end(1), name, name, "company", None, "unknown")
