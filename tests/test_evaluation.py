"""`zhie eval`: scoring rules on small synthetic gold/prediction files, the CLI, the HTML page,
and agreement with an independent scorer on DuEE dev."""
from __future__ import annotations

import json
import random
from html.parser import HTMLParser
from pathlib import Path

import pytest

from pipeline import cli, evaluation
from pipeline.evaluation import normalize, score_ner, score_triples

from independent_scorer import strict_scores


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def run_dir(tmp_path: Path, name: str = "out", triples=(), entities=(), documents=()) -> Path:
    """A fake `zhie run` output directory."""
    out = tmp_path / name
    out.mkdir()
    write_jsonl(out / "triples.jsonl", list(triples))
    write_jsonl(out / "entities.jsonl", list(entities))
    write_jsonl(out / "documents.jsonl", list(documents))
    return out


def triple(doc_id, subject, relation, obj, **extra) -> dict:
    return {"doc_id": doc_id, "subject": subject, "relation": relation, "object": obj,
            "evidence": {"start": 0, "end": 1, "text": f"{subject}{relation}{obj}"}, **extra}


def gold_triple(subject, relation, obj, **extra) -> dict:
    return {"subject": subject, "relation": relation, "object": obj, "tier": "core", "qualifiers": {}, **extra}


def entity(doc_id, start, end, text, label, canonical=None, **extra) -> dict:
    return {"doc_id": doc_id, "start": start, "end": end, "text": text, "label": label,
            "canonical": canonical or text, **extra}


# --- normalization ----------------------------------------------------------------------------

@pytest.mark.parametrize("a, b", [
    ("Sam Altman", "SamAltman"),
    ("伊尔亚·苏茨克维", "伊尔亚苏茨克维"),
    ("穆斯塔法-苏莱曼", "穆斯塔法苏莱曼"),
    ("《纽约时报》", "纽约时报"),
    ("ＯｐｅｎＡＩ", "openai"),
    ("O'Brien (Stability AI)", "obrienstabilityai"),
    ("“稳定AI”，", "稳定ai"),
    ("Open\u200bAI\u3000", "openai"),
])
def test_normalize_removes_case_spaces_and_punctuation(a, b):
    assert normalize(a) == normalize(b)


def test_normalize_keeps_symbols_and_digits():
    assert normalize("$1.01亿") == "$101亿"


# --- triples: matching rules --------------------------------------------------------------------

def corpus_gold(tmp_path: Path, triples: list[dict], entities=(), money=()) -> Path:
    record = {"doc_id": "d1", "entities": list(entities), "money": list(money), "triples": triples}
    return write_jsonl(tmp_path / "gold.jsonl", [record])


EMAD = {"label": "PERSON", "canonical": "Emad Mostaque", "mentions": ["Emad Mostaque", "Emad", "莫斯塔克"]}
STABILITY = {"label": "COMPANY", "canonical": "Stability AI", "mentions": ["Stability AI", "Stability", "稳定AI"]}


def test_duplicates_count_once(tmp_path):
    gold = corpus_gold(tmp_path, [gold_triple("Emad Mostaque", "resigned_from", "Stability AI")], [EMAD, STABILITY])
    preds = [triple("d1", "Emad Mostaque", "resigned_from", "Stability AI"),
             triple("d1", "Emad Mostaque", "resigned_from", "Stability AI"),
             triple("d1", "emad  mostaque", "resigned_from", "Stability·AI")]
    scores = score_triples(gold, run_dir(tmp_path, triples=preds))
    assert scores["micro"] == {"p": 1.0, "r": 1.0, "f1": 1.0, "tp": 1, "fp": 0, "fn": 0}


def test_surface_forms_match_but_each_gold_triple_only_once(tmp_path):
    gold = corpus_gold(tmp_path, [gold_triple("Emad Mostaque", "resigned_from", "Stability AI")], [EMAD, STABILITY])
    preds = [triple("d1", "Emad", "resigned_from", "稳定AI"),
             triple("d1", "莫斯塔克", "resigned_from", "Stability")]
    micro = score_triples(gold, run_dir(tmp_path, triples=preds))["micro"]
    assert (micro["tp"], micro["fp"], micro["fn"]) == (1, 1, 0)


