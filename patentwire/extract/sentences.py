"""Sentence splitting that keeps character offsets into the article text.

Rules, not a model: a sentence ends at '.', '!' or '?' (plus closing quotes) before whitespace,
unless the token is a known abbreviation ("Inc.", "Nr."), a single letter ("z. B."), or an
ordinal number before a month or a lower-case word ("5. Juli 2017"). Line breaks always end
a sentence: headlines and paragraphs rarely carry a final period.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from patentwire.extract.lexicon import abbreviations_lexicon

_CANDIDATE_END = re.compile(r"[.!?…]+[\"'»«”“’)\]]*(?=\s)|\n\s*")
_TOKEN_BEFORE = re.compile(r"(\S+)$")
_MONTHS = re.compile(
    r"(Jan|Feb|Mär|Mar|Apr|Mai|May|Jun|Jul|Aug|Sep|Okt|Oct|Nov|Dez|Dec)\w*", re.IGNORECASE)


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int
    end: int  # article_text[start:end] == text


_LOOKAROUND = 200  # characters read around a candidate sentence end


@cache
def _abbreviations() -> frozenset[str]:
    return frozenset(abbreviations_lexicon().any)


def _is_abbreviation(token: str) -> bool:
    token = token.lstrip("(\"'„“»")
    if token in _abbreviations():
        return True
    # single letters ("z.", "B.", "J.") and dotted initialisms ("U.S.", "z.B.")
    return bool(re.fullmatch(r"(?:[^\W\d_]\.)+", token))


def _suffix_before_opener(token: str, following: str) -> bool:
    lexicon = abbreviations_lexicon()
    next_word = re.match(r"[^\W\d_]+", following)
    return token in lexicon.sentence_final_suffixes and bool(next_word) and next_word.group() in lexicon.sentence_openers


def _ends_sentence(text: str, match: re.Match) -> bool:
    if match.group().startswith("\n"):
        # a paragraph or headline ends here; a hard-wrapped line that goes on in lower case does not
        following = text[match.end():match.end() + 1]
        return match.group().count("\n") > 1 or not following.islower()
    mark = match.group()
    following = text[match.end():match.end() + _LOOKAROUND].lstrip()  # a window: whole-text slices are quadratic
    if not following:
        return True
    if mark.startswith((".", "…")) and mark.rstrip("\"'»«”“’)]") in (".", "…"):
        token = _TOKEN_BEFORE.search(text[max(0, match.start() - _LOOKAROUND):match.start() + 1])
        token_text = token.group(1) if token else ""
        if _is_abbreviation(token_text) and not _suffix_before_opener(token_text, following):
            return False
        if re.fullmatch(r"\d{1,2}\.", token_text) and (_MONTHS.match(following) or following[0].isdigit()):
            return False  # German date or ordinal: "5. Juli 2017", "am 3. 4."
    first = following[0]
    return not (first.islower() or first in ",;:–—-")  # a dash after a period continues a dateline


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of `text`, trimmed of surrounding whitespace, each with its offsets."""
    sentences: list[Sentence] = []
    start = 0
    for match in _CANDIDATE_END.finditer(text):
        if _ends_sentence(text, match):
            end = match.start() if match.group().startswith("\n") else match.end()
            _append_trimmed(sentences, text, start, end)
            start = match.end()
    _append_trimmed(sentences, text, start, len(text))
    return sentences


def _append_trimmed(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        sentences.append(Sentence(text[start:end], start, end))
