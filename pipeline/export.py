"""`zhie export`: a run's outputs merged across documents (see :mod:`pipeline.knowledge`) and
written for knowledge bases, one sub-directory of ``-o DIR`` per format:

- ``csv/`` and ``parquet/``: tables ``entities`` (merged nodes), ``triples`` (one row per
  distinct triple) and ``evidence`` (the sentences behind each triple, by ``triple_id``).  In
  CSV, list columns (``aliases``, ``doc_ids``) are JSON arrays; ``qualifiers`` is JSON in both.
- ``ntriples/knowledge.nt``: RDF, entities ``https://zhie.example/entity/<TYPE>/<key>``
  (percent-encoded :func:`~pipeline.knowledge.name_key`, stable across runs), classes
  ``.../class/<TYPE>``, relations ``.../relation/<name>``; each triple is stated directly and
  reified as an ``rdf:Statement`` (``.../statement/<triple id>``) carrying support, confidence,
  publication times and its evidence sentences.
- ``neo4j/``: CSVs for ``neo4j-admin database import full`` and an ``import.sh`` that runs it.

pandas, which ``zhie run`` does not need, loads in ``main`` (``cli`` imports every command).
"""
from __future__ import annotations

import argparse
import json
import shlex
import sys
from collections import namedtuple
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, NamedTuple
from urllib.parse import quote

if TYPE_CHECKING:
    import pandas as pd

    from .knowledge import Knowledge

BASE = "https://zhie.example/"
NEO4J_ARRAY_DELIMITER = ";"
TABLES = {"entities": "nodes", "triples": "edges", "evidence": "evidence"}
LIST_COLUMNS = ("aliases", "doc_ids")


# --- CSV and Parquet -------------------------------------------------------------------------

def _frames(knowledge: Knowledge) -> Iterator[tuple[str, pd.DataFrame]]:
    for name, attribute in TABLES.items():
        yield name, getattr(knowledge, attribute)


def write_csv(knowledge: Knowledge, out: Path) -> list[Path]:
    paths = []
    for name, frame in _frames(knowledge):
        frame = frame.copy()
        for column in LIST_COLUMNS:
            if column in frame:
                frame[column] = frame[column].map(lambda v: json.dumps(list(v), ensure_ascii=False))
        paths.append(out / f"{name}.csv")
        frame.to_csv(paths[-1], index=False, encoding="utf-8")
    return paths


def write_parquet(knowledge: Knowledge, out: Path) -> list[Path]:
    paths = []
    for name, frame in _frames(knowledge):
        paths.append(out / f"{name}.parquet")
        frame.to_parquet(paths[-1], index=False, engine="pyarrow")
    return paths


# --- N-Triples -------------------------------------------------------------------------------

RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS_NS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS_NS = "http://www.w3.org/2004/02/skos/core#"
XSD_NS = "http://www.w3.org/2001/XMLSchema#"
VOCAB = f"{BASE}vocab/"


class Literal(NamedTuple):
    """An RDF literal as N-Triples needs it: lexical form, then a datatype or a language."""

    lexical: str
    datatype: str | None = None
    language: str | None = None


class IRI(str):
    """An IRI; ours are percent-encoded, so it goes between <> as it is."""


def entity_iri(node_id: str) -> IRI:
    """``TYPE:key`` -> ``https://zhie.example/entity/TYPE/<percent-encoded key>``."""
    type_, key = node_id.split(":", 1)
    return IRI(f"{BASE}entity/{quote(type_, safe='')}/{quote(key, safe=':')}")


def class_iri(type_: str) -> IRI:
    return IRI(f"{BASE}class/{quote(type_, safe='')}")


def relation_iri(relation: str) -> IRI:
    return IRI(f"{BASE}relation/{quote(relation, safe='')}")


