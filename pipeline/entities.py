"""Entities: PERSON, COMPANY, ORG (and LOC, kept on the Doc but not written) from a choice of
backends, with the user's own names on top.

- ``model``: the shipped character BiLSTM-CRF (:mod:`pipeline.ner_model`, weights in models/ner)
- ``hanlp``: a HanLP NER model the user has, loaded by name or path (``pip install zhie[hanlp]``)
- ``jieba``: jieba's part-of-speech tags read as entities (nr → PERSON, nt → ORG), the baseline

Backends return character spans; the component puts them on the Doc through
:func:`pipeline.spans.char_spans`, so entity offsets are exact even where jieba's words are not.
An organisation's ending settles COMPANY vs ORG when it says (rules/entities_org_types.tsv):
"…公司" is a company, "…大学" is not.  A user dictionary (``name<TAB>LABEL`` per line) wins
over any backend and keeps its names whole in segmentation.
"""
from __future__ import annotations

import re
import shutil
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator, Protocol, Sequence

import jieba.posseg
import srsly
from spacy.language import Language
from spacy.tokens import Doc

from .ner_model import CharTagger, Featurizer, chunks, spans_from_tags
from .rulefiles import rule_rows
from .spans import char_spans, set_entities

DEFAULT_MODEL = Path(__file__).resolve().parent.parent / "models" / "ner"
LABELS = ("PERSON", "COMPANY", "ORG", "LOC")
CharSpan = tuple[int, int, str]



@lru_cache(maxsize=1)
def org_endings() -> list[tuple[str, str]]:
    return sorted(((ending, kind) for ending, kind in rule_rows("entities_org_types.tsv")), key=lambda x: -len(x[0]))


def org_type(name: str, label: str) -> str:
    """COMPANY or ORG by the name's ending, else the label given."""
    stripped = name.rstrip()
    for ending, kind in org_endings():
        if stripped.endswith(ending) and len(stripped) > len(ending):
            return kind
    return label


class Backend(Protocol):
    def predict(self, docs: list[Doc]) -> list[list[CharSpan]]: ...


# --- backends --------------------------------------------------------------------------------

class ModelBackend:
    """The shipped character tagger; the Doc's tokens give it the jieba word boundaries."""

    batch_chunks = 64  # chunks per numpy batch: measured faster than 16, 32, 128 or 256 here

    def __init__(self, directory: Path, jieba_tokenizer) -> None:
        if not (directory / "weights.npz").exists():
            raise FileNotFoundError(
                f"no NER model in {directory}: run `make train-ner`, or choose --ner-backend jieba")
        self.directory = directory
        self.tagger, chars, bigrams = CharTagger.load(directory)
        self.featurizer = Featurizer(chars, bigrams, jieba_tokenizer)

    def predict(self, docs: list[Doc]) -> list[list[CharSpan]]:
        jobs = []  # (doc index, offsets of the characters the tagger reads, encoded chunk)
        for d, doc in enumerate(docs):
            text = doc.text
            words = [(t.idx, t.idx + len(t)) for t in doc if not t.is_space]
            for start, end in chunks(text):
                kept = _without_quotes(text, start, end)
                if len(kept) == end - start:  # the usual case: the chunk as it is
                    inside = [(max(s, start) - start, min(e, end) - start) for s, e in words if s < end and e > start]
                    jobs.append((d, kept, self.featurizer.encode(text[start:end], inside)))
                    continue
                position = {offset: i for i, offset in enumerate(kept)}
                inside = [(position[s], position[e - 1] + 1) for s, e in words
                          if s >= start and e <= end and s in position and e - 1 in position]
                jobs.append((d, kept, self.featurizer.encode("".join(text[i] for i in kept), inside)))
        out: list[list[CharSpan]] = [[] for _ in docs]
        jobs.sort(key=lambda job: len(job[2].chars))
        for k in range(0, len(jobs), self.batch_chunks):
            batch = jobs[k:k + self.batch_chunks]
            for (d, kept, _), path in zip(batch, self.tagger.decode([job[2] for job in batch])):
                for s, e, label in spans_from_tags(path):
                    while e - s > 1 and kept[e - 1] - kept[s] != e - 1 - s:
                        e -= 1  # a name does not run over a quote the tagger did not see
                    out[d].append((kept[s], kept[e - 1] + 1, label))
        return out


