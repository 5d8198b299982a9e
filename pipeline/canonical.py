"""Canonical names: every mention of an entity resolves to one name per document.

News names an entity once in full and then by short forms: "Emad Mostaque" then "Emad",
"Stability AI" then "Stability", "穆斯塔法-苏莱曼" then "苏莱曼", "阿里巴巴" then "阿里".  Mentions
are clustered per label family (PERSON; COMPANY/ORG), longest first, a shorter mention joining
the cluster of a longer name it is part of.  The canonical name is the fullest form in the
cluster's most common script (EXTRACTION.md).  Pronouns and "该公司"-style anaphors become spans
in ``doc.spans["mentions"]`` resolved to the person or company they refer to; quoted nicknames
of the company in focus ("稳定AI" for Stability AI) become entity mentions of it.
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span

from .rulefiles import rule_lines, rule_rows
from .spans import Coverage, char_spans, set_entities, split_at
from .titles import status_words, title_kinds

NAMED = ("PERSON", "COMPANY", "ORG")


def family(label: str) -> str:
    """COMPANY and ORG are one family: a mention typed differently still names the same body."""
    return "ORG" if label in ("COMPANY", "ORG") else label


def normalize(text: str) -> str:
    """The comparison form of a name: NFKC, lower case, no spaces or punctuation."""
    text = unicodedata.normalize("NFKC", text).lower()
    return "".join(ch for ch in text if not (ch.isspace() or unicodedata.category(ch)[0] in "PS"))


def is_latin(text: str) -> bool:
    return any("a" <= ch.lower() <= "z" for ch in text) and not any("\u4e00" <= ch <= "\u9fff" for ch in text)


_PART_SPLIT = re.compile(r"[\s·•・\-‐‑–—.]+")


def name_parts(text: str) -> list[str]:
    return [normalize(p) for p in _PART_SPLIT.split(text) if normalize(p)]


@lru_cache(maxsize=1)
def generic_suffixes() -> tuple[str, ...]:
    words = {normalize(w) for w in rule_lines("canonical_generic_suffixes.txt")}
    return tuple(sorted(words, key=len, reverse=True))


@lru_cache(maxsize=1)
def source_cue() -> re.Pattern[str]:
    """Words before a mention that make it a cited source, optionally with 《."""
    words = sorted(rule_lines("canonical_source_cues.txt"), key=len, reverse=True)
    return re.compile(rf"(?:{'|'.join(map(re.escape, words))})《?\s?$")


def cited_as_source(text: str, start: int) -> bool:
    return bool(source_cue().search(text, max(0, start - 4), start))


@dataclass(frozen=True)
class Anaphor:
    word: str
    refers_to: str
    when: str


@lru_cache(maxsize=1)
def anaphors() -> list[Anaphor]:
    return [Anaphor(word, refers_to, when) for word, refers_to, when in rule_rows("canonical_anaphors.tsv")]


# --- when two names are the same entity ------------------------------------------------------

def same_person(short: str, full: str) -> bool:
    """"Emad" / "Emad Mostaque", "苏莱曼" / "穆斯塔法-苏莱曼", "一鸣" / "张一鸣"."""
    short_parts, full_parts = name_parts(short), name_parts(full)
    if len(full_parts) > 1 and short_parts and _is_subsequence(short_parts, full_parts):
        return True
    return _given_name(short, full)


def _given_name(short: str, full: str) -> bool:
    """A Chinese three-character name referred to by its two-character given name."""
    return len(full) == 3 and len(short) == 2 and full[1:] == short and not is_latin(full)


def _is_subsequence(short: list[str], full: list[str]) -> bool:
    it = iter(full)
    return all(part in it for part in short)


def strip_generic(name: str) -> str:
    """A normalized name without generic endings ("英伟达公司" → "英伟达", "stabilityai" → "stability")."""
    changed = True
    while changed:
        changed = False
        for suffix in generic_suffixes():
            if name.endswith(suffix) and len(name) > len(suffix) + 1:
                name = name[: -len(suffix)]
                changed = True
                break
    return name


def same_org(short: str, full: str, short_count: int, full_count: int) -> bool:
    """"Stability" / "Stability AI", "阿里" / "阿里巴巴", "英伟达" / "英伟达公司".

    A prefix that is also a name used more often than the longer one is probably a different
    company ("腾讯" / "腾讯音乐"), unless all that separates them is a generic ending.
    """
    s, f = normalize(short), normalize(full)
    if len(s) < 2 or s == f:
        return s == f
    if strip_generic(s) == strip_generic(f):
        return True
    if f.startswith(s):
        return short_count <= full_count and not f.endswith(subunit_endings())
    return False


@lru_cache(maxsize=1)
def subunit_endings() -> tuple[str, ...]:
    return tuple(rule_lines("canonical_subunit_endings.txt"))


# --- clusters --------------------------------------------------------------------------------

@dataclass
class Cluster:
    family: str
    mentions: list[Span] = field(default_factory=list)
    aliases: set[str] = field(default_factory=set)  # normalized forms known to name it

    @property
    def canonical(self) -> str:
        """Fullest form in the cluster's most common script."""
        if self._canonical is None:
            latin = sum(is_latin(m.text) for m in self.mentions)
            prefer_latin = latin * 2 > len(self.mentions)
            same_script = [m for m in self.mentions if is_latin(m.text) == prefer_latin] or self.mentions
            self._canonical = max(same_script, key=lambda m: (len(normalize(m.text)), -m.start_char)).text
        return self._canonical

    _label: str | None = field(default=None, repr=False, compare=False)
    _canonical: str | None = field(default=None, repr=False, compare=False)

    def add(self, mentions: list[Span]) -> None:
        """Mentions join only through here, so that the cached label and canonical name (asked
        for once per anaphor and candidate) are recomputed."""
        self.mentions.extend(mentions)
        self._label = self._canonical = None

    @property
    def label(self) -> str:
        """The most common label among the mentions (COMPANY vs ORG can disagree)."""
        if self._label is None:
            self._label = Counter(m.label_ for m in self.mentions).most_common(1)[0][0]
        return self._label


