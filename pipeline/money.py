"""MONEY: amounts of money found in the text and normalized to a number and an ISO currency.

The component ``zhie_money`` (after ``ner``, before ``sentences``) puts MONEY spans on
``doc.ents`` with ``span._.value = {"amount", "currency", "upper"?, "qualifier"?}``; amounts are
plain numbers in units of the currency, an int when whole ("1.01亿美元" → 101000000 USD).

What it handles:

- Numbers: Arabic with thousands commas and decimals ("4,350万", "1,500,000,000元"), full-width
  digits ("１２亿"), Chinese numerals ("两千亿", "三百五十万", "一亿两千万", "一点五亿"), mixtures
  ("1.2亿", "5千万", "1亿2000万"), "3个亿", the old decimal dot "１３７·７３".
- Magnitudes 万 / 亿 / 万亿 / 千亿 / 百亿 / 十亿 / 千万 / 百万 / 十万 / 千 / 百 and English
  thousand / million / billion / trillion / k / M / B / bn / mn ("US$300M", "$1.5 billion").
  English magnitudes count only on an amount that names a currency ("8B参数" is not money).
- Currencies by word, code or symbol, before or after the number ("人民币100万元",
  "100万元人民币", "HK$3亿", "1.5 billion dollars"); 元 alone is CNY, and a more specific
  currency on the same amount wins over it ("新台币100亿元" is TWD).
- Qualifiers: 约 / 近 / 超过 / 逾 / 高达 / 不到 ... before the amount (also between currency and
  number: "人民币约5700万元"), 多 / 余 inside ("1000多万元"), 左右 / 以上 after; amounts without
  digits: "近亿元", "上亿元", "破亿" (the word is part of the span), 数 / 几 ("数亿" → 1e8,
  "数十亿" → 1e9, "十几亿" → 1e9, qualifier 数 / 几).
- Ranges "200亿至250亿美元", "200-250亿美元", "8到10亿元", "$1-2 billion": amount is the lower
  bound, ``upper`` the higher; a magnitude and currency written once apply to both ends. A pair
  after 从 / 由 ("从8亿到10亿美元") is a change, not a range: two amounts.
- Conversions "(约合1.95万亿港元)" are amounts of their own (qualifier 约合).
- Bare amounts with a Chinese magnitude and no currency ("融资2亿", "估值超10亿", "2亿融资") are
  money only next to a money word (``money_context_words.txt``) in the same clause and not
  followed by a counted unit. Their currency follows the writer, who drops a currency once the
  text has set it: the one written on all explicit amounts of the same sentence; else of the same
  paragraph; else the one on more than half of the document's explicit amounts (a
  USD-denominated article); else CNY, the currency a Chinese writer leaves implicit.
  Conversions (约合 ...) do not vote.
- Per-share prices ("每股8-10美元", "每股作价10元", "发行价为8.5港元", "10美元/股",
  "$20 per share") are not MONEY: they go to ``doc.spans["per_share_prices"]`` (label
  PER_SHARE) with the same ``_.value``, for the relation stage's acquisition prices.
- Not money: counts and units after the number ("3亿用户", "数亿次下载", "500万台", "1000亿参数",
  "1亿股", "元宇宙"), percentages, dates, and any bare number without a currency or money context.

Vocabularies are data in ``pipeline/rules/money_*``. Chinese numerals are converted by cn2an;
our own code only splits what cn2an does not take: Arabic numbers with magnitudes, decimals
before a magnitude in Chinese ("一点五亿"), numberless magnitudes ("百亿", "数百万") and
English magnitudes. A cheap regular expression finds candidates; only those are examined.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Iterable, Iterator

import cn2an
from spacy.language import Language
from spacy.tokens import Doc

from .rulefiles import rule_rows
from .spans import char_spans, set_entities

DEFAULT_CURRENCY = "CNY"
PER_SHARE_KEY = "per_share_prices"

Number = int | float

_FULLWIDTH = str.maketrans("０１２３４５６７８９．·，", "0123456789..,")  # "１３７·７３" is 137.73
_CN_PLACES = frozenset("十百千万亿")
_CN_UNITS = (("万亿", Decimal(10) ** 12), ("亿", Decimal(10) ** 8), ("万", Decimal(10) ** 4))
_VAGUE = ("数", "几")
_LINKERS = "为达了"
_CLAUSE_ENDS = re.compile(r"[，。；！？,;!?\n]")
_SENTENCE_ENDS = re.compile(r"[。！？!?；;\n]")
_PARAGRAPH_ENDS = re.compile(r"\n")
_CONVERSIONS = frozenset({"约合"})
_CLAUSE_LOOKBACK = 12  # characters searched for a money word before a bare amount
_SENTENCE_LOOKBACK = 30  # characters searched for a per-share cue before an amount
_PREFIX_SPACE = "[ \t]?"


# --- vocabularies ----------------------------------------------------------------------------



@dataclass(frozen=True)
class Currency:
    surface: str
    code: str
    generic: bool


@dataclass(frozen=True)
class Rules:
    """The money vocabularies, read once from ``pipeline/rules``."""

    prefix: dict[str, Currency]
    suffix: dict[str, Currency]
    zh_magnitudes: dict[str, Decimal]
    en_magnitudes: dict[str, Decimal]
    qualifiers: dict[str, list[str]]
    units: tuple[str, ...]
    context: tuple[str, ...]
    per_share: dict[str, list[str]]


@lru_cache(maxsize=1)
def rules() -> Rules:
    prefix: dict[str, Currency] = {}
    suffix: dict[str, Currency] = {}
    for row in rule_rows("money_currencies.tsv"):
        surface, code, where = row[:3]
        currency = Currency(surface, code, generic=row[3:4] == ["generic"])
        if where in ("prefix", "both"):
            prefix[surface] = currency
        if where in ("suffix", "both"):
            suffix[surface] = currency
    magnitudes: dict[str, dict[str, Decimal]] = {"zh": {}, "en": {}}
    for word, multiplier, script in rule_rows("money_magnitudes.tsv"):
        magnitudes[script][word] = Decimal(multiplier)
    return Rules(
        prefix=prefix,
        suffix=suffix,
        zh_magnitudes=magnitudes["zh"],
        en_magnitudes=magnitudes["en"],
        qualifiers=_grouped("money_qualifiers.tsv"),
        units=tuple(row[0] for row in rule_rows("money_not_money_units.txt")),
        context=tuple(row[0] for row in rule_rows("money_context_words.txt")),
        per_share=_grouped("money_per_share.tsv"),
    )


def _grouped(name: str) -> dict[str, list[str]]:
    """word <TAB> group rows as {group: [words]}."""
    out: dict[str, list[str]] = {}
    for word, group in rule_rows(name):
        out.setdefault(group, []).append(word)
    return out


def _alternation(words: Iterable[str], latin_bounds: bool = False) -> str:
    """A regex alternation, longest first; Latin words optionally as whole words."""
    parts = []
    for word in sorted(words, key=len, reverse=True):
        part = re.escape(word)
        if latin_bounds and word[0].isascii() and word[0].isalpha():
            part = r"(?<![A-Za-z])" + part
        if latin_bounds and word[-1].isascii() and word[-1].isalpha():
            part += r"(?![A-Za-z])"
        parts.append(part)
    return "(?:" + "|".join(parts) + ")"


@dataclass(frozen=True)
class Patterns:
    """Regular expressions built from the vocabularies."""

    money: re.Pattern[str]  # an amount, optionally a range
    single: re.Pattern[str]  # an amount, never a range (fallback when a range does not hold)
    quantity_part: re.Pattern[str]  # Arabic number + Chinese magnitude, inside a quantity
    qualifier_before: re.Pattern[str]
    numberless_before: re.Pattern[str]
    qualifier_after: re.Pattern[str]
    unit_or_currency: re.Pattern[str]
    unit_words: frozenset[str]
    counted_things: re.Pattern[str]
    context: re.Pattern[str]
    context_after: re.Pattern[str]
    per_share_before: re.Pattern[str]
    per_share_after: re.Pattern[str]
    english_magnitude: re.Pattern[str]


@lru_cache(maxsize=1)
def patterns() -> Patterns:
    r = rules()
    zh_mag = _alternation(r.zh_magnitudes)
    en_long = _alternation(w for w in r.en_magnitudes if len(w) > 1)
    en_short = _alternation(w for w in r.en_magnitudes if len(w) == 1)
    en_mag = rf"(?:[ \t]?{en_long}|{en_short})(?![A-Za-z0-9])"
    inside = _alternation(r.qualifiers["inside"])
    arabic = r"(?<![0-9０-９.．·,])[0-9０-９]+(?:,[0-9０-９]{3})*(?:[.．·][0-9０-９]+)?"
    # a written number never starts with 零 / 〇 ("零一万物" is a company, not 10,000)
    chinese = r"(?![零〇])[零〇一二两三四五六七八九十百千万亿几]+(?:点[零〇一二三四五六七八九]+[万亿]*)?"
    quantity = (
        rf"(?:{arabic}{inside}?(?:[ \t]?个?{zh_mag}(?:{arabic}{zh_mag})*)?{inside}?(?:{en_mag})?"
        rf"|(?<![零〇一二两三四五六七八九十百千万亿几数])数?{chinese}{inside}?(?:个?{zh_mag})?{inside}?)"
    )
    prefix = _alternation(r.prefix, latin_bounds=True)
    suffix = _alternation(r.suffix, latin_bounds=True)
    before = _alternation(r.qualifiers["before"])
    separator = r"(?:[-–—~～〜至到]|(?<= )to(?= ))"
    head = rf"(?:(?P<pcur>{prefix}){_PREFIX_SPACE}(?P<pq>{before})?{_PREFIX_SPACE})?(?P<lo>{quantity})"
    tail = rf"(?:[ \t]?(?P<cur>{suffix}))?"
    first_chars = "0-9０-９零〇一二两三四五六七八九十百千万亿几数" + re.escape(
        "".join(sorted({w[0] for w in r.prefix}))
    )
    guard = f"(?=[{first_chars}])"
    ranged = (
        rf"{guard}{head}(?:[ \t]?(?P<lcur>{suffix}))?"
        rf"(?:[ \t]?{separator}[ \t]?(?:{prefix})?[ \t]?(?P<hi>{quantity}))?{tail}"
    )
    unit_words = frozenset(r.units)
    return Patterns(
        money=re.compile(ranged),
        single=re.compile(rf"{head}(?P<lcur>){tail}(?P<hi>)"),
        quantity_part=re.compile(rf"([0-9]+(?:\.[0-9]+)?)({zh_mag})?"),
        qualifier_before=re.compile(rf"({before})[{_LINKERS}]?[ \t]*$"),
        numberless_before=re.compile(rf"({_alternation(r.qualifiers['numberless'])})$"),
        qualifier_after=re.compile(rf"[ \t]?({_alternation(r.qualifiers['after'])})"),
        unit_or_currency=re.compile(_alternation([*unit_words, *r.suffix])),
        unit_words=unit_words,
        counted_things=re.compile(_alternation(w for w in unit_words if len(w) > 1)),
        context=re.compile(_alternation(r.context)),
        context_after=re.compile(rf"[ \t]?的?{_alternation(r.context)}"),
        per_share_before=re.compile(_alternation(r.per_share["before"])),
        per_share_after=re.compile(rf"[ \t]?{_alternation(r.per_share['after'])}"),
        english_magnitude=re.compile(rf"([0-9]+(?:\.[0-9]+)?)[ \t]?({en_long}|{en_short})$"),
    )


# --- quantities ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Quantity:
    """A written number with its magnitude: "1.2亿" → 120000000."""

    value: Decimal
    magnitude: Decimal | None  # the multiplier written last, shared with a range's lower end
    english: bool = False  # used an English magnitude (needs a currency to be money)
    numberless: bool = False  # no digits, only a magnitude ("亿", "百万")
    needs_place: bool = False  # Chinese digits without 十百千万亿 ("三"): money only in a range
    qualifier: str | None = None  # 数 / 几 / 多 / 余 written inside the quantity

    def times(self, magnitude: Decimal, english: bool) -> "Quantity":
        """A range's lower end with the upper end's magnitude ("200" of "200-250亿")."""
        return Quantity(self.value * magnitude, magnitude, english, qualifier=self.qualifier)


def parse_quantity(written: str) -> Quantity:
    """The value of a written quantity; ValueError when it is not a number."""
    text = written.translate(_FULLWIDTH).replace(",", "").replace("个", "").strip()
    qualifier = None
    for word in (*_VAGUE, *rules().qualifiers["inside"]):
        if word in text:
            qualifier = qualifier or word
            text = text.replace(word, "")
    if not text:
        raise ValueError(f"no number in {written!r}")
    if text[0].isdigit():
        quantity = _parse_arabic(text.replace(" ", "").replace("\t", ""))
    else:
        quantity = _parse_chinese(text)
    return replace(quantity, qualifier=qualifier)


def _parse_arabic(text: str) -> Quantity:
    """Arabic numbers with Chinese magnitudes ("1亿2000万") or one English magnitude ("1.5bn")."""
    pats = patterns()
    english = pats.english_magnitude.match(text)
    if english:
        multiplier = rules().en_magnitudes[english.group(2)]
        return Quantity(Decimal(english.group(1)) * multiplier, multiplier, english=True)
    total, pos, magnitude = Decimal(0), 0, None
    for part in pats.quantity_part.finditer(text):
        if part.start() != pos or not part.group(0):
            break
        magnitude = rules().zh_magnitudes[part.group(2)] if part.group(2) else None
        total += Decimal(part.group(1)) * (magnitude or 1)
        pos = part.end()
    if pos != len(text):
        raise ValueError(f"not a number: {text!r}")
    return Quantity(total, magnitude)


def _parse_chinese(text: str) -> Quantity:
    """Chinese numerals by cn2an; what it refuses, split into a mantissa and a magnitude."""
    unit = next(((w, m) for w, m in _CN_UNITS if text.endswith(w)), None)
    magnitude = unit[1] if unit else None
    needs_place = not any(ch in _CN_PLACES for ch in text)
    try:
        return Quantity(_cn2an(text), magnitude, needs_place=needs_place)
    except ValueError:
        pass
    zh = rules().zh_magnitudes
    word = next((w for w in sorted(zh, key=len, reverse=True) if text.endswith(w)), None)
    if word is None:
        raise ValueError(f"not a Chinese number: {text!r}")
    mantissa = text[: -len(word)]
    value = _cn2an(mantissa) if mantissa else Decimal(1)
    return Quantity(value * zh[word], magnitude or zh[word], numberless=not mantissa)


@lru_cache(maxsize=4096)
def _cn2an(text: str) -> Decimal:
    """cn2an in "normal" mode (it takes 两 and 一亿两千万), as an exact Decimal."""
    try:
        return Decimal(str(cn2an.cn2an(text, "normal")))
    except (ValueError, KeyError, InvalidOperation, IndexError) as err:
        raise ValueError(f"not a Chinese number: {text!r}") from err


# --- amounts ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Amount:
    """One amount of money in a text, by character offsets."""

    start: int
    end: int
    amount: Number
    currency: str | None  # None until a bare amount's currency is resolved
    upper: Number | None = None
    qualifier: str | None = None
    per_share: bool = False
    bare: bool = False  # no currency written: the currency comes from the context

    def value(self) -> dict[str, object]:
        out: dict[str, object] = {"amount": self.amount, "currency": self.currency}
        if self.upper is not None:
            out["upper"] = self.upper
        if self.qualifier:
            out["qualifier"] = self.qualifier
        return out


def _number(value: Decimal) -> Number:
    """An int when whole, else a float: what JSON and the scorer compare."""
    return int(value) if value == value.to_integral_value() else float(value)


def extract(text: str) -> list[Amount]:
    """All amounts of money and per-share prices in a text, currencies resolved."""
    return resolve_currencies(text, list(find_amounts(text)))


def parse_amount(text: str) -> dict[str, object] | None:
    """The value of a text that is one amount ("1.01亿美元", "数千万元", "10亿"), as gold data
    writes amounts: a bare number with a magnitude is read as yuan, as in a funding context."""
    found = [a for a in extract(text) if not a.per_share]
    if found:
        return found[0].value()
    try:
        quantity = parse_quantity(text)
    except ValueError:
        return None
    if quantity.magnitude is None:
        return None
    return Amount(0, len(text), _number(quantity.value), "CNY", qualifier=quantity.qualifier).value()


def find_amounts(text: str) -> Iterator[Amount]:
    """Amounts in text order; a bare amount's currency is left None."""
    pats = patterns()
    pos = 0
    while True:
        match = pats.money.search(text, pos)
        if match is None:
            return
        found = _read_match(text, match)
        if found is None and match.group("hi"):
            single = pats.single.match(text, match.start())
            found = _read_match(text, single) if single else None
            match = single or match
        pos = match.end() if found is not None else match.start("lo") + 1
        if found:
            yield from found


