"""The entity stage: backends, user dictionaries, COMPANY/ORG endings, serialization."""
import pytest

from pipeline import language
from pipeline.entities import UserEntities, org_type, read_user_entities


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
