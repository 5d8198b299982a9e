"""Reading: files, directories and standard input → :class:`RawRecord` / :class:`ReadError`.

Everything is streamed (a dump larger than memory works) and deterministic (the same inputs give
the same item sequence, which ``--resume`` relies on).  Bad input never stops the batch: a line,
row or file that cannot be read becomes a ReadError naming the source and line, and reading goes
on with the next one.

Formats by extension: ``.txt`` / ``.md`` / ``.html`` / ``.htm`` are one document per file;
``.jsonl`` / ``.json`` are JSON Lines, a JSON array or one object (told apart by content); ``.csv``
is an exporter CSV with a header row.  Directories are walked recursively in sorted order, hidden
files and folders skipped; files of other types inside a directory are skipped and listed in one
ReadError per directory, while such a file named on the command line is a ReadError of its own.
"""
from __future__ import annotations

import codecs
import csv
import hashlib
import html
import io
import json
import os
import re
import sys
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import IO, Any, Callable, Iterable, Iterator

import ijson

from .records import RawRecord, ReadError

Item = RawRecord | ReadError

STDIN = "-"
STDIN_SOURCE = "<stdin>"
DOCUMENT_SUFFIXES = {".txt": "text", ".md": "markdown", ".html": "html", ".htm": "html"}
RECORD_SUFFIXES = {".jsonl": "json", ".json": "json", ".csv": "csv"}
SUPPORTED = " ".join(sorted(DOCUMENT_SUFFIXES) + sorted(RECORD_SUFFIXES))

SAMPLE_BYTES = 256 * 1024  # read ahead to tell encoding and JSON shape
BINARY_PROBE = 8192  # a NUL byte this early means a binary file
MAX_JSON_DEPTH = 256  # deeper records are refused (the stdlib decoder would overflow the stack)
MAX_CSV_RESTARTS = 100  # broken quoted fields after which a CSV file is given up

# Record fields, matched case-insensitively; the first present one wins.
TEXT_FIELDS = ("text", "content", "content_html", "html", "article", "正文", "内容")
HTML_FIELDS = frozenset({"content_html", "html"})
TITLE_FIELDS = ("title", "标题")
ACCOUNT_FIELDS = ("nickname", "account", "_accountname", "mp_name", "公众号")
AUTHOR_FIELDS = ("author", "作者")
TIME_FIELDS = ("publish_time", "create_time", "datetime", "p_date", "发布时间")
URL_FIELDS = ("url", "link", "content_url", "链接")
# Exporter shapes: lists of articles under these keys, and the message format of the
# official-account history API (app_msg_ext_info with its multi_app_msg_item_list).
CONTAINER_FIELDS = ("data", "list", "app_msg_list", "articles", "items", "records", "general_msg_list")

CHINA_TIME = timezone(timedelta(hours=8))  # WeChat timestamps are rendered in China time
ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
SURROGATE = re.compile("[\ud800-\udfff]")
HTML_LIKE = re.compile(r"<\s*(?:!doctype|html|body|p|div|section|span|br|h[1-6]|img|a|strong|em|b|"
                       r"table|ul|ol|li|blockquote|article)\b[^>]*>", re.IGNORECASE)
EPOCH = re.compile(r"\d{9,13}(?:\.\d+)?")
DAY = re.compile(r"(?:19|20)\d{6}")


def _raise_csv_field_limit() -> None:
    """Exporter CSVs hold whole articles (HTML included) in one field."""
    limit = sys.maxsize
    while True:
        try:
            csv.field_size_limit(limit)
            return
        except OverflowError:
            limit //= 2


_raise_csv_field_limit()


# --- inputs ----------------------------------------------------------------------------------

def read_inputs(inputs: list[str]) -> Iterator[Item]:
    """Every record of every input, in input order; ``'-'`` is JSON Lines on standard input."""
    for name in inputs:
        if name == STDIN:
            yield from _guarded(STDIN_SOURCE, lambda: _read_json(sys.stdin.buffer, STDIN_SOURCE, "stdin"))
            continue
        path = Path(name)
        if path.is_dir():
            yield from _read_directory(path)
        elif path.is_file():
            yield from _read_file(path)
        elif path.exists():
            yield ReadError(source=fix_surrogates(name), error="not a regular file")
        else:
            yield ReadError(source=fix_surrogates(name), error="no such file or directory")


