"""What the inspector and Vary… say about a parameter's values, in the window's language: the range it takes, its
tooltip (help, what is allowed, torch's default), a Vary… domain, and the core's refusals of a value or a domain.

The core's `ParamError` and `VaryError` lines are English and carry no code (the CLI prints them): the common
ones are recognised here by their shape and said again in the window's language (context "ParamTexts"); any
other goes through `ui.messages.translated`. In English every text is the core's own, unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP

from ui import i18n, messages
from ui.i18n import translate
from workbench.model.params import Kind, Param, show
from workbench.model.vary import Domain

SCALES = {
    "log": QT_TRANSLATE_NOOP("ParamTexts", "log-uniform"),
    "int": QT_TRANSLATE_NOOP("ParamTexts", "integers"),
    "uniform": QT_TRANSLATE_NOOP("ParamTexts", "uniform"),
}


def english() -> bool:
    return i18n.current() == i18n.ENGLISH


def range_text(param: Param) -> str:
    """`Param.describe_range` in the window's language ("from 1 to 4096", "1 到 4096")."""
    return range_words(param.describe_range())


def range_words(text: str) -> str:
    """A range as `Param.describe_range` says it, in the window's language."""
    if english():
        return text
    if match := re.fullmatch(r"from (\S+) to (\S+)", text):
        return translate("ParamTexts", "from {low} to {high}").format(low=match[1], high=match[2])
    if match := re.fullmatch(r"at least (\S+)", text):
        return translate("ParamTexts", "at least {low}").format(low=match[1])
    if match := re.fullmatch(r"one of (.*)", text):
        return translate("ParamTexts", "one of {choices}").format(choices=match[1])
    if text == "any number":
        return translate("ParamTexts", "any number")
    return text


def tooltip_text(param: Param, help_text: str | None = None) -> str:
    """The parameter's help (`help_text`, else the catalog's) plus what it accepts and torch's default."""
    lines = [param.help if help_text is None else help_text]
    if param.kind is not Kind.BOOL:
        allowed = range_text(param)
        if param.kind is Kind.PAIR or param.kind is Kind.PADDING:
            allowed = translate("ParamTexts", "{range} (one number, or height and width)").format(range=allowed)
        if param.kind is Kind.PADDING:
            choices = translate("ParamTexts", " or ").join(repr(c) for c in param.choices)
            allowed = translate("ParamTexts", "{range}, or {choices}").format(range=allowed, choices=choices)
        if param.nullable:
            allowed = translate("ParamTexts", "{range}, or None").format(range=allowed)
        lines.append(translate("ParamTexts", "Allowed: {allowed}.").format(allowed=allowed))
    if param.required:
        lines.append(translate("ParamTexts", "Required: no default."))
    else:
        lines.append(translate("ParamTexts", "torch's default: {default}.").format(default=repr(param.default)))
    return "\n".join(lines)


def domain_text(domain: Domain) -> str:
    """`Domain.describe` in the window's language: "5, 10, 20" or "8 to 20 (integers)"."""
    if english():
        return domain.describe()
    if domain.is_choice:
        return ", ".join(
            pick_text(v) if isinstance(v, bool) else f"{v:g}" if isinstance(v, float) else show(v)
            for v in domain.values
        )
    scale = translate("ParamTexts", SCALES[domain.kind])
    return translate("ParamTexts", "{low} to {high} ({scale})").format(
        low=f"{domain.low:g}", high=f"{domain.high:g}", scale=scale
    )


def _out_of_range(m: re.Match) -> str:
    return translate("ParamTexts", "{name}={value} is out of range; use a value {range}").format(
        name=m[1], value=m[2], range=range_words(m[3])
    )


def _not_allowed(m: re.Match) -> str:
    return translate("ParamTexts", "{name}={value} is not allowed; use {range}").format(
        name=m[1], value=m[2], range=range_words(m[3])
    )


def _not_number(m: re.Match) -> str:
    return translate("ParamTexts", "{name} must be a number, not {value}").format(name=m[1], value=m[2])


def _not_finite(m: re.Match) -> str:
    return translate("ParamTexts", "{name} must be a finite number, not {value}").format(name=m[1], value=m[2])


