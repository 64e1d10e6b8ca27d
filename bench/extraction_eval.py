"""Extraction quality: patentwire's deal and patent-count extraction against a hand-labelled gold set.

The gold set (`bench/gold/extraction_gold.jsonl`, one text per line with its expected deals and
patent counts) is written out as extract input, run through the real CLI
(`python -m patentwire extract`), and every text's output is scored against its labels:

- Deals: only predicted deals with status "primary" count. Predicted deals with the same party set
  are merged first (one deal per company pair and text, types united), because the gold set labels
  one deal per party set and an extractor may report the same deal from several sentences. A
  predicted deal matches an expected one when the party sets are equal and they share a type.
- Patent counts: a prediction matches when the company, the unit and the value (within 1 %) agree.
  Predictions repeating the same (company, value, unit) are counted once.
- Names: casefolded, accents, legal suffixes (cleanco) and punctuation removed; a predicted party
  matches through its `canonical` or its `name`. A gold name also matches a longer predicted name
  that starts with it word by word ("Samsung" ~ "Samsung Electronics"), never the other way round
  (gold "Siemens Healthineers" is not matched by "Siemens").
- Matching is one to one: each expected item is matched at most once.

    .venv/bin/python bench/extraction_eval.py [--gold PATH] [--predictions PATH] [-v] [--json]
                                              [--min-deal-f1 X] [--min-count-f1 Y]
"""

from __future__ import annotations

import argparse
import json
import pathlib
import re
import subprocess
import sys
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import permutations

from cleanco import basename

REPO = pathlib.Path(__file__).resolve().parents[1]
DEFAULT_GOLD = REPO / "bench" / "gold" / "extraction_gold.jsonl"
PRIMARY = "primary"
VALUE_TOLERANCE = 0.01
INPUT_FIELDS = ("id", "language", "published", "title", "text")
SCOPES = ("en", "de", "all")

_NOT_WORD = re.compile(r"[^\w]+")
_SENTENCE_END = re.compile(r"(?<=[.!?\"“”])\s+(?=[\"„“A-ZÄÖÜ0-9])")


# --- names --------------------------------------------------------------------------------------

