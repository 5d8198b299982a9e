"""Knowledge: a run's per-document outputs merged into one graph, for knowledge bases.

``zhie run`` writes one line per mention and one triple per document; a knowledge base wants one
node per real entity and one edge per fact, with its support.  ``aggregate(OUT_DIR)`` streams
``entities.jsonl`` and ``triples.jsonl`` (and only ``doc_id`` / ``publish_time`` out of
``documents.jsonl``) and builds three tables:

- ``nodes``: one row per merged entity (``id``, ``type``, ``name``, ``aliases``, ``mentions``,
  ``documents``; ``amount`` / ``currency`` / ``upper`` on MONEY).
- ``edges``: one row per distinct (subject node, relation, object node), with ``support`` (the
  number of documents stating it), ``confidence``, ``first_published`` / ``last_published`` and
  the merged ``qualifiers`` (JSON).
- ``evidence``: one row per supporting triple line (``triple_id``, ``doc_id``, sentence
  ``start`` / ``end`` / ``text``, its own ``confidence`` and ``qualifiers``, ``published``).

How entities merge:

1. Names are compared by :func:`name_key` (NFKC, case-folded, spaces and punctuation removed, as
   the scorer compares them), within one type: PERSON, COMPANY and ORG never merge with each
   other.  "Sam Altman" and "SamAltman" are one node.
2. Aliases: a mention whose text differs from its canonical makes the text an alias of the
   canonical.  A canonical name C merges into canonical D of the same type when C is an alias of
   D and of no other canonical in the whole run (an ambiguous alias merges nothing) and C has at
   least ``MIN_ALIAS_CHARS`` characters (a lone surname such as 王 never merges documents).
   Merges are transitive.  The node is named after the canonical that is an alias of nothing
   (when aliases form a cycle: the one in most documents), in its most frequent spelling.
3. MONEY nodes are amounts: they merge by currency and value (and range ``upper``), whatever the
   text ("10亿美元" = "十亿美元"); the text becomes name and aliases.
4. A triple's subject and object resolve like entity names.  When a name never appeared as an
   entity of the triple's stated type but did as exactly one other type, it takes that node.

Node ids are ``TYPE:key`` (``PERSON:samaltman``, ``MONEY:USD:1000000000``): the same for the
same entity in every run, as long as the same canonical name ends up naming it.

Edge confidence is noisy-OR over documents, ``1 - prod(1 - c_d)`` where ``c_d`` is the highest
confidence of the triple in document d, capped at ``CONFIDENCE_CAP``: independent documents
stating a fact make it likelier, never certain.

Publication times (``publish_time``: ISO strings, 年月日 dates, ``YYYYMMDD`` or epoch seconds /
milliseconds) are normalized to ISO ``YYYY-MM-DDTHH:MM:SS`` in China Standard Time without an
offset; times that cannot be read count as absent.
"""
from __future__ import annotations

import hashlib
import json
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, NamedTuple

import pandas as pd

MONEY = "MONEY"
MIN_ALIAS_CHARS = 2
CONFIDENCE_CAP = 0.99
CHINA_TIME = timezone(timedelta(hours=8))
RUN_FILES = ("documents.jsonl", "entities.jsonl", "triples.jsonl")

NodeKey = tuple[str, str]  # (type, key) before merging
FactKey = tuple[NodeKey, str, NodeKey]


class RunDirError(ValueError):
    """OUT_DIR is not the output directory of a ``zhie run``."""


# --- keys and values -------------------------------------------------------------------------

@lru_cache(maxsize=1 << 16)  # a run repeats the same names over and over
def name_key(name: str) -> str:
    """The form names merge on: NFKC, case-folded, without spaces, punctuation or controls."""
    text = unicodedata.normalize("NFKC", name).casefold()
    key = "".join(ch for ch in text if unicodedata.category(ch)[0] not in "PZC")
    return key or text.strip()


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    return float(value)


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def money_key(value: Any, text: str) -> str:
    """``CUR:amount[-upper]`` for a normalized amount; the name key of the text without one."""
    if isinstance(value, dict):
        amount, currency = _number(value.get("amount")), value.get("currency")
        if amount is not None and isinstance(currency, str) and currency:
            key = f"{currency.upper()}:{amount:.15g}"
            upper = _number(value.get("upper"))
            return key + (f"-{upper:.15g}" if upper is not None else "")
    return name_key(text)


