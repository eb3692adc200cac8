"""A model judged as its users will use it: per-class figures and calibration of a split in one report (what
`evaluate --json` prints and the window shows), and temperature scaling fitted on the validation split and kept
with the model (`calibrate`, the window's Calibrate button)."""

from __future__ import annotations

from dataclasses import dataclass, replace

import torch

from workbench.files.model_file import SavedModel
from workbench.insight.evaluate import Evaluation, evaluation_of
from workbench.insight.metrics import averages, calibration, fit_temperature, per_class, softmax

__all__ = ["Calibrated", "calibrate", "quality_report"]


def quality_report(evaluation: Evaluation, class_names: tuple[str, ...], split: str, temperature: float) -> dict:
    """{"split", "images", "accuracy", "loss", "temperature", "per_class": [{"class", "precision", "recall", "f1",
    "support"}, …] in class order, "macro", "weighted", "calibration": {"ece", "bins"}}."""
    classes = per_class(evaluation.confusion, class_names)
    return {
        "split": split,
        "images": int(evaluation.confusion.sum()),
        "accuracy": round(evaluation.accuracy, 6),
        "loss": round(evaluation.loss, 6),
        "temperature": temperature,
        "per_class": [c.to_json() for c in classes],
        **averages(classes),
        "calibration": evaluation.calibration.to_json() if evaluation.calibration else None,
    }


@dataclass(frozen=True)
class Calibrated:
    """The outcome of `calibrate`: the model with its temperature, and the expected calibration error of the
    validation split before (as the model was, its old temperature included) and after."""

    saved: SavedModel
    before: float
    after: float
    images: int

    @property
    def temperature(self) -> float:
        return self.saved.temperature

    def line(self) -> str:
        return (
            f"temperature {self.temperature:.3f} fitted on {self.images:,} validation images: "
            f"expected calibration error {100 * self.before:.2f}% → {100 * self.after:.2f}%"
        )


def calibrate(saved: SavedModel, logits: torch.Tensor, labels: torch.Tensor) -> Calibrated:
    """Fit the temperature on a validation split's raw logits and labels and keep it in the model (the logits,
    and so every prediction, stay as they were). ValueError when the split is empty or the logits not finite."""
    if len(labels) == 0:
        raise ValueError("the validation split is empty: calibration needs held-out images (give a val fraction)")
    labels = labels.cpu()
    logits = logits.detach().cpu()
    before = calibration(softmax(logits, saved.temperature), labels.numpy()).ece
    temperature = fit_temperature(logits, labels)
    after = evaluation_of(logits, labels, logits.shape[1], temperature).calibration
    record = {
        "temperature": temperature,
        "ece_before": before,
        "ece_after": after.ece,
        "split": "val",
        "images": len(labels),
    }
    return Calibrated(replace(saved, calibration=record), before, after.ece, len(labels))
