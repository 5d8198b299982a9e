from pipeline.canonical import normalize, same_org, same_person, strip_generic


def test_normalize_removes_case_space_and_punctuation():
    assert normalize("Sam Altman") == normalize("samaltman")
    assert normalize("伊尔亚·苏茨克维") == "伊尔亚苏茨克维"


def test_person_short_forms():
    assert same_person("Emad", "Emad Mostaque")
    assert same_person("苏莱曼", "穆斯塔法-苏莱曼")
    assert same_person("一鸣", "张一鸣")
    assert not same_person("Emad", "Tom Mason")
    assert not same_person("王", "王小川")


def test_org_short_forms():
    assert same_org("Stability", "Stability AI", 1, 5)
    assert same_org("阿里", "阿里巴巴", 2, 3)
    assert same_org("英伟达", "英伟达公司", 4, 1)  # differs only by a generic ending
    assert not same_org("腾讯", "腾讯音乐", 5, 2)   # the shorter name is used more: another company
    assert strip_generic(normalize("红杉资本")) == "红杉"
    # a registered name: place, name, generic endings
    assert same_org("中创环保", "厦门中创环保科技股份有限公司", 5, 1)
    assert same_org("丰巢", "深圳市丰巢网络技术有限公司", 5, 1)
    assert not same_org("腾讯", "腾讯音乐娱乐科技(深圳)有限公司", 5, 1)
    assert not same_org("北京", "北京字节跳动科技有限公司", 5, 1)
    # a firm's investment arm: the parent, named more often, is another entity
    assert not same_org("蔚来", "蔚来资本", 6, 1)
    assert same_org("红杉", "红杉资本", 1, 2)


def test_mentions_resolve_to_the_fullest_form(annotate):
    text = "Stability AI CEO Emad Mostaque宣布辞职。Emad表示，Stability会继续开源。"
    doc = annotate(text, {"Stability AI": "COMPANY", "Stability": "COMPANY",
                          "Emad Mostaque": "PERSON", "Emad": "PERSON"})
    canon = {(e.text, e._.canonical) for e in doc.ents}
    assert ("Emad", "Emad Mostaque") in canon
    assert ("Stability", "Stability AI") in canon


def test_canonical_prefers_the_most_common_script(annotate):
    text = "微软宣布投资。Microsoft的发言人说，微软不会评论。微软股价上涨。"
    doc = annotate(text, {"微软": "COMPANY", "Microsoft": "COMPANY"})
    assert {e._.canonical for e in doc.ents if e.text == "微软"} == {"微软"}


def test_stated_alias_in_parentheses(annotate):
    text = "英特尔（Intel）今天发布财报。Intel表示营收增长。"
    doc = annotate(text, {"英特尔": "COMPANY", "Intel": "COMPANY"})
    assert len({e._.canonical for e in doc.ents}) == 1


def test_anaphors_resolve_to_company_and_person(annotate):
    text = "月之暗面完成新一轮融资。该公司表示，资金将用于研发。杨植麟说，他很感谢投资人。"
    doc = annotate(text, {"月之暗面": "COMPANY", "杨植麟": "PERSON"})
    resolved = {(s.text, s._.canonical) for s in doc.spans["mentions"]}
    assert ("该公司", "月之暗面") in resolved
    assert ("他", "杨植麟") in resolved


def test_cited_source_is_not_an_antecedent(annotate):
    text = "Stability AI陷入困境。根据彭博社的爆料，该公司每月烧钱严重。Stability AI否认。"
    doc = annotate(text, {"Stability AI": "COMPANY", "彭博社": "COMPANY"})
    assert [s._.canonical for s in doc.spans["mentions"] if s.text == "该公司"] == ["Stability AI"]


def test_quoted_nickname_of_the_company_in_focus(annotate):
    text = "“稳定AI”乱成一锅粥。Stability AI的CEO辞职了。Stability AI正在寻找新CEO。"
    doc = annotate(text, {"Stability AI": "COMPANY"})
    nick = [e for e in doc.ents if e.text == "稳定AI"]
    assert nick and nick[0]._.canonical == "Stability AI"


def test_a_pronoun_inside_a_word_is_no_pronoun(annotate):
    doc = annotate("罗杰因其他原因离开。他们表示理解，他本人没有回应。", {"罗杰": "PERSON"})
    assert [s.text for s in doc.spans["mentions"]] == ["他"]


def test_company_or_board_standing_for_the_company(annotate):
    text = "蓝鲸科技发布财报。公司CEO为罗杰。董事会任命陈舟为首席财务官。"
    doc = annotate(text, {"蓝鲸科技": "COMPANY", "罗杰": "PERSON", "陈舟": "PERSON"})
    resolved = {(s.text, s._.canonical) for s in doc.spans["mentions"]}
    assert {("公司", "蓝鲸科技"), ("董事会", "蓝鲸科技")} <= resolved
    found = {t.key for t in doc._.triples}
    assert {("罗杰", "holds_position", "蓝鲸科技"), ("陈舟", "holds_position", "蓝鲸科技")} <= found


def test_a_unit_of_an_organisation_is_another_organisation():
    assert not same_org("清华大学", "清华大学计算机系", 1, 2)
    assert not same_org("谷歌", "谷歌研究院", 1, 1)
    assert same_org("谷歌", "谷歌公司", 3, 1)


def test_company_anaphor_skips_a_university_lab(annotate):
    text = "蓝鲸科技发布新品。蓝鲸脱胎于清华大学实验室，公司董事长罗杰毕业于清华大学。"
    doc = annotate(text, {"蓝鲸科技": "COMPANY", "蓝鲸": "COMPANY", "清华大学实验室": "ORG",
                          "清华大学": "ORG", "罗杰": "PERSON"})
    assert [s._.canonical for s in doc.spans["mentions"] if s.text == "公司"] == ["蓝鲸科技"]


def test_company_anaphor_skips_a_persons_former_employer(annotate):
    text = "蓝鲸科技发布新品。蓝鲸由前鲸落工程师罗杰于2016年创办，罗杰目前担任公司董事长。"
    doc = annotate(text, {"蓝鲸科技": "COMPANY", "蓝鲸": "COMPANY", "鲸落": "COMPANY", "罗杰": "PERSON"})
    assert [s._.canonical for s in doc.spans["mentions"] if s.text == "公司"] == ["蓝鲸科技"]


def test_cluster_label_and_name_follow_added_mentions(nlp):
    from pipeline.canonical import Cluster

    doc = nlp.make_doc("蓝鲸，蓝鲸科技，蓝鲸")
    short, full, again = (doc.char_span(s, e, label=label) for s, e, label in ((0, 2, "ORG"), (3, 7, "COMPANY"),
                                                                            (8, 10, "COMPANY")))
    cluster = Cluster("ORG", [short])
    assert (cluster.label, cluster.canonical) == ("ORG", "蓝鲸")
    cluster.add([full, again])
    assert (cluster.label, cluster.canonical) == ("COMPANY", "蓝鲸科技")


def test_a_credited_source_is_not_an_antecedent(annotate):
    text = "原标题：拟并购星河制药-鲸落药业并购事件点评 来源：蓝鲸证券\n公司发布公告：拟以7.9亿元收购星河制药100%股权。"
    doc = annotate(text, {"鲸落药业": "COMPANY", "星河制药": "COMPANY", "蓝鲸证券": "COMPANY"})
    assert [s._.canonical for s in doc.spans["mentions"] if s.text == "公司"] == ["鲸落药业"]
