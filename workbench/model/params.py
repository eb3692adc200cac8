"""Parameter descriptions for catalog layers and the checks that turn raw JSON values into
validated, normalised Python values.

A `Param` describes one constructor argument of a torch.nn layer: its kind, default, bounds and a
help text. The builder's inspector form, the JSON loader and the shape rules all read these, so
each parameter is described exactly once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum
from typing import Any


class Kind(Enum):
    INT = "int"
    FLOAT = "float"
    BOOL = "bool"
    CHOICE = "choice"
    PAIR = "pair"  # an int, or [int, int] for (height, width)
    PADDING = "padding"  # like PAIR, or one of the strings in `choices` ("same", "valid")


class ParamError(ValueError):
    """A parameter value is ill-typed or out of range; the message names the parameter."""


@dataclass(frozen=True)
class Param:
    name: str
    kind: Kind
    default: Any = None
    help: str = ""
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    nullable: bool = False  # None is a legal value (e.g. pooling stride None = kernel_size)
    required: bool = False

    def describe_range(self) -> str:
        if self.kind in (Kind.CHOICE,):
            return "one of " + ", ".join(repr(c) for c in self.choices)
        if self.minimum is not None and self.maximum is not None:
            return f"from {_fmt(self.minimum)} to {_fmt(self.maximum)}"
        if self.minimum is not None:
            return f"at least {_fmt(self.minimum)}"
        return "any number"

    def check(self, value: Any) -> Any:
        """Return the normalised value or raise ParamError saying what is wrong."""
        if value is None:
            if self.nullable:
                return None
            raise ParamError(f"{self.name} must not be null")
        checker = _CHECKERS[self.kind]
        return checker(self, value)


def _fmt(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


def _type_name(value: Any) -> str:
    return {bool: "true/false", int: "an integer", float: "a number", str: "text"}.get(
        type(value), type(value).__name__
    )


def _in_range(param: Param, number: float) -> None:
    too_low = param.minimum is not None and number < param.minimum
    too_high = param.maximum is not None and number > param.maximum
    if too_low or too_high:
        raise ParamError(f"{param.name}={_fmt(number)} is out of range; use a value {param.describe_range()}")


def _check_int(param: Param, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ParamError(f"{param.name} must be an integer, not {_type_name(value)} ({value!r})")
    _in_range(param, value)
    return value


def _check_float(param: Param, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ParamError(f"{param.name} must be a number, not {_type_name(value)} ({value!r})")
    number = float(value)
    if not math.isfinite(number):
        raise ParamError(f"{param.name} must be a finite number, not {value!r}")
    _in_range(param, number)
    return number


def _check_bool(param: Param, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ParamError(f"{param.name} must be true or false, not {value!r}")
    return value


def _check_choice(param: Param, value: Any) -> str:
    if not isinstance(value, str) or value not in param.choices:
        raise ParamError(f"{param.name}={value!r} is not allowed; use {param.describe_range()}")
    return value


def _check_pair(param: Param, value: Any) -> int | tuple[int, int]:
    if isinstance(value, (list, tuple)):
        if len(value) != 2:
            raise ParamError(f"{param.name} must be one integer or a pair [height, width], not {len(value)} values")
        return (_check_int(param, value[0]), _check_int(param, value[1]))
    if isinstance(value, bool) or not isinstance(value, int):
        raise ParamError(
            f"{param.name} must be an integer or a pair [height, width], not {_type_name(value)} ({value!r})"
        )
    return _check_int(param, value)


def _check_padding(param: Param, value: Any) -> int | tuple[int, int] | str:
    if isinstance(value, str):
        if value in param.choices:
            return value
        raise ParamError(
            f"{param.name}={value!r} is not allowed; use an integer, a pair, "
            + " or ".join(repr(c) for c in param.choices)
        )
    return _check_pair(param, value)


_CHECKERS = {
    Kind.INT: _check_int,
    Kind.FLOAT: _check_float,
    Kind.BOOL: _check_bool,
    Kind.CHOICE: _check_choice,
    Kind.PAIR: _check_pair,
    Kind.PADDING: _check_padding,
}


def as_pair(value: int | tuple[int, int]) -> tuple[int, int]:
    """(h, w) from an int or a pair."""
    if isinstance(value, tuple):
        return value
    return (value, value)


def to_json_value(value: Any) -> Any:
    """Pairs become JSON lists; everything else is already JSON-ready."""
    return list(value) if isinstance(value, tuple) else value