def _read_directory(root: Path) -> Iterator[Item]:
    problems: list[OSError] = []
    files: list[Path] = []
    for folder, subfolders, names in os.walk(root, onerror=problems.append):
        subfolders[:] = [d for d in subfolders if not d.startswith(".")]
        files.extend(Path(folder, n) for n in names if not n.startswith("."))
    for problem in problems:
        yield ReadError(source=fix_surrogates(str(problem.filename or root)),
                        error=f"cannot list directory: {problem.strerror}")
    skipped: Counter[str] = Counter()
    for path in sorted(files):
        if _kind(path) is None:
            skipped[path.suffix.lower() or "(no extension)"] += 1
        else:
            yield from _read_file(path)
    if skipped:
        kinds = ", ".join(f"{suffix} ×{n}" for suffix, n in sorted(skipped.items()))
        yield ReadError(source=fix_surrogates(str(root)),
                        error=f"skipped {sum(skipped.values())} file(s) of unsupported types ({kinds}); "
                              f"zhie reads {SUPPORTED}")


def _kind(path: Path) -> str | None:
    suffix = path.suffix.lower()
    return DOCUMENT_SUFFIXES.get(suffix) or RECORD_SUFFIXES.get(suffix)


def _read_file(path: Path) -> Iterator[Item]:
    yield from read_source(fix_surrogates(str(path)), lambda: path.open("rb"))


def read_source(source: str, open_bytes: Callable[[], IO[bytes]]) -> Iterator[Item]:
    """The records of one input file named `source` (its extension says the format), whose
    bytes `open_bytes()` opens afresh each time: a local file, or bytes Spark read from HDFS."""
    path = Path(source)
    kind = _kind(path)
    if kind is None:
        yield ReadError(source=source, error=f"unsupported file type {path.suffix or '(no extension)'!r}; "
                                             f"zhie reads {SUPPORTED}")
        return
    stem = fix_surrogates(path.stem)
    if kind in ("text", "markdown", "html"):
        yield from _guarded(source, lambda: iter([_read_document(open_bytes, kind, source, stem)]))
    elif kind == "csv":
        yield from _guarded(source, lambda: _read_csv(open_bytes, source, stem))
    else:
        yield from _guarded(source, lambda: _read_json_file(open_bytes, source, stem))


def _guarded(source: str, produce: Callable[[], Iterator[Item]]) -> Iterator[Item]:
    """The items of one input; an unexpected failure ends that input with a ReadError, not the run."""
    count = 0
    try:
        for item in produce():
            count += 1
            yield item
    except OSError as exc:
        yield ReadError(source=source, error=f"cannot read: {exc.strerror or exc}")
    except Exception as exc:  # noqa: BLE001 - one broken input must not stop the batch
        after = f" after {count} item(s)" if count else ""
        yield ReadError(source=source, error=f"reading failed{after}: {type(exc).__name__}: {exc}")


# --- encodings -------------------------------------------------------------------------------

def _binary_reason(head: bytes) -> str | None:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "UTF-16 text is not supported (convert to UTF-8)"
    if b"\x00" in head[:BINARY_PROBE]:
        return "binary file (contains NUL bytes)"
    return None


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def decode_document(data: bytes) -> str:
    """A whole file's text: UTF-8 (with or without BOM), else GB18030 (which covers GBK and
    GB2312).  A UTF-8 file with a few corrupt bytes keeps its text with U+FFFD in their place;
    ValueError says why a file is not text."""
    reason = _binary_reason(data)
    if reason:
        raise ValueError(reason)
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    if _decodes(data, "utf-8"):
        return data.decode("utf-8")
    text = data.decode("utf-8", errors="replace")
    if text.count("\ufffd") * 100 <= len(text):
        return text
    if _decodes(data, "gb18030"):
        return data.decode("gb18030")
    raise ValueError("not UTF-8 or GB18030 text (undecodable bytes)")


