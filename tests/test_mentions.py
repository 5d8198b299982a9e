"""The mentions stage: spans mended, organisations told from people, missed names found."""
import pytest


def _doc_with(nlp, text, spans):
    from pipeline.spans import char_spans, set_entities

    doc = nlp.make_doc(text)
    set_entities(doc, char_spans(doc, spans), replace=True)
    return doc


def test_name_before_titles_and_a_person_is_an_organisation(annotate):
    text = "星河云联合创始人兼CEO周明远表示，星河云会继续招人。"
    doc = annotate(text, {"星河云": "PERSON", "周明远": "PERSON"})
    assert {e.text: e.label_ for e in doc.ents} == {"星河云": "COMPANY", "周明远": "PERSON"}


def test_titled_people_side_by_side_stay_people(annotate):
    text = "董事长陈舟和总裁林海出席。陈舟董事长和林海总裁的会晤很顺利。"
    doc = annotate(text, {"陈舟": "PERSON", "林海": "PERSON"})
    assert {e.label_ for e in doc.ents} == {"PERSON"}


def test_name_in_an_organisation_only_context_is_an_organisation(annotate):
    text = "Qubit成立于2019年，由林海和陈舟共同创立。"
    doc = annotate(text, {"Qubit": "PERSON", "林海": "PERSON", "陈舟": "PERSON"})
    assert {e.text: e.label_ for e in doc.ents}["Qubit"] == "COMPANY"
    assert {e.text: e.label_ for e in doc.ents}["林海"] == "PERSON"


@pytest.mark.parametrize("text, name", [
    ("本轮由硅谷风投机构Harlow Quinn领投，罗杰跟投。", "Harlow Quinn"),
    ("图片库巨头Piers Wexley起诉了罗杰。", "Piers Wexley"),
])
def test_a_name_right_after_a_kind_of_firm_is_a_company(annotate, text, name):
    doc = annotate(text, {name: "PERSON", "罗杰": "PERSON"})
    assert {e.text: e.label_ for e in doc.ents} == {name: "COMPANY", "罗杰": "PERSON"}


def test_a_short_han_person_listed_beside_companies_without_a_surname_is_a_company(annotate):
    text = "本轮由蓝鲸资本领投，星河科技、岚图跟投，王岚也参与了。"
    doc = annotate(text, {"蓝鲸资本": "COMPANY", "星河科技": "COMPANY", "岚图": "PERSON", "王岚": "PERSON"})
    assert {e.text: e.label_ for e in doc.ents} == {"蓝鲸资本": "COMPANY", "星河科技": "COMPANY", "岚图": "COMPANY",
                                                   "王岚": "PERSON"}


def test_a_titled_person_listed_beside_a_company_stays_a_person(annotate):
    text = "原董事长岚图、星河科技原总经理王岚涉嫌违规。"
    doc = annotate(text, {"岚图": "PERSON", "星河科技": "COMPANY", "王岚": "PERSON"})
    assert {e.text: e.label_ for e in doc.ents}["岚图"] == "PERSON"


@pytest.mark.parametrize("text, found", [
    ("作家们起诉了蓝鲸和Quorra，指控其侵权。", True),      # listed after a company
    ("此前，Quorra和蓝鲸都推出了新模型。", True),           # listed before one, at the list's start
    ("曾参与蓝鲸IPO、蓝鲸发行股份的工作。", False),        # glued to the word before it: no list member
])
def test_a_latin_name_listed_beside_a_company_is_a_company(annotate, text, found):
    doc = annotate(text, {"蓝鲸": "COMPANY"})
    latin = [(e.text, e.label_) for e in doc.ents if e.text.isascii()]
    assert latin == ([(text[text.index("Q"):text.index("Q") + 6], "COMPANY")] if found else [])


@pytest.mark.parametrize("text", ["罗杰加入蓝鲸公司\n王芳在北京工作。", "蓝鲸公司王芳表示满意。"])
def test_a_person_after_a_firms_name_stays_a_person(annotate, text):
    doc = annotate(text, {"蓝鲸公司": "COMPANY", "王芳": "PERSON", "罗杰": "PERSON"})
    assert {e.text: e.label_ for e in doc.ents}["王芳"] == "PERSON"


def test_person_typed_short_form_of_a_company_joins_it(annotate):
    text = "Nimbus Labs发布新模型。罗杰说，他加入Nimbus时团队只有五个人。"
    doc = annotate(text, {"Nimbus Labs": "COMPANY", "Nimbus": "PERSON", "罗杰": "PERSON"})
    nimbus = next(e for e in doc.ents if e.text == "Nimbus")
    assert (nimbus.label_, nimbus._.canonical) == ("COMPANY", "Nimbus Labs")


def test_people_around_an_organisation_stay_people(annotate):
    text = "陈舟加入蓝鲸科技，出任首席技术官。蓝鲸科技CEO林海表示欢迎陈舟。"
    doc = annotate(text, {"陈舟": "PERSON", "蓝鲸科技": "COMPANY", "林海": "PERSON"})
    assert {e.text for e in doc.ents if e.label_ == "PERSON"} == {"陈舟", "林海"}


