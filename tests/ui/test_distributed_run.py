"""A distributed run from the window (two CPU processes through torchrun): the live panels follow rank 0,
and Pause, a changed learning rate, Resume and Stop reach the run, as for a single process."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import Qt

from tests.ui.test_dashboard import open_window_on_bars

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="gloo on loopback")


@pytest.mark.slow
def test_two_processes_from_the_device_choice_train_with_live_panels_pause_change_and_stop(qtbot, monkeypatch):
    monkeypatch.setenv("WORKBENCH_CPU_PROCESSES", "2")  # the choice "all GPUs (N)" offers with several GPUs
    window = open_window_on_bars(qtbot)
    dashboard = window.dashboard
    try:
        settings = dashboard.settings
        settings.device.setCurrentText("CPU × 2 processes")
        assert settings.processes() == 2 and settings.config().device == "cpu"
        settings.epochs.setValue(100)
        settings.batch_size.setValue(32)
        settings.schedule.setCurrentText("none")  # so the reported learning rate is the one set
        devices = []
        dashboard.device_used.connect(devices.append)
        qtbot.mouseClick(dashboard.train_button, Qt.MouseButton.LeftButton)
        loss_points = lambda: len(dashboard.loss_plot._losses.data)  # noqa: E731
        qtbot.waitUntil(lambda: loss_points() > 20, timeout=60000)
        qtbot.waitUntil(lambda: dashboard.feature_maps.current_key is not None, timeout=10000)
        qtbot.waitUntil(lambda: dashboard.run.model() is not None, timeout=10000)  # rank 0's weights copies
        assert "DDP × 2 (gloo)" in devices[-1]  # shown in the status bar

        qtbot.mouseClick(dashboard.pause_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dashboard.state == "paused", timeout=10000)
        step = dashboard.run.step
        settings.lr.setValue(0.0005)
        qtbot.mouseClick(dashboard.pause_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dashboard.run.step > step + 5, timeout=20000)
        assert dashboard.run.lr == pytest.approx(0.0005)

        qtbot.mouseClick(dashboard.stop_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not dashboard.running and dashboard.state == "idle", timeout=20000)
        assert dashboard.run.outcome == "stopped"  # not failed: every rank stopped at rank 0's word
        assert "Stopped" in dashboard.result_label.text()
    finally:
        dashboard.stop(wait_ms=10000)
        window.document.undo_stack.setClean()
        window.close()
        window.deleteLater()
