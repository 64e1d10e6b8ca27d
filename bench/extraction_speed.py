"""Extraction speed: articles per CPU-second of this extractor against a baseline version, on the same
texts, and how time grows with text length.

    .venv/bin/python bench/extraction_speed.py [--baseline REF] [--no-linear]

Texts: every annotated text in bench/gold/ (and the article bodies of ../shared/bench/article-extraction
when that folder is there — read from it, never copied). The baseline is the extractor as of git REF
(default: the last commit before the learned decisions), unpacked with `git archive` into a temporary folder
and timed in its own process with the same texts and the same loop, so both figures come from one run on one
machine. CPU time (process_time) is what is compared; a warm-up article is read first in both.

Linear time: one long text made by joining corpus texts, cut to 100 KB and to 1 MB; the script prints
seconds per KB for each and their ratio (target: the 1 MB text within 1.5x of the 100 KB one per KB).
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
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
    from time import process_time

    from patentwire.extract import extract_record

    body = "\n\n".join(record["text"] for record in records if record["language"] == "en")
    while len(body) < 1_000_000:
        body += "\n\n" + body
    per_kb = []
    for size in (100_000, 1_000_000):
        text = body[:size]
        start = process_time()
        extract_record({"id": f"long-{size}", "language": "en", "text": text})
        per_kb.append((process_time() - start) / (size / 1000))
    return per_kb[0], per_kb[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default=BASELINE_REF, help="git ref of the version to compare with")
    parser.add_argument("--no-linear", action="store_true", help="skip the 100 KB / 1 MB texts")
    args = parser.parse_args(argv)
    records = texts()
    with tempfile.TemporaryDirectory() as folder:
        folder = pathlib.Path(folder)
        records_file = folder / "texts.jsonl"
        records_file.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
        baseline = time_version(unpack(args.baseline, folder), records_file)
        current = time_version(REPO, records_file)
    rate = {name: run["articles"] / run["cpu_seconds"] for name, run in (("baseline", baseline), ("current", current))}
    print(f"texts: {len(records)} (gold sets, corpus{', article-extraction bodies' if SHARED_TRUTH.exists() else ''})")
    print(f"baseline {args.baseline}: {rate['baseline']:7.1f} articles per CPU-second "
          f"({1000 / rate['baseline']:.1f} ms each)")
    print(f"current:          {rate['current']:7.1f} articles per CPU-second ({1000 / rate['current']:.1f} ms each)")
    print(f"speed-up: {rate['current'] / rate['baseline']:.2f}x (target >= 3x)")
    if not args.no_linear:
        small, large = linear_time(records)
        print(f"linear time: {small * 1000:.2f} ms/KB at 100 KB, {large * 1000:.2f} ms/KB at 1 MB, "
              f"ratio {large / small:.2f} (target <= 1.5)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
