"""One editor widget per parameter kind, for the layer inspector's generated form.

Every editor shows a value with `set_value` (signals blocked, so showing never counts as an edit)
and emits `value_committed` with a value that passed `Param.check` and differs from the one shown.
An editor never knows which layer it belongs to: the inspector builds them from the catalog's
`Param` list alone.

Tooltips and accessible names are in the window's language: `retranslate(help)` sets them again with the help of
the layer shown (the inspector calls it when it shows a layer and after a change of language).

Nullable parameters (pooling stride, BatchNorm momentum, divisor_override) get a "None" checkbox
next to the editor; checking it commits None and disables the editor, unchecking commits what the
editor shows. While the value is None the disabled editor shows what None stands for where that
is another parameter (stride None = kernel_size), so unchecking starts from the same behaviour.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QLocale, Qt, Signal
from PySide6.QtGui import QDoubleValidator, QValidator
from PySide6.QtWidgets import (
    QBoxLayout,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QToolButton,
    QWidget,
)

from ui import i18n, theme
from ui.builder.param_texts import problem, tooltip_text
from ui.i18n import translate
from workbench.model.params import Kind, Param, ParamError, as_pair

INVALID_STYLE = "border: 1px solid {error}; background: {error_background};"  # theme tokens
_UNSET = object()

# What None means, for the "None" checkbox; the second item names the parameter None stands for.
NULL_MEANING: dict[str, tuple[str, str | None]] = {
    "stride": (QT_TRANSLATE_NOOP("ParamEditor", "None (= kernel_size)"), "kernel_size"),
    "momentum": (QT_TRANSLATE_NOOP("ParamEditor", "None (plain average)"), None),
    "divisor_override": (QT_TRANSLATE_NOOP("ParamEditor", "None (= window size)"), None),
}
NONE = QT_TRANSLATE_NOOP("ParamEditor", "None")


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b


@contextmanager
def _blocked(widgets: Sequence[QWidget]) -> Iterator[None]:
    previous = [widget.blockSignals(True) for widget in widgets]
    try:
        yield
    finally:
        for widget, was in zip(widgets, previous, strict=True):
            widget.blockSignals(was)


class ParamEditor(QWidget):
    """Base of all editors: validation, the invalid mark, and blocking signals while showing."""

    value_committed = Signal(object)

    def __init__(self, param: Param, parent: QWidget | None = None):
        super().__init__(parent)
        self.param = param
        self._value: Any = _UNSET
        self._invalid = ""
        self.setToolTip(tooltip_text(param))
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(4)
        theme.follow(self, self._restyle)

    def retranslate(self, help_text: str | None = None) -> None:
        """Tooltips (with `help_text`, the layer's help in the window's language) and accessible names again."""
        tip = tooltip_text(self.param, help_text)
        self.setToolTip(tip)
        for widget, name in self._names():
            widget.setAccessibleName(name)
        for widget in self._tipped():
            widget.setProperty("normalToolTip", tip)
            if not widget.property("invalid"):
                widget.setToolTip(tip)

    def _names(self) -> list[tuple[QWidget, str]]:
        """The input widgets with their accessible names."""
        return [(widget, self.param.name) for widget in self._inputs()]

    def _tipped(self) -> list[QWidget]:
        """The widgets whose tooltip is the parameter's."""
        return self._inputs()

    @property
    def invalid_message(self) -> str:
        """Why the last typed value was refused; empty while the editor holds a valid value."""
        return self._invalid

    def value(self) -> Any:
        """The value last shown or committed."""
        return None if self._value is _UNSET else self._value

    def set_value(self, value: Any) -> None:
        """Show `value` without emitting. An unchanged value leaves the widgets alone, so text
        being typed (or refused) is kept when the inspector refreshes after another edit."""
        if _same(value, self._value):
            return
        self._value = value
        with _blocked(self._inputs()):
            self._show(self._blank() if value is None else value)
        self._set_invalid("")

    def current(self) -> Any:
        """The raw value the widgets show now (not yet checked)."""
        raise NotImplementedError

    def _inputs(self) -> list[QWidget]:
        raise NotImplementedError

    def _show(self, value: Any) -> None:
        raise NotImplementedError

    def _blank(self) -> Any:
        """Shown for a required parameter that has no value yet."""
        return int(self.param.minimum or 0)

    def _commit(self, raw: Any) -> None:
        try:
            value = self.param.check(raw)
        except ParamError as exc:
            self._set_invalid(problem(exc))
            return
        self._set_invalid("")
        if _same(value, self._value):
            return
        self._value = value
        self.value_committed.emit(value)

    def _set_invalid(self, message: str) -> None:
        """Mark the input widgets red with the message as their tooltip, or restore them."""
        if message == self._invalid:
            return
        self._invalid = message
        for widget in self._inputs():
            was = bool(widget.property("invalid"))
            if message and not was:
                widget.setProperty("normalToolTip", widget.toolTip())
            widget.setProperty("invalid", bool(message))
            widget.setStyleSheet(INVALID_STYLE.format_map(theme.current().tokens()) if message else "")
            if message or was:
                widget.setToolTip(message or widget.property("normalToolTip") or "")

    def _restyle(self, t: theme.Theme) -> None:
        """A refused value stays marked in the new theme's colours."""
        if self._invalid:  # (never while the subclass is still building its inputs)
            for widget in self._inputs():
                widget.setStyleSheet(INVALID_STYLE.format_map(t.tokens()))


