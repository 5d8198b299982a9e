"""Cleaning: a RawRecord → a Document whose ``text`` is the article body alone.

Every output offset refers to ``Document.text``, so cleaning is the only stage that changes text.
HTML becomes text with block elements as line breaks and inline elements joined as they are
(``<span>微</span><span>软</span>`` → 微软).  Flattened WeChat pages lose their chrome: the
account profile card and the repost / byline lines at the top, UI and prompt lines anywhere, the
footer (recommended reading, reference links, group invitations) at the end.  What counts as
chrome is data in ``rules/cleaning_*.txt``; this module only knows where each kind may stand.

A Document with ``error`` set is reported with status "error"; ``clean`` never raises.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache

import jieba
from lxml import etree
from lxml import html as lxml_html

from .reading import fix_surrogates, meta_text, normalize_time, normalize_url
from .records import Document, RawRecord
from .rulefiles import rule_lines


HEAD_LINES = 8  # bylines and prompts are looked for in the first lines only
PROFILE_LINES = 3  # the profile card sits in the first lines
DESCRIPTION_LINES = 3  # account description lines allowed between the card and a repost line
ACCOUNT_DESCRIPTION = 60  # longest self-description line after the account's name at the top
ACCOUNT_NAME = 20  # longest line taken for an account's name when a self-description follows
SENTENCE_MARK = re.compile(r"[，。！？；：,!?;:“”]")
SHORT_BYLINE = 60  # a byline-only line this short is dropped wherever it is
MAX_BYLINE_TOKEN = 16  # a last byline word up to this long ending the line is all byline

BLOCK = "\ue000"  # stands for a block break while HTML text is assembled
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\u200c\u200d\u2060\ufeff\ue000]")
LINE_BREAK = re.compile(r"\r\n?|[\u2028\u2029\x85]")
ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
SPACES = re.compile(r"[^\S\n]+")
WIDE_GAP = re.compile(r"[ \t\u3000\xa0]{4,}")  # between title and account on a flattened first line
SOFT_BREAK = re.compile(r"\s*\n\s*")  # source line breaks in HTML text (BLOCK is not \s)
CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\U00020000-\U0003ffff]")
NAME_TOKEN = re.compile(r"\s*([^\s、，,。！？!?；;：:|｜丨/／()（）“”\"'「」]+)")
NAME_SEPARATOR = re.compile(r"\s*(?:[、，,/／&＆]|\s)\s*")
LATIN_NAME = re.compile(r"[A-Za-z][A-Za-z.'\-]*(?: [A-Z][A-Za-z.'\-]*)*")

BLOCK_TAGS = frozenset(
    "address article aside blockquote body center dd details dialog dir div dl dt fieldset "
    "figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr li main nav ol p pre "
    "section summary table tbody tfoot thead tr ul".split()
)
CELL_TAGS = frozenset({"td", "th"})
SCRIPT_TIME = re.compile(r"""\bvar\s+ct\s*=\s*["']?(\d{9,11})""")
SCRIPT_LINK = re.compile(r"""\bvar\s+msg_link\s*=\s*["']([^"']+)""")


# --- rules -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Rules:
    drop_lines: list[re.Pattern[str]]
    footer: list[re.Pattern[str]]
    portal_footer: list[re.Pattern[str]]
    profile: list[re.Pattern[str]]
    account_description: list[re.Pattern[str]]
    byline_label: re.Pattern[str]  # any label, matched at a position
    html_drop: str  # XPath union of the dropped elements


@lru_cache(maxsize=1)
def rules() -> Rules:
    labels = "|".join(f"(?:{p})" for p in rule_lines("cleaning_byline.txt"))
    return Rules(
        drop_lines=[re.compile(p) for p in rule_lines("cleaning_drop_lines.txt")],
        footer=[re.compile(p) for p in rule_lines("cleaning_footer.txt")],
        portal_footer=[re.compile(p) for p in rule_lines("cleaning_portal_footer.txt")],
        profile=[re.compile(p) for p in rule_lines("cleaning_profile_header.txt")],
        account_description=[re.compile(p) for p in rule_lines("cleaning_account_description.txt")],
        byline_label=re.compile(labels),
        html_drop=" | ".join(_selector_xpath(s) for s in rule_lines("cleaning_html_drop.txt")),
    )


def _selector_xpath(selector: str) -> str:
    kind, _, name = selector.partition(":")
    if kind == "tag":
        return f"//{name}"
    if kind == "id":
        return f"//*[@id='{name}']"
    if kind == "class":
        return f"//*[contains(concat(' ', normalize-space(@class), ' '), ' {name} ')]"
    raise ValueError(f"cleaning_html_drop.txt: unknown selector {selector!r} (use tag:, id: or class:)")


# --- the stage -------------------------------------------------------------------------------

