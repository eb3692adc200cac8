"""The torch modules of blocks, built from a spec by `model.build`.

Their attribute names are the built model's names for the layers inside (`model.tree.module_name`): a
Residual block's layers are `body`, its projection `projection`; a Concat block's branches `branches.B`. The
state-dict keys follow ("2.body.0.weight", "3.branches.1.0.bias"), and so do the exported code's classes.
"""

from __future__ import annotations

import torch
from torch import nn


class Residual(nn.Module):
    """out = body(x) + x, or + projection(x) where the body changes the channels or the size; ReLU after."""

    def __init__(self, body: nn.Sequential, projection: nn.Sequential | None = None, relu_after: bool = False):
        super().__init__()
        self.body = body
        self.projection = projection
        self.relu_after = relu_after

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        shortcut = x if self.projection is None else self.projection(x)
        out = self.body(x) + shortcut
        return torch.relu(out) if self.relu_after else out

    def extra_repr(self) -> str:
        return "relu_after=True" if self.relu_after else ""


class Concat(nn.Module):
    """Each branch on the same input, their outputs joined on the channel axis (an empty branch passes x)."""

    def __init__(self, branches: list[nn.Sequential]):
        super().__init__()
        self.branches = nn.ModuleList(branches)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.cat([branch(x) for branch in self.branches], dim=1)
