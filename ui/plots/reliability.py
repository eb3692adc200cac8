"""The reliability diagram of the validation split: its images in 10 equal-width bins of the top softmax
probability, each bin's accuracy against its mean confidence, the diagonal a calibrated model follows, how many
images each bin holds, and the expected calibration error (`workbench.insight.metrics.calibration`). With a
temperature fitted, the bars are the calibrated probabilities and the line the model's before."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from ui import i18n, theme
from ui.i18n import translate
from ui.plots.common import (
    Refresher,
    add_legend,
    header_bar,
    placeholder,
    rgba,
    shrinkable,
    stacked_panel,
    style_plot,
    themed_plot_widget,
)
from ui.theme import Theme
from ui.widgets import Text, set_names

NO_EPOCH = QT_TRANSLATE_NOOP("ReliabilityDiagram", "Calibration — no epoch yet")
EMPTY = QT_TRANSLATE_NOOP(
    "ReliabilityDiagram",
    "The reliability diagram of the validation images appears after the first epoch, or when a trained model is opened",
)
BAR_WIDTH = 0.08  # of a bin's 0.1


def bins_of(calibration: dict) -> list[dict]:
    """The bins of a `Calibration.to_json()` dict, checked: lower, upper, count, confidence, accuracy each."""
    bins = list(calibration.get("bins") or [])
    for entry in bins:
        missing = {"lower", "upper", "count", "confidence", "accuracy"} - set(entry)
        if missing:
            raise ValueError(f"a reliability bin lacks {', '.join(sorted(missing))}")
    return bins


def _t(text: str) -> str:
    """One of this module's texts in the window's language."""
    return translate("ReliabilityDiagram", text)


def percent(value: float | None) -> str:
    return "—" if value is None or not np.isfinite(value) else f"{100 * value:.1f}%"


class ReliabilityDiagram(QWidget):
    """`show_calibration(before, epoch, after=None, temperature=1.0)` with `Calibration.to_json()` dicts (the
    validation split's); `reset(text)`. `shown` is what the bars draw: `after` when there is one."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        set_names(
            self,
            "reliabilityDiagram",
            lambda: translate(
                "ReliabilityDiagram", "Reliability diagram: accuracy against confidence, validation split"
            ),
        )
        self.before: dict | None = None
        self.after: dict | None = None
        self.temperature = 1.0
        self._epoch = 0
        self.refresher = Refresher(self, self._redraw)
        bar, self.header_layout = header_bar()
        self.title_label = shrinkable(QLabel())
        self.title_label.setObjectName("reliabilityTitle")
        self.header_layout.addWidget(self.title_label, 1)
        self.placeholder = placeholder("")
        self._empty_text: Text = EMPTY  # what the placeholder says: a text of this module's, or a lambda
        self.body = QWidget()  # side by side: the Train tab's evaluation area is wide and low
        self._row = QHBoxLayout(self.body)
        self._row.setContentsMargins(0, 0, 0, 0)
        self._row.setSpacing(0)
        self.plot: pg.PlotWidget | None = None  # the plots are made with the first data (_make_plots)
        self.stack = stacked_panel(self, bar, self.placeholder, self.body)
        theme.follow(self, self._restyle)
        i18n.follow(self, lambda diagram: diagram.retranslate())

    def retranslate(self) -> None:
        """The title, placeholder and legend in the window's language (the diagram's figures too)."""
        self.setAccessibleName(translate("ReliabilityDiagram", "Reliability diagram"))
        text = self._empty_text
        self.placeholder.setText(text() if callable(text) else _t(text))
        if self.plot is not None:
            self.plot.setAccessibleName(translate("ReliabilityDiagram", "Accuracy against confidence"))
            self.count_plot.setAccessibleName(translate("ReliabilityDiagram", "Images per bin"))
            for widget in (self.plot, self.count_plot):
                widget.setToolTip("")  # the next hover writes it again
        if self.shown is None:
            self.title_label.setText(_t(NO_EPOCH))
        else:
            self._redraw()

    def _make_plots(self) -> None:
        """The two plots, made when there is something to draw: most windows never show one, and they cost a
        window 40 ms to open."""
        if self.plot is not None:
            return
        counts = self._make_count_plot()
        self._row.addWidget(self._make_plot(), 3)
        self._row.addWidget(counts, 2)
        self._restyle(theme.current())

    def _make_count_plot(self) -> pg.PlotWidget:
        self.count_plot = themed_plot_widget()
        self.count_plot.setMinimumSize(160, 60)
        item = self.count_plot.plotItem
        style_plot(
            item,
            lambda: translate("ReliabilityDiagram", "confidence"),
            lambda: translate("ReliabilityDiagram", "images per bin"),
            grid=False,
        )
        item.setMouseEnabled(x=False, y=False)
        item.hideButtons()
        item.getAxis("bottom").setTicks([[(0.0, "0"), (0.5, "0.5"), (1.0, "1")]])  # room in a narrow plot
        item.getViewBox().sigResized.connect(self._fit_count_texts)
        self.count_bars = pg.BarGraphItem(x=[], height=[], width=BAR_WIDTH, pen=None)
        item.addItem(self.count_bars)
        self.count_texts: list[pg.TextItem] = []
        return self.count_plot

    def _make_plot(self) -> pg.PlotWidget:
        self.plot = themed_plot_widget()
        item = self.plot.plotItem
        style_plot(
            item,
            lambda: translate("ReliabilityDiagram", "confidence (top softmax probability)"),
            lambda: translate("ReliabilityDiagram", "accuracy"),
        )
        item.setMouseEnabled(x=False, y=False)  # always the unit square
        item.hideButtons()
        self.legend = add_legend(item, "top-left")
        self.diagonal = item.plot([0, 1], [0, 1])
        self.gap_bars = pg.BarGraphItem(x=[], y0=[], y1=[], width=BAR_WIDTH)
        self.bars = pg.BarGraphItem(x=[], height=[], width=BAR_WIDTH, pen=None)
        item.addItem(self.bars)
        item.addItem(self.gap_bars)
        self.before_curve = item.plot([], [], symbol="o", symbolSize=6)
        item.setXRange(-0.03, 1.03, padding=0)  # margins: pyqtgraph hides the edge labels with a grid
        item.setYRange(-0.04, 1.06, padding=0)
        self.count_plot.plotItem.setXLink(item)
        for widget in (self.plot, self.count_plot):
            widget.scene().sigMouseMoved.connect(lambda pos, widget=widget: self._hover(widget, pos))
        return self.plot

    def _restyle(self, t: Theme) -> None:
        if self.plot is None:
            return
        self.diagonal.setPen(pg.mkPen(t.plot_muted, width=1.5, style=Qt.PenStyle.DashLine))
        self.bars.setOpts(brush=t.blue)
        self.count_bars.setOpts(brush=rgba(t.blue, 150))
        hatched = QBrush(QColor(t.orange), Qt.BrushStyle.BDiagPattern)  # the bar shows through
        self.gap_bars.setOpts(brush=hatched, pen=pg.mkPen(t.orange, width=1))
        self.before_curve.setPen(pg.mkPen(t.orange, width=2))
        self.before_curve.setSymbolBrush(t.orange)
        self.before_curve.setSymbolPen(pg.mkPen(t.orange))
        for text in self.count_texts:
            text.setColor(t.plot_text)

    # ----- data ---------------------------------------------------------------------------------------------

    def show_calibration(self, before: dict, epoch: int, after: dict | None = None, temperature: float = 1.0) -> None:
        """`before`: the calibration of the model's probabilities (an epoch's, or before a temperature was
        fitted); `after`: with `temperature` applied, when one is."""
        bins_of(before)
        if after is not None:
            bins_of(after)
        self.before, self.after, self.temperature, self._epoch = before, after, float(temperature), int(epoch)
        self.refresher.mark()

    def reset(self, text: Text = EMPTY) -> None:
        """No diagram; the placeholder says `text`: one of this module's texts, shown translated, or a lambda giving
        a text in the window's language (said again after a change of it)."""
        self.refresher.cancel()
        self.before = self.after = None
        self.temperature = 1.0
        self._empty_text = text
        self.title_label.setText(_t(NO_EPOCH))
        self.placeholder.setText(text() if callable(text) else _t(text))
        self.stack.setCurrentWidget(self.placeholder)

    @property
    def shown(self) -> dict | None:
        return self.after if self.after is not None else self.before

    def ece_text(self) -> str:
        """ "ECE 4.2%", or "ECE 8.2% → 0.7% with temperature 0.48" once one is fitted."""
        if self.before is None:
            return ""
        if self.after is None:
            return translate("ReliabilityDiagram", "ECE {ece}").format(ece=percent(self.before.get("ece")))
        return translate("ReliabilityDiagram", "ECE {before} → {after} with temperature {temperature}").format(
            before=percent(self.before.get("ece")),
            after=percent(self.after.get("ece")),
            temperature=f"{self.temperature:.2f}",
        )

    # ----- drawing ------------------------------------------------------------------------------------------

    def _redraw(self) -> None:
        shown = self.shown
        if shown is None:
            return
        self._make_plots()
        self.stack.setCurrentWidget(self.body)
        bins = bins_of(shown)
        total = sum(int(entry["count"]) for entry in bins)
        self.title_label.setText(
            translate(
                "ReliabilityDiagram",
                "<b>Calibration</b> · epoch {epoch} · {ece} · "
                "{count} validation images in {bins} bins of the top probability",
            ).format(epoch=self._epoch, ece=self.ece_text(), count=f"{total:,}", bins=len(bins))
        )
        full = [entry for entry in bins if entry["count"] and entry["confidence"] is not None]
        centres = np.array([(entry["lower"] + entry["upper"]) / 2 for entry in full])
        accuracy = np.array([entry["accuracy"] for entry in full], dtype=np.float64)
        confidence = np.array([entry["confidence"] for entry in full], dtype=np.float64)
        self.bars.setOpts(x=centres, height=accuracy)
        calibrated = self.after is not None
        self.gap_bars.setOpts(
            x=centres[:0] if calibrated else centres,
            y0=accuracy[:0] if calibrated else accuracy,
            y1=confidence[:0] if calibrated else confidence,
        )
        if calibrated:
            before = [entry for entry in bins_of(self.before) if entry["count"] and entry["confidence"] is not None]
            self.before_curve.setData([e["confidence"] for e in before], [e["accuracy"] for e in before])
        else:
            self.before_curve.setData([], [])
        self._label_legend(calibrated)
        self._draw_counts(bins)

    def _label_legend(self, calibrated: bool) -> None:
        self.legend.clear()
        self.legend.addItem(self.diagonal, translate("ReliabilityDiagram", "perfect calibration"))
        if calibrated:
            after = translate("ReliabilityDiagram", "after, T = {temperature} (ECE {ece})")
            self.legend.addItem(
                self.bars, after.format(temperature=f"{self.temperature:.2f}", ece=percent(self.after.get("ece")))
            )
            before = translate("ReliabilityDiagram", "before (ECE {ece})").format(ece=percent(self.before.get("ece")))
            self.legend.addItem(self.before_curve, before)
        else:
            self.legend.addItem(self.bars, translate("ReliabilityDiagram", "accuracy"))
            self.legend.addItem(self.gap_bars, translate("ReliabilityDiagram", "gap to mean confidence"))

    def _draw_counts(self, bins: list[dict]) -> None:
        item = self.count_plot.plotItem
        centres = np.array([(entry["lower"] + entry["upper"]) / 2 for entry in bins])
        counts = np.array([int(entry["count"]) for entry in bins], dtype=np.float64)
        self.count_bars.setOpts(x=centres, height=counts)
        while len(self.count_texts) < len(bins):
            text = pg.TextItem("", anchor=(0.5, 1.0), color=theme.current().plot_text)
            font = QFont()
            font.setPointSize(8)
            text.setFont(font)
            item.addItem(text)
            self.count_texts.append(text)
        top = max(1.0, float(counts.max()) if len(counts) else 1.0)
        for index, text in enumerate(self.count_texts):
            if index < len(bins):
                text.setText(f"{int(counts[index]):,}")
                text.setPos(float(centres[index]), float(counts[index]))
        item.setYRange(0, top * 1.35, padding=0)  # room for the numbers above the bars
        self._fit_count_texts()

    def _fit_count_texts(self) -> None:
        """The counts written above the bars while they fit a bin's width (the tooltip tells them otherwise)."""
        shown = self.shown
        bins = len(shown["bins"]) if shown is not None else 0
        pixel = self.count_plot.plotItem.getViewBox().viewPixelSize()[0]
        bin_px = 0.1 / pixel if pixel > 0 else 0.0
        for index, text in enumerate(self.count_texts):
            text.setVisible(index < bins and text.boundingRect().width() <= bin_px + 8)

    def bin_at(self, x: float) -> dict | None:
        shown = self.shown
        if shown is None:
            return None
        for entry in bins_of(shown):
            if entry["lower"] <= x <= entry["upper"]:
                return entry
        return None

    def _hover(self, widget: pg.PlotWidget, scene_pos) -> None:
        view = widget.plotItem.getViewBox()
        point = view.mapSceneToView(scene_pos)
        inside = view.sceneBoundingRect().contains(scene_pos)
        entry = self.bin_at(point.x()) if inside else None
        if entry is None:
            widget.setToolTip("")
            return
        low, high = f"{entry['lower']:.1f}", f"{entry['upper']:.1f}"
        if not entry["count"]:
            widget.setToolTip(
                translate("ReliabilityDiagram", "confidence {low}–{high}: no image").format(low=low, high=high)
            )
            return
        widget.setToolTip(
            translate(
                "ReliabilityDiagram",
                "confidence {low}–{high}: {count} images<br>mean confidence {confidence}, accuracy {accuracy}",
            ).format(
                low=low,
                high=high,
                count=f"{entry['count']:,}",
                confidence=percent(entry["confidence"]),
                accuracy=percent(entry["accuracy"]),
            )
        )


if __name__ == "__main__":
    from ui.plots.common import demo_app, run_demo
    from workbench.insight.metrics import calibration, fit_temperature, softmax

    app = demo_app()
    diagram = ReliabilityDiagram()
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 10, 2000)
    logits = rng.normal(0, 1, (2000, 10))
    logits[np.arange(2000), labels] += rng.normal(2.5, 1.5, 2000)

    def feed(tick: int) -> None:
        scaled = logits * (1 + 0.4 * tick)  # more and more over-confident
        before = calibration(softmax(scaled), labels).to_json()
        if tick % 4 == 0:
            t = fit_temperature(scaled, labels)
            diagram.show_calibration(before, tick, calibration(softmax(scaled, t), labels).to_json(), t)
        else:
            diagram.show_calibration(before, tick)

    run_demo(diagram, feed, interval_ms=1500, size=(620, 520))
