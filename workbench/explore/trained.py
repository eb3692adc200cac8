"""A real model's first convolution, for the convolution explorer: its filters, bias and settings, and
the numbers it reads for an image (the image normalised as in training, then run through whatever
layers come before it: the first in forward order may sit inside a block, after some of the block's layers).

The explorer then works the layer out window by window with `windows.explain_conv`; tests check its
output map equals the layer's own output for the same image and filter.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from workbench.explore.windows import Problem, WindowSettings
from workbench.messages import say
from workbench.model.built_layers import walk_modules

NO_CONV = say("explore.no_conv")


@dataclass(frozen=True, eq=False)
class ModelConv:
    """A copy of one Conv2d's numbers (float64), where it sits and the layers before it."""

    position: int  # 1-based, as the builder numbers layers (of the block that holds it, inside one)
    weight: np.ndarray  # (out_channels, in_channels / groups, kh, kw)
    bias: np.ndarray  # (out_channels,), zeros when the layer has no bias
    has_bias: bool
    settings: WindowSettings
    in_channels: int
    groups: int
    lead_in: nn.Sequential  # the layers before it, which make its input from the image
    place: str = ""  # where it sits inside a block: 'layer 2 Residual › layer 1 Conv2d'; "" for the model's own

    @property
    def filters(self) -> int:
        return self.weight.shape[0]

    @property
    def channels_per_filter(self) -> int:
        return self.weight.shape[1]

    def kernel(self, index: int) -> np.ndarray:
        """Filter `index` (0-based): (in_channels / groups, kh, kw)."""
        return self.weight[index]

    def channels(self, index: int) -> slice:
        """The input channels filter `index` reads (all of them unless the layer has groups)."""
        per_group = self.filters // self.groups
        start = (index // per_group) * self.channels_per_filter
        return slice(start, start + self.channels_per_filter)

    def describe(self, index: int) -> str:
        return f"filter {index + 1} of {self.filters} of {self.where}"

    @property
    def where(self) -> str:
        """How people name it: 'layer 1 Conv2d', or inside a block 'layer 2 Residual › layer 1 Conv2d' (coded)."""
        return self.place or say("place.layer", number=self.position, type="Conv2d")

    @torch.no_grad()
    def layer_input(self, image: np.ndarray) -> np.ndarray | Problem:
        """What this layer receives for a normalised (C, H, W) image: the image through the layers before it
        (in eval mode, as the probe panels run them)."""
        x = torch.as_tensor(np.asarray(image), dtype=torch.float32)[None]
        modes = [(module, module.training) for module in self.lead_in.modules()]  # the model's, shared
        self.lead_in.eval()
        try:
            x = self.lead_in(x)
        except RuntimeError as exc:
            return Problem(say("explore.lead_in", where=self.where, error=exc))
        finally:
            for module, training in modes:
                module.training = training
        if x.dim() != 4:
            return Problem(say("explore.no_image", where=self.where))
        if x.shape[1] != self.in_channels:
            return Problem(say("explore.channels", where=self.where, got=x.shape[1], count=self.in_channels))
        return x[0].double().numpy()


def first_conv(model: nn.Module | None) -> ModelConv | Problem:
    """The first Conv2d among the model's layers in forward order (inside a block too: the layers of the model
    and of the block before it make its input; a Residual's projection is not one of them), or why there is
    none to show."""
    if model is None:
        return Problem(say("explore.no_model"))
    for layer in walk_modules(model, projections=False):
        if isinstance(layer.module, nn.Conv2d):
            place = "" if layer.top_level else layer.where
            return _model_conv(layer.path[0], layer.module, nn.Sequential(*layer.before), place)
    return Problem(NO_CONV)


def _model_conv(index: int, conv: nn.Conv2d, lead_in: nn.Sequential, place: str = "") -> ModelConv | Problem:
    settings = conv_settings(conv)
    if isinstance(settings, Problem):
        return settings
    weight = conv.weight.detach().cpu().double().numpy().copy()
    bias = np.zeros(len(weight)) if conv.bias is None else conv.bias.detach().cpu().double().numpy().copy()
    has_bias = conv.bias is not None
    return ModelConv(index + 1, weight, bias, has_bias, settings, conv.in_channels, conv.groups, lead_in, place)


def conv_settings(conv: nn.Conv2d) -> WindowSettings | Problem:
    """The layer's window settings, with "valid" and "same" padding as the numbers torch pads by."""
    kernel, dilation, padding = tuple(conv.kernel_size), tuple(conv.dilation), conv.padding
    if padding == "valid":
        padding = (0, 0)
    elif padding == "same":
        totals = [d * (k - 1) for k, d in zip(kernel, dilation, strict=True)]
        if any(total % 2 for total in totals):
            return Problem(say("explore.same_uneven"))
        padding = tuple(total // 2 for total in totals)
    return WindowSettings(kernel, tuple(conv.stride), tuple(padding), dilation, conv.padding_mode)


def normalised(image, mean: Sequence[float] = (), std: Sequence[float] = ()) -> np.ndarray:
    """A (C, H, W) image as a model reads it: uint8 becomes [0, 1] (floats are clamped to it), then
    (x − mean) / std per channel in float32, as training normalises; returned as float64."""
    x = torch.as_tensor(np.asarray(image))
    x = x.float() / 255.0 if x.dtype == torch.uint8 else x.float().clamp(0.0, 1.0)
    channels = x.shape[0]
    return ((x - _per_channel(mean, channels, 0.0)) / _per_channel(std, channels, 1.0)).double().numpy()


def _per_channel(values: Sequence[float], channels: int, default: float) -> torch.Tensor:
    values = list(values) or [default]
    if len(values) == 1:
        values = values * channels
    return torch.tensor(values, dtype=torch.float32).view(-1, 1, 1)