def cluster_mentions(ents: list[Span], aliases: list[tuple[str, str]] = ()) -> list[Cluster]:
    """Clusters of entity mentions, longest names first so short forms find their full name."""
    counts = Counter((family(e.label_), normalize(e.text)) for e in ents)
    clusters: list[Cluster] = []
    for ent in sorted(ents, key=lambda e: (-len(normalize(e.text)), e.start_char)):
        fam, norm = family(ent.label_), normalize(ent.text)
        home = next((c for c in clusters if c.family == fam and _belongs(ent, norm, c, counts)), None)
        if home is None:
            home = Cluster(fam)
            clusters.append(home)
        home.add([ent])
        home.aliases.add(norm)
        for a, b in aliases:
            if norm in (a, b):
                home.aliases.update((a, b))
    return _merge_aliased(clusters)


def _merge_aliased(clusters: list[Cluster]) -> list[Cluster]:
    """Join clusters that a stated alias links but that formed before the link was seen
    (a Latin alias shorter than the Chinese name it glosses)."""
    out: list[Cluster] = []
    for cluster in clusters:
        names = {normalize(m.text) for m in cluster.mentions}
        home = next((c for c in out if c.family == cluster.family and names & c.aliases), None)
        if home is None:
            out.append(cluster)
        else:
            home.add(cluster.mentions)
            home.aliases |= cluster.aliases
    return out


def _belongs(ent: Span, norm: str, cluster: Cluster, counts: Counter) -> bool:
    if norm in cluster.aliases:
        return True
    full = cluster.mentions[0]
    if cluster.family == "PERSON":
        return same_person(ent.text, full.text)
    return same_org(ent.text, full.text, counts[(cluster.family, norm)],
                    counts[(cluster.family, normalize(full.text))])


def unify_names(names: list[tuple[str, str]]) -> dict[str, str]:
    """Rename map from short canonical names to longer ones of the same entity, for names
    resolved separately (pieces of one long document)."""
    counts = Counter((family(label), normalize(name)) for name, label in names)
    fullest: list[tuple[str, str]] = []  # (family, name), longest first
    rename: dict[str, str] = {}
    for name, label in sorted(set(names), key=lambda x: -len(normalize(x[0]))):
        fam = family(label)
        for other_fam, other in fullest:
            if other_fam != fam or other == name:
                continue
            same = same_person(name, other) if fam == "PERSON" else same_org(
                name, other, counts[(fam, normalize(name))], counts[(fam, normalize(other))])
            if same:
                rename[name] = rename.get(other, other)
                break
        else:
            fullest.append((fam, name))
    return rename


