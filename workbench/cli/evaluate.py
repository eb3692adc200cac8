"""Commands that judge a saved model on a split of its dataset: evaluate (accuracy, per-class figures and
calibration, `--json`), calibrate (temperature scaling kept in the model file) and export-logits."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from workbench.cli.common import CommandError, guard
from workbench.cli.train import Progress, data_arguments, load_data
from workbench.data.datasets import to_device
from workbench.events import DataProgress
from workbench.files.logits import check_logits_path, dataset_mismatch, write_logits
from workbench.files.model_file import MODEL_SUFFIX, load_model, model_from_saved, save_model
from workbench.insight.evaluate import evaluate
from workbench.insight.quality import calibrate, quality_report
from workbench.model.build import compute_logits
from workbench.training.config import resolve_device


def register(sub: argparse._SubParsersAction, handlers: dict) -> None:
    p = sub.add_parser("evaluate", help="accuracy, per-class figures and calibration of a saved model on a split")
    p.add_argument("model", help=f"model file ({MODEL_SUFFIX})")
    data_arguments(p, dataset_default=None)
    p.add_argument("--split", choices=("train", "val", "test"), default="test")
    p.add_argument(
        "--json",
        action="store_true",
        help="one JSON line: accuracy, loss, per_class precision/recall/f1/support, macro, weighted, "
        "calibration (ece, 10 reliability bins)",
    )
    handlers["evaluate"] = guard(_cmd_evaluate)

    p = sub.add_parser(
        "calibrate",
        help="fit temperature scaling on the validation split and keep it in the model file",
        description="Fit one temperature T on the validation split so that softmax(logits / T) can be read as "
        "confidence (Guo et al., 2017). The predictions do not change; the probabilities shown everywhere do, "
        "and the logits stay raw. The model file is rewritten in place unless --out is given.",
    )
    p.add_argument("model", help=f"model file ({MODEL_SUFFIX})")
    data_arguments(p, dataset_default=None)
    p.add_argument("--out", help=f"write the calibrated model here ({MODEL_SUFFIX}) instead of over MODEL")
    handlers["calibrate"] = guard(_cmd_calibrate)

    p = sub.add_parser("export-logits", help="write the raw outputs of the last layer before softmax")
    p.add_argument("model", help=f"model file ({MODEL_SUFFIX})")
    data_arguments(p, dataset_default=None)
    p.add_argument("--split", choices=("train", "val", "test"), default="test")
    p.add_argument("--out", required=True, help="FILE.csv or FILE.npy")
    p.add_argument(
        "--probabilities",
        action="store_true",
        help="also write softmax probabilities (with the model's calibration temperature; the logits stay raw)",
    )
    handlers["export-logits"] = guard(_cmd_export_logits)


def _evaluation_inputs(args: argparse.Namespace):
    saved = load_model(args.model)
    name = args.dataset or saved.dataset
    if not name:
        raise CommandError("the model file does not say which dataset it was trained on; give --dataset")
    dataset = load_data(args, name, saved.train_config.get("seed", 0))  # a whole number: files/schema.py
    images = dataset.split(args.split)
    problem = dataset_mismatch(saved, dataset)  # the input shape and the class count, checked before any work
    if problem is not None:
        raise CommandError(problem)
    model = model_from_saved(saved)
    device = resolve_device("auto")
    mean, std = saved.mean or dataset.mean, saved.std or dataset.std
    x, y = to_device(images, mean, std, device)
    return saved, dataset, model.to(device), x, y


def _cmd_evaluate(args: argparse.Namespace) -> int:
    saved, dataset, model, x, y = _evaluation_inputs(args)
    result = evaluate(model, x, y, len(dataset.class_names), saved.temperature)
    if args.json:
        print(json.dumps(quality_report(result, dataset.class_names, args.split, saved.temperature)))
        return 0
    print(f"{args.split} accuracy: {100 * result.accuracy:.2f}% ({len(y)} images, loss {result.loss:.4f})")
    if result.calibration is not None and len(y):
        print(f"expected calibration error: {100 * result.calibration.ece:.2f}% (temperature {saved.temperature:g})")
    return 0


def _cmd_calibrate(args: argparse.Namespace) -> int:
    out = Path(args.out or args.model)
    if out.suffix != MODEL_SUFFIX:
        raise CommandError(f"{out.name}: a model file is written as FILE{MODEL_SUFFIX}")
    args.split = "val"
    saved, _, model, x, y = _evaluation_inputs(args)
    try:
        result = calibrate(saved, compute_logits(model, x), y)
        save_model(out, result.saved)
    except ValueError as exc:
        raise CommandError(str(exc)) from None
    print(f"{result.line()}; wrote {out}")
    return 0


def _cmd_export_logits(args: argparse.Namespace) -> int:
    check_logits_path(args.out)
    saved, dataset, model, x, y = _evaluation_inputs(args)
    bar = Progress()
    logits = compute_logits(model, x, progress=lambda done, total: bar(DataProgress("Computing logits", done, total)))
    rows = write_logits(
        args.out, logits.cpu().numpy(), y.cpu().numpy(), dataset.class_names, args.probabilities, saved.temperature
    )
    print(f"wrote {rows} rows to {args.out}", file=sys.stderr)
    return 0
