"""Clicking a confusion cell lists exactly that pair's validation images; one can be pinned as the probe."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, Qt

from workbench.insight.hard_examples import split_probabilities


def _click_cell(qtbot, view, true: int, predicted: int) -> None:
    box = view.plot.plotItem.getViewBox()
    scene_point = box.mapViewToScene(QPointF(predicted + 0.5, true + 0.5))
    widget_point = view.plot.mapFromScene(scene_point)
    qtbot.mouseClick(view.plot.viewport(), Qt.MouseButton.LeftButton, pos=widget_point)


def test_a_confusion_cell_click_lists_that_pair_and_pins_one_as_the_probe(bars_window, qtbot):
    dashboard = bars_window.dashboard
    val = dashboard.dataset.val
    probabilities = split_probabilities(dashboard.classifier(), val.images)
    predicted, labels = probabilities.argmax(1), val.labels.numpy()
    pairs = [(t, p) for t in range(4) for p in range(4) if t != p and np.any((labels == t) & (predicted == p))]
    true, wrong = pairs[0]  # the untrained model misreads plenty
    confusion = np.zeros((4, 4), np.int64)
    np.add.at(confusion, (labels, predicted), 1)
    dashboard.confusion.show_confusion(confusion, dashboard.dataset.class_names, 1)
    dashboard.confusion.refresher.flush()
    qtbot.waitUntil(lambda: dashboard.confusion.plot.isVisible())

    _click_cell(qtbot, dashboard.confusion, true, wrong)
    qtbot.waitUntil(lambda: dashboard.hard_examples is not None and dashboard.hard_examples.isVisible())
    dialog = dashboard.hard_examples  # opened once the split is read on a worker thread
    expected = np.flatnonzero((labels == true) & (predicted == wrong))
    assert sorted(dialog.cell.indices.tolist()) == expected.tolist()
    assert len(dialog.pin_buttons) == min(len(expected), 60)
    assert np.all(np.diff(dialog.cell.margins) >= 0)

    first = int(dialog.cell.indices[0])
    qtbot.mouseClick(dialog.pin_buttons[0], Qt.MouseButton.LeftButton)
    image, label = dashboard.custom_probe
    np.testing.assert_allclose(image, val.images[first].numpy() / 255.0, atol=1e-6)
    assert label == true
    dialog.close()