# --- aliases stated in the text --------------------------------------------------------------

_PAREN_ALIAS = re.compile(r"([^\s（(]{2,40})[（(](?:以下简称|下称|简称|英文名|即)?[:：]?[“\"]?([^（）()“”\"]{2,40})[”\"]?[）)]")
_QUOTED = re.compile(r"[“\"]([^“”\"\n]{2,12})[”\"]")


def stated_aliases(text: str, ents: list[Span]) -> list[tuple[str, str]]:
    """Pairs of names the text itself equates: "英特尔（Intel）", "百度（以下简称“百度”）"."""
    known = {normalize(e.text) for e in ents}
    pairs = []
    for match in _PAREN_ALIAS.finditer(text):
        outer, inner = normalize(match.group(1)), normalize(match.group(2))
        for name in known:
            if outer.endswith(name) and inner and inner != name:
                pairs.append((name, inner))
    return pairs + _parenthesised_names(text, ents)


_PAREN_NAME = re.compile(r"\s?[（(]([^（()）。，；\n]{2,40})[）)]")


_DEFINED_ALIAS = re.compile(
    r"\s?[（(](?:以下简称|以下称|下称|简称)?[:：为]?[“\"「]([^（）()“”\"「」，。；\n]{2,16})[”\"」][^）)\n]{0,16}?[）)]")
_NOT_SHARED = set("公司集团有限责任股份")


def mention_defined_aliases(doc: Doc, text: str) -> None:
    """"江苏东大金智信息系统有限公司（下称“金智信息”）": the text defines a short name for the
    entity right before the brackets, so every occurrence of it is a mention of that entity,
    whatever the tagger made of its characters ("金智" as a person).  A defined short name
    abbreviates the full one: it must share a character with it beyond 公司 / 集团 words, which
    keeps out role names ("收购人", "标的公司")."""
    owners = {e.end_char: e for e in doc.ents if e.label_ in NAMED}
    found: dict[str, str] = {}
    for match in _DEFINED_ALIAS.finditer(text):
        owner = owners.get(match.start())
        alias = match.group(1)
        if owner is not None and _can_be_a_name(alias) and (set(alias) & set(owner.text)) - _NOT_SHARED:
            found.setdefault(alias, owner.label_)
    if not found:
        return
    longer = Coverage([e for e in doc.ents if e.label_ in NAMED])
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


def _parenthesised_names(text: str, ents: list[Span]) -> list[tuple[str, str]]:
    """"萨姆·奥尔特曼（Sam Altman）": a name of the same kind right after a name, alone in
    parentheses, is another form of it."""
    by_start = {e.start_char: e for e in ents}
    pairs = []
    for ent in ents:
        match = _PAREN_NAME.match(text, ent.end_char)
        inner = by_start.get(match.start(1)) if match else None
        if inner is not None and inner.end_char == match.end(1) and family(inner.label_) == family(ent.label_):
            pairs.append((normalize(ent.text), normalize(inner.text)))
    return pairs


def quoted_nicknames(text: str, focus: Cluster | None, ents: list[Span]) -> list[tuple[int, int]]:
    """Quoted names that share a Latin word with the company in focus ("稳定AI" for Stability AI).

    Chinese media nickname foreign companies by translating part of the name; the untranslated
    Latin part is the evidence.  Only the company in focus qualifies, and only when no other
    company of the document shares that word.
    """
    if focus is None or focus.family != "ORG":
        return []
    taken = {(e.start_char, e.end_char) for e in ents}
    focus_words = {w for w in name_parts(focus.canonical) if w.isascii()}
    in_focus = {(m.start_char, m.end_char) for m in focus.mentions}
    other_words = {w for e in ents if family(e.label_) == "ORG" and (e.start_char, e.end_char) not in in_focus
                   for w in name_parts(e.text) if w.isascii()}
    out = []
    for match in _QUOTED.finditer(text):
        quoted = match.group(1)
        words = {w.lower() for w in re.findall(r"[A-Za-z]+", quoted)}
        shared = words & focus_words - other_words
        has_han = any("\u4e00" <= ch <= "\u9fff" for ch in quoted)
        span = (match.start(1), match.end(1))
        if shared and has_han and span not in taken:
            out.append(span)
    return out


