"""The article-extraction benchmark script: its metric on hand-computed examples, and a 3-page run."""

import pathlib

import pytest

from bench import article_extraction as bench

ROOT = pathlib.Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "bench" / "article-extraction"




@pytest.mark.parametrize("truth, prediction, expected", [
    # the README's sanity examples, with 3-grams
    ("a b c d", "a b c", (0.5, 0.0, 0.5)),
    ("a b c", "a b c d", (0.5, 0.5, 0.0)),
    ("a b c a b c", "a b c", (0.25, 0.0, 0.75)),
    ("a", "", (0.0, 0.0, 1.0)),
])
def test_shingle_counts_match_the_readme_examples(truth, prediction, expected):
    score = bench.score_page(truth, prediction, size=3)
    assert (score.tp, score.fp, score.fn) == pytest.approx(expected)


def test_four_gram_scores_of_a_hand_computed_page():
    # truth: 6 words -> 3 shingles (one two three four / two three four five / three four five six);
    # prediction adds "seven": 4 shingles, 3 shared. tp=3, fp=1, fn=0 -> normalised 3/4, 1/4, 0.
    score = bench.score_page("One, two; three four five six.", "One two three four five six seven")
    assert (score.tp, score.fp, score.fn) == pytest.approx((0.75, 0.25, 0.0))
    assert score.precision == pytest.approx(0.75)
    assert score.recall == pytest.approx(1.0)


def test_tokens_ignore_punctuation_and_keep_case():
    assert bench.tokens("Nokia's 16.000 Patente—über") == ["Nokia", "s", "16", "000", "Patente", "über"]
    assert bench.score_page("a b c d e", "A b c d e").recall == 0.5  # only the first shingle differs


def test_identical_text_scores_one_and_a_short_text_is_one_shingle():
    assert bench.score_page("just two", "just two").precision == 1.0
    assert bench.shingles(["just", "two"]) == {("just", "two"): 1}


def test_corpus_precision_leaves_out_pages_with_no_output_but_recall_counts_them():
    full = bench.score_page("a b c d e f", "a b c d e f")
    half = bench.score_page("a b c d e f", "a b c d e f x y z")  # tp 3, fp 3
    empty = bench.score_page("a b c d e f", "")
    corpus = bench.score_corpus([full, half, empty])
    assert corpus.precision == pytest.approx((1.0 + 0.5) / 2)
    assert corpus.recall == pytest.approx((1.0 + 1.0 + 0.0) / 3)
    expected_f1 = 2 * 0.75 * (2 / 3) / (0.75 + 2 / 3)
    assert corpus.f1 == pytest.approx(expected_f1)


@pytest.mark.slow
def test_benchmark_runs_on_three_pages_and_prints_both_systems(capsys):
    if not (DATA / "ground-truth.json").exists():
        pytest.skip(f"benchmark data not present at {DATA}")
    assert bench.main(["--data", str(DATA), "--limit", "3", "-v"]) == 0
    out = capsys.readouterr().out
    for system in ("patentwire", "trafilatura"):
        line = next(line for line in out.splitlines() if line.startswith(system))
        assert all(label in line for label in ("F1 ", "P ", "R ", "pages/s", "(3 pages)"))
    assert "speed ratio" in out
    assert "worst" in out
