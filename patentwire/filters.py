"""JSON Lines filters: one object per line in, one per line out, in input order.

A line that is not valid JSON, or that the stage rejects, becomes an output line with an
"error" field; the other lines are still processed.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from typing import IO

Handler = Callable[[dict], dict]


def filter_lines(lines: Iterable[str], handle: Handler) -> Iterator[dict]:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        yield _handle_line(number, line, handle)


def _handle_line(number: int, line: str, handle: Handler) -> dict:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        return {"id": None, "error": f"line {number}: not valid JSON ({error.msg} at column {error.colno})"}
    if not isinstance(record, dict):
        return {"id": None, "error": f"line {number}: expected a JSON object, got {type(record).__name__}"}
    try:
        return handle(record)
    except (ValueError, KeyError, TypeError, OSError) as error:
        return {"id": record.get("id"), "error": f"line {number}: {error}"}


def run_filter(source: IO[str], sink: IO[str], handle: Handler) -> tuple[int, int]:
    """Stream `source` through `handle` into `sink`; return (lines written, lines with an error)."""
    written = errors = 0
    for result in filter_lines(source, handle):
        sink.write(json.dumps(result, ensure_ascii=False, default=str) + "\n")
        written += 1
        errors += "error" in result
    sink.flush()
    return written, errors
