"""`zhie run`: read → clean → spaCy pipeline → write, in one process or several.

The main process reads the inputs and writes the outputs in input order; worker processes
(each loading the pipeline once) clean and analyse batches of records.  At most a few batches
are in flight, so memory stays flat however large the dump.
"""
from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone
from itertools import islice
from pathlib import Path
from typing import Any, Iterable, Iterator

from spacy.language import Language

from . import __version__, language
from .cleaning import clean
from .entities import read_user_entities
from .reading import read_inputs
from .records import Document, RawRecord, ReadError
from .writing import DocResult, OutputWriter, result_for_doc, result_for_failure, result_for_read_error

Item = RawRecord | ReadError


@dataclass
class PipelineOptions:
    """How to build the spaCy pipeline; picklable so that workers build the same one."""

    ner_backend: str | None = None
    ner_model: Path | None = None
    hanlp_model: str | None = None
    user_entities: Path | None = None

    def build(self) -> Language:
        overrides: dict[str, Any] = {}
        if self.ner_backend:
            overrides["components.ner.backend"] = self.ner_backend
        if self.ner_model:
            overrides["components.ner.model"] = str(Path(self.ner_model).resolve())
        if self.hanlp_model:
            overrides["components.ner.hanlp_model"] = self.hanlp_model
        if self.user_entities:
            overrides["components.ner.user_entities"] = str(Path(self.user_entities).resolve())
        return language.build(overrides=overrides)


# --- analysing items -------------------------------------------------------------------------

def analyse(nlp: Language, items: list[Item]) -> list[DocResult]:
    """Results for a batch of input items, in order; a failing document fails alone."""
    results: list[DocResult | None] = [None] * len(items)
    todo: list[tuple[int, Document]] = []
    for i, item in enumerate(items):
        if isinstance(item, ReadError):
            results[i] = result_for_read_error(item)
            continue
        document = clean(item)
        if document.ok:
            todo.append((i, document))
        else:
            results[i] = result_for_failure(document)
    for i, result in _analyse_documents(nlp, todo):
        results[i] = result
    return results  # type: ignore[return-value]


MAX_PIECE_CHARS = 20_000


