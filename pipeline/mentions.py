"""Mentions: the entity spans the recogniser gave, mended before names are resolved.

A character tagger decides every mention on its own and errs in ways a reader of the whole
document does not: it runs a name over brackets or punctuation ("蔚来（NIO）", "官宣：X"),
reads an exchange inside a stock code as a company ("(00690.HK)"), types generic words
("公司"), products ("聊天机器人Grok") or short company names ("蔚来", "Wiz", "Uber") as
people, and misses names that the words around them plainly announce ("由X领投",
"初创公司X宣布…", "X（下称“金智信息”）").  This stage mends the spans on the Doc
so that the canonical stage clusters real names and relations see them; every rule it reads is
a ``mentions_*`` file in ``rules/``.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator

import jieba.posseg
from spacy.language import Language
from spacy.tokens import Doc, Span

from .canonical import (NAMED, anaphors, family, generic_suffixes, is_latin, name_parts, normalize, same_person,
                        strip_generic, subunit_endings)
from .entities import STOCK_CODE, org_endings, org_type
from .rulefiles import rule_lines, rule_rows
from .spans import Coverage, char_spans, set_entities, split_at
from .titles import status_words, title_kinds


# --- short names the text defines ------------------------------------------------------------

_DEFINED_ALIAS = re.compile(
    r"\s?[（(](?:(?:以下简称|以下称|下称|简称)?[:：为]?[“\"「](?P<quoted>[^（）()“”\"「」，。；\n]{2,16})[”\"」][^）)\n]{0,16}?"
    r"|(?:以下简称|以下称|下称|简称)[:：为]?(?P<said>[^（）()“”\"「」，。；、\s]{2,16})"
    r"|(?P<acronym>[A-Z][A-Z0-9&]{1,5}))[）)]")
_NOT_SHARED = set("公司集团有限责任股份")


def mention_defined_aliases(doc: Doc, text: str) -> None:
    """"江苏东大金智信息系统有限公司（下称“金智信息”）": the text defines a short name for the
    entity right before the brackets, so every occurrence of it is a mention of that entity,
    whatever the tagger made of its characters ("金智" as a person).  A defined short name
    abbreviates the full one: it must share a character with it beyond 公司 / 集团 words, which
    keeps out role names ("收购人", "标的公司").  So does a firm's initials in capitals right after
    its name, quoted or not ("Safe Superintelligence（SSI）", "国际商业机器公司（IBM）")."""
    named = [e for e in doc.ents if e.label_ in NAMED]
    owners = {e.end_char: e for e in named}
    found: dict[str, str] = {}
    for match in _DEFINED_ALIAS.finditer(text):
        owner = owners.get(match.start())
        if owner is None:
            continue
        if match.group("acronym"):
            if owner.label_ in ("COMPANY", "ORG"):
                found.setdefault(match.group("acronym"), owner.label_)
            continue
        alias = match.group("quoted") or match.group("said")
        if _can_be_a_name(alias) and (set(alias) & set(owner.text)) - _NOT_SHARED:
            found.setdefault(alias, owner.label_)
    if not found:
        return
    longer = Coverage(named)
    spans: list[tuple[int, int, str]] = []
    for alias, label in sorted(found.items(), key=lambda x: -len(x[0])):
        for match in re.finditer(re.escape(alias), text):
            start, end = match.span()
            inside = longer.container(start, end)
            if inside is not None and inside != (start, end) and inside[1] - inside[0] > end - start:
                continue
            if not _inside_longer(text, start, end) and not any(s < end and start < e for s, e, _ in spans):
                spans.append((start, end, label))
    set_entities(doc, char_spans(doc, spans), replace=True)


# --- brackets, stock codes and generic words ------------------------------------------------

def _user_spans(doc: Doc) -> set[tuple[int, int]]:
    """Where the user's own names stand (the ner stage keeps them in ``doc.spans["user"]``):
    no rule here relabels or drops them."""
    return {(s.start_char, s.end_char) for s in doc.spans.get("user", [])}


def _right_after(start: int, ends: set[int], text: str) -> bool:
    """Whether something ending at one of `ends` stands right before `start`, a space allowed."""
    return start in ends or (text[start - 1:start] == " " and start - 1 in ends)


_TRAILING_ALIAS = re.compile(r"[（(](?P<alias>[A-Za-z][^（()）]*)[）)]?$")  # not a stock code (00767.HK)
_UNCLOSED = re.compile(r"[（(][^）)]*$")


def _bracket_pieces(text: str) -> list[tuple[int, int]]:
    """The parts of a mention's text that are names, by brackets: "蔚来（NIO）" → 蔚来, NIO (a
    Latin alias in brackets at the end); "大卫·栾（David Luan" → 大卫·栾, David Luan;
    "Steven Feng）" → Steven Feng; "仪电控股（集团）公司" stays whole."""
    alias = _TRAILING_ALIAS.search(text)
    if alias and alias.start() > 0:
        return [(0, alias.start()), alias.span("alias")]
    unclosed = _UNCLOSED.search(text)
    if unclosed and unclosed.start() > 0:
        return [(0, unclosed.start())]
    start, end = 0, len(text)
    if text[:1] in ("（", "(") and text[-1:] in ("）", ")"):
        start, end = 1, end - 1
    while start < end and text[start] in "）)":
        start += 1
    opened = text.count("（") + text.count("(")
    while end > start and text[end - 1] in "）)" and text.count("）", start, end) + text.count(")", start, end) > opened:
        end -= 1
    return [(start, end)]


_NAME_BREAK = re.compile(r"[：:，,。；;！!？?、“”\"「」【】]")
_UNBROKEN = re.compile(r"[^：:，,。；;！!？?、“”\"「」【】]+")


def _unbroken(text: str) -> tuple[int, int]:
    """The longest stretch of a mention between punctuation and quotes, which no name spans:
    "官宣：大范甘迪" → 大范甘迪, "踩雷”上海厚本金融信息服务有限公司" → the company, "财华社讯】百信国际"
    → 百信国际 (a headline's brackets)."""
    pieces = [m.span() for m in _UNBROKEN.finditer(text)] or [(0, 0)]
    return max(pieces, key=lambda p: (p[1] - p[0], p[0]))


@lru_cache(maxsize=1)
def counted_groups() -> tuple[re.Pattern[str], ...]:
    return tuple(map(re.compile, rule_lines("mentions_counted_groups.txt")))


def balance_parentheses(doc: Doc) -> None:
    """A tagger lets mentions run over brackets and punctuation; a mention is cut to its longest
    stretch between punctuation marks or quotes, and into the names on either side of brackets
    (the bracketed alias then links to its name through stated_aliases).  A mention that runs
    into a count of the names before it ("DeviantArt三家公司") ends before the count."""
    spans: list[tuple[int, int, str]] = []
    ents = list(doc.ents)  # (a property that walks every token: read once)
    for ent in ents:
        base, name = ent.start_char, ent.text
        if ent.label_ in NAMED and _NAME_BREAK.search(name):
            start, end = _unbroken(name)
            base, name = base + start, name[start:end]
        pieces = [(0, len(name))]
        if ent.label_ in NAMED and any(c in name for c in "（()）"):
            pieces = [(s, e) for s, e in _bracket_pieces(name) if name[s:e].strip()]
        counted = next((m for r in counted_groups() if (m := r.search(name))), None)
        if ent.label_ in NAMED and counted is not None and counted.start() > 1:
            pieces = [(0, counted.start())]
        spans.extend((base + s, base + e, ent.label_) for s, e in pieces if s < e)
    _reshape(doc, ents, spans)


def _reshape(doc: Doc, ents: list[Span], spans: list[tuple[int, int, str]]) -> None:
    """Make `spans` the document's mentions when they differ from `ents`."""
    if len(spans) == len(ents) and all(s == e.start_char and t == e.end_char
                                        for (s, t, _), e in zip(spans, ents)):
        return
    split_at(doc, [offset for s, e, _ in spans for offset in (s, e)])
    doc.ents = [doc.char_span(s, e, label=label) for s, e, label in spans]


_COORDINATED = re.compile(r"(?P<left>.{2,}?)(?:与|和|及|以及|、)(?P<right>(?![其该本])..+)")


def split_coordinated(doc: Doc) -> None:
    """"阿里巴巴集团与蚂蚁集团": a tagger's organisation mention that joins two names ending in
    the same kind of organisation (entities_org_types.tsv: two companies, two institutions) is
    two mentions.  A name that merely contains 和 has no type before it ("国家发展和改革委员会")
    or another kind ("国家银行和证券委员会", a regulator)."""
    ents = list(doc.ents)
    spans = []
    for e in ents:
        parts = _COORDINATED.fullmatch(e.text) if e.label_ in ("COMPANY", "ORG") else None
        kinds = {org_type(parts.group(side), "") for side in ("left", "right")} if parts else set()
        if len(kinds) == 1 and "" not in kinds:
            kind = kinds.pop()
            spans.extend((e.start_char + parts.start(side), e.start_char + parts.end(side), kind)
                         for side in ("left", "right"))
        else:
            spans.append((e.start_char, e.end_char, e.label_))
    _reshape(doc, ents, spans)


_STOCK_CODE = re.compile(STOCK_CODE)


def _compile_rule(regex: str) -> re.Pattern[str]:
    """A rules-file regex in which STOCK_CODE stands for a stock code, ticker or market quote."""
    return re.compile(regex.replace("STOCK_CODE", STOCK_CODE))


def drop_stock_codes(doc: Doc, text: str) -> None:
    """"联康生物科技集团(00690.HK)": a tagger reads the exchange ("HK") as a company; no name
    inside a stock code's brackets is a mention (an amount in a remark after the code is), and
    the bracket is then seen as the company's own (relations skip it)."""
    codes = [m.span() for m in _STOCK_CODE.finditer(text)]
    if not codes:
        return
    starts = [s for s, _ in codes]
    ents, kept = list(doc.ents), []
    for ent in ents:
        i = bisect_left(starts, ent.start_char + 1) - 1
        if ent.label_ in NAMED and i >= 0 and codes[i][0] < ent.start_char and ent.end_char < codes[i][1]:
            continue
        kept.append(ent)
    if len(kept) != len(ents):
        doc.ents = kept


_DEPARTMENT = re.compile(r"\s?(?:部门|事业部|事业群)")


def drop_departments(doc: Doc, text: str) -> None:
    """"出任微软AI部门首席执行官": a name the tagger cut off before 部门 / 事业部 names a
    department, no entity of its own (and "微软AI" must not become Microsoft's fullest name)."""
    ents = list(doc.ents)
    kept = [e for e in ents if e.label_ not in NAMED or not _DEPARTMENT.match(text, e.end_char)]
    if len(kept) != len(ents):
        doc.ents = kept


def drop_generic_names(doc: Doc) -> None:
    """"公司", "集团", "AI视频生成公司" typed as entities are no names (EXTRACTION.md): drop
    them, so that an anaphor rule may resolve them instead.  A mention is generic when it is a
    generic ending alone, an anaphor word, or a description ("新公司", "AI视频生成公司",
    "新加坡公司"); nor is a surname with a form of address ("侯女士") a person's name."""
    words = set(generic_suffixes()) | {normalize(a.word) for a in anaphors()}
    ents = list(doc.ents)
    kept = [e for e in ents if e.label_ not in NAMED or not (_generic(normalize(e.text), words)
                                                            or (e.label_ == "ORG" and _internal_body(e.text))
                                                            or (e.label_ == "PERSON" and _addressed(e.text)))]
    if len(kept) != len(ents):
        doc.ents = kept


@lru_cache(maxsize=1)
def _honorifics() -> re.Pattern[str]:
    words = sorted(rule_lines("mentions_honorifics.txt"), key=len, reverse=True)
    return re.compile(rf"[\u4e00-\u9fff]{{1,2}}(?:{'|'.join(words)})")


def _addressed(name: str) -> bool:
    """"侯女士", "杨律师": a surname and a form of address (mentions_honorifics.txt), no name."""
    return _honorifics().fullmatch(name) is not None


def cut_descriptions(doc: Doc) -> None:
    """"加密货币交易公司币安", "全资子公司星河物业": a tagger's organisation mention that opens
    with a description ending in a type noun names the firm after it ("武田方面": nor does a
    tail word of mentions_name_descriptors.tsv belong to it).  The noun must be a word of its
    own (not 企业 of 企业家 or 中小企业), and the rest more than an institution's type (…企业联合会),
    no unit of a firm (…支行, …公司赤马山矿), no legal form in brackets (…合伙企业(有限合伙)), no
    common word before a generic ending (伊顿公司电气集团) and no verb opening it (…企业管理协会)."""
    ents = list(doc.ents)
    _reshape(doc, ents, [(e.start_char + (_description_end(e.text) or _status_prefix(e.text)
                                          if e.label_ in ("COMPANY", "ORG") else 0),
                          e.end_char - (_tail(e.text) if e.label_ in NAMED else 0), e.label_) for e in ents])


def _status_prefix(name: str) -> int:
    """Length of a status word opening an organisation mention ("原美图公司COO": 原 says the
    person's post is past, it is no part of the firm's name); not when it opens a longer word (前海)."""
    tags = jieba.posseg.dt.word_tag_tab
    return next((len(w) for w in status_words() if name.startswith(w) and len(name) - len(w) >= 2
                 and name[:len(w) + 1] not in tags), 0)


_COMMON_WORD_TAGS = frozenset({"n", "v", "vn", "a", "an"})  # jieba tags of common nouns, verbs, adjectives
_DESCRIPTION_TAGS = _COMMON_WORD_TAGS | {"l", "m"}  # and idioms, numerals ("一家")


def drop_descriptions_before_names(doc: Doc, text: str) -> None:
    """"自动化生产公司Compass Automation": an organisation mention made of common words and a
    type noun (mentions_name_descriptors.tsv, head) right before a name describes that name."""
    ents = list(doc.ents)
    descriptions = {e.end_char: e for e in ents if e.label_ in ("COMPANY", "ORG") and _description_only(e.text)}
    if not descriptions:
        return
    described = {descriptions[end] for n in ents if n.label_ in NAMED for end in (n.start_char, n.start_char - 1)
                 if end in descriptions and _right_after(n.start_char, {end}, text)}
    if described:
        doc.ents = [e for e in ents if e not in described]


@lru_cache(maxsize=1)
def _type_nouns() -> tuple[str, ...]:
    """The head nouns of mentions_name_descriptors.tsv longer than one character (公司, 平台 …)."""
    return tuple(h for h in name_descriptors().get("head", ()) if len(h) > 1)


def _bare_verb(text: str, start: int, end: int) -> bool:
    """Whether text[start:end], which a context frames as a name, is a dictionary verb or event
    noun ("实现营业收入", "减持完成", "直播营收"): the clause's own word, unless the document
    somewhere puts a type noun right before it ("二手交易平台转转"), which says it names a firm."""
    word = text[start:end]
    return jieba.posseg.dt.word_tag_tab.get(word) in ("v", "vn") and not any(n + word in text for n in _type_nouns())


def _common_noun(word: str) -> bool:
    return jieba.posseg.dt.word_tag_tab.get(word) == "n"


def _description_only(name: str) -> bool:
    head = next((h for h in _type_nouns() if name.endswith(h)), None)
    words = jieba.lcut(name[:-len(head)]) if head else []
    tags = jieba.posseg.dt.word_tag_tab
    return bool(words) and all(tags.get(w) in _DESCRIPTION_TAGS for w in words)


def _tail(name: str) -> int:
    """Length of a word the tagger let into the end of a name ("武田方面", "马斯克方面")."""
    return next((len(w) for w in name_descriptors().get("tail", ()) if name.endswith(w) and len(name) - len(w) >= 2), 0)


def _description_end(name: str) -> int:
    """Where the firm's name starts after a description opening `name` (0: none)."""
    body = strip_generic(name)  # the name's own ending (…有限公司) is no description
    head = max(((body.rfind(h) + len(h), len(h)) for h in _type_nouns() if body.rfind(h) > 0), default=None)
    if head is None:
        return 0
    cut, start = head[0], head[0] - head[1]  # the last noun, the longest of those ending there
    rest = name[cut:]
    institution = next((len(e) for e, kind in org_endings() if kind == "ORG" and rest.endswith(e)), 0)
    core = strip_generic(rest[:len(rest) - institution])
    tags = jieba.posseg.dt.word_tag_tab
    if len(core) < 2 or "(" in rest or "（" in rest or rest.endswith(subunit_endings()) \
            or tags.get(core) in _COMMON_WORD_TAGS or tags.get(jieba.lcut(rest)[0]) in ("v", "vn") \
            or not {start, cut} <= _word_edges(name):
        return 0
    return cut


def _word_edges(name: str) -> set[int]:
    """Offsets in `name` where jieba starts or ends a word."""
    edges, pos = {0}, 0
    for word in jieba.lcut(name):
        pos += len(word)
        edges.add(pos)
    return edges


@lru_cache(maxsize=1)
def _descriptions() -> re.Pattern[str]:
    """Mentions that describe an organisation instead of naming it (mentions_descriptions.txt)."""
    return re.compile("|".join(f"(?:{regex})" for regex in rule_lines("mentions_descriptions.txt")))


_PLACE_AND_TYPE = re.compile(r"^(.{2,4}?)(?:初创公司|创业公司|公司|企业|厂商)$")


def _internal_body(name: str) -> bool:
    """"公司薪酬委员会", "公司董事会": a body inside the company a word like 公司 refers to."""
    words = _company_anaphors()
    if not name.startswith(words):  # cheap test first: most organisation names open otherwise
        return False
    first = jieba.lcut(name)
    return len(first) > 1 and first[0] in words


@lru_cache(maxsize=1)
def _company_anaphors() -> tuple[str, ...]:
    return tuple({a.word for a in anaphors() if a.refers_to == "COMPANY"})


def _generic(norm: str, words: set[str]) -> bool:
    if norm in words or _descriptions().match(norm) is not None:
        return True
    if norm[1:] in words and jieba.posseg.dt.word_tag_tab.get(norm[0]) in ("v", "p"):
        return True  # "占本公司", "在该公司": the sentence's verb or preposition and an anaphor
    place = _PLACE_AND_TYPE.match(norm)  # "新加坡公司", "美国企业": where a firm is, not its name
    return place is not None and jieba.posseg.dt.word_tag_tab.get(place.group(1)) == "ns"


@lru_cache(maxsize=1)
def product_cues() -> tuple[list[re.Pattern[str]], list[re.Pattern[str]]]:
    """(before, after) regexes of mentions_product_cues.tsv."""
    sides: dict[str, list[re.Pattern[str]]] = {"before": [], "after": []}
    for side, regex in rule_rows("mentions_product_cues.tsv"):
        sides[side].append(re.compile(regex))
    return sides["before"], sides["after"]


def drop_products(doc: Doc, text: str) -> None:
    """Drop the names the text calls products or models ("聊天机器人Grok", "Llama 3"): a tagger
    reads them as people or firms, but a product is no entity, and as a firm it would take part
    in triples.  Every mention of such a name goes, unless the user listed it."""
    before, after = product_cues()
    user = _user_spans(doc)
    products = {normalize(e.text) for e in doc.ents
                if e.label_ in NAMED and (e.start_char, e.end_char) not in user
                and (any(r.search(text, max(0, e.start_char - 8), e.start_char) for r in before)
                     or any(r.match(text[e.end_char - 1:e.end_char + 12]) for r in after))}
    if products:
        doc.ents = [e for e in doc.ents if not (e.label_ in NAMED and normalize(e.text) in products
                                                 and (e.start_char, e.end_char) not in user)]


# --- mentions the recogniser missed ----------------------------------------------------------

@lru_cache(maxsize=1)
def org_titles() -> frozenset[str]:
    return frozenset(rule_lines("mentions_org_titles.txt"))


_NAME_CHARS = re.compile(r"[A-Za-z0-9\u4e00-\u9fff.·&\-]+ ?[A-Za-z0-9.]*$")
_NAME_START = set("，。：；、“”‘’（）《》【】!?！？,;:() \n\t") | {""}
@lru_cache(maxsize=1)
def not_in_name() -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{w})" for w in rule_lines("mentions_not_in_name.txt")))