@dataclass
class Cleaned:
    """Text and the metadata found while cleaning it."""

    text: str
    title: str | None = None
    account: str | None = None
    author: str | None = None
    publish_time: str | None = None
    url: str | None = None


def clean(record: RawRecord) -> Document:
    """The record's article body as plain text, with its metadata; never raises."""
    if record.error:
        return _document(record, Cleaned(""), record.error)
    try:
        if record.html is not None:
            cleaned = clean_html(record.html, title=record.title, account=record.account)
            empty = "HTML has no body text"
        elif record.text is not None:
            cleaned = clean_text(record.text, title=record.title, markdown=record.markdown,
                                 account=record.account)
            empty = "no text"
        else:
            return _document(record, Cleaned(""), "record has no text")
    except HtmlTooDeep as exc:
        return _document(record, Cleaned(""), str(exc))
    except Exception as exc:  # noqa: BLE001 - a record that breaks the cleaner fails alone
        return _document(record, Cleaned(""), f"cleaning failed: {type(exc).__name__}: {exc}")
    if not cleaned.text:
        if record.html is None and (record.text or "").strip():
            empty = "no text left after removing page chrome"
        return _document(record, cleaned, empty)
    return _document(record, cleaned, None)


def _document(record: RawRecord, cleaned: Cleaned, error: str | None) -> Document:
    """Record metadata wins over what cleaning found in the page."""
    return Document(
        doc_id=record.doc_id,
        source=record.source,
        text=cleaned.text,
        line=record.line,
        title=record.title or cleaned.title,
        account=record.account or cleaned.account,
        author=record.author or cleaned.author,
        publish_time=record.publish_time or cleaned.publish_time,
        url=record.url or cleaned.url,
        error=error,
    )


# --- plain text ------------------------------------------------------------------------------

def scrub(text: str) -> str:
    """Unwritable and invisible characters out, line breaks unified."""
    return LINE_BREAK.sub("\n", CONTROL.sub("", fix_surrogates(text)))


def decode_entities(text: str) -> str:
    """HTML entities left in flattened text (``&nbsp;``, ``&amp;``, ``&#8220;``)."""
    return ENTITY.sub(lambda m: html.unescape(m.group()), text)