def split_text(text: str, limit: int = MAX_PIECE_CHARS) -> list[tuple[int, str]]:
    """(offset, piece) cut after a sentence end or line break where possible, so that a
    document of megabytes is analysed in bounded pieces instead of one huge Doc."""
    pieces, start = [], 0
    while len(text) - start > limit:
        window = text[start:start + limit]
        cut = max(window.rfind(ch) for ch in "。！？!?\n")
        end = start + (cut + 1 if cut > limit // 2 else limit)
        pieces.append((start, text[start:end]))
        start = end
    pieces.append((start, text[start:]))
    return pieces


def _analyse_documents(nlp: Language, todo: list[tuple[int, Document]]) -> Iterator[tuple[int, DocResult]]:
    """Documents in one nlp.pipe call; a failure is retried document by document."""
    jobs = [(i, document, split_text(document.text)) for i, document in todo]
    texts = [piece for _, _, pieces in jobs for _, piece in pieces]
    try:
        docs = iter(list(nlp.pipe(texts)))
    except Exception:  # noqa: BLE001 - find the document that failed, keep the others
        for i, document, pieces in jobs:
            yield i, _analyse_one(nlp, document, pieces)
        return
    for i, document, pieces in jobs:
        yield i, result_for_doc(document, [(offset, next(docs)) for offset, _ in pieces])


def _analyse_one(nlp: Language, document: Document, pieces: list[tuple[int, str]]) -> DocResult:
    try:
        return result_for_doc(document, [(offset, nlp(piece)) for offset, piece in pieces])
    except Exception as exc:  # noqa: BLE001 - reported in documents.jsonl and errors.jsonl
        document.error = f"analysis failed: {type(exc).__name__}: {exc}"
        return result_for_failure(document)


# --- worker processes ------------------------------------------------------------------------

_worker_nlp: Language | None = None


def _init_worker(options: PipelineOptions) -> None:
    global _worker_nlp
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()
    _worker_nlp = options.build()


def _exit_with_parent(parent: int) -> None:
    """End this worker when the main process is gone: after a ``kill -9`` nobody stops the pool,
    and an orphaned worker would wait for work forever, holding the pipeline's memory."""
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def _work(items: list[Item]) -> list[DocResult]:
    assert _worker_nlp is not None
    return analyse(_worker_nlp, items)


def batches(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def results_in_order(items: Iterable[Item], options: PipelineOptions, workers: int,
                     batch_size: int) -> Iterator[list[DocResult]]:
    """Batches of results in input order, from this process or from a pool of workers."""
    if workers <= 1:
        nlp = options.build()
        for batch in batches(items, batch_size):
            yield analyse(nlp, batch)
        return
    with ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(options,)) as pool:
        pending: list[Future] = []
        for batch in batches(items, batch_size):
            pending.append(pool.submit(_work, batch))
            if len(pending) >= 2 * workers:
                yield pending.pop(0).result()
        for future in pending:
            yield future.result()


# --- progress --------------------------------------------------------------------------------

class Progress:
    """One status line on stderr: documents done and characters per second."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.start = time.monotonic()
        self._shown = 0.0

    def update(self, docs: int, chars: int, final: bool = False) -> None:
        now = time.monotonic()
        if not self.enabled or (not final and now - self._shown < 0.5):
            return
        self._shown = now
        elapsed = max(now - self.start, 1e-9)
        line = f"\rzhie: {docs:,} documents  {chars:,} chars  {chars / elapsed:,.0f} chars/s  {elapsed:,.0f}s"
        sys.stderr.write(line + ("\n" if final else ""))
        sys.stderr.flush()


# --- the command -----------------------------------------------------------------------------

def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("inputs", nargs="+", metavar="INPUT",
                        help="files or directories (walked); '-' reads JSON Lines from standard input")
    parser.add_argument("-o", "--output", required=True, type=Path, metavar="OUT_DIR")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="worker processes (default: the machine's cores)")
    parser.add_argument("--batch-size", type=int, default=64, help="documents per batch (default 64)")
    parser.add_argument("--resume", action="store_true",
                        help="continue an interrupted run into the same OUT_DIR")
    parser.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                        help="progress line on stderr (default: when stderr is a terminal)")
    parser.add_argument("--ner-backend", choices=["model", "hanlp", "jieba"], default=None,
                        help="entity recogniser: the shipped model (default), a HanLP model, or jieba's POS tags")
    parser.add_argument("--ner-model", type=Path, metavar="DIR",
                        help="another model for --ner-backend model (default: the shipped models/ner), "
                             "e.g. one written by scripts/train_ner.py --out DIR")
    parser.add_argument("--hanlp-model", metavar="NAME_OR_PATH",
                        help="the HanLP NER model for --ner-backend hanlp")
    parser.add_argument("--entities", type=Path, metavar="FILE",
                        help="your names, one NAME<TAB>LABEL per line (PERSON, COMPANY, ORG, LOC)")
    parser.add_argument("--engine", choices=["local", "spark"], default="local",
                        help="local processes, or Apache Spark (needs the spark extra)")
    parser.add_argument("--master",
                        help="Spark master URL with --engine spark (default: the one spark-submit "
                             "was given, else local[*])")


def main(args: argparse.Namespace) -> int:
    options = PipelineOptions(ner_backend=args.ner_backend, ner_model=args.ner_model,
                              hanlp_model=args.hanlp_model, user_entities=args.entities)
    if args.ner_model is not None and not (args.ner_model / "weights.npz").is_file():
        print(f"zhie: --ner-model: no model in {args.ner_model} (weights.npz missing)", file=sys.stderr)
        return 2
    if args.entities is not None:
        try:
            read_user_entities(args.entities)
        except (OSError, ValueError) as exc:
            print(f"zhie: --entities: {exc}", file=sys.stderr)
            return 2
    progress_on = args.progress if args.progress is not None else sys.stderr.isatty()
    try:
        if args.engine == "spark":
            from .spark_engine import run_spark

            summary = run_spark(args.inputs, args.output, options, master=args.master,
                                batch_size=args.batch_size, resume=args.resume, progress=progress_on)
        else:
            summary = run(args.inputs, args.output, options, workers=args.workers,
                          batch_size=args.batch_size, resume=args.resume, progress=progress_on)
    except (ValueError, OSError) as exc:
        print(f"zhie: {exc}", file=sys.stderr)
        return 2
    print(f"zhie: {summary['documents']['ok']} documents ok, {summary['documents']['error']} with errors, "
          f"{summary['entities']} entities, {summary['triples']} triples -> {args.output}", file=sys.stderr)
    if summary["documents"]["ok"] + summary["documents"]["error"] == 0:
        print("zhie: no input could be read; see errors.jsonl", file=sys.stderr)
        return 1
    return 0


@dataclass
class RunState:
    """What a run carries from its start to its summary, whichever engine does the work."""

    inputs: list[str]
    writer: OutputWriter
    progress: Progress
    started: datetime
    clock: float
    chars_before: int


def start(inputs: list[str], out_dir: Path, resume: bool, progress: bool) -> RunState:
    writer = OutputWriter(out_dir, resume=resume)
    return RunState(list(inputs), writer, Progress(progress), datetime.now(timezone.utc),
                    time.monotonic(), writer.counts.chars)


def finish(state: RunState, result_batches: Iterable[list[DocResult]], engine: str,
           skip_results: int = 0) -> dict[str, Any]:
    """Write the results (after the first `skip_results`, already written by an interrupted
    run) and the summary."""
    writer, bar = state.writer, state.progress
    skipped = writer.done_items
    for results in result_batches:
        if skip_results:
            dropped = min(skip_results, len(results))
            results, skip_results = results[dropped:], skip_results - dropped
        writer.write(results)
        bar.update(writer.counts.documents_ok + writer.counts.documents_error, writer.counts.chars - state.chars_before)
    bar.update(writer.counts.documents_ok + writer.counts.documents_error,
               writer.counts.chars - state.chars_before, final=True)
    seconds = time.monotonic() - state.clock
    counts = writer.counts
    summary = {
        "documents": {"ok": counts.documents_ok, "error": counts.documents_error},
        "errors": counts.errors,
        "entities": counts.entities,
        "triples": counts.triples,
        "chars": counts.chars,
        "timing": {
            "started": state.started.isoformat(timespec="seconds"),
            "seconds": round(seconds, 3),
            "chars_per_second": round((counts.chars - state.chars_before) / seconds) if seconds else None,
            "resumed_after_items": skipped,
        },
        "engine": engine,
        "inputs": state.inputs,
        "zhie_version": __version__,
    }
    writer.close(summary)
    return summary


def run(inputs: list[str], out_dir: Path, options: PipelineOptions, *, workers: int = 1,
        batch_size: int = 64, resume: bool = False, progress: bool = False) -> dict[str, Any]:
    """The local engine: items after those an interrupted run wrote are read and analysed."""
    state = start(inputs, out_dir, resume, progress)
    items = islice(read_inputs(inputs), state.writer.done_items, None)
    return finish(state, results_in_order(items, options, workers, batch_size),
                  engine=f"local ({workers} worker{'s' if workers != 1 else ''})")
