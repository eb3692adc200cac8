"""The depth lesson's two plots: each network's training loss per step (with the loss of guessing marked), and
each weight layer's gradient norm at one measurement on a log scale, a slider choosing the measurement."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSlider, QVBoxLayout, QWidget

from ui import i18n, theme
from ui.i18n import translate
from ui.learn import learn_texts
from ui.plots.common import add_legend, header_bar, shrinkable, style_plot, themed_plot_widget
from ui.theme import Theme
from ui.widgets import set_names
from workbench.explore.depth import GUESSING_LOSS, PLAIN, RESIDUAL_NAME, DepthResult


class DepthPlots(QWidget):
    """`show_result(result)` draws both plots; `show_record(index)` the gradient norms of one measurement."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        set_names(
            self,
            "depthPlots",
            lambda: translate(
                "DepthPlots", "Loss curves and per-layer gradient norms of the plain and the residual network"
            ),
        )
        self.result: DepthResult | None = None
        self._make_loss_plot()
        self._make_gradient_plot()
        theme.follow(self, self._restyle)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(
            self._titled(
                self.loss_plot,
                i18n.keep(QLabel(), "setText", lambda: translate("DepthPlots", "Training loss of each step")),
            ),
            1,
        )
        row.addWidget(self._gradient_panel(), 1)
        i18n.follow(self, lambda plots: plots.retranslate())

    def retranslate(self) -> None:
        """The legends, the guessing line and the measurement's caption in the window's language."""
        for legend in (self.loss_legend, self.gradient_legend):
            for (_sample, label), name in zip(legend.items, (PLAIN, RESIDUAL_NAME), strict=False):
                label.setText(learn_texts.name(name))
        self.guess_line.label.setFormat(
            translate("DepthPlots", "guessing: ln 10 = {loss}").format(loss=f"{GUESSING_LOSS:.2f}")
        )
        self.show_record(self.record_slider.value())

    def _make_loss_plot(self) -> None:
        self.loss_plot = themed_plot_widget()
        set_names(
            self.loss_plot, "depthLossPlot", lambda: translate("DepthPlots", "Training loss per step of both networks")
        )
        item = self.loss_plot.getPlotItem()
        style_plot(
            item,
            lambda: translate("DepthPlots", "step"),
            lambda: translate("DepthPlots", "training loss (cross-entropy)"),
        )
        self.loss_legend = add_legend(
            item, "bottom-left"
        )  # where the residual curve starts high and the plain one stays
        self.loss_curves = {name: item.plot(name=name) for name in (PLAIN, RESIDUAL_NAME)}
        self.guess_line = pg.InfiniteLine(
            pos=GUESSING_LOSS,
            angle=0,
            movable=False,
            label="guessing: ln 10 = 2.30",
            labelOpts={"position": 0.98, "anchors": [(1, 0), (1, 0)]},  # below the line, at its right end
        )
        item.addItem(self.guess_line, ignoreBounds=False)

    def _make_gradient_plot(self) -> None:
        self.gradient_plot = themed_plot_widget()
        set_names(
            self.gradient_plot,
            "depthGradientPlot",
            lambda: translate("DepthPlots", "Gradient norm of each weight layer, log scale"),
        )
        item = self.gradient_plot.getPlotItem()
        style_plot(
            item,
            lambda: translate("DepthPlots", "weight layer (1 = first, 20 = Linear)"),
            lambda: translate("DepthPlots", "gradient norm ‖∂L/∂W‖ (log scale)"),
        )
        item.setLogMode(x=False, y=True)
        self.gradient_legend = add_legend(item, "bottom-right")
        self.gradient_curves = {name: item.plot(name=name, connect="finite") for name in (PLAIN, RESIDUAL_NAME)}
        self.record_slider = QSlider(Qt.Orientation.Horizontal)
        set_names(
            self.record_slider,
            "depthRecordSlider",
            lambda: translate("DepthPlots", "Which gradient-norm measurement to show"),
        )
        self.record_slider.setMaximumWidth(220)
        self.record_slider.valueChanged.connect(self.show_record)
        self.record_label = shrinkable(QLabel(""))
        self.record_label.setObjectName("depthRecordLabel")

    def _gradient_panel(self) -> QWidget:
        bar, row = header_bar()
        row.addWidget(self.record_label, 1)
        row.addWidget(self.record_slider)
        return self._titled(self.gradient_plot, bar)

    @staticmethod
    def _titled(plot: QWidget, title: QWidget) -> QWidget:
        if isinstance(title, QLabel):
            bar, row = header_bar()
            row.addWidget(title, 1)
            title = bar
        panel = QWidget()
        column = QVBoxLayout(panel)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(title)
        column.addWidget(plot, 1)
        return panel

    def _restyle(self, t: Theme) -> None:
        colours = {PLAIN: t.orange, RESIDUAL_NAME: t.blue}
        for name, colour in colours.items():
            self.loss_curves[name].setPen(pg.mkPen(colour, width=1.5))
            self.gradient_curves[name].setPen(pg.mkPen(colour, width=2))
            self.gradient_curves[name].setSymbol("o")
            self.gradient_curves[name].setSymbolSize(6)
            self.gradient_curves[name].setSymbolBrush(pg.mkBrush(colour))
            self.gradient_curves[name].setSymbolPen(pg.mkPen(colour))
        self.guess_line.setPen(pg.mkPen(t.plot_muted, width=1, style=Qt.PenStyle.DashLine))
        self.guess_line.label.setColor(t.plot_muted)

    def show_result(self, result: DepthResult) -> None:
        self.result = result
        for run in (result.plain, result.residual):
            self.loss_curves[run.name].setData(np.arange(1, len(run.losses) + 1), run.losses)
        self.loss_plot.getPlotItem().enableAutoRange()
        count = len(result.layer_names)
        self.gradient_plot.getPlotItem().getAxis("bottom").setTicks([[(i, str(i)) for i in range(1, count + 1)]])
        last = len(result.record_steps) - 1
        self.record_slider.setRange(0, last)
        if self.record_slider.value() == last:
            self.show_record(last)
        else:
            self.record_slider.setValue(last)  # shows it

    def show_record(self, index: int) -> None:
        """The gradient norms measured before step `record_steps[index]` (after the last step, for the last)."""
        result = self.result
        if result is None or not 0 <= index < len(result.record_steps):
            return
        layers = np.arange(1, len(result.layer_names) + 1)
        for run in (result.plain, result.residual):
            norms = run.grad_norms[index]
            self.gradient_curves[run.name].setData(layers, np.where(norms > 0, norms, np.nan))  # log(0) is -inf
        step = int(result.record_steps[index])
        if step == 0:
            text = translate(
                "DepthPlots",
                "Gradient norm of each weight layer, untrained (step 0) (the slider picks the measurement)",
            )
        else:
            text = translate(
                "DepthPlots",
                "Gradient norm of each weight layer, after {steps} steps (the slider picks the measurement)",
            )
        self.record_label.setText(text.format(steps=step))
        item = self.gradient_plot.getPlotItem()
        item.setXRange(0.5, len(layers) + 0.5, padding=0)
        item.enableAutoRange(axis="y")
