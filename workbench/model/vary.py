"""What an experiment may vary, as marks on the model: a domain per layer parameter (kept on the layer, so a mark
follows its layer when the layer moves) and per training setting (kept on the spec). A domain is one of

    {"choice": [8, 16, 32]}   {"uniform": [0.0, 0.5]}   {"log": [1e-4, 1e-2]}   {"int": [1, 7]}

Each value a domain can give is checked here the way the parameter itself is (`Param.check`); training settings
are checked against `TrainConfig` where the search space is made (`experiments.space`), above this room.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from workbench.messages import said_in, say
from workbench.model.params import Kind, Param, ParamError, show

__all__ = ["KINDS", "MAX_CHOICES", "RANGE_KINDS", "Domain", "VaryError", "param_domain", "parse_domain", "range_kinds"]

KINDS = ("choice", "uniform", "log", "int")
MAX_CHOICES = 100
MAX_TEXT = 100  # characters of a text choice
RANGE_KINDS = (Kind.INT, Kind.FLOAT, Kind.PAIR, Kind.PADDING)  # kinds a range can vary (an int range: a pair's side)


class VaryError(ValueError):
    """A domain is not usable; the message names the entry and says what to do."""


@dataclass(frozen=True)
class Domain:
    """One varied name's values: `values` for a choice, `low`..`high` for a range."""

    kind: str
    values: tuple[Any, ...] = ()
    low: float = 0.0
    high: float = 0.0

    @property
    def is_choice(self) -> bool:
        return self.kind == "choice"

    def candidates(self) -> tuple[Any, ...]:
        """The values checked before any training: every choice, a range's two ends."""
        return self.values if self.is_choice else (self.low, self.high)

    def to_json(self) -> dict[str, list]:
        return {self.kind: list(self.values) if self.is_choice else [self.low, self.high]}

    def describe(self) -> str:
        if self.is_choice:
            return ", ".join(_shown(value) for value in self.values)
        scale = {"log": "log-uniform", "int": "integers", "uniform": "uniform"}[self.kind]
        return f"{self.low:g} to {self.high:g} ({scale})"


def _shown(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else show(value)


def range_kinds(kind: Kind | None) -> tuple[str, ...]:
    """The range domains a value of `kind` can take (None: not known here, all of them); () for choices only."""
    if kind is None or kind is Kind.FLOAT:
        return ("uniform", "log", "int")
    return ("int",) if kind in RANGE_KINDS else ()


def parse_domain(name: str, entry: Any, kind: Kind | None, check: Callable[[Any], Any] | None = None) -> Domain:
    """The domain `entry` for `name`, whose values are of `kind` (None: not known here) and pass `check`."""
    if not isinstance(entry, Mapping) or len(entry) != 1 or next(iter(entry)) not in KINDS:
        forms = '{"choice": [...]}, {"uniform": [low, high]}, {"log": [low, high]}, {"int": [low, high]}'
        raise VaryError(say("vary.form", name=name, forms=forms, value=show(entry)))
    domain_kind, values = next(iter(entry.items()))
    if domain_kind != "choice" and domain_kind not in range_kinds(kind):
        if not range_kinds(kind):
            raise VaryError(say("vary.choice_only", name=name, kind=kind.value, form='{"choice": [...]}'))
        raise VaryError(say("vary.whole", name=name, form='{"int": [low, high]}'))
    domain = _choice(name, values) if domain_kind == "choice" else _range(name, domain_kind, values)
    if check is not None:
        for value in domain.candidates():
            try:
                check(value)
            except (ParamError, ValueError, TypeError) as exc:
                reason = said_in(exc) or str(exc)
                raise VaryError(say("vary.cannot_use", name=name, value=show(value), reason=reason)) from None
    return domain


def param_domain(param: Param, entry: Any, where: str = "") -> Domain:
    """A layer parameter's domain, every value checked as the parameter checks it."""
    return parse_domain(where or param.name, entry, param.kind, param.check)


def _choice(name: str, values: Any) -> Domain:
    if not isinstance(values, list) or not values:
        raise VaryError(say("vary.choice_list", name=name, value=show(values)))
    if len(values) > MAX_CHOICES:
        raise VaryError(say("vary.too_many", name=name, count=len(values), most=MAX_CHOICES))
    for value in values:
        if not _scalar(value):
            raise VaryError(say("vary.choice_kind", name=name, value=show(value)))
    if len({json.dumps(value) for value in values}) != len(values):
        raise VaryError(say("vary.repeat", name=name))
    return Domain("choice", tuple(values))


def _scalar(value: Any) -> bool:
    if isinstance(value, bool):
        return True
    if isinstance(value, int):
        return value.bit_length() <= 63
    if isinstance(value, float):
        return math.isfinite(value)
    return isinstance(value, str) and len(value) <= MAX_TEXT


def _range(name: str, kind: str, values: Any) -> Domain:
    if not isinstance(values, list) or len(values) != 2 or not all(_number(value) for value in values):
        raise VaryError(say("vary.range_ends", name=name, kind=kind, value=show(values)))
    low, high = values
    if kind == "int" and not all(isinstance(value, int) for value in values):
        raise VaryError(say("vary.int_ends", name=name, value=show(values)))
    if not low < high:
        raise VaryError(say("vary.inverted", name=name, low=f"{low:g}", high=f"{high:g}"))
    if kind == "log" and low <= 0:
        raise VaryError(say("vary.log_low", name=name, low=f"{low:g}"))
    return Domain(kind, (), low, high)


def _number(value: Any) -> bool:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    return math.isfinite(value) and abs(value) < 1e300
