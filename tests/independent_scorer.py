"""A second strict triple scorer, written apart from ``pipeline.evaluation`` from the definition
alone, to cross-check it: sets of normalized (relation, subject, object) tuples per document,
exact matches first, then MONEY objects greedily by value.  Converted triple JSONL gold only."""
from __future__ import annotations

import json
import unicodedata
from typing import Callable

MoneyParser = Callable[[str], "tuple[float, str] | None"]


def norm(name: str) -> str:
    kept = []
    for ch in unicodedata.normalize("NFKC", name).lower():
        category = unicodedata.category(ch)
        if ch.isspace() or category.startswith("P") or category.startswith("Z") or category in ("Cc", "Cf"):
            continue
        kept.append(ch)
    return "".join(kept)


def _same_amount(gold: tuple[float, str], pred: dict | None) -> bool:
    if not pred or str(pred.get("currency", "")).upper() != gold[1].upper():
        return False
    return abs(float(pred["amount"]) - gold[0]) <= 0.005 * abs(gold[0])


def strict_scores(gold_path, triples_path, relations, tiers=None,
                  money_value: MoneyParser | None = None) -> dict[str, float]:
    gold: dict[str, set] = {}
    gold_values: dict[tuple, tuple[float, str]] = {}
    with open(gold_path, encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            tuples = gold.setdefault(record["id"], set())
            for t in record["triples"]:
                if t["relation"] not in relations or (tiers and t.get("tier") not in tiers):
                    continue
                key = (t["relation"], norm(t["subject"]), norm(t["object"]))
                if not key[1] or not key[2]:
                    continue
                tuples.add(key)
                value = money_value(t["object"]) if money_value and t.get("object_type") == "MONEY" else None
                if value:
                    gold_values[(record["id"], *key)] = value

    predicted: dict[str, dict[tuple, dict | None]] = {}
    with open(triples_path, encoding="utf-8") as handle:
        for line in handle:
            p = json.loads(line)
            if p["relation"] not in relations or p["doc_id"] not in gold:
                continue
            key = (p["relation"], norm(p["subject"]), norm(p["object"]))
            if key[1] and key[2]:
                predicted.setdefault(p["doc_id"], {}).setdefault(key, p.get("object_value"))

    tp = 0
    for doc_id, golds in gold.items():
        preds = dict(predicted.get(doc_id, {}))
        exact = golds & preds.keys()
        tp += len(exact)
        for key in exact:
            del preds[key]
        for g in sorted(golds - exact):
            value = gold_values.get((doc_id, *g))
            if value is None:
                continue
            for k in sorted(preds):
                if k[0] == g[0] and k[1] == g[1] and _same_amount(value, preds[k]):
                    tp += 1
                    del preds[k]
                    break

    n_gold = sum(len(g) for g in gold.values())
    n_pred = sum(len(p) for p in predicted.values())
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": p, "r": r, "f1": f1, "tp": tp, "fp": n_pred - tp, "fn": n_gold - tp}
