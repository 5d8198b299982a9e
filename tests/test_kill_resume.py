"""`zhie run` killed with SIGKILL part way, then `--resume`d: every document exactly once, the
same triples as a run that was never interrupted, and no half line a reader could trip on.

A real process is killed (not a simulated cut), so this exercises what the operating system
leaves on disk: whatever the writer had handed to ``write`` at the moment of the kill."""
from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))

from reliability_demo import complete_lines, kill_part_way, survivors, torn_tail  # noqa: E402

OUTPUTS = ("documents", "entities", "triples", "errors")
# A batch's documents.jsonl lines outgrow the writer's 8 KiB buffer, so lines show up while a
# batch is being written, before its checkpoint: a kill then leaves lines that --resume must cut.
BATCH = 16

# Team-written sentence patterns with invented companies and people, for a dump of many documents.
COMPANIES = ["星河智能", "云杉科技", "蓝鲸数据", "极光机器人", "青禾生物", "北辰芯片", "远山汽车", "澄明医疗"]
INVESTORS = ["红杉中国", "高瓴资本", "启明创投", "经纬创投", "源码资本"]
PEOPLE = ["王立群", "陈思远", "刘晓峰", "赵敏", "孙浩然", "周雨桐", "吴嘉明", "郑一帆"]
TITLES = ["首席执行官", "首席技术官", "总裁", "首席财务官"]
PATTERNS = [
    "{company}宣布完成{amount}亿元{round}融资，由{investor}领投。公司创始人兼{title}{person}表示，"
    "本轮资金将主要用于研发和市场拓展。",
    "据知情人士透露，{person}已于近日从{company}离职，此前担任该公司{title}。"
    "{other}随后宣布{person}加入，出任{title2}。",
    "{company}发布年度财报，全年营收{amount}亿元，同比增长{pct}%，净亏损{loss}亿元。",
    "{investor}宣布投资{company}，投资金额为{amount}亿元。{company}估值达到{value}亿元。",
]


def synthetic_article(rng: random.Random) -> tuple[str, str]:
    """(title, body) of a short business-news article built from the patterns above."""
    company, other = rng.sample(COMPANIES, 2)
    person = rng.choice(PEOPLE)
    slots = {"company": company, "other": other, "person": person, "investor": rng.choice(INVESTORS),
             "title": rng.choice(TITLES), "title2": rng.choice(TITLES), "round": rng.choice(["A轮", "B轮", "C轮"]),
             "amount": rng.randint(2, 90), "pct": rng.randint(5, 60), "loss": rng.randint(1, 9),
             "value": rng.randint(100, 900)}
    sentences = [pattern.format(**slots) for pattern in rng.sample(PATTERNS, len(PATTERNS))]
    return f"{company}最新动态", "\n".join(sentences)


