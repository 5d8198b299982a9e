"""The HanLP backend, for real: the test trains a tiny HanLP NER model, saves it, and zhie loads
it by path (no mock, no download)."""
import json

import pytest

pytest.importorskip("hanlp")

from pipeline import cli  # noqa: E402

SENTENCES = [  # written for this test: (text, [(start, end, MSRA-style label)])
    ("张伟加入腾讯公司", [(0, 2, "NR"), (4, 8, "NT")]),
    ("王芳在北京工作", [(0, 2, "NR"), (3, 5, "NS")]),
    ("李强离开阿里巴巴", [(0, 2, "NR"), (4, 8, "NT")]),
    ("赵敏来到上海", [(0, 2, "NR"), (4, 6, "NS")]),
    ("陈杰创办小米公司", [(0, 2, "NR"), (4, 8, "NT")]),
]


def _write_conll(path, repeat):
    with path.open("w", encoding="utf-8") as out:
        for text, spans in SENTENCES * repeat:
            tags = ["O"] * len(text)
            for start, end, label in spans:
                tags[start] = f"B-{label}"
                for i in range(start + 1, end):
                    tags[i] = f"I-{label}"
            out.write("".join(f"{c}\t{t}\n" for c, t in zip(text, tags)) + "\n")


@pytest.fixture(scope="module")
def hanlp_model(tmp_path_factory):
    from hanlp.components.ner.rnn_ner import RNNNamedEntityRecognizer

    work = tmp_path_factory.mktemp("hanlp")
    _write_conll(work / "train.tsv", 20)
    _write_conll(work / "dev.tsv", 1)
    # a softmax tagger: HanLP 2.1's CRF layer does not learn under current PyTorch
    RNNNamedEntityRecognizer().fit(str(work / "train.tsv"), str(work / "dev.tsv"), str(work / "model"),
                                   epochs=15, batch_size=4, embed=32, rnn_hidden=64, drop=0.0, crf=False,
                                   lr=0.01, patience=30, verbose=False)
    return work / "model"


@pytest.mark.slow
def test_zhie_run_with_a_hanlp_model_loaded_by_path(hanlp_model, tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "d1", "text": "张伟加入腾讯公司\n王芳在北京工作"}, ensure_ascii=False) + "\n",
                   encoding="utf-8")
    status = cli.main(["run", str(src), "-o", str(tmp_path / "out"), "--workers", "1",
                       "--ner-backend", "hanlp", "--hanlp-model", str(hanlp_model)])
    assert status == 0
    entities = [json.loads(line) for line in (tmp_path / "out" / "entities.jsonl").read_text().splitlines()]
    found = {(e["text"], e["label"]) for e in entities}
    # NR → PERSON and NT → ORG by the label map, then "…公司" makes it a COMPANY; NS (LOC) is not written
    assert {("张伟", "PERSON"), ("王芳", "PERSON"), ("腾讯公司", "COMPANY")} <= found, found
    assert all(e["label"] != "LOC" for e in entities)
    assert [e["start"] for e in entities if e["text"] == "王芳"] == [9]  # offsets in the whole text


def test_hanlp_backend_without_a_model_says_what_to_do():
    from pipeline.entities import HanLPBackend

    with pytest.raises(ValueError, match="--hanlp-model"):
        HanLPBackend("")
