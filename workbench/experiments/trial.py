"""One trial: a configuration trained once per seed, each an ordinary run (the same Trainer, events, checkpoint,
model file and run-store record as any run), scored on validation only. The first seed's validation checks feed
the pruner through a stop rule; the trial's value is the mean of its seeds' final validation accuracies."""

from __future__ import annotations

import os
import socket
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import optuna
import torch

from workbench.data.datasets import Dataset
from workbench.events import Event, Failed, Notice
from workbench.experiments.apply import configure, shape_problem
from workbench.experiments.plan import StudyPlan
from workbench.messages import said_in, say, to_record
from workbench.model.params import ParamError
from workbench.model.shapes import infer
from workbench.runs.recorder import start_recording
from workbench.runs.store import RunStore
from workbench.training.config import ConfigError
from workbench.training.control import RunControl
from workbench.training.run_folder import CHECKPOINT, MODEL, keep_run
from workbench.training.stopping import Moment
from workbench.training.trainer import Trainer, TrainingError

__all__ = ["PRUNER_CHECKS", "Pruning", "TrialFailed", "TrialRunner", "TrialStopped", "trial_folder"]

PRUNER_CHECKS = 4  # validation checks per epoch a trial reports to its pruner (when the plan has one)


class TrialFailed(Exception):
    """The configuration cannot be trained (its shape error, a diverged loss); the study goes on."""


class TrialStopped(Exception):
    """The worker was asked to stop mid-trial; the trial is queued again, so a resumed study runs it."""


def trial_folder(study_folder: Path, number: int) -> Path:
    return study_folder / f"trial-{number}"


@dataclass
class Pruning:
    """The stop rule that hands each validation check to Optuna's pruner and ends the run when it says so."""

    trial: optuna.Trial
    checks: int = 0
    reason: str | None = None

    def reason_to_stop(self, moment: Moment) -> str | None:
        if moment.val_accuracy is None:
            return None
        self.checks += 1
        self.trial.report(moment.val_accuracy, self.checks)
        if not self.trial.should_prune():
            return None
        self.reason = say(
            "stop.pruned",
            check=self.checks,
            epoch=moment.epoch,
            step=moment.step,
            accuracy=f"{100 * moment.val_accuracy:.2f}",
        )
        return self.reason


