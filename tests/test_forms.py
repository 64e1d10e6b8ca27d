"""The form index finds what one alternation of the forms would, in one pass however many forms there are."""

from __future__ import annotations

import random
import re

from patentwire.extract.forms import FormIndex


def _alternation_matches(forms: list[str], text: str) -> list[tuple[int, int, str]]:
    pattern = re.compile(rf"(?<![\w-])(?:{'|'.join(map(re.escape, sorted(forms, key=len, reverse=True)))})(?![\w-])")
    return [(match.start(), match.end(), match.group(0)) for match in pattern.finditer(text)]


def test_whole_words_only():
    index = FormIndex()
    for form in ("HLM", "Quantenfeld", "Quantenfeld Systems"):
        index.add(form)
    text = "Quantenfeld Systems and HLM-Tochter, HLM's partner, HLMX and Quantenfeld."
    assert [(o.start, o.form) for o in index.leftmost_longest(text)] == [
        (0, "Quantenfeld Systems"), (37, "HLM"), (61, "Quantenfeld")]


def test_same_matches_as_the_alternation_on_random_text():
    rng = random.Random(7)
    words = ["Nokia", "Noki", "Acme", "Acme Labs", "Labs", "AT&T", "Zeiss", "Carl Zeiss", "Ab", "Ab Cd"]
    for _ in range(300):
        forms = rng.sample(words, rng.randint(1, len(words)))
        text = " ".join(rng.choice(words + ["and", "-", ",", "x", "Acme-"]) for _ in range(rng.randint(1, 25)))
        index = FormIndex()
        for form in forms:
            index.add(form)
        assert [(o.start, o.end, o.form) for o in index.leftmost_longest(text)] == _alternation_matches(forms, text)


def test_forms_added_later_are_found_and_order_is_kept():
    index = FormIndex()
    index.add("Acme")
    assert [o.form for o in index.occurrences("Acme and Brix")] == ["Acme"]
    index.add("Brix")
    index.add("Acme")  # known: kept with its first order
    found = index.occurrences("Acme and Brix")
    assert [(o.form, o.order) for o in found] == [("Acme", 0), ("Brix", 1)] and len(index) == 2