class LineDecoder:
    """Decodes a line-based file line by line, in the encoding its sampled non-ASCII lines are in,
    so that one corrupt line neither hides nor garbles the others."""

    def __init__(self, sample: bytes, complete: bool) -> None:
        lines = sample.split(b"\n")
        if not complete:
            lines = lines[:-1]  # cut short by the sample's end
        # Valid UTF-8 is strong evidence (GB18030 bytes rarely form it), valid GB18030 weak (it
        # decodes most byte soup): UTF-8 wins unless more bytes are GB18030 only.
        utf8 = gb18030 = 0
        for line in lines:
            if line.isascii():
                continue
            if _decodes(line, "utf-8"):
                utf8 += len(line)
            elif _decodes(line, "gb18030"):
                gb18030 += len(line)
        self.encoding: str | None = None
        if utf8 or gb18030:
            self.encoding = "utf-8" if utf8 >= gb18030 else "gb18030"

    def decode(self, raw: bytes, first: bool = False) -> str:
        """Raises UnicodeDecodeError for a line not in the file's encoding."""
        if first and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8):]
        if self.encoding is None:
            if raw.isascii():
                return raw.decode("ascii")
            self.encoding = "utf-8" if _decodes(raw, "utf-8") or not _decodes(raw, "gb18030") else "gb18030"
        return raw.decode(self.encoding)

    def describe(self) -> str:
        return {"gb18030": "GB18030"}.get(self.encoding or "utf-8", "UTF-8")


class _Replay(io.RawIOBase):
    """A byte stream that replays an already-read sample before the rest of the source, so that
    standard input can be sniffed like a file."""

    def __init__(self, sample: bytes, rest: IO[bytes]) -> None:
        self._sample = sample
        self._offset = 0
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._offset < len(self._sample):
            chunk = self._sample[self._offset:self._offset + len(buffer)]
            self._offset += len(chunk)
        else:
            chunk = self._rest.read(len(buffer))
        buffer[:len(chunk)] = chunk
        return len(chunk)


class _ToUtf8(io.RawIOBase):
    """A GB18030 byte stream re-encoded as UTF-8, for ijson (which reads UTF-8 only)."""

    def __init__(self, stream: IO[bytes], encoding: str) -> None:
        self._stream = stream
        self._decoder = codecs.getincrementaldecoder(encoding)()
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._pending:
            chunk = self._stream.read(1 << 16)
            self._pending = self._decoder.decode(chunk, final=not chunk).encode("utf-8")
            if not chunk:
                break
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size


@dataclass
class _Opened:
    """A byte source with its first bytes already read, and the encoding they reveal."""

    sample: bytes
    complete: bool  # the sample is the whole input
    stream: io.BufferedReader
    decoder: LineDecoder


def _open(raw: IO[bytes], source: str) -> _Opened | ReadError:
    """The opened source of a record file, or why it yields nothing at all (empty, not text)."""
    sample = raw.read(SAMPLE_BYTES)
    complete = len(sample) < SAMPLE_BYTES
    reason = "empty file: no records" if not sample.strip() else _binary_reason(sample)
    if reason:
        return ReadError(source=source, error=reason)
    stream = io.BufferedReader(_Replay(sample, raw), buffer_size=1 << 16)
    return _Opened(sample, complete, stream, LineDecoder(sample, complete))


def _read_document(open_bytes: Callable[[], IO[bytes]], kind: str, source: str, stem: str) -> Item:
    with open_bytes() as raw:
        data = raw.read()
    if not data.strip():
        return RawRecord(source=source, doc_id=stem, error="empty file")
    try:
        text = decode_document(data)
    except ValueError as exc:
        return ReadError(source=source, doc_id=stem, error=str(exc))
    if kind == "html":
        return RawRecord(source=source, doc_id=stem, html=text)
    return RawRecord(source=source, doc_id=stem, text=text, markdown=kind == "markdown")


# --- JSON ------------------------------------------------------------------------------------

