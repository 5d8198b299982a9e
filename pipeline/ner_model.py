"""The shipped entity recogniser: a character BiLSTM-CRF, run with numpy.

Entity boundaries often fall inside jieba's words, so the model tags characters (BIOES over
PERSON, COMPANY, ORG, LOC).  Each character is described by itself, its two character bigrams,
its position in its jieba word (B/M/E/S: the "softword" feature), its script (Han, Latin upper
or lower, digit, ...) and soft-lexicon flags from jieba's dictionary (does a dictionary word
tagged as a person, place or organisation name begin, continue or end here).  The script
feature is what lets the model generalize to Latin-script names the training data rarely has.

Training (``scripts/train_ner.py``) uses PyTorch; running needs numpy only.  The featurizer in
this module is shared by both, so that training and running describe characters identically.
"""
from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

import jieba.posseg
import numpy as np
from threadpoolctl import threadpool_limits

from .rulefiles import rule_lines

LABELS = ("PERSON", "COMPANY", "ORG", "LOC")
TAGS = ("O",) + tuple(f"{p}-{label}" for label in LABELS for p in "BIES")
LEXICON_TAGS = ("nr", "ns", "nt", "nz")  # jieba tag groups: person, place, organisation, other name
LEXICON_WIDTH = 3 * len(LEXICON_TAGS) + 3   # B/M/E of a tagged dictionary word, and of any word
SCRIPTS = ("pad", "han", "upper", "lower", "digit", "space", "punct", "other")
SEGMENT = {"B": 1, "M": 2, "E": 3, "S": 4}
MAX_CHUNK = 150  # characters per tagged chunk: texts are cut after punctuation


# --- describing characters -------------------------------------------------------------------

def norm_char(ch: str) -> str:
    """Full-width forms folded, every digit the same digit: numbers are not names."""
    ch = unicodedata.normalize("NFKC", ch)[:1] or ch
    return "0" if ch.isdigit() else ch


def script(ch: str) -> int:
    if "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf":
        return 1
    if ch.isalpha() and ch.isascii() or "\u00c0" <= ch <= "\u024f":
        return 2 if ch.isupper() else 3
    if ch.isdigit():
        return 4
    if ch.isspace():
        return 5
    if unicodedata.category(ch)[0] in "PS":
        return 6
    return 7


@lru_cache(maxsize=1)
def name_words() -> dict[str, int]:
    """jieba dictionary words of two or more characters tagged as names → tag group index."""
    groups = {}
    for word, tag in jieba.posseg.dt.word_tag_tab.items():
        group = next((i for i, prefix in enumerate(LEXICON_TAGS) if tag.startswith(prefix)), None)
        if group is not None and len(word) > 1:
            groups[word] = group
    return groups


@dataclass
class Encoded:
    """One chunk of text as model input."""

    chars: np.ndarray     # (T,) char ids
    bigrams: np.ndarray   # (T, 2) ids of the bigram ending and the bigram starting at each char
    segment: np.ndarray   # (T,) B/M/E/S in the jieba word
    script: np.ndarray    # (T,)
    lexicon: np.ndarray   # (T, LEXICON_WIDTH) 0/1


class Featurizer:
    """Text → arrays.  Vocabularies are built from the training data and saved with the model."""

    def __init__(self, chars: dict[str, int], bigrams: dict[str, int], jieba_tokenizer) -> None:
        self.chars = chars
        self.bigrams = bigrams
        self.jieba = jieba_tokenizer  # a jieba.Tokenizer, for the dictionary word lattice
        self.name_words = name_words()

    def encode(self, text: str, word_spans: Sequence[tuple[int, int]]) -> Encoded:
        """`word_spans`: (start, end) of the jieba words covering `text` (whitespace may be
        outside any word)."""
        normed = [norm_char(ch) for ch in text]
        n = len(normed)
        chars = np.fromiter((self.chars.get(c, 1) for c in normed), dtype=np.int32, count=n)
        pairs = ["<s>" + normed[0]] if n else []
        pairs += [normed[i - 1] + normed[i] for i in range(1, n)]
        pairs.append(normed[-1] + "</s>" if n else "")
        ids = np.fromiter((self.bigrams.get(p, 1) for p in pairs), dtype=np.int32, count=len(pairs))
        bigrams = np.stack([ids[:-1], ids[1:]], axis=1) if n else np.zeros((0, 2), np.int32)
        segment = np.zeros(n, dtype=np.int32)
        for start, end in word_spans:
            if end - start == 1:
                segment[start] = SEGMENT["S"]
            elif end > start:
                segment[start] = SEGMENT["B"]
                segment[start + 1:end - 1] = SEGMENT["M"]
                segment[end - 1] = SEGMENT["E"]
        scripts = np.fromiter((script(ch) for ch in text), dtype=np.int32, count=n)
        return Encoded(chars, bigrams, segment, scripts, self.lexicon(text))

    def lexicon(self, text: str) -> np.ndarray:
        """Soft-lexicon flags from the dictionary lattice jieba builds for segmentation."""
        out = np.zeros((len(text), LEXICON_WIDTH), dtype=np.float32)
        any_word = 3 * len(LEXICON_TAGS)
        dag = self.jieba.get_DAG(text)
        for start, ends in dag.items():
            for end in ends:
                if end == start:
                    continue
                word = text[start:end + 1]
                for column in (any_word, 3 * self.name_words[word] if word in self.name_words else None):
                    if column is None:
                        continue
                    out[start, column] = 1
                    out[start + 1:end, column + 1] = 1
                    out[end, column + 2] = 1
        return out


