"""Consistency check of corpus/gold.jsonl against the dump in corpus/dump/.

Independent of the pipeline on purpose (standard library only): it decodes every input format
itself, so a reader bug cannot hide a gold error.  It checks that gold doc_ids are exactly the
doc_ids CONTRACT.md assigns, that every mention and money text occurs literally in its document,
money in body order, and that triples use contract relations with subjects and objects that are
entities (or money texts) of the same document, of the types the contract allows.

    python corpus/check_gold.py            # prints problems, exit status 1 if any
"""
from __future__ import annotations

import csv
import io
import json
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

HERE = Path(__file__).resolve().parent
LABELS = {"PERSON", "COMPANY", "ORG"}
ANY_ORG = {"COMPANY", "ORG"}
ACTORS = {"PERSON", "COMPANY", "ORG"}
# relation -> (subject labels, object labels); MONEY objects are money texts of the document
RELATIONS: dict[str, tuple[set[str], set[str]]] = {
    "resigned_from": ({"PERSON"}, ANY_ORG),
    "dismissed_from": ({"PERSON"}, ANY_ORG),
    "joined": ({"PERSON"}, ANY_ORG),
    "holds_position": ({"PERSON"}, ANY_ORG),
    "founded": ({"PERSON", "COMPANY"}, ANY_ORG),
    "invested_in": (ACTORS, {"COMPANY"}),
    "acquired": ({"COMPANY", "PERSON"}, ANY_ORG),
    "sued": (ACTORS, ACTORS),
    "raised": ({"COMPANY"}, {"MONEY"}),
    "valued_at": ({"COMPANY"}, {"MONEY"}),
    "revenue": ({"COMPANY"}, {"MONEY"}),
    "net_loss": ({"COMPANY"}, {"MONEY"}),
    "spends": ({"COMPANY"}, {"MONEY"}),
}
STATUSES = {"current", "former", "interim", "incoming"}
ID_FIELDS = ("id", "aid", "msgid", "article_id")
TEXT_FIELDS = ("text", "content")
HTML_FIELDS = ("content_html", "html", "article")
BLOCKS = {"p", "section", "div", "br", "h1", "h2", "h3", "li", "tr", "blockquote"}


@dataclass
class Source:
    doc_id: str
    text: str
    where: str