def _read_json_file(open_bytes: Callable[[], IO[bytes]], source: str, stem: str) -> Iterator[Item]:
    with open_bytes() as raw:
        yield from _read_json(raw, source, stem)


def _read_json(raw: IO[bytes], source: str, stem: str) -> Iterator[Item]:
    """JSON Lines, or one JSON value (an array of records, an object, an exporter container)
    parsed incrementally when its first line is not a complete JSON value by itself."""
    opened = _open(raw, source)
    if isinstance(opened, ReadError):
        yield opened
        return
    decoder = opened.decoder
    count = 0
    if _is_single_value(opened):
        items = _json_stream(opened.stream, decoder, source, stem)
    else:
        items = _json_lines(opened.stream, decoder, source, stem)
    for item in items:
        count += 1
        yield item
    if not count:
        yield ReadError(source=source, error="no records")


def _is_single_value(opened: _Opened) -> bool:
    """True when the input starts with a JSON array, or with an object spread over several lines
    (or one line longer than the sample): then it is parsed as a stream, not line by line."""
    body = opened.sample.removeprefix(codecs.BOM_UTF8).lstrip()
    if not body.startswith((b"[", b"{")):
        return False
    end = body.find(b"\n")
    if end < 0 and not opened.complete:
        return True
    first = (body if end < 0 else body[:end]).decode("utf-8", errors="replace").rstrip()
    try:
        value = json.loads(first)
    except RecursionError:
        return False
    except json.JSONDecodeError as exc:
        return exc.pos >= len(first)  # incomplete rather than wrong: the value goes on
    except ValueError:
        return False
    return isinstance(value, list)


def _json_lines(stream: IO[bytes], decoder: LineDecoder, source: str, stem: str) -> Iterator[Item]:
    for number, raw in enumerate(stream, start=1):
        if not raw.strip():
            continue
        try:
            text = decoder.decode(raw, first=number == 1)
        except UnicodeDecodeError as exc:
            yield ReadError(source=source, line=number,
                            error=f"line is not valid {decoder.describe()} text ({exc.reason} at byte {exc.start})")
            continue
        try:
            value = json.loads(text)
        except RecursionError:
            yield ReadError(source=source, line=number, error="JSON nested too deeply")
            continue
        except ValueError as exc:
            yield ReadError(source=source, line=number, error=f"invalid JSON: {exc}")
            continue
        if isinstance(value, list):
            yield ReadError(source=source, line=number, error="line holds a JSON array; JSON Lines need one object per line")
            continue
        yield from records_from_value(value, source, number, f"{stem}:{number}")


class _TooDeep:
    """Stands for a JSON value nested deeper than MAX_JSON_DEPTH (skipped, reported)."""


TOO_DEEP = _TooDeep()


def _json_stream(stream: IO[bytes], decoder: LineDecoder, source: str, stem: str) -> Iterator[Item]:
    """The records of a single JSON value, element by element, with ijson's event parser (whose
    memory does not grow with the array, nor its stack with the nesting)."""
    if decoder.encoding not in (None, "utf-8"):
        stream = io.BufferedReader(_ToUtf8(stream, decoder.encoding))
    else:
        _skip_bom(stream)
    index = 0
    try:
        for value in _json_values(ijson.basic_parse(stream, use_float=True, multiple_values=True)):
            index += 1
            yield from records_from_value(value, source, index, f"{stem}:{index}")
    except Exception as exc:  # noqa: BLE001 - ijson's errors, bad bytes, huge numbers
        detail = f"{type(exc).__name__}: {exc}".rstrip(": ")
        where = f"after record {index}" if index else "before the first record"
        yield ReadError(source=source, line=index + 1, error=f"invalid JSON {where}: {detail}")


def _skip_bom(stream: io.BufferedReader) -> None:
    if stream.peek(3).startswith(codecs.BOM_UTF8):
        stream.read(len(codecs.BOM_UTF8))


Event = tuple[str, Any]


def _json_values(events: Iterable[Event]) -> Iterator[Any]:
    """Top-level JSON values; a top-level array, and an article list under a container key of a
    top-level object, give their elements one at a time."""
    events = iter(events)
    for event, value in events:
        if event == "start_array":
            yield from _array_elements(events)
        elif event == "start_map":
            yield from _object_or_articles(events)
        else:
            yield value


