from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor

from ui.builder.forward_strip import ForwardStrip
from ui.builder.summary import ModelSummary
from ui.style import ERROR_COLOUR, GROUP_COLOURS
from workbench.model import templates, tree
from workbench.model.formatting import human_bytes, human_count
from workbench.model.shapes import infer

MNIST = templates.template("mnist-classic")


@pytest.fixture
def summary(qtbot):
    widget = ModelSummary()
    qtbot.addWidget(widget)
    widget.resize(900, 420)
    widget.show_inference(MNIST, infer(MNIST))
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _centre(item) -> QPoint:
    return item.face.center().toPoint()


def test_totals_for_mnist_classic(summary):
    inference = infer(MNIST)
    values = {key: label.text() for key, label in summary.total_values.items()}
    assert values["parameters"] == "21,840"
    assert values["macs"] == human_count(inference.total_macs) == "480,500"
    assert values["activations"] == human_bytes(inference.activation_bytes)
    assert values["param_memory"] == human_bytes(inference.param_bytes)
    assert values["output"] == "10 classes"
    assert summary.error_label.isHidden()
    assert summary.objectName() == "modelSummary" and summary.accessibleName() == "Model summary"


def test_output_that_is_not_a_vector_shows_its_shape(summary):
    spec = MNIST.with_layers(MNIST.layers[:3])
    summary.show_inference(spec, infer(spec))
    assert summary.total_values["output"].text() == "10×12×12"


def test_strip_blocks_follow_the_tensor_and_shrink_along_the_convolutions(summary):
    blocks = summary.forward_strip.blocks
    assert [b.label for b in blocks] == ["10×24×24", "10×12×12", "20×8×8", "20×4×4", "320", "50", "10"]
    assert [b.row for b in blocks] == [0, 2, 3, 5, 6, 7, 9]
    assert [b.type for b in blocks][:4] == ["Conv2d", "MaxPool2d", "Conv2d", "MaxPool2d"]
    heights = [b.height for b in blocks[:4]]
    assert heights == sorted(heights, reverse=True) and heights[0] > heights[-1] * 2
    # Deepening: more channels draw a thicker block, and blocks go left to right.
    assert blocks[2].face.width() > blocks[1].face.width()
    lefts = [b.rect.left() for b in blocks]
    assert lefts == sorted(lefts)


def test_every_layer_is_drawn_once_and_elementwise_layers_are_chips(summary):
    items = summary.forward_strip.items
    assert items[0].row is None and items[0].label == "1×28×28"
    assert sorted(item.row for item in items[1:]) == list(range(len(MNIST.layers)))
    chips = [(item.row, item.type) for item in items if item.kind == "chip"]
    assert chips == [(1, "ReLU"), (4, "ReLU"), (8, "ReLU")]


def test_tooltip_names_layer_shape_and_parameters(summary):
    conv = next(b for b in summary.forward_strip.blocks if b.row == 3)
    assert conv.tooltip == "4. Conv2d → 20×8×8, 5,020 parameters"


def test_invalid_spec_shows_the_error_in_red_and_marks_the_failing_block(summary):
    spec = MNIST.with_input((1, 8, 8))
    inference = infer(spec)
    summary.show_inference(spec, inference)
    assert not summary.error_label.isHidden()
    assert summary.error_label.text() == inference.error.message
    assert "#c62828" in summary.error_label.styleSheet().lower()
    assert summary.total_values["output"].text() != "10 classes"
    states = {item.row: item.state for item in summary.forward_strip.items}
    failing = inference.error.index - 1
    assert states[failing] == "error"
    assert all(states[row] == "ok" for row in range(failing))
    assert all(states[row] == "after" for row in range(failing + 1, len(spec.layers)))


def test_strip_paints_group_colours_and_the_failing_block_red(qtbot):
    strip = ForwardStrip()
    qtbot.addWidget(strip)
    spec = MNIST.with_input((1, 8, 8))
    strip.show_inference(spec, infer(spec))
    image = strip.grab().toImage()
    assert image.width() == strip.sizeHint().width()
    first_conv, failing = strip.blocks[0], next(b for b in strip.blocks if b.state == "error")
    assert image.pixelColor(_centre(first_conv)) == QColor(GROUP_COLOURS["Convolution"])
    assert image.pixelColor(_centre(failing)) == QColor(ERROR_COLOUR)


def test_choosing_presets_and_custom_emits_input_changed(summary, qtbot):
    combo = summary.input_combo
    combo.setFocus()
    with qtbot.waitSignal(summary.input_changed, timeout=1000) as blocker:
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert blocker.args == [(3, 32, 32)]
    assert summary.custom_row.isHidden()
    with qtbot.assertNotEmitted(summary.input_changed):  # Custom starts from the current shape
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentText() == "Custom…" and not summary.custom_row.isHidden()
    assert [spin.value() for spin in summary.spin_boxes] == [3, 32, 32]
    height = summary.spin_boxes[1]
    height.setFocus()
    height.selectAll()
    qtbot.keyClicks(height, "64")
    with qtbot.waitSignal(summary.input_changed, timeout=1000) as blocker:
        qtbot.keyClick(height, Qt.Key.Key_Return)
    assert blocker.args == [(3, 64, 32)]


def test_set_input_shape_selects_without_emitting(summary, qtbot):
    with qtbot.assertNotEmitted(summary.input_changed):
        summary.set_input_shape((3, 32, 32))
        assert summary.input_combo.currentIndex() == 1
        assert summary.custom_row.isHidden()
        summary.set_input_shape((2, 10, 12))
        assert summary.input_combo.currentText() == "Custom…"
        assert [spin.value() for spin in summary.spin_boxes] == [2, 10, 12]
        assert not summary.custom_row.isHidden()
        summary.set_input_shape((1, 28, 28))
    assert summary.input_combo.currentIndex() == 0
    assert summary.input_shape() == (1, 28, 28)


def test_clicking_a_block_or_chip_emits_its_row(summary, qtbot):
    strip = summary.forward_strip
    for item in (next(b for b in strip.blocks if b.label == "20×8×8"), strip.items[2]):
        summary.strip_scroll.ensureVisible(int(item.rect.center().x()), int(item.rect.center().y()))
        with qtbot.waitSignal(summary.layer_clicked, timeout=1000) as blocker:
            qtbot.mouseClick(strip, Qt.MouseButton.LeftButton, pos=item.rect.center().toPoint())
        assert blocker.args == [item.row]
    assert strip.items[2].type == "ReLU" and strip.items[2].row == 1
    with qtbot.assertNotEmitted(strip.layer_clicked):  # the input is not a layer
        qtbot.mouseClick(strip, Qt.MouseButton.LeftButton, pos=_centre(strip.items[0]))


@pytest.mark.parametrize("name", list(templates.TEMPLATES))
def test_every_template_renders(summary, name):
    spec = templates.template(name)
    summary.show_inference(spec, infer(spec))
    strip = summary.forward_strip
    assert len(strip.items) == tree.count_layers(spec) + 1  # every layer once, a block's inner layers too
    assert strip.sizeHint().width() > max(item.rect.right() for item in strip.items)
    assert not summary.grab().isNull()


def test_a_narrow_panel_scrolls_the_strip(summary, qtbot):
    spec = templates.template("vgg-mini")
    summary.show_inference(spec, infer(spec))
    summary.resize(280, 420)
    qtbot.waitUntil(lambda: summary.strip_scroll.horizontalScrollBar().maximum() > 0, timeout=1000)
    assert summary.forward_strip.width() >= summary.forward_strip.sizeHint().width()
