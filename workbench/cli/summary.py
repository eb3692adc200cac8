"""`python -m workbench summary SPEC|MODEL [--measure]`: a model's layer-by-layer shapes, parameters and MACs from
shape inference, and with --measure what it costs on this machine (latency at batch 1 and 64, file size, parameter
memory), measured by running it (`workbench.insight.cost`)."""

from __future__ import annotations

import argparse
import json

from workbench.cli.common import CommandError, UsageError, guard
from workbench.files.model_file import MODEL_SUFFIX, load_model
from workbench.insight.cost import CostError, measure_cost
from workbench.model.formatting import summary_table
from workbench.model.shapes import infer
from workbench.model.spec import load
from workbench.text import show_path
from workbench.training.config import default_threads, resolve_device


def register(sub: argparse._SubParsersAction, handlers: dict) -> None:
    p = sub.add_parser("summary", help="layer-by-layer shapes, parameters and MACs; --measure runs the model here")
    p.add_argument("spec", metavar="SPEC|MODEL", help=f"model spec JSON file or model file ({MODEL_SUFFIX})")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.add_argument(
        "--measure",
        action="store_true",
        help="run the model here: latency per image at batch 1 and 64 (median of repeated runs), model file size "
        "and parameter memory",
    )
    p.add_argument("--device", default="auto", help="with --measure: auto, cpu, cuda, cuda:N or mps (default auto)")
    p.add_argument(
        "--threads", type=int, help="with --measure: torch threads (default: every core, or WORKBENCH_THREADS)"
    )
    handlers["summary"] = guard(_cmd_summary)


def _cmd_summary(args: argparse.Namespace) -> int:
    if args.threads is not None and args.threads < 1:
        raise UsageError(f"--threads must be at least 1, not {args.threads}")
    model_file = str(args.spec).endswith(MODEL_SUFFIX)
    spec = load_model(args.spec).spec if model_file else load(args.spec)
    inference = infer(spec)
    problem = inference.error.message if inference.error is not None else inference.over_budget
    cost = None
    if args.measure and problem is None:
        device, threads = resolve_device(args.device), args.threads or default_threads()
        try:
            cost = measure_cost(args.spec if model_file else spec, device=device, threads=threads)
        except CostError as exc:
            raise CommandError(str(exc)) from None
    if args.json:
        data = inference.to_json()
        if cost is not None:
            data["cost"] = cost.to_json()
        print(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        print(summary_table(inference, title=spec.name or show_path(args.spec)))
        if cost is not None:
            print("\n".join(cost.lines()))
    if problem is not None:
        raise UsageError(problem)
    return 0
