"""Relations: triples between canonical names, from trigger words and patterns over entities.

Each sentence is rewritten as a *symbolic sentence*: every entity, anaphor, title and amount
becomes one placeholder character of its type, the words in between stay.  Patterns are
regular expressions over that string, written in ``rules/relations_patterns.tsv`` with macros
for slots (``{S:PER}``, ``{O:ORG}``, ``{M}``, ``{TITLE}``), trigger classes (``{T:resign}``,
listed in ``rules/relations_triggers.tsv``) and gaps (``~`` inside a clause, ``…`` inside a
sentence).  A slot matches one entity or a coordinated list ("A、B和C"), so a list shares its
predicate.  Cues before a trigger (``rules/relations_cues.tsv``) drop denied, rumoured or failed
facts and mark announced acquisitions as planned.  When a sentence names a person's title but no
organisation, patterns may take the organisation the document is about (its focus), or, in a
document about several, the one its paragraph is about (``paragraph_topics``).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from bisect import bisect_left, bisect_right
from functools import lru_cache
from typing import Any, Iterator

from spacy.language import Language
from spacy.tokens import Doc, Span

from .canonical import cited_as_source, family, normalize, outlet_credit
from .mentions import not_a_name
from .records import Evidence, Triple
from .rulefiles import rule_rows
from .titles import title_kinds


# One private-use character per item type in the symbolic sentence.
PH = {"PERSON": "\ue001", "COMPANY": "\ue002", "ORG": "\ue003", "MONEY": "\ue004", "TITLE": "\ue005"}
_ANY_ITEM = "\ue001-\ue005"
_NAMED_ITEM = "\ue001-\ue003"
_SLOT_TYPES = {
    "PER": PH["PERSON"],
    "ORG": PH["COMPANY"] + PH["ORG"],
    "COM": PH["COMPANY"],
    "ENT": PH["PERSON"] + PH["COMPANY"] + PH["ORG"],
    "PC": PH["PERSON"] + PH["COMPANY"],
}
_LIST_SEP = r"(?:、|，|,|和|与|及|以及|、以及|，以及|还有|，还有|&|＆|/)"
_HONORIFIC = r"(?:先生|女士)?"  # after each name of a list: "聘任A先生、B女士为副总裁"
_CLAUSE_END = "，。；！？!?;\n"
MACROS = {  # longest first: "……" before "…"
    "……": rf"[^{_CLAUSE_END[1:]}]{{0,60}}?",                  # up to the sentence end, items allowed
    "…": rf"[^{_NAMED_ITEM}{_CLAUSE_END[1:]}]{{0,40}}?",       # up to the sentence end, no names
    "~": rf"[^{_ANY_ITEM}{_CLAUSE_END}]{{0,14}}?",             # a few words in one clause, no items
}

# Contract types of each relation's subject and object.
SIGNATURES = {
    "resigned_from": ({"PERSON"}, {"COMPANY", "ORG"}),
    "dismissed_from": ({"PERSON"}, {"COMPANY", "ORG"}),
    "joined": ({"PERSON"}, {"COMPANY", "ORG"}),
    "holds_position": ({"PERSON"}, {"COMPANY", "ORG"}),
    "founded": ({"PERSON", "COMPANY"}, {"COMPANY", "ORG"}),
    "invested_in": ({"PERSON", "COMPANY", "ORG"}, {"COMPANY"}),
    "acquired": ({"COMPANY", "PERSON"}, {"COMPANY", "ORG"}),
    "sued": ({"PERSON", "COMPANY", "ORG"}, {"PERSON", "COMPANY", "ORG"}),
    "raised": ({"COMPANY"}, {"MONEY"}),
    "valued_at": ({"COMPANY"}, {"MONEY"}),
    "revenue": ({"COMPANY"}, {"MONEY"}),
    "net_loss": ({"COMPANY"}, {"MONEY"}),
    "spends": ({"COMPANY"}, {"MONEY"}),
}



# --- rules -----------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def triggers() -> dict[str, list[str]]:
    """Trigger class → words, longest first so that alternations prefer "辞去" over "辞"."""
    out: dict[str, list[str]] = {}
    for cls, word in rule_rows("relations_triggers.tsv"):
        out.setdefault(cls, []).append(word)
    return {cls: sorted(words, key=len, reverse=True) for cls, words in out.items()}


@dataclass(frozen=True)
class Pattern:
    relation: str
    regex: re.Pattern[str]
    confidence: float
    options: frozenset[str]  # focus_object, two_sentences, ...
    source: str
    slots: dict[str, str] = field(default_factory=dict)  # S / O → placeholders it may hold


def _expand(pattern: str) -> str:
    """The regular expression a pattern line stands for (slots, triggers and gaps expanded)."""
    def slot(match: re.Match[str]) -> str:
        name, _, arg = match.group(1).partition(":")
        if name in ("S", "O"):
            loose = arg.endswith("*")
            item = f"[{_SLOT_TYPES[arg.rstrip('*+')]}]"
            if loose:
                return rf"(?P<{name}>{item}(?:[^{_CLAUSE_END[1:]}]{{0,24}}?{item})*)"
            # a list member may carry its own title: "首席运营官A和首席技术官B"; with "+" also
            # an anaphor, a status word or a few words before it: "起诉OpenAI、其首席执行官A和
            # 前总裁B", "A与妹妹B", "A，以及视觉技术负责人B"
            member = rf"{PH['TITLE']}?{item}" if name == "S" else item
            if arg.endswith("+"):
                words = rf"[^{_ANY_ITEM}{_CLAUSE_END}、]{{0,6}}?"
                member = rf"(?:[{PH['COMPANY']}{PH['ORG']}]?[前原]?{words}(?:{PH['TITLE']}\s?)?)?{item}"
            return rf"(?P<{name}>{item}{_HONORIFIC}(?:{_LIST_SEP}{member}{_HONORIFIC})*)"
        if name == "M":
            return f"(?P<O>{PH['MONEY']})"
        if name == "PRICE":
            return f"(?P<PRICE>{PH['MONEY']})"
        if name == "TITLE":
            return rf"(?P<TITLE>{PH['TITLE']}(?:(?:兼|、|和|及|/)?{PH['TITLE']})*)"
        if name == "T":
            words = "|".join(re.escape(w) for w in triggers()[arg])
            return f"(?P<T>{words})"
        raise ValueError(f"unknown slot {{{match.group(1)}}} in relation pattern")

    out = re.sub(r"\{([A-Z]+(?::[^}]*)?)\}", slot, pattern)
    for macro, regex in MACROS.items():
        out = out.replace(macro, regex)
    return out


@lru_cache(maxsize=1)
def patterns() -> tuple[Pattern, ...]:
    out = []
    for row in rule_rows("relations_patterns.tsv"):
        relation, source, confidence = row[0], row[1], float(row[2])
        options = frozenset(row[3].split(",")) if len(row) > 3 and row[3] else frozenset()
        if relation not in SIGNATURES:
            raise ValueError(f"relations_patterns.tsv: unknown relation {relation}")
        out.append(Pattern(relation, re.compile(_expand(source)), confidence, options, source,
                           _slot_placeholders(source)))
    return tuple(out)


def _slot_placeholders(source: str) -> dict[str, str]:
    """The placeholders each slot stands for, so that a loose slot ("{S:PER*}") spanning other
    names yields only the items of its own type."""
    return {m.group(1): _SLOT_TYPES[m.group(2)] for m in re.finditer(r"\{([SO]):([A-Z]+)[*+]?\}", source)}


@dataclass(frozen=True)
class Cue:
    regex: re.Pattern[str]
    effect: str              # drop | planned
    relations: frozenset[str]
    scope: str = "clause"    # clause | sentence (before the trigger) | after (the match) | match


@lru_cache(maxsize=1)
def cues() -> list[Cue]:
    out = []
    for row in rule_rows("relations_cues.tsv"):
        cue, effect, relations = row[:3]
        applies = frozenset(SIGNATURES) if relations == "*" else frozenset(relations.split(","))
        out.append(Cue(re.compile(cue), effect, applies, row[3] if len(row) > 3 else "clause"))
    return out


@lru_cache(maxsize=1)
def trigger_prefilter() -> re.Pattern[str]:
    """Any trigger word or title: sentences without one cannot hold a relation."""
    words = {w for ws in triggers().values() for w in ws}
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


# --- symbolic sentences ----------------------------------------------------------------------

@dataclass
class Item:
    """An entity, anaphor, amount or title in a sentence."""

    label: str
    name: str  # canonical name (the amount's text for MONEY, the title for TITLE)
    span: Span
    value: dict[str, Any] | None = None
    anaphor: bool = False  # "该公司", "这家公司": resolved by the canonical stage


@dataclass
class Symbolic:
    text: str
    items: dict[int, Item]  # position in `text` → item
    offsets: list[int]      # position in `text` → character offset in the Doc

    def items_in(self, start: int, end: int, types: str) -> list[Item]:
        return [self.items[i] for i in range(start, end) if i in self.items and self.text[i] in types]


def symbolic(text: str, start: int, end: int, items: list[Item]) -> Symbolic:
    """text[start:end] with each item replaced by its placeholder; a name's parenthesised
    alias ("萨姆·奥尔特曼（Sam Altman）") is left out, so patterns see one name."""
    chars: list[str] = []
    offsets: list[int] = []
    placed: dict[int, Item] = {}
    pos = start
    for item in items:
        if item.span.start_char < pos:
            continue  # overlapping item (or one inside a skipped alias): the earlier one wins
        for ch_pos in range(pos, item.span.start_char):
            chars.append(text[ch_pos])
            offsets.append(ch_pos)
        placed[len(chars)] = item
        chars.append(PH[item.label])
        offsets.append(item.span.start_char)
        pos = _after_alias(text, item, items, end)
    for ch_pos in range(pos, end):
        chars.append(text[ch_pos])
        offsets.append(ch_pos)
    return Symbolic("".join(chars), placed, offsets)


_ALIAS = re.compile(r"\s?[（(][^（()）。，；\n]{1,40}[）)]")


def _after_alias(text: str, item: Item, items: list[Item], end: int) -> int:
    """Where the text goes on after a named item: past a parenthesis right after it that holds
    nothing but another form of the same name (or unrecognised words: "蔚来（NIO）"); after a
    title, past one that holds only a title ("首席执行官（CEO）")."""
    stop = item.span.end_char
    if item.label == "MONEY":
        return stop
    match = _ALIAS.match(text, stop, end)
    if match is None:
        return stop
    inside = [it for it in items if stop <= it.span.start_char < match.end()]
    if item.label == "TITLE":  # "首席执行官（CEO）"
        return match.end() if inside and all(it.label == "TITLE" for it in inside) else stop
    if all(it.name == item.name for it in inside):
        return match.end()
    return stop


def doc_items(doc: Doc) -> list[Item]:
    items = []
    text = doc.text
    for ent in doc.ents:
        if ent.label_ == "PERSON" and cited_as_source(text, ent.start_char):
            continue  # a cited source or the reporter ("据张三介绍", "（记者 费倩文）"): no party
        if ent.label_ in ("COMPANY", "ORG") and outlet_credit(text, ent.end_char):
            continue  # a news outlet's credit line ("新浪财经讯"): no party, no focus
        if ent.label_ in ("PERSON", "COMPANY", "ORG"):
            items.append(Item(ent.label_, ent._.canonical or ent.text, ent))
        elif ent.label_ == "MONEY":
            items.append(Item("MONEY", ent.text, ent, ent._.value))
    for span in doc.spans.get("mentions", []):
        items.append(Item(span.label_, span._.canonical, span, anaphor=True))
    for span in doc.spans.get("titles", []):
        items.append(Item("TITLE", span.text, span, span._.value))
    items.sort(key=lambda it: (it.span.start_char, -len(it.span)))
    return items


# --- finding triples -------------------------------------------------------------------------

@dataclass
class Found:
    """A triple before merging: the pieces a pattern matched."""

    relation: str
    subject: Item
    object: Item
    confidence: float
    sentence: tuple[int, int]
    anchor: int  # character offset of the trigger (or the match), to rank competing readings
    qualifiers: dict[str, Any] = field(default_factory=dict)


@dataclass
class Context:
    """What a pattern may fall back on when the sentence leaves an argument implicit."""

    focus: Item | None
    raiser: Item | None = None
    named_raiser: Item | None = None  # the last raiser the document names (not an anaphor)
    investors: set[str] = field(default_factory=set)  # who invested in something so far
    titled: frozenset[str] = frozenset()  # people the document names with a job title


def focus_item(items: list[Item]) -> Item | None:
    """The organisation the document is about, when one clearly dominates its mentions."""
    groups: dict[str, list[Item]] = {}
    for item in items:
        if item.label in ("COMPANY", "ORG"):
            groups.setdefault(item.name, []).append(item)
    ranked = sorted(groups.values(), key=len, reverse=True)
    if not ranked:
        return None
    runner_up = len(ranked[1]) if len(ranked) > 1 else 0
    if len(ranked[0]) < 2 or len(ranked[0]) < 1.5 * runner_up:
        return None
    return ranked[0][0]


def paragraph_topics(text: str, items: list[Item]) -> list[tuple[int, Item | None]]:
    """(from where, the topic) for a document about no single organisation: news names the firm
    a paragraph is about first ("苏茨克维的离开只是OpenAI今年人才流失的一个缩影。…"), and a
    paragraph goes on about the previous one's until it names one.  A topic is a firm the document
    names more than once."""
    orgs = [it for it in items if it.label in ("COMPANY", "ORG") and not it.anaphor]
    counts = Counter(it.name for it in orgs)
    topics: list[tuple[int, Item | None]] = [(0, None)]
    paragraph_end = -1
    for it in orgs:
        if it.span.start_char < paragraph_end or counts[it.name] < 2:
            continue
        paragraph_end = _paragraph_end(text, it.span.start_char)
        if it.name != (topics[-1][1].name if topics[-1][1] else None):
            topics.append((it.span.start_char, it))
    return topics


def _paragraph_end(text: str, at: int) -> int:
    end = text.find("\n", at)
    return len(text) if end < 0 else end


_NAMED_LABELS = {"PERSON", "COMPANY", "ORG"}


def titled_people(items: list[Item]) -> frozenset[str]:
    """Names of people written right after a job title somewhere in the document."""
    return frozenset(b.name for a, b in zip(items, items[1:])
                     if a.label == "TITLE" and b.label == "PERSON" and b.span.start_char - a.span.end_char <= 1)
_RAISER = re.compile(rf"([{_NAMED_ITEM}])[^{_ANY_ITEM}{_CLAUSE_END[1:]}]{{0,30}}?"
                     rf"(?:(?:完成|获(?![悉知])得?|宣布完成|宣布获得|拿到|斩获)[^。；\n]{{0,40}}?(?:融资|投资)|累计融资)")


def raiser(sym: Symbolic) -> Item | None:
    """The company a sentence says raised money: "X完成5亿元B轮融资"."""
    match = _RAISER.search(sym.text)
    return sym.items[match.start(1)] if match else None


def _named(item: Item | None, context: Context) -> Item | None:
    """"该公司完成…融资" after a list of investors is the company that raised money last, not the
    investor named last (which the anaphor resolved to); a generic "公司" alone names nobody."""
    if item is None:
        return None
    if item.name in not_a_name()[0]:
        return context.named_raiser
    if item.anaphor and item.name in context.investors and context.named_raiser is not None:
        return context.named_raiser
    return item


def find_relations(doc: Doc) -> list[Found]:
    items = doc_items(doc)
    focus = focus_item(items)
    context = Context(focus, titled=titled_people(items))
    sentences = [(s.start_char, s.end_char) for s in doc.sents]
    boundaries = {tok.idx + len(tok) for tok in doc}
    found: list[Found] = []
    prefilter = trigger_prefilter()
    title_starts = sorted(it.span.start_char for it in items if it.label == "TITLE")
    previous_raiser = None
    text = doc.text  # a property that joins the tokens: read it once
    item_starts = [it.span.start_char for it in items]
    topics = [] if focus is not None else paragraph_topics(text, items)
    topic_starts = [at for at, _ in topics]
    for k, (start, end) in enumerate(sentences):
        if topics:
            context.focus = topics[bisect_right(topic_starts, start) - 1][1]
        sym = symbolic(text, start, end, _within(items, item_starts, start, end))
        current_raiser = _named(raiser(sym), context)
        if current_raiser is not None and not current_raiser.anaphor:
            context.named_raiser = current_raiser
        context.raiser = current_raiser or previous_raiser
        previous_raiser = current_raiser
        if not (prefilter.search(text, start, end) or _any_between(title_starts, start, end)):
            continue
        found.extend(_match(sym, (start, end), context, boundaries, single=True))
        if k + 1 < len(sentences):
            pair_end = sentences[k + 1][1]
            pair = symbolic(text, start, pair_end, _within(items, item_starts, start, pair_end))
            found.extend(_match(pair, (start, pair_end), context, boundaries, single=False))
    return _one_reading_per_amount(found)


def _within(items: list[Item], starts: list[int], start: int, end: int) -> list[Item]:
    """Items inside [start, end); `items` sorted by start, `starts` their start offsets."""
    lo, hi = bisect_left(starts, start), bisect_left(starts, end)
    return [it for it in items[lo:hi] if it.span.end_char <= end]


def _any_between(sorted_starts: list[int], start: int, end: int) -> bool:
    i = bisect_left(sorted_starts, start)
    return i < len(sorted_starts) and sorted_starts[i] < end


def _match(sym: Symbolic, window: tuple[int, int], context: Context, boundaries: set[int],
           single: bool) -> Iterator[Found]:
    focus_name = context.focus.name if context.focus else None
    other_org = any(it.label in ("COMPANY", "ORG") and it.name != focus_name for it in sym.items.values())
    for pattern in patterns():
        if ("two_sentences" in pattern.options) == single:
            continue
        for m in _word_matches(pattern.regex, sym, boundaries):
            effect = _cue_effect(sym.text, m, pattern.relation)
            if effect != "drop":
                for f in _triples_from_match(sym, m, pattern, window, context, effect, other_org):
                    if f.relation == "invested_in":  # (investor patterns come first in the file)
                        context.investors.add(f.subject.name)
                    yield f


_MASK = "\u2060"  # a word joiner: in no trigger, no item, no clause end


def _word_matches(regex: re.Pattern[str], sym: Symbolic, boundaries: set[int]) -> Iterator[re.Match[str]]:
    """Matches whose trigger is a word.  A trigger read across two words ("提请辞任" as 请辞) hides
    the real one that overlaps it, so its first character is masked and the sentence read again
    (same length: offsets hold)."""
    text, seen = sym.text, set()
    while True:
        glued = None
        for m in regex.finditer(text):
            if not _trigger_is_a_word(sym, m, boundaries):
                glued = m.start("T") if glued is None else glued
            elif m.span() not in seen:
                seen.add(m.span())
                yield m
        if glued is None:
            return
        text = text[:glued] + _MASK + text[glued + 1:]


def _trigger_is_a_word(sym: Symbolic, m: re.Match[str], boundaries: set[int]) -> bool:
    """"投资" inside "投资人" or "投资方" is a noun, not the verb: a trigger must end where a word
    ends (jieba may glue a particle before it, as in "要花费")."""
    if not _group(m, "T"):
        return True
    return sym.offsets[m.end("T") - 1] + 1 in boundaries


def _group(m: re.Match[str], name: str) -> bool:
    return name in m.re.groupindex and m.group(name) is not None


def _cue_effect(text: str, m: re.Match[str], relation: str) -> str | None:
    """Effect of a cue in the clause before the trigger (or before the match's end), in the
    sentence before it ("有传闻称，A将离开B"), after the match ("……，B否认了这一说法"), or in
    the match before the trigger ("A表示，员工离职…": what A said, not what A did)."""
    anchor = m.start("T") if _group(m, "T") else m.end()
    clause_start = _clause_start(text, m.start())
    sentence_start = max(text.rfind(ch, 0, m.start()) for ch in "。！？!?\n") + 1
    sentence_end = min((i for i in (text.find(ch, m.end()) for ch in "。！？!?\n") if i >= 0), default=len(text))
    where = {"clause": text[clause_start:anchor], "sentence": text[sentence_start:anchor],
             "after": text[m.end():sentence_end], "match": text[m.start():anchor],
             "clause_after": _clause_after(text, anchor)}
    effect = None
    for cue in cues():
        if relation in cue.relations and cue.regex.search(where[cue.scope]):
            if cue.effect == "drop":
                return "drop"
            effect = cue.effect
    return effect


def _clause_after(text: str, start: int) -> str:
    """The rest of the clause after a match: "以X的估值寻求融资" is a plan, not a valuation."""
    ends = [i for i in (text.find(ch, start) for ch in _CLAUSE_END) if i >= 0]
    return text[start:min(ends, default=len(text))]


_SELLER_BEFORE = re.compile(r"(?:向|从(?!事)|(?<![来各])自)[^，。；！？!?;\n]*$")


def _clause_start(text: str, pos: int) -> int:
    return max(text.rfind(ch, 0, pos) for ch in _CLAUSE_END) + 1


def _seller_before(text: str, pos: int) -> bool:
    """Whether 向 / 从 / 自 opens a phrase that runs on to `pos` within its clause."""
    return _SELLER_BEFORE.search(text, _clause_start(text, pos), pos) is not None


def _triples_from_match(sym: Symbolic, m: re.Match[str], pattern: Pattern, window: tuple[int, int],
                        context: Context, effect: str | None, other_org: bool) -> Iterator[Found]:
    subj_types, obj_types = SIGNATURES[pattern.relation]
    subjects = _slot_items(sym, m, "S", subj_types, pattern.slots.get("S"))
    if "loose_subject" in pattern.options:
        subjects = [it for it in _slot_items(sym, m, "S", _NAMED_LABELS) if _firm_subject(sym, m, it, context)]
        if pattern.relation in ("raised", "valued_at"):
            subjects = [_named(it, context) or it for it in subjects]
        subjects = [firm for firm in (_stand_in(sym, it, context) for it in subjects) if firm is not None]
    elif "raiser_subject" in pattern.options:
        subjects = [context.raiser] if context.raiser is not None and _nobody_before(sym, m) else []
    elif "buyer_subject" in pattern.options and _seller_before(sym.text, m.start("S")):
        return  # "A拟向B间接拥有的C收购D": C sells, A buys
    if _group(m, "O"):
        objects = _slot_items(sym, m, "O", obj_types, pattern.slots.get("O"))
    elif "raiser_object" in pattern.options:
        objects = [context.raiser] if context.raiser is not None else []
    elif "focus_object" in pattern.options and context.focus is not None and not other_org:
        objects = [context.focus]
        if "titled_subject" in pattern.options:
            subjects = [it for it in subjects if it.name in context.titled]
    else:
        objects = []
    shared_titles = _slot_items(sym, m, "TITLE", {"TITLE"})
    founders = _founder_titles(shared_titles)
    if "founder_title" in pattern.options and not founders:
        return
    # a title before the subjects ("首席运营官A和B") is the first one's, unless it founds
    # ("联合创始人A和B": founders are named together); after them, everyone's
    leading = _group(m, "S") and _group(m, "TITLE") and m.start("TITLE") < m.start("S") and not founders
    anchor = sym.offsets[m.start("T")] if _group(m, "T") else sym.offsets[m.start()]
    for n, subject in enumerate(subjects):
        titles = _own_titles(sym, m, subject) + (shared_titles if not leading or n == 0 else [])
        qualifiers = _qualifiers(pattern.relation, titles, sym, m, effect)
        if "former" in pattern.options and pattern.relation == "holds_position":
            qualifiers.setdefault("status", "former")
        for obj in objects:
            if pattern.relation == "sued" and (is_venue(subject) or is_venue(obj)):
                continue
            if normalize(subject.name) != normalize(obj.name):
                yield Found(pattern.relation, subject, obj, pattern.confidence, window, anchor, qualifiers)


_SPEAKER = re.compile(rf"[^，。；：{_ANY_ITEM}]{{0,6}}?(?:表示|透露|(?<!简)称|说|援引|报道|指出|认为|披露|介绍|预计|算了)")
_GIVER_BEFORE = re.compile(r"(?:接受|获得|得到|来自|获)了?$|(?:投资方|投资人|投资者|股东)(?:还)?(?:包括|有|为|是)[^，。；]*$")
_INVESTOR = re.compile(rf"[^，。；：{_ANY_ITEM}]{{0,6}}?(?:领投|跟投|参投|投资了|注资|入股)")


def _firm_subject(sym: Symbolic, m: re.Match[str], item: Item, context: Context) -> bool:
    """Whether an item may be the company a money fact is about.  The recogniser sometimes calls
    a firm PERSON or ORG, so any label is heard; but a speaker or a cited source ("张三透露，",
    "据路透社") is never the subject, nor an investor ("英伟达跟投，估值达到…"), nor a PERSON
    the document gives a job title or who owns something ("X的新公司")."""
    pos = next(p for p, it in sym.items.items() if it is item)
    if _GIVER_BEFORE.search(sym.text, 0, pos):
        return False  # "获得X的投资": X gave the money
    if sym.text[pos - 1:pos] == "据" or _SPEAKER.match(sym.text, pos + 1) or _INVESTOR.match(sym.text, m.end("S")):
        return False  # (a list of investors shares its verb: look after the whole list)
    if item.label != "PERSON":
        return True
    return item.name not in context.titled and not re.search(r"[·•‧]", item.name) \
        and sym.text[pos + 1:pos + 2] != "的"


def _stand_in(sym: Symbolic, item: Item, context: Context) -> Item | None:
    """The company a generic "公司" (which the recogniser took for a name) stands for: the last
    company named before it in the sentence, else the company the document is about."""
    if item.name not in not_a_name()[0]:
        return item
    pos = next((p for p, it in sym.items.items() if it is item), len(sym.text))
    named = [it for p, it in sorted(sym.items.items())
             if p < pos and it.label == "COMPANY" and not it.anaphor and it.name not in not_a_name()[0]]
    return named[-1] if named else context.focus


def _nobody_before(sym: Symbolic, m: re.Match[str]) -> bool:
    """No entity in the match's clause before it: "，投后估值达到X" is about the round's raiser,
    "，Y的估值为X" is about Y."""
    clause_start = _clause_start(sym.text, m.start())
    return not re.search(f"[{_NAMED_ITEM}]", sym.text[clause_start:m.start()])


@lru_cache(maxsize=1)
def _venue_endings() -> tuple[str, ...]:
    return tuple(row[0] for row in rule_rows("relations_venues.txt"))


def is_venue(item: Item) -> bool:
    """A court is where a suit is filed ("向旧金山高等法院提起诉讼"), never a party to it."""
    return item.name.endswith(_venue_endings())


def _slot_items(sym: Symbolic, m: re.Match[str], group: str, types: set[str],
                placeholders: str | None = None) -> list[Item]:
    if not _group(m, group):
        return []
    found = sym.items_in(m.start(group), m.end(group), placeholders or "".join(PH.values()))
    return [it for it in found if it.label in types or (family(it.label) == "ORG" and types & {"COMPANY", "ORG"})]


def _own_titles(sym: Symbolic, m: re.Match[str], subject: Item) -> list[Item]:
    """The title written right before a list member: "首席运营官Shan Shan Wong"."""
    if not _group(m, "S"):
        return []
    for pos in range(m.start("S") + 1, m.end("S")):
        if sym.items.get(pos) is subject:
            before = sym.items.get(pos - 1)
            return [before] if before is not None and before.label == "TITLE" else []
    return []


def _qualifiers(relation: str, titles: list[Item], sym: Symbolic, m: re.Match[str],
                effect: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    trigger = m.group("T") if _group(m, "T") else ""
    if relation == "holds_position" and titles:
        out["title"] = [t.name for t in titles]
        statuses = [t.value["status"] for t in titles if t.value and t.value.get("status")]
        if statuses:
            out["status"] = statuses[-1]
        elif re.search(r"将|候任|即将", sym.text[m.start():m.end()]):
            out["status"] = "incoming"
        elif _FORMER.search(sym.text[m.start():m.end()]):
            out["status"] = "former"
    if relation == "invested_in" and trigger in triggers().get("invest_lead", []):
        out["lead"] = True
    if relation == "acquired":
        if effect == "planned":
            out["status"] = "planned"
        if _group(m, "PRICE"):
            price = sym.items[m.start("PRICE")]
            out["price"] = {"text": price.name, **(price.value or {})}
    if relation in ("raised", "invested_in"):
        round_ = _ROUND.search(sym.text, max(0, m.start() - 20), min(len(sym.text), m.end() + 20))
        if round_:
            out["round"] = round_.group()
    if relation == "raised":
        date = _DATE.search(sym.text, max(0, m.start() - 30), m.end())
        if date:
            out["date"] = date.group()
    return out


_FORMER = re.compile(r"曾经?|此前|早年|先前|时任")
_ROUND = re.compile(r"(?:种子|天使\+?|Pre-?[A-Z]\+*|[A-H]\+*|战略|首|新一|IPO前|Pre-IPO)轮")
_DATE = re.compile(r"(?:\d{4}年)?(?:\d{1,2}月)?(?:\d{1,2}日)|\d{4}年|今年|去年|近日|日前")


def _one_reading_per_amount(found: list[Found]) -> list[Found]:
    """An amount is what the nearest trigger says it is: "融资5亿元，估值50亿元" gives the
    5亿 to raised and the 50亿 to valued_at, not both to both."""
    best: dict[int, Found] = {}
    kept = []
    for f in found:
        if f.object.label != "MONEY":
            kept.append(f)
            continue
        key = f.object.span.start_char
        distance = abs(key - f.anchor)
        if key not in best or distance < abs(key - best[key].anchor):
            best[key] = f
    money_relations = {(k, f.relation) for k, f in best.items()}
    kept.extend(f for f in found if f.object.label == "MONEY" and (f.object.span.start_char, f.relation) in money_relations)
    return kept


# --- merging into one triple per (subject, relation, object) ---------------------------------

def with_founders(found: list[Found]) -> list[Found]:
    """A person called 创始人 / 联合创始人 of a company also founded it (EXTRACTION.md)."""
    extra = []
    for f in found:
        if f.relation != "holds_position":
            continue
        kinds = {k for k in _title_kinds(f) if k in ("founder", "cofounder")}
        if kinds:
            qualifiers = {"cofounder": True} if "cofounder" in kinds else {}
            extra.append(Found("founded", f.subject, f.object, f.confidence, f.sentence, f.anchor, qualifiers))
    return found + extra


def with_former_positions(found: list[Found]) -> list[Found]:
    """Who resigned from or was dismissed by an organisation held a position there: a former
    holds_position, unless the text gives one for the pair."""
    held = {(f.subject.name, f.object.name) for f in found if f.relation == "holds_position"}
    extra = []
    for f in found:
        pair = (f.subject.name, f.object.name)
        if f.relation in ("resigned_from", "dismissed_from") and pair not in held:
            held.add(pair)
            extra.append(Found("holds_position", f.subject, f.object, f.confidence * 0.9,
                               f.sentence, f.anchor, {"status": "former"}))
    return found + extra


def _title_kinds(f: Found) -> list[str]:
    kinds = title_kinds()
    return [kinds.get(t, "role") for t in f.qualifiers.get("title", [])]


def _founder_titles(titles: list[Item]) -> bool:
    """Whether the titles are all founders' (创始人, 联合创始人)."""
    kinds = title_kinds()
    return bool(titles) and all(kinds.get(t.name) in ("founder", "cofounder") for t in titles)


def merge(doc: Doc, found: list[Found]) -> list[Triple]:
    text = doc.text
    by_key: dict[tuple[str, str, str], Triple] = {}
    for f in found:
        key = (f.subject.name, f.relation, f.object.name)
        triple = by_key.get(key)
        if triple is None:
            triple = by_key[key] = _new_triple(text, f)
        triple.confidence = max(triple.confidence, f.confidence)
        _merge_qualifiers(triple.qualifiers, f.qualifiers)
    return list(by_key.values())


def _new_triple(doc_text: str, f: Found) -> Triple:
    start, end = f.sentence
    text = doc_text[start:end].rstrip()
    subj_types, obj_types = SIGNATURES[f.relation]
    return Triple(
        subject=f.subject.name,
        subject_type=_typed(f.subject.label, subj_types),
        relation=f.relation,
        object=f.object.name,
        object_type=_typed(f.object.label, obj_types),
        evidence=Evidence(start, start + len(text), text),
        confidence=f.confidence,
        qualifiers={},
        object_value=f.object.value if f.object.label == "MONEY" else None,
    )


def _typed(label: str, allowed: set[str]) -> str:
    """The entity's label, or the contract's type when the relation says what it must be."""
    if label in allowed:
        return label
    return "COMPANY" if "COMPANY" in allowed else sorted(allowed)[0]


def _merge_qualifiers(into: dict[str, Any], new: dict[str, Any]) -> None:
    for key, value in new.items():
        if key == "title":
            titles = into.setdefault("title", [])
            titles.extend(t for t in value if t not in titles)
        else:
            into.setdefault(key, value)


@Language.component("zhie_relations")
def extract_relations(doc: Doc) -> Doc:
    doc._.triples = merge(doc, with_former_positions(with_founders(find_relations(doc))))
    return doc
