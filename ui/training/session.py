"""The Train tab's model: the run at hand and what goes with it, apart from the widgets that show it.

It holds the tab's state ("idle", "running", "paused"), the model being built (its spec), the dataset loaded,
the current `TrainingRun`, a trained model opened from a file (or given by a Teach) and its name, the stored run
that model comes from, the probe the panels follow (a pinned image or a test image by index, and the class its
saliency explains), the line that says what the model at hand is, the temperature fitted for its weights
(`use_calibration`: it holds until the weights change), and what `undo_teach` goes back to. Every
change is told by a signal; the dashboard (`ui/training/dashboard.py`) renders it and forwards the user's
actions, as napari's `QtDims` renders its `Dims`. No widget is made here, so tests drive it alone
(tests/ui/test_train_session.py).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, Signal

from ui.i18n import translate
from ui.training.worker import TrainingRun
from workbench.data.datasets import Dataset
from workbench.files.model_file import SavedModel
from workbench.insight.classify import Classifier
from workbench.insight.saliency import class_to_explain
from workbench.messages import say
from workbench.model.spec import ModelSpec

STATES = ("idle", "running", "paused")


class TrainSession(QObject):
    state_changed = Signal(str)  # "idle", "running" or "paused"
    model_changed = Signal()  # `classifier()` has new weights: a run's update or end, another model or dataset
    dataset_changed = Signal(object)  # the Dataset now at hand, or None while another one loads
    probe_changed = Signal()  # another probe: a pinned image or another test image
    explain_changed = Signal()  # the probe's saliency is to explain another class
    result_changed = Signal(str, str)  # the line saying what the model at hand is (rich text), its tone or ""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state = "idle"
        self.spec: ModelSpec | None = None  # the model the next run trains (None: none, or one that cannot work)
        self.dataset: Dataset | None = None
        self.run: TrainingRun | None = None
        self.saved: SavedModel | None = None  # a trained model opened from a file (used until a run has weights)
        self.saved_name = ""
        self.saved_run_id: int | None = None  # the stored run the opened model comes from, if any
        self.checkpoint_path: Path | None = None  # where app runs keep their checkpoint (set by the window)
        self.custom_probe: tuple[np.ndarray, int | None] | None = None  # a drawing pinned as the probe
        self.probe_index = 0  # the test image followed when no image is pinned
        self.explained_class: int | None = None  # the class the probe's saliency explains; None: the predicted
        self.result, self.result_tone = "", ""
        self._result_source: Callable[[], str] | str = ""  # `result`, or what makes it in the window's language
        self._before_teach: list[tuple] = []  # what `undo_teach` goes back to, latest last
        # a calibration fitted for the run's weights: (run, its weights then, the record); a model opened from a
        # file (or taught) keeps its own in `saved.calibration`
        self._run_calibration: tuple[TrainingRun, dict, dict] | None = None

    # ----- state -----------------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self.run is not None and self.run.running

    def set_state(self, state: str) -> None:
        if state not in STATES:
            raise ValueError(f"unknown state {state!r}; one of {', '.join(STATES)}")
        self.state = state
        self.state_changed.emit(state)

    def set_spec(self, spec: ModelSpec | None) -> None:
        """The model the next run trains; None when there is none that can work."""
        self.spec = spec
        self.model_changed.emit()

    def set_dataset(self, dataset: Dataset | None) -> None:
        """The data at hand; None while another loads (the model is told when the new one is in place)."""
        self.dataset = dataset
        self.dataset_changed.emit(dataset)
        if dataset is not None:
            self.model_changed.emit()

    def set_result(self, text: str | Callable[[], str], tone: str = "") -> None:
        """The line saying what the model at hand is; a function's line is made again after a change of
        language (`retranslate_result`)."""
        self._result_source = text
        self.result, self.result_tone = text() if callable(text) else text, tone
        self.result_changed.emit(self.result, tone)

    def retranslate_result(self) -> None:
        if callable(self._result_source):
            self.set_result(self._result_source, self.result_tone)

    # ----- the run ---------------------------------------------------------------------------------

    def begin_run(self, run: TrainingRun) -> None:
        """`run` becomes the run at hand (its weights the model once they come); a Teach before is not undone."""
        self.set_result("")
        self._before_teach.clear()
        self._run_calibration = None
        self.run = run

    def new_weights(self) -> None:
        """The run at hand sent newer weights."""
        self.model_changed.emit()

    def end_run(self) -> None:
        """The run at hand is over: its last weights are the model, and the tab is idle."""
        self.model_changed.emit()
        self.set_state("idle")

    # ----- the model at hand -----------------------------------------------------------------------

    def has_trained_model(self) -> bool:
        return (self.run is not None and self.run.state is not None) or self.saved is not None

    def trained_model(self) -> SavedModel | None:
        """The weights to save or export: the run's latest (with the temperature fitted for them, if any), else
        the model opened from a file."""
        saved = self.run.saved_model() if self.run is not None else None
        if saved is None:
            return self.saved
        record = self._calibration_of_run()
        return replace(saved, calibration=dict(record)) if record else saved

    def classifier(self) -> Classifier | None:
        """What classifies single images now: the latest weights of the run (while it trains and after),
        else a model opened from a file, else the model being built, untrained. None without a model."""
        run = self.run
        if run is not None and run.model() is not None:
            if run.running:
                state = say("model.training", step=f"{run.step:,}")
            else:
                state = say("model.trained", count=len(run.history))
            data, temperature = run.dataset, float(self._calibration_of_run().get("temperature", 1.0))
            classifier = Classifier(run.model(), run.spec, data.mean, data.std, data.class_names, state)
            classifier.temperature = temperature
            return classifier
        if self.saved is not None:
            return Classifier.from_saved(self.saved, self.saved_name or say("model.opened"))
        if self.spec is None:
            return None
        if self.dataset is not None and tuple(self.dataset.input_shape) == tuple(self.spec.input):
            return Classifier.untrained(self.spec, self.dataset.mean, self.dataset.std, self.dataset.class_names)
        return Classifier.untrained(self.spec, (0.0,), (1.0,), ())

    def use_saved(self, saved: SavedModel, name: str) -> None:
        """Use a model opened from a file: it classifies now and Train continues from it (a run still going
        stays the run at hand until it ends)."""
        self.saved, self.saved_name = saved, name
        self._before_teach.clear()
        if not self.running:
            self.run = None
            self._run_calibration = None
        last = saved.history[-1] if saved.history else {}
        val = last.get("val_accuracy")
        epochs = len(saved.history)
        if isinstance(val, (int, float)):
            line = lambda: translate(  # noqa: E731
                "TrainSession", "<b>Opened {name}</b>: {count} epoch(s) trained, validation {accuracy}%"
            ).format(name=html.escape(name), count=epochs, accuracy=f"{100 * val:.2f}")
        else:
            line = lambda: translate("TrainSession", "<b>Opened {name}</b>: {count} epoch(s) trained").format(  # noqa: E731
                name=html.escape(name), count=epochs
            )
        self.set_result(line)
        self.model_changed.emit()

    def use_taught(self, state: dict, summary: str) -> bool:
        """The weights a Teach gave become the model at hand (the Draw tab reads with them, Save saves them,
        Train continues from them); the model before stays one `undo_teach()` away."""
        base = self.trained_model()
        if base is None or self.running:
            return False
        self._before_teach.append(
            (self.run, self.saved, self.saved_name, self._result_source, self.result_tone, self._run_calibration)
        )
        self.run, self._run_calibration = None, None
        # new weights: the temperature fitted for the old ones no longer holds
        taught = say("model.taught")
        self.saved, self.saved_name = replace(base, state=state, calibration={}), taught
        self.set_result(
            lambda: translate("TrainSession", "<b>Taught on your digits</b>: {summary}").format(summary=summary)
        )
        self.model_changed.emit()
        return True

    @property
    def can_undo_teach(self) -> bool:
        return bool(self._before_teach) and not self.running

    def undo_teach(self) -> bool:
        """Back to the model before the last Teach."""
        if not self.can_undo_teach:
            return False
        self.run, self.saved, self.saved_name, text, tone, self._run_calibration = self._before_teach.pop()
        self.set_result(text, tone)
        self.model_changed.emit()
        return True

    # ----- calibration -----------------------------------------------------------------------------

    def model_token(self) -> tuple:
        """What the model at hand is, to tell later whether it is still the same (`same_model`): work on its
        weights in the background (a calibration) applies only to them."""
        run = self.run
        if run is not None and run.state is not None:
            return ("run", run, run.state)
        return ("saved", self.saved, None if self.saved is None else self.saved.state)

    def same_model(self, token: tuple) -> bool:
        return all(a is b for a, b in zip(token, self.model_token(), strict=True))

    @property
    def calibration(self) -> dict:
        """The calibration in effect for the model at hand ({"temperature", "ece_before", "ece_after", "split",
        "images"}), {} when none: probabilities are softmax(logits / temperature)."""
        if self.run is not None and self.run.state is not None:
            return self._calibration_of_run()
        return dict(self.saved.calibration) if self.saved is not None else {}

    def use_calibration(self, record: dict, token: tuple) -> bool:
        """Apply a temperature fitted (`workbench.insight.quality.calibrate`) for the model `token` names to the
        model at hand: its classifier and the model saved or exported use it until the weights change. False
        (nothing changes) when the model at hand is another one by now."""
        if not record or not self.same_model(token):
            return False
        if token[0] == "run":
            self._run_calibration = (self.run, self.run.state, dict(record))
        elif self.saved is not None:
            self.saved = replace(self.saved, calibration=dict(record))
        else:
            return False
        self.model_changed.emit()
        return True

    def _calibration_of_run(self) -> dict:
        held = self._run_calibration
        run = self.run
        if held is None or run is None or held[0] is not run or held[1] is not run.state:
            return {}
        return held[2]

    # ----- the probe -------------------------------------------------------------------------------

    def probe(self):
        """The probe the panels follow: (image, label), a pinned drawing or a test image; None without data."""
        if self.custom_probe is not None:
            return self.custom_probe
        if self.dataset is None or len(self.dataset.test) == 0:
            return None
        index = min(self.probe_index, len(self.dataset.test) - 1)
        return self.dataset.test.images[index], int(self.dataset.test.labels[index])

    def use_probe_image(self, image: np.ndarray, label: int | None = None) -> None:
        """Pin `image` ((C, H, W) in [0, 1], e.g. a drawing) as the probe, now and through every layer of a
        run going on."""
        self.custom_probe = (np.asarray(image, dtype=np.float32), label)
        self._probe_chosen()

    def choose_test_image(self, index: int) -> None:
        """Follow test image `index` (the pinned image, if any, is let go)."""
        self.custom_probe, self.probe_index = None, index
        self._probe_chosen()

    def _probe_chosen(self) -> None:
        self.explained_class = None
        probe = self.probe()
        if self.running and probe is not None:
            self.run.set_probe(*probe)
        self.probe_changed.emit()

    def explain_class(self, index: int, probabilities: np.ndarray | None) -> None:
        """Explain class `index` in the probe's saliency map (the predicted one, by `probabilities`, again
        when it is the one clicked)."""
        self.explained_class = class_to_explain(index, probabilities)
        self.explain_changed.emit()
