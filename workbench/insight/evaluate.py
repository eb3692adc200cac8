"""How well a model does on a whole split: cross-entropy loss, accuracy and the confusion matrix."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from workbench.model.build import compute_logits


@dataclass(frozen=True)
class Evaluation:
    loss: float
    accuracy: float
    confusion: np.ndarray  # (classes, classes): rows true, columns predicted
    predictions: np.ndarray  # (N,) int64


def evaluate(model: nn.Sequential, x: torch.Tensor, y: torch.Tensor, num_classes: int) -> Evaluation:
    """Cross-entropy loss, accuracy and confusion matrix on a whole normalised split."""
    return evaluation_of(compute_logits(model, x), y, num_classes)


def evaluation_of(logits: torch.Tensor, y: torch.Tensor, num_classes: int) -> Evaluation:
    """The Evaluation of a split's logits (N, K) against its labels (N,)."""
    if len(y) == 0:
        return Evaluation(
            float("nan"), float("nan"), np.zeros((num_classes, num_classes), np.int64), np.zeros(0, np.int64)
        )
    loss = nn.functional.cross_entropy(logits, y).item()
    predictions = logits.argmax(1)
    accuracy = (predictions == y).float().mean().item()
    pairs = y.to(torch.int64) * num_classes + predictions.clamp_max(num_classes - 1)
    confusion = torch.bincount(pairs, minlength=num_classes * num_classes).view(num_classes, num_classes)
    return Evaluation(loss, accuracy, confusion.cpu().numpy(), predictions.cpu().numpy())