_DATE = re.compile(r"(\d{4})\s*[年/.-]\s*(\d{1,2})\s*[月/.-]\s*(\d{1,2})\s*日?"
                   r"(?:\s*(\d{1,2})[:：时](\d{1,2})(?:[:：分](\d{1,2}))?)?")


def publication_time(value: Any) -> str | None:
    """``publish_time`` as ISO local China time, or None when it cannot be read."""
    if value is None or isinstance(value, bool):
        return None
    text = str(value).strip()
    try:
        if re.fullmatch(r"\d{8}", text):
            parsed = datetime.strptime(text, "%Y%m%d")
        elif re.fullmatch(r"\d+(\.\d+)?", text):
            seconds = float(text)
            seconds = seconds / 1000 if seconds > 1e11 else seconds  # milliseconds
            parsed = datetime.fromtimestamp(seconds, CHINA_TIME)
        else:
            parsed = _parse_date_text(text)
    except (ValueError, OverflowError, OSError):
        return None
    if parsed is None:
        return None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(CHINA_TIME).replace(tzinfo=None)
    return parsed.isoformat(timespec="seconds")


def _parse_date_text(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        match = _DATE.match(text)
    if match is None:
        return None
    return datetime(*(int(part) for part in match.groups() if part is not None))


def triple_id(subject_id: str, relation: str, object_id: str) -> str:
    """A short stable id for an edge: the same triple gets the same id in every run."""
    return hashlib.sha1(f"{subject_id}\t{relation}\t{object_id}".encode()).hexdigest()[:16]


# --- reading the run's files -----------------------------------------------------------------

@dataclass
class Problems:
    """Lines that were skipped, counted; the first few kept to show the user."""

    count: int = 0
    examples: list[str] = field(default_factory=list)
    keep: int = 20

    def add(self, message: str) -> None:
        self.count += 1
        if len(self.examples) < self.keep:
            self.examples.append(message)


def iter_jsonl(path: Path, problems: Problems) -> Iterator[dict[str, Any]]:
    """The JSON objects of a JSONL file, one at a time; a missing file is empty."""
    if not path.exists():
        return
    with open(path, encoding="utf-8", errors="replace") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError:
                problems.add(f"{path.name}:{number}: not JSON, skipped")
                continue
            if isinstance(record, dict):
                yield record
            else:
                problems.add(f"{path.name}:{number}: not a JSON object, skipped")


def check_run_dir(out_dir: Path) -> Path:
    out_dir = Path(out_dir)
    if not any((out_dir / name).exists() for name in RUN_FILES):
        raise RunDirError(f"{out_dir}: no {', '.join(RUN_FILES)} here; is it the OUT_DIR of `zhie run`?")
    return out_dir


def _missing(record: dict[str, Any], fields: Iterable[str]) -> list[str]:
    return [name for name in fields if not isinstance(record.get(name), str) or not record[name]]


# --- aggregation -----------------------------------------------------------------------------

@dataclass(slots=True)
class _Name:
    """What the run says about one (type, key) before merging."""

    spellings: Counter = field(default_factory=Counter)  # the canonical as written
    surfaces: Counter = field(default_factory=Counter)  # mention texts resolving to it
    mentions: int = 0
    docs: set[int] = field(default_factory=set)
    value: dict[str, Any] | None = None


class _Said(NamedTuple):
    """One triple line: where it was said and how sure the extractor was."""

    doc: int
    start: int | None
    end: int | None
    text: str | None
    confidence: float
    qualifiers: dict[str, Any]


@dataclass(slots=True)
class _Fact:
    """One (subject, relation, object) before merging: per-document confidence and evidence."""

    confidence: dict[int, float] = field(default_factory=dict)
    evidence: list[_Said] = field(default_factory=list)


class _Aggregator:
    def __init__(self, problems: Problems) -> None:
        self.problems = problems
        self.names: dict[NodeKey, _Name] = {}
        self.alias_of: dict[NodeKey, set[str]] = {}
        self.entity_types: dict[str, set[str]] = {}  # key -> types it has as an entity
        self.money_by_text: dict[str, str] = {}  # an amount's text -> its key, for bare triples
        self.facts: dict[FactKey, _Fact] = {}
        self.doc_index: dict[str, int] = {}
        self.doc_ids: list[str] = []

    def _doc(self, doc_id: str) -> int:
        if doc_id not in self.doc_index:
            self.doc_index[doc_id] = len(self.doc_ids)
            self.doc_ids.append(doc_id)
        return self.doc_index[doc_id]

    def _name(self, node: NodeKey) -> _Name:
        name = self.names.get(node)
        if name is None:
            name = self.names[node] = _Name()
        return name

    def add_entity(self, record: dict[str, Any]) -> None:
        missing = _missing(record, ("doc_id", "text", "label"))
        if missing:
            self.problems.add(f"entities.jsonl: a mention without {', '.join(missing)}, skipped")
            return
        label, text = record["label"], record["text"]
        canonical = record.get("canonical") if isinstance(record.get("canonical"), str) else None
        canonical = canonical or text
        if label == MONEY:
            node = (label, money_key(record.get("value"), text))
            self.money_by_text.setdefault(name_key(text), node[1])
        else:
            node = (label, name_key(canonical))
            self.entity_types.setdefault(node[1], set()).add(label)
            alias = name_key(text)
            if alias != node[1]:
                self.alias_of.setdefault((label, alias), set()).add(node[1])
        name = self._name(node)
        name.spellings[canonical if label != MONEY else text] += 1
        name.surfaces[text] += 1
        name.mentions += 1
        name.docs.add(self._doc(record["doc_id"]))
        if label == MONEY and name.value is None and isinstance(record.get("value"), dict):
            name.value = record["value"]

    def add_triple(self, record: dict[str, Any]) -> None:
        missing = _missing(record, ("doc_id", "subject", "subject_type", "relation", "object", "object_type"))
        if missing:
            self.problems.add(f"triples.jsonl: a triple without {', '.join(missing)}, skipped")
            return
        doc = self._doc(record["doc_id"])
        subject = self._endpoint(record["subject_type"], record["subject"], None, doc)
        obj = self._endpoint(record["object_type"], record["object"], record.get("object_value"), doc)
        fact = self.facts.setdefault((subject, record["relation"], obj), _Fact())
        confidence = _number(record.get("confidence"))
        confidence = min(max(confidence if confidence is not None else 0.0, 0.0), 1.0)
        fact.confidence[doc] = max(fact.confidence.get(doc, 0.0), confidence)
        evidence = record.get("evidence") if isinstance(record.get("evidence"), dict) else {}
        qualifiers = record.get("qualifiers") if isinstance(record.get("qualifiers"), dict) else {}
        text = evidence.get("text") if isinstance(evidence.get("text"), str) else None
        fact.evidence.append(_Said(doc, _int(evidence.get("start")), _int(evidence.get("end")), text,
                                   confidence, qualifiers))

    def _endpoint(self, type_: str, text: str, value: Any, doc: int) -> NodeKey:
        if type_ == MONEY:
            key = money_key(value, text)
            node = (type_, self.money_by_text.get(key, key) if key == name_key(text) else key)
        else:
            key = name_key(text)
            known = self.entity_types.get(key, set())
            if type_ not in known and len(known) == 1:
                type_ = next(iter(known))
            node = (type_, key)
        name = self._name(node)
        name.spellings[text] += 1
        name.docs.add(doc)
        if type_ == MONEY and name.value is None and isinstance(value, dict):
            name.value = value
        return node

    # --- merging -----------------------------------------------------------------------------

    def roots(self) -> dict[NodeKey, NodeKey]:
        """Each (type, key) mapped to the (type, key) that names its merged node."""
        target: dict[NodeKey, NodeKey] = {}
        for (type_, alias), canonicals in self.alias_of.items():
            if (type_, alias) in self.names and len(canonicals) == 1 and len(alias) >= MIN_ALIAS_CHARS:
                target[(type_, alias)] = (type_, next(iter(canonicals)))
        groups: dict[NodeKey, list[NodeKey]] = {}
        for node in self.names:
            groups.setdefault(self._end_of_chain(node, target), []).append(node)
        root_of: dict[NodeKey, NodeKey] = {}
        for members in groups.values():
            root = self._pick_root(members, target)
            root_of.update((member, root) for member in members)
        return root_of

    @staticmethod
    def _end_of_chain(node: NodeKey, target: dict[NodeKey, NodeKey]) -> NodeKey:
        """Follow alias links to a node that is nobody's alias, or the least node of a cycle."""
        seen: list[NodeKey] = []
        while node in target and node not in seen:
            seen.append(node)
            node = target[node]
        return min(seen[seen.index(node):]) if node in seen else node

    def _pick_root(self, members: list[NodeKey], target: dict[NodeKey, NodeKey]) -> NodeKey:
        heads = [m for m in members if m not in target] or members
        return min(heads, key=lambda m: (-len(self.names[m].docs), -self.names[m].mentions, -len(m[1]), m))

    # --- tables ------------------------------------------------------------------------------

    def tables(self, times: dict[int, str]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        """Nodes, edges and evidence; consumes the facts, which then live on in the tables."""
        root_of = self.roots()
        nodes = self._node_rows(root_of)
        edges, evidence = self._edge_rows(root_of, nodes, times)
        edges = edges.sort_values(["subject_id", "relation", "object_id"], kind="stable", ignore_index=True)
        evidence = evidence.sort_values(["triple_id", "published", "doc_id", "start"], kind="stable",
                                        ignore_index=True)
        return (pd.DataFrame(list(nodes.values()), columns=NODE_COLUMNS).astype({"amount": float, "upper": float}),
                edges.astype({"object_amount": float}), evidence)

    def _node_rows(self, root_of: dict[NodeKey, NodeKey]) -> dict[NodeKey, dict[str, Any]]:
        members: dict[NodeKey, list[NodeKey]] = {}
        for member, root in root_of.items():
            members.setdefault(root, []).append(member)
        rows = {}
        for root in sorted(members):
            rows[root] = self._node_row(root, [self.names[m] for m in members[root]])
        return rows

    def _node_row(self, root: NodeKey, parts: list[_Name]) -> dict[str, Any]:
        type_, key = root
        name = self.names[root].spellings.most_common(1)[0][0]
        forms: Counter = Counter()
        docs: set[int] = set()
        for part in parts:
            forms.update(part.spellings)
            forms.update(part.surfaces)
            docs |= part.docs
        aliases = sorted((form for form in forms if form != name), key=lambda f: (-forms[f], f))
        value = self.names[root].value or {}
        return {"id": f"{type_}:{key}", "type": type_, "name": name, "aliases": aliases,
                "mentions": sum(part.mentions for part in parts), "documents": len(docs),
                "amount": _number(value.get("amount")), "currency": value.get("currency"),
                "upper": _number(value.get("upper"))}

    def _edge_rows(self, root_of: dict[NodeKey, NodeKey], nodes: dict[NodeKey, dict[str, Any]],
                   times: dict[int, str]) -> tuple[pd.DataFrame, pd.DataFrame]:
        merged: dict[FactKey, _Fact] = {}
        while self.facts:
            (subject, relation, obj), fact = self.facts.popitem()
            key = (root_of[subject], relation, root_of[obj])
            into = merged.get(key)
            if into is None:
                merged[key] = fact
                continue
            for doc, confidence in fact.confidence.items():
                into.confidence[doc] = max(into.confidence.get(doc, 0.0), confidence)
            into.evidence.extend(fact.evidence)
        edges, evidence = _Columns(EDGE_COLUMNS), _Columns(EVIDENCE_COLUMNS)
        while merged:
            (subject, relation, obj), fact = merged.popitem()
            edge = _edge_row(nodes[subject], relation, nodes[obj], fact, times, self.doc_ids)
            edges.add(edge)
            for item in fact.evidence:
                evidence.add(_evidence_row(edge["id"], item, times, self.doc_ids))
        return edges.frame(), evidence.frame()


class _Columns:
    """A table gathered column by column: a list of row dicts would double the peak memory."""

    def __init__(self, columns: list[str]) -> None:
        self.columns: dict[str, list[Any]] = {name: [] for name in columns}

    def add(self, row: dict[str, Any]) -> None:
        for name, values in self.columns.items():
            values.append(row[name])

    def frame(self) -> pd.DataFrame:
        if not next(iter(self.columns.values())):
            return pd.DataFrame(columns=list(self.columns), dtype=object)  # not float: no rows to infer from
        return pd.DataFrame(self.columns)


NODE_COLUMNS = ["id", "type", "name", "aliases", "mentions", "documents", "amount", "currency", "upper"]
EDGE_COLUMNS = ["id", "subject_id", "subject", "subject_type", "relation", "object_id", "object",
                "object_type", "object_amount", "object_currency", "support", "confidence",
                "first_published", "last_published", "qualifiers", "doc_ids"]
EVIDENCE_COLUMNS = ["triple_id", "doc_id", "published", "start", "end", "text", "confidence", "qualifiers"]


def noisy_or(confidences: Iterable[float]) -> float:
    """1 - prod(1 - c), capped: the chance that at least one independent statement is right."""
    miss = 1.0
    for confidence in confidences:
        miss *= 1.0 - confidence
    return round(min(1.0 - miss, CONFIDENCE_CAP), 6)


def merge_qualifiers(evidence: list[_Said]) -> dict[str, list[Any]]:
    """Every value each qualifier took in any document, in order of first appearance."""
    merged: dict[str, list[Any]] = {}
    for item in evidence:
        for name, value in item.qualifiers.items():
            values = merged.setdefault(name, [])
            for one in value if isinstance(value, list) else [value]:
                if one not in values:
                    values.append(one)
    return merged


def _json_object(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True) if value else "{}"


def _edge_row(subject: dict[str, Any], relation: str, obj: dict[str, Any], fact: _Fact,
              times: dict[int, str], doc_ids: list[str]) -> dict[str, Any]:
    published = sorted(times[doc] for doc in fact.confidence if doc in times)
    return {"id": triple_id(subject["id"], relation, obj["id"]),
            "subject_id": subject["id"], "subject": subject["name"], "subject_type": subject["type"],
            "relation": relation,
            "object_id": obj["id"], "object": obj["name"], "object_type": obj["type"],
            "object_amount": obj["amount"], "object_currency": obj["currency"],
            "support": len(fact.confidence), "confidence": noisy_or(fact.confidence.values()),
            "first_published": published[0] if published else None,
            "last_published": published[-1] if published else None,
            "qualifiers": _json_object(merge_qualifiers(fact.evidence)),
            "doc_ids": sorted(doc_ids[doc] for doc in fact.confidence)}


def _evidence_row(edge_id: str, item: _Said, times: dict[int, str], doc_ids: list[str]) -> dict[str, Any]:
    return {"triple_id": edge_id, "doc_id": doc_ids[item.doc], "published": times.get(item.doc),
            "start": item.start, "end": item.end, "text": item.text,
            "confidence": item.confidence, "qualifiers": _json_object(item.qualifiers)}


@dataclass
class Knowledge:
    """The merged graph of a run: node, edge and evidence tables, and what was skipped."""

    nodes: pd.DataFrame
    edges: pd.DataFrame
    evidence: pd.DataFrame
    problems: Problems


def aggregate(out_dir: Path) -> Knowledge:
    """Merge a run's entities and triples across documents (see the module docstring)."""
    out_dir = check_run_dir(out_dir)
    problems = Problems()
    aggregator = _Aggregator(problems)
    for record in iter_jsonl(out_dir / "entities.jsonl", problems):
        aggregator.add_entity(record)
    for record in iter_jsonl(out_dir / "triples.jsonl", problems):
        aggregator.add_triple(record)
    times = {}
    for record in iter_jsonl(out_dir / "documents.jsonl", problems):
        doc_id = record.get("doc_id")
        doc = aggregator.doc_index.get(doc_id) if isinstance(doc_id, str) else None
        published = publication_time(record.get("publish_time")) if doc is not None else None
        if published is not None:
            times[doc] = published
    nodes, edges, evidence = aggregator.tables(times)
    return Knowledge(nodes, edges, evidence, problems)


# --- the analysts' API -----------------------------------------------------------------------

def _document_row(record: dict[str, Any], with_text: bool) -> dict[str, Any]:
    row = {k: v for k, v in record.items() if with_text or k != "text"}
    row["published"] = publication_time(record.get("publish_time"))
    return row


def _entity_row(record: dict[str, Any]) -> dict[str, Any]:
    row = {k: v for k, v in record.items() if k != "value"}
    value = record.get("value") if isinstance(record.get("value"), dict) else {}
    row["amount"], row["currency"] = _number(value.get("amount")), value.get("currency")
    return row


def _triple_row(record: dict[str, Any]) -> dict[str, Any]:
    row = {k: v for k, v in record.items() if k not in ("evidence", "object_value")}
    evidence = record.get("evidence") if isinstance(record.get("evidence"), dict) else {}
    for part in ("start", "end", "text"):
        row[f"evidence_{part}"] = evidence.get(part)
    value = record.get("object_value") if isinstance(record.get("object_value"), dict) else {}
    row["object_amount"], row["object_currency"] = _number(value.get("amount")), value.get("currency")
    return row


class RunOutputs:
    """A run's outputs as pandas DataFrames, each read on first use.

    Per document, as ``zhie run`` wrote them: ``documents`` (without ``text`` unless
    ``with_text``; ``published`` is the normalized ``publish_time``), ``entities`` (one row per
    mention, MONEY ``value`` as ``amount`` / ``currency``), ``triples`` (``evidence`` as
    ``evidence_start`` / ``evidence_end`` / ``evidence_text``).  Merged across documents:
    ``nodes``, ``edges`` and ``evidence`` (see :func:`aggregate`).
    """

    def __init__(self, out_dir: Path, with_text: bool = False) -> None:
        self.out_dir = check_run_dir(Path(out_dir))
        self.with_text = with_text
        self.problems = Problems()

    def _table(self, name: str, row: Callable[[dict[str, Any]], dict[str, Any]]) -> pd.DataFrame:
        return pd.DataFrame([row(r) for r in iter_jsonl(self.out_dir / f"{name}.jsonl", self.problems)])

    @cached_property
    def documents(self) -> pd.DataFrame:
        return self._table("documents", lambda r: _document_row(r, self.with_text))

    @cached_property
    def entities(self) -> pd.DataFrame:
        return self._table("entities", _entity_row)

    @cached_property
    def triples(self) -> pd.DataFrame:
        return self._table("triples", _triple_row)

    @cached_property
    def knowledge(self) -> Knowledge:
        return aggregate(self.out_dir)

    @property
    def nodes(self) -> pd.DataFrame:
        return self.knowledge.nodes

    @property
    def edges(self) -> pd.DataFrame:
        return self.knowledge.edges

    @property
    def evidence(self) -> pd.DataFrame:
        return self.knowledge.evidence

    def text(self, doc_id: str) -> str | None:
        """One document's cleaned text, read from documents.jsonl when asked for."""
        for record in iter_jsonl(self.out_dir / "documents.jsonl", self.problems):
            if record.get("doc_id") == doc_id:
                return record.get("text")
        return None


def load(out_dir: str | Path, with_text: bool = False) -> RunOutputs:
    """The outputs of ``zhie run -o OUT_DIR`` for analysis in pandas."""
    return RunOutputs(Path(out_dir), with_text=with_text)
