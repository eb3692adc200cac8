"""The study's plots, each redrawn from a `StudySnapshot` when one is read (about once a second at most, so no
refresh timer of their own): the best validation accuracy so far against the trial number, the accuracy against
one varied value (chosen above the plot; error bars: the spread over seeds), the accuracy against the model's size
with the Pareto front (no smaller model is as accurate), and how much each varied name explains (Optuna's default
evaluator)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import QComboBox, QLabel, QWidget

from ui import i18n, theme
from ui.experiments.best import shown_value, varied_label
from ui.experiments.poller import StudySnapshot
from ui.plots.common import (
    add_menu_actions,
    header_bar,
    placeholder,
    rgba,
    shrinkable,
    stacked_panel,
    style_plot,
    themed_plot_widget,
)
from ui.theme import Theme
from workbench.experiments.report import pareto_front
from workbench.experiments.space import SearchSpace
from workbench.model.spec import ModelSpec

ACCURACY = QT_TRANSLATE_NOOP("StudyPanel", "val accuracy (%)")  # short: a plot may be 150 px high
WAITING = QT_TRANSLATE_NOOP("StudyPanel", "Appears when trials have finished.")
# the panels' titles and axes (English keys, translated where shown)
QT_TRANSLATE_NOOP("StudyPanel", "Best so far")
QT_TRANSLATE_NOOP("StudyPanel", "trial")
QT_TRANSLATE_NOOP("StudyPanel", "Accuracy against")
QT_TRANSLATE_NOOP("StudyPanel", "value")
QT_TRANSLATE_NOOP("StudyPanel", "Accuracy against model size")
QT_TRANSLATE_NOOP("StudyPanel", "parameters")
QT_TRANSLATE_NOOP("StudyPanel", "Parameter importance")
QT_TRANSLATE_NOOP("StudyPanel", "share of the accuracy's variance")
QT_TRANSLATE_NOOP("StudyPanel", "Appears when two finished trials differ.")


def _shown(text: str) -> str:
    return QCoreApplication.translate("StudyPanel", text) if text else ""


def _percent(rows) -> np.ndarray:
    return np.asarray([100 * row["value"] for row in rows], dtype=np.float64)


def _dots(size: int = 7) -> pg.ScatterPlotItem:
    return pg.ScatterPlotItem(size=size, pen=None)


class StudyPanel(QWidget):
    """A plot under a strip with its title (and controls), saying what it waits for until there is data."""

    def __init__(self, name: str, title: str, x_label: str, y_label: str, waiting: str = WAITING) -> None:
        super().__init__()
        self.setObjectName(name)
        self._texts = (title, x_label, y_label, waiting)  # English keys
        self.strip, self.strip_row = header_bar()
        self.title = shrinkable(QLabel())
        self.strip_row.addWidget(self.title, 1)
        self.plot = themed_plot_widget()
        self.item = self.plot.getPlotItem()
        style_plot(self.item, x_label, y_label)
        add_menu_actions(self.item.getViewBox(), None)
        self.waiting = placeholder("")
        self.stack = stacked_panel(self, self.strip, self.waiting, self.plot)
        i18n.follow(self, lambda panel: panel.retranslate())

    def retranslate(self) -> None:
        title, x_label, y_label, waiting = (_shown(text) for text in self._texts)
        self.title.setText(title)
        self.setAccessibleName(title)
        self.waiting.setText(waiting)
        label_style = {"font-size": "10pt"}
        if x_label:
            self.item.setLabel("bottom", x_label, **label_style)
        if y_label:
            self.item.setLabel("left", y_label, **label_style)

    def showing(self, has_data: bool) -> None:
        self.stack.setCurrentIndex(1 if has_data else 0)
        if has_data:
            self.item.enableAutoRange()


class BestSoFarPanel(StudyPanel):
    """Each complete trial's accuracy (dots) and the best so far (a step line) by trial number."""

    def __init__(self) -> None:
        super().__init__("bestSoFarPlot", "Best so far", "trial", ACCURACY)
        self.trials, self.best_curve = _dots(6), pg.PlotDataItem(stepMode="left")
        self.item.addItem(self.trials)
        self.item.addItem(self.best_curve)
        theme.follow(self, self._restyle)

    def _restyle(self, t: Theme) -> None:
        self.trials.setBrush(pg.mkBrush(rgba(t.neutral_bar, 200)))
        self.best_curve.setPen(pg.mkPen(t.blue, width=2))

    def show_snapshot(self, snapshot: StudySnapshot) -> None:
        complete = sorted(snapshot.complete, key=lambda row: row["number"])
        numbers = np.asarray([row["number"] for row in complete], dtype=np.float64)
        values = _percent(complete)
        self.trials.setData(numbers, values)
        self.best_curve.setData(numbers, np.maximum.accumulate(values) if len(values) else values)
        self.showing(bool(complete))


