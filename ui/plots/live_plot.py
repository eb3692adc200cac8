"""The base of the live curve panels (loss, accuracy, learning rate) and their growable numpy buffers."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QAction, QPen

from ui import i18n, theme
from ui.i18n import translate
from ui.plots.common import Refresher, add_menu_actions, alive, follow_background, own_menus, style_plot
from ui.plots.view_box import MenuOnDemandViewBox
from ui.theme import Theme
from ui.widgets import Text, set_names


class GrowingArray:
    """An append-only numpy buffer with amortised O(1) appends; `data` is a view of the filled part."""

    def __init__(self, dtype: type = np.float64, capacity: int = 1024) -> None:
        self._buffer = np.empty(capacity, dtype=dtype)
        self._size = 0

    def __len__(self) -> int:
        return self._size

    def extend(self, values) -> None:
        values = np.asarray(values, dtype=self._buffer.dtype).ravel()
        needed = self._size + len(values)
        if needed > len(self._buffer):
            grown = np.empty(max(needed, 2 * len(self._buffer)), dtype=self._buffer.dtype)
            grown[: self._size] = self._buffer[: self._size]
            self._buffer = grown
        self._buffer[self._size : needed] = values
        self._size = needed

    def truncate(self, size: int) -> None:
        self._size = max(0, min(size, self._size))

    def clear(self) -> None:
        self._size = 0

    @property
    def data(self) -> np.ndarray:
        return self._buffer[: self._size]


def rewind(steps: GrowingArray, *others: GrowingArray, step: float) -> bool:
    """If `step` is not after the last one (a run resumed from an earlier checkpoint reports steps
    again), drop the points from `step` on in `steps` and its parallel buffers; True if it did."""
    if not len(steps) or step > steps.data[-1]:
        return False
    keep = int(np.searchsorted(steps.data, step, side="left"))
    for buffer in (steps, *others):
        buffer.truncate(keep)
    return True


def _first(text: Text) -> str:
    return text() if callable(text) else text


class LivePlot(pg.PlotWidget):
    """Base of the live curve panels: themed axes, peak downsampling + clip-to-view, the coalescing
    refresh, "Reset zoom" (and optionally "Log scale (y)") at the top of the context menu."""

    def __init__(
        self, name: str, description: Text, x_label: Text, y_label: Text, parent=None, log_toggle: bool = False
    ) -> None:
        """`description`, `x_label`, `y_label` (and curves' names): lambdas around `translate(…)` follow a change
        of language."""
        super().__init__(parent, background=theme.current().plot_background, viewBox=MenuOnDemandViewBox())
        follow_background(self)
        own_menus(self, self.getPlotItem())
        set_names(self, name, description)
        self.setMinimumSize(160, 120)
        item = self.plotItem
        style_plot(item, x_label, y_label)
        item.setDownsampling(auto=True, mode="peak")
        item.setClipToView(True)
        self.refresher = Refresher(self, self._redraw)
        self._names: list[tuple[pg.PlotDataItem, Callable[[], str]]] = []
        extra = []
        self.log_y_action: QAction | None = None
        if log_toggle:
            self.log_y_action = i18n.keep(QAction("", self), "setText", lambda: translate("LivePlot", "Log scale (y)"))
            self.log_y_action.setCheckable(True)
            self.log_y_action.toggled.connect(lambda on: item.setLogMode(y=on))
            item.ctrl.logYCheck.toggled.connect(self.log_y_action.setChecked)  # pyqtgraph's own Transforms entry
            extra.append(self.log_y_action)
        self.reset_zoom_action = add_menu_actions(item.getViewBox(), self.reset_zoom, extra)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        legend = getattr(self.plotItem, "legend", None)  # no plotItem yet while PlotWidget initialises
        if legend is not None:  # a legend would bury a tiny plot
            legend.setVisible(self.height() >= 200 and self.width() >= 300)

    def curve(self, **options) -> pg.PlotDataItem:
        return self.plotItem.plot(**options)

    def epoch_curve(self, colour: Callable[[Theme], str], symbol: str, name: Text) -> pg.PlotDataItem:
        """A line with a marker per epoch (validation loss, epoch accuracies), in `colour(theme)`."""
        curve = self.curve(symbol=symbol, symbolSize=8 if symbol == "o" else 7, name=_first(name))
        self._name_later(curve, name)

        def restyle(t: Theme) -> None:
            curve.setPen(pg.mkPen(colour(t), width=2))
            curve.setSymbolBrush(colour(t))
            curve.setSymbolPen(pg.mkPen(t.plot_background))  # a rim that separates overlapping markers

        theme.follow(self, restyle)
        return curve

    def themed_curve(self, pen: Callable[[Theme], QPen], name: Text) -> pg.PlotDataItem:
        """A line drawn with `pen(theme)`, following the theme."""
        curve = self.curve(name=_first(name))
        self._name_later(curve, name)
        theme.follow(self, lambda t: curve.setPen(pen(t)))
        return curve

    def _name_later(self, curve: pg.PlotDataItem, name: Text) -> None:
        """A curve named by a lambda is named again in its legend after each change of language (the plot
        follows the language, not the curve: the plot's C++ object tells when it is gone)."""
        if not callable(name):
            return
        if not self._names:
            i18n.follow(self, LivePlot._rename_curves)
        self._names.append((curve, name))

    def _rename_curves(self) -> None:
        if not alive(self.plotItem):
            return
        legend = getattr(self.plotItem, "legend", None)
        for curve, name in self._names:
            text = name()
            curve.opts["name"] = text
            label = legend.getLabel(curve) if legend is not None else None
            if label is not None and label.text != text:
                label.setText(text)

    def reset_zoom(self) -> None:
        self.plotItem.enableAutoRange()

    def _redraw(self) -> None:
        raise NotImplementedError