def normalize_lines(text: str) -> list[str]:
    """Lines with runs of spaces collapsed (never removed: words stay apart), empty lines dropped."""
    lines = (SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return [line for line in lines if line]


def clean_text(text: str, title: str | None = None, markdown: bool = False,
               account: str | None = None) -> Cleaned:
    text = scrub(decode_entities(scrub(text)))
    cleaned = Cleaned("")
    if markdown:
        text, cleaned.title = flatten_markdown(text)
        title = title or cleaned.title
    lines = text.split("\n")
    first = _title_line(lines[0]) if lines else None
    if first:
        cleaned.title, cleaned.account, is_card = first
        if not is_card:
            lines = lines[1:]
    body = strip_chrome(normalize_lines("\n".join(lines)), title or cleaned.title, account or cleaned.account)
    cleaned.text = "\n".join(body)
    return cleaned


def _title_line(line: str) -> tuple[str, str | None, bool] | None:
    """(title, account, has profile card) from a flattened first line "title    account…";
    None when the line has no such shape."""
    parts = [p.strip() for p in WIDE_GAP.split(line.strip()) if p.strip()]
    if len(parts) < 2 or len(parts[0]) > 120:
        return None
    rest = " ".join(parts[1:])
    has_card = any(p.search(rest) for p in rules().profile)
    if not has_card and (len(parts) > 2 or len(parts[1]) > 40):
        return None
    account = parts[1] if len(parts[1]) <= 40 else None
    return parts[0], account, has_card


def strip_chrome(lines: list[str], title: str | None = None, account: str | None = None) -> list[str]:
    """The body lines of a flattened article: head (profile card, account name, bylines,
    prompts), chrome lines anywhere and the footer removed."""
    lines = _cut_footer(_strip_head(lines, title, account))
    return [line for line in lines if not _is_chrome_line(line)]


def _strip_head(lines: list[str], title: str | None, account: str | None) -> list[str]:
    lines = _strip_account(_strip_profile(lines), account)
    if lines and title and lines[0] == " ".join(title.split()):
        lines = lines[1:]
    for i, line in enumerate(lines[:HEAD_LINES]):
        if _is_chrome_line(line):
            continue
        rest = byline_remainder(line)
        if rest is None:  # after a repost line, the reposted account's name may follow
            return _strip_account(lines[i:], account) if i else lines[i:]
        if rest:
            return [rest] + lines[i + 1:]
    return lines[HEAD_LINES:] if len(lines) > HEAD_LINES else []


def _strip_profile(lines: list[str]) -> list[str]:
    """Drops the account profile card, on one line or spread over the first few ("科技新知局" /
    "微信号 …" / "功能介绍 …"), and what stands before it; when a byline follows within a few
    lines, the account description lines in between go too."""
    card = _card_end(lines)
    if card is None:
        return lines
    after = lines[card + 1:card + 1 + DESCRIPTION_LINES + 1]
    byline = next((k for k, line in enumerate(after) if byline_remainder(line) is not None), None)
    return lines[card + 1 + (byline or 0):]


def _card_end(lines: list[str]) -> int | None:
    """Index of the line where a profile card found in the first lines ends."""
    head = "\n".join(lines[:PROFILE_LINES])
    ends = [m.end() for p in rules().profile if (m := p.search(head))]
    if not ends:
        return None
    return head.count("\n", 0, min(ends))


def _strip_account(lines: list[str], account: str | None) -> list[str]:
    """Drops an account's name and self-description at the top: a first line that is the
    account's name, with the description after it if there is one; or a short name-like first
    line followed by a description (a reposted account's card: "芯潮Pro." / "关注大模型…")."""
    if not lines:
        return lines
    described = len(lines) > 1 and _is_account_description(lines[1])
    if account and " ".join(lines[0].split()) == " ".join(account.split()):
        return lines[2:] if described else lines[1:]
    if described and len(lines[0]) <= ACCOUNT_NAME and not SENTENCE_MARK.search(lines[0]):
        return lines[2:]
    return lines


def _is_account_description(line: str) -> bool:
    return len(line) <= ACCOUNT_DESCRIPTION and any(p.search(line) for p in rules().account_description)


def byline_remainder(line: str) -> str | None:
    """None when the line is not a byline; else the body text glued after the byline's names
    ("" when the line is nothing but the byline)."""
    label = rules().byline_label
    match = label.match(line)
    if not match or not match.group():
        return None
    position = match.end()
    while True:  # further labels close behind: "转载自 | 量子位作者 | 明敏"
        following = label.search(line, position, position + 24)
        if not following or not following.group():
            break
        position = following.end()
    return _after_names(line[position:])


def _after_names(value: str) -> str:
    """The text after the names that end a byline: "明敏 丰色好突然！…" → "好突然！…"."""
    lengths: list[int] = []
    position = 0
    while True:
        match = NAME_TOKEN.match(value, position)
        if not match:
            return value[position:].lstrip(" 、，,：:|｜丨/／")
        token = match.group(1)
        after = value[match.end():]
        if not after and len(token) <= MAX_BYLINE_TOKEN:
            return ""  # the line ends with the names
        separator = NAME_SEPARATOR.match(after) if after else None
        if separator and _is_name(token):
            lengths.append(len(token))
            position = match.end() + separator.end()
            continue
        return value[match.start(1) + _name_length(token, lengths):].lstrip()


def _is_name(token: str) -> bool:
    if CJK.match(token):
        return len(token) <= 4 and all(CJK.match(c) or c in "·•" for c in token)
    return len(token) <= 24 and bool(LATIN_NAME.fullmatch(token))


def _name_length(token: str, lengths: list[int]) -> int:
    """How much of a token is the last name when the body is glued to it: a Latin name's letters,
    else the length the other names share, else jieba's first word (2-4 characters)."""
    latin = LATIN_NAME.match(token)
    if latin:
        return latin.end()
    if lengths and len(set(lengths)) == 1 and 2 <= lengths[0] <= 4:
        return lengths[0]
    words = jieba.lcut(token[:12])
    size = len(words[0]) if words else 0
    if size == 1 and len(words) > 1:
        size += len(words[1])
    return size if 2 <= size <= 4 else 2


def _is_chrome_line(line: str) -> bool:
    if any(p.fullmatch(line) for p in rules().drop_lines):
        return True
    return len(line) <= SHORT_BYLINE and byline_remainder(line) == ""


def _cut_footer(lines: list[str]) -> list[str]:
    """Cuts from the first footer marker line in the second half of the text, or from a
    portal's block of other articles wherever it starts."""
    total = sum(len(line) + 1 for line in lines)
    offset = 0
    for i, line in enumerate(lines):
        if (offset * 2 >= total and any(p.match(line) for p in rules().footer)) \
                or any(p.fullmatch(line.strip()) for p in rules().portal_footer):
            return lines[:i]
        offset += len(line) + 1
    return lines


# --- Markdown --------------------------------------------------------------------------------

MD_IMAGE = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)")
MD_LINK = re.compile(r"\[([^\]\n]*)\]\([^)\n]*\)")
MD_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
MD_CODE = re.compile(r"`([^`\n]+)`")
MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
MD_PREFIX = re.compile(r"^\s{0,3}(?:>\s?)+|^\s*[-*+]\s+")
MD_RULE = re.compile(r"^\s*(?:[-*_]\s*){3,}$")
MD_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")


