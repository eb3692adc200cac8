"""The Learn tab's depth lesson: one 20-layer network trained twice, as a plain stack and with each pair of
convolutions wrapped in a Residual block (out = x + f(x)), on the same data with the same seed and optimizer.

Everything else is the same: the layers, their starting weights (both specs create their parameters in the same
order from the same seed), the batches, the steps. The design makes the difference real rather than drawn: no
BatchNorm, Tanh and torch's default initialisation, under which each plain layer shrinks the signal and the
gradient about threefold, so after 19 layers the first one gets about a millionth of the last one's gradient and
the plain network stays at the loss of guessing (ln 10 ≈ 2.30), while the residual one learns.

Each weight layer's gradient norm is measured as the Train tab's layer health measures it
(`workbench.insight.health`, which this room may not import): ‖∂L/∂W‖₂ of the layer's weight for the
cross-entropy L on a fixed sample batch, taken with torch.autograd.grad so training's gradients are untouched.

The data comes in as tensors (`LessonData`): this room imports the model only; the caller reads the digits.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from workbench.model import tree
from workbench.model.build import build_model
from workbench.model.catalog import RESIDUAL
from workbench.model.spec import LayerSpec, ModelSpec

__all__ = [
    "FINAL_STEPS",
    "GUESSING_LOSS",
    "PLAIN",
    "RESIDUAL_NAME",
    "DepthCancelled",
    "DepthResult",
    "DepthSettings",
    "LessonData",
    "NetworkRun",
    "gradient_norms",
    "lesson_specs",
    "momentum_step",
    "run_lesson",
    "weight_layers",
]

PLAIN, RESIDUAL_NAME = "plain 20 layers", "residual 20 layers"
GUESSING_LOSS = math.log(10)  # cross-entropy of a uniform guess among 10 classes
SAMPLE_IMAGES = 64  # the fixed batch the gradient norms are measured on
FINAL_STEPS = 20  # the final loss is the mean of the last steps' losses (one batch's loss is noisy)
PAIRS = 9  # stem + 9 pairs of 3×3 convolutions + Linear = 20 weight layers


class DepthCancelled(Exception):
    """The lesson's run was cancelled between two steps."""


@dataclass(frozen=True)
class DepthSettings:
    """The lesson's network and training (measured: about 4 s for both networks on one CPU core)."""

    steps: int = 200
    batch_size: int = 32
    learning_rate: float = 0.1
    momentum: float = 0.9
    channels: int = 8
    activation: str = "Tanh"
    record_every: int = 10  # steps between two gradient-norm measurements
    seed: int = 0


@dataclass(frozen=True, eq=False)
class LessonData:
    """Normalised images (N, C, H, W) float32 and labels (N,) int64 of the training and test splits."""

    train_x: torch.Tensor
    train_y: torch.Tensor
    test_x: torch.Tensor
    test_y: torch.Tensor
    classes: int = 10


@dataclass(frozen=True, eq=False)
class NetworkRun:
    """One network's run: `losses[s]` is step s's training loss; `grad_norms[r, l]` is weight layer l's gradient
    norm at measurement r (see DepthResult.record_steps)."""

    name: str
    losses: np.ndarray
    grad_norms: np.ndarray
    test_loss: float
    test_accuracy: float

    @property
    def final_loss(self) -> float:
        """The mean training loss of the last steps."""
        return float(np.mean(self.losses[-FINAL_STEPS:]))


@dataclass(frozen=True, eq=False)
class DepthResult:
    plain: NetworkRun
    residual: NetworkRun
    record_steps: np.ndarray  # the step before which each gradient-norm measurement was taken (0: untrained)
    layer_names: tuple[str, ...]  # the weight layers, in forward order: "Conv2d 4×4", …, "Linear"
    settings: DepthSettings
    seconds: float

    @property
    def first_layer_ratio(self) -> float:
        """How many times larger the residual network's first-layer gradient norm is, at the last measurement."""
        plain = self.plain.grad_norms[-1, 0]
        return float(self.residual.grad_norms[-1, 0] / plain) if plain > 0 else math.inf


def lesson_specs(input_shape: tuple[int, int, int], classes: int, settings: DepthSettings) -> tuple[ModelSpec, ...]:
    """(plain, residual): a 4×4 stride-4 stem, 9 pairs of 3×3 convolutions each followed by the activation, then
    global average pooling and Linear. The residual spec wraps each pair in a Residual block; nothing else differs."""
    width = settings.channels

    def conv(**params) -> LayerSpec:
        return LayerSpec("Conv2d", {"out_channels": width, **params})

    def pair() -> tuple[LayerSpec, ...]:
        return tuple(
            layer for _ in range(2) for layer in (conv(kernel_size=3, padding=1), LayerSpec(settings.activation))
        )

    stem = (conv(kernel_size=4, stride=4), LayerSpec(settings.activation))
    head = (
        LayerSpec("AdaptiveAvgPool2d", {"output_size": 1}),
        LayerSpec("Flatten"),
        LayerSpec("Linear", {"out_features": classes}),
    )
    plain = [layer for _ in range(PAIRS) for layer in pair()]
    wrapped = [LayerSpec(RESIDUAL, {}, branches=(pair(),)) for _ in range(PAIRS)]
    return tuple(
        ModelSpec(input_shape, (*stem, *body, *head), name) for body, name in ((plain, PLAIN), (wrapped, RESIDUAL_NAME))
    )


