"""Writing: Docs to the contract's JSONL files, crash-safe and resumable.

Each document's lines are written in one ``write`` per file and the files are flushed after
each batch.  After every flush a checkpoint line records how many input items are done and the
byte size of each file, so ``--resume`` truncates any tail written after it (a half line left
by ``kill -9`` included) and carries on after the last checkpointed item.  ``summary.json`` is
written last, by rename: it exists only beside a finished run.
"""
from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterable

from spacy.tokens import Doc

from . import canonical
from .records import Document, ReadError

OUTPUT_LABELS = frozenset({"PERSON", "COMPANY", "ORG", "MONEY"})
FILES = ("documents", "entities", "triples", "errors")
CHECKPOINT = ".checkpoint.jsonl"


@dataclass
class DocResult:
    """Everything one input item contributes to the outputs; picklable, for worker processes."""

    documents: list[dict[str, Any]] = field(default_factory=list)
    entities: list[dict[str, Any]] = field(default_factory=list)
    triples: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    chars: int = 0


def document_record(document: Document) -> dict[str, Any]:
    record: dict[str, Any] = {
        "doc_id": document.doc_id,
        "source": document.source,
        "status": "ok" if document.ok else "error",
        "title": document.title,
        "text": document.text,
        "chars": len(document.text),
    }
    for key in ("line", "account", "author", "publish_time", "url"):
        value = getattr(document, key)
        if value is not None:
            record[key] = value
    if not document.ok:
        record["error"] = document.error
    return record


def entity_records(doc: Doc, doc_id: str, offset: int = 0) -> list[dict[str, Any]]:
    """Entity lines of a Doc; `offset` places a piece of a long document in the whole text."""
    out = []
    for ent in doc.ents:
        if ent.label_ not in OUTPUT_LABELS:
            continue
        record = {
            "doc_id": doc_id,
            "start": ent.start_char + offset,
            "end": ent.end_char + offset,
            "text": ent.text,
            "label": ent.label_,
            "canonical": ent._.canonical or ent.text,
        }
        if ent.label_ == "MONEY" and ent._.value:
            record["value"] = ent._.value
        out.append(record)
    return out


def triple_records(doc: Doc, doc_id: str, offset: int = 0) -> list[dict[str, Any]]:
    out = []
    for triple in doc._.triples or []:
        record = {"doc_id": doc_id, **asdict(triple)}
        record["evidence"]["start"] += offset
        record["evidence"]["end"] += offset
        if record["object_value"] is None:
            del record["object_value"]
        out.append(record)
    return out


def result_for_doc(document: Document, pieces: list[tuple[int, Doc]]) -> DocResult:
    """The outputs of one document analysed as one Doc or as several pieces (offset, Doc)."""
    entities = [e for offset, doc in pieces for e in entity_records(doc, document.doc_id, offset)]
    triples = [t for offset, doc in pieces for t in triple_records(doc, document.doc_id, offset)]
    if len(pieces) > 1:
        entities, triples = unify_pieces(entities, triples)
    return DocResult(documents=[document_record(document)], entities=entities, triples=triples,
                     chars=len(document.text))


def unify_pieces(entities: list[dict[str, Any]], triples: list[dict[str, Any]]) -> tuple[list, list]:
    """One canonical name per entity across the pieces of a long document, and one triple per
    (subject, relation, object) again after the renaming."""
    rename = canonical.unify_names([(e["canonical"], e["label"]) for e in entities if e["label"] != "MONEY"])
    for entity in entities:
        entity["canonical"] = rename.get(entity["canonical"], entity["canonical"])
    merged: dict[tuple[str, str, str], dict[str, Any]] = {}
    for triple in triples:
        triple["subject"] = rename.get(triple["subject"], triple["subject"])
        triple["object"] = rename.get(triple["object"], triple["object"])
        merged.setdefault((triple["subject"], triple["relation"], triple["object"]), triple)
    return entities, list(merged.values())


def result_for_failure(document: Document) -> DocResult:
    """A document that could not be processed: an error line in documents and in errors."""
    error = {"source": document.source, "doc_id": document.doc_id, "error": document.error}
    if document.line is not None:
        error["line"] = document.line
    return DocResult(documents=[document_record(document)], errors=[error])


def result_for_read_error(problem: ReadError) -> DocResult:
    return DocResult(errors=[problem.to_json()])


@dataclass
class Counts:
    items: int = 0
    documents_ok: int = 0
    documents_error: int = 0
    entities: int = 0
    triples: int = 0
    errors: int = 0
    chars: int = 0

    def add(self, result: DocResult) -> None:
        self.items += 1
        for doc in result.documents:
            if doc["status"] == "ok":
                self.documents_ok += 1
            else:
                self.documents_error += 1
        self.entities += len(result.entities)
        self.triples += len(result.triples)
        self.errors += len(result.errors)
        self.chars += result.chars


class OutputWriter:
    """Appends results to the output files; with ``resume`` continues an interrupted run."""

    def __init__(self, out_dir: Path, resume: bool = False) -> None:
        self.out_dir = Path(out_dir)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self.counts = Counts()
        sizes = self._restore() if resume else {}
        self._files = {}
        for name in FILES:
            path = self.out_dir / f"{name}.jsonl"
            handle = open(path, "r+b" if name in sizes and path.exists() else "wb")
            handle.truncate(sizes.get(name, 0))
            handle.seek(0, os.SEEK_END)
            self._files[name] = handle
        self._checkpoint = open(self.out_dir / CHECKPOINT, "ab" if resume else "wb")
        # summary.json is there only when a run got to its end, never beside a half-done run
        (self.out_dir / "summary.json").unlink(missing_ok=True)

    @property
    def done_items(self) -> int:
        """Input items (documents and read errors) already written by an earlier run."""
        return self.counts.items

    def _restore(self) -> dict[str, int]:
        """Counts and file sizes from the last complete checkpoint line, if any.  The checkpoint
        file is cut after that line, so that the next checkpoint is not glued to a torn one."""
        path = self.out_dir / CHECKPOINT
        if not path.exists():
            return {}
        last, end, offset = None, 0, 0
        for line in path.read_bytes().split(b"\n")[:-1]:  # only newline-terminated lines
            offset += len(line) + 1
            try:
                last, end = json.loads(line), offset
            except ValueError:
                continue  # a line cut short by the kill
        with open(path, "r+b") as handle:
            handle.truncate(end)
        if last is None:
            return {}
        self.counts = Counts(**last["counts"])
        return last["sizes"]

    def write(self, results: Iterable[DocResult]) -> None:
        for result in results:
            for name in FILES:
                lines = getattr(result, name)
                if lines:
                    payload = "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines)
                    self._files[name].write(payload.encode("utf-8"))
            self.counts.add(result)
        self._flush()

    def _flush(self) -> None:
        sizes = {}
        for name, handle in self._files.items():
            handle.flush()
            sizes[name] = handle.tell()
        state = {"counts": asdict(self.counts), "sizes": sizes}
        self._checkpoint.write((json.dumps(state) + "\n").encode())
        self._checkpoint.flush()

    def close(self, summary: dict[str, Any]) -> None:
        for handle in self._files.values():
            handle.close()
        self._checkpoint.close()
        # written aside and renamed, so that a kill leaves the old summary or the new one
        partial = self.out_dir / "summary.json.partial"
        partial.write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        os.replace(partial, self.out_dir / "summary.json")
