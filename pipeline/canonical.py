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

import jieba.posseg
from spacy.language import Language
from spacy.tokens import Doc, Span

from .rulefiles import rule_lines, rule_rows
from .spans import Coverage, char_spans, set_entities
from .titles import status_words

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
    """Words before a mention that make it a cited source or the reporter, then 《 or a colon."""
    words = sorted(rule_lines("canonical_source_cues.txt"), key=len, reverse=True)
    return re.compile(rf"(?:{'|'.join(map(re.escape, words))})[《:：]?\s?$")


def cited_as_source(text: str, start: int) -> bool:
    return bool(source_cue().search(text, max(0, start - 6), start))


@lru_cache(maxsize=1)
def outlet_marks() -> tuple[re.Pattern[str], ...]:
    return tuple(map(re.compile, rule_lines("canonical_outlet_marks.txt")))


def outlet_credit(text: str, end: int) -> bool:
    """Whether the mention ending at `end` is a news outlet crediting itself ("新浪财经讯")."""
    after = text[end:end + 8]
    return any(mark.search(after) for mark in outlet_marks())


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
    """"Stability" / "Stability AI", "阿里" / "阿里巴巴", "英伟达" / "英伟达公司", "中创环保" /
    "厦门中创环保科技股份有限公司" (a registered name: place, name, generic endings).

    A prefix that is also a name used more often than the longer one is probably a different
    company ("腾讯" / "腾讯音乐"), unless all that separates them is a generic ending that is no
    firm's arm ("蔚来" / "蔚来资本": canonical_arm_endings.txt).
    """
    s, f = normalize(short), normalize(full)
    if len(s) < 2 or s == f:
        return s == f
    if any(f == s + arm for arm in arm_endings()):
        return short_count <= full_count
    if strip_generic(s) == strip_generic(f) or strip_generic(s) == strip_generic(_without_place(f)):
        return True
    if f.startswith(s):
        return short_count <= full_count and not f.endswith(subunit_endings())
    return False


_PLACE_LEVEL = re.compile(r"^(?:省|市|区|县|自治区)")


def _without_place(name: str) -> str:
    """A registered name without the places it starts with: "厦门中创环保科技股份有限公司" →
    "中创环保科技股份有限公司", whose short form is "中创环保" (jieba's dictionary knows the places)."""
    tags = jieba.posseg.dt.word_tag_tab
    changed = True
    while changed:
        changed = False
        for size in (3, 2):
            if len(name) > size + 2 and tags.get(name[:size]) == "ns":
                name = name[size:]
                name = name[_PLACE_LEVEL.match(name).end():] if _PLACE_LEVEL.match(name) else name
                changed = True
                break
    return name


@lru_cache(maxsize=1)
def arm_endings() -> tuple[str, ...]:
    return tuple(normalize(w) for w in rule_lines("canonical_arm_endings.txt"))


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
    focus; 他/她 to the person named last before it.  Sources cited ("据彭博社报道") and outlets
    crediting themselves or a report ("新浪财经讯", "某某证券发研报指") are skipped.
    """
    named = sorted(((m.start_char, c) for c in clusters for m in c.mentions
                    if not cited_as_source(text, m.start_char) and not outlet_credit(text, m.end_char)),
                   key=lambda x: x[0])
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
    other company).  A former one is no owner ("A由前B工程师张三创办，张三担任公司董事长": A)."""
    sentence_start = max(text.rfind(ch, 0, pos) for ch in "。！？!?\n") + 1
    first = bisect_left(named, sentence_start, key=lambda x: x[0])
    before = named[first:bisect_left(named, pos, lo=first, key=lambda x: x[0])]
    person = max((s for s, c in before if c.family == "PERSON"), default=None)
    if refers_to != "PERSON" and person is not None:
        owner = _nearest_before(before, person, refers_to)
        if owner is not None and not _after_former(text, owner[0]):
            return owner[1]
    return next((c for _, c in before if _can_refer_to(c, refers_to)), None)


def _after_former(text: str, start: int) -> bool:
    """Whether a status word of a former post (titles_status.tsv: 前, 原, 曾任) opens the name."""
    return any(text.endswith(word, 0, start) for word, status in status_words().items() if status == "former")


def _last_before(named: list[tuple[int, Cluster]], pos: int, refers_to: str) -> Cluster | None:
    nearest = _nearest_before(named, pos, refers_to)
    return nearest[1] if nearest else None


def _nearest_before(named: list[tuple[int, Cluster]], pos: int, refers_to: str) -> tuple[int, Cluster] | None:
    """(where, cluster) of the nearest mention before `pos` that the anaphor can refer to (`named`
    is sorted by position: search back from `pos`, so a long document stays linear)."""
    for i in range(bisect_left(named, pos, key=lambda x: x[0]) - 1, -1, -1):
        if _can_refer_to(named[i][1], refers_to):
            return named[i]
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


def focus_cluster(clusters: list[Cluster], text: str) -> Cluster | None:
    """The organisation the document is about: most mentioned (outlets' credit lines aside),
    earliest on ties."""
    orgs = [c for c in clusters if c.family == "ORG"]
    if not orgs:
        return None
    return max(orgs, key=lambda c: (sum(not outlet_credit(text, m.end_char) for m in c.mentions),
                                    -min(m.start_char for m in c.mentions)))


# --- the component ---------------------------------------------------------------------------

class CanonicalNames:
    """Sets ``span._.canonical`` on entity mentions and adds resolved anaphors to
    ``doc.spans["mentions"]``."""

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text  # a property that joins the tokens: read it once
        ents = [e for e in doc.ents if e.label_ in NAMED]
        clusters = cluster_mentions(ents, stated_aliases(text, ents))
        focus = focus_cluster(clusters, text)
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
