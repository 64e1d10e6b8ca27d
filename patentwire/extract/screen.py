"""A literal screen: which of many regular expressions can match a text, from one pass over it.

Most sentences match none of the lexicon's big alternations (deal triggers, bystander cues, institution
heads), yet Python's `re` tries every alternative at every position to find that out. Every match of a
pattern contains one of a few literal strings that the pattern requires (`\\bcross[- ]?licen[cs]e` needs
"cross" and "licen"; an alternation needs one literal of each branch). One Aho-Corasick pass over the
lower-cased text finds which of those literals occur, so a pattern runs only where it can match. The screen
never changes a result: a pattern whose required literals cannot be worked out always runs.

Required literals come from the pattern's parse tree (`re._parser`, the standard library's own parser):
runs of literal characters in sequence, required groups and repeats, and branches whose every arm has
one. Literals are compared lower-cased, which is a necessary condition for case-sensitive and
case-insensitive patterns alike (the rare characters that `re` folds but `str.lower` does not, such as the
long s, are folded on both sides: see `_lowered`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from re import _casefix, _parser
from re import _constants as sre  # the standard library's own parse tree; no third-party parser

import ahocorasick

MIN_LITERAL = 3  # shorter literals occur in nearly every sentence and screen nothing out
MAX_VARIANTS = 64  # "licen[cs](?:e|es|ed|ing)" is eight literals; beyond this many, a shorter literal serves

_REPEATS = {sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT}
_ZERO_WIDTH = {sre.AT}  # \b, ^, $: consume nothing, so the literals on both sides stay adjacent
# characters `re.IGNORECASE` holds equal beyond what `str.lower` does ("ſ" and "s", "ı" and "i"): each maps to
# the smallest of its class, on both sides of the comparison
_FOLDED_BY_RE = {code: min(code, *others) for code, others in _casefix._EXTRA_CASES.items()}


_SIMPLE_LOWER = {0x130: "i"}  # "İ": `re` lowers it to "i", `str.lower` to "i" and a combining dot


def _lowered(text: str) -> str:
    """Lower case, folded as `re.IGNORECASE` folds."""
    lowered = text.lower()
    if lowered.isascii():
        return lowered
    return text.translate(_SIMPLE_LOWER).lower().translate(_FOLDED_BY_RE)


def _best(candidates: list[frozenset[str]]) -> frozenset[str] | None:
    """The most selective requirement: the one whose shortest literal is longest."""
    return max(candidates, key=lambda literals: (min(map(len, literals)), -len(literals))) if candidates else None


def _exact(op, argument) -> frozenset[str] | None:
    """The few strings one parse item matches exactly ("[cs]" gives "c" and "s"), or None if not few."""
    if op is sre.LITERAL:
        return frozenset({chr(argument)})
    if op in _ZERO_WIDTH:
        return frozenset({""})
    if op is sre.IN and all(kind is sre.LITERAL for kind, _ in argument) and len(argument) <= 8:
        return frozenset(chr(code) for _, code in argument)
    if op is sre.SUBPATTERN:
        return _exact_sequence(argument[-1])
    if op is sre.BRANCH:
        arms = [_exact_sequence(arm) for arm in argument[1]]
        return frozenset().union(*arms) if all(arm is not None for arm in arms) else None
    if op in _REPEATS and argument[:2] in ((0, 1), (1, 1)):
        body = _exact_sequence(argument[2])
        return None if body is None else body | ({""} if argument[0] == 0 else set())
    return None


def _concatenated(left: frozenset[str], right: frozenset[str]) -> frozenset[str] | None:
    if len(left) * len(right) > MAX_VARIANTS:
        return None
    return frozenset(a + b for a in left for b in right)


def _exact_sequence(items) -> frozenset[str] | None:
    strings: frozenset[str] | None = frozenset({""})
    for op, argument in items:
        part = _exact(op, argument)
        strings = None if part is None else _concatenated(strings, part)
        if strings is None:
            return None
    return strings


def _sequence(items) -> frozenset[str] | None:
    """Literals one of which every match of this sequence of parse items contains, or None."""
    candidates: list[frozenset[str]] = []
    stretch = frozenset({""})  # the strings the items since the last inexact one match exactly

    def end_stretch() -> None:
        if min(map(len, stretch)) >= MIN_LITERAL:
            candidates.append(frozenset(map(_lowered, stretch)))

    for op, argument in items:
        part = _exact(op, argument)
        longer = None if part is None else _concatenated(stretch, part)
        if longer is not None:
            stretch = longer
            continue
        end_stretch()
        stretch = part if part is not None else frozenset({""})
        if part is not None:
            continue
        required = None
        if op is sre.SUBPATTERN:
            required = _sequence(argument[-1])
        elif op is sre.ATOMIC_GROUP:
            required = _sequence(argument)
        elif op is sre.BRANCH:
            arms = [_sequence(arm) for arm in argument[1]]
            required = frozenset().union(*arms) if all(arms) else None
        elif op in _REPEATS and argument[0] >= 1:
            required = _sequence(argument[2])
        if required:
            candidates.append(required)
    end_stretch()
    return _best(candidates)


def required_literals(pattern: re.Pattern) -> frozenset[str] | None:
    """Lower-cased literals one of which every match of `pattern` contains; None when there are none."""
    try:
        return _sequence(_parser.parse(pattern.pattern, pattern.flags))
    except Exception:  # noqa: BLE001 - an unparsable pattern is simply never screened
        return None


class Possible:
    """The patterns of a screen that may match in one text; `pattern in possible` asks (by identity: hashing
    a compiled pattern hashes its whole program)."""

    __slots__ = ("_ids",)

    def __init__(self, ids: frozenset[int]):
        self._ids = ids

    def __contains__(self, pattern: re.Pattern) -> bool:
        return id(pattern) in self._ids

    def __len__(self) -> int:
        return len(self._ids)


class LiteralScreen:
    """Screens texts for a fixed set of patterns: `possible(text)` holds those that may match in it."""

    def __init__(self, patterns: Iterable[re.Pattern]):
        self._patterns = list({id(pattern): pattern for pattern in patterns}.values())  # kept alive: ids stay valid
        needs = {id(pattern): required_literals(pattern) for pattern in self._patterns}
        self._always = frozenset(key for key, literals in needs.items() if literals is None)
        served: dict[str, set[int]] = {}
        for key, literals in needs.items():
            for literal in literals or ():
                served.setdefault(literal, set()).add(key)
        self._automaton = ahocorasick.Automaton()
        for literal, keys in served.items():
            self._automaton.add_word(literal, frozenset(keys))
        if served:
            self._automaton.make_automaton()

    def possible(self, text: str) -> Possible:
        """The patterns that may match somewhere in `text` (the others certainly do not)."""
        if self._automaton.kind != ahocorasick.AHOCORASICK:
            return Possible(self._always)
        found = set(self._always)
        for _end, keys in self._automaton.iter(_lowered(text)):
            found |= keys
        return Possible(frozenset(found))
