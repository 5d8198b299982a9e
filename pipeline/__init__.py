"""zhie: Chinese information extraction for WeChat article dumps.

The data's way through the package, one module per stage:

    reading → cleaning → segmentation → entities → money → titles → mentions → canonical → relations → writing

``run`` drives them over a dump, ``evaluation`` scores the outputs, ``cli`` is ``zhie``.
"""
__version__ = "0.1.0"


def __getattr__(name: str):
    """``pipeline.load`` (see :func:`pipeline.knowledge.load`), imported on first use so that
    ``import pipeline`` stays light."""
    if name == "load":
        from .knowledge import load

        return load
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
