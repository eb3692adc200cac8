"""Vary…: mark what an experiment varies, for one layer parameter (the inspector) or one training setting (the
Train tab's form), and the small widgets both show beside the editor: the Vary… button and the badge saying what
a marked name varies over.

The dialog takes values or a range as text and refuses what the core refuses: every domain is checked by the
target's own `check` (`param_domain` for a layer parameter, `check_setting_domain` for a setting) while typing, so
OK is enabled only for a mark the spec will load and a sweep will run, and the reason is shown in one line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ui import theme
from ui.widgets import set_names
from workbench.model.edits import setting_value
from workbench.model.params import Kind, Param, show
from workbench.model.vary import Domain, param_domain, range_kinds

RANGE_LABELS = {"uniform": "uniform", "log": "log-uniform", "int": "integer"}
BADGE_STYLE = "color: {blue}; background: {note_background}; border-radius: 3px; padding: 1px 4px;"  # theme tokens
PROBLEM_STYLE = "color: {error};"  # theme tokens
TEXT_KINDS = (Kind.CHOICE, Kind.BOOL)  # values picked from a list (check boxes), not typed


@dataclass(frozen=True)
class VaryTarget:
    """What the dialog marks: a name, the sort of its values, its value now, and the check a domain must pass."""

    name: str
    kind: Kind
    current: Any
    check: Callable[[Any], Domain]  # a domain's JSON → the Domain, or ValueError in one line
    domain: Domain | None = None  # the mark it has now
    choices: tuple[str, ...] = ()  # the allowed texts (a choice's, or padding's "same" and "valid")
    hint: str = ""  # what values it takes, shown in the dialog

    def usable(self, entry: Any) -> bool:
        try:
            self.check(entry)
        except ValueError:
            return False
        return True

    def picks(self) -> tuple[Any, ...]:
        """The values offered as check boxes: a choice's texts, or true and false; () where values are typed."""
        if self.kind is Kind.BOOL:
            return (True, False)
        return self.choices if self.kind is Kind.CHOICE else ()


def param_target(param: Param, current: Any, domain: Domain | None) -> VaryTarget:
    """The target of a layer parameter: its values checked as the spec checks them."""
    hint = "" if param.kind in TEXT_KINDS else f"{param.name} takes values {param.describe_range()}."
    return VaryTarget(param.name, param.kind, current, partial(param_domain, param), domain, param.choices, hint)


# ----- text ↔ values -------------------------------------------------------------------------------------------


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
        what = ", ".join(["a whole number" if whole else "a number", *choices])
        raise ValueError(f"{name}: {show(token)} is not {' or '.join(what.rsplit(', ', 1))}") from None


def parse_values(name: str, text: str, kind: Kind, choices: tuple[str, ...] = ()) -> list[Any]:
    tokens = [token.strip() for token in text.split(",") if token.strip()]
    if not tokens:
        raise ValueError(f"{name}: type the values to try, separated by commas")
    return [parse_value(name, token, kind, choices) for token in tokens]


def _number(value: Any) -> float | None:
    """The number a value stands for (a pair's height), None for none (None, "same")."""
    if isinstance(value, tuple):
        value = value[0]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return value


# ----- defaults around the value now ------------------------------------------------------------------------------


