"""Organisation-mention precision and recall per language, and the recogniser's speed.

Usage: python bench/orgs_eval.py [FILES.jsonl ...] [--held-out PREFIX] [--errors N]
Default files: bench/gold/corpus/*.jsonl if present, else /work/staging/corpus/part-*.jsonl (the corpus
being written). Texts whose id starts with the held-out prefix (default "D-", part D) are reported as
the held-out split, apart from the split the recogniser was tuned on.

The metric, per text (title + body, read sentence by sentence through `article_mentions`, the same
`OrgFinder.mentions` + `Discourse` loop the extractor runs):
- gold: the text's `expected.organisations` of a party-capable kind (company, pool, university,
  research); every other kind (court, authority, media, other) is not to be predicted as a party;
- predicted: the distinct canonical names of the mentions of a company-like kind: those that
  `can_be_party` and research firms (analysts are companies, only never parties);
- a prediction matches a gold organisation when one of its keys (canonical name, or any form the
  text wrote it as) equals one of the gold keys (name or any of its `forms`), keys compared with
  case, accents, punctuation and legal form ignored (`normalize_name(strip_legal_suffix(...))`);
- precision = predictions matching a gold party-capable organisation / predictions (a court or an
  agency predicted as a party, or a non-name, is a false positive); recall = gold organisations
  matched by at least one prediction / gold organisations. Both are micro-averaged over the texts
  of one language.
Targets (issue 11): precision >= 0.95 and recall >= 0.90 in each language.

Two configurations are scored: the extractor's (`OrgFinder(registry)`) and one that also takes bare
capitalised names with no cue (`OrgFinder(registry, bare_names=True)`, confidence 0.6). Speed is the
recogniser's CPU time alone, after everything it loads on first use is loaded.
"""

from __future__ import annotations

import argparse
import glob
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from patentwire.companies import default_registry, normalize_name, strip_legal_suffix  # noqa: E402
from patentwire.extract.orgs import OrgFinder, article_mentions  # noqa: E402
from patentwire.extract.sentences import split_sentences  # noqa: E402

PARTY_KINDS = {"company", "pool", "university", "research"}


def key(name: str) -> str:
    return normalize_name(strip_legal_suffix(name)) or normalize_name(name)


def read_texts(paths: list[str]) -> list[dict]:
    texts = []
    for path in paths:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            if line.strip():
                try:
                    texts.append(json.loads(line))
                except json.JSONDecodeError:
                    pass  # a line still being written
    return texts


def predicted_organisations(finder: OrgFinder, text: dict) -> dict[str, set[str]]:
    """Canonical name -> every key it was written as, for the party-capable mentions of one text."""
    sentences = [sentence.text for sentence in split_sentences(text["text"])]
    found: dict[str, set[str]] = defaultdict(set)
    for mentions in article_mentions(finder, text.get("title") or "", sentences, text["language"]):
        for mention in mentions:
            if mention.can_be_party or mention.kind == "research":
                found[mention.canonical] |= {key(mention.canonical), key(mention.name)}
    return found


def score_text(finder: OrgFinder, text: dict) -> dict:
    gold = [org for org in text["expected"]["organisations"] if org["kind"] in PARTY_KINDS]
    gold_keys = [{key(org["name"]), *(key(form) for form in org.get("forms", []))} - {""} for org in gold]
    predicted = predicted_organisations(finder, text)
    matched_gold, false_positives = set(), []
    for canonical, keys in predicted.items():
        hits = [index for index, org_keys in enumerate(gold_keys) if keys & org_keys]
        if hits:
            matched_gold.update(hits)
        else:
            false_positives.append(canonical)
    missed = [gold[index]["name"] for index in range(len(gold)) if index not in matched_gold]
    return {"predicted": len(predicted), "true": len(predicted) - len(false_positives), "gold": len(gold),
            "found": len(matched_gold), "false_positives": false_positives, "missed": missed}


def report(split: str, scores: list[tuple[dict, dict]]) -> None:
    by_language: dict[str, list[dict]] = defaultdict(list)
    for text, score in scores:
        by_language[text["language"]].append(score)
    for language, items in sorted(by_language.items()):
        predicted, true = sum(s["predicted"] for s in items), sum(s["true"] for s in items)
        gold, found = sum(s["gold"] for s in items), sum(s["found"] for s in items)
        precision = true / predicted if predicted else 1.0
        recall = found / gold if gold else 1.0
        print(f"{split:9} {language}  texts {len(items):4}  precision {precision:.3f} ({true}/{predicted})  "
              f"recall {recall:.3f} ({found}/{gold})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*")
    parser.add_argument("--held-out", default="D-", help="id prefix of the held-out split (default D-)")
    parser.add_argument("--errors", type=int, default=0, help="print the first N texts with errors")
    args = parser.parse_args(argv)
    files = args.files or sorted(glob.glob(str(ROOT / "bench/gold/corpus/*.jsonl"))) \
        or sorted(glob.glob("/work/staging/corpus/part-*.jsonl"))
    texts = read_texts(files)
    started = time.perf_counter()
    finder = OrgFinder(default_registry())
    for text in texts[:5]:  # lexicons and word lists load on first use: not part of the per-article cost
        score_text(OrgFinder(default_registry(), bare_names=True), text)
    built = time.perf_counter() - started
    print(f"{len(texts)} texts from {len(files)} files; registry {len(default_registry().companies):,} organisations")
    for label, finder in (("the extractor's recogniser", finder),
                          ("with bare names", OrgFinder(default_registry(), bare_names=True))):
        started = time.process_time()  # CPU time: the machine may be shared, wall time would measure the neighbours
        scores = [(text, score_text(finder, text)) for text in texts]
        elapsed = time.process_time() - started
        print(f"-- {label}: {1000 * elapsed / max(len(texts), 1):.2f} ms CPU per article "
              f"({sum(len(t['text']) for t in texts) / max(len(texts), 1):.0f} chars on average)")
        report("tuned", [(t, s) for t, s in scores if not t["id"].startswith(args.held_out)])
        report("held-out", [(t, s) for t, s in scores if t["id"].startswith(args.held_out)])
        if label.startswith("the"):
            first_scores = scores
    print(f"registry, finder and word lists loaded once in {built:.2f} s")
    scores = first_scores
    shown = 0
    for text, score in scores:
        if shown >= args.errors:
            break
        if score["false_positives"] or score["missed"]:
            shown += 1
            print(f"- {text['id']}: FP {score['false_positives']}  missed {score['missed']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
