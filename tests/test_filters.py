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


# --- the real stages behind the frame: no input loses a line -----------------------------------

import gzip  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402

import pytest  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from patentwire.extract import extract_record  # noqa: E402
from patentwire.filters import filter_lines  # noqa: E402
from patentwire.parse import parse_record  # noqa: E402
from patentwire.project import ROOT  # noqa: E402

FUZZ_EXAMPLES = 400  # lists of 5-10 lines: well over 2,000 lines per filter
SURROGATES = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)
WORDS = ["Nokia", "Xiaomi", "Apple", "Siemens", "signed", "a", "patent", "licence", "license", "cross-license",
         "agreement", "with", "sued", "settled", "Patente", "rund", "16.000", "more than 20,000", "patents",
         "acquired", "und", "Lizenz", ".", ",", "\n", "in 2019", "last year", "„", "“", "GmbH", "Inc."]
DEALISH = st.lists(st.sampled_from(WORDS), max_size=40).map(" ".join)
TEXTS = st.one_of(st.text(max_size=60), DEALISH, st.text(alphabet=SURROGATES, min_size=1, max_size=3),
                  st.builds(lambda a, b: a + b, DEALISH, st.text(alphabet=SURROGATES, max_size=2)))
DATES = st.one_of(st.dates().map(lambda d: d.isoformat()), st.sampled_from(
    ["0001-01-01", "0001-01-02", "9999-12-31", "2017-02-30", "2017-07-05T10:00:00+02:00", "yesterday", ""]))
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), TEXTS)
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                       st.dictionaries(st.text(max_size=5), inner, max_size=3)),
                      max_leaves=6)


def _record(required: dict, optional: dict) -> st.SearchStrategy:
    """Records with `required` fields (or, sometimes, without them) and each `optional` one present or absent,
    well- or ill-typed, plus stray keys."""
    def field(good):
        return st.one_of(good, good, good, VALUES)  # mostly well-typed, so many lines reach the stage itself
    complete = st.fixed_dictionaries({key: field(good) for key, good in required.items()},
                                     optional={key: field(good) for key, good in optional.items()})
    partial = st.fixed_dictionaries({}, optional={key: field(good) for key, good in {**required, **optional}.items()})
    return st.one_of(complete, complete, partial).flatmap(
        lambda record: st.dictionaries(st.text(max_size=6), VALUES, max_size=2).map(lambda extra: {**extra, **record}))


