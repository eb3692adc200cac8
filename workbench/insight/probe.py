"""Follow one pinned sample through every layer: feature maps, logits and softmax."""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from workbench.events import ProbeUpdate
from workbench.insight.saliency import SaliencyError, saliency
from workbench.model.built_layers import walk_modules

Explain = tuple[str, int | None]  # (saliency method, class to explain or None for the predicted one)


def normalise(image: torch.Tensor, mean, std) -> torch.Tensor:
    """(C, H, W) or (N, C, H, W) in [0, 1] → normalised like the training data."""
    mean_t = torch.as_tensor(mean, dtype=torch.float32, device=image.device).view(-1, 1, 1)
    std_t = torch.as_tensor(std, dtype=torch.float32, device=image.device).view(-1, 1, 1)
    return (image.float() - mean_t) / std_t


def as_unit_image(image) -> torch.Tensor:
    """A probe image as float (C, H, W) in [0, 1], from uint8 or float numpy/torch data."""
    tensor = torch.as_tensor(np.asarray(image) if not isinstance(image, torch.Tensor) else image)
    if tensor.dtype == torch.uint8:
        return tensor.float() / 255.0
    return tensor.float().clamp(0.0, 1.0)


Layer = tuple[int | str, str, torch.Tensor]  # (key, name, output): see `run_layers`


@torch.no_grad()
def run_layers(model: nn.Sequential, x: torch.Tensor) -> list[Layer]:
    """Every layer's output for a batch, in eval mode, in forward order, a block before its layers (the
    model's mode is restored afterwards). A layer of the model's own stack comes as (its 1-based index, its
    type); a layer inside a block as (its module name, e.g. "1.body.0", its place, "2 Residual › 1 Conv2d"). One
    forward pass: the layers inside blocks are recorded by forward hooks."""
    layers = list(walk_modules(model, projections=False))
    outputs: dict[int, torch.Tensor] = {}
    hooks = [
        layer.module.register_forward_hook(lambda _m, _i, out, at=at: outputs.__setitem__(at, out))
        for at, layer in enumerate(layers)
    ]
    was_training = model.training
    model.eval()
    try:
        model(x)
    finally:
        model.train(was_training)
        for hook in hooks:
            hook.remove()
    return [
        (layer.path[0] + 1, layer.type, outputs[at]) if layer.top_level else (layer.name, layer.place, outputs[at])
        for at, layer in enumerate(layers)
        if at in outputs  # a layer the forward pass did not reach has no output to show
    ]


def probe(
    model: nn.Sequential,
    image: torch.Tensor,
    mean,
    std,
    label: int | None,
    step: int,
    explain: Explain | None = None,
    temperature: float = 1.0,
) -> ProbeUpdate:
    """`image` is (C, H, W) in [0, 1] on any device; payloads come back as CPU numpy arrays. With `explain`,
    the saliency map of that method and class comes along (one more forward and backward pass). The
    probabilities are softmax(logits / temperature): a calibrated model's (`calibrate`); the logits stay raw."""
    device = next(iter(model.parameters()), torch.empty(0)).device
    x = normalise(image.to(device), mean, std).unsqueeze(0)
    outputs = run_layers(model, x)
    top = [out for key, _, out in outputs if isinstance(key, int)]
    logits_index = len(top) - 1
    while logits_index > 0 and isinstance(model[logits_index], (nn.Softmax, nn.LogSoftmax)):
        logits_index -= 1
    logits = top[logits_index][0].float()
    layers = tuple((key, name, out[0].float().cpu().numpy()) for key, name, out in outputs)
    return ProbeUpdate(
        step=step,
        image=image.float().cpu().numpy(),
        label=label,
        layers=layers,
        logits=logits.cpu().numpy(),
        probabilities=torch.softmax(logits.flatten() / temperature, dim=0).cpu().numpy(),
        **_explained(model, x, explain),
    )


def _explained(model: nn.Sequential, x: torch.Tensor, explain: Explain | None) -> dict:
    if explain is None or explain[0] is None:
        return {}
    method, target = explain
    try:
        return {"saliency": saliency(model, x, method, target)}
    except SaliencyError as exc:
        return {"saliency_note": str(exc)}


class ProbeFeed:
    """The sample pinned to be followed through every layer while a model trains, and when its next update is
    due. `pin` and `explain` may be called from another thread (the app's commands): each sets whole values."""

    def __init__(self) -> None:
        self.image: torch.Tensor | None = None
        self.label: int | None = None
        self.explanation: Explain | None = None  # the saliency sent with each update: see `explain`
        self._last = -1e9

    def pin(self, image, label: int | None = None) -> None:
        """Follow `image` (C, H, W), uint8 or float in [0, 1]; None: follow nothing."""
        self.image = None if image is None else as_unit_image(image)
        self.label = label

    def explain(self, method: str | None, target: int | None = None) -> None:
        """Send the saliency map of `method` ("grad-cam" or "gradient") for class `target` (None: the predicted
        one) with every update; method None: none. The next update is due at once."""
        self.explanation = None if method is None else (method, target)
        self._last = -1e9

    def update(
        self, model: nn.Sequential, mean, std, step: int, now: float, interval: float, force: bool = False
    ) -> ProbeUpdate | None:
        """The probe's update if one is due (`interval` seconds since the last, or `force`), else None."""
        image = self.image
        if image is None or (not force and now - self._last < interval):
            return None
        self._last = now
        return probe(model, image, mean, std, self.label, step, self.explanation)
