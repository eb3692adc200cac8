"""A stored run as TensorBoard event files, for people who already use TensorBoard: the batch loss, the
per-epoch losses, accuracies and learning rate as scalars, and the first Conv2d layer's filters as
images (when the run's model file is there). Needs the optional `tensorboard` package
(`pip install 'cnn-workbench[tensorboard]'`); without it, one line says so.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from workbench.files.errors import ModelFileError
from workbench.files.model_file import load_model
from workbench.runs.store import RunRecord

INSTALL_HINT = "TensorBoard export needs the tensorboard package: pip install 'cnn-workbench[tensorboard]'"
EPOCH_SCALARS = ("train_loss", "val_loss", "train_accuracy", "val_accuracy", "lr")


class TensorBoardMissing(RuntimeError):
    pass


def _writer_class():
    try:
        from torch.utils.tensorboard import SummaryWriter
    except ImportError:  # torch raises it when the tensorboard package is absent
        raise TensorBoardMissing(INSTALL_HINT) from None
    return SummaryWriter


def first_layer_filters(path: str | None) -> np.ndarray | None:
    """The first Conv2d's filters of the model at `path` as (N, 1, kH, kW) images in [0, 1] (each
    filter's mean over its input channels, scaled to its own range); None without a readable model."""
    if not path or not Path(path).is_file():
        return None
    try:
        saved = load_model(path)
    except (ModelFileError, OSError):
        return None
    for index, layer in enumerate(saved.spec.layers, start=1):
        if layer.type == "Conv2d":
            weight = saved.state.get(f"{index - 1}.weight")
            if weight is None:
                return None
            maps = weight.float().mean(dim=1, keepdim=True).numpy()
            low = maps.min(axis=(1, 2, 3), keepdims=True)
            span = np.maximum(maps.max(axis=(1, 2, 3), keepdims=True) - low, 1e-12)
            return (maps - low) / span
    return None


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
        filters = first_layer_filters(record.summary.model_path)
        if filters is not None:
            writer.add_images("first_conv_filters", filters, 0, dataformats="NCHW")
        writer.add_text("run", f"{record.summary.name}: {record.summary.dataset}, {record.summary.device}")
    finally:
        writer.close()
    return target
