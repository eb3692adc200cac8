"""Every way a run can end, as scenarios that run the same in one process and in each rank of a distributed run.

Nothing here waits on the wall clock: the trainer's clock is its step count (every training step takes one
second), validation accuracies are scripted by step, and stop, pause and the failures strike at a chosen
step. The reporting interval is set to its two extremes: 0 (every batch reports) and infinity (only the
batches a report is forced for). Each scenario trains 8 batches an epoch for at most 3 epochs."""

from __future__ import annotations

import dataclasses
import json
import math
import threading
from dataclasses import dataclass
from pathlib import Path

from tests.core.synthetic import bars_dataset
from workbench.events import BatchEnded, Failed, Finished, Paused, Stopped
from workbench.files.model_file import load_model
from workbench.training import checkpoints as checkpoints_module
from workbench.training.config import TrainConfig
from workbench.training.control import RunControl
from workbench.training.run_folder import CHECKPOINT, HISTORY, MODEL, keep_run

BATCHES = 8  # per epoch: 256 training images in batches of 32
INTERVALS = {"every batch": 0.0, "forced only": math.inf}
CONFIG = TrainConfig(
    epochs=3, batch_size=32, lr=0.01, optimizer="sgd", schedule="none", seed=5, threads=1, device="cpu"
)


@dataclass(frozen=True)
class Scenario:
    name: str
    settings: dict  # TrainConfig changes
    outcome: str  # what fit returns
    says: str  # in the Finished reason or the failure
    epochs: int  # epochs in the history at the end
    at: int = 0  # the step the scripted event strikes at (0: none)
    model: bool = True  # a model file is written
    checkpoint_epochs: int | None = None  # epochs in the last good checkpoint (a failed save)


TARGET = {"target_accuracy": 0.5, "checks_per_epoch": 8}  # a validation check after every batch
SCENARIOS = (
    Scenario("all epochs done", {"epochs": 2}, "finished", "all 2 epochs done", 2),
    Scenario("target within an epoch", TARGET, "finished", "in epoch 2 at step 11", 2, at=11),
    Scenario("target at an epoch's end", TARGET, "finished", "in epoch 2 at step 16", 2, at=16),
    Scenario("time budget within an epoch", {"time_budget": 11.0}, "finished", "in epoch 2 at step 11", 2),
    Scenario("time budget at an epoch's end", {"time_budget": 16.0}, "finished", "by the end of epoch 2", 2),
    Scenario("patience", {"patience": 1}, "finished", "did not improve for 1 epoch", 2),
    Scenario("stop", {}, "stopped", "", 1, 11),
    Scenario("stop while paused", {}, "stopped", "", 1, 11),
    Scenario("a failed save", {}, "failed", "cannot save the checkpoint at step 16", 2, 16, checkpoint_epochs=1),
    Scenario("NaN", {}, "failed", "NaN or infinite at epoch 2, step 11", 1, 11),
)


class StepClock:
    """The trainer's time: one second per training step."""

    def __init__(self) -> None:
        self.trainer = None

    def __call__(self) -> float:
        return 0.0 if self.trainer is None else float(self.trainer.step)


class Events:
    def __init__(self) -> None:
        self.events: list = []
        self.on_paused = threading.Event()

    def __call__(self, event) -> None:
        self.events.append(event)
        if isinstance(event, Paused):
            self.on_paused.set()

    def of(self, kind) -> list:
        return [e for e in self.events if isinstance(e, kind)]


def run_scenario(scenario: Scenario, interval: float, folder: Path, make_trainer, rank: int | None = None) -> dict:
    """Train `scenario` with the trainer `make_trainer(config, **kwargs)` builds (`rank`: which rank of a
    distributed run this is, None: a single process), keep its files in `folder` as the CLI does, and return
    what the test checks (nothing on the ranks other than 0)."""
    main = not rank
    folder.mkdir(parents=True, exist_ok=True)
    events, control, clock = Events(), RunControl(), StepClock()
    trainer = make_trainer(
        CONFIG.with_changes(**scenario.settings),
        listener=events,
        control=control,
        checkpoint_path=str(folder / CHECKPOINT) if main else None,
        batch_event_interval=interval,
        clock=clock,
    )
    clock.trainer = trainer
    restore = _script(scenario, trainer, control, events, rank)
    try:
        outcome = trainer.fit()
    finally:
        restore()
    if not main:
        return {}
    kept = keep_run(trainer, outcome, folder)
    return _observed(trainer, outcome, kept, events, folder)