def test_a_persons_research_group_does_not_make_the_person_an_organisation(annotate):
    text = "韩立远课题组发表论文。韩立远表示满意。"
    doc = annotate(text, {"韩立远课题组": "ORG", "韩立远": "PERSON"})
    assert {e.text: e.label_ for e in doc.ents}["韩立远"] == "PERSON"


def test_other_occurrences_of_a_recognised_name_become_mentions(nlp):
    from pipeline.mentions import complete_mentions

    text = "Nimbus原CTO罗杰离开。随后，Nimbus宣布退出，Nimbusly不相干。"
    second = text.index("随后，Nimbus") + 3
    doc = _doc_with(nlp, text, [(second, second + 6, "COMPANY")])
    complete_mentions(doc, text)
    assert sorted(e.start_char for e in doc.ents if e.text == "Nimbus") == [0, second]


def test_a_name_followed_by_a_generic_ending_is_another_name(nlp):
    from pipeline.mentions import complete_mentions

    text = "蓝鲸发布财报。蓝鲸资本随后减持。"
    doc = _doc_with(nlp, text, [(0, 2, "COMPANY")])
    complete_mentions(doc, text)
    assert [e.start_char for e in doc.ents] == [0]


def test_an_announcing_name_is_an_organisation(annotate):
    doc = annotate("蓝鲸（BW）发布公告称，首席财务官罗杰辞职。", {"蓝鲸": "PERSON", "罗杰": "PERSON"})
    assert {e.text: e.label_ for e in doc.ents}["蓝鲸"] == "COMPANY"


def test_an_unrecognised_name_before_a_top_title_and_a_person_is_an_organisation(annotate):
    doc = annotate("2021年，蓝鲸智能创始人罗杰宣布卸任。", {"罗杰": "PERSON"})
    assert {e.text: e.label_ for e in doc.ents}.get("蓝鲸智能") == "COMPANY"


def test_a_department_or_a_verb_before_a_title_is_no_name(annotate):
    doc = annotate("公告称，财务负责人罗杰离职，董事会宣布解雇CEO陈舟。", {"罗杰": "PERSON", "陈舟": "PERSON"})
    assert {e.label_ for e in doc.ents} == {"PERSON"}


@pytest.mark.parametrize("text, name", [
    ("本周，初创公司蓝鲸智能宣布完成融资。", "蓝鲸智能"),
    ("罗杰随后加入蓝鲸，出任首席科学家。", "蓝鲸"),
    ("蓝鲸成立于2020年，总部位于杭州。", "蓝鲸"),
    ("3月5日，蓝鲸（BWH）发布2023年第四季度财报。", "蓝鲸"),
    ("2023年，蓝鲸全年营收为556.2亿元。", "蓝鲸"),
    ("阿布扎比投资机构两次入股蓝鲸，累计投资约33亿美元。", "蓝鲸"),
    ("亿邦动力获悉，直播电商平台蓝鲸优选完成天使轮融资。", "蓝鲸优选"),   # no type noun in the name
    ("2017年4月，蓝鲸曾获得2亿美元的A轮融资。", "蓝鲸"),                 # nor the adverb after it
    ("本轮融资由蓝鲸资本领投，星河创投跟投。", "星河创投"),               # investors named by a frame
    ("本轮由蓝鲸领投，星河中国、鲸落基金等老股东也继续参与。", "鲸落基金"),
    ("投资方包括李开复此前创办的鲸落工场以及蓝鲸云等。", "鲸落工场"),     # not the modifier before 的
    ("领投方是星河创投（Galaxy Ventures）。", "星河创投"),                # not its alias in brackets
])
def test_unrecognised_names_in_organisation_contexts(annotate, text, name):
    doc = annotate(text, {"罗杰": "PERSON"})
    assert {e.text: e.label_ for e in doc.ents}.get(name) == "COMPANY"


def test_time_words_in_an_organisation_context_are_no_name(annotate):
    doc = annotate("今年以来已累计成立于此的企业很多。", {})
    assert not [e for e in doc.ents if e.label_ == "COMPANY"]
    doc = annotate("公司全年营收为100亿元，虽然仍录得净亏损6亿元。三季度营收30亿元。", {})
    assert not [e for e in doc.ents if e.label_ == "COMPANY"]


def test_a_name_with_an_unclosed_parenthesis_ends_before_it(annotate):
    doc = annotate("亚马逊聘请了大卫·栾（David Luan）。", {"大卫·栾（David Luan": "PERSON"})
    people = [e for e in doc.ents if e.label_ == "PERSON"]
    assert [(e.text, e._.canonical) for e in people] == [("大卫·栾", "大卫·栾"), ("David Luan", "大卫·栾")]


