"""Why the model said what it said, for one image: Grad-CAM on the last Conv2d layer (in forward order, inside
a block too) and plain input-gradient saliency, each as an (H, W) map in [0, 1] at the input's size.

Grad-CAM (Selvaraju et al. 2017): the last Conv2d's output maps A_k, weighted by the mean gradient
of the class logit over each map, summed, ReLU'd, bilinearly upsampled to the input. Input-gradient
saliency (Simonyan et al. 2013): |d logit / d pixel|, the largest over the channels. The class score
is the logit (before any trailing Softmax), so a confident prediction still has gradients.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from workbench.model.build import logits_model
from workbench.model.built_layers import BuiltLayer, walk_modules

METHODS = ("grad-cam", "gradient")


class SaliencyError(ValueError):
    """The method does not apply to this model (one line: why and what to do)."""


@dataclass(frozen=True)
class Saliency:
    method: str
    target: int  # the class explained
    map: np.ndarray  # (H, W) float32 in [0, 1], the input's size
    layer: int | str | None  # the layer Grad-CAM looked at: its 1-based index, or inside a block its module name
    place: str = ""  # that layer's place for people: "5 Conv2d", "3 Residual › 4 Conv2d"


def last_conv(model: nn.Sequential) -> BuiltLayer:
    """The last Conv2d in forward order (`model.tree.walk`'s: inside a block too, never a Residual's projection);
    SaliencyError if there is none."""
    found = None
    for layer in walk_modules(model, projections=False):
        if isinstance(layer.module, nn.Conv2d):
            found = layer
    if found is None:
        raise SaliencyError("Grad-CAM needs a Conv2d layer; this model has none (use the input gradient)")
    return found


def _target(logits: torch.Tensor, target: int | None) -> int:
    count = logits.shape[1]
    if target is None:
        return int(logits[0].argmax())
    if not 0 <= target < count:
        raise SaliencyError(f"class {target} is not one of the model's {count} outputs")
    return target


def _unit(values: torch.Tensor) -> np.ndarray:
    top = float(values.max())
    scaled = values / top if top > 0 else torch.zeros_like(values)
    return scaled.detach().float().cpu().numpy().astype(np.float32)


def grad_cam(model: nn.Sequential, x: torch.Tensor, target: int | None = None) -> Saliency:
    """Grad-CAM of `x` (a normalised batch of one, (1, C, H, W)) for class `target` (None: the predicted)."""
    head = logits_model(model)
    conv = last_conv(head)
    found: list[torch.Tensor] = []
    hook = conv.module.register_forward_hook(lambda _m, _i, out: found.append(out))
    try:
        with torch.enable_grad():
            logits = head(x.detach()).flatten(1)
            chosen = _target(logits, target)
            maps = found[-1]
            (gradient,) = torch.autograd.grad(logits[0, chosen], maps)
    finally:
        hook.remove()
    weights = gradient.mean(dim=(2, 3), keepdim=True)
    cam = F.relu((weights * maps.detach()).sum(dim=1, keepdim=True))
    cam = F.interpolate(cam, size=x.shape[-2:], mode="bilinear", align_corners=False)[0, 0]
    layer = conv.path[0] + 1 if conv.top_level else conv.name
    return Saliency("grad-cam", chosen, _unit(cam), layer, conv.place)


def input_gradient(model: nn.Sequential, x: torch.Tensor, target: int | None = None) -> Saliency:
    head = logits_model(model)
    with torch.enable_grad():
        pixels = x.detach().clone().requires_grad_(True)
        logits = head(pixels).flatten(1)
        chosen = _target(logits, target)
        (gradient,) = torch.autograd.grad(logits[0, chosen], pixels)
    return Saliency("gradient", chosen, _unit(gradient[0].abs().amax(dim=0)), None)


def class_to_explain(clicked: int, probabilities: np.ndarray | None) -> int | None:
    """The class a click on the softmax chart asks to explain; None (follow the prediction) when the click
    is on the predicted class."""
    predicted = None if probabilities is None else int(np.argmax(probabilities))
    return None if clicked == predicted else clicked


def saliency(model: nn.Sequential, x: torch.Tensor, method: str, target: int | None = None) -> Saliency:
    """`method` "grad-cam" or "gradient"; the model is put in eval mode for it and restored after."""
    if method not in METHODS:
        raise SaliencyError(f"unknown saliency method {method!r}; use one of {', '.join(METHODS)}")
    was_training = model.training
    model.eval()
    try:
        return (grad_cam if method == "grad-cam" else input_gradient)(model, x, target)
    finally:
        model.train(was_training)
