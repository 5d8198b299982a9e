"""State that flows between pipeline stages lives on the Doc and its Spans, registered here.

- ``doc._.triples``    list of :class:`~pipeline.records.Triple` found by the relation stage
- ``span._.value``     a MONEY span's normalized value: {"amount", "currency", ...}
- ``span._.canonical`` the document-level name an entity mention resolves to
- ``doc.spans["titles"]``   job titles (CEO, 首席技术官) for the relation stage
- ``doc.spans["mentions"]`` pronouns and aliases (该公司, 他, "稳定AI") with ``_.canonical``
"""
from spacy.tokens import Doc, Span


def register() -> None:
    if not Doc.has_extension("triples"):
        Doc.set_extension("triples", default=None)
    for name in ("value", "canonical"):
        if not Span.has_extension(name):
            Span.set_extension(name, default=None)


register()
