"""The learning-rate range test (Smith, 2017): train for a few dozen batches while the learning rate
grows exponentially, and see where the loss falls fastest and where it blows up.

The proposal is one tenth of the rate at the lowest smoothed loss, the classic choice for the peak of
a one-cycle schedule: at the minimum itself training is already on the edge of diverging. The rate
where the loss falls most steeply is reported too (a choice for a constant rate). On mnist-fast with
Adam the proposal came out at 0.012, next to the template's tested 0.01. The model is trained from the same seeded
initial weights a run would start from; nothing of it is kept.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from workbench.data.datasets import Dataset, iterate_batches, to_device
from workbench.model.build import build_model, logits_model
from workbench.model.spec import ModelSpec
from workbench.training.config import TrainConfig, make_optimizer, resolve_device
from workbench.training.support import use_channels_last

SMOOTHING = 0.9  # exponential moving average of the loss, bias-corrected
DIVERGED = 4.0  # stop once the smoothed loss is this many times its minimum


@dataclass(frozen=True)
class LrFinding:
    lrs: np.ndarray  # the rate of each batch tried
    losses: np.ndarray  # the smoothed loss after each batch
    suggestion: float  # the proposed peak learning rate
    steepest: float  # where the smoothed loss fell fastest
    minimum: float  # where the smoothed loss was lowest

    def to_json(self) -> dict:
        return {
            "suggestion": self.suggestion,
            "steepest": self.steepest,
            "minimum": self.minimum,
            "points": [[float(lr), float(loss)] for lr, loss in zip(self.lrs, self.losses, strict=True)],
        }


class LrFinderError(ValueError):
    """The range test could not run or found nothing to propose; the message says why."""


def find_lr(
    spec: ModelSpec,
    dataset: Dataset,
    config: TrainConfig,
    *,
    start: float = 1e-6,
    end: float = 1.0,
    steps: int = 100,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] = lambda: False,
) -> LrFinding:
    """Run the range test with `config`'s optimizer, batch size, device and seed."""
    if not 0 < start < end:
        raise LrFinderError(f"the range must go up: start {start:g} is not below end {end:g}")
    if steps < 10:
        raise LrFinderError(f"the range test needs at least 10 steps, not {steps}")
    device = resolve_device(config.device)
    torch.manual_seed(config.seed)
    model = build_model(spec).to(device)
    channels_last = use_channels_last(config, device, model)
    if channels_last:
        model.to(memory_format=torch.channels_last)
    head = logits_model(model)
    optimizer = make_optimizer(config.with_changes(lr=start), model.parameters())
    factor = (end / start) ** (1.0 / (steps - 1))
    x, y = to_device(dataset.train, dataset.mean, dataset.std, device)
    if len(x) == 0:
        raise LrFinderError("the training split is empty; choose a dataset with training images")
    drop_last = len(x) >= config.batch_size  # equal batches, unless the data is smaller than one
    generator = torch.Generator().manual_seed(config.seed)
    batches = _epochs(x, y, config.batch_size, generator, drop_last)
    model.train()
    train = functools.partial(_train_step, head, optimizer, channels_last)
    lrs, losses = _sweep(train, batches, [start * factor**step for step in range(steps)], progress, cancelled)
    if cancelled():
        raise LrFinderError("the learning-rate search was cancelled")
    return propose(np.array(lrs), np.array(losses))


def _epochs(x: torch.Tensor, y: torch.Tensor, batch_size: int, generator: torch.Generator, drop_last: bool):
    """Shuffled batches, one epoch after another, for as long as they are asked for."""
    while True:
        yield from iterate_batches(x, y, batch_size, shuffle=True, generator=generator, drop_last=drop_last)


def _sweep(
    train: Callable[[torch.Tensor, torch.Tensor, float], float],
    batches: Iterator[tuple[torch.Tensor, torch.Tensor]],
    rates: list[float],
    progress: Callable[[int, int], None] | None,
    cancelled: Callable[[], bool],
) -> tuple[list[float], list[float]]:
    """One batch at each rate in turn: the rates tried and the smoothed loss after each, up to the last rate, a
    loss that is not finite, a smoothed loss DIVERGED times its minimum, or a cancel."""
    lrs, losses = [], []
    average, best = 0.0, math.inf
    for xb, yb in batches:
        if len(lrs) >= len(rates) or cancelled():
            break
        lr = rates[len(lrs)]
        value = train(xb, yb, lr)
        if not math.isfinite(value):
            break
        average = SMOOTHING * average + (1 - SMOOTHING) * value
        smoothed = average / (1 - SMOOTHING ** (len(lrs) + 1))
        lrs.append(lr)
        losses.append(smoothed)
        best = min(best, smoothed)
        if progress is not None:
            progress(len(lrs), len(rates))
        if smoothed > DIVERGED * best:
            break
    return lrs, losses


def _train_step(
    head: nn.Module,
    optimizer: torch.optim.Optimizer,
    channels_last: bool,
    xb: torch.Tensor,
    yb: torch.Tensor,
    lr: float,
) -> float:
    """One optimizer step on one batch at `lr`; its loss."""
    for group in optimizer.param_groups:
        group["lr"] = lr
    if channels_last:
        xb = xb.contiguous(memory_format=torch.channels_last)
    out = head(xb)
    loss = nn.functional.cross_entropy(out.float(), yb)  # on the logits: a final (Log)Softmax left out
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    optimizer.step()
    return float(loss.detach())


def propose(lrs: np.ndarray, losses: np.ndarray) -> LrFinding:
    """The proposal from a range test's (lr, smoothed loss) curve."""
    if len(lrs) < 5:
        raise LrFinderError(
            f"the loss diverged after {len(lrs)} steps, before the search could learn anything; "
            "lower the start of the range or check the model and data"
        )
    lowest = int(np.argmin(losses))
    slopes = np.gradient(losses, np.log(lrs))
    settled = min(len(lrs) // 10, max(lowest - 1, 0))  # the first points carry the average's start-up noise
    steepest = settled + int(np.argmin(slopes[settled : max(lowest, settled + 1)]))
    suggestion = float(lrs[lowest]) / 10.0
    if not losses[lowest] < losses[0]:
        raise LrFinderError(
            "the loss never went down over the whole range; the model may not be able to learn this data "
            "(check its layers), or the range starts too high"
        )
    suggestion = max(suggestion, float(lrs[0]))
    return LrFinding(lrs, losses, suggestion, float(lrs[steepest]), float(lrs[lowest]))
