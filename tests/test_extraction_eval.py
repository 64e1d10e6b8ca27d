"""The extraction yardstick: hand-computed scoring cases, and a guard on the gold-set figures."""

from __future__ import annotations

import json
import pathlib

import pytest

from bench import extraction_eval as ev

# Regression floors, run through `python -m patentwire extract` (levels reached on 2026-11-26, extract-5):
# dev set (108 texts) deals F1 1.000, counts F1 1.000; held-out set 1 (70 texts) 0.951 / 0.923;
# held-out set 2 (50 texts) 0.902 / 0.955. The floors sit a few texts below, so that a real regression
# fails, not a one-text wobble.
MIN_DEAL_F1 = 0.97
MIN_COUNT_F1 = 0.97
MIN_HELDOUT_DEAL_F1 = 0.90
MIN_HELDOUT_COUNT_F1 = 0.89
MIN_HELDOUT2_DEAL_F1 = 0.85
MIN_HELDOUT2_COUNT_F1 = 0.91

REPO = pathlib.Path(__file__).resolve().parents[1]
GOLD = REPO / "bench" / "gold" / "extraction_gold.jsonl"
HELDOUT = REPO / "bench" / "gold" / "extraction_holdout.jsonl"
HELDOUT2 = REPO / "bench" / "gold" / "extraction_holdout2.jsonl"




def party(name: str, canonical: str | None = None) -> dict:
    return {"name": name, "canonical": canonical, "role": None}


def deal(parties: list[dict], types: list[str], status: str = "primary") -> dict:
    return {"parties": parties, "types": types, "status": status, "date": None, "evidence": []}


def count(company: str, value: float, unit: str = "patents", qualifier: str = "exact", name: str | None = None) -> dict:
    return {"company": company, "name": name or company, "value": value, "unit": unit, "qualifier": qualifier,
            "period": None, "as_of": None, "evidence": []}


NOKIA_XIAOMI = {"parties": ["Nokia", "Xiaomi"], "types": ["cross_license", "patent_acquisition"]}


# --- deals --------------------------------------------------------------------------------------

def test_identical_deal_is_a_true_positive():
    score = ev.score_deals([NOKIA_XIAOMI], [deal([party("Xiaomi", "Xiaomi"), party("Nokia", "Nokia")],
                                                 ["cross_license", "patent_acquisition"])])
    assert (score.tp, score.fp, score.fn) == (1, 0, 0)


def test_extra_party_makes_a_miss_and_a_false_positive():
    predicted = [deal([party("Nokia"), party("Xiaomi"), party("Apple")], ["cross_license"])]
    score = ev.score_deals([NOKIA_XIAOMI], predicted)
    assert (score.tp, score.fp, score.fn) == (0, 1, 1)


def test_same_parties_without_a_shared_type_do_not_match():
    score = ev.score_deals([NOKIA_XIAOMI], [deal([party("Nokia"), party("Xiaomi")], ["litigation"])])
    assert (score.tp, score.fp, score.fn) == (0, 1, 1)


def test_one_shared_type_is_enough_for_a_match():
    score = ev.score_deals([NOKIA_XIAOMI], [deal([party("Nokia"), party("Xiaomi")], ["supply", "cross_license"])])
    assert score.tp == 1


def test_legal_suffix_variant_matches_the_canonical_gold_name():
    predicted = [deal([party("Samsung Electronics Co., Ltd."), party("Robert Bosch GmbH", "Bosch")], ["license"])]
    gold = [{"parties": ["Samsung", "Bosch"], "types": ["license"]}]
    assert ev.score_deals(gold, predicted).tp == 1


def test_party_matches_through_surface_name_when_canonical_differs():
    predicted = [deal([party("Daimler AG", "Mercedes-Benz"), party("Nokia Oyj", "Nokia")], ["litigation"])]
    gold = [{"parties": ["Nokia", "Daimler"], "types": ["litigation"]}]
    assert ev.score_deals(gold, predicted).tp == 1