def test_gold_duplicates_count_once_also_when_spelled_by_another_form(tmp_path):
    same = gold_triple("Emad Mostaque", "joined", "Stability AI")
    gold = corpus_gold(tmp_path, [same, dict(same), gold_triple("Emad", "joined", "稳定AI")], [EMAD, STABILITY])
    micro = score_triples(gold, run_dir(tmp_path, triples=[]))["micro"]
    assert micro["fn"] == 1


def test_matching_is_maximal_not_greedy(tmp_path):
    # relaxed: "张三丰" contains both gold subjects, "三丰" only the second; greedy in gold order
    # would give "张三丰" to the first gold triple listed and leave one unmatched.
    golds = [gold_triple("张三丰", "joined", "武当"), gold_triple("张三", "joined", "武当")]
    gold = write_jsonl(tmp_path / "g.jsonl", [{"id": "d1", "text": "", "triples": golds}])
    preds = [triple("d1", "张三丰", "joined", "武当"), triple("d1", "三丰", "joined", "武当")]
    relaxed = score_triples(gold, run_dir(tmp_path, triples=preds))["relaxed"]["micro"]
    assert (relaxed["tp"], relaxed["fp"], relaxed["fn"]) == (2, 0, 0)


def test_relaxed_accepts_containment_either_way(tmp_path):
    golds = [gold_triple("公司CEO周歆明", "resigned_from", "某科技"), gold_triple("李四", "joined", "华为")]
    gold = write_jsonl(tmp_path / "g.jsonl", [{"id": "d1", "text": "x", "triples": golds}])
    preds = [triple("d1", "周歆明", "resigned_from", "某科技有限公司"), triple("d1", "李", "joined", "华为公司")]
    scores = score_triples(gold, run_dir(tmp_path, triples=preds))
    assert scores["micro"]["tp"] == 0
    assert scores["relaxed"]["micro"] == {"p": 1.0, "r": 1.0, "f1": 1.0, "tp": 2, "fp": 0, "fn": 0}


RAISED = gold_triple("Stability AI", "raised", "1.01亿美元", object_value={"amount": 101000000, "currency": "USD"})


@pytest.mark.parametrize("value, found", [
    ({"amount": 101000000, "currency": "USD"}, True),
    ({"amount": 101400000, "currency": "usd"}, True),   # within 0.5 %
    ({"amount": 102000000, "currency": "USD"}, False),  # 1 % off
    ({"amount": 101000000, "currency": "CNY"}, False),
    (None, False),
])
def test_money_objects_match_by_value(tmp_path, value, found):
    gold = corpus_gold(tmp_path, [RAISED], [STABILITY])
    pred = triple("d1", "Stability", "raised", "一亿零一百万美金", **({"object_value": value} if value else {}))
    assert score_triples(gold, run_dir(tmp_path, triples=[pred]))["micro"]["tp"] == int(found)


def test_money_objects_still_match_by_text(tmp_path):
    gold = corpus_gold(tmp_path, [RAISED], [STABILITY])
    pred = triple("d1", "Stability AI", "raised", "1.01亿 美元")
    assert score_triples(gold, run_dir(tmp_path, triples=[pred]))["micro"]["tp"] == 1


def duee_like_gold(tmp_path: Path) -> Path:
    golds = [gold_triple("某公司", "raised", "5000万元", object_type="MONEY")]
    return write_jsonl(tmp_path / "g.jsonl", [{"id": "d1", "text": "某公司融资5000万元", "triples": golds}])


def test_gold_money_texts_are_read_by_the_money_parser(tmp_path):
    pred = triple("d1", "某公司", "raised", "五千万元", object_value={"amount": 50000000, "currency": "CNY"})
    scores = score_triples(duee_like_gold(tmp_path), run_dir(tmp_path, triples=[pred]), dataset="duee")
    assert scores["micro"]["tp"] == 1


def test_a_wrong_amount_does_not_match(tmp_path):
    pred = triple("d1", "某公司", "raised", "五千万美元", object_value={"amount": 50000000, "currency": "USD"})
    scores = score_triples(duee_like_gold(tmp_path), run_dir(tmp_path, triples=[pred]), dataset="duee")
    assert scores["micro"]["tp"] == 0


