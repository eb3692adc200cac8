"""What the convolution and pooling explorers share: a settings column, the grids, a step slider
with a play button, the output-size formula, the worked value and a place for problems.

A subclass builds its settings rows and grids, computes an explanation (or a `Problem`) from the
settings, and shows one window step; this class keeps the step, the timer and the text in order.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ui import i18n, messages, theme
from ui.i18n import translate
from ui.widgets import Text, set_text
from workbench.explore.windows import Problem

PLAY_MS = 700
SIDE_WIDTH = 300
ERROR_STYLE = "color: {error}; background: {error_background}; padding: 6px; border-radius: 4px;"  # theme tokens


class HeldSpin(QSpinBox):
    """A spin box that can show, disabled, a value the person does not choose (a trained layer's, the
    probe's size) and give their own value and range back when released."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._own: tuple[int, int, int] | None = None  # (value, minimum, maximum) while held

    @property
    def held(self) -> bool:
        return self._own is not None

    def hold(self, value: int | None) -> None:
        """Show `value` (widening the range if needed) without emitting; the caller recomputes. None: release."""
        if value is None:
            self.release()
            return
        if self._own is None:
            self._own = (self.value(), self.minimum(), self.maximum())
        self.blockSignals(True)
        self.setRange(min(self._own[1], value), max(self._own[2], value))
        self.setValue(value)
        self.blockSignals(False)
        self.setEnabled(False)

    def release(self) -> None:
        if self._own is None:
            return
        value, low, high = self._own
        self._own = None
        self.blockSignals(True)
        self.setRange(low, high)
        self.setValue(value)
        self.blockSignals(False)
        self.setEnabled(True)


class PairSpin(QWidget):
    """Two spin boxes, height × width, for a torch pair parameter."""

    value_changed = Signal()

    def __init__(self, low: int, high: int, value: int, tip: str, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.h, self.w = HeldSpin(), HeldSpin()
        for spin in (self.h, self.w):
            spin.setRange(low, high)
            spin.setValue(value)
            spin.valueChanged.connect(self.value_changed)
        i18n.follow(self.h, lambda spin: _name_spin(spin, tip, translate("PairSpin", "height")))
        i18n.follow(self.w, lambda spin: _name_spin(spin, tip, translate("PairSpin", "width")))
        layout.addWidget(self.h)
        layout.addWidget(QLabel("×"))
        layout.addWidget(self.w)

    def value(self) -> tuple[int, int]:
        return self.h.value(), self.w.value()

    def set_value(self, pair: tuple[int, int]) -> None:
        """Set both without emitting twice; values outside the range are clamped."""
        self.blockSignals(True)
        self.h.setValue(pair[0])
        self.w.setValue(pair[1])
        self.blockSignals(False)
        self.value_changed.emit()

    def hold(self, pair: tuple[int, int] | None) -> None:
        """Show a pair the person does not choose, disabled (None: give theirs back); never emits."""
        for spin, value in zip((self.h, self.w), pair or (None, None), strict=True):
            spin.hold(value)


def capped_note(name: str, pair: tuple[int, int], limit: int) -> Callable[[], str]:
    """A note on a layer's setting the explorer cannot show as it is (in the language of the moment)."""
    text = lambda: translate("WindowExplorer", "{name} {pair} is more than this explorer shows; capped at {limit}")  # noqa: E731
    return lambda: text().format(name=name, pair=pair, limit=limit)


def _name_spin(spin: QSpinBox, name: str, axis: str) -> None:
    """A pair's spin box: "kernel_size (height)" as its tooltip, "kernel_size height" read aloud."""
    spin.setToolTip(translate("PairSpin", "{name} ({axis})").format(name=name, axis=axis))
    spin.setAccessibleName(translate("PairSpin", "{name} {axis}").format(name=name, axis=axis))


class WindowExplorer(QWidget):
    """Subclasses build their rows and grids, then follow the language: `i18n.follow(self, lambda explorer:
    explorer.retranslate())` (which also computes the first time)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.explanation = None
        self.step = 0
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.grids = QWidget()
        self._timer = QTimer(self)
        self._timer.setInterval(PLAY_MS)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._make_text()
        self._make_step_bar()
        self._layout()

    # ----- layout ------------------------------------------------------------------------------------

    def _make_text(self) -> None:
        self.formula = QLabel()
        self.formula.setObjectName("formulaLabel")
        self.formula.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.formula.setWordWrap(True)
        self.formula.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.worked = QLabel()
        self.worked.setObjectName("workedLabel")
        self.worked.setWordWrap(True)
        self.worked.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.worked.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.worked.setFont(font)
        self.problem = QLabel()
        self.problem.setObjectName("problemLabel")
        self.problem.setWordWrap(True)
        theme.style_sheet(self.problem, ERROR_STYLE)
        self.problem.hide()
        self.caption = QLabel()  # where real numbers come from (a model's filter, the probe image)
        self.caption.setObjectName("explorerCaption")
        self.caption.setWordWrap(True)
        self.caption.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.caption.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.caption.hide()

    def _make_step_bar(self) -> None:
        self.play_button = QPushButton()
        self.play_button.setCheckable(True)
        self.play_button.toggled.connect(self._on_play_toggled)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        i18n.keep(self.slider, "setAccessibleName", lambda: translate("WindowExplorer", "window step"))
        self.slider.valueChanged.connect(self._on_slider_value_changed)
        self.step_label = QLabel()

    def _layout(self) -> None:
        settings = i18n.keep(QGroupBox(), "setTitle", lambda: translate("WindowExplorer", "Settings"))
        settings.setLayout(self.form)
        settings.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        side = QVBoxLayout()
        side.addWidget(settings)
        self.legend = QLabel()
        self.legend.setWordWrap(True)
        self.legend.setStyleSheet("color: palette(placeholder-text);")
        side.addWidget(self.legend)
        side.addStretch(1)
        steps = QHBoxLayout()
        steps.addWidget(self.play_button)
        steps.addWidget(self.slider, 1)
        steps.addWidget(self.step_label)
        main = QVBoxLayout()
        main.addWidget(self.caption)
        main.addWidget(self.grids, 1)
        main.addLayout(steps)
        main.addWidget(self.formula)
        main.addWidget(self.worked)
        main.addWidget(self.problem)
        layout = QHBoxLayout(self)
        side_widget = QWidget()
        side_widget.setLayout(side)
        side_widget.setMaximumWidth(SIDE_WIDTH)
        layout.addWidget(side_widget)
        layout.addLayout(main, 1)

    def add_row(self, label: Text, widget: QWidget, tip: Text = "") -> QWidget:
        """A settings row; lambdas around `translate(…)` follow the language (PyTorch's names stay strings)."""
        if tip:
            set_text(widget, "setToolTip", tip)
        caption = QLabel()
        set_text(caption, "setText", label)
        self.form.addRow(caption, widget)
        return widget

    def retranslate(self) -> None:
        """The texts in the window's language, those computed from the settings too."""
        self._name_play_button()
        self.play_button.setToolTip(
            translate("WindowExplorer", "Slide the window across the input, one output value at a time")
        )
        self.refresh()

    # ----- recomputing -------------------------------------------------------------------------------

    def compute(self):
        """The explanation for the current settings, or a Problem (subclasses)."""
        raise NotImplementedError

    def show_explanation(self, explanation) -> None:
        """Fill the grids from a fresh explanation (subclasses)."""
        raise NotImplementedError

    def show_problem(self, problem: Problem) -> None:
        """Show what can still be shown (e.g. the raw input) when the settings cannot work (subclasses)."""
        raise NotImplementedError

    def show_step(self, row: int, col: int) -> None:
        """Highlight one window and write its worked value (subclasses)."""
        raise NotImplementedError

    def refresh(self) -> None:
        """Recompute from the settings; keeps the step where it was if it still exists."""
        result = self.compute()
        if isinstance(result, Problem):
            self.explanation = None
            message = messages.translated(result.message)
            self.problem.setText(
                translate("WindowExplorer", "These settings cannot work: {problem}").format(problem=message)
            )
            self.problem.show()
            self.formula.setText(translate("WindowExplorer", "Output size: —"))
            self.worked.clear()
            self.step_label.setText(translate("WindowExplorer", "no output"))
            self.slider.setEnabled(False)
            self.play_button.setChecked(False)
            self.play_button.setEnabled(False)
            self.show_problem(result)
            return
        self.explanation = result
        self.problem.hide()
        formula = "      ".join(result.formula)
        self.formula.setText(translate("WindowExplorer", "Output size:   {formula}").format(formula=formula))
        self.show_explanation(result)
        rows, cols = result.out_shape
        self.slider.setEnabled(True)
        self.play_button.setEnabled(True)
        self.slider.blockSignals(True)
        self.slider.setRange(0, rows * cols - 1)
        self.slider.blockSignals(False)
        self.set_step(min(self.step, rows * cols - 1))

    def set_step(self, step: int) -> None:
        if self.explanation is None:
            return
        rows, cols = self.explanation.out_shape
        self.step = max(0, min(step, rows * cols - 1))
        self.slider.blockSignals(True)
        self.slider.setValue(self.step)
        self.slider.blockSignals(False)
        row, col = divmod(self.step, cols)
        text = translate("WindowExplorer", "step {step} of {count}: output row {row}, column {column}")
        self.step_label.setText(text.format(step=self.step + 1, count=rows * cols, row=row + 1, column=col + 1))
        self.show_step(row, col)

    def select_output(self, row: int, col: int) -> None:
        if self.explanation is not None:
            self.set_step(row * self.explanation.out_shape[1] + col)

    # ----- slots -------------------------------------------------------------------------------------

    def _on_slider_value_changed(self, value: int) -> None:
        self.set_step(value)

    def _name_play_button(self) -> None:
        if self.play_button.isChecked():
            self.play_button.setText(translate("WindowExplorer", "⏸ Pause"))
        else:
            self.play_button.setText(translate("WindowExplorer", "▶ Play"))

    def _on_play_toggled(self, playing: bool) -> None:
        self._name_play_button()
        if playing:
            self._timer.start()
        else:
            self._timer.stop()

    def _on_timer_timeout(self) -> None:
        if self.explanation is None:
            self.play_button.setChecked(False)
            return
        total = self.slider.maximum() + 1
        self.set_step((self.step + 1) % total)
