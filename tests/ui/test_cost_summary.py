"""The Build tab's "Measure on this machine": the figures come from running the model on the window's
background tasks, and an edit clears them."""

from __future__ import annotations

from PySide6.QtCore import Qt

import ui.builder.summary as summary_module
from ui.builder.summary import COST_FIGURES, MEASURE, ModelSummary
from workbench.insight.cost import CostError
from workbench.model import templates
from workbench.model.shapes import infer

FEW = {"repeats": 3, "min_repeats": 2, "warmup": 1, "budget_s": 0.05}


def shown(summary) -> bool:
    return all(summary.cost_values[key].isVisible() for key, _text in COST_FIGURES)


def test_measure_shows_the_figures_in_the_build_tab_and_an_edit_clears_them(window, qtbot):
    summary = window.builder.summary
    summary.measure_options = FEW
    assert summary.measure_button.isEnabled() and not shown(summary) and summary.cost is None
    qtbot.mouseClick(summary.measure_button, Qt.MouseButton.LeftButton)
    assert not summary.measure_button.isEnabled()  # busy until its figures arrive
    assert window.tasks.current(MEASURE) is not None  # one of the window's background tasks
    qtbot.waitUntil(lambda: summary.cost is not None, timeout=20000)
    cost = summary.cost
    assert summary.measure_button.isEnabled() and shown(summary)
    assert cost.parameters == 21_840 and cost.repeats <= 3
    assert summary.cost_values["batch1"].text().endswith(" ms per image")
    assert "ms per image (" in summary.cost_values["batch64"].text()
    assert summary.cost_values["file"].text().endswith("KB")
    assert summary.cost_values["memory"].text() == "85.31 KB"
    assert summary.cost_status.text().startswith(f"Measured on {cost.device} · median of")

    window.document.remove_layer(len(window.document.spec.layers) - 1)  # another model: the figures were not its
    assert summary.cost is None and not shown(summary) and summary.cost_status.text() == ""


def test_an_edit_during_a_measurement_drops_it_and_a_failure_is_one_line(qtbot, monkeypatch):
    summary = ModelSummary()  # without a window: its own tasks
    qtbot.addWidget(summary)
    spec = templates.template("mnist-classic")
    summary.show_inference(spec, infer(spec))
    summary.measure_options = FEW
    summary.measure()
    task = summary.tasks.current(MEASURE)
    other = spec.with_layers(spec.layers[:-1])
    summary.show_inference(other, infer(other))  # before any result: the measurement is dropped
    assert task.cancelled and summary.measure_button.isEnabled()
    qtbot.waitUntil(lambda: task.ended, timeout=20000)
    assert summary.cost is None and summary.cost_status.text() == ""

    def fail(*_args, **_kwargs):
        raise CostError("the model fails to run on a batch of 1 × 1×28×28: <RuntimeError>")

    monkeypatch.setattr(summary_module, "measure_cost", fail)
    summary.measure()
    qtbot.waitUntil(lambda: "Could not measure" in summary.cost_status.text(), timeout=20000)
    assert "&lt;RuntimeError&gt;" in summary.cost_status.text() and summary.cost is None  # escaped rich text
    assert summary.measure_button.isEnabled()

    broken = spec.with_input((1, 2, 2))  # the first convolution no longer fits
    summary.show_inference(broken, infer(broken))
    assert not summary.measure_button.isEnabled()
