"""The `patentwire` command: run the pipeline, ask SQL, export Parquet, use the stages as filters."""

from __future__ import annotations

import argparse
import sys
import time
from contextlib import ExitStack
from pathlib import Path

from patentwire import __version__
from patentwire.home import HOME_ENV, Home, HomeError
from patentwire.launchers import LauncherMissing, launcher
from patentwire.project import DEFAULT_SOURCES

STARTED = time.time()  # the process's start, near enough: `run` reports its whole duration from here


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "command"):
        parser.print_help()
        return 2
    return args.command(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="patentwire",
        description="Technology deals and patent-portfolio sizes from press releases and tech news.")
    parser.add_argument("--version", action="version", version=f"patentwire {__version__}")
    commands = parser.add_subparsers(metavar="COMMAND")

    def with_home(sub: argparse.ArgumentParser) -> argparse.ArgumentParser:
        sub.add_argument("--home", help=f"state directory (default: ${HOME_ENV}, else ./.patentwire)")
        return sub

    run = with_home(commands.add_parser(
        "run", help="run the whole pipeline through Dagster, in process",
        formatter_class=argparse.RawDescriptionHelpFormatter, epilog=RUN_EXIT_CODES))
    run.add_argument("--sources", default=None, help="sources.yaml (default: the bundled offline samples)")
    run.set_defaults(command=command_run)

    sql = with_home(commands.add_parser("sql", help="ad-hoc SQL on the warehouse (read-only snapshot)"))
    sql.add_argument("query", nargs="?", help="SQL statements (or .tables, .describe NAME); without it, read them "
                                              "from stdin, or prompt when stdin is a terminal")
    sql.add_argument("--format", choices=["table", "csv", "json"], default="table")
    sql.add_argument("--max-rows", type=int, default=200, help="rows shown in table format")
    sql.set_defaults(command=command_sql)

    export = with_home(commands.add_parser("export", help="(re)write the Parquet exports"))
    export.add_argument("--out", help="output folder (default: HOME/exports)")
    export.set_defaults(command=command_export)

    for name, text in (("parse", "HTML pages (JSONL) to articles (JSONL)"),
                       ("extract", "articles (JSONL) to deals and patent counts (JSONL)")):
        sub = commands.add_parser(name, help=text, formatter_class=argparse.RawDescriptionHelpFormatter,
                                  epilog=FILTER_EXIT_CODES)
        sub.add_argument("--input", default="-", help="JSON Lines input, - for stdin")
        sub.add_argument("--output", default="-", help="JSON Lines output, - for stdout")
        sub.set_defaults(command=command_filter, stage=name)

    ui = with_home(commands.add_parser("ui", help="start the Dagster UI (dagster dev) on this home"))
    ui.add_argument("--sources", default=None)
    ui.add_argument("--host", default="127.0.0.1")
    ui.add_argument("--port", type=int, default=3000)
    ui.set_defaults(command=command_ui)
    return parser


RUN_EXIT_CODES = """\
One run at a time per home: a second run on the same home waits for the first.
A run that died (kill -9, power loss) is marked failed by the next run, which then proceeds.

exit codes:
  0    every step succeeded
  1    a step failed (the summary names it)
  2    bad arguments, sources file or home
  3    the run finished but every source failed (nothing could be read)
  130  stopped by Ctrl-C or SIGTERM; the run is recorded as canceled"""

FILTER_EXIT_CODES = """\
A line that cannot be read or processed becomes {"id": ..., "error": "line N: ..."} and the
following lines are still processed; output keeps input order.

exit codes:
  0    every line was processed
  1    at least one line became an error line
  2    the input or output file cannot be opened, read or written (one line on stderr)"""


def _fail(message: str, code: int = 2) -> int:
    print(f"patentwire: {message}", file=sys.stderr)
    return code


# --- run --------------------------------------------------------------------------------------


