"""The Learn tab: explorers react to their controls with numbers that match torch, and "Explore this
layer" in the builder opens the right explorer with the layer's settings."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from PySide6.QtCore import QPointF

from ui.learn.activation_plot import ActivationPlot
from ui.learn.conv_explorer import ConvExplorer
from ui.learn.learn_panel import LearnPanel
from ui.learn.pool_explorer import PoolExplorer
from ui.learn.softmax_explorer import SoftmaxExplorer
from workbench.model.params import as_pair
from workbench.model.spec import LayerSpec


def test_learn_tab_holds_the_named_explorers(window):
    tabs = window.tabs
    index = tabs.indexOf(window.learn)
    assert tabs.tabText(index) == "Learn" and window.learn.objectName() == "learnPanel"
    for name in ("convExplorer", "poolExplorer", "activationPlot", "softmaxExplorer"):
        widget = window.learn.findChild(object, name)
        assert widget is not None and widget.accessibleName() == name


def test_conv_spin_box_updates_output_grid_and_formula(qtbot):
    explorer = ConvExplorer()
    qtbot.addWidget(explorer)
    assert explorer.output_grid.values.shape == (5, 5)
    assert "⌊(7 + 2·0 − 1·(3−1) − 1)/1⌋ + 1 = 5" in explorer.formula.text()
    explorer.stride.h.setValue(2)
    assert explorer.output_grid.values.shape == (3, 5)
    assert "⌊(7 + 2·0 − 1·(3−1) − 1)/2⌋ + 1 = 3" in explorer.formula.text()
    explorer.padding.w.setValue(1)
    assert explorer.output_grid.values.shape == (3, 7) and explorer.input_grids[0].values.shape == (7, 9)
    x, kernel = explorer._numbers()
    expected = F.conv2d(torch.as_tensor(x)[None], torch.as_tensor(kernel)[None], stride=(2, 1), padding=(0, 1))
    np.testing.assert_allclose(explorer.output_grid.values, expected[0, 0].numpy())


def test_conv_step_highlights_window_and_writes_the_sum(qtbot):
    explorer = ConvExplorer()
    qtbot.addWidget(explorer)
    explorer.slider.setValue(6)  # output row 2, column 2
    assert explorer.step_label.text() == "step 7 of 25: output row 2, column 2"
    assert explorer.input_grids[0].window == {(r, c) for r in (1, 2, 3) for c in (1, 2, 3)}
    assert explorer.output_grid.selected == (1, 1)
    value = explorer.output_grid.cell_text(1, 1)
    assert explorer.worked.text().endswith(f"= {value}") and explorer.worked.text().count("×") == 9
    explorer.output_grid.cell_clicked.emit(4, 4)
    assert explorer.step == 24 and explorer.output_grid.selected == (4, 4)


def test_multichannel_and_impossible_settings(qtbot):
    explorer = ConvExplorer()
    qtbot.addWidget(explorer)
    explorer.channels.setValue(3)
    assert len(explorer.input_grids) == 3 and explorer.worked.text().splitlines()[-1].startswith("output = ")
    explorer.padding_mode.setCurrentText("reflect")
    explorer.input_size.setValue(3)
    explorer.padding.set_value((3, 3))
    assert not explorer.problem.isHidden() and "reflect" in explorer.problem.text()
    assert explorer.output_grid.values.size == 0 and not explorer.slider.isEnabled()
    explorer.padding.set_value((1, 1))
    assert explorer.problem.isHidden() and explorer.output_grid.values.shape == (3, 3)


def test_pool_explorer_max_and_ceil_mode(qtbot):
    explorer = PoolExplorer()
    qtbot.addWidget(explorer)
    x = torch.as_tensor(explorer._values())[None, None]
    np.testing.assert_allclose(explorer.output_grid.values, F.max_pool2d(x, 2)[0, 0].numpy())
    row, col = divmod(explorer.step, 3)
    chosen = explorer.input_grid.chosen
    assert explorer.input_grid.values[chosen] == explorer.output_grid.values[row, col]
    explorer.kind.setCurrentIndex(1)
    explorer.input_size.setValue(5)
    explorer.ceil_mode.setChecked(True)
    x = torch.as_tensor(explorer._values())[None, None]
    np.testing.assert_allclose(explorer.output_grid.values, F.avg_pool2d(x, 2, ceil_mode=True)[0, 0].numpy())
    assert "⌈" in explorer.formula.text() and not explorer.dilation.isEnabled()


def test_activation_cursor_reads_values(qtbot):
    plot = ActivationPlot()
    qtbot.addWidget(plot)
    plot.set_cursor(1.2)
    assert plot.readout.text() == "x = 1.20   f(x) = 1.20   f′(x) = 1.00"
    plot.function.setCurrentText("Sigmoid")
    plot.set_cursor(0.0)
    assert plot.readout.text() == "x = 0.00   f(x) = 0.50   f′(x) = 0.25"
    assert "vanishing gradients" in plot.notes.text()
    plot.set_layer(LayerSpec("LeakyReLU", {"negative_slope": 0.2}))
    plot.set_cursor(-2.0)
    assert plot.readout.text() == "x = −2.00   f(x) = −0.40   f′(x) = 0.20"
    assert plot.title.text() == "LeakyReLU(negative_slope=0.2)"


def test_activation_cursor_follows_the_mouse(qtbot):
    plot = ActivationPlot()
    qtbot.addWidget(plot)
    plot.resize(800, 500)
    plot.show()
    qtbot.waitExposed(plot)
    view = plot.plot.getPlotItem().vb
    plot._on_scene_mouse_moved(view.mapViewToScene(QPointF(-3.0, 0.0)))
    assert plot.readout.text() == "x = −3.00   f(x) = 0.00   f′(x) = 0.00"


def test_editing_a_logit_updates_probabilities_and_loss(qtbot):
    explorer = SoftmaxExplorer()
    qtbot.addWidget(explorer)
    before = explorer.result.loss
    explorer.logit_spins[0].setValue(5.0)
    probabilities = explorer.result.probabilities
    assert probabilities.sum() == pytest.approx(1.0) and len(probabilities) == 5
    expected = torch.softmax(torch.tensor([5.0, 1.0, 0.1, -1.0, 0.5], dtype=torch.float64), 0).numpy()
    np.testing.assert_allclose(probabilities, expected)
    assert explorer.result.loss < before and "Σ p = 1.0000" in explorer.loss_label.text()
    explorer.true_class.setCurrentIndex(3)
    assert explorer.result.loss == pytest.approx(-np.log(expected[3]))
    explorer.class_count.setValue(8)
    assert len(explorer.result.probabilities) == 8 and explorer.true_class.count() == 8


def test_temperature_slider_flattens(qtbot):
    explorer = SoftmaxExplorer()
    qtbot.addWidget(explorer)
    sharp = explorer.result.probabilities.max()
    explorer.temperature.setValue(explorer.temperature.maximum())
    assert explorer.temperature_label.text() == "10.00" and explorer.result.probabilities.max() < sharp


def test_explore_this_layer_opens_the_conv_explorer(window):
    stack = window.builder.stack
    row = next(i for i, layer in enumerate(window.document.spec.layers) if layer.type == "Conv2d")
    layer = window.document.spec.layers[row]
    menu = stack.build_context_menu(row)
    action = next(a for a in menu.actions() if a.objectName() == "exploreLayerAction")
    assert action.isEnabled()
    action.trigger()
    conv = window.learn.conv
    assert window.tabs.currentWidget() is window.learn and window.learn.tabs.currentWidget() is conv
    params = layer.resolved()
    assert conv.kernel.value() == as_pair(params["kernel_size"]) and conv.stride.value() == as_pair(params["stride"])
    assert conv.padding_mode.currentText() == params["padding_mode"]
    assert f"layer {row + 1} of your model: Conv2d(" in window.learn.source.text()


def test_explore_uses_the_rows_own_parameters(window):
    spec = window.document.spec
    layer = LayerSpec("Conv2d", {"out_channels": 4, "kernel_size": (3, 2), "stride": 2, "padding": 1, "dilation": 2})
    window.document.replace(spec.with_layers([layer, *spec.layers[1:]]), "test")
    window.builder.stack.explore_requested.emit(0)
    conv = window.learn.conv
    assert (conv.kernel.value(), conv.stride.value(), conv.padding.value(), conv.dilation.value()) == (
        (3, 2),
        (2, 2),
        (1, 1),
        (2, 2),
    )
    assert conv.explanation is not None  # the input grew to fit the dilated kernel


def test_explore_is_disabled_for_layers_without_an_explorer(window):
    stack = window.builder.stack
    row = next(i for i, layer in enumerate(window.document.spec.layers) if layer.type == "Flatten")
    action = next(a for a in stack.build_context_menu(row).actions() if a.objectName() == "exploreLayerAction")
    assert not action.isEnabled()


def test_explore_pool_and_activation_layers(qtbot):
    panel = LearnPanel()
    qtbot.addWidget(panel)
    assert panel.set_layer(LayerSpec("AvgPool2d", {"kernel_size": 3, "ceil_mode": True}))
    assert panel.tabs.currentWidget() is panel.pool and panel.pool.kind_name == "avg"
    assert panel.pool.kernel.value() == (3, 3) and panel.pool.stride.value() == (3, 3)
    assert panel.pool.ceil_mode.isChecked()
    assert panel.set_layer(LayerSpec("GELU"), 4)
    assert panel.tabs.currentWidget() is panel.activation and panel.activation.function.currentText() == "GELU"
    assert panel.set_layer(LayerSpec("Softmax")) and panel.tabs.currentWidget() is panel.softmax
    assert not panel.set_layer(LayerSpec("Flatten"))