def test_a_longer_gold_name_is_not_matched_by_its_parent():
    predicted = [deal([party("Siemens"), party("Philips")], ["patent_acquisition"])]
    gold = [{"parties": ["Siemens Healthineers", "Philips"], "types": ["patent_acquisition"]}]
    assert ev.score_deals(gold, predicted).tp == 0


def test_non_primary_predicted_deals_are_ignored():
    predicted = [deal([party("Nokia"), party("Vivo")], ["license"], status="rumoured"),
                 deal([party("Nokia"), party("Oppo")], ["litigation"], status="background")]
    score = ev.score_deals([], predicted)
    assert (score.tp, score.fp, score.fn) == (0, 0, 0)


def test_deals_of_one_pair_from_several_sentences_are_merged_before_matching():
    predicted = [deal([party("Nokia"), party("Xiaomi")], ["cross_license"]),
                 deal([party("Xiaomi"), party("Nokia")], ["supply"])]
    score = ev.score_deals([NOKIA_XIAOMI], predicted)
    assert (score.tp, score.fp, score.fn) == (1, 0, 0)
    assert set(score.matched[0][1]["types"]) == {"cross_license", "supply"}


def test_each_expected_deal_is_matched_at_most_once():
    gold = [{"parties": ["Infineon", "Hyundai"], "types": ["supply"]},
            {"parties": ["Infineon", "Kia"], "types": ["supply"]}]
    predicted = [deal([party("Infineon"), party("Hyundai Motor", "Hyundai")], ["supply"])]
    score = ev.score_deals(gold, predicted)
    assert (score.tp, score.fp, score.fn) == (1, 0, 1)
    assert score.missed == [gold[1]]


# --- counts -------------------------------------------------------------------------------------

XIAOMI_COUNT = {"company": "Xiaomi", "value": 16000, "unit": "patent_applications", "qualifier": "about"}


def test_count_within_one_percent_matches():
    score = ev.score_counts([XIAOMI_COUNT], [count("Xiaomi", 16100, "patent_applications", "about")])
    assert score.tp == 1


def test_count_off_by_two_percent_is_a_miss_and_a_false_positive():
    score = ev.score_counts([XIAOMI_COUNT], [count("Xiaomi", 16320, "patent_applications", "about")])
    assert (score.tp, score.fp, score.fn) == (0, 1, 1)


def test_count_with_another_unit_does_not_match():
    score = ev.score_counts([XIAOMI_COUNT], [count("Xiaomi", 16000, "granted_patents", "about")])
    assert (score.tp, score.fp, score.fn) == (0, 1, 1)


def test_count_matches_through_the_surface_name():
    predicted = [count("Infineon", 31000, name="Infineon Technologies AG")]
    predicted[0]["company"] = "Infineon Technologies"
    gold = [{"company": "Infineon", "value": 31000, "unit": "patents", "qualifier": "more_than"}]
    assert ev.score_counts(gold, predicted).tp == 1


def test_a_figure_repeated_in_one_text_counts_once():
    predicted = [count("Xiaomi", 16000, "patent_applications"), count("Xiaomi", 16000, "patent_applications")]
    score = ev.score_counts([XIAOMI_COUNT], predicted)
    assert (score.tp, score.fp, score.fn) == (1, 0, 0)


def test_count_of_the_wrong_company_does_not_match():
    score = ev.score_counts([XIAOMI_COUNT], [count("Nokia", 16000, "patent_applications")])
    assert (score.tp, score.fp, score.fn) == (0, 1, 1)


# --- figures ------------------------------------------------------------------------------------

