"""Relation patterns on sentences written for these tests, with entities given (not predicted)."""
import pytest

from pipeline.relations import patterns

PEOPLE_AND_FIRMS = {
    "Sam Altman": "PERSON", "Altman": "PERSON", "OpenAI": "COMPANY", "微软": "COMPANY",
    "纳德拉": "PERSON", "Mira Murati": "PERSON", "红杉资本": "COMPANY", "高瓴": "COMPANY",
    "月之暗面": "COMPANY", "杨植麟": "PERSON", "博通": "COMPANY", "VMware": "COMPANY",
    "马斯克": "PERSON", "纽约时报": "COMPANY", "清华大学": "ORG", "腾讯": "COMPANY",
    "阿里巴巴": "COMPANY", "蔚来": "COMPANY", "李斌": "PERSON", "小米": "COMPANY",
    "张三": "PERSON", "李四": "PERSON", "王五": "PERSON", "字节跳动": "COMPANY",
}


def triples(annotate, text):
    doc = annotate(text, PEOPLE_AND_FIRMS)
    return {(t.subject, t.relation, t.object) for t in doc._.triples}, doc


@pytest.mark.parametrize("text, expected", [
    ("OpenAI CEO Sam Altman宣布辞职。", ("Sam Altman", "resigned_from", "OpenAI")),
    ("Mira Murati离开OpenAI，创办新公司。", ("Mira Murati", "resigned_from", "OpenAI")),
    ("Sam Altman被OpenAI董事会解雇。", ("Sam Altman", "dismissed_from", "OpenAI")),
    ("Sam Altman加入微软，领导新团队。", ("Sam Altman", "joined", "微软")),
    ("微软CEO纳德拉表示欢迎。", ("纳德拉", "holds_position", "微软")),
    ("杨植麟创立了月之暗面。", ("杨植麟", "founded", "月之暗面")),
    ("红杉资本领投了月之暗面。", ("红杉资本", "invested_in", "月之暗面")),
    ("博通以610亿美元收购VMware。", ("博通", "acquired", "VMware")),
    ("VMware被博通收购。", ("博通", "acquired", "VMware")),
    ("马斯克起诉OpenAI违约。", ("马斯克", "sued", "OpenAI")),
    ("OpenAI被纽约时报起诉侵权。", ("纽约时报", "sued", "OpenAI")),
])
def test_each_relation_shape(annotate, text, expected):
    found, _ = triples(annotate, text)
    assert expected in found


def test_money_relations_take_the_nearest_trigger(annotate):
    found, doc = triples(annotate, "月之暗面完成10亿美元融资，估值达到25亿美元。")
    assert ("月之暗面", "raised", "10亿美元") in found
    assert ("月之暗面", "valued_at", "25亿美元") in found
    assert ("月之暗面", "valued_at", "10亿美元") not in found
    raised = next(t for t in doc._.triples if t.relation == "raised")
    assert raised.object_value["currency"] == "USD"


def test_revenue_loss_and_spending(annotate):
    found, _ = triples(annotate, "蔚来全年营收达到500亿元，净亏损为200亿元。蔚来每年花费100亿元用于研发。")
    assert {("蔚来", "revenue", "500亿元"), ("蔚来", "net_loss", "200亿元"), ("蔚来", "spends", "100亿元")} <= found


def test_a_list_shares_its_predicate(annotate):
    found, _ = triples(annotate, "张三、李四和王五先后离开字节跳动。")
    assert {(p, "resigned_from", "字节跳动") for p in ("张三", "李四", "王五")} <= found


def test_investors_after_the_raise_invest_in_the_raiser(annotate):
    found, doc = triples(annotate, "月之暗面完成5亿元B轮融资，由红杉资本领投，腾讯和高瓴跟投。")
    assert {("红杉资本", "invested_in", "月之暗面"), ("腾讯", "invested_in", "月之暗面"),
            ("高瓴", "invested_in", "月之暗面")} <= found
    lead = next(t for t in doc._.triples if t.subject == "红杉资本")
    assert lead.qualifiers.get("lead") is True and lead.qualifiers.get("round") == "B轮"


@pytest.mark.parametrize("text", [
    "OpenAI否认Sam Altman已经离开公司。",
    "据传微软将收购OpenAI，但双方谈判破裂。",
    "如果马斯克起诉OpenAI，后果难料。",
    "Sam Altman并未加入微软。",
])
def test_denials_rumours_and_hypotheticals_give_no_triple(annotate, text):
    found, _ = triples(annotate, text)
    assert not found


