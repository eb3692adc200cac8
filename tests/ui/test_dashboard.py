"""Training through the real window: live panels update, Stop is prompt, the GUI never stalls."""

from __future__ import annotations

import math
import time

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from tests.core.synthetic import BARS_SPEC, bars_dataset
from tests.ui.gap_meter import GapMeter
from ui.main_window import MainWindow
from workbench.events import BatchEnded, RunStarted
from workbench.model.spec import LayerSpec, ModelSpec

SPEC = ModelSpec(
    (1, 12, 12),
    (
        LayerSpec("Conv2d", {"out_channels": 6, "kernel_size": 3, "padding": 1}),
        LayerSpec("ReLU"),
        LayerSpec("MaxPool2d", {"kernel_size": 2}),
        LayerSpec("Flatten"),
        LayerSpec("Linear", {"out_features": 4}),
    ),
)


def open_window_on_bars(qtbot) -> MainWindow:
    """The window on the Train tab with the generated bars dataset in place of the default one."""
    window = MainWindow(SPEC)
    window.show()
    dashboard = window.dashboard
    window.tabs.setCurrentWidget(dashboard)
    qtbot.waitUntil(lambda: dashboard.dataset is not None, timeout=30000)  # the default dataset, then ours
    dashboard._on_loader_succeeded(bars_dataset(train=4096, val=256, test=64))
    return window


@pytest.fixture
def window(qtbot):
    window = open_window_on_bars(qtbot)
    dashboard = window.dashboard
    yield window
    dashboard.stop(wait_ms=5000)
    window.document.undo_stack.setClean()
    window.close()
    window.deleteLater()


def test_training_in_the_window_updates_live_panels_and_stops_within_a_second(window, qtbot):
    dashboard = window.dashboard
    dashboard.settings.epochs.setValue(100)
    dashboard.settings.batch_size.setValue(32)
    assert dashboard.train_button.isEnabled()
    gaps = GapMeter()
    gaps.start()
    qtbot.mouseClick(dashboard.train_button, Qt.MouseButton.LeftButton)
    assert dashboard.running and not dashboard.train_button.isEnabled()

    loss_points = lambda: len(dashboard.loss_plot._losses.data)  # noqa: E731 - every batch, before downsampling
    qtbot.waitUntil(lambda: loss_points() > 50, timeout=30000)
    first_points = loss_points()
    qtbot.waitUntil(lambda: dashboard.feature_maps.current_key is not None, timeout=10000)
    probs_before = _bar_heights(dashboard)
    qtbot.waitUntil(lambda: loss_points() > first_points + 50, timeout=30000)
    qtbot.waitUntil(lambda: not np.array_equal(_bar_heights(dashboard), probs_before), timeout=10000)
    assert abs(_bar_heights(dashboard).sum() - 1.0) < 1e-4

    clicked = time.perf_counter()
    qtbot.mouseClick(dashboard.stop_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dashboard.running and dashboard.state == "idle", timeout=5000)
    stop_seconds = time.perf_counter() - clicked
    gaps.timer.stop()
    assert stop_seconds < 1.0
    assert dashboard.run.outcome == "stopped"
    assert "Stopped" in dashboard.result_label.text()
    assert gaps.ticks > 20  # the meter really ran during training
    gap, busy = gaps.largest * 1000, gaps.largest_busy * 1000
    print(f"largest GUI gap while training: {gap:.0f} ms, largest busy stretch: {busy:.0f} ms")
    assert gaps.largest_busy < 0.100, f"the GUI thread was busy for {busy:.0f} ms at once"
    assert gaps.largest < 0.250, f"the GUI thread was blocked for {gap:.0f} ms"
    assert dashboard.save_button.isEnabled() and dashboard.export_button.isEnabled()


def _bar_heights(dashboard) -> np.ndarray:
    dashboard.softmax.refresher.flush()
    return np.array(dashboard.softmax.bars.opts.get("height"), dtype=float)


def test_pause_change_the_learning_rate_and_resume(window, qtbot, monkeypatch):
    failures = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: failures.append(text))
    dashboard = window.dashboard
    dashboard.settings.epochs.setValue(100)
    dashboard.settings.schedule.setCurrentText("none")  # so the reported learning rate is the one set
    dashboard.start()
    qtbot.waitUntil(lambda: dashboard.run.step > 5, timeout=20000)
    qtbot.mouseClick(dashboard.pause_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dashboard.state == "paused", timeout=5000)
    assert dashboard.pause_button.text() == "Resume"
    assert dashboard.settings.lr.isEnabled() and not dashboard.settings.batch_size.isEnabled()
    step = dashboard.run.step
    dashboard.settings.schedule.setCurrentText("cosine")  # disabled while paused: stays as it was
    dashboard.settings.lr.setValue(0.0005)
    qtbot.mouseClick(dashboard.pause_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dashboard.run.step > step + 5, timeout=10000)
    assert failures == []
    assert dashboard.run.lr == pytest.approx(0.0005)  # as the training process reports it
    assert dashboard.state == "running"


