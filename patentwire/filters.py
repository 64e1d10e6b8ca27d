"""JSON Lines filters: one object per line in, one per line out, in input order.

A line that is not UTF-8, not valid JSON, or that the stage rejects or fails on becomes an output
line {"id", "error"}; the other lines are still processed. No line is ever lost: whatever a stage
raises is caught per line, and output that cannot be written as UTF-8 (a lone surrogate in a JSON
escape) is written with ASCII escapes instead.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from typing import IO

Handler = Callable[[dict], dict]
MAX_ERROR_CHARS = 300


def filter_lines(lines: Iterable[bytes | str], handle: Handler) -> Iterator[dict]:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        yield _handle_line(number, line, handle)


def _handle_line(number: int, line: bytes | str, handle: Handler) -> dict:
    if isinstance(line, bytes):
        try:
            line = line.decode("utf-8")
        except UnicodeDecodeError as error:
            return {"id": None, "error": f"line {number}: not UTF-8 (byte {error.start + 1})"}
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        return {"id": None, "error": f"line {number}: not valid JSON ({error.msg} at column {error.colno})"}
    except RecursionError:
        return {"id": None, "error": f"line {number}: JSON nested too deeply"}
    if not isinstance(record, dict):
        return {"id": None, "error": f"line {number}: expected a JSON object, got {type(record).__name__}"}
    record_id = record.get("id")
    if not isinstance(record_id, (str, int, float, bool, type(None))):
        record_id = None  # an id that is itself a list or object cannot identify the line
    try:
        return handle(record)
    except (ValueError, KeyError, TypeError, OSError) as error:
        return {"id": record_id, "error": f"line {number}: {_short(error)}"}
    except Exception as error:  # a bug on one input must not lose the lines after it
        return {"id": record_id, "error": f"line {number}: internal error ({type(error).__name__}: {_short(error)})"}


def _short(error: BaseException) -> str:
    text = str(error) or type(error).__name__
    return text if len(text) <= MAX_ERROR_CHARS else text[:MAX_ERROR_CHARS] + "…"


def encode_line(result: dict) -> bytes:
    """One output line as UTF-8; ASCII escapes when the result holds text UTF-8 cannot carry."""
    try:
        return (json.dumps(result, ensure_ascii=False, default=str) + "\n").encode("utf-8")
    except UnicodeEncodeError:
        return (json.dumps(result, ensure_ascii=True, default=str) + "\n").encode("ascii")


def run_filter(source: IO[bytes] | IO[str], sink: IO[bytes] | IO[str], handle: Handler) -> tuple[int, int]:
    """Stream `source` through `handle` into `sink`; return (lines written, lines with an error).

    Binary streams are read and written as UTF-8 line by line (what the CLI passes); text streams work
    too (tests, callers in Python).
    """
    binary_sink = "b" in getattr(sink, "mode", "") or not hasattr(sink, "encoding")
    written = errors = 0
    for result in filter_lines(source, handle):
        line = encode_line(result)
        sink.write(line if binary_sink else line.decode("utf-8"))
        written += 1
        errors += "error" in result
    sink.flush()
    return written, errors
