"""The whole pipeline on the team corpus (scored against its gold) and on the seed article."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.evaluation import score_ner, score_triples
from pipeline.run import PipelineOptions, run

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


@pytest.fixture(scope="module")
def corpus_run(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("corpus_run")
    run([str(CORPUS / "dump")], out, PipelineOptions(), workers=1)
    return out


def test_every_corpus_document_comes_out_ok(corpus_run: Path) -> None:
    gold_ids = {json.loads(line)["doc_id"] for line in (CORPUS / "gold.jsonl").read_text(encoding="utf-8").splitlines()}
    docs = [json.loads(line) for line in (corpus_run / "documents.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {d["doc_id"] for d in docs} == gold_ids
    assert all(d["status"] == "ok" for d in docs)


def test_corpus_scores_stay_above_their_floor(corpus_run: Path) -> None:
    """A regression guard well below the figures in BENCHMARKS.md, not a target."""
    triples = score_triples(CORPUS / "gold.jsonl", corpus_run)
    assert triples["micro"]["f1"] >= 0.35
    assert sum(1 for r in triples["per_relation"].values() if r["tp"] > 0) == 13  # every relation found
    ner = score_ner(CORPUS / "gold.jsonl", corpus_run)
    money = ner["money"]
    assert money["micro"]["f1"] >= 0.9 and money["value_accuracy"] >= 0.95


@pytest.mark.shared
def test_the_seed_article_yields_its_facts(seed_path: Path, tmp_path: Path) -> None:
    run([str(seed_path)], tmp_path, PipelineOptions(), workers=1)
    triples = [json.loads(line) for line in (tmp_path / "triples.jsonl").read_text(encoding="utf-8").splitlines()]
    facts = {(t["subject"], t["relation"], t["object"]) for t in triples}
    assert ("Emad Mostaque", "resigned_from", "Stability AI") in facts
    assert ("Cyrus Hodes", "sued", "Emad Mostaque") in facts
    assert ("微软", "invested_in", "Inflection AI") in facts
    raised = [t for t in triples if t["subject"] == "Stability AI" and t["relation"] == "raised"]
    assert {"amount": 101000000, "currency": "USD"} in [t["object_value"] for t in raised]
