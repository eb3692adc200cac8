"""The model at hand judged on the validation split, on the window's background tasks: a model opened from a file
(or taught) is evaluated once the dataset is at hand, so the confusion matrix, the per-class table and the
reliability diagram show it without a run; Calibrate fits a temperature on the split (temperature scaling,
`workbench.insight.quality.calibrate`) and gives it to the session, which applies it to the model's probabilities
until its weights change. A run's own epochs fill the same panels (`run_events.py`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from PySide6.QtCore import QObject, Signal

from ui import messages
from ui.background import Tasks, TaskState
from ui.i18n import translate
from ui.training.session import TrainSession
from ui.training.settings_form import dataset_title
from ui.training.train_layout import LivePanels, RunBox, calibration_note
from workbench.data.datasets import Dataset, to_device
from workbench.files.errors import ModelFileError
from workbench.files.logits import dataset_mismatch
from workbench.files.model_file import SavedModel, model_from_saved
from workbench.insight.evaluate import evaluation_of
from workbench.insight.metrics import calibration, softmax
from workbench.insight.quality import Calibrated, calibrate
from workbench.model.build import compute_logits

EVALUATION, CALIBRATION = "evaluation", "calibration"  # kinds of work in the window's Tasks


@dataclass(frozen=True)
class SplitLogits:
    """A model's raw logits on a validation split, and the split's labels."""

    logits: torch.Tensor
    labels: torch.Tensor


def validation_logits(
    saved: SavedModel, dataset: Dataset, state: TaskState | None = None, label: str = "Validation logits"
) -> SplitLogits:
    """The raw logits of `saved` on `dataset`'s validation split, normalised as in training (on the CPU, in
    batches; stops between them when `state` is cancelled; `label`: what its progress says). ValueError with one
    line when it cannot."""
    problem = dataset_mismatch(saved, dataset)
    if problem is not None:
        raise ValueError(problem[0].upper() + problem[1:])
    try:
        model = model_from_saved(saved)
    except ModelFileError as exc:
        raise ValueError(str(exc)) from None
    mean, std = (saved.mean, saved.std) if saved.mean else (dataset.mean, dataset.std)
    x, y = to_device(dataset.val, mean, std, "cpu")

    def report(done: int, total: int) -> None:
        if state is not None:
            state.check()
            state.progress(label, done, total)

    with torch.no_grad():
        return SplitLogits(compute_logits(model, x, progress=report), y)


@dataclass(frozen=True)
class Judged:
    """What the panels show of a model on the validation split: its confusion, the calibration of its
    probabilities before a temperature (`before`) and with it (`after`, None when it has none)."""

    confusion: np.ndarray
    before: dict
    after: dict | None
    temperature: float
    predictions: np.ndarray | None = None  # (N,) the predicted classes, for the Misclassified strip


def judge(split: SplitLogits, classes: int, temperature: float) -> Judged:
    evaluation = evaluation_of(split.logits, split.labels, classes)
    before = evaluation.calibration.to_json()
    labels = split.labels.numpy()
    after = calibration(softmax(split.logits, temperature), labels).to_json() if temperature != 1.0 else None
    return Judged(evaluation.confusion, before, after, temperature, evaluation.predictions)


def calibration_problem(session: TrainSession) -> str | None:
    """Why the model at hand cannot be calibrated now, in one line; None when it can."""
    if session.running or session.state != "idle":
        return translate("ModelQuality", "Wait for the run to end, then calibrate the model it trained.")
    if not session.has_trained_model():
        return translate("ModelQuality", "There is no trained model to calibrate: train one, or open a .cnnwb file.")
    if session.dataset is None:
        return translate("ModelQuality", "The dataset has not loaded yet; wait for it, then calibrate.")
    if len(session.dataset.val) == 0:
        return translate(
            "ModelQuality",
            "The validation split is empty: calibration needs held-out images to fit the temperature on.",
        )
    problem = dataset_mismatch(session.trained_model(), session.dataset)
    if problem is None:
        return None
    return translate("ModelQuality", "Cannot calibrate: {problem}.").format(problem=messages.translated(problem))


def calibrated_line(record: dict) -> str:
    """What a calibration kept with a model did, in one line."""
    if not record:
        return ""
    return translate(
        "ModelQuality",
        "Calibrated: temperature {temperature} fitted on {images} validation images; expected calibration error "
        "{before}% → {after}%. Probabilities are softmax(logits / T) everywhere; the logits and predictions stay.",
    ).format(
        temperature=f"{record.get('temperature', 1.0):.3f}",
        images=f"{record.get('images', 0):,}",
        before=f"{100 * record.get('ece_before', 0.0):.2f}",
        after=f"{100 * record.get('ece_after', 0.0):.2f}",
    )


class ModelQuality(QObject):
    """Fills the Train tab's confusion, per-class and calibration panels for a model that did not train here, and
    runs Calibrate. `status_message` says what happened in the status bar; `calibrated` after a temperature is
    applied (the probe panels are to show the new probabilities)."""

    status_message = Signal(str)
    calibrated = Signal()

    def __init__(self, session: TrainSession, panels: LivePanels, run_box: RunBox, tasks: Tasks, host: QObject):
        super().__init__(host)
        self.session, self.panels, self.run_box, self.tasks = session, panels, run_box, tasks
        self._evaluated: tuple = ()  # (weights, dataset) last evaluated: each evaluated once
        self._logits: tuple | None = None  # (weights, dataset, SplitLogits) of the last evaluation, for Calibrate
        self.last: Judged | None = None  # what the panels show of the model at hand; None while it is evaluated

    # ----- a model opened from a file --------------------------------------------------------------

    def evaluate_when_needed(self) -> None:
        """Evaluate the model at hand on the validation split when it is one that did not train here (opened or
        taught) and its panels do not show it yet; a run's epochs fill them otherwise."""
        session, saved, dataset = self.session, self.session.saved, self.session.dataset
        run = session.run
        if session.running or (run is not None and run.state is not None) or saved is None or dataset is None:
            return
        if len(self._evaluated) == 2 and self._evaluated[0] is saved.state and self._evaluated[1] is dataset:
            return
        self._evaluated = (saved.state, dataset)
        problem = dataset_mismatch(saved, dataset)
        if problem is not None:
            self.panels.show_quality_problem(
                translate("ModelQuality", "This model cannot be evaluated on {dataset}: {problem}.").format(
                    dataset=dataset_title(dataset), problem=messages.translated(problem)
                )
            )
            return
        if len(dataset.val) == 0:
            self.panels.show_quality_problem(
                translate("ModelQuality", "{dataset} has no validation images to evaluate the model on.").format(
                    dataset=dataset_title(dataset)
                )
            )
            return
        token, temperature, classes = session.model_token(), saved.temperature, len(dataset.class_names)
        self.last = None
        label = translate("ModelQuality", "Validation logits")

        def job(state: TaskState) -> tuple[SplitLogits, Judged]:
            split = validation_logits(saved, dataset, state, label)
            return split, judge(split, classes, temperature)

        self.tasks.start(
            EVALUATION,
            job,
            lambda result: self._on_evaluated(token, saved, dataset, *result),
            lambda message: self.status_message.emit(
                translate("ModelQuality", "Cannot evaluate the model: {problem}").format(
                    problem=messages.translated(message)
                )
            ),
        )
        self.status_message.emit(
            translate("ModelQuality", "Evaluating the model on {count} validation images…").format(
                count=f"{len(dataset.val):,}"
            )
        )

    def _on_evaluated(self, token: tuple, saved: SavedModel, dataset: Dataset, split: SplitLogits, judged: Judged):
        if not self.session.same_model(token) or self.session.dataset is not dataset or self.session.running:
            return  # another model or dataset by now: its own evaluation follows
        self._logits = (saved.state, dataset, split)
        self._show(judged, len(saved.history), dataset.class_names)
        self._show_misclassified(judged, dataset)
        record = dict(self.session.calibration)
        self.panels.calibration.set_note((lambda: calibrated_line(record)) if record else calibration_note)
        self.status_message.emit(
            translate("ModelQuality", "Evaluated the model on {count} validation images").format(
                count=f"{len(split.labels):,}"
            )
        )

    def _show(self, judged: Judged, epoch: int, class_names) -> None:
        self.last = judged
        self.panels.show_confusion(judged.confusion, class_names, epoch)
        self.panels.calibration.diagram.show_calibration(judged.before, epoch, judged.after, judged.temperature)

    def _show_misclassified(self, judged: Judged, dataset: Dataset) -> None:
        """The first 32 validation images the model gets wrong, as a run's epoch shows them."""
        labels = dataset.val.labels.numpy()
        wrong = (judged.predictions != labels).nonzero()[0][:32]
        self.panels.misclassified.show_examples(
            dataset.val.images[wrong].numpy(), labels[wrong], judged.predictions[wrong], dataset.class_names
        )

    # ----- Calibrate -------------------------------------------------------------------------------

    def calibrate(self):
        """Fit a temperature for the model at hand on the validation split in the background; returns the task,
        or None (the reason shown in one line) when it cannot."""
        session = self.session
        problem = calibration_problem(session)
        if problem is not None:
            self.panels.calibration.set_note(problem)
            self.status_message.emit(problem)
            return None
        token, saved, dataset = session.model_token(), session.trained_model(), session.dataset
        cached = self._logits
        reuse = cached is not None and cached[0] is saved.state and cached[1] is dataset
        label = translate("ModelQuality", "Validation logits")

        def job(state: TaskState) -> tuple[Calibrated, dict, dict]:
            split = cached[2] if reuse else validation_logits(saved, dataset, state, label)
            result = calibrate(saved, split.logits, split.labels)
            labels = split.labels.numpy()
            before = calibration(softmax(split.logits, saved.temperature), labels).to_json()
            after = calibration(softmax(split.logits, result.temperature), labels).to_json()
            confusion = evaluation_of(split.logits, split.labels, len(dataset.class_names)).confusion
            return result, Judged(confusion, before, after, result.temperature)

        self.run_box.show_busy(lambda: translate("ModelQuality", "Calibrating…"))
        task = self.tasks.start(
            CALIBRATION,
            job,
            lambda result: self._on_calibrated(token, saved, dataset, *result),
            self._on_calibration_failed,
            self.run_box.show_progress,
        )
        self.panels.calibration.calibrate_button.setEnabled(False)  # until it is done (`busy`)
        self.status_message.emit(
            translate("ModelQuality", "Fitting a temperature on {count} validation images…").format(
                count=f"{len(dataset.val):,}"
            )
        )
        return task

    @property
    def busy(self) -> bool:
        return self.tasks.busy(CALIBRATION)

    def _enable_button(self) -> None:
        self.panels.calibration.calibrate_button.setEnabled(self.session.state == "idle")

    def _on_calibrated(self, token: tuple, saved: SavedModel, dataset: Dataset, result: Calibrated, judged: Judged):
        self.run_box.reset_progress()
        self._enable_button()
        tab = self.panels.calibration
        if not self.session.use_calibration(result.saved.calibration, token):
            tab.set_note(
                lambda: translate(
                    "ModelQuality", "The model changed while the temperature was being fitted; press Calibrate again."
                )
            )
            return
        self._show(judged, len(saved.history), dataset.class_names)
        record = dict(result.saved.calibration)
        tab.set_note(lambda: calibrated_line(record))
        self.status_message.emit(calibrated_line(record))
        self.calibrated.emit()

    def _on_calibration_failed(self, message: str) -> None:
        self.run_box.reset_progress()
        self._enable_button()
        line = translate("ModelQuality", "Cannot calibrate: {problem}").format(problem=messages.translated(message))
        self.panels.calibration.set_note(line)
        self.status_message.emit(line)
