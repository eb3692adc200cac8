"""Layer health on a sample batch: is each layer still learning?

For every layer of an nn.Sequential, the layers inside its blocks and a Residual's projection included (each
labelled with its place, `model.built_layers`), from one forward and backward pass on a sample batch (the model's
parameter gradients are not touched: gradients come from torch.autograd.grad):

- activations: a histogram, and for ReLU the *dead fraction*, the share of output units that are 0 for
  every image of the sample (a unit that never fires gets no gradient and never recovers); for
  Sigmoid/Tanh the *saturated fraction*, the share of outputs in the flat ends (|tanh| > 0.99, sigmoid
  outside 0.01..0.99) where gradients vanish;
- weights and their gradients: histograms and norms; the gradient norm is flagged when it vanishes or explodes;
- the *update ratio* ‖Δw‖/‖w‖ between two measurements a step apart (about 1e-3 is healthy: much less
  and the layer is not learning, much more and it is thrashing; Karpathy's rule of thumb).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from workbench.events import HealthUpdate
from workbench.messages import say
from workbench.model.blocks import Residual
from workbench.model.build import logits_model
from workbench.model.built_layers import BuiltLayer, walk_modules

__all__ = ["HealthSampler", "Key", "LayerHealth", "Thresholds", "key_of", "measure_health", "update_ratios"]

BINS = 30
MAX_HISTOGRAM_VALUES = 65_536


@dataclass(frozen=True)
class Thresholds:
    dead: float = 0.5  # flag a ReLU with more than this share of dead units
    saturated: float = 0.5
    vanishing: float = 1e-7  # gradient norm below this
    exploding: float = 1e3  # gradient norm above this
    update_low: float = 1e-5
    update_high: float = 1e-1


Key = int | str  # a layer of the model's own stack: its 0-based index; inside a block: its module name


@dataclass
class LayerHealth:
    index: Key  # 0-based index of a layer of the model's own stack; "1.body.0", "1.projection.0" inside a block
    type: str
    activations: tuple[np.ndarray, np.ndarray]  # (counts, bin edges)
    dead_fraction: float | None = None
    saturated_fraction: float | None = None
    weights: tuple[np.ndarray, np.ndarray] | None = None
    gradients: tuple[np.ndarray, np.ndarray] | None = None
    grad_norm: float | None = None
    weight_norm: float | None = None
    update_ratio: float | None = None
    flags: list[str] = field(default_factory=list)
    place: str = ""  # where it sits, for people: "2 ReLU", "3 Residual › 1 Conv2d", "3 Residual › projection Conv2d"

    @property
    def label(self) -> str:
        """The place, or for an entry made without one, the 1-based index and type ("2 ReLU")."""
        if self.place:
            return self.place
        return f"{self.index + 1 if isinstance(self.index, int) else self.index} {self.type}"


def histogram(values: torch.Tensor, bins: int = BINS) -> tuple[np.ndarray, np.ndarray]:
    """(counts, edges) of the finite values; above MAX_HISTOGRAM_VALUES, of an evenly strided subsample
    (torch.histc on float32: numpy's histogram of a whole batch's activations cost 150 ms a measurement)."""
    flat = values.detach().flatten().float()
    if flat.numel() > MAX_HISTOGRAM_VALUES:
        flat = flat[:: -(-flat.numel() // MAX_HISTOGRAM_VALUES)]
    if flat.numel() == 0:
        return np.zeros(bins, np.int64), np.linspace(0.0, 1.0, bins + 1)
    low, high = (v.item() for v in torch.aminmax(flat))
    if not (np.isfinite(low) and np.isfinite(high)):  # only then is a pass to drop inf/nan worth its cost
        flat = flat[torch.isfinite(flat)]
        if flat.numel() == 0:
            return np.zeros(bins, np.int64), np.linspace(0.0, 1.0, bins + 1)
        low, high = (v.item() for v in torch.aminmax(flat))
    if low == high:
        low, high = low - 0.5, high + 0.5
    counts = torch.histc(flat, bins=bins, min=low, max=high).cpu().numpy().astype(np.int64)
    return counts, np.linspace(low, high, bins + 1)


def dead_fraction(output: torch.Tensor) -> float:
    """Share of units (every position of every channel) that are 0 for all images of the batch."""
    fired = (output > 0).any(dim=0)
    return 1.0 - fired.float().mean().item()


def saturated_fraction(layer: nn.Module, output: torch.Tensor) -> float:
    if isinstance(layer, nn.Tanh):
        return (output.abs() > 0.99).float().mean().item()
    return ((output < 0.01) | (output > 0.99)).float().mean().item()


def measure_health(
    model: nn.Sequential, x: torch.Tensor, y: torch.Tensor, thresholds: Thresholds = Thresholds()
) -> list[LayerHealth]:
    """One entry per layer of `model` on the sample batch (x, y), in forward order, a block before its layers
    (see the module docstring). The layers' outputs are caught by forward hooks on one pass of the model."""
    head = logits_model(model)
    layers = list(walk_modules(head))
    outputs: dict[int, torch.Tensor] = {}
    hooks = [
        layer.module.register_forward_hook(lambda _m, _i, out, at=at: outputs.__setitem__(at, out))
        for at, layer in enumerate(layers)
    ]
    buffers = [(buffer, buffer.detach().clone()) for buffer in head.buffers()]
    try:
        value = head(x)
    finally:
        for hook in hooks:
            hook.remove()
    loss = F.cross_entropy(value.flatten(1), y)
    params = [p for p in head.parameters() if p.requires_grad]
    grads = dict(zip(map(id, params), torch.autograd.grad(loss, params, allow_unused=True), strict=True))
    with torch.no_grad():  # a measurement must not move BatchNorm's running statistics
        for buffer, saved in buffers:
            buffer.copy_(saved)
    return [_layer_health(layer, outputs[at], grads, thresholds) for at, layer in enumerate(layers) if at in outputs]


