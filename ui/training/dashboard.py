"""The Train tab: dataset, settings, Train / Pause / Stop, and the live panels.

What the tab is at (the run at hand, the model opened or taught, the probe, the dataset, idle / running /
paused) is its session (`ui/training/session.py`), testable without a widget. This widget lays out its parts
(`train_layout.py`), renders the session's changes and forwards the user's actions; starting runs and seeing
them end is `run_control.py`, a run's events reach the panels through `run_events.py`; a model that did not train
here is evaluated, and Calibrate fits its temperature, in `quality.py`. The dataset is loaded and the hard
examples are read here, on the window's background tasks.
"""

from __future__ import annotations

import html
from pathlib import Path

import numpy as np
from PySide6.QtCore import QSignalBlocker, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from ui import i18n, messages, theme
from ui.background import BackgroundTask, Tasks
from ui.i18n import translate
from ui.plots.hard_examples import HardExamplesDialog
from ui.training import results
from ui.training.lr_search import LrSearch
from ui.training.quality import ModelQuality
from ui.training.run_control import RunControl
from ui.training.run_keeping import RunKeeping
from ui.training.session import TrainSession
from ui.training.settings_form import SettingsForm, dataset_title
from ui.training.train_layout import DataBox, LivePanels, RunBox, lay_out
from workbench.data.datasets import Dataset, load_dataset, sample_images
from workbench.files.model_file import SavedModel
from workbench.insight.classify import Classifier
from workbench.insight.hard_examples import cell_examples, split_probabilities
from workbench.insight.probe import as_unit_image
from workbench.model.spec import ModelSpec

DATASET, HARD_EXAMPLES = "dataset", "hard examples"  # kinds of work in the window's Tasks (a run: run_control.RUN)


def dataset_text(dataset: Dataset) -> str:
    """What the Data box says of a loaded dataset (rich text): its title, its splits' sizes, classes and shape."""
    sizes = translate("TrainingDashboard", "{train} train · {val} validation · {test} test").format(
        train=f"{len(dataset.train):,}", val=f"{len(dataset.val):,}", test=f"{len(dataset.test):,}"
    )
    classes = translate("TrainingDashboard", "{count} classes · {shape}").format(
        count=dataset.num_classes, shape="×".join(map(str, dataset.input_shape))
    )
    return f"<b>{html.escape(dataset_title(dataset))}</b><br>{sizes}<br>{classes}"


def _part(part: str, name: str, settable: bool = False) -> property:
    """`self.<name>` read from (with `settable`, written to) `self.<part>.<name>`: what the window, the Draw tab
    and the tests read on the dashboard lives in its session, its run control or its widgets' parts."""

    def read(self):
        return getattr(getattr(self, part), name)

    def write(self, value) -> None:
        setattr(getattr(self, part), name, value)

    return property(read, write if settable else None, doc=f"`{part}.{name}`")


