"""Activation functions and softmax/cross-entropy on real numbers, for the Learn tab.

Curves are the catalog's own torch modules evaluated on a grid of inputs, their derivatives taken
with autograd, so what the panel plots is exactly what a model built from the spec computes. The
notes say what each activation is good and bad at, for learners choosing one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

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


NOTES: dict[str, ActivationNote] = {
    "ReLU": ActivationNote(
        "max(0, x)",
        "[0, ∞)",
        "Cheap, and its slope is exactly 1 for every positive input, so gradients pass through deep stacks "
        "without shrinking. The default for convolutional networks.",
        "The slope is 0 for every negative input: a unit whose input stays negative for all images gets no "
        "gradient and never recovers (a 'dead ReLU'), which a high learning rate or a bad initialisation can "
        "cause for many units at once.",
        "No: outputs are never negative, so the next layer sees inputs with a positive mean.",
    ),
    "ReLU6": ActivationNote(
        "min(max(0, x), 6)",
        "[0, 6]",
        "Like ReLU, but bounded: outputs fit a small fixed range, which suits 8-bit quantised mobile models "
        "(MobileNet uses it).",
        "Dead for negative inputs like ReLU, and also flat above 6: a unit pushed past 6 gets no gradient either.",
        "No: outputs lie in [0, 6].",
    ),
    "LeakyReLU": ActivationNote(
        "x for x ≥ 0, negative_slope·x otherwise",
        "(−∞, ∞)",
        "Keeps a small slope (0.01 by default) for negative inputs, so a unit can always recover: no dead "
        "units, at the cost of one multiplication.",
        "The negative slope is one more setting to choose; with the tiny default it often behaves just like ReLU.",
        "Nearly not: negative outputs exist but are tiny with the default slope.",
    ),
    "ELU": ActivationNote(
        "x for x > 0, alpha·(exp(x) − 1) otherwise",
        "(−alpha, ∞)",
        "Smooth, and negative outputs pull the mean activation towards zero, which can speed up learning.",
        "exp is slower than max; for very negative inputs it saturates at −alpha and the gradient vanishes.",
        "Roughly: negative inputs give outputs down to −alpha, balancing the positive ones.",
    ),
    "GELU": ActivationNote(
        "x·Φ(x), Φ the standard normal distribution function",
        "about [−0.17, ∞)",
        "A smooth ReLU: gradients change gradually around 0, which helps optimisation; the standard choice "
        "in transformers.",
        "Costlier than ReLU, and slightly non-monotonic (it dips below 0 near x = −0.75).",
        "Nearly not: small negative outputs only.",
    ),
    "Sigmoid": ActivationNote(
        "1 / (1 + exp(−x))",
        "(0, 1)",
        "Reads as a probability: right for one yes/no output, and for gates inside LSTMs.",
        "Saturates: for |x| above about 5 the slope is almost 0, and it is at most 0.25 even at 0, so "
        "gradients shrink layer after layer (vanishing gradients). Poor choice for hidden layers.",
        "No: outputs are all positive, centred on 0.5.",
    ),
    "Tanh": ActivationNote(
        "(exp(x) − exp(−x)) / (exp(x) + exp(−x))",
        "(−1, 1)",
        "Zero-centred and smooth, with slope 1 at 0: better than Sigmoid for hidden layers, and the "
        "activation of the original LeNet.",
        "Saturates like Sigmoid: for |x| above about 3 the slope is nearly 0 and gradients vanish.",
        "Yes: symmetric around 0.",
    ),
    "Softplus": ActivationNote(
        "1/beta · log(1 + exp(beta·x))",
        "(0, ∞)",
        "A smooth ReLU whose slope is never exactly 0, so no unit dies; also used where an output must be "
        "positive (a standard deviation, a rate).",
        "Costlier than ReLU and never exactly 0, so activations are not sparse.",
        "No: outputs are always positive.",
    ),
    "SiLU": ActivationNote(
        "x·sigmoid(x)  (also called Swish)",
        "about [−0.28, ∞)",
        "Smooth and non-monotonic, often slightly more accurate than ReLU in deep image models (EfficientNet uses it).",
        "Costs an exp per value; like GELU it dips slightly below 0 for negative inputs.",
        "Nearly not: small negative outputs only.",
    ),
}


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