def test_announced_acquisition_is_planned(annotate):
    _, doc = triples(annotate, "博通宣布拟收购VMware。")
    acquired = [t for t in doc._.triples if t.relation == "acquired"]
    assert acquired and acquired[0].qualifiers["status"] == "planned"


def test_titles_and_status_in_qualifiers(annotate):
    text = "OpenAI发布新模型。OpenAI表示，首席技术官Mira Murati将担任临时CEO。"
    _, doc = triples(annotate, text)
    held = [t for t in doc._.triples if t.relation == "holds_position" and t.subject == "Mira Murati"]
    assert held and held[0].object == "OpenAI"
    assert set(held[0].qualifiers["title"]) == {"首席技术官", "CEO"}
    assert held[0].qualifiers["status"] == "interim"


def test_founder_title_gives_founded_too(annotate):
    found, doc = triples(annotate, "月之暗面联合创始人杨植麟表示，公司不缺钱。")
    assert ("杨植麟", "holds_position", "月之暗面") in found
    founded = next(t for t in doc._.triples if t.relation == "founded")
    assert founded.qualifiers == {"cofounder": True}


def test_a_noun_containing_a_trigger_is_no_trigger(annotate):
    found, _ = triples(annotate, "微软是OpenAI的投资方，张三和投资人产生矛盾。")
    assert found == {("微软", "invested_in", "OpenAI")}


def test_evidence_is_the_sentence(annotate):
    text = "市场震动。马斯克起诉OpenAI违约。"
    _, doc = triples(annotate, text)
    evidence = doc._.triples[0].evidence
    assert text[evidence.start:evidence.end] == evidence.text == "马斯克起诉OpenAI违约。"


def test_every_pattern_compiles_to_a_known_relation():
    assert len(patterns()) > 30


def test_a_parenthesised_alias_does_not_break_a_pattern(annotate):
    names = {**PEOPLE_AND_FIRMS, "Samuel": "PERSON"}
    doc = annotate("OpenAI首席执行官Sam Altman（Samuel）被董事会解雇。", names)
    found = {(t.subject, t.relation, t.object) for t in doc._.triples}
    assert ("Sam Altman", "dismissed_from", "OpenAI") in found


@pytest.mark.parametrize("text, expected", [
    # an announcing organisation, then the person and the verb in a later clause
    ("蔚来宣布，首席财务官张三因个人原因辞职。", ("张三", "resigned_from", "蔚来")),
    # the person is the topic of several clauses
    ("小米CEO李四将留任至年底，之后离开。", ("李四", "resigned_from", "小米")),
    ("张三离开腾讯，加入字节跳动。", ("张三", "joined", "字节跳动")),
    ("已于去年从阿里巴巴退休的联合创始人王五宣布创业。", ("王五", "resigned_from", "阿里巴巴")),
    # dismissal stated as the removal of a post
    ("OpenAI董事会发布公告，宣布解除Sam Altman的首席执行官职务。", ("Sam Altman", "dismissed_from", "OpenAI")),
    ("OpenAI CEO Sam Altman被董事会解雇。", ("Sam Altman", "dismissed_from", "OpenAI")),
    # positions held earlier, and titles of several organisations before one person
    ("杨植麟曾在腾讯担任研究员。", ("杨植麟", "holds_position", "腾讯")),
    ("微软联合创始人、OpenAI首席执行官Sam Altman发言。", ("Sam Altman", "holds_position", "微软")),
    # founders named after the company, and partners of a founder
    ("月之暗面成立于2023年，由杨植麟、张三和李四共同创立。", ("李四", "founded", "月之暗面")),
    ("张三从腾讯离职，与同事李四共同创立了蔚来。", ("李四", "founded", "蔚来")),
    ("张三从腾讯离职，与同事李四共同创立了蔚来。", ("张三", "founded", "蔚来")),
    ("他加入了Mira Murati创办的月之暗面。", ("Mira Murati", "founded", "月之暗面")),
    # a suit filed with a court, against a list with titles
    ("马斯克向清华大学提起诉讼，起诉OpenAI及其首席执行官Sam Altman。", ("马斯克", "sued", "Sam Altman")),
    ("纽约时报在清华大学对OpenAI和微软提起诉讼。", ("纽约时报", "sued", "微软")),
    ("纽约时报把OpenAI和微软告上了法庭。", ("纽约时报", "sued", "微软")),
])
def test_people_relations_over_clauses(annotate, text, expected):
    found, _ = triples(annotate, text)
    assert expected in found