class TrainingDashboard(QWidget):
    input_shape_found = Signal(object)  # the chosen dataset's (C, H, W): the model's input should match
    status_message = Signal(str)
    device_used = Signal(str)  # what a run really trains on, e.g. "CUDA · NVIDIA H200 · bf16 autocast"
    model_changed = Signal()  # `classifier()` has new weights: a run's update or end, another model or dataset
    dataset_ready = Signal(bool)  # a dataset load ended: True loaded, False failed (the reason is shown)

    # the session: the tab's state and the model at hand
    state = _part("session", "state")
    running = _part("session", "running")
    run = _part("session", "run")
    spec = _part("session", "spec")
    dataset = _part("session", "dataset")
    saved = _part("session", "saved")
    saved_name = _part("session", "saved_name")
    saved_run_id = _part("session", "saved_run_id", settable=True)
    checkpoint_path = _part("session", "checkpoint_path", settable=True)
    custom_probe = _part("session", "custom_probe")
    explained_class = _part("session", "explained_class")
    can_undo_teach = _part("session", "can_undo_teach")
    classifier = _part("session", "classifier")
    probe = _part("session", "probe")
    use_probe_image = _part("session", "use_probe_image")
    has_trained_model = _part("session", "has_trained_model")
    trained_model = _part("session", "trained_model")
    use_taught = _part("session", "use_taught")
    undo_teach = _part("session", "undo_teach")
    # runs: started, resumed, stopped
    start = _part("control", "start")
    stop = _part("control", "stop")
    resume_last_run = _part("control", "resume_last_run")
    find_lr = _part("control", "find_lr")
    # the widgets
    selector = _part("data_box", "selector")
    dataset_info = _part("data_box", "dataset_info")
    samples = _part("data_box", "samples")
    train_button = _part("run_box", "train_button")
    pause_button = _part("run_box", "pause_button")
    stop_button = _part("run_box", "stop_button")
    progress = _part("run_box", "progress")
    progress_detail = _part("run_box", "progress_detail")
    probe_index = _part("run_box", "probe_index")
    result_label = _part("run_box", "result_label")
    save_button = _part("run_box", "save_button")
    export_button = _part("run_box", "export_button")
    loss_plot = _part("panels", "loss_plot")
    accuracy_plot = _part("panels", "accuracy_plot")
    lr_plot = _part("panels", "lr_plot")
    lr_finder = _part("panels", "lr_finder")
    curves = _part("panels", "curves")
    feature_maps = _part("panels", "feature_maps")
    softmax = _part("panels", "softmax")
    last_probe = _part("panels", "last_probe")
    confusion = _part("panels", "confusion")
    class_metrics = _part("panels", "class_metrics")
    calibration_tab = _part("panels", "calibration")
    misclassified = _part("panels", "misclassified")
    filters = _part("panels", "filters")
    health = _part("panels", "health")
    evaluation = _part("panels", "evaluation")

    def __init__(self, parent: QWidget | None = None, tasks: Tasks | None = None, session: TrainSession | None = None):
        """`tasks`: the window's background work (the dashboard's own without a window); `session`: the state
        it shows (a new one, idle, without)."""
        super().__init__(parent)
        self.tasks = tasks if tasks is not None else Tasks(self)
        self.session = session if session is not None else TrainSession(self)
        self.keeping = RunKeeping(parent=self)  # the window gives it the run store
        self.data_box = DataBox()
        self.settings = SettingsForm()
        self.run_box = RunBox()
        self.panels = LivePanels()
        self.lr_search = LrSearch(self.settings, self.panels.lr_finder, self.tasks, self)
        self.control = RunControl(
            self.session, self.settings, self.panels, self.run_box, self.keeping, self.tasks, self.lr_search, self
        )
        self.quality = ModelQuality(self.session, self.panels, self.run_box, self.tasks, self)
        self.hard_examples: HardExamplesDialog | None = None
        self._val_cache: tuple[tuple, tuple, np.ndarray] | None = None  # see _on_val_read
        self._loader: BackgroundTask | None = None
        self._exporter: BackgroundTask | None = None  # a logits export under way (or done)
        self._start_when_loaded = False
        self._spec_error: str | None = None  # why the model in the Build tab cannot train (Train's tooltip)
        lay_out(self, self.data_box, self.run_box, self.settings, self.panels)
        self._connect_session()
        self._connect_widgets()
        self._on_state_changed(self.session.state)
        i18n.follow(self, TrainingDashboard.retranslate)

    def retranslate(self) -> None:
        """The texts made from the tab's state, again in the language of the moment (its parts follow the
        language themselves)."""
        self.train_button.setToolTip(
            self._spec_error or translate("TrainingDashboard", "Train the model in the Build tab")
        )
        self.session.retranslate_result()
        if self.hard_examples is not None and self.classifier() is not None:
            self._title_hard_examples(self.classifier())

    def _connect_session(self) -> None:
        session = self.session
        session.state_changed.connect(self._on_state_changed)
        session.model_changed.connect(self._update_buttons)
        session.model_changed.connect(self.model_changed)
        session.dataset_changed.connect(self._on_dataset_changed)
        session.probe_changed.connect(self._on_probe_changed)
        session.explain_changed.connect(self._explain_again)
        session.result_changed.connect(self._on_result_changed)
        session.model_changed.connect(self.quality.evaluate_when_needed)
        for source in (self.keeping, self.lr_search, self.control, self.quality):
            source.status_message.connect(self.status_message)
        self.quality.calibrated.connect(self._show_probe_now)  # the probe's bars in the calibrated probabilities
        self.control.events.device_used.connect(self.device_used)
        self.lr_search.started.connect(self._update_buttons)
        self.lr_search.ended.connect(self._update_buttons)

    def _connect_widgets(self) -> None:
        self.selector.dataset_chosen.connect(lambda name, folder: self.load_dataset(name, folder))
        self.settings.lr_find_requested.connect(self.find_lr)
        self.train_button.clicked.connect(self._on_train_clicked)
        self.pause_button.clicked.connect(self._on_pause_clicked)
        self.stop_button.clicked.connect(self._on_stop_clicked)
        self.save_button.clicked.connect(self._on_save_clicked)
        self.export_button.clicked.connect(self.export_logits_dialog)
        self.probe_index.valueChanged.connect(self.session.choose_test_image)
        self.feature_maps.explain_changed.connect(lambda _method: self._explain_again())
        self.softmax.class_clicked.connect(self.explain_class)
        self.confusion.cell_clicked.connect(self.show_hard_examples)
        self.calibration_tab.calibrate_button.clicked.connect(self.calibrate)

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

    # ----- dataset -------------------------------------------------------------------------------

    def load_dataset(self, name: str, folder: str | None = None) -> None:
        self.session.set_dataset(None)
        self.data_box.show_info(lambda: translate("TrainingDashboard", "Loading {name}…").format(name=name))
        self.progress.setRange(0, 0)
        self.tasks.cancel(HARD_EXAMPLES)  # read from the data being replaced
        self._loader = self.tasks.start(
            DATASET,
            lambda state: load_dataset(name, folder=folder, progress=state.progress),
            self._on_loader_succeeded,
            self._on_loader_failed,
            self.run_box.show_progress,
        )

    def request_start(self) -> bool:
        """Train now, or as soon as the dataset being loaded is ready."""
        if self.dataset is None and self.tasks.busy(DATASET):
            self._start_when_loaded = True
            self.status_message.emit(translate("TrainingDashboard", "Training starts when the dataset has loaded"))
            return True
        return self.start()

    def _on_loader_succeeded(self, dataset: Dataset) -> None:
        self.tasks.cancel(HARD_EXAMPLES)
        self.run_box.reset_progress()
        self.session.set_dataset(dataset)
        self.dataset_ready.emit(True)
        if self._start_when_loaded:
            self._start_when_loaded = False
            QTimer.singleShot(0, self.start)  # after the window has matched the model input to the data

    def _on_loader_failed(self, message: str) -> None:
        self._start_when_loaded = False
        self.run_box.reset_progress(lambda: translate("TrainingDashboard", "No data"))
        self.data_box.info = message
        theme.set_toned_text(self.dataset_info, html.escape(messages.translated(message)), "error")
        self.dataset_info.setToolTip(messages.details(message))
        self._update_buttons()
        self.dataset_ready.emit(False)

    def _on_dataset_changed(self, dataset: Dataset | None) -> None:
        if dataset is None:  # another one loads
            self._update_buttons()
            return
        self.dataset_info.setToolTip("")
        self.data_box.show_info(lambda: dataset_text(dataset))
        strip = sample_images(dataset, "train", 1)
        self.samples.show_examples(
            strip.images.numpy(), strip.labels.numpy(), strip.labels.numpy(), dataset.class_names
        )
        self.softmax.set_classes(dataset.class_names)
        self.feature_maps.class_names = tuple(dataset.class_names)
        self.probe_index.setRange(0, max(0, len(dataset.test) - 1))
        self.input_shape_found.emit(tuple(dataset.input_shape))

    # ----- the model and the run -------------------------------------------------------------------

    def set_spec(self, spec: ModelSpec, error: str | None) -> None:
        """The model the next run trains; `error` (a layer that cannot work) disables Train."""
        self.session.set_spec(spec if error is None else None)
        self._spec_error = error
        self.train_button.setToolTip(error or translate("TrainingDashboard", "Train the model in the Build tab"))

    def set_saved(self, saved: SavedModel, name: str) -> None:
        """Use a model opened from a file: it classifies now, its history shows, Train continues from it."""
        results.show_history(self.panels, self.dataset, saved.history, saved.train_config, saved.dataset)
        self.session.use_saved(saved, name)

    def _on_train_clicked(self) -> None:
        self.start()

    def _on_pause_clicked(self) -> None:
        if self.run is None:
            return
        if self.state == "running":
            self.run.pause()
            self.pause_button.setEnabled(False)  # until the run confirms it paused
            return
        self.control.resume_with_changes()

    def _on_stop_clicked(self) -> None:
        self.stop()
        self.stop_button.setEnabled(False)
        self.run_box.set_format(lambda: translate("TrainingDashboard", "Stopping…"))

    def _on_state_changed(self, state: str) -> None:
        self.settings.set_state(state)
        self.selector.setEnabled(state == "idle")
        self.run_box.show_paused(state == "paused")
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
        self.calibration_tab.calibrate_button.setEnabled(idle and not self.quality.busy)

    def _on_result_changed(self, text: str, tone: str) -> None:
        if tone:
            theme.set_toned_text(self.result_label, text, tone)
        else:
            self.result_label.setText(text)

    # ----- the probe -------------------------------------------------------------------------------

    def _on_probe_changed(self) -> None:
        if self.probe_index.value() != self.session.probe_index:
            with QSignalBlocker(self.probe_index):  # written back, not chosen again
                self.probe_index.setValue(self.session.probe_index)
        self._show_probe_now()

    def _show_probe_now(self) -> None:
        """Between runs the probe panels show the probe through the model at hand."""
        probe, classifier = self.probe(), self.classifier()
        if self.running or probe is None or classifier is None:
            return
        image = as_unit_image(probe[0]).numpy()  # test images are uint8, drawings float
        if tuple(image.shape) == classifier.input_shape:
            self.panels.show_probe(classifier.probe(image, probe[1], self.control.explanation()))

    def explain_class(self, index: int) -> None:
        """Explain class `index` in the probe's saliency map (the predicted one again when it is clicked)."""
        self.session.explain_class(index, self.last_probe and self.last_probe.probabilities)

    def _explain_again(self) -> None:
        """The saliency choice changed: the training process sends the new map with its next probe update;
        between runs the model at hand computes it now."""
        if self.running:
            self.run.set_explain(*self.control.explanation())
        else:
            self._show_probe_now()

    # ----- hard examples ---------------------------------------------------------------------------

    def show_hard_examples(self, true: int, predicted: int) -> None:
        """The validation images of one confusion cell, read by the model at hand, most doubtful first. The
        split is read on a worker thread (6,000 MNIST images took 2.8 s on the window's one thread)."""
        classifier = self.classifier()
        if classifier is None or self.dataset is None or len(self.dataset.val) == 0:
            self.status_message.emit(
                translate("TrainingDashboard", "No validation images to list: load a dataset and build a model first")
            )
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
            lambda message: QMessageBox.warning(
                self, translate("TrainingDashboard", "Cannot list the images"), messages.translated(message)
            ),
        )
        self.status_message.emit(
            translate("TrainingDashboard", "Reading {count} validation images…").format(count=f"{len(images):,}")
        )

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
        self._title_hard_examples(classifier)
        self.hard_examples.show_examples(cell, val.images.numpy(), self.dataset.class_names)
        self.hard_examples.show()
        self.hard_examples.raise_()

    def _title_hard_examples(self, classifier: Classifier) -> None:
        self.hard_examples.setWindowTitle(
            translate("TrainingDashboard", "Hard examples · {model}").format(
                model=messages.translated(classifier.description)
            )
        )

    def _pin_validation_image(self, index: int) -> None:
        val = self.dataset.val
        self.use_probe_image(as_unit_image(val.images[index]).numpy(), int(val.labels[index]))
        self.status_message.emit(
            translate("TrainingDashboard", "Validation image #{index} pinned as the probe").format(index=index)
        )

    # ----- calibration -----------------------------------------------------------------------------

    def calibrate(self):
        """Fit a temperature for the model at hand on the validation split, in the background (see
        `quality.ModelQuality.calibrate`); returns the task, or None when it cannot (the reason shown)."""
        self.show_calibration()
        return self.quality.calibrate()

    def show_calibration(self) -> None:
        """Bring the Calibration panel forward (the Learn tab's link to it)."""
        self.evaluation.setCurrentWidget(self.calibration_tab)

    # ----- saving and exporting --------------------------------------------------------------------

    def _on_save_clicked(self) -> None:
        saved = self.trained_model()
        path = results.ask_model_path(self, Path("model.cnnwb")) if saved is not None else None
        if path is not None and results.save_trained(self, saved, path):
            self.status_message.emit(translate("TrainingDashboard", "Saved {file}").format(file=path))

    def export_logits_dialog(self) -> None:
        """Export logits…: ask which split, format and where, then export in the background."""
        problem = results.export_problem(self.trained_model(), self.dataset)
        if problem is not None:
            QMessageBox.warning(self, translate("TrainingDashboard", "Cannot export logits"), problem)
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
