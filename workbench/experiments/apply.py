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
from workbench.model import tree
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
    layer_values = {name: value for name, value in params.items() if layer_path(name) is not None}
    settings = {name: _as_setting(config, name, value) for name, value in params.items() if name not in layer_values}
    return _with_layer_values(spec.without_marks(), layer_values), replace(config, **settings)


def _with_layer_values(spec: ModelSpec, params: Mapping[str, Any]) -> ModelSpec:
    """`spec` with each `layers.I.NAME` value put in (a path into blocks too)."""
    for name, value in params.items():
        param = layer_path(name)
        path, layer = param.locate(spec)
        spec = tree.with_layer(spec, path, layer.with_params(**{param.param: value}))
    return spec


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
    every choice of the other layer parameters tried: all combinations when there are few (each tried once), else a
    sample per value."""
    layer_domains = [domain for domain in space.domains if layer_path(domain.name) is not None]
    if not layer_domains:
        return
    working = _working_values(spec, layer_domains) if _combinations(layer_domains) <= MAX_COMBINATIONS else None
    for position, domain in enumerate(layer_domains):
        failures = {}
        for index, value in enumerate(domain.candidates()):
            problem = _problem_with(spec, {domain.name: value})  # with the other values as the base model has them
            if problem is None:
                continue
            if working is None:
                problem = _sampled_problem(spec, layer_domains, position, value, problem)
            elif (position, index) in working:
                problem = None
            if problem is not None:
                failures[value] = problem
        _refuse(domain, failures)


def _combinations(domains: list[Dimension]) -> int:
    total = 1
    for domain in domains:
        total *= len(domain.candidates())
    return total


def _working_values(spec: ModelSpec, domains: list[Dimension]) -> set[tuple[int, int]]:
    """(domain position, candidate index) of every value that is part of some combination making a model."""
    names = [domain.name for domain in domains]
    working: set[tuple[int, int]] = set()
    for combination in itertools.product(*(enumerate(domain.candidates()) for domain in domains)):
        params = {name: value for name, (_, value) in zip(names, combination, strict=True)}
        if _problem_with(spec, params) is None:
            working.update((position, index) for position, (index, _) in enumerate(combination))
    return working


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


def _sampled_problem(spec: ModelSpec, domains: list[Dimension], position: int, value: Any, problem: str) -> str | None:
    """None when one of `SAMPLED` random combinations of the others makes a model with `value`; else `problem`."""
    rng = random.Random(position)
    for _ in range(SAMPLED):
        params = {domain.name: rng.choice(domain.candidates()) for domain in domains}
        params[domains[position].name] = value
        if _problem_with(spec, params) is None:
            return None
    return problem


def _problem_with(spec: ModelSpec, params: Mapping[str, Any]) -> str | None:
    return shape_problem(_with_layer_values(spec, params))