@lru_cache(maxsize=4096)
def name_key(name: str) -> str:
    """Comparable form of a company name: no accents, case, legal suffixes or punctuation."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    stripped = plain.strip()
    while True:  # "Co., Ltd." needs two passes of cleanco
        shorter = basename(stripped)
        if not shorter or shorter == stripped:
            break
        stripped = shorter
    return " ".join(_NOT_WORD.sub(" ", stripped.casefold()).split())


def names_match(gold: str, predicted: str) -> bool:
    """Equal keys, or the predicted name is the gold name followed by more words."""
    gold_key, predicted_key = name_key(gold), name_key(predicted)
    if not gold_key or not predicted_key:
        return False
    return predicted_key == gold_key or predicted_key.startswith(gold_key + " ")


def predicted_names(party: dict | str) -> list[str]:
    """Names a predicted party (or count owner) is recognised by: canonical first, then as written."""
    if isinstance(party, str):
        return [party]
    return [name for name in (party.get("canonical"), party.get("company"), party.get("name")) if name]


def party_matches(gold: str, party: dict | str) -> bool:
    return any(names_match(gold, name) for name in predicted_names(party))


def party_sets_equal(gold_parties: Sequence[str], predicted_parties: Sequence[dict | str]) -> bool:
    """Same size and a one-to-one pairing of gold and predicted parties (sets are tiny: 2-4)."""
    if len(gold_parties) != len(predicted_parties):
        return False
    return any(all(party_matches(g, p) for g, p in zip(gold_parties, order))
               for order in permutations(predicted_parties))


def identity_key(party: dict | str) -> str:
    """One key per predicted company, preferring the canonical name."""
    names = predicted_names(party)
    return name_key(names[0]) if names else ""


# --- one-to-one matching ------------------------------------------------------------------------

def match_one_to_one(expected: Sequence, predicted: Sequence,
                     is_match: Callable[[object, object], bool]) -> list[tuple[int, int]]:
    """Maximum bipartite matching (Kuhn's augmenting paths): pairs (expected index, predicted index)."""
    candidates = [[j for j, p in enumerate(predicted) if is_match(e, p)] for e in expected]
    owner: dict[int, int] = {}

    def assign(i: int, seen: set[int]) -> bool:
        for j in candidates[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or assign(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(expected)):
        assign(i, set())
    return sorted((i, j) for j, i in owner.items())


@dataclass
class ItemScore:
    """Outcome of scoring one kind of item (deals or counts) in one text."""
    matched: list[tuple[dict, dict]] = field(default_factory=list)
    missed: list[dict] = field(default_factory=list)
    spurious: list[dict] = field(default_factory=list)

    @property
    def tp(self) -> int:
        return len(self.matched)

    @property
    def fp(self) -> int:
        return len(self.spurious)

    @property
    def fn(self) -> int:
        return len(self.missed)


def _split(expected: list[dict], predicted: list[dict], is_match) -> ItemScore:
    pairs = match_one_to_one(expected, predicted, is_match)
    used_expected = {i for i, _ in pairs}
    used_predicted = {j for _, j in pairs}
    return ItemScore(
        matched=[(expected[i], predicted[j]) for i, j in pairs],
        missed=[e for i, e in enumerate(expected) if i not in used_expected],
        spurious=[p for j, p in enumerate(predicted) if j not in used_predicted],
    )


# --- deals --------------------------------------------------------------------------------------

def primary_deals(predicted: Iterable[dict]) -> list[dict]:
    """Primary deals only, merged per party set (types united, first evidence kept)."""
    merged: dict[frozenset[str], dict] = {}
    for deal in predicted:
        if deal.get("status") != PRIMARY:
            continue
        unique: dict[str, dict | str] = {}
        for party in deal.get("parties", []):
            unique.setdefault(identity_key(party), party)
        key = frozenset(unique)
        if key in merged:
            merged[key]["types"] = sorted(set(merged[key]["types"]) | set(deal.get("types", [])))
        else:
            merged[key] = {**deal, "parties": list(unique.values()), "types": sorted(set(deal.get("types", [])))}
    return list(merged.values())


def deal_matches(expected: dict, predicted: dict) -> bool:
    return (party_sets_equal(expected["parties"], predicted["parties"])
            and bool(set(expected["types"]) & set(predicted["types"])))


def score_deals(expected: list[dict], predicted: list[dict]) -> ItemScore:
    """Expected deals of one text against the extractor's deals for it (any status)."""
    return _split(expected, primary_deals(predicted), deal_matches)


# --- patent counts ------------------------------------------------------------------------------

def value_close(expected: float, predicted: float) -> bool:
    return abs(predicted - expected) <= VALUE_TOLERANCE * abs(expected)


def count_matches(expected: dict, predicted: dict) -> bool:
    try:
        value = float(predicted.get("value"))
    except (TypeError, ValueError):
        return False
    return (expected["unit"] == predicted.get("unit")
            and value_close(expected["value"], value)
            and party_matches(expected["company"], predicted))


def distinct_counts(predicted: Iterable[dict]) -> list[dict]:
    """One prediction per (company, value, unit): a figure repeated in a text is one statement."""
    seen: dict[tuple, dict] = {}
    for count in predicted:
        seen.setdefault((identity_key(count), count.get("value"), count.get("unit")), count)
    return list(seen.values())


def score_counts(expected: list[dict], predicted: list[dict]) -> ItemScore:
    """Expected patent counts of one text against the extractor's counts for it."""
    return _split(expected, distinct_counts(predicted), count_matches)


# --- figures ------------------------------------------------------------------------------------

@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, score: ItemScore) -> None:
        self.tp += score.tp
        self.fp += score.fp
        self.fn += score.fn

    @property
    def precision(self) -> float:
        predicted = self.tp + self.fp
        return self.tp / predicted if predicted else float(self.fn == 0)

    @property
    def recall(self) -> float:
        expected = self.tp + self.fn
        return self.tp / expected if expected else float(self.fp == 0)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4),
                "f1": round(self.f1, 4), "tp": self.tp, "fp": self.fp, "fn": self.fn}


@dataclass
class TextResult:
    id: str
    language: str
    text: str
    deals: ItemScore
    counts: ItemScore
    error: str | None = None


