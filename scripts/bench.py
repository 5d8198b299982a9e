"""`make bench`: accuracy on the public sets that are present, speed and memory of `zhie run`,
each beside the jieba anchor measured in the same run; writes BENCHMARKS.md.

Every figure comes from the contract outputs: `zhie run` writes OUT_DIR, `zhie eval` scores it.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ZHIE = [sys.executable, "-m", "pipeline.cli"]


@dataclass
class Benchmark:
    name: str
    gold: str          # path under ../shared/data
    kind: str          # ner | triples
    dataset: str | None


PUBLIC = [
    Benchmark("MSRA test", "ner/msra/test.jsonl", "ner", "msra"),
    Benchmark("CLUENER2020 dev", "ner/cluener2020/dev.jsonl", "ner", "cluener2020"),
    Benchmark("DuEE dev", "re/duee/triples_dev.jsonl", "triples", "duee"),
    Benchmark("DuEE-Fin dev", "re/duee_fin/triples_dev.jsonl", "triples", "duee_fin"),
]


# --- running commands ------------------------------------------------------------------------

def tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants, from /proc."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS")))
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except (OSError, StopIteration):
            continue
        todo.extend(int(c) for c in children)
    return total


def measured(cmd: list[str], log: list[str]) -> tuple[float, int]:
    """Run a command; (seconds, peak resident MB of its whole process tree)."""
    log.append(" ".join(str(c) for c in cmd))
    start = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss_kb(proc.pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    done.set()
    sampler.join()
    if proc.returncode:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(map(str, cmd))}\n{err.decode()[-2000:]}")
    return time.monotonic() - start, peak // 1024


def zhie_run(inputs: list[Path], out: Path, log: list[str], *extra: str) -> tuple[dict, int]:
    _, peak_mb = measured([*ZHIE, "run", *map(str, inputs), "-o", str(out), "--no-progress", *extra], log)
    return json.loads((out / "summary.json").read_text()), peak_mb


def zhie_eval(kind: str, gold: Path, pred: Path, dataset: str | None, log: list[str]) -> dict:
    report = pred / f"eval_{kind}.json"
    cmd = [*ZHIE, "eval", kind, "--gold", str(gold), "--pred", str(pred), "--json", str(report),
           "--html", str(pred / f"eval_{kind}.html")]
    if dataset:
        cmd += ["--dataset", dataset]
    measured(cmd, log)
    return json.loads(report.read_text())


# --- the parts of the report -----------------------------------------------------------------

def f1_row(name: str, system: str, scores: dict[str, float | None]) -> str:
    cells = " | ".join("–" if v is None else f"{v:.3f}" for v in scores.values())
    return f"| {name} | {system} | {cells} |"


def ner_scores(report: dict) -> dict[str, float | None]:
    """PERSON and COMPANY+ORG family F1 with exact spans, and the families' micro F1."""
    families = report["exact"]["families"]
    return {
        "PERSON F1": families["per_label"].get("PERSON", {}).get("f1"),
        "COMPANY+ORG F1": families["per_label"].get("ORG*", {}).get("f1"),
        "micro F1": families["micro"]["f1"],
    }


def accuracy(shared: Path, work: Path, log: list[str], workers: str) -> list[str]:
    rows = ["| benchmark | system | PERSON F1 | COMPANY+ORG F1 | micro F1 |", "|---|---|---|---|---|"]
    triple_rows = ["| benchmark | system | P | R | F1 (strict) | F1 (relaxed) |", "|---|---|---|---|---|---|"]
    per_relation: list[str] = []
    for bench in PUBLIC:
        gold = shared / "data" / bench.gold
        if not gold.exists():
            rows.append(f"| {bench.name} | (absent) | – | – | – |")
            continue
        systems = [("zhie", [])] + ([("jieba POS as NER (anchor)", ["--ner-backend", "jieba"])] if bench.kind == "ner" else [])
        for system, extra in systems:
            out = work / bench.name.replace(" ", "_") / system.split()[0]
            zhie_run([gold], out, log, "--workers", workers, *extra)
            report = zhie_eval(bench.kind, gold, out, bench.dataset, log)
            if bench.kind == "ner":
                rows.append(f1_row(bench.name, system, ner_scores(report)))
            else:
                micro, relaxed = report["micro"], report["relaxed"]["micro"]
                triple_rows.append(f"| {bench.name} | {system} | {micro['p']:.3f} | {micro['r']:.3f} | "
                                   f"{micro['f1']:.3f} | {relaxed['f1']:.3f} |")
                per_relation += relation_rows(bench.name, report)
    return ["### Entities (exact spans, label families)", "", *rows, "",
            "### Triples", "", *triple_rows, "", "Per relation (strict):", "",
            "| benchmark | relation | P | R | F1 | tp | fp | fn |", "|---|---|---|---|---|---|---|---|",
            *per_relation]