def name_orgs_before_titles(doc: Doc, text: str) -> None:
    """"字节跳动创始人张一鸣": an unrecognised name that starts a clause (or follows a mention and
    a joining word: "A与领英联合创始人B") and stands right before titles, one of them a top post's
    (mentions_org_titles.txt: "小米创始人、董事长兼CEO雷军"), and a person is the organisation's name."""
    ents = list(doc.ents)
    persons = Coverage([e for e in ents if e.label_ == "PERSON"])
    taken = Coverage(ents)
    ends = {e.end_char for e in ents}
    found = []
    titles = sorted(doc.spans.get("titles", []), key=lambda t: t.start_char)
    for i, title in enumerate(titles):
        after = _BEFORE_TITLE.match(text, title.end_char).end()
        if persons.container(after, after + 1) is None:
            continue
        chain = _title_chain(titles[:i + 1], text)
        if not any(t.text in org_titles() for t in chain):
            continue
        end = chain[0].start_char
        end -= next((len(w) for w in status_words() if text.endswith(w, 0, end)), 0)
        candidate = _name_before(text, end) or _name_after_connector(text, end, ends)
        if candidate and taken.container(*candidate) is None and not persons.overlaps(*candidate):
            found.append((*candidate, "COMPANY"))
    if found:
        set_entities(doc, char_spans(doc, found), replace=False)


