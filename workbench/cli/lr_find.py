"""`python -m workbench lr-find SPEC`: the learning-rate range test, and a proposed peak rate."""

from __future__ import annotations

import argparse
import json
import math

from workbench.cli.common import guard
from workbench.cli.train import Progress, data_arguments, load_data
from workbench.events import DataProgress
from workbench.model.spec import load
from workbench.training.config import OPTIMIZERS, TrainConfig
from workbench.training.lr_finder import LrFinding, find_lr

SHOWN_POINTS = 12


def register(sub: argparse._SubParsersAction, handlers: dict) -> None:
    p = sub.add_parser("lr-find", help="try learning rates from tiny to huge and propose a peak rate")
    p.add_argument("spec", help="model spec JSON file")
    data_arguments(p)
    p.add_argument("--batch-size", type=int, default=TrainConfig.batch_size)
    p.add_argument("--optimizer", choices=OPTIMIZERS, default=TrainConfig.optimizer)
    p.add_argument("--start", type=float, default=1e-6, help="smallest learning rate tried")
    p.add_argument("--end", type=float, default=1.0, help="largest learning rate tried")
    p.add_argument("--steps", type=int, default=100, help="batches, each at a larger rate")
    p.add_argument("--device", default="auto")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--json", action="store_true", help="print every point and the proposal as JSON")
    handlers["lr-find"] = guard(_cmd_lr_find)


def _cmd_lr_find(args: argparse.Namespace) -> int:
    spec = load(args.spec)
    config = TrainConfig(batch_size=args.batch_size, optimizer=args.optimizer, device=args.device, seed=args.seed)
    dataset = load_data(args, args.dataset, args.seed)
    bar = Progress()
    finding = find_lr(
        spec,
        dataset,
        config,
        start=args.start,
        end=args.end,
        steps=args.steps,
        progress=lambda done, total: bar(DataProgress("Trying learning rates", done, total)),
    )
    print(json.dumps(finding.to_json()) if args.json else table(finding))
    return 0


def table(finding: LrFinding) -> str:
    """A few points of the curve and the proposal, as text."""
    every = max(1, math.ceil(len(finding.lrs) / SHOWN_POINTS))
    rows = ["learning rate   smoothed loss"]
    for index in range(0, len(finding.lrs), every):
        mark = "  <- lowest" if finding.lrs[index] == finding.minimum else ""
        rows.append(f"{finding.lrs[index]:13.3g}   {finding.losses[index]:13.4f}{mark}")
    rows.append(
        f"proposed peak learning rate: {finding.suggestion:.3g} (a tenth of {finding.minimum:.3g}, where the loss "
        f"was lowest; steepest fall at {finding.steepest:.3g}). Use it with --lr and --schedule one-cycle."
    )
    return "\n".join(rows)