def test_words_after_a_joining_verb_that_are_no_name(annotate):
    # the team joined is 蓝鲸, not "蓝鲸之后"; 球队 and 半个赛季 name nobody
    doc = annotate("在罗杰加盟蓝鲸之后，球迷很意外。罗杰加盟球队。罗杰加盟半个赛季。", {"罗杰": "PERSON"})
    assert [e.text for e in doc.ents if e.label_ == "COMPANY"] == ["蓝鲸"]


@pytest.mark.parametrize("mention, names", [
    ("蓝鲸（BWH）", ["蓝鲸", "BWH"]),                  # a Latin alias in brackets: two mentions
    ("Steven Feng）", ["Steven Feng"]),               # a stray closing bracket
    ("蓝鲸控股（集团）公司", ["蓝鲸控股（集团）公司"]),  # brackets inside a legal name stay
    ("DeviantArt三家公司", ["DeviantArt"]),            # a count of the names listed before it
])
def test_mentions_end_at_brackets_and_counts(annotate, mention, names):
    doc = annotate(f"据悉，{mention}今天表示。", {mention: "COMPANY"})
    assert [e.text for e in doc.ents] == names


def test_a_defined_short_name_is_a_mention_wherever_it_occurs(annotate):
    # the tagger's "蓝鲸" (a person) inside the defined short name gives way to it
    text = "江苏蓝鲸信息系统有限公司（下称“蓝鲸信息”）今日公告。蓝鲸信息表示，罗杰已加入蓝鲸信息。"
    doc = annotate(text, {"江苏蓝鲸信息系统有限公司": "COMPANY", "蓝鲸": "PERSON", "罗杰": "PERSON"})
    aliases = [(e.text, e.label_, e._.canonical) for e in doc.ents if e.text == "蓝鲸信息"]
    assert aliases == [("蓝鲸信息", "COMPANY", "江苏蓝鲸信息系统有限公司")] * 3
    assert "蓝鲸" not in [e.text for e in doc.ents]


@pytest.mark.parametrize("text", [
    "江苏蓝鲸信息系统有限公司（以下简称蓝鲸信息）今日公告。据悉，罗杰在蓝鲸信息工作多年，蓝鲸信息的股东也很满意。",
    "Blue Whale Systems（BWS）今日公告。据悉，罗杰在BWS工作多年，BWS的股东也很满意。",  # its initials
])
def test_a_short_name_defined_without_quotes_is_a_mention_wherever_it_occurs(annotate, text):
    full, short = ("江苏蓝鲸信息系统有限公司", "蓝鲸信息") if "蓝鲸" in text else ("Blue Whale Systems", "BWS")
    doc = annotate(text, {full: "COMPANY", "罗杰": "PERSON"})
    assert [(e.label_, e._.canonical) for e in doc.ents if e.text == short] == [("COMPANY", full)] * 3


def test_capitals_in_brackets_after_a_person_are_no_alias(annotate):
    doc = annotate("罗杰（CEO）今日表示，CEO一职将交出。", {"罗杰": "PERSON"})
    assert "CEO" not in [e.text for e in doc.ents]


def test_a_defined_role_name_is_no_mention(annotate):
    # "收购人" shares no character with the name it stands for: a role, not a short name
    doc = annotate("海南鲸落企业管理有限公司(“收购人”)拟收购公司股份。收购人表示。",
                   {"海南鲸落企业管理有限公司": "COMPANY"})
    assert "收购人" not in [e.text for e in doc.ents]


def test_nothing_inside_a_stock_code_is_a_mention(annotate):
    doc = annotate("蓝鲸生物科技集团(00690.HK)公告，罗杰辞任公司董事。", {"蓝鲸生物科技集团": "COMPANY", "HK": "COMPANY",
                                                          "罗杰": "PERSON"})
    assert [e.text for e in doc.ents] == ["蓝鲸生物科技集团", "罗杰"]
    assert ("罗杰", "resigned_from", "蓝鲸生物科技集团") in {t.key for t in doc._.triples}


@pytest.mark.parametrize("text", ["事件：蓝鲸教育(06169)公告称，拟收购一家学校。",
                                  "每经AI快讯，蓝鲸教育（SZ 300233，收盘价：38.39元）晚间公告。"])
def test_a_name_before_its_stock_code_replaces_its_fragment(annotate, text):
    doc = annotate(text, {"蓝鲸": "COMPANY"})
    assert [e.text for e in doc.ents if e.label_ != "MONEY"] == ["蓝鲸教育"]


def test_a_context_does_not_swallow_a_name_used_alone(annotate):
    # "蓝鲸刚刚完成…融资": the funding context would read "蓝鲸刚刚" as a name, but the document
    # names 蓝鲸 on its own
    doc = annotate("蓝鲸的估值一路走高。2024年5月，蓝鲸刚刚完成10亿美元融资。", {"蓝鲸": "COMPANY"})
    assert [e.text for e in doc.ents if e.label_ != "MONEY"] == ["蓝鲸", "蓝鲸"]


