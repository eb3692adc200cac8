"""What the trainer reports while it runs: plain dataclasses holding floats and CPU numpy arrays.

A listener is any callable taking one event. The Qt worker re-emits them as signals; the CLI prints
a progress bar from them. Events are rate-limited at the source (see `Trainer`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Event:
    pass


@dataclass(frozen=True)
class DataProgress(Event):
    """Loading or downloading a dataset (total 0 = unknown size)."""

    message: str
    done: int
    total: int


@dataclass(frozen=True)
class RunStarted(Event):
    dataset: str
    class_names: tuple[str, ...]
    train_size: int
    val_size: int
    test_size: int
    input_shape: tuple[int, ...]
    parameters: int
    macs: int
    device: str  # e.g. "CPU · 2 threads", "CUDA · NVIDIA H200"
    config: dict
    start_epoch: int  # 1-based epoch the run starts (or resumes) at
    epochs: int
    batches_per_epoch: int
    features: str = ""  # e.g. "bf16 autocast · channels_last"; empty for plain float32
    start_step: int = 0  # steps done before this run started (a continued or resumed run)


@dataclass(frozen=True)
class BatchEnded(Event):
    """The latest batch, plus every batch since the previous event (per-batch curves without an
    event per batch)."""

    epoch: int
    batch: int  # 1-based within the epoch
    batches_per_epoch: int
    step: int  # global, 1-based
    loss: float
    accuracy: float  # running accuracy over the epoch so far
    lr: float
    images_per_second: float
    steps: tuple[int, ...] = ()
    losses: tuple[float, ...] = ()


@dataclass(frozen=True)
class EpochEnded(Event):
    epoch: int
    epochs: int
    train_loss: float
    train_accuracy: float
    val_loss: float | None
    val_accuracy: float | None
    seconds: float
    images_per_second: float
    lr: float
    confusion: np.ndarray | None = None  # rows = true class, columns = predicted (validation split)
    misclassified: np.ndarray | None = None  # indices into the validation split
    misclassified_predictions: np.ndarray | None = None
    # the validation split's reliability diagram: {"ece", "bins": [{"lower", "upper", "count", "confidence",
    # "accuracy"}, …]} (insight/metrics.py: Calibration.to_json)
    calibration: dict | None = None


@dataclass(frozen=True)
class ValidationChecked(Event):
    """A validation check within an epoch (runs with a target accuracy or a time budget)."""

    epoch: int
    batch: int
    step: int
    val_loss: float
    val_accuracy: float


@dataclass(frozen=True)
class Notice(Event):
    """Something the user should know that does not stop the run (one line)."""

    message: str


@dataclass(frozen=True)
class ProbeUpdate(Event):
    """The pinned probe sample through every layer, a few times a second."""

    step: int
    image: np.ndarray  # (C, H, W) as the model sees it, before normalisation, in [0, 1]
    label: int | None
    # (key, name, output for this sample): key is the 1-based row for the spec's own layers, the module name
    # ("1.body.0") for a layer inside a block; name is the type, or the place ("2 Residual › 1 Conv2d")
    layers: tuple[tuple[int | str, str, np.ndarray], ...]
    logits: np.ndarray
    probabilities: np.ndarray
    saliency: Any = None  # a workbench.insight.saliency.Saliency when one was asked for (`probe(explain=)`)
    saliency_note: str = ""  # why there is none though one was asked for (e.g. no Conv2d for Grad-CAM)


@dataclass(frozen=True)
class HealthUpdate(Event):
    """Every layer's health on a sample of one batch, a couple of times a second when asked for
    (`workbench.insight.health`): `layers` holds LayerHealth entries, `update_ratios` the relative
    weight change of that step per weighted layer index."""

    step: int
    layers: tuple[Any, ...]
    update_ratios: dict[int | str, float]  # keyed as LayerHealth.index: a row, or an inner layer's module name


@dataclass(frozen=True)
class Paused(Event):
    epoch: int
    step: int


@dataclass(frozen=True)
class Resumed(Event):
    config: dict


@dataclass(frozen=True)
class CheckpointSaved(Event):
    path: str
    epoch: int


@dataclass(frozen=True)
class Finished(Event):
    history: tuple[dict, ...]
    test_loss: float | None
    test_accuracy: float | None
    seconds: float
    images_per_second: float
    reason: str = ""  # why the run ended: its epochs done, a target reached, the time budget used, patience
    device: str = ""
    features: str = ""


@dataclass(frozen=True)
class Stopped(Event):
    epoch: int
    step: int
    history: tuple[dict, ...] = field(default=())


@dataclass(frozen=True)
class Failed(Event):
    reason: str  # one line: what happened and what to do


def epoch_events(history: list[dict], batches_per_epoch: int = 0) -> list[tuple[int, EpochEnded]]:
    """A saved per-epoch history as (step, EpochEnded) pairs, to draw it as the live plots drew the run.
    Rows carry the step the epoch ended at; older rows without one are placed at epoch × batches_per_epoch
    (or at the epoch number when that is unknown). The rows' kinds are the trainer's own or were checked
    when their file was read (`files/schema.py` HistoryRow); rows without an epoch's losses are skipped."""
    events = []
    for row in history:
        epoch, loss, accuracy = row.get("epoch"), row.get("train_loss"), row.get("train_accuracy")
        if epoch is None or loss is None or accuracy is None:
            continue
        event = EpochEnded(
            epoch=epoch,
            epochs=len(history),
            train_loss=loss,
            train_accuracy=accuracy,
            val_loss=row.get("val_loss"),
            val_accuracy=row.get("val_accuracy"),
            seconds=row.get("seconds") or 0.0,
            images_per_second=row.get("images_per_second") or 0.0,
            lr=row.get("lr") or 0.0,
        )
        events.append((row.get("step") or epoch * (batches_per_epoch or 1), event))
    return events


Listener = Callable[[Event], None]


def ignore(event: Event) -> None:
    """The default listener."""
