"""Extraction speed: articles per CPU-second of this extractor against a baseline version, on the same
texts, and how time grows with text length.

    .venv/bin/python bench/extraction_speed.py [--baseline REF] [--no-linear] [--repeat N]

Texts: every annotated text in bench/gold/ (and the article bodies of ../shared/bench/article-extraction
when that folder is there — read from it, never copied). The baseline is the extractor as of git REF
(default: the last commit before the learned decisions), unpacked with `git archive` into a temporary folder
and timed in its own process with the same texts and the same loop, so both figures come from one run on one
machine. CPU time (process_time) is what is compared; a warm-up article is read first in both.

Linear time: one long text made by joining the English texts in a fixed shuffled order, cut to 100 KB and to 1 MB and read whole (past the
50,000-character bound the pipeline applies); the script prints seconds per KB for each and their ratio
(target: the 1 MB text within 1.5x of the 100 KB one per KB).
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import random
import subprocess
import sys
import tarfile
import tempfile

REPO = pathlib.Path(__file__).resolve().parents[1]
GOLD = REPO / "bench" / "gold"
SHARED_TRUTH = REPO.parent / "shared" / "bench" / "article-extraction" / "ground-truth.json"
BASELINE_REF = "b7b5b91"  # main before issue 11: the rules alone (extract-5)

TIMER = r"""
import json, sys, time
from patentwire.extract import extract_record
records = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8")]
extract_record(records[0])
start = time.process_time()
for record in records:
    extract_record(record)
print(json.dumps({"articles": len(records), "cpu_seconds": time.process_time() - start}))
"""


def texts() -> list[dict]:
    records = []
    for path in sorted(GOLD.glob("*.jsonl")) + sorted((GOLD / "corpus").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            records.append({key: record.get(key) for key in ("id", "language", "published", "title", "text")})
    if SHARED_TRUTH.exists():
        truth = json.loads(SHARED_TRUTH.read_text(encoding="utf-8"))
        records += [{"id": f"bench-{key}", "language": "en", "published": None, "title": None,
                     "text": value["articleBody"]} for key, value in sorted(truth.items()) if value["articleBody"].strip()]
    for record in records:  # the baseline accepts only day-precision dates
        if record["published"] and len(str(record["published"])) < 10:
            record["published"] = None
    return records


def time_version(source_root: pathlib.Path, records_file: pathlib.Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(source_root)}
    run = subprocess.run([sys.executable, "-c", TIMER, str(records_file)], capture_output=True, text=True,
                         env=env, cwd=source_root, check=True)
    return json.loads(run.stdout.strip().splitlines()[-1])


def unpack(ref: str, into: pathlib.Path) -> pathlib.Path:
    archive = into / "baseline.tar"
    subprocess.run(["git", "-C", str(REPO), "archive", "--format=tar", "-o", str(archive), ref, "patentwire"],
                   check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(into / "baseline", filter="data")
    return into / "baseline"


def linear_time(records: list[dict]) -> tuple[float, float]:
    """Seconds per KB at 100 KB and 1 MB, read whole: `extract_article` directly, past the length bound
    (`MAX_TEXT_CHARS`) that `extract_record` and the pipeline apply."""
    from time import process_time

    from patentwire.extract import ArticleInput, extract_article

    english = [record["text"] for record in records if record["language"] == "en"]
    random.Random(11).shuffle(english)  # both lengths then hold the same mix of press releases and news
    body = "\n\n".join(english)
    while len(body) < 1_000_000:
        body += "\n\n" + body
    # a whole warm-up pass on text outside both cuts: every lazy load (lexicons, model, word lists) is done
    extract_article(ArticleInput(id="warm-up", text=body[1_000_000:][-100_000:] or body[:20_000], language="en"))
    per_kb = []
    for size in (100_000, 1_000_000):
        start = process_time()
        extract_article(ArticleInput(id=f"long-{size}", text=body[:size], language="en"))
        per_kb.append((process_time() - start) / (size / 1000))
    return per_kb[0], per_kb[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default=BASELINE_REF, help="git ref of the version to compare with")
    parser.add_argument("--no-linear", action="store_true", help="skip the 100 KB / 1 MB texts")
    parser.add_argument("--repeat", type=int, default=3, help="alternating runs of each version (fastest counts)")
    args = parser.parse_args(argv)
    records = texts()
    with tempfile.TemporaryDirectory() as folder:
        folder = pathlib.Path(folder)
        records_file = folder / "texts.jsonl"
        records_file.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
        baseline_root = unpack(args.baseline, folder)
        # alternating runs, the fastest of each: other load on the machine only ever slows a run down
        runs = [(time_version(baseline_root, records_file), time_version(REPO, records_file))
                for _ in range(args.repeat)]
        baseline = min((pair[0] for pair in runs), key=lambda run: run["cpu_seconds"])
        current = min((pair[1] for pair in runs), key=lambda run: run["cpu_seconds"])
    rate = {name: run["articles"] / run["cpu_seconds"] for name, run in (("baseline", baseline), ("current", current))}
    print(f"texts: {len(records)} (gold sets, corpus{', article-extraction bodies' if SHARED_TRUTH.exists() else ''})")
    print(f"baseline {args.baseline}: {rate['baseline']:7.1f} articles per CPU-second "
          f"({1000 / rate['baseline']:.1f} ms each)")
    print(f"current:          {rate['current']:7.1f} articles per CPU-second ({1000 / rate['current']:.1f} ms each)")
    print(f"speed-up: {rate['current'] / rate['baseline']:.2f}x (target >= 3x; fastest of {args.repeat} alternating runs each)")
    if not args.no_linear:
        small, large = linear_time(records)
        print(f"linear time: {small * 1000:.2f} ms/KB at 100 KB, {large * 1000:.2f} ms/KB at 1 MB, "
              f"ratio {large / small:.2f} (target <= 1.5)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