def test_a_person_before_a_stock_code_is_a_company(annotate):
    doc = annotate("8月初，鲸落(002486.SZ)正式公告。鲸落表示。", {"鲸落": "PERSON"})
    assert {e.label_ for e in doc.ents} == {"COMPANY"}


def test_a_frame_name_replaces_the_pieces_the_tagger_made_of_it(annotate):
    # "蓝鲸" cut short of its generic ending, "中国" read as a place inside the name
    doc = annotate("蓝鲸脱胎于百度。本轮由蓝鲸资本领投，星河中国跟投。", {"蓝鲸": "COMPANY", "中国": "LOC"})
    names = [e.text for e in doc.ents]
    assert "蓝鲸资本" in names and "星河中国" in names and names.count("蓝鲸") == 1


def test_a_demonstrative_company_is_no_name_frame(annotate):
    doc = annotate("这家公司刚刚凭借一份备忘录拿到了1亿欧元的融资。", {})
    assert [e.label_ for e in doc.ents] == ["MONEY"]


def test_a_place_and_a_company_noun_is_no_name(annotate):
    doc = annotate("蓝鲸完成对新加坡公司鲸落的收购。", {"蓝鲸": "COMPANY", "新加坡公司": "COMPANY", "鲸落": "COMPANY"})
    assert [e.text for e in doc.ents] == ["蓝鲸", "鲸落"]
    assert ("蓝鲸", "acquired", "鲸落") in {t.key for t in doc._.triples}



@pytest.mark.parametrize("tagged", ["监管机构", "美国证券监管部门", "英国监管当局"])
def test_a_regulator_named_by_its_role_is_no_name(annotate, tagged):
    doc = annotate(f"{tagged}正在调查蓝鲸。", {tagged: "ORG", "蓝鲸": "COMPANY"})
    assert [e.text for e in doc.ents] == ["蓝鲸"]


def test_a_surname_with_a_form_of_address_is_no_name(annotate):
    doc = annotate("业主侯女士说，杨律师已接手。罗杰先生表示同意。", {"侯女士": "PERSON", "杨律师": "PERSON", "罗杰": "PERSON"})
    assert [e.text for e in doc.ents] == ["罗杰"]


@pytest.mark.parametrize("tagged, names", [
    ("蓝鲸集团与鲸落集团", ["蓝鲸集团", "鲸落集团"]),                  # two companies joined by the tagger
    ("国家发展和改革委员会", ["国家发展和改革委员会"]),              # 和 inside one name
    ("蓝鲸国家银行和证券委员会", ["蓝鲸国家银行和证券委员会"]),      # a bank and a commission: one regulator
])
def test_two_organisations_joined_by_a_conjunction_are_two_mentions(annotate, tagged, names):
    doc = annotate(f"{tagged}共同出资设立了一只基金。", {tagged: "COMPANY"})
    assert [e.text for e in doc.ents] == names


def test_a_department_is_no_entity_of_its_own(annotate):
    # "微软AI" cut off before 部门 would become Microsoft's fullest name
    doc = annotate("罗杰正式加入微软，出任新成立的微软AI部门首席执行官。", {"罗杰": "PERSON", "微软": "COMPANY", "微软AI": "COMPANY"})
    assert "微软AI" not in [e.text for e in doc.ents]
    assert {e._.canonical for e in doc.ents if e.text == "微软"} == {"微软"}


def test_an_adverb_in_a_company_context_is_no_name(annotate):
    # "公司X宣布" frames a name, but 突然 is an adverb of the sentence
    doc = annotate("蓝鲸公司突然宣布裁员。", {"蓝鲸公司": "COMPANY"})
    assert [e.text for e in doc.ents] == ["蓝鲸公司"]


@pytest.mark.parametrize("text, names, expected", [
    ("裁员之后，Zorbit酝酿新计划。Zorbit表示不会放弃。", {"Zorbit": "PERSON"}, "COMPANY"),  # a brand
    ("Tova Lind表示，Lind会留下。", {"Tova Lind": "PERSON", "Lind": "PERSON"}, "PERSON"),  # part of a full name
    ("首席执行官Lind表示满意。", {"Lind": "PERSON"}, "PERSON"),                             # a title before it
    ("林德（Lind）表示满意。", {"林德": "PERSON", "Lind": "PERSON"}, "PERSON"),              # a person's alias
    ("Lind先生在接受采访时表示满意。", {"Lind": "PERSON"}, "PERSON"),                         # said of a person
    ("这部剧的制片人Lind表示满意。", {"Lind": "PERSON"}, "PERSON"),                           # an occupation before it
])
def test_a_lone_latin_word_is_a_person_only_with_support(annotate, text, names, expected):
    doc = annotate(text, names)
    assert {e.label_ for e in doc.ents if e.text == "Lind" or e.text == "Zorbit"} == {expected}


