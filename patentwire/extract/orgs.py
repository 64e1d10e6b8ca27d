"""Organisation mentions in a sentence: registry names, unknown names with a legal form, "X-Konzern",
descriptors ("die Finnen", "the South Korean tech giant") and references ("the company", "its").

Descriptors and references are resolved against the organisations named earlier in the article
(`Discourse`), only when that choice is unambiguous enough: see `Discourse.resolve`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache

import ahocorasick

from patentwire.companies import Company, CompanyRegistry, strip_legal_suffix
from patentwire.extract.lexicon import load_lexicon
from patentwire.extract.numbers import language_family


@dataclass(frozen=True)
class OrgMention:
    start: int  # offsets inside the sentence
    end: int
    name: str  # as written
    canonical: str
    kind: str  # registry kind; "company" for unknown organisations
    country: str | None
    via: str  # "registry", "legal_suffix", "konzern", "descriptor", "unknown"
    sectors: tuple[str, ...] = ()

    @property
    def can_be_party(self) -> bool:
        return self.kind in ("company", "pool")


@dataclass
class Discourse:
    """What the article has named so far, to resolve descriptors and references."""

    title_names: frozenset[str] = frozenset()
    seen: list[OrgMention] = field(default_factory=list)
    frequency: Counter = field(default_factory=Counter)
    subject: OrgMention | None = None  # first party named in the latest sentence that named one: "its" points here

    def remember(self, mentions: list[OrgMention]) -> None:
        parties = [mention for mention in mentions if mention.can_be_party]
        if parties:
            self.subject = parties[0]
        for mention in mentions:
            if mention.can_be_party:
                self.seen.append(mention)
                self.frequency[mention.canonical] += 1

    def resolve(self, country: str | None, sector: str | None) -> OrgMention | None:
        """The party of that country and sector: the only one named, else the one in the title, else the
        most named; None when two are named equally often (the text does not make it unambiguous)."""
        candidates = [mention for mention in self.seen if (country is None or mention.country == country)
                      and (sector is None or sector in mention.sectors)]
        names = {mention.canonical for mention in candidates}
        if not names:
            return None
        if len(names) > 1:
            in_title = names & self.title_names
            if len(in_title) == 1:
                names = in_title
            else:
                ranked = Counter({name: self.frequency[name] for name in names}).most_common(2)
                if ranked[0][1] == ranked[1][1]:
                    return None  # a tie: the text does not make it unambiguous
                names = {ranked[0][0]}
        return next(mention for mention in reversed(candidates) if mention.canonical in names)

    def most_recent(self) -> OrgMention | None:
        return self.seen[-1] if self.seen else None


class OrgFinder:
    """Finds organisation mentions in sentences; built once per registry."""

    def __init__(self, registry: CompanyRegistry):
        self.registry = registry
        self._automaton = ahocorasick.Automaton()
        for company in registry.companies:
            for form in company.surface_forms:
                if len(form) >= 2:
                    self._automaton.add_word(form, (form, company.name))
        self._automaton.make_automaton()
        lexicon = load_lexicon("organisations")
        suffixes = sorted(lexicon["legal_suffixes"], key=len, reverse=True)
        suffix_alternatives = "|".join(re.escape(suffix) + (r"(?!\w)" if suffix[-1].isalnum() else "") for suffix in suffixes)
        name_word = r"[A-ZÄÖÜ0-9][\w&'’.-]*"
        self._suffix_span = re.compile(rf"((?:{name_word}\s+){{0,3}}{name_word}),?\s+(?:{suffix_alternatives})")
        self._not_name = frozenset(lexicon["not_name_words"])
        self._konzern = re.compile(lexicon["konzern_pattern"])
        self._appositive = re.compile(lexicon["appositive_org"])
        self._stop_words = frozenset(word.casefold() for word in lexicon["not_organisations"])

    def registry_mentions(self, sentence: str) -> list[OrgMention]:
        found = []
        for end_index, (form, canonical) in self._automaton.iter(sentence):
            start, end = end_index - len(form) + 1, end_index + 1
            if start > 0 and (sentence[start - 1].isalnum() or sentence[start - 1] in "-_"):
                continue
            possessive = re.match(r"(?:'s|’s|s\b|')", sentence[end:])
            if end < len(sentence) and (sentence[end].isalnum() or sentence[end] == "-") and not possessive:
                continue
            company = self.registry.get(canonical)
            found.append(_from_company(company, start, end, form))
        return _longest_non_overlapping(found)

    def suffix_mentions(self, sentence: str) -> list[OrgMention]:
        found = []
        for match in self._suffix_span.finditer(sentence):
            words = match.group(1).split()
            while words and words[0] in self._not_name:
                words.pop(0)
            if not words:
                continue
            start = sentence.index(words[0], match.start())
            written = sentence[start:match.end()]
            company, start = self._registry_tail(sentence, start, match.end())
            if company is not None:
                found.append(_from_company(company, start, match.end(), sentence[start:match.end()]))
            else:
                canonical = strip_legal_suffix(written) or written
                found.append(OrgMention(start, match.end(), written, canonical, "company", None, "legal_suffix"))
        for match in self._konzern.finditer(sentence):
            company = self.registry.lookup(match.group(1))
            if company is not None:
                found.append(_from_company(company, match.start(), match.end(), match.group(0), via="konzern"))
            else:
                found.append(OrgMention(match.start(), match.end(), match.group(0), match.group(1), "company", None, "konzern"))
        return found

    def _registry_tail(self, sentence: str, start: int, end: int) -> tuple[Company | None, int]:
        """The longest known name that ends the span: "Lizenzsparte Nokia Technologies" -> Nokia Technologies."""
        position = start
        while position < end:
            company = self.registry.lookup(sentence[position:end])
            if company is not None:
                return company, position
            next_space = sentence.find(" ", position, end)
            if next_space < 0:
                break
            position = next_space + 1
        return None, start

    def appositive_mentions(self, sentence: str) -> list[OrgMention]:
        """'Quantenfeld Systems, a developer of radar sensors, ...': an unknown name the text introduces."""
        found = []
        for match in self._appositive.finditer(sentence):
            name = match.group(1)
            if name.casefold() in self._stop_words or name.split()[0].casefold() in self._stop_words:
                continue
            if name.isupper() and len(name) > 5:
                continue  # a dateline city ("DRESDEN, Germany")
            company = self.registry.lookup(name)
            if company is not None:
                found.append(_from_company(company, match.start(1), match.end(1), name))
            else:
                found.append(OrgMention(match.start(1), match.end(1), name, strip_legal_suffix(name) or name,
                                        "company", None, "unknown"))
        return found

    def named_mentions(self, sentence: str) -> list[OrgMention]:
        """Registry names and unknown legal-form or introduced names, longest first, without overlaps."""
        mentions = _longest_non_overlapping(self.registry_mentions(sentence) + self.suffix_mentions(sentence)
                                            + self.appositive_mentions(sentence))
        return self._join_entity_names(sentence, mentions)

    def _join_entity_names(self, sentence: str, mentions: list[OrgMention]) -> list[OrgMention]:
        """'vivo Mobile Communication Co., Ltd.': a known name followed by an unknown legal-form name is one
        entity of the known company (or the company the whole name is an alias of)."""
        joined: list[OrgMention] = []
        for mention in mentions:
            previous = joined[-1] if joined else None
            if (previous is not None and previous.via == "registry" and mention.via == "legal_suffix"
                    and sentence[previous.end:mention.start] == " "):
                whole = sentence[previous.start:mention.end]
                company = self.registry.lookup(whole) or self.registry.get(previous.canonical)
                joined[-1] = _from_company(company, previous.start, mention.end, whole)
                continue
            joined.append(mention)
        return joined

    def mentions(self, sentence: str, language: str | None, discourse: Discourse) -> list[OrgMention]:
        """Named mentions plus descriptors resolved through `discourse` (not yet updated with this sentence)."""
        named = self.named_mentions(sentence)
        # "der chinesische Hersteller Lenovo": a descriptor right before a name describes that name
        descriptors = [mention for mention in descriptor_mentions(sentence, language, discourse)
                       if not any(_overlaps(mention, other) or 0 <= other.start - mention.end <= 1 for other in named)]
        return sorted(named + descriptors, key=lambda mention: mention.start)


def _from_company(company: Company, start: int, end: int, written: str, via: str = "registry") -> OrgMention:
    return OrgMention(start, end, written, company.name, company.kind, company.country, via, company.sectors)


def _overlaps(a: OrgMention, b: OrgMention) -> bool:
    return a.start < b.end and b.start < a.end


def _longest_non_overlapping(mentions: list[OrgMention]) -> list[OrgMention]:
    chosen: list[OrgMention] = []
    for mention in sorted(mentions, key=lambda m: (-(m.end - m.start), m.start)):
        if not any(_overlaps(mention, other) for other in chosen):
            chosen.append(mention)
    return sorted(chosen, key=lambda m: m.start)


@dataclass(frozen=True)
class _DescriptorGrammar:
    pattern: re.Pattern  # groups: the words between article and head, a compound prefix ("US-"), the head
    heads: dict[str, str | None]  # lower-case head -> sector
    demonyms: list[tuple[re.Pattern, str]]  # adjective stem -> country, longest first
    nouns: list[tuple[re.Pattern, str]]  # "die Finnen" -> FI


@cache
def _descriptor_grammar(family: str) -> _DescriptorGrammar:
    lexicon = load_lexicon("organisations")
    heads = lexicon["descriptor_heads"][family]
    alternatives = "|".join(re.escape(head) for head in sorted(heads, key=len, reverse=True))
    if family == "de":
        regex = (rf"\b(?:der|die|das|den|dem|des|beim|vom|zum)\s+((?:[\w'’.-]+\s+){{0,3}}?)"
                 rf"((?:\w+-)?)({alternatives})(?:e|en|n|s|es)?\b")
    else:
        regex = rf"\bthe\s+((?:[\w'’.-]+\s+){{0,3}}?)((?:\w+-)?)({alternatives})s?\b"
    demonyms = [(re.compile(rf"(?<!\w){re.escape(stem)}", re.IGNORECASE), country)
                for stem, country in sorted(lexicon["demonyms"][family].items(), key=lambda item: -len(item[0]))]
    article = r"(?:die|den|der)" if family == "de" else r"the"
    nouns = [(re.compile(rf"\b{article}\s+{re.escape(noun)}\b", re.IGNORECASE), country)
             for noun, country in lexicon["demonym_nouns"][family].items()]
    return _DescriptorGrammar(re.compile(regex, re.IGNORECASE), {head.lower(): sector for head, sector in heads.items()},
                              demonyms, nouns)


def descriptor_mentions(sentence: str, language: str | None, discourse: Discourse) -> list[OrgMention]:
    """'die Finnen', 'the Finnish company', 'der Münchner Chipkonzern' -> the party of that country
    and sector named before; a descriptor naming neither ("the company") is a reference, not handled here."""
    found = []
    for family in dict.fromkeys((language_family(language), "en")):  # German texts quote English
        grammar = _descriptor_grammar(family)
        for match in grammar.pattern.finditer(sentence):
            country = _demonym_country(match.group(1) + match.group(2), grammar)
            sector = grammar.heads.get(match.group(3).lower())
            if country is None and sector is None:
                continue
            _add_resolved(found, match, discourse.resolve(country, sector))
        for pattern, country in grammar.nouns:
            for match in pattern.finditer(sentence):
                _add_resolved(found, match, discourse.resolve(country, None))
    return _longest_non_overlapping(found)


def _demonym_country(words: str, grammar: _DescriptorGrammar) -> str | None:
    return next((country for pattern, country in grammar.demonyms if pattern.search(words)), None)


def _add_resolved(found: list[OrgMention], match: re.Match, target: OrgMention | None) -> None:
    if target is not None:
        found.append(OrgMention(match.start(), match.end(), match.group(0), target.canonical, target.kind,
                                target.country, "descriptor", target.sectors))


@cache
def _reference_patterns(family: str) -> tuple[re.Pattern, re.Pattern]:
    lexicon = load_lexicon("organisations")
    references = re.compile("|".join(lexicon["references"][family]), re.IGNORECASE)
    pairs = re.compile("|".join(lexicon["pair_references"][family]), re.IGNORECASE)
    return references, pairs


def refers_to_pair(sentence: str, language: str | None) -> bool:
    return any(_reference_patterns(family)[1].search(sentence)
               for family in dict.fromkeys((language_family(language), "en")))


def reference_spans(sentence: str, language: str | None) -> list[tuple[int, int]]:
    """Spans of 'the company', 'its', 'das Unternehmen' in the sentence."""
    pattern = _reference_patterns(language_family(language))[0]
    return [(match.start(), match.end()) for match in pattern.finditer(sentence)]


@cache
def _deal_reference_pattern(family: str) -> re.Pattern:
    return re.compile("|".join(load_lexicon("organisations")["deal_references"][family]), re.IGNORECASE)


def refers_to_deal(sentence: str, language: str | None) -> bool:
    """'The agreement also covers ...': the sentence continues the deal named before."""
    return any(_deal_reference_pattern(family).search(sentence)
               for family in dict.fromkeys((language_family(language), "en")))


@cache
def _unknown_org_pattern() -> tuple[re.Pattern, frozenset[str]]:
    lexicon = load_lexicon("organisations")
    pattern = re.compile(rf"{lexicon['unknown_org_connectors']}({lexicon['unknown_org_name']})")
    demonyms = [word for family in lexicon["demonyms"].values() for word in family]
    demonym_nouns = [word for family in lexicon["demonym_nouns"].values() for word in family]
    stop_words = {word.casefold() for word in [*lexicon["not_organisations"], *demonyms, *demonym_nouns]}
    return pattern, frozenset(stop_words)


@cache
def _unknown_subject_pattern() -> re.Pattern:
    return re.compile(load_lexicon("organisations")["unknown_subject_org"])


def _german_common_noun(word: str) -> bool:
    """'Konzern', 'Gesundheits-Apps', 'FRAND-Bedingungen': capitalised as every German noun, or a compound
    whose last part is one; 'InterDigital' or 'N26' carry marks of a name inside the word."""
    if re.search(r"-[A-ZÄÖÜ][a-zäöüß]+$", word):
        return True
    return not re.search(r"[^-\s][A-Z0-9]", word)


@cache
def _name_descriptor_word() -> re.Pattern:
    return re.compile(load_lexicon("organisations")["name_descriptor_word"])


@cache
def _demonym_like() -> re.Pattern:
    return re.compile(load_lexicon("organisations")["demonym_like"])


@cache
def _not_org_after() -> re.Pattern:
    return re.compile(load_lexicon("organisations")["not_org_after"])


def _beside_known(sentence: str, match: re.Match, start: int, end: int, known: list[OrgMention]) -> bool:
    """'and'/'und'/'&' join a name to the deal only right next to a known company ("Nokia and Frobozz")."""
    connector = sentence[match.start():start].strip().lower()
    if connector not in ("and", "und", "&"):
        return True
    known_before = any(mention.end == len(sentence[:match.start()].rstrip()) for mention in known)
    joined_after = re.match(r"\s*(?:and|und|&)\s+", sentence[end:])
    known_after = bool(joined_after) and any(mention.start == end + joined_after.end() for mention in known)
    return known_before or known_after


@cache
def _described_name_pattern() -> re.Pattern:
    """'Chinese phone maker Oppo', 'den chinesischen Chiphersteller Innoscience': a name after a descriptor noun."""
    lexicon = load_lexicon("organisations")
    heads = sorted({head for family in lexicon["descriptor_heads"].values() for head in family}, key=len, reverse=True)
    alternatives = "|".join(re.escape(head) for head in heads)
    return re.compile(rf"(?i:\w*(?:{alternatives}))\s+({lexicon['unknown_org_name']})")


def connected_unknown_orgs(sentence: str, named: list[OrgMention], language: str | None = "en") -> list[OrgMention]:
    """Capitalised names joined to the deal by 'with', 'from', 'and', 'mit', ... that the registry does not know.

    Kept with their name as written, so unknown parties are not dropped; places, months and titles are not names.
    """
    pattern, stop_words = _unknown_org_pattern()
    known = [mention for mention in named if mention.can_be_party and mention.via != "descriptor"]
    described = {match.start(1) for match in _described_name_pattern().finditer(sentence)}
    # a name joined by a connector is a party only beside a known one; a described name stands on its own
    subject = _unknown_subject_pattern().match(sentence) if known else None
    candidates = [*(pattern.finditer(sentence) if known else ()), *_described_name_pattern().finditer(sentence),
                  *([subject] if subject else [])]
    found = []
    for match in candidates:
        words = match.group(1).split()
        while words and words[-1].casefold() in stop_words:
            words.pop()
        if words and _name_descriptor_word().search(words[0]):
            continue  # "Berlin-based carmakers": a description, not a name
        if not words or words[0].casefold().rstrip("s") in stop_words or words[0].casefold() in stop_words \
                or " ".join(words).casefold() in stop_words or words[0].isupper() and len(words[0]) > 5:
            continue  # places, months, titles, demonyms; all-caps words are datelines ("BEIJING")
        if language_family(language) == "de" and len(words) < 2 and _german_common_noun(words[0]) \
                and match.start(1) not in described:
            continue  # German capitalises every noun: one plain capitalised word is no evidence of a name
        if len(words) == 1 and _demonym_like().search(words[0]) and match.start(1) not in described:
            continue
        start = match.start(1)
        end = start + len(" ".join(words))
        if sentence[start:end] != " ".join(words):
            continue  # the name spans other whitespace than single spaces; skip rather than misplace
        if match.start(1) not in described and not _beside_known(sentence, match, start, end, known):
            continue
        if _not_org_after().match(sentence[end:]):
            continue  # a place ("Cambridge, England") or a brand ("the TCL and Alcatel brands")
        candidate = OrgMention(start, end, sentence[start:end], strip_legal_suffix(sentence[start:end]),
                               "company", None, "unknown")
        if not any(_overlaps(candidate, other) for other in [*named, *found]):
            found.append(candidate)
    return found