# --- anaphors --------------------------------------------------------------------------------

_CLAUSE_START = set("，。；：！？,;:!?\n“”\"（(") | {""}


def resolve_anaphors(doc: Doc, text: str, clusters: list[Cluster],
                     focus: Cluster | None) -> list[tuple[int, int, str, str]]:
    """(start, end, label, canonical) for pronouns and anaphors, by the rules in the data file.

    A company anaphor refers to the company named last before it, else to the company in
    focus; 他/她 to the person named last before it.  Sources cited ("据彭博社报道") are skipped.
    """
    named = sorted(((m.start_char, c) for c in clusters for m in c.mentions
                    if not cited_as_source(text, m.start_char)), key=lambda x: x[0])
    title_starts = {span.start_char for span in doc.spans.get("titles", [])}
    names = Coverage(doc.ents)
    words = _word_starts_and_ends(doc)
    out = []
    for rule in anaphors():
        for match in re.finditer(re.escape(rule.word), text):
            start, end = match.span()
            if not _anaphor_context_ok(text, start, end, rule, title_starts):
                continue
            if len(rule.word) == 1 and rule.when == "always" and not _a_word_of_its_own(start, end, words):
                continue  # "他" in "其他" or "他们"
            if rule.when.startswith("after:"):
                target = _in_sentence_before(text, named, start, rule.refers_to)
            else:
                target = _last_before(named, start, rule.refers_to) or (focus if rule.refers_to != "PERSON" else None)
            if target is not None and names.container(start, end) is None:
                out.append((start, end, target.label, target.canonical))
    return _drop_nested(out)


def _word_starts_and_ends(doc: Doc) -> tuple[set[int], set[int]]:
    return {t.idx for t in doc}, {t.idx + len(t) for t in doc}


def _a_word_of_its_own(start: int, end: int, words: tuple[set[int], set[int]]) -> bool:
    """A one-character pronoun is one when the segmenter made it a word of its own."""
    starts, ends = words
    return start in starts and end in ends


def _anaphor_context_ok(text: str, start: int, end: int, rule: Anaphor, title_starts: set[int]) -> bool:
    if rule.when == "clause_start":
        return text[start - 1:start] in _CLAUSE_START if start else True
    if rule.when == "before_title":
        return end in title_starts
    if rule.when.startswith("after:"):
        return re.search(rule.when[len("after:"):] + "$", text[max(0, start - 8):start]) is not None
    if rule.when.startswith("before:"):
        return re.match(rule.when[len("before:"):], text[end:end + 12]) is not None
    return True


def _in_sentence_before(text: str, named: list[tuple[int, Cluster]], pos: int, refers_to: str) -> Cluster | None:
    """"A宣布，B CEO张三将留任至年底，之后离开公司": an object anaphor refers to the organisation
    of the person nearest before it (the last one named before that person: B), else to the
    first one of its sentence (A), or to none (one named in an earlier sentence may be any
    other company)."""
    sentence_start = max(text.rfind(ch, 0, pos) for ch in "。！？!?\n") + 1
    first = bisect_left(named, sentence_start, key=lambda x: x[0])
    before = named[first:bisect_left(named, pos, lo=first, key=lambda x: x[0])]
    person = max((s for s, c in before if c.family == "PERSON"), default=None)
    if refers_to != "PERSON" and person is not None:
        owner = _last_before(before, person, refers_to)
        if owner is not None:
            return owner
    return next((c for _, c in before if _can_refer_to(c, refers_to)), None)


def _last_before(named: list[tuple[int, Cluster]], pos: int, refers_to: str) -> Cluster | None:
    """The nearest cluster named before `pos` that the anaphor can refer to (`named` is sorted
    by position: search back from `pos`, so a long document stays linear)."""
    for i in range(bisect_left(named, pos, key=lambda x: x[0]) - 1, -1, -1):
        if _can_refer_to(named[i][1], refers_to):
            return named[i][1]
    return None


