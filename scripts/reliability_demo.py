"""The figures for the closing note of the scale & reliability issue, measured on the spot.

A. Broken input: a directory of malformed JSON lines, invalid UTF-8, a binary file, empty
   files, JSON nested 5000 deep, HTML with no body, CSV with broken quoting, records with no
   text and with null text, and some good records.  `zhie run` over it; prints summary.json,
   every errors.jsonl line, and whether the counts add up to the lines of the output files.
B. kill -9 and --resume: the team's corpus (corpus/dump) replicated N times with distinct ids;
   `zhie run` is killed with SIGKILL part way, resumed, and compared with a run that was never
   interrupted.
C. kill -9 of a run with two worker processes: whether the workers end too.

    .venv/bin/python scripts/reliability_demo.py [--copies 20] [--ner-backend jieba] [--keep DIR]

All generated input and output goes to a temporary directory (or DIR with --keep); nothing is
read from ../shared.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from pipeline.reading import read_inputs
from pipeline.records import RawRecord

REPO = Path(__file__).resolve().parent.parent

OUTPUTS = ("documents", "entities", "triples", "errors")
GOOD = "云杉科技宣布完成5亿元B轮融资，由启明创投领投。公司首席执行官陈思远表示，资金将用于研发。"


def zhie_run(src: Path, out: Path, *extra: str, workers: int = 1) -> list[str]:
    return [sys.executable, "-m", "pipeline.cli", "run", str(src), "-o", str(out), "--workers", str(workers),
            "--no-progress", *extra]


# --- reading what a killed run left ------------------------------------------------------------

def complete_lines(path: Path) -> list[dict]:
    """Every newline-terminated line of a JSONL output, parsed (json.loads raises on a line
    that is not JSON).  A tail without a newline is what `torn_tail` returns."""
    if not path.exists():
        return []
    body = path.read_bytes().rpartition(b"\n")[0]
    return [json.loads(line) for line in body.split(b"\n") if line]


def torn_tail(path: Path) -> bytes:
    """Bytes after the last newline: a write cut by a kill (nothing, after a clean end)."""
    return path.read_bytes().rpartition(b"\n")[2] if path.exists() else b""


def children(pid: int) -> list[int]:
    """The child processes (pool workers) of a running process, from /proc (Linux)."""
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def alive(pid: int) -> bool:
    """Whether a process exists and is not a zombie waiting to be reaped."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def kill_part_way(cmd: list[str], documents: Path, at_least: int) -> list[int] | None:
    """Start `cmd` and SIGKILL it once `documents` has `at_least` lines; the pids of its
    children (workers) at that moment, or None when the run ended on its own first."""
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: list[int] = []
    try:
        while proc.poll() is None:
            if documents.exists() and documents.read_bytes().count(b"\n") >= at_least:
                workers = children(proc.pid)
                os.kill(proc.pid, signal.SIGKILL)
                break
            time.sleep(0.005)
        proc.wait(timeout=600)
    finally:
        if proc.poll() is None:
            proc.kill()
    return workers if proc.returncode == -signal.SIGKILL else None


