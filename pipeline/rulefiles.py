"""Reading ``pipeline/rules/``: every stage keeps its lexicons, phrases and patterns there as
data, one entry per line, with ``#`` comments and blank lines skipped."""
from __future__ import annotations

from pathlib import Path

RULES = Path(__file__).parent / "rules"


def _entries(name: str) -> list[str]:
    lines = (RULES / name).read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.lstrip().startswith("#")]


def rule_lines(name: str) -> list[str]:
    """The entries of a rules file, stripped."""
    return [line.strip() for line in _entries(name)]


def rule_rows(name: str) -> list[list[str]]:
    """The entries of a tab-separated rules file, split on tabs."""
    return [line.split("\t") for line in _entries(name)]
