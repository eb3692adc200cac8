"""Activation functions: the curve and its slope (by autograd), a cursor that reads both off, and
what each function is good and bad at."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSlider, QVBoxLayout, QWidget

from ui import i18n, theme
from ui.i18n import translate
from ui.learn import learn_texts
from ui.plots.common import add_legend, header_bar, style_plot, themed_plot_widget
from ui.theme import Theme
from ui.widgets import set_names
from workbench.explore.functions import ACTIVATIONS, activation_curve, cursor_text
from workbench.model.edits import settings_text
from workbench.model.spec import LayerSpec

X_RANGE, SAMPLES, SLIDER_STEPS = 6.0, 601, 1200  # x from −6 to 6; the slider moves in steps of 0.01


class ActivationPlot(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        set_names(
            self,
            "activationPlot",
            lambda: translate("ActivationPlot", "Activation functions and their derivatives, with a cursor"),
        )
        self.layer = LayerSpec("ReLU")
        self.xs = np.linspace(-X_RANGE, X_RANGE, SAMPLES)
        self._make_widgets()
        self._layout()
        self.set_layer(self.layer)
        i18n.follow(self, lambda plot: plot.retranslate())

    def _make_widgets(self) -> None:
        self.function = QComboBox()
        self.function.addItems(list(ACTIVATIONS))
        i18n.keep(self.function, "setAccessibleName", lambda: translate("ActivationPlot", "activation function"))
        self.function.currentTextChanged.connect(self._on_function_changed)
        self.plot = themed_plot_widget()
        item = self.plot.getPlotItem()
        style_plot(
            item,
            lambda: translate("ActivationPlot", "x (the layer's input)"),
            lambda: translate("ActivationPlot", "output"),
        )
        self.legend = add_legend(item, "top-left")
        self.curve = item.plot(name="f(x)")
        self.slope = item.plot(name="f′(x) (autograd)")
        self.cursor = pg.InfiniteLine(angle=90)
        self.dots = pg.ScatterPlotItem(size=9, pen=None)
        item.addItem(self.cursor, ignoreBounds=True)
        item.addItem(self.dots, ignoreBounds=True)
        item.setXRange(-X_RANGE, X_RANGE, padding=0.02)
        self.plot.scene().sigMouseMoved.connect(self._on_scene_mouse_moved)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        i18n.keep(self.slider, "setAccessibleName", lambda: translate("ActivationPlot", "cursor x"))
        self.slider.setRange(0, SLIDER_STEPS)
        self.slider.setValue(SLIDER_STEPS // 2 + SLIDER_STEPS // 12)  # x = 1
        i18n.keep(
            self.slider,
            "setToolTip",
            lambda: translate("ActivationPlot", "Move the cursor (or move the mouse over the plot)"),
        )
        self.slider.valueChanged.connect(self._on_slider_value_changed)
        self.readout = QLabel()
        self.readout.setObjectName("cursorLabel")
        self.readout.setStyleSheet("font-family: monospace; font-size: 11pt;")
        self.notes = QLabel()
        self.notes.setObjectName("activationNotes")
        self.notes.setWordWrap(True)
        self.notes.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.notes.setTextFormat(Qt.TextFormat.RichText)
        theme.follow(self, self._restyle)

    def retranslate(self) -> None:
        """The legend and the notes (help/learn/activations.md) in the window's language."""
        names = ("f(x)", translate("ActivationPlot", "f′(x) (autograd)"))
        for (_sample, label), text in zip(self.legend.items, names, strict=False):
            label.setText(text)
        self._show_notes(self.layer.type)

    def _restyle(self, t: Theme) -> None:
        self.curve.setPen(pg.mkPen(t.blue, width=2.5))
        self.slope.setPen(pg.mkPen(t.orange, width=2, style=Qt.PenStyle.DashLine))
        self.cursor.setPen(pg.mkPen(t.plot_text, width=1))
        if self.notes.text():  # the notes' muted paragraph and the cursor's dots, in the new colours
            self._show_notes(self.layer.type)
            self.set_cursor(self.cursor_x())

    def _layout(self) -> None:
        bar, bar_layout = header_bar()
        caption = i18n.keep(QLabel(), "setText", lambda: translate("ActivationPlot", "Function"))
        bar_layout.addWidget(caption)
        bar_layout.addWidget(self.function)
        self.title = QLabel()
        bar_layout.addWidget(self.title, 1)
        left = QVBoxLayout()
        left.setSpacing(4)
        left.addWidget(bar)
        left.addWidget(self.plot, 1)
        left.addWidget(self.slider)
        left.addWidget(self.readout)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 3)
        self.notes.setMinimumWidth(240)
        self.notes.setMaximumWidth(380)
        layout.addWidget(self.notes, 1)

    # ----- state -----------------------------------------------------------------------------------------

    def set_layer(self, layer: LayerSpec) -> None:
        """Plot this activation with the layer's own parameters (e.g. a LeakyReLU's negative_slope)."""
        self.layer = layer
        self.function.blockSignals(True)
        self.function.setCurrentText(layer.type)
        self.function.blockSignals(False)
        self.values, self.slopes = activation_curve(layer, self.xs)
        self.curve.setData(self.xs, self.values)
        self.slope.setData(self.xs, self.slopes)
        settings = settings_text(layer)
        self.title.setText(f"{layer.type}({settings})" if settings else f"{layer.type}()")
        self._show_notes(layer.type)
        self.set_cursor(self.cursor_x())

    def _show_notes(self, name: str) -> None:
        slope_note, notes = learn_texts.activation_notes()
        note = notes[name]
        output_range = translate("ActivationPlot", "output range {range}").format(range=note.output_range)
        good, bad = translate("ActivationPlot", "Good:"), translate("ActivationPlot", "Bad:")
        centred = translate("ActivationPlot", "Zero-centred?")
        self.notes.setText(
            f"<h3>{name}</h3><p><b>f(x) = {note.formula}</b><br>{output_range}</p>"
            f"<p><b>{good}</b> {note.good}</p><p><b>{bad}</b> {note.bad}</p>"
            f"<p><b>{centred}</b> {note.zero_centred}</p>"
            f"<p style='color: {theme.current().muted}'>{slope_note}</p>"
        )

    def cursor_x(self) -> float:
        return -X_RANGE + 2 * X_RANGE * self.slider.value() / SLIDER_STEPS

    def set_cursor(self, x: float) -> None:
        """Move the cursor to x (rounded to the slider's 0.01 steps) and read the function off there."""
        step = round((min(max(x, -X_RANGE), X_RANGE) + X_RANGE) / (2 * X_RANGE) * SLIDER_STEPS)
        if step != self.slider.value():
            self.slider.setValue(step)  # calls back here through the slot
            return
        x = self.cursor_x()
        (y,), (dy,) = activation_curve(self.layer, np.array([x]))
        self.cursor.setValue(x)
        t = theme.current()
        self.dots.setData([x, x], [y, dy], brush=[pg.mkBrush(t.blue), pg.mkBrush(t.orange)])
        self.readout.setText(cursor_text(x, float(y), float(dy)))

    # ----- slots -------------------------------------------------------------------------------------------

    def _on_function_changed(self, name: str) -> None:
        self.set_layer(LayerSpec(name))

    def _on_slider_value_changed(self, _value: int) -> None:
        self.set_cursor(self.cursor_x())

    def _on_scene_mouse_moved(self, position: QPointF) -> None:
        view = self.plot.getPlotItem().vb
        if self.plot.sceneBoundingRect().contains(position):
            self.set_cursor(view.mapSceneToView(position).x())


if __name__ == "__main__":
    from ui.plots.common import demo_app

    app = demo_app()
    panel = ActivationPlot()
    panel.resize(1000, 560)
    panel.show()
    app.exec()
