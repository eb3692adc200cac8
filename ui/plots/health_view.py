"""Layer health while training: a table of every layer's numbers and flags, and the chosen layer's
activation, gradient or weight histograms over time as an image (step across, value up)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QRectF, QSettings, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui import i18n, messages, theme
from ui.i18n import translate
from ui.plots.common import (
    Refresher,
    add_menu_actions,
    colorbar,
    header_bar,
    layer_place,
    placeholder,
    shrinkable,
    stacked_panel,
    style_plot,
    themed_plot_widget,
)
from ui.widgets import record_table, set_names
from workbench.events import HealthUpdate
from workbench.insight.health import Key, LayerHealth, Thresholds
from workbench.insight.health_history import KINDS, HealthHistory, on_step_grid

HEALTH_INTERVAL_S = 1.0  # seconds between measurements while training (bench/bench_health.py: its cost)
MEASURE_SETTING = "health/measure"
LAYER_COLUMN_MAX = 320  # pixels: a longer place is elided (its tooltip has it whole)
HEADERS = (
    QT_TRANSLATE_NOOP("HealthView", "Layer"),
    QT_TRANSLATE_NOOP("HealthView", "Dead/sat."),
    QT_TRANSLATE_NOOP("HealthView", "‖grad‖"),
    QT_TRANSLATE_NOOP("HealthView", "Update"),
    QT_TRANSLATE_NOOP("HealthView", "Flags"),
)
HEADER_TIPS = (
    QT_TRANSLATE_NOOP("HealthView", "The layer's place in the stack and its type"),
    QT_TRANSLATE_NOOP(
        "HealthView",
        "ReLU: the share of units that are 0 for every sample image (dead). Sigmoid/Tanh: the share of outputs in "
        "the flat ends (saturated)",
    ),
    QT_TRANSLATE_NOOP("HealthView", "The norm of the gradient of the loss with respect to the layer's weights"),
    QT_TRANSLATE_NOOP(
        "HealthView",
        "‖Δw‖/‖w‖: how far one training step moved the weights, relative to their size (about 1e-3 is healthy)",
    ),
    QT_TRANSLATE_NOOP("HealthView", "What looks wrong, against the thresholds below"),
)
NO_HEALTH = QT_TRANSLATE_NOOP("HealthView", "Layer health — no measurement yet")
EMPTY = QT_TRANSLATE_NOOP(
    "HealthView",
    "Every layer's health appears here while a run trains: dead ReLUs, saturated Sigmoid/Tanh, "
    "vanishing or exploding gradients, and how fast each layer's weights move",
)
OFF = QT_TRANSLATE_NOOP("HealthView", "Layer health is not measured: tick “Measure while training” and train")
KIND_NAMES = {
    "activations": QT_TRANSLATE_NOOP("HealthView", "Activations"),
    "gradients": QT_TRANSLATE_NOOP("HealthView", "Gradients"),
    "weights": QT_TRANSLATE_NOOP("HealthView", "Weights"),
}


def _t(text: str) -> str:
    """One of this module's texts (marked above) in the window's language."""
    return translate("HealthView", text)


def flag_text(flag: str) -> str:
    """A flag of the core ("100% dead units", coded in `workbench.insight.health`) in the window's language."""
    return messages.translated(flag)


def flags_text(entry: LayerHealth) -> str:
    return translate("HealthView", "; ").join(flag_text(flag) for flag in entry.flags)


def threshold_lines(thresholds: Thresholds) -> list[str]:
    """What each flag means, in words a learner can check the numbers against (as the core's `threshold_lines`)."""
    return [
        translate("HealthView", "dead: a ReLU with more than {dead} of its units 0 for every sample image").format(
            dead=f"{thresholds.dead:.0%}"
        ),
        translate(
            "HealthView", "saturated: a Sigmoid/Tanh with more than {saturated} of its outputs in the flat ends"
        ).format(saturated=f"{thresholds.saturated:.0%}"),
        translate(
            "HealthView", "vanishing / exploding: a weight gradient norm below {vanishing} / above {exploding}"
        ).format(vanishing=f"{thresholds.vanishing:.0e}", exploding=f"{thresholds.exploding:.0e}"),
        translate(
            "HealthView",
            "update ratio ‖Δw‖/‖w‖ of one step: below {low} barely learning, above {high} thrashing "
            "(about 1e-3 is healthy)",
        ).format(low=f"{thresholds.update_low:.0e}", high=f"{thresholds.update_high:.0e}"),
    ]


