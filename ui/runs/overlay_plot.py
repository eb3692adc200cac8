"""Several runs' curves overlaid: training loss (per batch, smoothed) and validation accuracy (per epoch),
one colour per run, with its name in each plot's legend; x by step, epoch or seconds.

Epoch and seconds positions of the batch losses are interpolated from the steps each epoch ended at
(and the seconds it took), so a curve keeps its shape whichever axis is chosen.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import QHBoxLayout, QStackedWidget, QVBoxLayout, QWidget

from ui import i18n
from ui.i18n import translate
from ui.plots.common import add_legend, placeholder, style_plot, themed_plot_widget
from ui.plots.loss_plot import ema
from workbench.runs.store import RunRecord

# Distinct on the light and the dark background (Tableau 10).
RUN_COLOURS = (
    "#4e79a7",
    "#f28e2b",
    "#59a14f",
    "#e15759",
    "#b07aa1",
    "#76b7b2",
    "#edc948",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
)
X_MODES = (  # the texts translated where shown (context "RunOverlay")
    ("step", QT_TRANSLATE_NOOP("RunOverlay", "by step")),
    ("epoch", QT_TRANSLATE_NOOP("RunOverlay", "by epoch")),
    ("seconds", QT_TRANSLATE_NOOP("RunOverlay", "by seconds")),
)
X_LABELS = {
    "step": QT_TRANSLATE_NOOP("RunOverlay", "step (batches)"),
    "epoch": QT_TRANSLATE_NOOP("RunOverlay", "epoch"),
    "seconds": QT_TRANSLATE_NOOP("RunOverlay", "seconds of training"),
}
SMOOTHING = 0.9


def run_colour(position: int) -> str:
    return RUN_COLOURS[position % len(RUN_COLOURS)]


def epoch_axis(record: RunRecord) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per epoch: the step it ended at, its number and the seconds of training until its end, each
    starting from 0 (the run's start) so batch steps can be interpolated onto them."""
    history = record.history
    last_step = record.batch_steps[-1] if record.batch_steps else 0
    per_epoch = last_step / len(history) if history and last_step else 1.0
    steps = [0.0] + [float(row["step"] or row["epoch"] * per_epoch) for row in history]
    epochs = [0.0] + [float(row["epoch"]) for row in history]
    seconds = np.cumsum([0.0] + [float(row["seconds"] or 0.0) for row in history])
    return np.asarray(steps), np.asarray(epochs), seconds


def x_of_steps(axis: tuple[np.ndarray, np.ndarray, np.ndarray], steps: np.ndarray, mode: str) -> np.ndarray:
    """Batch steps on the chosen x axis, interpolated along `axis` (`epoch_axis` of the run)."""
    at_steps, epochs, seconds = axis
    if mode == "step" or len(at_steps) < 2:
        return steps
    return np.interp(steps, at_steps, epochs if mode == "epoch" else seconds)


class RunOverlay(QWidget):
    """`show_runs([(label, RunRecord)], x_mode)`; `loss_curves`, `accuracy_curves` hold what is drawn."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("runOverlay")
        self.loss_widget = themed_plot_widget()
        self.accuracy_widget = themed_plot_widget()
        self.loss_item, self.accuracy_item = self.loss_widget.getPlotItem(), self.accuracy_widget.getPlotItem()
        self.x_mode = "step"
        style_plot(self.loss_item, None, lambda: translate("RunOverlay", "training loss (smoothed)"))
        style_plot(self.accuracy_item, None, lambda: translate("RunOverlay", "validation accuracy (%)"))
        self.loss_legend = add_legend(self.loss_item, "top-right")
        self.accuracy_legend = add_legend(self.accuracy_item, "bottom-right")
        self.loss_curves: list[pg.PlotDataItem] = []
        self.accuracy_curves: list[pg.PlotDataItem] = []
        plots = QWidget()
        row = QHBoxLayout(plots)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.loss_widget, 1)
        row.addWidget(self.accuracy_widget, 1)
        self.empty = placeholder(
            lambda: translate(
                "RunOverlay", "Select runs in the table to overlay their curves (Ctrl+click for several)."
            )
        )
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(plots)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        i18n.follow(self, RunOverlay.label_x)

    def label_x(self) -> None:
        """The x axes' label, for the x mode shown, in the window's language."""
        for item in (self.loss_item, self.accuracy_item):
            item.setLabel("bottom", translate("RunOverlay", X_LABELS[self.x_mode]), **{"font-size": "10pt"})

    def clear(self) -> None:
        for item, legend, curves in (
            (self.loss_item, self.loss_legend, self.loss_curves),
            (self.accuracy_item, self.accuracy_legend, self.accuracy_curves),
        ):
            for curve in curves:
                item.removeItem(curve)
            legend.clear()
            curves.clear()

    def show_runs(self, runs: list[tuple[str, RunRecord]], x_mode: str = "step") -> None:
        self.clear()
        self.x_mode = x_mode
        self.label_x()
        for position, (label, record) in enumerate(runs):
            colour, axis = run_colour(position), epoch_axis(record)
            self._add_loss(label, record, axis, colour, x_mode)
            self._add_accuracy(label, record, axis, colour, x_mode)
        self.stack.setCurrentIndex(1 if runs else 0)
        for item in (self.loss_item, self.accuracy_item):
            item.enableAutoRange()

    def _add_loss(self, label: str, record: RunRecord, axis, colour: str, x_mode: str) -> None:
        if record.batch_steps:
            steps = np.asarray(record.batch_steps, dtype=np.float64)
            losses, _ = ema(record.batch_losses, SMOOTHING)
        else:  # no batch losses kept: the per-epoch training loss
            rows = [row for row in record.history if row["train_loss"] is not None]
            steps = axis[0][1 : len(rows) + 1]
            losses = np.asarray([row["train_loss"] for row in rows], dtype=np.float64)
        curve = pg.PlotDataItem(x_of_steps(axis, steps, x_mode), losses, pen=pg.mkPen(colour, width=2))
        curve.setDownsampling(auto=True, method="peak")
        self.loss_item.addItem(curve)
        self.loss_legend.addItem(curve, label)
        self.loss_curves.append(curve)

    def _add_accuracy(self, label: str, record: RunRecord, axis, colour: str, x_mode: str) -> None:
        at_steps, epochs, seconds = axis
        keep = [i for i, row in enumerate(record.history) if row["val_accuracy"] is not None]
        xs = {"step": at_steps, "epoch": epochs, "seconds": seconds}[x_mode][1:][keep]
        ys = np.asarray([100 * record.history[i]["val_accuracy"] for i in keep], dtype=np.float64)
        curve = pg.PlotDataItem(
            xs, ys, pen=pg.mkPen(colour, width=2), symbol="o", symbolSize=6, symbolBrush=colour, symbolPen=None
        )
        self.accuracy_item.addItem(curve)
        self.accuracy_legend.addItem(curve, label)
        self.accuracy_curves.append(curve)
