"""Saliency on the Train tab's probe: laid over the input of the feature-map panel, for the predicted class
or the one clicked in the softmax chart, between runs and live while a run trains."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, Qt


def _click_bar(qtbot, chart, index: int) -> None:
    box = chart.plot.plotItem.getViewBox()
    scene_point = box.mapViewToScene(QPointF(index, 0.5 * box.viewRange()[1][1]))
    widget_point = chart.plot.mapFromScene(scene_point)
    qtbot.mouseClick(chart.plot.viewport(), Qt.MouseButton.LeftButton, pos=widget_point)


def _choose(dashboard, method: str | None) -> None:
    combo = dashboard.feature_maps.explain_combo
    combo.setCurrentIndex(combo.findData(method))


def test_the_probe_is_explained_for_the_predicted_or_the_clicked_class(bars_window, qtbot):
    dashboard = bars_window.dashboard
    dashboard.use_probe_image(dashboard.dataset.test.images[0].numpy() / 255.0, 1)
    maps = dashboard.feature_maps
    maps.refresher.flush()
    assert dashboard.last_probe.saliency is None and maps.input_image.image.ndim == 2  # grey: nothing asked
    _choose(dashboard, "grad-cam")
    maps.refresher.flush()
    found = dashboard.last_probe.saliency
    predicted = int(np.argmax(dashboard.last_probe.probabilities))
    assert found.method == "grad-cam" and found.target == predicted
    assert maps.input_image.image.shape[-1] == 3  # the heat map over the grey input
    assert "Grad-CAM at layer 1: evidence for" in maps.footer_label.text()
    dashboard.softmax.refresher.flush()
    other = (predicted + 1) % dashboard.dataset.num_classes
    _click_bar(qtbot, dashboard.softmax, other)
    assert dashboard.explained_class == other and dashboard.last_probe.saliency.target == other
    _choose(dashboard, "gradient")
    assert dashboard.last_probe.saliency.method == "gradient" and dashboard.last_probe.saliency.target == other
    dashboard.explain_class(predicted)  # the predicted bar again: back to following the prediction
    assert dashboard.explained_class is None
    _choose(dashboard, None)
    maps.refresher.flush()
    assert dashboard.last_probe.saliency is None and maps.input_image.image.ndim == 2


def test_a_training_run_sends_the_probes_saliency_live(bars_window, qtbot):
    dashboard = bars_window.dashboard
    dashboard.settings.epochs.setValue(30)
    dashboard.settings.batch_size.setValue(32)
    _choose(dashboard, "grad-cam")
    chosen = (int(np.argmax(dashboard.last_probe.probabilities)) + 1) % dashboard.dataset.num_classes
    dashboard.explain_class(chosen)  # not the predicted class: that one would mean "follow the prediction"
    assert dashboard.explained_class == chosen
    assert dashboard.start()
    steps = set()

    def explained_live() -> bool:
        probe = dashboard.last_probe
        if probe is not None and probe.step > 0 and probe.saliency is not None and probe.saliency.target == chosen:
            steps.add(probe.step)
        return len(steps) >= 2

    qtbot.waitUntil(explained_live, timeout=60000)  # maps from the weights being trained, step after step
    again = (chosen + 1) % dashboard.dataset.num_classes  # explained either way: clicked or predicted
    dashboard.explain_class(again)
    qtbot.waitUntil(lambda: dashboard.last_probe.saliency.target == again, timeout=30000)
    dashboard.stop(wait_ms=10000)