def _spin(param: Param, name: str) -> QSpinBox:
    spin = QSpinBox()
    low = -(2**31) if param.minimum is None else int(param.minimum)
    spin.setRange(low, 2**31 - 1 if param.maximum is None else int(param.maximum))
    spin.setAccessibleName(name)
    spin.setToolTip(tooltip_text(param))
    # Typed digits commit on Enter or focus loss, not per keystroke ("128" is not 1, then 12, then 128);
    # arrow keys and the wheel still commit every step.
    spin.setKeyboardTracking(False)
    return spin


class IntEditor(ParamEditor):
    def __init__(self, param: Param, parent: QWidget | None = None):
        super().__init__(param, parent)
        self.spin = _spin(param, param.name)
        self._layout.addWidget(self.spin)
        self.spin.valueChanged.connect(self._on_spin_value_changed)

    def current(self) -> int:
        return self.spin.value()

    def _inputs(self) -> list[QWidget]:
        return [self.spin]

    def _show(self, value: int) -> None:
        self.spin.setValue(value)

    def _on_spin_value_changed(self, value: int) -> None:
        self._commit(value)


class FloatEditor(ParamEditor):
    """A line edit, so that 1e-05 and 1e-12 are shown and typed as such; commits on Enter or focus loss."""

    def __init__(self, param: Param, parent: QWidget | None = None):
        super().__init__(param, parent)
        self.line = QLineEdit()
        self.line.setAccessibleName(param.name)
        self.line.setToolTip(self.toolTip())
        validator = QDoubleValidator(self.line)
        validator.setNotation(QDoubleValidator.Notation.ScientificNotation)
        validator.setLocale(QLocale.c())  # a point, whatever the system's language; the range is Param.check's job
        self.line.setValidator(validator)
        self._layout.addWidget(self.line)
        self.line.editingFinished.connect(self._on_line_editing_finished)
        self.line.textEdited.connect(self._on_line_text_edited)

    def current(self) -> float | str:
        number, ok = QLocale.c().toDouble(self.line.text())
        return number if ok else self.line.text()

    def _inputs(self) -> list[QWidget]:
        return [self.line]

    def _show(self, value: float) -> None:
        if not _same(self.current(), value):
            self.line.setText(f"{value:.12g}")

    def _blank(self) -> float:
        return float(self.param.minimum or 0.0)

    def _on_line_editing_finished(self) -> None:
        self._commit(self.current())

    def _on_line_text_edited(self, text: str) -> None:
        """editingFinished never fires for an incomplete number such as "1e", so say so while typing."""
        state = self.line.validator().validate(text, 0)[0]
        incomplete = state != QValidator.State.Acceptable
        typing = translate("ParamEditor", "{name}: type a number such as 0.001 or 1e-3")
        self._set_invalid(typing.format(name=self.param.name) if incomplete else "")


class BoolEditor(ParamEditor):
    def __init__(self, param: Param, parent: QWidget | None = None):
        super().__init__(param, parent)
        self.check = QCheckBox()
        self.check.setAccessibleName(param.name)
        self.check.setToolTip(self.toolTip())
        self._layout.addWidget(self.check)
        self._layout.addStretch(1)
        self.check.toggled.connect(self._on_check_toggled)

    def current(self) -> bool:
        return self.check.isChecked()

    def _inputs(self) -> list[QWidget]:
        return [self.check]

    def _show(self, value: bool) -> None:
        self.check.setChecked(value)

    def _blank(self) -> bool:
        return False

    def _on_check_toggled(self, checked: bool) -> None:
        self._commit(checked)


