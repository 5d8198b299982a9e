"""The entity stage: backends, user dictionaries, COMPANY/ORG endings, serialization."""
import pytest

from pipeline import language
from pipeline.entities import UserEntities, org_type, read_user_entities, _tidied


def test_org_type_by_ending():
    assert org_type("蓝驰创投", "ORG") == "COMPANY"
    assert org_type("Stability AI", "ORG") == "COMPANY"
    assert org_type("慕尼黑大学", "COMPANY") == "ORG"
    assert org_type("杭州互联网法院", "COMPANY") == "ORG"
    assert org_type("字节跳动", "COMPANY") == "COMPANY"  # no ending: the model's type stays


def test_user_entities_file(tmp_path):
    path = tmp_path / "names.tsv"
    path.write_text("# my names\nShan Shan Wong\tPERSON\n小度\tcompany\n", encoding="utf-8")
    assert read_user_entities(path) == {"Shan Shan Wong": "PERSON", "小度": "COMPANY"}
    path.write_text("小度 COMPANY\n", encoding="utf-8")
    with pytest.raises(ValueError, match=":1:"):
        read_user_entities(path)


def test_user_names_match_whole_latin_words_longest_first():
    user = UserEntities({"Pi": "COMPANY", "Pi Labs": "COMPANY", "小度": "COMPANY"})
    assert user.find("Pi Labs发布了Pixel和小度") == [(0, 7, "COMPANY"), (16, 18, "COMPANY")]


def test_user_entities_win_over_the_backend_and_segment_whole(tmp_path):
    path = tmp_path / "names.tsv"
    path.write_text("蓝驰创投\tCOMPANY\n穆斯塔法-苏莱曼\tPERSON\n", encoding="utf-8")
    nlp = language.build(overrides={"components.ner.backend": "jieba",
                                    "components.ner.user_entities": str(path)})
    doc = nlp("穆斯塔法-苏莱曼表示，蓝驰创投参与了本轮投资。")
    assert {(e.text, e.label_) for e in doc.ents} >= {("蓝驰创投", "COMPANY"), ("穆斯塔法-苏莱曼", "PERSON")}
    assert "蓝驰创投" in [t.text for t in nlp.make_doc("今天，蓝驰创投参与了本轮投资。")]


def test_unknown_backend_is_a_clear_error():
    nlp = language.build(overrides={"components.ner.backend": "nope"})
    with pytest.raises(ValueError, match="unknown NER backend"):
        nlp("张三")



@pytest.mark.parametrize("text", [
    "中国太保(02601)公布，该公司控股子公司中国太平洋人寿保险股份有限公司于2019年6月21日收到辞职报告。",
    "字节跳动创始人张一鸣表示，抖音将继续投入；快手CEO程一笑则称，公司不会跟进。",
])
def test_no_model_entity_spans_clause_punctuation(nlp, text):
    """Decoding tags clause punctuation O, so no name runs past a comma."""
    from pipeline.ner_model import CLAUSE_PUNCTUATION

    doc = nlp(text)
    assert doc.ents
    assert not [e.text for e in doc.ents if any(c in e.text for c in CLAUSE_PUNCTUATION)]


def _tagger_with(transitions):
    """A CharTagger whose CRF transitions the test sets (split_name_list reads only those)."""
    from pipeline.ner_model import CharTagger

    tagger = CharTagger.__new__(CharTagger)
    tagger.transitions = transitions
    return tagger


def test_a_run_of_people_without_separators_is_a_name_list():
    from pipeline.ner_model import TAGS, name_list_regions, script

    text = "委员有陈立新陈文华周海涛。"
    tag = {t: i for i, t in enumerate(TAGS)}
    path = [tag["O"]] * len(text)
    for start, end in ((3, 6), (6, 9), (9, 12)):
        path[start:end] = [tag["B-PERSON"], tag["I-PERSON"], tag["E-PERSON"]]
    assert name_list_regions(path, [script(c) for c in text]) == [(3, 12)]
    path[6:9] = [tag["O"]] * 3   # two people are no list
    assert name_list_regions(path, [script(c) for c in text]) == []


