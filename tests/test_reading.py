"""Reading: formats, encodings, record fields, doc ids, directory walks, standard input, streaming."""
from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from pipeline import reading
from pipeline.reading import read_inputs
from pipeline.records import RawRecord, ReadError

ARTICLE = "腾讯公司今天宣布完成新一轮融资。"


def items(*inputs: Path | str) -> list[RawRecord | ReadError]:
    return list(read_inputs([str(i) for i in inputs]))


def records(*inputs: Path | str) -> list[RawRecord]:
    found = items(*inputs)
    assert all(isinstance(x, RawRecord) for x in found), found
    return found  # type: ignore[return-value]


def write_jsonl(path: Path, rows: list[object]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


# --- one document per file -------------------------------------------------------------------

@pytest.mark.parametrize("encoding, prefix", [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"),
                                              ("gb18030", b""), ("gbk", b""), ("gb2312", b"")])
def test_text_file_encodings(tmp_path: Path, encoding: str, prefix: bytes) -> None:
    path = tmp_path / "文章一.txt"
    path.write_bytes(prefix + ARTICLE.encode(encoding))
    [record] = records(path)
    assert (record.doc_id, record.text, record.source) == ("文章一", ARTICLE, str(path))


def test_utf8_file_with_a_corrupt_byte_keeps_its_text(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes((ARTICLE * 20).encode() + b"\xff" + ARTICLE.encode())
    [record] = records(path)
    assert record.text.startswith(ARTICLE) and record.text.endswith(ARTICLE) and "\ufffd" in record.text


def test_markdown_and_html_files(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("# 标题\n\n" + ARTICLE, encoding="utf-8")
    (tmp_path / "b.htm").write_text(f"<html><body><p>{ARTICLE}</p></body></html>", encoding="gb18030")
    md, page = records(tmp_path)
    assert md.markdown and md.text.endswith(ARTICLE) and md.doc_id == "a"
    assert page.html is not None and ARTICLE in page.html and page.doc_id == "b" and page.text is None


# --- JSON ------------------------------------------------------------------------------------

def test_json_lines_fields_and_line_numbers(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "dump.jsonl", [
        {"id": 7, "title": "标题", "text": ARTICLE, "nickname": "量子位", "publish_time": "2024-03-23 10:00"},
        {"content": ARTICLE, "account": "A", "datetime": 1711166400},
        {"article": ARTICLE, "mp_name": "B", "p_date": "2024-03-23"},
        {"html": f"<p>{ARTICLE}</p>", "_accountName": "C"},
    ])
    first, second, third, fourth = records(path)
    assert (first.doc_id, first.line, first.title, first.account) == ("7", 1, "标题", "量子位")
    assert first.publish_time == "2024-03-23 10:00" and first.text == ARTICLE
    assert (second.doc_id, second.account, second.publish_time) == ("dump:2", "A", "2024-03-23T12:00:00+08:00")
    assert (third.account, third.publish_time, third.text) == ("B", "2024-03-23", ARTICLE)
    assert fourth.html == f"<p>{ARTICLE}</p>" and fourth.text is None and fourth.account == "C"


def test_html_looking_content_goes_to_html(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "d.jsonl", [{"content": f"<section><span>{ARTICLE}</span></section>"},
                                             {"content": "价格<5元的产品。"}])
    html_record, text_record = records(path)
    assert html_record.html and not html_record.text
    assert text_record.text == "价格<5元的产品。" and not text_record.html


@pytest.mark.parametrize("fields, expected", [
    ({"id": "x1", "aid": "a", "msgid": 3}, "x1"),
    ({"aid": "2247483900_1", "msgid": 3}, "2247483900_1"),
    ({"msgid": 1000000123, "mid": 5, "idx": 2}, "1000000123"),
    ({"mid": 2650501673, "idx": 2, "article_id": "z"}, "2650501673_2"),
    ({"article_id": "z9"}, "z9"),
    ({"id": True, "id_": 1}, "f:1"),
    ({}, "f:1"),
])
def test_doc_id_precedence(tmp_path: Path, fields: dict, expected: str) -> None:
    [record] = records(write_jsonl(tmp_path / "f.jsonl", [{**fields, "text": ARTICLE}]))
    assert record.doc_id == expected


def test_doc_id_from_link_hash_is_stable_and_short(tmp_path: Path) -> None:
    link = "http://mp.weixin.qq.com/s?__biz=MzA&mid=1&idx=1"
    a = records(write_jsonl(tmp_path / "a.jsonl", [{"text": ARTICLE, "link": link}]))[0]
    b = records(write_jsonl(tmp_path / "b.jsonl", [{"text": ARTICLE, "url": link.replace("&", "&amp;")}]))[0]
    c = records(write_jsonl(tmp_path / "c.jsonl", [{"text": ARTICLE, "url": link + "2"}]))[0]
    assert a.doc_id == b.doc_id != c.doc_id
    assert a.doc_id.startswith("url-") and len(a.doc_id) <= 24


def test_escaped_urls_and_zero_width_metadata(tmp_path: Path) -> None:
    line = ('{"text": "%s", "content_url": "http:\\\\/\\\\/mp.weixin.qq.com\\\\/s?__biz=A&amp;mid=1&amp;idx=2",'
            ' "author": "\\u200b张\\u200d三\\ufeff", "title": "标\\u2060题&amp;说明", "nickname": "量子位\\u200c"}\n') % ARTICLE
    path = tmp_path / "e.jsonl"
    path.write_text(line, encoding="utf-8")
    [record] = records(path)
    assert record.url == "http://mp.weixin.qq.com/s?__biz=A&mid=1&idx=2"
    assert (record.author, record.title, record.account) == ("张三", "标题&说明", "量子位")


@pytest.mark.parametrize("value, expected", [
    (1711166400, "2024-03-23T12:00:00+08:00"),
    ("1711166400", "2024-03-23T12:00:00+08:00"),
    (1711166400123, "2024-03-23T12:00:00+08:00"),
    ("2024-03-23", "2024-03-23"),
    (20240323, "2024-03-23"),
    ("20241399", "20241399"),
    (1711166400.5, "2024-03-23T12:00:00+08:00"),
    (None, None),
])
def test_times(value: object, expected: str | None) -> None:
    assert reading.normalize_time(value) == expected


def test_json_array_pretty_and_one_line(tmp_path: Path) -> None:
    rows = [{"title": f"t{i}", "content": ARTICLE} for i in range(3)]
    (tmp_path / "pretty.json").write_text(json.dumps(rows, ensure_ascii=False, indent=2), encoding="utf-8")
    (tmp_path / "line.json").write_text(json.dumps(rows, ensure_ascii=False), encoding="gb18030")
    found = records(tmp_path)
    assert [r.title for r in found] == ["t0", "t1", "t2"] * 2
    assert [r.doc_id for r in found[:3]] == ["line:1", "line:2", "line:3"]
    assert {r.text for r in found} == {ARTICLE}


def test_single_object_and_containers(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text(json.dumps({"id": "one", "text": ARTICLE}, indent=1), encoding="utf-8")
    (tmp_path / "b.json").write_text(json.dumps({"base_resp": {"ret": 0}, "app_msg_list": [
        {"aid": "1_1", "title": "甲", "content": ARTICLE}, {"aid": "1_2", "title": "乙", "content": ARTICLE}]},
        indent=2, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "c.json").write_text(json.dumps({"data": {"list": [{"content": ARTICLE}]}}), encoding="utf-8")
    assert [r.doc_id for r in records(tmp_path)] == ["one", "1_1", "1_2", "c:1"]


def test_history_api_message_gives_each_article(tmp_path: Path) -> None:
    message = {"comm_msg_info": {"id": 1000000123, "datetime": 1711166400},
               "app_msg_ext_info": {"title": "主", "content": ARTICLE, "content_url": "http://x/1",
                                    "multi_app_msg_item_list": [{"title": "次", "content": ARTICLE,
                                                                 "content_url": "http://x/2"}]}}
    found = records(write_jsonl(tmp_path / "h.jsonl", [message]))
    assert [r.title for r in found] == ["主", "次"]
    assert {r.publish_time for r in found} == {"2024-03-23T12:00:00+08:00"}
    assert {r.line for r in found} == {1} and len({r.doc_id for r in found}) == 2


def test_a_record_with_a_list_field_is_not_a_container(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    path.write_text(json.dumps({"text": ARTICLE, "items": [{"tag": "AI"}]}, indent=2), encoding="utf-8")
    [record] = records(path)
    assert record.text == ARTICLE


class Trickle(io.RawIOBase):
    """A JSON array of many records, produced on demand; counts the bytes handed out."""

    def __init__(self, count: int) -> None:
        self.parts = iter([b"[\n"] + [json.dumps({"text": ARTICLE, "id": i}).encode() + b",\n"
                                      for i in range(count - 1)] + [b'{"text": "end"}\n]'])
        self.served = 0
        self.pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # noqa: ANN001
        while not self.pending:
            self.pending = next(self.parts, b"")
            if not self.pending:
                return 0
        chunk, self.pending = self.pending[:len(buffer)], self.pending[len(buffer):]
        buffer[:len(chunk)] = chunk
        self.served += len(chunk)
        return len(chunk)


def test_json_arrays_are_streamed() -> None:
    stream = Trickle(200_000)  # about 12 MB
    produced = reading._read_json(stream, "big.json", "big")
    first = next(produced)
    assert isinstance(first, RawRecord) and first.doc_id == "0"
    assert stream.served < 2 * reading.SAMPLE_BYTES
    assert sum(1 for _ in produced) == 199_999


# --- CSV -------------------------------------------------------------------------------------

def test_exporter_csv_with_bom_and_multiline_fields(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    text = ("aid,title,content,nickname,create_time,link\r\n"
            f'2247_1,标题一,"{ARTICLE}\r\n第二段。",量子位,1711166400,http:\\/\\/mp.weixin.qq.com\\/s?a=1&amp;b=2\r\n'
            f'2247_2,"标题,二","<p>{ARTICLE}</p>",量子位,,\r\n')
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    first, second = records(path)
    assert (first.doc_id, first.line, first.title, first.account) == ("2247_1", 2, "标题一", "量子位")
    assert first.text == f"{ARTICLE}\r\n第二段。" and first.publish_time == "2024-03-23T12:00:00+08:00"
    assert first.url == "http://mp.weixin.qq.com/s?a=1&b=2"
    assert (second.doc_id, second.line, second.title) == ("2247_2", 4, "标题,二") and second.html


def test_gb18030_csv(tmp_path: Path) -> None:
    path = tmp_path / "g.csv"
    path.write_bytes(f"标题,正文\n新闻,{ARTICLE}\n".encode("gb18030"))
    [record] = records(path)
    assert (record.title, record.text, record.doc_id) == ("新闻", ARTICLE, "g:2")


# --- inputs ----------------------------------------------------------------------------------

def test_directory_walk_is_recursive_sorted_and_skips_hidden(tmp_path: Path) -> None:
    for name in ["b.txt", "a/z.txt", "a/c.md", ".hidden.txt", ".git/x.txt", "a/.d.txt"]:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "a" / "photo.jpg").write_bytes(b"\xff\xd8")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    found = items(tmp_path)
    assert [x.doc_id for x in found if isinstance(x, RawRecord)] == ["c", "z", "b"]
    [note] = [x for x in found if isinstance(x, ReadError)]
    assert note.source == str(tmp_path) and "skipped 2 file(s)" in note.error and ".jpg" in note.error
    assert found == items(tmp_path)  # deterministic


def test_explicit_unsupported_and_missing_inputs(tmp_path: Path) -> None:
    (tmp_path / "a.docx").write_bytes(b"PK")
    unsupported, missing = items(tmp_path / "a.docx", tmp_path / "nope.txt")
    assert isinstance(unsupported, ReadError) and "unsupported file type '.docx'" in unsupported.error
    assert isinstance(missing, ReadError) and missing.error == "no such file or directory"


def test_stdin_is_json_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    data = (json.dumps({"id": "s1", "text": ARTICLE}, ensure_ascii=False) + "\nbroken\n"
            + json.dumps({"text": ARTICLE}, ensure_ascii=False) + "\n").encode("utf-8")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    first, error, third = items("-")
    assert (first.doc_id, first.source) == ("s1", "<stdin>")
    assert isinstance(error, ReadError) and error.line == 2
    assert third.doc_id == "stdin:3"