class ChoiceEditor(ParamEditor):
    def __init__(self, param: Param, parent: QWidget | None = None):
        super().__init__(param, parent)
        self.combo = QComboBox()
        self.combo.addItems(list(param.choices))
        self.combo.setAccessibleName(param.name)
        self.combo.setToolTip(self.toolTip())
        self._layout.addWidget(self.combo)
        self.combo.currentTextChanged.connect(self._on_combo_text_changed)

    def current(self) -> str:
        return self.combo.currentText()

    def _inputs(self) -> list[QWidget]:
        return [self.combo]

    def _show(self, value: str) -> None:
        self.combo.setCurrentText(value)

    def _blank(self) -> str:
        return self.param.choices[0]

    def _on_combo_text_changed(self, text: str) -> None:
        self._commit(text)


class PairEditor(ParamEditor):
    """Height and width spin boxes with a "square" link. Linked, both move together and the value
    is one int; unlinked, it is a (height, width) tuple. Unlinking alone changes no value: it
    only lets the two sizes differ, and the next size edit commits a tuple."""

    def __init__(self, param: Param, parent: QWidget | None = None):
        super().__init__(param, parent)
        self.height = _spin(param, f"{param.name} height")
        self.width = _spin(param, f"{param.name} width")
        self.link = QToolButton()
        i18n.keep(self.link, "setText", lambda: translate("PairEditor", "■ square"))
        self.link.setCheckable(True)
        self.link.setChecked(True)
        i18n.keep(
            self.link,
            "setToolTip",
            lambda: translate(
                "PairEditor", "Linked: one number for a square window. Unlink to set height and width apart."
            ),
        )
        times = QLabel("×")
        i18n.keep(times, "setAccessibleName", lambda: translate("PairEditor", "by"))
        for widget in (self.height, times, self.width, self.link):
            self._layout.addWidget(widget)
        self._layout.addStretch(1)  # keep the pieces together when the row is wider
        self.height.valueChanged.connect(self._on_height_value_changed)
        self.width.valueChanged.connect(self._on_width_value_changed)
        self.link.toggled.connect(self._on_link_toggled)

    def current(self) -> int | tuple[int, int]:
        if self.link.isChecked():
            return self.height.value()
        return (self.height.value(), self.width.value())

    def _inputs(self) -> list[QWidget]:
        return [self.height, self.width, self.link]

    def _names(self) -> list[tuple[QWidget, str]]:
        name = self.param.name
        return [
            (self.height, translate("PairEditor", "{name} height").format(name=name)),
            (self.width, translate("PairEditor", "{name} width").format(name=name)),
            (self.link, translate("PairEditor", "{name} square").format(name=name)),
        ]

    def _tipped(self) -> list[QWidget]:
        return [self.height, self.width]

    def _show(self, value: int | tuple[int, int]) -> None:
        pair = as_pair(value)
        keep_unlinked = isinstance(value, int) and pair == (self.height.value(), self.width.value())
        self.height.setValue(pair[0])
        self.width.setValue(pair[1])
        if not keep_unlinked:  # a user's fresh unlink survives a refresh that changes nothing here
            self.link.setChecked(isinstance(value, int))

    def _on_height_value_changed(self, value: int) -> None:
        if self.link.isChecked():
            with _blocked([self.width]):
                self.width.setValue(value)
        self._commit(self.current())

    def _on_width_value_changed(self, value: int) -> None:
        if self.link.isChecked():
            with _blocked([self.height]):
                self.height.setValue(value)
        self._commit(self.current())

    def _on_link_toggled(self, linked: bool) -> None:
        if linked:
            with _blocked([self.width]):
                self.width.setValue(self.height.value())
            self._commit(self.current())