def _lines(records: st.SearchStrategy) -> st.SearchStrategy:
    one_line = st.one_of(
        records.map(lambda r: json.dumps(r).encode()),  # ASCII escapes carry lone surrogates
        records.map(lambda r: json.dumps(r).encode()),
        records.map(lambda r: json.dumps(r, ensure_ascii=False).encode("utf-8", "surrogatepass")),
        records.map(lambda r: json.dumps(r).encode()[: max(1, len(json.dumps(r)) // 2)]),  # cut short
        st.binary(max_size=30).filter(lambda b: b"\n" not in b),
        VALUES.map(lambda v: json.dumps(v).encode()),
        st.just(b"[" * 5000 + b"]" * 5000),
    )
    return st.lists(one_line, min_size=5, max_size=10)


def _fuzz(handle, records: st.SearchStrategy) -> int:
    seen = {"lines": 0, "processed": 0}

    # derandomized: the same 400 examples on every run, so the floors below cannot fail by chance
    @settings(max_examples=FUZZ_EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
    @given(_lines(records))
    def check(lines):
        stream = io.BytesIO(b"".join(line + b"\n" for line in lines))
        out = io.BytesIO()
        written, errors = run_filter(stream, out, handle)
        results = [json.loads(line) for line in out.getvalue().decode("utf-8").split("\n")[:-1]]
        expected = sum(1 for line in lines if line.strip())
        assert written == len(results) == expected
        assert errors == sum("error" in result for result in results)
        for result in results:
            assert "id" in result
            if "error" in result:
                assert set(result) == {"id", "error"} and result["error"].startswith("line ")
        seen["lines"] += len(lines)
        seen["processed"] += len(results) - errors

    check()
    assert seen["processed"] >= 150, seen  # the fuzzing reaches the stage itself, not only the frame
    return seen["lines"]


@pytest.mark.slow
def test_extract_filter_survives_fuzzed_lines():
    records = _record({"id": st.one_of(st.text(min_size=1, max_size=5), st.integers()), "text": TEXTS},
                      {"title": TEXTS, "language": st.sampled_from(["en", "de", "fr", "", "EN"]),
                       "published": DATES, "url": st.just("https://a.example/x")})
    assert _fuzz(extract_record, records) >= 2000


@pytest.mark.slow
def test_parse_filter_survives_fuzzed_lines(tmp_path):
    page = b"<html><body><article><p>Nokia and Xiaomi signed a patent cross-license agreement today.</p></article></body></html>"
    files = {"page.html": page, "page.html.gz": gzip.compress(page), "cut.html.gz": gzip.compress(page)[:12],
             "bomb.html.gz": gzip.compress(b"<p>" + b"a" * 6_000_000), "empty.gz": b""}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    paths = st.sampled_from([str(tmp_path / name) for name in files] + [str(tmp_path), "/no/such/file.html", ""])
    html = st.one_of(TEXTS.map(lambda t: f"<html><body><article><p>{t}</p></article></body></html>"), TEXTS)
    records = _record({"id": st.one_of(st.text(min_size=1, max_size=5), st.integers()),
                       "url": st.sampled_from(["https://a.example/2024/x.html", "not a url", "file:///etc/passwd"])},
                      {"html": html, "path": paths, "fetched_at": DATES, "language_hint": st.sampled_from(["de", "en"]),
                       "content_type": st.sampled_from(["text/html", "application/pdf", "text/html; charset=latin-1"])})
    assert _fuzz(parse_record, records) >= 2000


def test_the_reported_crashes_are_error_lines_and_the_next_line_is_still_read(tmp_path):
    truncated = tmp_path / "cut.html.gz"
    truncated.write_bytes(gzip.compress(b"<html><body><p>text</p></body></html>")[:15])
    good = {"id": "ok", "text": "Nokia and Xiaomi signed a patent cross-license agreement."}
    extract_lines = [{"id": "lang", "text": "Nokia sued Apple.", "language": 5},
                     {"id": "sur", "text": "Nokia sued Apple \ud800."},
                     {"id": "year1", "text": "Nokia sued Apple.", "published": "0001-01-01"}, good]
    results = list(filter_lines([json.dumps(r) for r in extract_lines], extract_record))
    assert [r["id"] for r in results] == ["lang", "sur", "year1", "ok"]
    assert "'language' must be a string" in results[0]["error"]
    assert "error" not in results[1]  # a lone surrogate is text like any other; it reaches the output escaped
    assert "'published'" in results[2]["error"]  # a clear error line, not an OverflowError
    assert results[3]["deals"]
    [cut] = filter_lines([json.dumps({"id": "gz", "url": "https://a.example/x", "path": str(truncated)})], parse_record)
    assert "truncated" in cut["error"]


def _cli(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "patentwire", *args], input=stdin, capture_output=True, cwd=ROOT,
                          timeout=120)


def test_filter_exit_codes_follow_help(tmp_path):
    good = json.dumps({"id": "a", "text": "Nokia and Xiaomi signed a patent cross-license agreement."}).encode()
    clean = _cli("extract", stdin=good + b"\n")
    assert clean.returncode == 0, clean.stderr
    mixed = _cli("extract", stdin=good + b"\n\xff\xfe\n{\"id\": \"b\", \"text\": \"x\\ud800\", \"language\": []}\n" + good)
    assert mixed.returncode == 1
    lines = [json.loads(line) for line in mixed.stdout.decode().splitlines()]
    assert [line.get("id") for line in lines] == ["a", None, "b", "a"] and "error" in lines[2]
    missing = _cli("extract", "--input", str(tmp_path / "absent.jsonl"))
    assert missing.returncode == 2 and missing.stdout == b""
    assert missing.stderr.decode().strip().count("\n") == 0 and "absent.jsonl" in missing.stderr.decode()
    unwritable = _cli("parse", "--output", str(tmp_path / "no" / "dir" / "out.jsonl"), stdin=b"{}\n")
    assert unwritable.returncode == 2 and "cannot write the output" in unwritable.stderr.decode()
    assert "exit codes" in _cli("extract", "--help").stdout.decode()