def _array_elements(events: Iterator[Event]) -> Iterator[Any]:
    for event, value in events:
        if event == "end_array":
            return
        yield _build(event, value, events)


def _object_or_articles(events: Iterator[Event]) -> Iterator[Any]:
    """The object itself, or, when it holds an article list ({"data": [...]}) before any text
    field, the articles one by one."""
    fields: dict[str, Any] = {}
    streamed = False
    for event, key in events:
        if event == "end_map":
            break
        event, value = next(events)
        is_record = any(str(k).lower() in TEXT_FIELDS for k in fields)
        if event == "start_array" and str(key).lower() in CONTAINER_FIELDS and not is_record:
            streamed = True
            yield from _array_elements(events)
        else:
            fields[key] = _build(event, value, events)
    if not streamed:
        yield TOO_DEEP if any(v is TOO_DEEP for v in fields.values()) else fields


def _build(event: str, value: Any, events: Iterator[Event]) -> Any:
    """One complete JSON value from its first event, built without recursion; TOO_DEEP (with the
    value's events consumed) when it nests deeper than MAX_JSON_DEPTH."""
    if event not in ("start_map", "start_array"):
        return value
    root: Any = {} if event == "start_map" else []
    stack: list[Any] = [root]  # the open containers while depth <= MAX_JSON_DEPTH
    keys: list[Any] = [None]
    depth, too_deep = 1, False
    for event, value in events:
        if event in ("start_map", "start_array"):
            depth += 1
            if depth > MAX_JSON_DEPTH:
                too_deep = True
                continue
            child: Any = {} if event == "start_map" else []
            _put(stack[-1], keys[-1], child)
            stack.append(child)
            keys.append(None)
        elif event in ("end_map", "end_array"):
            if depth <= MAX_JSON_DEPTH:
                stack.pop()
                keys.pop()
            depth -= 1
            if depth == 0:
                return TOO_DEEP if too_deep else root
        elif depth <= MAX_JSON_DEPTH:
            if event == "map_key":
                keys[-1] = value
            else:
                _put(stack[-1], keys[-1], value)
    return root  # unreachable: the parser raises on a truncated value


def _put(container: Any, key: Any, value: Any) -> None:
    if isinstance(container, list):
        container.append(value)
    else:
        container[key] = value


# --- records ---------------------------------------------------------------------------------

def records_from_value(value: Any, source: str, line: int | None, fallback_id: str) -> list[Item]:
    """The records one JSON value (a JSONL line, an array element, a CSV row) stands for: itself,
    or the articles of an exporter container / history-API message."""
    if value is TOO_DEEP:
        return [ReadError(source=source, line=line, error=f"JSON nested too deeply (over {MAX_JSON_DEPTH} levels)")]
    if not isinstance(value, dict):
        kind = "null" if value is None else type(value).__name__
        return [ReadError(source=source, line=line, error=f"expected a JSON object (a record), got {kind}")]
    articles = _articles(value)
    if len(articles) == 1:
        return [record_from_fields(articles[0], source, line, fallback_id)]
    if not articles:
        return [ReadError(source=source, line=line, error="exporter container holds no articles")]
    return [record_from_fields(article, source, line, f"{fallback_id}.{k}") for k, article in enumerate(articles, 1)]


def _articles(record: dict[str, Any], depth: int = 0) -> list[Any]:
    """Unwraps exporter shapes at most two levels deep; a record with a text field is itself."""
    fields = {str(k).lower(): v for k, v in record.items()}
    if depth < 2 and not any(k in fields for k in TEXT_FIELDS):
        info = fields.get("app_msg_ext_info")
        if isinstance(info, dict):
            return _history_articles(info, fields.get("comm_msg_info"))
        for key in CONTAINER_FIELDS:
            inner = fields.get(key)
            if isinstance(inner, str) and key == "general_msg_list":
                inner = _loads_or_none(inner)
            if isinstance(inner, dict):
                return _articles(inner, depth + 1)
            if isinstance(inner, list):
                out: list[Any] = []
                for element in inner:
                    out.extend(_articles(element, depth + 1) if isinstance(element, dict) else [element])
                return out
    return [record]