def test_a_name_list_is_cut_into_names_of_two_to_four_characters():
    import numpy as np

    from pipeline.ner_model import TAGS, spans_from_tags

    tag = {t: i for i, t in enumerate(TAGS)}
    scores = np.zeros((9, len(TAGS)), dtype=np.float32)
    scores[[0, 3, 5], tag["B-PERSON"]] = 2.0   # names 0-3, 3-5 and 5-9
    scores[[2, 4, 8], tag["E-PERSON"]] = 2.0
    scores[[1, 6, 7], tag["I-PERSON"]] = 1.0
    tagger = _tagger_with(np.zeros((len(TAGS), len(TAGS)), dtype=np.float32))
    assert [(s, e) for s, e, _ in spans_from_tags(tagger.split_name_list(scores))] == [(0, 3), (3, 5), (5, 9)]
    flat = np.zeros((11, len(TAGS)), dtype=np.float32)   # no cue at all: still no name longer than four
    assert all(2 <= e - s <= 4 for s, e, _ in spans_from_tags(tagger.split_name_list(flat)))


@pytest.mark.parametrize("text, names", [
    ("陈立新周海涛", [(0, 3), (3, 6)]),   # two people written together: each opens with a surname
    ("维诺格拉夫", [(0, 5)]),             # a long foreign name opens no such pair
])
def test_two_people_glued_together_are_cut_apart(text, names):
    import numpy as np

    from pipeline.ner_model import TAGS, Encoded, script, spans_from_tags

    tag = {t: i for i, t in enumerate(TAGS)}
    chars = {c: i for i, c in enumerate(dict.fromkeys(text + "陈周王"))}
    tagger = _tagger_with(np.zeros((len(TAGS), len(TAGS)), dtype=np.float32))
    tagger.surname_ids = frozenset(chars[c] for c in "陈周王")
    n = len(text)
    scores = np.zeros((n, len(TAGS)), dtype=np.float32)
    scores[[0, 3], tag["B-PERSON"]] = 2.0   # the list cut reads two names, 0-3 and 3-6
    scores[[2, n - 1], tag["E-PERSON"]] = 2.0
    path = [tag["B-PERSON"]] + [tag["I-PERSON"]] * (n - 2) + [tag["E-PERSON"]]   # the first reading: one name
    encoded = Encoded(np.array([chars[c] for c in text]), None, None, np.array([script(c) for c in text]), None)
    tagger.split_glued_pairs(path, encoded, scores)
    assert [(s, e) for s, e, _ in spans_from_tags(path)] == names


def test_people_listed_without_separators_are_each_found(nlp):
    doc = nlp("主席团成员：张建国王丽华李明辉赵志强刘德明孙晓东。")
    assert [e.text for e in doc.ents if e.label_ == "PERSON"] == ["张建国", "王丽华", "李明辉", "赵志强", "刘德明", "孙晓东"]


def test_market_quotes_and_stock_codes_after_names_do_not_change_what_the_tagger_reads(nlp):
    plain = "原标题：中铝国际任命伏军担任董事会提名委员会主席。海立股份公告称，联康生物科技集团公告。"
    quoted = ("原标题：中铝国际(6.050,0.02,0.33%)任命伏军担任董事会提名委员会主席。"
              "海立股份(8.060,-0.02,-0.25%)公告称，联康生物科技集团(00690.HK)公告。")
    assert [(e.text, e.label_) for e in nlp(quoted).ents] == [(e.text, e.label_) for e in nlp(plain).ents]


@pytest.mark.parametrize("text, tagged, kept", [
    ("访『青苗计划』组委会主任", "青苗计划』组委会", "『青苗计划』组委会"),      # partner just outside: taken in
    ("（本报开罗电）国家文物局公布", "开罗电）国家文物局", "国家文物局"),            # a dateline's half bracket: cut
    ("详见《蓝岭能源股份有限公司关于", "《蓝岭能源股份有限公司", "蓝岭能源股份有限公司"),  # a title's opening bracket
    ("主力中卫考利-布兰登", "考利-", "考利"),                                     # separators at the edges
    ("（以下简称华岭投资）将其", "华岭投资）", "华岭投资"),                         # a closing bracket at the end
    ("华鑫（天津）融资担保有限公司", "华鑫（天津）融资担保有限公司", "华鑫（天津）融资担保有限公司"),
    ("YY Inc.今日", "YY Inc.", "YY Inc."),
])
def test_backend_spans_lose_half_brackets_and_edge_separators(text, tagged, kept):
    start = text.index(tagged)
    s, e, label = _tidied(text, (start, start + len(tagged), "ORG"))
    assert (text[s:e], label) == (kept, "ORG")