# --- triples: relation sets, datasets, documents ---------------------------------------------

def test_relations_outside_the_set_are_ignored_on_both_sides(tmp_path):
    golds = [gold_triple("甲", "joined", "乙公司"), gold_triple("甲", "sold", "丙", tier="extra"),
             gold_triple("丁", "withdrew_from", "乙公司")]
    gold = write_jsonl(tmp_path / "g.jsonl", [{"id": "d1", "text": "t", "triples": golds}])
    preds = [triple("d1", "甲", "joined", "乙公司"), triple("d1", "甲", "holds_position", "乙公司")]
    out = run_dir(tmp_path, triples=preds)
    duee = score_triples(gold, out, dataset="duee")
    assert duee["micro"]["tp"] == 1 and duee["micro"]["fp"] == 0 and duee["micro"]["fn"] == 0
    assert set(duee["per_relation"]) == {"resigned_from", "joined", "dismissed_from", "sued",
                                         "invested_in", "acquired", "raised"}
    chosen = score_triples(gold, out, relations=["joined", "holds_position"])
    assert (chosen["micro"]["tp"], chosen["micro"]["fp"]) == (1, 1)
    assert set(chosen["per_relation"]) == {"joined", "holds_position"}


def test_duee_scores_core_tier_only(tmp_path):
    golds = [gold_triple("甲", "raised", "1亿元", tier="extra", funding_type="IPO")]
    gold = write_jsonl(tmp_path / "g.jsonl", [{"id": "d1", "text": "t", "triples": golds}])
    assert score_triples(gold, run_dir(tmp_path), dataset="duee")["micro"]["fn"] == 0
    # without a dataset, --relations alone scores every tier
    assert score_triples(gold, run_dir(tmp_path, "all"), relations=["raised"])["micro"]["fn"] == 1


def test_duee_fin_appointments_score_as_holds_position(tmp_path):
    golds = [gold_triple("王五", "appointed_to", "某银行", qualifiers={"position": [{"text": "行长"}]})]
    gold = write_jsonl(tmp_path / "g.jsonl", [{"id": "d1", "title": "某银行任命", "text": "t", "triples": golds}])
    preds = [triple("d1", "王五", "holds_position", "某银行")]
    scores = score_triples(gold, run_dir(tmp_path, triples=preds), dataset="duee_fin")
    assert scores["per_relation"]["holds_position"]["tp"] == 1


def test_duie_inverted_relations_swap_subject_and_object(tmp_path):
    golds = [gold_triple("温氏股份", "has_chairman", "温鹏程"), gold_triple("某公司", "founded_by", "张三")]
    gold = write_jsonl(tmp_path / "g.jsonl", [{"id": "x:0", "text": "t", "triples": golds}])
    preds = [triple("x:0", "温鹏程", "holds_position", "温氏股份"), triple("x:0", "张三", "founded", "某公司")]
    scores = score_triples(gold, run_dir(tmp_path, triples=preds), dataset="duie")
    assert scores["micro"]["tp"] == 2 and scores["micro"]["fp"] == 0


def test_finre_lines_group_by_sentence_and_join_through_the_text(tmp_path):
    text = "东方航空AH股临时停牌传将收购上航"
    pair = {"subject": "东方航空", "relation": "acquired", "object": "上航"}
    rows = [{"head": "东方航空", "tail": "上航", "relation": "收购", "text": text, "project_triple": pair},
            {"head": "上航", "tail": "东方航空", "relation": "被收购", "text": text, "project_triple": pair},
            {"head": "甲", "tail": "乙", "relation": "unknown", "text": "甲和乙"}]
    gold = write_jsonl(tmp_path / "converted_test.jsonl", rows)
    docs = [{"doc_id": f"converted_test:{i}", "status": "ok", "text": r["text"]} for i, r in enumerate(rows, 1)]
    preds = [triple("converted_test:1", "东方航空", "acquired", "上航"),
             triple("converted_test:2", "东方航空", "acquired", "上航"),
             triple("converted_test:3", "甲", "acquired", "乙")]
    scores = score_triples(gold, run_dir(tmp_path, triples=preds, documents=docs), dataset="finre")
    assert (scores["micro"]["tp"], scores["micro"]["fp"], scores["micro"]["fn"]) == (1, 1, 0)
    assert scores["documents"]["gold"] == 2


