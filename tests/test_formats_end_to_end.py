"""Issue #2 done-check: one directory mixing every contract format, run through `zhie run`.

Each article is short business news wrapped in the WeChat chrome its format typically carries;
the run must give one ok document per article with the chrome gone, the body sentences whole and
the metadata (title, account, time, url) kept.
"""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.run import PipelineOptions, run

REPO = Path(__file__).resolve().parent.parent


@dataclass
class Article:
    doc_id: str
    body: list[str]
    chrome: list[str]
    title: str | None = None
    account: str | None = None
    publish_time: str | None = None
    url: str | None = None
    author: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


CATL = Article(
    doc_id="宁德时代收购",
    title="宁德时代拟收购一家欧洲电池回收企业",
    account="新能源观察",
    body=["宁德时代3月18日晚间发布公告，公司拟以约2.3亿欧元收购德国一家电池回收企业的全部股权。",
          "公告显示，交易完成后，标的公司将成为宁德时代的全资子公司。",
          "宁德时代董事长曾毓群表示，此次收购有助于完善公司在欧洲的产业链布局。",
          "业内人士认为，电池回收将成为动力电池企业新的增长点。"],
    chrome=["微信号", "功能介绍", "关注新能源产业的每一个变化", "点击上方蓝字", "陈晨", "刘洋", "往期推荐",
            "一篇旧文", "预览时标签不可点", "微信扫一扫"],
)
MEITUAN = Article(
    doc_id="meituan",
    body=["美团今日公布2023年第四季度财报，季度营收达到735.6亿元，同比增长22.6%。",
          "美团首席执行官王兴在财报电话会上表示，公司将继续加大对外卖业务的投入。",
          "财报发布后，美团股价在盘后交易中上涨逾5%。"],
    chrome=["以下文章来源于", "王磊", "END", "推荐阅读", "另一篇文章"],
)
BYTEDANCE = Article(
    doc_id="bytedance",
    title="字节跳动启动新一轮股票回购",
    account="科技前线",
    author="赵敏",
    publish_time="2024-03-21T13:46:40+08:00",
    url="http://mp.weixin.qq.com/s?__biz=MzA3&mid=2650001&idx=1&sn=ab12",
    body=["据知情人士透露，字节跳动近日启动新一轮股票回购计划，回购价格为每股155美元。",
          "按此计算，字节跳动的估值约为2680亿美元。",
          "该公司首席财务官表示，回购面向全体员工和早期投资者。"],
    chrome=["脚本", "扫码", "二维码", "阅读原文", "在看", "写留言", "广告位"],
)
NIO = Article(
    doc_id="2247483901_1",
    title="蔚来获得阿布扎比投资机构33亿美元投资",
    account="投资界",
    author="李明",
    publish_time="2023-12-20T08:00:00+08:00",
    url="http://mp.weixin.qq.com/s?__biz=MzI&mid=2247483901&idx=1",
    body=["蔚来汽车宣布获得阿布扎比投资机构CYVN Holdings约33亿美元的战略投资。",
          "本轮投资完成后，CYVN Holdings将持有蔚来约20.1%的股份。",
          "蔚来创始人李斌表示，这笔资金将用于公司的技术研发和国际化业务。"],
    chrome=["设为星标", "阅读原文"],
)
BAIDU = Article(
    doc_id="2247483901_2",
    title="百度人工智能业务营收增长",
    account="投资界",
    publish_time="2023-12-20T08:00:00+08:00",
    url="http://mp.weixin.qq.com/s?__biz=MzI&mid=2247483901&idx=2",
    body=["百度公司今天宣布，其人工智能业务营收同比增长了14%。",
          "百度创始人李彦宏在内部信中表示，公司将继续投资大模型研发。"],
    chrome=["点击上方蓝字", "知道了", "<", ">"],
)
ALIBABA = Article(
    doc_id="json-1",
    title="阿里巴巴宣布新一轮组织架构调整",
    account="华尔街见闻",
    publish_time="2024-02-01 09:30:00",
    url="https://mp.weixin.qq.com/s/abcDEF",
    body=["阿里巴巴集团董事会主席蔡崇信宣布，公司将对旗下业务进行新一轮组织架构调整。",
          "此次调整后，阿里云将继续作为集团的核心业务之一。"],
    chrome=["责任编辑", "孙丽", "参考资料", "路透社报道链接"],
)
XIAOMI = Article(
    doc_id="1000001",
    account="电动汽车观察家",
    publish_time="2024-02-01T09:13:20+08:00",
    url="https://mp.weixin.qq.com/s?__biz=MzB&mid=1000001&idx=1",
    body=["小米集团创始人雷军宣布，小米汽车首款车型将于3月底正式上市。",
          "雷军表示，小米计划在未来十年内投入100亿美元用于汽车业务。"],
    chrome=["长按识别二维码", "— END —"],
)
TENCENT = Article(
    doc_id="2247490001_1",
    title="腾讯音乐与索尼音乐续签版权合作",
    account="娱乐资本论",
    publish_time="2024-03-20T10:00:00+08:00",
    url="http://mp.weixin.qq.com/s?__biz=MzC&mid=2247490001&idx=1",
    body=["腾讯音乐娱乐集团宣布与索尼音乐续签多年期版权合作协议。",
          "根据协议，双方将在数字音乐发行和艺人发展等领域开展合作。"],
    chrome=["来源：", "视觉中国", "微信扫一扫"],
)
JD = Article(
    doc_id="2247490001_2",
    title="京东物流拟收购跨越速运",
    account="娱乐资本论",
    body=["京东物流发布公告称，拟以约30亿元人民币收购跨越速运的控股权。",
          "交易完成后，跨越速运将继续保持独立运营。"],
    chrome=["扫码关注", "分享", "收藏"],
)
ARTICLES = [CATL, MEITUAN, BYTEDANCE, NIO, BAIDU, ALIBABA, XIAOMI, TENCENT, JD]