_TITLE_JOINER = re.compile(r"[、，,/及和兼]?")


def _name_after_connector(text: str, end: int, ends: set[int]) -> tuple[int, int] | None:
    """The name between a mention, a joining word and a title ("苏莱曼与领英联合创始人…")."""
    for start in range(max(0, end - 10), end - 1):
        if start - 1 in ends and text[start - 1] in "与和及、" and _NAME_CHARS.fullmatch(text, start, end) \
                and _can_be_a_name(text[start:end]):
            return start, end
    return None


def _title_chain(titles: list[Span], text: str) -> list[Span]:
    """The titles joined up to the last of `titles` ("创始人、董事长兼CEO"), first to last."""
    chain = [titles[-1]]
    for title in reversed(titles[:-1]):
        if _TITLE_JOINER.match(text, title.end_char).end() != chain[0].start_char:
            break
        chain.insert(0, title)
    return chain


@lru_cache(maxsize=1)
def org_name_contexts() -> tuple[re.Pattern[str], ...]:
    name = r"[A-Za-z0-9\u4e00-\u9fff]{2,8}?"
    return tuple(_compile_rule(line.replace("NAME", name))
                 for line in rule_lines("mentions_org_name_contexts.tsv"))


def name_orgs_in_contexts(doc: Doc, text: str) -> None:
    """"初创公司星枢机器人宣布…", "加入星枢，…": unrecognised names in contexts only an
    organisation's name stands in (mentions_org_name_contexts.tsv) become COMPANY mentions,
    without a type noun before them ("电商平台生活有鱼" → 生活有鱼)."""
    taken = Coverage(doc.ents)
    found: list[tuple[int, int, str]] = []
    heads = name_descriptors().get("head", ())
    for regex in org_name_contexts():
        for match in regex.finditer(text):
            start, end = match.span("name")
            typed = _after_head_noun(text, start, end, heads)
            if typed > start and _common_noun(text[typed:end]):
                continue  # "减持公司股份": what the firm has, not its name
            start = typed
            end -= _tail(text[start:end])
            if taken.container(start, end) is None and _can_be_a_name(text[start:end]) \
                    and not _bare_verb(text, start, end) and not any(s < end and start < e for s, e, _ in found):
                found.append((start, end, "COMPANY"))
    if found:
        _replace_fragments(doc, text, found)