def test_a_failing_run_shows_the_reason_and_keeps_the_model(window, qtbot, monkeypatch):
    messages = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: messages.append(text))
    window.document.replace(SPEC.with_layers([*SPEC.layers[:-1], LayerSpec("Linear", {"out_features": 3})]), "x")
    dashboard = window.dashboard
    assert dashboard.start()
    qtbot.waitUntil(lambda: dashboard.state == "idle" and dashboard.run.outcome == "failed", timeout=10000)
    assert messages and "make the last Linear layer's out_features 4" in messages[0]
    assert window.document.spec.layers[-1].params["out_features"] == 3


def test_closing_the_window_during_training_stops_the_worker(qtbot):
    window = open_window_on_bars(qtbot)
    dashboard = window.dashboard
    dashboard.settings.epochs.setValue(100)
    dashboard.start()
    qtbot.waitUntil(lambda: dashboard.run.step > 3, timeout=20000)
    thread, process = dashboard.run.thread, dashboard.run.remote.process
    window.document.undo_stack.setClean()  # (the datasets set the model's input: an unsaved edit)
    assert window.close()
    assert not thread.isRunning()
    assert not process.is_alive()
    window.deleteLater()


def test_train_pressed_before_the_dataset_has_loaded_starts_once_it_has(qtbot):
    window = MainWindow()  # the starter model fits both MNIST and the built-in digits
    window.show()
    dashboard = window.dashboard
    assert dashboard.dataset is None
    window.train_action.trigger()  # shows the Train tab, which starts loading
    assert dashboard.dataset is None and not dashboard.running
    qtbot.waitUntil(lambda: dashboard.running, timeout=30000)
    assert dashboard.dataset is not None
    dashboard.stop(wait_ms=5000)
    qtbot.waitUntil(lambda: dashboard.state == "idle", timeout=5000)
    assert dashboard.run.outcome == "stopped"
    window.document.undo_stack.setClean()
    assert window.close()
    window.deleteLater()


def _started(batches_per_epoch: int = 100, epochs: int = 2) -> RunStarted:
    return RunStarted("bars", ("a", "b"), 10, 5, 5, (1, 8, 8), 10, 100, "CPU", {}, 1, epochs, batches_per_epoch)


@pytest.mark.parametrize(("elapsed_s", "eta"), [(0.0, "ETA 0:00"), (3600.0, "ETA 60:00"), (1e9, "ETA")])
def test_the_eta_is_measured_on_the_injected_clock_at_both_extremes(window, elapsed_s, eta):
    """No time at all since the start, an hour, and a clock far ahead: the line always reads, never fails."""
    events, now = window.dashboard.control.events, [100.0]
    events.clock = lambda: now[0]
    events.handle(_started())
    now[0] += elapsed_s
    events.handle(BatchEnded(1, 100, 100, 100, 0.5, 0.8, 0.1, 500.0, (100,), (0.5,)))  # half of 200 steps done
    detail = window.dashboard.run_box.progress_detail.text()
    assert eta in detail and "loss 0.5000" in detail, detail


@pytest.mark.parametrize(("interval_s", "expected"), [(0.0, 5), (math.inf, 1)])
def test_first_layer_filters_are_redrawn_at_most_once_per_interval(window, monkeypatch, interval_s, expected):
    """Every call redraws at interval 0; at interval ∞ only the first (and a forced one at the end)."""
    from workbench.model.build import build_model

    panels, drawn = window.dashboard.panels, []
    monkeypatch.setattr(panels.filters, "show_filters", lambda weight: drawn.append(weight.shape))
    panels.filter_interval_s, panels.clock = interval_s, lambda: 0.0
    model = build_model(BARS_SPEC)
    run = type("Run", (), {"model": lambda self: model})()
    for _ in range(5):
        panels.refresh_filters(run)
    assert len(drawn) == expected
    panels.refresh_filters(run, force=True)
    assert len(drawn) == expected + 1 and drawn[-1][0] == model[0].out_channels
