"""Correct and teach in the window: file misread drawings with their real label, see and delete them in the
gallery, Teach (a child process, with progress), see before → after, and Undo teach."""

from __future__ import annotations

import torch
from PySide6.QtCore import Qt

from tests.core.synthetic import BARS_SPEC
from tests.ui.test_draw import line, square_origin, stroke
from ui.draw.teach_panel import NO_TRAINED_MODEL, WHILE_TRAINING
from workbench.training.config import TrainConfig
from workbench.training.trainer import Trainer

LEFT = Qt.MouseButton.LeftButton


def _trained_bars_model(dashboard):
    trainer = Trainer(BARS_SPEC, dashboard.dataset, TrainConfig(epochs=2, batch_size=32, seed=0))
    assert trainer.fit() == "finished"
    return trainer.saved_model()


def _draw_a_cross(draw, shift: int) -> None:
    x0, y0, side = square_origin(draw.canvas)
    a, b = side // 4 + shift, 3 * side // 4 + shift
    stroke(draw.canvas, line((x0 + a, y0 + a), (x0 + b, y0 + b)))
    stroke(draw.canvas, line((x0 + b, y0 + a), (x0 + a, y0 + b)))


def _file(qtbot, window, label: int, count: int) -> None:
    draw = window.draw
    panel = draw.teach
    panel.label_combo.setCurrentIndex(label)
    for i in range(count):
        _draw_a_cross(draw, 4 * i)
        qtbot.waitUntil(lambda: draw.last_image is not None, timeout=5000)
        qtbot.mouseClick(panel.file_button, LEFT)
        assert draw.canvas.is_empty()  # cleared for the next drawing


def test_file_teach_see_before_and_after_and_undo(bars_window, qtbot):
    window, dashboard = bars_window, bars_window.dashboard
    saved = _trained_bars_model(dashboard)
    dashboard.set_saved(saved, "bars model")
    window.tabs.setCurrentWidget(window.draw)
    panel = window.draw.teach
    _file(qtbot, window, 2, 4)
    assert len(panel.store) == 4 and panel.gallery_button.text() == "My digits (4)…"
    panel.show_gallery()
    gallery = panel.gallery
    assert gallery.isVisible() and len(gallery.delete_buttons) == 4 and "4 digit(s) filed" in gallery.title.text()
    qtbot.mouseClick(next(iter(gallery.delete_buttons.values())), LEFT)
    assert len(panel.store) == 3 and len(gallery.delete_buttons) == 3
    gallery.close()

    qtbot.mouseClick(panel.teach_button, LEFT)
    assert panel.teaching and not panel.teach_button.isEnabled()
    qtbot.waitUntil(lambda: panel.last_result is not None and not panel.teaching, timeout=120000)
    result = panel.last_result
    assert result.steps == 200 and result.right_after == 3
    assert "3 of 3 of your digits read right" in panel.result_label.text()
    assert dashboard.classifier().description == "taught on your digits"
    assert any(not torch.equal(dashboard.saved.state[k], saved.state[k]) for k in saved.state)
    assert panel.gallery.isVisible() and all("now" in c.text() for c in panel.gallery.captions.values())
    assert "before the last Teach" in panel.gallery.title.text()

    assert panel.undo_button.isEnabled()
    qtbot.mouseClick(panel.undo_button, LEFT)
    assert dashboard.saved is saved and dashboard.classifier().description == "bars model"
    assert not panel.undo_button.isEnabled() and "undone" in panel.result_label.text()


def test_teach_needs_a_trained_model_and_waits_for_no_run(bars_window, qtbot):
    window, dashboard = bars_window, bars_window.dashboard
    window.tabs.setCurrentWidget(window.draw)
    panel = window.draw.teach
    _file(qtbot, window, 1, 1)
    qtbot.mouseClick(panel.teach_button, LEFT)
    assert not panel.teaching and NO_TRAINED_MODEL in panel.result_label.text()
    dashboard.settings.epochs.setValue(50)
    assert dashboard.start()
    window.draw.model_changed()
    assert not panel.teach_button.isEnabled() and panel.teach_button.toolTip() == WHILE_TRAINING
    dashboard.stop(wait_ms=10000)


def test_filing_without_a_drawing_says_what_to_do(bars_window, qtbot):
    window = bars_window
    window.tabs.setCurrentWidget(window.draw)
    panel = window.draw.teach
    qtbot.waitUntil(lambda: panel.label_combo.count() == window.dashboard.dataset.num_classes, timeout=5000)
    messages = []
    panel.status_message.connect(messages.append)
    qtbot.mouseClick(panel.file_button, LEFT)
    assert len(panel.store) == 0 and "Draw a digit first" in messages[-1]
