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

from ui import i18n, theme
from ui.i18n import translate
from ui.learn import learn_texts
from ui.plots.common import style_plot, themed_plot_widget
from ui.widgets import set_names
from workbench.explore.functions import explain_softmax

START_LOGITS = (2.0, 1.0, 0.1, -1.0, 0.5, -0.3, 1.5, -2.0, 0.0, 0.8)
MAX_CLASSES, TEMPERATURE_STEPS = 10, 100  # the slider maps 0..100 to T = 0.1..10 on a log scale


class SoftmaxExplorer(QWidget):
    calibration_requested = Signal()  # "Show my model's calibration": the Train tab's Calibration panel

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        set_names(
            self,
            "softmaxExplorer",
            lambda: translate(
                "SoftmaxExplorer", "Edit logits and see softmax probabilities and the cross-entropy loss"
            ),
        )
        self.result = None
        self.logit_spins = [self._logit_spin(value) for value in START_LOGITS]
        self._make_controls()
        self._make_plot()
        self._layout()
        self.set_class_count(5)
        i18n.follow(self, lambda explorer: explorer.retranslate())

    def retranslate(self) -> None:
        """The texts computed from the logits, the classes' names and the help, in the window's language."""
        for index, spin in enumerate(self.logit_spins):
            self.logit_form.labelForField(spin).setText(class_name(index))
        for index in range(self.true_class.count()):
            self.true_class.setItemText(index, class_name(index))
        self.confidence_text.setText(learn_texts.help_doc("softmax.md").intro)
        self.refresh()

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
        i18n.keep(self.class_count, "setAccessibleName", lambda: translate("SoftmaxExplorer", "number of classes"))
        self.class_count.valueChanged.connect(self.set_class_count)
        self.true_class = QComboBox()
        i18n.keep(self.true_class, "setAccessibleName", lambda: translate("SoftmaxExplorer", "true class"))
        self.true_class.currentIndexChanged.connect(self.refresh)
        self.temperature = QSlider(Qt.Orientation.Horizontal)
        self.temperature.setRange(0, TEMPERATURE_STEPS)
        self.temperature.setValue(TEMPERATURE_STEPS // 2)  # T = 1
        i18n.keep(self.temperature, "setAccessibleName", lambda: translate("SoftmaxExplorer", "temperature"))
        i18n.keep(
            self.temperature,
            "setToolTip",
            lambda: translate(
                "SoftmaxExplorer", "Divide the logits by T: below 1 sharpens, above 1 flattens the probabilities"
            ),
        )
        self.temperature.valueChanged.connect(self.refresh)
        self.temperature_label = QLabel()
        self.temperature_label.setMinimumWidth(60)

    def _make_plot(self) -> None:
        self.plot = themed_plot_widget()
        item = self.plot.getPlotItem()
        style_plot(
            item,
            lambda: translate("SoftmaxExplorer", "class"),
            lambda: translate("SoftmaxExplorer", "probability"),
            grid=False,
        )
        item.setYRange(0, 1.08, padding=0)
        item.setMouseEnabled(x=False, y=False)
        item.hideButtons()
        self.bars = pg.BarGraphItem(x=[], height=[], width=0.7)
        item.addItem(self.bars)
        self.bar_labels: list[pg.TextItem] = []
        theme.follow(self, self._restyle)

    def _layout(self) -> None:
        logits = i18n.keep(
            QGroupBox(),
            "setTitle",
            lambda: translate("SoftmaxExplorer", "Logits z (the outputs of the last Linear layer)"),
        )
        self.logit_form = QFormLayout(logits)
        for index, spin in enumerate(self.logit_spins):
            self.logit_form.addRow(class_name(index), spin)
        side = QVBoxLayout()
        side.addLayout(self._settings_form())
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
        why_box = i18n.keep(
            QGroupBox(),
            "setTitle",
            lambda: translate("SoftmaxExplorer", "Why the app exports logits, not probabilities"),
        )
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

    def _settings_form(self) -> QFormLayout:
        """Classes, true class and temperature, each with its label in the language of the moment."""
        settings = QFormLayout()
        settings.addRow(
            i18n.keep(QLabel(), "setText", lambda: translate("SoftmaxExplorer", "Classes")), self.class_count
        )
        settings.addRow(
            i18n.keep(QLabel(), "setText", lambda: translate("SoftmaxExplorer", "True class")), self.true_class
        )
        temperature = QHBoxLayout()
        temperature.addWidget(self.temperature, 1)
        temperature.addWidget(self.temperature_label)
        settings.addRow(
            i18n.keep(QLabel(), "setText", lambda: translate("SoftmaxExplorer", "Temperature T")), temperature
        )
        return settings

    def _confidence_box(self) -> QGroupBox:
        """What "97% confident" means when a model is over- or under-confident, and a way to see one's own."""
        box = i18n.keep(QGroupBox(), "setTitle", lambda: translate("SoftmaxExplorer", "What “97% confident” means"))
        self.confidence_text = QLabel()
        self.confidence_text.setObjectName("confidenceText")
        self.confidence_text.setWordWrap(True)
        self.confidence_text.setTextFormat(Qt.TextFormat.PlainText)
        self.calibration_button = i18n.keep(
            QPushButton(), "setText", lambda: translate("SoftmaxExplorer", "Show my model's calibration (Train tab)")
        )
        set_names(
            self.calibration_button,
            "showCalibrationButton",
            lambda: translate("SoftmaxExplorer", "Open the Train tab's Calibration panel"),
        )
        i18n.keep(
            self.calibration_button,
            "setToolTip",
            lambda: translate(
                "SoftmaxExplorer",
                "The reliability diagram and expected calibration error of the model at hand, and Calibrate",
            ),
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
        self.true_class.addItems([class_name(index) for index in range(count)])
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
            f"p = softmax(z / T) = exp(z / T) / Σ exp(z / T);   Σ p = {total:.4f}\n{loss_text(self.result)}"
        )
        self.why.setText(learn_texts.why_logits(self.logits()))

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


def class_name(index: int) -> str:
    return translate("SoftmaxExplorer", "class {number}").format(number=index)


def loss_text(result) -> str:
    """The cross-entropy loss worked out (`SoftmaxExplanation.loss_text`), in the window's language."""
    true = result.true_class
    text = translate(
        "SoftmaxExplorer",
        "Cross-entropy loss = logsumexp(z / T) − z[{true}] / T = {logsumexp} − {scaled} = {loss}   "
        "(= −log p[{true}] = −log {probability})",
    )
    return text.format(
        true=true,
        logsumexp=_signed(result.logsumexp),
        scaled=_signed(result.logits[true] / result.temperature),
        loss=_signed(result.loss),
        probability=f"{result.probabilities[true]:.4f}",
    )


def _signed(value: float) -> str:
    return f"{value:.2f}".replace("-", "−")


if __name__ == "__main__":
    from ui.plots.common import demo_app

    app = demo_app()
    panel = SoftmaxExplorer()
    panel.resize(1000, 620)
    panel.show()
    app.exec()