# A market quote, a stock code or a ticker after a listed company's name: "中铝国际(6.050,0.02,0.33%)"
# (price, change, change in per cent), "嘉麟杰(002486.SZ)", "金城医药（SZ 300233，收盘价：38.39元）",
# "H&R Block(HRB.US)", "微软（Nasdaq: MSFT）".  Finance portals print one after every name; the
# training texts have none, and they throw the tagger off the names around them (the exchange read
# as a company, the name as a person), so it reads the text without them.  Also read by the
# mentions stage and its rule files.
STOCK_CODE = (r"(?:[（(](?:[A-Z]{2}[：:\s]\s?)?\d{4,6}(?:[.\-]?(?:HK|SH|SZ|US|hk|sh|sz))?"
              r"(?:[，,][^（()）\n]{0,30})?[）)]"
              r"|[（(][A-Z]{1,5}\.(?:US|N|O)[）)]"
              r"|[（(](?:NASDAQ|Nasdaq|NYSE|Nyse|HKEX|LSE|TSX|OTC|纳斯达克|纽交所|港交所)\s?[：:]\s?[A-Z]{1,5}[）)]"
              r"|[（(]\s?-?\d+(?:\.\d+)?\s?,\s?[+-]?\d+(?:\.\d+)?\s?,\s?[+-]?\d+(?:\.\d+)?%\s?[）)])")
_QUOTE = re.compile(STOCK_CODE)


def _without_quotes(text: str, start: int, end: int) -> Sequence[int]:
    """Offsets of text[start:end] outside market quotes and stock codes."""
    cut = [m.span() for m in _QUOTE.finditer(text, start, end)]
    if not cut:
        return range(start, end)
    kept, pos = [], start
    for s, e in cut:
        kept.extend(range(pos, s))
        pos = e
    kept.extend(range(pos, end))
    return kept


class HanLPBackend:
    """A HanLP NER model by name or path, fed characters, its labels mapped to zhie's."""

    def __init__(self, model: str) -> None:
        try:
            import hanlp
        except ImportError as exc:
            raise RuntimeError("the HanLP backend needs `pip install zhie[hanlp]`") from exc
        if not model:
            raise ValueError("--ner-backend hanlp needs a model: --hanlp-model NAME_OR_PATH")
        self.model = hanlp.load(model)
        self.labels = {source: target for source, target in rule_rows("entities_hanlp_labels.tsv")}

    def predict(self, docs: list[Doc]) -> list[list[CharSpan]]:
        out: list[list[CharSpan]] = []
        for doc in docs:
            text = doc.text
            pieces = chunks(text)
            found: list[CharSpan] = []
            if pieces:
                results = self.model([list(text[s:e]) for s, e in pieces])
                for (start, _), entities in zip(pieces, results):
                    found.extend((start + s, start + e, self.labels[label])
                                 for _, label, s, e in entities if label in self.labels)
            out.append(found)
        return out


class JiebaTagBackend:
    """Baseline: jieba's part-of-speech tags read as entity labels (nr → PERSON, nt → ORG)."""

    TAGS = {"nr": "PERSON", "nrfg": "PERSON", "nrt": "PERSON", "nt": "ORG"}

    def __init__(self) -> None:
        self._tagger = jieba.posseg.POSTokenizer(jieba.Tokenizer())

    def predict(self, docs: list[Doc]) -> list[list[CharSpan]]:
        return [self._spans(doc.text) for doc in docs]

    def _spans(self, text: str) -> list[CharSpan]:
        out, pos = [], 0
        for pair in self._tagger.cut(text):
            end = pos + len(pair.word)
            label = self.TAGS.get(pair.flag)
            if label:
                out.append((pos, end, label))
            pos = end
        return out


