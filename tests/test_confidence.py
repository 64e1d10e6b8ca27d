"""Every fact carries the model's confidence; the marts keep those at or above a configurable minimum."""

from __future__ import annotations

import pytest
from conftest import fact_frames

from patentwire.normalize.flatten import FactsFormatError, deal_mention_frame, patent_count_frame
from patentwire.project import SQL_DIR
from patentwire.extract.decisions import load_model
from patentwire.sqlmodels import (
    MIN_CONFIDENCE_ENV,
    SqlModelError,
    build_model,
    default_min_confidence,
    load_models,
    min_confidence,
)
from patentwire.warehouse import replace_all

FACT_KEYS = {"deals": ["deal_id"], "patent_counts": ["count_id"]}


def build_all(con, confidence=None):
    for model in load_models(SQL_DIR):
        build_model(con, model, confidence)


def test_confidence_travels_from_the_extract_contract_into_the_mention_frames():
    facts = [{"id": "a1", "extractor_version": "x", "deals": [
        {"parties": [{"name": "A", "canonical": "A"}, {"name": "B", "canonical": "B"}], "types": ["license"],
         "status": "primary", "confidence": 0.83, "evidence": []}],
        "patent_counts": [{"company": "A", "value": 10, "unit": "patents", "confidence": 0.61, "evidence": []}]}]
    mentions, _ = deal_mention_frame(facts)
    assert mentions["confidence"].tolist() == [0.83]
    assert patent_count_frame(facts)["confidence"].tolist() == [0.61]


@pytest.mark.parametrize("bad", [1.5, -0.1, "sure"])
def test_a_confidence_outside_zero_to_one_is_refused_with_the_value(bad):
    facts = [{"id": "a1", "deals": [], "patent_counts": [{"company": "A", "value": 10, "confidence": bad}]}]
    with pytest.raises(FactsFormatError, match="confidence"):
        patent_count_frame(facts)


def test_marts_keep_facts_at_or_above_the_minimum_and_rules_only_facts_always(facts_con):
    frames = fact_frames()
    deals, counts = frames["deals"], frames["patent_counts"]
    deals.loc[0, "confidence"] = 0.1
    deals.loc[1, "confidence"] = None  # the rules alone: no confidence, always kept
    counts.loc[0, "confidence"] = 0.1
    replace_all(facts_con, {"deals": deals, "patent_counts": counts}, FACT_KEYS)
    build_all(facts_con)  # default minimum: the model's lowest threshold
    events = {row[0] for row in facts_con.execute("select deal_id from stg_deal_events").fetchall()}
    primary = set(deals.loc[deals["status"] == "primary", "deal_id"])
    assert events == primary - ({deals.loc[0, "deal_id"]} & primary)
    statements = {row[0] for row in facts_con.execute("select count_id from stg_portfolio_statements").fetchall()}
    assert counts.loc[0, "count_id"] not in statements and len(statements) == len(counts) - 1
    build_all(facts_con, confidence=0.0)
    assert facts_con.execute("select count(*) from stg_portfolio_statements").fetchall() == [(len(counts),)]


def test_the_minimum_comes_from_the_environment_and_a_bad_value_names_the_variable(monkeypatch):
    monkeypatch.delenv(MIN_CONFIDENCE_ENV, raising=False)
    assert min_confidence() == default_min_confidence() == min(load_model().thresholds.values()) > 0.1
    monkeypatch.setenv(MIN_CONFIDENCE_ENV, "0.8")
    assert min_confidence() == 0.8
    monkeypatch.setenv(MIN_CONFIDENCE_ENV, "high")
    with pytest.raises(SqlModelError, match=MIN_CONFIDENCE_ENV):
        min_confidence()
