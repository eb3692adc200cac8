"""A worker: runs a study's trials one after another until its budget is spent, the grid is done or it is asked to
stop. Any number of workers (processes here, other machines through PostgreSQL) may work on one study; Optuna's
storage gives each trial to one of them.

The budget is the study's own, stored in its plan: `trials` counts the trials that ran or run (complete, pruned,
running, and failed with an error of their configuration; a trial failed because its worker died or stopped is
tried again, and counted once); `minutes` is the time during which at least one trial was running, so a stopped
and resumed study goes on with what is left. Workers racing for the last trial may start one more each.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import optuna
from optuna.trial import FrozenTrial, TrialState

from workbench.data.datasets import Dataset
from workbench.events import Event
from workbench.experiments.plan import StudyPlan
from workbench.experiments.storage import load_study, open_storage, quietly, studies_dir
from workbench.experiments.trial import TrialFailed, TrialRunner, TrialStopped, drop_models, trial_folder
from workbench.runs.store import RunStore, RunStoreError
from workbench.training.control import RunControl

__all__ = ["KEEP_BEST", "Worker", "budget_spent", "make_pruner", "make_sampler", "study_folder"]

KEEP_BEST = 3  # trials whose model files a study keeps (on each machine, of the trials it ran)


def study_folder(name: str) -> Path:
    return studies_dir() / name


def make_sampler(plan: StudyPlan, seed: int | None = None) -> optuna.samplers.BaseSampler:
    if plan.sampler == "grid":
        return optuna.samplers.GridSampler(plan.space.grid(), seed=seed)
    if plan.sampler == "random":
        return optuna.samplers.RandomSampler(seed=seed)
    return optuna.samplers.TPESampler(seed=seed, n_startup_trials=min(10, max(2, (plan.trials or 20) // 4)))


def make_pruner(plan: StudyPlan) -> optuna.pruners.BasePruner:
    """Validation checks are the steps (4 per epoch); the first is too early to judge by. Halving first judges at
    3/4 of an epoch and keeps a third at each rung: at half an epoch it dropped the best of a 12-configuration MNIST
    grid (0.50 points behind); at 3/4 of an epoch of 6 it found the same best in 0.43 of the grid's time."""
    if plan.pruner == "median":
        return optuna.pruners.MedianPruner(n_startup_trials=3, n_warmup_steps=2)
    if plan.pruner == "halving":
        return optuna.pruners.SuccessiveHalvingPruner(min_resource=3, reduction_factor=3)
    return optuna.pruners.NopPruner()


def counted(trial: FrozenTrial) -> bool:
    """Whether a trial uses the budget (see the module's docstring)."""
    if trial.state in (TrialState.COMPLETE, TrialState.PRUNED, TrialState.RUNNING):
        return True
    return trial.state == TrialState.FAIL and "error" in trial.user_attrs


def busy_seconds(trials: Sequence[FrozenTrial], now: float) -> float:
    """Seconds during which at least one trial ran (the union of their times)."""
    spans = sorted(
        (trial.datetime_start.timestamp(), trial.datetime_complete.timestamp() if trial.datetime_complete else now)
        for trial in trials
        if trial.datetime_start is not None
    )
    total, end = 0.0, float("-inf")
    for start, stop in spans:
        if stop > end:
            total += stop - max(start, end)
            end = stop
    return total


def budget_spent(trials: Sequence[FrozenTrial], plan: StudyPlan, now: float | None = None) -> str | None:
    """Why no new trial should start (the budget used, the grid done), or None."""
    limit = plan.budget_trials
    if limit is not None and sum(map(counted, trials)) >= limit:
        done = "every configuration of the grid was tried" if limit == plan.space.grid_size() else ""
        return done or f"the budget of {limit} trials is spent"
    if plan.minutes is not None and busy_seconds(trials, time.time() if now is None else now) >= 60 * plan.minutes:
        return f"the time budget of {plan.minutes:g} minutes is spent"
    return None


@dataclass
class Worker:
    """One worker of a study. `listener` hears every run's events and the worker's notices."""

    storage_url: str | None
    name: str
    threads: int = 1
    data_dir: str | None = None
    runs_dir: str | None = None
    control: RunControl | None = None
    listener: Callable[[Event], None] | None = None
    after_trial: Callable[[], None] | None = None  # called after each trial this worker ran
    dataset: Dataset | None = None

    def __post_init__(self) -> None:
        self.control = self.control or RunControl()
        storage = open_storage(self.storage_url)
        self.study, self.plan = load_study(storage, self.name)
        self.study.sampler = make_sampler(self.plan)
        self.study.pruner = make_pruner(self.plan)

    def run(self) -> str:
        """Trials until the budget is spent ('budget spent: …'), or 'stopped' when asked."""
        runner = TrialRunner(
            self.plan,
            self.name,
            self.dataset or self.plan.load_data(self.data_dir),
            study_folder(self.name),
            threads=self.threads,
            control=self.control,
            store=self._store(),
            listener=self.listener,
        )
        dropped: set[int] = set()  # trials whose model files are gone (a trial out of the best never comes back)
        while True:
            with quietly():  # a dead worker's trial is not running: its share of the budget is free
                optuna.storages.fail_stale_trials(self.study)
            trials = self.study.get_trials(deepcopy=False)
            keep_best_models(trials, study_folder(self.name), dropped)
            reason = budget_spent(trials, self.plan)
            if reason is not None:
                return reason
            if self.control.stop_requested:
                return "stopped"
            try:
                self.study.optimize(runner, n_trials=1, catch=(TrialFailed,), gc_after_trial=False)
            except TrialStopped:
                return "stopped"
            if self.after_trial is not None:
                self.after_trial()

    def _store(self) -> RunStore | None:
        try:
            return RunStore(self.runs_dir)
        except RunStoreError:
            return None


def keep_best_models(trials: Sequence[FrozenTrial], folder: Path, dropped: set[int]) -> None:
    """Delete the model files of every finished trial but the `KEEP_BEST` best complete ones (their histories
    and run-store records stay), so that a long sweep cannot fill the disk; `dropped`: the trials already done, to
    which those dropped now are added."""
    complete = [trial for trial in trials if trial.state == TrialState.COMPLETE and trial.value is not None]
    best = {trial.number for trial in sorted(complete, key=lambda trial: -trial.value)[:KEEP_BEST]}
    for trial in trials:
        if trial.state.is_finished() and trial.number not in best and trial.number not in dropped:
            drop_models(trial_folder(folder, trial.number))
            dropped.add(trial.number)