def lines(*parts: str | list[str]) -> str:
    out: list[str] = []
    for part in parts:
        out.extend(part if isinstance(part, list) else [part])
    return "\n".join(out)


WECHAT_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{title}</title>
<meta property="og:url" content="{url_escaped}">
<script>var ct = "1711000000"; var msg_link = "unused"; document.title = "脚本";</script></head>
<body id="activity-detail">
<div id="js_article" class="rich_media">
  <h1 class="rich_media_title" id="activity-name">
      {title}
  </h1>
  <div id="meta_content" class="rich_media_meta_list">
    <span class="rich_media_meta rich_media_meta_text" id="js_author_name">{author}</span>
    <span class="rich_media_meta rich_media_meta_nickname"><a id="js_name">
        {account} </a></span>
    <em id="publish_time" class="rich_media_meta rich_media_meta_text"></em>
  </div>
  <div class="rich_media_content js_underline_content" id="js_content" style="visibility: hidden;">
    {paragraphs}
  </div>
  <div class="qr_code_pc_outer"><div class="qr_code_pc"><p>微信扫一扫<br>关注该公众号</p></div></div>
  <div id="js_pc_qr_code"><p>扫码 二维码</p></div>
  <div class="rich_media_tool" id="js_toobar3"><a>阅读原文</a><span>在看</span><span>写留言</span></div>
  <div id="js_bottom_ad_area"><p>广告位</p></div>