def _is_chinese(text: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" for ch in text)


def _text(value: str) -> Literal:
    """A readable label: tagged @zh when it has Chinese characters, plain otherwise."""
    return Literal(value, language="zh" if _is_chinese(value) else None)


def _typed(value: Any, datatype: str | None) -> Literal | None:
    """A typed literal, or None for a missing value (None, NaN)."""
    if value is None or value != value:
        return None
    if datatype == "integer":
        value = int(value)
    return Literal(str(value), f"{XSD_NS}{datatype}" if datatype else None)


def _nt_term(term: IRI | Literal) -> str:
    if isinstance(term, IRI):
        return f"<{term}>"
    escaped = term.lexical.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    if term.language:
        return f'"{escaped}"@{term.language}'
    return f'"{escaped}"^^<{term.datatype}>' if term.datatype else f'"{escaped}"'


def write_ntriples(knowledge: Knowledge, out: Path) -> list[Path]:
    """One line per statement as it is made.  rdflib reads the file back (the tests do); it does
    not write it, because a Graph of millions of statements is slow and does not fit in memory."""
    path = out / "knowledge.nt"
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        for subject, predicate, obj in _rdf_statements(knowledge):
            handle.write(f"<{subject}> <{predicate}> {_nt_term(obj)} .\n")
    return [path]


def _rows(frame: pd.DataFrame) -> Iterator[Any]:
    """Rows as named tuples, from plain Python lists: iterating Arrow-backed columns is slow."""
    row = namedtuple("row", frame.columns)  # type: ignore[misc]
    return map(row._make, zip(*(frame[column].tolist() for column in frame.columns)))


Statement = tuple[IRI, IRI, "IRI | Literal"]


def _properties(subject: IRI, values: Iterable[tuple[str, Any, str | None]]) -> Iterator[Statement]:
    for name, value, datatype in values:
        literal = _typed(value, datatype)
        if literal is not None:
            yield subject, IRI(f"{VOCAB}{name}"), literal


def _rdf_statements(knowledge: Knowledge) -> Iterator[Statement]:
    rdf_type, label = IRI(f"{RDF_NS}type"), IRI(f"{RDFS_NS}label")
    for type_ in sorted(knowledge.nodes["type"].unique()):
        yield class_iri(type_), rdf_type, IRI(f"{RDFS_NS}Class")
        yield class_iri(type_), label, Literal(type_)
    for relation in sorted(knowledge.edges["relation"].unique()):
        yield relation_iri(relation), rdf_type, IRI(f"{RDF_NS}Property")
        yield relation_iri(relation), label, Literal(relation)
    for node in _rows(knowledge.nodes):
        yield from _node_statements(node, rdf_type, label)
    evidence: dict[str, list[Any]] = {}
    for item in _rows(knowledge.evidence):
        evidence.setdefault(item.triple_id, []).append(item)
    for edge in _rows(knowledge.edges):
        yield from _edge_statements(edge, evidence.pop(edge.id), rdf_type)


def _node_statements(node: Any, rdf_type: IRI, label: IRI) -> Iterator[Statement]:
    iri = entity_iri(node.id)
    yield iri, rdf_type, class_iri(node.type)
    yield iri, label, _text(node.name)
    for alias in node.aliases:
        yield iri, IRI(f"{SKOS_NS}altLabel"), _text(alias)
    yield from _properties(iri, [("mentions", node.mentions, "integer"), ("documents", node.documents, "integer"),
                                 ("amount", node.amount, "double"), ("currency", node.currency, None),
                                 ("upper", node.upper, "double")])


def _edge_statements(edge: Any, evidence: list[Any], rdf_type: IRI) -> Iterator[Statement]:
    """The triple itself, then an rdf:Statement reifying it with its support and evidence."""
    subject, relation, obj = entity_iri(edge.subject_id), relation_iri(edge.relation), entity_iri(edge.object_id)
    yield subject, relation, obj
    statement = IRI(f"{BASE}statement/{edge.id}")
    yield statement, rdf_type, IRI(f"{RDF_NS}Statement")
    yield statement, IRI(f"{RDF_NS}subject"), subject
    yield statement, IRI(f"{RDF_NS}predicate"), relation
    yield statement, IRI(f"{RDF_NS}object"), obj
    yield from _properties(statement, [("support", edge.support, "integer"), ("confidence", edge.confidence, "double"),
                                       ("firstPublished", edge.first_published, "dateTime"),
                                       ("lastPublished", edge.last_published, "dateTime"),
                                       ("qualifiers", edge.qualifiers, None)])
    for number, item in enumerate(evidence):
        node = IRI(f"{statement}/evidence/{number}")
        yield statement, IRI(f"{VOCAB}evidence"), node
        yield node, IRI(f"{VOCAB}document"), IRI(f"{BASE}document/{quote(item.doc_id, safe='')}")
        if isinstance(item.text, str):
            yield node, IRI(f"{VOCAB}text"), _text(item.text)
        yield from _properties(node, [("start", item.start, "integer"), ("end", item.end, "integer"),
                                      ("confidence", item.confidence, "double")])


# --- Neo4j -----------------------------------------------------------------------------------

_NODE_HEADERS = {"id": "id:ID", "name": "name", "aliases": "aliases:string[]",
                 "mentions": "mentions:int", "documents": "documents:int"}
NEO4J_NODES = {  # file -> (nodes table column -> its header, whether the file holds the MONEY nodes)
    "entities.csv": (_NODE_HEADERS, False),
    "amounts.csv": ({**_NODE_HEADERS, "amount": "amount:double", "currency": "currency", "upper": "upper:double"}, True),
}
NEO4J_RELATIONSHIPS = {"subject_id": ":START_ID", "object_id": ":END_ID", "id": "id", "relation": "relation",
                       "support": "support:int", "confidence": "confidence:float",
                       "first_published": "first_published:localdatetime",
                       "last_published": "last_published:localdatetime",
                       "qualifiers": "qualifiers", "doc_ids": "doc_ids:string[]"}


def _neo4j_array(values: Iterable[str]) -> str:
    """Array values joined by the delimiter, which neo4j-admin cannot escape: ';' becomes '；'."""
    return NEO4J_ARRAY_DELIMITER.join(str(v).replace(NEO4J_ARRAY_DELIMITER, "；") for v in values)


def _neo4j_table(frame: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    table = frame[list(columns)].copy()
    for column in LIST_COLUMNS:
        if column in table:
            table[column] = table[column].map(_neo4j_array)
    return table.rename(columns=columns)


def write_neo4j(knowledge: Knowledge, out: Path) -> list[Path]:
    paths = []
    nodes = knowledge.nodes
    for name, (columns, money) in NEO4J_NODES.items():
        chosen = nodes[(nodes["type"] == "MONEY") == money]
        table = _neo4j_table(chosen, columns)
        table[":LABEL"] = "Entity" + NEO4J_ARRAY_DELIMITER + chosen["type"]
        paths.append(out / name)
        table.to_csv(paths[-1], index=False, encoding="utf-8")
    relations = _neo4j_table(knowledge.edges, NEO4J_RELATIONSHIPS)
    relations.insert(2, ":TYPE", knowledge.edges["relation"].str.upper())
    paths.append(out / "relations.csv")
    relations.to_csv(paths[-1], index=False, encoding="utf-8")
    paths.append(_write_import_script(out, [p.name for p in paths]))
    return paths


def neo4j_import_command(directory: str, files: list[str], database: str = "neo4j") -> str:
    """The neo4j-admin (5.x) command that loads the CSVs; the database name comes first."""
    options = [f"--nodes={directory}/{name}" for name in files if name != "relations.csv"]
    options += [f"--relationships={directory}/relations.csv",
                f"--array-delimiter={shlex.quote(NEO4J_ARRAY_DELIMITER)}", "--multiline-fields=true"]
    return " ".join(["neo4j-admin database import full", database, *options])


def _write_import_script(out: Path, files: list[str]) -> Path:
    path = out / "import.sh"
    command = neo4j_import_command('"$DIR"', files, database='"${1:-neo4j}"')
    path.write_text(
        "#!/bin/sh\n"
        "# Loads these CSVs into a new Neo4j 5 database (default: neo4j; stop it first).\n"
        "# Usage: sh import.sh [DATABASE]   (neo4j-admin on PATH; add --overwrite-destination to replace)\n"
        "set -e\n"
        'DIR="$(cd "$(dirname "$0")" && pwd)"\n'
        f"{command}\n", encoding="utf-8")
    path.chmod(0o755)
    return path


# --- the command -----------------------------------------------------------------------------

WRITERS: dict[str, Callable[[Any, Path], list[Path]]] = {
    "csv": write_csv, "parquet": write_parquet, "ntriples": write_ntriples, "neo4j": write_neo4j,
}


def formats(values: list[str] | None) -> list[str]:
    """``--to`` values, comma-separated or repeated, in order and once each."""
    chosen: list[str] = []
    for value in values or ["csv"]:
        for name in value.split(","):
            name = name.strip().lower()
            if name not in WRITERS:
                raise ValueError(f"unknown export format {name!r}; choose from {', '.join(WRITERS)}")
            if name not in chosen:
                chosen.append(name)
    return chosen


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("run_dir", type=Path, metavar="OUT_DIR", help="the output directory of `zhie run`")
    parser.add_argument("--to", action="append", metavar="FORMAT",
                        help=f"{'|'.join(WRITERS)}; comma-separated or repeated (default: csv)")
    parser.add_argument("-o", "--output", required=True, type=Path, metavar="DIR",
                        help="where to write; one sub-directory per format")


def export(run_dir: Path, output: Path, chosen: list[str]) -> dict[str, list[Path]]:
    """Aggregate ``run_dir`` once and write each chosen format under ``output/<format>/``."""
    from .knowledge import aggregate

    knowledge = aggregate(run_dir)
    if knowledge.problems.count:
        print(f"zhie export: skipped {knowledge.problems.count} bad lines, e.g.:", file=sys.stderr)
        for example in knowledge.problems.examples[:5]:
            print(f"  {example}", file=sys.stderr)
    written = {}
    for name in chosen:
        directory = output / name
        directory.mkdir(parents=True, exist_ok=True)
        written[name] = WRITERS[name](knowledge, directory)
    print(f"zhie export: {len(knowledge.nodes)} entities, {len(knowledge.edges)} triples, "
          f"{len(knowledge.evidence)} evidence sentences -> {output}", file=sys.stderr)
    return written


def main(args: argparse.Namespace) -> int:
    from .knowledge import RunDirError

    try:
        chosen = formats(args.to)
    except ValueError as exc:
        print(f"zhie export: {exc}", file=sys.stderr)
        return 2
    try:
        written = export(args.run_dir, args.output, chosen)
    except (RunDirError, OSError) as exc:
        print(f"zhie export: {exc}", file=sys.stderr)
        return 1
    for paths in written.values():
        for path in paths:
            print(path)
    if "neo4j" in written:
        directory = shlex.quote(str((args.output / "neo4j").resolve()))
        files = [p.name for p in written["neo4j"] if p.suffix == ".csv"]
        print(f"load into Neo4j with:\n  {neo4j_import_command(directory, files)}")
    return 0
