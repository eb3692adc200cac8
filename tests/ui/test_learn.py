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
from ui.learn.conv_sources import PROBE, TRAINED
from ui.learn.learn_panel import LearnPanel
from ui.learn.pool_explorer import PoolExplorer
from ui.learn.softmax_explorer import SoftmaxExplorer
from workbench.explore.windows import number
from workbench.insight.classify import Classifier
from workbench.model.build import build_model
from workbench.model.params import as_pair
from workbench.model.spec import LayerSpec, ModelSpec


def test_learn_tab_holds_the_named_explorers(window):
    tabs = window.tabs
    index = tabs.indexOf(window.learn)
    assert tabs.tabText(index) == "Learn" and window.learn.objectName() == "learnPanel"
    for name in ("convExplorer", "poolExplorer", "activationPlot", "softmaxExplorer"):
        widget = window.learn.findChild(object, name)
        assert widget is not None and widget.accessibleName() != name  # human text, not the identifier


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


# ----- a real model's filters on the probe image ------------------------------------------------------

PROBE_IMAGE = np.random.default_rng(5).integers(0, 256, size=(1, 12, 12), dtype=np.uint8)


def _classifier(layers, description="untrained", trained=False) -> Classifier:
    spec = ModelSpec((1, 12, 12), tuple(layers))
    torch.manual_seed(3)
    model = build_model(spec)
    return Classifier(model, spec, (0.2,), (0.4,), tuple("abcdefgh"), description, trained)


def _explorer(qtbot, classifier, probe=(PROBE_IMAGE, 7)) -> ConvExplorer:
    explorer = ConvExplorer(lambda: classifier, lambda: probe)
    qtbot.addWidget(explorer)
    return explorer


def _layer_output(classifier: Classifier, image: np.ndarray = PROBE_IMAGE) -> np.ndarray:
    with torch.no_grad():
        return classifier.model[0](classifier.normalise(image / 255.0))[0].numpy()


def _item(combo, text: str):
    return combo.model().item(combo.findText(text))


CONV = LayerSpec("Conv2d", {"out_channels": 4, "kernel_size": 3, "stride": 2, "padding": 2, "dilation": 2})


def test_a_model_filter_on_the_probe_gives_the_layers_own_output(qtbot):
    classifier = _classifier([CONV, LayerSpec("ReLU")], "training now, step 1,200", trained=True)
    explorer = _explorer(qtbot, classifier)
    assert _item(explorer.kernel_kind, TRAINED).isEnabled() and _item(explorer.input_kind, PROBE).isEnabled()
    explorer.kernel_kind.setCurrentText(TRAINED)
    explorer.input_kind.setCurrentText(PROBE)
    expected = _layer_output(classifier)
    np.testing.assert_allclose(explorer.output_grid.values, expected[0], atol=1e-5)
    assert explorer.filter.text() == "1 of 4" and explorer.output_grid.values.shape == (6, 6)
    held = (explorer.kernel, explorer.stride, explorer.padding, explorer.dilation)
    assert [pair.value() for pair in held] == [(3, 3), (2, 2), (2, 2), (2, 2)]
    assert not any(pair.h.isEnabled() for pair in held) and not explorer.padding_mode.isEnabled()
    assert (explorer.input_size.value(), explorer.input_size.isEnabled()) == (12, False)
    conv = classifier.model[0]
    explorer.filter.setValue(3)
    np.testing.assert_allclose(explorer.kernel_grids[0].values, conv.weight[2, 0].detach().numpy())
    np.testing.assert_allclose(explorer.output_grid.values, expected[2], atol=1e-5)
    text = explorer.caption.text()
    assert "filter 3 of 4 of layer 1 Conv2d (training now, step 1,200), bias " in text
    assert "probe image (a h), normalised as the model reads it: (x − 0.2) / 0.4" in text
    assert explorer.kernel_grids[0].title == "Filter 3" and explorer.input_grids[0].title == "Probe 12×12 (padded)"


def test_the_window_and_its_worked_sum_use_the_probes_numbers(qtbot):
    classifier = _classifier([LayerSpec("Conv2d", {"out_channels": 2, "kernel_size": 3})])
    explorer = _explorer(qtbot, classifier)
    explorer.kernel_kind.setCurrentText(TRAINED)
    explorer.input_kind.setCurrentText(PROBE)
    explorer.output_grid.cell_clicked.emit(4, 6)
    normalised = classifier.normalise(PROBE_IMAGE / 255.0)[0, 0].numpy()
    np.testing.assert_allclose(explorer.window_grids[0].values, normalised[4:7, 6:9], atol=1e-6)
    assert not explorer.window_grids[0].isHidden() and explorer.worked.text().count("×") == 9
    value = float(_layer_output(classifier)[0, 4, 6])
    assert explorer.worked.text().endswith(f"= {number(value)}")
    assert "untrained" in explorer.caption.text() and "still the random ones" in explorer.caption.text()


