"""Cleaning: HTML to text, WeChat chrome removal (with precision), titles, Markdown, the seed."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import cleaning
from pipeline.cleaning import clean, clean_html
from pipeline.records import RawRecord

BODY = [
    "小米集团昨日宣布完成对某科技公司的收购。",
    "交易金额约为10亿元人民币，预计年底前完成交割。",
    "公司董事长表示，此次收购将加强其在人工智能领域的布局。",
    "分析人士认为，这笔交易对行业格局影响有限。",
]


def text_record(text: str, **fields: object) -> RawRecord:
    return RawRecord(source="t.txt", doc_id="t", text=text, **fields)


def html_record(page: str, **fields: object) -> RawRecord:
    return RawRecord(source="t.html", doc_id="t", html=page, **fields)


def is_chrome(line: str) -> bool:
    """A line the rules files call chrome, matched the way the cleaner matches each kind."""
    rules = cleaning.rules()
    return (any(p.fullmatch(line) for p in rules.drop_lines) or any(p.match(line) for p in rules.footer)
            or any(p.search(line) for p in rules.profile))


# --- HTML ------------------------------------------------------------------------------------

WECHAT_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>页面标题</title>
<meta property="og:url" content="http://mp.weixin.qq.com/s?__biz=MzA&amp;mid=1&amp;idx=1">
<script>var ct = "1711166400"; document.write("脚本文字");</script><style>.a{{color:red}}</style></head>
<body><div id="js_article">
<h1 class="rich_media_title" id="activity-name">
   小米完成收购
</h1>
<div id="meta_content"><span id="js_author_name">李雷</span> <a id="js_name"> 科技日报 </a></div>
<div class="rich_media_content" id="js_content" style="visibility: hidden;">
<section><span>点击上方蓝字关注我们</span></section>
<p>作者&nbsp;|&nbsp;张三</p>
{body}
<p>往期推荐</p><p>一篇旧文章的标题</p>
<div class="qr_code_pc"><p>二维码区域文字</p></div>
</div>
<div id="js_profile_qrcode"><p>科技日报</p><p>微信号 kjrb 功能介绍 科技新闻</p></div>
<div id="js_pc_qr_code"><p>扫码文字</p></div>
<div class="rich_media_tool" id="js_toobar3"><span>阅读 10万+</span></div>
<div id="js_bottom_ad_area"><p>广告文字</p></div>
</div></body></html>"""


def wechat_page(body: list[str]) -> str:
    paragraphs = "\n".join(f"<p><span>{s[:3]}</span><span>{s[3:]}</span></p>" for s in body)
    return WECHAT_PAGE.format(body=paragraphs)


def test_wechat_article_page() -> None:
    document = clean(html_record(wechat_page(BODY)))
    assert document.ok and document.text.split("\n") == BODY
    assert (document.title, document.account, document.author) == ("小米完成收购", "科技日报", "李雷")
    assert document.publish_time == "2024-03-23T12:00:00+08:00"
    assert document.url == "http://mp.weixin.qq.com/s?__biz=MzA&mid=1&idx=1"
    for chrome in ("脚本文字", "二维码区域文字", "扫码文字", "阅读 10万+", "广告文字", "功能介绍", "张三", "往期推荐"):
        assert chrome not in document.text


def test_record_metadata_wins_over_the_page() -> None:
    document = clean(html_record(wechat_page(BODY), title="记录标题", account="记录账号"))
    assert (document.title, document.account) == ("记录标题", "记录账号")


@pytest.mark.parametrize("page, expected", [
    ("<p><span>微</span><span>软</span>宣布</p>", "微软宣布"),
    ("<div>第一句。<div>第二句。</div>第三句。</div>", "第一句。\n第二句。\n第三句。"),
    ("<p>甲<br>乙<br/>丙</p>", "甲\n乙\n丙"),
    ("<h2>标题</h2><blockquote>引用</blockquote><ul><li>一</li><li>二</li></ul>", "标题\n引用\n一\n二"),
    ("<p>AT&amp;T 与 &lt;腾讯&gt;&nbsp;&nbsp;合作&#8220;云&#x201D;</p>", "AT&T 与 <腾讯> 合作“云”"),
    ("<p>腾讯\n  公司\nannounced\n  today</p>", "腾讯公司 announced today"),
    ("<p>a<b>b</b>c <i>d</i></p><!-- 注释 --><p>e</p>", "abc d\ne"),
    ("<pre>line one\nline two</pre>", "line one\nline two"),
    ("<table><tr><td>甲</td><td>乙</td></tr><tr><td>丙</td></tr></table>", "甲 乙\n丙"),
    ("<p>\u200b微\u200d软\ufeff</p>", "微软"),
])
def test_html_text(page: str, expected: str) -> None:
    assert clean_html(page).text == expected


