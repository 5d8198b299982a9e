"""zhie: Chinese information extraction for WeChat article dumps.

The data's way through the package, one module per stage:

    reading → cleaning → segmentation → entities → money → canonical → relations → writing

``run`` drives them over a dump, ``evaluation`` scores the outputs, ``cli`` is ``zhie``.
"""
__version__ = "0.1.0"
