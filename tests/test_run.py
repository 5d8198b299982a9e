"""The run loop: pieces of long documents, workers, resume, failures kept per document."""
import json

import pytest

from pipeline.run import PipelineOptions, run, split_text
from pipeline.writing import unify_pieces

ARTICLE = ("月之暗面完成10亿美元融资，由红杉资本领投。该公司创始人杨植麟表示，资金将用于研发。\n"
           "此前，前CTO张三离开月之暗面，加入字节跳动。")


def lines(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_split_text_cuts_after_sentence_ends_and_covers_everything():
    text = "甲" * 30 + "。" + "乙" * 30 + "\n" + "丙" * 25
    pieces = split_text(text, limit=40)
    assert "".join(p for _, p in pieces) == text
    assert all(len(p) <= 40 for _, p in pieces)
    assert pieces[0][1].endswith("。") and pieces[1][0] == 31
    assert split_text("无标点" * 30, limit=40)[0][1] == ("无标点" * 30)[:40]


def test_unify_pieces_renames_short_names_across_pieces():
    entities = [{"canonical": "Emad Mostaque", "label": "PERSON"}, {"canonical": "Emad", "label": "PERSON"}]
    triples = [{"subject": "Emad", "relation": "resigned_from", "object": "Stability AI"},
               {"subject": "Emad Mostaque", "relation": "resigned_from", "object": "Stability AI"}]
    entities, triples = unify_pieces(entities, triples)
    assert {e["canonical"] for e in entities} == {"Emad Mostaque"}
    assert triples == [{"subject": "Emad Mostaque", "relation": "resigned_from", "object": "Stability AI"}]


@pytest.mark.slow
def test_a_megabyte_on_one_line_is_analysed_in_pieces(tmp_path):
    huge = tmp_path / "huge.txt"
    body = ARTICLE.replace("\n", "") * 12_000  # ~1 MB of characters, no line break
    huge.write_text(body, encoding="utf-8")
    summary = run([str(huge)], tmp_path / "out", PipelineOptions(), workers=1)
    assert summary["documents"] == {"ok": 1, "error": 0}
    entities = lines(tmp_path / "out" / "entities.jsonl")
    assert entities and all(body[e["start"]:e["end"]] == e["text"] for e in entities)
    assert max(e["end"] for e in entities) > len(body) - 200


def _corpus_dir(tmp_path, n):
    src = tmp_path / "in"
    src.mkdir()
    for i in range(n):
        (src / f"doc{i:03d}.txt").write_text(ARTICLE.replace("10亿", f"{i + 1}亿"), encoding="utf-8")
    return src


@pytest.mark.slow
def test_two_workers_give_the_same_outputs_in_input_order(tmp_path):
    src = _corpus_dir(tmp_path, 40)
    run([str(src)], tmp_path / "one", PipelineOptions(), workers=1, batch_size=4)
    run([str(src)], tmp_path / "two", PipelineOptions(), workers=2, batch_size=4)
    for name in ("documents.jsonl", "entities.jsonl", "triples.jsonl"):
        assert (tmp_path / "one" / name).read_text() == (tmp_path / "two" / name).read_text()
    ids = [d["doc_id"] for d in lines(tmp_path / "two" / "documents.jsonl")]
    assert ids == sorted(ids)


def test_resume_after_a_cut_finishes_exactly_once(tmp_path):
    src = _corpus_dir(tmp_path, 12)
    full = tmp_path / "full"
    run([str(src)], full, PipelineOptions(), workers=1, batch_size=3)
    cut = tmp_path / "cut"
    run([str(src)], cut, PipelineOptions(), workers=1, batch_size=3)
    # simulate a kill: keep the first two checkpoints, leave half a line in each output
    checkpoint = cut / ".checkpoint.jsonl"
    states = checkpoint.read_text().splitlines()
    checkpoint.write_text("\n".join(states[:2]) + "\n" + states[2][:10])
    sizes = json.loads(states[1])["sizes"]
    for name in ("documents", "entities", "triples"):
        path = cut / f"{name}.jsonl"
        data = path.read_bytes()
        path.write_bytes(data[: sizes[name] + (len(data) - sizes[name]) // 2])
    summary = run([str(src)], cut, PipelineOptions(), workers=1, batch_size=3, resume=True)
    for name in ("documents.jsonl", "entities.jsonl", "triples.jsonl"):
        assert (cut / name).read_text() == (full / name).read_text()
    assert summary["documents"]["ok"] == 12
    assert summary["timing"]["resumed_after_items"] == 6


def test_another_ner_model_directory(tmp_path):
    """--ner-model DIR: a model trained elsewhere is used; a folder without one stops the run."""
    import shutil
    import subprocess
    import sys

    from pipeline.entities import DEFAULT_MODEL

    copy = tmp_path / "my_model"
    shutil.copytree(DEFAULT_MODEL, copy)
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    run([str(tmp_path / "a.txt")], tmp_path / "shipped", PipelineOptions(), workers=1)
    run([str(tmp_path / "a.txt")], tmp_path / "mine", PipelineOptions(ner_model=copy), workers=1)
    assert (tmp_path / "mine" / "triples.jsonl").read_text() == (tmp_path / "shipped" / "triples.jsonl").read_text()
    nlp = PipelineOptions(ner_model=copy).build()
    assert nlp.get_pipe("ner").backend.directory == copy.resolve()
    cli = subprocess.run([sys.executable, "-m", "pipeline.cli", "run", str(tmp_path / "a.txt"), "-o",
                          str(tmp_path / "none"), "--ner-model", str(tmp_path)], capture_output=True, text=True)
    assert cli.returncode == 2 and "--ner-model" in cli.stderr