def test_gold_documents_without_predictions_are_all_misses(tmp_path):
    gold = write_jsonl(tmp_path / "g.jsonl", [
        {"id": "a", "text": "t", "triples": [gold_triple("甲", "joined", "乙")]},
        {"id": "b", "text": "t", "triples": [gold_triple("丙", "joined", "丁"), gold_triple("丙", "sued", "丁")]}])
    preds = [triple("a", "甲", "joined", "乙"), triple("zzz", "丙", "joined", "丁")]
    scores = score_triples(gold, run_dir(tmp_path, triples=preds))
    assert (scores["micro"]["tp"], scores["micro"]["fp"], scores["micro"]["fn"]) == (1, 0, 2)
    assert scores["documents"] == {"gold": 2, "with_predictions": 1, "predicted_not_in_gold": 1}
    assert any("not in the gold" in w for w in scores["warnings"])


def test_errors_carry_the_evidence(tmp_path):
    long_text = "前言。" * 200 + "甲宣布加入乙公司。" + "后记。" * 200
    start = long_text.index("甲")
    golds = [gold_triple("甲", "joined", "乙公司", subject_start=start, object_start=start + 5)]
    gold = write_jsonl(tmp_path / "g.jsonl", [{"id": "d1", "text": long_text, "triples": golds},
                                              {"id": "d2", "text": "丙起诉丁。", "triples": [gold_triple("丙", "sued", "丁")]}])
    preds = [triple("d1", "甲", "joined", "乙"), triple("d2", "丁", "sued", "丙")]
    run = evaluation.evaluate_triples(gold, run_dir(tmp_path, triples=preds))
    errors = evaluation.triple_errors(run)
    misses = {e["doc_id"]: e for e in errors if e["kind"] == "miss"}
    assert "甲宣布加入乙公司" in misses["d1"]["evidence"] and len(misses["d1"]["evidence"]) < 300
    assert misses["d1"]["relaxed_match"] is True
    assert misses["d2"]["evidence"] == "丙起诉丁。" and misses["d2"]["relaxed_match"] is False
    fps = [e for e in errors if e["kind"] == "false_positive"]
    assert {e["evidence"] for e in fps} == {"甲joined乙", "丁sued丙"}


def test_malformed_lines_are_skipped_with_a_warning(tmp_path):
    gold = tmp_path / "g.jsonl"
    gold.write_text('{"id": "d1", "text": "t", "triples": [1, "x", {"relation": "joined"}]}\nnot json\n[1]\n',
                    encoding="utf-8")
    out = run_dir(tmp_path)
    (out / "triples.jsonl").write_text('{"doc_id": "d1", "relation": "joined"\n', encoding="utf-8")
    scores = score_triples(gold, out)
    assert scores["micro"]["tp"] == 0
    assert len(scores["warnings"]) == 2


# --- NER: span gold ---------------------------------------------------------------------------

def span_gold(tmp_path: Path, text: str, spans: list[tuple[int, int, str]], name="g.jsonl") -> Path:
    entities = [{"start": s, "end": e, "label": label, "text": text[s:e]} for s, e, label in spans]
    return write_jsonl(tmp_path / name, [{"id": "s1", "text": text, "entities": entities}])


def test_msra_map_and_org_family(tmp_path):
    text = "张三在北京的华为工作"
    gold = span_gold(tmp_path, text, [(0, 2, "PER"), (3, 5, "LOC"), (6, 8, "ORG")])
    preds = [entity("s1", 0, 2, "张三", "PERSON"), entity("s1", 6, 8, "华为", "COMPANY"),
             entity("s1", 3, 5, "北京", "LOC"), entity("s1", 9, 10, "作", "MONEY")]
    scores = score_ner(gold, run_dir(tmp_path, entities=preds), dataset="msra")
    labels = scores["exact"]["labels"]
    assert set(labels["per_label"]) == {"PERSON", "ORG*"}
    assert labels["micro"] == {"p": 1.0, "r": 1.0, "f1": 1.0, "tp": 2, "fp": 0, "fn": 0}