def test_hand_set_choices_come_back_with_their_own_settings(qtbot):
    classifier = _classifier([LayerSpec("Conv2d", {"out_channels": 2, "kernel_size": 5, "padding": 2})])
    explorer = _explorer(qtbot, classifier)
    explorer.stride.set_value((2, 1))
    explorer.kernel_kind.setCurrentText(TRAINED)  # on the small example input
    assert explorer.kernel.value() == (5, 5) and explorer.stride.value() == (1, 1)
    x, _kernel = explorer._numbers()
    weight = classifier.model[0].weight[0].detach().double()
    bias = classifier.model[0].bias[:1].detach().double()
    expected = F.conv2d(torch.as_tensor(x)[None], weight[None], bias, padding=2)[0, 0]
    np.testing.assert_allclose(explorer.output_grid.values, expected.numpy(), atol=1e-9)
    explorer.input_kind.setCurrentText(PROBE)
    explorer.kernel_kind.setCurrentIndex(0)  # a hand-set kernel on the probe, normalised
    assert explorer.stride.value() == (2, 1) and explorer.kernel.value() == (3, 3) and explorer.stride.h.isEnabled()
    np.testing.assert_allclose(explorer.input_grids[0].values, classifier.normalise(PROBE_IMAGE / 255.0)[0, 0])
    explorer.input_kind.setCurrentIndex(0)
    assert explorer.input_size.value() == 7 and explorer.input_size.isEnabled() and explorer.caption.isHidden()
    assert explorer.output_grid.values.shape == (3, 5) and explorer.window_grids[0].isHidden()


def test_without_a_model_or_a_conv_layer_the_choice_is_off_and_says_why(qtbot):
    explorer = _explorer(qtbot, None, None)
    for combo, item, words in (
        (explorer.kernel_kind, TRAINED, "No model yet: build one on the Build tab"),
        (explorer.input_kind, PROBE, "load a dataset on the Train tab"),
    ):
        assert not _item(combo, item).isEnabled()
        assert words in _item(combo, item).toolTip() and words in combo.toolTip()
    dense = _explorer(qtbot, _classifier([LayerSpec("Flatten"), LayerSpec("Linear", {"out_features": 3})]))
    assert not _item(dense.kernel_kind, TRAINED).isEnabled()
    assert "no Conv2d layer: add one on the Build tab" in _item(dense.kernel_kind, TRAINED).toolTip()


def test_the_explorer_follows_the_model_as_it_changes(qtbot):
    models = {"now": _classifier([CONV])}
    explorer = ConvExplorer(lambda: models["now"], lambda: (PROBE_IMAGE, None))
    qtbot.addWidget(explorer)
    explorer.show()
    qtbot.waitExposed(explorer)
    explorer.kernel_kind.setCurrentText(TRAINED)
    explorer.input_kind.setCurrentText(PROBE)
    models["now"] = _classifier([LayerSpec("Conv2d", {"out_channels": 8, "kernel_size": 3})], "opened from a file")
    explorer.model_changed()
    qtbot.waitUntil(lambda: explorer.filter.text() == "1 of 8")
    np.testing.assert_allclose(explorer.output_grid.values, _layer_output(models["now"])[0], atol=1e-5)
    assert "(opened from a file)" in explorer.caption.text()
    models["now"] = None
    explorer.model_changed()
    qtbot.waitUntil(lambda: explorer.kernel_kind.currentIndex() == 0)
    assert explorer.caption.text().startswith(f"{TRAINED}: No model yet")
    assert explorer.caption.text().splitlines() == [
        f"{TRAINED}: No model yet: build one on the Build tab or open a trained model (File ▸ Open). "
        "Back to Vertical edge.",
        "Input: the Train tab's probe image, from 0 to 1 (no model to normalise it for).",
    ]
    assert not _item(explorer.kernel_kind, TRAINED).isEnabled() and explorer.kernel.h.isEnabled()
    models["now"] = _classifier([CONV])
    explorer.model_changed()
    qtbot.waitUntil(lambda: _item(explorer.kernel_kind, TRAINED).isEnabled())
    assert TRAINED not in explorer.caption.text()  # the note went with its reason


def test_the_learn_tab_uses_the_dashboards_model_and_probe(bars_window, qtbot):
    window = bars_window
    window.tabs.setCurrentWidget(window.learn)
    conv = window.learn.conv
    qtbot.waitUntil(lambda: _item(conv.input_kind, PROBE).isEnabled())
    conv.kernel_kind.setCurrentText(TRAINED)
    conv.input_kind.setCurrentText(PROBE)
    conv.filter.setValue(2)
    classifier = window.dashboard.classifier()
    image, _label = window.dashboard.probe()
    expected = _layer_output(classifier, image.numpy())
    np.testing.assert_allclose(conv.output_grid.values, expected[1], atol=1e-5)
    assert conv.filter.text() == "2 of 6" and "filter 2 of 6 of layer 1 Conv2d" in conv.caption.text()
    spec = window.document.spec
    wider = LayerSpec("Conv2d", {"out_channels": 5, "kernel_size": 3, "padding": 1})
    window.document.replace(spec.with_layers([wider, *spec.layers[1:]]), "test")  # the dashboard's model_changed
    qtbot.waitUntil(lambda: conv.filter.text() == "2 of 5")
    expected = _layer_output(window.dashboard.classifier(), image.numpy())
    np.testing.assert_allclose(conv.output_grid.values, expected[1], atol=1e-5)
