"""Train the extractor's learned decisions from the annotated corpora, and say how well they transfer.

    .venv/bin/python bench/train_extractor.py            # cross-validate, then fit and write the model
    .venv/bin/python bench/train_extractor.py --cv-only  # figures only, the shipped model stays

The rules read every training text and propose candidates (organisation pairs that share a deal sentence,
patent figures with each organisation that might own them); the gold labels say which are right. One
logistic head per decision is fitted on hashed sparse features (`patentwire/extract/decisions.py`):
`pair` (is this pair a deal the text reports as news), one `type:<deal type>` head per type (for true pairs),
and `count` (is this figure this organisation's portfolio size). Thresholds are chosen on out-of-fold
predictions. Cross-validation leaves one *source* out at a time (each corpus part was written by another
writer, on other industries), so its figures say how the decisions carry over to text written apart from
the training data; they are still development figures, not blind ones (see bench/README.md).

The model is written to patentwire/data/model/extractor.npz with the training files' hashes; the same files
and this script give the same bytes (liblinear with a fixed seed, float32 weights).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pathlib
import sys
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from scipy.sparse import csr_matrix
from sklearn import __version__ as sklearn_version
from sklearn.linear_model import LogisticRegression

from extraction_eval import count_matches, evaluate, party_sets_equal
from patentwire.extract import ArticleInput
from patentwire.extract.article import Reading, decide, read_article
from patentwire.extract.dates import parse_publication_date
from patentwire.extract.decisions import (
    COUNT_HEAD,
    HASH_BITS,
    MODEL_PATH,
    PAIR_HEAD,
    TYPE_HEADS,
    Model,
    count_features,
    feature_index,
    pair_features,
    save_model,
)
from patentwire.vocab import DatePrecision

REPO = pathlib.Path(__file__).resolve().parents[1]
GOLD = REPO / "bench" / "gold"
# every annotated file the model may learn from; bench/gold/blind/ is never read here
TRAINING_SOURCES = {
    "dev": [GOLD / "extraction_gold.jsonl"],
    "holdout1": [GOLD / "extraction_holdout.jsonl"],
    "holdout2": [GOLD / "extraction_holdout2.jsonl"],
    **{f"corpus-{part}": [GOLD / "corpus" / f"part-{part}.jsonl"] for part in "ABCD"},
}
C_VALUE = 0.5
THRESHOLD_GRID = [round(x, 2) for x in np.arange(0.2, 0.81, 0.05)]


@dataclass
class Examples:
    rows: dict[str, list[list[str]]] = field(default_factory=lambda: defaultdict(list))
    labels: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))

    def add(self, head: str, features: list[str], label: bool) -> None:
        self.rows[head].append(features)
        self.labels[head].append(int(label))


def load_sources(names: list[str] | None = None) -> dict[str, list[dict]]:
    sources = {}
    for name, paths in TRAINING_SOURCES.items():
        if names and name not in names:
            continue
        records = [json.loads(line) for path in paths if path.exists()
                   for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        if records:
            sources[name] = records
    return sources


def reading_of(record: dict) -> Reading:
    published = parse_publication_date(record.get("published"))
    article = ArticleInput(
        id=str(record["id"]), text=record["text"], title=record.get("title") or None,
        language=record.get("language") or None, published=published.day if published else None,
        published_precision=published.precision if published else DatePrecision.DAY)
    return read_article(article)


def examples_of(reading: Reading, expected: dict, examples: Examples) -> None:
    """Label every candidate of one text from its gold facts."""
    gold_deals = expected.get("deals", [])
    for candidate in reading.pairs:
        parties = [{"canonical": name, "name": candidate.mentions[name].name} for name in candidate.names]
        match = next((deal for deal in gold_deals if party_sets_equal(deal["parties"], parties)), None)
        features = pair_features(candidate, reading.view)
        examples.add(PAIR_HEAD, features, match is not None)
        if match is not None:
            for deal_type, head in TYPE_HEADS.items():
                examples.add(head, features, deal_type in match["types"])
    gold_counts = expected.get("patent_counts", [])
    for candidate in reading.counts:
        predicted = {"company": candidate.owner.canonical, "name": candidate.owner.name,
                     "value": candidate.statement.value, "unit": str(candidate.statement.unit)}
        examples.add(COUNT_HEAD, count_features(candidate, reading.view),
                     any(count_matches(gold, predicted) for gold in gold_counts))


def matrix(rows: list[list[str]]) -> csr_matrix:
    indptr, indices = [0], []
    for features in rows:
        columns = sorted({feature_index(feature) for feature in features})
        indices.extend(columns)
        indptr.append(len(indices))
    return csr_matrix((np.ones(len(indices), dtype=np.float64), indices, indptr), shape=(len(rows), 1 << HASH_BITS))


def fit(examples: Examples, thresholds: dict[str, float] | None = None) -> Model:
    weights, bias = {}, {}
    for head, rows in examples.rows.items():
        labels = np.array(examples.labels[head])
        if labels.min() == labels.max():
            continue  # a head with one class only (a type never seen) is left out and never predicted
        classifier = LogisticRegression(C=C_VALUE, solver="liblinear", random_state=0, max_iter=1000)
        classifier.fit(matrix(rows), labels)
        weights[head] = classifier.coef_[0].astype(np.float32).astype(np.float64)
        bias[head] = float(classifier.intercept_[0])
    return Model(weights, bias, thresholds or {}, digest="in-memory")


def predictions(model: Model, readings: list[Reading]) -> dict[str, dict]:
    return {reading.article.id: decide(reading, model).to_dict() for reading in readings}


def figures(records: list[dict], predicted: dict[str, dict]) -> dict:
    report = evaluate(records, predicted).as_dict()
    return {"deals": report["deals"]["all"]["f1"], "counts": report["counts"]["all"]["f1"],
            "deals_en": report["deals"]["en"]["f1"], "deals_de": report["deals"]["de"]["f1"],
            "counts_en": report["counts"]["en"]["f1"], "counts_de": report["counts"]["de"]["f1"]}


def rule_predictions(readings: list[Reading]) -> dict[str, dict]:
    return {reading.article.id: reading.rule_facts.to_dict() for reading in readings}


PLATEAU = 0.005  # pooled out-of-fold F1 within this of the best counts as equally good


def cross_validate(sources: dict[str, list[dict]], readings: dict[str, list[Reading]]) -> dict[str, float]:
    """Leave one source out; print figures per source for rules and model; return the tuned thresholds."""
    out_of_fold: dict[str, tuple[Model, list[Reading], list[dict]]] = {}
    for held_out in sources:
        examples = Examples()
        for name, records in sources.items():
            if name != held_out:
                for record, reading in zip(records, readings[name]):
                    examples_of(reading, record["expected"], examples)
        out_of_fold[held_out] = (fit(examples), readings[held_out], sources[held_out])
    thresholds = {}
    for head in (PAIR_HEAD, COUNT_HEAD):
        scores = {threshold: _pooled_f1(out_of_fold, head, threshold) for threshold in THRESHOLD_GRID}
        # the F1 curve is flat near its top: the centre of the thresholds within PLATEAU of the best is a
        # steadier choice than the single best point, which may sit at the edge of the grid
        plateau = [threshold for threshold, score in scores.items() if score >= max(scores.values()) - PLATEAU]
        thresholds[head] = plateau[(len(plateau) - 1) // 2]
    print(f"thresholds chosen out of fold: {thresholds}")
    print(f"{'held-out source':16} {'texts':>5}  {'rules deals':>11} {'counts':>6}  {'model deals':>11} {'counts':>6}"
          f"  {'en/de deals':>11}  {'en/de counts':>12}")
    for name, (model, held_readings, records) in out_of_fold.items():
        tuned = Model(model.weights, model.bias, thresholds, model.digest)
        rules = figures(records, rule_predictions(held_readings))
        learned = figures(records, predictions(tuned, held_readings))
        print(f"{name:16} {len(records):5}  {rules['deals']:11.3f} {rules['counts']:6.3f}  {learned['deals']:11.3f}"
              f" {learned['counts']:6.3f}  {learned['deals_en']:.3f}/{learned['deals_de']:.3f}"
              f"  {learned['counts_en']:.3f}/{learned['counts_de']:.3f}")
    return thresholds


def _pooled_f1(out_of_fold, head: str, threshold: float) -> float:
    tp = fp = fn = 0
    kind = "deals" if head == PAIR_HEAD else "counts"
    for model, held_readings, records in out_of_fold.values():
        trial = Model(model.weights, model.bias, {head: threshold}, model.digest)
        tally = evaluate(records, predictions(trial, held_readings)).tally(kind)
        tp, fp, fn = tp + tally.tp, fp + tally.fp, fn + tally.fn
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cv-only", action="store_true", help="print cross-validated figures, write no model")
    parser.add_argument("--out", type=pathlib.Path, default=MODEL_PATH)
    parser.add_argument("--sources", nargs="*", help=f"train on these sources only (of {', '.join(TRAINING_SOURCES)})")
    args = parser.parse_args(argv)
    sources = load_sources(args.sources)
    print(f"sources: " + ", ".join(f"{name} ({len(records)})" for name, records in sources.items()))
    readings = {name: [reading_of(record) for record in records] for name, records in sources.items()}
    thresholds = cross_validate(sources, readings)
    if args.cv_only:
        return 0
    examples = Examples()
    for name, records in sources.items():
        for record, reading in zip(records, readings[name]):
            examples_of(reading, record["expected"], examples)
    model = fit(examples, thresholds)
    files = {str(path.relative_to(REPO)): hashlib.sha256(path.read_bytes()).hexdigest()
             for paths in TRAINING_SOURCES.values() for path in paths if path.exists()}
    meta = {"training_files": files, "examples": {head: len(rows) for head, rows in examples.rows.items()},
            "positives": {head: int(sum(labels)) for head, labels in examples.labels.items()},
            "hash_bits": HASH_BITS, "C": C_VALUE, "scikit_learn": sklearn_version}
    digest = save_model(args.out, model.weights, model.bias, thresholds, meta)
    print(f"wrote {args.out.relative_to(REPO) if args.out.is_relative_to(REPO) else args.out} (sha256 {digest[:12]}); "
          f"examples {meta['examples']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
