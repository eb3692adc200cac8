"""Activation functions and softmax/cross-entropy on real numbers, for the Learn tab.

Curves are the catalog's own torch modules evaluated on a grid of inputs, their derivatives taken
with autograd, so what the panel plots is exactly what a model built from the spec computes. The
notes say what each activation is good and bad at, for learners choosing one; they are read from
resources/help/learn/activations.md.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from workbench.model import helptext
from workbench.model.catalog import CATALOG
from workbench.model.spec import LayerSpec

ACTIVATIONS = tuple(name for name, layer in CATALOG.items() if layer.group == "Activation")
SATURATION_SCALE = 50.0  # "a very confident model": the logits times this


@dataclass(frozen=True)
class ActivationNote:
    formula: str
    output_range: str
    good: str
    bad: str
    zero_centred: str


# The labels of a note's items in help/learn/activations.md, by ActivationNote field.
NOTE_LABELS = {
    "formula": "Formula",
    "output_range": "Output range",
    "good": "Good",
    "bad": "Bad",
    "zero_centred": "Zero-centred?",
}


def _load_notes() -> tuple[str, dict[str, ActivationNote]]:
    """help/learn/activations.md: the text under the plot (first paragraphs) and one section per activation."""
    doc = helptext.load("learn", "activations.md")
    if set(doc.sections) != set(ACTIVATIONS):
        missing, extra = set(ACTIVATIONS) - set(doc.sections), set(doc.sections) - set(ACTIVATIONS)
        raise helptext.HelpError(f"{doc.source}: sections must be the activations; missing {missing}, extra {extra}")
    notes = {}
    for name in ACTIVATIONS:
        items = doc.section(name).items
        if set(items) != set(NOTE_LABELS.values()):
            expected = ", ".join(f"**{label}**" for label in NOTE_LABELS.values())
            raise helptext.HelpError(f"{doc.source}: '## {name}' must list exactly {expected}")
        notes[name] = ActivationNote(**{field: items[label] for field, label in NOTE_LABELS.items()})
    return doc.intro, notes


SLOPE_NOTE, NOTES = _load_notes()


def activation_module(layer: LayerSpec | str) -> nn.Module:
    """The torch module a model built from this layer would contain."""
    spec = LayerSpec(layer) if isinstance(layer, str) else layer
    if spec.type not in ACTIVATIONS:
        raise ValueError(f"{spec.type} is not an activation function")
    return getattr(nn, spec.type)(**spec.resolved())


def activation_curve(layer: LayerSpec | str, xs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """f(x) and f′(x) at `xs`, the derivative by autograd (at a kink, torch's choice: ReLU′(0) = 0)."""
    x = torch.tensor(np.asarray(xs, dtype=np.float64), requires_grad=True)
    y = activation_module(layer)(x)
    (grad,) = torch.autograd.grad(y.sum(), x)
    return y.detach().numpy(), grad.numpy()


def cursor_text(x: float, y: float, dy: float) -> str:
    return f"x = {_signed(x)}   f(x) = {_signed(y)}   f′(x) = {_signed(dy)}"


def _signed(value: float) -> str:
    return f"{value:.2f}".replace("-", "−")


# ----- softmax and cross-entropy ----------------------------------------------------------------------


@dataclass(frozen=True)
class SoftmaxExplanation:
    logits: np.ndarray
    temperature: float
    true_class: int
    probabilities: np.ndarray
    logsumexp: float
    loss: float

    @property
    def loss_text(self) -> str:
        t = self.temperature
        scaled_true = self.logits[self.true_class] / t
        return (
            f"loss = logsumexp(z / T) − z[{self.true_class}] / T = {_signed(self.logsumexp)} − "
            f"{_signed(scaled_true)} = {_signed(self.loss)}   "
            f"(= −log p[{self.true_class}] = −log {self.probabilities[self.true_class]:.4f})"
        )


def explain_softmax(logits: np.ndarray, temperature: float = 1.0, true_class: int = 0) -> SoftmaxExplanation:
    """Probabilities softmax(z / T) and the cross-entropy loss for `true_class`, as training computes it."""
    z = torch.as_tensor(np.asarray(logits, dtype=np.float64)) / temperature
    loss = F.cross_entropy(z[None], torch.tensor([true_class]))
    return SoftmaxExplanation(
        np.asarray(logits, dtype=np.float64),
        float(temperature),
        int(true_class),
        torch.softmax(z, dim=0).numpy(),
        float(torch.logsumexp(z, dim=0)),
        float(loss),
    )


def why_logits(logits: np.ndarray, shift: float = 10.0) -> str:
    """Three facts, on these logits, that explain why export writes logits rather than probabilities."""
    z = torch.as_tensor(np.asarray(logits, dtype=np.float64))
    moved = (torch.softmax(z + shift, 0) - torch.softmax(z, 0)).abs().max()
    confident = torch.softmax(z.float() * SATURATION_SCALE, 0)
    zeros = int((confident == 0).sum())
    rounded = ", ".join(f"{p:.3f}" for p in confident.tolist())
    return "\n".join(
        (
            f"• Adding {shift:g} to every logit changes no probability (largest change {float(moved):.1e}): "
            "softmax only sees differences between logits, so probabilities cannot give the logits back.",
            f"• A confident model (these logits × {SATURATION_SCALE:g}) gives probabilities {rounded}: the "
            f"other classes all read 0 and their order is lost ({zeros} of {len(confident)} are exactly 0 even "
            "in float32). The logits keep the order and the margins.",
            "• The loss needs log p = z − logsumexp(z), computed stably from logits; from a probability "
            "rounded to 0, log 0 = −∞. Softmax is one line away from logits, never the other way round.",
        )
    )
