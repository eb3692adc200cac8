"""A trainer listener that records the run into the run store as its events arrive.

Batch losses are buffered and written at each epoch's end (and at the run's end), so a run killed
mid-epoch keeps every finished epoch and the batches before it. Recording never gets in the run's
way: the first store error is kept in `problem` and the recorder stops writing.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from workbench.events import BatchEnded, EpochEnded, Event, Failed, Finished, RunStarted, Stopped
from workbench.messages import say
from workbench.model.spec import ModelSpec
from workbench.runs.store import RunStore
from workbench.training.config import TrainConfig


def start_recording(
    store: RunStore,
    spec: ModelSpec,
    config: TrainConfig,
    dataset: str,
    source: str,
    *,
    history: Sequence[dict] = (),
    checkpoint_path: str | None = None,
    parent_id: int | None = None,
    resume: bool = False,
    name: str = "",
    study: str | None = None,
    trial: int | None = None,
) -> RunRecorder:
    """A recorder for a run about to start. `resume`: the run continues its checkpoint, so the stored
    run that owns that checkpoint goes on (a new one is started if none does); `history`: the epochs
    the weights already had (a continued run of `parent_id`, or the resumed run's own); `study` and
    `trial`: the Optuna study a new run is a trial of, and its number."""
    existing = store.find_by_checkpoint(checkpoint_path) if resume and checkpoint_path else None
    if existing is not None:
        store.reopen(existing.id, history)
        return RunRecorder(store, existing.id)
    run_id = store.start_run(
        spec,
        config.to_json(),
        dataset,
        source=source,
        name=name,
        parent_id=parent_id,
        checkpoint_path=checkpoint_path,
        history=history,
        study=study,
        trial=trial,
    )
    return RunRecorder(store, run_id)


class RunRecorder:
    def __init__(self, store: RunStore, run_id: int) -> None:
        self.store = store
        self.run_id = run_id
        self.problem: str | None = None  # why recording stopped, once it has
        self.outcome: str | None = None  # set when the run's end is recorded
        self._steps: list[int] = []
        self._losses: list[float] = []
        self._step = 0

    def __call__(self, event: Event) -> None:
        self._safely(self._record, event)

    def _safely(self, write, *args) -> None:
        """Run `write` unless recording has stopped; the first store error stops it, kept in `problem`."""
        if self.problem is not None:
            return
        try:
            write(*args)
        except (sqlite3.Error, OSError) as exc:
            self.problem = f"The run store stopped recording run {self.run_id}: {exc}"

    def _record(self, event: Event) -> None:
        if isinstance(event, RunStarted):
            self._step = event.start_step
            self.store.set_started(
                self.run_id,
                device=event.device,
                features=event.features,
                parameters=event.parameters,
                config=event.config,
            )
        elif isinstance(event, BatchEnded):
            steps, losses = (event.steps, event.losses) if event.steps else ((event.step,), (event.loss,))
            self._steps.extend(steps)
            self._losses.extend(losses)
            self._step = event.step
        elif isinstance(event, EpochEnded):
            self._flush()
            self.store.add_epoch(
                self.run_id,
                {
                    "epoch": event.epoch,
                    "step": self._step,
                    "train_loss": event.train_loss,
                    "train_accuracy": event.train_accuracy,
                    "val_loss": event.val_loss,
                    "val_accuracy": event.val_accuracy,
                    "seconds": event.seconds,
                    "images_per_second": event.images_per_second,
                    "lr": event.lr,
                },
            )
        elif isinstance(event, Finished):
            self._flush()
            self._end(
                "finished",
                reason=event.reason,
                test_accuracy=event.test_accuracy,
                test_loss=event.test_loss,
                images_per_second=event.images_per_second or None,
                device=event.device,
                features=event.features,
            )
        elif isinstance(event, Stopped):
            self._flush()
            self._end("stopped", reason=say("stop.stopped_at", step=event.step))
        elif isinstance(event, Failed):
            self._flush()
            self._end("failed", reason=event.reason)

    def _flush(self) -> None:
        if self._steps:
            steps, losses = self._steps, self._losses
            self._steps, self._losses = [], []
            self.store.add_batches(self.run_id, steps, losses)

    def _end(self, outcome: str, reason: str = "", **metrics) -> None:
        self.store.finish(self.run_id, outcome, reason=reason, **metrics)
        self.outcome = outcome

    def end(self, outcome: str, reason: str = "") -> None:
        """Record an end no event told (a training process that died); a no-op once the end is recorded."""
        if self.outcome is not None:
            return
        outcome = outcome if outcome in ("finished", "stopped", "failed") else "lost"
        told = reason or (say("stop.no_word") if outcome in ("failed", "lost") else "")
        self._safely(self._flush)
        self._safely(self._end, outcome, told)

    def set_model(self, path: str) -> None:
        self._safely(self.store.set_model, self.run_id, path)