def test_any_html_page_uses_body_and_title() -> None:
    page = "<html><head><title> 新闻 &amp; 观点 </title></head><body><nav><p>首页</p></nav><p>正文一句。</p></body></html>"
    document = clean(html_record(page))
    assert document.title == "新闻 & 观点" and document.text == "首页\n正文一句。"


@pytest.mark.parametrize("page", ["", "   ", "<html><head><title>只有标题</title></head><body></body></html>",
                                  "<script>var a = 1;</script>", "<!-- -->", "<?xml version='1.0' encoding='utf-8'?>"])
def test_html_without_body_text_is_an_error(page: str) -> None:
    document = clean(html_record(page))
    assert not document.ok and document.text == "" and "text" in document.error


def test_html_with_xml_declaration_and_encoding() -> None:
    page = "<?xml version='1.0' encoding='gbk'?><html><body><p>正文。</p></body></html>"
    assert clean(html_record(page)).text == "正文。"


# --- flattened text --------------------------------------------------------------------------

def test_profile_card_repost_byline_and_footer_are_removed() -> None:
    text = "\n".join([
        "小米完成收购          科技日报        科技日报微信号kjrb-2024功能介绍报道科技新闻，关注产业动态。",
        "欢迎投稿与合作。",
        "以下文章来源于量子位 ，作者明敏",
        "编辑：李四",
        *BODY,
        "参考链接：[1]https://example.com/a",
        "技术交流群邀请函△长按添加小助手",
        "预览时标签不可点",
        "微信扫一扫关注该公众号",
    ])
    document = clean(text_record(text))
    assert document.text.split("\n") == BODY
    assert (document.title, document.account) == ("小米完成收购", "科技日报")


def test_profile_card_spread_over_lines_is_removed() -> None:
    text = "\n".join(["资本前线", "微信号 zibenqianxian", "功能介绍 关注创投与并购，每周更新。", *BODY])
    assert clean(text_record(text)).text.split("\n") == BODY


def test_account_name_and_self_description_at_the_top_are_removed() -> None:
    text = "\n".join(["资本前线", "关注创投与并购的每一次变化", *BODY])
    assert clean(text_record(text, account="资本前线")).text.split("\n") == BODY
    # a reposted account's card after the repost line, its name unknown to the record
    text = "\n".join(["以下文章来源于硬核观察 ，作者王五", "硬核观察", "聚焦芯片与算力", *BODY])
    assert clean(text_record(text, account="资本前线")).text.split("\n") == BODY


def test_a_first_body_line_that_only_looks_like_a_name_stays() -> None:
    lines = ["小米完成收购。", "关注度最高的是价格。", *BODY]  # a sentence, not an account's name
    assert clean(text_record("\n".join(lines))).text.split("\n") == lines


def test_byline_glued_to_the_body_is_split_after_the_names() -> None:
    text = "转载自 | 某媒体作者 | 明敏 丰色" + BODY[0] + "\n" + "\n".join(BODY[1:])
    assert clean(text_record(text)).text.split("\n") == BODY


@pytest.mark.parametrize("byline, first", [
    ("作者：张小明", "就在今天，公司宣布了新计划。"),
    ("文 / Tom Mason", "公司宣布了新计划。"),
    ("编辑 | 王五 赵六 排版 | 钱七", "公司宣布了新计划。"),
])
def test_glued_bylines(byline: str, first: str) -> None:
    assert clean(text_record(byline + first + "\n" + BODY[1])).text == first + "\n" + BODY[1]


def test_prompts_and_ui_lines_go_anywhere() -> None:
    text = "\n".join(["点击上方“科技日报”，关注我们", "设为星标，第一时间获取资讯", BODY[0], "图片来源：视觉中国",
                      BODY[1], "轻点两下取消赞", "阅读原文", BODY[2], BODY[3]])
    assert clean(text_record(text)).text.split("\n") == BODY