def _replace_fragments(doc: Doc, text: str, found: list[tuple[int, int, str]]) -> None:
    """Add names found by context.  A mention lying inside one of them was a fragment of it
    ("宇华" of "宇华教育(06169)") and gives way, unless the document also names it standing
    alone ("Wiz" in "Wiz刚刚完成…融资" when "Wiz" is a name elsewhere): then the context
    overreached.  A mention crossing a found name's edge stays."""
    names = [text[s:e] for s, e, _ in found]
    ents = list(doc.ents)
    standalone = Counter(e.text for e in ents if not any(text.startswith(n, e.start_char) for n in names))
    kept, dropped = [], set()
    for start, end, label in found:
        inside = [e for e in ents if start <= e.start_char and e.end_char <= end]
        if any(standalone[e.text] for e in inside):
            continue
        kept.append((start, end, label))
        dropped.update(inside)
    if dropped:
        doc.ents = [e for e in ents if e not in dropped]
    set_entities(doc, char_spans(doc, kept), replace=False)


def _can_be_a_name(name: str) -> bool:
    norm = normalize(name)
    return (2 <= len(norm) <= 12 and not not_in_name().search(name) and norm not in generic_suffixes()
            and not _function_word(name)
            and not _descriptions().match(norm) and not any(t in name for t in title_kinds())
            and norm not in {normalize(a.word) for a in anaphors()})


