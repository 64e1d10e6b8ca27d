"""Scale: how a full run grows with the number of pages, what a rerun costs, and what a second core gives.

Generates archives of realistic pages (half English, half German; each from one of several site templates
with navigation, cookie banner, related links and footer; a third report a deal, a third a portfolio size,
the rest are product and market news), then, for each size N:

- cold: `patentwire run` on a fresh home over the archive: wall time, CPU of the whole process tree, peak
  RSS of the largest process and peak RSS of the whole tree (parent and workers, sampled from /proc);
- rerun: the same run again with nothing new (CPU as a share of the cold run's; fastest of 3);
- 1 % new: 1 % more pages dropped into the archive, run again (CPU share);
- an empty run (no pages at all) measures what every run costs before any page: interpreter, Dagster,
  the run's own bookkeeping (fastest of 3). "Work" below is a run's CPU minus that.

Then the parallel speed-up: on the smallest size at least 4,000 pages, parse + extract of every page from
the fetched pages, with 1 and with 2 worker processes (wall time, fresh copy of the warehouse each).

    .venv/bin/python bench/scale.py [--sizes 4000 32000] [--keep DIR] [--seed 13]

Targets (issue 13): speed-up >= 1.7x; peak RSS at the largest size <= 1.2x the peak at 4k; rerun with
nothing new <= 2 % of the cold run's CPU; rerun work at the largest size within 1.5x of 4k's; 1 % new <= 4 %.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb

PATENTWIRE = Path(sys.executable).parent / "patentwire"
SPEEDUP_SIZE = 4000
TARGETS = {"speedup": 1.7, "memory": 1.2, "rerun": 0.02, "rerun_growth": 1.5, "new_1pct": 0.04}

# --- generated pages -------------------------------------------------------------------------------

STEMS = ["Vel", "Kor", "Astr", "Lum", "Nex", "Quor", "Tal", "Bri", "Hel", "Ost", "Mar", "Zen", "Orb", "Cal",
         "Dra", "Fen", "Gal", "Ith", "Jur", "Kel"]
ENDINGS = ["trix", "ion", "ara", "etic", "onic", "via", "ant", "ex", "ora", "um"]
EN_KINDS = ["Semiconductor", "Motors", "Networks", "Electronics", "Pool Systems", "Devices", "Optics"]
DE_KINDS = ["Halbleiter AG", "Antriebe GmbH", "Elektronik AG", "Poolsysteme GmbH", "Sensorik AG", "Optik GmbH"]
EN_TECH = ["5G radio modems", "power semiconductors", "battery management", "image sensors", "pool heat pumps",
           "driver assistance", "OLED displays", "wireless charging"]
DE_TECH = ["5G-Funkmodems", "Leistungshalbleiter", "Batteriemanagement", "Bildsensoren", "Poolwärmepumpen",
           "Fahrerassistenz", "OLED-Displays", "kabelloses Laden"]

EN_DEALS = [
    "{a} and {b} have signed a patent cross-license agreement covering {tech}.",
    "{a} has acquired {k} patents from {b}, the companies said on {weekday}.",
    "{a} and {b} settled their patent dispute over {tech} and withdrew all pending lawsuits.",
    "{a} signed a multi-year supply agreement with {b} for {tech}.",
    "{a} filed a patent infringement lawsuit against {b} in the district court.",
    "{a} has taken a licence to the {tech} patent portfolio of {b}.",
]
DE_DEALS = [
    "{a} und {b} haben ein Patentaustauschabkommen für {tech} unterzeichnet.",
    "{a} hat {k} Patente von {b} erworben, teilten die Unternehmen am {weekday} mit.",
    "{a} und {b} haben ihren Patentstreit über {tech} beigelegt und alle Klagen zurückgezogen.",
    "{a} hat mit {b} einen mehrjährigen Liefervertrag über {tech} geschlossen.",
    "{a} hat beim Landgericht Klage wegen Patentverletzung gegen {b} eingereicht.",
    "{a} hat eine Lizenz für das Patentportfolio von {b} im Bereich {tech} erworben.",
]
EN_COUNTS = ["{a} holds about {n} patents worldwide, most of them in {tech}.",
             "The company's portfolio now includes more than {n} granted patents and patent applications.",
             "{a} said it had filed {n} patent applications in {tech} last year."]
DE_COUNTS = ["{a} hält nach eigenen Angaben rund {n} Patente weltweit, die meisten im Bereich {tech}.",
             "Das Portfolio umfasst inzwischen mehr als {n} erteilte Patente und Patentanmeldungen.",
             "{a} hat im vergangenen Jahr {n} Patentanmeldungen im Bereich {tech} eingereicht."]
EN_FILLER = [
    "Revenue rose {p} percent to {m} million euros in the third quarter.",
    "The new line of {tech} will be shown at the trade fair in {city} next month.",
    "Analysts expect demand for {tech} to grow steadily over the next three years.",
    "The plant in {city} employs around {m} people and will be expanded.",
    "Chief executive officer {person} said the company would keep investing in research.",
    "Prices for components remained under pressure, the company said.",
    "The product is expected to reach customers in the second half of the year.",
    "Shares of the company closed {p} percent higher on {weekday}.",
]
DE_FILLER = [
    "Der Umsatz stieg im dritten Quartal um {p} Prozent auf {m} Millionen Euro.",
    "Die neue Generation von {tech} wird im kommenden Monat auf der Messe in {city} gezeigt.",
    "Analysten erwarten, dass die Nachfrage nach {tech} in den nächsten drei Jahren stetig wächst.",
    "Das Werk in {city} beschäftigt rund {m} Mitarbeiter und soll erweitert werden.",
    "Vorstandschef {person} kündigte an, weiter in Forschung und Entwicklung zu investieren.",
    "Die Preise für Bauteile blieben nach Angaben des Unternehmens unter Druck.",
    "Das Produkt soll in der zweiten Jahreshälfte an die Kunden ausgeliefert werden.",
    "Die Aktie des Unternehmens schloss am {weekday} {p} Prozent höher.",
]
CITIES = {"en": ["Austin", "Leeds", "Osaka", "Boston", "Lyon"], "de": ["Stuttgart", "Graz", "Basel", "Dresden", "Linz"]}
PEOPLE = ["Anna Berger", "Lukas Meier", "Sara Novak", "Tom Hughes", "Jonas Keller", "Mia Lang"]
WEEKDAYS = {"en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"],
            "de": ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag"]}
SITES = [  # (site name, language, section names): one template each
    ("Chip Ledger", "en", ["News", "Semiconductors", "Automotive", "Patents", "Contact"]),
    ("Device Report", "en", ["Latest", "Electronics", "Pools", "Legal", "About"]),
    ("Techmarkt heute", "de", ["Aktuell", "Halbleiter", "Auto", "Recht", "Kontakt"]),
    ("Industrie Kompass", "de", ["Neu", "Elektronik", "Pool & Garten", "Patente", "Impressum"]),
]
COOKIE = {"en": "We use cookies to measure reach and store your settings. See our privacy policy.",
          "de": "Wir verwenden Cookies, um die Reichweite zu messen und Ihre Einstellungen zu speichern."}


def company(rng: random.Random, language: str) -> str:
    kinds = EN_KINDS if language == "en" else DE_KINDS
    return f"{rng.choice(STEMS)}{rng.choice(ENDINGS)} {rng.choice(kinds)}"


def number(rng: random.Random, language: str) -> str:
    value = rng.randrange(120, 40_000)
    text = f"{value:,}"
    return text.replace(",", ".") if language == "de" else text


def page_html(index: int, seed: int) -> tuple[str, str]:
    """(file name, HTML) of generated page `index`: the same page for the same (index, seed)."""
    rng = random.Random(seed * 1_000_003 + index)
    site, language, sections = SITES[index % len(SITES)]
    a, b = company(rng, language), company(rng, language)
    while b == a:
        b = company(rng, language)
    fill = {"a": a, "b": b, "tech": rng.choice(EN_TECH if language == "en" else DE_TECH),
            "k": rng.randrange(20, 900), "weekday": rng.choice(WEEKDAYS[language]),
            "p": rng.randrange(2, 19), "m": rng.randrange(40, 4000), "city": rng.choice(CITIES[language]),
            "person": rng.choice(PEOPLE), "n": number(rng, language)}
    kind = index % 3  # 0: a deal, 1: a portfolio size, 2: market news
    lead = {0: EN_DEALS if language == "en" else DE_DEALS, 1: EN_COUNTS if language == "en" else DE_COUNTS,
            2: EN_FILLER if language == "en" else DE_FILLER}[kind]
    filler = EN_FILLER if language == "en" else DE_FILLER
    paragraphs = [rng.choice(lead).format(**fill)]
    for _ in range(rng.randrange(6, 11)):
        sentences = rng.sample(filler, 3)
        paragraphs.append(" ".join(sentence.format(**fill) for sentence in sentences))
    title = (f"{a}: {fill['tech']}" if kind else f"{a} and {b}" if language == "en" else f"{a} und {b}")
    published = datetime(2020, 1, 1, 9, tzinfo=UTC) + timedelta(days=index % 2000, minutes=index % 600)
    host = site.lower().replace(" ", "-") + ".example"
    slug = f"{index:07d}-{a.split()[0].lower()}"
    url = f"https://{host}/{published:%Y/%m}/{slug}"
    nav = "".join(f'<li><a href="https://{host}/{s.lower()}/">{s}</a></li>' for s in sections)
    related = "".join(f'<li><a href="https://{host}/r/{index + k}">{company(rng, language)} {fill["tech"]}</a></li>'
                      for k in range(1, 5))
    body = "\n".join(f"    <p>{paragraph}</p>" for paragraph in paragraphs)
    html = f"""<!DOCTYPE html>