def test_cluener_company_vs_org_differs_by_label_but_not_by_family(tmp_path):
    text = "清华大学与腾讯合作"
    gold = span_gold(tmp_path, text, [(0, 4, "organization"), (5, 7, "company")])
    preds = [entity("s1", 0, 4, "清华大学", "COMPANY"), entity("s1", 5, 7, "腾讯", "COMPANY")]
    scores = score_ner(gold, run_dir(tmp_path, entities=preds), dataset="cluener2020")
    labels = scores["exact"]["labels"]["per_label"]
    assert (labels["COMPANY"]["tp"], labels["COMPANY"]["fp"], labels["ORG"]["fn"]) == (1, 1, 1)
    assert scores["exact"]["families"]["micro"]["f1"] == 1.0


def test_exact_span_and_text_multiset_differ_on_offsets(tmp_path):
    text = "李四见李四"
    gold = span_gold(tmp_path, text, [(0, 2, "PERSON"), (3, 5, "PERSON")])
    preds = [entity("s1", 0, 2, "李四", "PERSON"), entity("s1", 1, 3, "李四", "PERSON")]
    scores = score_ner(gold, run_dir(tmp_path, entities=preds))
    assert scores["exact"]["labels"]["micro"]["tp"] == 1
    assert scores["text"]["labels"]["micro"]["tp"] == 2


def test_weibo_nominal_mentions_are_dropped(tmp_path):
    text = "粉丝们喜欢周杰伦"
    gold = span_gold(tmp_path, text, [(0, 2, "PER.NOM"), (5, 8, "PER.NAM")])
    scores = score_ner(gold, run_dir(tmp_path, entities=[entity("s1", 5, 8, "周杰伦", "PERSON")]), dataset="weibo")
    assert scores["exact"]["labels"]["micro"]["f1"] == 1.0


def test_foreign_gold_labels_get_a_hint_and_text_mismatch_a_warning(tmp_path):
    gold = span_gold(tmp_path, "张三来了", [(0, 2, "PER")])
    docs = [{"doc_id": "s1", "status": "ok", "text": "张三来了。"}]
    scores = score_ner(gold, run_dir(tmp_path, documents=docs))
    assert any("--dataset" in w for w in scores["warnings"])
    assert any("differs from the gold text" in w for w in scores["warnings"])


def test_every_dataset_named_in_the_cli_has_a_map():
    maps = evaluation.load_maps()
    assert set(evaluation.NER_DATASETS) <= set(maps.ner)
    assert set(evaluation.TRIPLE_DATASETS) <= set(maps.triples)
    assert all(label in maps.families for m in maps.ner.values() for label in m.values())


# --- NER: corpus gold -------------------------------------------------------------------------

def test_document_level_entities(tmp_path):
    alibaba = {"label": "COMPANY", "canonical": "阿里巴巴", "mentions": ["阿里巴巴", "阿里"]}
    tsinghua = {"label": "ORG", "canonical": "清华大学", "mentions": ["清华"]}
    gold = corpus_gold(tmp_path, [], [EMAD, STABILITY, alibaba, tsinghua])
    preds = [entity("d1", 0, 4, "Emad", "PERSON", "Emad"),            # found through an alias
             entity("d1", 5, 9, "Emad", "PERSON", "Emad"),            # same group again
             entity("d1", 10, 25, "Emad Mostaque", "PERSON"),         # split group: not a false positive
             entity("d1", 30, 32, "阿里", "ORG", "阿里巴巴集团"),       # family right, label wrong
             entity("d1", 40, 42, "清华", "PERSON"),                   # wrong family: miss + false positive
             entity("d1", 50, 53, "新公司", "COMPANY"),                 # not an entity: false positive
             entity("d1", 60, 64, "1亿美元", "MONEY", value={"amount": 1e8, "currency": "USD"})]
    scores = score_ner(gold, run_dir(tmp_path, entities=preds))
    families = scores["entities"]["families"]["per_label"]
    assert (families["PERSON"]["tp"], families["PERSON"]["fp"], families["PERSON"]["fn"]) == (1, 1, 0)
    assert (families["ORG*"]["tp"], families["ORG*"]["fp"], families["ORG*"]["fn"]) == (1, 1, 2)
    labels = scores["entities"]["labels"]["per_label"]
    assert (labels["ORG"]["tp"], labels["ORG"]["fp"], labels["ORG"]["fn"]) == (0, 1, 1)
    assert (labels["COMPANY"]["tp"], labels["COMPANY"]["fn"]) == (0, 2)