def _name_before(text: str, end: int) -> tuple[int, int] | None:
    """The clause-initial stretch of name characters ending at `end`, when it can be a name
    (without a status word opening it: "原美图公司COO")."""
    match = _NAME_CHARS.search(text, max(0, end - 16), end)
    if match is None:
        return None
    start = match.start()
    if text[start - 1:start] not in _NAME_START or not _can_be_a_name(text[start:end]):
        return None
    return start + _status_prefix(text[start:end]), end


def complete_mentions(doc: Doc, text: str) -> None:
    """Every other occurrence of a name recognised somewhere in the document is a mention of it.

    A tagger decides per occurrence and misses some ("VMware原首席执行官…" at a sentence start,
    "加入蔚来" at a line end); the document as a whole says the string is a name.  An
    occurrence is skipped when it is part of a longer Latin word or a longer name (followed by
    a generic ending, as "蔚来" in "蔚来资本").
    """
    ents = list(doc.ents)
    labels: dict[str, Counter] = {}
    for ent in ents:
        if ent.label_ in NAMED and _completable(ent.text):
            labels.setdefault(ent.text, Counter())[ent.label_] += 1
    if not labels:
        return
    taken = Coverage(ents)
    found = []
    for name, counts in sorted(labels.items(), key=lambda x: -len(x[0])):
        label = counts.most_common(1)[0][0]
        for match in re.finditer(re.escape(name), text):
            start, end = match.span()
            if taken.container(start, end) is None and not _inside_longer(text, start, end) \
                    and not any(s < end and start < e for s, e, _ in found):
                found.append((start, end, label))
    if found:
        set_entities(doc, char_spans(doc, found), replace=False)


def _completable(name: str) -> bool:
    """Names long enough to be searched for as strings: two Chinese characters, three Latin."""
    norm = normalize(name)
    return len(norm) >= (3 if is_latin(name) else 2) and norm not in generic_suffixes()


def _inside_longer(text: str, start: int, end: int) -> bool:
    before, after = text[start - 1:start] if start else "", text[end:end + 4]
    if text[start].isascii() and before.isascii() and before.isalnum():
        return True
    if text[end - 1].isascii() and after[:1].isascii() and after[:1].isalnum():
        return True
    return normalize(after).startswith(tuple(w for w in generic_suffixes() if not w.isascii()))


# --- organisations the recogniser took for people -------------------------------------------

@lru_cache(maxsize=1)
def org_cues() -> dict[str, list[re.Pattern[str]]]:
    """side (after / before / unless_after) → regexes of mentions_org_cues.tsv."""
    cues: dict[str, list[re.Pattern[str]]] = {"after": [], "before": [], "unless_after": []}
    for side, regex in rule_rows("mentions_org_cues.tsv"):
        cues[side].append(_compile_rule(regex))
    return cues


_TITLE_GLUE = re.compile(r"(?:[\s兼、和及/]|[（(][^（()）]{1,12}[）)])*")  # "CEO（首席执行官）、创始人"
_BEFORE_TITLE = re.compile(r"\s?的?\s?")
_SPACE = re.compile(r"\s?")


def _title_then_person(ent: Span, text: str, titles: list[Span], persons: Coverage) -> bool:
    """"X联合创始人兼CEO Y": a name directly followed by titles and then a person is the
    organisation those titles belong to (a status word such as 前 may come first).  Not
    "江泽民主席和叶利钦总统" / "江泽民主席叶利钦总统": titled people listed side by side."""
    by_start = {t.start_char: t for t in titles}
    pos = ent.end_char
    status = next((w for w in status_words() if text.startswith(w, pos)), "")
    pos = _BEFORE_TITLE.match(text, pos + len(status)).end()
    if pos not in by_start:
        return False
    while pos in by_start:
        end = by_start[pos].end_char
        glued = _TITLE_GLUE.match(text, end).end()
        pos = glued if glued in by_start else _SPACE.match(text, end).end()
    person = persons.container(pos, pos + 1)
    return person is not None and _BEFORE_TITLE.match(text, person[1]).end() not in by_start


def _org_context(ent: Span, text: str, titles: list[Span], persons: Coverage) -> bool:
    cues = org_cues()
    tail = text[ent.end_char:ent.end_char + 60]
    head = text[max(0, ent.start_char - 8):ent.start_char]
    before = not any(r.search(tail) for r in cues["unless_after"]) and any(r.search(head) for r in cues["before"])
    return before or any(r.search(tail) for r in cues["after"]) or _title_then_person(ent, text, titles, persons)


def retype_person_orgs(doc: Doc, text: str) -> None:
    """Relabel as organisations the PERSON mentions that name one.

    A character tagger often types a short company name ("蔚来", "Wiz") PERSON.  A name is an
    organisation when one of its mentions stands where only an organisation can (a cue of
    mentions_org_cues.tsv, or titles then a person after it), or when the same name, or a
    longer name it shortens, is typed COMPANY / ORG elsewhere in the document and it is no
    short form of another person's name.
    """
    ents = list(doc.ents)
    user = _user_spans(doc)
    people = [e for e in ents if e.label_ == "PERSON" and (e.start_char, e.end_char) not in user]
    if not people:
        return
    org_mentions = [e for e in ents if family(e.label_) == "ORG"]
    orgs = list(dict.fromkeys((e.text, e.label_) for e in org_mentions))
    names = Names(Counter(normalize(e.text) for e in people), Counter(normalize(e.text) for e in org_mentions),
                  list(dict.fromkeys(e.text for e in people)))
    persons = Coverage(people)
    titles = list(doc.spans.get("titles", []))
    new_label: dict[str, str] = {}
    elsewhere: dict[str, str | None] = {}  # per name: a long document repeats its names
    for ent in people:
        norm = normalize(ent.text)
        if norm in new_label:
            continue
        if norm not in elsewhere:
            elsewhere[norm] = _org_label_elsewhere(ent.text, orgs, names)
        label = elsewhere[norm]
        if label is None and _org_context(ent, text, titles, persons):
            label = "COMPANY"
        if label is not None:
            new_label[norm] = label
    if new_label:
        doc.ents = [Span(doc, e.start, e.end, label=new_label[normalize(e.text)])
                    if e.label_ == "PERSON" and (e.start_char, e.end_char) not in user
                    and normalize(e.text) in new_label else e for e in ents]