def test_a_lone_latin_word_the_user_listed_stays_a_person(nlp, tmp_path):
    from pipeline.language import build

    names = tmp_path / "names.tsv"
    names.write_text("Zorbit\tPERSON\n", encoding="utf-8")
    doc = build(overrides={"components.ner.user_entities": str(names)})("裁员之后，Zorbit酝酿新计划。")
    assert [(e.text, e.label_) for e in doc.ents] == [("Zorbit", "PERSON")]


def test_an_organisation_mention_after_a_title_is_a_person(annotate):
    doc = annotate("研究负责人Tova Lind先后离职。", {"Tova Lind": "COMPANY"})
    assert [(e.text, e.label_) for e in doc.ents] == [("Tova Lind", "PERSON")]


def test_a_list_may_open_with_a_name_that_begins_with_a_separator_character(annotate):
    doc = annotate("蓝鲸完成5亿元B轮融资，由和鲸资本领投，星河创投跟投。", {"蓝鲸": "COMPANY"})
    assert {e.text for e in doc.ents if e.label_ == "COMPANY"} == {"蓝鲸", "和鲸资本", "星河创投"}


@pytest.mark.parametrize("mention, name", [
    ("官宣：罗杰", "罗杰"),              # a colon is no part of a name
    ("踩雷”蓝鲸控股有限公司", "蓝鲸控股有限公司"),  # nor a quote mark
    ("鲸落社讯】蓝鲸国际", "蓝鲸国际"),            # nor a headline's bracket
])
def test_mentions_end_at_punctuation(annotate, mention, name):
    doc = annotate(f"昨天{mention}表示。", {mention: "PERSON" if name == "罗杰" else "COMPANY"})
    assert [e.text for e in doc.ents] == [name]


@pytest.mark.parametrize("text", [
    "蓝鲸推出了聊天机器人Zorbit。",   # named as a product
    "训练下一代Zorbit 3需要更多芯片。",  # a version number after a Latin name
    "Zorbit系列模型很受欢迎。",
])
def test_products_are_no_entities(annotate, text):
    doc = annotate(text, {"蓝鲸": "COMPANY", "Zorbit": "PERSON"})
    assert "Zorbit" not in [e.text for e in doc.ents]


@pytest.mark.parametrize("text, name", [
    ("蓝鲸队3:1战胜星河队。", "蓝鲸队"),                 # a score, not a version
    ("蓝鲸集团2019年营收100亿元。", "蓝鲸集团"),         # a year
    ("蓝鲸队系列赛3:1领先。", "蓝鲸队"),                 # 系列赛 is a series of games
    ("尽在财经APP\n罗杰退休了。", "罗杰"),               # an app name ending a page header
])
def test_names_next_to_numbers_or_app_headers_stay(annotate, text, name):
    doc = annotate(text, {name: "PERSON" if name == "罗杰" else "ORG"})
    assert name in [e.text for e in doc.ents]


def test_a_raiser_named_before_a_hearsay_word(annotate):
    doc = annotate("罗杰创办了AI初创公司Zorbit，据悉已完成近亿元天使轮融资。", {"罗杰": "PERSON"})
    assert [e.text for e in doc.ents if e.label_ == "COMPANY"] == ["Zorbit"]


@pytest.mark.parametrize("text, name", [
    ("原标题：鲸落科技(7.880,0.05,0.64%)拟收购一家学校。", "鲸落科技"),   # a market quote
    ("【鲸落医药(35.950,-1.73,-4.59%)】公司公告。", "鲸落医药"),
    ("8月12日，鲸落无限(JL.US)宣布裁员。", "鲸落无限"),                  # a letter ticker
])
def test_a_name_before_a_market_quote_or_ticker_is_a_company(annotate, text, name):
    doc = annotate(text, {})
    assert (name, "COMPANY") in [(e.text, e.label_) for e in doc.ents]


def test_investors_marked_as_lead_in_a_list(annotate):
    doc = annotate("蓝鲸完成天使轮融资，该轮融资由鲸落资本（领投）、星河控股（领投）投资。", {"蓝鲸": "COMPANY"})
    assert {e.text for e in doc.ents if e.label_ == "COMPANY"} == {"蓝鲸", "鲸落资本", "星河控股"}
    assert ("星河控股", "invested_in", "蓝鲸") in {t.key for t in doc._.triples}


def test_a_list_after_investors_are_is_no_name(annotate):
    doc = annotate("蓝鲸完成B轮融资，投资方为鲸落资本（领投）、星河创投。", {"蓝鲸": "COMPANY"})
    assert {e.text for e in doc.ents if e.label_ == "COMPANY"} == {"蓝鲸", "鲸落资本", "星河创投"}