<html lang="{language}">
<head>
  <meta charset="utf-8">
  <title>{title} | {site}</title>
  <link rel="canonical" href="{url}">
  <meta property="og:site_name" content="{site}">
  <meta property="article:published_time" content="{published.isoformat()}">
  <script>window.dataLayer = window.dataLayer || []; window.dataLayer.push({{pageType: 'article'}});</script>
</head>
<body>
<div class="cookie-banner"><p>{COOKIE[language]}</p><button>OK</button></div>
<header class="site-header"><a class="logo" href="https://{host}/">{site}</a><nav><ul>{nav}</ul></nav></header>
<main>
  <article>
    <h1>{title}</h1>
    <p class="byline">{fill['person']} · <time datetime="{published.isoformat()}">{published:%Y-%m-%d}</time></p>
{body}
  </article>
  <aside class="related"><h2>{'Related' if language == 'en' else 'Mehr zum Thema'}</h2><ul>{related}</ul></aside>
</main>
<footer><p>© {published.year} {site}</p><a href="https://{host}/privacy">Privacy</a></footer>
</body>
</html>
"""
    return f"{slug}.html", html


def write_pages(folder: Path, start: int, stop: int, seed: int) -> None:
    """Pages start..stop-1, 1,000 to a sub-folder (as a crawl archive would keep them)."""
    for index in range(start, stop):
        name, html = page_html(index, seed)
        target = folder / f"{index // 1000:04d}" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")


# --- measured runs ---------------------------------------------------------------------------------


@dataclass
class Run:
    wall_s: float
    cpu_s: float
    max_process_rss_mb: float
    tree_rss_mb: float
    exit_code: int


def _tree_rss_kb(root: int) -> int:
    """Resident memory of `root` and all its descendants, in KB (from /proc)."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            parents[int(entry)] = int(fields[1])
            rss[int(entry)] = int(fields[21]) * (os.sysconf("SC_PAGE_SIZE") // 1024)
        except (OSError, IndexError, ValueError):
            continue
    members, frontier = {root}, [root]
    while frontier:
        current = frontier.pop()
        for pid, parent in parents.items():
            if parent == current and pid not in members:
                members.add(pid)
                frontier.append(pid)
    return sum(rss.get(pid, 0) for pid in members)


def measured(command: list[str], env: dict[str, str], log: Path) -> Run:
    """Run `command` to the end: wall, CPU and peak memory of its whole process tree."""
    started = time.perf_counter()
    with log.open("ab") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
        peak = [0]
        done = threading.Event()

        def sample() -> None:
            while not done.wait(0.25):
                peak[0] = max(peak[0], _tree_rss_kb(process.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        done.set()
        sampler.join()
        process.returncode = os.waitstatus_to_exitcode(status)
    # wait4 reports the child and every descendant it waited for: CPU summed, maxrss of the largest process
    return Run(round(time.perf_counter() - started, 2), round(usage.ru_utime + usage.ru_stime, 2),
               round(usage.ru_maxrss / 1024, 1), round(peak[0] / 1024, 1), process.returncode)


def sources_file(folder: Path, archive: Path) -> Path:
    path = folder / "sources.yaml"
    # max_pages bounds the new URLs of one run (default 1,000): the bench takes the whole archive at once
    path.write_text(f"sources:\n  - name: generated-archive\n    kind: archive\n    path: {archive}\n"
                    "    max_pages: 1000000\n",
                    encoding="utf-8")
    return path


def pipeline_run(home: Path, sources: Path, log: Path) -> Run:
    env = {**os.environ, "PATENTWIRE_HOME": str(home)}
    env.pop("DAGSTER_HOME", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as a user's shell: compiled modules are reused by every run
    run = measured([str(PATENTWIRE), "run", "--home", str(home), "--sources", str(sources)], env, log)
    if run.exit_code != 0:
        raise SystemExit(f"patentwire run failed ({run.exit_code}); see {log}")
    return run


def table_rows(home: Path) -> dict[str, int]:
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        return {name: con.execute(f'select count(*) from "{name}"').fetchall()[0][0]
                for name in ("articles", "extractions", "deal_mentions", "patent_counts")}


# --- parse + extract with 1 and 2 workers ----------------------------------------------------------

SPEEDUP = r"""
import json, sys, time
from pathlib import Path
import duckdb
from patentwire.fetch import PageStore
from patentwire.stages import load_registry, run_extract, run_parse
warehouse, pages, workers = sys.argv[1], sys.argv[2], int(sys.argv[3])
con = duckdb.connect(warehouse)
for name in ("extractions", "articles", "page_parses"):
    con.execute(f"delete from {name}")
registry = load_registry(Path(warehouse).parent)
started = time.perf_counter()
parsed = run_parse(con, PageStore(Path(pages)), workers=workers)
parse_s = time.perf_counter() - started
extracted = run_extract(con, registry, workers=workers)
total = time.perf_counter() - started
print(json.dumps({"workers": workers, "parse_s": round(parse_s, 2), "total_s": round(total, 2),
                  "articles": parsed.rows, "extracted": extracted.rows}))
"""


def _speedup_command(home: Path, workers: int, copy: Path) -> list[str]:
    shutil.rmtree(copy, ignore_errors=True)
    copy.mkdir(parents=True)
    shutil.copy2(home / "warehouse.duckdb", copy / "warehouse.duckdb")
    return [sys.executable, "-c", SPEEDUP, str(copy / "warehouse.duckdb"), str(home / "pages"), str(workers)]


def parse_extract_seconds(home: Path, workers: int, scratch: Path) -> dict:
    command = _speedup_command(home, workers, scratch / f"speedup-{workers}")
    output = subprocess.run(command, check=True, capture_output=True, text=True)
    return json.loads(output.stdout.strip().splitlines()[-1])


def machine_ceiling(home: Path, scratch: Path, alone_s: float) -> float:
    """What two cores give this machine at best: two independent 1-worker runs at once, against one alone
    (shared caches, memory bandwidth and clock boost make it less than 2 on most machines)."""
    commands = [_speedup_command(home, 1, scratch / f"ceiling-{n}") for n in (1, 2)]
    processes = [subprocess.Popen(command, stdout=subprocess.PIPE, text=True) for command in commands]
    results = [json.loads(process.communicate()[0].strip().splitlines()[-1]) for process in processes]
    return round(2 * alone_s / max(result["total_s"] for result in results), 2)


# --- the whole measurement -------------------------------------------------------------------------


def measure_size(n: int, scratch: Path, seed: int) -> dict:
    folder = scratch / f"n{n}"
    archive, home = folder / "archive", folder / "home"
    shutil.rmtree(folder, ignore_errors=True)
    started = time.perf_counter()
    write_pages(archive, 0, n, seed)
    generated_s = time.perf_counter() - started
    sources, log = sources_file(folder, archive), folder / "runs.log"
    cold = pipeline_run(home, sources, log)
    rows = table_rows(home)
    rerun = fastest(lambda: pipeline_run(home, sources, log))
    write_pages(archive, n, n + max(1, n // 100), seed)
    new = pipeline_run(home, sources, log)
    print(f"  n={n}: generated in {generated_s:.0f} s; cold {cold.wall_s} s wall, {cold.cpu_s} s CPU, "
          f"rerun {rerun.cpu_s} s, 1% new {new.cpu_s} s; rows {rows}", flush=True)
    return {"n": n, "rows": rows, "cold": asdict(cold), "rerun": asdict(rerun), "new_1pct": asdict(new),
            "home": str(home)}


def empty_run(scratch: Path) -> Run:
    folder = scratch / "empty"
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "archive").mkdir(parents=True)
    sources = sources_file(folder, folder / "archive")
    pipeline_run(folder / "home", sources, folder / "runs.log")  # first run makes the home
    return fastest(lambda: pipeline_run(folder / "home", sources, folder / "runs.log"))


def fastest(run: Callable[[], Run], times: int = 3) -> Run:
    """The run with the least CPU of `times`: a run of seconds on a shared machine is otherwise noise."""
    return min((run() for _ in range(times)), key=lambda measured_run: measured_run.cpu_s)


def report(results: list[dict], empty: Run, speedup: dict | None) -> dict:
    base = next((r for r in results if r["n"] >= SPEEDUP_SIZE), results[0])
    top = results[-1]
    figures = {"empty_run_cpu_s": empty.cpu_s}
    print(f"\nempty run (start, Dagster, bookkeeping): {empty.cpu_s} s CPU, {empty.wall_s} s wall")
    print(f"{'pages':>7} {'cold wall s':>11} {'cold CPU s':>10} {'ms CPU/page':>11} {'max proc MB':>11} "
          f"{'tree MB':>8} {'rerun CPU':>10} {'rerun %':>8} {'1% new CPU':>10} {'1% new %':>9}")
    for r in results:
        cold = r["cold"]
        print(f"{r['n']:>7} {cold['wall_s']:>11} {cold['cpu_s']:>10} {1000 * cold['cpu_s'] / r['n']:>11.1f} "
              f"{cold['max_process_rss_mb']:>11} {cold['tree_rss_mb']:>8} {r['rerun']['cpu_s']:>10} "
              f"{100 * r['rerun']['cpu_s'] / cold['cpu_s']:>7.2f}% {r['new_1pct']['cpu_s']:>10} "
              f"{100 * r['new_1pct']['cpu_s'] / cold['cpu_s']:>8.2f}%")
    work = {r["n"]: max(0.01, r["rerun"]["cpu_s"] - empty.cpu_s) for r in results}
    figures.update({
        "memory_ratio_max_process": round(top["cold"]["max_process_rss_mb"] / base["cold"]["max_process_rss_mb"], 2),
        "memory_ratio_tree": round(top["cold"]["tree_rss_mb"] / base["cold"]["tree_rss_mb"], 2),
        "rerun_share": round(top["rerun"]["cpu_s"] / top["cold"]["cpu_s"], 4),
        "rerun_growth": round(top["rerun"]["cpu_s"] / base["rerun"]["cpu_s"], 2),
        "rerun_work_growth": round(work[top["n"]] / work[base["n"]], 2),
        "new_1pct_share": round(top["new_1pct"]["cpu_s"] / top["cold"]["cpu_s"], 4),
    })
    print(f"\npeak RSS {top['n']} / {base['n']} pages: largest process {figures['memory_ratio_max_process']}x, "
          f"whole tree {figures['memory_ratio_tree']}x (target <= {TARGETS['memory']})")
    print(f"rerun with nothing new at {top['n']}: {100 * figures['rerun_share']:.2f}% of the cold CPU "
          f"(target <= {100 * TARGETS['rerun']:.0f}%)")
    print(f"rerun CPU {top['n']} / {base['n']}: {figures['rerun_growth']}x (target <= {TARGETS['rerun_growth']}); "
          f"minus the empty run: {figures['rerun_work_growth']}x (noise when the empty run is within seconds of both)")
    print(f"1% new pages at {top['n']}: {100 * figures['new_1pct_share']:.2f}% of the cold CPU "
          f"(target <= {100 * TARGETS['new_1pct']:.0f}%)")
    if speedup:
        figures["speedup"] = round(speedup[1]["total_s"] / speedup[2]["total_s"], 2)
        print(f"parse + extract of {speedup[1]['articles']} pages: 1 worker {speedup[1]['total_s']} s, "
              f"2 workers {speedup[2]['total_s']} s: {figures['speedup']}x (target >= {TARGETS['speedup']}); "
              f"this machine's own ceiling (two 1-worker runs at once): {speedup['ceiling']}x")
        figures["machine_ceiling"] = speedup["ceiling"]
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[4000, 32000])
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temporary one)")
    parser.add_argument("--no-speedup", action="store_true")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    scratch = args.keep or Path(tempfile.mkdtemp(prefix="patentwire-scale-"))
    scratch.mkdir(parents=True, exist_ok=True)
    print(f"patentwire scale bench, {date.today()}, {os.cpu_count()} CPUs, work in {scratch}", flush=True)
    try:
        empty = empty_run(scratch)
        results = [measure_size(n, scratch, args.seed) for n in sorted(args.sizes)]
        speedup = None
        if not args.no_speedup:
            home = Path(next((r for r in results if r["n"] >= SPEEDUP_SIZE), results[0])["home"])
            speedup = {w: parse_extract_seconds(home, w, scratch) for w in (1, 2)}
            speedup["ceiling"] = machine_ceiling(home, scratch, speedup[1]["total_s"])
        figures = report(results, empty, speedup)
        if args.json:
            args.json.write_text(json.dumps({"results": results, "empty": asdict(empty), "speedup": speedup,
                                             "figures": figures}, indent=2), encoding="utf-8")
    finally:
        if args.keep is None:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