def key_of(layer: BuiltLayer) -> Key:
    """How health names a layer (LayerHealth.index, the update ratios' keys)."""
    return layer.path[0] if layer.top_level else layer.name


def _layer_health(layer: BuiltLayer, output: torch.Tensor, grads: dict, thresholds: Thresholds) -> LayerHealth:
    module = layer.module
    entry = LayerHealth(key_of(layer), layer.type, histogram(output), place=layer.place)
    if isinstance(module, nn.ReLU) or (isinstance(module, Residual) and module.relu_after):
        entry.dead_fraction = dead_fraction(output)
        if entry.dead_fraction > thresholds.dead:
            entry.flags.append(say("health.dead", percent=f"{100 * entry.dead_fraction:.0f}"))
    elif isinstance(module, (nn.Sigmoid, nn.Tanh)):
        entry.saturated_fraction = saturated_fraction(module, output)
        if entry.saturated_fraction > thresholds.saturated:
            entry.flags.append(say("health.saturated", percent=f"{100 * entry.saturated_fraction:.0f}"))
    weight = getattr(module, "weight", None)
    if isinstance(weight, torch.Tensor) and id(weight) in grads:
        entry.weights = histogram(weight)
        entry.weight_norm = weight.detach().norm().item()
        grad = grads[id(weight)]
        if grad is not None:
            entry.gradients = histogram(grad)
            entry.grad_norm = grad.norm().item()
            if entry.grad_norm < thresholds.vanishing:
                entry.flags.append(say("health.vanishing", norm=f"{entry.grad_norm:.1e}"))
            elif entry.grad_norm > thresholds.exploding:
                entry.flags.append(say("health.exploding", norm=f"{entry.grad_norm:.1e}"))
    return entry


def weight_copies(model: nn.Sequential) -> dict[Key, torch.Tensor]:
    """Each weighted layer's weight (inside blocks too), copied: the 'before' of update_ratios."""
    return {
        key_of(layer): layer.module.weight.detach().clone()
        for layer in walk_modules(model)
        if isinstance(getattr(layer.module, "weight", None), torch.Tensor)
    }


def update_ratios(before: dict[Key, torch.Tensor], model: nn.Sequential) -> dict[Key, float]:
    """‖w_now − w_before‖ / ‖w_before‖ per weighted layer."""
    ratios = {}
    for key, old in before.items():
        new = model.get_submodule(str(key)).weight.detach()  # a top-level index is its module's name
        ratios[key] = ((new - old).norm() / old.norm().clamp_min(1e-12)).item()
    return ratios


class HealthSampler:
    """Measures health on a sample of the batch being trained, at most every `interval` seconds: the
    trainer calls `before_step()` (copies the weights when a measurement is due) and `after_step(xb, yb,
    step)`, which returns a HealthUpdate or None. Costs one extra forward and backward on `sample` images
    per measurement."""

    def __init__(self, model: nn.Sequential, interval: float, sample: int = 32, thresholds: Thresholds = Thresholds()):
        self.model, self.interval, self.sample, self.thresholds = model, interval, sample, thresholds
        self._last = -1e9
        self._before: dict[Key, torch.Tensor] | None = None
        self.seconds = 0.0  # spent measuring so far: the direct cost, printed by bench/bench_health.py

    def before_step(self) -> None:
        started = time.perf_counter()
        if started - self._last >= self.interval:
            self._before = weight_copies(self.model)
            self.seconds += time.perf_counter() - started

    def after_step(self, xb: torch.Tensor, yb: torch.Tensor, step: int) -> HealthUpdate | None:
        if self._before is None:
            return None
        started = time.perf_counter()
        ratios = update_ratios(self._before, self.model)
        self._before = None
        self._last = time.perf_counter()
        layers = measure_health(self.model, xb[: self.sample].float(), yb[: self.sample], self.thresholds)
        for entry in layers:
            ratio = ratios.get(entry.index)
            if ratio is not None:
                entry.update_ratio = ratio
                if ratio < self.thresholds.update_low:
                    entry.flags.append(say("health.barely_learning", ratio=f"{ratio:.1e}"))
                elif ratio > self.thresholds.update_high:
                    entry.flags.append(say("health.thrashing", ratio=f"{ratio:.1e}"))
        self.seconds += time.perf_counter() - started
        return HealthUpdate(step, tuple(layers), ratios)
