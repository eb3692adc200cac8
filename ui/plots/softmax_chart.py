"""One bar per class: the probe sample's softmax probabilities (or raw logits)."""

from __future__ import annotations

import html
from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QLabel, QVBoxLayout, QWidget

from ui import i18n, theme
from ui.i18n import translate
from ui.plots.common import (
    Refresher,
    abbreviate,
    add_menu_actions,
    header_bar,
    rgba,
    shrinkable,
    style_plot,
    themed_plot_widget,
)
from ui.theme import Theme
from workbench.events import ProbeUpdate

CHAR_PX = 7.0  # average tick-label character width, for abbreviating class names to fit


def predicted_colour(predicted: int, true_label: int | None) -> str:
    """Green when right, orange when wrong, blue when the true class is unknown."""
    t = theme.current()
    if true_label is None:
        return t.blue
    return t.green if predicted == true_label else t.orange


class SoftmaxChart(QWidget):
    """`set_classes(names)`, `show_probe(ProbeUpdate)`, `show(probabilities, logits, true_label)`, `reset()`.
    Clicking a bar's column emits `class_clicked(index)`.
    The predicted bar is coloured (green right / orange wrong / blue no label), the true class's column is
    shaded and its bar outlined; "Show logits" switches to the raw logits."""

    class_clicked = Signal(int)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("softmaxChart")
        self._names: tuple[str, ...] = ()
        self._data: tuple[np.ndarray, np.ndarray, int | None] | None = None
        self._tick_labels: list[tuple[int, str]] = []
        self._view: tuple[float, ...] = ()
        self.refresher = Refresher(self, self._redraw)

        bar, header = header_bar()
        self.summary_label = shrinkable(QLabel())
        self.summary_label.setObjectName("softmaxSummary")
        self.logits_check = QCheckBox()
        self.logits_check.setObjectName("softmaxShowLogits")
        self.logits_check.toggled.connect(self._mode_changed)
        header.addWidget(self.summary_label, 1)
        header.addWidget(self.logits_check)
        self.plot = themed_plot_widget()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(bar)
        layout.addWidget(self.plot, 1)

        item = self.plot.plotItem
        style_plot(item, lambda: translate("SoftmaxChart", "class"), None)  # the values' label: _label_values
        item.showGrid(x=False, y=True, alpha=0.15)
        item.setMouseEnabled(x=False, y=False)  # the view always fits the bars
        item.hideButtons()
        self.true_column = pg.BarGraphItem(x=[], height=[], width=0.96, pen=None)
        self.bars = pg.BarGraphItem(x=[], height=[], width=0.7, pen=None)
        self.top_text = pg.TextItem("", anchor=(0.5, 1.0))
        for graphic in (self.true_column, self.bars, self.top_text):
            item.addItem(graphic)
        self.zero_line = item.addLine(y=0)
        add_menu_actions(item.getViewBox(), self._reset_zoom)
        item.getViewBox().sigResized.connect(self.refresher.mark)  # re-abbreviate class names to fit
        self.plot.scene().sigMouseMoved.connect(self._hover)
        self.plot.scene().sigMouseClicked.connect(self._clicked)
        self._fit_view()
        theme.follow(self, self._restyle)
        i18n.follow(self, lambda chart: chart.retranslate())

    def retranslate(self) -> None:
        """The axis, summary and accessible names in the window's language (the sample's summary too)."""
        self.setAccessibleName(translate("SoftmaxChart", "Softmax chart"))
        self.setAccessibleDescription(
            translate("SoftmaxChart", "Softmax probabilities (or logits) of the probe image, one bar per class")
        )
        self.summary_label.setToolTip(
            translate(
                "SoftmaxChart",
                "Predicted class: coloured bar (green right, orange wrong). True class: outlined bar, shaded column.",
            )
        )
        self.logits_check.setText(translate("SoftmaxChart", "Show logits"))
        self.logits_check.setToolTip(
            translate("SoftmaxChart", "Show the raw logits (before softmax) instead of probabilities")
        )
        self.plot.setAccessibleName(translate("SoftmaxChart", "One bar per class"))
        self.plot.setToolTip("")  # the next hover writes it again
        self._label_values()
        if self._data is None:
            self.summary_label.setText(translate("SoftmaxChart", "no probe yet"))
        else:
            self._summarise()

    def _label_values(self) -> None:
        if self.logits_check.isChecked():
            self.plot.plotItem.setLabel("left", translate("SoftmaxChart", "logit"))
        else:
            self.plot.plotItem.setLabel("left", translate("SoftmaxChart", "probability"))

    def _restyle(self, t: Theme) -> None:
        self.true_column.setOpts(brush=rgba(t.plot_text, 34))
        self.bars.setOpts(brush=t.neutral_bar)
        self.top_text.setColor(t.plot_text)
        self.zero_line.setPen(pg.mkPen(rgba(t.plot_text, 120)))
        if self._data is not None:
            self.refresher.mark()  # the bars' and the summary's colours

    # ----- data ---------------------------------------------------------------------------------------------

    def set_classes(self, names: Sequence[str]) -> None:
        self._names = tuple(str(n) for n in names)
        self.refresher.mark()

    def show_probe(self, event: ProbeUpdate) -> None:
        self.show(event.probabilities, event.logits, event.label)

    def show(self, probabilities=None, logits=None, true_label: int | None = None) -> None:  # type: ignore[override]
        """Draw one sample's probabilities and logits (same length); `true_label` None = unknown.
        With no arguments this is QWidget.show(), so the widget still shows like any other."""
        if probabilities is None:
            super().show()
            return
        probabilities = np.asarray(probabilities, dtype=np.float64).ravel()
        logits = np.asarray(logits, dtype=np.float64).ravel()
        if logits.shape != probabilities.shape:
            raise ValueError(f"{len(probabilities)} probabilities but {len(logits)} logits")
        self._data = (probabilities, logits, None if true_label is None else int(true_label))
        self.refresher.mark()

    def reset(self) -> None:
        self.refresher.cancel()
        self._data = None
        self.bars.setOpts(x=[], height=[], brushes=None, pens=None)
        self.true_column.setOpts(x=[], height=[])
        self.top_text.setText("")
        self.summary_label.setText(translate("SoftmaxChart", "no probe yet"))
        self._fit_view()

    def class_name(self, index: int) -> str:
        count = 0 if self._data is None else len(self._data[0])
        return self._names[index] if len(self._names) == count else str(index)

    # ----- drawing ------------------------------------------------------------------------------------------

    def _mode_changed(self) -> None:
        self._label_values()
        self._fit_view()
        self.refresher.mark()

    def _range(self) -> tuple[float, float]:
        if not self.logits_check.isChecked() or self._data is None:
            return -0.04, 1.12
        logits = self._data[1]
        low, high = min(0.0, float(logits.min(initial=0))), max(0.0, float(logits.max(initial=0)))
        span = (high - low) or 1.0
        return low - 0.06 * span, high + 0.14 * span

    def _reset_zoom(self) -> None:
        self._view = ()
        self._fit_view()

    def _fit_view(self) -> None:
        count = 10 if self._data is None else len(self._data[0])
        item = self.plot.plotItem
        view = (-0.6, count - 0.4, *self._range())
        if view != self._view:  # unchanged (probabilities): leave the axes alone
            self._view = view
            item.setXRange(view[0], view[1], padding=0)
            item.setYRange(view[2], view[3], padding=0)

    def _redraw(self) -> None:
        if self._data is None:
            return
        probabilities, logits, true_label = self._data
        logit_mode = self.logits_check.isChecked()
        values = logits if logit_mode else probabilities
        count = len(values)
        predicted = int(np.argmax(probabilities))
        t = theme.current()
        brushes = [pg.mkBrush(t.neutral_bar) for _ in range(count)]
        brushes[predicted] = pg.mkBrush(predicted_colour(predicted, true_label))
        pens = [pg.mkPen(None) for _ in range(count)]
        known = true_label is not None and 0 <= true_label < count
        if known:
            pens[true_label] = pg.mkPen(t.plot_text, width=2)
        self.bars.setOpts(x=np.arange(count), height=values, brushes=brushes, pens=pens)
        low, high = self._range()
        self.true_column.setOpts(x=[true_label] if known else [], y0=low, height=[high - low] if known else [])
        top = float(values[predicted])
        self.top_text.setText(f"{top:.3g}" if logit_mode else f"{100 * top:.1f}%")
        self.top_text.setPos(predicted, max(top, 0.0))
        self._set_ticks(count)
        self._fit_view()
        self._summarise()

    def _summarise(self) -> None:
        """ "predicted <name> 97.1% · true <name>" over the chart."""
        probabilities, _logits, true_label = self._data
        predicted = int(np.argmax(probabilities))
        values = {
            "name": html.escape(self.class_name(predicted)),
            "colour": predicted_colour(predicted, true_label),
            "percent": f"{100 * probabilities[predicted]:.1f}",
        }
        if true_label is None:
            text = translate("SoftmaxChart", "predicted <b style='color:{colour}'>{name}</b> {percent}%")
        else:
            values["true"] = html.escape(self.class_name(true_label))
            text = translate(
                "SoftmaxChart", "predicted <b style='color:{colour}'>{name}</b> {percent}% · true <b>{true}</b>"
            )
        self.summary_label.setText(text.format(**values))

    def _set_ticks(self, count: int) -> None:
        width = self.plot.plotItem.getViewBox().width() or 300.0
        chars = int((width / max(1, count) - 6) / CHAR_PX)
        if chars < 3:  # too narrow for names: class numbers (hover a bar for its name)
            labels = [(i, str(i)) for i in range(count)]
        else:
            labels = [(i, abbreviate(self.class_name(i), chars)) for i in range(count)]
        if labels != self._tick_labels:  # setting them again would re-lay out and repaint the axis
            self._tick_labels = labels
            self.plot.plotItem.getAxis("bottom").setTicks([labels])

    def class_at(self, scene_pos) -> int | None:
        """The class whose column is under `scene_pos`, if any."""
        if self._data is None:
            return None
        index = round(self.plot.plotItem.getViewBox().mapSceneToView(scene_pos).x())
        return index if 0 <= index < len(self._data[0]) else None

    def _clicked(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton and (index := self.class_at(event.scenePos())) is not None:
            self.class_clicked.emit(index)

    def _hover(self, scene_pos) -> None:
        if self._data is None:
            return
        view = self.plot.plotItem.getViewBox()
        index = round(view.mapSceneToView(scene_pos).x())
        probabilities, logits, _ = self._data
        if 0 <= index < len(probabilities):
            tip = translate("SoftmaxChart", "{name}: p = {probability} · logit = {logit}")
            name = self.class_name(index)
            self.plot.setToolTip(
                tip.format(name=name, probability=f"{probabilities[index]:.4f}", logit=f"{logits[index]:.3f}")
            )


if __name__ == "__main__":
    from ui.plots.common import demo_app, run_demo

    app = demo_app()
    chart = SoftmaxChart()
    names = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
    chart.set_classes(names)
    rng = np.random.default_rng(0)
    logits = rng.standard_normal(10)

    def feed(tick: int) -> None:
        logits[:] += 0.15 * rng.standard_normal(10)
        logits[7] += 0.08
        probabilities = np.exp(logits - logits.max())
        chart.show(probabilities / probabilities.sum(), logits, 7)
        if tick == 60:
            chart.logits_check.setChecked(True)

    run_demo(chart, feed, interval_ms=100)
