"""Character spans onto tokens.

Components find entities and amounts by character offsets (a character tagger, regular
expressions), but spaCy spans must start and end on token boundaries.  jieba sometimes glues
a name to the next character ("张三说" as one word) and a Latin run can hold a name and a
title ("Stability AI CEO"), so instead of widening the span we split the token: the span keeps
its exact characters and every offset in the output stays true to the text.
"""
from __future__ import annotations

from bisect import bisect_right
from typing import Iterable

from spacy.attrs import IDX
from spacy.tokens import Doc, Span


def split_at(doc: Doc, offsets: Iterable[int]) -> None:
    """Make every character offset a token boundary, splitting tokens in one pass."""
    starts = doc.to_array(IDX).tolist()
    cuts: dict[int, set[int]] = {}
    for off in offsets:
        i = bisect_right(starts, off) - 1
        if i < 0:
            continue
        tok = doc[i]
        rel = off - tok.idx
        if 0 < rel < len(tok.text):
            cuts.setdefault(i, set()).add(rel)
    if not cuts:
        return
    groups = _span_groups_by_char(doc)
    with doc.retokenize() as retokenizer:
        for i, rels in cuts.items():
            tok = doc[i]
            pieces = _pieces(tok.text, rels)
            retokenizer.split(tok, pieces, heads=[(tok, 0)] * len(pieces))
    _restore_span_groups(doc, groups)


def _span_groups_by_char(doc: Doc) -> dict[str, list[tuple[int, int, str]]]:
    """doc.spans by character offsets: spaCy keeps token indices in span groups and does not
    move them when a split shifts the tokens, so a later split would garble "titles".  (Span
    extension values are keyed by character offsets and survive as they are.)"""
    return {name: [(s.start_char, s.end_char, s.label_) for s in group] for name, group in doc.spans.items()}


def _restore_span_groups(doc: Doc, groups: dict[str, list[tuple[int, int, str]]]) -> None:
    for name, spans in groups.items():
        rebuilt = (doc.char_span(start, end, label=label) for start, end, label in spans)
        doc.spans[name] = [span for span in rebuilt if span is not None]


def _pieces(text: str, cuts: set[int]) -> list[str]:
    """Cut text at the offsets; spaces touching a cut become pieces of their own."""
    points = set(cuts)
    for c in cuts:
        right = c
        while right < len(text) and text[right] == " ":
            right += 1
        left = c
        while left > 0 and text[left - 1] == " ":
            left -= 1
        points.update((left, right))
    bounds = [0, *sorted(p for p in points if 0 < p < len(text)), len(text)]
    return [text[a:b] for a, b in zip(bounds, bounds[1:]) if a < b]


def char_spans(doc: Doc, spans: Iterable[tuple[int, int, str]]) -> list[Span]:
    """Spans with exactly these (start, end, label) character offsets, splitting tokens as needed."""
    spans = [(s, e, label) for s, e, label in spans if s < e]
    split_at(doc, (off for s, e, _ in spans for off in (s, e)))
    out = []
    for start, end, label in spans:
        span = doc.char_span(start, end, label=label)
        if span is not None:
            out.append(span)
    return out


def set_entities(doc: Doc, spans: Iterable[Span], *, replace: bool) -> None:
    """Add spans to doc.ents; on overlap the new spans win when `replace`, else the old ones."""
    new = sorted(spans, key=lambda s: (s.start, -len(s)))
    kept: list[Span] = []
    taken: set[int] = set()
    first, second = (new, list(doc.ents)) if replace else (list(doc.ents), new)
    for span in [*first, *second]:
        if any(i in taken for i in range(span.start, span.end)):
            continue
        kept.append(span)
        taken.update(range(span.start, span.end))
    doc.ents = sorted(kept, key=lambda s: s.start)


class Coverage:
    """Which character ranges lie inside a set of non-overlapping spans (such as doc.ents),
    in log time, for components that test many candidates against the entities."""

    def __init__(self, spans: Iterable[Span]) -> None:
        ranges = sorted((s.start_char, s.end_char) for s in spans)
        self._starts = [a for a, _ in ranges]
        self._ranges = ranges

    def container(self, start: int, end: int) -> tuple[int, int] | None:
        i = bisect_right(self._starts, start) - 1
        if i >= 0 and self._ranges[i][1] >= end:
            return self._ranges[i]
        return None

    def overlaps(self, start: int, end: int) -> bool:
        """Whether any span shares a character with start..end."""
        i = bisect_right(self._starts, end - 1) - 1
        return i >= 0 and self._ranges[i][1] > start
