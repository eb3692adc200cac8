"""The layer-health panel: flags a person can read, histograms over time, and a real run feeding it."""

from __future__ import annotations

import torch
from PySide6.QtCore import QSettings
from torch import nn

from ui.plots.health_view import MEASURE_SETTING, HealthView
from workbench.events import HealthUpdate
from workbench.insight.health import measure_health


def _dead_relu_model() -> nn.Sequential:
    torch.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(1, 8, 3), nn.ReLU(), nn.Flatten(), nn.Linear(8 * 10 * 10, 4))
    with torch.no_grad():
        model[0].bias.fill_(-100.0)
    return model


def _updates(model, count: int):
    torch.manual_seed(1)
    x, y = torch.rand(32, 1, 12, 12), torch.randint(0, 4, (32,))
    return [HealthUpdate(10 * (i + 1), tuple(measure_health(model, x * (1 + i), y)), {}) for i in range(count)]


def test_a_dead_relu_is_flagged_in_red_and_its_histograms_are_drawn(qtbot):
    view = HealthView()
    qtbot.addWidget(view)
    view.resize(900, 320)
    view.show()
    for update in _updates(_dead_relu_model(), 4):
        view.add_update(update)
    view.refresher.flush()
    assert view.stack.currentWidget() is view.body
    assert view.table.rowCount() == 4
    assert view.table.item(1, 0).text() == "2 ReLU" and view.table.item(1, 1).text() == "100%"
    assert "dead units" in view.table.item(1, 4).text()
    assert view.table.item(2, 4).text() == "ok"  # Flatten: nothing to flag (the Linear after it gets no gradient)
    assert "flagged" in view.title_label.text()
    assert view.layer_index == 0  # the first flagged layer: the conv with a vanishing gradient
    assert view.image_item.image.shape == (48, 16)  # value bins up, 4 measurements × 4 grid columns across


def test_choosing_a_row_and_a_kind_shows_that_layers_histograms(qtbot):
    view = HealthView()
    qtbot.addWidget(view)
    view.show()
    for update in _updates(_dead_relu_model(), 3):
        view.add_update(update)
    view.refresher.flush()
    view.table.selectRow(3)
    view.kind_combo.setCurrentIndex(view.kind_combo.findData("weights"))
    view.refresher.flush()
    assert view.layer_index == 3 and "layer 4 Linear: weights" in view.plot.plotItem.titleLabel.text
    view.table.selectRow(1)
    view.refresher.flush()
    assert "no weights" in view.plot.plotItem.titleLabel.text and view.image_item.image is None


def test_the_measure_choice_is_remembered_and_decides_the_runs_interval(qtbot):
    view = HealthView()
    qtbot.addWidget(view)
    assert view.measuring and view.health_interval() > 0
    view.measure_check.setChecked(False)
    assert view.health_interval() is None and "not measured" in view.placeholder.text()
    assert QSettings().value(MEASURE_SETTING, type=bool) is False
    again = HealthView()
    qtbot.addWidget(again)
    assert not again.measuring


def test_a_run_in_the_window_fills_the_health_panel(bars_window, qtbot):
    dashboard = bars_window.dashboard
    dashboard.settings.epochs.setValue(30)
    dashboard.settings.batch_size.setValue(32)
    dashboard.evaluation.setCurrentWidget(dashboard.health)
    monkey_interval = 0.1
    dashboard.health.health_interval = lambda: monkey_interval
    assert dashboard.start()
    qtbot.waitUntil(lambda: len(dashboard.health.history) >= 3, timeout=60000)
    dashboard.stop(wait_ms=10000)
    dashboard.health.refresher.flush()
    assert dashboard.health.table.rowCount() == len(dashboard.spec.layers)
    assert dashboard.health.table.item(0, 0).text() == "1 Conv2d"
    assert dashboard.health.table.item(0, 3).text() != "—"  # an update ratio was measured
    assert dashboard.health.image_item.image is not None
