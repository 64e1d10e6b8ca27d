"""The JSON Lines filter frame shared by `patentwire parse` and `patentwire extract`."""

import io
import json

from patentwire.filters import run_filter


def _upper(record: dict) -> dict:
    if "text" not in record:
        raise ValueError("record lacks 'text'")
    return {"id": record["id"], "text": record["text"].upper()}


def _run(lines: str) -> list[dict]:
    out = io.StringIO()
    run_filter(io.StringIO(lines), out, _upper)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_bad_lines_get_an_error_and_the_others_are_still_processed():
    results = _run('{"id": "a", "text": "x"}\nnot json\n{"id": "b"}\n[1, 2]\n{"id": "c", "text": "y"}\n')
    assert [r.get("id") for r in results] == ["a", None, "b", None, "c"]
    assert results[0] == {"id": "a", "text": "X"}
    assert "not valid JSON" in results[1]["error"] and "line 2" in results[1]["error"]
    assert "lacks 'text'" in results[2]["error"]
    assert "expected a JSON object" in results[3]["error"]
    assert results[4] == {"id": "c", "text": "Y"}


def test_output_keeps_input_order_and_skips_blank_lines():
    lines = "".join(json.dumps({"id": str(i), "text": f"t{i}"}) + "\n\n" for i in range(50))
    assert [r["id"] for r in _run(lines)] == [str(i) for i in range(50)]


def test_non_ascii_survives_unescaped():
    out = io.StringIO()
    run_filter(io.StringIO('{"id": "de", "text": "Kreuzlizenz für „Patente“"}\n'), out, _upper)
    assert "KREUZLIZENZ FÜR „PATENTE“" in out.getvalue()