def _loads_or_none(text: str) -> Any:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


def _history_articles(info: dict[str, Any], common: Any) -> list[Any]:
    """A history-API message: the main article and its multi_app_msg_item_list, dated by
    comm_msg_info.datetime."""
    items = [info] + [x for x in info.get("multi_app_msg_item_list") or [] if isinstance(x, dict)]
    when = common.get("datetime") if isinstance(common, dict) else None
    out = []
    for item in items:
        article = {k: v for k, v in item.items() if k != "multi_app_msg_item_list"}
        if when is not None:
            article.setdefault("datetime", when)
        out.append(article)
    return out


def record_from_fields(record: Any, source: str, line: int | None, fallback_id: str) -> Item:
    """A RawRecord from a JSON object or CSV row, with the contract's field names."""
    if not isinstance(record, dict):
        kind = "null" if record is None else type(record).__name__
        return ReadError(source=source, line=line, error=f"expected a JSON object (a record), got {kind}")
    fields = {str(k).strip().lstrip("\ufeff").lower(): v for k, v in record.items()}
    raw = RawRecord(
        source=source,
        doc_id=_doc_id(fields) or fallback_id,
        line=line,
        title=meta_text(_first(fields, TITLE_FIELDS)),
        account=meta_text(_first(fields, ACCOUNT_FIELDS)),
        author=meta_text(_first(fields, AUTHOR_FIELDS)),
        publish_time=normalize_time(_first(fields, TIME_FIELDS)),
        url=normalize_url(_first(fields, URL_FIELDS)),
    )
    _set_body(raw, fields)
    return raw


def _first(fields: dict[str, Any], names: tuple[str, ...]) -> Any:
    for name in names:
        value = fields.get(name)
        if value is not None and value != "":
            return value
    return None


def _set_body(raw: RawRecord, fields: dict[str, Any]) -> None:
    """The first non-empty text field becomes ``html`` (HTML field or HTML-looking) or ``text``;
    otherwise ``error`` says what the record had instead."""
    present = [name for name in TEXT_FIELDS if name in fields]
    for name in present:
        value = fields[name]
        if isinstance(value, str) and value.strip():
            value = fix_surrogates(value)
            if name in HTML_FIELDS or HTML_LIKE.search(value, 0, 20000):
                raw.html = value
            else:
                raw.text = value
            return
    if not present:
        raw.error = f"record has no text (no field among {', '.join(TEXT_FIELDS)})"
        return
    name = present[0]
    value = fields[name]
    if value is None:
        raw.error = f"record text is null (field {name!r})"
    elif isinstance(value, str):
        raw.error = f"record text is empty (field {name!r})"
    else:
        raw.error = f"record text is not a string (field {name!r} is {type(value).__name__})"


def _doc_id(fields: dict[str, Any]) -> str | None:
    """The record's id, else an exporter id (aid, msgid, mid_idx, article_id), else a hash of
    its link."""
    for name in ("id", "aid", "msgid"):
        value = _scalar(fields.get(name))
        if value:
            return value
    mid, idx = _scalar(fields.get("mid")), _scalar(fields.get("idx"))
    if mid and idx:
        return f"{mid}_{idx}"
    value = _scalar(fields.get("article_id"))
    if value:
        return value
    url = normalize_url(_first(fields, URL_FIELDS))
    if url:
        return "url-" + hashlib.sha1(url.encode("utf-8")).hexdigest()[:16]
    return None


