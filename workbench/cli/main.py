"""`python -m workbench …`: the scriptable face of the core.

Every command reports bad input as one line `error: …` on stderr and exit status 2, never a
traceback. The training commands live in `workbench.cli.train`, the export commands in
`workbench.cli.export`, what they share in `workbench.cli.common`.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

from workbench.cli import evaluate as cli_evaluate
from workbench.cli import export as cli_export
from workbench.cli import lr_find as cli_lr_find
from workbench.cli import predict as cli_predict
from workbench.cli import runs as cli_runs
from workbench.cli import summary as cli_summary
from workbench.cli import sweep as cli_sweep
from workbench.cli import train as cli_train
from workbench.cli.common import EXIT_BAD_INPUT, UsageError, one_line
from workbench.model import templates
from workbench.model.shapes import infer
from workbench.model.spec import SpecError

DEBUG_VARIABLE = "WORKBENCH_DEBUG"
EXIT_BUG = 70  # EX_SOFTWARE: not the user's input (2) but this program's fault


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own errors: one line, status 2
        raise UsageError(f"{message} (see --help)")


Handler = Callable[[argparse.Namespace], int]


def _cmd_templates(args: argparse.Namespace) -> int:
    width = max(len(name) for name in templates.TEMPLATES)
    for name, spec in templates.TEMPLATES.items():
        params = infer(spec).total_params
        print(f"{name:<{width}}  {params:>9,} params  {templates.DESCRIPTIONS[name]}")
        print(f"{'':<{width}}  {'':>9}         measured: {templates.MEASURED[name]}")
        print(f"{'':<{width}}  {'':>9}         source: {templates.SOURCES[name]}")
    return 0


def _cmd_template(args: argparse.Namespace) -> int:
    if args.name not in templates.TEMPLATES:
        raise UsageError(f"unknown template {args.name!r}; choose one of: {', '.join(templates.TEMPLATES)}")
    sys.stdout.write(templates.template(args.name).dumps())
    return 0


def build_parser() -> tuple[argparse.ArgumentParser, dict[str, Handler]]:
    parser = _Parser(prog="python -m workbench", description="CNN Workbench from the command line.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    handlers: dict[str, Handler] = {}

    sub.add_parser("templates", help="list the starter models")
    handlers["templates"] = _cmd_templates

    p = sub.add_parser("template", help="print a starter model's spec JSON")
    p.add_argument("name", help="template name (see `templates`)")
    handlers["template"] = _cmd_template

    cli_summary.register(sub, handlers)

    cli_train.register(sub, handlers)
    cli_evaluate.register(sub, handlers)
    cli_export.register(sub, handlers)
    cli_lr_find.register(sub, handlers)
    cli_runs.register(sub, handlers)
    cli_sweep.register(sub, handlers)
    cli_predict.register(sub, handlers)
    return parser, handlers


def _print_anything() -> None:
    """Printing never fails on text the terminal cannot encode (a path that is not UTF-8 comes as lone
    surrogates; a C locale takes only ASCII): such characters are printed as escapes instead."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


def main(argv: Sequence[str] | None = None) -> int:
    _print_anything()
    try:
        parser, handlers = build_parser()
        args = parser.parse_args(argv)
        args.argv = list(sys.argv[1:] if argv is None else argv)  # a distributed train runs it again per rank
        if args.command is None:
            parser.print_help()
            return EXIT_BAD_INPUT
        return handlers[args.command](args)
    except (UsageError, SpecError) as exc:
        print(f"error: {one_line(str(exc))}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: still one line, and the traceback where it can be found
        if os.environ.get(DEBUG_VARIABLE):
            raise
        print(
            f"error: an unexpected {type(exc).__name__} ({one_line(str(exc), 200)}); this is a bug in CNN Workbench, "
            f"please report it (set {DEBUG_VARIABLE}=1 to see where it happened)",
            file=sys.stderr,
        )
        return EXIT_BUG
