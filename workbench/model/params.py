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

from workbench.messages import say


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
        """The values it takes in words ("from 1 to 4096"), coded for the window."""
        if self.kind in (Kind.CHOICE,):
            return say("range.one_of", choices=", ".join(repr(c) for c in self.choices))
        if self.minimum is not None and self.maximum is not None:
            return say("range.between", low=_fmt(self.minimum), high=_fmt(self.maximum))
        if self.minimum is not None:
            return say("range.at_least", low=_fmt(self.minimum))
        return say("range.any")

    def check(self, value: Any) -> Any:
        """Return the normalised value or raise ParamError saying what is wrong."""
        if value is None:
            if self.nullable:
                return None
            raise ParamError(say("param.null", name=self.name))
        checker = _CHECKERS[self.kind]
        return checker(self, value)


MAX_SHOWN = 40  # characters of a text value quoted in a message


def show(value: Any, depth: int = 0) -> str:
    """A short one-line repr of a value from a file, for an error message.

    repr alone is not enough: a 16 MB text or list would make a 16 MB "one line", a list nested a
    thousand deep exceeds the recursion limit, and str() of an integer over 4,300 digits raises."""
    if isinstance(value, bool) or value is None or isinstance(value, float):
        return repr(value)
    if isinstance(value, int):
        if value.bit_length() > 64:
            return f"<an integer of about {int(value.bit_length() * math.log10(2)) + 1} digits>"
        return repr(value)
    if isinstance(value, str):
        return repr(value) if len(value) <= MAX_SHOWN else repr(value[:MAX_SHOWN]) + "…"
    if isinstance(value, (list, tuple)):
        if depth >= 2 or len(value) > 4:
            return f"<a list of {len(value)} values>"
        return "[" + ", ".join(show(item, depth + 1) for item in value) + "]"
    if isinstance(value, dict):
        return f"<an object of {len(value)} entries>"
    return f"<{type(value).__name__}>"


def _fmt(number: float) -> str:
    if isinstance(number, int):
        return show(number)
    return str(int(number)) if number.is_integer() and abs(number) < 1e15 else str(number)


def _type_name(value: Any) -> str:
    code = {bool: "type.bool", int: "type.int", float: "type.float", str: "type.str"}.get(type(value))
    return say(code) if code else type(value).__name__


def _in_range(param: Param, number: float) -> None:
    too_low = param.minimum is not None and number < param.minimum
    too_high = param.maximum is not None and number > param.maximum
    if too_low or too_high:
        raise ParamError(say("param.out_of_range", name=param.name, value=_fmt(number), range=param.describe_range()))


def _check_int(param: Param, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ParamError(say("param.integer", name=param.name, type=_type_name(value), value=show(value)))
    _in_range(param, value)
    return value


def _check_float(param: Param, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ParamError(say("param.number", name=param.name, type=_type_name(value), value=show(value)))
    if isinstance(value, float) and not math.isfinite(value):
        raise ParamError(say("param.finite", name=param.name, value=repr(value)))
    _in_range(param, value)  # before float(): an integer too large for a float fails the range, not float()
    try:
        return float(value)
    except OverflowError:
        raise ParamError(
            say("param.out_of_range", name=param.name, value=show(value), range=param.describe_range())
        ) from None


def _check_bool(param: Param, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ParamError(say("param.bool", name=param.name, value=show(value)))
    return value


def _check_choice(param: Param, value: Any) -> str:
    if not isinstance(value, str) or value not in param.choices:
        raise ParamError(say("param.not_allowed", name=param.name, value=show(value), range=param.describe_range()))
    return value


def _check_pair(param: Param, value: Any) -> int | tuple[int, int]:
    if isinstance(value, (list, tuple)):
        if len(value) != 2:
            raise ParamError(say("param.pair_count", name=param.name, count=len(value)))
        return (_check_int(param, value[0]), _check_int(param, value[1]))
    if isinstance(value, bool) or not isinstance(value, int):
        raise ParamError(say("param.int_or_pair", name=param.name, type=_type_name(value), value=show(value)))
    return _check_int(param, value)


def _check_padding(param: Param, value: Any) -> int | tuple[int, int] | str:
    if isinstance(value, str):
        if value in param.choices:
            return value
        choices = ", ".join(repr(c) for c in param.choices)
        raise ParamError(say("param.padding", name=param.name, value=show(value), choices=choices))
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
