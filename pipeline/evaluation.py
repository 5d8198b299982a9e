"""Scoring zhie's outputs against gold data: ``zhie eval ner`` and ``zhie eval triples``.

Every later change is judged by these numbers, so the rules are EXTRACTION.md's, spelled out:
names compare after NFKC, lower-casing and removing spaces and punctuation; duplicate
predictions count once; a gold item matches at most one prediction (a maximum matching, so the
order of the files never changes a score).  Gold comes as the span / triple JSONL of
``../shared/data`` or as the project's document-level ``corpus/gold.jsonl``; predictions are a
``zhie run`` output directory joined to the gold by document id.
"""
from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from .money import parse_amount

MAPS_PATH = Path(__file__).parent / "rules" / "evaluation_label_maps.tsv"
NER_DATASETS = ("msra", "cluener2020", "boson", "weibo", "resume", "peoples_daily")
TRIPLE_DATASETS = ("duee", "duee_fin", "finre", "duie", "corpus")
DEFAULT_RELATION_SET = "corpus"  # the contract's relations
VALUE_TOLERANCE = 0.005  # amounts within 0.5 % are the same amount
EVIDENCE_WHOLE = 300  # gold texts up to this long are a miss's evidence as they are
EVIDENCE_MARGIN = 80  # otherwise this many characters around the subject and object


class EvaluationError(Exception):
    """Input the scorer cannot work with at all (missing file, no usable gold)."""


# --- names ------------------------------------------------------------------------------------

def normalize(text: str) -> str:
    """NFKC, lower case, without whitespace, punctuation (any Unicode P* category: · - 《》 ，)
    and invisible format characters, so that "Sam Altman" = "SamAltman"."""
    folded = unicodedata.normalize("NFKC", text).lower()
    return "".join(ch for ch in folded if not _dropped(ch))


def _dropped(ch: str) -> bool:
    category = unicodedata.category(ch)
    return category[0] in "PZ" or category in ("Cc", "Cf")


# --- counts -----------------------------------------------------------------------------------

