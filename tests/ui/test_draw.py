"""The Draw tab through the real window: strokes from simulated mouse events, MNIST preprocessing,
live classification (also while training), Use as probe, and image files."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from tests.ui.test_dashboard import open_window_on_bars
from ui.main_window import MainWindow
from workbench.data.drawing import center_of_mass, ink_bounds

LEFT = Qt.MouseButton.LeftButton
NO_MODIFIER = Qt.KeyboardModifier.NoModifier


def stroke(canvas: QWidget, points: list[tuple[int, int]]) -> None:
    QTest.mousePress(canvas, LEFT, NO_MODIFIER, QPoint(*points[0]))
    for x, y in points[1:]:
        QTest.mouseMove(canvas, QPoint(x, y))
    QTest.mouseRelease(canvas, LEFT, NO_MODIFIER, QPoint(*points[-1]))


def line(start: tuple[int, int], end: tuple[int, int], steps: int = 20) -> list[tuple[int, int]]:
    return [
        (round(start[0] + (end[0] - start[0]) * t), round(start[1] + (end[1] - start[1]) * t))
        for t in np.linspace(0, 1, steps)
    ]


@pytest.fixture
def window(qtbot):
    window = MainWindow()
    window.resize(1400, 900)
    window.show()
    window.tabs.setCurrentWidget(window.draw)
    qtbot.waitExposed(window)
    yield window
    window.dashboard.stop(wait_ms=5000)
    window.document.undo_stack.setClean()
    window.close()
    window.deleteLater()


def square_origin(canvas) -> tuple[int, int, int]:
    side = min(canvas.width(), canvas.height())
    return (canvas.width() - side) // 2, 0, side


def test_strokes_are_preprocessed_like_mnist_and_classified(window, qtbot):
    draw = window.draw
    canvas = window.findChild(QWidget, "drawCanvas")
    assert canvas is draw.canvas
    x0, y0, side = square_origin(canvas)
    # An "L" in the top-left quarter of the canvas: small and off-centre.
    stroke(canvas, line((x0 + side // 10, y0 + side // 10), (x0 + side // 10, y0 + side // 2)))
    stroke(canvas, line((x0 + side // 10, y0 + side // 2), (x0 + side // 3, y0 + side // 2)))
    assert canvas.stroke_count == 2
    _, ink_bottom, _, ink_right = ink_bounds(canvas.ink())
    assert ink_bottom < canvas.ink().shape[0] * 0.6 and ink_right < canvas.ink().shape[1] * 0.45  # drawn off-centre
    qtbot.waitUntil(lambda: draw.last_image is not None, timeout=2000)

    image = draw.last_image
    assert image.shape == (1, 28, 28)
    assert image.min() >= 0.0 and image.max() <= 1.0 and image.max() > 0.9
    top, bottom, left, right = ink_bounds(image[0])
    assert max(bottom - top, right - left) == 20  # the longer side fills MNIST's 20×20 box
    cy, cx = center_of_mass(image[0])
    assert abs(cy - 14) <= 1 and abs(cx - 14) <= 1  # centred by mass, as MNIST's digits are

    probabilities = np.asarray(draw.softmax.bars.opts.get("height"), dtype=float)
    assert len(probabilities) == 10 and probabilities.sum() == pytest.approx(1.0, abs=1e-6)
    label = window.findChild(QLabel, "predictionLabel")
    assert label.text() == str(int(np.argmax(probabilities)))
    assert "untrained" in draw.model_label.text()  # no run yet, no model opened: said plainly
    preview = window.findChild(QLabel, "canvasInputPreview")
    assert not preview.pixmap().isNull()


def test_undo_stroke_and_clear(window, qtbot):
    draw = window.draw
    x0, y0, side = square_origin(draw.canvas)
    stroke(draw.canvas, line((x0 + side // 2, y0 + side // 5), (x0 + side // 2, y0 + 4 * side // 5)))
    stroke(draw.canvas, line((x0 + side // 4, y0 + side // 2), (x0 + 3 * side // 4, y0 + side // 2)))
    qtbot.waitUntil(lambda: draw.last_image is not None)
    cross = draw.last_image.copy()
    QTest.mouseClick(draw.undo_button, LEFT)
    qtbot.waitUntil(lambda: draw.canvas.stroke_count == 1)
    qtbot.waitUntil(lambda: not np.array_equal(draw.last_image, cross))
    _, _, left, right = ink_bounds(draw.last_image[0])
    assert right - left < 10  # only the vertical stroke is left
    QTest.mouseClick(window.findChild(QPushButton, "clearCanvasButton"), LEFT)
    qtbot.waitUntil(lambda: draw.last_image is None)
    assert draw.prediction_label.text() == "–" and not draw.canvas.ink().any()


def test_use_as_probe_pins_the_drawing_in_the_train_tab(window, qtbot):
    draw, dashboard = window.draw, window.dashboard
    x0, y0, side = square_origin(draw.canvas)
    stroke(draw.canvas, line((x0 + side // 3, y0 + side // 4), (x0 + 2 * side // 3, y0 + 3 * side // 4)))
    qtbot.waitUntil(lambda: draw.last_image is not None)
    QTest.mouseClick(draw.probe_button, LEFT)
    assert np.array_equal(dashboard.custom_probe[0], draw.last_image)
    qtbot.waitUntil(lambda: dashboard.feature_maps._event is not None, timeout=2000)
    assert np.array_equal(dashboard.feature_maps._event.image, draw.last_image)  # the panels show it now
    assert "probe" in window.statusBar().currentMessage()


def test_the_drawing_is_reclassified_as_the_model_trains(qtbot):
    window = open_window_on_bars(qtbot)  # 1×12×12 images: the drawing is fitted into 9×9 of 12×12
    draw, dashboard = window.draw, window.dashboard
    dashboard.settings.epochs.setValue(100)
    window.tabs.setCurrentWidget(draw)
    x0, y0, side = square_origin(draw.canvas)
    stroke(draw.canvas, line((x0 + side // 2, y0 + side // 5), (x0 + side // 2, y0 + 4 * side // 5)))
    qtbot.waitUntil(lambda: draw.last_image is not None)
    assert draw.last_image.shape == (1, 12, 12)
    before = draw.last_event.probabilities.copy()
    strokes_classified = draw.classifications
    assert dashboard.start()
    qtbot.waitUntil(lambda: "training now" in draw.model_label.text(), timeout=20000)
    qtbot.waitUntil(lambda: draw.classifications >= strokes_classified + 3, timeout=10000)  # no new ink
    assert not np.allclose(draw.last_event.probabilities, before)
    assert draw.last_event.probabilities.sum() == pytest.approx(1.0, abs=1e-6)
    dashboard.stop(wait_ms=5000)
    qtbot.waitUntil(lambda: dashboard.state == "idle", timeout=5000)
    qtbot.waitUntil(lambda: "trained here" in draw.model_label.text(), timeout=2000)
    window.document.undo_stack.setClean()
    window.close()
    window.deleteLater()


def test_save_the_drawing_and_classify_an_image_file(window, qtbot, tmp_path):
    draw = window.draw
    x0, y0, side = square_origin(draw.canvas)
    stroke(draw.canvas, line((x0 + side // 3, y0 + side // 5), (x0 + side // 3, y0 + 4 * side // 5)))
    qtbot.waitUntil(lambda: draw.last_image is not None)
    drawn = draw.last_image.copy()
    path = tmp_path / "seven.png"
    draw.canvas.save_png(path)
    draw.canvas.clear()
    qtbot.waitUntil(lambda: draw.last_image is None)
    assert draw.load_image(path)
    qtbot.waitUntil(lambda: draw.last_image is not None)
    assert np.abs(draw.last_image - drawn).max() < 0.05  # the same image comes back


def test_an_unreadable_image_is_refused_with_a_message(window, monkeypatch, tmp_path):
    from PySide6.QtWidgets import QMessageBox

    messages = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: messages.append(text))
    path = tmp_path / "notes.png"
    path.write_text("not an image")
    assert not window.draw.load_image(path)
    assert messages and "notes.png is not an image" in messages[0]


def test_a_model_opened_from_a_file_classifies_the_drawing_at_once(window, qtbot, tmp_path):
    from workbench.files.model_file import SavedModel, save_model
    from workbench.model import templates
    from workbench.model.build import build_model

    spec = templates.template(templates.STARTER)
    torch.manual_seed(7)
    names = tuple(["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"])
    saved = SavedModel(spec, build_model(spec).state_dict(), names, (0.1307,), (0.3081,), dataset="mnist")
    path = tmp_path / "digits.cnnwb"
    save_model(path, saved)
    draw = window.draw
    x0, y0, side = square_origin(draw.canvas)
    stroke(draw.canvas, line((x0 + side // 2, y0 + side // 5), (x0 + side // 2, y0 + 4 * side // 5)))
    qtbot.waitUntil(lambda: draw.last_image is not None)
    assert "untrained" in draw.model_label.text()
    assert window.open_path(path)
    qtbot.waitUntil(lambda: "digits.cnnwb" in draw.model_label.text(), timeout=2000)
    assert draw.prediction_label.text() in names  # its own class names: the opened model answered
    expected = draw.classifier.predict(draw.last_image)
    assert draw.prediction_label.text() == names[expected.label]


def test_a_saliency_overlay_explains_the_predicted_or_the_clicked_class(window, qtbot):
    draw = window.draw
    canvas = draw.canvas
    x0, y0, side = square_origin(canvas)
    stroke(canvas, line((x0 + side // 2, y0 + side // 5), (x0 + side // 2, y0 + 4 * side // 5)))  # a "1"
    qtbot.waitUntil(lambda: draw.last_event is not None, timeout=5000)
    plain = draw.preview.pixmap().toImage()
    draw.saliency_mode.setCurrentIndex(draw.saliency_mode.findData("grad-cam"))
    found = draw.last_saliency
    predicted = int(np.argmax(draw.last_event.probabilities))
    assert found is not None and found.method == "grad-cam" and found.target == predicted
    assert found.map.shape == (28, 28) and found.map.max() == pytest.approx(1.0)
    assert draw.preview.pixmap().toImage() != plain  # the map is laid over the image
    other = (predicted + 1) % 10
    draw.explain_class(other)
    assert draw.last_saliency.target == other and "clicked" in draw.saliency_label.text()
    draw.saliency_mode.setCurrentIndex(draw.saliency_mode.findData("gradient"))
    assert draw.last_saliency.method == "gradient" and draw.last_saliency.target == other
    draw.explain_class(predicted)
    assert draw.last_saliency.target == predicted and "predicted" in draw.saliency_label.text()
    draw.saliency_mode.setCurrentIndex(0)  # image only
    assert draw.last_saliency is None and draw.preview.pixmap().toImage() == plain