def test_money_mentions_and_value_accuracy(tmp_path):
    money = [{"text": "1.01亿美元", "amount": 101000000, "currency": "USD"},
             {"text": "1.01亿美元", "amount": 101000000, "currency": "USD"},
             {"text": "200亿至250亿美元", "amount": 2e10, "currency": "USD", "upper": 2.5e10},
             {"text": "5000万元", "amount": 5e7, "currency": "CNY"}]
    gold = corpus_gold(tmp_path, [], [], money)
    preds = [entity("d1", 0, 7, "1.01亿美元", "MONEY", value={"amount": 101000000, "currency": "USD"}),
             entity("d1", 9, 16, "1.01亿 美元", "MONEY", value={"amount": 1.01, "currency": "USD"}),
             entity("d1", 20, 31, "200亿至250亿美元", "MONEY", value={"amount": 2e10, "currency": "USD"}),
             entity("d1", 40, 44, "3亿元", "MONEY", value={"amount": 3e8, "currency": "CNY"})]
    scores = score_ner(gold, run_dir(tmp_path, entities=preds))["money"]
    assert (scores["micro"]["tp"], scores["micro"]["fp"], scores["micro"]["fn"]) == (3, 1, 1)
    assert scores["value_correct"] == 1  # one 1.01亿 wrong; the range lacks its upper bound
    assert scores["value_accuracy"] == pytest.approx(1 / 3, abs=1e-3)


# --- the command and the HTML page --------------------------------------------------------------

class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += attrs


def test_cli_triples_writes_json_errors_and_html(tmp_path, capsys):
    gold = corpus_gold(tmp_path, [gold_triple("Emad Mostaque", "resigned_from", "Stability AI"), RAISED],
                       [EMAD, STABILITY])
    out = run_dir(tmp_path, triples=[triple("d1", "Emad", "resigned_from", "Stability AI"),
                                     triple("d1", "Emad", "joined", "Stability AI")])
    status = cli.main(["eval", "triples", "--gold", str(gold), "--pred", str(out), "--json", str(tmp_path / "s.json"),
                       "--errors", str(tmp_path / "e.jsonl"), "--html", str(tmp_path / "r.html")])
    assert status == 0
    printed = capsys.readouterr().out
    assert "resigned_from" in printed and "micro" in printed and "relaxed" in printed
    saved = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    assert set(saved) >= {"micro", "per_relation", "relaxed"}
    assert set(saved["micro"]) == {"p", "r", "f1", "tp", "fp", "fn"}
    assert set(saved["relaxed"]) == {"micro", "per_relation"}
    errors = [json.loads(line) for line in (tmp_path / "e.jsonl").read_text(encoding="utf-8").splitlines()]
    assert sorted(e["kind"] for e in errors) == ["false_positive", "miss"]
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    tags = _Tags()
    tags.feed(page)
    assert "script" not in tags.tags and "link" not in tags.tags and "img" not in tags.tags
    assert not [value for name, value in tags.attrs if name in ("src", "href")]
    assert tags.tags.count("svg") == 1 and tags.tags.count("table") == 2
    assert "strict" in page and "relaxed" in page


def test_cli_ner_html_shows_exact_text_and_families(tmp_path, capsys):
    gold = span_gold(tmp_path, "张三在华为", [(0, 2, "name"), (3, 5, "company")])
    out = run_dir(tmp_path, entities=[entity("s1", 0, 2, "张三", "PERSON")])
    html = tmp_path / "r.html"
    assert cli.main(["eval", "ner", "--gold", str(gold), "--pred", str(out), "--dataset", "cluener2020",
                     "--html", str(html)]) == 0
    assert "exact span, families" in capsys.readouterr().out
    page = html.read_text(encoding="utf-8")
    tags = _Tags()
    tags.feed(page)
    assert tags.tags.count("svg") == 2 and tags.tags.count("table") == 4
    assert "exact span" in page and "text multiset" in page and "ORG*" in page


