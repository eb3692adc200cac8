"""Classify single images with a model: a trained one, a copy of one in training, or an untrained one."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from workbench.events import ProbeUpdate
from workbench.files.model_file import SavedModel, model_from_saved
from workbench.insight.probe import probe
from workbench.messages import say
from workbench.model.build import build_model, logits_model
from workbench.model.spec import ModelSpec


@dataclass
class Prediction:
    logits: np.ndarray
    probabilities: np.ndarray

    @property
    def label(self) -> int:
        return int(np.argmax(self.probabilities))

    @property
    def confidence(self) -> float:
        return float(self.probabilities.max())


@dataclass
class Classifier:
    """A CPU model in eval mode with what it needs to read an image in [0, 1]: the training data's
    normalisation and class names. `description` says where the weights come from."""

    model: nn.Sequential
    spec: ModelSpec
    mean: tuple[float, ...]
    std: tuple[float, ...]
    class_names: tuple[str, ...]
    description: str
    trained: bool = True
    temperature: float = 1.0  # temperature scaling (`calibrate`): probabilities are softmax(logits / T)

    def __post_init__(self) -> None:
        self.model.eval()
        self._head = logits_model(self.model)
        channels = len(self.spec.input) and self.spec.input[0]
        self._mean = _per_channel(self.mean, channels, 0.0)
        self._std = _per_channel(self.std, channels, 1.0)

    @property
    def input_shape(self) -> tuple[int, ...]:
        return tuple(self.spec.input)

    def normalise(self, image: np.ndarray) -> torch.Tensor:
        """(C, H, W) in [0, 1] → a batch of one, normalised as in training."""
        x = torch.as_tensor(np.asarray(image, dtype=np.float32))[None]
        return (x - self._mean) / self._std

    @torch.no_grad()
    def predict(self, image: np.ndarray) -> Prediction:
        logits = self._head(self.normalise(image)).flatten(1)[0].double()
        return Prediction(logits.numpy(), torch.softmax(logits / self.temperature, 0).numpy())

    @torch.no_grad()
    def batch_logits(self, images: torch.Tensor) -> np.ndarray:
        """(N, C, H, W) float images in [0, 1] → raw logits (N, K) float64 (no temperature: logits stay raw)."""
        return self._head((images - self._mean) / self._std).flatten(1).double().numpy()

    def batch_probabilities(self, images: torch.Tensor) -> np.ndarray:
        """(N, C, H, W) float images in [0, 1] → softmax(logits / temperature) (N, K) float64."""
        logits = torch.from_numpy(self.batch_logits(images))
        return torch.softmax(logits / self.temperature, 1).numpy()

    def probe(self, image: np.ndarray, label: int | None = None, explain=None) -> ProbeUpdate:
        """Every layer's output, the logits and probabilities for the image (the probe panels' event); with
        `explain` (method, class), its saliency map too."""
        image = torch.as_tensor(np.asarray(image, dtype=np.float32))
        return probe(self.model, image, self._mean, self._std, label, 0, explain, self.temperature)

    def class_name(self, index: int) -> str:
        return self.class_names[index] if index < len(self.class_names) else str(index)

    @classmethod
    def from_saved(cls, saved: SavedModel, description: str) -> Classifier:
        return cls(
            model_from_saved(saved),
            saved.spec,
            tuple(saved.mean),
            tuple(saved.std),
            tuple(saved.class_names),
            description,
            temperature=saved.temperature,
        )

    @classmethod
    def untrained(cls, spec: ModelSpec, mean: Sequence[float], std: Sequence[float], class_names: Sequence[str]):
        torch.manual_seed(0)
        return cls(
            build_model(spec), spec, tuple(mean), tuple(std), tuple(class_names), say("model.untrained"), trained=False
        )


def _per_channel(values: Sequence[float], channels: int, default: float) -> torch.Tensor:
    values = list(values) or [default]
    if len(values) == 1:
        values = values * max(1, channels)
    return torch.tensor(values, dtype=torch.float32).view(-1, 1, 1)
