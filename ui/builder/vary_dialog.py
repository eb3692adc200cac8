"""Vary…: mark what an experiment varies, for one layer parameter (the inspector) or one training setting (the
Train tab's form), and the small widgets both show beside the editor: the Vary… button and the badge saying what
a marked name varies over.

The dialog takes values or a range as text and refuses what the core refuses: every domain is checked by the
target's own `check` (`param_domain` for a layer parameter, `check_setting_domain` for a setting) while typing, so
OK is enabled only for a mark the spec will load and a sweep will run, and the reason is shown in one line.

Texts are in the window's language: the dialog, the button and the badge each follow a change of language; the
core's refusals and domains are said again by `param_texts`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
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

from ui import i18n, theme
from ui.builder.param_texts import domain_text, parse_value, parse_values, pick_text, problem, range_text, value_text
from ui.i18n import translate
from ui.widgets import set_names
from workbench.model.edits import setting_value
from workbench.model.params import Kind, Param
from workbench.model.vary import Domain, param_domain, range_kinds

RANGE_LABELS = {
    "uniform": QT_TRANSLATE_NOOP("VaryDialog", "uniform"),
    "log": QT_TRANSLATE_NOOP("VaryDialog", "log-uniform"),
    "int": QT_TRANSLATE_NOOP("VaryDialog", "integer"),
}
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
    hint = ""
    if param.kind not in TEXT_KINDS:
        hint = translate("VaryDialog", "{name} takes values {range}.").format(name=param.name, range=range_text(param))
    return VaryTarget(param.name, param.kind, current, partial(param_domain, param), domain, param.choices, hint)


# ----- text ↔ values -------------------------------------------------------------------------------------------


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
        self.setObjectName("varyDialog")
        self._make_widgets()
        self._lay_out()
        self._fill(target.domain)
        self._connect()
        i18n.follow(self, VaryDialog.retranslate)

    def retranslate(self) -> None:
        """Every text in the window's language; the check's result said again."""
        name = self.target.name
        self.setWindowTitle(translate("VaryDialog", "Vary {name} — CNN Workbench").format(name=name))
        self.setAccessibleDescription(translate("VaryDialog", "What experiments try for {name}").format(name=name))
        self.title.setText(translate("VaryDialog", "Vary {name}").format(name=name))
        if self.target.current is None:
            explain = translate("VaryDialog", "Experiments try these values of {name}.")
        else:
            explain = translate("VaryDialog", "Experiments try these values of {name} (a run of its own uses {now}).")
        self.explain.setText(explain.format(name=name, now=setting_value(self.target.current)))
        self._retranslate_inputs(name)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(translate("VaryDialog", "OK"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(translate("VaryDialog", "Cancel"))
        self.remove_button.setText(translate("VaryDialog", "Don't vary"))
        self.remove_button.setAccessibleDescription(
            translate("VaryDialog", "Remove the mark: experiments keep {name} as it is").format(name=name)
        )
        self._update()

    def _retranslate_inputs(self, name: str) -> None:
        for radio, text, tip in (
            (self.values_mode, translate("VaryDialog", "Values"), translate("VaryDialog", "Try each value of a list")),
            (
                self.range_mode,
                translate("VaryDialog", "Range"),
                translate("VaryDialog", "Let the sampler pick values between two ends"),
            ),
        ):
            radio.setText(text)
            radio.setToolTip(tip)
            radio.setAccessibleDescription(tip)
        self.values.setAccessibleDescription(
            translate("VaryDialog", "The values of {name} to try, separated by commas").format(name=name)
        )
        examples = ", ".join(value_text(v) for v in default_values(self.target))
        self.values.setPlaceholderText(translate("VaryDialog", "e.g. {values}").format(values=examples))
        for value, box in self.picks.items():
            box.setText(pick_text(value))
            box.setAccessibleDescription(
                translate("VaryDialog", "Try {name} = {value}").format(name=name, value=pick_text(value))
            )
        for index in range(self.range_kind.count()):
            self.range_kind.setItemText(index, translate("VaryDialog", RANGE_LABELS[self.range_kind.itemData(index)]))
        self.low.setAccessibleDescription(
            translate("VaryDialog", "The lowest value of {name} to try").format(name=name)
        )
        self.high.setAccessibleDescription(
            translate("VaryDialog", "The highest value of {name} to try").format(name=name)
        )
        self.from_label.setText(translate("VaryDialog", "from"))
        self.to_label.setText(translate("VaryDialog", "to"))

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
        self.title = QLabel()
        self.title.setStyleSheet("font-weight: 600;")
        self.explain = QLabel()
        self.explain.setWordWrap(True)
        self.values_mode = QRadioButton(objectName="varyValuesMode")
        self.range_mode = QRadioButton(objectName="varyRangeMode")
        self.values = QLineEdit(objectName="varyValues")
        self.picks = {value: self._pick(value) for value in target.picks()}
        self._make_range_widgets()
        self.hint = QLabel(target.hint)
        self.hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.hint.setVisible(bool(target.hint))
        self.preview = QLabel()
        set_names(self.preview, "varyPreview", lambda: translate("VaryDialog", "What experiments will try"))
        self.problem_label = QLabel()
        set_names(self.problem_label, "varyProblem", lambda: translate("VaryDialog", "Why the values cannot be used"))
        theme.style_sheet(self.problem_label, PROBLEM_STYLE)
        for label in (self.preview, self.problem_label):
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.remove_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.DestructiveRole)
        self.remove_button.setObjectName("dontVaryButton")
        self.remove_button.setVisible(target.domain is not None)

    def _make_range_widgets(self) -> None:
        kinds = range_kinds(self.target.kind)
        self.range_kind = QComboBox()
        set_names(
            self.range_kind,
            "varyRangeKind",
            lambda: translate("VaryDialog", "How values are drawn between the two ends"),
        )
        for kind in kinds:
            self.range_kind.addItem(RANGE_LABELS[kind], kind)
        self.low, self.high = QLineEdit(objectName="varyLow"), QLineEdit(objectName="varyHigh")
        self.from_label, self.to_label = QLabel(), QLabel()
        self.range_mode.setEnabled(bool(kinds))

    def _pick(self, value: Any) -> QCheckBox:
        return QCheckBox(pick_text(value), objectName=f"varyPick_{value_text(value)}")

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
        for widget in (self.range_kind, self.from_label, self.low, self.to_label, self.high):
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
            self._domain, self._problem = None, problem(exc)
        self.ok_button.setEnabled(self._domain is not None)
        self.problem_label.setText(self._problem)
        self.problem_label.setVisible(bool(self._problem))
        tries = translate("VaryDialog", "Experiments try: {values}")
        self.preview.setText("" if self._domain is None else tries.format(values=domain_text(self._domain)))
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
                raise ValueError(translate("VaryDialog", "{name}: tick at least one value to try").format(name=name))
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
    button = QToolButton(objectName=f"vary_{name}")
    i18n.follow(button, partial(_name_vary_button, name=name))
    button.clicked.connect(slot)
    return button


def _name_vary_button(button: QToolButton, name: str) -> None:
    button.setText(translate("VaryDialog", "Vary…"))
    button.setAccessibleDescription(
        translate("VaryDialog", "Choose the values experiments try for {name}").format(name=name)
    )
    button.setToolTip(
        translate("VaryDialog", "Vary {name} in experiments: a list of values to try, or a range").format(name=name)
    )


class VaryBadge(QLabel):
    """Under a marked editor: what experiments try for it (hidden while it is not marked)."""

    def __init__(self, name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.name = name
        self.domain: Domain | None = None
        self.setObjectName(f"varies_{name}")
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        theme.style_sheet(self, BADGE_STYLE)
        self.hide()
        i18n.follow(self, VaryBadge.retranslate)

    def show_domain(self, domain: Domain | None) -> None:
        self.domain = domain
        self.setVisible(domain is not None)
        self.retranslate()

    def retranslate(self) -> None:
        name, domain = self.name, self.domain
        self.setAccessibleDescription(translate("VaryBadge", "The values experiments try for {name}").format(name=name))
        if domain is None:
            return
        self.setText(translate("VaryBadge", "varies: {values}").format(values=domain_text(domain)))
        tries = translate(
            "VaryBadge", "Experiments try {name} = {values}; training this model on its own uses the value above."
        )
        then = translate("VaryBadge", "Vary… changes the values or stops varying it.")
        self.setToolTip(f"{tries.format(name=name, values=domain_text(domain))} {then}")


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
