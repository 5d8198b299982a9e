"""`zhie run --engine spark`: the same job on Apache Spark, for dumps that outgrow one machine.

Spark lists and reads the input files (local paths or any Hadoop-supported URI: hdfs://,
s3a://, ...); each partition is processed with the pipeline loaded once per executor process
(``mapPartitions``); the driver streams the results back in input order and writes the same
output files as the local engine.  The pipeline travels to the executors as its config and
``nlp.to_bytes()`` in a broadcast variable, so executors need the zhie package installed but
not the model files on their disks.
"""
from __future__ import annotations

import io
import os
import sys
from pathlib import Path
from typing import Any, Iterable, Iterator

from spacy import util
from spacy.language import Language

from . import language  # noqa: F401 - registers the components on the executors too
from .reading import read_source
from .run import Item, PipelineOptions, analyse, batches, finish, start
from .writing import DocResult

_executor_nlp: dict[str, Language] = {}


def _pipeline(broadcast: Any) -> Language:
    """The broadcast pipeline, built once per executor process and reused by its tasks."""
    config, data = broadcast.value
    nlp = _executor_nlp.get(config)
    if nlp is None:
        nlp = util.load_model_from_config(util.load_config_from_str(config), auto_fill=True)
        nlp.from_bytes(data)
        _executor_nlp[config] = nlp
    return nlp


def _analyse_files(broadcast: Any, batch_size: int, rows: Iterable[Any]) -> Iterator[tuple[str, list[DocResult]]]:
    """(path, results of every item of that file) for each file of a partition."""
    nlp = _pipeline(broadcast)
    for row in rows:
        content = bytes(row.content)
        items: list[Item] = list(read_source(_local_name(row.path), lambda: io.BytesIO(content)))
        results: list[DocResult] = []
        for batch in batches(items, batch_size):
            results.extend(analyse(nlp, batch))
        yield row.path, results


def session(master: str | None):
    """A master given on the command line wins; without one, Spark's own choice stands (the
    --master of spark-submit, or local[*] when run directly)."""
    from pyspark.sql import SparkSession

    # executors in local mode run this interpreter, with zhie importable from it
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder if master is None else SparkSession.builder.master(master)
    return (builder.appName("zhie")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.sources.binaryFile.maxLength", str(2**31 - 1))
            .getOrCreate())


def results_in_order(spark: Any, inputs: list[str], options: PipelineOptions,
                     batch_size: int) -> Iterator[list[DocResult]]:
    """Results per input file, files in path order, as the local engine walks them."""
    if "-" in inputs:
        raise ValueError("standard input cannot be read with --engine spark; give files or directories")
    nlp = options.build()
    broadcast = spark.sparkContext.broadcast((nlp.config.to_str(), nlp.to_bytes()))
    files = (spark.read.format("binaryFile").option("recursiveFileLookup", "true")
             .load([_uri(p) for p in inputs]).select("path", "content"))
    per_file = files.rdd.mapPartitions(lambda rows: _analyse_files(broadcast, batch_size, rows))
    for _, results in per_file.sortByKey().toLocalIterator():
        yield results


def _local_name(uri: str) -> str:
    """A local file's path as the local engine names its source; other URIs as they are."""
    return uri[len("file:"):] if uri.startswith("file:") else uri


def _uri(path: str) -> str:
    """Local paths as absolute file: URIs; anything with a scheme as given."""
    return path if "://" in path else Path(path).resolve().as_uri()


def run_spark(inputs: list[str], out_dir: Path, options: PipelineOptions, *, master: str | None = None,
              batch_size: int = 64, resume: bool = False, progress: bool = False) -> dict[str, Any]:
    spark = session(master)
    try:
        state = start(inputs, out_dir, resume, progress)
        results = results_in_order(spark, inputs, options, batch_size)
        # Spark analyses every file again; the items an interrupted run wrote are dropped here
        return finish(state, results, engine=f"spark ({spark.sparkContext.master})", skip_results=state.writer.done_items)
    finally:
        spark.stop()