def _can_refer_to(cluster: Cluster, refers_to: str) -> bool:
    """公司 / 集团 mean a company, not the university lab or court named last."""
    if refers_to == "PERSON":
        return cluster.family == "PERSON"
    return cluster.family == "ORG" and (refers_to != "COMPANY" or cluster.label == "COMPANY")


def _drop_nested(spans: list[tuple[int, int, str, str]]) -> list[tuple[int, int, str, str]]:
    """"该公司" also contains "公司": keep the longer anaphor."""
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    out, last_end = [], -1
    for span in spans:
        if span[0] >= last_end:
            out.append(span)
            last_end = span[1]
    return out


def focus_cluster(clusters: list[Cluster]) -> Cluster | None:
    """The organisation the document is about: most mentioned, earliest on ties."""
    orgs = [c for c in clusters if c.family == "ORG"]
    if not orgs:
        return None
    return max(orgs, key=lambda c: (len(c.mentions), -min(m.start_char for m in c.mentions)))


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


@lru_cache(maxsize=1)
def counted_groups() -> tuple[re.Pattern[str], ...]:
    return tuple(map(re.compile, rule_lines("canonical_counted_groups.txt")))


def balance_parentheses(doc: Doc) -> None:
    """A tagger lets mentions run over brackets; a mention is cut into the names on either side
    (the bracketed alias then links to its name through stated_aliases).  A mention that runs
    into a count of the names before it ("DeviantArt三家公司") ends before the count."""
    spans: list[tuple[int, int, str]] = []
    for ent in doc.ents:
        pieces = [(0, len(ent.text))]
        if ent.label_ in NAMED and any(c in ent.text for c in "（()）"):
            pieces = [(s, e) for s, e in _bracket_pieces(ent.text) if ent.text[s:e].strip()]
        counted = next((m for r in counted_groups() if (m := r.search(ent.text))), None)
        if ent.label_ in NAMED and counted is not None and counted.start() > 1:
            pieces = [(0, counted.start())]
        spans.extend((ent.start_char + s, ent.start_char + e, ent.label_) for s, e in pieces)
    if len(spans) == len(doc.ents) and all(s == e.start_char and t == e.end_char
                                            for (s, t, _), e in zip(spans, doc.ents)):
        return
    split_at(doc, [offset for s, e, _ in spans for offset in (s, e)])
    doc.ents = [doc.char_span(s, e, label=label) for s, e, label in spans]


_STOCK_CODE = re.compile(r"[（(](?:[A-Z]{2}[：:]\s?)?(?:\d{4,6}(?:[.\-]?(?:HK|SH|SZ|US|hk|sh|sz))?|[A-Z]{1,5}\.US)[）)]")


def drop_stock_codes(doc: Doc, text: str) -> None:
    """"联康生物科技集团(00690.HK)": a tagger reads the exchange ("HK") as a company; whatever
    lies inside a stock code's brackets is no mention, and the bracket is then seen as the
    company's own (relations skip it)."""
    codes = [m.span() for m in _STOCK_CODE.finditer(text)]
    if not codes:
        return
    starts = [s for s, _ in codes]
    kept = []
    for ent in doc.ents:
        i = bisect_left(starts, ent.start_char + 1) - 1
        if i >= 0 and codes[i][0] < ent.start_char and ent.end_char < codes[i][1]:
            continue
        kept.append(ent)
    if len(kept) != len(doc.ents):
        doc.ents = kept


def drop_generic_names(doc: Doc) -> None:
    """"公司", "集团", "AI视频生成公司" typed as entities are no names (EXTRACTION.md): drop
    them, so that an anaphor rule may resolve them instead.  A mention is generic when it is a
    generic ending alone, an anaphor word, or a description ("新公司", "AI视频生成公司")."""
    words = set(generic_suffixes()) | {normalize(a.word) for a in anaphors()}
    kept = [e for e in doc.ents if e.label_ not in NAMED or not _generic(normalize(e.text), words)]
    if len(kept) != len(doc.ents):
        doc.ents = kept


