"""Job titles: CEO, 首席技术官, 联合创始人 … as TITLE spans in ``doc.spans["titles"]``.

Titles are what position and founder relations hang on ("前CTO Tom Mason", "DeepMind联创
穆斯塔法-苏莱曼"), and "其CEO" is how an anaphor shows it means a company.  Each span's
``_.value`` says the title's kind (role / founder / cofounder) and the status a word before it
gives (前 → former, 临时 → interim).
"""
from __future__ import annotations

import re
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from .rulefiles import rule_rows
from .spans import Coverage, char_spans




@lru_cache(maxsize=1)
def title_kinds() -> dict[str, str]:
    return {title: kind for title, kind in rule_rows("titles.tsv")}


@lru_cache(maxsize=1)
def status_words() -> dict[str, str]:
    return {word: status for word, status in rule_rows("titles_status.tsv")}


@lru_cache(maxsize=1)
def title_pattern() -> re.Pattern[str]:
    """Longest title first; Latin titles only as whole words."""
    alternatives = []
    for title in sorted(title_kinds(), key=len, reverse=True):
        escaped = re.escape(title)
        if title.isascii():
            escaped = rf"(?<![A-Za-z]){escaped}(?![A-Za-z])"
        alternatives.append(escaped)
    statuses = "|".join(re.escape(w) for w in sorted(status_words(), key=len, reverse=True))
    return re.compile(rf"(?P<status>{statuses})?\s?(?P<title>{'|'.join(alternatives)})")


def find_titles(text: str) -> list[tuple[int, int, dict]]:
    """(start, end, value) of each title; the status word is not part of the span."""
    kinds, statuses = title_kinds(), status_words()
    out = []
    for match in title_pattern().finditer(text):
        title = match.group("title")
        value = {"title": title, "kind": kinds[title]}
        if match.group("status"):
            value["status"] = statuses[match.group("status")]
        out.append((match.start("title"), match.end("title"), value))
    return out


@Language.component("zhie_titles")
def mark_titles(doc: Doc) -> Doc:
    ends = {tok.idx + len(tok) for tok in doc}
    text = doc.text
    names = Coverage(doc.ents)
    # a title word inside an organisation's name ("北京大学校长办公室") is no title
    found = [(s, e, v) for s, e, v in find_titles(text)
             if _ends_a_word(text, e, ends) and names.container(s, e) in (None, (s, e))]
    spans = char_spans(doc, [(s, e, "TITLE") for s, e, _ in found])
    for span, (_, _, value) in zip(spans, found):
        span._.value = value
    doc.spans["titles"] = spans
    return doc


def _ends_a_word(text: str, end: int, token_ends: set[int]) -> bool:
    """"董事" in "董事会" is no title: a title ends where jieba ends a word, or before a
    non-Chinese character ("首席技术官Christian")."""
    return end in token_ends or end == len(text) or not ("\u4e00" <= text[end] <= "\u9fff")
