"""What an experiment varies: a search space of named domains, read from SPACE.json and checked before any
training.

    {"lr": {"log": [1e-4, 1e-2]}, "batch_size": {"choice": [64, 128]},
     "layers.0.out_channels": {"choice": [8, 16, 32]}, "layers.3.p": {"uniform": [0.0, 0.5]}}

A name is a training setting (a `TrainConfig` field in `SETTINGS`) or `layers.I.NAME`, layer I's parameter
NAME (0-based). A domain is one of `choice` (a list of values), `uniform` and `log` (a float range, log-uniform
for `log`) or `int` (an integer range, both ends included). Every value a domain can give is checked the way the
model spec and the training form check it (`Param.check`, `TrainConfig.validate`), so a hostile or mistyped file
is one line naming the entry, never a failed trial; whether the model's shapes work out is `apply.check_feasible`.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, NamedTuple

from workbench.model import tree
from workbench.model.params import Kind, show
from workbench.model.spec import MAX_DEPTH, LayerSpec, ModelSpec
from workbench.model.vary import Domain, VaryError, parse_domain
from workbench.training.config import ConfigError, TrainConfig

__all__ = [
    "MAX_DIMENSIONS",
    "MAX_GRID",
    "SETTINGS",
    "Dimension",
    "LayerPath",
    "SearchSpace",
    "SpaceError",
    "check_setting_domain",
    "layer_path",
    "load_space",
    "parse_space",
    "setting_kind",
    "space_of",
]

# The training settings an experiment may vary: what changes the model learnt, not where or how it runs
# (device, threads, mixed precision), not the data (val_fraction would change the split trials are scored on),
# and not the seed (seeds per configuration are their own setting).
SETTINGS = (
    "lr",
    "batch_size",
    "weight_decay",
    "label_smoothing",
    "optimizer",
    "schedule",
    "augment",
    "epochs",
    "momentum",
    "nesterov",
    "step_size",
    "gamma",
)
MAX_DIMENSIONS = 32
MAX_GRID = 10_000  # configurations of an all-choice space (the grid sampler tries each one)
MAX_FILE = 1024 * 1024


class SpaceError(ValueError):
    """The search space is not usable; the message names the entry and says what to do."""


@dataclass(frozen=True)
class LayerPath:
    """A layer parameter's name: `layers.2.out_channels`, inside blocks `layers.2.layers.0.out_channels` or
    `layers.3.branches.1.0.kernel_size` (`model.tree`); which layer it names depends on the spec (`locate`)."""

    steps: tuple[str, ...]  # ("layers", "2") or ("layers", "2", "layers", "0"), …
    param: str

    @property
    def index(self) -> int:
        """The position of the spec's own row that holds the layer."""
        return int(self.steps[1])

    def __str__(self) -> str:
        return ".".join((*self.steps, self.param))

    def locate(self, spec: ModelSpec) -> tuple[tree.Path, LayerSpec]:
        """The path and the layer this names in `spec`, or SpaceError saying what the model has there."""
        try:
            path, rest = tree.parse_path(spec, list(self.steps))
        except tree.PathError as exc:
            raise SpaceError(f"{self}: {exc}") from None
        if rest:
            raise SpaceError(
                f"{self}: {tree.where(spec, path)} is not a block; write {tree.path_text(spec, path)}.NAME"
            )
        return path, tree.layer_at(spec, path)


@dataclass(frozen=True)
class Dimension:
    """One varied name and its domain."""

    name: str
    domain: Domain

    @property
    def is_choice(self) -> bool:
        return self.domain.is_choice

    @property
    def values(self) -> tuple[Any, ...]:
        return self.domain.values

    def candidates(self) -> tuple[Any, ...]:
        return self.domain.candidates()

    def describe(self) -> str:
        return self.domain.describe()

    def to_json(self) -> dict[str, list]:
        return self.domain.to_json()

    def suggest(self, trial) -> Any:
        """The value an Optuna trial picks for this name."""
        domain = self.domain
        if domain.is_choice:
            return trial.suggest_categorical(self.name, list(domain.values))
        if domain.kind == "int":
            return trial.suggest_int(self.name, int(domain.low), int(domain.high))
        return trial.suggest_float(self.name, domain.low, domain.high, log=domain.kind == "log")


