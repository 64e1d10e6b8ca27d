"""Ad-hoc SQL for `patentwire sql`: statements from an argument, a pipe or an interactive prompt.

Statements are split by DuckDB's own parser, so a `;` inside a string or a comment never splits one, and every
statement's result is printed. The prompt (prompt_toolkit) has line editing and a history kept in the home;
`.tables` and `.describe NAME` list and explain the tables; Ctrl-C cancels the running statement
(`connection.interrupt()`), not the shell.
"""

from __future__ import annotations

import csv
import io
import json
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, TypeVar

import duckdb
import pandas as pd

from patentwire.tables import describe_columns, table_docs

PROMPT = "patentwire> "
CONTINUATION = "      ...> "
HELP = """\
Read-only SQL on the warehouse snapshot. End a statement with ';' (several on one line are fine).
  .tables            every table and view, its rows and what it holds
  .describe NAME     the columns of a table: type, nullable, meaning
  .help              this text
  .quit              leave (or Ctrl-D); Ctrl-C cancels a running statement"""

T = TypeVar("T")


class StatementCancelled(Exception):
    """Ctrl-C stopped a statement; the connection is still usable."""


# --- splitting --------------------------------------------------------------------------------


def split_statements(text: str) -> list[str]:
    """Each statement of `text`, as DuckDB's parser delimits them (without the closing `;`).

    When the parser rejects the text, DuckDB's tokenizer still finds the `;` between statements, so the
    others run and the broken one reports its own error.
    """
    try:
        found = [statement.query for statement in duckdb.extract_statements(text)]
    except duckdb.Error:
        found = _split_at_semicolon_tokens(text)
    return [cleaned for cleaned in (_strip_end(statement) for statement in found) if cleaned]


def _split_at_semicolon_tokens(text: str) -> list[str]:
    cuts = [offset for offset, kind in _tokens(text)
            if kind == duckdb.token_type.operator and text.startswith(";", offset)]
    pieces, start = [], 0
    for cut in cuts:
        pieces.append(text[start:cut])
        start = cut + 1
    pieces.append(text[start:])
    return pieces


def _tokens(text: str) -> list[tuple[int, object]]:
    try:
        return duckdb.tokenize(text)
    except duckdb.Error:
        return []


def _strip_end(statement: str) -> str:
    stripped = statement.strip()
    while stripped.endswith(";"):
        stripped = stripped[:-1].rstrip()
    return "" if _only_comments(stripped) else stripped


def _only_comments(text: str) -> bool:
    return all(kind == duckdb.token_type.comment for _, kind in _tokens(text))


def is_complete(text: str) -> bool:
    """Whether the prompt's input is ready to run: a helper command, or SQL whose last token is `;`."""
    stripped = text.strip()
    if not stripped or stripped.startswith("."):
        return True
    tokens = [(offset, kind) for offset, kind in _tokens(stripped) if kind != duckdb.token_type.comment]
    if not tokens:
        return True
    offset, kind = tokens[-1]
    return kind == duckdb.token_type.operator and stripped.startswith(";", offset)


# --- running ----------------------------------------------------------------------------------


def cancellable(con: duckdb.DuckDBPyConnection, work: Callable[[], T]) -> T:
    """`work()` on a worker thread; Ctrl-C in this (main) thread interrupts the connection's query."""
    outcome: dict[str, object] = {}

    def target() -> None:
        try:
            outcome["value"] = work()
        except BaseException as error:  # noqa: BLE001 - handed back to the caller's thread
            outcome["error"] = error

    worker = threading.Thread(target=target, name="patentwire-sql", daemon=True)
    worker.start()
    try:
        while worker.is_alive():
            worker.join(0.1)
    except KeyboardInterrupt:
        con.interrupt()
        worker.join()
        raise StatementCancelled from None
    if "error" in outcome:
        error = outcome["error"]
        if isinstance(error, duckdb.InterruptException):
            raise StatementCancelled from None
        raise error  # type: ignore[misc]
    return outcome["value"]  # type: ignore[return-value]


def run_statements(con: duckdb.DuckDBPyConnection, statements: Iterable[str], out: IO[str],
                   output_format: str = "table", max_rows: int = 200) -> int:
    """Run each statement and print its result; return 1 if any statement failed.

    Ctrl-C cancels the running statement and stops the rest (StatementCancelled propagates).
    """
    status = 0
    for statement in statements:
        try:
            shown = cancellable(con, lambda statement=statement: answer(con, statement, output_format, max_rows))
        except duckdb.Error as error:
            print(f"error: {error}", file=out, flush=True)
            status = 1
            continue
        if shown is not None:
            print(shown, file=out, flush=True)
    return status


def answer(con: duckdb.DuckDBPyConnection, statement: str, output_format: str, max_rows: int) -> str | None:
    """The printed result of one statement or helper command (None for a statement without rows)."""
    if statement.startswith("."):
        return helper(con, statement, output_format, max_rows)
    relation = con.sql(statement)
    return render(relation, output_format, max_rows) if relation is not None else None


