"""Article-body benchmark: patentwire's parse stage against trafilatura alone, on the same pages.

The metric is the one defined in `../shared/bench/article-extraction/README.md`: word 4-gram
("shingle") precision and recall per page, each page normalised to weigh the same, precision
averaged over the pages where the extractor returned something, recall over every page, and F1
computed from the two means. Throughput counts everything each side does per page: patentwire
gets raw bytes and decodes, extracts, dates and detects the language; trafilatura gets the page
already decoded (as in the README's own measurement), so the comparison favours trafilatura.

    .venv/bin/python bench/article_extraction.py [--data DIR] [--limit N] [-v]
"""

from __future__ import annotations

import argparse
import gzip
import json
import pathlib
import random
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

REPO = pathlib.Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "bench" / "article-extraction"
SHINGLE_SIZE = 4
WARMUP_PAGES = 2
WORST_SHOWN = 15

_WORD = re.compile(r"\w+")


# --- the metric -------------------------------------------------------------------------------

def tokens(text: str | None) -> list[str]:
    """Unicode word tokens, case kept: punctuation and whitespace do not count."""
    return _WORD.findall(text or "")


def shingles(words: list[str], size: int = SHINGLE_SIZE) -> Counter:
    """Multiset of runs of `size` consecutive words; a short text is one shingle of all its words."""
    if not words:
        return Counter()
    if len(words) < size:
        return Counter([tuple(words)])
    return Counter(tuple(words[i:i + size]) for i in range(len(words) - size + 1))


@dataclass(frozen=True)
class PageScore:
    tp: float
    fp: float
    fn: float
    precision: float
    recall: float

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def score_page(truth: str, prediction: str | None, size: int = SHINGLE_SIZE) -> PageScore:
    """Shingle counts of one page, normalised to sum to 1, with precision and recall."""
    expected, got = shingles(tokens(truth), size), shingles(tokens(prediction), size)
    tp = fp = fn = 0
    for shingle in expected.keys() | got.keys():
        t, p = expected[shingle], got[shingle]
        tp += min(t, p)
        fp += max(0, p - t)
        fn += max(0, t - p)
    total = tp + fp + fn
    if total:
        tp, fp, fn = tp / total, fp / total, fn / total
    if fp == 0 and fn == 0:
        return PageScore(tp, fp, fn, 1.0, 1.0)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return PageScore(tp, fp, fn, precision, recall)


@dataclass(frozen=True)
class CorpusScore:
    precision: float
    recall: float
    f1: float
    accuracy: float
    pages: int


def score_corpus(scores: list[PageScore], exact_matches: int | None = None) -> CorpusScore:
    """Mean precision over pages with output, mean recall over pages with a truth, F1 of the two."""
    with_output = [s.precision for s in scores if s.tp + s.fp > 0]
    with_truth = [s.recall for s in scores if s.tp + s.fn > 0]
    precision = statistics.fmean(with_output) if with_output else 0.0
    recall = statistics.fmean(with_truth) if with_truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    accuracy = (exact_matches or 0) / len(scores) if scores else 0.0
    return CorpusScore(precision, recall, f1, accuracy, len(scores))


def bootstrap_f1(per_page: list[list[PageScore]], resamples: int, seed: int = 0) -> list[list[float]]:
    """F1 of each system on `resamples` draws (with replacement) of the same pages, so that the
    spread of one system and of the difference between two can both be read off."""
    rng = random.Random(seed)
    pages = len(per_page[0])
    draws = [[rng.randrange(pages) for _ in range(pages)] for _ in range(resamples)]
    return [[score_corpus([scores[i] for i in draw]).f1 for draw in draws] for scores in per_page]


# --- the data ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class BenchPage:
    page_id: str
    url: str
    body: bytes  # the decompressed page, as a fetcher would store it
    truth: str


def load_pages(data: pathlib.Path, limit: int | None = None) -> list[BenchPage]:
    truth_file = data / "ground-truth.json"
    if not truth_file.exists():
        raise SystemExit(f"no benchmark at {data}: pass --data DIR (the folder holding ground-truth.json)")
    truth = json.loads(truth_file.read_text("utf-8"))
    pages = []
    for page_id in sorted(truth)[:limit]:
        body = gzip.decompress((data / "html" / f"{page_id}.html.gz").read_bytes())
        pages.append(BenchPage(page_id, truth[page_id]["url"], body, truth[page_id]["articleBody"]))
    return pages


# --- the systems ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Extraction:
    text: str
    reason: str | None = None  # patentwire's no-article reason; the text is then ""
    language: str | None = None
    dated: bool = False


def patentwire_extraction(page: BenchPage) -> Extraction:
    from patentwire.parse import parse_page
    # The benchmark pages were stored as UTF-8, which a fetcher would have read from the header.
    parsed = parse_page(page.body, url=page.url, content_type="text/html; charset=utf-8")
    return Extraction(parsed.text, parsed.reason, parsed.language, parsed.published is not None)


