from hypothesis import given
from hypothesis import strategies as st

from patentwire.extract.numbers import find_numbers, parse_number


def _group(value: int, mark: str) -> str:
    return f"{value:,}".replace(",", mark)


@given(st.integers(min_value=0, max_value=10**9))
def test_english_thousands_separator_reads_as_grouping(value):
    assert parse_number(_group(value, ","), "en") == value


@given(st.integers(min_value=0, max_value=10**9))
def test_german_thousands_separator_is_not_a_decimal(value):
    assert parse_number(_group(value, "."), "de") == value


@given(st.integers(min_value=1, max_value=999), st.integers(min_value=1, max_value=9))
def test_decimal_millions_in_both_languages(whole, tenth):
    english = find_numbers(f"{whole}.{tenth} million patents", "en")
    german = find_numbers(f"{whole},{tenth} Millionen Patente", "de")
    expected = (whole * 10 + tenth) * 100_000
    assert [round(number.value) for number in english] == [expected]
    assert [round(number.value) for number in german] == [expected]


def test_sixteen_thousand_is_the_same_in_both_locales():
    assert find_numbers("rund 16.000 Patente", "de")[0].value == 16000
    assert find_numbers("about 16,000 patents", "en")[0].value == 16000


def test_scale_suffixes_and_words():
    assert find_numbers("20k patents", "en")[0].value == 20000
    assert find_numbers("1,5 Millionen", "de")[0].value == 1_500_000
    assert find_numbers("1.5 Mio. Euro", "de")[0].value == 1_500_000
    assert [n.value for n in find_numbers("in den letzten sieben Jahren", "de", include_words=True)] == [7]


def test_number_span_covers_the_scale_word():
    text = "sold 1.2 million phones"
    number = find_numbers(text, "en")[0]
    assert text[number.start:number.end] == "1.2 million"


def test_technology_names_are_not_numbers():
    assert find_numbers("5G and 4G networks", "en") == []


def test_mixed_marks_take_the_last_as_decimal():
    assert parse_number("1.234,5", "en") == 1234.5
    assert parse_number("1,234.5", "de") == 1234.5


def test_written_out_numbers_in_both_languages():
    from patentwire.extract.numbers import find_number_words, parse_number_word

    assert parse_number_word("zwölftausend", "de") == 12000
    assert parse_number_word("fünfundzwanzigtausend", "de") == 25000
    assert parse_number_word("twenty-five thousand", "en") == 25000
    assert parse_number_word("und", "de") is None
    assert [n.value for n in find_number_words("patents and two hundred families", "en")] == [200]