def test_precision_recall_and_f1_are_micro_averaged_per_language():
    gold = [
        {"id": "en-1", "language": "en", "text": "x", "expected": {"deals": [NOKIA_XIAOMI], "patent_counts": []}},
        {"id": "de-1", "language": "de", "text": "x", "expected": {"deals": [NOKIA_XIAOMI], "patent_counts": []}},
    ]
    predictions = {
        "en-1": {"id": "en-1", "deals": [deal([party("Nokia"), party("Xiaomi")], ["cross_license"]),
                                         deal([party("Nokia"), party("Apple")], ["license"])],
                 "patent_counts": []},
        "de-1": {"id": "de-1", "error": "could not parse"},
    }
    report = ev.evaluate(gold, predictions)
    english, overall = report.tally("deals", "en"), report.tally("deals", "all")
    assert (english.precision, english.recall) == (0.5, 1.0)
    assert (overall.tp, overall.fp, overall.fn) == (1, 1, 1)
    assert overall.f1 == pytest.approx(0.5)
    assert len(report.errors()) == 1


def test_text_without_expected_or_predicted_items_is_perfect():
    tally = ev.Tally()
    assert (tally.precision, tally.recall) == (1.0, 1.0)


# --- the gold set itself ------------------------------------------------------------------------

def test_gold_set_is_balanced_and_uses_the_closed_vocabularies():
    from patentwire.vocab import CountUnit, DealType, Qualifier, values

    records = ev.load_gold(GOLD)
    languages = [r["language"] for r in records]
    assert languages.count("en") >= 45 and languages.count("de") >= 45
    assert len({r["id"] for r in records}) == len(records)
    negatives = [r for r in records if not r["expected"]["deals"] and not r["expected"]["patent_counts"]]
    assert len(negatives) >= 25
    for record in records:
        for expected in record["expected"]["deals"]:
            assert set(expected["types"]) <= set(values(DealType)), record["id"]
            assert len(expected["parties"]) >= 2, record["id"]
        for expected in record["expected"]["patent_counts"]:
            assert expected["unit"] in values(CountUnit), record["id"]
            assert expected["qualifier"] in values(Qualifier), record["id"]


def test_gold_file_error_names_the_line(tmp_path):
    broken = tmp_path / "gold.jsonl"
    broken.write_text('{"id": "x", "language": "en", "text": "t"}\n', encoding="utf-8")
    with pytest.raises(ev.GoldFileError, match=r"gold.jsonl:1: missing field\(s\) expected"):
        ev.load_gold(broken)


# --- regression guard ---------------------------------------------------------------------------

@pytest.mark.parametrize(("gold_file", "min_deal_f1", "min_count_f1"), [
    (GOLD, MIN_DEAL_F1, MIN_COUNT_F1),
    (HELDOUT, MIN_HELDOUT_DEAL_F1, MIN_HELDOUT_COUNT_F1),
    (HELDOUT2, MIN_HELDOUT2_DEAL_F1, MIN_HELDOUT2_COUNT_F1),
], ids=["dev", "heldout", "heldout2"])
def test_gold_set_scores_stay_above_the_floors(tmp_path, gold_file, min_deal_f1, min_count_f1):
    gold = ev.load_gold(gold_file)
    report = ev.evaluate(gold, ev.run_extractor(gold, tmp_path))
    figures = json.dumps(report.as_dict()["deals"]["all"]) + json.dumps(report.as_dict()["counts"]["all"])
    assert not report.errors(), [(r.id, r.error) for r in report.errors()]
    assert report.tally("deals").f1 >= min_deal_f1, figures
    assert report.tally("counts").f1 >= min_count_f1, figures


def test_command_line_exits_1_below_a_threshold(tmp_path, capsys):
    predictions = tmp_path / "out.jsonl"
    predictions.write_text("", encoding="utf-8")
    assert ev.main(["--predictions", str(predictions), "--min-deal-f1", "0.5", "--json"]) == 1
    figures = json.loads(capsys.readouterr().out)
    assert figures["deals"]["all"]["recall"] == 0.0
    assert figures["errors"] == figures["texts"]
