"""The model summary panel: input shape, totals, the error if any, what the model costs on this machine when
asked, and the forward strip.

It shows what it is given and never runs inference itself: the window infers once per edit and
hands the same Inference to every panel. The only thing it asks for is a new input shape.

"Measure on this machine" runs the model (untrained weights) on one of the window's background tasks
(`workbench.insight.cost`): latency per image at batch 1 and 64, the model file's size and the memory of its
parameters. An edit clears the figures, which belonged to the model before it.

Its texts follow the window's language (`retranslate`), the figures shown worded again.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QResizeEvent, QWheelEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from ui import i18n, messages, theme
from ui.background import Tasks, TaskState
from ui.builder.forward_strip import STRIP_HEIGHT, ForwardStrip
from ui.builder.summary_texts import COST_FIGURES, CUSTOM, MEASURE_TIP, PRESETS, SPINS, TOTALS, output_text
from ui.i18n import translate
from ui.widgets import named_button
from workbench.insight.cost import BATCH, Cost, measure_cost, milliseconds
from workbench.model.formatting import human_bytes, human_count
from workbench.model.shape_rules import Shape
from workbench.model.shapes import Inference
from workbench.model.spec import ModelSpec
from workbench.training.config import default_threads, resolve_device

ERROR_STYLE = "color: {error}; font-weight: bold;"  # theme tokens
MEASURE = "cost measurement"  # its kind in the window's Tasks


class StripScrollArea(QScrollArea):
    """A horizontal-only scroll area where the ordinary (vertical) mouse wheel scrolls sideways."""

    def wheelEvent(self, event: QWheelEvent) -> None:
        delta = event.angleDelta()
        if abs(delta.y()) > abs(delta.x()):
            bar = self.horizontalScrollBar()
            bar.setValue(bar.value() - delta.y() // 2)
            event.accept()
            return
        super().wheelEvent(event)


class ModelSummary(QWidget):
    input_changed = Signal(object)  # tuple: the input shape the user chose, e.g. (3, 32, 32)
    layer_clicked = Signal(int)  # 0-based row of the spec holding a layer clicked in the forward strip
    path_clicked = Signal(object)  # the `model.tree` path of the layer clicked (a block's inner layers too)

    def __init__(self, parent: QWidget | None = None, tasks: Tasks | None = None):
        """`tasks`: the window's background work (the panel's own without a window)."""
        super().__init__(parent)
        self.setObjectName("modelSummary")
        self.tasks = tasks if tasks is not None else Tasks(self)
        self.measure_options: dict = {}  # more arguments of measure_cost (tests: fewer runs)
        self._shape: Shape = PRESETS[0][0]
        self._spec: ModelSpec | None = None
        self._measuring: ModelSpec | None = None  # the spec being measured
        self.cost: Cost | None = None  # the figures shown, of the spec shown
        self._grid_columns = 0
        self._base_height: int | None = None  # the minimum height given without the measured figures
        self._runnable = True  # whether the model shown can run (the button's tooltip)
        self._inference: Inference | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(self._build_input_row())
        layout.addWidget(self._build_custom_row())
        layout.addLayout(self._build_totals())
        self._build_cost_figures()
        self.error_label = QLabel(self, objectName="summaryError", wordWrap=True)
        theme.style_sheet(self.error_label, ERROR_STYLE)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.hide()
        layout.addWidget(self.error_label)
        layout.addLayout(self._build_measure_row())
        layout.addWidget(self._build_strip())
        layout.addStretch(1)
        self._arrange_totals(0)  # narrowest first, so a fresh panel never demands a wide minimum
        # and kept: two columns of totals would otherwise demand more than the width that brings one column back,
        # and a window made narrower would clip the inspector beside this panel instead
        self.setMinimumWidth(self.minimumSizeHint().width())
        i18n.follow(self, ModelSummary.retranslate)

    def retranslate(self) -> None:
        """Every text in the window's language; the figures shown worded again."""
        self.setAccessibleName(translate("ModelSummary", "Model summary"))
        self.input_combo.setAccessibleName(translate("ModelSummary", "Input shape"))
        for index, (_shape, text) in enumerate(PRESETS):
            self.input_combo.setItemText(index, translate("ModelSummary", text))
        self.input_combo.setItemText(len(PRESETS), translate("ModelSummary", CUSTOM))
        widest = self.input_combo.fontMetrics().horizontalAdvance(self.input_combo.itemText(0))
        self.input_combo.setMaximumWidth(widest + 60)
        for spin, (_name, _letter, maximum, what) in zip(self.spin_boxes, SPINS, strict=True):
            spin.setAccessibleName(translate("ModelSummary", what))
            spin.setToolTip(
                translate("ModelSummary", "{what}, 1 to {most}").format(what=spin.accessibleName(), most=maximum)
            )
        for names, values, items in (
            (self.total_names, self.total_values, TOTALS),
            (self.cost_names, self.cost_values, COST_FIGURES),
        ):
            for key, text in items:
                words = translate("ModelSummary", text).format(batch=BATCH)
                names[key].setText(translate("ModelSummary", "{name}:").format(name=words))
                values[key].setAccessibleName(words)
        self._show_tip()
        if self._inference is not None:
            self.total_values["output"].setText(output_text(self._inference))
            self._show_error(self._inference)
        if self.cost is not None:
            self._show_cost(self.cost)

    # -- building -------------------------------------------------------------------------------

    def _build_input_row(self) -> QHBoxLayout:
        self.input_combo = QComboBox(self, objectName="inputPreset")
        for _shape, text in PRESETS:
            self.input_combo.addItem(translate("ModelSummary", text))
        self.input_combo.addItem(translate("ModelSummary", CUSTOM))
        # Long preset names must not force the side panel wider; the popup still shows them whole.
        self.input_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.input_combo.setMinimumContentsLength(12)
        self.input_combo.setMaximumWidth(self.input_combo.fontMetrics().horizontalAdvance(PRESETS[0][1]) + 60)
        i18n.keep(
            self.input_combo,
            "setToolTip",
            lambda: translate("ModelSummary", "Shape of one input image: channels × height × width"),
        )
        self.input_combo.activated.connect(self._on_input_combo_activated)
        row = QHBoxLayout()
        label = i18n.keep(QLabel("", self), "setText", lambda: translate("ModelSummary", "Input"))
        label.setBuddy(self.input_combo)
        row.addWidget(label)
        row.addWidget(self.input_combo, 1)
        row.addStretch(0)
        return row

    def _build_custom_row(self) -> QWidget:
        self.custom_row = QWidget(self, objectName="customInput")
        row = QHBoxLayout(self.custom_row)
        row.setContentsMargins(0, 0, 0, 0)
        self.spin_boxes: list[QSpinBox] = []
        for name, letter, maximum, _what in SPINS:
            spin = QSpinBox(self.custom_row, objectName=f"input{name}")
            spin.setRange(1, maximum)
            spin.setKeyboardTracking(False)  # emit once the number is typed, not per keystroke
            spin.valueChanged.connect(self._on_spin_box_value_changed)
            row.addWidget(QLabel(letter, self.custom_row))
            row.addWidget(spin)
            self.spin_boxes.append(spin)
        row.addStretch(1)
        self.custom_row.hide()
        return self.custom_row

    def _build_totals(self) -> QGridLayout:
        self.totals_grid = QGridLayout()
        self.totals_grid.setHorizontalSpacing(10)
        self.totals_grid.setVerticalSpacing(2)
        self.total_names: dict[str, QLabel] = {}
        self.total_values: dict[str, QLabel] = {}
        for key, _text in TOTALS:
            name = QLabel(self, wordWrap=True)
            value = QLabel("—", self, objectName=f"total_{key}")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            self.total_names[key], self.total_values[key] = name, value
        return self.totals_grid

    def _build_measure_row(self) -> QHBoxLayout:
        self.measure_button: QPushButton = named_button(
            lambda: translate("ModelSummary", "Measure on this machine"), "measureCostButton", self.measure, ""
        )
        self.cost_status = QLabel(self, objectName="costStatus", wordWrap=True)
        self.cost_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row = QHBoxLayout()
        row.addWidget(self.measure_button)
        row.addWidget(self.cost_status, 1)
        return row

    def _build_cost_figures(self) -> None:
        """The measured figures: rows of the totals' grid, hidden until measured."""
        self.cost_names: dict[str, QLabel] = {}
        self.cost_values: dict[str, QLabel] = {}
        for key, _text in COST_FIGURES:
            name = QLabel(self, wordWrap=True)
            value = QLabel("", self, objectName=f"cost_{key}")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            name.hide()
            value.hide()
            self.cost_names[key], self.cost_values[key] = name, value

    def _build_strip(self) -> QScrollArea:
        self.forward_strip = ForwardStrip(self)
        self.forward_strip.layer_clicked.connect(self.layer_clicked)
        self.forward_strip.path_clicked.connect(self.path_clicked)
        scroll = StripScrollArea(self, objectName="forwardStripScroll")
        scroll.setWidget(self.forward_strip)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.StyledPanel)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        scroll.setFixedHeight(STRIP_HEIGHT + bar + 2 * scroll.frameWidth())
        self.strip_scroll = scroll
        return scroll

    def _arrange_totals(self, width: int) -> None:
        """One name/value pair per row in a side panel, two or three pairs per row when wide (the measured
        figures too)."""
        columns = 1 if width < 560 else 2 if width < 900 else 3
        if columns == self._grid_columns:
            return
        self._grid_columns = columns
        names, values = {**self.total_names, **self.cost_names}, {**self.total_values, **self.cost_values}
        for label in (*names.values(), *self.cost_values.values()):
            label.setWordWrap(columns == 1)  # a narrow panel wraps long names (and figures); a wide one has room
        for label in (*names.values(), *values.values()):
            self.totals_grid.removeWidget(label)
        rows = -(-len(TOTALS) // columns)
        for first_row, items in ((0, TOTALS), (rows, COST_FIGURES)):  # the measured figures start a row
            for position, (key, _text) in enumerate(items):
                row, pair = divmod(position, columns)
                self.totals_grid.addWidget(names[key], first_row + row, 2 * pair)
                self.totals_grid.addWidget(values[key], first_row + row, 2 * pair + 1)
        for column in range(6):
            self.totals_grid.setColumnStretch(column, 1 if column % 2 == 1 and column < 2 * columns else 0)
        self._fit_height()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._arrange_totals(event.size().width())

    # -- public ---------------------------------------------------------------------------------

    def show_inference(self, spec: ModelSpec, inference: Inference) -> None:
        self.set_input_shape(spec.input)
        values = self.total_values
        values["parameters"].setText(human_count(inference.total_params))
        values["macs"].setText(human_count(inference.total_macs))
        values["activations"].setText(human_bytes(inference.activation_bytes))
        values["param_memory"].setText(human_bytes(inference.param_bytes))
        values["output"].setText(output_text(inference))
        self._inference = inference
        self._show_error(inference)
        error = inference.error
        self.forward_strip.show_inference(spec, inference)
        if spec != self._spec:
            self._spec = spec
            self._forget_cost()
        runnable = error is None and inference.over_budget is None
        self.measure_button.setEnabled(runnable and self._measuring is None)
        self._runnable = runnable
        self._show_tip()

    def _show_error(self, inference: Inference) -> None:
        error = inference.error
        self.error_label.setText(messages.translated(error) if error else "")
        self.error_label.setToolTip(messages.details(error) if error else "")
        self.error_label.setVisible(error is not None)

    def _show_tip(self) -> None:
        if self._runnable:
            tip = translate("ModelSummary", MEASURE_TIP)
        else:
            tip = translate("ModelSummary", "Fix the model first: it cannot run")
        self.measure_button.setToolTip(tip)
        self.measure_button.setAccessibleDescription(tip)

    def measure(self) -> None:
        """Measure the model shown on a background task; its figures replace the button's status when done."""
        spec = self._spec
        if spec is None or self._measuring is not None:
            return
        device, threads = resolve_device("auto"), default_threads()
        options = dict(self.measure_options)

        def job(state: TaskState) -> Cost:
            report = lambda done, total: state.progress("", done, total)  # noqa: E731
            return measure_cost(
                spec, device=device, threads=threads, progress=report, cancelled=state.cancelled, **options
            )

        self._measuring = spec
        self.measure_button.setEnabled(False)
        self.cost_status.setText(translate("ModelSummary", "Measuring: warming up…"))
        self.tasks.start(
            MEASURE,
            job,
            lambda cost: self._on_measured(spec, cost),
            lambda message: self._on_measure_failed(spec, message),
            lambda _message, done, total: self.cost_status.setText(
                translate("ModelSummary", "Measuring: run {done} of at most {total}…").format(done=done, total=total)
            ),
        )

    def _on_measured(self, spec: ModelSpec, cost: Cost) -> None:
        self._measuring = None
        self.measure_button.setEnabled(True)
        if spec != self._spec:
            return
        self.cost = cost
        self._show_cost(cost)
        self._show_cost_figures(True)

    def _show_cost(self, cost: Cost) -> None:
        """The measured figures, in the window's language."""
        device = messages.device_line(cost.device)
        if cost.repeats == 1:
            measured = translate("ModelSummary", "Measured on {device} · median of {count} run, untrained weights")
        else:
            measured = translate("ModelSummary", "Measured on {device} · median of {count} runs, untrained weights")
        self.cost_status.setText(measured.format(device=device, count=f"{cost.repeats:,}"))
        values = self.cost_values
        per_image = translate("ModelSummary", "{ms} ms per image")
        values["batch1"].setText(per_image.format(ms=milliseconds(cost.batch1_ms)))
        if cost.batch64_ms is None or cost.batch64_ms_per_image is None:
            values["batch64"].setText(
                translate("ModelSummary", "not measured ({why})").format(why=messages.translated(cost.note))
            )
        else:
            values["batch64"].setText(
                translate("ModelSummary", "{ms} ms per image ({batch} ms a batch)").format(
                    ms=milliseconds(cost.batch64_ms_per_image), batch=milliseconds(cost.batch64_ms)
                )
            )
        values["file"].setText(human_bytes(cost.file_bytes))
        values["memory"].setText(human_bytes(cost.parameter_bytes))

    def _on_measure_failed(self, spec: ModelSpec, message: str) -> None:
        self._measuring = None
        self.measure_button.setEnabled(True)
        if spec == self._spec:
            failed = translate("ModelSummary", "Could not measure: {reason}").format(
                reason=messages.translated(message)
            )
            theme.set_toned_text(self.cost_status, html.escape(failed), "error")

    def _forget_cost(self) -> None:
        """The model changed: the figures (and a measurement under way) were of the one before."""
        if self._measuring is not None:
            self.tasks.cancel(MEASURE)
            self._measuring = None
        self.cost = None
        self.cost_status.clear()
        self._show_cost_figures(False)

    def _show_cost_figures(self, shown: bool) -> None:
        for label in (*self.cost_names.values(), *self.cost_values.values()):
            label.setVisible(shown)
        self._fit_height()

    def _fit_height(self) -> None:
        """A minimum height with room for the measured figures, at the current number of columns: the splitter
        above this panel keeps it at its minimum height, which leaves no room for rows added later."""
        if self.cost is not None and self._base_height is None:
            self._base_height = self.minimumHeight()
        if self._base_height is None:
            return
        extra = 0
        if self.cost is not None:
            columns = max(1, self._grid_columns)
            rows = -(-len(COST_FIGURES) // columns) + (columns == 1)  # a narrow panel wraps a long name
            extra = rows * (self.fontMetrics().lineSpacing() + self.totals_grid.verticalSpacing())
        self.setMinimumHeight(self._base_height + extra)

    def set_input_shape(self, shape: tuple[int, ...]) -> None:
        """Show `shape` as the current input without emitting input_changed (the combo's `activated`
        fires only for the user, and the spin boxes are filled with their signals blocked)."""
        shape = tuple(shape)
        self._shape = shape
        index = next((i for i, (preset, _text) in enumerate(PRESETS) if preset == shape), -1)
        custom = self.input_combo.count() - 1
        keep_custom = self.input_combo.currentIndex() == custom and self._custom_shape() == shape
        if index >= 0 and not keep_custom:
            self.input_combo.setCurrentIndex(index)
        else:
            self.input_combo.setCurrentIndex(custom)
            self._fill_spin_boxes(shape)
        self.custom_row.setVisible(self.input_combo.currentIndex() == custom)

    def input_shape(self) -> Shape:
        return self._shape

    # -- slots ----------------------------------------------------------------------------------

    def _on_input_combo_activated(self, index: int) -> None:
        shape = PRESETS[index][0] if index < len(PRESETS) else None
        self.custom_row.setVisible(shape is None)
        if shape is None:  # Custom: start from the current shape; the spin boxes emit from here on
            self._fill_spin_boxes(self._shape)
            shape = self._custom_shape()
        self._choose(tuple(shape))

    def _on_spin_box_value_changed(self, _value: int) -> None:
        self._choose(self._custom_shape())

    def _choose(self, shape: Shape) -> None:
        if shape != self._shape:
            self._shape = shape
            self.input_changed.emit(shape)

    def _custom_shape(self) -> Shape:
        return tuple(spin.value() for spin in self.spin_boxes)

    def _fill_spin_boxes(self, shape: Shape) -> None:
        """Show an image shape in C, H, W; a flat (F,) input becomes 1×1×F, the nearest image."""
        values = shape if len(shape) == 3 else (1, 1, shape[-1] if shape else 1)
        blockers = [QSignalBlocker(spin) for spin in self.spin_boxes]
        for spin, value in zip(self.spin_boxes, values, strict=True):
            spin.setValue(value)
        del blockers


def _demo() -> None:
    """`python -m ui.builder.summary [template]`: the panel alone, with a template switcher."""
    import sys

    from PySide6.QtWidgets import QApplication

    from workbench.model import templates
    from workbench.model.shapes import infer

    app = QApplication(sys.argv)
    window = QWidget()
    window.setWindowTitle(translate("summary", "CNN Workbench — model summary"))
    picker = QComboBox(window)
    picker.addItems(list(templates.TEMPLATES))
    picker.setCurrentText(sys.argv[1] if len(sys.argv) > 1 else templates.STARTER)
    summary = ModelSummary(window)
    clicked = QLabel(translate("summary", "Click a layer in the strip."), window)
    layout = QVBoxLayout(window)
    layout.addWidget(picker)
    layout.addWidget(summary, 1)
    layout.addWidget(clicked)
    state = {"spec": templates.template(picker.currentText())}

    def show(spec: ModelSpec) -> None:
        state["spec"] = spec
        summary.show_inference(spec, infer(spec))

    picker.currentTextChanged.connect(lambda name: show(templates.template(name)))
    summary.input_changed.connect(lambda shape: show(state["spec"].with_input(shape)))
    summary.layer_clicked.connect(lambda row: clicked.setText(f"Clicked row {row}: {state['spec'].layers[row].type}"))
    show(state["spec"])
    window.resize(int(sys.argv[2]) if len(sys.argv) > 2 else 1000, 460)
    window.show()
    sys.exit(app.exec())


if __name__ == "__main__":
    _demo()