@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, tp: int = 0, fp: int = 0, fn: int = 0) -> None:
        self.tp += tp
        self.fp += fp
        self.fn += fn

    @property
    def p(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def r(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        return 2 * self.p * self.r / (self.p + self.r) if self.p + self.r else 0.0

    def to_json(self) -> dict[str, float | int]:
        return {"p": round(self.p, 4), "r": round(self.r, 4), "f1": round(self.f1, 4),
                "tp": self.tp, "fp": self.fp, "fn": self.fn}


Table = dict[str, Counts]  # label or relation -> counts


def table_json(table: Table, key: str = "per_label") -> dict[str, Any]:
    micro = Counts()
    for counts in table.values():
        micro.add(counts.tp, counts.fp, counts.fn)
    return {"micro": micro.to_json(), key: {name: table[name].to_json() for name in sorted(table)}}


def _new_table(labels: Iterable[str]) -> Table:
    return {label: Counts() for label in labels}


# --- money values -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Value:
    amount: float
    currency: str
    upper: float | None = None

    @classmethod
    def from_json(cls, data: Any) -> Value | None:
        if not isinstance(data, dict):
            return None
        amount, currency, upper = data.get("amount"), data.get("currency"), data.get("upper")
        if not _is_number(amount) or not isinstance(currency, str):
            return None
        return cls(float(amount), currency.upper(), float(upper) if _is_number(upper) else None)

    def matches(self, pred: Value | None, check_upper: bool = False) -> bool:
        """Same currency and amount within 0.5 % (and the range's upper bound, when asked)."""
        if pred is None or pred.currency != self.currency or not _close(self.amount, pred.amount):
            return False
        return not check_upper or self.upper is None or (
            pred.upper is not None and _close(self.upper, pred.upper))


def _is_number(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _close(gold: float, pred: float) -> bool:
    return abs(pred - gold) <= VALUE_TOLERANCE * abs(gold)


def _money_value(text: str) -> tuple[float, str] | None:
    """A gold amount text ("1.01亿美元") read by the money stage's parser: DuEE gold objects
    are texts without values."""
    parsed = parse_amount(text)
    if parsed is None or not _is_number(parsed.get("amount")) or not isinstance(parsed.get("currency"), str):
        return None
    return float(parsed["amount"]), str(parsed["currency"])


def _gold_text_value(text: str) -> Value | None:
    parsed = _money_value(text)
    return Value(parsed[0], parsed[1].upper()) if parsed else None


# --- maps (pipeline/rules/evaluation_label_maps.tsv) -----------------------------------------

@dataclass(frozen=True)
class RelationSet:
    """How a dataset's gold triples read as ours: renames, swapped directions, tiers scored."""

    renames: dict[str, str]
    inverted: frozenset[str]
    tiers: frozenset[str] | None

    @property
    def relations(self) -> frozenset[str]:
        return frozenset(self.renames.values())


@dataclass(frozen=True)
class Maps:
    families: dict[str, str]
    ner: dict[str, dict[str, str]]
    triples: dict[str, RelationSet]

    def family(self, label: str) -> str:
        return self.families.get(label, label)


@cache
def load_maps(path: Path = MAPS_PATH) -> Maps:
    families: dict[str, str] = {}
    ner: dict[str, dict[str, str]] = defaultdict(dict)
    renames: dict[str, dict[str, str]] = defaultdict(dict)
    inverted: dict[str, set[str]] = defaultdict(set)
    tiers: dict[str, set[str]] = defaultdict(set)
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, *cells = line.split("\t")
        if kind == "family":
            families[cells[0]] = cells[1]
        elif kind == "ner":
            ner[cells[0]][cells[1]] = cells[2]
        elif kind == "relation":
            renames[cells[0]][cells[1]] = cells[2]
            if cells[3:] == ["inverted"]:
                inverted[cells[0]].add(cells[1])
        elif kind == "tier":
            tiers[cells[0]].add(cells[1])
    triples = {name: RelationSet(dict(rel), frozenset(inverted[name]),
                                 frozenset(tiers[name]) if name in tiers else None)
               for name, rel in renames.items()}
    return Maps(families, dict(ner), triples)


# --- reading ----------------------------------------------------------------------------------

def read_jsonl(path: Path, warnings: list[str]) -> Iterator[dict[str, Any]]:
    """JSON objects, one a line; bad lines are skipped and counted in ``warnings``."""
    bad = 0
    with open(path, encoding="utf-8-sig") as handle:
        for line in handle:
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError:
                bad += 1
                continue
            if isinstance(record, dict):
                yield record
            else:
                bad += 1
    if bad:
        warnings.append(f"{path}: {bad} lines are not JSON objects and were skipped")


def _output_file(pred_dir: Path, name: str) -> Path:
    path = pred_dir / name
    if not path.is_file():
        raise EvaluationError(f"{pred_dir} has no {name}: is it a `zhie run` output directory?")
    return path


def _pred_dir(path: str | Path) -> Path:
    """The output directory, also when the user names one of its files."""
    path = Path(path)
    return path.parent if path.is_file() else path


def _document_texts(pred_dir: Path, warnings: list[str]) -> dict[str, str]:
    path = pred_dir / "documents.jsonl"
    if not path.is_file():
        return {}
    return {str(r["doc_id"]): r["text"] for r in read_jsonl(path, warnings)
            if "doc_id" in r and isinstance(r.get("text"), str)}


# --- gold -------------------------------------------------------------------------------------

@dataclass
class GoldSpan:
    start: int
    end: int
    label: str
    text: str


@dataclass
class GoldEntity:
    """One real-world entity of a document: its label and every surface form (normalized)."""

    label: str
    canonical: str
    forms: frozenset[str]


@dataclass
class GoldTriple:
    relation: str
    subject: str
    object: str
    subject_forms: frozenset[str]
    object_forms: frozenset[str]
    object_value: Value | None = None
    offsets: list[tuple[int, int]] = field(default_factory=list)  # subject/object spans in text
    in_title: bool = False


@dataclass
class GoldDoc:
    doc_id: str
    text: str | None = None
    title: str | None = None
    join_by_text: bool = False  # gold without ids (FinRE): predictions join through their text
    spans: list[GoldSpan] = field(default_factory=list)
    entities: list[GoldEntity] = field(default_factory=list)
    money: list[tuple[str, Value | None]] | None = None
    triples: list[GoldTriple] = field(default_factory=list)


def gold_format(record: dict[str, Any]) -> str:
    """spans (NER JSONL), triples (converted RE JSONL), finre (one pair a line) or corpus."""
    if "head" in record and "tail" in record:
        return "finre"
    if "doc_id" in record and "id" not in record:
        return "corpus"
    if "triples" in record:
        return "triples"
    if "entities" in record:
        return "spans"
    return "unknown"


def load_gold(path: str | Path, accepted: tuple[str, ...], warnings: list[str]) -> tuple[str, list[dict]]:
    """The gold records of the file's main format; records of another format are skipped."""
    path = Path(path)
    if not path.is_file():
        raise EvaluationError(f"gold file {path} does not exist")
    records = list(read_jsonl(path, warnings))
    formats = Counter(gold_format(r) for r in records)
    usable = [f for f in formats if f in accepted]
    if not usable:
        raise EvaluationError(f"{path}: no gold records of a known format ({', '.join(accepted)})")
    fmt = max(usable, key=lambda f: formats[f])
    skipped = len(records) - formats[fmt]
    if skipped:
        warnings.append(f"{path}: {skipped} records not in the {fmt} gold format were skipped")
    return fmt, [r for r in records if gold_format(r) == fmt]


def _objects(record: dict[str, Any], key: str) -> list[dict[str, Any]]:
    """The record's list of annotations under ``key``, without anything that is not an object."""
    items = record.get(key)
    return [x for x in items if isinstance(x, dict)] if isinstance(items, list) else []


def _record_id(record: dict[str, Any]) -> str:
    return str(record.get("doc_id", record.get("id")))


def _corpus_entities(record: dict[str, Any]) -> list[GoldEntity]:
    out = []
    for ent in _objects(record, "entities"):
        canonical = str(ent.get("canonical") or "")
        names = [canonical, *(str(m) for m in ent.get("mentions") or [])]
        forms = frozenset(n for n in map(normalize, names) if n)
        if forms and ent.get("label"):
            out.append(GoldEntity(str(ent["label"]), canonical, forms))
    return out


def _corpus_money(record: dict[str, Any]) -> list[tuple[str, Value | None]]:
    return [(normalize(str(m.get("text", ""))), Value.from_json(m)) for m in _objects(record, "money")]


def ner_gold(fmt: str, records: list[dict], label_map: dict[str, str] | None) -> dict[str, GoldDoc]:
    docs: dict[str, GoldDoc] = {}
    for record in records:
        doc = GoldDoc(_record_id(record), text=record.get("text"))
        if fmt == "corpus":
            doc.entities = _corpus_entities(record)
            doc.money = _corpus_money(record)
        else:
            doc.spans = [span for e in _objects(record, "entities") if (span := _gold_span(e, label_map))]
        docs[doc.doc_id] = doc
    return docs


def _gold_span(entity: dict[str, Any], label_map: dict[str, str] | None) -> GoldSpan | None:
    label = entity.get("label")
    if label_map is not None:
        label = label_map.get(label)
    if not label or not isinstance(entity.get("start"), int) or not isinstance(entity.get("end"), int):
        return None
    return GoldSpan(entity["start"], entity["end"], label, str(entity.get("text", "")))


def triple_gold(fmt: str, records: list[dict], rules: RelationSet, path: Path) -> dict[str, GoldDoc]:
    if fmt == "finre":
        return _finre_gold(records, rules, path)
    docs: dict[str, GoldDoc] = {}
    for record in records:
        doc = GoldDoc(_record_id(record), text=record.get("text"), title=record.get("title"))
        forms = _surface_forms(_corpus_entities(record)) if fmt == "corpus" else {}
        for raw in _objects(record, "triples"):
            triple = _gold_triple(raw, rules, forms)
            if triple:
                doc.triples.append(triple)
        docs[doc.doc_id] = doc
    return docs


def _surface_forms(entities: list[GoldEntity]) -> dict[str, frozenset[str]]:
    """Corpus gold: a triple names an entity (by its canonical, or another of its forms) and
    matches any of the entity's forms."""
    forms: dict[str, frozenset[str]] = {normalize(e.canonical): e.forms for e in entities}
    for entity in entities:
        for form in entity.forms:
            forms.setdefault(form, entity.forms)
    return forms


def _gold_triple(raw: dict[str, Any], rules: RelationSet,
                 forms: dict[str, frozenset[str]]) -> GoldTriple | None:
    relation = raw.get("relation")
    if relation not in rules.renames or (rules.tiers and raw.get("tier") not in rules.tiers):
        return None
    subject, obj = str(raw.get("subject") or ""), str(raw.get("object") or "")
    if not normalize(subject) or not normalize(obj):
        return None
    value = Value.from_json(raw.get("object_value"))
    if value is None and raw.get("object_type") == "MONEY":
        value = _gold_text_value(obj)
    offsets = [(start, start + len(name)) for start, name in
               ((raw.get("subject_start"), subject), (raw.get("object_start"), obj)) if isinstance(start, int)]
    in_title = "title" in (raw.get("subject_found_in"), raw.get("object_found_in"))
    triple = GoldTriple(rules.renames[relation], subject, obj,
                        forms.get(normalize(subject), frozenset({normalize(subject)})),
                        forms.get(normalize(obj), frozenset({normalize(obj)})),
                        value, offsets, in_title)
    if relation in rules.inverted:
        triple.subject, triple.object = triple.object, triple.subject
        triple.subject_forms, triple.object_forms = triple.object_forms, triple.subject_forms
    return triple


def _finre_gold(records: list[dict], rules: RelationSet, path: Path) -> dict[str, GoldDoc]:
    """FinRE has one line per entity pair and no ids: one gold document per distinct sentence,
    joined to the predictions through the text (``zhie run`` numbers the lines itself)."""
    docs: dict[str, GoldDoc] = {}
    by_text: dict[str, GoldDoc] = {}
    for line, record in enumerate(records, 1):
        text = str(record.get("text", ""))
        doc = by_text.get(text)
        if doc is None:
            doc = by_text[text] = GoldDoc(f"{path.name}#{line}", text=text, join_by_text=True)
            docs[doc.doc_id] = doc
        project = record.get("project_triple")
        triple = _gold_triple(project, rules, {}) if isinstance(project, dict) else None
        if triple and not any(_same_gold(triple, t) for t in doc.triples):
            doc.triples.append(triple)
    return docs


def _same_gold(a: GoldTriple, b: GoldTriple) -> bool:
    """The same fact: relation and the entities named (through any of their forms)."""
    return (a.relation, a.subject_forms, a.object_forms) == (b.relation, b.subject_forms, b.object_forms)


# --- predictions ------------------------------------------------------------------------------

@dataclass
class Joined:
    """Predictions of one kind per gold document, and what could not be joined."""

    by_doc: dict[str, list[dict]]
    unmatched_docs: int


def join_predictions(gold: dict[str, GoldDoc], pred_dir: Path, name: str, warnings: list[str]) -> Joined:
    rows: dict[str, list[dict]] = defaultdict(list)
    for row in read_jsonl(_output_file(pred_dir, name), warnings):
        if "doc_id" in row:
            rows[str(row["doc_id"])].append(row)
    by_doc: dict[str, list[dict]] = defaultdict(list)
    unknown = []
    for doc_id, doc_rows in rows.items():
        if doc_id in gold and not gold[doc_id].join_by_text:
            by_doc[doc_id].extend(doc_rows)
        else:
            unknown.append(doc_id)
    if unknown and any(d.join_by_text for d in gold.values()):
        unknown = _join_by_text(gold, rows, unknown, by_doc, _document_texts(pred_dir, warnings))
    if unknown:
        warnings.append(f"{len(unknown)} predicted documents are not in the gold and were ignored")
    return Joined(dict(by_doc), len(unknown))


def _join_by_text(gold: dict[str, GoldDoc], rows: dict[str, list[dict]], unknown: list[str],
                  by_doc: dict[str, list[dict]], texts: dict[str, str]) -> list[str]:
    keys = {normalize(d.text or ""): d.doc_id for d in gold.values() if d.join_by_text}
    left = []
    for doc_id in unknown:
        key = keys.get(normalize(texts.get(doc_id, "")))
        if key:
            by_doc[key].extend(rows[doc_id])
        else:
            left.append(doc_id)
    return left


def _documents_summary(gold: dict[str, GoldDoc], joined: Joined) -> dict[str, int]:
    return {"gold": len(gold), "with_predictions": sum(1 for d in gold if joined.by_doc.get(d)),
            "predicted_not_in_gold": joined.unmatched_docs}


# --- NER --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class LabelView:
    """Which label a gold or predicted label scores as: exact labels, or label families.
    A predicted label outside the gold's labels (MONEY, LOC) scores as nothing."""

    transform: Callable[[str], str]
    scope: frozenset[str]

    def __call__(self, label: str) -> str | None:
        label = self.transform(label)
        return label if label in self.scope else None


def _views(gold_labels: set[str], maps: Maps) -> dict[str, LabelView]:
    def keep(label: str) -> str:  # a predicted COMPANY scores as ORG* when the gold folds them
        return label if label in gold_labels else maps.family(label)

    families = frozenset(maps.family(label) for label in gold_labels)
    return {"labels": LabelView(keep, frozenset(gold_labels)), "families": LabelView(maps.family, families)}


def _compare(gold: Counter, pred: Counter, table: Table) -> None:
    """Multiset comparison of (item, label) keys, counted per label."""
    for key in gold.keys() | pred.keys():
        tp = min(gold[key], pred[key])
        table.setdefault(key[-1], Counts()).add(tp, pred[key] - tp, gold[key] - tp)


def _span_tables(gold: dict[str, GoldDoc], preds: dict[str, list[dict]], view: LabelView) -> dict[str, Table]:
    exact, text = _new_table(view.scope), _new_table(view.scope)
    for doc_id, doc in gold.items():
        pred_spans = [(r, label) for r in preds.get(doc_id, []) if (label := view(str(r.get("label"))))]
        gold_spans = [(s, view(s.label)) for s in doc.spans]
        _compare(Counter({(s.start, s.end, label) for s, label in gold_spans}),
                 Counter({(r.get("start"), r.get("end"), label) for r, label in pred_spans}), exact)
        _compare(Counter((normalize(s.text), label) for s, label in gold_spans),
                 Counter((normalize(str(r.get("text", ""))), label) for r, label in pred_spans), text)
    return {"exact": exact, "text": text}


def _entity_table(gold: dict[str, GoldDoc], preds: dict[str, list[dict]], view: LabelView) -> Table:
    """Per document: a gold entity is found when a predicted group (one canonical, one label)
    shares a surface form with it; a group that shares none is a false positive."""
    table = _new_table(view.scope)
    for doc_id, doc in gold.items():
        groups = _predicted_groups(preds.get(doc_id, []), view)
        matched: set[tuple[str, str]] = set()
        for entity in doc.entities:
            label = view(entity.label)
            if label is None:
                continue
            hits = {key for key, forms in groups.items() if key[1] == label and forms & entity.forms}
            matched |= hits
            table[label].add(tp=1 if hits else 0, fn=0 if hits else 1)
        for key in groups.keys() - matched:
            table[key[1]].add(fp=1)
    return table


def _predicted_groups(rows: list[dict], view: LabelView) -> dict[tuple[str, str], set[str]]:
    groups: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in rows:
        label = view(str(row.get("label")))
        text = normalize(str(row.get("text", "")))
        canonical = normalize(str(row.get("canonical") or "")) or text
        if label and canonical:
            groups[(canonical, label)] |= {canonical, text} - {""}
    return groups


def _money_score(gold: dict[str, GoldDoc], preds: dict[str, list[dict]]) -> dict[str, Any]:
    """MONEY mentions per document as a multiset of texts; of the matched ones, the share whose
    predicted value is the gold value (the range's upper bound too)."""
    counts, correct = Counts(), 0
    for doc_id, doc in gold.items():
        pred = [(normalize(str(r.get("text", ""))), Value.from_json(r.get("value")))
                for r in preds.get(doc_id, []) if r.get("label") == "MONEY"]
        gold_texts, pred_texts = Counter(t for t, _ in doc.money or []), Counter(t for t, _ in pred)
        for text in gold_texts.keys() | pred_texts.keys():
            tp = min(gold_texts[text], pred_texts[text])
            counts.add(tp, pred_texts[text] - tp, gold_texts[text] - tp)
            golds = [v for t, v in doc.money or [] if t == text]
            correct += min(tp, _value_pairs(golds, [v for t, v in pred if t == text]))
    accuracy = correct / counts.tp if counts.tp else 0.0
    return {"micro": counts.to_json(), "value_correct": correct, "value_accuracy": round(accuracy, 4)}


def _value_pairs(golds: list[Value | None], preds: list[Value | None]) -> int:
    edges = [[j for j, p in enumerate(preds) if g is not None and g.matches(p, check_upper=True)] for g in golds]
    return len(max_matching(edges))


def score_ner(gold_path: str | Path, pred_dir: str | Path, dataset: str | None = None) -> dict[str, Any]:
    """NER scores of a ``zhie run`` output against span JSONL (exact span and text multiset,
    per label and per family) or corpus gold (per-document entities and MONEY)."""
    maps, warnings = load_maps(), []
    if dataset is not None and dataset not in maps.ner:
        raise EvaluationError(f"unknown NER dataset {dataset!r}; known: {', '.join(sorted(maps.ner))}")
    fmt, records = load_gold(gold_path, ("spans", "corpus"), warnings)
    gold = ner_gold(fmt, records, maps.ner[dataset] if dataset and fmt == "spans" else None)
    pred_dir = _pred_dir(pred_dir)
    joined = join_predictions(gold, pred_dir, "entities.jsonl", warnings)
    labels = {s.label for d in gold.values() for s in d.spans} | {e.label for d in gold.values() for e in d.entities}
    if dataset is not None and fmt == "spans":
        labels = set(maps.ner[dataset].values())
    _warn_foreign_labels(labels, maps, warnings)
    views = _views(labels, maps)
    result: dict[str, Any] = {"kind": "ner", "format": fmt, "dataset": dataset, "gold": str(gold_path),
                              "pred": str(pred_dir), "documents": _documents_summary(gold, joined)}
    if fmt == "spans":
        tables = {name: _span_tables(gold, joined.by_doc, view) for name, view in views.items()}
        for match in ("exact", "text"):
            result[match] = {name: table_json(tables[name][match]) for name in views}
        _warn_text_mismatch(gold, pred_dir, warnings)
    else:
        result["entities"] = {name: table_json(_entity_table(gold, joined.by_doc, view))
                              for name, view in views.items()}
        result["money"] = _money_score(gold, joined.by_doc)
    result["warnings"] = warnings
    return result


def _warn_foreign_labels(labels: set[str], maps: Maps, warnings: list[str]) -> None:
    if labels and not labels & set(maps.families):
        warnings.append(f"none of the gold labels ({', '.join(sorted(labels))}) is a zhie label: "
                        f"pass --dataset to map them ({', '.join(sorted(maps.ner))})")


def _warn_text_mismatch(gold: dict[str, GoldDoc], pred_dir: Path, warnings: list[str]) -> None:
    """Exact spans need the cleaned text to be the gold text; say when it is not."""
    texts = _document_texts(pred_dir, warnings)
    differ = sum(1 for d in gold.values() if d.doc_id in texts and texts[d.doc_id] != d.text)
    if differ:
        warnings.append(f"{differ} documents' cleaned text differs from the gold text: their exact-span "
                        "offsets may not line up (the text-multiset scores do not depend on offsets)")


# --- triples ----------------------------------------------------------------------------------

@dataclass
class PredTriple:
    doc_id: str
    relation: str
    subject: str
    object: str
    object_value: Value | None
    evidence: str
    confidence: Any = None

    @cached_property
    def key(self) -> tuple[str, str, str]:
        return (self.relation, normalize(self.subject), normalize(self.object))


def _pred_triples(doc_id: str, rows: list[dict], relations: frozenset[str]) -> list[PredTriple]:
    """A document's predicted triples in the scored relations, duplicates (same normalized
    subject, relation and object) once."""
    seen: dict[tuple[str, str, str], PredTriple] = {}
    for row in rows:
        evidence = row.get("evidence") if isinstance(row.get("evidence"), dict) else {}
        triple = PredTriple(doc_id, str(row.get("relation")), str(row.get("subject") or ""),
                            str(row.get("object") or ""), Value.from_json(row.get("object_value")),
                            str(evidence.get("text", "")), row.get("confidence"))
        if triple.relation in relations and triple.key[1] and triple.key[2]:
            seen.setdefault(triple.key, triple)
    return list(seen.values())


def _same_name(forms: frozenset[str], pred: str, relaxed: bool) -> bool:
    if pred in forms:
        return True
    return relaxed and any(form in pred or pred in form for form in forms)


def triple_matches(gold: GoldTriple, pred: PredTriple, relaxed: bool = False) -> bool:
    """Same relation, subject one of the gold's forms, object one of its forms or (MONEY) the
    same value; relaxed also takes either name containing the other."""
    if gold.relation != pred.relation:
        return False
    _, subject, obj = pred.key
    same_object = _same_name(gold.object_forms, obj, relaxed) or (
        gold.object_value is not None and gold.object_value.matches(pred.object_value))
    return same_object and _same_name(gold.subject_forms, subject, relaxed)


def max_matching(edges: list[list[int]]) -> dict[int, int]:
    """Maximum bipartite matching (augmenting paths): left index -> right index."""
    owner: dict[int, int] = {}

    def augment(left: int, seen: set[int]) -> bool:
        for right in edges[left]:
            if right not in seen:
                seen.add(right)
                if right not in owner or augment(owner[right], seen):
                    owner[right] = left
                    return True
        return False

    for left in range(len(edges)):
        augment(left, set())
    return {left: right for right, left in owner.items()}


@dataclass
class TripleRun:
    """One matching mode's tables, and the unmatched items for the error report."""

    table: Table
    misses: list[tuple[GoldDoc, GoldTriple]] = field(default_factory=list)
    false_positives: list[PredTriple] = field(default_factory=list)


def _dedupe_gold(triples: list[GoldTriple]) -> list[GoldTriple]:
    out: list[GoldTriple] = []
    for triple in triples:
        if not any(_same_gold(triple, t) for t in out):
            out.append(triple)
    return out


def _match_triples(gold: dict[str, GoldDoc], preds: dict[str, list[dict]], relations: frozenset[str],
                   relaxed: bool) -> TripleRun:
    run = TripleRun(_new_table(relations))
    for doc_id, doc in gold.items():
        golds = [t for t in _dedupe_gold(doc.triples) if t.relation in relations]
        predicted = _pred_triples(doc_id, preds.get(doc_id, []), relations)
        edges = [[j for j, p in enumerate(predicted) if triple_matches(g, p, relaxed)] for g in golds]
        pairs = max_matching(edges)
        used = set(pairs.values())
        for i, g in enumerate(golds):
            run.table[g.relation].add(tp=1 if i in pairs else 0, fn=0 if i in pairs else 1)
            if i not in pairs:
                run.misses.append((doc, g))
        for j, p in enumerate(predicted):
            if j not in used:
                run.table[p.relation].add(fp=1)
                run.false_positives.append(p)
    return run


def relation_set(dataset: str | None, relations: Iterable[str] | None) -> tuple[RelationSet, frozenset[str]]:
    """The dataset's relation map, and the relations scored (``--relations`` overrides)."""
    maps = load_maps()
    name = dataset or DEFAULT_RELATION_SET
    if name not in maps.triples:
        raise EvaluationError(f"unknown triple dataset {name!r}; known: {', '.join(sorted(maps.triples))}")
    rules = maps.triples[name]
    if relations:
        chosen = frozenset(relations)
        renames = {**{r: r for r in chosen}, **rules.renames}
        rules = RelationSet(renames, rules.inverted, rules.tiers)
        return rules, chosen
    return rules, rules.relations


@dataclass
class TripleEvaluation:
    result: dict[str, Any]
    strict: TripleRun
    relaxed: TripleRun
    texts: dict[str, str]  # the run's document texts, for the evidence of corpus gold misses


def evaluate_triples(gold_path: str | Path, pred_dir: str | Path, relations: Iterable[str] | None = None,
                     dataset: str | None = None) -> TripleEvaluation:
    warnings: list[str] = []
    rules, scored = relation_set(dataset, relations)
    fmt, records = load_gold(gold_path, ("triples", "corpus", "finre"), warnings)
    gold = triple_gold(fmt, records, rules, Path(gold_path))
    pred_dir = _pred_dir(pred_dir)
    joined = join_predictions(gold, pred_dir, "triples.jsonl", warnings)
    strict = _match_triples(gold, joined.by_doc, scored, relaxed=False)
    relaxed = _match_triples(gold, joined.by_doc, scored, relaxed=True)
    result = {"kind": "triples", "format": fmt, "dataset": dataset, "gold": str(gold_path), "pred": str(pred_dir),
              "relations": sorted(scored), "documents": _documents_summary(gold, joined),
              **table_json(strict.table, "per_relation"),
              "relaxed": table_json(relaxed.table, "per_relation"), "warnings": warnings}
    texts = _document_texts(pred_dir, warnings) if fmt == "corpus" else {}
    return TripleEvaluation(result, strict, relaxed, texts)


def score_triples(gold_path: str | Path, pred_dir: str | Path, relations: Iterable[str] | None = None,
                  dataset: str | None = None) -> dict[str, Any]:
    """Strict and relaxed triple P/R/F1 of a ``zhie run`` output, micro and per relation."""
    return evaluate_triples(gold_path, pred_dir, relations, dataset).result


def triple_errors(evaluation: TripleEvaluation) -> list[dict[str, Any]]:
    """Strict misses and false positives, each with its document and evidence sentence."""
    relaxed_missed = {id(t) for _, t in evaluation.relaxed.misses}
    relaxed_false = {(p.doc_id, p.key) for p in evaluation.relaxed.false_positives}
    out = []
    for doc, triple in evaluation.strict.misses:
        text = doc.text if doc.text is not None else evaluation.texts.get(doc.doc_id, "")
        out.append({"kind": "miss", "doc_id": doc.doc_id, "relation": triple.relation,
                    "subject": triple.subject, "object": triple.object,
                    "relaxed_match": id(triple) not in relaxed_missed,
                    "evidence": _gold_evidence(doc, triple, text)})
    for pred in evaluation.strict.false_positives:
        out.append({"kind": "false_positive", "doc_id": pred.doc_id, "relation": pred.relation,
                    "subject": pred.subject, "object": pred.object, "confidence": pred.confidence,
                    "relaxed_match": (pred.doc_id, pred.key) not in relaxed_false, "evidence": pred.evidence})
    return out


def _gold_evidence(doc: GoldDoc, triple: GoldTriple, text: str) -> str:
    """The gold text, or for a long document a window around the subject and object."""
    if len(text) <= EVIDENCE_WHOLE:
        return text
    spans = triple.offsets or [(i, i + len(name)) for name in (triple.subject, triple.object)
                               if (i := text.find(name)) >= 0]
    if not spans:
        return doc.title if triple.in_title and doc.title else text[:EVIDENCE_WHOLE]
    start = max(0, min(s for s, _ in spans) - EVIDENCE_MARGIN)
    return text[start:max(e for _, e in spans) + EVIDENCE_MARGIN]


# --- the command ------------------------------------------------------------------------------

def add_arguments(parser: argparse.ArgumentParser) -> None:
    tasks = parser.add_subparsers(dest="task", required=True, metavar="{ner,triples}")
    ner = tasks.add_parser("ner", help="entity P/R/F1 against span JSONL or corpus gold")
    ner.add_argument("--dataset", choices=NER_DATASETS, help="map this dataset's labels to zhie's")
    triples = tasks.add_parser("triples", help="triple P/R/F1 (strict and relaxed)")
    triples.add_argument("--dataset", choices=TRIPLE_DATASETS,
                         help="score the relations this dataset annotates, renamed to zhie's")
    triples.add_argument("--relations", type=lambda s: [r for r in s.split(",") if r],
                         help="comma-separated relations to score (overrides the dataset's)")
    triples.add_argument("--errors", type=Path, metavar="FILE",
                         help="write misses and false positives as JSON Lines")
    for sub in (ner, triples):
        sub.add_argument("--gold", required=True, type=Path, metavar="FILE")
        sub.add_argument("--pred", required=True, type=Path, metavar="OUT_DIR", help="a `zhie run` output directory")
        sub.add_argument("--json", type=Path, metavar="FILE", help="write the scores as JSON")
        sub.add_argument("--html", type=Path, metavar="FILE", help="write a self-contained HTML report")


def main(args: argparse.Namespace) -> int:
    from . import report

    try:
        if args.task == "ner":
            result = score_ner(args.gold, args.pred, args.dataset)
        else:
            evaluation = evaluate_triples(args.gold, args.pred, args.relations, args.dataset)
            result = evaluation.result
            if args.errors:
                _write_jsonl(args.errors, triple_errors(evaluation))
    except (EvaluationError, OSError, UnicodeDecodeError) as exc:
        print(f"zhie eval: {exc}", file=sys.stderr)
        return 2
    print(report.text_report(result))
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    if args.html:
        args.html.write_text(report.html_report(result), encoding="utf-8")
    return 0


def _write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        handle.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
