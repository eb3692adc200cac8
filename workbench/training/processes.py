"""What differs when a run is trained by several processes at once, as one object handed to the Trainer.

The Trainer runs the same loop whatever trains it; at the few points where processes must agree it asks its
`Processes`: which part of a batch this process trains, the step's figures summed over all processes, an
evaluation gathered from all of them, rank 0's word between batches (stop, pause, changed settings), rank 0's
decision to end the run, and whether rank 0 could write the checkpoint. `OneProcess` (the default) answers
each as a single process would; `workbench.distributed.ranks.RankGroup` answers them for one rank of a DDP run.
An edit of the loop therefore changes both alike, and the rank's part can be read in one place.
"""

from __future__ import annotations

from typing import Any, Protocol

import torch
from torch import nn

from workbench.insight.evaluate import Evaluation, evaluate
from workbench.training.control import RunControl

__all__ = ["OneProcess", "Processes"]


class Processes(Protocol):
    main: bool  # this process reports events, probes and writes files (the only one, or rank 0)
    compile_refusal: str | None  # why torch.compile is not used, if it is not

    def prepare(self, model: nn.Sequential, device: torch.device) -> nn.Sequential:
        """The model (on `device`) as this run trains it (SyncBatchNorm swapped in, say), before the optimizer
        is made."""

    def wrap(self, head: nn.Module) -> nn.Module:
        """The module a training step runs (DDP around `head`); `unwrap` lets go of it after `fit`."""

    def unwrap(self, forward: nn.Module, head: nn.Module) -> nn.Module:
        """What the trainer keeps as its forward module between fits."""

    def part(self, xb: torch.Tensor, yb: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, float]:
        """This process's part of the batch, and what its mean loss is weighted by so that the gradients
        averaged over all processes are those of the whole batch."""

    def summed(self, stats: torch.Tensor) -> torch.Tensor:
        """[loss × images, correct] of this step, summed over all processes."""

    def evaluate(self, model: nn.Sequential, x: torch.Tensor, y: torch.Tensor, classes: int) -> Evaluation:
        """Loss, accuracy, confusion and predictions on a whole split, the same on every process."""

    def agree(self, go: bool, changes: dict[str, Any] | None) -> tuple[bool, dict[str, Any] | None]:
        """Between batches: rank 0's (go on?, live settings changed while paused) on every process."""

    def wait_while_paused(self, control: RunControl) -> None:
        """Rank 0 waits for resume or stop (telling the others it is still paused now and then)."""

    def rank0_reason(self, reason: str | None) -> str | None:
        """Rank 0's reason to end the run (its clock decides a time budget), on every process."""

    def saved(self, ok: bool) -> bool:
        """Whether rank 0 wrote the checkpoint, on every process."""

    def after_fit(self, model: nn.Sequential) -> str | None:
        """A reason the finished run is not to be trusted (the processes' weights differ), or None."""

    def describe(self, features: list[str]) -> str:
        """The run's features for the events ('bf16 autocast · channels_last · DDP × 2 (gloo)')."""


class OneProcess:
    """A run in this process alone: every answer is the process's own."""

    main = True
    compile_refusal = None

    def prepare(self, model: nn.Sequential, device: torch.device) -> nn.Sequential:
        return model

    def wrap(self, head: nn.Module) -> nn.Module:
        return head

    def unwrap(self, forward: nn.Module, head: nn.Module) -> nn.Module:
        return forward  # a compiled forward is kept for the next fit

    def part(self, xb: torch.Tensor, yb: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, float]:
        return xb, yb, 1.0

    def summed(self, stats: torch.Tensor) -> torch.Tensor:
        return stats

    def evaluate(self, model: nn.Sequential, x: torch.Tensor, y: torch.Tensor, classes: int) -> Evaluation:
        return evaluate(model, x, y, classes)

    def agree(self, go: bool, changes: dict[str, Any] | None) -> tuple[bool, dict[str, Any] | None]:
        return go, changes

    def wait_while_paused(self, control: RunControl) -> None:
        control.wait_while_paused()

    def rank0_reason(self, reason: str | None) -> str | None:
        return reason

    def saved(self, ok: bool) -> bool:
        return ok

    def after_fit(self, model: nn.Sequential) -> str | None:
        return None

    def describe(self, features: list[str]) -> str:
        return " · ".join(features)
