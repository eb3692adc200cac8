"""What the inspector and Vary… say about a parameter's values, in the window's language: the range it takes, its
tooltip (help, what is allowed, torch's default), a Vary… domain, and the core's refusals of a value or a domain.

The core's ranges and its `ParamError` and `VaryError` lines are coded (`workbench.messages`) and translated by
`ui.messages`; the rest is made here from the values (context "ParamTexts"). In English every text the core
makes is its own, unchanged.
"""

from __future__ import annotations

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
    return messages.translated(param.describe_range())  # coded by the core


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


def problem(error: object) -> str:
    """A refusal of the core (a ParamError or VaryError, coded) in the window's language, its first line."""
    lines = messages.translated(error).splitlines()
    return lines[0] if lines else ""


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
