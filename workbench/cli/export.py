"""Export commands for `python -m workbench`: export-code (model.py + weights) and export-onnx."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from workbench.cli.common import guard
from workbench.files.export_code import export_code
from workbench.files.export_onnx import export_onnx
from workbench.files.model_file import MODEL_SUFFIX, load_model


def register(sub: argparse._SubParsersAction, handlers: dict) -> None:
    p = sub.add_parser("export-code", help="write the model as standalone PyTorch code (model.py + weights.pt)")
    p.add_argument("model", help=f"model file ({MODEL_SUFFIX})")
    p.add_argument("--out", required=True, help="folder for model.py and weights.pt (created if needed)")
    p.add_argument("--force", action="store_true", help="replace model.py and weights.pt already in the folder")
    handlers["export-code"] = guard(_cmd_export_code)

    p = sub.add_parser("export-onnx", help="write the model as an ONNX file (needs the optional onnx packages)")
    p.add_argument("model", help=f"model file ({MODEL_SUFFIX})")
    p.add_argument("--out", required=True, help="FILE.onnx")
    handlers["export-onnx"] = guard(_cmd_export_onnx)


def _cmd_export_code(args: argparse.Namespace) -> int:
    saved = load_model(args.model)
    written = export_code(saved, args.out, force=args.force, source=Path(args.model).name)
    print(f"wrote {' and '.join(str(path) for path in written)}", file=sys.stderr)
    return 0


def _cmd_export_onnx(args: argparse.Namespace) -> int:
    saved = load_model(args.model)
    print(f"wrote {export_onnx(saved, args.out)}", file=sys.stderr)
    return 0