# --- user dictionaries -----------------------------------------------------------------------

def read_user_entities(path: str | Path) -> dict[str, str]:
    """``name<TAB>LABEL`` lines (blank lines and # comments ignored); ValueError says what is wrong."""
    names: dict[str, str] = {}
    for number, line in enumerate(Path(path).read_text(encoding="utf-8-sig").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        name, _, label = line.rstrip("\n").partition("\t")
        label = label.strip().upper()
        if not name.strip() or label not in LABELS:
            raise ValueError(f"{path}:{number}: expected NAME<TAB>LABEL with LABEL one of {', '.join(LABELS)}")
        names[name.strip()] = label
    return names


class UserEntities:
    """Exact matches of the user's names, longest first, Latin names only as whole words."""

    def __init__(self, names: dict[str, str]) -> None:
        self.names = names
        alternatives = []
        for name in sorted(names, key=len, reverse=True):
            escaped = re.escape(name)
            if name[0].isascii() and name[0].isalnum():
                escaped = rf"(?<![A-Za-z0-9]){escaped}"
            if name[-1].isascii() and name[-1].isalnum():
                escaped = rf"{escaped}(?![A-Za-z0-9])"
            alternatives.append(escaped)
        self.pattern = re.compile("|".join(alternatives)) if alternatives else None

    def find(self, text: str) -> list[CharSpan]:
        if self.pattern is None:
            return []
        return [(m.start(), m.end(), self.names[m.group()]) for m in self.pattern.finditer(text)]


# --- the component ---------------------------------------------------------------------------

# Bracket pairs a name may hold whole ("《星报》编辑部", "中银（天津）融资担保有限公司"),
# and the separators it neither starts nor ends with ("莱德利-", "米切尔·" before an unread surname).
_BRACKETS = ("（）", "()", "《》", "『』", "「」", "【】", "“”")
_EDGES = "·・-—–_,，、。:：;；/|"


def _tidied(text: str, span: CharSpan) -> CharSpan:
    """A backend's span without whitespace or separators at its edges and without half brackets.

    A tagger reads characters and now and then runs a name over a bracket it does not close
    ("伊斯兰堡电）国家旅游局", "简称众达投资）") or starts one inside a pair ("幸福工程』组委会"): a
    closing bracket whose partner sits just before the span takes the partner in, one at the end is
    dropped, any other cut off with what lies before it; an opening bracket at the start is dropped
    ("《广汇能源股份有限公司" of a document's title).  An opening bracket inside a span is left to
    the mentions stage, which reads what follows it as an alias ("亚洲基础设施投资银行（亚投行").
    """
    start, end = _stripped(text, span[0], span[1])
    for opener, closer in _BRACKETS:
        depth, cut_after = 0, None
        for i in range(start, end):
            if text[i] == opener:
                depth += 1
            elif text[i] == closer and depth:
                depth -= 1
            elif text[i] == closer and start > 0 and text[start - 1] == opener and cut_after is None:
                start -= 1
            elif text[i] == closer:
                cut_after = i
        if cut_after == end - 1:
            end -= 1
        elif cut_after is not None:
            start = cut_after + 1
        if start < end and text[start] == opener and closer not in text[start:end]:
            start += 1
        start, end = _stripped(text, start, end)
    return start, end, span[2]


def _stripped(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in _EDGES):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in _EDGES):
        end -= 1
    return start, end