def _read_match(text: str, match: re.Match[str]) -> list[Amount] | None:
    """The amounts a regex match stands for, or None when it is not money."""
    quantities = _quantities(match)
    if quantities is None:
        return None
    low, high = quantities
    currency = _currency(match)
    if currency is None and (low.english or low.magnitude is None):
        return None  # no currency and no Chinese magnitude: a plain number
    number_end = match.end("hi") if high is not None else match.end("lo")
    if match.start("pcur") < 0 and _counts_something(text, number_end) or _glued_to_latin(text, match):
        return None
    head = _head(text, match, low)
    if head is None:
        return None
    start, qualifier = head
    start, end = _without_repeated_currency(text, match, start)
    after = patterns().qualifier_after.match(text, end)
    qualifier = qualifier or low.qualifier or (after.group(1) if after else None)
    bare = currency is None
    if bare and not _bare_is_money(text, start, end, low):
        return None
    per_share = not bare and _is_per_share(text, start, end)
    common = dict(currency=currency, qualifier=qualifier, per_share=per_share, bare=bare)
    if high is not None and _is_change(text, start):
        low_end = match.end("lcur") if match.group("lcur") else match.end("lo")
        return [
            Amount(start, low_end, _number(low.value), **common),
            Amount(match.start("hi"), end, _number(high.value), **common),
        ]
    upper = _number(high.value) if high is not None else None
    return [Amount(start, end, _number(low.value), upper=upper, **common)]


