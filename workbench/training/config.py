"""Training settings and the pieces they choose: device, optimizer, learning-rate schedule."""

from __future__ import annotations

import os
import re
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

import torch

from workbench.insight.cost import device_words as describe_device  # noqa: F401 (said one way: runs and costs)

OPTIMIZERS = ("sgd", "adam", "adamw", "rmsprop")
SCHEDULES = ("none", "step", "cosine", "one-cycle")
LIVE_SETTINGS = ("lr", "weight_decay", "momentum", "nesterov", "label_smoothing")  # may change while paused
DEVICE_PATTERN = re.compile(r"auto|cpu|mps|cuda(:[0-9]{1,3})?")  # what the trainer knows how to train on
MAX_SEED = 2**32 - 1  # numpy's range too; the augmentation's per-step seeds (seed × 1,000,003 + step) stay in int64


class ConfigError(ValueError):
    """A training setting is invalid; the message names it and says what is allowed."""


@dataclass(frozen=True)
class TrainConfig:
    """A run's settings. Saved with its model (`to_json`); a new field is declared in `files/schema.py`
    TrainSettings too, so that a file holding the wrong kind of value for it is refused on load."""

    optimizer: str = "adam"
    lr: float = 2e-3
    momentum: float = 0.9  # SGD and RMSprop
    nesterov: bool = False  # SGD
    weight_decay: float = 0.0
    batch_size: int = 64
    epochs: int = 1
    schedule: str = "one-cycle"  # warm up, then anneal: reliable for short runs
    step_size: int = 1  # epochs between decays for the step schedule
    gamma: float = 0.1  # decay factor for the step schedule
    label_smoothing: float = 0.0
    seed: int = 0
    device: str = "auto"  # auto → CUDA, then Apple MPS, then CPU; or "cpu", "cuda", "cuda:1", "mps"
    mixed_precision: bool = True  # CUDA only: bfloat16 autocast where supported, else float16 with a scaler
    threads: int = 0  # CPU threads; 0 = every core (training runs in its own process, see default_threads)
    augment: bool = False
    val_fraction: float = 0.1
    channels_last: bool = True  # NHWC memory for models with convolutions, on CPU and CUDA (faster on both)
    compile: bool = False  # torch.compile the model; where it cannot, the run says so and trains uncompiled
    target_accuracy: float | None = None  # end the run when the validation accuracy reaches this (0-1)
    time_budget: float | None = None  # end the run after this many seconds of training
    patience: int = 0  # early stopping: end after this many epochs without a better validation accuracy
    checks_per_epoch: int = 0  # validation checks per epoch; 0 = 4 with a target or time budget, else 1

    def __post_init__(self) -> None:
        self.validate()

    def validate(self) -> None:
        _choice("optimizer", self.optimizer, OPTIMIZERS)
        _choice("schedule", self.schedule, SCHEDULES)
        if not isinstance(self.device, str) or not DEVICE_PATTERN.fullmatch(self.device):
            raise ConfigError(
                f"device {self.device!r} is not one this app trains on; use auto, cpu, cuda, cuda:N or mps"
            )
        for name in ("nesterov", "mixed_precision", "augment", "channels_last", "compile"):
            if not isinstance(getattr(self, name), bool):
                raise ConfigError(f"{name} must be true or false, not {getattr(self, name)!r}")
        _between("lr", self.lr, 1e-8, 10.0)
        _between("momentum", self.momentum, 0.0, 0.999)
        _between("weight_decay", self.weight_decay, 0.0, 1.0)
        _between("label_smoothing", self.label_smoothing, 0.0, 0.99)
        _between("gamma", self.gamma, 1e-4, 1.0)
        _between("val_fraction", self.val_fraction, 0.0, 0.9)
        if self.target_accuracy is not None:
            _between("target_accuracy", self.target_accuracy, 0.01, 1.0)
        if self.time_budget is not None:
            _between("time_budget", self.time_budget, 0.1, 1e7)
        for name, value, high in (
            ("batch_size", self.batch_size, 65536),
            ("epochs", self.epochs, 100000),
            ("step_size", self.step_size, 100000),
            ("threads", self.threads, 1024),
            ("patience", self.patience, 100000),
            ("checks_per_epoch", self.checks_per_epoch, 1000),
            ("seed", self.seed, MAX_SEED),
        ):
            low = 0 if name in ("threads", "patience", "checks_per_epoch", "seed") else 1
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                raise ConfigError(f"{name} must be a whole number from {low} to {high}, not {value!r}")
        if self.nesterov and (self.optimizer != "sgd" or self.momentum == 0):
            raise ConfigError("nesterov needs optimizer 'sgd' with momentum above 0")

    @property
    def stops_early(self) -> bool:
        """Whether the run may end before its epochs are done (target accuracy, time budget, patience)."""
        return self.target_accuracy is not None or self.time_budget is not None or self.patience > 0

    @property
    def checks(self) -> int:
        """Validation checks per epoch (the last at the epoch's end)."""
        if self.checks_per_epoch:
            return self.checks_per_epoch
        return 4 if self.target_accuracy is not None or self.time_budget is not None else 1

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TrainConfig:
        if not isinstance(data, dict):
            raise ConfigError(f"training settings must be a JSON object, not {type(data).__name__}")
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ConfigError(f"unknown training setting {sorted(map(str, unknown))[0]!r}")
        try:
            return cls(**data)
        except TypeError as exc:
            raise ConfigError(str(exc)) from None

    def with_changes(self, **changes: Any) -> TrainConfig:
        return replace(self, **changes)

    def with_live_changes(self, **changes: Any) -> TrainConfig:
        """`with_changes` for the settings that may change during a run (ConfigError for the others)."""
        not_live = set(changes) - set(LIVE_SETTINGS)
        if not_live:
            raise ConfigError(f"{sorted(not_live)[0]} cannot change during a run; stop and start a new run")
        return self.with_changes(**changes)


