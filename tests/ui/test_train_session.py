"""The Train tab's model driven alone, with no widget: the run at hand, the model opened or taught and its undo,
the probe choice, the states, each told by its signal (the dashboard is only their view)."""

from __future__ import annotations

import ast
import inspect

import numpy as np
import pytest
import torch
from PySide6.QtWidgets import QApplication

import ui.training.session as session_module
from tests.core.synthetic import BARS_SPEC, bars_dataset
from ui.training.session import TrainSession
from workbench.files.model_file import trained_model
from workbench.model.build import build_model
from workbench.training.config import TrainConfig

SIGNALS = ("state_changed", "model_changed", "dataset_changed", "probe_changed", "explain_changed", "result_changed")


class FakeRun:
    """What the session asks of a TrainingRun, without a training process."""

    def __init__(self, dataset, running: bool = True, weights: bool = True) -> None:
        self.spec, self.dataset, self.running = BARS_SPEC, dataset, running
        self.step, self.history = 12, []
        self.state = build_model(BARS_SPEC).state_dict() if weights else None
        self.probes: list[tuple] = []

    def model(self):
        return None if self.state is None else build_model(self.spec).eval()

    def saved_model(self):
        if self.state is None:
            return None
        return trained_model(self.spec, self.state, self.dataset, TrainConfig(epochs=1), self.history)

    def set_probe(self, image, label) -> None:
        self.probes.append((image, label))


@pytest.fixture(scope="module")
def dataset():
    return bars_dataset(train=32, val=16, test=8)


@pytest.fixture
def saved(dataset):
    torch.manual_seed(0)
    state = build_model(BARS_SPEC).state_dict()
    return trained_model(BARS_SPEC, state, dataset, TrainConfig(epochs=1), [{"epoch": 1, "val_accuracy": 0.5}])


@pytest.fixture
def session(qapp):
    """A session and what it told, in order: (signal, arguments); no widget is made while it is used."""
    before = set(QApplication.topLevelWidgets())
    session = TrainSession()
    session.told = []
    for name in SIGNALS:
        getattr(session, name).connect(lambda *args, name=name: session.told.append((name, args)))
    yield session
    assert set(QApplication.topLevelWidgets()) <= before  # no window, dialog or widget of any kind


def told(session) -> list[str]:
    names = [name for name, _args in session.told]
    session.told.clear()
    return names


def test_the_session_module_makes_no_widget():
    tree = ast.parse(inspect.getsource(session_module))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    assert "PySide6.QtCore" in imported
    assert not {name for name in imported if "QtWidgets" in name or "QtGui" in name or name.startswith("ui.plots")}


def test_a_new_session_is_idle_with_nothing_at_hand(session):
    assert session.state == "idle" and not session.running
    assert session.run is None and session.saved is None and session.spec is None and session.dataset is None
    assert not session.has_trained_model() and session.trained_model() is None
    assert session.classifier() is None and session.probe() is None and not session.can_undo_teach


def test_states_are_told_and_an_unknown_one_is_refused(session):
    session.set_state("running")
    session.set_state("paused")
    assert session.state == "paused" and told(session) == ["state_changed", "state_changed"]
    with pytest.raises(ValueError, match="unknown state"):
        session.set_state("sleeping")
    assert session.state == "paused" and told(session) == []
    session.end_run()  # its last weights are the model, then the tab is idle
    assert session.state == "idle" and told(session) == ["model_changed", "state_changed"]


def test_the_dataset_is_told_and_the_model_with_it_once_it_is_in_place(session, dataset):
    session.set_spec(BARS_SPEC)
    assert told(session) == ["model_changed"]
    untrained = session.classifier()
    assert untrained is not None and not untrained.trained and untrained.class_names == ()
    session.set_dataset(dataset)
    assert told(session) == ["dataset_changed", "model_changed"]
    assert session.classifier().class_names == dataset.class_names
    session.set_dataset(None)  # another one loads
    assert session.told == [("dataset_changed", (None,))]