@lru_cache(maxsize=1)
def company_cues() -> tuple[re.Pattern[str], ...]:
    return tuple(map(_compile_rule, rule_lines("mentions_company_cues.txt")))


def retype_org_companies(doc: Doc, text: str) -> None:
    """"LVMH收购Tiffany", "南国置业(2.510,-0.04,-1.57%)": a name the recogniser typed ORG is a
    company when it buys, is listed or has shareholders (mentions_company_cues.txt) and its
    ending does not say it is an institution; every mention of the name follows."""
    ents = list(doc.ents)
    names = {e.text for e in ents if e.label_ == "ORG" and org_type(e.text, "") == ""
             and any(r.match(text[e.end_char:e.end_char + 60]) for r in company_cues())}
    if names:
        doc.ents = [Span(doc, e.start, e.end, label="COMPANY") if e.label_ == "ORG" and e.text in names else e
                    for e in ents]


def retype_titled_names(doc: Doc, text: str) -> None:
    """Relabel PERSON an organisation mention written right after a job title ("研究负责人Felix
    Brandt", "前CTO Tom Mason"): a title before a name gives a person's role.  A name with an
    organisation's ending ("董事长办公室", "Stability AI") is left as it is."""
    title_ends = {t.end_char for t in doc.spans.get("titles", [])}
    user = _user_spans(doc)
    titled = {normalize(e.text) for e in doc.ents
              if family(e.label_) == "ORG" and (e.start_char, e.end_char) not in user
              and _right_after(e.start_char, title_ends, text)
              and strip_generic(normalize(e.text)) == normalize(e.text)}
    if titled:
        doc.ents = [Span(doc, e.start, e.end, label="PERSON")
                    if family(e.label_) == "ORG" and normalize(e.text) in titled else e for e in doc.ents]


@lru_cache(maxsize=1)
def person_cue() -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{w})" for w in rule_lines("mentions_person_cues.txt")))


def retype_lone_latin_words(doc: Doc, text: str) -> None:
    """Relabel COMPANY a single Latin word typed PERSON ("Uber酝酿…", "Oracle（甲骨文）公司"):
    news introduces a person by the full name ("Sam Altman", then "Altman") but a firm or brand
    by one word.  The word stays a person when the document names one it is part of, when a
    title or an occupation (mentions_person_roles.txt) stands right before a mention of it ("CEO
    Altman", "制片人Steven"), when it is a person's alias in brackets ("马斯克（Musk）"), when the
    words after it speak of a person ("Berg先生", mentions_person_cues.txt), or when the user
    listed it."""
    people = [e for e in doc.ents if e.label_ == "PERSON"]
    full_names = [e.text for e in people if len(name_parts(e.text)) > 1]
    said_of_a_person = person_cue()
    person_starts, person_ends = {e.start_char for e in people}, {e.end_char for e in people}
    title_ends = {t.end_char for t in doc.spans.get("titles", [])}
    user = _user_spans(doc)
    lone: dict[str, bool] = {}
    for ent in people:
        if not is_latin(ent.text) or len(name_parts(ent.text)) != 1:
            continue
        before, after = ent.start_char - 1, ent.end_char
        person = ((ent.start_char, after) in user or any(same_person(ent.text, f) for f in full_names)
                  or _right_after(ent.start_char, title_ends, text) or _after_role(text, ent.start_char)
                  or (text[before:ent.start_char] in ("（", "(") and before in person_ends)
                  or (text[after:after + 1] in ("（", "(") and after + 1 in person_starts)
                  or bool(said_of_a_person.match(text, after)))
        norm = normalize(ent.text)
        lone[norm] = lone.get(norm, True) and not person
    if any(lone.values()):
        doc.ents = [Span(doc, e.start, e.end, label="COMPANY") if e.label_ == "PERSON" and lone.get(normalize(e.text))
                    else e for e in doc.ents]


_LIST_MARK = re.compile(r"\s?(?:、|和|及|以及)\s?")
_HAN_NAME = re.compile(r"[\u4e00-\u9fff]{2,4}")
_LATIN_NAME = r"[A-Z][A-Za-z0-9.&\-]*(?: [A-Z][A-Za-z0-9.&\-]*){0,2}"
_LATIN_AFTER = re.compile(rf"{_LIST_MARK.pattern}(?P<name>{_LATIN_NAME})(?![A-Za-z0-9])")
_LATIN_BEFORE = re.compile(rf"(?:^|(?<=[，。；：、\s（(“]))(?P<name>{_LATIN_NAME}){_LIST_MARK.pattern}$")


def name_listed_latin_firms(doc: Doc, text: str) -> None:
    """"起诉了OpenAI和Meta": an unrecognised capitalised Latin name listed beside a company
    is a company too (a tagger reading characters misses short Latin names in some contexts).
    One listed before the company stands at the list's start ("，Meta和微软", not "韦尔股份IPO、");
    the products stage, which runs next, drops what the text calls a product."""
    taken = Coverage(doc.ents)
    found: list[tuple[int, int, str]] = []
    for ent in doc.ents:
        if ent.label_ != "COMPANY":
            continue
        after = _LATIN_AFTER.match(text, ent.end_char)
        before = _LATIN_BEFORE.search(text, max(0, ent.start_char - 40), ent.start_char)
        for match in (m for m in (after, before) if m):
            start, end = match.span("name")
            if not taken.overlaps(start, end) and _can_be_a_name(text[start:end]) \
                    and not any(s < end and start < e for s, e, _ in found):
                found.append((start, end, "COMPANY"))
    if found:
        set_entities(doc, char_spans(doc, found), replace=False)


