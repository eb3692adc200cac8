"""The Train tab's widgets, in the parts the dashboard lays out: the Data box, the Run box (buttons, progress,
the probe's test image, the result line), and the live panels. Each part makes its widgets in its own
`__init__` and shows what it is given; none of them decides anything (the dashboard does, from its session).
"""

from __future__ import annotations

import math
import time

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ui import i18n
from ui.i18n import translate
from ui.plots.accuracy_plot import AccuracyPlot, LearningRatePlot
from ui.plots.class_metrics import ClassMetricsTable
from ui.plots.common import plot_palette
from ui.plots.confusion_matrix import ConfusionMatrixView
from ui.plots.feature_maps import FeatureMapView
from ui.plots.filters import FilterView
from ui.plots.health_view import HealthView
from ui.plots.loss_plot import LossPlot
from ui.plots.lr_finder_plot import LrFinderPlot
from ui.plots.misclassified import MisclassifiedStrip
from ui.plots.reliability import ReliabilityDiagram
from ui.plots.softmax_chart import SoftmaxChart
from ui.training.settings_form import DatasetSelector, SettingsForm
from ui.widgets import Text
from workbench.events import ProbeUpdate
from workbench.model.built_layers import walk_modules

FILTER_REFRESH_S = 1.0
OUTCOME_TEXT = {  # through translate("RunBox", text)
    "finished": QT_TRANSLATE_NOOP("RunBox", "Done"),
    "stopped": QT_TRANSLATE_NOOP("RunBox", "Stopped"),
    "failed": QT_TRANSLATE_NOOP("RunBox", "Failed"),
}


def calibration_note() -> str:
    return translate(
        "CalibrationTab",
        "Temperature scaling divides the logits by one number T fitted on the validation split: every prediction "
        "stays the same, only the probabilities are rescaled (Save and export keep T).",
    )


def ready() -> str:
    """The progress bar's text when nothing runs."""
    return translate("RunBox", "Ready")


def _shown(text: Text) -> str:
    return text() if callable(text) else text


class DataBox(QGroupBox):
    """The dataset selector, what the loaded dataset holds, and one sample per class."""

    def __init__(self) -> None:
        super().__init__()
        self.selector = DatasetSelector()
        self.dataset_info = QLabel()
        self.dataset_info.setWordWrap(True)
        self.info: Text = lambda: translate("DataBox", "Loading…")  # what dataset_info says (`show_info`)
        self.samples = MisclassifiedStrip(title="Samples, one per class", captions=False)
        self.samples.setObjectName("sampleStrip")
        self.samples.setMaximumHeight(110)
        column = QVBoxLayout(self)
        column.addWidget(self.selector)
        column.addWidget(self.dataset_info)
        column.addWidget(self.samples)
        i18n.follow(self, DataBox.retranslate)

    def retranslate(self) -> None:
        self.setTitle(translate("DataBox", "Data"))
        self.samples.title = translate("DataBox", "Samples, one per class")
        self.samples.setAccessibleName(translate("DataBox", "Sample images"))
        if callable(self.info):
            self.dataset_info.setText(self.info())

    def show_info(self, text: Text) -> None:
        """What the dataset holds (or that it loads); a lambda's text follows a change of language."""
        self.info = text
        self.dataset_info.setText(_shown(text))


def _button(name: str) -> QPushButton:
    button = QPushButton()
    button.setObjectName(name)
    return button


