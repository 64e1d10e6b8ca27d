from hypothesis import given
from hypothesis import strategies as st

from patentwire.extract.sentences import split_sentences


def _texts(text):
    return [sentence.text for sentence in split_sentences(text)]


def test_company_suffixes_do_not_end_a_sentence():
    assert _texts("Samsung Electronics Co., Ltd. sued Apple Inc. on Monday. It said so.") == [
        "Samsung Electronics Co., Ltd. sued Apple Inc. on Monday.", "It said so."]


def test_suffix_before_a_sentence_opener_does_end_it():
    assert _texts("The deal is with Apple Inc. The company said so.") == [
        "The deal is with Apple Inc.", "The company said so."]


def test_german_abbreviations_and_dates_do_not_end_a_sentence():
    text = "Am 5. Juli 2017 haben die Finnen z. B. Patente verkauft, so Nr. 1 der Branche. Danach kam mehr."
    assert _texts(text) == ["Am 5. Juli 2017 haben die Finnen z. B. Patente verkauft, so Nr. 1 der Branche.",
                            "Danach kam mehr."]


def test_quotes_stay_with_their_sentence():
    assert _texts('"We are pleased," he said. "Very pleased!" Then he left.') == [
        '"We are pleased," he said.', '"Very pleased!"', "Then he left."]


def test_line_breaks_end_headlines():
    assert _texts("Nokia und Xiaomi einigen sich\nDie Finnen liefern.") == [
        "Nokia und Xiaomi einigen sich", "Die Finnen liefern."]


@given(st.lists(st.sampled_from(["Nokia sued Apple Inc. on Monday.", "Die Nr. 1 wächst.", "  \n", "Wow!", "z. B. so"]),
                max_size=8))
def test_offsets_always_point_at_the_sentence(parts):
    text = " ".join(parts)
    for sentence in split_sentences(text):
        assert text[sentence.start:sentence.end] == sentence.text
        assert sentence.text == sentence.text.strip()


def test_hard_wrapped_line_continuing_in_lower_case_is_one_sentence():
    assert _texts("Nokia and Xiaomi signed a\ncross-license today.\n\nthe end") == [
        "Nokia and Xiaomi signed a\ncross-license today.", "the end"]


def test_state_abbreviation_before_a_dateline_dash_is_no_sentence_end():
    assert _texts("SAN DIEGO, Calif. – April 16, 2019 – Qualcomm and Apple settled. Done.") == [
        "SAN DIEGO, Calif. – April 16, 2019 – Qualcomm and Apple settled.", "Done."]