def relation_rows(name: str, report: dict) -> list[str]:
    return [f"| {name} | {rel} | {s['p']:.3f} | {s['r']:.3f} | {s['f1']:.3f} | {s['tp']} | {s['fp']} | {s['fn']} |"
            for rel, s in sorted(report["per_relation"].items())]


CORPUS_DUMP = REPO / "corpus" / "dump"  # the input; corpus/ itself also holds the gold and a README
CORPUS_GOLD = REPO / "corpus" / "gold.jsonl"


def corpus_scores(work: Path, log: list[str], workers: str) -> list[str]:
    if not CORPUS_GOLD.exists() or not CORPUS_DUMP.is_dir():
        return ["(corpus/dump or corpus/gold.jsonl absent)"]
    lines = ["| system | entity F1 (doc-level) | MONEY F1 | MONEY value accuracy | triples P | R | F1 |",
             "|---|---|---|---|---|---|---|"]
    for system, extra in (("zhie", []), ("jieba POS as NER (anchor)", ["--ner-backend", "jieba"])):
        out = work / "corpus" / system.split()[0]
        zhie_run([CORPUS_DUMP], out, log, "--workers", workers, *extra)
        ner = zhie_eval("ner", CORPUS_GOLD, out, None, log)
        triples = zhie_eval("triples", CORPUS_GOLD, out, "corpus", log)
        money, ent = ner["money"], ner["entities"]["families"]["micro"]
        m = triples["micro"]
        lines.append(f"| {system} | {ent['f1']:.3f} | {money['micro']['f1']:.3f} | "
                     f"{money['value_accuracy']:.3f} | {m['p']:.3f} | {m['r']:.3f} | {m['f1']:.3f} |")
    return lines


def jieba_pos_chars_per_second(texts: list[str]) -> float:
    import jieba.posseg

    tagger = jieba.posseg.POSTokenizer(jieba.Tokenizer())
    list(tagger.cut("预热"))
    start = time.monotonic()
    for text in texts:
        for _ in tagger.cut(text):
            pass
    return sum(map(len, texts)) / (time.monotonic() - start)


def speed(shared: Path, work: Path, log: list[str], limit: int | None = None) -> list[str]:
    """Throughput beside the anchor, 2-worker speedup, peak memory at 1× and 4× the text;
    `limit` takes only the first documents (a quick check of this section, not a figure)."""
    source = shared / "data" / "re" / "duee_fin" / "triples_dev.jsonl"
    if not source.exists():
        return ["(the speed text, DuEE-Fin dev, is absent)"]
    records = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines()][:limit]
    texts = [r["text"] for r in records]
    work.mkdir(parents=True, exist_ok=True)
    one = work / "speed_1x.jsonl"
    one.write_text("".join(json.dumps({"id": r["id"], "text": r["text"]}, ensure_ascii=False) + "\n"
                           for r in records), encoding="utf-8")
    four = work / "speed_4x.jsonl"
    four.write_text("".join(json.dumps({"id": f"{k}-{r['id']}", "text": r["text"]}, ensure_ascii=False) + "\n"
                            for k in range(4) for r in records), encoding="utf-8")
    chars = sum(map(len, texts))
    anchor = jieba_pos_chars_per_second(texts)
    log.append("jieba.posseg over the same texts, in-process (scripts/bench.py: jieba_pos_chars_per_second)")
    s1, mem1 = zhie_run([one], work / "w1", log, "--workers", "1")
    s2, mem2 = zhie_run([one], work / "w2", log, "--workers", "2")
    s4, mem4 = zhie_run([four], work / "w2x4", log, "--workers", "2")
    r1 = s1["timing"]["chars_per_second"]
    r2 = s2["timing"]["chars_per_second"]
    return [
        f"Text: DuEE-Fin dev, {len(texts):,} news documents, {chars:,} characters.",
        "",
        "| measure | value |", "|---|---|",
        f"| jieba POS tagging alone (anchor), 1 process | {anchor:,.0f} chars/s |",
        f"| `zhie run --workers 1` | {r1:,} chars/s, {len(texts) / s1['timing']['seconds']:.1f} docs/s |",
        f"| ratio to the anchor (1 process) | {r1 / anchor:.2f} |",
        f"| `zhie run --workers 2` | {r2:,} chars/s, {len(texts) / s2['timing']['seconds']:.1f} docs/s |",
        f"| speedup 2 workers / 1 | {r2 / r1:.2f}× |",
        f"| peak memory, 1 worker, 1× input | {mem1:,} MB |",
        f"| peak memory, 2 workers, 1× input | {mem2:,} MB |",
        f"| peak memory, 2 workers, 4× input | {mem4:,} MB ({mem4 / mem2:.2f}× the 1× peak) |",
    ]


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem = next(int(line.split()[1]) // 1024 // 1024 for line in Path("/proc/meminfo").read_text().splitlines()
               if line.startswith("MemTotal"))
    return f"{os.cpu_count()} cores ({cpu}), {mem} GB RAM, Python {platform.python_version()}, {platform.system()}"