def _number(value: float | None, percent: bool = False) -> str:
    if value is None:
        return "—"
    return f"{100 * value:.0f}%" if percent else f"{value:.1e}"


def row_cells(entry: LayerHealth) -> tuple[str, ...]:
    """The table's texts for one layer (1-based like the Build tab's stack; inside a block, its place)."""
    share = entry.dead_fraction if entry.dead_fraction is not None else entry.saturated_fraction
    return (
        layer_place(entry.label),
        _number(share, percent=True),
        _number(entry.grad_norm),
        _number(entry.update_ratio),
        flags_text(entry) or translate("HealthView", "ok"),
    )


class HealthView(QWidget):
    """`add_update(HealthUpdate)`, `reset()`; `measuring` says whether the next run should measure
    (remembered). Click a row to see that layer's histograms; the combo picks which."""

    measuring_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        set_names(
            self,
            "healthView",
            lambda: translate("HealthView", "Per-layer health while training: histograms over time and flags"),
        )
        self.history = HealthHistory()
        self.layer_index: Key | None = None  # LayerHealth.index: 0-based, or a module name inside a block
        self.refresher = Refresher(self, self._redraw)
        self._make_header()
        self.placeholder = placeholder("")
        self.body = QSplitter(Qt.Orientation.Horizontal)
        self.body.addWidget(self._make_table())
        self.plot_box = QWidget()  # the plot is made with the first measurement (_make_plot): 35 ms a window
        self.plot_box.setObjectName("healthPlotBox")
        QVBoxLayout(self.plot_box).setContentsMargins(0, 0, 0, 0)
        self.plot: pg.PlotWidget | None = None
        self.body.addWidget(self.plot_box)
        self.body.setStretchFactor(0, 3)
        self.body.setStretchFactor(1, 2)
        self.body.setSizes([560, 440])  # the table's five columns need the room
        self.stack = stacked_panel(self, self.header, self.placeholder, self.body)
        i18n.follow(self, lambda view: view.retranslate())

    def retranslate(self) -> None:
        """Headers, tips, choices and the title in the window's language (the measurements' texts too)."""
        self.setAccessibleName(translate("HealthView", "Layer health"))
        self.table.setAccessibleName(translate("HealthView", "Health of each layer"))
        self.kind_combo.setAccessibleName(translate("HealthView", "Histograms to show"))
        for index, kind in enumerate(KINDS):
            self.kind_combo.setItemText(index, _t(KIND_NAMES[kind]))
        for column, (text, tip) in enumerate(zip(HEADERS, HEADER_TIPS, strict=True)):
            item = self.table.horizontalHeaderItem(column)
            item.setText(_t(text))
            item.setToolTip(_t(tip))
        self.measure_check.setToolTip(
            translate(
                "HealthView",
                "Every {seconds} s of training, one extra forward and backward pass on 32 images of the batch "
                "(it costs a few percent of the training speed). Applies from the next run.",
            ).format(seconds=f"{HEALTH_INTERVAL_S:g}")
        )
        lines = "<br>".join(threshold_lines(Thresholds()))
        self.table.setToolTip(lines)
        self.thresholds_label.setToolTip(lines)
        self.placeholder.setText(_t(EMPTY if self.measuring else OFF))
        if self.history.latest is None:
            self.title_label.setText(_t(NO_HEALTH))
        else:
            self._redraw()

    # ----- layout ----------------------------------------------------------------------------------------

    def _make_header(self) -> None:
        self.header, layout = header_bar()
        self.title_label = shrinkable(QLabel())
        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("healthKind")
        for kind in KINDS:
            self.kind_combo.addItem(kind, kind)  # named in retranslate
        i18n.keep(
            self.kind_combo,
            "setToolTip",
            lambda: translate("HealthView", "Which histograms of the chosen layer to show over time"),
        )
        self.kind_combo.currentIndexChanged.connect(self.refresher.mark)
        self.measure_check = i18n.keep(
            QCheckBox(), "setText", lambda: translate("HealthView", "Measure while training")
        )
        self.measure_check.setObjectName("healthMeasure")
        self.measure_check.setChecked(QSettings().value(MEASURE_SETTING, True, type=bool))
        self.measure_check.toggled.connect(self._on_measure_toggled)
        layout.addWidget(self.title_label, 1)
        layout.addWidget(self.kind_combo)
        layout.addWidget(self.measure_check)

    def _make_table(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.table = record_table("healthTable", HEADERS, HEADER_TIPS)
        header = self.table.horizontalHeader()
        number = self.table.fontMetrics().horizontalAdvance("8.8e-08") + 18
        self._layer_width = self.table.fontMetrics().horizontalAdvance("12 BatchNorm2d") + 18
        for column, width in enumerate((self._layer_width,) + (number,) * 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, width)
        header.setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._on_row_chosen)
        self.thresholds_label = i18n.keep(
            QLabel(),
            "setText",
            lambda: translate(
                "HealthView",
                "Flags: dead or saturated > 50% · gradient norm < 1e-7 or > 1e3 · update ratio outside 1e-5…1e-1",
            ),
        )
        self.thresholds_label.setObjectName("healthThresholds")
        self.thresholds_label.setWordWrap(True)
        theme.style_sheet(self.thresholds_label, "color: {muted}; font-size: 8pt;")
        layout.addWidget(self.table, 1)
        layout.addWidget(self.thresholds_label)
        return box

    def _make_plot(self) -> None:
        if self.plot is not None:
            return
        self.plot = themed_plot_widget()
        item = self.plot.plotItem
        style_plot(item, lambda: translate("HealthView", "step"), lambda: translate("HealthView", "value"), grid=False)
        item.hideButtons()
        self.image_item = pg.ImageItem(axisOrder="row-major")
        item.addItem(self.image_item)
        self.colorbar = colorbar("viridis", lambda: translate("HealthView", "share (√ scale)"), self.plot)
        self.colorbar.setImageItem(self.image_item, insert_in=item)
        add_menu_actions(item.getViewBox(), None)
        self.plot_box.layout().addWidget(self.plot)

    # ----- data ------------------------------------------------------------------------------------------

    @property
    def measuring(self) -> bool:
        return self.measure_check.isChecked()

    def health_interval(self) -> float | None:
        """What the next run is started with: seconds between measurements, None for none."""
        return HEALTH_INTERVAL_S if self.measuring else None

    def add_update(self, update: HealthUpdate) -> None:
        self.history.add(update)
        if self.layer_index is None:
            self.layer_index = self._first_flagged_or_weighted(update)
        self.refresher.mark()

    def reset(self) -> None:
        self.refresher.cancel()
        self.history.clear()
        self.layer_index = None
        self.table.setRowCount(0)
        if self.plot is not None:
            self.image_item.clear()
        self.title_label.setText(_t(NO_HEALTH))
        self.placeholder.setText(_t(EMPTY if self.measuring else OFF))
        self.stack.setCurrentWidget(self.placeholder)

    def show_layer(self, index: Key, kind: str | None = None) -> None:
        """Show layer `index` (0-based; inside a block, its module name, "1.body.0") and, if given, that kind of
        histogram."""
        self.layer_index = index
        if kind is not None:
            self.kind_combo.setCurrentIndex(KINDS.index(kind))
        self.refresher.mark()

    @property
    def kind(self) -> str:
        return self.kind_combo.currentData()

    def _first_flagged_or_weighted(self, update: HealthUpdate) -> Key:
        for entry in update.layers:
            if entry.flags:
                return entry.index
        return next((e.index for e in update.layers if e.weights is not None), update.layers[0].index)

    def _on_measure_toggled(self, on: bool) -> None:
        QSettings().setValue(MEASURE_SETTING, on)
        if not self.history:
            self.placeholder.setText(_t(EMPTY if on else OFF))
        self.measuring_changed.emit(on)

    def _on_row_chosen(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        latest = self.history.latest
        if rows and latest is not None and rows[0].row() < len(latest.layers):
            index = latest.layers[rows[0].row()].index
            if index != self.layer_index:
                self.layer_index = index
                self.refresher.mark()

    # ----- drawing ---------------------------------------------------------------------------------------

    def _redraw(self) -> None:
        latest = self.history.latest
        if latest is None:
            return
        self._make_plot()
        self.stack.setCurrentWidget(self.body)
        flagged = sum(bool(entry.flags) for entry in latest.layers)
        if flagged == 1:
            text = translate(
                "HealthView", "<b>Layer health</b> · step {step} · {measurements} measurements · <b>1 layer flagged</b>"
            )
        elif flagged:
            text = translate(
                "HealthView",
                "<b>Layer health</b> · step {step} · {measurements} measurements · <b>{flagged} layers flagged</b>",
            )
        else:
            text = translate(
                "HealthView", "<b>Layer health</b> · step {step} · {measurements} measurements · all layers ok"
            )
        steps = f"{latest.step:,}"
        self.title_label.setText(text.format(step=steps, measurements=len(self.history), flagged=flagged))
        self._fill_table(latest)
        self._draw_density()

    def _fit_layer_column(self, latest: HealthUpdate) -> None:
        """Wide enough for the longest place ("3 Residual › projection BatchNorm2d"), up to LAYER_COLUMN_MAX."""
        metrics = self.table.fontMetrics()
        widest = max((metrics.horizontalAdvance(entry.label) for entry in latest.layers), default=0) + 18
        width = min(max(self._layer_width, widest), LAYER_COLUMN_MAX)
        if self.table.horizontalHeader().sectionSize(0) != width:
            self.table.horizontalHeader().resizeSection(0, width)

    def _fill_table(self, latest: HealthUpdate) -> None:
        t = theme.current()
        self._fit_layer_column(latest)
        self.table.blockSignals(True)
        self.table.setRowCount(len(latest.layers))
        for row, entry in enumerate(latest.layers):
            for column, text in enumerate(row_cells(entry)):
                item = self.table.item(row, column)
                if item is None:
                    item = QTableWidgetItem()
                    self.table.setItem(row, column, item)
                item.setText(text)
                item.setToolTip(flags_text(entry) if entry.flags else (layer_place(entry.label) if column == 0 else ""))
                item.setForeground(QColor(t.error) if entry.flags and column == len(HEADERS) - 1 else QColor())
            if entry.index == self.layer_index:
                self.table.selectRow(row)
        self.table.blockSignals(False)

    @staticmethod
    def _layer_name(entry: LayerHealth | None) -> str:
        if entry is None:
            return translate("HealthView", "this layer")
        return translate("HealthView", "layer {place}").format(place=layer_place(entry.label))

    def _draw_density(self) -> None:
        index, kind = self.layer_index, self.kind
        density = None if index is None else self.history.density(index, kind)
        plot = self.plot.plotItem
        latest = self.history.latest
        entry = None if index is None or latest is None else self.history.layer(latest, index)
        name = self._layer_name(entry)
        kind_name = _t(KIND_NAMES[kind]).lower()
        if density is None:
            self.image_item.clear()
            if kind == "activations":
                plot.setTitle(translate("HealthView", "{layer} has no {kind}").format(layer=name, kind=kind_name))
            else:
                title = translate("HealthView", "{layer} has no {kind} (no weights)")
                plot.setTitle(title.format(layer=name, kind=kind_name))
            return
        image, first, last = on_step_grid(density)
        shown = np.sqrt(image.T)  # rows: value bins (up), columns: steps (across)
        top = max(float(shown.max()), 1e-6)
        self.image_item.setImage(shown, levels=(0, top), autoLevels=False)
        self.image_item.setRect(QRectF(first, density.low, max(last - first, 1.0), density.high - density.low))
        self.colorbar.setLevels((0, top))
        plot.setTitle(translate("HealthView", "{layer}: {kind} over time").format(layer=name, kind=kind_name))
        plot.getViewBox().autoRange(padding=0)


if __name__ == "__main__":
    import torch
    from torch import nn

    from ui.plots.common import demo_app, run_demo
    from workbench.insight.health import measure_health

    app = demo_app()
    view = HealthView()
    model = nn.Sequential(nn.Conv2d(1, 8, 3), nn.ReLU(), nn.Flatten(), nn.Linear(8 * 26 * 26, 10))
    x, y = torch.rand(32, 1, 28, 28), torch.randint(0, 10, (32,))

    def feed(tick: int) -> None:
        with torch.no_grad():
            model[0].bias.sub_(0.02)
        view.add_update(HealthUpdate(tick * 50, tuple(measure_health(model, x, y)), {}))

    run_demo(view, feed, interval_ms=300, size=(900, 360))
