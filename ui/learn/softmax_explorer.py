"""Softmax and cross-entropy: edit the logits, pick the true class and a temperature, and watch the
probabilities and the loss; below, why the app exports logits rather than probabilities, and what a model's
"97% confident" means (`help/learn/softmax.md`), with a way to the Train tab's Calibration panel."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ui import theme
from ui.plots.common import style_plot, themed_plot_widget
from ui.widgets import set_names
from workbench.explore.functions import explain_softmax, why_logits
from workbench.model import helptext

START_LOGITS = (2.0, 1.0, 0.1, -1.0, 0.5, -0.3, 1.5, -2.0, 0.0, 0.8)
MAX_CLASSES, TEMPERATURE_STEPS = 10, 100  # the slider maps 0..100 to T = 0.1..10 on a log scale
CONFIDENCE = helptext.load("learn", "softmax.md")


class SoftmaxExplorer(QWidget):
    calibration_requested = Signal()  # "Show my model's calibration": the Train tab's Calibration panel

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        set_names(self, "softmaxExplorer", "Edit logits and see softmax probabilities and the cross-entropy loss")
        self.result = None
        self.logit_spins = [self._logit_spin(value) for value in START_LOGITS]
        self._make_controls()
        self._make_plot()
        self._layout()
        self.set_class_count(5)

    def _logit_spin(self, value: float) -> QDoubleSpinBox:
        spin = QDoubleSpinBox()
        spin.setRange(-20.0, 20.0)
        spin.setSingleStep(0.1)
        spin.setDecimals(2)
        spin.setValue(value)
        spin.valueChanged.connect(self.refresh)
        return spin

    def _make_controls(self) -> None:
        self.class_count = QSpinBox()
        self.class_count.setRange(2, MAX_CLASSES)
        self.class_count.setAccessibleName("number of classes")
        self.class_count.valueChanged.connect(self.set_class_count)
        self.true_class = QComboBox()
        self.true_class.setAccessibleName("true class")
        self.true_class.currentIndexChanged.connect(self.refresh)
        self.temperature = QSlider(Qt.Orientation.Horizontal)
        self.temperature.setRange(0, TEMPERATURE_STEPS)
        self.temperature.setValue(TEMPERATURE_STEPS // 2)  # T = 1
        self.temperature.setAccessibleName("temperature")
        self.temperature.setToolTip("Divide the logits by T: below 1 sharpens, above 1 flattens the probabilities")
        self.temperature.valueChanged.connect(self.refresh)
        self.temperature_label = QLabel()
        self.temperature_label.setMinimumWidth(60)

    def _make_plot(self) -> None:
        self.plot = themed_plot_widget()
        item = self.plot.getPlotItem()
        style_plot(item, "class", "probability", grid=False)
        item.setYRange(0, 1.08, padding=0)
        item.setMouseEnabled(x=False, y=False)
        item.hideButtons()
        self.bars = pg.BarGraphItem(x=[], height=[], width=0.7)
        item.addItem(self.bars)
        self.bar_labels: list[pg.TextItem] = []
        theme.follow(self, self._restyle)

    def _layout(self) -> None:
        logits = QGroupBox("Logits z (the last Linear layer's outputs)")
        self.logit_form = QFormLayout(logits)
        for index, spin in enumerate(self.logit_spins):
            self.logit_form.addRow(f"class {index}", spin)
        settings = QFormLayout()
        settings.addRow("Classes", self.class_count)
        settings.addRow("True class", self.true_class)
        temperature = QHBoxLayout()
        temperature.addWidget(self.temperature, 1)
        temperature.addWidget(self.temperature_label)
        settings.addRow("Temperature T", temperature)
        side = QVBoxLayout()
        side.addLayout(settings)
        side.addWidget(logits)
        side.addStretch(1)
        self.loss_label = QLabel()
        self.loss_label.setObjectName("lossLabel")
        self.loss_label.setWordWrap(True)
        self.loss_label.setStyleSheet("font-size: 11pt;")
        self.why = QLabel()
        self.why.setObjectName("whyLogits")
        self.why.setWordWrap(True)
        self.why.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        why_box = QGroupBox("Why the app exports logits, not probabilities")
        QVBoxLayout(why_box).addWidget(self.why)
        notes = QHBoxLayout()
        notes.addWidget(why_box, 1)
        notes.addWidget(self._confidence_box(), 1)
        main = QVBoxLayout()
        main.addWidget(self.plot, 1)
        main.addWidget(self.loss_label)
        main.addLayout(notes)
        layout = QHBoxLayout(self)
        side_widget = QWidget()
        side_widget.setLayout(side)
        side_widget.setMaximumWidth(280)
        layout.addWidget(side_widget)
        layout.addLayout(main, 1)

    def _confidence_box(self) -> QGroupBox:
        """What "97% confident" means when a model is over- or under-confident, and a way to see one's own."""
        box = QGroupBox("What “97% confident” means")
        self.confidence_text = QLabel(CONFIDENCE.intro)
        self.confidence_text.setObjectName("confidenceText")
        self.confidence_text.setWordWrap(True)
        self.confidence_text.setTextFormat(Qt.TextFormat.PlainText)
        self.calibration_button = QPushButton("Show my model's calibration (Train tab)")
        set_names(self.calibration_button, "showCalibrationButton", "Open the Train tab's Calibration panel")
        self.calibration_button.setToolTip(
            "The reliability diagram and expected calibration error of the model at hand, and Calibrate"
        )
        self.calibration_button.clicked.connect(self.calibration_requested)
        column = QVBoxLayout(box)
        column.addWidget(self.confidence_text)
        column.addWidget(self.calibration_button, 0, Qt.AlignmentFlag.AlignLeft)
        column.addStretch(1)
        return box

    # ----- state -----------------------------------------------------------------------------------------

    def logits(self) -> np.ndarray:
        return np.array([spin.value() for spin in self.logit_spins[: self.class_count.value()]])

    def temperature_value(self) -> float:
        return 10 ** (2 * self.temperature.value() / TEMPERATURE_STEPS - 1)

    def set_class_count(self, count: int) -> None:
        self.class_count.blockSignals(True)
        self.class_count.setValue(count)
        self.class_count.blockSignals(False)
        for index in range(len(self.logit_spins)):
            self.logit_form.setRowVisible(index, index < count)
        chosen = self.true_class.currentIndex()
        self.true_class.blockSignals(True)
        self.true_class.clear()
        self.true_class.addItems([f"class {index}" for index in range(count)])
        self.true_class.setCurrentIndex(chosen if 0 <= chosen < count else 0)
        self.true_class.blockSignals(False)
        self.refresh()

    def refresh(self) -> None:
        temperature = self.temperature_value()
        self.temperature_label.setText(f"{temperature:.2f}")
        self.result = explain_softmax(self.logits(), temperature, max(0, self.true_class.currentIndex()))
        self._draw_bars()
        total = float(self.result.probabilities.sum())
        self.loss_label.setText(
            f"p = softmax(z / T) = exp(z / T) / Σ exp(z / T);   Σ p = {total:.4f}\n"
            f"Cross-entropy {self.result.loss_text}"
        )
        self.why.setText(why_logits(self.logits()))

    def _restyle(self, _theme) -> None:
        """The bars and their numbers are drawn in theme colours."""
        if self.result is not None:
            self._draw_bars()

    def _draw_bars(self) -> None:
        probabilities, true = self.result.probabilities, self.result.true_class
        xs = np.arange(len(probabilities))
        t = theme.current()
        brushes = [pg.mkBrush(t.green if index == true else t.blue) for index in xs]
        self.bars.setOpts(x=xs, height=probabilities, brushes=brushes)
        item = self.plot.getPlotItem()
        for label in self.bar_labels:
            item.removeItem(label)
        self.bar_labels = []
        for index, probability in enumerate(probabilities):
            label = pg.TextItem(f"{probability:.3f}", color=t.plot_text, anchor=(0.5, 1))
            label.setPos(index, probability + 0.01)
            item.addItem(label)
            self.bar_labels.append(label)
        item.setXRange(-0.6, len(probabilities) - 0.4, padding=0)
        item.getAxis("bottom").setTicks([[(i, str(i) + (" ✓" if i == true else "")) for i in xs]])


if __name__ == "__main__":
    from ui.plots.common import demo_app

    app = demo_app()
    panel = SoftmaxExplorer()
    panel.resize(1000, 620)
    panel.show()
    app.exec()