</div></body></html>"""


def build_dump(folder: Path) -> None:
    """Writes one file per contract format into `folder`."""
    catl = lines(f"{CATL.title}          {CATL.account}          {CATL.account}微信号xnygc2020功能介绍关注新能源产业的每一个变化。",
                 "点击上方蓝字关注我们", "作者 | 陈晨 编辑 | 刘洋", CATL.body, "往期推荐", "一篇旧文的标题",
                 "预览时标签不可点", "微信扫一扫", "关注该公众号")
    (folder / f"{CATL.doc_id}.txt").write_bytes(catl.encode("gb18030"))

    meituan = lines("以下文章来源于财经早参 ，作者王磊", MEITUAN.body, "— END —", "推荐阅读 ▼", "另一篇文章的标题")
    (folder / f"{MEITUAN.doc_id}.txt").write_bytes(b"\xef\xbb\xbf" + meituan.replace("\n", "\r\n").encode("utf-8"))

    paragraphs = "\n    ".join(f"<p><span>{s[:4]}</span><span>{s[4:]}</span></p>" for s in BYTEDANCE.body)
    page = WECHAT_PAGE.format(title=BYTEDANCE.title, account=BYTEDANCE.account, author=BYTEDANCE.author,
                              url_escaped=BYTEDANCE.url.replace("&", "&amp;"), paragraphs=paragraphs)
    (folder / f"{BYTEDANCE.doc_id}.html").write_text(page, encoding="utf-8")

    nio = {"aid": NIO.doc_id, "title": NIO.title, "_accountName": NIO.account, "create_time": 1703030400,
           "author": "\u200b李\u200b明\u200d",
           "content": lines("设为星标，第一时间获取投资资讯", NIO.body, "阅读原文")}
    baidu = {"aid": BAIDU.doc_id, "title": BAIDU.title, "_accountName": BAIDU.account, "create_time": "1703030400",
             "content_html": "<section><p>点击上方蓝字关注我们</p>" + "".join(
                 f"<p><span>{s[:2]}</span>{s[2:]}</p>" for s in BAIDU.body) + "<p>知道了</p></section>"}
    exporter_lines = []
    for record, article in ((nio, NIO), (baidu, BAIDU)):
        line = json.dumps(record, ensure_ascii=False)[:-1]
        # exporters escape slashes and ampersands in links; JSON keeps the escaped form here
        escaped_link = article.url.replace("/", "\\\\/").replace("&", "&amp;")
        exporter_lines.append(line + f', "link": "{escaped_link}"}}')
    (folder / "exporter.jsonl").write_text("\n".join(exporter_lines) + "\n", encoding="utf-8")

    array = [
        {"id": ALIBABA.doc_id, "title": ALIBABA.title, "nickname": ALIBABA.account,
         "publish_time": ALIBABA.publish_time, "url": ALIBABA.url,
         "text": lines(ALIBABA.body, "责任编辑：孙丽", "参考资料：", "[1] 路透社报道链接")},
        {"msgid": int(XIAOMI.doc_id), "mp_name": XIAOMI.account, "datetime": 1706750000, "content_url": XIAOMI.url,
         "article": lines(XIAOMI.body, "长按识别二维码关注我们", "— END —")},
    ]
    (folder / "list.json").write_text(json.dumps(array, ensure_ascii=False, indent=2), encoding="utf-8")

    rows = io.StringIO()
    writer = csv.writer(rows)
    writer.writerow(["aid", "title", "nickname", "create_time", "link", "content"])
    writer.writerow([TENCENT.doc_id, TENCENT.title, TENCENT.account, "1710900000",
                     TENCENT.url.replace("/", "\\/").replace("&", "&amp;"),
                     lines("来源：腾讯音乐", TENCENT.body, "图片来源：视觉中国", "微信扫一扫关注该公众号")])
    writer.writerow([JD.doc_id, JD.title, JD.account, "", "", lines(JD.body, "扫码关注我们", "分享", "收藏")])
    (folder / "rows.csv").write_bytes(b"\xef\xbb\xbf" + rows.getvalue().encode("utf-8"))


def check_documents(documents: list[dict], articles: list[Article]) -> None:
    by_id = {d["doc_id"]: d for d in documents}
    assert len(documents) == len(by_id) == len(articles)
    for article in articles:
        document = by_id[article.doc_id]
        assert document["status"] == "ok", document
        assert document["text"].split("\n") == article.body
        assert document["chars"] == len(document["text"])
        for chrome in article.chrome:
            assert chrome not in document["text"], (article.doc_id, chrome)
        for key in ("title", "account", "publish_time", "url", "author"):
            expected = getattr(article, key)
            if expected is not None:
                assert document.get(key) == expected, (article.doc_id, key)


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_every_format_end_to_end(tmp_path: Path) -> None:
    dump = tmp_path / "dump"
    dump.mkdir()
    build_dump(dump)
    out = tmp_path / "out"
    summary = run([str(dump)], out, PipelineOptions(), workers=1, batch_size=4)
    assert summary["documents"] == {"ok": len(ARTICLES), "error": 0} and summary["errors"] == 0
    check_documents(read_jsonl(out / "documents.jsonl"), ARTICLES)
    assert read_jsonl(out / "errors.jsonl") == []
    assert summary["chars"] == sum(len("\n".join(a.body)) for a in ARTICLES)


def test_zhie_run_reads_standard_input(tmp_path: Path) -> None:
    records = [{"id": "stdin-1", "title": NIO.title, "nickname": NIO.account, "create_time": 1703030400,
                "url": NIO.url, "content": lines("设为星标，第一时间获取投资资讯", NIO.body, "阅读原文")},
               {"aid": BAIDU.doc_id, "_accountName": BAIDU.account, "create_time": 1703030400, "link": BAIDU.url,
                "title": BAIDU.title,
                "content_html": "".join(f"<p>{s}</p>" for s in BAIDU.body) + "<p>知道了</p>"}]
    data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records) + "not json\n"
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "pipeline.cli", "run", "-", "-o", str(out), "--workers", "1"],
                            input=data.encode("utf-8"), capture_output=True, cwd=REPO, timeout=300)
    assert result.returncode == 0, result.stderr.decode()
    nio = Article(**{**NIO.__dict__, "doc_id": "stdin-1", "author": None})
    check_documents(read_jsonl(out / "documents.jsonl"), [nio, BAIDU])
    assert {d["source"] for d in read_jsonl(out / "documents.jsonl")} == {"<stdin>"}
    [error] = read_jsonl(out / "errors.jsonl")
    assert error["source"] == "<stdin>" and error["line"] == 3 and "invalid JSON" in error["error"]