def flatten_markdown(text: str) -> tuple[str, str | None]:
    """Markdown markup out (images, link targets, emphasis, heading and quote marks, raw tags);
    the first heading is the title when it opens the file."""
    title = None
    out = []
    for number, line in enumerate(text.split("\n")):
        if MD_RULE.match(line):
            continue
        heading = MD_HEADING.match(line)
        if heading:
            line = heading.group(1)
            if title is None and not any(out):
                title = line.strip() or None
                continue
        line = MD_PREFIX.sub("", line)
        line = MD_TAG.sub("", MD_IMAGE.sub("", line))
        line = MD_CODE.sub(r"\1", MD_EMPHASIS.sub(r"\2", MD_LINK.sub(r"\1", line)))
        out.append(line)
    return "\n".join(out), meta_text(title)


# --- HTML ------------------------------------------------------------------------------------

def clean_html(page: str, title: str | None = None, account: str | None = None) -> Cleaned:
    """An mp.weixin.qq.com article (title #activity-name, account #js_name, body #js_content) or
    any other page (title <title>, body <body>), as text without chrome."""
    root = _parse_html(page)
    if root is None:
        return Cleaned("")
    found = Cleaned(
        "",
        title=_first_text(root, "//*[@id='activity-name']", "//meta[@property='og:title']/@content",
                          "//title", "//h1"),
        account=_first_text(root, "//*[@id='js_name']", "//meta[@property='og:site_name']/@content"),
        author=_first_text(root, "//*[@id='js_author_name']", "//meta[@name='author']/@content"),
        publish_time=_page_time(root),
        url=_page_url(root),
    )
    for element in root.xpath(rules().html_drop):
        if element.getparent() is not None:
            element.drop_tree()
    bodies = root.xpath("//*[@id='js_content']") or root.xpath("//body") or [root]
    text = scrub(html_text(bodies[0]))
    found.text = "\n".join(strip_chrome(normalize_lines(text), title or found.title, account or found.account))
    return found


class HtmlTooDeep(ValueError):
    """The page nests deeper than the HTML parser follows; its text would be lost silently."""


def _parse_html(page: str) -> etree._Element | None:
    data = scrub(page).encode("utf-8")
    if not data.strip():
        return None
    parser = lxml_html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, huge_tree=True)
    try:
        root = lxml_html.document_fromstring(data, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None
    if any("Excessive depth" in entry.message for entry in parser.error_log):
        raise HtmlTooDeep("HTML nested too deeply for the parser (over 2048 levels)")
    return root


def _first_text(root: etree._Element, *paths: str) -> str | None:
    for path in paths:
        for found in root.xpath(path):
            text = meta_text(found if isinstance(found, str) else found.text_content())
            if text:
                return text
    return None


def _page_time(root: etree._Element) -> str | None:
    shown = _first_text(root, "//*[@id='publish_time']", "//meta[@property='article:published_time']/@content")
    if shown:
        return shown
    for script in root.xpath("//script/text()"):
        match = SCRIPT_TIME.search(script)
        if match:
            return normalize_time(match.group(1))
    return None


def _page_url(root: etree._Element) -> str | None:
    for url in root.xpath("//meta[@property='og:url']/@content | //link[@rel='canonical']/@href"):
        if normalize_url(url):
            return normalize_url(url)
    for script in root.xpath("//script/text()"):
        match = SCRIPT_LINK.search(script)
        if match:
            return normalize_url(match.group(1))
    return None


def html_text(element: etree._Element) -> str:
    """The text of an element: block elements and <br> break lines, inline elements join as they
    are, source line breaks inside text count as a space (none between two CJK characters)."""
    pieces: list[str] = []
    in_pre = 0
    for event, node in etree.iterwalk(element, events=("start", "end")):
        tag = node.tag.lower() if isinstance(node.tag, str) else ""
        if event == "start":
            if tag in BLOCK_TAGS or tag == "br":
                pieces.append(BLOCK)
            in_pre += tag == "pre"
            if node.text and tag:
                pieces.append(node.text.replace("\n", BLOCK) if in_pre else node.text)
            continue
        if tag in BLOCK_TAGS:
            pieces.append(BLOCK)
        elif tag in CELL_TAGS:
            pieces.append(" ")
        in_pre -= tag == "pre"
        if node.tail and node is not element:
            pieces.append(node.tail.replace("\n", BLOCK) if in_pre else node.tail)
    text = SOFT_BREAK.sub(_soft_break, "".join(pieces))
    return text.replace(BLOCK, "\n")


def _soft_break(match: re.Match[str]) -> str:
    """A source line break is a space, except between two CJK characters (CSS segment breaks)."""
    text = match.string
    before = text[match.start() - 1] if match.start() else ""
    after = text[match.end()] if match.end() < len(text) else ""
    return "" if CJK.match(before) and CJK.match(after) else " "
