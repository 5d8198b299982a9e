"""Reading (first version: .txt files only; the full reader is being written)."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

from .records import RawRecord, ReadError


def read_inputs(inputs: list[str]) -> Iterator[RawRecord | ReadError]:
    for name in inputs:
        path = Path(name)
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            try:
                yield RawRecord(source=str(file), doc_id=file.stem, text=file.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError) as exc:
                yield ReadError(source=str(file), error=str(exc))
