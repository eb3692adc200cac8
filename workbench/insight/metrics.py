"""How a model does per class, and whether its softmax can be read as confidence.

Per class: precision, recall, F1 and support from the confusion matrix, with their macro and weighted
averages (as scikit-learn's `precision_recall_fscore_support` with `zero_division=0`: a class never
predicted has precision 0).

Calibration: the top softmax probability of each image in 10 equal-width bins, each bin's mean confidence
against its accuracy (the reliability diagram), and the expected calibration error, the bins' gaps weighted
by their share of images. A bin holds the confidences in (lower, upper], the first [0, 0.1], as
scikit-learn's `calibration_curve` bins them.

Temperature scaling (Guo et al., 2017) divides the logits by one number T fitted on the validation split to
minimise its cross-entropy: the predicted class never changes, only how sure the model says it is.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch

__all__ = [
    "BINS",
    "Calibration",
    "ClassMetrics",
    "ReliabilityBin",
    "averages",
    "calibration",
    "fit_temperature",
    "per_class",
    "softmax",
]

BINS = 10
TEMPERATURE_RANGE = (0.05, 20.0)  # a fitted T outside this says the logits carry no information, not a fit


@dataclass(frozen=True)
class ClassMetrics:
    name: str
    precision: float
    recall: float
    f1: float
    support: int

    def to_json(self) -> dict:
        return {"class": self.name, **_rounded(self.precision, self.recall, self.f1), "support": self.support}


@dataclass(frozen=True)
class ReliabilityBin:
    lower: float
    upper: float
    count: int
    confidence: float | None  # the mean top probability in the bin; None when it is empty
    accuracy: float | None

    def to_json(self) -> dict:
        return {
            "lower": self.lower,
            "upper": self.upper,
            "count": self.count,
            "confidence": None if self.confidence is None else round(self.confidence, 6),
            "accuracy": None if self.accuracy is None else round(self.accuracy, 6),
        }


@dataclass(frozen=True)
class Calibration:
    ece: float
    bins: tuple[ReliabilityBin, ...]

    def to_json(self) -> dict:
        return {"ece": round(self.ece, 6), "bins": [b.to_json() for b in self.bins]}


def per_class(confusion: np.ndarray, class_names: tuple[str, ...] | list[str]) -> list[ClassMetrics]:
    """Precision, recall, F1 and support of each class, in class order; `confusion` rows are true classes."""
    confusion = np.asarray(confusion, dtype=np.float64)
    true_positives = np.diag(confusion)
    predicted = confusion.sum(axis=0)
    support = confusion.sum(axis=1)
    precision = _ratio(true_positives, predicted)
    recall = _ratio(true_positives, support)
    f1 = _ratio(2 * precision * recall, precision + recall)
    names = [class_names[i] if i < len(class_names) else str(i) for i in range(len(confusion))]
    return [
        ClassMetrics(names[i], float(precision[i]), float(recall[i]), float(f1[i]), int(support[i]))
        for i in range(len(confusion))
    ]


def averages(classes: list[ClassMetrics]) -> dict[str, dict[str, float]]:
    """{"macro": {...}, "weighted": {...}}: each class counts once, or by its support."""
    support = np.array([c.support for c in classes], dtype=np.float64)
    result = {}
    for name, weights in (("macro", np.ones_like(support)), ("weighted", support)):
        total = weights.sum()
        mean = [float((np.array(values) * weights).sum() / total) if total else 0.0 for values in _columns(classes)]
        result[name] = {**_rounded(*mean), "support": int(support.sum())}
    return result


def softmax(logits: torch.Tensor | np.ndarray, temperature: float = 1.0) -> np.ndarray:
    """Probabilities (N, K) float64 from logits (N, K), divided by `temperature` first."""
    logits = torch.as_tensor(logits).double()
    return torch.softmax(logits / temperature, dim=1).numpy()


def calibration(probabilities: np.ndarray, labels: np.ndarray, bins: int = BINS) -> Calibration:
    """The reliability diagram's bins and the expected calibration error of the top-class probabilities."""
    probabilities = np.asarray(probabilities, dtype=np.float64)
    labels = np.asarray(labels)
    if len(labels) == 0:
        edges = np.linspace(0.0, 1.0, bins + 1)
        empty = tuple(ReliabilityBin(float(edges[i]), float(edges[i + 1]), 0, None, None) for i in range(bins))
        return Calibration(float("nan"), empty)
    confidence = probabilities.max(axis=1)
    correct = (probabilities.argmax(axis=1) == labels).astype(np.float64)
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.searchsorted(edges[1:-1], confidence)  # (lower, upper]: scikit-learn's calibration_curve
    result, ece = [], 0.0
    for b in range(bins):
        inside = which == b
        count = int(inside.sum())
        if count:
            mean_confidence, accuracy = float(confidence[inside].mean()), float(correct[inside].mean())
            ece += count / len(labels) * abs(accuracy - mean_confidence)
        else:
            mean_confidence = accuracy = None
        result.append(ReliabilityBin(float(edges[b]), float(edges[b + 1]), count, mean_confidence, accuracy))
    return Calibration(ece, tuple(result))


def fit_temperature(logits: torch.Tensor | np.ndarray, labels: torch.Tensor | np.ndarray) -> float:
    """The T > 0 that minimises the cross-entropy of softmax(logits / T) on these labels.

    The loss is convex in 1/T (a log-sum-exp of a linear function, less a linear one), so its derivative in
    1/T rises monotonically and is bisected to its zero. ValueError when there is nothing to fit."""
    z = torch.as_tensor(logits).double()
    y = torch.as_tensor(labels).long()
    if z.ndim != 2 or len(z) == 0 or len(z) != len(y):
        raise ValueError("calibration needs the logits and labels of at least one image")
    if not torch.isfinite(z).all():
        raise ValueError("the model's logits are not finite numbers (NaN or infinity); retrain it")
    true = z.gather(1, y[:, None])[:, 0]

    def slope(beta: float) -> float:  # d/dβ of mean(logsumexp(βz) − βz_y)
        p = torch.softmax(beta * z, dim=1)
        return float(((p * z).sum(1) - true).mean())

    low, high = 1 / TEMPERATURE_RANGE[1], 1 / TEMPERATURE_RANGE[0]
    if slope(low) >= 0:
        return TEMPERATURE_RANGE[1]
    if slope(high) <= 0:
        return TEMPERATURE_RANGE[0]
    for _ in range(100):  # on log β: 100 halvings reach float precision from any bracket in range
        middle = math.sqrt(low * high)
        if slope(middle) < 0:
            low = middle
        else:
            high = middle
    return 1 / math.sqrt(low * high)


def _ratio(top: np.ndarray, bottom: np.ndarray) -> np.ndarray:
    out = np.zeros_like(top, dtype=np.float64)
    np.divide(top, bottom, out=out, where=bottom > 0)
    return out


def _columns(classes: list[ClassMetrics]) -> tuple[list[float], list[float], list[float]]:
    return [c.precision for c in classes], [c.recall for c in classes], [c.f1 for c in classes]


def _rounded(precision: float, recall: float, f1: float) -> dict[str, float]:
    return {"precision": round(precision, 6), "recall": round(recall, 6), "f1": round(f1, 6)}
