"""When a run ends before its epochs are done: stop rules, each a small object with one method that looks at
where the run is (a `Moment`) and returns why it should end, or None.

The trainer asks its rules after every batch but an epoch's last (with the validation check taken at that
batch, if there was one) and when an epoch closes; the first reason wins. A run across processes asks them on
every rank and follows rank 0's answer (its clock decides a time budget). Rules from outside the config (an
experiment's pruner) are handed to the Trainer beside the config's own (`Trainer(stop_rules=…)`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from workbench.messages import say

__all__ = ["Moment", "Patience", "StopRule", "TargetAccuracy", "TimeBudget", "first_reason", "rules_for"]


@dataclass(frozen=True)
class Moment:
    """Where a run is when its stop rules are asked."""

    epoch: int  # the epoch being trained or, at an epoch's end, the one just closed (counted from 1)
    step: int  # optimizer steps so far
    seconds: float  # training seconds so far, the epochs before this run's included (pauses are not)
    val_accuracy: float | None  # a validation check taken at this very step, if there was one
    at_epoch_end: bool
    history: Sequence[dict]  # the closed epochs' rows (val_accuracy may be None: no validation split)


class StopRule(Protocol):
    def reason_to_stop(self, moment: Moment) -> str | None:
        """Why the run should end now; None to go on."""


@dataclass(frozen=True)
class TargetAccuracy:
    """End at the first validation check at or past `target` (0-1)."""

    target: float

    def reason_to_stop(self, moment: Moment) -> str | None:
        accuracy = moment.val_accuracy
        if accuracy is None or accuracy < self.target:
            return None
        return say(
            "stop.target",
            target=f"{100 * self.target:g}",
            accuracy=f"{100 * accuracy:.2f}",
            epoch=moment.epoch,
            step=moment.step,
        )


@dataclass(frozen=True)
class TimeBudget:
    """End once `seconds` of training are used."""

    seconds: float

    def reason_to_stop(self, moment: Moment) -> str | None:
        if moment.seconds < self.seconds:
            return None
        if moment.at_epoch_end:
            return say("stop.time_epoch_end", seconds=f"{self.seconds:g}", epoch=moment.epoch)
        return say("stop.time", seconds=f"{self.seconds:g}", epoch=moment.epoch, step=moment.step)


@dataclass(frozen=True)
class Patience:
    """End when the validation accuracy has not improved for `epochs` epochs (looked at when an epoch closes)."""

    epochs: int

    def reason_to_stop(self, moment: Moment) -> str | None:
        if not moment.at_epoch_end:
            return None
        scores = [score for score in (row.get("val_accuracy") for row in moment.history) if score is not None]
        if len(scores) <= self.epochs:
            return None
        best = max(range(len(scores)), key=scores.__getitem__)  # the first epoch with the best accuracy
        if len(scores) - 1 - best < self.epochs:
            return None
        found = {"best": f"{100 * scores[best]:.2f}", "epoch": best + 1}
        if self.epochs == 1:
            return say("stop.patience_one", **found)
        return say("stop.patience", count=self.epochs, **found)


def rules_for(config) -> list[StopRule]:
    """The stop rules a TrainConfig asks for: target accuracy, time budget, patience (in that order)."""
    rules: list[StopRule] = []
    if config.target_accuracy is not None:
        rules.append(TargetAccuracy(config.target_accuracy))
    if config.time_budget is not None:
        rules.append(TimeBudget(config.time_budget))
    if config.patience > 0:
        rules.append(Patience(config.patience))
    return rules


def first_reason(rules: Sequence[StopRule], moment: Moment) -> str | None:
    """The first rule's reason to stop at `moment`, or None."""
    for rule in rules:
        reason = rule.reason_to_stop(moment)
        if reason is not None:
            return reason
    return None
