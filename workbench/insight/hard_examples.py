"""The images behind one confusion-matrix cell, the most doubtful first.

Clicking a cell (true class t, predicted class p) asks which validation images the model reads as p
though they are t, and which of them it nearly got right. The margin is the top probability minus the
runner-up's: the smallest margins are the images on the decision boundary, where a learner sees what
confuses the model and where a fix helps most.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch

from workbench.insight.classify import Classifier
from workbench.insight.probe import as_unit_image

__all__ = ["HardExamples", "cell_examples", "split_probabilities"]

BATCH = 1024  # images per forward pass: bounds the memory of the activations


@dataclass(frozen=True)
class HardExamples:
    true: int
    predicted: int
    indices: np.ndarray  # (M,) int64 positions in the split, lowest margin first
    probabilities: np.ndarray  # (M, K) float64 softmax of each listed image
    margins: np.ndarray  # (M,) top probability minus the runner-up's

    def __len__(self) -> int:
        return len(self.indices)


@torch.no_grad()
def split_probabilities(
    classifier: Classifier, images: torch.Tensor, cancelled: Callable[[], bool] = lambda: False
) -> np.ndarray:
    """Softmax (N, K) of a whole split of uint8 (N, C, H, W) images, in batches, on the CPU. Once `cancelled()`
    is true it stops before the next batch: the rows read so far (fewer than N) come back."""
    rows = []
    for start in range(0, len(images), BATCH):
        if cancelled():
            break
        rows.append(classifier.batch_probabilities(as_unit_image(images[start : start + BATCH])))
    if not rows:
        return np.zeros((0, len(classifier.class_names)), np.float64)
    return np.concatenate(rows)


def margins(probabilities: np.ndarray) -> np.ndarray:
    """Top probability minus the second highest, per row (1 for a single class)."""
    if probabilities.shape[1] < 2:
        return np.ones(len(probabilities))
    top_two = np.sort(probabilities, axis=1)[:, -2:]
    return top_two[:, 1] - top_two[:, 0]


def cell_examples(probabilities: np.ndarray, labels: np.ndarray, true: int, predicted: int) -> HardExamples:
    """The images labelled `true` that the model predicts as `predicted`, lowest margin first (ties by index)."""
    probabilities = np.asarray(probabilities, dtype=np.float64)
    labels = np.asarray(labels).ravel()
    if len(probabilities) != len(labels):
        raise ValueError(f"{len(probabilities)} rows of probabilities for {len(labels)} labels")
    chosen = np.flatnonzero((labels == true) & (probabilities.argmax(1) == predicted))
    chosen_margins = margins(probabilities[chosen])
    order = np.lexsort((chosen, chosen_margins))
    indices = chosen[order].astype(np.int64)
    return HardExamples(int(true), int(predicted), indices, probabilities[indices], chosen_margins[order])