def test_leaving_a_post_gives_a_former_position(annotate):
    _, doc = triples(annotate, "张三辞去了阿里巴巴董事长的职务。")
    held = [t for t in doc._.triples if t.relation == "holds_position"]
    assert [(t.subject, t.object, t.qualifiers.get("status")) for t in held] == [("张三", "阿里巴巴", "former")]


def test_a_rumour_earlier_in_the_sentence_or_a_denial_after_it_drops_the_fact(annotate):
    found, _ = triples(annotate, "此前有传闻称，总裁张三也将离开蔚来。")
    assert ("张三", "resigned_from", "蔚来") not in found
    found, _ = triples(annotate, "张三将加入小米，小米否认了这一说法。")
    assert ("张三", "joined", "小米") not in found
    found, _ = triples(annotate, "张三已加入小米。")
    assert ("张三", "joined", "小米") in found


def test_a_named_list_with_a_person_in_it_is_not_an_organisation(annotate):
    found, _ = triples(annotate, "月之暗面由杨植麟和前腾讯研究员张三共同创立。")
    assert ("腾讯", "founded", "月之暗面") not in found
    assert ("张三", "founded", "月之暗面") in found


def test_a_court_is_no_party_to_a_suit(annotate):
    names = {**PEOPLE_AND_FIRMS, "北京市高级人民法院": "ORG"}
    found, _ = triples(annotate, "马斯克向北京市高级人民法院提起诉讼，起诉OpenAI违约。")
    assert ("马斯克", "sued", "OpenAI") in found
    doc = annotate("马斯克向北京市高级人民法院提起诉讼，起诉OpenAI违约。", names)
    assert not any("法院" in t.subject + t.object for t in doc._.triples)


def test_an_invitation_to_join_is_no_joining(annotate):
    found, _ = triples(annotate, "纳德拉表示，将邀请Sam Altman加入微软。")
    assert ("Sam Altman", "joined", "微软") not in found


def test_company_after_a_verb_is_the_company_of_its_sentence(annotate):
    found, _ = triples(annotate, "小米总裁张三宣布离开公司。")
    assert ("张三", "resigned_from", "小米") in found
    found, _ = triples(annotate, "小米发布新品。张三宣布离开公司。")
    assert ("张三", "resigned_from", "小米") not in found


def test_founders_after_a_description_of_them(annotate):
    found, _ = triples(annotate, "月之暗面由腾讯前副总裁张三于2023年创立。")
    assert ("张三", "founded", "月之暗面") in found
    assert ("腾讯", "founded", "月之暗面") not in found


def test_company_after_a_verb_is_the_company_the_sentence_is_about(annotate):
    found, _ = triples(annotate, "小米宣布，张三因腾讯的工作调动原因已辞任公司董事。")
    assert ("张三", "resigned_from", "小米") in found
    assert ("张三", "resigned_from", "腾讯") not in found


def test_leaving_gives_a_former_position(annotate):
    _, doc = triples(annotate, "张三离开腾讯。")
    held = {(t.subject, t.object, t.qualifiers.get("status")) for t in doc._.triples if t.relation == "holds_position"}
    assert held == {("张三", "腾讯", "former")}


@pytest.mark.parametrize("text, expected", [
    ("李斌目前担任蔚来董事长，同时还是小米的董事。", ("李斌", "holds_position", "小米")),
    ("张三于2019年加入小米，此前曾担任腾讯总裁。", ("张三", "holds_position", "腾讯")),
    ("张三离开后，小米CEO一职由腾讯前副总裁李四接任。", ("李四", "holds_position", "小米")),
    ("张三与李四共同创办了蔚来，由李四出任CEO。", ("李四", "holds_position", "蔚来")),
    ("前小米联席CEO张三表示反对。", ("张三", "holds_position", "小米")),
])
def test_positions_in_later_clauses(annotate, text, expected):
    found, _ = triples(annotate, text)
    assert expected in found


def test_company_after_a_verb_is_the_company_of_the_nearest_person(annotate):
    found, _ = triples(annotate, "微软宣布，小米CEO张三将留任至年底，之后离开公司。")
    assert ("张三", "resigned_from", "小米") in found
    assert ("张三", "resigned_from", "微软") not in found


def test_reports_and_demands_are_no_facts(annotate):
    found, _ = triples(annotate, "另有消息称，张三将加入小米担任合伙人。")
    assert ("张三", "joined", "小米") not in found
    found, _ = triples(annotate, "小米董事会要求张三退出董事会。")
    assert ("张三", "resigned_from", "小米") not in found