@pytest.mark.parametrize("text, names", [
    # a type noun inside a member's name (企业) cuts neither the list nor the name
    ("蓝鲸完成B轮融资，由鲸落创投、星河富海、国家中小企业发展基金领投。", {"鲸落创投", "星河富海", "国家中小企业发展基金"}),
    # 投资 opening 投资基金 is no verb of the frame
    ("蓝鲸完成B轮融资，由鲸落投资基金领投。", {"鲸落投资基金"}),
    # a single character before 和 is the name's, not a list member
    ("蓝鲸完成B轮融资，方和资本、星河创投跟投。", {"方和资本", "星河创投"}),
    # 家 counts firms, but is part of a name too
    ("蓝鲸完成B轮融资，由居然之家资本领投。", {"居然之家资本"}),
])
def test_investor_lists_are_cut_into_whole_names(annotate, text, names):
    doc = annotate(text, {"蓝鲸": "COMPANY"})
    assert {e.text for e in doc.ents if e.label_ == "COMPANY"} == {"蓝鲸", *names}


def test_a_count_of_firms_is_no_name(annotate):
    doc = annotate("四家公司去年花费520亿美元。", {})
    assert [e.label_ for e in doc.ents] == ["MONEY"]


def test_a_target_named_before_its_stake_is_acquired(annotate):
    doc = annotate("基于这个考虑，蓝鲸斥资收购了鲸落硅业100％股权。", {"蓝鲸": "COMPANY"})
    assert ("蓝鲸", "acquired", "鲸落硅业") in {t.key for t in doc._.triples}


def test_a_person_whose_holding_is_bought_stays_a_person(annotate):
    # "收购X" marks X as a firm, but not when what is bought is X's ("收购罗杰持有的…")
    doc = annotate("蓝鲸拟收购罗杰持有的鲸落科技40%股权。", {"蓝鲸": "COMPANY", "罗杰": "PERSON", "鲸落科技": "COMPANY"})
    assert {e.text: e.label_ for e in doc.ents}["罗杰"] == "PERSON"


@pytest.mark.parametrize("text", ["蓝鲸完成天使轮融资，投资方为投资方未透露。", "鲸落（01647-HK）就计划收购一间目标公司作出公布。"])
def test_what_an_announcement_keeps_back_or_makes_is_no_name(annotate, text):
    doc = annotate(text, {"蓝鲸": "COMPANY", "鲸落": "COMPANY"})
    assert {e.text for e in doc.ents if e.label_ == "COMPANY"} <= {"蓝鲸", "鲸落"}


@pytest.mark.parametrize("mention, name", [
    ("加密货币交易公司鲸落", "鲸落"),                  # a description before the firm's name
    ("蓝鲸集团全资子公司鲸落金投", "鲸落金投"),
    ("鲸落企业管理有限公司", "鲸落企业管理有限公司"),    # a verb after the noun: the name's own
    ("中国鲸落企业家协会", "中国鲸落企业家协会"),        # 企业 of 企业家 is no type noun
    ("蓝鲸银行股份有限公司星河支行", "蓝鲸银行股份有限公司星河支行"),  # a unit of a firm
    ("蓝鲸有色金属公司鲸落山矿", "蓝鲸有色金属公司鲸落山矿"),
    ("蓝鲸市企业联合会", "蓝鲸市企业联合会"),          # only an institution's type after the noun
    ("全资子公司鲸落机械有限公司", "鲸落机械有限公司"),  # the name's own 公司 is no description
])
def test_a_description_before_a_firms_name_is_cut_off(annotate, mention, name):
    doc = annotate(f"{mention}发布公告。", {mention: "COMPANY"})
    assert [e.text for e in doc.ents] == [name]


@pytest.mark.parametrize("text, name", [
    ("1、LVXQ收购蓝鲸的交易通过审查。", "LVXQ"),                      # a buyer
    ("新加坡监管机构对鲸落证交所以270亿美元收购蓝鲸的提议表示担忧。", "鲸落证交所"),
    ("鲸落置业(2.510,-0.04,-1.57%)公告了重组方案。", "鲸落置业"),    # a listed company
])
def test_an_organisation_that_buys_or_is_listed_is_a_company(annotate, text, name):
    doc = annotate(text, {name: "ORG", "蓝鲸": "COMPANY"})
    assert {e.text: e.label_ for e in doc.ents}[name] == "COMPANY"


def test_an_institution_that_buys_stays_an_organisation(annotate):
    doc = annotate("蓝鲸大学收购了一栋楼。", {"蓝鲸大学": "ORG"})
    assert {e.text: e.label_ for e in doc.ents}["蓝鲸大学"] == "ORG"


@pytest.mark.parametrize("text, name", [
    ("央企旗下商业地产平台的鲸落置业(2.510,-0.04,-1.57%)公告了重组方案。", "鲸落置业"),  # after 的
    ("蓝鲸宣布收购鲸落物业之51%股权。", "鲸落物业"),                                    # 之 before a stake
    ("7月22日，鲸落教育公告收购蓝鲸学院90%权益。", "鲸落教育"),                          # a buyer announcing
    ("8月14日晚，鲸落股份发布《关于支付现金购买资产的公告》。", "鲸落股份"),            # a titled notice
    ("据鲸落智造公告，该公司收购了一家工厂。", "鲸落智造"),                              # cited for a notice
])
def test_names_before_a_quote_or_a_stake_found_by_their_context(annotate, text, name):
    doc = annotate(text, {"蓝鲸": "COMPANY"})
    assert (name, "COMPANY") in [(e.text, e.label_) for e in doc.ents]


