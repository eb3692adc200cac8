"""Why the model said what it said, for one image: Grad-CAM on the last Conv2d layer and plain
input-gradient saliency, each as an (H, W) map in [0, 1] at the input's size.

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

METHODS = ("grad-cam", "gradient")


class SaliencyError(ValueError):
    """The method does not apply to this model (one line: why and what to do)."""


@dataclass(frozen=True)
class Saliency:
    method: str
    target: int  # the class explained
    map: np.ndarray  # (H, W) float32 in [0, 1], the input's size
    layer: int | None  # 1-based index of the layer Grad-CAM looked at


def last_conv_index(model: nn.Sequential) -> int:
    """0-based index of the last Conv2d; SaliencyError if there is none."""
    for index in range(len(model) - 1, -1, -1):
        if isinstance(model[index], nn.Conv2d):
            return index
    raise SaliencyError("Grad-CAM needs a Conv2d layer; this model has none (use the input gradient)")


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
    index = last_conv_index(head)
    with torch.enable_grad():
        maps = head[: index + 1](x.detach())
        maps.retain_grad()
        logits = head[index + 1 :](maps).flatten(1)
        chosen = _target(logits, target)
        (gradient,) = torch.autograd.grad(logits[0, chosen], maps)
    weights = gradient.mean(dim=(2, 3), keepdim=True)
    cam = F.relu((weights * maps.detach()).sum(dim=1, keepdim=True))
    cam = F.interpolate(cam, size=x.shape[-2:], mode="bilinear", align_corners=False)[0, 0]
    return Saliency("grad-cam", chosen, _unit(cam), index + 1)


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
