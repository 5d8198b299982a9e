"""Shared fixtures: where ../shared is (data and seeds), skipping cleanly when it is absent."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def find_shared() -> Path | None:
    """../shared beside the checkout, or $ZHIE_SHARED; None when neither exists."""
    candidates = [os.environ.get("ZHIE_SHARED"), REPO.parent / "shared", Path("/work/shared")]
    for candidate in candidates:
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return None


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    shared = find_shared()
    if shared is None:
        pytest.skip("../shared is not present")
    return shared


@pytest.fixture(scope="session")
def seed_path(shared_dir: Path) -> Path:
    seeds = sorted((shared_dir / "seeds").glob("*.txt"))
    if not seeds:
        pytest.skip("no seed article in ../shared/seeds")
    return seeds[0]


@pytest.fixture(scope="session")
def nlp():
    """The default pipeline, built once per test session."""
    from pipeline import language

    return language.build()


@pytest.fixture(scope="session")
def annotate(nlp):
    """Run the pipeline with the given entities instead of the NER stage's, so that later
    stages are tested on known input: annotate(text, {"Stability AI": "COMPANY", ...})."""
    import re

    from pipeline.spans import char_spans, set_entities

    def run(text: str, names: dict[str, str]):
        doc = nlp.make_doc(text)
        found = [(m.start(), m.end(), label) for name, label in names.items()
                 for m in re.finditer(re.escape(name), text)]
        found.sort(key=lambda s: (s[0], -(s[1] - s[0])))
        kept, end = [], -1
        for span in found:
            if span[0] >= end:
                kept.append(span)
                end = span[1]
        set_entities(doc, char_spans(doc, kept), replace=True)
        for name, component in nlp.pipeline:
            if name != "ner":
                doc = component(doc)
        return doc

    return run

@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small hand-written OUT_DIR of `zhie run` (see knowledge_run.py)."""
    from knowledge_run import write_run

    return write_run(tmp_path_factory.mktemp("run"))


@pytest.fixture(scope="module")
def knowledge(run_dir: Path):
    """That run merged across documents."""
    from pipeline.knowledge import aggregate

    return aggregate(run_dir)