class EntityRecognizer:
    """Runs the backend over batches of Docs and sets ``doc.ents``."""

    def __init__(self, nlp: Language, name: str, backend: str, model: str, hanlp_model: str,
                 user_entities: str) -> None:
        self.name = name
        self.backend_name = backend
        self.model_dir = Path(model) if model else DEFAULT_MODEL
        self.hanlp_model = hanlp_model
        self._jieba = getattr(getattr(nlp.tokenizer, "segmenter", None), "_jieba", None) or jieba.Tokenizer()
        self._segmenter = getattr(nlp.tokenizer, "segmenter", None)
        self._backend: Backend | None = None
        self.user = UserEntities({})
        if user_entities:
            self.add_user_entities(read_user_entities(user_entities))

    @property
    def backend(self) -> Backend:
        """Loaded on first use, so that from_disk does not load the default model first."""
        if self._backend is None:
            if self.backend_name == "model":
                self._backend = ModelBackend(self.model_dir, self._jieba)
            elif self.backend_name == "hanlp":
                self._backend = HanLPBackend(self.hanlp_model)
            elif self.backend_name == "jieba":
                self._backend = JiebaTagBackend()
            else:
                raise ValueError(f"unknown NER backend {self.backend_name!r}: model, hanlp or jieba")
        return self._backend

    def add_user_entities(self, names: dict[str, str]) -> None:
        merged = {**self.user.names, **names}
        self.user = UserEntities(merged)
        if self._segmenter is not None:
            for name in names:
                self._segmenter.add_word(name, 20000)

    def __call__(self, doc: Doc) -> Doc:
        return next(self.pipe([doc]))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 64) -> Iterator[Doc]:
        batch: list[Doc] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= batch_size:
                yield from self._process(batch)
                batch = []
        if batch:
            yield from self._process(batch)

    def _process(self, docs: list[Doc]) -> list[Doc]:
        for doc, found in zip(docs, self.backend.predict(docs)):
            text = doc.text
            typed = [(s, e, org_type(text[s:e], label) if label in ("COMPANY", "ORG") else label)
                     for s, e, label in map(lambda span: _tidied(text, span), found) if s < e]
            set_entities(doc, char_spans(doc, typed), replace=True)
            user = self.user.find(text)
            if user:
                doc.spans["user"] = char_spans(doc, user)  # relabelling rules leave these alone
                set_entities(doc, doc.spans["user"], replace=True)
        return docs

    # serialization: the model's files and the user's names travel with the pipeline
    def to_disk(self, path: str | Path, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path / "user_entities.json", self.user.names)
        if self.backend_name == "model":
            for name in ("weights.npz", "vocab.json", "config.json"):
                shutil.copyfile(self.model_dir / name, path / name)

    def from_disk(self, path: str | Path, exclude: Iterable[str] = ()) -> "EntityRecognizer":
        path = Path(path)
        self.add_user_entities(srsly.read_json(path / "user_entities.json"))
        if (path / "weights.npz").exists():
            self.model_dir = path
            self._backend = None
        return self

    def to_bytes(self, exclude: Iterable[str] = ()) -> bytes:
        files = {}
        if self.backend_name == "model":
            files = {name: (self.model_dir / name).read_bytes() for name in ("weights.npz", "vocab.json", "config.json")}
        return srsly.msgpack_dumps({"user": self.user.names, "files": files})

    def from_bytes(self, data: bytes, exclude: Iterable[str] = ()) -> "EntityRecognizer":
        """Used where the pipeline travels as bytes (Spark executors): the model files are
        unpacked into a temporary directory of this process."""
        import atexit
        import shutil
        import tempfile

        payload = srsly.msgpack_loads(data)
        self.add_user_entities(payload["user"])
        if payload["files"]:
            directory = Path(tempfile.mkdtemp(prefix="zhie-ner-"))
            atexit.register(shutil.rmtree, directory, True)
            for name, content in payload["files"].items():
                (directory / name).write_bytes(content)
            self.model_dir = directory
            self._backend = None
        return self


@Language.factory("zhie_ner", default_config={"backend": "model", "model": "", "hanlp_model": "",
                                              "user_entities": ""})
def make_entity_recognizer(nlp: Language, name: str, backend: str, model: str, hanlp_model: str,
                           user_entities: str) -> EntityRecognizer:
    return EntityRecognizer(nlp, name, backend, model, hanlp_model, user_entities)
