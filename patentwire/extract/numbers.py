"""Numbers as written in English or German text: "16,000", "16.000", "1,5 Millionen", "1.2 million", "20k".

The article's language decides which of '.' and ',' is the decimal mark. A single separator followed
by exactly three digits, with no scale word after it, is a thousands separator in either language:
"16.000 Patente" and "16,000 patents" are both 16000, because counts of things are whole numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from patentwire.extract.language import profile
from patentwire.extract.lexicon import CompoundParts, numbers_lexicon

_GROUP_SEPARATORS = "\u00a0\u202f\u2009'’ "
_DIGITS = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:[.,\u00a0\u202f\u2009'’ ]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)(?!\d|[.,]\d)"
)


@dataclass(frozen=True)
class NumberMatch:
    start: int
    end: int  # text[start:end] is the number as written, scale word included
    value: float
    raw: str

    @property
    def is_whole(self) -> bool:
        return float(self.value).is_integer()


def language_family(language: str | None) -> str:
    """The language code whose profile and lexicon entries apply ("de-CH" -> "de"; unknown -> "en")."""
    return profile(language).code


def parse_number(token: str, language: str | None = "en", scaled: bool = False) -> float | None:
    """The value of one numeric token; `scaled` says a scale word follows ("1.5 million")."""
    token = token.strip()
    for separator in _GROUP_SEPARATORS:
        token = token.replace(separator, "" if separator != " " else "")
    if not re.fullmatch(r"\d+(?:[.,]\d+)*", token):
        return None
    decimal_mark, group_mark = profile(language).decimal_mark, profile(language).group_mark
    marks = re.findall(r"[.,]", token)
    if not marks:
        return float(token)
    if len(set(marks)) == 2:  # "1.234,5" or "1,234.5": the last mark is the decimal one
        decimal_mark = marks[-1]
        group_mark = "." if decimal_mark == "," else ","
    elif len(marks) > 1:  # "1.234.567": repeated marks group thousands
        group_mark, decimal_mark = marks[0], ("," if marks[0] == "." else ".")
    elif not re.fullmatch(r"\d+[.,]\d{3}", token):  # "1.5", "2,75": only a decimal mark fits
        decimal_mark, group_mark = marks[0], ("," if marks[0] == "." else ".")
    elif not scaled and re.fullmatch(r"\d{1,3}[.,]\d{3}", token):
        group_mark, decimal_mark = marks[0], ("," if marks[0] == "." else ".")
    integer, _, fraction = token.replace(group_mark, "").partition(decimal_mark)
    if not integer.isdigit() or (fraction and not fraction.isdigit()):
        return None
    return float(f"{integer}.{fraction}" if fraction else integer)


@cache
def _scale_pattern(family: str) -> tuple[re.Pattern, dict[str, int]]:
    scales = numbers_lexicon().scales[family]
    words = sorted(scales, key=len, reverse=True)
    alternatives = "|".join(re.escape(word) + (r"(?!\w)" if word[-1].isalnum() else "") for word in words)
    return re.compile(rf"\s?(?:{alternatives})"), scales


@cache
def _word_pattern(family: str) -> tuple[re.Pattern, dict[str, int]]:
    words = numbers_lexicon().words[family]
    alternatives = "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE), {w.lower(): v for w, v in words.items()}


def find_numbers(text: str, language: str | None = "en", include_words: bool = False) -> list[NumberMatch]:
    """Every number in `text` with its span; scale words are folded in ("1,5 Millionen" -> 1500000)."""
    family = language_family(language)
    scale_pattern, scales = _scale_pattern(family)
    found: list[NumberMatch] = []
    for match in _DIGITS.finditer(text):
        raw, end = match.group(1), match.end()
        scale = scale_pattern.match(text, end)
        if not scale and end < len(text) and (text[end].isalpha() or text[end] == "_"):
            continue  # "5G", "H265": a name, not a number
        value = parse_number(raw, family, scaled=bool(scale))
        if value is None:
            continue
        if scale:
            value *= scales[scale.group().strip()]
            end = scale.end()
        found.append(NumberMatch(match.start(), end, value, text[match.start():end]))
    if include_words:
        found.extend(_number_words(text, family, found))
    return sorted(found, key=lambda number: number.start)


def _number_words(text: str, family: str, digits: list[NumberMatch]) -> list[NumberMatch]:
    pattern, words = _word_pattern(family)
    scale_pattern, scales = _scale_pattern(family)
    taken = {(number.start, number.end) for number in digits}
    found = []
    for match in pattern.finditer(text):
        if any(start <= match.start() < end for start, end in taken):
            continue
        value, end = float(words[match.group().lower()]), match.end()
        scale = scale_pattern.match(text, end)
        if scale:
            value *= scales[scale.group().strip()]
            end = scale.end()
        found.append(NumberMatch(match.start(), end, value, text[match.start():end]))
    return found


@cache
def _compound_parts(family: str) -> CompoundParts:
    return numbers_lexicon().compound_parts[family]


def parse_number_word(word: str, language: str | None = "de") -> int | None:
    """A written-out whole number: 'zwölftausend' -> 12000, 'twenty-five thousand' -> 25000, else None."""
    parts = _compound_parts(language_family(language))
    # a compounding language writes a number as one word ("zwölftausend"); others space its parts
    text = re.sub(r"[\s-]+", "" if profile(language).compounds else " ", word.strip().lower())
    return _below_million(text, parts)


def _below_million(text: str, parts: CompoundParts) -> int | None:
    thousand = parts.thousand
    if thousand in text:
        left, _, right = text.partition(thousand)
        high = _below_thousand(left.strip(), parts) if left.strip() else 1
        low = _below_thousand(right.strip(), parts) if right.strip() else 0
        return None if high is None or low is None else high * 1000 + low
    return _below_thousand(text, parts)


def _below_thousand(text: str, parts: CompoundParts) -> int | None:
    hundred = parts.hundred
    text = text.strip().removeprefix(parts.joiner + " ").strip()
    if hundred in text:
        left, _, right = text.partition(hundred)
        high = _below_hundred(left.strip(), parts) if left.strip() else 1
        low = _below_hundred(right.strip(), parts) if right.strip() else 0
        return None if high is None or low is None or high > 9 else high * 100 + low
    return _below_hundred(text, parts)


def _below_hundred(text: str, parts: CompoundParts) -> int | None:
    text = text.strip().removeprefix(parts.joiner + " ").strip()
    for table in (parts.ones, parts.teens, parts.tens):
        if text in table:
            return table[text]
    for ten_word, ten in parts.tens.items():  # "twenty five", "fünfundzwanzig"
        if text.startswith(ten_word + " ") and text[len(ten_word) + 1:] in parts.ones:
            return ten + parts.ones[text[len(ten_word) + 1:]]
        joined = parts.joiner + ten_word
        if text.endswith(joined) and text[:-len(joined)] in parts.ones:
            return ten + parts.ones[text[:-len(joined)]]
    return None


@cache
def _number_word_pattern(family: str) -> re.Pattern:
    parts = _compound_parts(family)
    vocabulary = [*parts.ones, *parts.teens, *parts.tens, parts.hundred, parts.thousand, parts.joiner]
    alternatives = "|".join(sorted(map(re.escape, vocabulary), key=len, reverse=True))
    if profile(family).compounds:
        return re.compile(rf"(?<!\w)(?:{alternatives})+(?!\w)", re.IGNORECASE)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?:[\s-]+(?:{alternatives}))*(?!\w)", re.IGNORECASE)


def find_number_words(text: str, language: str | None = "en") -> list[NumberMatch]:
    """Written-out numbers in `text` ("rund zwölftausend Patente", "some twelve thousand patents")."""
    family = language_family(language)
    parts = _compound_parts(family)
    pattern = _number_word_pattern(family)
    found = []
    joiner = parts.joiner
    for match in pattern.finditer(text):
        start, written = match.start(), match.group()
        if written.lower().startswith(joiner + " "):  # "patents and two hundred families"
            start, written = start + len(joiner) + 1, written[len(joiner) + 1:]
        if written.lower().endswith(" " + joiner):
            written = written[: -len(joiner) - 1]
        value = parse_number_word(written, family)
        if value is not None:
            found.append(NumberMatch(start, start + len(written), float(value), written))
    return found
