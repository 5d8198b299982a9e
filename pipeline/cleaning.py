"""Cleaning (first version: passes text through; the full cleaner is being written)."""
from __future__ import annotations

from .records import Document, RawRecord


def clean(record: RawRecord) -> Document:
    return Document(doc_id=record.doc_id, source=record.source, text=record.text or "",
                    line=record.line, error=record.error or (None if record.text else "no text"))