def retype_listed_firms(doc: Doc, text: str) -> None:
    """Relabel COMPANY a short Han "person" listed beside a company ("英伟达、小红书跟投") that
    opens with no common Chinese surname (chinese_surnames.txt) and is no part of a person's
    full name in the document: a Chinese person's name opens with a surname, a firm's need not,
    and lists of investors mix the two.  A name the document gives a job title stays a person."""
    ents = list(doc.ents)
    user = _user_spans(doc)
    surnames = chinese_surnames()
    people = [e.text for e in ents if e.label_ == "PERSON"]
    title_ends = {t.end_char for t in doc.spans.get("titles", [])}
    titled = {e.text for e in ents if e.label_ == "PERSON" and _right_after(e.start_char, title_ends, text)}
    firms = {(e.start_char, e.end_char) for e in ents if e.label_ == "COMPANY"}
    firm_ends, firm_starts = {e for _, e in firms}, {s for s, _ in firms}
    listed = set()
    for ent in ents:
        name = ent.text
        if (ent.label_ != "PERSON" or (ent.start_char, ent.end_char) in user
                or not _HAN_NAME.fullmatch(name) or name[0] in surnames
                or name in titled or any(other != name and name in other for other in people)):
            continue
        before = _LIST_MARK.search(text, max(0, ent.start_char - 4), ent.start_char)
        after = _LIST_MARK.match(text, ent.end_char)
        if (before and before.end() == ent.start_char and before.start() in firm_ends) \
                or (after and after.end() in firm_starts):
            listed.add(name)
    if listed:
        doc.ents = [Span(doc, e.start, e.end, label="COMPANY") if e.label_ == "PERSON" and e.text in listed
                    and (e.start_char, e.end_char) not in user else e for e in ents]


@lru_cache(maxsize=1)
def chinese_surnames() -> frozenset[str]:
    return frozenset(rule_lines("chinese_surnames.txt") + rule_lines("mentions_rare_surnames.txt"))


@lru_cache(maxsize=1)
def _roles() -> re.Pattern[str]:
    """Occupations that introduce a person (mentions_person_roles.txt), matched before a name."""
    return re.compile(f"(?:{'|'.join(rule_lines('mentions_person_roles.txt'))})\\s?$")


def _after_role(text: str, start: int) -> bool:
    return _roles().search(text, max(0, start - 6), start) is not None


@dataclass
class Names:
    """How often each name is typed PERSON and organisation in a document, and its people."""

    as_person: Counter
    as_org: Counter
    people: list[str]


def _org_label_elsewhere(name: str, orgs: list[tuple[str, str]], names: Names) -> str | None:
    """The label of an organisation mention (text, label) that this PERSON name names too."""
    norm = normalize(name)
    if any(same_person(name, p) for p in names.people if normalize(p) != norm):
        return None
    for org_text, org_label in orgs:
        org_norm = normalize(org_text)
        if org_norm == norm and names.as_org[norm] < names.as_person[norm]:
            continue  # typed PERSON more often than not: the organisation mention is the slip
        if org_norm == norm or _shortens(name, org_text):
            return org_label
    return None


def _shortens(short: str, full: str) -> bool:
    """"小米" of "小米集团" (only a generic ending dropped), "Lumora" of "Lumora AI" (whole Latin
    words): not "韩立远" of "韩立远课题组", a person's research group."""
    s, f = normalize(short), normalize(full)
    if strip_generic(s) == strip_generic(f):
        return True
    return is_latin(short) and is_latin(full) and name_parts(full)[:len(name_parts(short))] == name_parts(short)


# --- firms the recogniser missed -------------------------------------------------------------

@lru_cache(maxsize=1)
def name_frames() -> tuple[tuple[re.Pattern[str], str], ...]:
    """(regex, label) per frame; the label column is optional and defaults to COMPANY."""
    return tuple((re.compile(row[0]), row[1] if len(row) > 1 else "COMPANY")
                 for row in rule_rows("mentions_frames.tsv"))


_NAME_PIECE = re.compile(r"(?:(?!、|，|,|以及|及|和|与|&|/).)+")
_NAME_OPENERS = set("和与及")  # list separators that also begin names (和君资本, 与德通讯)
_FIRST_MEMBER_END = re.compile(r"[、，,]")
_NAME_SHAPE = re.compile(r"[\u4e00-\u9fffA-Za-z0-9][\u4e00-\u9fffA-Za-z0-9·&.\- ]{1,27}")


@lru_cache(maxsize=1)
def not_a_name() -> tuple[frozenset[str], re.Pattern[str]]:
    """(words that are never a name, regex of what a name never contains), from
    mentions_not_a_name.tsv."""
    kinds: dict[str, list[str]] = {}
    for kind, value in rule_rows("mentions_not_a_name.tsv"):
        kinds.setdefault(kind, []).append(value)
    parts = [f"[{re.escape(''.join(kinds.get('chars', [])))}]", f"^[{re.escape(''.join(kinds.get('start', [])))}]"]
    parts += [re.escape(w) for w in kinds.get("part", [])]
    parts += [re.escape(w) + "$" for w in kinds.get("end", [])]
    parts += kinds.get("regex", [])
    return frozenset(kinds.get("word", [])), re.compile("|".join(parts))


@lru_cache(maxsize=1)
def _function_tags() -> frozenset[str]:
    return frozenset(value for kind, value in rule_rows("mentions_not_a_name.tsv") if kind == "tag")


def _function_word(name: str) -> bool:
    """A dictionary word of a class no name belongs to ("突然", "随后", "此前"): a context
    that seems to frame a name around one has framed the sentence's adverb, not a name."""
    return jieba.posseg.dt.word_tag_tab.get(name) in _function_tags()


def _looks_like_a_name(name: str) -> bool:
    words, never = not_a_name()
    return (name not in words and bool(_NAME_SHAPE.fullmatch(name)) and not never.search(name)
            and not _function_word(name))


