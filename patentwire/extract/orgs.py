"""Organisation mentions in a sentence: registry names, organisations the registry does not know,
descriptors ("die Finnen", "the South Korean tech giant") and references ("the company", "its").

Known names come from one Aho-Corasick automaton over the case-folded registry forms, built once per
registry; each hit is then checked against how the form may be written (`_FormPolicy`): a distinctive
name in any capitalisation ("NOKIA", "Interdigital"), a name that is also a word only as the registry
writes it ("Apple", "Orange"), and a listed name that is a common word ("Target", "Gap") only with
company context (a legal form, a company descriptor before it, or an earlier mention in the article).

Unknown organisations are found from context, each by one compiled pattern (nothing is quadratic in
the text): a legal form ("Frobozz Widgets GmbH", "Lumora Electronics Co., Ltd."), "X-Konzern", an
apposition ("Kestrel Orbital, a satellite startup"), a descriptor before the name ("the Munich-based
supplier X", "der Münchner Zulieferer X"), an exchange ticker ("(NYSE: XYZ)"), and names of
universities, institutes, courts and authorities by their head words. An abbreviation defined in
parentheses ("Hanlin Mobile Communications Co., Ltd. (HLM)"), a former name ("X, formerly Y") and the
short form of an unknown name ("Quantenfeld" for "Quantenfeld Systems GmbH") are learned by the
article's `Discourse` and found again in later sentences.

Descriptors and references are resolved against the organisations named earlier in the article
(`Discourse`), only when that choice is unambiguous enough: see `Discourse.resolve`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cache

import ahocorasick

from patentwire.companies import Company, CompanyRegistry, normalize_name, strip_legal_suffix
from patentwire.extract.language import profile, profiles
from patentwire.extract.forms import FormIndex
from patentwire.extract.lexicon import organisations_lexicon
from patentwire.extract.screen import LiteralScreen
from patentwire.extract.numbers import language_family
from patentwire.vocab import PARTY_KINDS as VOCAB_PARTY_KINDS
from patentwire.wordlists import is_common_word, is_place, is_place_adjective, word_frequency

PARTY_KINDS = frozenset(str(kind) for kind in VOCAB_PARTY_KINDS)  # one source: patentwire.vocab


@dataclass(frozen=True)
class OrgMention:
    start: int  # offsets inside the sentence
    end: int
    name: str  # as written
    canonical: str
    kind: str  # registry kind; "company" for unknown organisations
    country: str | None
    # "registry", "legal_suffix", "konzern", "descriptor", "unknown", "apposition", "described",
    # "abbreviation", "former_name", "short_form", "ticker", "institution"
    via: str
    sectors: tuple[str, ...] = ()
    confidence: float = 1.0  # how sure the recogniser is that this is that organisation

    @property
    def can_be_party(self) -> bool:
        return self.kind in PARTY_KINDS


@dataclass
class Discourse:
    """What the article has named so far, to resolve descriptors and references and to find names
    it introduced (abbreviations, former names, short forms) again in later sentences."""

    title_names: frozenset[str] = frozenset()
    seen: list[OrgMention] = field(default_factory=list)
    frequency: Counter = field(default_factory=Counter)
    subject: OrgMention | None = None  # first party named in the latest sentence that named one: "its" points here
    learned: dict[str, OrgMention] = field(default_factory=dict)  # written form -> the organisation it names
    persons: set[str] = field(default_factory=set)  # surnames of people named so far ("Raman" after "Priya Raman")
    named: set[str] = field(default_factory=set)  # canonical names of every organisation named so far
    article_text: str = ""  # the whole body: does it also write a name without the words before it?
    _learned_index: FormIndex = field(default_factory=FormIndex)
    _written_alone: dict[tuple[str, str], bool] = field(default_factory=dict)
    renamed: dict[str, str] = field(default_factory=dict)  # an old name -> the name the company has now

    def writes_alone(self, rest: str, lead: str) -> bool:
        """Does the article write `rest` somewhere without `lead` before it? Asked once per name and article:
        a search of the whole text for every mention of every sentence would grow with the square of its length."""
        key = (rest, lead)
        if key not in self._written_alone:
            self._written_alone[key] = re.search(
                rf"(?<![\w-])(?<!{re.escape(lead)} ){re.escape(rest)}(?![\w-])", self.article_text) is not None
        return self._written_alone[key]

    def learn_renamings(self, sentence: str, mentions: list[OrgMention]) -> None:
        """"X has changed its name to Y", "Y, formerly X", "X firmiert unter dem Namen Y": from here on X
        is Y (a count or a deal of X is Y's)."""
        lexicon = organisations_lexicon()
        ordered = sorted(mentions, key=lambda mention: mention.start)
        for first, second in zip(ordered, ordered[1:]):
            if first.end > second.start:
                continue
            if lexicon.renaming.match(sentence[first.end:second.start]):
                self._rename(first.canonical, second.canonical)  # the old name first
            elif (former := lexicon.former_name.match(sentence, first.end)) and former.start(1) == second.start:
                self._rename(second.canonical, first.canonical)  # the new name first

    def _rename(self, old: str, new: str) -> None:
        if old != new and self.renamed.get(new) != old:  # never a cycle
            self.renamed[old] = new

    def current_name(self, canonical: str) -> str:
        """The name a company has now, following renamings (one hop or more)."""
        seen = {canonical}
        while (newer := self.renamed.get(canonical)) is not None and newer not in seen:
            seen.add(newer)
            canonical = newer
        return canonical

    def remember(self, mentions: list[OrgMention]) -> None:
        parties = [mention for mention in mentions if mention.can_be_party]
        if parties:
            self.subject = parties[0]
        for mention in mentions:
            self.named.add(mention.canonical)
            if mention.can_be_party:
                self.seen.append(mention)
                self.frequency[mention.canonical] += 1
            for form in learnable_forms(mention):
                if form not in self.learned:
                    self.learned[form] = mention
                    self._learned_index.add(form)

    def learned_mentions(self, sentence: str) -> list[OrgMention]:
        """Forms the article introduced before ("HLM", "Quantenfeld"), found again in this sentence."""
        found = []
        for occurrence in self._learned_index.leftmost_longest(sentence):
            origin = self.learned[occurrence.form]
            found.append(replace(origin, start=occurrence.start, end=occurrence.end, name=occurrence.form,
                                 via=origin.via if origin.via in ("abbreviation", "former_name") else "short_form"))
        return found

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


def learnable_forms(mention: OrgMention) -> list[str]:
    """Forms of a mention that later sentences may use alone: the name without legal form, and for an
    organisation the registry does not know, its distinctive first word ("Quantenfeld")."""
    if mention.via in ("descriptor", "short_form"):
        return []
    forms = []
    if mention.via in ("abbreviation", "former_name", "ticker"):
        forms.append(mention.name)
    if mention.via != "registry" and mention.can_be_party:
        bare = strip_legal_suffix(mention.name)
        if bare and bare != mention.name and len(bare) >= 3:
            forms.append(bare)
        words = mention.canonical.split()
        first = words[0] if words else ""
        if len(words) > 1 and len(first) >= 4 and first[0].isupper() and not is_common_word(first) \
                and first.casefold() not in _not_org_words() and not _is_place_word(first) and not _plain_noun(first):
            forms.append(first)
    return forms


@dataclass(frozen=True)
class _FormPolicy:
    written: str  # the form as the registry writes it
    canonical: str
    policy: str  # "free": any capitalisation; "cased": as written (or in capitals); "context": needs context
    listed: bool = False  # from the generated listings, not the curated file


class OrgFinder:
    """Finds organisation mentions in sentences; built once per registry."""

    def __init__(self, registry: CompanyRegistry, bare_names: bool = False):
        self.registry = registry
        # names with no cue but their capitals (confidence 0.6, see bare_mentions): off by default, since the
        # rule-based party logic then takes bystanders for parties (holdout deals F1 0.96 -> 0.92 in English)
        self.bare_names = bare_names
        self._automaton = ahocorasick.Automaton()
        entries: dict[str, list[_FormPolicy]] = {}
        for company in sorted(registry.companies, key=lambda c: {"user": 0, "curated": 1}.get(c.tier, 2)):
            context = set(company.context_forms)
            for form in company.surface_forms:
                if len(form) < 2 or not re.search(r"\w", form):
                    continue
                policy = "context" if form in context else _written_policy(form, company)
                entries.setdefault(_fold(form), []).append(_FormPolicy(form, company.name, policy,
                                                                       company.tier == "listed"))
        for folded, policies in entries.items():
            self._automaton.add_word(folded, (len(folded), tuple(policies)))
        self._automaton.make_automaton()
        lexicon = organisations_lexicon()
        # "ACME SEMICONDUCTOR GMBH": names in capitals carry their legal form in capitals too
        suffixes = sorted({*lexicon.legal_suffixes, *(suffix.upper() for suffix in lexicon.legal_suffixes)},
                          key=len, reverse=True)
        suffix_alternatives = "|".join(re.escape(suffix) + (r"(?!\w)" if suffix[-1].isalnum() else "") for suffix in suffixes)
        name_word = r"[A-ZÄÖÜ0-9][\w&'’.]*(?:-[\w&'’.]+)*"  # no "--": "2021--Castellan" is a dateline
        # "Gesellschaft für Telekommunikation mbH", "Bank of Ningbo Co., Ltd.": für/for/of may join name words,
        # "and" may not ("Nokia and Frobozz GmbH" is two companies)
        self._suffix_span = re.compile(rf"((?:{name_word}\s+(?:(?:&|für|for|of)\s+)?){{0,4}}{name_word}),?\s+(?:{suffix_alternatives})")
        self._not_name = frozenset(lexicon.not_name_words)
        self._konzern = lexicon.konzern_pattern
        self._appositive = lexicon.appositive_org
        heads = {head for family in lexicon.descriptor_heads.values() for head in family} | set(lexicon.apposition_heads)
        head_alternatives = "|".join(re.escape(head) for head in sorted(heads, key=len, reverse=True))
        self._apposition_anywhere = re.compile(lexicon.apposition_org.replace("{heads}", head_alternatives))
        self._stop_words = frozenset(word.casefold() for word in lexicon.not_organisations)
        self._abbreviation = lexicon.abbreviation_definition
        self._former = lexicon.former_name
        self._ticker = lexicon.exchange_ticker
        self._institutions = [(pattern, kind) for kind, pattern in lexicon.institution_patterns.items()]
        self._institution_triggers = [lexicon.institution_triggers[kind] for _pattern, kind in self._institutions]
        self._institution_screen = LiteralScreen(self._institution_triggers)
        self._company_context_before = lexicon.company_context_before

    # --- names the registry knows

    def registry_mentions(self, sentence: str, with_context_forms: bool = False) -> list[OrgMention]:
        """Registry names as written in the sentence; forms needing context only if `with_context_forms`
        (they come back with confidence 0.5 for the caller to confirm)."""
        found = []
        folded = _fold(sentence)
        for end_index, (length, policies) in self._automaton.iter(folded):
            start, end = end_index - length + 1, end_index + 1
            if start > 0 and (sentence[start - 1].isalnum() or sentence[start - 1] in "-_@"):
                continue
            possessive = _POSSESSIVE.match(sentence, end)
            compound = _LOWER_COMPOUND.match(sentence, end)  # "Philips-branded", "Nokia-owned"
            if end < len(sentence) and (sentence[end].isalnum() or sentence[end] in "-@") and not (possessive or compound):
                continue
            written = sentence[start:end]
            inside_longer_name = bool(_NEXT_NAME_WORD.match(sentence, end)) or bool(_PREVIOUS_NAME_WORD.search(sentence, 0, start))
            for entry in policies:
                if entry.listed and inside_longer_name:
                    continue  # "Kestrel Optics", "DB HiTek": not the listed "Kestrel" or "Hitek" next to a word
                if entry.listed and written != entry.written and not written.isupper():
                    continue  # listed names are written as listed (or in capitals)
                accepted = _written_as_name(written, entry)
                if accepted is None or (accepted == "context" and not with_context_forms):
                    continue
                company = self.registry.get(entry.canonical)
                mention = _from_company(company, start, end, written)
                found.append(replace(mention, confidence=0.5) if accepted == "context" else mention)
                break
        return _longest_non_overlapping(found)

    def _confirmed_context_forms(self, sentence: str, mentions: list[OrgMention],
                                 discourse: Discourse | None) -> list[OrgMention]:
        """A registry form that is a common word ("Target") is a name after a company descriptor
        ("retailer Target"), before a ticker, or once the article named that company plainly."""
        kept = []
        for mention in mentions:
            if mention.confidence >= 1.0:
                kept.append(mention)
            elif (discourse is not None and mention.canonical in discourse.named) \
                    or self._company_context_before.search(sentence[max(0, mention.start - 40):mention.start]) \
                    or self._ticker.match(sentence, mention.end):
                kept.append(replace(mention, confidence=0.9))
        return kept

    # --- names the registry does not know

    def suffix_mentions(self, sentence: str) -> list[OrgMention]:
        found = []
        for match in self._suffix_span.finditer(sentence):
            words = match.group(1).split()
            words = _strip_leading_descriptors(words, self._not_name)
            if not words or (len(words) == 1 and words[0].casefold().strip(".") in _legal_fragments()):
                continue  # "Co., Ltd." alone, or only a description before the legal form
            company, known_start = self._registry_tail(sentence, match.start(1), match.end())
            start = known_start if company is not None else sentence.index(words[0], match.start())
            written = sentence[start:match.end()]
            if company is not None:
                found.append(_from_company(company, start, match.end(), sentence[start:match.end()]))
            else:
                canonical = _display(strip_legal_suffix(written) or written)
                if normalize_name(canonical) in _legal_fragments() or normalize_name(canonical) in self._stop_words:
                    continue
                found.append(OrgMention(start, match.end(), written, canonical, "company", None, "legal_suffix"))
        for match in self._konzern.finditer(sentence):
            if match.group(1).casefold() in self._stop_words:
                continue  # "US-Konzern", "EU-Gruppe": a place, no name
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
        matches = [*self._appositive.finditer(sentence), *self._apposition_anywhere.finditer(sentence)]
        for match in matches:
            words = _strip_leading_descriptors(match.group(1).split(), self._not_name)
            if not words:
                continue
            name = " ".join(words)
            start = match.end(1) - len(name)
            if sentence[start:match.end(1)] != name or not self._plausible_unknown(name, None):
                continue
            if name.isupper() and len(name) > 5 and match.start(1) == 0:
                continue  # a dateline city ("DRESDEN, Germany")
            company = self.registry.lookup(name)
            if company is not None:
                found.append(_from_company(company, start, match.end(1), name))
            else:
                found.append(OrgMention(start, match.end(1), name, _display(strip_legal_suffix(name) or name),
                                        "company", None, "apposition"))
        return found

    def described_mentions(self, sentence: str, language: str | None) -> list[OrgMention]:
        """'the Munich-based supplier Kaspian', 'der Münchner Zulieferer Quantenfeld': a name after a
        company descriptor noun."""
        found = []
        english = not profile(language).capitalises_nouns  # a capitalised head is then part of a name
        for match, head_start in _described_name_pattern().matches_with_heads(sentence):
            if english and sentence[head_start].isupper():
                continue  # "Castellan IP Partners Acquires ...": a capitalised head is part of a name
            words = _trim_name_words(match.group(1).split(), language)
            if not words:
                continue
            name = " ".join(words)
            start = match.start(1)
            if sentence[start:start + len(name)] != name or not self._plausible_unknown(name, language):
                continue
            if organisations_lexicon().not_org_after.match(sentence[start + len(name):]):
                continue
            company = self.registry.lookup(name)
            if company is not None:
                found.append(_from_company(company, start, start + len(name), name))
            else:
                found.append(OrgMention(start, start + len(name), name, _display(name), "company", None, "described"))
        return found

    def institution_mentions(self, sentence: str) -> list[OrgMention]:
        """Universities, institutes, courts and authorities by their head words ('Universität Stuttgart',
        'Fraunhofer-Institut für ...', 'Regional Court of Munich I', 'Korean Intellectual Property Office')."""
        found = []
        possible = self._institution_screen.possible(sentence)
        for (pattern, kind), trigger in zip(self._institutions, self._institution_triggers):
            if trigger not in possible or not trigger.search(sentence):
                continue  # each pattern runs only where its head word occurs: they are costly to try everywhere
            for match in pattern.finditer(sentence):
                start, name = match.start(), match.group(0).rstrip(" ,.")
                while (first := name.split(" ", 1)[0]) in self._not_name or first.casefold() in self._stop_words:
                    if " " not in name:
                        break
                    start, name = start + len(first) + 1, name[len(first) + 1:]
                if " " not in name and name.casefold() in self._stop_words:
                    continue
                company = self.registry.lookup(name)
                if company is not None:
                    found.append(_from_company(company, start, start + len(name), name))
                else:
                    found.append(OrgMention(start, start + len(name), name, name, kind, None, "institution"))
        return found

    def _plausible_name(self, name: str) -> bool:
        words = name.split()
        if not words or name.casefold() in self._stop_words or words[0].casefold() in self._stop_words:
            return False
        if all(word.casefold() in _not_org_words() for word in words):
            return False
        return not (len(words) == 1 and is_common_word(words[0]) and not _has_name_marks(words[0]))

    def _plausible_unknown(self, name: str, language: str | None) -> bool:
        """An unknown candidate that can be an organisation's name: not a place, not a person ("Oliver
        Grant", first name known), not an adverb ("Unofficially"), not a model number ("RM520R"), and in
        German not a plain noun ("Rechtssicherheit", "Lichtpatente")."""
        if not self._plausible_name(name) or is_place(name):
            return False
        words = name.split()
        if organisations_lexicon().demonym_like.search(words[-1]) and len(words) <= 2 and word_frequency(words[-1], "en") >= 1.0 \
                and not _org_word(words[-1]):
            return False  # "South Tyrolean", "Swabian" (words a dictionary knows, unlike "Kaspian")
        if re.search(r"(?:straße|strasse|allee|gasse|platz|weg|ring|damm|ufer)\b", name, re.IGNORECASE):
            return False  # an address ("Leopoldstraße 120")
        if re.search(r"-(?:based|headquartered|listed|owned)$", name):
            return False
        if len(words) == 1:
            word = words[0]
            if _is_role_word(word) or (word.endswith("s") and _is_role_word(word[:-1])):
                return False  # "Mittelständlers", "Konkurrenten"
            if word.endswith("ly") and word[0].isupper() and word[1:].islower():
                return False
            if re.search(r"\d", word) and re.search(r"[A-Za-z]", word) and self.registry.lookup(word) is None:
                return False
            language_profile = profile(language)
            if language_profile.capitalises_nouns and not _has_name_marks(word) and (
                    is_common_word(word, (language_profile.code,), 3.0) or ("-" in word and _plain_noun(word.rsplit("-", 1)[1]))
                    or word.casefold().endswith(_glued_endings())):
                return False  # a plain German noun ("Rechtssicherheit", "NB-IoT-Geräten"), capitalised as all nouns
        elif _is_first_name(words[0]) and len(words) <= 3 and not any(_org_word(word) for word in words[1:]) \
                and words[-1] not in _industry_name_nouns():
            return False  # a person ("Oliver Grant"), unless the name ends in an industry noun ("Yonghua Optics")
        return True

    def affiliation_mentions(self, sentence: str, language: str | None, known: list[OrgMention]) -> list[OrgMention]:
        """Names after an affiliation or list cue ("an analyst at Fjord Insight", "backed by Lone Star Venture
        Partners", "makers such as Sigma, Tamron and Kowa Optical") and names listed beside a known
        organisation ("Cisco and Inspur", "Deere, Kinze and AGCO")."""
        found: list[OrgMention] = []
        for family in dict.fromkeys((language_family(language), "en")):
            for match in _affiliation_pattern(family).finditer(sentence):
                self._add_listed_names(sentence, match.start(1), language, found)
        for mention in known:
            if mention.via in ("descriptor",) or not mention.can_be_party:
                continue
            for match in _LIST_AFTER.finditer(sentence, mention.end):
                if match.start() != mention.end:
                    break
                self._add_listed_names(sentence, match.start(1), language, found, first_only=False)
                break
            before = _LIST_BEFORE.search(sentence[max(0, mention.start - 80):mention.start])
            if before is not None:
                offset = max(0, mention.start - 80)
                self._add_name(sentence, offset + before.start(1), offset + before.end(1), language, found)
        return found

    def _add_listed_names(self, sentence: str, position: int, language: str | None, found: list[OrgMention],
                          first_only: bool = False) -> None:
        """The name at `position` and the names listed after it ("A, B and C")."""
        for _ in range(6):
            match = _NAME_AT.match(sentence, position)
            if match is None:
                return
            self._add_name(sentence, match.start(1), match.end(1), language, found)
            following = _LIST_AFTER.match(sentence, match.end(1))
            if following is None:
                return
            position = following.start(1)

    def _add_name(self, sentence: str, start: int, end: int, language: str | None, found: list[OrgMention]) -> None:
        words = _trim_name_words(sentence[start:end].split(), language)
        words = _strip_leading_descriptors(words, self._not_name) if words else []
        if not words:
            return
        name = " ".join(words)
        start = sentence.find(name, start, end + 1)
        if start < 0 or not self._plausible_unknown(name, language) or is_common_word(name):
            return
        language_profile = profile(language)
        if language_profile.capitalises_nouns and len(words) == 1 and (
                is_common_word(words[0], (language_profile.code,), 2.5) or _plain_noun(words[0])):
            return  # after "laut", "wie", "darunter" a plain noun is likelier than a name
        if len(words) == 1 and words[0] in _TECH_ACRONYMS:
            return
        if organisations_lexicon().not_org_after.match(sentence[start + len(name):]):
            return
        company = self.registry.lookup(name)
        mention = _from_company(company, start, start + len(name), name) if company is not None else \
            OrgMention(start, start + len(name), name, _display(strip_legal_suffix(name) or name), "company", None,
                       "listed", confidence=0.8)
        found.append(mention)

    def bare_mentions(self, sentence: str, language: str | None) -> list[OrgMention]:
        """A capitalised name inside a sentence whose first word no dictionary knows ("Kymeta", "Intellian"),
        that is neither a place nor a person: in English text, capitals there mark a proper name, and
        companies are the proper names this news is full of (confidence 0.6). German capitalises every
        noun, so there it takes marks of a name inside the word ("GreyB", "HiSilicon")."""
        found: list[OrgMention] = []
        german = profile(language).capitalises_nouns  # every noun capitalised: capitals alone mark no name
        for match in _BARE_NAME.finditer(sentence):
            words = _trim_name_words(re.sub(r"['’]s$", "", match.group(1)).split(), language)
            while words and (words[-1] in _TECH_ACRONYMS or words[-1].isupper() and len(words) > 1):
                words = words[:-1]  # "Supermicro GPU": the product word after the name
            if not words:
                continue
            first = words[0]
            if re.search(r"-[a-z]|-[A-ZÄÖÜ][a-zäöüß]{3,}$", first) or re.fullmatch(r"[A-Z]{2,}s", first):
                continue  # "HEVC-related", "HEVC-Patente", "OLEDs": words about technology, no names
            if word_frequency(first, "en") >= 2.5 or word_frequency(first, "de") >= 2.5 or _is_first_name(first):
                continue
            if german and not _has_name_marks(first):
                continue
            if re.match(r"\s*(?:\d|[A-Z]\d)", sentence[match.end(1):]):
                continue  # a product and its model number ("Xperia 5", "Galaxy S24")
            self._add_name(sentence, match.start(1), match.start(1) + len(" ".join(words)), language, found)
        return [replace(mention, confidence=0.6, via="unknown") if mention.via != "registry" else mention
                for mention in found]

    def long_form_mentions(self, sentence: str, mentions: list[OrgMention]) -> list[OrgMention]:
        """'The Inductive Charging Licensing Platform (ICLP)', 'Verkehrsbetriebe Zürich (VBZ)': a capitalised
        phrase that the abbreviation after it spells out (Schwartz and Hearst's rule: the letters of the
        abbreviation in order, the first one starting the phrase) is an organisation's name."""
        found = []
        taken = [(mention.start, mention.end) for mention in mentions]
        for match in self._abbreviation.finditer(sentence):
            short = match.group(1)
            if not short.isupper() or len(short) < 2 or any(start <= match.start() <= end for start, end in taken):
                continue
            before = sentence[max(0, match.start() - 120):match.start()].rstrip()
            phrase = _LONG_FORM.search(before)
            if phrase is None:
                continue
            words = phrase.group(1).split()
            while words and not (words[0][0].isupper() and _spells(short, words)):
                words = words[1:]
            words = _strip_leading_descriptors(words, self._not_name) if words else []
            if len(words) < 2 or not _spells(short, words):
                continue
            name = " ".join(words)
            end = match.start() - (len(sentence[:match.start()]) - len(sentence[:match.start()].rstrip()))
            start = end - len(name)
            if sentence[start:end] != name:
                continue
            kind = self._long_form_kind(name)
            long_form = OrgMention(start, end, name, name, kind, None, "long_form", confidence=0.8)
            found.append(long_form)
            found.append(replace(long_form, start=match.start(1), end=match.end(1), name=short, via="abbreviation"))
        return found

    def _long_form_kind(self, name: str) -> str:
        company = self.registry.lookup(name)
        if company is not None:
            return company.kind
        kind = next((kind for pattern, kind in self._institutions if pattern.search(name)), None)
        if kind is not None:
            return kind
        return "other" if _ASSOCIATION.search(name) else "company"

    def subsidiary_mentions(self, sentence: str, mentions: list[OrgMention]) -> list[OrgMention]:
        """'Samsung Electronics Austria', 'Hitachi Astemo Europe': a known company followed by a country or a
        unit word is its subsidiary, an organisation of its own."""
        found = []
        for mention in mentions:
            if mention.via != "registry" or not mention.can_be_party:
                continue
            unit = _unit_after().match(sentence, mention.end)
            if unit is None:
                continue
            whole = sentence[mention.start:unit.end()]
            company = self.registry.lookup(whole)
            if company is not None:
                found.append(_from_company(company, mention.start, unit.end(), whole))
            else:
                found.append(OrgMention(mention.start, unit.end(), whole, whole, "company", mention.country,
                                        "subsidiary", mention.sectors, confidence=0.9))
        return found

    def defined_mentions(self, sentence: str, mentions: list[OrgMention]) -> list[OrgMention]:
        """An abbreviation defined in parentheses right after a name ("... Co., Ltd. (HLM)", '("Sisvel")'),
        a former name ("X, formerly Y", "X (vormals Y)") and a ticker ("(NASDAQ: XYZ)"): each names the
        organisation just before it."""
        found = []
        by_end = {mention.end: mention for mention in mentions if mention.via != "descriptor"}
        for match in self._abbreviation.finditer(sentence):
            owner = _ending_at(by_end, sentence, match.start())
            short = match.group(1)
            if owner is None or short.casefold() in self._stop_words or short.casefold() in _legal_fragments():
                continue
            found.append(replace(owner, start=match.start(1), end=match.end(1), name=short, via="abbreviation"))
        for match in self._former.finditer(sentence):
            owner = _ending_at(by_end, sentence, match.start())
            if owner is None:
                continue
            old = match.group(1)
            words = _trim_name_words(old.split(), None, trim_glued=False)
            if not words:
                continue
            old = " ".join(words)
            found.append(replace(owner, start=match.start(1), end=match.start(1) + len(old), name=old, via="former_name"))
        for match in self._ticker.finditer(sentence):
            owner = _ending_at(by_end, sentence, match.start())
            company = self.registry.by_ticker(match.group(1))
            if owner is None and company is not None:
                found.append(_from_company(company, match.start(1), match.end(1), match.group(1), via="ticker"))
        return found

    def named_mentions(self, sentence: str, language: str | None = None,
                       discourse: Discourse | None = None) -> list[OrgMention]:
        """Registry names and unknown organisations the sentence names, longest first, without overlaps."""
        registry = self._confirmed_context_forms(
            sentence, self.registry_mentions(sentence, with_context_forms=True), discourse)
        persons = discourse.persons if discourse is not None else set()
        persons.update(_surnames(sentence))
        learned = discourse.learned_mentions(sentence) if discourse is not None else []
        # a form this article defined ('Kestrel Blade Technologies, Inc. ("Kestrel")') means what the
        # article said, not a registry company that happens to carry the same alias: it goes first, and
        # the longest-first choice keeps the first of equal spans
        defined_here = [mention for mention in learned if mention.via in ("abbreviation", "former_name")
                        or self.registry.get(mention.canonical) is None]
        candidates = [*defined_here, *registry, *self.suffix_mentions(sentence), *self.appositive_mentions(sentence),
                      *self.described_mentions(sentence, language), *self.institution_mentions(sentence),
                      *(mention for mention in learned if mention not in defined_here)]
        mentions = self._join_entity_names(sentence, _longest_non_overlapping(candidates))
        mentions = _longest_non_overlapping([*mentions, *self.subsidiary_mentions(sentence, mentions)])
        defined = self.defined_mentions(sentence, mentions)
        # defined first: '("Kestrel")' right after a name is that name's, whatever the registry calls Kestrel
        mentions = _longest_non_overlapping([*defined, *mentions, *self.long_form_mentions(sentence, mentions)])
        # weakest evidence last: it only fills gaps the stronger finders left
        listed = [mention for mention in [*self.affiliation_mentions(sentence, language, mentions),
                                          *(self.bare_mentions(sentence, language) if self.bare_names else ())]
                  if mention.name not in persons and not any(_overlaps(mention, other) for other in mentions)]
        return _longest_non_overlapping([*(m for m in mentions if m.via == "registry" or m.name not in persons), *listed])

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
        named = [_without_unwritten_lead(mention, discourse, self._not_name)
                 for mention in self.named_mentions(sentence, language, discourse)]
        # "der chinesische Hersteller Lenovo": a descriptor right before a name describes that name
        descriptors = [mention for mention in descriptor_mentions(sentence, language, discourse)
                       if not any(_overlaps(mention, other) or 0 <= other.start - mention.end <= 1 for other in named)]
        return sorted(named + descriptors, key=lambda mention: mention.start)


def _without_unwritten_lead(mention: OrgMention, discourse: Discourse, not_name: frozenset[str]) -> OrgMention:
    """'Die Nürnberger Datavista GmbH … Datavista bietet', 'die Wiener Softwarefirma Formwerk GmbH … Formwerk':
    a place adjective or a descriptor an unknown name starts with is no part of it when the article also
    writes the rest alone. Without that evidence the words stay ("Leipziger Verkehrsbetriebe")."""
    if mention.via == "registry" or mention.kind != "company" or not discourse.article_text:
        return mention
    words = mention.canonical.split()
    for cut in range(1, len(words)):
        lead = words[cut - 1]
        if not (_is_leading_descriptor(lead, not_name) or re.fullmatch(r"[A-ZÄÖÜ][a-zäöü]{0,3}\.", lead)):
            return mention  # "St." of "St. Galler" is skipped with the adjective after it
        rest = " ".join(words[cut:])
        offset = mention.name.find(rest)
        if offset > 0 and discourse.writes_alone(rest, " ".join(words[:cut])):
            return replace(mention, start=mention.start + offset, name=mention.name[offset:], canonical=rest)
    return mention


def article_mentions(finder: OrgFinder, title: str, sentences: Iterable[str], language: str | None) -> list[list[OrgMention]]:
    """The mentions of the title and of each sentence, read in order with one `Discourse`: what the
    extractor sees of an article's organisations (used by bench/orgs_eval.py and the tests)."""
    sentences = list(sentences)
    discourse = Discourse(article_text=" ".join(sentences))
    found = []
    if title:
        title_mentions = finder.mentions(title, language, discourse)
        discourse.title_names = frozenset(m.canonical for m in title_mentions if m.can_be_party)
        discourse.remember(title_mentions)
        found.append(title_mentions)
    for sentence in sentences:
        mentions = finder.mentions(sentence, language, discourse)
        discourse.remember(mentions)
        found.append(mentions)
    if title:  # names the body introduces ("Tessin Microsystems SA") are found in the headline too
        found[0] = finder.mentions(title, language, discourse)
    return found


# a capitalised word right after or before a name, other than a legal form or a title ("Kestrel Optics")
_ASSOCIATION = re.compile(r"(?i:association|society|team|alliance|forum|council|committee|federation|foundation|"
                          r"verband|verein|kommission|commission|gremium|initiative|amt|patentamt|gericht\w*|"
                          r"gerichtshof|ministerium|office|agency|court|tribunal|standard|group of|bundesamt\w*|amt für|"
                          r"regulierung\w*|regulator\w*|behörde)\b|"
                          r"(?i:amts?|gerichts?)$")
# after a lower-case word or a comma: not the capital that opens a sentence
_BARE_NAME = re.compile(r"(?<=[a-zäöüß,;] )([A-ZÄÖÜ][\w&'’-]*[\w](?:\s+[A-ZÄÖÜ][\w&-]*){0,2})")
_POSSESSIVE = re.compile(r"(?:'s|’s|s\b|')")
_LOWER_COMPOUND = re.compile(r"-[a-zäöü]")
_TECH_ACRONYMS = frozenset({"DRAM", "SRAM", "NAND", "MRAM", "RRAM", "OLED", "LCD", "LED", "GPU", "CPU", "SoC", "ASIC",
                            "FPGA", "MEMS", "RF", "EUV", "DUV", "ALD", "CVD", "PVD", "SiC", "GaN", "HBM", "DDR5", "LPDDR",
                            "ReRAM", "FeRAM", "PCM", "Chiplet", "Chiplets", "MicroLED", "QLED", "AMOLED"})
_NAME = r"(?-i:[A-ZÄÖÜ][\w&.'’-]*[\w](?:\s+(?:&\s+)?[A-ZÄÖÜ0-9][\w&'’-]*){0,3})"
_NAME_AT = re.compile(rf"({_NAME})")
_LIST_AFTER = re.compile(rf"(?:,\s*(?:and\s+|und\s+|or\s+|oder\s+)?|\s+(?:and|und|or|oder|&|sowie)\s+)(?:the\s+|die\s+|der\s+)?({_NAME})")
_LIST_BEFORE = re.compile(rf"(?<![\w-])({_NAME})(?:,\s*|\s+(?:and|und|or|oder|&|sowie)\s+)$")
_LONG_FORM = re.compile(r"((?:[A-ZÄÖÜ][\w&.'’-]*(?:\s+(?:of|for|and|für|und|de|der|des|&)\s+|\s+)){1,7}[A-ZÄÖÜ][\w&.'’-]*)$")

_PERSON = re.compile(r"(?<![\w-])([A-Z][a-zà-ÿ]+)\s+((?:van |von |de |di |da |le )?[A-Z][\w'’-]+)")


def _surnames(sentence: str) -> set[str]:
    """Surnames of 'First Last' pairs whose first name is a known given name ("Priya Raman" -> "Raman")."""
    return {match.group(2) for match in _PERSON.finditer(sentence) if _is_first_name(match.group(1))}


def _spells(short: str, words: list[str]) -> bool:
    """The abbreviation's letters appear in order in the words, the first one starting the first word."""
    text = " ".join(words).casefold()
    letters = [char for char in short.casefold() if char.isalnum()]
    if not letters or not text.startswith(letters[0]):
        return False
    position = 1
    for letter in letters[1:]:
        position = text.find(letter, position)
        if position < 0:
            return False
        position += 1
    return len(words) <= 2 * len(letters)


@cache
def _first_names():
    import gender_guesser.detector as detector  # 0.5 s to load its name list: only when a candidate needs it

    return detector.Detector(case_sensitive=False)


def _is_first_name(word: str) -> bool:
    return word.isalpha() and word[0].isupper() and _first_names().get_gender(word) != "unknown"


def _org_word(word: str) -> bool:
    folded = word.casefold()
    return folded in _not_org_words() or folded in {noun.casefold() for noun in _company_name_nouns()} \
        or folded.endswith(_descriptor_endings()) or _is_role_word(word)


@cache
def _affiliation_pattern(family: str) -> re.Pattern:
    return re.compile(rf"(?:{organisations_lexicon().affiliation_cues[family]})({_NAME})")


_NEXT_NAME_WORD = re.compile(r"\s(?!(?:Inc|Corp|Co|Ltd|LLC|AG|SE|GmbH|plc|PLC|N\.V|S\.A|CEO|CFO|CTO|Chief|President)\b)"
                             r"([A-ZÄÖÜ][\w&-]*)")
_PREVIOUS_NAME_WORD = re.compile(r"(?<![.!?:;\"“”])(?:^|(?<=\s))(?!(?:The|A|An|In|At|By|For|From|With|And|Or|Die|Der|Das|Den|Dem|Des|Und|Mit|Von|Bei)\s)"
                                 r"[A-ZÄÖÜ][\w&-]*\s$")


def _fold(text: str) -> str:
    """Lower case with every offset kept (str.lower() may lengthen 'İ'; such characters stay as they are)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(char.lower() if len(char.lower()) == 1 else char for char in text)


def _written_policy(form: str, company: Company) -> str:
    words = re.findall(r"[^\W\d_][\w'’-]*", form)
    if not words or any(char.isdigit() for char in form):
        return "free"
    if company.tier == "listed":  # the build already put the listed forms that are words in context_forms
        return "cased" if form[0].islower() or len(form) <= 3 else "free"
    if len(words) == 1 and (is_common_word(words[0]) or form[0].islower() or len(form) <= 3):
        return "cased"  # "Apple", "vivo", "LG": only as the registry writes them (or in capitals)
    if len(words) > 1 and all(is_common_word(word, threshold=5.0) for word in words):
        return "cased"
    return "free"


def _written_as_name(written: str, entry: _FormPolicy) -> str | None:
    """How the text's spelling of a registry form counts: as the name, as a name needing context, or not."""
    exact = written == entry.written
    capitals = written.isupper() and len(written) >= 4 and not entry.written.isupper()
    if entry.policy == "context":
        return "context" if exact else None
    if entry.policy == "cased":
        return "name" if exact or capitals else None
    if exact or capitals:
        return "name"
    # a distinctive name in another capitalisation ("Interdigital"), but never in lower case ("nokia")
    return "name" if written[:1].isupper() and not entry.written.isupper() else None


def _has_name_marks(word: str) -> bool:
    """'InterDigital', 'N26', 'e.GO': capitals or digits inside the word mark a name."""
    return bool(re.search(r"[^-\s][A-Z0-9]", word))


def _display(name: str) -> str:
    """Canonical spelling of an unknown name: 'ACME SEMICONDUCTOR' -> 'Acme Semiconductor' (short
    acronyms such as 'HLM' stay as written)."""
    words = name.split()
    if name.isupper() and any(len(word) > 4 for word in words):
        return " ".join(word if len(word) <= 3 else word.capitalize() for word in words)
    return name


def _ending_at(by_end: dict[int, OrgMention], sentence: str, position: int) -> OrgMention | None:
    """The mention that ends right before `position`, allowing a comma and spaces in between."""
    gap = len(sentence[:position]) - len(sentence[:position].rstrip(" ,"))
    return by_end.get(position - gap)


def _trim_name_words(words: list[str], language: str | None, trim_glued: bool = True) -> list[str]:
    """Drop words that end a candidate but are no part of a name: stop words, and in German a plain
    capitalised noun glued after the name ("Quantenfeld Patente")."""
    stop, glued = _stop_words_only(), (_glued_nouns() if trim_glued else frozenset())
    while words and (words[-1].casefold().strip(".,;:") in stop
                     or (len(words) > 1 and trim_glued and _glued(words[-1].strip(".,;:"), glued, language))):
        words = words[:-1]
    while words and words[0].casefold() in stop:
        words = words[1:]
    return [word.strip(",;:") for word in words]


def _strip_leading_descriptors(words: list[str], not_name: frozenset[str]) -> list[str]:
    """Drop what stands before a name without being part of it: articles and prepositions ("Bei"),
    role nouns and compounds ending in a descriptor head ("Objektivhersteller", "Patentverwertungsgesellschaft"),
    long German compounds ("Laserkommunikationsterminals"), place adjectives ("Salzburger", "Zürcher") and
    possessives of places ("China's"). A place word stays when only a plain noun would be left: it is part
    of the name then ("Dresdner Speicherwerke", "Tirol Compute")."""
    words = list(words)
    while len(words) > 1 and _is_leading_descriptor(words[0], not_name):
        if _is_place_word(words[0]) and len(words) == 2 and _plain_noun(words[1]):
            break
        words.pop(0)
    if len(words) == 1 and (words[0] in not_name or words[0].casefold() in _not_org_words()):
        return []
    return words


def _is_leading_descriptor(word: str, not_name: frozenset[str]) -> bool:
    folded = word.casefold()
    if word in not_name or folded in _not_org_words() or _is_role_word(word):
        return True
    if folded.endswith(_descriptor_endings()):
        return True
    if len(word) >= 16 and word[1:].islower() and word.isalpha():
        return True  # a German compound noun: "Laserkommunikationsterminals Murrtal Laser Terminals GmbH"
    if re.search(r"['’]s$", word) and (is_place(word[:-2]) or word[:-2].casefold() in _not_org_words()):
        return True
    if re.search(r"-(?:based|headquartered|listed|owned|born|basierte[mnrs]?|ansässige[mnrs]?)$", word):
        return True  # "Tokyo-based Vantor Holdings"
    if folded.endswith("s") and _is_role_word(word[:-1]):
        return True  # "Rivals DeLaval"
    return _is_place_adjective(word)


def _is_place_word(word: str) -> bool:
    """A place, a region or a German adjective made of one ('Salzburger', 'Südtiroler', 'Kärntner')."""
    return is_place(word) or word in _regions() or _is_place_adjective(word)


def _is_place_adjective(word: str) -> bool:
    """'Salzburger', 'Südtiroler', 'Lausanner', 'Waadtländer': a German adjective made of a place. A bare
    place before a name may be part of it ("Moss & Grain", "Dresden Elektronik"), so only adjectives count."""
    if word.casefold() in _not_org_words() and not is_place(word):
        return True  # demonyms and place words of the lexicon ("Zürcher", "Schweizer")
    if not word.endswith("er") or len(word) < 5 or not word[1:].islower():
        return False
    if is_place_adjective(word) or word.endswith("länder") or is_place(word[:-2] + "e"):
        return True
    return any(stem in _regions() for stem in (word[:-2], word[:-2] + "en", word[:-3] + "en"))


@cache
def _regions() -> frozenset[str]:
    return frozenset(organisations_lexicon().regions)


def _plain_noun(word: str) -> bool:
    """'Compute', 'Speicherwerke', 'Drehgestellbau': an everyday word, or a German compound ending in one."""
    if _has_name_marks(word) or not word.isalpha():
        return False
    if is_common_word(word):
        return True
    folded = word.casefold()
    return any(word_frequency(folded[cut:], "de") >= 3.0 for cut in range(2, len(folded) - 3))


@cache
def _descriptor_endings() -> tuple[str, ...]:
    """Word endings that make a capitalised word a descriptor ("Chipkonzern", "Softwareherstellers"): a role
    head of six letters or more or a descriptor noun of the lexicon, with any language's inflections."""
    heads = {head.casefold() for head in _role_words() if len(head) >= 6 and " " not in head}
    heads |= {noun.casefold() for noun in organisations_lexicon().descriptor_nouns}
    inflections = {"", *(ending for language in profiles().values() for ending in language.noun_endings)}
    return tuple({f"{head}{ending}" for head in heads for ending in inflections})


def _glued(word: str, glued: frozenset[str], language: str | None) -> bool:
    """'Patente', 'Ende': a German noun after a name, not part of it (nouns that end firm names excepted)."""
    if word in glued:
        return True
    language_profile = profile(language)
    return language_profile.capitalises_nouns and word not in _company_name_nouns() and not _has_name_marks(word) \
        and word_frequency(word, language_profile.code) >= 4.5 and word_frequency(word, "en") < 3.0


@cache
def _glued_endings() -> tuple[str, ...]:
    """'Mobilfunkpatente', 'Lichtpatente': a compound ending in a noun that never ends a firm's name."""
    return tuple(noun.casefold() for noun in _glued_nouns() if len(noun) >= 5 and noun[1:].islower())


@cache
def _unit_after() -> re.Pattern:
    """' Austria', ' Diagnostics', ' Defence and Space': the unit words that make a known company's name a
    subsidiary's ("Roche Diagnostics", "Airbus Defence and Space")."""
    units = sorted(organisations_lexicon().subsidiary_units, key=len, reverse=True)
    unit = rf"(?:{'|'.join(map(re.escape, units))})(?![\w-])"
    return re.compile(rf"\s{unit}(?:\s(?:and\s|&\s)?{unit})*")  # "and" only between two units: "Nokia and Japan" is two


@cache
def _industry_name_nouns() -> frozenset[str]:
    return frozenset(organisations_lexicon().industry_name_nouns)


@cache
def _company_name_nouns() -> frozenset[str]:
    return frozenset(organisations_lexicon().company_name_nouns)


@cache
def _stop_words_only() -> frozenset[str]:
    """Stop words without the generic organisation words: 'Capital' may end a name ("Harbour Rock Capital")."""
    lexicon = organisations_lexicon()
    demonyms = [word for family in lexicon.demonyms.values() for word in family]
    return frozenset(word.casefold() for word in [*lexicon.not_organisations, *demonyms]) \
        - {word.casefold() for word in lexicon.generic_org_words} - {"group", "gruppe", "company", "inc", "ltd"}


@cache
def _glued_nouns() -> frozenset[str]:
    return frozenset(organisations_lexicon().glued_nouns)


def _is_role_word(word: str) -> bool:
    return word.casefold() in _role_words()


@cache
def _role_words() -> frozenset[str]:
    lexicon = organisations_lexicon()
    heads = {head.casefold() for family in lexicon.descriptor_heads.values() for head in family}
    return frozenset(heads | {word.casefold() for word in lexicon.role_nouns})


@cache
def _legal_fragments() -> frozenset[str]:
    """'co', 'ltd', 'inc' ...: a legal form alone is never a name."""
    suffixes = organisations_lexicon().legal_suffixes
    return frozenset(normalize_name(suffix) for suffix in suffixes) | {"co", "ltd", "inc", "corp", "gmbh", "ag"}


@cache
def _not_org_words() -> frozenset[str]:
    lexicon = organisations_lexicon()
    demonyms = [word for family in lexicon.demonyms.values() for word in family]
    nouns = [word for family in lexicon.demonym_nouns.values() for word in family]
    return frozenset(word.casefold() for word in [*lexicon.not_organisations, *demonyms, *nouns,
                                                  *lexicon.generic_org_words])


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
    nouns: re.Pattern  # "die Finnen": group 1 is the noun
    noun_countries: dict[str, str]  # folded noun -> country ("finnen" -> FI)


@cache
def _descriptor_grammar(family: str) -> _DescriptorGrammar:
    lexicon = organisations_lexicon()
    heads = lexicon.descriptor_heads[family]
    alternatives = "|".join(re.escape(head) for head in sorted(heads, key=len, reverse=True))
    language = profile(family)
    endings = "|".join(map(re.escape, sorted(language.noun_endings, key=len, reverse=True)))
    regex = (rf"\b(?:{'|'.join(map(re.escape, language.descriptor_articles))})\s+((?:[\w'’.-]+\s+){{0,3}}?)"
             rf"((?:\w+-)?)({alternatives})(?:{endings})?\b")
    demonyms = [(re.compile(rf"(?<!\w){re.escape(stem)}", re.IGNORECASE), country)
                for stem, country in sorted(lexicon.demonyms[family].items(), key=lambda item: -len(item[0]))]
    article = rf"(?:{'|'.join(map(re.escape, language.plural_articles))})"
    # one pattern for all "die Finnen"-style nouns: a loop of one pattern each ran 30 searches per sentence
    noun_countries = {noun.casefold(): country for noun, country in lexicon.demonym_nouns[family].items()}
    noun_pattern = re.compile(rf"\b{article}\s+({'|'.join(map(re.escape, noun_countries))})\b", re.IGNORECASE)
    return _DescriptorGrammar(re.compile(regex, re.IGNORECASE), {head.lower(): sector for head, sector in heads.items()},
                              demonyms, noun_pattern, noun_countries)


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
        for match in grammar.nouns.finditer(sentence):
            _add_resolved(found, match, discourse.resolve(grammar.noun_countries[match.group(1).casefold()], None))
    return _longest_non_overlapping(found)


def _demonym_country(words: str, grammar: _DescriptorGrammar) -> str | None:
    return next((country for pattern, country in grammar.demonyms if pattern.search(words)), None)


def _add_resolved(found: list[OrgMention], match: re.Match, target: OrgMention | None) -> None:
    if target is not None:
        found.append(OrgMention(match.start(), match.end(), match.group(0), target.canonical, target.kind,
                                target.country, "descriptor", target.sectors))


def refers_to_pair(sentence: str, language: str | None) -> bool:
    return any(organisations_lexicon().pair_references[family].search(sentence)
               for family in dict.fromkeys((language_family(language), "en")))


def reference_spans(sentence: str, language: str | None) -> list[tuple[int, int]]:
    """Spans of 'the company', 'its', 'das Unternehmen' in the sentence."""
    pattern = organisations_lexicon().references[language_family(language)]
    return [(match.start(), match.end()) for match in pattern.finditer(sentence)]


def refers_to_deal(sentence: str, language: str | None) -> bool:
    """'The agreement also covers ...': the sentence continues the deal named before."""
    return any(organisations_lexicon().deal_references[family].search(sentence)
               for family in dict.fromkeys((language_family(language), "en")))


@cache
def _unknown_org_pattern() -> tuple[re.Pattern, frozenset[str]]:
    lexicon = organisations_lexicon()
    pattern = re.compile(rf"{lexicon.unknown_org_connectors}({lexicon.unknown_org_name})")
    demonyms = [word for family in lexicon.demonyms.values() for word in family]
    demonym_nouns = [word for family in lexicon.demonym_nouns.values() for word in family]
    stop_words = {word.casefold() for word in [*lexicon.not_organisations, *demonyms, *demonym_nouns]}
    return pattern, frozenset(stop_words)


def _german_common_noun(word: str) -> bool:
    """'Konzern', 'Gesundheits-Apps', 'FRAND-Bedingungen': capitalised as every German noun, or a compound
    whose last part is one; 'InterDigital' or 'N26' carry marks of a name inside the word."""
    if re.search(r"-[A-ZÄÖÜ][a-zäöüß]+$", word):
        return True
    return not re.search(r"[^-\s][A-Z0-9]", word)


def _beside_known(sentence: str, match: re.Match, start: int, end: int, known: list[OrgMention]) -> bool:
    """'and'/'und'/'&' join a name to the deal only right next to a known company ("Nokia and Frobozz")."""
    connector = sentence[match.start():start].strip().lower()
    if connector not in ("and", "und", "&"):
        return True
    known_before = any(mention.end == len(sentence[:match.start()].rstrip()) for mention in known)
    joined_after = re.match(r"\s*(?:and|und|&)\s+", sentence[end:])
    known_after = bool(joined_after) and any(mention.start == end + joined_after.end() for mention in known)
    return known_before or known_after


class _DescribedNames:
    """'Chinese phone maker Oppo', 'den chinesischen Chiphersteller Innoscience': a name after a descriptor
    noun. The heads are found by one Aho-Corasick pass (a regex alternation of 200 heads tried at every
    position was the recogniser's slowest step); the name is then matched where a head ends."""

    def __init__(self) -> None:
        lexicon = organisations_lexicon()
        heads = {head for family in lexicon.descriptor_heads.values() for head in family}
        heads |= set(lexicon.apposition_heads)
        self._heads = ahocorasick.Automaton()
        for head in heads:
            self._heads.add_word(_fold(head), len(head))
        self._heads.make_automaton()
        # the inflection after the head is optional ("Zulieferers", "suppliers"); the head may end a
        # compound ("Sensorhersteller")
        self._name = re.compile(rf"(?:s|e|en|n|es)?\s+({lexicon.unknown_org_name})")

    def finditer(self, sentence: str) -> list[re.Match]:
        return [match for match, _head_start in self.matches_with_heads(sentence)]

    def matches_with_heads(self, sentence: str) -> list[tuple[re.Match, int]]:
        found, last_end = [], -1
        for end_index, length in self._heads.iter(_fold(sentence)):
            match = self._name.match(sentence, end_index + 1)
            if match is not None and match.start(1) != last_end:
                found.append((match, end_index - length + 1))
                last_end = match.start(1)
        return found


@cache
def _described_name_pattern() -> _DescribedNames:
    return _DescribedNames()


def connected_unknown_orgs(sentence: str, named: list[OrgMention], language: str | None = "en") -> list[OrgMention]:
    """Capitalised names joined to the deal by 'with', 'from', 'and', 'mit', ... that the registry does not know.

    Kept with their name as written, so unknown parties are not dropped; places, months and titles are not names.
    """
    pattern, stop_words = _unknown_org_pattern()
    known = [mention for mention in named if mention.can_be_party and mention.via != "descriptor"]
    described = {match.start(1) for match in _described_name_pattern().finditer(sentence)}
    # a name joined by a connector is a party only beside a known one; a described name stands on its own
    subject = organisations_lexicon().unknown_subject_org.match(sentence) if known else None
    candidates = [*(pattern.finditer(sentence) if known else ()), *_described_name_pattern().finditer(sentence),
                  *([subject] if subject else [])]
    found = []
    for match in candidates:
        words = match.group(1).split()
        while words and words[-1].casefold() in stop_words:
            words.pop()
        if words and organisations_lexicon().name_descriptor_word.search(words[0]):
            continue  # "Berlin-based carmakers": a description, not a name
        if not words or words[0].casefold().rstrip("s") in stop_words or words[0].casefold() in stop_words \
                or " ".join(words).casefold() in stop_words or words[0].isupper() and len(words[0]) > 5:
            continue  # places, months, titles, demonyms; all-caps words are datelines ("BEIJING")
        if profile(language).capitalises_nouns and len(words) < 2 and _german_common_noun(words[0]) \
                and match.start(1) not in described:
            continue  # German capitalises every noun: one plain capitalised word is no evidence of a name
        if len(words) == 1 and organisations_lexicon().demonym_like.search(words[0]) and match.start(1) not in described:
            continue
        start = match.start(1)
        end = start + len(" ".join(words))
        if sentence[start:end] != " ".join(words):
            continue  # the name spans other whitespace than single spaces; skip rather than misplace
        if match.start(1) not in described and not _beside_known(sentence, match, start, end, known):
            continue
        if organisations_lexicon().not_org_after.match(sentence[end:]):
            continue  # a place ("Cambridge, England") or a brand ("the TCL and Alcatel brands")
        candidate = OrgMention(start, end, sentence[start:end], strip_legal_suffix(sentence[start:end]),
                               "company", None, "unknown")
        if not any(_overlaps(candidate, other) for other in [*named, *found]):
            found.append(candidate)
    return found