def _without_repeated_currency(text: str, match: re.Match[str], start: int) -> tuple[int, int]:
    """The span of an amount whose currency is written twice ("人民币180亿元", "25亿元人民币"),
    reduced to the number and its unit: "180亿元", "25亿元", as annotators write the amount."""
    r, end = rules(), match.end()
    last = "cur" if match.group("cur") else "lcur"
    suffix = match.group(last)
    if match.group("pcur") and suffix and r.prefix[match.group("pcur")].code == r.suffix[suffix].code:
        start = match.start("pq") if match.group("pq") else match.start("lo")
    if suffix and match.end(last) == end:
        for word, currency in r.suffix.items():
            rest = suffix[len(word):]
            if suffix.startswith(word) and rest in r.suffix and r.suffix[rest].code == currency.code:
                return start, end - len(rest)
    return start, end


def _quantities(match: re.Match[str]) -> tuple[Quantity, Quantity | None] | None:
    """The lower and upper quantity; a lower end without a magnitude takes the upper's
    ("200-250亿"). None when the text is no number or the range does not hold."""
    try:
        low = parse_quantity(match.group("lo"))
        high = parse_quantity(match.group("hi")) if match.group("hi") else None
    except ValueError:
        return None
    if high is None:
        return None if low.needs_place else (low, None)
    if low.magnitude is None and high.magnitude is not None:
        low = low.times(high.magnitude, high.english)
    elif high.magnitude is None and low.magnitude is not None:
        return None
    if high.value <= low.value or high.needs_place:
        return None
    return low, high