def test_founded_company_before_a_list_is_only_the_first(annotate):
    found, _ = triples(annotate, "投资方包括张三此前创办的蔚来以及小米。")
    assert ("张三", "founded", "蔚来") in found
    assert ("张三", "founded", "小米") not in found


def test_a_company_left_is_no_founder(annotate):
    found, _ = triples(annotate, "2022年，张三离开腾讯创立蔚来。")
    assert ("腾讯", "founded", "蔚来") not in found


@pytest.mark.parametrize("text, expected, unexpected", [
    ("2022年，张三离开腾讯创立蔚来。", ("张三", "founded", "蔚来"), ("腾讯", "founded", "蔚来")),
    ("张三毕业于清华大学，随后创办了蔚来。", ("张三", "founded", "蔚来"), None),
    ("张三表示，腾讯成立了小米。", None, ("张三", "founded", "小米")),
])
def test_founding_later_in_a_persons_sentence(annotate, text, expected, unexpected):
    found, _ = triples(annotate, text)
    assert expected is None or expected in found
    assert unexpected not in found


def test_an_organisation_hiring_a_person_and_a_post_after_joining(annotate):
    found, _ = triples(annotate, "7月19日，小米官宣签下前锋张三。")
    assert ("张三", "joined", "小米") in found
    found, _ = triples(annotate, "张三加入小米，出任首席产品官。")
    assert ("张三", "holds_position", "小米") in found


def test_a_list_of_leavers_with_words_and_titles_between(annotate):
    found, _ = triples(annotate, "张三、李四，以及视觉技术负责人王五先后从字节跳动离职。")
    assert {(p, "resigned_from", "字节跳动") for p in ("张三", "李四", "王五")} <= found
    found, _ = triples(annotate, "2021年，张三与妹妹李四等人离开腾讯。")
    assert {(p, "resigned_from", "腾讯") for p in ("张三", "李四")} <= found


def test_what_a_person_says_is_not_what_the_person_does(annotate):
    found, _ = triples(annotate, "小米合伙人张三表示，员工离职创业无可厚非。")
    assert ("张三", "resigned_from", "小米") not in found


def test_leaving_a_place_the_recogniser_missed_is_not_leaving_the_focus(annotate):
    text = "蔚来发布财报。蔚来的营收增长。张三从某某实验室离职，与李四共同创立了蔚来。"
    found, _ = triples(annotate, text)
    assert ("张三", "resigned_from", "蔚来") not in found


@pytest.mark.parametrize("text, expected", [
    ("腾讯首席执行官（CEO）、创始人张三宣布辞去CEO一职。", ("张三", "resigned_from", "腾讯")),
    ("即将离任的小米行长张三表示满意。", ("张三", "resigned_from", "小米")),
    ("8月5日，张三突然宣布退任小米行政总裁一职。", ("张三", "resigned_from", "小米")),
    ("小米零售负责人张三、首席设计官李四已宣布离职。", ("李四", "resigned_from", "小米")),
])
def test_more_ways_of_stepping_down(annotate, text, expected):
    found, _ = triples(annotate, text)
    assert expected in found


@pytest.mark.parametrize("text, expected", [
    ("28岁的张三以1.5亿元的转会费加入小米。", ("张三", "joined", "小米")),
    ("2018年1月，张三从腾讯加盟小米。", ("张三", "joined", "小米")),
    ("小米官宣了一笔重磅交易，公司签下了年仅19岁的工程师张三。", ("张三", "joined", "小米")),
    ("小米官方宣布，腾讯工程师张三加盟。", ("张三", "joined", "小米")),
])
def test_more_ways_of_joining(annotate, text, expected):
    found, _ = triples(annotate, text)
    assert expected in found


@pytest.mark.parametrize("text, expected", [
    ("小米遭腾讯起诉，被要求返还投资。", ("腾讯", "sued", "小米")),
    ("张三以“合同存在重大失误”为由将小米起诉至法院。", ("张三", "sued", "小米")),
])
def test_more_ways_of_suing(annotate, text, expected):
    found, _ = triples(annotate, text)
    assert expected in found


def test_joining_an_unnamed_company_is_not_joining_the_focus(annotate):
    text = "字节跳动发布财报。字节跳动的营收增长。张三已加入一家大模型创业公司。"
    found, _ = triples(annotate, text)
    assert ("张三", "joined", "字节跳动") not in found


def test_termination_of_an_employment_contract_is_a_dismissal(annotate):
    found, _ = triples(annotate, "小米员工张三因违规被小米解除劳动合同。")
    assert ("张三", "dismissed_from", "小米") in found