_DESCRIPTION = re.compile(r"^(?:(?:一家|这家|该|此|某|新|初创|创业)(?:公司|企业)|(?:原|前)(?:公司|集团)|(?:ai|人工智能)\S{0,6}(?:公司|企业))$")


def _generic(norm: str, words: set[str]) -> bool:
    return norm in words or _DESCRIPTION.match(norm) is not None


# --- mentions the recogniser missed ----------------------------------------------------------

@lru_cache(maxsize=1)
def org_titles() -> frozenset[str]:
    return frozenset(rule_lines("canonical_org_titles.txt"))


_NAME_CHARS = re.compile(r"[A-Za-z0-9\u4e00-\u9fff.·&\-]+ ?[A-Za-z0-9.]*$")
_NAME_START = set("，。：；、“”‘’（）《》【】!?！？,;:() \n\t") | {""}
@lru_cache(maxsize=1)
def not_in_name() -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{w})" for w in rule_lines("canonical_not_in_name.txt")))


def name_orgs_before_titles(doc: Doc, text: str) -> None:
    """"字节跳动创始人张一鸣": an unrecognised name that starts a clause and stands right before
    a top post's title (canonical_org_titles.txt) and a person is the organisation's name."""
    persons = Coverage([e for e in doc.ents if e.label_ == "PERSON"])
    taken = Coverage(doc.ents)
    found = []
    for title in doc.spans.get("titles", []):
        if title.text not in org_titles():
            continue
        after = _BEFORE_TITLE.match(text, title.end_char).end()
        if persons.container(after, after + 1) is None:
            continue
        end = title.start_char
        end -= next((len(w) for w in status_words() if text.endswith(w, 0, end)), 0)
        candidate = _name_before(text, end)
        if candidate and taken.container(*candidate) is None:
            found.append((*candidate, "COMPANY"))
    if found:
        set_entities(doc, char_spans(doc, found), replace=False)


@lru_cache(maxsize=1)
def org_name_contexts() -> tuple[re.Pattern[str], ...]:
    name = r"[A-Za-z0-9\u4e00-\u9fff]{2,8}?"
    return tuple(re.compile(line.replace("NAME", name)) for line in rule_lines("canonical_org_name_contexts.tsv"))


def name_orgs_in_contexts(doc: Doc, text: str) -> None:
    """"初创公司星枢机器人宣布…", "加入星枢，…": unrecognised names in contexts only an
    organisation's name stands in (canonical_org_name_contexts.tsv) become COMPANY mentions."""
    taken = Coverage(doc.ents)
    found: list[tuple[int, int, str]] = []
    for regex in org_name_contexts():
        for match in regex.finditer(text):
            start, end = match.span("name")
            if taken.container(start, end) is None and _can_be_a_name(text[start:end]) \
                    and not any(s < end and start < e for s, e, _ in found):
                found.append((start, end, "COMPANY"))
    if found:
        _replace_fragments(doc, text, found)


def _replace_fragments(doc: Doc, text: str, found: list[tuple[int, int, str]]) -> None:
    """Add names found by context.  A mention lying inside one of them was a fragment of it
    ("宇华" of "宇华教育(06169)") and gives way, unless the document also names it standing
    alone ("Wiz" in "Wiz刚刚完成…融资" when "Wiz" is a name elsewhere): then the context
    overreached.  A mention crossing a found name's edge stays."""
    names = [text[s:e] for s, e, _ in found]
    standalone = Counter(e.text for e in doc.ents
                         if not any(text.startswith(n, e.start_char) for n in names))
    kept, dropped = [], set()
    for (start, end, label), name in zip(found, names):
        inside = [e for e in doc.ents if start <= e.start_char and e.end_char <= end]
        if any(standalone[e.text] for e in inside):
            continue
        kept.append((start, end, label))
        dropped.update(inside)
    if dropped:
        doc.ents = [e for e in doc.ents if e not in dropped]
    set_entities(doc, char_spans(doc, kept), replace=False)


def _can_be_a_name(name: str) -> bool:
    norm = normalize(name)
    return (2 <= len(norm) <= 12 and not not_in_name().search(name) and norm not in generic_suffixes()
            and not _DESCRIPTION.match(norm) and not any(t in name for t in title_kinds())
            and norm not in {normalize(a.word) for a in anaphors()})