class TrialRunner:
    """Optuna's objective for one worker: trains a trial's seeds on `dataset` (its test split left out)."""

    def __init__(
        self,
        plan: StudyPlan,
        study: str,
        dataset: Dataset,
        folder: Path,
        *,
        threads: int,
        control: RunControl,
        store: RunStore | None,
        listener: Callable[[Event], None] | None = None,
    ) -> None:
        self.plan, self.study, self.folder = plan, study, folder
        self.dataset = replace(dataset, test=dataset.test.subset(_none()))
        self.threads, self.control, self.store = threads, control, store
        self.listener = listener
        self.host = socket.gethostname()
        self.worker = f"{self.host}:{os.getpid()}"

    def __call__(self, trial: optuna.Trial) -> float:
        params = {domain.name: domain.suggest(trial) for domain in self.plan.space.domains}
        trial.set_user_attr("host", self.host)
        trial.set_user_attr("worker", self.worker)
        try:
            spec, config = configure(self.plan.spec, self.plan.config, params)
        except (ParamError, ConfigError, ValueError) as exc:
            _fail(trial, str(exc))
        problem = shape_problem(spec)
        if problem is not None:
            _fail(trial, problem)
        trial.set_user_attr("parameters", infer(spec).total_params)
        checks = PRUNER_CHECKS if self.plan.pruner != "none" else config.checks_per_epoch
        config = replace(config, threads=self.threads, checks_per_epoch=checks)
        started = time.monotonic()
        scores, runs = [], []
        for seed_index in range(self.plan.seeds):
            seeded = replace(config, seed=self.plan.config.seed + seed_index)
            score, run = self._train(trial, spec, seeded, seed_index, params)
            scores.append(score)
            runs.append(run)
            trial.set_user_attr("scores", scores)
            trial.set_user_attr("runs", runs)
            trial.set_user_attr("seconds", round(time.monotonic() - started, 3))
        spread = statistics.stdev(scores) if len(scores) > 1 else 0.0
        trial.set_user_attr("spread", spread)
        return statistics.fmean(scores)

    def _train(self, trial: optuna.Trial, spec, config, seed_index: int, params: dict) -> tuple[float, int | None]:
        run_dir = trial_folder(self.folder, trial.number) / f"seed-{seed_index}"
        run_dir.mkdir(parents=True, exist_ok=True)
        pruning = Pruning(trial) if self.plan.pruner != "none" and seed_index == 0 else None
        recorder = self._record(spec, config, trial.number, seed_index, run_dir)
        listener = self._listener(recorder)
        try:
            trainer = Trainer(
                spec,
                self.dataset,
                config,
                listener=listener,
                control=self.control,
                checkpoint_path=str(run_dir / CHECKPOINT),
                stop_rules=[pruning] if pruning else None,
            )
        except (TrainingError, ValueError) as exc:
            reason = said_in(exc) or str(exc)
            listener(Failed(reason))
            _fail(trial, reason)
        outcome = trainer.fit()
        kept = keep_run(trainer, outcome, run_dir)
        if recorder is not None and kept.model is not None:
            recorder.set_model(str(kept.model.resolve()))
        run = recorder.run_id if recorder is not None else None
        if outcome == "stopped":
            trial.study.enqueue_trial(params, user_attrs={"retry_of": trial.number}, skip_if_exists=False)
            raise TrialStopped(f"trial {trial.number} was stopped; it is queued to run again")
        if outcome == "failed":
            _fail(trial, trainer.failure or "training failed")
        if pruning is not None and pruning.reason is not None and trainer.stop_reason == pruning.reason:
            _keep_reason(trial, "pruned", pruning.reason)
            trial.set_user_attr("runs", [run])
            raise optuna.TrialPruned(pruning.reason)
        return _final_val_accuracy(trainer), run

    def _record(self, spec, config, number: int, seed_index: int, run_dir: Path):
        if self.store is None:
            return None
        try:
            return start_recording(
                self.store,
                spec,
                config,
                self.dataset.name,
                "sweep",
                checkpoint_path=str((run_dir / CHECKPOINT).resolve()),
                name=f"{self.study} #{number} seed {seed_index + 1}",
                study=self.study,
                trial=number,
            )
        except Exception as exc:  # the run store never stops a trial
            self.store = None
            self._notice(f"the trials are not kept in the run store: {exc}")
            return None

    def _listener(self, recorder) -> Callable[[Event], None]:
        listeners = [item for item in (recorder, self.listener) if item is not None]

        def fan_out(event: Event) -> None:
            for listener in listeners:
                listener(event)

        return fan_out

    def _notice(self, message: str) -> None:
        if self.listener is not None:
            self.listener(Notice(message))


def _keep_reason(trial: optuna.Trial, name: str, reason: str) -> None:
    """A reason in the trial's attributes, in English and (if coded) as code and values, for the window."""
    trial.set_user_attr(name, str(reason))
    if (record := to_record(reason)) is not None:
        trial.set_user_attr(f"{name}_code", record)


def _fail(trial: optuna.Trial, reason: str) -> None:
    _keep_reason(trial, "error", reason)
    raise TrialFailed(reason)


def _final_val_accuracy(trainer: Trainer) -> float:
    for row in reversed(trainer.history):
        if row.get("val_accuracy") is not None:
            return float(row["val_accuracy"])
    raise TrialFailed("the dataset has no validation split to score trials on; use a val fraction above 0")


def _none() -> torch.Tensor:
    return torch.arange(0)


def drop_models(folder: Path) -> None:
    """Remove a trial's model files and checkpoints (its history stays)."""
    for path in folder.glob(f"seed-*/*{Path(MODEL).suffix}"):
        path.unlink(missing_ok=True)