def _script(scenario: Scenario, trainer, control: RunControl, events: Events, rank: int | None):
    """Make the scenario's event strike at its step; returns what undoes any module-level change. Stop and pause
    are rank 0's controls; a loss turns NaN on the last rank only (the others learn it from the summed loss)."""
    name, at, main = scenario.name, scenario.at, not rank
    if name.startswith(("target", "patience")):
        validate = trainer._validate
        # scripted accuracies: below the target until `at`; for patience, the same every epoch
        trainer._validate = lambda: dataclasses.replace(
            validate(), accuracy=0.5 if name == "patience" else float(trainer.step >= at)
        )
    if name.startswith("stop") and main:
        _after_step(trainer, at, control.pause if name.endswith("paused") else control.stop)
        if name.endswith("paused"):
            threading.Thread(target=lambda: events.on_paused.wait(60) and control.stop(), daemon=True).start()
    if name == "NaN" and (rank is None or rank == trainer.ranks.world - 1):
        loss = trainer._loss
        trainer._loss = lambda out, yb: loss(out, yb) * (math.nan if trainer.step + 1 == at else 1.0)
    if name == "a failed save":
        real = checkpoints_module.save_model

        def disk_full(path, saved, **kwargs):
            if saved.extra.get("step") == at:
                raise OSError(28, "No space left on device")
            return real(path, saved, **kwargs)

        checkpoints_module.save_model = disk_full
        return lambda: setattr(checkpoints_module, "save_model", real)
    return lambda: None


def _after_step(trainer, step: int, action) -> None:
    train_step = trainer._train_step

    def wrapped(xb, yb):
        result = train_step(xb, yb)
        if trainer.step + 1 == step:  # the step just trained
            action()
        return result

    trainer._train_step = wrapped


def _observed(trainer, outcome: str, kept, events: Events, folder: Path) -> dict:
    ends = events.of(Finished) + events.of(Stopped) + events.of(Failed)
    reported = [step for event in events.of(BatchEnded) for step in event.steps]
    model = folder / MODEL
    checkpoint = folder / CHECKPOINT
    return {
        "outcome": outcome,
        "ends": [type(e).__name__ for e in ends],
        "reason": getattr(ends[-1], "reason", "") if ends else "",
        "problem": kept.problem,
        "step": trainer.step,
        "epoch": trainer.epoch,
        "history_epochs": [row["epoch"] for row in trainer.history],
        "csv_epochs": [int(line.split(",")[0]) for line in (folder / HISTORY).read_text().splitlines()[1:]],
        "model_epochs": len(load_model(model).history) if model.is_file() else None,
        "checkpoint_epochs": len(load_model(checkpoint, kind="checkpoint").history) if checkpoint.is_file() else None,
        "checkpoint": str(checkpoint),
        "empty_reports": sum(1 for event in events.of(BatchEnded) if not event.steps),
        "reported_steps": reported,
    }


def check(scenario: Scenario, seen: dict, interval: str) -> None:
    """What every ending must leave: its outcome, one end event, a loadable file, the whole history, every loss."""
    label = f"{scenario.name}, {interval}"
    assert seen["outcome"] == scenario.outcome, (label, seen["outcome"], seen["reason"], seen["problem"])
    assert len(seen["ends"]) == 1, (label, seen["ends"])
    said = seen["problem"] if scenario.outcome == "failed" else seen["reason"]
    assert scenario.says in said, (label, said)
    epochs = list(range(1, scenario.epochs + 1))
    assert seen["history_epochs"] == seen["csv_epochs"] == epochs, (label, seen)
    assert seen["epoch"] == scenario.epochs, label
    if scenario.model:
        assert seen["model_epochs"] == scenario.epochs, (label, seen["model_epochs"])
    if scenario.checkpoint_epochs is not None:  # the last good checkpoint is kept, loadable and named
        assert seen["checkpoint_epochs"] == scenario.checkpoint_epochs, label
        assert seen["checkpoint"] in seen["problem"], label
    if scenario.outcome != "failed":
        assert seen["problem"] is None, (label, seen["problem"])
    assert seen["empty_reports"] == 0, label
    # every trained step's loss is reported once, in order (the steps of a diverged batch are not trained)
    assert seen["reported_steps"] == list(range(1, seen["step"] + 1)), (label, seen["reported_steps"])


def dataset():
    return bars_dataset(train=256, val=64, test=64)


def save_seen(path: Path, seen: dict) -> None:
    path.write_text(json.dumps(seen), encoding="utf-8")


def load_seen(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))
