"""The Train tab: dataset, settings, Train / Pause / Stop, and the live panels."""

from __future__ import annotations

import html
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ui import theme
from ui.background import BackgroundTask, Tasks
from ui.plots.accuracy_plot import AccuracyPlot, LearningRatePlot
from ui.plots.confusion_matrix import ConfusionMatrixView
from ui.plots.feature_maps import FeatureMapView
from ui.plots.filters import FilterView
from ui.plots.hard_examples import HardExamplesDialog
from ui.plots.health_view import HealthView
from ui.plots.loss_plot import LossPlot
from ui.plots.lr_finder_plot import LrFinderPlot
from ui.plots.misclassified import MisclassifiedStrip
from ui.plots.softmax_chart import SoftmaxChart
from ui.training import results
from ui.training.lr_search import LrSearch
from ui.training.run_keeping import RunKeeping
from ui.training.settings_form import DatasetSelector, SettingsForm
from ui.training.worker import TrainingRun
from workbench.data.datasets import Dataset, load_dataset, sample_images
from workbench.events import (
    BatchEnded,
    EpochEnded,
    Failed,
    Finished,
    HealthUpdate,
    Notice,
    Paused,
    ProbeUpdate,
    Resumed,
    RunStarted,
    Stopped,
    ValidationChecked,
)
from workbench.files.model_file import SavedModel
from workbench.insight.classify import Classifier
from workbench.insight.hard_examples import cell_examples, split_probabilities
from workbench.insight.probe import as_unit_image
from workbench.insight.saliency import class_to_explain
from workbench.model.spec import ModelSpec
from workbench.training.config import ConfigError, TrainConfig

FILTER_REFRESH_S = 1.0
DATASET, HARD_EXAMPLES, RUN = "dataset", "hard examples", "run"  # kinds of work in the window's Tasks


