"""The zhie spaCy Language: built from ``config.cfg`` with the stage components registered."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from spacy import util
from spacy.language import Language

# Importing the stage modules registers their components and the Doc/Span extensions.
from . import canonical, entities, extensions, mentions, money, relations, segmentation, titles  # noqa: F401

CONFIG_PATH = Path(__file__).with_name("config.cfg")


def build(config_path: Path = CONFIG_PATH, overrides: dict[str, Any] | None = None) -> Language:
    """The pipeline described by a config file, with dotted-key overrides
    (``{"components.ner.backend": "jieba"}``)."""
    config = util.load_config(config_path, overrides=overrides or {}, interpolate=False)
    return util.load_model_from_config(config, auto_fill=True, validate=True)