def render(relation: duckdb.DuckDBPyRelation, output_format: str, max_rows: int) -> str:
    # Python values straight from DuckDB (not a pandas frame): dates stay dates and lists stay lists.
    fetched = relation.limit(max_rows + 1) if output_format == "table" else relation
    names, rows = fetched.columns, fetched.fetchall()
    return render_rows(names, rows, output_format, max_rows)


def render_rows(names: list[str], rows: list[tuple], output_format: str, max_rows: int) -> str:
    if output_format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(names)
        writer.writerows([_csv_cell(value) for value in row] for row in rows)
        return buffer.getvalue().rstrip("\n")
    if output_format == "json":
        return "\n".join(json.dumps(dict(zip(names, row, strict=True)), ensure_ascii=False, default=str)
                         for row in rows)
    shown = pd.DataFrame([[display_cell(value) for value in row] for row in rows[:max_rows]], columns=names,
                         dtype=object)
    table = shown.to_markdown(index=False) if not shown.empty else "(no rows)"
    more = f"\n… more than {max_rows} rows; use --max-rows or LIMIT" if len(rows) > max_rows else ""
    return f"{table}\n({len(shown)} rows){more}"


def display_cell(value: object) -> object:
    """How a table cell reads: NULL for a missing value, lists and structs as DuckDB writes them."""
    if value is None:
        return "NULL"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(str(display_cell(item)) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}: {display_cell(item)}" for key, item in value.items()) + "}"
    return value


def _csv_cell(value: object) -> object:
    """Lists and structs as JSON text, so a spreadsheet shows them the way DuckDB wrote them."""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return "" if value is None else value


# --- helper commands --------------------------------------------------------------------------


def helper(con: duckdb.DuckDBPyConnection, command: str, output_format: str, max_rows: int) -> str:
    name, _, argument = command.strip().rstrip(";").partition(" ")
    argument = argument.strip()
    if name == ".tables":
        return render_rows(["name", "kind", "rows", "holds"], list_tables(con), output_format, max_rows)
    if name in {".describe", ".schema"} and argument:
        columns = describe_columns(con, argument, table_docs().get(argument))
        if not columns:
            raise duckdb.CatalogException(f"no table or view named {argument!r}; .tables lists them")
        rows = [(c["name"], c["type"], "yes" if c["nullable"] else "no", c["meaning"]) for c in columns]
        return render_rows(["column", "type", "nullable", "meaning"], rows, output_format, 10_000)
    if name == ".help":
        return HELP
    raise duckdb.InvalidInputException(f"unknown command {command.strip()!r}; .help lists the commands")


def list_tables(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    docs = table_docs()
    found = con.execute("""
        select table_name, lower(replace(table_type, 'BASE ', '')) from information_schema.tables
        where table_schema = 'main' and table_name <> 'schema_migrations' order by table_name
    """).fetchall()
    return [(name, kind, con.execute(f'select count(*) from "{name}"').fetchone()[0],
             docs[name].description if name in docs else "")
            for name, kind in found]


# --- the interactive prompt -------------------------------------------------------------------


def interactive(con: duckdb.DuckDBPyConnection, out: IO[str], history: Path, output_format: str = "table",
                max_rows: int = 200) -> int:
    """Read, run and print until Ctrl-D or `.quit`; Enter runs the input once it ends with `;`."""
    from prompt_toolkit import PromptSession
    from prompt_toolkit.history import FileHistory
    from prompt_toolkit.key_binding import KeyBindings

    bindings = KeyBindings()

    @bindings.add("enter")
    def _enter(event) -> None:  # a statement without its ';' yet goes on to the next line
        buffer = event.current_buffer
        if is_complete(buffer.text):
            buffer.validate_and_handle()
        else:
            buffer.insert_text("\n")

    session = PromptSession(history=FileHistory(str(history)), key_bindings=bindings, multiline=True,
                            prompt_continuation=CONTINUATION)
    print(HELP.splitlines()[0] + " .help for more, Ctrl-D quits.", file=out, flush=True)
    status = 0
    while True:
        try:
            text = session.prompt(PROMPT)
        except KeyboardInterrupt:  # Ctrl-C at the prompt clears the line, as in a shell
            continue
        except EOFError:
            return status
        if text.strip() in {".quit", ".exit"}:
            return status
        try:
            status = max(status, run_statements(con, split_commands(text), out, output_format, max_rows))
        except StatementCancelled:
            print("cancelled (Ctrl-C); the connection is still open.", file=out, flush=True)


def split_commands(text: str) -> list[str]:
    """A helper command alone, else the SQL statements of the input."""
    stripped = text.strip()
    return [stripped] if stripped.startswith(".") else split_statements(text)