# --- cutting texts into chunks ---------------------------------------------------------------

_CUTS = set("。！？!?；;\n")
_SOFT_CUTS = set("，,、：:")


def chunks(text: str, limit: int = MAX_CHUNK) -> list[tuple[int, int]]:
    """(start, end) pieces of at most `limit` characters: sentences, long ones cut after a comma
    (or hard at the limit); whitespace-only pieces are dropped."""
    out, start, n = [], 0, len(text)
    while start < n:
        window_end = min(start + limit, n)
        hard = next((i for i in range(start, window_end) if text[i] in _CUTS), None)
        if hard is not None:
            end = hard + 1
        elif window_end == n:
            end = n
        else:
            soft = max((i for i in range(start + limit // 3, window_end) if text[i] in _SOFT_CUTS), default=None)
            end = soft + 1 if soft is not None else window_end
        out.append((start, end))
        start = end
    return [(a, b) for a, b in out if text[a:b].strip()]


# --- the network, in numpy -------------------------------------------------------------------

def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (np.tanh(0.5 * x) + 1.0)


def _gates_ifog(name: str, weight: np.ndarray) -> np.ndarray:
    """LSTM weights with PyTorch's gate blocks (i, f, g, o) reordered to (i, f, o, g), so that
    one sigmoid call covers the three sigmoid gates at each time step."""
    if not name.startswith("lstm."):
        return weight
    i, f, g, o = np.split(weight, 4, axis=0)
    return np.concatenate([i, f, o, g], axis=0)


# Clause punctuation, and the separator 丨 of news headers ("格隆汇9月5日丨联康生物…"), is never
# inside a name: decoding tags it O, so that a name the tagger runs on past a comma
# ("中国太保(02601)公布，该公司…") is decided again on either side.
CLAUSE_PUNCTUATION = "，。；！？丨｜"


class CharTagger:
    """Embeddings → BiLSTM → linear → CRF, with weights exported from the PyTorch trainer."""

    def __init__(self, weights: dict[str, np.ndarray], config: dict, outside_ids: Sequence[int] = (),
                 surname_ids: Iterable[int] = ()) -> None:
        self.w = {k: _gates_ifog(k, v.astype(np.float32)) for k, v in weights.items()}
        self.config = config
        self.transitions = self.w["crf.transitions"]
        self.start = self.w["crf.start"]
        self.end = self.w["crf.end"]
        self.outside_ids = np.array(sorted(outside_ids), dtype=np.int32)
        self.surname_ids = frozenset(surname_ids)

    @classmethod
    def load(cls, directory: Path) -> tuple["CharTagger", dict[str, int], dict[str, int]]:
        config = json.loads((directory / "config.json").read_text(encoding="utf-8"))
        with np.load(directory / "weights.npz") as data:
            weights = {k: data[k] for k in data.files}
        vocab = json.loads((directory / "vocab.json").read_text(encoding="utf-8"))
        outside = {vocab["chars"][c] for c in map(norm_char, CLAUSE_PUNCTUATION) if c in vocab["chars"]}
        surnames = {vocab["chars"][c] for c in rule_lines("chinese_surnames.txt") if c in vocab["chars"]}
        return cls(weights, config, outside, surnames), vocab["chars"], vocab["bigrams"]

    def embed(self, batch: list[Encoded]) -> tuple[np.ndarray, np.ndarray]:
        """(B, T, D) padded inputs and (B,) lengths."""
        lengths = np.array([len(e.chars) for e in batch])
        width = int(lengths.max())
        w = self.w
        dim = (w["emb.char"].shape[1] + 2 * w["emb.bigram"].shape[1] + w["emb.segment"].shape[1]
               + w["emb.script"].shape[1] + w["lexicon.weight"].shape[0])
        x = np.zeros((len(batch), width, dim), dtype=np.float32)
        for i, e in enumerate(batch):
            n = len(e.chars)
            x[i, :n] = np.concatenate([
                w["emb.char"][e.chars],
                w["emb.bigram"][e.bigrams].reshape(n, -1),
                w["emb.segment"][e.segment],
                w["emb.script"][e.script],
                e.lexicon @ w["lexicon.weight"].T + w["lexicon.bias"],
            ], axis=1)
        return x, lengths

    def _lstm(self, x: np.ndarray, lengths: np.ndarray, direction: str) -> np.ndarray:
        """One LSTM direction over padded sequences (gates reordered to i, f, o, g)."""
        w_ih, w_hh = self.w[f"lstm.weight_ih_l0{direction}"], self.w[f"lstm.weight_hh_l0{direction}"]
        bias = self.w[f"lstm.bias_ih_l0{direction}"] + self.w[f"lstm.bias_hh_l0{direction}"]
        batch, width, _ = x.shape
        hidden = w_hh.shape[1]
        if direction:  # backward: reverse each sequence within its own length
            index = np.clip(lengths[:, None] - 1 - np.arange(width)[None, :], 0, None)
            x = np.take_along_axis(x, index[:, :, None], axis=1)
        projected = x @ w_ih.T + bias
        h = np.zeros((batch, hidden), dtype=np.float32)
        c = np.zeros((batch, hidden), dtype=np.float32)
        out = np.zeros((batch, width, hidden), dtype=np.float32)
        w_hh_t = w_hh.T.copy()
        for t in range(width):
            gates = projected[:, t] + h @ w_hh_t
            sig = _sigmoid(gates[:, :3 * hidden])
            c = sig[:, hidden:2 * hidden] * c + sig[:, :hidden] * np.tanh(gates[:, 3 * hidden:])
            h = sig[:, 2 * hidden:] * np.tanh(c)
            out[:, t] = h
        if direction:
            out = np.take_along_axis(out, index[:, :, None], axis=1)
        return out

    def emissions(self, batch: list[Encoded]) -> tuple[np.ndarray, np.ndarray]:
        x, lengths = self.embed(batch)
        x = np.tanh(x @ self.w["input.weight"].T + self.w["input.bias"])
        h = np.concatenate([self._lstm(x, lengths, ""), self._lstm(x, lengths, "_reverse")], axis=2)
        return h @ self.w["output.weight"].T + self.w["output.bias"], lengths

    def decode(self, batch: list[Encoded]) -> list[list[int]]:
        """Best tag sequence per chunk (Viterbi, vectorized over the batch).

        BLAS runs on one thread: zhie parallelizes by processes, and threaded BLAS on these
        small matrices spins against the other workers for the cores (measured 20× slower)."""
        with threadpool_limits(limits=1, user_api="blas"):
            return self._decode(batch)

    def _decode(self, batch: list[Encoded]) -> list[list[int]]:
        scores, lengths = self.emissions(batch)
        if self.outside_ids.size:
            for i, e in enumerate(batch):
                positions = np.flatnonzero(np.isin(e.chars, self.outside_ids))
                scores[i, positions, 1:] = -1e4  # TAGS[0] is O
        paths = self._viterbi(scores, lengths)
        for path, e, chunk_scores in zip(paths, batch, scores):
            for start, end in name_list_regions(path, e.script):
                path[start:end] = self.split_name_list(chunk_scores[start:end])
            self.split_glued_pairs(path, e, chunk_scores)
        return paths

    def split_glued_pairs(self, path: list[int], encoded: Encoded, scores: np.ndarray) -> None:
        """Re-cut PERSON spans of four to six Han characters that are two people written without
        a separator ("孙起孟雷洁琼", "袁峰乔倩倩"): when the list cut makes names of two or three
        characters that each open with a common Chinese surname (chinese_surnames.txt).  Foreign
        names are that long too ("维诺格拉多夫", "施图岑贝格"), and open no such pair."""
        for start, end, label in spans_from_tags(path):
            if label != "PERSON" or not 4 <= end - start <= 6 or np.any(encoded.script[start:end] != _HAN):
                continue
            tags = self.split_name_list(scores[start:end])
            pieces = spans_from_tags(tags)
            if len(pieces) >= 2 and all(int(encoded.chars[start + s]) in self.surname_ids and e - s <= 3
                                        for s, e, _ in pieces):
                path[start:end] = tags

    def split_name_list(self, scores: np.ndarray) -> list[int]:
        """Tags for a list of names: the stretch cut into names of two to four characters
        (a Chinese name's length), the cut the CRF's scores and the length prior favour most (a
        small semi-Markov decode)."""
        b, i, e = (TAGS.index(f"{p}-PERSON") for p in "BIE")
        trans = self.transitions
        n = len(scores)
        best = [0.0] + [-np.inf] * n
        cut = [0] * (n + 1)
        for end in range(2, n + 1):
            for length, prior in NAME_LENGTH_PRIOR.items():
                start = end - length
                if start < 0 or best[start] == -np.inf:
                    continue
                inner = scores[start + 1:end - 1, i].sum() + trans[i, i] * (length - 3) if length > 2 else 0.0
                piece = (scores[start, b] + inner + scores[end - 1, e]
                         + (trans[b, e] if length == 2 else trans[b, i] + trans[i, e])
                         + (trans[e, b] if start else 0.0))
                piece += prior
                if best[start] + piece > best[end]:
                    best[end], cut[end] = best[start] + piece, start
        tags, end = [], n
        while end > 0:
            start = cut[end]
            tags = [b] + [i] * (end - start - 2) + [e] + tags
            end = start
        return tags

    def _viterbi(self, scores: np.ndarray, lengths: np.ndarray) -> list[list[int]]:
        batch_size, width, k = scores.shape
        best = self.start + scores[:, 0]
        back = np.zeros((batch_size, width, k), dtype=np.int32)
        for t in range(1, width):
            total = best[:, :, None] + self.transitions[None]
            back[:, t] = total.argmax(axis=1)
            step = total.max(axis=1) + scores[:, t]
            alive = (t < lengths)[:, None]
            best = np.where(alive, step, best)
        best = best + self.end
        paths = []
        for i, n in enumerate(lengths):
            tag = int(best[i].argmax())
            path = [tag]
            for t in range(n - 1, 0, -1):
                tag = int(back[i, t, tag])
                path.append(tag)
            paths.append(path[::-1])
        return paths


_HAN = SCRIPTS.index("han")


# Log-probability of a Chinese name's length, from the Han-script PERSON spans of 2 to 4
# characters in the MSRA training split (2: 24.8 %, 3: 68.6 %, 4: 6.6 %): in a list without
# separators the length is most of the evidence for where one name ends.
NAME_LENGTH_PRIOR = {2: float(np.log(0.248)), 3: float(np.log(0.686)), 4: float(np.log(0.066))}


def name_list_regions(path: list[int], scripts: Sequence[int]) -> list[tuple[int, int]]:
    """Stretches where three or more people follow one another with at most two Han
    characters between them and no punctuation ("张万年张兴让张克辉张勃兴…", lists of delegates
    in government news): the first reading splits such runs badly, gluing two names or leaving
    a character out."""
    people = [(s, e) for s, e, label in spans_from_tags(path) if label == "PERSON"]
    regions, chain = [], people[:1]
    for span in people[1:]:
        gap = range(chain[-1][1], span[0])
        if len(gap) <= 2 and all(scripts[i] == _HAN for i in gap):
            chain.append(span)
            continue
        if len(chain) >= 3:
            regions.append((chain[0][0], chain[-1][1]))
        chain = [span]
    if len(chain) >= 3:
        regions.append((chain[0][0], chain[-1][1]))
    return regions


def spans_from_tags(tags: Iterable[int]) -> list[tuple[int, int, str]]:
    """(start, end, label) from a BIOES tag sequence; ill-formed pieces are dropped."""
    out, start, label = [], None, None
    for i, tag in enumerate(tags):
        name = TAGS[tag]
        if name == "O":
            start = None
            continue
        prefix, kind = name.split("-", 1)
        if prefix == "S":
            out.append((i, i + 1, kind))
            start = None
        elif prefix == "B":
            start, label = i, kind
        elif prefix == "E" and start is not None and kind == label:
            out.append((start, i + 1, kind))
            start = None
        elif prefix == "I" and (start is None or kind != label):
            start = None
    return out


def tags_from_spans(length: int, spans: Iterable[tuple[int, int, str]]) -> list[str]:
    tags = ["O"] * length
    for start, end, label in spans:
        if end - start == 1:
            tags[start] = f"S-{label}"
        else:
            tags[start] = f"B-{label}"
            for i in range(start + 1, end - 1):
                tags[i] = f"I-{label}"
            tags[end - 1] = f"E-{label}"
    return tags


def allowed_transitions() -> np.ndarray:
    """(K, K) True where tag a may be followed by tag b in BIOES."""
    k = len(TAGS)
    ok = np.zeros((k, k), dtype=bool)
    for a, name_a in enumerate(TAGS):
        for b, name_b in enumerate(TAGS):
            pa, la = (name_a.split("-") + [None])[:2]
            pb, lb = (name_b.split("-") + [None])[:2]
            if pa in ("O", "S", "E"):
                ok[a, b] = pb in ("O", "S", "B")
            else:  # B or I
                ok[a, b] = pb in ("I", "E") and la == lb
    return ok


def allowed_starts() -> np.ndarray:
    return np.array([t == "O" or t[0] in "BS" for t in TAGS])


def allowed_ends() -> np.ndarray:
    return np.array([t == "O" or t[0] in "ES" for t in TAGS])
