"""The NER training script's labels: weak DuEE names and the tag masks the CRF is trained on."""
import sys
from pathlib import Path

import pytest

pytest.importorskip("torch")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

import train_ner  # noqa: E402
from pipeline.ner_model import TAGS  # noqa: E402


@pytest.fixture(scope="module")
def rules():
    return train_ner.duee_rules()[1], [t for t in train_ner.title_kinds() if len(t) >= 2]


@pytest.mark.parametrize("argument, expected", [
    ("字节跳动", (0, "字节跳动", False)),                # a brand name, whatever jieba's tag
    ("蔚来汽车软件负责人庄莉", (9, "庄莉", True)),        # a description, then a person's name
    ("Uber", (0, "Uber", False)),
    ("高管", None),                                     # a kind of person
    ("一家电商公司", None),                              # a description
    ("莱昂纳德与乔治", None),                            # two names
    ("4000人", None),
    ("警方", None),
])
def test_names_in_duee_arguments(rules, argument, expected):
    assert train_ner.name_in_argument(argument, *rules) == expected


def _allowed(mask, position):
    return {TAGS[k] for k in range(len(TAGS)) if mask[position, k]}


def test_a_weak_name_span_may_be_any_name_type_and_the_rest_anything():
    mask = train_ner.allowed_tags(6, [(2, 4, train_ner.ANY_NAME)], partial=True)
    assert _allowed(mask, 2) == {"B-PERSON", "B-COMPANY", "B-ORG"}
    assert _allowed(mask, 3) == {"E-PERSON", "E-COMPANY", "E-ORG"}
    assert _allowed(mask, 0) == _allowed(mask, 5) == set(TAGS)


def test_a_fully_labelled_example_has_o_outside_its_spans():
    mask = train_ner.allowed_tags(5, [(1, 4, train_ner.AMBIGUOUS)])
    assert _allowed(mask, 0) == _allowed(mask, 4) == {"O"}
    assert _allowed(mask, 2) == {"I-COMPANY", "I-ORG"}