def _name_before(text: str, end: int) -> tuple[int, int] | None:
    """The clause-initial stretch of name characters ending at `end`, when it can be a name."""
    match = _NAME_CHARS.search(text, max(0, end - 16), end)
    if match is None:
        return None
    start = match.start()
    if text[start - 1:start] not in _NAME_START or not _can_be_a_name(text[start:end]):
        return None
    return start, end


def complete_mentions(doc: Doc, text: str) -> None:
    """Every other occurrence of a name recognised somewhere in the document is a mention of it.

    A tagger decides per occurrence and misses some ("VMware原首席执行官…" at a sentence start,
    "加入蔚来" at a line end); the document as a whole says the string is a name.  An
    occurrence is skipped when it is part of a longer Latin word or a longer name (followed by
    a generic ending, as "蔚来" in "蔚来资本").
    """
    ents = [e for e in doc.ents if e.label_ in NAMED]
    labels: dict[str, Counter] = {}
    for ent in ents:
        if _completable(ent.text):
            labels.setdefault(ent.text, Counter())[ent.label_] += 1
    if not labels:
        return
    taken = Coverage(doc.ents)
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
def org_cues() -> tuple[list[re.Pattern[str]], list[re.Pattern[str]]]:
    """(after, before) regexes of canonical_org_cues.tsv."""
    after: list[re.Pattern[str]] = []
    before: list[re.Pattern[str]] = []
    for side, regex in rule_rows("canonical_org_cues.tsv"):
        (after if side == "after" else before).append(re.compile(regex))
    return after, before


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
    after, before = org_cues()
    tail = text[ent.end_char:ent.end_char + 60]
    head = text[max(0, ent.start_char - 8):ent.start_char]
    return (any(r.search(tail) for r in after) or any(r.search(head) for r in before)
            or _title_then_person(ent, text, titles, persons))


def retype_person_orgs(doc: Doc, text: str) -> None:
    """Relabel as organisations the PERSON mentions that name one.

    A character tagger often types a short company name ("蔚来", "Wiz") PERSON.  A name is an
    organisation when one of its mentions stands where only an organisation can (a cue of
    canonical_org_cues.tsv, or titles then a person after it), or when the same name, or a
    longer name it shortens, is typed COMPANY / ORG elsewhere in the document and it is no
    short form of another person's name.
    """
    ents = list(doc.ents)
    people = [e for e in ents if e.label_ == "PERSON"]
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
                    if e.label_ == "PERSON" and normalize(e.text) in new_label else e for e in ents]


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


# --- the component ---------------------------------------------------------------------------

class CanonicalNames:
    """Sets ``span._.canonical`` on entity mentions and adds resolved anaphors to
    ``doc.spans["mentions"]``."""

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text  # a property that joins the tokens: read it once
        balance_parentheses(doc)
        mention_defined_aliases(doc, text)
        drop_stock_codes(doc, text)
        drop_generic_names(doc)
        retype_person_orgs(doc, text)
        name_orgs_before_titles(doc, text)
        name_orgs_in_contexts(doc, text)
        complete_mentions(doc, text)
        ents = [e for e in doc.ents if e.label_ in NAMED]
        clusters = cluster_mentions(ents, stated_aliases(text, ents))
        focus = focus_cluster(clusters)
        nicknames = quoted_nicknames(text, focus, ents)
        if nicknames and focus is not None:
            added = char_spans(doc, [(s, e, focus.label) for s, e in nicknames])
            set_entities(doc, added, replace=False)
            focus.add(added)
        for cluster in clusters:
            name = cluster.canonical
            for mention in cluster.mentions:
                mention._.canonical = name
        found = resolve_anaphors(doc, text, clusters, focus)
        spans = char_spans(doc, [(s, e, label) for s, e, label, _ in found])
        for span, (_, _, _, name) in zip(spans, found):
            span._.canonical = name
        doc.spans["mentions"] = spans
        return doc


@Language.factory("zhie_canonical")
def make_canonical_names(nlp: Language, name: str) -> CanonicalNames:
    return CanonicalNames()