class PaddingEditor(ParamEditor):
    """Conv2d padding: a mode (number, same, valid) plus the pair editor, enabled only for "number"."""

    NUMBER = "number"

    def __init__(self, param: Param, parent: QWidget | None = None):
        super().__init__(param, parent)
        self.mode = QComboBox()
        self.mode.addItem(self.NUMBER, self.NUMBER)
        for choice in param.choices:
            self.mode.addItem(choice, choice)
        self.mode.setAccessibleName(f"{param.name} mode")
        self.mode.setToolTip(self.toolTip())
        self.pair = PairEditor(param)
        self.pair.set_value(0)
        self._layout.setDirection(QBoxLayout.Direction.TopToBottom)  # mode above the sizes: fits ~300 px
        self._layout.addWidget(self.mode, 0, Qt.AlignmentFlag.AlignLeft)
        self._layout.addWidget(self.pair)
        self.mode.currentIndexChanged.connect(self._on_mode_index_changed)
        self.pair.value_committed.connect(self._on_pair_value_committed)

    def current(self) -> int | tuple[int, int] | str:
        mode = self.mode.currentData()
        return self.pair.current() if mode == self.NUMBER else mode

    def _inputs(self) -> list[QWidget]:
        return [self.mode]

    def _names(self) -> list[tuple[QWidget, str]]:
        return [(self.mode, translate("PaddingEditor", "{name} mode").format(name=self.param.name))]

    def retranslate(self, help_text: str | None = None) -> None:
        super().retranslate(help_text)
        self.mode.setItemText(0, translate("PaddingEditor", "number"))
        self.pair.retranslate(help_text)

    def _show(self, value: int | tuple[int, int] | str) -> None:
        is_number = not isinstance(value, str)
        self.mode.setCurrentIndex(self.mode.findData(self.NUMBER if is_number else value))
        self.pair.setEnabled(is_number)
        if is_number:
            self.pair.set_value(value)

    def _on_mode_index_changed(self, _index: int) -> None:
        self.pair.setEnabled(self.mode.currentData() == self.NUMBER)
        self._commit(self.current())

    def _on_pair_value_committed(self, value: int | tuple[int, int]) -> None:
        self._commit(value)


class NullableEditor(ParamEditor):
    """An editor plus a "None" checkbox that disables it and stands for None."""

    def __init__(self, param: Param, inner: ParamEditor, parent: QWidget | None = None):
        super().__init__(param, parent)
        self.inner = inner
        self.none_check = QCheckBox()
        self.none_check.setToolTip(param.help)  # the layer's help (`retranslate`)
        self._fallback: Any = None
        self._layout.setDirection(QBoxLayout.Direction.TopToBottom)  # the box above the editor: fits ~300 px
        self._layout.addWidget(self.none_check)
        self._layout.addWidget(self.inner)
        self.none_check.toggled.connect(self._on_none_check_toggled)
        self.inner.value_committed.connect(self._on_inner_value_committed)

    def set_fallback(self, value: Any) -> None:
        """What the disabled editor shows while the value is None (e.g. the kernel size for stride)."""
        self._fallback = value
        if self._value is None:
            self.inner.set_value(self._shown_for_none())

    def current(self) -> Any:
        return None if self.none_check.isChecked() else self.inner.current()

    def _inputs(self) -> list[QWidget]:
        return [self.none_check]

    def retranslate(self, help_text: str | None = None) -> None:
        super().retranslate(help_text)
        self.none_check.setText(translate("ParamEditor", NULL_MEANING.get(self.param.name, (NONE, None))[0]))
        if not self.none_check.property("invalid"):
            self.none_check.setToolTip(self.param.help if help_text is None else help_text)
        self.inner.retranslate(help_text)

    def _names(self) -> list[tuple[QWidget, str]]:
        return [(self.none_check, translate("ParamEditor", "{name}: None").format(name=self.param.name))]

    def _tipped(self) -> list[QWidget]:
        return []

    def _blank(self) -> None:
        return None  # None is a value here, shown by the checkbox

    def _shown_for_none(self) -> Any:
        if self._fallback is not None:
            return self._fallback
        return self.param.default if self.param.default is not None else self.inner.value()

    def _show(self, value: Any) -> None:
        self.none_check.setChecked(value is None)
        self.inner.setEnabled(value is not None)
        self.inner.set_value(self._shown_for_none() if value is None else value)

    def _on_none_check_toggled(self, checked: bool) -> None:
        self.inner.setEnabled(not checked)
        self._commit(self.current())

    def _on_inner_value_committed(self, value: Any) -> None:
        self._commit(value)


_EDITORS: dict[Kind, type[ParamEditor]] = {
    Kind.INT: IntEditor,
    Kind.FLOAT: FloatEditor,
    Kind.BOOL: BoolEditor,
    Kind.CHOICE: ChoiceEditor,
    Kind.PAIR: PairEditor,
    Kind.PADDING: PaddingEditor,
}


def make_editor(param: Param, parent: QWidget | None = None) -> ParamEditor:
    """The editor for one parameter, chosen by its kind alone."""
    if param.nullable:
        editor = NullableEditor(param, _EDITORS[param.kind](param), parent)
    else:
        editor = _EDITORS[param.kind](param, parent)
    editor.retranslate()
    return editor