def _glued_to_latin(text: str, match: re.Match[str]) -> bool:
    """"GPT4亿" and the like: a number stuck to a Latin word is not an amount."""
    start = match.start()
    return match.start("pcur") < 0 and start > 0 and text[start - 1].isascii() and text[start - 1].isalpha()


def _head(text: str, match: re.Match[str], low: Quantity) -> tuple[int, str | None] | None:
    """Where the amount starts and the qualifier written before it.

    A lone magnitude ("亿元") needs a word standing for its number, which then belongs to the
    span: a qualifier before it ("近亿元", "上亿元", "破亿"). 数 / 几 ("数亿") and compound
    magnitudes ("百万美元", "超过百亿元") carry their number themselves."""
    start = match.start()
    if match.group("pq"):
        return start, match.group("pq")
    pats = patterns()
    before = pats.qualifier_before.search(text, max(0, start - 6), start)
    if not low.numberless or low.qualifier or len(match.group("lo")) > 1:
        return start, before.group(1) if before else None
    word = before or pats.numberless_before.search(text, max(0, start - 2), start)
    if word is None or word.end(1) != start:
        return None
    return word.start(1), word.group(1)


def _counts_something(text: str, pos: int) -> bool:
    """The number is followed by a counted unit ("用户", "股"), not by a currency word.

    Not asked when a currency comes before the number: there a following 支 / 人 / 天 starts
    the next word ("S$7000万支持"), and a bare amount rather loses such a case than takes a count."""
    pats = patterns()
    word = pats.unit_or_currency.match(text, pos)
    return word is not None and word.group(0) in pats.unit_words


