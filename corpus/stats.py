"""Counts of the corpus and its gold, as Markdown tables for corpus/README.md.

    python corpus/stats.py
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from check_gold import HERE, RELATIONS, read_dump


def table(title: str, counts: Counter, order: list[str] | None = None) -> str:
    keys = order or sorted(counts, key=lambda k: (-counts[k], k))
    rows = [f"| {title} | count |", "|---|---:|"]
    rows += [f"| {k} | {counts[k]} |" for k in keys]
    rows.append(f"| **total** | **{sum(counts.values())}** |")
    return "\n".join(rows)


def main() -> None:
    dump = HERE / "dump"
    files = Counter(str(Path(s.where.split(":")[0].split("[")[0]).relative_to(dump)) for s in read_dump(dump))
    golds = [json.loads(line) for line in (HERE / "gold.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    labels = Counter(e["label"] for g in golds for e in g["entities"])
    mentions = Counter(e["label"] for g in golds for e in g["entities"] for _ in e["mentions"])
    currencies = Counter(m["currency"] for g in golds for m in g["money"])
    relations = Counter(t["relation"] for g in golds for t in g["triples"])
    print(table("input file", files, sorted(files)))
    print()
    print(table("entities (per document)", labels, ["PERSON", "COMPANY", "ORG"]))
    print()
    print(table("distinct surface forms", mentions, ["PERSON", "COMPANY", "ORG"]))
    print()
    ranges = sum("upper" in m for g in golds for m in g["money"])
    print(table("money mentions by currency", currencies) + f"\n\n({ranges} of them ranges with `upper`)")
    print()
    print(table("triples", relations, list(RELATIONS)))
    print()
    chars = sum(len(s.text) for s in read_dump(dump))
    print(f"{len(golds)} documents, {chars} characters of document text (chrome included)")


if __name__ == "__main__":
    main()
