"""Segmentation: jieba words with Latin-script runs kept whole, and sentence boundaries.

The tokenizer is the first step of the spaCy pipeline. jieba alone cuts "Björn" at the "ö"
and splits "Stability AI" into three tokens, so Latin-script runs are found first by a regular
expression and only the text between them goes to jieba.  Offsets are exact: the Doc's text
is the input text, character for character, which every later offset relies on.
"""
from __future__ import annotations

import io
import logging
import re
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator

import jieba
import numpy
import srsly
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import registry
from spacy.vocab import Vocab

from .rulefiles import RULES, rule_lines

jieba.setLogLevel(logging.WARNING)

# A Latin-script word: letters (accented ones included), then letters, digits and inner
# joiners ("O'Shaughnessy", "GPT-4", "Hodes-Smith").  A run is words separated by single
# spaces, so "Björn Ommer" and "Stability AI" are one token each.
_LATIN_WORD = r"[A-Za-z\u00C0-\u024F][A-Za-z0-9\u00C0-\u024F]*(?:['’\-][A-Za-z0-9\u00C0-\u024F]+)*"
LATIN_RUN = re.compile(rf"{_LATIN_WORD}(?: {_LATIN_WORD})*")


@lru_cache(maxsize=1)
def latin_breaks() -> frozenset[str]:
    """Latin words that end a run: job-title abbreviations written next to names (CEO, CTO)."""
    return frozenset(rule_lines("segmentation_latin_breaks.txt"))


def latin_runs(text: str) -> Iterator[tuple[int, int]]:
    """Character spans of Latin-script runs, cut around title abbreviations."""
    breaks = latin_breaks()
    for match in LATIN_RUN.finditer(text):
        start = match.start()
        pos = start
        for word in match.group().split(" "):
            end = pos + len(word)
            if word in breaks:
                if pos > start:
                    yield start, pos - 1
                yield pos, end
                start = end + 1
            pos = end + 1
        if start < match.end():
            yield start, match.end()


class JiebaSegmenter:
    """jieba with the project's word list and any user dictionaries, Latin runs kept whole."""

    def __init__(self, user_dict_texts: Iterable[str] = ()) -> None:
        self.user_dict_texts = list(user_dict_texts)
        self._jieba = jieba.Tokenizer()
        self._jieba.initialize()
        self._jieba.load_userdict(str(RULES / "segmentation_words.txt"))
        for text in self.user_dict_texts:
            self._jieba.load_userdict(io.StringIO(text))

    def add_word(self, word: str, freq: int | None = None, tag: str | None = None) -> None:
        self._jieba.add_word(word, freq, tag)

    def spans(self, text: str) -> list[tuple[int, int]]:
        """(start, end) of every non-space token, in order."""
        out: list[tuple[int, int]] = []
        pos = 0
        for start, end in latin_runs(text):
            self._cut_into(text, pos, start, out)
            out.append((start, end))
            pos = end
        self._cut_into(text, pos, len(text), out)
        return out

    def _cut_into(self, text: str, start: int, end: int, out: list[tuple[int, int]]) -> None:
        if start >= end:
            return
        pos = start
        for word in self._jieba.cut(text[start:end]):
            word_end = pos + len(word)
            if not word.isspace():
                out.append((pos, word_end))
            pos = word_end

    def words(self, text: str) -> list[str]:
        return [text[s:e] for s, e in self.spans(text)]


def doc_from_spans(vocab: Vocab, text: str, spans: list[tuple[int, int]]) -> Doc:
    """A Doc whose tokens are the spans; whitespace between them becomes spaces or tokens.

    spaCy's own get_words_and_spaces searches the text for each word, which is quadratic
    on long documents; the spans already carry the offsets.
    """
    words: list[str] = []
    spaces: list[bool] = []
    pos = 0
    for start, end in spans:
        gap = text[pos:start]
        if gap:
            if gap == " " and words and not spaces[-1]:
                spaces[-1] = True
            else:
                if words and not spaces[-1] and gap.startswith(" "):
                    spaces[-1] = True
                    gap = gap[1:]
                words.append(gap)
                spaces.append(False)
        words.append(text[start:end])
        spaces.append(False)
        pos = end
    tail = text[pos:]
    if tail:
        if words and not spaces[-1] and tail.startswith(" "):
            spaces[-1] = True
            tail = tail[1:]
        if tail:
            words.append(tail)
            spaces.append(False)
    return Doc(vocab, words=words, spaces=spaces)


class JiebaTokenizer:
    """spaCy tokenizer: jieba segmentation, Latin runs whole, offsets exact.

    User dictionaries (jieba format: word [freq] [tag] per line) are stored with the model
    on to_disk, so that a saved pipeline segments the same way wherever it is loaded.
    """

    def __init__(self, vocab: Vocab, user_dicts: Iterable[str | Path] = ()) -> None:
        self.vocab = vocab
        texts = [Path(p).read_text(encoding="utf-8-sig") for p in user_dicts]
        self.segmenter = JiebaSegmenter(texts)

    def __call__(self, text: str) -> Doc:
        return doc_from_spans(self.vocab, text, self.segmenter.spans(text))

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterator[Doc]:
        for text in texts:
            yield self(text)

    def to_bytes(self, **kwargs) -> bytes:
        return srsly.msgpack_dumps({"user_dicts": self.segmenter.user_dict_texts})

    def from_bytes(self, data: bytes, **kwargs) -> "JiebaTokenizer":
        self.segmenter = JiebaSegmenter(srsly.msgpack_loads(data)["user_dicts"])
        return self

    def to_disk(self, path: str | Path, **kwargs) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / "user_dicts.bin").write_bytes(self.to_bytes())

    def from_disk(self, path: str | Path, **kwargs) -> "JiebaTokenizer":
        return self.from_bytes((Path(path) / "user_dicts.bin").read_bytes())


@registry.tokenizers("zhie.JiebaTokenizer.v1")
def create_jieba_tokenizer(user_dicts: list[str] = []):  # noqa: B006 (spaCy config default)
    def make(nlp: Language) -> JiebaTokenizer:
        return JiebaTokenizer(nlp.vocab, user_dicts)

    return make


# --- sentences -----------------------------------------------------------------------------

_TERMINATORS = frozenset("。！？!?；;…")
_CLOSERS = frozenset("”’」』）)》\"'")


@Language.component("zhie_sentences")
def split_sentences(doc: Doc) -> Doc:
    """Sentence starts after 。！？!?；… (with any closing quotes) and after line breaks.

    A Western full stop ends a sentence only before whitespace or a CJK character, so that
    "2.5代", "Inc.com" and decimal amounts stay inside their sentence.
    """
    words = [tok.text for tok in doc]
    n = len(words)
    starts = numpy.full((n, 1), -1, dtype="int64")
    if n:
        starts[0, 0] = 1
    i = 0
    while i < n:
        if _ends_sentence(words, i, doc):
            j = i + 1
            while j < n and (words[j] in _CLOSERS or words[j].isspace()):
                j += 1
            if j < n:
                starts[j, 0] = 1
            i = j
        else:
            i += 1
    doc.from_array([SENT_START], starts.astype("uint64"))  # spaCy reads -1 back from uint64
    return doc


def _ends_sentence(words: list[str], i: int, doc: Doc) -> bool:
    text = words[i]
    if "\n" in text or (text and text[-1] in _TERMINATORS):
        return True
    if text == "." and i + 1 < len(words):
        return doc[i].whitespace_ != "" or _is_cjk(words[i + 1][0])
    return False


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"
