"""Typed records that cross stage boundaries: what reading yields, what cleaning makes of it,
what goes wrong, and the triples the relation stage puts on the Doc."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class RawRecord:
    """One input document as read, before cleaning.  `text` or `html` holds the body."""

    source: str
    doc_id: str
    line: int | None = None
    text: str | None = None
    html: str | None = None
    title: str | None = None
    account: str | None = None
    publish_time: str | None = None
    url: str | None = None
    author: str | None = None
    markdown: bool = False  # `text` is Markdown (a .md file): its markup is flattened when cleaning
    error: str | None = None  # the record was found but is unusable (e.g. null text)


@dataclass
class ReadError:
    """Input that could not be turned into a document at all (bad JSON line, binary file)."""

    source: str
    error: str
    line: int | None = None
    doc_id: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass
class Document:
    """A cleaned document: `text` is what every output offset refers to."""

    doc_id: str
    source: str
    text: str
    line: int | None = None
    title: str | None = None
    account: str | None = None
    publish_time: str | None = None
    url: str | None = None
    author: str | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass
class Evidence:
    start: int
    end: int
    text: str


@dataclass
class Triple:
    """(subject, relation, object) between canonical names, with the sentence that states it."""

    subject: str
    subject_type: str
    relation: str
    object: str
    object_type: str
    evidence: Evidence
    confidence: float
    qualifiers: dict[str, Any] = field(default_factory=dict)
    object_value: dict[str, Any] | None = None

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.subject, self.relation, self.object)
