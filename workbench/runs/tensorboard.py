"""A stored run as TensorBoard event files, for people who already use TensorBoard: the batch loss, the
per-epoch losses, accuracies and learning rate as scalars, and the first Conv2d layer's filters (inside a block
too) as images, with a line saying which layer that is (when the run's model file is there). Needs the optional
`tensorboard` package (`pip install 'cnn-workbench[tensorboard]'`); without it, one line says so.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from workbench.files.errors import ModelFileError
from workbench.files.model_file import load_model
from workbench.messages import say
from workbench.model import tree
from workbench.runs.store import RunRecord

INSTALL_HINT = say("runs.no_tensorboard", command="pip install 'cnn-workbench[tensorboard]'")
EPOCH_SCALARS = ("train_loss", "val_loss", "train_accuracy", "val_accuracy", "lr")


class TensorBoardMissing(RuntimeError):
    pass


def _writer_class():
    try:
        from torch.utils.tensorboard import SummaryWriter
    except ImportError:  # torch raises it when the tensorboard package is absent
        raise TensorBoardMissing(INSTALL_HINT) from None
    return SummaryWriter


def first_layer_filters(path: str | None) -> tuple[str, np.ndarray] | None:
    """The first Conv2d of the model at `path`, in forward order and inside blocks too: where it sits ("layer 2
    Residual › layer 1 Conv2d") and its filters as (N, 1, kH, kW) images in [0, 1] (each filter's mean over its
    input channels, scaled to its own range); None without a readable model or a Conv2d."""
    if not path or not Path(path).is_file():
        return None
    try:
        saved = load_model(path)
    except (ModelFileError, OSError):
        return None
    found = next((place for place, layer in tree.walk(saved.spec) if layer.type == "Conv2d"), None)
    if found is None:
        return None
    weight = saved.state.get(f"{tree.module_name(saved.spec, found)}.weight")
    if weight is None:
        return None
    maps = weight.float().mean(dim=1, keepdim=True).numpy()
    low = maps.min(axis=(1, 2, 3), keepdims=True)
    span = np.maximum(maps.max(axis=(1, 2, 3), keepdims=True) - low, 1e-12)
    return tree.where(saved.spec, found), (maps - low) / span


def export_run(record: RunRecord, folder: str | Path) -> Path:
    """Write `record` under `folder/run-<id>` (TensorBoard's logdir is `folder`); the run's folder."""
    writer_class = _writer_class()
    target = Path(folder) / f"run-{record.summary.id}"
    writer = writer_class(log_dir=str(target))
    try:
        for step, loss in zip(record.batch_steps, record.batch_losses, strict=True):
            writer.add_scalar("batch/train_loss", loss, step)
        for row in record.history:
            step = int(row["step"] or row["epoch"])
            for name in EPOCH_SCALARS:
                if row.get(name) is not None:
                    writer.add_scalar(f"epoch/{name}", row[name], step)
        if record.summary.test_accuracy is not None:
            writer.add_scalar(
                "test/accuracy", record.summary.test_accuracy, record.batch_steps[-1] if record.batch_steps else 0
            )
        first = first_layer_filters(record.summary.model_path)
        if first is not None:
            where, filters = first
            writer.add_images("first_conv_filters", filters, 0, dataformats="NCHW")
            writer.add_text("first_conv_filters", f"{where}: {len(filters)} filters, each averaged over its inputs")
        writer.add_text("run", f"{record.summary.name}: {record.summary.dataset}, {record.summary.device}")
    finally:
        writer.close()
    return target