def _cannot_use(m: re.Match) -> str:
    return translate("ParamTexts", "{name} = {value} cannot be used: {reason}").format(
        name=m[1], value=m[2], reason=problem(m[3])
    )


def _too_many(m: re.Match) -> str:
    return translate("ParamTexts", "{name}: {count} choices; give at most {most}, or a range").format(
        name=m[1], count=m[2], most=m[3]
    )


def _repeat(m: re.Match) -> str:
    return translate("ParamTexts", "{name}: the choices repeat a value; give each value once").format(name=m[1])


def _inverted(m: re.Match) -> str:
    return translate("ParamTexts", "{name}: the range [{low}, {high}] is empty or inverted; give low < high").format(
        name=m[1], low=m[2], high=m[3]
    )


def _log_low(m: re.Match) -> str:
    return translate(
        "ParamTexts", "{name}: a log range starts above 0, not at {low}; use uniform, or a positive low end"
    ).format(name=m[1], low=m[2])


def _not_finite_ends(m: re.Match) -> str:
    return translate("ParamTexts", "{name}: a range is [low, high], two finite numbers, not {values}").format(
        name=m[1], values=m[2]
    )


# The core's refusals of a value (params.py) and of a domain (vary.py), by their shape
PROBLEMS: tuple[tuple[re.Pattern, Callable[[re.Match], str]], ...] = (
    (re.compile(r"(\S+) = (.+?) cannot be used: (.*)"), _cannot_use),
    (re.compile(r"(\S+)=(.+) is out of range; use a value (.*)"), _out_of_range),
    (re.compile(r"(\S+)=(.+) is not allowed; use (.*)"), _not_allowed),
    (re.compile(r"(\S+) must be a number, not (.*)"), _not_number),
    (re.compile(r"(\S+) must be a finite number, not (.*)"), _not_finite),
    (re.compile(r"(\S+): (\d+) choices; give at most (\d+), or a range"), _too_many),
    (re.compile(r"(\S+): the choices repeat a value; give each value once"), _repeat),
    (re.compile(r"(\S+): the range \[(\S+), (\S+)\] is empty or inverted; give low < high"), _inverted),
    (re.compile(r"(\S+): a log range starts above 0, not at (\S+); use uniform, or a positive low end"), _log_low),
    (re.compile(r"(\S+): a \w+ range is \[low, high\], two finite numbers, not (.*)"), _not_finite_ends),
)


def problem(text: str) -> str:
    """A refusal of the core (a ParamError's or VaryError's line) in the window's language."""
    if english():
        return text
    for pattern, say in PROBLEMS:
        if match := pattern.fullmatch(text):
            return say(match)
    return messages.translated(text)


# ----- values typed in Vary… ---------------------------------------------------------------------------------


def pick_text(value: Any) -> str:
    """A value of a list to tick, in the window's language (true and false are words)."""
    if isinstance(value, bool):
        return translate("VaryDialog", "true") if value else translate("VaryDialog", "false")
    return value_text(value)


def value_text(value: Any) -> str:
    """A value as it is typed back: true/false, 0.0002 (every digit that counts), same."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return f"{value:.12g}" if isinstance(value, float) else str(value)


def parse_value(name: str, token: str, kind: Kind, choices: tuple[str, ...] = ()) -> Any:
    """One typed value of `kind`, or ValueError saying what to type."""
    if token in choices:
        return token
    whole = kind is not Kind.FLOAT
    try:
        return int(token) if whole else float(token)
    except ValueError:
        what = [translate("VaryDialog", "a whole number") if whole else translate("VaryDialog", "a number"), *choices]
        if len(what) > 1:
            first = translate("VaryDialog", ", ").join(what[:-1])
            what = [translate("VaryDialog", "{first} or {last}").format(first=first, last=what[-1])]
        message = translate("VaryDialog", "{name}: {value} is not {what}")
        raise ValueError(message.format(name=name, value=show(token), what=what[0])) from None


def parse_values(name: str, text: str, kind: Kind, choices: tuple[str, ...] = ()) -> list[Any]:
    tokens = [token.strip() for token in text.split(",") if token.strip()]
    if not tokens:
        raise ValueError(
            translate("VaryDialog", "{name}: type the values to try, separated by commas").format(name=name)
        )
    return [parse_value(name, token, kind, choices) for token in tokens]
