"""How well a model does on a whole split: cross-entropy loss, accuracy, the confusion matrix and the
calibration of its top-class probabilities (`insight/metrics.py`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from workbench.insight.metrics import Calibration, calibration, softmax
from workbench.model.build import compute_logits


@dataclass(frozen=True)
class Evaluation:
    loss: float
    accuracy: float
    confusion: np.ndarray  # (classes, classes): rows true, columns predicted
    predictions: np.ndarray  # (N,) int64
    calibration: Calibration | None = None  # of softmax(logits / temperature)


def evaluate(
    model: nn.Sequential, x: torch.Tensor, y: torch.Tensor, num_classes: int, temperature: float = 1.0
) -> Evaluation:
    """Cross-entropy loss, accuracy, confusion matrix and calibration on a whole normalised split."""
    return evaluation_of(compute_logits(model, x), y, num_classes, temperature)


def evaluation_of(logits: torch.Tensor, y: torch.Tensor, num_classes: int, temperature: float = 1.0) -> Evaluation:
    """The Evaluation of a split's logits (N, K) against its labels (N,). The loss is the raw logits'; the
    calibration is of the probabilities as the model shows them, softmax(logits / temperature)."""
    if len(y) == 0:
        return Evaluation(
            float("nan"), float("nan"), np.zeros((num_classes, num_classes), np.int64), np.zeros(0, np.int64)
        )
    loss = nn.functional.cross_entropy(logits, y).item()
    predictions = logits.argmax(1)
    accuracy = (predictions == y).float().mean().item()
    pairs = y.to(torch.int64) * num_classes + predictions.clamp_max(num_classes - 1)
    confusion = torch.bincount(pairs, minlength=num_classes * num_classes).view(num_classes, num_classes)
    calibrated = calibration(softmax(logits.detach().cpu(), temperature), y.cpu().numpy())
    return Evaluation(loss, accuracy, confusion.cpu().numpy(), predictions.cpu().numpy(), calibrated)
