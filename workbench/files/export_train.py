"""Export a run as a standalone DDP training script for a cluster: `train_ddp.py`, `model.py` (the network,
the training normalisation built in; see export_code), `data.pt` (the run's own train / validation / test
splits, uint8, saved as plain tensors) and a README with the torchrun commands.

The user's side needs only torch: `torchrun --nproc-per-node N train_ddp.py` trains the network from fresh
weights with the run's settings (optimizer, learning rate and schedule, batch size, epochs, label smoothing,
augmentation, seed) on the same images.
"""

from __future__ import annotations

import io
import os
import pprint
from pathlib import Path

import torch

from workbench.data.datasets import Dataset, split_tensors
from workbench.files.errors import ExportError
from workbench.files.export_code import CODE_FILE, render_model_code
from workbench.files.model_file import SavedModel
from workbench.files.train_script import TEMPLATE
from workbench.system import atomic_file

__all__ = ["DATA_FILE", "SCRIPT_FILE", "export_train_script"]

SCRIPT_FILE = "train_ddp.py"
DATA_FILE = "data.pt"
README_FILE = "README.md"
SETTING_NAMES = (
    "epochs", "batch_size", "optimizer", "lr", "momentum", "nesterov", "weight_decay", "schedule", "step_size",
    "gamma", "label_smoothing", "augment", "seed",
)  # fmt: skip
DEFAULTS = {"momentum": 0.9, "nesterov": False, "weight_decay": 0.0, "schedule": "none", "step_size": 1,
            "gamma": 0.1, "label_smoothing": 0.0, "augment": False, "seed": 0}  # fmt: skip


def export_train_script(saved: SavedModel, dataset: Dataset, out_dir: str | os.PathLike, *, force: bool = False):
    """Write the four files into `out_dir`; ExportError when it holds them already (unless `force`), when
    the model does not fit the data, or when a file cannot be written. Returns the paths written."""
    folder = Path(out_dir)
    paths = [folder / name for name in (SCRIPT_FILE, CODE_FILE, DATA_FILE, README_FILE)]
    if tuple(saved.spec.input) != tuple(dataset.input_shape):
        raise ExportError(
            f"the model takes {list(saved.spec.input)} inputs but {dataset.name} has {list(dataset.input_shape)}"
        )
    if not force and any(path.exists() for path in paths):
        raise ExportError(f"{folder} already holds an exported script; choose another folder or give --force")
    settings = _settings(saved.train_config)
    script = TEMPLATE.format(
        title=saved.spec.name or "the model",
        dataset_title=dataset.title,
        settings=pprint.pformat(settings, sort_dicts=False),
    )
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for path, data in zip(paths, (script.encode(), render_model_code(saved).encode(), _data_bytes(dataset),
                                      _readme(saved, dataset, settings).encode()), strict=True):  # fmt: skip
            with atomic_file(path) as handle:
                handle.write(data)
    except OSError as exc:
        raise ExportError(f"cannot write into {folder}: {exc.strerror or exc}") from None
    return paths


def _settings(config: dict) -> dict:
    settings = {name: config.get(name, DEFAULTS.get(name)) for name in SETTING_NAMES}
    if settings["epochs"] is None or settings["batch_size"] is None or settings["lr"] is None:
        raise ExportError("the model's settings lack epochs, batch size or learning rate; train it or give them")
    return settings


def _data_bytes(dataset: Dataset) -> bytes:
    buffer = io.BytesIO()
    torch.save(
        split_tensors(dataset), buffer
    )  # plain tensors: torch.load(weights_only=True) reads them without running code
    return buffer.getvalue()


def _readme(saved: SavedModel, dataset: Dataset, settings: dict) -> str:
    sizes = f"{len(dataset.train):,} train, {len(dataset.val):,} validation, {len(dataset.test):,} test images"
    return f"""# Train {saved.spec.name or "the model"} with torchrun

Exported by CNN Workbench: `model.py` (the network), `data.pt` ({dataset.title}: {sizes}), `train_ddp.py`.
Only torch is needed. The settings of the app's run are at the top of `train_ddp.py`:
{", ".join(f"{k} {v}" for k, v in settings.items())}.

One machine with 4 GPUs (one process per GPU, nccl):

    torchrun --nproc-per-node 4 train_ddp.py

Two machines with 4 GPUs each: run on both, with the first machine's address (any free port):

    torchrun --nnodes 2 --node-rank 0 --nproc-per-node 4 --rdzv-endpoint HOST:29500 train_ddp.py   # on HOST
    torchrun --nnodes 2 --node-rank 1 --nproc-per-node 4 --rdzv-endpoint HOST:29500 train_ddp.py   # on the other

On a machine without GPUs, `torchrun --nproc-per-node 2 train_ddp.py` runs 2 CPU processes (gloo).
The batch size is the whole batch over all processes; each trains on its own slice of every batch.
Rank 0 prints each epoch, saves `weights.pt` (load it with `model.build_model()`) and ends with a line of JSON.
Add `--sync-batchnorm` on GPUs for BatchNorm statistics over all processes, `--epochs N` to train longer.
"""
