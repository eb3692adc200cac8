"""Fast to a good model in the window: a template brings its measured settings, the learning-rate finder
proposes a rate that one click puts into the settings, and "train until" ends a run on its own."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from workbench.model import templates


def test_a_template_brings_its_settings_and_says_what_it_measured(window):
    action = next(a for a in window.template_menu.actions() if a.objectName() == "template:mnist-fast")
    assert templates.MEASURED["mnist-fast"] in action.text()
    action.trigger()
    settings = window.dashboard.settings
    assert window.document.spec.name == "mnist-fast"
    assert settings.batch_size.value() == 128 and settings.lr.value() == pytest.approx(0.01)
    assert settings.label_smoothing.value() == pytest.approx(0.1) and settings.epochs.value() == 1
    assert templates.MEASURED["mnist-fast"] in window.statusBar().currentMessage()
    window.new_from_template("mnist-bn")
    assert settings.epochs.value() == 2 and settings.batch_size.value() == 64


def test_the_form_turns_train_until_into_settings():
    from ui.training.settings_form import SettingsForm

    form = SettingsForm()
    config = form.config()
    assert config.target_accuracy is None and config.time_budget is None and config.patience == 0
    assert form.target.text() == "off"
    form.target.setValue(99.0)
    form.time_budget.setValue(30)
    form.patience.setValue(3)
    config = form.config()
    assert config.target_accuracy == pytest.approx(0.99) and config.time_budget == 30 and config.patience == 3
    other = SettingsForm()
    other.apply_config(config)
    assert other.config() == config


def test_the_lr_finder_proposes_a_rate_and_use_puts_it_in_the_settings(bars_window, qtbot):
    dashboard = bars_window.dashboard
    panel = dashboard.lr_finder
    dashboard.settings.batch_size.setValue(32)
    qtbot.mouseClick(dashboard.settings.find_lr, Qt.MouseButton.LeftButton)
    assert dashboard.curves.currentWidget() is panel
    assert not dashboard.train_button.isEnabled()  # no run while the search uses the cores
    qtbot.waitUntil(lambda: panel.finding is not None, timeout=60000)
    xs, ys = panel.curve.getData()
    assert len(xs) >= 20 and np.all(np.isfinite(ys))
    assert panel.marker.isVisible() and panel.use_button.isEnabled()
    assert f"{panel.finding.suggestion:.3g}" in panel.use_button.text()
    qtbot.mouseClick(panel.use_button, Qt.MouseButton.LeftButton)
    assert dashboard.settings.lr.value() == pytest.approx(float(f"{panel.finding.suggestion:.3g}"), rel=1e-3)
    assert dashboard.train_button.isEnabled()


def test_a_target_accuracy_ends_the_run_and_the_window_says_why_and_where(bars_window, qtbot):
    dashboard = bars_window.dashboard
    settings = dashboard.settings
    settings.epochs.setValue(50)
    settings.batch_size.setValue(32)
    settings.target.setValue(90.0)
    qtbot.mouseClick(dashboard.train_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dashboard.running and dashboard.state == "idle", timeout=120000)
    assert dashboard.run.outcome == "finished"
    text = dashboard.result_label.text()
    assert "reached the target validation accuracy 90%" in text and "on CPU" in text
    assert len(dashboard.run.history) < 50
    assert "channels_last" in bars_window.device_label.text()
    curve = dashboard.accuracy_plot.val_curve
    # the panel redraws on its timer: the check that reached the target may be drawn a moment after the end
    qtbot.waitUntil(lambda: curve.getData()[1] is not None and curve.getData()[1][-1] >= 90.0, timeout=5000)
    _, val = curve.getData()
    assert val[-1] >= 90.0 and np.all(val[:-1] < 90.0)  # checks within epochs, the last one past the target