def trafilatura_extraction(page: BenchPage) -> Extraction:
    import trafilatura
    html = page.body.decode("utf-8")  # decoding given for free, as in the README's measurement
    return Extraction(trafilatura.extract(html, favor_precision=True, include_comments=False) or "")


SYSTEMS: dict[str, Callable[[BenchPage], Extraction]] = {
    "patentwire": patentwire_extraction,
    "trafilatura": trafilatura_extraction,
}


@dataclass(frozen=True)
class RunResult:
    system: str
    score: CorpusScore
    pages_per_second: float
    per_page: dict[str, PageScore]
    extractions: dict[str, Extraction]


def run_systems(systems: dict[str, Callable[[BenchPage], Extraction]], pages: list[BenchPage]) -> dict[str, RunResult]:
    """Every system on every page, interleaved page by page so that load from other processes on
    a shared machine slows all systems alike; each call is timed on its own."""
    for page in pages[:WARMUP_PAGES]:
        for extract in systems.values():
            extract(page)
    extractions = {name: {} for name in systems}
    elapsed = dict.fromkeys(systems, 0.0)
    for page in pages:
        for name, extract in systems.items():
            started = time.perf_counter()
            extractions[name][page.page_id] = extract(page)
            elapsed[name] += time.perf_counter() - started
    return {name: _result(name, pages, extractions[name], elapsed[name]) for name in systems}


def _result(name: str, pages: list[BenchPage], extractions: dict[str, Extraction], elapsed: float) -> RunResult:
    per_page = {p.page_id: score_page(p.truth, extractions[p.page_id].text) for p in pages}
    exact = sum(tokens(p.truth) == tokens(extractions[p.page_id].text) for p in pages)
    return RunResult(name, score_corpus(list(per_page.values()), exact), len(pages) / elapsed, per_page, extractions)


# --- output -----------------------------------------------------------------------------------

def format_result(result: RunResult) -> str:
    s = result.score
    return (f"{result.system:<12} F1 {s.f1:.3f}  P {s.precision:.3f}  R {s.recall:.3f}  "
            f"exact {s.accuracy:.3f}  {result.pages_per_second:5.1f} pages/s  ({s.pages} pages)")


def format_coverage(result: RunResult) -> str:
    """Pages turned away (every benchmark page is an article), dated, and the languages found."""
    found = list(result.extractions.values())
    reasons = Counter(e.reason for e in found if e.reason)
    languages = Counter(e.language or "none" for e in found if not e.reason)
    return (f"{result.system:<12} no-article verdicts {sum(reasons.values())} {dict(reasons)}; "
            f"dated {sum(e.dated for e in found)}/{len(found)}; languages {dict(languages.most_common())}")


def worst_pages(result: RunResult, reference: RunResult | None, count: int = WORST_SHOWN) -> Iterable[str]:
    ranked = sorted(result.per_page.items(), key=lambda item: item[1].f1)[:count]
    for page_id, s in ranked:
        other = f"  (trafilatura F1 {reference.per_page[page_id].f1:.3f})" if reference else ""
        yield f"  {page_id}  F1 {s.f1:.3f}  P {s.precision:.3f}  R {s.recall:.3f}{other}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=pathlib.Path, default=DEFAULT_DATA, help="benchmark folder")
    parser.add_argument("--limit", type=int, default=None, help="only the first N pages (sorted by id)")
    parser.add_argument("--bootstrap", type=int, default=1000, help="resamples for the error bars (0: none)")
    parser.add_argument("-v", "--verbose", action="store_true", help=f"list the {WORST_SHOWN} worst pages")
    args = parser.parse_args(argv)

    pages = load_pages(args.data, args.limit)
    results = run_systems(SYSTEMS, pages)
    for result in results.values():
        print(format_result(result))
    ours, theirs = results["patentwire"], results["trafilatura"]
    print(f"speed ratio patentwire/trafilatura {ours.pages_per_second / theirs.pages_per_second:.2f}")
    print(format_coverage(ours))
    if args.bootstrap and len(pages) > 1:
        ours_f1, theirs_f1 = bootstrap_f1([list(ours.per_page.values()), list(theirs.per_page.values())], args.bootstrap)
        gains = [a - b for a, b in zip(ours_f1, theirs_f1)]
        print(f"bootstrap ({args.bootstrap} resamples): F1 patentwire ±{statistics.stdev(ours_f1):.3f}, "
              f"trafilatura ±{statistics.stdev(theirs_f1):.3f}; gain {statistics.fmean(gains):+.3f} "
              f"±{statistics.stdev(gains):.3f}, positive in {sum(g > 0 for g in gains) / len(gains):.1%} of resamples")
    if args.verbose:
        print(f"worst {WORST_SHOWN} pages for patentwire:")
        print("\n".join(worst_pages(ours, theirs)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