def test_an_opened_model_is_the_model_at_hand(session, saved, dataset):
    session.use_saved(saved, "bars <1>.cnnwb")
    assert told(session) == ["result_changed", "model_changed"]
    assert session.has_trained_model() and session.trained_model() is saved
    assert session.classifier().description == "bars <1>.cnnwb"
    assert session.result == "<b>Opened bars &lt;1&gt;.cnnwb</b>: 1 epoch(s) trained, validation 50.00%"


def test_a_run_going_on_stays_the_run_at_hand_when_a_model_is_opened(session, saved, dataset):
    run = FakeRun(dataset)
    session.set_dataset(dataset)
    session.begin_run(run)
    session.set_state("running")
    session.use_saved(saved, "bars.cnnwb")
    assert session.run is run and session.saved is saved
    assert session.classifier().description == "training now, step 12"
    run.running = False
    session.use_saved(saved, "bars.cnnwb")
    assert session.run is None and session.classifier().description == "bars.cnnwb"


def test_teach_and_undo_round_trip(session, saved):
    assert not session.use_taught({}, "nothing to teach") and told(session) == []  # no trained model yet
    session.use_saved(saved, "bars.cnnwb")
    told(session)
    taught = {name: value + 1 for name, value in saved.state.items()}
    assert session.use_taught(taught, "3 drawings, 2 epochs")
    assert told(session) == ["result_changed", "model_changed"]
    assert session.saved_name == "taught on your digits" and session.trained_model().state is taught
    assert session.result == "<b>Taught on your digits</b>: 3 drawings, 2 epochs" and session.can_undo_teach
    assert session.undo_teach()
    assert told(session) == ["result_changed", "model_changed"]
    assert session.saved is saved and session.saved_name == "bars.cnnwb" and session.result.startswith("<b>Opened")
    assert not session.can_undo_teach and not session.undo_teach() and told(session) == []


def test_no_teach_while_a_run_goes_on_and_a_new_run_forgets_the_undo(session, saved, dataset):
    session.use_saved(saved, "bars.cnnwb")
    assert session.use_taught(dict(saved.state), "taught")
    session.begin_run(FakeRun(dataset))
    assert not session.can_undo_teach and not session.use_taught(dict(saved.state), "again")
    assert session.result == ""  # a new run has no result yet


def test_the_probe_is_a_test_image_or_a_pinned_one_and_a_run_follows_it(session, dataset):
    session.set_dataset(dataset)
    image, label = session.probe()
    assert torch.equal(image, dataset.test.images[0]) and label == int(dataset.test.labels[0])
    told(session)
    session.choose_test_image(3)
    assert told(session) == ["probe_changed"] and session.probe()[1] == int(dataset.test.labels[3])
    run = FakeRun(dataset)
    session.begin_run(run)
    assert told(session) == ["result_changed"]  # a new run has no result yet
    drawing = np.zeros((1, 12, 12), dtype=np.float64)
    session.use_probe_image(drawing, 7)
    pinned, pinned_label = session.probe()
    assert pinned.dtype == np.float32 and pinned_label == 7 and session.custom_probe is not None
    assert told(session) == ["probe_changed"] and run.probes[-1][1] == 7  # the run follows it at once
    session.choose_test_image(5)
    assert session.custom_probe is None and session.probe()[1] == int(dataset.test.labels[5])
    assert run.probes[-1][1] == int(dataset.test.labels[5])


def test_the_explained_class_follows_clicks_and_resets_with_the_probe(session, dataset):
    session.set_dataset(dataset)
    probabilities = np.array([0.1, 0.7, 0.1, 0.1])
    told(session)
    session.explain_class(2, probabilities)
    assert session.explained_class == 2 and told(session) == ["explain_changed"]
    session.explain_class(1, probabilities)  # the predicted class: follow the prediction again
    assert session.explained_class is None
    session.explain_class(3, probabilities)
    session.choose_test_image(1)
    assert session.explained_class is None