def default_values(target: VaryTarget) -> list[Any]:
    """Values to try that the target takes: every pick of a list, else around the value now (half and double a
    whole number, a tenth and ten times any other)."""
    if target.kind in TEXT_KINDS:
        return list(target.picks())
    number = _number(target.current)
    if number is None and target.choices:
        return list(target.choices)
    if target.kind is Kind.FLOAT:
        x = float(number or 0.0)
        candidates = [x / 10, x, x * 10] if x > 0 else [0.0, 0.01, 0.1]
    else:
        n = 2 if number is None else int(number)
        candidates = [n // 2, n, n * 2] if n >= 2 else [n, n + 1, n + 2]
    return [value for value in dict.fromkeys(candidates) if target.usable({"choice": [value]})]


def default_range(target: VaryTarget) -> tuple[str, Any, Any]:
    """A range around the value now that the target takes (the first that works of a few), as (kind, low, high)."""
    number = _number(target.current)
    if target.kind is Kind.FLOAT:
        x = float(number or 0.0)
        options = [("log", x / 10, x * 10), ("uniform", x / 2, x * 2), ("uniform", x / 2, x)] if x > 0 else []
        options.append(("uniform", 0.0, 0.1))
    else:
        n = 2 if number is None else int(number)
        options = [("int", n // 2, n * 2) if n >= 2 else ("int", n, n + 2)]
    usable = [option for option in options if target.usable({option[0]: [option[1], option[2]]})]
    return (usable or options)[0]


# ----- the dialog ---------------------------------------------------------------------------------------------------


class VaryDialog(QDialog):
    """Values or a range for one target; `chosen` gives the Domain, or None for "Don't vary"."""

    chosen = Signal(object)  # Domain | None

    def __init__(self, target: VaryTarget, parent: QWidget | None = None):
        super().__init__(parent)
        self.target = target
        self._domain: Domain | None = None
        self._problem = ""
        set_names(self, "varyDialog", f"What experiments try for {target.name}")
        self.setWindowTitle(f"Vary {target.name} — CNN Workbench")
        self._make_widgets()
        self._lay_out()
        self._fill(target.domain)
        self._connect()
        self._update()

    # ---- public -------------------------------------------------------------------------------------------

    def domain(self) -> Domain | None:
        """The domain the input makes, None while it is not usable."""
        return self._domain

    def problem(self) -> str:
        """Why the input is not usable (one line); empty when it is."""
        return self._problem

    @property
    def ok_button(self) -> QWidget:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    # ---- building -----------------------------------------------------------------------------------------

    def _make_widgets(self) -> None:
        target = self.target
        self.title = QLabel(f"Vary {target.name}")
        self.title.setStyleSheet("font-weight: 600;")
        now = "" if target.current is None else f" (a run of its own uses {setting_value(target.current)})"
        self.explain = QLabel(f"Experiments try these values of {target.name}{now}.")
        self.explain.setWordWrap(True)
        self.values_mode = self._radio("Values", "varyValuesMode", "Try each value of a list")
        self.range_mode = self._radio("Range", "varyRangeMode", "Let the sampler pick values between two ends")
        self.values = QLineEdit()
        set_names(self.values, "varyValues", f"The values of {target.name} to try, separated by commas")
        self.values.setPlaceholderText("e.g. " + ", ".join(value_text(v) for v in default_values(target)))
        self.picks = {value: self._pick(value) for value in target.picks()}
        self._make_range_widgets()
        self.hint = QLabel(target.hint)
        self.hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.hint.setVisible(bool(target.hint))
        self.preview = QLabel()
        set_names(self.preview, "varyPreview", "What experiments will try")
        self.problem_label = QLabel()
        set_names(self.problem_label, "varyProblem", "Why the values cannot be used")
        theme.style_sheet(self.problem_label, PROBLEM_STYLE)
        for label in (self.preview, self.problem_label):
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.remove_button = self.buttons.addButton("Don't vary", QDialogButtonBox.ButtonRole.DestructiveRole)
        set_names(self.remove_button, "dontVaryButton", f"Remove the mark: experiments keep {target.name} as it is")
        self.remove_button.setVisible(target.domain is not None)

    def _make_range_widgets(self) -> None:
        name, kinds = self.target.name, range_kinds(self.target.kind)
        self.range_kind = QComboBox()
        set_names(self.range_kind, "varyRangeKind", "How values are drawn between the two ends")
        for kind in kinds:
            self.range_kind.addItem(RANGE_LABELS[kind], kind)
        self.low, self.high = QLineEdit(), QLineEdit()
        set_names(self.low, "varyLow", f"The lowest value of {name} to try")
        set_names(self.high, "varyHigh", f"The highest value of {name} to try")
        self.range_mode.setEnabled(bool(kinds))

    def _radio(self, text: str, name: str, tip: str) -> QRadioButton:
        radio = QRadioButton(text)
        set_names(radio, name, tip)
        radio.setToolTip(tip)
        return radio

    def _pick(self, value: Any) -> QCheckBox:
        box = QCheckBox(value_text(value))
        set_names(box, f"varyPick_{value_text(value)}", f"Try {self.target.name} = {value_text(value)}")
        return box

    def _lay_out(self) -> None:
        grid = QGridLayout()
        grid.addWidget(self.values_mode, 0, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self._values_field(), 0, 1)
        ranges = self._range_field()
        grid.addWidget(self.range_mode, 1, 0)
        grid.addWidget(ranges, 1, 1)
        for widget in (self.range_mode, ranges):
            widget.setVisible(self.range_mode.isEnabled())  # a choice or true/false: values only
        grid.setColumnStretch(1, 1)
        self.modes = QButtonGroup(self)
        self.modes.addButton(self.values_mode)
        self.modes.addButton(self.range_mode)
        layout = QVBoxLayout(self)
        for widget in (self.title, self.explain):
            layout.addWidget(widget)
        layout.addLayout(grid)
        for widget in (self.hint, self.preview, self.problem_label):
            layout.addWidget(widget)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)

    def _values_field(self) -> QWidget:
        if not self.picks:
            return self.values
        field = QWidget()
        grid = QGridLayout(field)
        grid.setContentsMargins(0, 0, 0, 0)
        for index, box in enumerate(self.picks.values()):
            grid.addWidget(box, index // 3, index % 3)
        return field

    def _range_field(self) -> QWidget:
        field = QWidget()
        row = QHBoxLayout(field)
        row.setContentsMargins(0, 0, 0, 0)
        for widget in (self.range_kind, QLabel("from"), self.low, QLabel("to"), self.high):
            row.addWidget(widget)
        return field

    def _fill(self, domain: Domain | None) -> None:
        """The mark there is, else values and a range around the value now (each mode filled, to switch)."""
        values = list(domain.values) if domain is not None and domain.is_choice else default_values(self.target)
        self.values.setText(", ".join(value_text(value) for value in values))
        for value, box in self.picks.items():
            box.setChecked(any(value == v and type(value) is type(v) for v in values))
        has_range = domain is not None and not domain.is_choice and self.range_mode.isEnabled()
        kind, low, high = (domain.kind, domain.low, domain.high) if has_range else self._range_default()
        self.range_kind.setCurrentIndex(max(0, self.range_kind.findData(kind)))
        self.low.setText(value_text(low))
        self.high.setText(value_text(high))
        wants_range = has_range or (domain is None and self.target.kind is Kind.FLOAT)
        (self.range_mode if wants_range else self.values_mode).setChecked(True)

    def _range_default(self) -> tuple[str, Any, Any]:
        return default_range(self.target) if self.range_mode.isEnabled() else ("int", "", "")

    def _connect(self) -> None:
        self.values.textChanged.connect(self._update)
        self.low.textChanged.connect(self._update)
        self.high.textChanged.connect(self._update)
        self.range_kind.currentIndexChanged.connect(self._update)
        self.modes.buttonToggled.connect(self._update)
        for box in self.picks.values():
            box.toggled.connect(self._update)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        self.remove_button.clicked.connect(self._on_remove_button_clicked)

    # ---- checking ---------------------------------------------------------------------------------------------

    def _update(self, *_args) -> None:
        """Check the input as it is typed: OK only for a usable domain, the reason in one line otherwise."""
        ranged = self.range_mode.isChecked()
        for widget in (self.range_kind, self.low, self.high):
            widget.setEnabled(ranged)
        self.values.setEnabled(not ranged)
        for box in self.picks.values():
            box.setEnabled(not ranged)
        try:
            self._domain, self._problem = self.target.check(self._entry(ranged)), ""
        except ValueError as exc:
            self._domain, self._problem = None, str(exc).splitlines()[0]
        self.ok_button.setEnabled(self._domain is not None)
        self.problem_label.setText(self._problem)
        self.problem_label.setVisible(bool(self._problem))
        self.preview.setText("" if self._domain is None else f"Experiments try: {self._domain.describe()}")
        self.preview.setVisible(self._domain is not None)

    def _entry(self, ranged: bool) -> dict[str, list]:
        """The domain's JSON from what the widgets hold, or ValueError saying what to type."""
        name = self.target.name
        if ranged:
            kind = self.range_kind.currentData()
            number = Kind.INT if kind == "int" else Kind.FLOAT
            ends = [parse_value(name, edit.text().strip(), number) for edit in (self.low, self.high)]
            return {kind: ends}
        if self.picks:
            chosen = [value for value, box in self.picks.items() if box.isChecked()]
            if not chosen:
                raise ValueError(f"{name}: tick at least one value to try")
            return {"choice": chosen}
        return {"choice": parse_values(name, self.values.text(), self.target.kind, self.target.choices)}

    def _on_buttons_accepted(self) -> None:
        if self._domain is not None:
            self.chosen.emit(self._domain)
            self.accept()

    def _on_remove_button_clicked(self) -> None:
        self.chosen.emit(None)
        self.accept()


def open_vary_dialog(parent: QWidget, target: VaryTarget, on_chosen: Callable[[Domain | None], None]) -> VaryDialog:
    """Open the dialog over `parent`'s window (not blocking); `on_chosen` gets the domain, or None to unmark.
    The window owns it: a form that enables and disables its own children (the Train tab's, as a run starts and
    ends) never reaches into the dialog."""
    dialog = VaryDialog(target, parent.window())
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.chosen.connect(on_chosen)
    dialog.open()
    return dialog


# ----- beside an editor ------------------------------------------------------------------------------------------


def vary_button(name: str, slot: Callable[[], None]) -> QToolButton:
    """The Vary… button of parameter or setting `name` (object name vary_<name>)."""
    button = QToolButton()
    button.setText("Vary…")
    set_names(button, f"vary_{name}", f"Choose the values experiments try for {name}")
    button.setToolTip(f"Vary {name} in experiments: a list of values to try, or a range")
    button.clicked.connect(slot)
    return button


class VaryBadge(QLabel):
    """Under a marked editor: what experiments try for it (hidden while it is not marked)."""

    def __init__(self, name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.name = name
        set_names(self, f"varies_{name}", f"The values experiments try for {name}")
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        theme.style_sheet(self, BADGE_STYLE)
        self.hide()

    def show_domain(self, domain: Domain | None) -> None:
        self.setVisible(domain is not None)
        if domain is None:
            return
        self.setText(f"varies: {domain.describe()}")
        self.setToolTip(
            f"Experiments try {self.name} = {domain.describe()}; training this model on its own uses the value "
            "above. Vary… changes the values or stops varying it."
        )


def marked_field(widgets: list[QWidget], button: QToolButton, badge: VaryBadge) -> QWidget:
    """A form's field: the editor's widgets and the Vary… button in a row, the badge under them."""
    field = QWidget()
    column = QVBoxLayout(field)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(2)
    row = QHBoxLayout()
    row.setSpacing(2)
    for index, widget in enumerate(widgets):
        row.addWidget(widget, 1 if index == 0 else 0)
    row.addWidget(button)
    column.addLayout(row)
    column.addWidget(badge)
    field.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    return field