def _currency(match: re.Match[str]) -> str | None:
    """The ISO code of the currencies written on the amount; a specific one wins over 元."""
    r = rules()
    written = [r.prefix[match.group("pcur")]] if match.group("pcur") else []
    written += [r.suffix[match.group(g)] for g in ("lcur", "cur") if match.group(g)]
    if not written:
        return None
    specific = [c for c in written if not c.generic]
    return (specific or written)[-1].code


def _text_before(text: str, start: int, ends: re.Pattern[str], limit: int) -> str:
    """The text before `start`, at most `limit` characters, cut at the last `ends` mark."""
    window = text[max(0, start - limit):start]
    cuts = [m.end() for m in ends.finditer(window)]
    return window[cuts[-1]:] if cuts else window


def _bare_is_money(text: str, start: int, end: int, quantity: Quantity) -> bool:
    """A bare amount ("2亿") is money when large, written with a Chinese magnitude, next to a
    money word in its clause, and no counted thing is named between that word and it."""
    if quantity.value < 10000:
        return False
    pats = patterns()
    if pats.context_after.match(text, end):
        return True
    clause = _text_before(text, start, _CLAUSE_ENDS, _CLAUSE_LOOKBACK)
    last = _last_end(pats.context, clause)
    return last is not None and pats.counted_things.search(clause, last) is None


