"""The literal screen never hides a match: where a pattern matches, the screen lets it run."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pydantic
import pytest

from patentwire.extract.lexicon import LEXICONS, lexicon
from patentwire.extract.screen import LiteralScreen, required_literals

GOLD = Path(__file__).resolve().parents[1] / "bench" / "gold" / "extraction_gold.jsonl"


def _patterns(value):
    """Every compiled pattern inside a lexicon value (fields, lists, mappings, nested models)."""
    if isinstance(value, re.Pattern):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _patterns(item)
    elif isinstance(value, (list, tuple, frozenset)):
        for item in value:
            yield from _patterns(item)
    elif isinstance(value, pydantic.BaseModel):
        for name in type(value).model_fields:
            yield from _patterns(getattr(value, name))


def _lexicon_patterns() -> list[re.Pattern]:
    return list(dict.fromkeys(pattern for model in LEXICONS for pattern in _patterns(lexicon(model))))


@pytest.mark.parametrize(("pattern", "literals"), [
    (r"\bsu(?:e|es|ed|ing)\b", {"sue", "sues", "sued", "suing"}),
    (r"\bcross[- ]?licen[cs]e", None),  # eight variants of "cross?licen?e" and more: the best single literal
    (r"(?:abc)?xyz", {"xyz", "abcxyz"}),
    (r"a|bcd", None),  # one arm has no literal of three letters
    (r"x{2}|\w+", None),
    (r"(?i:LIZENZ)\w*", {"lizenz"}),
])
def test_required_literals(pattern, literals):
    found = required_literals(re.compile(pattern, re.IGNORECASE))
    if literals is None and pattern.startswith(r"\bcross"):
        assert found and all(literal.startswith("cross") or "licen" in literal for literal in found)
    else:
        assert found == (frozenset(literals) if literals is not None else None)


def test_case_and_unicode_folding_never_hide_a_match():
    pattern = re.compile(r"\blizenz\w*|\bsettle\b", re.IGNORECASE)
    screen = LiteralScreen([pattern])
    for text in ("LİZENZVERTRAG", "a ſettle-ment", "Lizenz", "SETTLE"):
        if pattern.search(text):
            assert pattern in screen.possible(text), text
    assert pattern not in screen.possible("no such words here")


def test_a_pattern_without_literals_always_runs():
    pattern = re.compile(r"[A-Z]\w+")
    assert pattern in LiteralScreen([pattern]).possible("")


def test_every_lexicon_pattern_is_let_through_wherever_it_matches():
    """The screen's promise on real data: the whole development gold set against every lexicon pattern."""
    patterns = _lexicon_patterns()
    screen = LiteralScreen(patterns)
    texts = [json.loads(line)["text"] for line in GOLD.read_text(encoding="utf-8").splitlines()]
    screened_out = 0
    for text in texts:
        possible = screen.possible(text)
        for pattern in patterns:
            if pattern.search(text):
                assert pattern in possible, (pattern.pattern[:80], text[:80])
            elif pattern not in possible:
                screened_out += 1
    assert screened_out > len(texts)  # and it does screen: patterns are skipped where they cannot match