def _choice(name: str, value: str, allowed: tuple[str, ...]) -> None:
    if not isinstance(value, str) or value not in allowed:
        raise ConfigError(f"{name} {value!r} is not known; use one of {', '.join(allowed)}")


def _between(name: str, value: float, low: float, high: float) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
        raise ConfigError(f"{name} must be a number from {low:g} to {high:g}, not {value!r}")


def resolve_device(name: str) -> torch.device:
    """'auto' picks CUDA, then Apple MPS, then CPU; a named device must be available."""
    if name == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        if getattr(torch.backends, "mps", None) and torch.backends.mps.is_available():
            return torch.device("mps")
        return torch.device("cpu")
    try:
        device = torch.device(name)
    except RuntimeError:
        raise ConfigError(f"device {name!r} is not a device name; use auto, cpu, cuda, cuda:N or mps") from None
    if device.type == "cuda" and not torch.cuda.is_available():
        raise ConfigError("device 'cuda' was asked for but no CUDA GPU is available; use device auto or cpu")
    if device.type == "cuda" and device.index is not None and device.index >= torch.cuda.device_count():
        raise ConfigError(f"device {name!r} does not exist; this machine has {torch.cuda.device_count()} GPU(s)")
    if device.type == "mps" and not (getattr(torch.backends, "mps", None) and torch.backends.mps.is_available()):
        raise ConfigError("device 'mps' was asked for but Apple MPS is not available; use device auto or cpu")
    return device


THREADS_VARIABLE = "WORKBENCH_THREADS"


def default_threads() -> int:
    """Every core, unless the environment variable WORKBENCH_THREADS is a whole number N ≥ 1 (then N; any other
    value is ignored). Training runs in its own process and the window is idle most of the time. On 2 cores
    two threads trained mnist-fast 1.7x as fast as one (6,534 against 3,862 images/s), and the GUI-gap
    test (tests/ui/test_dashboard.py) measured the window's worst timer gap while training at 19-28 ms
    with two threads and 16-26 ms with one: no measurable cost to the window.

    Where several processes train side by side on the same cores (other users' work, the test suite), every
    extra thread only adds the cost of keeping threads in step: two threads did the same training steps with
    18% more CPU time than one. WORKBENCH_THREADS=1 gives each process one."""
    value = os.environ.get(THREADS_VARIABLE, "").strip()
    if value.isdigit() and int(value) >= 1:
        return int(value)
    return max(1, os.cpu_count() or 1)


def make_optimizer(config: TrainConfig, params) -> torch.optim.Optimizer:
    if config.optimizer == "sgd":
        return torch.optim.SGD(
            params, lr=config.lr, momentum=config.momentum, nesterov=config.nesterov, weight_decay=config.weight_decay
        )
    if config.optimizer == "adam":
        return torch.optim.Adam(params, lr=config.lr, weight_decay=config.weight_decay)
    if config.optimizer == "adamw":
        return torch.optim.AdamW(params, lr=config.lr, weight_decay=config.weight_decay)
    return torch.optim.RMSprop(params, lr=config.lr, momentum=config.momentum, weight_decay=config.weight_decay)


def apply_live_settings(
    optimizer: torch.optim.Optimizer, schedule: Schedule, old: TrainConfig, new: TrainConfig
) -> None:
    """Put the live settings of `new` (changed while paused) into a running optimizer and schedule: a new
    learning rate rescales the schedule, the others go into every parameter group."""
    if new.lr != old.lr:
        schedule.rescale(new.lr / old.lr)
    for group in optimizer.param_groups:
        group["weight_decay"] = new.weight_decay
        if "momentum" in group:
            group["momentum"] = new.momentum
        if "nesterov" in group:
            group["nesterov"] = new.nesterov


class Schedule:
    """Wraps a torch LR scheduler and knows whether it steps per batch or per epoch."""

    def __init__(
        self, config: TrainConfig, optimizer: torch.optim.Optimizer, steps_per_epoch: int, epochs: int | None = None
    ):
        """`epochs`: how many epochs the schedule spans (default: the config's; fewer for a run that
        continues after earlier epochs)."""
        self.per_batch = config.schedule in ("cosine", "one-cycle")
        total = max(1, (config.epochs if epochs is None else epochs) * steps_per_epoch)
        if config.schedule == "step":
            self.scheduler = torch.optim.lr_scheduler.StepLR(optimizer, config.step_size, config.gamma)
        elif config.schedule == "cosine":
            self.scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, total)
        elif config.schedule == "one-cycle":
            self.scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=config.lr, total_steps=total)
        else:
            self.scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda _: 1.0)

    def batch_done(self) -> None:
        if self.per_batch and self.scheduler.last_epoch < getattr(self.scheduler, "total_steps", 1 << 62):
            self.scheduler.step()

    def epoch_done(self) -> None:
        if not self.per_batch:
            self.scheduler.step()

    def rescale(self, factor: float) -> None:
        """Scale every learning rate the schedule knows by `factor` (a new lr set while paused)."""
        self.scheduler.base_lrs = [lr * factor for lr in self.scheduler.base_lrs]
        for group in self.scheduler.optimizer.param_groups:
            for key in ("lr", "initial_lr", "max_lr", "min_lr"):
                if key in group:
                    group[key] *= factor

    def state_dict(self) -> dict:
        state = self.scheduler.state_dict()
        state.pop("lr_lambdas", None)
        return state

    def load_state_dict(self, state: dict) -> None:
        self.scheduler.load_state_dict({**self.scheduler.state_dict(), **state})