@dataclass
class Report:
    results: list[TextResult]

    def tally(self, kind: str, scope: str = "all") -> Tally:
        total = Tally()
        for result in self.results:
            if scope in ("all", result.language):
                total.add(getattr(result, kind))
        return total

    def type_accuracy(self) -> float | None:
        """Share of matched deals whose predicted type set equals the expected one."""
        pairs = [pair for r in self.results for pair in r.deals.matched]
        if not pairs:
            return None
        return sum(set(e["types"]) == set(p["types"]) for e, p in pairs) / len(pairs)

    def qualifier_accuracy(self) -> float | None:
        pairs = [pair for r in self.results for pair in r.counts.matched]
        if not pairs:
            return None
        return sum(e["qualifier"] == p.get("qualifier") for e, p in pairs) / len(pairs)

    def errors(self) -> list[TextResult]:
        return [r for r in self.results if r.error]

    def as_dict(self) -> dict:
        return {
            "texts": len(self.results),
            "errors": len(self.errors()),
            "deals": {scope: self.tally("deals", scope).as_dict() for scope in SCOPES},
            "counts": {scope: self.tally("counts", scope).as_dict() for scope in SCOPES},
            "deal_type_accuracy": _rounded(self.type_accuracy()),
            "count_qualifier_accuracy": _rounded(self.qualifier_accuracy()),
        }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def evaluate(gold: list[dict], predictions: dict[str, dict]) -> Report:
    """Score every gold text; a text without output or with an error counts as predicting nothing."""
    results = []
    for record in gold:
        output = predictions.get(record["id"], {"error": "no output line for this id"})
        expected = record["expected"]
        results.append(TextResult(
            id=record["id"], language=record["language"], text=record["text"],
            deals=score_deals(expected["deals"], output.get("deals", [])),
            counts=score_counts(expected["patent_counts"], output.get("patent_counts", [])),
            error=output.get("error"),
        ))
    return Report(results)


# --- input and output ---------------------------------------------------------------------------

class GoldFileError(Exception):
    pass


def load_gold(path: pathlib.Path) -> list[dict]:
    """Gold records, checked for the fields the scorer needs."""
    if not path.is_file():
        raise GoldFileError(f"{path}: no such gold file (pass --gold PATH to a JSONL file of labelled texts)")
    records = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            missing = [f for f in ("id", "language", "text", "expected") if f not in record]
        except json.JSONDecodeError as error:
            raise GoldFileError(f"{path}:{number}: not valid JSON ({error.msg}); fix or remove the line") from None
        if missing:
            raise GoldFileError(f"{path}:{number}: missing field(s) {', '.join(missing)}")
        record["expected"].setdefault("deals", [])
        record["expected"].setdefault("patent_counts", [])
        records.append(record)
    return records


def write_extract_input(gold: list[dict], path: pathlib.Path) -> None:
    with path.open("w", encoding="utf-8") as sink:
        for record in gold:
            sink.write(json.dumps({f: record.get(f) for f in INPUT_FIELDS}, ensure_ascii=False) + "\n")


def read_predictions(path: pathlib.Path) -> dict[str, dict]:
    predictions = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            output = json.loads(line)
            predictions[output.get("id")] = output
    return predictions


class ExtractorError(Exception):
    pass


def run_extractor(gold: list[dict], workdir: pathlib.Path) -> dict[str, dict]:
    """Run `python -m patentwire extract` on the gold texts; its output lines by id."""
    source, sink = workdir / "gold_input.jsonl", workdir / "extracted.jsonl"
    write_extract_input(gold, source)
    command = [sys.executable, "-m", "patentwire", "extract", "--input", str(source), "--output", str(sink)]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True)
    if done.returncode != 0 or not sink.exists():
        raise ExtractorError(f"`{' '.join(command[1:])}` failed with exit code {done.returncode}:\n"
                             f"{done.stderr.strip()[-2000:]}\nRun it by hand to see the full error.")
    return read_predictions(sink)


# --- printing -----------------------------------------------------------------------------------

def figures_table(report: Report) -> str:
    header = f"{'':8}{'scope':6}{'texts':>6}{'tp':>6}{'fp':>6}{'fn':>6}{'prec':>8}{'recall':>8}{'F1':>8}"
    lines = [header, "-" * len(header)]
    for kind in ("deals", "counts"):
        for scope in SCOPES:
            tally = report.tally(kind, scope)
            texts = sum(scope in ("all", r.language) for r in report.results)
            lines.append(f"{kind:8}{scope:6}{texts:>6}{tally.tp:>6}{tally.fp:>6}{tally.fn:>6}"
                         f"{tally.precision:>8.3f}{tally.recall:>8.3f}{tally.f1:>8.3f}")
    type_accuracy, qualifier_accuracy = report.type_accuracy(), report.qualifier_accuracy()
    lines.append("")
    lines.append(f"deal types exactly right in matched deals:  {_percent(type_accuracy)}")
    lines.append(f"qualifier right in matched counts:          {_percent(qualifier_accuracy)}")
    if report.errors():
        lines.append(f"texts with an extractor error:              {len(report.errors())}")
    return "\n".join(lines)


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1%}"


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def best_sentence(text: str, names: Iterable[str], numbers: Iterable[str] = ()) -> str:
    """The sentence that mentions most clues, to show where a miss is; a number outweighs a name."""
    name_clues = [n.casefold() for n in names if n]
    number_clues = [n for n in numbers if n]

    def weight(sentence: str) -> int:
        folded = sentence.casefold()
        return sum(n in folded for n in name_clues) + 2 * any(n in sentence for n in number_clues)

    return max(sentences(text) or [text], key=weight)


