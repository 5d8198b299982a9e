"""The ``zhie`` command.  Each subcommand lives in its stage module as
``add_arguments(parser)`` and ``main(args) -> exit status``."""
from __future__ import annotations

import argparse
import importlib
import sys

from . import __version__

COMMANDS = {
    "run": ("pipeline.run", "extract entities, amounts and triples from a dump"),
    "eval": ("pipeline.evaluation", "score outputs against gold data"),
    "export": ("pipeline.export", "merge a run's outputs and export them for knowledge bases"),
}


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="zhie", description="Chinese information extraction for WeChat article dumps.")
    top.add_argument("--version", action="version", version=f"zhie {__version__}")
    sub = top.add_subparsers(dest="command", required=True)
    for name, (module, help_text) in COMMANDS.items():
        command = sub.add_parser(name, help=help_text, description=help_text)
        stage = importlib.import_module(module)
        stage.add_arguments(command)
        command.set_defaults(handler=stage.main)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
