"""Entities: PERSON, COMPANY, ORG (and LOC) spans on the Doc, from a choice of backends.

Backends return character spans per text; the component puts them on the Doc through
:func:`pipeline.spans.char_spans`, so entity offsets are exact even where jieba's words are not.
"""
from __future__ import annotations

from typing import Iterable, Iterator, Protocol

import jieba.posseg
from spacy.language import Language
from spacy.tokens import Doc

from .spans import char_spans, set_entities

CharSpan = tuple[int, int, str]


class Backend(Protocol):
    def predict(self, texts: list[str]) -> list[list[CharSpan]]: ...


class JiebaTagBackend:
    """Baseline: jieba's part-of-speech tags read as entity labels (nr → PERSON, nt → ORG)."""

    TAGS = {"nr": "PERSON", "nrfg": "PERSON", "nrt": "PERSON", "nt": "ORG"}

    def __init__(self) -> None:
        self._tagger = jieba.posseg.POSTokenizer(jieba.Tokenizer())

    def predict(self, texts: list[str]) -> list[list[CharSpan]]:
        return [self._spans(text) for text in texts]

    def _spans(self, text: str) -> list[CharSpan]:
        out, pos = [], 0
        for pair in self._tagger.cut(text):
            end = pos + len(pair.word)
            label = self.TAGS.get(pair.flag)
            if label:
                out.append((pos, end, label))
            pos = end
        return out


BACKENDS = {"jieba": JiebaTagBackend}


class EntityRecognizer:
    """Pipeline component: runs the backend over a batch of Docs and sets ``doc.ents``."""

    def __init__(self, nlp: Language, name: str, backend: str) -> None:
        self.name = name
        self.backend_name = backend
        self.backend: Backend = BACKENDS[backend]()

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
        for doc, spans in zip(docs, self.backend.predict([d.text for d in docs])):
            set_entities(doc, char_spans(doc, spans), replace=True)
        return docs


@Language.factory("zhie_ner", default_config={"backend": "jieba"})
def make_entity_recognizer(nlp: Language, name: str, backend: str) -> EntityRecognizer:
    return EntityRecognizer(nlp, name, backend)
