"""Export commands for `python -m workbench`: export-code (model.py + weights), export-onnx, and
export-train-script (a standalone torchrun/DDP training script with the run's data and settings)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from workbench.cli import train as cli_train
from workbench.cli.common import CommandError, guard
from workbench.data.images import DataError
from workbench.files.export_code import export_code
from workbench.files.export_onnx import CHECK_IMAGES, export_onnx, require_onnx
from workbench.files.export_train import export_train_script
from workbench.files.logits import dataset_mismatch
from workbench.files.model_file import MODEL_SUFFIX, SavedModel, load_model
from workbench.model.build import build_model
from workbench.model.spec import load


def register(sub: argparse._SubParsersAction, handlers: dict) -> None:
    p = sub.add_parser("export-code", help="write the model as standalone PyTorch code (model.py + weights.pt)")
    p.add_argument("model", help=f"model file ({MODEL_SUFFIX})")
    p.add_argument("--out", required=True, help="folder for model.py and weights.pt (created if needed)")
    p.add_argument("--force", action="store_true", help="replace model.py and weights.pt already in the folder")
    handlers["export-code"] = guard(_cmd_export_code)

    p = sub.add_parser(
        "export-onnx",
        help="write the model as an ONNX file (needs the optional onnx packages)",
        description="Write the model as FILE.onnx (images in [0, 1] in, logits out; the calibration temperature, "
        "class names and normalisation in its metadata). The graph is first run in onnxruntime on test images "
        "of the model's dataset (when at hand) and refused if a logit differs from PyTorch's by more than 1e-4.",
    )
    p.add_argument("model", help=f"model file ({MODEL_SUFFIX})")
    p.add_argument("--out", required=True, help="FILE.onnx")
    cli_train.data_arguments(p, dataset_default=None)
    handlers["export-onnx"] = guard(_cmd_export_onnx)

    p = sub.add_parser(
        "export-train-script", help="write train_ddp.py (+ model.py, data.pt, README) to train the run with torchrun"
    )
    p.add_argument("model", help=f"model file ({MODEL_SUFFIX}) or model spec JSON (then give the settings here)")
    p.add_argument("--out", required=True, help="folder for the script and its files (created if needed)")
    p.add_argument("--force", action="store_true", help="replace an exported script already in the folder")
    cli_train.data_arguments(p, dataset_default=None)
    cli_train.training_arguments(p)
    handlers["export-train-script"] = guard(_cmd_export_train_script)


def _cmd_export_code(args: argparse.Namespace) -> int:
    saved = load_model(args.model)
    written = export_code(saved, args.out, force=args.force, source=Path(args.model).name)
    print(f"wrote {' and '.join(str(path) for path in written)}", file=sys.stderr)
    return 0


def _cmd_export_train_script(args: argparse.Namespace) -> int:
    """A trained model brings its settings and dataset; a spec takes them from the options (as `train` does)."""
    if str(args.model).endswith(MODEL_SUFFIX):
        saved = load_model(args.model)
        name = args.dataset or saved.dataset
        if not name:
            raise CommandError("the model file does not say which dataset it was trained on; give --dataset")
        dataset = cli_train.load_data(args, name, saved.train_config.get("seed", 0))
    else:
        spec = load(args.model)
        config = cli_train.config_from_args(args, spec.recommended)
        dataset = cli_train.load_data(args, args.dataset or "mnist", config.seed)
        saved = SavedModel(
            spec, build_model(spec).state_dict(), tuple(dataset.class_names), tuple(dataset.mean),
            tuple(dataset.std), config.to_json(), dataset=dataset.name,
        )  # fmt: skip
    written = export_train_script(saved, dataset, args.out, force=args.force)
    print(f"wrote {', '.join(str(path) for path in written)}", file=sys.stderr)
    return 0


def _cmd_export_onnx(args: argparse.Namespace) -> int:
    saved = load_model(args.model)
    require_onnx()  # before any dataset is loaded to check the graph on
    images = _check_images(args, saved)
    print(export_onnx(saved, args.out, images).line(), file=sys.stderr)
    return 0


def _check_images(args: argparse.Namespace, saved: SavedModel):
    """Test images of the model's dataset in [0, 1] to check the graph on, or None (with a note) when the
    dataset cannot be loaded here or does not fit the model."""
    name = args.dataset or saved.dataset
    if not name:
        print("note: the model does not say its dataset (give --dataset): checked on random images", file=sys.stderr)
        return None
    try:
        dataset = cli_train.load_data(args, name, quiet=True)
    except DataError as exc:
        print(f"note: {exc}; checked on random images", file=sys.stderr)
        return None
    problem = dataset_mismatch(saved, dataset)
    if problem is not None:
        raise CommandError(problem)
    return dataset.test.images[:CHECK_IMAGES].float() / 255