class RunBox(QGroupBox):
    """Train / Pause / Stop, the progress bar and its detail line, the probe's test image, the result line,
    Save and Export logits."""

    def __init__(self) -> None:
        super().__init__()
        self.train_button = _button("trainButton")
        self.pause_button = _button("pauseButton")
        self.stop_button = _button("stopButton")
        self.progress = QProgressBar()
        self.progress.setObjectName("trainingProgress")
        self._format: Text = ready  # the progress bar's text, when it is one that follows the language
        self.progress.setFormat(ready())
        self.progress.setTextVisible(True)
        self.progress_detail = QLabel("")
        self.result_label = QLabel("")
        self.result_label.setWordWrap(True)
        self.save_button = _button("saveModelButton")
        self.export_button = _button("exportLogitsButton")
        self.probe_label = QLabel()
        self.probe_index = QSpinBox()
        self._lay_out()
        i18n.follow(self, RunBox.retranslate)

    def retranslate(self) -> None:
        self.setTitle(translate("RunBox", "Run"))
        self.train_button.setText(translate("RunBox", "Train"))
        self.stop_button.setText(translate("RunBox", "Stop"))
        self.save_button.setText(translate("RunBox", "Save model…"))
        self.export_button.setText(translate("RunBox", "Export logits…"))
        self.progress.setAccessibleName(translate("RunBox", "Training progress"))
        self.probe_label.setText(translate("RunBox", "Probe test image #"))
        self.probe_index.setToolTip(
            translate("RunBox", "Which test image to follow through every layer while training")
        )
        self.show_paused(self.pause_button.property("paused") is True)
        if callable(self._format):
            self.progress.setFormat(self._format())

    def show_paused(self, paused: bool) -> None:
        """Pause, or Resume while the run is paused."""
        self.pause_button.setProperty("paused", paused)
        self.pause_button.setText(translate("RunBox", "Resume") if paused else translate("RunBox", "Pause"))

    def _lay_out(self) -> None:
        run = QGridLayout(self)
        run.addWidget(self.train_button, 0, 0)
        run.addWidget(self.pause_button, 0, 1)
        run.addWidget(self.stop_button, 0, 2)
        run.addWidget(self.progress, 1, 0, 1, 3)
        run.addWidget(self.progress_detail, 2, 0, 1, 3)
        run.addWidget(self.probe_label, 3, 0, 1, 2)
        run.addWidget(self.probe_index, 3, 2)
        run.addWidget(self.result_label, 4, 0, 1, 3)
        run.addWidget(self.save_button, 5, 0, 1, 2)
        run.addWidget(self.export_button, 5, 2)

    def set_format(self, text: Text) -> None:
        """The progress bar's text; a lambda's text follows a change of language."""
        self._format = text
        self.progress.setFormat(_shown(text))

    def reset_progress(self, text: Text = ready) -> None:
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.set_format(text)

    def show_busy(self, text: Text) -> None:
        """A moving bar: work whose length is not known yet."""
        self.progress.setRange(0, 0)
        self.set_format(text)

    def show_progress(self, message: str, done: int, total: int) -> None:
        """Background work's progress (`total` 0: not known yet)."""
        if total:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
        self.set_format(f"{message} %p%")

    def show_outcome(self, outcome: str) -> None:
        """A run ended: "finished" leaves the bar full."""
        text = OUTCOME_TEXT.get(outcome)
        self.reset_progress((lambda: translate("RunBox", text)) if text else outcome)
        self.progress.setRange(0, 1)
        self.progress.setValue(1 if outcome == "finished" else 0)


class CalibrationTab(QWidget):
    """The reliability diagram, and beside it Calibrate (temperature scaling) with a line saying what it did."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("calibrationTab")
        self.diagram = ReliabilityDiagram()
        self.calibrate_button = _button("calibrateButton")
        self.note = QLabel()
        self.note.setObjectName("calibrationNote")
        self.note.setWordWrap(True)
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self._note: Text = calibration_note
        self.side = QWidget()  # beside the diagram: the evaluation area is wide and low
        self.side.setObjectName("calibrationSide")
        plot_palette(self.side)
        column = QVBoxLayout(self.side)
        column.setContentsMargins(8, 8, 8, 8)
        column.addWidget(self.calibrate_button)
        column.addWidget(self.note, 1)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.diagram, 1)
        row.addWidget(self.side)
        i18n.follow(self, CalibrationTab.retranslate)

    def retranslate(self) -> None:
        self.calibrate_button.setText(translate("CalibrationTab", "Calibrate (temperature scaling)"))
        self.calibrate_button.setToolTip(
            translate(
                "CalibrationTab",
                "Fit one temperature T on the validation split so that the model's confidence matches its accuracy; "
                "the probabilities everywhere become softmax(logits / T), the logits and the predictions stay",
            )
        )
        self.side.setFixedWidth(max(240, self.calibrate_button.sizeHint().width() + 24))
        if callable(self._note):
            self.note.setText(self._note())

    def set_note(self, text: Text) -> None:
        """The line beside the diagram; a lambda's text follows a change of language."""
        self._note = text
        self.note.setText(_shown(text))

    def reset(self) -> None:
        self.diagram.reset()
        self.set_note(calibration_note)


