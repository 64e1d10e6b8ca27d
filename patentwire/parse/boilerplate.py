"""Line-level clean-up of an extracted body: the title repeated as first line, teaser labels,
credits and calls to action that main-content extractors keep (lexicon: data/parse/boilerplate.yaml)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

LEXICON_FILE = Path(__file__).resolve().parents[1] / "data" / "parse" / "boilerplate.yaml"
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class BoilerplateLexicon:
    whole_lines: re.Pattern[str]
    line_suffix: re.Pattern[str]


@cache
def boilerplate_lexicon() -> BoilerplateLexicon:
    raw = yaml.safe_load(LEXICON_FILE.read_text("utf-8"))
    lines = [p for key in ("label_lines", "teaser_lines", "furniture_lines") for p in raw[key]]
    return BoilerplateLexicon(
        whole_lines=re.compile("|".join(f"(?:{p})" for p in lines), re.IGNORECASE),
        line_suffix=re.compile("|".join(f"(?:{p})" for p in raw["line_suffixes"]), re.IGNORECASE),
    )


def word_key(text: str) -> str:
    """Lower-cased words only, to compare a line with a title whatever the punctuation."""
    return " ".join(_WORD.findall(text.lower()))


def is_boilerplate_line(line: str, lexicon: BoilerplateLexicon | None = None) -> bool:
    lexicon = lexicon or boilerplate_lexicon()
    return lexicon.whole_lines.fullmatch(line.strip()) is not None


def repeats_title(line: str, titles: list[str]) -> bool:
    """True when `line` is the headline again (the body should start after it)."""
    key = word_key(line)
    if not key:
        return False
    return any(key == word_key(title) or (len(key) > 20 and key in word_key(title)) for title in titles if title)


def clean_lines(text: str, titles: list[str]) -> str:
    """The body without a leading title line and without boilerplate lines; paragraphs kept."""
    lexicon = boilerplate_lexicon()
    lines = [lexicon.line_suffix.sub("", line).strip() for line in text.split("\n")]
    lines = [line for line in lines if line]
    if lines and repeats_title(lines[0], titles):
        lines = lines[1:]
    return "\n".join(line for line in lines if not is_boilerplate_line(line, lexicon))