@pytest.mark.parametrize("text, names", [
    # a description with a type noun before a Latin name, however long
    ("蓝鲸计划以75亿美元收购知名游戏发行商ZORBIT。", {"ZORBIT"}),
    ("蓝鲸收购一家自动化生产公司Zorbit Automation Systems，以支持新工厂。", {"Zorbit Automation Systems"}),
    # targets listed before one stake each ("各"), or inside "对…的收购"
    ("蓝鲸以20亿收购鲸落物业及星河物业各60%股权。", {"鲸落物业", "星河物业"}),
    ("蓝鲸上半年完成对鲸落华仁、星河景阳、青湾粤华的收购。", {"鲸落华仁", "星河景阳", "青湾粤华"}),
])
def test_acquired_firms_named_by_the_deal(annotate, text, names):
    doc = annotate(text, {"蓝鲸": "COMPANY"})
    assert names <= {e.text for e in doc.ents if e.label_ == "COMPANY"}


def test_a_description_right_before_a_name_is_no_name(annotate):
    doc = annotate("蓝鲸收购一家自动化生产公司Zorbit。", {"蓝鲸": "COMPANY", "自动化生产公司": "COMPANY", "Zorbit": "COMPANY"})
    assert [e.text for e in doc.ents] == ["蓝鲸", "Zorbit"]


def test_an_exchange_and_ticker_in_brackets_are_no_names(annotate):
    doc = annotate("蓝鲸（Nasdaq: LANJ）计划收购鲸落。", {"蓝鲸": "COMPANY", "Nasdaq": "COMPANY", "LANJ": "COMPANY", "鲸落": "COMPANY"})
    assert [e.text for e in doc.ents] == ["蓝鲸", "鲸落"]


def test_a_company_announcing_to_the_public(annotate):
    doc = annotate("9月26日，蓝鲸生活对外发布公告称，公司以20亿元收购鲸落物业。", {"鲸落物业": "COMPANY"})
    assert "蓝鲸生活" in {e.text for e in doc.ents if e.label_ == "COMPANY"}


@pytest.mark.parametrize("text, name", [
    ("原标题：鲸落生物-Ｂ(01877.HK)任命罗杰为副总经理", "鲸落生物-Ｂ"),   # a share-class mark after the name
    ("鲸落股份公告披露，公司聘任罗杰担任董事会秘书。", "鲸落股份"),        # a filer disclosing
])
def test_listed_companies_in_filings(annotate, text, name):
    doc = annotate(text, {"罗杰": "PERSON"})
    assert (name, "COMPANY") in [(e.text, e.label_) for e in doc.ents]


@pytest.mark.parametrize("text, tagged, person", [
    # the tagger read 成为 as a word and ran the name on into the sentence
    ("蓝鲸科技公告，公司聘任罗志成为公司副总经理。", {"罗志成为公司": "COMPANY"}, "罗志成"),
    # or cut the name short before it
    ("蓝鲸科技公告，公司聘任罗志成为公司副总经理。", {"罗志": "PERSON"}, "罗志成"),
])
def test_a_person_appointed_by_a_company(annotate, text, tagged, person):
    doc = annotate(text, {"蓝鲸科技": "COMPANY", **tagged})
    assert [e.text for e in doc.ents if e.label_ == "PERSON"] == [person]
    assert (person, "holds_position", "蓝鲸科技") in {t.key for t in doc._.triples}


@pytest.mark.parametrize("text", [
    "报告期内，实现营业收入7.5亿元，同比增长12%。",   # the revenue context frames the verb 实现
    "蓝鲸集团减持完成，合计套现超过5亿元。",          # "减持X，" frames 完成
    "其中，直播营收60亿元，同比增长36%。",            # an event noun before revenue
    "报告期内公司实现营业收入7.5亿元。",               # a time word is no part of a name
])
def test_a_verb_a_context_frames_is_no_name(annotate, text):
    doc = annotate(text, {"蓝鲸集团": "COMPANY"})
    assert {e.text for e in doc.ents if e.label_ in ("COMPANY", "ORG")} <= {"蓝鲸集团"}


def test_a_verb_the_document_calls_a_firm_is_a_name(annotate):
    # 转转 is a dictionary verb; "交易平台转转" says it names a firm, so the headline's does too
    doc = annotate("转转完成3亿美元B轮融资。二手交易平台转转与多家投资者达成协议。", {})
    assert "转转" in {e.text for e in doc.ents if e.label_ == "COMPANY"}