@dataclass(frozen=True)
class SearchSpace:
    domains: tuple[Dimension, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(domain.name for domain in self.domains)

    @property
    def all_choices(self) -> bool:
        return all(domain.is_choice for domain in self.domains)

    def grid_size(self) -> int | None:
        """Configurations in the grid, or None when a domain is a range."""
        return math.prod(len(domain.values) for domain in self.domains) if self.all_choices else None

    def grid(self) -> dict[str, list]:
        return {domain.name: list(domain.values) for domain in self.domains}

    def to_json(self) -> dict[str, dict]:
        return {domain.name: domain.to_json() for domain in self.domains}


def layer_path(name: str) -> LayerPath | None:
    """`layers.I.NAME` (or a path into blocks, `layers.I.layers.J.NAME`, `layers.I.branches.B.J.NAME`) →
    LayerPath; None for anything else (a training setting's name)."""
    parts = name.split(".")
    if len(parts) < 3 or parts[0] != "layers":
        return None
    steps, param = parts[:-1], parts[-1]
    if not (_well_formed(steps[2:]) and steps[1].isdigit() and len(steps[1]) <= 4 and param.isidentifier()):
        raise SpaceError(
            f"{show(name)} is not a layer parameter; write layers.I.NAME (I counted from 0), inside a Residual "
            "block layers.I.layers.J.NAME, inside a Concat block layers.I.branches.B.J.NAME"
        )
    return LayerPath(tuple(steps), param)


def _well_formed(steps: list[str]) -> bool:
    """Whether the steps after `layers.I` go down blocks: (`layers`, J) or (`branches`, B, J), at most 8 deep."""
    depth = 0
    while steps:
        size = {"layers": 2, "branches": 3}.get(steps[0])
        if size is None or len(steps) < size or not all(s.isdigit() and len(s) <= 4 for s in steps[1:size]):
            return False
        steps, depth = steps[size:], depth + 1
    return depth <= MAX_DEPTH


def load_space(path: str | os.PathLike, spec: ModelSpec, config: TrainConfig | None = None) -> SearchSpace:
    """Read and check SPACE.json for `spec` (one line naming what is wrong, before any training)."""
    file = Path(path)
    try:
        if not file.is_file():
            raise SpaceError(f"{file} is not a file; give the search space as a JSON file (SPACE.json)")
        if file.stat().st_size > MAX_FILE:
            raise SpaceError(f"{file} is larger than {MAX_FILE // 1024} KB; a search space is a few lines of JSON")
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise SpaceError(f"{file} is not UTF-8 text; save the search space as a JSON file") from None
    except OSError as exc:
        raise SpaceError(f"cannot read {file}: {exc.strerror or exc}") from None
    return parse_space(_json(text, str(file)), spec, config)


def _json(text: str, where: str) -> Any:
    try:
        return json.loads(text)
    except RecursionError:
        raise SpaceError(f"{where} is nested too deeply; a search space maps names to domains") from None
    except ValueError as exc:
        raise SpaceError(f"{where} is not valid JSON ({exc}); see the README for an example") from None


def parse_space(data: Any, spec: ModelSpec, config: TrainConfig | None = None) -> SearchSpace:
    """Check a parsed SPACE.json against the model and the base settings it varies."""
    if not isinstance(data, Mapping):
        raise SpaceError('a search space is a JSON object mapping names to domains, e.g. {"lr": {"log": [1e-4, 1e-2]}}')
    if not data:
        raise SpaceError("the search space is empty; vary at least one layer parameter or training setting")
    if len(data) > MAX_DIMENSIONS:
        raise SpaceError(f"the search space varies {len(data)} names; at most {MAX_DIMENSIONS} may vary at once")
    base = config or TrainConfig()
    domains = tuple(_domain(str(name), entry, spec, base) for name, entry in data.items())
    space = SearchSpace(domains)
    size = space.grid_size()
    if size is not None and size > MAX_GRID:
        raise SpaceError(
            f"the grid has {size:,} configurations (more than {MAX_GRID:,}); vary fewer names or values, "
            "or give a range so that a sampler picks the values"
        )
    return space


def space_of(spec: ModelSpec, config: TrainConfig | None = None) -> SearchSpace:
    """The search space the model's own marks make (layers' parameters, then training settings), checked as a
    SPACE.json would be; SpaceError when nothing is marked."""
    data = {
        f"{tree.path_text(spec, path)}.{name}": domain.to_json()
        for path, layer in tree.walk(spec)
        for name, domain in layer.vary.items()
    }
    data.update({name: domain.to_json() for name, domain in spec.vary.items()})
    if not data:
        raise SpaceError("nothing in the model is marked to vary; mark parameters (Vary…) or give --space SPACE.json")
    return parse_space(data, spec, config)


def check_setting_domain(name: str, entry: Any, config: TrainConfig | None = None) -> Domain:
    """Training setting `name`'s domain `entry`, each value checked against `config` (the settings it varies) as a
    sweep will check it: what the window's Vary… takes for a setting, or SpaceError in one line."""
    return _parsed(name, entry, _setting_checker(name), config or TrainConfig())


def setting_kind(name: str) -> Kind:
    """The sort of value training setting `name` takes (Kind.FLOAT for lr, Kind.CHOICE for optimizer)."""
    return _setting_checker(name).kind


def _domain(name: str, entry: Any, spec: ModelSpec, config: TrainConfig) -> Dimension:
    return Dimension(name, _parsed(name, entry, _checker(name, spec), config))


def _parsed(name: str, entry: Any, checker: _Checker, config: TrainConfig) -> Domain:
    try:
        return parse_domain(name, entry, checker.kind, lambda value: checker.check(value, config))
    except VaryError as exc:
        raise SpaceError(str(exc)) from None


class _Checker(NamedTuple):
    """How one varied name's values are checked, as the spec or the training form would; `kind` is their sort."""

    kind: Kind
    check: Callable[[Any, TrainConfig], Any]


def _checker(name: str, spec: ModelSpec) -> _Checker:
    path = layer_path(name)
    if path is None:
        return _setting_checker(name)
    where, layer = path.locate(spec)
    if path.param not in layer.layer_type.param_names:
        known = ", ".join(layer.layer_type.param_names) or "none"
        raise SpaceError(f"{name}: {tree.where(spec, where)} has no parameter {path.param!r} (it has: {known})")
    param = layer.layer_type.param(path.param)
    return _Checker(param.kind, lambda value, config: param.check(value))


_SETTING_KINDS = {bool: Kind.BOOL, int: Kind.INT, float: Kind.FLOAT, str: Kind.CHOICE}


def _setting_checker(name: str) -> _Checker:
    if name not in SETTINGS:
        raise SpaceError(
            f"{show(name)} is not a setting an experiment can vary; use layers.I.NAME or one of: {', '.join(SETTINGS)}"
        )
    kind = _SETTING_KINDS[type(getattr(TrainConfig(), name))]

    def check(value: Any, config: TrainConfig) -> None:
        if kind is Kind.FLOAT and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if kind is Kind.INT and not isinstance(value, int):
            raise ConfigError(f"{name} must be a whole number")
        replace(config, **{name: value})

    return _Checker(kind, check)
