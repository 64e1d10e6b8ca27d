"""Names an article introduced, found again as whole words in later sentences, in time independent of how
many it introduced.

A regular expression per name (or one alternation recompiled whenever a name is added) makes each sentence
cost as much as the article has names so far, so a long text takes quadratic time. One Aho-Corasick
automaton over the names, extended as the article adds them, finds every occurrence in one pass; the
callers then pick among the occurrences exactly as the alternation would have (leftmost, longest first).
"""

from __future__ import annotations

from dataclasses import dataclass

import ahocorasick


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def _whole_word(text: str, start: int, end: int) -> bool:
    """`(?<![\\w-])` before and `(?![\\w-])` after the span."""
    before_ok = start == 0 or not (_is_word_char(text[start - 1]) or text[start - 1] == "-")
    after_ok = end == len(text) or not (_is_word_char(text[end]) or text[end] == "-")
    return before_ok and after_ok


@dataclass(frozen=True)
class Occurrence:
    start: int
    end: int
    form: str
    order: int  # when the form was added: ties between forms of one length go to the earlier one


class FormIndex:
    """Written forms (case-sensitive), found in a text wherever they stand as whole words."""

    def __init__(self) -> None:
        self._automaton = ahocorasick.Automaton()
        self._order: dict[str, int] = {}
        self._stale = False

    def __len__(self) -> int:
        return len(self._order)

    def __contains__(self, form: str) -> bool:
        return form in self._order

    def add(self, form: str) -> None:
        if form and form not in self._order:
            self._order[form] = len(self._order)
            self._automaton.add_word(form, form)
            self._stale = True

    def occurrences(self, text: str) -> list[Occurrence]:
        """Every whole-word occurrence of every form, overlapping ones included, in text order."""
        if not self._order:
            return []
        if self._stale:
            self._automaton.make_automaton()  # only the failure links are rebuilt, in C
            self._stale = False
        found = []
        for last, form in self._automaton.iter(text):
            start = last - len(form) + 1
            if _whole_word(text, start, last + 1):
                found.append(Occurrence(start, last + 1, form, self._order[form]))
        return sorted(found, key=lambda occurrence: (occurrence.start, -len(occurrence.form)))

    def leftmost_longest(self, text: str) -> list[Occurrence]:
        """Non-overlapping occurrences as an alternation of the forms, longest first, finds them."""
        chosen: list[Occurrence] = []
        for occurrence in self.occurrences(text):
            if not chosen or occurrence.start >= chosen[-1].end:
                chosen.append(occurrence)
        return chosen