class TrainingDashboard(QWidget):
    input_shape_found = Signal(object)  # the chosen dataset's (C, H, W): the model's input should match
    status_message = Signal(str)
    device_used = Signal(str)  # what a run really trains on, e.g. "CUDA · NVIDIA H200 · bf16 autocast"
    model_changed = Signal()  # `classifier()` has new weights: a run's update or end, another model or dataset
    dataset_ready = Signal(bool)  # a dataset load ended: True loaded, False failed (the reason is shown)

    def __init__(self, parent: QWidget | None = None, tasks: Tasks | None = None):
        """`tasks`: the window's background work (the dashboard's own without a window)."""
        super().__init__(parent)
        self.tasks = tasks if tasks is not None else Tasks(self)
        self.dataset: Dataset | None = None
        self.run: TrainingRun | None = None
        self.spec: ModelSpec | None = None
        self.saved: SavedModel | None = None  # a trained model opened from a file (used until a run has weights)
        self.saved_name = ""
        self.checkpoint_path: Path | None = None  # where app runs keep their checkpoint (set by the window)
        self.custom_probe: tuple[np.ndarray, int | None] | None = None  # a drawing pinned as the probe
        self.saved_run_id: int | None = None  # the stored run the opened model comes from, if any
        self._before_teach: list[tuple] = []  # what `undo_teach` goes back to, latest last
        self.keeping = RunKeeping(parent=self)  # the window gives it the run store
        self.keeping.status_message.connect(self.status_message)
        self._loader: BackgroundTask | None = None
        self._exporter: BackgroundTask | None = None  # a logits export under way (or done)
        self._last_step = 0
        self._last_filters = 0.0
        self.state = "idle"
        self._build()
        self._set_state("idle")
        self._start_when_loaded = False

    def showEvent(self, event) -> None:
        """The dataset loads when the Train tab is first shown, not at start-up."""
        super().showEvent(event)
        self.ensure_dataset()

    def ensure_dataset(self) -> bool:
        """True when the chosen dataset is loaded; else start loading it (once): `dataset_ready` tells."""
        if self.dataset is None and self._loader is None:
            self.load_dataset(self.selector.name())
        return self.dataset is not None

    def shutdown(self, wait_ms: int = 30000) -> None:
        """Cancel the window's background work and stop a run, so no thread outlives the window (a dataset
        read, which cannot stop midway, is waited for a moment, then left to end with its result dropped)."""
        self.tasks.shutdown(min(wait_ms, 1500), wait_ms)
        self.stop(wait_ms)
        recorder = self.keeping.recorder
        if recorder is not None and recorder.outcome is None and self.run is not None:  # its end is still queued
            self.keeping.ended("stopped", self.run.saved_model())

    # ----- layout --------------------------------------------------------------------------------

    def _build(self) -> None:
        self.selector = DatasetSelector()
        self.selector.dataset_chosen.connect(lambda name, folder: self.load_dataset(name, folder))
        self.dataset_info = QLabel("Loading…")
        self.dataset_info.setWordWrap(True)
        self.samples = MisclassifiedStrip(title="Samples, one per class", captions=False)
        self.samples.setObjectName("sampleStrip")
        self.samples.setAccessibleName("sampleStrip")
        self.samples.setMaximumHeight(110)
        self.settings = SettingsForm()
        self.settings.lr_find_requested.connect(self.find_lr)
        self.train_button = self._button("Train", "trainButton", self._on_train_clicked)
        self.pause_button = self._button("Pause", "pauseButton", self._on_pause_clicked)
        self.stop_button = self._button("Stop", "stopButton", self._on_stop_clicked)
        self.progress = QProgressBar()
        self.progress.setObjectName("trainingProgress")
        self.progress.setAccessibleName("trainingProgress")
        self.progress.setFormat("Ready")
        self.progress.setTextVisible(True)
        self.progress_detail = QLabel("")
        self.result_label = QLabel("")
        self.result_label.setWordWrap(True)
        self.save_button = self._button("Save model…", "saveModelButton", self._on_save_clicked)
        self.export_button = self._button("Export logits…", "exportLogitsButton", self._on_export_clicked)
        self.probe_index = QSpinBox()
        self.probe_index.setToolTip("Which test image to follow through every layer while training")
        self.probe_index.valueChanged.connect(self._on_probe_index_changed)
        layout = QHBoxLayout(self)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self._side_panel())
        splitter.addWidget(self._plots())
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([300, 1000])
        layout.addWidget(splitter)

    def _button(self, text: str, name: str, slot) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setAccessibleName(name)
        button.clicked.connect(slot)
        return button

    def _side_panel(self) -> QWidget:
        data_box = QGroupBox("Data")
        data = QVBoxLayout(data_box)
        data.addWidget(self.selector)
        data.addWidget(self.dataset_info)
        data.addWidget(self.samples)
        settings_box = QGroupBox("Settings")
        QVBoxLayout(settings_box).addWidget(self.settings)
        run_box = QGroupBox("Run")
        run = QGridLayout(run_box)
        run.addWidget(self.train_button, 0, 0)
        run.addWidget(self.pause_button, 0, 1)
        run.addWidget(self.stop_button, 0, 2)
        run.addWidget(self.progress, 1, 0, 1, 3)
        run.addWidget(self.progress_detail, 2, 0, 1, 3)
        run.addWidget(QLabel("Probe test image #"), 3, 0, 1, 2)
        run.addWidget(self.probe_index, 3, 2)
        run.addWidget(self.result_label, 4, 0, 1, 3)
        run.addWidget(self.save_button, 5, 0, 1, 2)
        run.addWidget(self.export_button, 5, 2)
        side = QWidget()
        column = QVBoxLayout(side)
        column.setContentsMargins(0, 0, 0, 0)
        for box in (data_box, run_box, settings_box):  # Run above Settings: Stop stays in view on small screens
            column.addWidget(box)
        column.addStretch(1)
        scroll = QScrollArea()  # the side panel scrolls rather than forcing a tall window
        scroll.setWidget(side)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        bar = scroll.verticalScrollBar().sizeHint().width()  # shown when the column is taller than the window
        scroll.setMinimumWidth(max(300, side.minimumSizeHint().width() + bar + 2))
        return scroll

    def _plots(self) -> QWidget:
        self.loss_plot = LossPlot()
        self.accuracy_plot = AccuracyPlot()
        self.lr_plot = LearningRatePlot()
        self.feature_maps = FeatureMapView(explainable=True)
        self.feature_maps.explain_changed.connect(lambda _method: self._explain_again())
        self.softmax = SoftmaxChart()
        self.softmax.class_clicked.connect(self.explain_class)
        self.explained_class: int | None = None  # the class the probe's saliency explains; None: the predicted
        self.last_probe: ProbeUpdate | None = None
        self.confusion = ConfusionMatrixView()
        self.confusion.cell_clicked.connect(self.show_hard_examples)
        self.hard_examples: HardExamplesDialog | None = None
        self._val_cache: tuple[tuple, tuple, np.ndarray] | None = None  # see _on_val_read
        self.filters = FilterView()
        self.misclassified = MisclassifiedStrip()
        self.health = HealthView()
        self.lr_finder = LrFinderPlot()
        self.lr_search = LrSearch(self.settings, self.lr_finder, self.tasks, self)
        self.lr_search.status_message.connect(self.status_message)
        self.lr_search.ended.connect(self._update_buttons)
        self.curves = curves = QTabWidget()
        curves.addTab(self.accuracy_plot, "Accuracy")
        curves.addTab(self.lr_plot, "Learning rate")
        curves.addTab(self.lr_finder, "LR finder")
        evaluation = QTabWidget()
        evaluation.addTab(self.confusion, "Confusion matrix")
        evaluation.addTab(self.misclassified, "Misclassified")
        evaluation.addTab(self.filters, "First-layer filters")
        evaluation.addTab(self.health, "Layer health")
        self.evaluation = evaluation
        grid = QSplitter(Qt.Orientation.Vertical)
        for left, right in ((self.loss_plot, curves), (self.feature_maps, self.softmax)):
            row = QSplitter(Qt.Orientation.Horizontal)
            row.addWidget(left)
            row.addWidget(right)
            grid.addWidget(row)
        grid.addWidget(evaluation)
        return grid

    # ----- dataset -------------------------------------------------------------------------------

    def load_dataset(self, name: str, folder: str | None = None) -> None:
        self.dataset = None
        self._update_buttons()
        self.dataset_info.setText(f"Loading {name}…")
        self.progress.setRange(0, 0)
        self.tasks.cancel(HARD_EXAMPLES)  # read from the data being replaced
        self._loader = self.tasks.start(
            DATASET,
            lambda state: load_dataset(name, folder=folder, progress=state.progress),
            self._on_loader_succeeded,
            self._on_loader_failed,
            self._on_loader_progressed,
        )

    def _on_loader_progressed(self, message: str, done: int, total: int) -> None:
        if total:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
        self.progress.setFormat(f"{message} %p%")

    def request_start(self) -> bool:
        """Train now, or as soon as the dataset being loaded is ready."""
        if self.dataset is None and self.tasks.busy(DATASET):
            self._start_when_loaded = True
            self.status_message.emit("Training starts when the dataset has loaded")
            return True
        return self.start()

    def _on_loader_succeeded(self, dataset: Dataset) -> None:
        self.tasks.cancel(HARD_EXAMPLES)
        self.dataset = dataset
        self._reset_progress("Ready")
        sizes = f"{len(dataset.train):,} train · {len(dataset.val):,} validation · {len(dataset.test):,} test"
        shape = "×".join(map(str, dataset.input_shape))
        title = html.escape(dataset.title)
        self.dataset_info.setText(f"<b>{title}</b><br>{sizes}<br>{dataset.num_classes} classes · {shape}")
        strip = sample_images(dataset, "train", 1)
        self.samples.show_examples(
            strip.images.numpy(), strip.labels.numpy(), strip.labels.numpy(), dataset.class_names
        )
        self.softmax.set_classes(dataset.class_names)
        self.feature_maps.class_names = tuple(dataset.class_names)
        self.probe_index.setRange(0, max(0, len(dataset.test) - 1))
        self.input_shape_found.emit(tuple(dataset.input_shape))
        self.model_changed.emit()
        self._update_buttons()
        self.dataset_ready.emit(True)
        if self._start_when_loaded:
            self._start_when_loaded = False
            QTimer.singleShot(0, self.start)  # after the window has matched the model input to the data

    def _on_loader_failed(self, message: str) -> None:
        self._start_when_loaded = False
        self._reset_progress("No data")
        theme.set_toned_text(self.dataset_info, html.escape(message), "error")
        self._update_buttons()
        self.dataset_ready.emit(False)

    # ----- running -------------------------------------------------------------------------------

    def set_spec(self, spec: ModelSpec, error: str | None) -> None:
        """The model the next run trains; `error` (a layer that cannot work) disables Train."""
        self.spec = spec if error is None else None
        self.model_changed.emit()
        self.train_button.setToolTip(error or "Train the model in the Build tab")
        self._update_buttons()

    def _config_to_use(self, doing: str) -> TrainConfig | None:
        """The settings, if a model and data are there and nothing runs; else None (a bad setting says why)."""
        if self.spec is None or self.dataset is None or self.running or self.lr_search.searching:
            return None
        try:
            return self.settings.config()
        except ConfigError as exc:
            QMessageBox.warning(self, f"Cannot {doing}", str(exc))
            return None

    def find_lr(self) -> bool:
        """The learning-rate range test with the current settings, shown in the LR finder tab."""
        config = self._config_to_use("search")
        if config is None:
            return False
        self.curves.setCurrentWidget(self.lr_finder)
        started = self.lr_search.start(self.spec, self.dataset, config)
        self._update_buttons()
        return started

    def start(self) -> bool:
        config = self._config_to_use("train")
        if config is None:
            return False
        state, message = results.initial_state(self.saved, self.spec, self.saved_name or "the opened model")
        history = list(self.saved.history) if state is not None and self.saved.history else []
        if history:  # the opened model's epochs come first: this run trains `epochs` more after them
            config = config.with_changes(epochs=len(history) + config.epochs)
        checkpoint = self._checkpoint_folder_ready()
        run = TrainingRun(  # no Qt parent: a run the window no longer holds is freed, weights, pipes and all
            self.spec,
            self.dataset,
            config,
            self.probe(),
            initial_state=state,
            history=history,
            checkpoint_path=checkpoint,
            health_interval=self.health.health_interval(),
            processes=self.settings.processes(),
        )
        self._launch(run, history, checkpoint, self.saved_run_id if history else None)
        if history:
            results.show_history(self, history, self.saved.train_config, self.saved.dataset)
        if message:
            self.status_message.emit(message)
        return True

    def resume_last_run(self) -> bool:
        """Continue the run whose checkpoint is at `checkpoint_path` (one interrupted by a stop or a kill)."""
        if self.running or self.checkpoint_path is None or not self.checkpoint_path.is_file():
            return False
        try:
            saved = results.checkpoint_to_resume(self.checkpoint_path, self.dataset)
        except ValueError as exc:
            QMessageBox.warning(self, "Cannot resume", str(exc))
            return False
        device = self.settings.device.currentData()[0]  # the run goes on where the user asks now
        config = TrainConfig.from_json(saved.train_config).with_changes(device=device)
        path = str(self.checkpoint_path)
        self._launch(
            TrainingRun(
                saved.spec,
                self.dataset,
                config,
                self.probe(),
                checkpoint_path=path,
                resume=True,
                health_interval=self.health.health_interval(),
                processes=self.settings.processes(),
            ),
            saved.history,
            path,
        )
        results.show_history(self, saved.history, saved.train_config, saved.dataset)
        self.status_message.emit(f"Resuming the last run after epoch {len(saved.history)}")
        return True

    def _checkpoint_folder_ready(self) -> str | None:
        """The checkpoint path, its folder created; None (no checkpoint) if the folder cannot be made."""
        if self.checkpoint_path is None:
            return None
        try:
            self.checkpoint_path.parent.mkdir(parents=True, exist_ok=True)
        except OSError:
            return None
        return str(self.checkpoint_path)

    def _launch(
        self, run: TrainingRun, history: list[dict], checkpoint: str | None, parent_id: int | None = None
    ) -> None:
        """Start `run` (after `history`, the epochs its weights already had), recorded in the run store."""
        self.keeping.start(
            run.spec,
            run.config,
            self.dataset.name,
            history=history,
            checkpoint_path=checkpoint,
            parent_id=parent_id,
            resume=run.resumes_checkpoint,
        )
        for panel in (
            self.loss_plot,
            self.accuracy_plot,
            self.lr_plot,
            self.feature_maps,
            self.confusion,
            self.filters,
            self.health,
        ):
            panel.reset()
        self.result_label.setText("")
        self._before_teach.clear()
        self.run = run
        self.run.event_emitted.connect(self._on_run_event)
        self.run.weights_updated.connect(self._on_weights_updated)
        self.run.ended.connect(self._on_run_ended)
        self.run.start()
        self.tasks.adopt(RUN, stop=run.stop, wait=lambda ms: run.stop(ms))
        if self.feature_maps.explain_method is not None:
            self.run.set_explain(*self._explain())
        self._set_state("running")
        self.progress.setRange(0, 0)
        self.progress.setFormat("Starting the training process…")

    @property
    def running(self) -> bool:
        return self.run is not None and self.run.running

    def stop(self, wait_ms: int = 0) -> bool:
        return self.run.stop(wait_ms) if self.run is not None else True

    def probe(self):
        """The probe the panels follow: (image, label), a pinned drawing or a test image; None without data."""
        if self.custom_probe is not None:
            return self.custom_probe
        if self.dataset is None or len(self.dataset.test) == 0:
            return None
        index = self.probe_index.value()
        return self.dataset.test.images[index], int(self.dataset.test.labels[index])

    def _on_probe_index_changed(self, _value: int) -> None:
        self.custom_probe = None
        self.explained_class = None
        self._show_probe_now()
        probe = self.probe()
        if self.running and probe is not None:
            self.run.set_probe(*probe)

    def show_hard_examples(self, true: int, predicted: int) -> None:
        """The validation images of one confusion cell, read by the model at hand, most doubtful first. The
        split is read on a worker thread (6,000 MNIST images took 2.8 s on the window's one thread)."""
        classifier = self.classifier()
        if classifier is None or self.dataset is None or len(self.dataset.val) == 0:
            self.status_message.emit("No validation images to list: load a dataset and build a model first")
            return
        sources = (self.dataset, self.saved, self.run)  # held in the cache, so their ids cannot be reused
        key = (*map(id, sources), classifier.description, classifier.spec.dumps())
        if self._val_cache is not None and self._val_cache[0] == key:
            self._show_cell(classifier, self._val_cache[2], true, predicted)
            return
        images = self.dataset.val.images
        self.tasks.start(  # a newer click, or other data, replaces it
            HARD_EXAMPLES,
            lambda state: split_probabilities(classifier, images, cancelled=state.cancelled),
            lambda probabilities: self._on_val_read(key, sources, probabilities, classifier, true, predicted),
            lambda message: QMessageBox.warning(self, "Cannot list the images", message),
        )
        self.status_message.emit(f"Reading {len(images):,} validation images…")

    def _on_val_read(self, key, sources, probabilities, classifier, true: int, predicted: int) -> None:
        """Keep the split's softmax while the weights and data stay the same: clicking cell after cell after a
        run reads the split once, not once per click."""
        self._val_cache = (key, sources, probabilities)
        self._show_cell(classifier, probabilities, true, predicted)

    def _show_cell(self, classifier: Classifier, probabilities: np.ndarray, true: int, predicted: int) -> None:
        val = self.dataset.val
        cell = cell_examples(probabilities, val.labels.numpy(), true, predicted)
        if self.hard_examples is None:
            self.hard_examples = HardExamplesDialog(self)
            self.hard_examples.pin_requested.connect(self._pin_validation_image)
        self.hard_examples.setWindowTitle(f"Hard examples · {classifier.description}")
        self.hard_examples.show_examples(cell, val.images.numpy(), self.dataset.class_names)
        self.hard_examples.show()
        self.hard_examples.raise_()

    def _pin_validation_image(self, index: int) -> None:
        val = self.dataset.val
        self.use_probe_image(as_unit_image(val.images[index]).numpy(), int(val.labels[index]))
        self.status_message.emit(f"Validation image #{index} pinned as the probe")

    def use_probe_image(self, image: np.ndarray, label: int | None = None) -> None:
        """Pin `image` ((C, H, W) in [0, 1], e.g. a drawing) as the probe: the feature-map and softmax
        panels follow it, now and through every layer while training."""
        self.custom_probe = (np.asarray(image, dtype=np.float32), label)
        self.explained_class = None
        if self.running:
            self.run.set_probe(*self.custom_probe)
        self._show_probe_now()

    def _show_probe_now(self) -> None:
        """Between runs the probe panels show the probe through the model at hand."""
        probe, classifier = self.probe(), self.classifier()
        if self.running or probe is None or classifier is None:
            return
        image = as_unit_image(probe[0]).numpy()  # test images are uint8, drawings float
        if tuple(image.shape) == classifier.input_shape:
            self._on_probe(classifier.probe(image, probe[1], self._explain()))

    def _explain(self) -> tuple[str | None, int | None]:
        return self.feature_maps.explain_method, self.explained_class

    def explain_class(self, index: int) -> None:
        """Explain class `index` in the probe's saliency map (the predicted one again when it is clicked)."""
        self.explained_class = class_to_explain(index, self.last_probe and self.last_probe.probabilities)
        self._explain_again()

    def _explain_again(self) -> None:
        """The saliency choice changed: the training process sends the new map with its next probe update;
        between runs the model at hand computes it now."""
        if self.running:
            self.run.set_explain(*self._explain())
        else:
            self._show_probe_now()

    def classifier(self) -> Classifier | None:
        """What classifies single images now: the latest weights of the run (while it trains and after),
        else a model opened from a file, else the model being built, untrained. None without a model."""
        run = self.run
        if run is not None and run.model() is not None:
            state = f"training now, step {run.step:,}" if run.running else f"trained here, {len(run.history)} epoch(s)"
            return Classifier(run.model(), run.spec, run.dataset.mean, run.dataset.std, run.dataset.class_names, state)
        if self.saved is not None:
            return Classifier.from_saved(self.saved, self.saved_name or "opened from a file")
        if self.spec is None:
            return None
        if self.dataset is not None and tuple(self.dataset.input_shape) == tuple(self.spec.input):
            return Classifier.untrained(self.spec, self.dataset.mean, self.dataset.std, self.dataset.class_names)
        return Classifier.untrained(self.spec, (0.0,), (1.0,), ())

    def _on_weights_updated(self, _step: int) -> None:
        self._refresh_filters()
        self.model_changed.emit()

    def _on_train_clicked(self) -> None:
        self.start()

    def _on_pause_clicked(self) -> None:
        if self.run is None:
            return
        if self.pause_button.text() == "Pause":
            self.run.pause()
            self.pause_button.setEnabled(False)  # until the run confirms it paused
            return
        try:
            self.run.resume(**self.settings.live_changes(self.run.config))
        except ConfigError as exc:
            QMessageBox.warning(self, "Cannot apply the change", str(exc))

    def _on_stop_clicked(self) -> None:
        self.stop()
        self.stop_button.setEnabled(False)
        self.progress.setFormat("Stopping…")

    def _on_run_event(self, event) -> None:
        self.keeping.event(event)
        handler = {
            RunStarted: self._on_started,
            BatchEnded: self._on_batch,
            EpochEnded: self._on_epoch,
            ProbeUpdate: self._on_probe,
            HealthUpdate: self.health.add_update,
            Paused: lambda e: self._set_state("paused"),
            Resumed: lambda e: self._set_state("running"),
            Finished: self._on_finished,
            Stopped: self._on_stopped,
            Failed: self._on_failed,
            ValidationChecked: self.accuracy_plot.add_check,
            Notice: lambda e: self.status_message.emit(e.message),
        }.get(type(event))
        if handler is not None:
            handler(event)

    def _on_started(self, event: RunStarted) -> None:
        self._started_at = time.monotonic()
        self._first_step = event.start_step
        self._total_steps = (event.epochs - event.start_epoch + 1) * event.batches_per_epoch
        self.progress.setRange(0, self._total_steps)
        device = " · ".join(part for part in (event.device, event.features) if part)
        self.device_used.emit(device)
        self.status_message.emit(f"Training on {device}: {event.train_size:,} images, {event.parameters:,} parameters")

    def _on_batch(self, event: BatchEnded) -> None:
        self._last_step = event.step
        self.loss_plot.add_batches(event)
        self.accuracy_plot.add_batch(event)
        self.lr_plot.add_batch(event)
        done = min(event.step - self._first_step, self._total_steps)
        self.progress.setValue(done)
        elapsed = time.monotonic() - self._started_at
        eta = elapsed / max(1, done) * (self._total_steps - done)
        self.progress.setFormat(f"epoch {event.epoch} · {event.batch}/{event.batches_per_epoch}")
        minutes, seconds = divmod(int(eta), 60)
        self.progress_detail.setText(
            f"{event.images_per_second:,.0f} images/s · loss {event.loss:.4f} · ETA {minutes}:{seconds:02d}"
        )

    def _on_epoch(self, event: EpochEnded) -> None:
        self.loss_plot.add_epoch(event, self._last_step)
        self.accuracy_plot.add_epoch(event, self._last_step)
        if event.confusion is not None and self.dataset is not None:
            self.confusion.show_confusion(event.confusion, self.dataset.class_names, event.epoch)
            wrong = event.misclassified[:32]
            self.misclassified.show_examples(
                self.dataset.val.images[wrong].numpy(),
                self.dataset.val.labels[wrong].numpy(),
                event.misclassified_predictions[:32],
                self.dataset.class_names,
            )

    def _on_probe(self, event: ProbeUpdate) -> None:
        self.last_probe = event
        self.feature_maps.show_probe(event)
        self.softmax.show_probe(event)

    def _refresh_filters(self, force: bool = False) -> None:
        """Show the first conv layer's filters from the latest copy of the weights (at most once a
        second while training, and at the end)."""
        model = self.run.model() if self.run else None
        if model is None or (not force and time.monotonic() - self._last_filters < FILTER_REFRESH_S):
            return
        self._last_filters = time.monotonic()
        for module in model:
            if hasattr(module, "kernel_size") and getattr(module, "weight", None) is not None:
                self.filters.show_filters(module.weight.detach().float().numpy())
                return

    def _on_finished(self, event: Finished) -> None:
        accuracy = "—" if event.test_accuracy is None else f"{100 * event.test_accuracy:.2f}%"
        last = event.history[-1] if event.history else {}
        val = last.get("val_accuracy")
        device = " · ".join(part for part in (event.device, event.features) if part)
        self.result_label.setText(
            f"<b>Finished</b> ({event.reason}). Test accuracy {accuracy}"
            + (f"<br>validation {100 * val:.2f}%" if val is not None else "")
            + f"<br>{event.seconds:.1f} s · {event.images_per_second:,.0f} images/s"
            + (f"<br>on {device}" if device else "")
        )

    def _on_stopped(self, event: Stopped) -> None:
        self.result_label.setText(f"<b>Stopped</b> at step {event.step}; the model keeps the weights it had.")

    def _on_failed(self, event: Failed) -> None:
        theme.set_toned_text(self.result_label, f"<b>Training failed:</b> {html.escape(event.reason)}", "error")
        QMessageBox.warning(self, "Training failed", event.reason)

    def _on_run_ended(self, outcome: str) -> None:
        self.tasks.release(RUN)
        self.keeping.ended(outcome, self.run.saved_model() if self.run is not None else None)
        if outcome == "finished" and self.checkpoint_path is not None:
            self.checkpoint_path.unlink(missing_ok=True)  # nothing left to resume
        self._refresh_filters(force=True)
        self.model_changed.emit()
        self._set_state("idle")
        self._reset_progress({"finished": "Done", "stopped": "Stopped", "failed": "Failed"}.get(outcome, outcome))
        self.progress.setRange(0, 1)
        self.progress.setValue(1 if outcome == "finished" else 0)

    # ----- after a run -----------------------------------------------------------------------------

    def has_trained_model(self) -> bool:
        return (self.run is not None and self.run.state is not None) or self.saved is not None

    def trained_model(self) -> SavedModel | None:
        """The weights to save or export: the run's latest, else the model opened from a file."""
        saved = self.run.saved_model() if self.run is not None else None
        return saved if saved is not None else self.saved

    def set_saved(self, saved: SavedModel, name: str) -> None:
        """Use a model opened from a file: it classifies now, its history shows, Train continues from it."""
        self.saved, self.saved_name = saved, name
        self._before_teach.clear()
        if not self.running:
            self.run = None
        results.show_history(self, saved.history, saved.train_config, saved.dataset)
        last = saved.history[-1] if saved.history else {}
        val = last.get("val_accuracy")
        detail = f", validation {100 * val:.2f}%" if isinstance(val, (int, float)) else ""
        self.result_label.setText(f"<b>Opened {html.escape(name)}</b>: {len(saved.history)} epoch(s) trained{detail}")
        self.model_changed.emit()
        self._update_buttons()

    def use_taught(self, state: dict, summary: str) -> bool:
        """The weights a Teach gave become the model at hand (the Draw tab reads with them, Save saves them,
        Train continues from them); the model before stays one `undo_teach()` away."""
        base = self.trained_model()
        if base is None or self.running:
            return False
        self._before_teach.append((self.run, self.saved, self.saved_name, self.result_label.text()))
        self.run = None
        self.saved, self.saved_name = replace(base, state=state), "taught on your digits"
        self.result_label.setText(f"<b>Taught on your digits</b>: {summary}")
        self.model_changed.emit()
        self._update_buttons()
        return True

    @property
    def can_undo_teach(self) -> bool:
        return bool(self._before_teach) and not self.running

    def undo_teach(self) -> bool:
        """Back to the model before the last Teach."""
        if not self.can_undo_teach:
            return False
        self.run, self.saved, self.saved_name, text = self._before_teach.pop()
        self.result_label.setText(text)
        self.model_changed.emit()
        self._update_buttons()
        return True

    def _on_save_clicked(self) -> None:
        saved = self.trained_model()
        path = results.ask_model_path(self, Path("model.cnnwb")) if saved is not None else None
        if path is not None and results.save_trained(self, saved, path):
            self.status_message.emit(f"Saved {path}")

    def _on_export_clicked(self) -> None:
        problem = results.export_problem(self.trained_model(), self.dataset)
        if problem is not None:
            QMessageBox.warning(self, "Cannot export logits", problem)
            return
        choice = results.ask_logits_options(self)
        path = results.ask_logits_path(self, choice[0], choice[1]) if choice else None
        if path is not None:
            self.export_logits(path, choice[0], choice[2])

    def export_logits(self, path: Path, split: str = "test", probabilities: bool = True):
        """Export in the background (see results.start_logits_export); returns the task, or None."""
        saved = self.trained_model()
        if results.export_problem(saved, self.dataset) is not None or self.running:
            return None
        self._exporter = results.start_logits_export(self, saved, self.dataset, split, path, probabilities)
        return self._exporter

    # ----- state -----------------------------------------------------------------------------------

    def _set_state(self, state: str) -> None:
        self.state = state
        self.settings.set_state(state)
        self.selector.setEnabled(state == "idle")
        self.pause_button.setText("Resume" if state == "paused" else "Pause")
        self._update_buttons()

    def _update_buttons(self) -> None:
        idle = self.state == "idle"
        has_model = self.has_trained_model()
        ready = idle and self.spec is not None and self.dataset is not None and not self.lr_search.searching
        self.train_button.setEnabled(ready)
        self.settings.find_lr.setEnabled(ready)
        self.pause_button.setEnabled(not idle)
        self.stop_button.setEnabled(not idle)
        self.save_button.setEnabled(idle and has_model)
        self.export_button.setEnabled(idle and has_model and self.dataset is not None)

    def _reset_progress(self, text: str) -> None:
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setFormat(text)