@pytest.mark.parametrize("sentence", [
    "他在接受采访时推荐阅读《穷查理宝典》，并称阅读原文比译本更有收获。",
    "阅读原文比译本更有收获，点击量也更高。",
    "完成交割后，双方将共同推进该项目。",
    "用户点击上方的按钮即可完成支付，这一设计让转化率提升了两成。",
    "关于我们公司的未来，董事长表示信心十足。",
    "参考资料显示，该公司去年营收增长了三成。",
    "作者认为，这笔交易对行业格局影响有限。",
    "来自美国的投资者也参与了本轮融资。",
])
def test_marker_words_inside_body_sentences_are_kept(sentence: str) -> None:
    for position in range(len(BODY) + 1):
        lines = BODY[:position] + [sentence] + BODY[position:]
        assert clean(text_record("\n".join(lines))).text.split("\n") == lines


def test_a_footer_marker_early_in_the_text_does_not_cut_the_body() -> None:
    lines = [BODY[0], "推荐阅读", *BODY[1:], *BODY]
    assert clean(text_record("\n".join(lines))).text.split("\n") == lines


def test_footer_sections_are_cut() -> None:
    for footer in (["往期推荐", "旧文章一", "旧文章二"], ["参考资料：", "[1] 某报告"], ["— END —", "关注我们"],
                   ["推荐阅读 ▼", "旧文章"], ["关于我们", "某社区是一个学术社区。"],
                   ["—END—往期推荐旧文章一技术交流群邀请函"], ["END点击阅读原文，查看更多报道"],
                   ["点击“阅读原文”了解更多"]):
        assert clean(text_record("\n".join(BODY + footer))).text.split("\n") == BODY


def test_a_portals_block_of_other_articles_is_cut_even_early() -> None:
    # the recommendations under a portal's story are longer than the story itself
    others = ["海量资讯、精准解读，尽在新浪财经APP", *(f"别的文章{i}：某公司发布新品。" for i in range(12))]
    assert clean(text_record("\n".join(BODY[:1] + others))).text.split("\n") == BODY[:1]


def test_first_line_title_and_account() -> None:
    document = clean(text_record("腾讯发布新模型      腾讯科技\n" + "\n".join(BODY)))
    assert (document.title, document.account) == ("腾讯发布新模型", "腾讯科技")
    assert document.text.split("\n") == BODY


def test_a_repeated_title_line_is_dropped() -> None:
    document = clean(text_record("腾讯发布新模型\n" + "\n".join(BODY), title="腾讯发布新模型"))
    assert document.text.split("\n") == BODY and document.title == "腾讯发布新模型"


def test_whitespace_entities_and_invisible_characters() -> None:
    text = "  微软\u200b公司  与\u3000\u3000OpenAI&nbsp;合作 \r\n\r\n\n\t AT&amp;T\x00 宣布。\u2028第二行"
    assert clean(text_record(text)).text == "微软公司 与 OpenAI 合作\nAT&T 宣布。\n第二行"


def test_markdown_is_flattened() -> None:
    text = ("# 腾讯发布新模型\n\n> 导语：**腾讯**今天发布了新模型。\n\n![图](https://img/x.png)\n\n"
            "- 详见[官网](https://qq.com)说明。\n\n---\n\n## 小标题\n\n`代码`正文。")
    document = clean(text_record(text, markdown=True))
    assert document.title == "腾讯发布新模型"
    assert document.text == "导语：腾讯今天发布了新模型。\n详见官网说明。\n小标题\n代码正文。"


@pytest.mark.parametrize("record, message", [
    (RawRecord(source="s", doc_id="d", error="record text is null (field 'text')"), "null"),
    (RawRecord(source="s", doc_id="d"), "no text"),
    (RawRecord(source="s", doc_id="d", text="   \n\t"), "no text"),
    (RawRecord(source="s", doc_id="d", text="预览时标签不可点\n阅读原文"), "no text left after removing page chrome"),
])
def test_documents_without_text_are_errors(record: RawRecord, message: str) -> None:
    document = clean(record)
    assert not document.ok and message in document.error and document.text == ""


