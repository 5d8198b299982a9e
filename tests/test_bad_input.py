"""Issue #7: bad input never stops the batch.  Each problem gets a clear message (a ReadError with
source and line, or a Document with an error) and every good record around it still comes out."""
from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline import reading
from pipeline.cleaning import clean
from pipeline.reading import read_inputs
from pipeline.records import RawRecord, ReadError
from pipeline.run import PipelineOptions, run

GOOD = "阿里巴巴集团宣布投资一家人工智能公司。"
SUFFIXES = [".txt", ".md", ".html", ".htm", ".jsonl", ".json", ".csv"]


def good_line(n: int) -> bytes:
    return json.dumps({"id": f"good{n}", "text": GOOD}, ensure_ascii=False).encode("utf-8") + b"\n"


def items(path: Path) -> list[RawRecord | ReadError]:
    return list(read_inputs([str(path)]))


def test_bad_json_lines_are_reported_with_their_line_and_the_rest_comes_out(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(b"".join([
        good_line(1),
        b'{"id": "x", "text": "unterminated\n',
        b"\xff\xfe\xfa not utf-8\n",
        GOOD.encode("gb18030") + b"\n",
        b"\n   \n",
        b'{"a":' * 3000 + b"1" + b"}" * 3000 + b"\n",
        b"[1, 2, 3]\n",
        b'"just a string"\n',
        b'{"id": "n", "text": null}\n',
        b'{"id": "m", "title": "no text here"}\n',
        b'{"id": "k", "content": 42}\n',
        b'{"id": "big", "text": ' + b"9" * 5000 + b"}\n",
        b'{"id": "s", "text": "\\ud800 lone surrogate"}\n',
        good_line(2),
    ]))
    found = items(path)
    by_line = {x.line: x for x in found}
    assert [x.doc_id for x in found if isinstance(x, RawRecord) and not x.error] == ["good1", "s", "good2"]
    assert by_line[15].line == 15 and by_line[1].doc_id == "good1"
    errors = {x.line: x.error for x in found if isinstance(x, ReadError)}
    assert "invalid JSON" in errors[2] and "not valid UTF-8" in errors[3] and "not valid UTF-8" in errors[4]
    assert errors[7] == "JSON nested too deeply" and "array" in errors[8] and "got str" in errors[9]
    assert "invalid JSON" in errors[13]
    unusable = {x.line: x.error for x in found if isinstance(x, RawRecord) and x.error}
    assert "null" in unusable[10] and "no text" in unusable[11] and "not a string" in unusable[12]
    assert all(x.source == str(path) for x in found)
    assert by_line[14].text == "\ufffd lone surrogate"


def test_deeply_nested_json_file(tmp_path: Path) -> None:
    (tmp_path / "deep.json").write_bytes(b"[" + b'{"a":' * 100_000 + b"1" + b"}" * 100_000
                                         + b",\n" + good_line(1) + b"]")
    (tmp_path / "deep2.json").write_bytes(b"[\n" + b"[" * 100_000 + b"]" * 100_000 + b"]")
    deep, good, deep2 = items(tmp_path)
    assert isinstance(deep, ReadError) and "nested too deeply" in deep.error and deep.line == 1
    assert isinstance(good, RawRecord) and good.doc_id == "good1"
    assert isinstance(deep2, ReadError) and "nested too deeply" in deep2.error


def test_broken_json_array_reports_where_it_broke(tmp_path: Path) -> None:
    path = tmp_path / "cut.json"
    path.write_text(json.dumps([{"text": GOOD}] * 3, indent=1)[:-20], encoding="utf-8")
    found = items(path)
    assert [type(x) for x in found] == [RawRecord, RawRecord, ReadError]
    assert "after record 2" in found[-1].error and found[-1].line == 3


@pytest.mark.parametrize("name, data, message", [
    ("empty.txt", b"", "empty file"),
    ("blank.html", b"  \n ", "empty file"),
    ("empty.jsonl", b"", "empty file: no records"),
    ("empty.json", b"\n\n", "empty file: no records"),
    ("empty.csv", b"", "empty file: no records"),
    ("header.csv", b"id,text\n", "no records (a header row and no data rows)"),
    ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
    ("binary.jsonl", b'{"a": 1}\n\x00\x01\x02', "binary file"),
    ("binary.csv", b"a,b\n\x00\x00", "binary file"),
    ("latin.txt", bytes(range(128, 256)) * 4, "not UTF-8 or GB18030"),
    ("wide.txt", "文本".encode("utf-16"), "UTF-16"),
])
def test_unreadable_files(tmp_path: Path, name: str, data: bytes, message: str) -> None:
    (tmp_path / name).write_bytes(data)
    [item] = items(tmp_path / name)
    assert message in (item.error or "") and item.source == str(tmp_path / name)


def test_csv_with_broken_quoting(tmp_path: Path) -> None:
    path = tmp_path / "broken.csv"
    path.write_text(f'id,text\n1,{GOOD}\n2,"{GOOD}"x,\n3,"unterminated {GOOD}\n4,{GOOD}\n5,"多行\n正文"\n', encoding="utf-8")
    found = items(path)
    assert [(x.doc_id, x.line) for x in found if isinstance(x, RawRecord)] == [("1", 2), ("4", 5), ("5", 6)]
    errors = {x.line: x.error for x in found if isinstance(x, ReadError)}
    assert "malformed CSV row" in errors[3] and "not closed properly" in errors[4]


def test_csv_row_with_invalid_bytes(tmp_path: Path) -> None:
    path = tmp_path / "bytes.csv"
    path.write_bytes(b"id,text\n1," + GOOD.encode() + b"\n2,\xff\xfe\n3," + GOOD.encode() + b"\n")
    found = items(path)
    assert [x.doc_id for x in found if isinstance(x, RawRecord)] == ["1", "3"]
    [error] = [x for x in found if isinstance(x, ReadError)]
    assert error.line == 3 and "not valid UTF-8" in error.error


def test_html_file_with_no_body_is_an_error_document(tmp_path: Path) -> None:
    path = tmp_path / "nobody.html"
    path.write_text("<html><head><title>标题</title><script>var a=1;</script></head><body></body></html>", encoding="utf-8")
    [record] = items(path)
    document = clean(record)
    assert not document.ok and document.error == "HTML has no body text" and document.title == "标题"


# --- properties: arbitrary bytes never stop reading ------------------------------------------

def read_bytes_as(data: bytes, suffix: str) -> tuple[Path, list[RawRecord | ReadError]]:
    """Hypothesis runs hundreds of examples per test, so each one cleans up its own folder."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(data)
        return path, items(path)


json_fragments = st.sampled_from([b'{"text": "\xe6\x96\x87"}', b'{"id": 1, "content": null}', b"[", b"]", b"{",
                                  b'"', b"\\", b",", b"\n", b"\r\n", b"\xff", b"\x00", b"\xef\xbb\xbf", b"\xd6\xd0",
                                  b'{"a": [1, {"b": 2}]}', b"null", b"  "])
byte_soup = st.one_of(st.binary(max_size=400), st.lists(json_fragments, max_size=30).map(b"".join))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(byte_soup, st.sampled_from(SUFFIXES))
def test_arbitrary_bytes_never_raise(data: bytes, suffix: str) -> None:
    path, found = read_bytes_as(data, suffix)
    assert found, "every input file yields at least one item"
    for item in found:
        assert item.source == str(path)
        json.dumps(item.to_json() if isinstance(item, ReadError) else vars(item), ensure_ascii=False).encode("utf-8")
        if isinstance(item, RawRecord):
            document = clean(item)
            assert document.ok == bool(document.text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.binary(max_size=60), json_fragments,
                          st.builds(lambda n: good_line(n).rstrip(b"\n"), st.integers(0, 9))),
                min_size=1, max_size=12))
def test_every_json_line_yields_exactly_one_item(lines: list[bytes]) -> None:
    lines = [line.replace(b"\n", b" ") for line in lines]
    data = good_line(0) + b"\n".join(lines) + b"\n"  # a first line that makes the file JSON Lines
    _, found = read_bytes_as(data, ".jsonl")
    if b"\x00" in data[:reading.BINARY_PROBE]:
        assert len(found) == 1 and "binary" in found[0].error
        return
    numbered = [n for n, line in enumerate(data.split(b"\n"), start=1) if line.strip()]
    assert [item.line for item in found] == numbered
    good = [n for n, line in enumerate(data.split(b"\n"), start=1) if line.startswith(b'{"id": "good')]
    assert {item.line for item in found if isinstance(item, RawRecord) and item.text == GOOD} == set(good)


# --- a broken-input run ----------------------------------------------------------------------

def test_a_run_over_broken_input_finishes_and_reports_everything(tmp_path: Path) -> None:
    dump = tmp_path / "dump"
    dump.mkdir()
    (dump / "lines.jsonl").write_bytes(good_line(1) + b"{oops\n\xff\n" + b'{"text": null}\n' + good_line(2))
    (dump / "binary.txt").write_bytes(b"\x00\x01")
    (dump / "empty.json").write_bytes(b"")
    (dump / "nobody.html").write_text("<html><body><script>x()</script></body></html>", encoding="utf-8")
    (dump / "rows.csv").write_text(f'id,text\n3,{GOOD}\n4,"unterminated\n5,{GOOD}\n', encoding="utf-8")
    (dump / "image.png").write_bytes(b"\x89PNG")
    out = tmp_path / "out"
    summary = run([str(dump), str(tmp_path / "missing.jsonl")], out, PipelineOptions(), workers=1)
    documents = [json.loads(line) for line in (out / "documents.jsonl").read_text(encoding="utf-8").splitlines()]
    errors = [json.loads(line) for line in (out / "errors.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {d["doc_id"] for d in documents if d["status"] == "ok"} == {"good1", "good2", "3", "5"}
    assert {d["doc_id"] for d in documents if d["status"] == "error"} == {"lines:4", "nobody"}
    assert summary["documents"] == {"ok": 4, "error": 2}
    assert len(errors) == summary["errors"] == 9
    assert all(e["error"] and e["source"] for e in errors)
    assert {(Path(e["source"]).name, e.get("line")) for e in errors} >= {
        ("lines.jsonl", 2), ("lines.jsonl", 3), ("rows.csv", 3), ("binary.txt", None), ("empty.json", None),
        ("missing.jsonl", None), ("dump", None)}