SECTIONS = ("accuracy", "corpus", "speed")


def default_shared() -> Path:
    """$ZHIE_SHARED, else ../shared beside the checkout, else /work/shared (first that exists)."""
    candidates = [os.environ.get("ZHIE_SHARED"), REPO.parent / "shared", "/work/shared"]
    found = [Path(c) for c in candidates if c and Path(c).is_dir()]
    return found[0] if found else REPO.parent / "shared"


def shown(path: Path) -> str:
    """A path as the report names it: relative to the repository when inside it."""
    return str(path.resolve().relative_to(REPO)) if path.resolve().is_relative_to(REPO) else str(path)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=default_shared(),
                        help="the shared data (default: $ZHIE_SHARED, else ../shared, else /work/shared)")
    parser.add_argument("--work", type=Path, default=REPO / "out" / "bench")
    parser.add_argument("--output", type=Path, default=None,
                        help="the report (default: BENCHMARKS.md; with --only, standard output)")
    parser.add_argument("--workers", default="2", help="workers for the accuracy runs")
    parser.add_argument("--speed-docs", type=int, default=None, metavar="N",
                        help="speed on the first N documents only (a smoke test of that section)")
    parser.add_argument("--only", choices=SECTIONS, action="append",
                        help="measure only this section (repeatable); BENCHMARKS.md is left alone unless --output names it")
    args = parser.parse_args()
    only = set(args.only or SECTIONS)
    log: list[str] = []
    started = datetime.now(timezone.utc)
    parts = {
        "accuracy": lambda: ["## Accuracy", "", *accuracy(args.shared, args.work, log, args.workers), ""],
        "corpus": lambda: ["## The team's corpus (`corpus/dump`, gold in `corpus/gold.jsonl`)", "",
                           "The corpus is what the rules were developed on, so these figures are an "
                           "upper bound for similar unseen text.", "",
                           *corpus_scores(args.work, log, args.workers), ""],
        "speed": lambda: ["## Speed and memory", "", *speed(args.shared, args.work / "speed", log, args.speed_docs), ""],
    }
    command = "make bench" if args.only is None else "scripts/bench.py " + " ".join(f"--only {s}" for s in args.only)
    sections = [
        "# zhie benchmarks", "",
        f"Measured by `{command}` on {started:%Y-%m-%d %H:%M} UTC; machine: {machine()}.", "",
        "Every score comes from the contract outputs: `zhie run` on the benchmark file, then `zhie eval`.",
        "The anchor is jieba's part-of-speech tags read as entities (nr → PERSON, nt → ORG), run through the same",
        f"pipeline and scored by the same evaluator. Bench outputs (with HTML reports) are under `{shown(args.work)}`.", "",
        *(line for name in SECTIONS if name in only for line in parts[name]()),
        "## Commands", "", "```", *log, "```", "",
    ]
    output = args.output or (REPO / "BENCHMARKS.md" if args.only is None else None)
    if output is None:
        print("\n".join(sections))
    else:
        output.write_text("\n".join(sections), encoding="utf-8")
        print(f"wrote {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