def test_cli_reports_missing_files_clearly(tmp_path, capsys):
    assert cli.main(["eval", "triples", "--gold", str(tmp_path / "none.jsonl"), "--pred", str(tmp_path)]) == 2
    assert "does not exist" in capsys.readouterr().err
    gold = write_jsonl(tmp_path / "g.jsonl", [{"id": "d1", "text": "t", "triples": []}])
    assert cli.main(["eval", "triples", "--gold", str(gold), "--pred", str(tmp_path / "nowhere")]) == 2
    assert "triples.jsonl" in capsys.readouterr().err


# --- agreement with the independent scorer on DuEE dev ----------------------------------------

DUEE_RELATIONS = ("resigned_from", "joined", "dismissed_from", "sued", "invested_in", "acquired", "raised")


def _gold_predictions(gold_path: Path) -> list[dict]:
    """Every gold triple (all tiers and relations) as a prediction of the document."""
    out = []
    for line in gold_path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        for t in record["triples"]:
            pred = triple(record["id"], t["subject"], t["relation"], t["object"])
            value = evaluation._money_value(t["object"]) if t["object_type"] == "MONEY" else None
            if value:
                pred["object_value"] = {"amount": value[0], "currency": value[1]}
            out.append(pred)
    return out


def _perturb(preds: list[dict], kind: str, rng: random.Random) -> list[dict]:
    """Deterministic damage of one kind ("all" applies every kind in turn)."""
    if kind == "all":
        for each in PERTURBATIONS[1:-1]:
            preds = _perturb(preds, each, rng)
        return preds
    out = []
    for p in preds:
        p = dict(p)
        hit = rng.random() < 0.3
        if kind == "drop" and hit:
            continue
        if kind == "swap_relation" and hit:
            p["relation"] = rng.choice([r for r in DUEE_RELATIONS if r != p["relation"]])
        elif kind == "truncate_subject" and hit:
            p["subject"] = p["subject"][:-1]
        elif kind == "extend_subject" and hit:
            p["subject"] = rng.choice(["前", "公司", "CEO "]) + p["subject"]
        elif kind == "money_text" and "object_value" in p:
            p["object"] = f"{p['object_value']['amount']:.0f} {p['object_value']['currency']}"
        out.append(p)
        if kind == "duplicate" and hit:
            out.append({**p, "subject": rng.choice([p["subject"], f" {p['subject']}·", p["subject"].upper()])})
        if kind == "spurious" and hit:
            other = rng.choice(preds)
            out.append({**p, "object": other["object"], "relation": rng.choice(DUEE_RELATIONS)})
    return out


PERTURBATIONS = ("identity", "drop", "swap_relation", "truncate_subject", "extend_subject", "spurious",
                 "duplicate", "money_text", "all")


@pytest.mark.shared
@pytest.mark.parametrize("kind", PERTURBATIONS)
def test_agrees_with_the_independent_scorer_on_duee_dev(shared_dir, tmp_path, kind):
    gold = shared_dir / "data" / "re" / "duee" / "triples_dev.jsonl"
    if not gold.is_file():
        pytest.skip("DuEE dev triples are not in ../shared")
    exact = _gold_predictions(gold)
    preds = _perturb(exact, kind, random.Random(f"zhie-{kind}"))
    if kind == "money_text":  # amounts rewritten as digits and ISO codes: only their value matches
        assert sum(p["object"] != q["object"] for p, q in zip(preds, exact)) >= 5
    out = run_dir(tmp_path, triples=preds)
    ours = score_triples(gold, out, dataset="duee")["micro"]
    theirs = strict_scores(gold, out / "triples.jsonl", set(DUEE_RELATIONS), tiers={"core"},
                           money_value=evaluation._money_value)
    for measure in ("p", "r", "f1"):
        assert ours[measure] == pytest.approx(theirs[measure], abs=0.01), (kind, ours, theirs)
    if kind in ("identity", "duplicate", "money_text"):  # duplicates count once; amounts match by value
        assert ours["f1"] == theirs["f1"] == 1.0
    else:
        assert ours["f1"] < 1.0
