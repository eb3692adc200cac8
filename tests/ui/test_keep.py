"""Keeping the user's work through the window: trained models round-trip bit for bit, hostile files are
refused with one line, logits/code/ONNX export, dropped files open, the spec is autosaved and offered
back after a crash, and a save killed midway keeps the old file."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
import torch
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QMessageBox

from tests.core.synthetic import bars_dataset
from tests.ui.test_dashboard import SPEC, open_window_on_bars
from ui.files import RESTORE_QUESTION
from ui.main_window import MainWindow
from ui.training import results
from workbench.data.datasets import to_device
from workbench.files.export_onnx import MISSING_ONNX
from workbench.files.model_file import load_model, model_from_saved, save_model
from workbench.model.build import compute_logits
from workbench.training.config import TrainConfig
from workbench.training.trainer import Trainer


@pytest.fixture
def warnings(monkeypatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *rest: shown.append(text))
    return shown


def close(window: MainWindow) -> None:
    window.dashboard.stop(wait_ms=5000)
    window.document.undo_stack.setClean()
    window.close()
    window.deleteLater()


def logits_of(classifier, dataset) -> torch.Tensor:
    x, _ = to_device(dataset.test, classifier.mean, classifier.std, "cpu")
    return compute_logits(classifier.model, x)


def trained_here(epochs: int = 1):
    """A model trained in this process (no training process to spawn) on the bars data."""
    trainer = Trainer(SPEC, bars_dataset(train=4096, val=256, test=64), TrainConfig(epochs=epochs, batch_size=64))
    trainer.fit()
    return trainer.saved_model()


def test_train_save_open_elsewhere_gives_the_same_logits_and_training_continues(qtbot, tmp_path, warnings):
    window = open_window_on_bars(qtbot)
    dashboard = window.dashboard
    dataset = dashboard.dataset
    assert not window.keeper.save_trained_action.isEnabled()  # nothing trained yet
    dashboard.settings.epochs.setValue(2)
    dashboard.settings.batch_size.setValue(64)
    assert dashboard.start()
    qtbot.waitUntil(lambda: dashboard.state == "idle", timeout=60000)
    assert dashboard.run.outcome == "finished"
    assert window.keeper.save_trained_action.isEnabled() and window.keeper.export_onnx_action.isEnabled()
    assert not dashboard.checkpoint_path.exists()  # a finished run leaves nothing to resume
    path = tmp_path / "bars.cnnwb"
    assert window.keeper.save_trained(path)
    expected = logits_of(dashboard.classifier(), dataset)
    reference = dashboard.run.saved_model()

    fresh = MainWindow()
    fresh.show()
    assert fresh.open_path(path)
    assert fresh.document.spec == SPEC and not fresh.document.modified and fresh.document.path is None
    assert fresh.recent_files()[0] == path.resolve()
    opened = fresh.dashboard.classifier()
    got = logits_of(opened, dataset)
    assert torch.equal(got, expected)  # bit for bit, on CPU
    x, y = to_device(dataset.test, reference.mean, reference.std, "cpu")
    assert torch.equal(got, compute_logits(model_from_saved(reference), x))
    accuracy = (got.argmax(1) == y).float().mean().item()
    assert accuracy == pytest.approx(_test_accuracy(dashboard), abs=5e-5)  # the label shows 2 decimals of %
    history = load_model(path).history
    assert [row["epoch"] for row in history] == [1, 2]
    assert len(fresh.dashboard.loss_plot._val_steps) == 2 and len(fresh.dashboard.accuracy_plot._val) == 2
    assert fresh.dashboard.loss_plot._val_steps[-1] == history[-1]["step"]

    # Train in the fresh window continues from the opened weights: its first losses are already low
    fresh.tabs.setCurrentWidget(fresh.dashboard)
    qtbot.waitUntil(lambda: fresh.dashboard.dataset is not None, timeout=30000)
    fresh.dashboard._on_loader_succeeded(dataset)
    fresh.dashboard.settings.epochs.setValue(1)
    messages = []
    fresh.dashboard.status_message.connect(messages.append)
    assert fresh.dashboard.start()
    assert any("continues from the weights of bars.cnnwb" in m for m in messages)
    qtbot.waitUntil(lambda: len(fresh.dashboard.loss_plot._losses.data) > 0, timeout=30000)
    assert fresh.dashboard.loss_plot._losses.data[0] < 0.5 * np.log(4)  # a fresh 4-class model starts near ln 4
    qtbot.waitUntil(lambda: fresh.dashboard.state == "idle", timeout=60000)
    assert warnings == []
    close(fresh)
    close(window)


def _test_accuracy(dashboard) -> float:
    text = dashboard.result_label.text()
    return float(text.split("Test accuracy ")[1].split("%")[0]) / 100


def test_a_save_killed_midway_leaves_the_old_file(qtbot, tmp_path, warnings, monkeypatch):
    window = MainWindow()
    old = trained_here()
    path = tmp_path / "model.cnnwb"
    save_model(path, old)
    before = path.read_bytes()
    window.dashboard.set_saved(trained_here(epochs=2), "newer")

    def killed(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", killed)
    assert not window.keeper.save_trained(path)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert len(warnings) == 1 and "No space left on device" in warnings[0] and "\n" not in warnings[0]
    assert [p.name for p in tmp_path.iterdir()] == ["model.cnnwb"]  # no temporary file left behind
    close(window)


def test_hostile_and_broken_model_files_are_refused_in_one_line(qtbot, tmp_path, warnings):
    import pickle

    window = MainWindow()
    before = window.document.spec
    marker = tmp_path / "pwned"
    evil = tmp_path / "evil.cnnwb"
    evil.write_bytes(pickle.dumps(_Evil(str(marker)), protocol=4))
    good = tmp_path / "good.cnnwb"
    save_model(good, trained_here())
    cut = tmp_path / "cut.cnnwb"
    cut.write_bytes(good.read_bytes()[: len(good.read_bytes()) // 2])
    for path in (evil, cut):
        assert not window.open_path(path)
    assert not marker.exists()
    assert len(warnings) == 2 and all("\n" not in w for w in warnings)
    assert warnings[0].startswith("evil.cnnwb") and "pickle" in warnings[0]
    assert warnings[1].startswith("cut.cnnwb")
    assert window.document.spec == before and window.dashboard.saved is None
    close(window)


class _Evil:
    def __init__(self, marker: str):
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (Path(self.marker),))


def test_logits_export_from_the_menu_with_split_format_and_probabilities(qtbot, tmp_path, warnings, monkeypatch):
    window = open_window_on_bars(qtbot)
    window.dashboard.set_saved(trained_here(), "bars.cnnwb")
    monkeypatch.setattr(results, "ask_logits_options", lambda parent: ("validation", "npy", False))
    target = tmp_path / "val-logits"
    monkeypatch.setattr(results, "ask_logits_path", lambda parent, split, suffix: target.with_suffix(f".{suffix}"))
    assert window.keeper.export_logits_action.isEnabled()
    shown: list[str] = []  # every status line: the opened model's background evaluation may say its own after
    window.statusBar().messageChanged.connect(shown.append)
    window.keeper.export_logits_action.trigger()
    task = window.dashboard._exporter
    with qtbot.waitSignal(task.succeeded, timeout=30000):
        pass
    table = np.load(tmp_path / "val-logits.npy")
    assert len(table) == 256 and "probabilities" not in table.dtype.names
    qtbot.waitUntil(lambda: any("Wrote 256 rows of logits" in line for line in shown), timeout=5000)
    bad = window.dashboard.export_logits(tmp_path / "nofolder" / "x.csv", "test")
    with qtbot.waitSignal(bad.failed, timeout=30000):
        pass
    qtbot.waitUntil(lambda: len(warnings) == 1)
    assert "does not exist" in warnings[0]
    close(window)


def test_export_code_asks_before_replacing_and_onnx_says_what_is_missing(qtbot, tmp_path, warnings, monkeypatch):
    window = MainWindow()
    path = tmp_path / "m.cnnwb"
    save_model(path, trained_here())
    assert window.open_path(path)
    written = window.keeper.export_code(tmp_path / "code")
    assert {p.name for p in written} == {"model.py", "weights.pt"}
    answers = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: answers.pop(0))
    answers.append(QMessageBox.StandardButton.No)
    assert window.keeper.export_code(tmp_path / "code") == []
    answers.append(QMessageBox.StandardButton.Yes)
    assert len(window.keeper.export_code(tmp_path / "code")) == 2
    try:
        import onnx  # noqa: F401
    except ImportError:
        assert window.keeper.export_onnx(tmp_path / "m.onnx") is None
        assert warnings == [MISSING_ONNX]
    else:
        assert window.keeper.export_onnx(tmp_path / "m.onnx") == tmp_path / "m.onnx"
    close(window)


def test_dropping_a_model_file_on_the_window_opens_it(qtbot, tmp_path):
    window = MainWindow()
    window.show()
    spec = SPEC.with_input((1, 16, 16))
    path = tmp_path / "dropped.json"
    path.write_text(spec.dumps())
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    enter = QDragEnterEvent(
        window.rect().center(),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dragEnterEvent(enter)
    assert enter.isAccepted()
    drop = QDropEvent(
        QPointF(window.rect().center()),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(drop)
    qtbot.waitUntil(lambda: window.document.path == path, timeout=5000)
    assert window.document.spec == spec
    other = QMimeData()
    other.setUrls([QUrl.fromLocalFile(str(tmp_path / "notes.txt"))])
    refused = QDragEnterEvent(
        window.rect().center(),
        Qt.DropAction.CopyAction,
        other,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    refused.ignore()
    window.dragEnterEvent(refused)
    assert not refused.isAccepted()
    close(window)


def test_unsaved_work_is_autosaved_and_offered_back_after_a_crash(qtbot, monkeypatch):
    window = MainWindow(SPEC)
    keeper = window.keeper
    assert not keeper.offer_restore()  # nothing left by a previous session
    window.document.add_layer(len(SPEC.layers), "ReLU")
    qtbot.waitUntil(keeper.autosave.spec_path.exists, timeout=5000)  # debounced, ~1 s
    edited = window.document.spec
    keeper.recovery.claim.unlock()  # "killed": its lock no longer held (a dead process's is stale), no closeEvent
    window.deleteLater()

    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda parent, title, text, *rest: asked.append(text) or rest[1])
    again = MainWindow()
    assert again.keeper.offer_restore()
    assert len(asked) == 1 and asked[0].startswith(RESTORE_QUESTION) and "Model: " in asked[0]
    assert again.document.spec == edited and again.document.modified  # restored, not yet saved
    assert not keeper.autosave.spec_path.exists()  # now kept in the new window's own folder
    assert again.keeper.autosave.spec_path.exists()
    again.document.undo_stack.setClean()
    again.close()  # a clean exit removes it
    again.deleteLater()
    assert not again.keeper.autosave.spec_path.exists()
    third = MainWindow()
    assert not third.keeper.offer_restore() and len(asked) == 1
    close(third)


def test_declining_the_restore_forgets_it(qtbot, monkeypatch):
    crashed = MainWindow(SPEC)
    crashed.keeper.autosave.write(SPEC.with_input((1, 20, 20)))
    crashed.keeper.recovery.claim.unlock()  # "killed"
    window = MainWindow(SPEC)
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.No)
    assert not window.keeper.offer_restore()
    assert window.document.spec == SPEC and not crashed.keeper.autosave.spec_path.exists()
    assert not crashed.keeper.recovery.folder.exists()
    crashed.deleteLater()
    close(window)


def test_a_killed_run_is_resumed_from_its_last_epoch_from_the_run_menu(qtbot, warnings):
    import signal

    from workbench.events import EpochEnded, RunStarted

    window = open_window_on_bars(qtbot)
    dashboard = window.dashboard
    dashboard.settings.epochs.setValue(3)
    started, epochs = [], []
    assert dashboard.start()
    qtbot.waitUntil(
        lambda: dashboard.checkpoint_path is not None and dashboard.checkpoint_path.is_file(), timeout=30000
    )
    os.kill(dashboard.run.remote.process.pid, signal.SIGKILL)  # as a crash or the OOM killer would
    qtbot.waitUntil(lambda: dashboard.state == "idle", timeout=10000)
    assert dashboard.run.outcome == "failed" and "was killed" in warnings[-1]
    window.keeper.update_actions()
    assert window.keeper.resume_action.isEnabled()

    window.keeper.resume_action.trigger()
    run = dashboard.run
    run.event_emitted.connect(lambda e: started.append(e) if isinstance(e, RunStarted) else None)
    run.event_emitted.connect(lambda e: epochs.append(e.epoch) if isinstance(e, EpochEnded) else None)
    qtbot.waitUntil(lambda: run.outcome is not None, timeout=60000)
    assert run.outcome == "finished"
    assert started and started[0].start_epoch >= 2  # not from scratch: after the checkpointed epoch
    assert epochs and epochs[-1] == 3 and epochs[0] == started[0].start_epoch
    assert [row["epoch"] for row in run.history] == [1, 2, 3]
    close(window)