def survivors(workers: list[int], patience: float) -> list[int]:
    """The workers still alive after waiting up to `patience` seconds for them to end."""
    deadline = time.monotonic() + patience
    while any(map(alive, workers)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return [pid for pid in workers if alive(pid)]


# --- A. broken input ---------------------------------------------------------------------------

def json_line(record: object) -> bytes:
    return json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n"


def write_broken_inputs(root: Path) -> None:
    """One directory with every kind of bad input named in the issue, and good records among it."""
    root.mkdir(parents=True)
    (root / "records.jsonl").write_bytes(b"".join([
        json_line({"id": "good-1", "title": "融资", "text": GOOD}),
        b'{"id": "cut", "text": "unterminated\n',                       # malformed JSON
        b"\xff\xfe\xfa not utf-8 \x80\x81\n",                            # invalid UTF-8
        b'{"a":' * 5000 + b"1" + b"}" * 5000 + b"\n",                    # nested 5000 deep
        json_line({"id": "no-text", "title": "只有标题"}),               # no text field
        json_line({"id": "null-text", "text": None}),                    # null text
        b"[1, 2, 3]\n",                                                   # not an object
        json_line({"id": "good-2", "content": GOOD.replace("5亿元", "8亿元")}),
    ]))
    (root / "deep.json").write_bytes(b"[" * 5000 + b"]" * 5000)
    (root / "empty.jsonl").write_bytes(b"")
    (root / "empty.txt").write_bytes(b"")
    (root / "scan.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    (root / "garbled.txt").write_bytes(b"\x80\xff" * 200)
    (root / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0" + bytes(64))
    (root / "nobody.html").write_text("<html><head><title>只有标题的页面</title></head></html>", encoding="utf-8")
    (root / "export.csv").write_text(
        "\ufeffid,title,content\n"
        f"csv-1,好的一行,{GOOD}\n"
        'csv-2,坏的引号,"这一格的引号没有关上\n'
        f"csv-3,又一行,{GOOD.replace('5亿元', '3亿元')}\n", encoding="utf-8")
    (root / "good.txt").write_text(f"融资快讯\n{GOOD}\n", encoding="utf-8")


def counts_add_up(out: Path, summary: dict) -> list[str]:
    """Each summary count beside the lines of the file it counts."""
    lines = {name: complete_lines(out / f"{name}.jsonl") for name in OUTPUTS}
    statuses = Counter(doc["status"] for doc in lines["documents"])
    checks = [("documents ok", summary["documents"]["ok"], statuses["ok"]),
              ("documents error", summary["documents"]["error"], statuses["error"]),
              ("errors", summary["errors"], len(lines["errors"])),
              ("entities", summary["entities"], len(lines["entities"])),
              ("triples", summary["triples"], len(lines["triples"]))]
    return [f"  {name}: summary {said}, lines {found} -> {'ok' if said == found else 'MISMATCH'}"
            for name, said, found in checks]


def broken_input(work: Path, extra: list[str]) -> None:
    src, out = work / "broken", work / "broken_out"
    write_broken_inputs(src)
    cmd = zhie_run(src, out, *extra)
    done = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
    print("## A. Broken input\n")
    print("$", " ".join(cmd))
    print(f"exit status {done.returncode}; {done.stderr.strip().splitlines()[-1]}")
    print("\nsummary.json:")
    print((out / "summary.json").read_text(encoding="utf-8"))
    print("errors.jsonl:")
    for line in (out / "errors.jsonl").read_text(encoding="utf-8").splitlines():
        print(" ", line)
    print("\ncounts against the files:")
    print("\n".join(counts_add_up(out, json.loads((out / "summary.json").read_text(encoding="utf-8")))))


# --- B. kill -9 and --resume -----------------------------------------------------------------

def replicate_corpus(dest: Path, copies: int) -> int:
    """The corpus documents `copies` times as JSON Lines, ids made distinct with a suffix."""
    records = [r for r in read_inputs([str(REPO / "corpus" / "dump")]) if isinstance(r, RawRecord) and not r.error]
    dest.mkdir(parents=True)
    fields = ("text", "html", "title", "account", "publish_time", "url", "author")
    with open(dest / "dump.jsonl", "w", encoding="utf-8") as handle:
        for k in range(copies):
            for record in records:
                row = {"id": f"{record.doc_id}~{k:02d}"}
                row.update({f: getattr(record, f) for f in fields if getattr(record, f) is not None})
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    return len(records) * copies


def state_line(out: Path) -> str:
    lines = {name: len(complete_lines(out / f"{name}.jsonl")) for name in OUTPUTS}
    torn = {name: len(torn_tail(out / f"{name}.jsonl")) for name in OUTPUTS}
    checkpoints = complete_lines(out / ".checkpoint.jsonl")
    done = checkpoints[-1]["counts"]["items"] if checkpoints else 0
    return (f"complete lines {lines}; bytes after the last newline {torn}; "
            f"last checkpoint: {done} items; summary.json present: {(out / 'summary.json').exists()}")


def timed(cmd: list[str]) -> float:
    start = time.monotonic()
    subprocess.run(cmd, cwd=REPO, check=True, capture_output=True)
    return time.monotonic() - start


def kill_and_resume(work: Path, copies: int, extra: list[str]) -> None:
    src, cut, full = work / "replicated", work / "cut", work / "full"
    n_docs = replicate_corpus(src, copies)
    print(f"\n## B. kill -9 and --resume: the corpus replicated {copies}x, {n_docs} documents\n")
    cmd = zhie_run(src, cut, *extra)
    print("$", " ".join(cmd), f"   # SIGKILL once documents.jsonl has {n_docs // 3} lines")
    if kill_part_way(cmd, cut / "documents.jsonl", n_docs // 3) is None:
        raise SystemExit("the run finished before it could be killed; use more --copies")
    print("after the kill:", state_line(cut))
    seconds = timed(zhie_run(src, cut, *extra, "--resume"))
    print(f"$ ... --resume   ({seconds:.1f} s)")
    print("after --resume: ", state_line(cut))
    seconds = timed(zhie_run(src, full, *extra))
    print(f"$ {' '.join(zhie_run(src, full, *extra))}   ({seconds:.1f} s, never interrupted)")
    compare(cut, full, n_docs)
    workers_after_a_kill(src, work / "cut_workers", extra, n_docs)


def workers_after_a_kill(src: Path, out: Path, extra: list[str], n_docs: int) -> None:
    """kill -9 of a run with two worker processes: do the workers end with it?"""
    cmd = zhie_run(src, out, *extra, workers=2)
    print(f"\n## C. kill -9 of a run with 2 workers\n\n$ {' '.join(cmd)}   # SIGKILL at {n_docs // 3} documents")
    workers = kill_part_way(cmd, out / "documents.jsonl", n_docs // 3)
    if workers is None:
        raise SystemExit("the run finished before it could be killed; use more --copies")
    orphans = survivors(workers, patience=30)
    print(f"workers at the kill: {workers}; still alive up to 30 s later: {orphans}")
    for pid in orphans:
        os.kill(pid, signal.SIGKILL)


def compare(cut: Path, full: Path, n_docs: int) -> None:
    resumed, reference = ({name: complete_lines(d / f"{name}.jsonl") for name in OUTPUTS} for d in (cut, full))
    ids = Counter(doc["doc_id"] for doc in resumed["documents"])
    triples = Counter(json.dumps(t, ensure_ascii=False, sort_keys=True) for t in resumed["triples"])
    reference_triples = Counter(json.dumps(t, ensure_ascii=False, sort_keys=True) for t in reference["triples"])
    summary = json.loads((cut / "summary.json").read_text(encoding="utf-8"))
    print(f"\nresumed summary: documents {summary['documents']}, entities {summary['entities']}, "
          f"triples {summary['triples']}, resumed_after_items {summary['timing']['resumed_after_items']}")
    print(f"doc_ids: {len(ids)} distinct of {n_docs} documents; written more than once: "
          f"{sum(1 for c in ids.values() if c > 1)}")
    print(f"triples: {sum(triples.values())} lines, duplicates {sum(c - 1 for c in triples.values())}; "
          f"same multiset as the uninterrupted run ({sum(reference_triples.values())}): {triples == reference_triples}")
    for name in OUTPUTS:
        same = (cut / f"{name}.jsonl").read_bytes() == (full / f"{name}.jsonl").read_bytes()
        print(f"{name}.jsonl byte-identical to the uninterrupted run: {same}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--copies", type=int, default=20, help="corpus copies for part B (default 20)")
    parser.add_argument("--ner-backend", choices=["model", "hanlp", "jieba"], help="passed to zhie run")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="work in DIR (kept) instead of a temporary directory")
    args = parser.parse_args()
    extra = ["--ner-backend", args.ner_backend] if args.ner_backend else []
    with tempfile.TemporaryDirectory(prefix="zhie-reliability-") as tmp:
        work = args.keep or Path(tmp)
        broken_input(work, extra)
        kill_and_resume(work, args.copies, extra)
    return 0


if __name__ == "__main__":
    sys.exit(main())
