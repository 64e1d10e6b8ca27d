"""Properties of event merging over random mention sets: order-free, lossless, window-bounded."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from patentwire.companies import CompanyRegistry
from patentwire.normalize import normalize_facts
from patentwire.normalize.events import type_family

REGISTRY = CompanyRegistry.from_records([
    {"name": "Nokia", "aliases": ["Nokia Oyj"], "country": "FI", "parent": None},
    {"name": "Xiaomi", "aliases": [], "country": "CN", "parent": None},
    {"name": "Ericsson", "aliases": [], "country": "SE", "parent": None},
])
PAIRS = [("Nokia", "Xiaomi"), ("Ericsson", "Nokia"), ("Nokia Oyj", "Nokia")]  # the last is one company
TYPE_CHOICES = [["license"], ["litigation"], ["settlement", "license"], ["cross_license", "supply"],
                ["litigation", "license"]]  # both families, and a lawsuit about a licence
DATE_FORMS = ["none", "day", "month", "year"]
WINDOW = 45

mention_strategy = st.tuples(
    st.integers(0, len(PAIRS) - 1), st.integers(0, len(TYPE_CHOICES) - 1),
    st.integers(0, 720), st.sampled_from(DATE_FORMS), st.sampled_from(["primary", "background", "rumoured"]),
)


def build(mentions: list[tuple]) -> tuple[list[dict], list[dict]]:
    articles, facts = [], []
    for n, (pair, types, offset, form, status) in enumerate(mentions):
        day = date(2020, 1, 1) + timedelta(days=offset)
        stated = {"none": None, "day": day.isoformat(), "month": day.isoformat()[:7], "year": str(day.year)}[form]
        sentence = f"Mention {n}."
        articles.append({"article_id": f"a{n}", "url": f"https://news.example/{n}", "canonical_url": None,
                         "source": "s", "title": "t", "published": day + timedelta(days=n % 3), "language": "en"})
        facts.append({"id": f"a{n}", "extractor_version": "v1", "patent_counts": [], "deals": [{
            "parties": [{"name": name, "canonical": name, "role": "party"} for name in PAIRS[pair]],
            "types": TYPE_CHOICES[types], "date": stated, "date_precision": None if form == "none" else form,
            "status": status, "evidence": [{"sentence": sentence, "start": 0, "end": len(sentence)}]}]})
    return articles, facts


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(mention_strategy, min_size=1, max_size=12), st.randoms(use_true_random=False))
def test_events_do_not_depend_on_input_order_and_lose_no_evidence(mentions, rng: random.Random):
    articles, facts = build(mentions)
    first = normalize_facts(pd.DataFrame(articles), facts, REGISTRY, window_days=WINDOW)
    order = list(range(len(facts)))
    rng.shuffle(order)
    second = normalize_facts(pd.DataFrame([articles[i] for i in order]), [facts[i] for i in order], REGISTRY,
                             window_days=WINDOW)
    for name in ("companies", "company_aliases", "deals", "deal_parties", "deal_mentions", "patent_counts"):
        pd.testing.assert_frame_equal(getattr(first, name), getattr(second, name), obj=name)

    two_party = sum(1 for pair, *_ in mentions if len({REGISTRY.lookup(n).name for n in PAIRS[pair]}) == 2)
    assert len(first.deal_mentions) == two_party and first.summary["dropped"] == len(mentions) - two_party
    assert set(first.deal_mentions["deal_id"]) == set(first.deals["deal_id"])
    assert (first.deals["mention_count"].sum()) == two_party


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(mention_strategy, min_size=1, max_size=12))
def test_an_event_never_mixes_lawsuit_and_agreement_nor_spans_more_than_two_windows(mentions):
    articles, facts = build(mentions)
    result = normalize_facts(pd.DataFrame(articles), facts, REGISTRY, window_days=WINDOW)
    for _, event in result.deal_mentions.groupby("deal_id"):
        families = {type_family(types) for types in event["deal_types"]}
        assert len(families) == 1
        # day-precise dates all lie within the window of the event's first date, so within two windows of each other
        days = [d for d, p in zip(event["mention_date"], event["date_precision"].fillna(""), strict=True) if p == "day"]
        if days:
            assert (max(days) - min(days)).days <= 2 * WINDOW
