"""The team corpus: its gold agrees with the dump, and the checker notices a broken gold."""
from __future__ import annotations

import importlib.util
import json
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


@pytest.fixture(scope="module")
def checker() -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_gold", CORPUS / "check_gold.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def golds() -> list[dict]:
    return [json.loads(line) for line in (CORPUS / "gold.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]


def broken_copy(tmp_path: Path, edit) -> Path:
    """A copy of the corpus whose first gold document went through `edit`."""
    shutil.copytree(CORPUS / "dump", tmp_path / "dump")
    docs = golds()
    edit(docs[0])
    (tmp_path / "gold.jsonl").write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
    return tmp_path


def test_gold_agrees_with_dump(checker):
    assert checker.check(CORPUS) == []


def test_gold_uses_every_contract_relation_and_label(checker):
    relations = {t["relation"] for g in golds() for t in g["triples"]}
    labels = {e["label"] for g in golds() for e in g["entities"]}
    assert relations == set(checker.RELATIONS)
    assert labels == checker.LABELS


def test_every_input_format_is_present():
    suffixes = {p.suffix for p in (CORPUS / "dump").rglob("*") if p.is_file()}
    assert suffixes == {".jsonl", ".json", ".csv", ".html", ".txt"}


def test_checker_reports_a_mention_missing_from_the_text(checker, tmp_path):
    root = broken_copy(tmp_path, lambda d: d["entities"][0]["mentions"].append("不存在的名字"))
    assert any("不存在的名字" in p for p in checker.check(root))


def test_checker_reports_a_money_object_that_is_not_money(checker, tmp_path):
    def edit(doc: dict) -> None:
        triple = next(t for t in doc["triples"] if t["relation"] == "valued_at")
        triple["object"] = doc["entities"][0]["canonical"]

    assert any("valued_at" in p for p in checker.check(broken_copy(tmp_path, edit)))


def test_checker_reports_money_out_of_body_order(checker, tmp_path):
    root = broken_copy(tmp_path, lambda d: d["money"].reverse())
    assert any("money" in p for p in checker.check(root))


def test_checker_reports_a_doc_id_the_reader_would_not_assign(checker, tmp_path):
    root = broken_copy(tmp_path, lambda d: d.update(doc_id=d["doc_id"] + "x"))
    assert any("doc_ids" in p for p in checker.check(root))