def write_dump(root: Path, jsonl_files: int, records_per_file: int, text_files: int) -> int:
    """JSON Lines files and .txt articles under `root`; the number of documents written."""
    rng = random.Random(7)
    root.mkdir(parents=True)
    for f in range(jsonl_files):
        rows = []
        for r in range(records_per_file):
            title, body = synthetic_article(rng)
            rows.append(json.dumps({"id": f"syn-{f}-{r:03d}", "title": title, "content": body}, ensure_ascii=False))
        (root / f"export_{f}.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (root / "articles").mkdir()
    for t in range(text_files):
        title, body = synthetic_article(rng)
        (root / "articles" / f"article_{t:03d}.txt").write_text(f"{title}\n{body}\n", encoding="utf-8")
    return jsonl_files * records_per_file + text_files


def write_names(path: Path) -> Path:
    """The invented names as a user dictionary (`--entities`), so jieba's tagger knows them."""
    rows = [f"{name}\tCOMPANY" for name in COMPANIES + INVESTORS] + [f"{name}\tPERSON" for name in PEOPLE]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def zhie_run(src: Path, out: Path, names: Path, *extra: str, workers: int = 1) -> list[str]:
    return [sys.executable, "-m", "pipeline.cli", "run", str(src), "-o", str(out), "--workers", str(workers),
            "--batch-size", str(BATCH), "--ner-backend", "jieba", "--entities", str(names), "--no-progress", *extra]


def triple_keys(rows: list[dict]) -> Counter:
    return Counter(json.dumps(row, ensure_ascii=False, sort_keys=True) for row in rows)


def parsed_outputs(out: Path) -> dict[str, list[dict]]:
    return {name: complete_lines(out / f"{name}.jsonl") for name in OUTPUTS}


@pytest.mark.slow
def test_sigkill_part_way_then_resume_finishes_exactly_once(tmp_path: Path) -> None:
    src = tmp_path / "dump"
    n_docs = write_dump(src, jsonl_files=3, records_per_file=40, text_files=20)
    names = write_names(tmp_path / "names.tsv")
    cut, full = tmp_path / "cut", tmp_path / "full"

    assert kill_part_way(zhie_run(src, cut, names), cut / "documents.jsonl", at_least=20) is not None
    assert not (cut / "summary.json").exists()  # the run did not get to its end
    first = parsed_outputs(cut)
    assert 20 <= len(first["documents"]) < n_docs
    # the resumed run is killed too, further on: a resume must survive its own interruption
    assert kill_part_way(zhie_run(src, cut, names, "--resume"), cut / "documents.jsonl",
                         at_least=len(first["documents"]) + 20) is not None
    second = parsed_outputs(cut)
    assert len(first["documents"]) + 20 <= len(second["documents"]) < n_docs
    subprocess.run(zhie_run(src, cut, names, "--resume"), cwd=REPO, check=True, capture_output=True)
    subprocess.run(zhie_run(src, full, names), cwd=REPO, check=True, capture_output=True)

    after, reference = parsed_outputs(cut), parsed_outputs(full)
    assert all(torn_tail(cut / f"{name}.jsonl") == b"" for name in OUTPUTS)
    ids = Counter(doc["doc_id"] for doc in after["documents"])
    assert len(ids) == n_docs and set(ids.values()) == {1}
    triples = triple_keys(after["triples"])
    assert triples and max(triples.values()) == 1  # no triple written twice
    assert triples == triple_keys(reference["triples"])
    for name in ("documents", "entities"):
        assert after[name] == reference[name]
    summary = json.loads((cut / "summary.json").read_text(encoding="utf-8"))
    assert summary["documents"] == {"ok": n_docs, "error": 0}
    assert summary["triples"] == len(after["triples"]) and summary["entities"] == len(after["entities"])
    resumed_after = summary["timing"]["resumed_after_items"]  # a checkpoint: whole batches
    assert resumed_after % BATCH == 0 and 0 < resumed_after <= len(second["documents"])


@pytest.mark.slow
def test_workers_end_when_the_main_process_is_killed(tmp_path: Path) -> None:
    src = tmp_path / "dump"
    write_dump(src, jsonl_files=2, records_per_file=40, text_files=0)
    names = write_names(tmp_path / "names.tsv")
    cut = tmp_path / "cut"
    workers = kill_part_way(zhie_run(src, cut, names, workers=2), cut / "documents.jsonl", at_least=20)
    assert workers is not None and len(workers) == 2
    orphans = survivors(workers, patience=30)
    for pid in orphans:  # not left behind by a failing test either
        os.kill(pid, signal.SIGKILL)
    assert orphans == []  # no orphan holds the pipeline's memory


def test_resume_cuts_a_torn_checkpoint_and_hides_the_old_summary(tmp_path: Path) -> None:
    from pipeline.writing import CHECKPOINT, DocResult, OutputWriter

    def result(n: int) -> DocResult:
        return DocResult(documents=[{"doc_id": f"d{n}", "status": "ok"}], chars=1)

    writer = OutputWriter(tmp_path)
    writer.write([result(1)])
    writer.write([result(2)])
    writer.close({"done": True})
    checkpoint = tmp_path / CHECKPOINT
    checkpoint.write_bytes(checkpoint.read_bytes()[:-7])  # the second checkpoint torn by a kill
    resumed = OutputWriter(tmp_path, resume=True)
    assert not (tmp_path / "summary.json").exists()
    assert resumed.done_items == 1
    resumed.write([result(3)])
    states = [json.loads(line) for line in checkpoint.read_text().splitlines()]
    assert [state["counts"]["items"] for state in states] == [1, 2]
    resumed.close({"done": True})
    assert [doc["doc_id"] for doc in complete_lines(tmp_path / "documents.jsonl")] == ["d1", "d3"]