class LivePanels(QSplitter):
    """The run's panels: loss beside accuracy / learning rate / LR finder, the probe's feature maps beside
    its softmax, and the evaluation tabs (confusion with the per-class table, calibration, misclassified,
    filters, layer health) below."""

    def __init__(self) -> None:
        super().__init__(Qt.Orientation.Vertical)
        self.loss_plot = LossPlot()
        self.accuracy_plot = AccuracyPlot()
        self.lr_plot = LearningRatePlot()
        self.feature_maps = FeatureMapView(explainable=True)
        self.softmax = SoftmaxChart()
        self.last_probe: ProbeUpdate | None = None  # what the probe panels show
        self.confusion = ConfusionMatrixView()
        self.class_metrics = ClassMetricsTable()
        self.confusion_split = QSplitter(Qt.Orientation.Horizontal)
        self.confusion_split.setObjectName("confusionSplit")
        self.calibration = CalibrationTab()
        self.filters = FilterView()
        self.misclassified = MisclassifiedStrip()
        self.health = HealthView()
        self.lr_finder = LrFinderPlot()
        self.curves = QTabWidget()
        self.evaluation = QTabWidget()
        self._last_filters = -math.inf
        self.filter_interval_s = FILTER_REFRESH_S  # while training, filters are redrawn at most this often
        self.clock = time.monotonic  # injected by tests
        self._lay_out()

    def _lay_out(self) -> None:
        for widget in (self.accuracy_plot, self.lr_plot, self.lr_finder):
            self.curves.addTab(widget, "")
        self.confusion_split.addWidget(self.confusion)
        self.confusion_split.addWidget(self.class_metrics)
        self.confusion_split.setStretchFactor(0, 3)
        self.confusion_split.setStretchFactor(1, 2)
        self.confusion_split.setSizes([600, 400])
        self.class_metrics.class_clicked.connect(self.confusion.select_row)
        for widget in (self.confusion_split, self.calibration, self.misclassified, self.filters, self.health):
            self.evaluation.addTab(widget, "")
        for left, right in ((self.loss_plot, self.curves), (self.feature_maps, self.softmax)):
            row = QSplitter(Qt.Orientation.Horizontal)
            row.addWidget(left)
            row.addWidget(right)
            self.addWidget(row)
        self.addWidget(self.evaluation)
        i18n.follow(self, LivePanels.retranslate)

    def retranslate(self) -> None:
        for index, title in enumerate(
            (
                translate("LivePanels", "Accuracy"),
                translate("LivePanels", "Learning rate"),
                translate("LivePanels", "LR finder"),
            )
        ):
            self.curves.setTabText(index, title)
        for index, title in enumerate(
            (
                translate("LivePanels", "Confusion matrix"),
                translate("LivePanels", "Calibration"),
                translate("LivePanels", "Misclassified"),
                translate("LivePanels", "First-layer filters"),
                translate("LivePanels", "Layer health"),
            )
        ):
            self.evaluation.setTabText(index, title)

    def reset_for_run(self) -> None:
        """A new run draws from scratch (the misclassified strip keeps the last run's until the first epoch)."""
        for panel in (
            self.loss_plot,
            self.accuracy_plot,
            self.lr_plot,
            self.feature_maps,
            self.confusion,
            self.class_metrics,
            self.calibration,
            self.filters,
            self.health,
        ):
            panel.reset()

    def show_confusion(self, matrix, class_names, epoch: int) -> None:
        """The validation split's confusion matrix, and its per-class figures beside it."""
        self.confusion.show_confusion(matrix, class_names, epoch)
        self.class_metrics.show_confusion(matrix, class_names, epoch)

    def show_quality_problem(self, text: str) -> None:
        """No confusion, per-class figures or calibration can be shown for the model at hand: say why."""
        self.confusion.reset()
        self.class_metrics.reset(text)
        self.calibration.diagram.reset(text)

    def show_probe(self, event: ProbeUpdate) -> None:
        self.last_probe = event
        self.feature_maps.show_probe(event)
        self.softmax.show_probe(event)

    def refresh_filters(self, run, force: bool = False) -> None:
        """Show the first conv layer's filters (in forward order, inside a block too) from the latest copy of
        `run`'s weights (at most once a second while training, and at the end)."""
        model = run.model() if run else None
        now = self.clock()
        if model is None or (not force and now - self._last_filters < self.filter_interval_s):
            return
        self._last_filters = now
        for layer in walk_modules(model, projections=False):
            module = layer.module
            if hasattr(module, "kernel_size") and getattr(module, "weight", None) is not None:
                self.filters.show_filters(module.weight.detach().float().numpy())
                return


def lay_out(dashboard: QWidget, data: DataBox, run: RunBox, settings: SettingsForm, panels: LivePanels) -> None:
    """The side column (scrolling) left of the panels, the split between them movable."""
    layout = QHBoxLayout(dashboard)
    splitter = QSplitter(Qt.Orientation.Horizontal)
    splitter.addWidget(_side_panel(data, run, settings))
    splitter.addWidget(panels)
    splitter.setStretchFactor(1, 1)
    splitter.setSizes([300, 1000])
    layout.addWidget(splitter)


def _side_panel(data: DataBox, run: RunBox, settings: SettingsForm) -> QWidget:
    settings_box = i18n.keep(QGroupBox(), "setTitle", lambda: translate("DataBox", "Settings"))
    QVBoxLayout(settings_box).addWidget(settings)
    side = QWidget()
    column = QVBoxLayout(side)
    column.setContentsMargins(0, 0, 0, 0)
    for box in (data, run, settings_box):  # Run above Settings: Stop stays in view on small screens
        column.addWidget(box)
    column.addStretch(1)
    scroll = QScrollArea()  # the side panel scrolls rather than forcing a tall window
    scroll.setWidget(side)
    scroll.setWidgetResizable(True)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    bar = scroll.verticalScrollBar().sizeHint().width()  # shown when the column is taller than the window
    scroll.setMinimumWidth(max(300, side.minimumSizeHint().width() + bar + 2))
    return scroll