def weight_layers(spec: ModelSpec, model: nn.Module) -> list[tuple[str, nn.Module]]:
    """(label, module) of every layer with a weight, in forward order, found through the spec's paths."""
    found = []
    for path, layer in tree.walk(spec):
        if layer.type in ("Conv2d", "Linear"):
            module = model.get_submodule(tree.module_name(spec, path))
            size = "×".join(map(str, module.kernel_size)) if isinstance(module, nn.Conv2d) else ""
            found.append((f"{layer.type} {size}".strip(), module))
    return found


def gradient_norms(model: nn.Module, weights: list[torch.Tensor], x: torch.Tensor, y: torch.Tensor) -> np.ndarray:
    """‖∂L/∂W‖₂ of each weight for the cross-entropy L on (x, y), as layer health measures it; the model's own
    .grad stays as it was."""
    loss = F.cross_entropy(model(x), y)
    grads = torch.autograd.grad(loss, weights)
    return np.array([grad.norm().item() for grad in grads])


def momentum_step(params: list[torch.Tensor], velocities: list[torch.Tensor], lr: float, momentum: float) -> None:
    """torch.optim.SGD's update with momentum (no dampening, no weight decay), written out: v ← μ·v + g, w ← w − lr·v.
    Constructing a torch optimizer imports torch._dynamo (about a second, partly holding the GIL: see
    `workbench.training.support.warm_up`), which the window would wait for; this update needs nothing more."""
    with torch.no_grad():
        for param, velocity in zip(params, velocities, strict=True):
            velocity.mul_(momentum).add_(param.grad)
            param.add_(velocity, alpha=-lr)


@dataclass
class _Net:
    """One network being trained: its model, weights, velocities and what was recorded."""

    name: str
    model: nn.Module
    weights: list[torch.Tensor]
    settings: DepthSettings
    losses: list[float] = field(default_factory=list)
    norms: list[np.ndarray] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.params = list(self.model.parameters())
        self.velocities = [torch.zeros_like(param) for param in self.params]

    def step(self, x: torch.Tensor, y: torch.Tensor) -> None:
        loss = F.cross_entropy(self.model(x), y)
        for param in self.params:
            param.grad = None
        loss.backward()
        momentum_step(self.params, self.velocities, self.settings.learning_rate, self.settings.momentum)
        self.losses.append(loss.item())

    def finish(self, data: LessonData) -> NetworkRun:
        with torch.no_grad():
            logits = self.model(data.test_x)
            test_loss = F.cross_entropy(logits, data.test_y).item()
            accuracy = (logits.argmax(1) == data.test_y).double().mean().item()
        return NetworkRun(self.name, np.array(self.losses), np.stack(self.norms), test_loss, accuracy)


def _start(spec: ModelSpec, settings: DepthSettings) -> tuple[_Net, tuple[str, ...]]:
    with torch.random.fork_rng(devices=[]):  # the same starting weights for both, and the caller's RNG untouched
        torch.manual_seed(settings.seed)
        model = build_model(spec)
    layers = weight_layers(spec, model)
    net = _Net(spec.name, model, [module.weight for _, module in layers], settings)
    return net, tuple(label for label, _ in layers)


def run_lesson(
    data: LessonData,
    settings: DepthSettings = DepthSettings(),
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] = lambda: False,
) -> DepthResult:
    """Train the plain and the residual network step by step, side by side, on the same batches; measure every
    weight layer's gradient norm before step 0 and every `record_every` steps, and after the last. `progress(done,
    total)` after each step; raises DepthCancelled as soon as `cancelled()` says so."""
    if settings.steps < 1 or settings.record_every < 1 or settings.batch_size < 1:
        raise ValueError("the depth lesson needs at least one step, a batch of at least one image and record_every ≥ 1")
    if len(data.train_x) == 0 or len(data.test_x) == 0:
        raise ValueError("the depth lesson needs training and test images; the dataset has none in one split")
    began = time.perf_counter()
    specs = lesson_specs(tuple(data.train_x.shape[1:]), data.classes, settings)
    (plain, names), (residual, _) = (_start(spec, settings) for spec in specs)
    nets = (plain, residual)
    sample_x, sample_y = data.train_x[:SAMPLE_IMAGES], data.train_y[:SAMPLE_IMAGES]
    batches = torch.Generator().manual_seed(settings.seed)
    record_steps = []
    for step in range(settings.steps + 1):
        if cancelled():
            raise DepthCancelled("the depth lesson was cancelled")
        if step % settings.record_every == 0 or step == settings.steps:
            record_steps.append(step)
            for net in nets:
                net.norms.append(gradient_norms(net.model, net.weights, sample_x, sample_y))
        if step == settings.steps:
            break
        chosen = torch.randint(0, len(data.train_x), (settings.batch_size,), generator=batches)
        for net in nets:
            net.step(data.train_x[chosen], data.train_y[chosen])
        if progress is not None:
            progress(step + 1, settings.steps)
    runs = [net.finish(data) for net in nets]
    return DepthResult(*runs, np.array(record_steps), names, settings, time.perf_counter() - began)