def evidence_sentence(item: dict, text: str, names: Iterable[str], numbers: Iterable[str] = ()) -> str:
    for evidence in item.get("evidence") or []:
        if isinstance(evidence, str):
            return evidence
        if isinstance(evidence, dict):
            for field_name in ("sentence", "text", "quote", "snippet"):
                if evidence.get(field_name):
                    return evidence[field_name]
            if isinstance(evidence.get("start"), int) and isinstance(evidence.get("end"), int):
                return text[evidence["start"]:evidence["end"]]
    return best_sentence(text, names, numbers)


def _number_clues(value) -> list[str]:
    """How a number may be written in either locale, to find its sentence."""
    try:
        number = int(float(value))
    except (TypeError, ValueError):
        return []
    return [f"{number:,}", f"{number:,}".replace(",", "."), str(number)]


def describe_deal(deal: dict) -> str:
    parties = " + ".join(predicted_names(p)[0] if predicted_names(p) else "?" for p in deal["parties"])
    return f"{parties} [{', '.join(deal['types'])}]"


def describe_count(count: dict) -> str:
    company = predicted_names(count)[0] if predicted_names(count) else "?"
    return f"{company}: {count.get('qualifier', '?')} {count.get('value')} {count.get('unit')}"


def diagnostics(report: Report) -> str:
    """Every miss and false positive, with the text id and the sentence it is about."""
    lines = []
    for r in report.results:
        if r.error:
            lines.append(f"{r.id}  ERROR       {r.error}")
        for deal in r.deals.missed:
            where = best_sentence(r.text, deal["parties"])
            lines.append(f"{r.id}  deal missed  {describe_deal(deal)}\n        | {where}")
        for deal in r.deals.spurious:
            where = evidence_sentence(deal, r.text, [n for p in deal["parties"] for n in predicted_names(p)])
            lines.append(f"{r.id}  deal false+  {describe_deal(deal)}\n        | {where}")
        for count in r.counts.missed:
            where = best_sentence(r.text, [count["company"]], _number_clues(count["value"]))
            lines.append(f"{r.id}  count missed {describe_count(count)}\n        | {where}")
        for count in r.counts.spurious:
            where = evidence_sentence(count, r.text, predicted_names(count), _number_clues(count.get("value")))
            lines.append(f"{r.id}  count false+ {describe_count(count)}\n        | {where}")
    return "\n".join(lines) if lines else "no misses and no false positives"


# --- command line -------------------------------------------------------------------------------

def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", type=pathlib.Path, default=DEFAULT_GOLD,
                        help="labelled texts, JSONL (default: bench/gold/extraction_gold.jsonl)")
    parser.add_argument("--predictions", type=pathlib.Path,
                        help="score this extract output (JSONL) instead of running the extractor")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every miss and false positive")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--min-deal-f1", type=float, default=None, help="exit 1 if overall deal F1 is lower")
    parser.add_argument("--min-count-f1", type=float, default=None, help="exit 1 if overall count F1 is lower")
    return parser.parse_args(argv)


def below_thresholds(report: Report, min_deal_f1: float | None, min_count_f1: float | None) -> list[str]:
    failures = []
    for kind, floor in (("deals", min_deal_f1), ("counts", min_count_f1)):
        f1 = report.tally(kind).f1
        if floor is not None and f1 < floor:
            failures.append(f"{kind} F1 {f1:.3f} is below the threshold {floor:.3f}")
    return failures


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        gold = load_gold(args.gold)
        if args.predictions:
            predictions = read_predictions(args.predictions)
        else:
            with tempfile.TemporaryDirectory(prefix="patentwire-eval-") as workdir:
                predictions = run_extractor(gold, pathlib.Path(workdir))
    except (GoldFileError, ExtractorError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    report = evaluate(gold, predictions)
    if args.json:
        print(json.dumps(report.as_dict(), indent=2))
    else:
        print(f"gold: {args.gold} ({len(gold)} texts)\n")
        print(figures_table(report))
    if args.verbose:
        print("\n" + diagnostics(report))
    failures = below_thresholds(report, args.min_deal_f1, args.min_count_f1)
    for failure in failures:
        print(f"FAIL: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