# --- properties ------------------------------------------------------------------------------

sentences = st.text(alphabet="小米腾讯阿里公司集团宣布收购融资投资亿元美国北京董事长加入离职研发模型技术市场增长",
                    min_size=4, max_size=30).map(lambda s: s + "。")
bodies = st.lists(sentences, min_size=1, max_size=8)
heads = st.lists(st.sampled_from(["点击上方蓝字关注我们", "作者 | 张三 李四", "编辑：王五", "设为星标，不错过每一篇",
                                  "以下文章来源于科技日报 ，作者明敏", "来源：新华社"]), max_size=3)
tails = st.lists(st.sampled_from(["预览时标签不可点", "阅读原文", "微信扫一扫关注该公众号", "轻点两下取消赞", "知道了"]),
                 max_size=4)


@settings(max_examples=150, deadline=None)
@given(heads, bodies, tails)
def test_constructed_articles_keep_their_body_whole(head: list[str], body: list[str], tail: list[str]) -> None:
    document = clean(text_record("\n".join(head + body + tail)))
    assert document.ok and document.text.split("\n") == body


@settings(max_examples=150, deadline=None)
@given(heads, bodies, tails)
def test_cleaning_is_idempotent_on_articles(head: list[str], body: list[str], tail: list[str]) -> None:
    once = clean(text_record("\n".join(head + body + tail))).text
    assert clean(text_record(once)).text == once
    page = "<div>" + "".join(f"<p>{line}</p>" for line in head + body + tail) + "</div>"
    assert clean(html_record(page)).text == once


@settings(max_examples=300, deadline=None)
@given(st.text(), st.booleans())
def test_clean_never_raises(text: str, markdown: bool) -> None:
    for record in (text_record(text, markdown=markdown), html_record(text)):
        document = clean(record)
        assert document.ok == bool(document.text)
        document.text.encode("utf-8")
        assert "\n\n" not in document.text and document.text == document.text.strip()


@settings(max_examples=200, deadline=None)
@given(st.recursive(st.text(alphabet="<>/&;#abpdivspan 微软\n\"'=!-", max_size=12),
                    lambda inner: st.builds(lambda tag, parts: f"<{tag}>{''.join(parts)}</{tag}>",
                                            st.sampled_from(["p", "div", "span", "section", "br", "script", "li"]),
                                            st.lists(inner, max_size=4)), max_leaves=20))
def test_clean_never_raises_on_html_like_text(page: str) -> None:
    document = clean(html_record(page))
    assert document.ok == bool(document.text)


def nested(depth: int) -> str:
    return "<div>" * depth + "正文。" + "</div>" * depth


def test_deeply_nested_html() -> None:
    assert clean(html_record(nested(1500))).text == "正文。"
    document = clean(html_record(nested(100_000)))
    assert not document.ok and "nested too deeply" in document.error


# --- the seed article ------------------------------------------------------------------------

@pytest.mark.shared
def test_seed_article_body_survives_whole(seed_path: Path) -> None:
    seed = seed_path.read_text(encoding="utf-8").split("\n")
    document = clean(RawRecord(source=str(seed_path), doc_id=seed_path.stem, text="\n".join(seed)))
    assert document.ok
    lines = document.text.split("\n")
    # Between the repost line and the reference links: every line is a body line and is kept whole.
    repost = next(i for i, line in enumerate(seed) if line.startswith("转载自"))
    references = next(i for i, line in enumerate(seed) if line.startswith("参考链接"))
    assert lines[1:] == seed[repost + 1:references]
    # The first body line is what follows the byline's names on the repost line.
    names_and_body = seed[repost].rsplit("|", 1)[1]
    assert names_and_body.endswith(lines[0]) and 0 < len(names_and_body) - len(lines[0]) <= 8
    assert not re.search(r"[|｜丨]|作者|转载", lines[0])
    # Title and account come from the flattened first line; the chrome is gone.
    assert document.title and document.title in seed[0] and document.account and document.account in seed[0]
    assert document.title not in document.text and document.account not in document.text
    assert not [line for line in lines if is_chrome(line)]
    for chrome in ("预览时标签不可点", "https://", "技术交流群", "微信号", "功能介绍", "关于我们"):
        assert chrome not in document.text
