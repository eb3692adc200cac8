"""Accuracy (running train accuracy per report, per-epoch train/val) and the learning rate, over steps."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from ui.i18n import translate
from ui.plots.common import add_legend, rgba
from ui.plots.live_plot import GrowingArray, LivePlot, rewind
from workbench.events import BatchEnded, EpochEnded, ValidationChecked


class AccuracyPlot(LivePlot):
    """`add_batch(BatchEnded)` adds the running train accuracy of the epoch so far (one point per event);
    `add_epoch(EpochEnded, step)` adds the epoch's train and validation accuracy at the step it ended;
    `reset()`. Accuracies arrive as fractions and are drawn in %; the y axis shows 0–100 until zoomed."""

    def __init__(self, parent=None) -> None:
        super().__init__(
            "accuracyPlot",
            lambda: translate(
                "AccuracyPlot", "Running training accuracy and per-epoch training and validation accuracy, in percent"
            ),
            lambda: translate("AccuracyPlot", "step (batches)"),
            lambda: translate("AccuracyPlot", "accuracy (%)"),
            parent,
        )
        self._steps = GrowingArray()
        self._running = GrowingArray()
        self._epoch_steps: list[float] = []
        self._epoch_train: list[float] = []
        self._val_steps: list[float] = []
        self._val: list[float] = []
        self.legend = add_legend(self.plotItem, "bottom-right")
        self.running_curve = self.themed_curve(
            lambda t: pg.mkPen(rgba(t.blue, 150), width=1), lambda: translate("AccuracyPlot", "train (running)")
        )
        self.train_curve = self.epoch_curve(lambda t: t.blue, "s", lambda: translate("AccuracyPlot", "train (epoch)"))
        self.val_curve = self.epoch_curve(lambda t: t.orange, "o", lambda: translate("AccuracyPlot", "validation"))
        self.reset_zoom()

    def add_batch(self, event: BatchEnded) -> None:
        if rewind(self._steps, self._running, step=event.step):  # resumed from an earlier checkpoint
            for steps, values in ((self._epoch_steps, self._epoch_train), (self._val_steps, self._val)):
                kept = [(s, v) for s, v in zip(steps, values, strict=True) if s < event.step]
                steps[:], values[:] = [s for s, _ in kept], [v for _, v in kept]
        self._steps.extend([event.step])
        self._running.extend([100.0 * event.accuracy])
        self.refresher.mark()

    def add_epoch(self, event: EpochEnded, step: int) -> None:
        self._epoch_steps.append(float(step))
        self._epoch_train.append(100.0 * event.train_accuracy)
        if event.val_accuracy is not None:
            self._add_val(step, event.val_accuracy)
        self.refresher.mark()

    def add_check(self, event: ValidationChecked) -> None:
        """A validation check within an epoch (runs with a target accuracy or a time budget)."""
        self._add_val(event.step, event.val_accuracy)
        self.refresher.mark()

    def _add_val(self, step: int, accuracy: float) -> None:
        if self._val_steps and self._val_steps[-1] == step:  # a run that ended at a check: one point
            self._val[-1] = 100.0 * accuracy
            return
        self._val_steps.append(float(step))
        self._val.append(100.0 * accuracy)

    def reset(self) -> None:
        self.refresher.cancel()
        self._steps.clear()
        self._running.clear()
        for values in (self._epoch_steps, self._epoch_train, self._val_steps, self._val):
            values.clear()
        for curve in (self.running_curve, self.train_curve, self.val_curve):
            curve.setData([], [])
        self.reset_zoom()

    def reset_zoom(self) -> None:
        """x follows the data, y back to 0–100 %."""
        self.plotItem.enableAutoRange(x=True, y=False)
        self.plotItem.setYRange(-4, 104, padding=0)  # margin: pyqtgraph hides edge labels with a grid

    def _redraw(self) -> None:
        self.running_curve.setData(self._steps.data, self._running.data)
        self.train_curve.setData(np.asarray(self._epoch_steps), np.asarray(self._epoch_train))
        self.val_curve.setData(np.asarray(self._val_steps), np.asarray(self._val))


class LearningRatePlot(LivePlot):
    """`add_batch(BatchEnded)` adds the learning rate at the event's step; `reset()`. Log-y in the menu."""

    def __init__(self, parent=None) -> None:
        super().__init__(
            "learningRatePlot",
            lambda: translate("LearningRatePlot", "Learning rate over training steps"),
            lambda: translate("LearningRatePlot", "step (batches)"),
            lambda: translate("LearningRatePlot", "learning rate"),
            parent,
            True,
        )
        self._steps = GrowingArray()
        self._rates = GrowingArray()
        self.lr_curve = self.themed_curve(
            lambda t: pg.mkPen(t.green, width=2), lambda: translate("LearningRatePlot", "learning rate")
        )
        self.lr_curve.setSkipFiniteCheck(True)
        self._follow = True
        self.log_y_action.toggled.connect(lambda _on: self.reset_zoom())
        self.plotItem.getViewBox().sigRangeChangedManually.connect(lambda *_: setattr(self, "_follow", False))

    def add_batch(self, event: BatchEnded) -> None:
        rewind(self._steps, self._rates, step=event.step)
        self._steps.extend([event.step])
        self._rates.extend([event.lr])
        self.refresher.mark()

    def reset(self) -> None:
        self.refresher.cancel()
        self._steps.clear()
        self._rates.clear()
        self.lr_curve.setData([], [])
        self.reset_zoom()

    def reset_zoom(self) -> None:
        self._follow = True
        self.plotItem.enableAutoRange()
        self.refresher.mark()

    def _redraw(self) -> None:
        rates = self._rates.data
        self.lr_curve.setData(self._steps.data, rates)
        if self._follow and len(rates) and not self.plotItem.ctrl.logYCheck.isChecked():
            # y from zero (pyqtgraph would centre a constant rate in ±0.5)
            self.plotItem.setYRange(0, (float(rates.max()) or 1.0) * 1.08, padding=0)


if __name__ == "__main__":
    from PySide6.QtWidgets import QVBoxLayout, QWidget

    from ui.plots.common import demo_app, run_demo

    app = demo_app()
    window = QWidget()
    window.setObjectName("accuracyPlot")
    layout = QVBoxLayout(window)
    accuracy, rate = AccuracyPlot(), LearningRatePlot()
    layout.addWidget(accuracy, 3)
    layout.addWidget(rate, 2)
    rng = np.random.default_rng(0)
    per_tick, per_epoch, correct = 20, 400, [0.0]

    def feed(tick: int) -> None:
        step = tick * per_tick
        batch = (step - 1) % per_epoch + 1
        skill = 1 - 0.9 * np.exp(-step / 900.0)
        lr = 0.05 * 0.5 * (1 + np.cos(np.pi * min(step, 6000) / 6000))
        correct[0] = (correct[0] * (batch - per_tick) + per_tick * skill * (1 + 0.03 * rng.standard_normal())) / batch
        event = BatchEnded(step // per_epoch + 1, batch, per_epoch, step, 0.5, min(1, correct[0]), lr, 900.0)
        accuracy.add_batch(event)
        rate.add_batch(event)
        if batch == per_epoch:
            epoch = step // per_epoch
            ended = EpochEnded(epoch, 15, 0.3, min(1, correct[0]), 0.3, min(1, skill * 0.98), 3.0, 900.0, lr)
            accuracy.add_epoch(ended, step)

    run_demo(window, feed)
