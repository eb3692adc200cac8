"""A trial's values put into the model and the settings, and the check, before any training, that each value of the
space can work with some choice of the others.

A value that makes the model impossible whatever else is chosen (a kernel larger than the input at every choice
of the other layers' parameters) is refused up front in one line; a combination that turns out impossible is a
failed trial with the shape error, and the study goes on.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from workbench.experiments.space import Dimension, SearchSpace, SpaceError, layer_path
from workbench.model.params import show
from workbench.model.shapes import infer
from workbench.model.spec import ModelSpec
from workbench.training.config import TrainConfig

__all__ = ["MAX_COMBINATIONS", "check_feasible", "configure", "shape_problem"]

MAX_COMBINATIONS = 2048  # layer-value combinations tried in full; beyond, each value is tried with a sample
SAMPLED = 256


def configure(spec: ModelSpec, config: TrainConfig, params: Mapping[str, Any]) -> tuple[ModelSpec, TrainConfig]:
    """The model (without its marks) and settings with a trial's values (`layers.I.NAME` and TrainConfig field
    names) put in."""
    spec = spec.without_marks()
    layers = list(spec.layers)
    settings: dict[str, Any] = {}
    for name, value in params.items():
        path = layer_path(name)
        if path is None:
            settings[name] = _as_setting(config, name, value)
        else:
            layers[path.index] = layers[path.index].with_params(**{path.param: value})
    return spec.with_layers(layers), replace(config, **settings)


def _as_setting(config: TrainConfig, name: str, value: Any) -> Any:
    if isinstance(getattr(config, name), float) and isinstance(value, int) and not isinstance(value, bool):
        return float(value)  # a choice of [0, 0.1] gives the integer 0 for a float setting
    return value


def shape_problem(spec: ModelSpec) -> str | None:
    """Why the model cannot be built (located: layer, cause, fix), or None."""
    inference = infer(spec)
    if inference.error is not None:
        return inference.error.message
    return inference.over_budget


def check_feasible(space: SearchSpace, spec: ModelSpec) -> None:
    """SpaceError when a choice (or both ends of a range) of a layer parameter leaves the model impossible with
    every choice of the other layer parameters tried: all combinations when there are few, else a sample."""
    layer_domains = [domain for domain in space.domains if layer_path(domain.name) is not None]
    if not layer_domains:
        return
    sizes = [len(domain.candidates()) for domain in layer_domains]
    total = 1
    for size in sizes:
        total *= size
    works = _works_exhaustive if total <= MAX_COMBINATIONS else _works_sampled
    for position, domain in enumerate(layer_domains):
        failures = {}
        for value in domain.candidates():
            problem = works(spec, layer_domains, position, value)
            if problem is not None:
                failures[value] = problem
        _refuse(domain, failures)


def _refuse(domain: Dimension, failures: dict) -> None:
    if not failures:
        return
    if domain.is_choice:
        value, problem = next(iter(failures.items()))
        raise SpaceError(
            f"{domain.name} = {show(value)} cannot work whatever else is chosen ({problem}); "
            "leave that value out of the choices"
        )
    if len(failures) == len(domain.candidates()):
        problem = next(iter(failures.values()))
        raise SpaceError(
            f"{domain.name}: neither end of the range {domain.describe()} can work ({problem}); change the range"
        )


def _works_exhaustive(spec: ModelSpec, domains: list[Dimension], position: int, value: Any) -> str | None:
    """None when some combination of the other domains' candidates makes a model with `value`; else the problem
    of the first combination (with the other values as the base model has them, tried first)."""
    others = [domain.candidates() for index, domain in enumerate(domains) if index != position]
    first = _problem_with(spec, {domains[position].name: value})
    if first is None:
        return None
    names = [domain.name for index, domain in enumerate(domains) if index != position]
    for combination in itertools.product(*others):
        params = {**dict(zip(names, combination, strict=True)), domains[position].name: value}
        if _problem_with(spec, params) is None:
            return None
    return first


def _works_sampled(spec: ModelSpec, domains: list[Dimension], position: int, value: Any) -> str | None:
    first = _problem_with(spec, {domains[position].name: value})
    if first is None:
        return None
    rng = random.Random(position)
    for _ in range(SAMPLED):
        params = {domain.name: rng.choice(domain.candidates()) for domain in domains}
        params[domains[position].name] = value
        if _problem_with(spec, params) is None:
            return None
    return first


def _problem_with(spec: ModelSpec, params: Mapping[str, Any]) -> str | None:
    layers = list(spec.layers)
    for name, value in params.items():
        path = layer_path(name)
        layers[path.index] = layers[path.index].with_params(**{path.param: value})
    return shape_problem(spec.with_layers(layers))