class _Visible(HTMLParser):
    """Visible text of an HTML page or fragment; inside #js_content only when the page has one."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.content: list[str] = []
        self._skip = 0
        self._depth_in_content = 0  # >0 while inside <div id="js_content">

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        if self._depth_in_content:
            self._depth_in_content += tag == "div"
        elif tag == "div" and dict(attrs).get("id") == "js_content":
            self._depth_in_content = 1
        if tag in BLOCKS:
            self._emit("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1
        if tag in BLOCKS:
            self._emit("\n")
        if self._depth_in_content and tag == "div":
            self._depth_in_content -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self._emit(data)

    def _emit(self, s: str) -> None:
        self.parts.append(s)
        if self._depth_in_content:
            self.content.append(s)


def visible_text(markup: str) -> str:
    parser = _Visible()
    parser.feed(markup)
    parser.close()
    return "".join(parser.content or parser.parts)


def decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValueError("neither UTF-8 nor GB18030")


def record_source(record: dict, where: str) -> Source:
    doc_id = next((str(record[k]) for k in ID_FIELDS if record.get(k)), None)
    if doc_id is None:
        raise ValueError(f"{where}: record without an id field")
    text = next((record[k] for k in TEXT_FIELDS if record.get(k)), None)
    if text is None:
        text = visible_text(next(record[k] for k in HTML_FIELDS if record.get(k)))
    return Source(doc_id, text, where)


def read_dump(root: Path) -> list[Source]:
    """Every document of the dump, with its doc_id as CONTRACT.md assigns it."""
    sources: list[Source] = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        suffix = path.suffix.lower()
        if suffix in (".txt", ".md"):
            sources.append(Source(path.stem, decode(path.read_bytes()), str(path)))
        elif suffix in (".html", ".htm"):
            sources.append(Source(path.stem, visible_text(decode(path.read_bytes())), str(path)))
        elif suffix == ".jsonl":
            for n, line in enumerate(decode(path.read_bytes()).splitlines(), 1):
                if line.strip():
                    sources.append(record_source(json.loads(line), f"{path}:{n}"))
        elif suffix == ".json":
            data = json.loads(decode(path.read_bytes()))
            for n, record in enumerate(data if isinstance(data, list) else [data], 1):
                sources.append(record_source(record, f"{path}[{n}]"))
        elif suffix == ".csv":
            rows = csv.DictReader(io.StringIO(decode(path.read_bytes())))
            for n, row in enumerate(rows, 2):
                sources.append(record_source(row, f"{path}:{n}"))
    return sources


def money_in_order(text: str, money: list[dict]) -> list[str]:
    """Problems with the money list: each text must occur after the previous one, not inside a
    larger number (so "40亿美元" is not found inside "30亿至40亿美元")."""
    problems, pos = [], 0
    for item in money:
        t = item["text"]
        i = text.find(t, pos)
        while i > 1 and (text[i - 1].isdigit() or text[i - 1] in ".,"
                         or (text[i - 1] == "至" and text[i - 2] in "0123456789十百千万亿")):
            i = text.find(t, i + 1)
        if i < 0:
            problems.append(f"money {t!r} not found after offset {pos}")
            continue
        pos = i + len(t)
    return problems


def check_doc(gold: dict, text: str) -> list[str]:
    problems: list[str] = []
    labels: dict[str, str] = {}
    for entity in gold["entities"]:
        canonical, label = entity["canonical"], entity["label"]
        if label not in LABELS:
            problems.append(f"{canonical}: label {label}")
        if canonical in labels:
            problems.append(f"{canonical}: listed twice")
        labels[canonical] = label
        if canonical not in entity["mentions"]:
            problems.append(f"{canonical}: canonical is not one of its mentions")
        problems += [f"mention {m!r} not in text" for m in entity["mentions"] if m not in text]
    problems += money_in_order(text, gold["money"])
    values = {m["text"]: {k: v for k, v in m.items() if k != "text"} for m in gold["money"]}
    seen: set[tuple[str, str, str]] = set()
    for triple in gold["triples"]:
        problems += check_triple(triple, labels, values, seen)
    return problems


def check_triple(triple: dict, labels: dict[str, str], values: dict[str, dict],
                 seen: set[tuple[str, str, str]]) -> list[str]:
    s, r, o = triple["subject"], triple["relation"], triple["object"]
    name = f"({s}, {r}, {o})"
    if r not in RELATIONS:
        return [f"{name}: unknown relation"]
    problems = []
    subject_types, object_types = RELATIONS[r]
    if labels.get(s) not in subject_types:
        problems.append(f"{name}: subject is {labels.get(s)}, not one of {sorted(subject_types)}")
    if object_types == {"MONEY"}:
        if o not in values:
            problems.append(f"{name}: object is not a money text of the document")
        elif triple.get("object_value") != values[o]:
            problems.append(f"{name}: object_value differs from the money entry")
    elif labels.get(o) not in object_types:
        problems.append(f"{name}: object is {labels.get(o)}, not one of {sorted(object_types)}")
    qualifiers = triple["qualifiers"]
    problems += [f"{name}: {k} {qualifiers[k]!r} is not a money text"
                 for k in ("amount", "price") if k in qualifiers and qualifiers[k] not in values]
    if r == "holds_position" and (not qualifiers.get("title") or qualifiers.get("status") not in STATUSES):
        problems.append(f"{name}: needs a title list and a status")
    if (s, r, o) in seen:
        problems.append(f"{name}: duplicate")
    seen.add((s, r, o))
    return problems


def check(corpus: Path = HERE) -> list[str]:
    """All problems found in corpus/gold.jsonl; empty when the gold is consistent."""
    sources = read_dump(corpus / "dump")
    by_id: dict[str, Source] = {}
    problems = []
    for source in sources:
        if source.doc_id in by_id:
            problems.append(f"{source.where}: doc_id {source.doc_id} also in {by_id[source.doc_id].where}")
        by_id[source.doc_id] = source
    golds = [json.loads(line) for line in (corpus / "gold.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    gold_ids = [g["doc_id"] for g in golds]
    if sorted(gold_ids) != sorted(by_id):
        problems.append(f"gold doc_ids {sorted(set(gold_ids) ^ set(by_id))} do not match the dump")
    for gold in golds:
        if gold["doc_id"] in by_id:
            problems += [f"{gold['doc_id']}: {p}" for p in check_doc(gold, by_id[gold["doc_id"]].text)]
    return problems


def main() -> int:
    problems = check()
    print("\n".join(problems) if problems else "gold is consistent with the dump")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
