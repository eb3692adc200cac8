"""Training loss per batch (raw and smoothed) and validation loss per epoch, over global steps."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu

from ui import i18n
from ui.i18n import translate
from ui.plots.common import add_legend, alive, rgba
from ui.plots.live_plot import GrowingArray, LivePlot, rewind
from ui.plots.view_box import when_menu_made
from workbench.events import BatchEnded, EpochEnded


def ema(values, beta: float, state: tuple[float, int] = (0.0, 0)) -> tuple[np.ndarray, tuple[float, int]]:
    """Bias-corrected exponential moving average (as TensorBoard's smoothing), continuing from `state`
    (biased average, count); returns the smoothed values and the new state. beta 0 = no smoothing."""
    biased, count = state
    out = np.empty(len(values), dtype=np.float64)
    for i, value in enumerate(values):
        biased = beta * biased + (1.0 - beta) * float(value)
        count += 1
        out[i] = biased / (1.0 - beta**count)
    return out, (biased, count)


class LossPlot(LivePlot):
    """`add_batches(BatchEnded)` appends every batch the event carries (`steps`/`losses`);
    `add_epoch(EpochEnded, step)` adds the validation loss at the step the epoch ended; `reset()`.
    Copes with 100k+ points (peak downsampling, clip to view, numpy buffers, ≤ 30 redraws a second).
    Steps that go back (a resume from an earlier checkpoint) replace the points from there on."""

    SMOOTHING_CHOICES = (0.0, 0.6, 0.9, 0.97, 0.99)

    def __init__(self, parent=None, smoothing: float = 0.9) -> None:
        super().__init__(
            "lossPlot",
            lambda: translate("LossPlot", "Training loss per batch, raw and smoothed, and validation loss per epoch"),
            lambda: translate("LossPlot", "step (batches)"),
            lambda: translate("LossPlot", "loss (cross-entropy)"),
            parent,
            log_toggle=True,
        )
        self.smoothing = smoothing
        self._steps = GrowingArray()
        self._losses = GrowingArray()
        self._smoothed = GrowingArray()
        self._ema_state = (0.0, 0)
        self._val_steps: list[float] = []
        self._val_losses: list[float] = []
        self.legend = add_legend(self.plotItem, "top-right")
        self.raw_curve = self.themed_curve(
            lambda t: pg.mkPen(rgba(t.blue, 80), width=1), lambda: translate("LossPlot", "train (batch)")
        )
        self.smooth_curve = self.themed_curve(lambda t: pg.mkPen(t.blue, width=2), self._smooth_name())
        self.val_curve = self.epoch_curve(lambda t: t.orange, "o", lambda: translate("LossPlot", "validation (epoch)"))
        for curve in (self.raw_curve, self.smooth_curve):
            curve.setSkipFiniteCheck(True)
        self._add_smoothing_menu()
        i18n.follow(self, LossPlot.retranslate)

    def retranslate(self) -> None:
        """The smoothing menu and the smoothed curve's name in the language of the moment."""
        self._smoothing_menu.setTitle(translate("LossPlot", "Smoothing"))
        for action in self._smoothing_group.actions():
            beta = action.data()
            if beta == 0:
                action.setText(translate("LossPlot", "none"))
            else:
                action.setText(translate("LossPlot", "EMA {beta}").format(beta=f"{beta:g}"))
        self._name_smooth_curve()

    def _name_smooth_curve(self) -> None:
        if not alive(self.plotItem):
            return
        name = self._smooth_name()
        self.smooth_curve.opts["name"] = name
        label = self.legend.getLabel(self.smooth_curve)
        if label is not None and label.text != name:
            label.setText(name)

    # ----- events ---------------------------------------------------------------------------------------------

    def add_batches(self, event: BatchEnded) -> None:
        steps, losses = (event.steps, event.losses) if event.steps else ((event.step,), (event.loss,))
        if not steps:
            return
        if rewind(self._steps, self._losses, step=steps[0]):
            self._recompute_smoothing()
            self._drop_epochs_from(steps[0])
        smoothed, self._ema_state = ema(losses, self.smoothing, self._ema_state)
        self._steps.extend(steps)
        self._losses.extend(losses)
        self._smoothed.extend(smoothed)
        self.refresher.mark()

    def add_epoch(self, event: EpochEnded, step: int) -> None:
        if event.val_loss is None:
            return
        self._val_steps.append(float(step))
        self._val_losses.append(float(event.val_loss))
        self.refresher.mark()

    def reset(self) -> None:
        self.refresher.cancel()
        for buffer in (self._steps, self._losses, self._smoothed):
            buffer.clear()
        self._ema_state = (0.0, 0)
        self._val_steps.clear()
        self._val_losses.clear()
        for curve in (self.raw_curve, self.smooth_curve, self.val_curve):
            curve.setData([], [])
        self.reset_zoom()

    # ----- smoothing --------------------------------------------------------------------------------------------

    def set_smoothing(self, beta: float) -> None:
        self.smoothing = float(beta)
        self._name_smooth_curve()
        self._recompute_smoothing()
        for action in self._smoothing_group.actions():
            action.setChecked(action.data() == self.smoothing)
        self.refresher.mark()

    def _smooth_name(self) -> str:
        return translate("LossPlot", "train (EMA {beta})").format(beta=f"{self.smoothing:g}")

    def _recompute_smoothing(self) -> None:
        smoothed, self._ema_state = ema(self._losses.data, self.smoothing)
        self._smoothed.clear()
        self._smoothed.extend(smoothed)

    def _drop_epochs_from(self, step: float) -> None:
        kept = [(s, v) for s, v in zip(self._val_steps, self._val_losses, strict=True) if s < step]
        self._val_steps[:] = [s for s, _ in kept]
        self._val_losses[:] = [v for _, v in kept]

    def _add_smoothing_menu(self) -> None:
        menu = self._smoothing_menu = QMenu(self)
        self._smoothing_group = QActionGroup(menu)
        for beta in self.SMOOTHING_CHOICES:
            action = QAction(menu)
            action.setCheckable(True)
            action.setData(beta)
            action.setChecked(beta == self.smoothing)
            action.triggered.connect(lambda _=False, b=beta: self.set_smoothing(b))
            self._smoothing_group.addAction(action)
            menu.addAction(action)

        def add(view_menu: QMenu) -> None:
            actions = view_menu.actions()
            view_menu.insertMenu(actions[actions.index(self.log_y_action) + 1], menu)  # before the separator

        when_menu_made(self.plotItem.getViewBox(), add)

    # ----- drawing ------------------------------------------------------------------------------------------

    def _redraw(self) -> None:
        x = self._steps.data
        self.raw_curve.setData(x, self._losses.data)
        self.smooth_curve.setData(x, self._smoothed.data)
        self.val_curve.setData(np.asarray(self._val_steps), np.asarray(self._val_losses))


if __name__ == "__main__":
    from ui.plots.common import demo_app, run_demo

    app = demo_app()
    plot = LossPlot()
    rng = np.random.default_rng(0)
    per_tick, per_epoch = 40, 600

    def feed(tick: int) -> None:
        steps = np.arange((tick - 1) * per_tick + 1, tick * per_tick + 1)
        clean = 2.2 * np.exp(-steps / 700.0) + 0.08
        losses = np.abs(clean * (1 + 0.35 * rng.standard_normal(len(steps))))
        plot.add_batches(
            BatchEnded(
                1, 1, per_epoch, int(steps[-1]), float(losses[-1]), 0.9, 0.01, 900.0, tuple(steps), tuple(losses)
            )
        )
        if steps[-1] % per_epoch == 0:
            epoch = int(steps[-1] // per_epoch)
            val = 2.2 * np.exp(-steps[-1] / 700.0) + 0.11
            plot.add_epoch(
                EpochEnded(epoch, 10, float(clean[-1]), 0.9, float(val), 0.9, 3.0, 900.0, 0.01), int(steps[-1])
            )

    run_demo(plot, feed)
