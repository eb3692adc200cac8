"""A study's plan: everything a worker needs to run its trials, stored with the study (Optuna's user attributes),
so that `sweep join NAME --storage URL` on another machine needs nothing else: the model, the search space, the
dataset, the base settings, the budget, the seeds per configuration, the sampler and the pruner."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from workbench.data.datasets import Dataset, load_dataset
from workbench.experiments.space import SearchSpace, SpaceError, parse_space
from workbench.model import spec as model_spec
from workbench.model.params import show
from workbench.model.spec import ModelSpec, SpecError
from workbench.training.config import ConfigError, TrainConfig

__all__ = [
    "MAX_SEEDS",
    "PLAN_FORMAT",
    "PRUNERS",
    "SAMPLERS",
    "DataChoice",
    "StudyError",
    "StudyPlan",
    "check_study_name",
]

PLAN_FORMAT = "cnn-workbench.study"
PLAN_VERSION = 1
SAMPLERS = ("grid", "tpe", "random")
PRUNERS = ("none", "median", "halving")
MAX_SEEDS = 5
MAX_TRIALS = 100_000
MAX_MINUTES = 60 * 24 * 365
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")


class StudyError(ValueError):
    """A study cannot be made, found or run; one line saying what to do."""


def check_study_name(name: Any) -> str:
    if not isinstance(name, str) or not NAME.fullmatch(name):
        raise StudyError(
            f"{show(name)} is not a study name; use up to 100 letters, digits, '.', '_' or '-', "
            "starting with a letter or digit"
        )
    return name


@dataclass(frozen=True)
class DataChoice:
    """The dataset trials train on, as `load_dataset` takes it (the data folder is each machine's own)."""

    name: str
    limit: int | None = None
    val_fraction: float = 0.1
    folder: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "limit": self.limit, "val_fraction": self.val_fraction, "folder": self.folder}


@dataclass(frozen=True)
class StudyPlan:
    spec: ModelSpec
    space: SearchSpace
    data: DataChoice
    config: TrainConfig  # the base settings; a trial's values replace some of them
    trials: int | None = None  # the study's budget: trials, minutes (either or both; None: no limit of that kind)
    minutes: float | None = None
    seeds: int = 1
    sampler: str = "tpe"
    pruner: str = "none"

    def __post_init__(self) -> None:
        self.check()

    def check(self) -> None:
        if self.sampler not in SAMPLERS:
            raise StudyError(f"sampler {self.sampler!r} is not one of {', '.join(SAMPLERS)}")
        if self.pruner not in PRUNERS:
            raise StudyError(f"pruner {self.pruner!r} is not one of {', '.join(PRUNERS)}")
        if self.sampler == "grid" and not self.space.all_choices:
            raise StudyError("the grid sampler needs every domain to be a choice; use tpe or random for ranges")
        if not isinstance(self.seeds, int) or not 1 <= self.seeds <= MAX_SEEDS:
            raise StudyError(f"seeds per configuration must be 1 to {MAX_SEEDS}, not {self.seeds}")
        if self.trials is not None and not (isinstance(self.trials, int) and 1 <= self.trials <= MAX_TRIALS):
            raise StudyError(f"the trial budget must be 1 to {MAX_TRIALS:,} trials, not {self.trials}")
        minutes = self.minutes
        if minutes is not None and not (isinstance(minutes, (int, float)) and 0 < minutes <= MAX_MINUTES):
            raise StudyError(f"the time budget must be more than 0 and at most {MAX_MINUTES:,} minutes")

    @property
    def budget_trials(self) -> int | None:
        """The trials to run: the budget, at most the grid's size for a grid."""
        grid = self.space.grid_size() if self.sampler == "grid" else None
        if grid is None:
            return self.trials
        return grid if self.trials is None else min(grid, self.trials)

    def to_attrs(self) -> dict[str, Any]:
        return {
            "format": PLAN_FORMAT,
            "version": PLAN_VERSION,
            "spec": self.spec.to_json(),
            "space": self.space.to_json(),
            "data": self.data.to_json(),
            "config": self.config.to_json(),
            "trials": self.trials,
            "minutes": self.minutes,
            "seeds": self.seeds,
            "sampler": self.sampler,
            "pruner": self.pruner,
        }

    @classmethod
    def from_attrs(cls, attrs: dict[str, Any], study: str) -> StudyPlan:
        """The plan a study was made with; a study made by something else, or damaged, is a StudyError."""
        plan = attrs.get("plan") if isinstance(attrs, dict) else None
        if not isinstance(plan, dict) or plan.get("format") != PLAN_FORMAT:
            raise StudyError(f"study {study!r} was not made by CNN Workbench (`sweep`); it has no plan to run")
        if plan.get("version") != PLAN_VERSION:
            raise StudyError(f"study {study!r} was made by a newer CNN Workbench; update this one to run it")
        try:
            spec = model_spec.from_json(plan["spec"])
            config = TrainConfig.from_json(plan["config"])
            data = DataChoice(**plan["data"])
            space = parse_space(plan["space"], spec, config)
            budget = {key: plan[key] for key in ("trials", "minutes", "seeds", "sampler", "pruner")}
            return cls(spec, space, data, config, **budget)
        except (KeyError, TypeError, SpecError, SpaceError, ConfigError) as exc:
            raise StudyError(f"study {study!r} has a damaged plan ({exc}); delete it and sweep again") from None

    def load_data(self, data_dir: str | None = None) -> Dataset:
        """The trials' data, split as every worker splits it (the base settings' seed), never downloaded (a
        worker cannot ask); `data_dir`: this machine's data folder (default: $WORKBENCH_DATA_DIR, …)."""
        data = self.data
        return load_dataset(
            data.name,
            data_dir,
            folder=data.folder,
            val_fraction=data.val_fraction,
            seed=self.config.seed,
            limit=data.limit,
            download=False,
        )

    def with_budget(self, trials: int | None, minutes: float | None) -> StudyPlan:
        return replace(self, trials=trials, minutes=minutes)