@pytest.mark.parametrize("text", [
    "罗杰尚未减持公司股份。",            # the firm's shares, after a type noun
    "罗杰计划增持股票，金额不低于5000万元。",
    "罗杰应当披露减持进展情况。",          # compounds of 减持 / 增持
    "本周共有77条高管增持记录，涉及25家公司。",
    "营业收入2亿元，同比下降6%；实现净利润2292万元。",
])
def test_what_a_holding_change_or_a_result_names_is_no_firm(annotate, text):
    doc = annotate(text, {"罗杰": "PERSON"})
    assert [e.text for e in doc.ents if e.label_ in ("COMPANY", "ORG")] == []


@pytest.mark.parametrize("tagged", ["占本公司", "在该公司"])
def test_a_verb_or_preposition_before_an_anaphor_is_no_name(annotate, tagged):
    doc = annotate(f"罗杰持有的股份{tagged}总股本的5%。", {"罗杰": "PERSON", tagged: "COMPANY"})
    assert tagged not in [e.text for e in doc.ents]


@pytest.mark.parametrize("text, tagged", [
    ("原鲸落公司COO罗杰已于近期离职。", {"原鲸落公司": "COMPANY"}),   # the tagger's mention
    ("原鲸落公司COO罗杰已于近期离职。", {}),                            # a name found before the title
])
def test_a_status_word_before_a_firm_is_no_part_of_its_name(annotate, text, tagged):
    doc = annotate(text, {"罗杰": "PERSON", **tagged})
    assert "鲸落公司" in {e.text for e in doc.ents if e.label_ == "COMPANY"}
    assert "原鲸落公司" not in {e.text for e in doc.ents}


def test_a_body_inside_the_company_is_no_organisation(annotate):
    doc = annotate("蓝鲸控股公告，罗杰已辞任公司薪酬委员会成员。", {"蓝鲸控股": "COMPANY", "罗杰": "PERSON",
                                                               "公司薪酬委员会": "ORG"})
    assert "公司薪酬委员会" not in {e.text for e in doc.ents}


def test_an_investor_the_tagger_cut_before_its_company_type_is_whole(annotate):
    doc = annotate("蓝鲸完成战略融资，投资方为鲸落投资、星河创投。", {"蓝鲸": "COMPANY", "鲸落": "COMPANY"})
    assert {e.text for e in doc.ents if e.label_ == "COMPANY"} == {"蓝鲸", "鲸落投资", "星河创投"}


def test_a_filers_headline_names_the_filer_and_who_leaves(annotate):
    doc = annotate("鲸落科技：罗志辞任董事长 副董事长接棒", {})
    assert {(e.text, e.label_) for e in doc.ents} == {("鲸落科技", "COMPANY"), ("罗志", "PERSON")}
    assert ("罗志", "resigned_from", "鲸落科技") in {t.key for t in doc._.triples}


@pytest.mark.parametrize("text, name", [
    ("2000年，他创办了汽车资讯网站鲸落；后来又去了美国。", "鲸落"),   # a description before the name
    ("2014年又创办了鲸落，目前担任鲸落董事长。", "鲸落"),             # the bare name after the verb
])
def test_a_firm_someone_founded_is_named_by_the_verb(annotate, text, name):
    doc = annotate(text, {})
    assert (name, "COMPANY") in {(e.text, e.label_) for e in doc.ents}


@pytest.mark.parametrize("text, names, firm", [
    # a chain of titles between the name and the person
    ("鲸落创始人、董事长兼CEO罗杰在业绩会上表示满意。", {"罗杰": "PERSON"}, "鲸落"),
    # a name after a person and a joining word
    ("这家公司由林海与鲸落联合创始人罗杰共同创办。", {"林海": "PERSON", "罗杰": "PERSON"}, "鲸落"),
    # a board title
    ("鲸落科技独立董事罗杰辞职 不再担任公司任何职务", {"罗杰": "PERSON"}, "鲸落科技"),
])
def test_a_name_before_titles_and_a_person(annotate, text, names, firm):
    doc = annotate(text, names)
    assert (firm, "COMPANY") in {(e.text, e.label_) for e in doc.ents}


def test_a_listed_person_before_a_board_title_stays_a_person(annotate):
    doc = annotate("原董事罗杰、林海，原监事会主席陈舟退出高管名单。", {"罗杰": "PERSON", "林海": "PERSON", "陈舟": "PERSON"})
    assert [e.label_ for e in doc.ents] == ["PERSON"] * 3


def test_a_company_getting_an_investors_money_names_both(annotate):
    doc = annotate("9月9日消息，鲸落资管获星河富润投资。", {})
    assert {(e.text, e.label_) for e in doc.ents} == {("鲸落资管", "COMPANY"), ("星河富润", "COMPANY")}
    assert ("星河富润", "invested_in", "鲸落资管") in {t.key for t in doc._.triples}


def test_investors_of_a_round_a_company_gets(annotate):
    doc = annotate("鲸落科技8月26日宣布，公司获得星河基金及蓝鲸资本天使+轮融资。", {"鲸落科技": "COMPANY"})
    assert {"星河基金", "蓝鲸资本"} <= {e.text for e in doc.ents if e.label_ == "COMPANY"}
