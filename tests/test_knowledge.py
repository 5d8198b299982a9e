"""Merging a run across documents (pipeline.knowledge) and the analysts' API (pipeline.load)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import pipeline
from knowledge_run import DOCUMENTS, ENTITIES, TRIPLES
from pipeline.knowledge import (CONFIDENCE_CAP, RunDirError, aggregate, load, money_key, name_key,
                                noisy_or, publication_time)


def node(knowledge, node_id: str) -> dict:
    rows = knowledge.nodes[knowledge.nodes["id"] == node_id]
    assert len(rows) == 1, f"{node_id}: {len(rows)} rows"
    return rows.iloc[0].to_dict()


def edge(knowledge, subject_id: str, relation: str) -> dict:
    rows = knowledge.edges[(knowledge.edges["subject_id"] == subject_id) & (knowledge.edges["relation"] == relation)]
    assert len(rows) == 1, f"{subject_id} {relation}: {len(rows)} rows"
    return rows.iloc[0].to_dict()


# --- keys and values -------------------------------------------------------------------------

@pytest.mark.parametrize("a, b", [("Sam Altman", "SamAltman"), ("伊尔亚·苏茨克维", "伊尔亚苏茨克维"),
                                  ("ＯｐｅｎＡＩ", "openai"), ("Stability AI", "stability-ai")])
def test_name_key_merges_spellings_the_scorer_treats_as_equal(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)


def test_name_key_keeps_different_names_apart() -> None:
    assert name_key("阿里巴巴") != name_key("阿里")


def test_money_key_is_value_and_currency_not_text() -> None:
    assert money_key({"amount": 1e10, "currency": "USD"}, "100亿美元") == "USD:10000000000"
    assert money_key({"amount": 1e10, "currency": "usd"}, "一百亿美元") == "USD:10000000000"
    assert money_key({"amount": 1e10, "currency": "CNY"}, "100亿元") != "USD:10000000000"
    assert money_key({"amount": 1e8, "currency": "CNY", "upper": 2e8}, "1-2亿元") == "CNY:100000000-200000000"
    assert money_key(None, "数亿元") == name_key("数亿元")


@pytest.mark.parametrize("value, expected", [
    ("2023-11-18 10:00:00", "2023-11-18T10:00:00"),
    ("2023-11-18T02:00:00Z", "2023-11-18T10:00:00"),
    ("2023年11月18日", "2023-11-18T00:00:00"),
    ("2023/11/18 10:05", "2023-11-18T10:05:00"),
    ("20231118", "2023-11-18T00:00:00"),
    (1700400000, "2023-11-19T21:20:00"),
    ("1700400000000", "2023-11-19T21:20:00"),
    ("yesterday", None),
    (None, None),
])
def test_publication_time_normalizes_to_china_time(value, expected) -> None:
    assert publication_time(value) == expected


def test_noisy_or_grows_with_support_and_is_capped() -> None:
    assert noisy_or([0.5]) == 0.5
    assert noisy_or([0.5, 0.5]) == 0.75
    assert noisy_or([0.99, 0.99, 0.99]) == CONFIDENCE_CAP


# --- entities --------------------------------------------------------------------------------

def test_spellings_of_one_person_are_one_node_with_aliases(knowledge) -> None:
    altman = node(knowledge, "PERSON:samaltman")
    assert altman["name"] == "Sam Altman"
    assert set(altman["aliases"]) == {"SamAltman", "Altman"}
    assert (altman["mentions"], altman["documents"]) == (3, 2)


def test_a_canonical_that_is_an_unambiguous_alias_merges(knowledge) -> None:
    microsoft = node(knowledge, "COMPANY:微软公司")
    assert microsoft["aliases"] == ["微软"]
    assert microsoft["documents"] == 2
    assert "COMPANY:微软" not in set(knowledge.nodes["id"])


def test_an_ambiguous_alias_merges_nothing(knowledge) -> None:
    ids = set(knowledge.nodes["id"])
    assert {"COMPANY:阿里", "COMPANY:阿里巴巴集团", "COMPANY:阿里云"} <= ids


def test_a_one_character_alias_does_not_merge_documents(knowledge) -> None:
    assert node(knowledge, "PERSON:王")["documents"] == 1
    assert node(knowledge, "PERSON:亚历山大王")["aliases"] == ["王"]


def test_amounts_merge_by_value_and_currency(knowledge) -> None:
    money = knowledge.nodes[knowledge.nodes["type"] == "MONEY"]
    assert len(money) == 1
    amount = money.iloc[0]
    assert (amount["amount"], amount["currency"]) == (1e10, "USD")
    assert {amount["name"], *amount["aliases"]} == {"100亿美元", "一百亿美元"}


def test_node_ids_are_unique(knowledge) -> None:
    assert knowledge.nodes["id"].is_unique


def test_aliases_forming_a_cycle_make_one_node(tmp_path: Path) -> None:
    rows = [{"doc_id": "x", "text": "稳定AI", "label": "COMPANY", "canonical": "Stability AI"},
            {"doc_id": "y", "text": "Stability AI", "label": "COMPANY", "canonical": "稳定AI"},
            {"doc_id": "y", "text": "稳定AI", "label": "COMPANY", "canonical": "稳定AI"}]
    (tmp_path / "entities.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    nodes = aggregate(tmp_path).nodes
    assert len(nodes) == 1
    assert nodes.iloc[0]["name"] == "稳定AI"  # more mentions than Stability AI
    assert nodes.iloc[0]["aliases"] == ["Stability AI"]


# --- triples ---------------------------------------------------------------------------------

def test_one_edge_per_distinct_triple(knowledge) -> None:
    keys = knowledge.edges[["subject_id", "relation", "object_id"]]
    assert not keys.duplicated().any()
    assert len(knowledge.edges) == 4  # dismissed_from, invested_in, raised, holds_position
    assert set(knowledge.edges["subject_id"]) | set(knowledge.edges["object_id"]) <= set(knowledge.nodes["id"])


def test_a_repeated_triple_has_support_confidence_and_times(knowledge) -> None:
    fired = edge(knowledge, "PERSON:samaltman", "dismissed_from")
    assert fired["object_id"] == "COMPANY:openai"
    assert fired["support"] == 2
    assert fired["confidence"] == pytest.approx(1 - (1 - 0.8) * (1 - 0.6))
    assert (fired["first_published"], fired["last_published"]) == ("2023-11-18T10:00:00", "2023-11-19T21:20:00")
    assert fired["doc_ids"] == ["a", "b"]


def test_triples_equal_after_merging_entities_are_one_edge(knowledge) -> None:
    assert edge(knowledge, "COMPANY:微软公司", "invested_in")["support"] == 2


def test_money_object_is_the_amount_node_with_merged_qualifiers(knowledge) -> None:
    raised = edge(knowledge, "COMPANY:openai", "raised")
    assert raised["object_id"] == "MONEY:USD:10000000000"
    assert (raised["object_amount"], raised["object_currency"]) == (1e10, "USD")
    assert json.loads(raised["qualifiers"]) == {"round": ["C", "D"]}


def test_a_triple_endpoint_takes_the_type_its_name_has_as_an_entity(knowledge) -> None:
    position = edge(knowledge, "PERSON:亚历山大王", "holds_position")
    assert (position["object_id"], position["object_type"]) == ("COMPANY:scaleai", "COMPANY")
    assert json.loads(position["qualifiers"]) == {"status": ["current"], "title": ["首席执行官"]}


def test_evidence_keeps_every_sentence(knowledge) -> None:
    assert len(knowledge.evidence) == len(TRIPLES)
    assert set(knowledge.evidence["triple_id"]) == set(knowledge.edges["id"])
    fired = edge(knowledge, "PERSON:samaltman", "dismissed_from")
    sentences = knowledge.evidence[knowledge.evidence["triple_id"] == fired["id"]]
    assert list(sentences["doc_id"]) == ["a", "b"]
    assert all("Altman" in text for text in sentences["text"])


def test_bad_lines_are_counted_not_fatal(knowledge) -> None:
    assert knowledge.problems.count == 1
    assert "entities.jsonl:4" in knowledge.problems.examples[0]


def test_a_directory_without_run_outputs_is_refused(tmp_path: Path) -> None:
    with pytest.raises(RunDirError):
        aggregate(tmp_path)


# --- the API ---------------------------------------------------------------------------------

def test_load_gives_per_document_tables_without_text(run_dir: Path) -> None:
    outputs = pipeline.load(run_dir)
    assert "text" not in outputs.documents.columns
    assert len(outputs.documents) == len(DOCUMENTS)
    assert outputs.documents.set_index("doc_id").loc["b", "published"] == "2023-11-19T21:20:00"
    assert len(outputs.entities) == len(ENTITIES)
    money = outputs.entities[outputs.entities["label"] == "MONEY"]
    assert set(money["amount"]) == {1e10}
    assert set(outputs.triples["evidence_text"]) == {t["evidence"]["text"] for t in TRIPLES}


def test_load_gives_the_merged_tables(run_dir: Path, knowledge) -> None:
    outputs = load(run_dir)
    assert outputs.nodes.equals(knowledge.nodes)
    assert outputs.edges.equals(knowledge.edges)
    assert outputs.evidence.equals(knowledge.evidence)


def test_text_is_read_on_request(run_dir: Path) -> None:
    assert load(run_dir).text("c") == "全文 C"
    assert load(run_dir).text("nope") is None
    assert list(load(run_dir, with_text=True).documents["text"])[:1] == ["全文 A"]


def test_import_pipeline_stays_light() -> None:
    code = "import sys, pipeline; print('pandas' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
    assert pipeline.load is load