def _last_end(pattern: re.Pattern[str], window: str) -> int | None:
    """Where the last match of a cue pattern in the window ends."""
    last = None
    for found in pattern.finditer(window):
        last = found.end()
    return last


def _is_per_share(text: str, start: int, end: int) -> bool:
    """A per-share cue right after the amount or right before it; or one further back in its
    sentence with no money word after the cue (a money word glued to the cue, "每股作价",
    belongs to it) nor right after the amount ("股价大涨，获得10亿美元投资")."""
    pats = patterns()
    if pats.per_share_after.match(text, end):
        return True
    sentence = _text_before(text, start, _SENTENCE_ENDS, _SENTENCE_LOOKBACK)
    last = _last_end(pats.per_share_before, sentence)
    if last is None:
        return False
    if len(sentence) - last <= 2:
        return True  # the cue is right before the amount: "每股8美元", "发行价为8.5港元"
    if pats.context_after.match(text, end):
        return False
    return not any(m.start() > last + 1 for m in pats.context.finditer(sentence, last))


def _is_change(text: str, start: int) -> bool:
    """"从8亿到10亿美元": two amounts of a change, not a range."""
    clause = _text_before(text, start, _CLAUSE_ENDS, _CLAUSE_LOOKBACK).rstrip(" \t")
    for word in rules().qualifiers["before"]:
        if clause.endswith(word):
            clause = clause[: -len(word)]
            break
    return clause.endswith(("从", "由"))