def command_run(args: argparse.Namespace) -> int:
    sources = Path(args.sources).resolve() if args.sources else DEFAULT_SOURCES
    home = Home.resolve(args.home)
    # Said at once: reading the sources and starting Dagster take seconds before the first step ends.
    print(f"patentwire {__version__}: run of {_shown(sources)} into {home.root}", flush=True)
    from patentwire.sources import SourceConfigError, load_sources
    from patentwire.sources.advice import contact_warning

    try:
        config = load_sources(sources)  # fail fast, before Dagster starts (and before the home is made)
        home.ensure()
    except (HomeError, SourceConfigError, FileNotFoundError) as error:
        return _fail(str(error))
    warning = contact_warning(config)
    if warning:
        print(warning, file=sys.stderr, flush=True)
    print(f"{len(config.enabled_sources)} sources; starting Dagster…", flush=True)
    return _launch("run", ["--home", str(home.root), "--sources", str(sources), "--started", repr(STARTED)])


def _shown(sources: Path) -> str:
    return "the bundled samples" if sources == DEFAULT_SOURCES else str(sources)


def _launch(command: str, argv: list[str]) -> int:
    """Hand over to the Dagster layer's launcher for `command` (registered as an entry point)."""
    try:
        found = launcher(command)
    except LauncherMissing as error:
        return _fail(str(error))
    return found(argv)


# --- sql --------------------------------------------------------------------------------------


def command_sql(args: argparse.Namespace) -> int:
    from patentwire.sqlshell import StatementCancelled, interactive, run_statements, split_commands
    from patentwire.warehouse import ReaderUnavailable, open_reader

    home = Home.resolve(args.home)
    try:
        con = open_reader(home.warehouse, home.snapshot)
    except ReaderUnavailable as error:
        return _fail(str(error))
    with con:
        if args.query is None and sys.stdin.isatty():
            return interactive(con, sys.stdout, home.root / "sql_history", args.format, args.max_rows)
        text = args.query if args.query is not None else sys.stdin.read()
        try:
            return run_statements(con, split_commands(text), sys.stdout, args.format, args.max_rows)
        except StatementCancelled:
            return _fail("cancelled (Ctrl-C)", 130)


# --- export -----------------------------------------------------------------------------------


def command_export(args: argparse.Namespace) -> int:
    from patentwire.export import export_warehouse
    from patentwire.project import SQL_DIR
    from patentwire.sqlmodels import load_models
    from patentwire.warehouse import ReaderUnavailable, open_reader

    home = Home.resolve(args.home)
    out = Path(args.out).resolve() if args.out else home.exports
    try:
        con = open_reader(home.warehouse, home.snapshot)
    except ReaderUnavailable as error:
        return _fail(str(error))
    with con:
        results = export_warehouse(con, out, [model.name for model in load_models(SQL_DIR)])
    for result in results:
        print(f"{result.rows:>8}  {result.path}")
    print(f"{len(results)} datasets and schema.json in {out}")
    return 0


# --- parse / extract filters ------------------------------------------------------------------


def command_filter(args: argparse.Namespace) -> int:
    from patentwire.filters import run_filter

    if args.stage == "parse":
        from patentwire.parse import parse_record as handle
    else:
        from patentwire.extract import extract_record as handle
    try:
        with ExitStack() as stack:
            source = sys.stdin.buffer if args.input == "-" else stack.enter_context(_open_file(args.input, "rb"))
            sink = sys.stdout.buffer if args.output == "-" else stack.enter_context(_open_file(args.output, "wb"))
            written, errors = run_filter(source, sink, handle)
    except FileError as error:
        return _fail(str(error))
    except OSError as error:  # reading or writing failed midway (a disk full, a closed pipe)
        return _fail(f"{args.stage}: {error.strerror or error}")
    if args.output != "-":
        print(f"{written} lines written to {args.output}, {errors} with an error", file=sys.stderr)
    return 1 if errors else 0


class FileError(RuntimeError):
    """A filter's input or output file cannot be opened."""


def _open_file(path: str, mode: str):
    try:
        return open(path, mode)  # noqa: SIM115 - closed by the caller's ExitStack
    except OSError as error:
        what = "read the input" if "r" in mode else "write the output"
        raise FileError(f"cannot {what} {path}: {error.strerror or error}") from None


# --- ui ---------------------------------------------------------------------------------------


def command_ui(args: argparse.Namespace) -> int:
    try:
        home = Home.resolve(args.home).ensure()
    except HomeError as error:
        return _fail(str(error))
    sources = ["--sources", str(Path(args.sources).resolve())] if args.sources else []
    return _launch("ui", ["--home", str(home.root), *sources, "--host", args.host, "--port", str(args.port)])


if __name__ == "__main__":
    sys.exit(main())