class ParameterPanel(StudyPanel):
    """The accuracy against the varied value chosen in its strip; text and true/false values as categories."""

    def __init__(self) -> None:
        super().__init__("parameterPlot", "Accuracy against", "value", ACCURACY)
        self.choice = QComboBox()
        self.choice.setObjectName("parameterChoice")
        self.choice.currentIndexChanged.connect(self._redraw)
        self.strip_row.insertWidget(1, self.choice, 2)
        self.choice.setVisible(False)  # until a study's varied names are known
        self.points, self.bars = _dots(), pg.ErrorBarItem(x=np.zeros(0), y=np.zeros(0), beam=0.0)
        self.item.addItem(self.bars)
        self.item.addItem(self.points)
        self.space: SearchSpace | None = None
        self.snapshot: StudySnapshot | None = None
        self.spec: ModelSpec | None = None
        theme.follow(self, self._restyle)
        self.retranslate()  # again, now that the strip's choice is made

    def retranslate(self) -> None:
        """The titles, and the choices' words (their layers' places) again."""
        super().retranslate()
        if not hasattr(self, "spec"):
            return  # called by the base class before the choice is made
        self.choice.setToolTip(self.tr("Which varied value to plot the trials' accuracy against"))
        self.choice.setAccessibleName(self.tr("Varied value"))
        for index in range(self.choice.count()):
            words = varied_label(self.choice.itemData(index), self.spec)[1]
            self.choice.setItemData(index, words, Qt.ItemDataRole.ToolTipRole)
        if getattr(self, "snapshot", None) is not None:
            self._redraw()

    def _restyle(self, t: Theme) -> None:
        self.points.setBrush(pg.mkBrush(t.blue))
        self.bars.setOpts(pen=pg.mkPen(t.plot_muted, width=1))

    def set_space(self, space: SearchSpace, spec: ModelSpec | None) -> None:
        self.space, self.snapshot, self.spec = space, None, spec
        self.choice.blockSignals(True)
        self.choice.clear()
        for domain in space.domains:
            short, words = varied_label(domain.name, spec)
            self.choice.addItem(short, domain.name)
            self.choice.setItemData(self.choice.count() - 1, words, Qt.ItemDataRole.ToolTipRole)
        self.choice.blockSignals(False)
        self.choice.setVisible(bool(space.domains))
        self._redraw()

    def show_snapshot(self, snapshot: StudySnapshot) -> None:
        self.snapshot = snapshot
        self._redraw()

    def _chosen(self):
        """The domain chosen in the strip, or None."""
        domains = self.space.domains if self.space is not None else ()
        return next((domain for domain in domains if domain.name == self.choice.currentData()), None)

    def _redraw(self, *_args) -> None:
        domain = self._chosen()
        complete = self.snapshot.complete if self.snapshot is not None else ()
        rows = [row for row in complete if domain is not None and domain.name in row["params"]]
        if domain is None or not rows:
            self.points.setData([], [])
            self.bars.setData(x=np.zeros(0), y=np.zeros(0))
            self.showing(False)
            return
        xs, ticks = self._positions([row["params"][domain.name] for row in rows], domain)
        ys = _percent(rows)
        spreads = np.asarray([100 * (row["spread"] or 0.0) for row in rows], dtype=np.float64)
        self.points.setData(xs, ys)
        self.bars.setData(x=xs, y=ys, top=spreads, bottom=spreads)
        axis = self.item.getAxis("bottom")
        axis.setTicks(ticks)
        axis.setLabel(
            self.choice.currentText() + (" (log10)" if domain.domain.kind == "log" else ""), **{"font-size": "10pt"}
        )
        self.showing(True)

    @staticmethod
    def _positions(values: list[Any], domain) -> tuple[np.ndarray, list | None]:
        """x of each value, and the axis ticks for categories (None: numbers as they are)."""
        if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
            xs = np.asarray(values, dtype=np.float64)
            return (np.log10(xs) if domain.domain.kind == "log" else xs), None
        order = [str(v) for v in domain.values] if domain.is_choice else sorted({str(v) for v in values})
        xs = np.asarray([order.index(str(v)) for v in values], dtype=np.float64)
        return xs, [[(i, shown_value(v)) for i, v in enumerate(order)]]