def resolve_currencies(text: str, amounts: list[Amount]) -> list[Amount]:
    """Give bare amounts a currency: the one written on all explicit amounts of their sentence,
    else of their paragraph, else the one on more than half of the document's explicit amounts,
    else CNY.  Conversions (约合 ...) do not vote: they restate an amount in another currency."""
    if not any(a.bare for a in amounts):
        return amounts
    voters = [a for a in amounts if not a.bare and not a.per_share and a.qualifier not in _CONVERSIONS]
    sentences = _Votes(text, _SENTENCE_ENDS, voters)
    paragraphs = _Votes(text, _PARAGRAPH_ENDS, voters)
    document = DEFAULT_CURRENCY
    if voters:
        code, count = Counter(a.currency for a in voters).most_common(1)[0]
        if code and count * 2 > len(voters):
            document = code
    return [
        replace(a, currency=sentences.unanimous(a.start) or paragraphs.unanimous(a.start) or document)
        if a.bare else a
        for a in amounts
    ]


class _Votes:
    """The currencies of explicit amounts per text unit (sentence, paragraph)."""

    def __init__(self, text: str, ends: re.Pattern[str], voters: list[Amount]) -> None:
        self.starts = [0] + [m.end() for m in ends.finditer(text)]
        self.codes: dict[int, set[str | None]] = {}
        for a in voters:
            self.codes.setdefault(bisect_right(self.starts, a.start), set()).add(a.currency)

    def unanimous(self, pos: int) -> str | None:
        codes = self.codes.get(bisect_right(self.starts, pos), set())
        return next(iter(codes)) if len(codes) == 1 else None


# --- the pipeline component ------------------------------------------------------------------


@Language.component("zhie_money")
def find_money(doc: Doc) -> Doc:
    """MONEY entities on doc.ents, per-share prices in doc.spans["per_share_prices"]."""
    amounts = extract(doc.text)
    by_offsets = {(a.start, a.end): a for a in amounts}
    wanted = [(a.start, a.end, "PER_SHARE" if a.per_share else "MONEY") for a in amounts]
    money, per_share = [], []
    for span in char_spans(doc, wanted):
        span._.value = by_offsets[(span.start_char, span.end_char)].value()
        (per_share if span.label_ == "PER_SHARE" else money).append(span)
    set_entities(doc, money, replace=True)
    doc.spans[PER_SHARE_KEY] = per_share
    return doc
