"""The model summary panel: input shape, totals, the error if any, and the forward strip.

It shows what it is given and never runs inference itself: the window infers once per edit and
hands the same Inference to every panel. The only thing it asks for is a new input shape.
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QResizeEvent, QWheelEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSpinBox,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from ui import theme
from ui.builder.forward_strip import STRIP_HEIGHT, ForwardStrip
from workbench.model.formatting import human_bytes, human_count
from workbench.model.shape_rules import Shape, shape_text
from workbench.model.shapes import Inference
from workbench.model.spec import ModelSpec
from workbench.text import count

PRESETS: tuple[tuple[Shape, str], ...] = (
    ((1, 28, 28), "1×28×28 — MNIST, Fashion-MNIST, KMNIST, digits"),
    ((3, 32, 32), "3×32×32 — CIFAR-10"),
)
CUSTOM = "Custom…"
TOTALS = (
    ("parameters", "Parameters"),
    ("macs", "Multiply-adds per image"),
    ("activations", "Activation memory per image (forward)"),
    ("param_memory", "Parameter memory"),
    ("output", "Output"),
)
ERROR_STYLE = "color: {error}; font-weight: bold;"  # theme tokens


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
    layer_clicked = Signal(int)  # 0-based row of a layer clicked in the forward strip

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("modelSummary")
        self.setAccessibleName("modelSummary")
        self._shape: Shape = PRESETS[0][0]
        self._grid_columns = 0
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(self._build_input_row())
        layout.addWidget(self._build_custom_row())
        layout.addLayout(self._build_totals())
        self.error_label = QLabel(self, objectName="summaryError", wordWrap=True)
        theme.style_sheet(self.error_label, ERROR_STYLE)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.hide()
        layout.addWidget(self.error_label)
        layout.addWidget(self._build_strip())
        layout.addStretch(1)
        self._arrange_totals(0)  # narrowest first, so a fresh panel never demands a wide minimum

    # -- building -------------------------------------------------------------------------------

    def _build_input_row(self) -> QHBoxLayout:
        self.input_combo = QComboBox(self, objectName="inputPreset", accessibleName="Input shape")
        for _shape, text in PRESETS:
            self.input_combo.addItem(text)
        self.input_combo.addItem(CUSTOM)
        # Long preset names must not force the side panel wider; the popup still shows them whole.
        self.input_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.input_combo.setMinimumContentsLength(12)
        self.input_combo.setMaximumWidth(self.input_combo.fontMetrics().horizontalAdvance(PRESETS[0][1]) + 60)
        self.input_combo.setToolTip("Shape of one input image: channels × height × width")
        self.input_combo.activated.connect(self._on_input_combo_activated)
        row = QHBoxLayout()
        label = QLabel("Input", self)
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
        for name, letter, maximum in (("Channels", "C", 64), ("Height", "H", 1024), ("Width", "W", 1024)):
            spin = QSpinBox(self.custom_row, objectName=f"input{name}", accessibleName=f"Input {name.lower()}")
            spin.setRange(1, maximum)
            spin.setKeyboardTracking(False)  # emit once the number is typed, not per keystroke
            spin.setToolTip(f"{name} of the input, 1 to {maximum}")
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
        for key, text in TOTALS:
            name = QLabel(text + ":", self, wordWrap=True)
            value = QLabel("—", self, objectName=f"total_{key}")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            value.setAccessibleName(text)
            self.total_names[key], self.total_values[key] = name, value
        return self.totals_grid

    def _build_strip(self) -> QScrollArea:
        self.forward_strip = ForwardStrip(self)
        self.forward_strip.layer_clicked.connect(self.layer_clicked)
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
        """One name/value pair per row in a side panel, two or three pairs per row when wide."""
        columns = 1 if width < 560 else 2 if width < 900 else 3
        if columns == self._grid_columns:
            return
        self._grid_columns = columns
        for name in self.total_names.values():
            name.setWordWrap(columns == 1)  # a narrow panel wraps long names; a wide one has room
            self.totals_grid.removeWidget(name)
        for value in self.total_values.values():
            self.totals_grid.removeWidget(value)
        for position, (key, _text) in enumerate(TOTALS):
            row, pair = divmod(position, columns)
            self.totals_grid.addWidget(self.total_names[key], row, 2 * pair)
            self.totals_grid.addWidget(self.total_values[key], row, 2 * pair + 1)
        for column in range(6):
            self.totals_grid.setColumnStretch(column, 1 if column % 2 == 1 and column < 2 * columns else 0)

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
        values["output"].setText(_output_text(inference))
        error = inference.error
        self.error_label.setText(error.message if error else "")
        self.error_label.setVisible(error is not None)
        self.forward_strip.show_inference(spec, inference)

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


def _output_text(inference: Inference) -> str:
    if inference.error is not None:
        return "— (fix the error)"
    output = inference.output
    if len(output) == 1:
        return count(output[0], "class", "classes")
    return shape_text(output)


def _demo() -> None:
    """`python -m ui.builder.summary [template]`: the panel alone, with a template switcher."""
    import sys

    from PySide6.QtWidgets import QApplication

    from workbench.model import templates
    from workbench.model.shapes import infer

    app = QApplication(sys.argv)
    window = QWidget()
    window.setWindowTitle("CNN Workbench — model summary")
    picker = QComboBox(window)
    picker.addItems(list(templates.TEMPLATES))
    picker.setCurrentText(sys.argv[1] if len(sys.argv) > 1 else templates.STARTER)
    summary = ModelSummary(window)
    clicked = QLabel("Click a layer in the strip.", window)
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