def name_firms_in_frames(doc: Doc, text: str) -> None:
    """Firms named where the words say what they are ("由X领投", "A、B等跟投", "投资方包括A和B",
    "初创公司X完成…融资") but the recogniser found nothing: investors and raisers are mostly firms,
    and one missed name loses every triple of a funding round.  A frame may label its names
    otherwise (pseudonymised people in court news: "被告人李某").  A mention the tagger cut
    short of a generic ending ("百度" of "由百度资本领投"), or a place it read inside the name,
    gives way to the whole name."""
    spans = [*doc.ents, *doc.spans.get("titles", [])]
    found: dict[tuple[int, int], str] = {}
    fragments: list[Span] = []
    for sent in doc.sents:
        start = sent.start_char
        sentence = text[start:sent.end_char]
        for frame, label in name_frames():
            for m in frame.finditer(sentence):
                for s, e in _list_members(sentence, m.start("names"), m.end("names")):
                    name = sentence[s:e]
                    s, e = s + start, e + start
                    if not _looks_like_a_name(name) or _bare_verb(text, s, e):
                        continue
                    crossed = [x for x in spans if x.start_char < e and s < x.end_char]
                    if any(a < e and s < b for a, b in found):
                        continue
                    frame_end = start + m.end()
                    if crossed and not all(_cut_short(x, name, s, e, label) or _overreaches(x, s, e, frame_end)
                                           for x in crossed):
                        continue
                    fragments.extend(crossed)
                    found[(s, e)] = label
    if fragments:
        doc.ents = [x for x in doc.ents if x not in fragments]
    if found:
        set_entities(doc, char_spans(doc, [(s, e, label) for (s, e), label in found.items()]), replace=False)


def _cut_short(mention: Span, name: str, start: int, end: int, label: str) -> bool:
    """Whether `mention` is a piece the tagger made of `name` (written at start..end): the name
    without its generic ending or a company type ("腾讯" of "投资方为腾讯投资、…"), a place inside
    it ("中国" of "红杉中国", "创新工场" as a place), or the start of a person's name ("王志" of
    "聘任王志成为…")."""
    if mention.label_ == "LOC":
        return start <= mention.start_char and mention.end_char <= end
    if mention.label_ not in NAMED or mention.start_char != start or mention.end_char >= end:
        return False
    rest = name[mention.end_char - start:]
    return (strip_generic(normalize(name)) == normalize(mention.text) or mention.label_ == label == "PERSON"
            or any(rest == ending for ending, kind in org_endings() if kind == "COMPANY"))


def _overreaches(mention: Span, start: int, end: int, frame_end: int) -> bool:
    """Whether `mention` runs from the name on into the frame's own words ("夏志成为公司" in
    "聘任夏志成为公司副总经理"): those are never part of a name."""
    return mention.start_char == start and end < mention.end_char <= frame_end


@lru_cache(maxsize=1)
def name_descriptors() -> dict[str, tuple[str, ...]]:
    """kind (strip / head) → words, from mentions_name_descriptors.tsv."""
    out: dict[str, list[str]] = {}
    for kind, word in rule_rows("mentions_name_descriptors.tsv"):
        out.setdefault(kind, []).append(word)
    return {kind: tuple(words) for kind, words in out.items()}


def _list_members(sentence: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """(start, end) of each member of a list, descriptors ("老股东", "初创公司"), book-title marks
    and a final 等 removed."""
    words = name_descriptors()
    first = next(_FIRST_MEMBER_END.finditer(sentence, start, end), None)
    start = _after_head_noun(sentence, start, first.start() if first else end, words.get("head", ()))
    for number, (opening, e) in enumerate(_pieces(sentence, start, end)):
        if number == 0 and sentence[start] in _NAME_OPENERS:
            opening = start  # a list never opens with a separator: the 和 of "由和君资本领投" is the name's
        s = _after_head_noun(sentence, opening, e, words.get("head", ()))
        stripped = True
        while stripped:
            stripped = False
            for word in words.get("strip", ()):
                if sentence.startswith(word, s) and e - s > len(word):
                    s += len(word)
                    stripped = True
        if sentence[e - 1:e] in ("）", ")") and (bracket := max(sentence.rfind("（", s, e), sentence.rfind("(", s, e))) > s:
            e = bracket  # an alias in brackets after the name: "光速创投（Lightspeed Venture Partners）"
        while e > s and sentence[e - 1] in "等 》":
            e -= 1
        while s < e and sentence[s] in " 《":
            s += 1
        yield s, e


def _pieces(sentence: str, start: int, end: int) -> list[tuple[int, int]]:
    """The list's pieces between separators; a single character before 和 / 与 / 及 is no member
    but the name's own ("方和资本、汉能创投" is two names, not 方 and 资本)."""
    pieces = [m.span() for m in _NAME_PIECE.finditer(sentence, start, end)]
    merged: list[tuple[int, int]] = []
    for s, e in pieces:
        if merged and merged[-1][1] - merged[-1][0] == 1 and sentence[merged[-1][1]] in _NAME_OPENERS:
            s = merged.pop()[0]
        merged.append((s, e))
    return merged


def _after_head_noun(sentence: str, start: int, end: int, nouns: tuple[str, ...]) -> int:
    """Where the name starts after its type noun: "网络安全公司Splunk" → "Splunk"; not where
    only a verb and a generic ending follow it, which make it part of the name ("中小企业发展基金")."""
    for noun in nouns:
        cut = sentence.rfind(noun, start, end)
        if cut >= 0 and end - (cut + len(noun)) >= 2 and not _verb_at(sentence, cut + len(noun), end):
            start = cut + len(noun)
    return start


def _verb_at(sentence: str, start: int, end: int) -> bool:
    """Whether sentence[start:end] is a dictionary verb and a generic ending (发展基金, 服务集团)."""
    rest = sentence[start:end]
    core = strip_generic(rest)
    return core != rest and jieba.posseg.dt.word_tag_tab.get(core) in ("v", "vn")

# --- the component ---------------------------------------------------------------------------

class Mentions:
    """Mends ``doc.ents`` in place: cut, dropped, relabelled and added mentions."""

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text  # a property that joins the tokens: read it once
        balance_parentheses(doc)
        split_coordinated(doc)
        mention_defined_aliases(doc, text)
        drop_stock_codes(doc, text)
        drop_departments(doc, text)
        drop_generic_names(doc)
        cut_descriptions(doc)
        name_listed_latin_firms(doc, text)
        drop_products(doc, text)
        retype_titled_names(doc, text)
        retype_person_orgs(doc, text)
        retype_org_companies(doc, text)
        retype_lone_latin_words(doc, text)
        retype_listed_firms(doc, text)
        name_orgs_before_titles(doc, text)
        name_orgs_in_contexts(doc, text)
        name_firms_in_frames(doc, text)
        drop_descriptions_before_names(doc, text)
        complete_mentions(doc, text)
        return doc


@Language.factory("zhie_mentions")
def make_mentions(nlp: Language, name: str) -> Mentions:
    return Mentions()
