"""`zhie run --engine spark` in local[2] mode gives the same outputs as the local engine."""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("pyspark")

from pipeline.run import PipelineOptions, run  # noqa: E402
from pipeline.spark_engine import run_spark  # noqa: E402


def _rows(path, *keys):
    return sorted(tuple(json.dumps(r.get(k), ensure_ascii=False, sort_keys=True) for k in keys)
                  for r in map(json.loads, path.read_text(encoding="utf-8").splitlines()))


def _dump(tmp_path):
    src = tmp_path / "dump"
    (src / "nested").mkdir(parents=True)
    (src / "a.txt").write_text("月之暗面完成10亿美元融资，由红杉资本领投。该公司创始人杨植麟表示资金将用于研发。",
                               encoding="utf-8")
    (src / "nested" / "b.jsonl").write_text(
        json.dumps({"id": "b1", "content": "马斯克起诉OpenAI。OpenAI CEO Sam Altman回应称诉讼毫无根据。"},
                   ensure_ascii=False) + "\n" + "{broken json\n", encoding="utf-8")
    (src / "c.csv").write_text("\ufeffid,title,content\nc1,收购,博通以610亿美元收购VMware。\n", encoding="utf-8")
    return src


@pytest.mark.slow
def test_spark_local_mode_gives_the_same_triples_as_the_local_engine(tmp_path):
    src = _dump(tmp_path)
    run([str(src)], tmp_path / "local", PipelineOptions(), workers=1)
    summary = run_spark([str(src)], tmp_path / "spark", PipelineOptions(), master="local[2]")
    assert summary["engine"] == "spark (local[2])"
    for name, keys in (("triples.jsonl", ("doc_id", "subject", "relation", "object", "qualifiers")),
                       ("entities.jsonl", ("doc_id", "start", "end", "label", "canonical")),
                       ("documents.jsonl", ("doc_id", "status", "text"))):
        assert _rows(tmp_path / "spark" / name, *keys) == _rows(tmp_path / "local" / name, *keys)
    assert _rows(tmp_path / "spark" / "triples.jsonl", "relation")  # the comparison is not vacuous
    errors = [json.loads(line) for line in (tmp_path / "spark" / "errors.jsonl").read_text().splitlines()]
    assert [e["line"] for e in errors] == [2]


@pytest.mark.slow
def test_spark_resume_writes_each_document_once(tmp_path):
    src = _dump(tmp_path)
    cut = tmp_path / "cut"
    run_spark([str(src)], cut, PipelineOptions(), master="local[2]")
    full = shutil.copytree(cut, tmp_path / "full")
    # as if killed after the second file's lines were written but before its checkpoint
    checkpoint = cut / ".checkpoint.jsonl"
    checkpoint.write_text(checkpoint.read_text().splitlines()[0] + "\n")
    summary = run_spark([str(src)], cut, PipelineOptions(), master="local[2]", resume=True)
    assert summary["timing"]["resumed_after_items"] == 1
    for name in ("documents.jsonl", "entities.jsonl", "triples.jsonl", "errors.jsonl"):
        assert (cut / name).read_text(encoding="utf-8") == (full / name).read_text(encoding="utf-8")
    assert summary["documents"] == {"ok": 3, "error": 0}


@pytest.mark.slow
def test_spark_submit_runs_the_driver_file_with_its_own_master(tmp_path):
    """How a cluster runs zhie: spark-submit with scripts/zhie_spark.py; the master is
    spark-submit's, not a default of zhie's."""
    src = _dump(tmp_path)
    bin_dir = Path(sys.executable).parent
    repo = Path(__file__).resolve().parent.parent
    env = dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
               PYSPARK_PYTHON=sys.executable, PYSPARK_DRIVER_PYTHON=sys.executable)
    subprocess.run([str(bin_dir / "spark-submit"), "--master", "local[1]", str(repo / "scripts" / "zhie_spark.py"),
                    "run", "--engine", "spark", str(src), "-o", str(tmp_path / "submitted")],
                   env=env, check=True, capture_output=True)
    run([str(src)], tmp_path / "local", PipelineOptions(), workers=1)
    summary = json.loads((tmp_path / "submitted" / "summary.json").read_text())
    assert summary["engine"] == "spark (local[1])"
    keys = ("doc_id", "subject", "relation", "object")
    assert _rows(tmp_path / "submitted" / "triples.jsonl", *keys) == _rows(tmp_path / "local" / "triples.jsonl", *keys)