def _scalar(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return None
    return meta_text(str(value))


# --- field values ----------------------------------------------------------------------------

def fix_surrogates(text: str) -> str:
    """Lone surrogates (from JSON "\\ud800" escapes or undecodable file names) cannot be written
    as UTF-8: they become U+FFFD."""
    if not SURROGATE.search(text):
        return text
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def meta_text(value: Any) -> str | None:
    """A metadata string (title, account, author, id): entities decoded, zero-width characters
    removed, whitespace collapsed; None when nothing is left."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return None
    text = ZERO_WIDTH.sub("", html.unescape(fix_surrogates(str(value))))
    text = " ".join(text.split())
    return text or None


def normalize_time(value: Any) -> str | None:
    """Epoch seconds or milliseconds (9 to 13 digits) → ISO 8601 in China time, a YYYYMMDD number
    → an ISO date; other values kept as given."""
    if isinstance(value, bool) or value is None:
        return None
    text = meta_text(value)
    if text is None:
        return None
    if DAY.fullmatch(text):
        try:
            return datetime.strptime(text, "%Y%m%d").date().isoformat()
        except ValueError:
            return text
    if EPOCH.fullmatch(text):
        seconds = float(text)
        if seconds > 1e11:
            seconds /= 1000
        if seconds < 4102444800:  # before 2100
            return datetime.fromtimestamp(seconds, CHINA_TIME).isoformat(timespec="seconds")
    return text


def normalize_url(value: Any) -> str | None:
    """Links as exporters escape them (``http:\\/\\/``, ``&amp;``) → plain URLs."""
    if not isinstance(value, str):
        return None
    url = ZERO_WIDTH.sub("", html.unescape(fix_surrogates(value).replace("\\/", "/"))).strip()
    return url or None


# --- CSV -------------------------------------------------------------------------------------

def _read_csv(open_bytes: Callable[[], IO[bytes]], source: str, stem: str) -> Iterator[Item]:
    """Rows of an exporter CSV.  A quoted field left open would swallow the rows after it: that
    row is reported and reading restarts on the line after its first."""
    with open_bytes() as raw:
        opened = _open(raw, source)
    if isinstance(opened, ReadError):
        yield opened
        return
    decoder = opened.decoder
    state = _CsvState()
    for _ in range(MAX_CSV_RESTARTS):
        with open_bytes() as raw:
            yield from _csv_pass(raw, decoder, state, source, stem)
        if state.restart_at is None:
            break
    else:
        yield ReadError(source=source, error=f"gave up after {MAX_CSV_RESTARTS} broken quoted fields")
    if not state.rows:
        yield ReadError(source=source, error="no records (a header row and no data rows)"
                        if state.header else "no records")


@dataclass
class _CsvState:
    header: list[str] | None = None
    restart_at: int | None = 1  # first physical line of the next pass
    rows: int = 0


def _csv_pass(raw: IO[bytes], decoder: LineDecoder, state: _CsvState, source: str, stem: str) -> Iterator[Item]:
    start = state.restart_at or 1
    state.restart_at = None
    bad_lines: set[int] = set()

    def lines() -> Iterator[str]:
        for number, line in enumerate(raw, start=1):
            if number < start:
                continue
            try:
                yield decoder.decode(line, first=number == 1)
            except UnicodeDecodeError:
                bad_lines.add(number)
                yield line.decode(decoder.encoding or "utf-8", errors="replace")

    reader = csv.reader(lines(), strict=True)
    end = start - 1  # last physical line consumed
    while True:
        row_start = end + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            end = start - 1 + reader.line_num
            if end > row_start or "unexpected end of data" in str(exc):
                # A quote opened on this line swallowed the lines after it: report the row and
                # read again from its second line.
                yield ReadError(source=source, line=row_start,
                                error=f"malformed CSV row ({exc}): a quoted field opened on line {row_start} "
                                      f"is not closed properly; reading resumes on the next line")
                state.restart_at = row_start + 1
                return
            yield ReadError(source=source, line=row_start, error=f"malformed CSV row: {exc}")
            continue
        end = start - 1 + reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if state.header is None:
            state.header = [cell.strip().lstrip("\ufeff") for cell in row]
            continue
        state.rows += 1
        broken = sorted(n for n in bad_lines if row_start <= n <= end)
        if broken:
            yield ReadError(source=source, line=row_start,
                            error=f"row is not valid {decoder.describe()} text (line {broken[0]})")
            continue
        yield record_from_fields(dict(zip(state.header, row)), source, row_start, f"{stem}:{row_start}")