class ParetoPanel(StudyPanel):
    """Accuracy against parameters; the front (no smaller trial is as accurate) joined and marked."""

    def __init__(self) -> None:
        super().__init__("paretoPlot", "Accuracy against model size", "parameters", ACCURACY)
        self.trials, self.front = _dots(6), pg.PlotDataItem(stepMode="left", symbol="o", symbolSize=9)
        self.item.addItem(self.trials)
        self.item.addItem(self.front)
        self.front_numbers: list[int] = []
        theme.follow(self, self._restyle)

    def _restyle(self, t: Theme) -> None:
        self.trials.setBrush(pg.mkBrush(rgba(t.neutral_bar, 200)))
        self.front.setPen(pg.mkPen(t.orange, width=2))
        self.front.setSymbolBrush(pg.mkBrush(t.orange))
        self.front.setSymbolPen(None)

    def show_snapshot(self, snapshot: StudySnapshot) -> None:
        rows = [row for row in snapshot.complete if row["parameters"] is not None]
        sizes = np.asarray([row["parameters"] for row in rows], dtype=np.float64)
        values = _percent(rows)
        front = sorted(pareto_front(list(zip(sizes, values, strict=True))), key=lambda i: sizes[i])
        self.front_numbers = [rows[i]["number"] for i in front]
        self.trials.setData(sizes, values)
        self.front.setData(sizes[front], values[front])
        self.showing(bool(rows))


class ImportancePanel(StudyPanel):
    """A bar per varied name: its share of the accuracy's variance (Optuna's default evaluator), the largest on top."""

    def __init__(self) -> None:
        super().__init__(
            "importancePlot",
            "Parameter importance",
            "share of the accuracy's variance",
            "",
            "Appears when two finished trials differ.",
        )
        self.bars = pg.BarGraphItem(x0=[], y=[], height=0.6, width=[], pen=None)
        self.item.addItem(self.bars)
        self.item.showGrid(x=True, y=False, alpha=0.15)
        self.shares: dict[str, float] = {}
        self.spec: ModelSpec | None = None
        theme.follow(self, self._restyle)

    def _restyle(self, t: Theme) -> None:
        self.bars.setOpts(brush=pg.mkBrush(t.blue))

    def show_shares(self, shares: dict[str, float]) -> None:
        self.shares = dict(shares)
        ranked = sorted(shares.items(), key=lambda pair: pair[1])  # the largest last: on top
        ys = np.arange(len(ranked), dtype=np.float64)
        self.bars.setOpts(x0=np.zeros(len(ranked)), y=ys, width=[share for _, share in ranked], height=0.6)
        labels = [(float(y), varied_label(name, self.spec)[0]) for y, (name, _) in zip(ys, ranked, strict=True)]
        self.item.getAxis("left").setTicks([labels])
        self.showing(bool(ranked))
