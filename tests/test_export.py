"""`zhie export`: each format loads back in its standard reader with one row per distinct triple."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pytest
from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef

from knowledge_run import TRIPLES
from pipeline import cli
from pipeline.export import BASE, entity_iri, formats


VOCAB = Namespace(f"{BASE}vocab/")


@pytest.fixture(scope="module")
def exported(run_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("export")
    status = cli.main(["export", str(run_dir), "--to", "csv,parquet", "--to", "ntriples", "--to", "neo4j",
                       "-o", str(out)])
    assert status == 0
    return out


def distinct_triples(frame: pd.DataFrame, columns: list[str]) -> int:
    return len(frame[columns].drop_duplicates())


# --- CSV and Parquet -------------------------------------------------------------------------

def test_csv_tables_load_in_pandas(exported: Path, knowledge) -> None:
    entities = pd.read_csv(exported / "csv" / "entities.csv")
    triples = pd.read_csv(exported / "csv" / "triples.csv")
    evidence = pd.read_csv(exported / "csv" / "evidence.csv")
    assert list(entities["id"]) == list(knowledge.nodes["id"])
    assert len(triples) == distinct_triples(triples, ["subject_id", "relation", "object_id"]) == 4
    assert len(evidence) == len(TRIPLES)
    altman = entities.set_index("id").loc["PERSON:samaltman"]
    assert set(json.loads(altman["aliases"])) == {"SamAltman", "Altman"}
    fired = triples[triples["relation"] == "dismissed_from"].iloc[0]
    assert (fired["support"], json.loads(fired["doc_ids"])) == (2, ["a", "b"])


def test_parquet_tables_load_in_pandas(exported: Path, knowledge) -> None:
    entities = pd.read_parquet(exported / "parquet" / "entities.parquet")
    triples = pd.read_parquet(exported / "parquet" / "triples.parquet")
    assert list(entities["id"]) == list(knowledge.nodes["id"])
    assert len(triples) == distinct_triples(triples, ["subject_id", "relation", "object_id"]) == 4
    assert set(entities.set_index("id").loc["PERSON:samaltman", "aliases"]) == {"SamAltman", "Altman"}
    money = entities[entities["type"] == "MONEY"].iloc[0]
    assert (money["amount"], money["currency"]) == (1e10, "USD")
    assert len(pd.read_parquet(exported / "parquet" / "evidence.parquet")) == len(TRIPLES)


# --- N-Triples -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def graph(exported: Path) -> Graph:
    return Graph().parse(exported / "ntriples" / "knowledge.nt", format="nt")


def test_entity_iris_are_stable_and_readable() -> None:
    assert entity_iri("PERSON:samaltman") == f"{BASE}entity/PERSON/samaltman"
    assert entity_iri("COMPANY:微软公司") == f"{BASE}entity/COMPANY/%E5%BE%AE%E8%BD%AF%E5%85%AC%E5%8F%B8"
    assert entity_iri("MONEY:USD:10000000000") == f"{BASE}entity/MONEY/USD:10000000000"


def test_ntriples_query_back_a_triple_with_labels(graph: Graph) -> None:
    rows = list(graph.query(
        """PREFIX rel: <https://zhie.example/relation/>
           PREFIX cls: <https://zhie.example/class/>
           PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
           SELECT ?person ?company WHERE {
               ?s rel:dismissed_from ?o . ?s a cls:PERSON .
               ?s rdfs:label ?person . ?o rdfs:label ?company . }"""))
    assert [(str(p), str(c)) for p, c in rows] == [("Sam Altman", "OpenAI")]


def test_ntriples_chinese_labels_are_tagged_zh(graph: Graph) -> None:
    labels = set(graph.objects(URIRef(entity_iri("COMPANY:微软公司")), RDFS.label))
    assert labels == {Literal("微软公司", lang="zh")}


def test_ntriples_statements_carry_support_and_evidence(graph: Graph) -> None:
    subject, relation = URIRef(entity_iri("PERSON:samaltman")), URIRef(f"{BASE}relation/dismissed_from")
    statements = [s for s in graph.subjects(RDF.subject, subject) if (s, RDF.predicate, relation) in graph]
    assert len(statements) == 1
    statement = statements[0]
    assert (statement, RDF.type, RDF.Statement) in graph
    assert graph.value(statement, VOCAB.support).toPython() == 2
    assert graph.value(statement, VOCAB.confidence).toPython() == pytest.approx(0.92)
    evidence = list(graph.objects(statement, VOCAB.evidence))
    assert len(evidence) == 2
    assert {str(graph.value(e, VOCAB.text)) for e in evidence} == {
        t["evidence"]["text"] for t in TRIPLES if t["relation"] == "dismissed_from"}


def test_ntriples_literals_round_trip_quotes_backslashes_and_newlines(graph: Graph, exported: Path) -> None:
    expected = {t["evidence"]["text"] for t in TRIPLES}
    assert any("\n" in text and '"' in text and "\\" in text for text in expected)
    assert {str(text) for text in graph.objects(None, VOCAB.text)} == expected
    assert set(pd.read_csv(exported / "csv" / "evidence.csv")["text"]) == expected


def test_ntriples_one_direct_statement_per_distinct_triple(graph: Graph) -> None:
    relations = {URIRef(f"{BASE}relation/{t['relation']}") for t in TRIPLES}
    direct = [t for t in graph if t[1] in relations]
    assert len(direct) == 4


# --- Neo4j -----------------------------------------------------------------------------------

def read_csv_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def test_neo4j_headers_are_what_neo4j_admin_expects(exported: Path) -> None:
    header, _ = read_csv_rows(exported / "neo4j" / "entities.csv")
    assert header == ["id:ID", "name", "aliases:string[]", "mentions:int", "documents:int", ":LABEL"]
    header, _ = read_csv_rows(exported / "neo4j" / "amounts.csv")
    assert header[0] == "id:ID" and "amount:double" in header and header[-1] == ":LABEL"
    header, _ = read_csv_rows(exported / "neo4j" / "relations.csv")
    assert header[:3] == [":START_ID", ":END_ID", ":TYPE"]
    assert {"support:int", "confidence:float", "first_published:localdatetime", "doc_ids:string[]"} <= set(header)


def test_neo4j_ids_are_unique_and_every_relationship_end_exists(exported: Path) -> None:
    ids = []
    for name in ("entities.csv", "amounts.csv"):
        ids += [row["id:ID"] for row in read_csv_rows(exported / "neo4j" / name)[1]]
    assert len(ids) == len(set(ids))
    _, relations = read_csv_rows(exported / "neo4j" / "relations.csv")
    assert {r[":START_ID"] for r in relations} | {r[":END_ID"] for r in relations} <= set(ids)
    assert len({(r[":START_ID"], r[":TYPE"], r[":END_ID"]) for r in relations}) == len(relations) == 4


def test_neo4j_arrays_and_labels_use_the_array_delimiter(exported: Path) -> None:
    _, nodes = read_csv_rows(exported / "neo4j" / "entities.csv")
    altman = next(row for row in nodes if row["id:ID"] == "PERSON:samaltman")
    assert altman[":LABEL"] == "Entity;PERSON"
    assert set(altman["aliases:string[]"].split(";")) == {"SamAltman", "Altman"}
    _, relations = read_csv_rows(exported / "neo4j" / "relations.csv")
    assert {r[":TYPE"] for r in relations} == {"DISMISSED_FROM", "INVESTED_IN", "RAISED", "HOLDS_POSITION"}


def test_neo4j_import_command_is_printed_and_scripted(run_dir: Path, tmp_path: Path, capsys) -> None:
    assert cli.main(["export", str(run_dir), "--to", "neo4j", "-o", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    assert "neo4j-admin database import full neo4j --nodes=" in printed
    assert f"--relationships={(tmp_path / 'neo4j').resolve()}/relations.csv" in printed
    script = (tmp_path / "neo4j" / "import.sh").read_text(encoding="utf-8")
    assert '--nodes="$DIR"/entities.csv --nodes="$DIR"/amounts.csv --relationships="$DIR"/relations.csv' in script


# --- the command -----------------------------------------------------------------------------

def test_formats_accept_commas_and_repeats() -> None:
    assert formats(["csv,parquet", "neo4j", "csv"]) == ["csv", "parquet", "neo4j"]
    assert formats(None) == ["csv"]
    with pytest.raises(ValueError, match="unknown export format"):
        formats(["xml"])


def test_bad_arguments_give_a_message_not_a_traceback(run_dir: Path, tmp_path: Path, capsys) -> None:
    assert cli.main(["export", str(run_dir), "--to", "xml", "-o", str(tmp_path)]) == 2
    assert cli.main(["export", str(tmp_path / "missing"), "-o", str(tmp_path)]) == 1
    assert "zhie run" in capsys.readouterr().err


def test_an_empty_run_exports_empty_tables(tmp_path: Path) -> None:
    run = tmp_path / "run"
    run.mkdir()
    (run / "documents.jsonl").write_text("", encoding="utf-8")
    assert cli.main(["export", str(run), "--to", "csv,parquet,ntriples,neo4j", "-o", str(tmp_path / "out")]) == 0
    assert len(pd.read_parquet(tmp_path / "out" / "parquet" / "triples.parquet")) == 0
    assert len(Graph().parse(tmp_path / "out" / "ntriples" / "knowledge.nt", format="nt")) == 0
