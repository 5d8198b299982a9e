"""MONEY spans with their value normalized to an amount and an ISO currency.

First version: Arabic numerals with 万/亿 and 元/美元 only; the full component is issue #5.
"""
from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from .spans import char_spans, set_entities

_AMOUNT = re.compile(r"(\d+(?:\.\d+)?)(万亿|亿|万)?(美元|元)")
_MAGNITUDE = {None: 1, "万": 1e4, "亿": 1e8, "万亿": 1e12}
_CURRENCY = {"美元": "USD", "元": "CNY"}


@Language.component("zhie_money")
def find_money(doc: Doc) -> Doc:
    found = [(m.start(), m.end(), m) for m in _AMOUNT.finditer(doc.text)]
    spans = char_spans(doc, [(s, e, "MONEY") for s, e, _ in found])
    for span, (_, _, m) in zip(spans, found):
        amount = float(m.group(1)) * _MAGNITUDE[m.group(2)]
        span._.value = {"amount": round(amount, 2), "currency": _CURRENCY[m.group(3)]}
    set_entities(doc, spans, replace=True)
    return doc
