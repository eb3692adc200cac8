"""The Build tab's inspector, summary and Vary… dialog in Simplified Chinese: a Conv2d, a Residual and a Concat
block selected, the measured figures, a refused value, the dialog open; and the switch English ⇄ 简体中文 at once."""

from __future__ import annotations

import pytest
import torch

from tests.ui.english import report, window_english
from tests.ui.test_builder_blocks import nested
from tests.ui.test_inspector import click
from ui import i18n
from ui.builder.vary_dialog import VaryDialog
from workbench.insight.cost import Cost
from workbench.model import helptext
from workbench.model.catalog import CATALOG, layer_texts

# PyTorch's argument values, shown as torch takes them ('same', 'zeros'), and Python's literals of defaults
TORCH_VALUES = {c for layer in CATALOG.values() for p in layer.params for c in p.choices} | {"True", "False"}
TORCH_VALUES |= {layer.derived for layer in CATALOG.values() if layer.derived}  # in_channels, in_features…
TORCH_VALUES |= {"DenseNet"}  # a model's name, as ResNet
COST = Cost(1.25, 40.0, 0.625, "CPU · 2 threads", 2, 7, 5_000, 20_000, 22_000, (1, 28, 28))


def chinese_help() -> bool:
    """Whether the layers' Chinese help files are there (until then `layer_texts` gives the English help)."""
    return "zh_CN" in helptext.TRANSLATED and layer_texts("Conv2d", "zh_CN") != layer_texts("Conv2d")


def english_found(widget, english_help: set[str] = frozenset()) -> list:
    """English under `widget`, but for the layers' help where the Chinese help files are not there yet."""
    found = window_english(widget, TORCH_VALUES)
    return [item for item in found if not any(text in item[1] for text in english_help)]


def help_texts(*names: str) -> set[str]:
    if chinese_help():
        return set()
    texts = (layer_texts(name) for name in names)
    return {line for t in texts for text in (t.tooltip, t.explain, *t.params.values()) for line in text.splitlines()}


@pytest.fixture
def window(qtbot, monkeypatch):
    from ui.main_window import MainWindow

    monkeypatch.setenv(i18n.ENVIRONMENT, i18n.CHINESE)
    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.document.load(nested(), None)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.document.undo_stack.setClean()
    window.close()


def test_the_build_tabs_inspector_summary_and_vary_dialog_are_chinese(window, qtbot):
    builder, inspector, summary = window.builder, window.builder.inspector, window.builder.summary
    assert i18n.current() == i18n.CHINESE
    builder.stack.select_path((1, 0, 0))  # a Conv2d inside the Residual block: stride 2, padding 1
    assert inspector.accessibleName() == "层检查器"
    assert "输出：" in inspector.findChild(object, "inspectorOutput").text()
    assert "（来自块的输入）" in inspector.findChild(object, "inspectorDerived").text()
    summary._measured_on, summary.cost = (torch.device("cpu"), 2), COST  # as a measurement leaves them
    summary._show_cost(COST)
    summary._show_cost_figures(True)
    assert summary.cost_status.text().startswith("测量于 CPU · 2 个线程")
    for path in ((1, 0, 0), (1,), (2,)):  # a Conv2d, the Residual (its projection), the Concat (its branches)
        builder.stack.select_path(path)
        for widget in (inspector, summary):
            found = english_found(widget, help_texts("Conv2d", "Residual", "Concat"))
            assert not found, f"{path}:\n{report(found)}"
    builder.stack.select_path((0,))
    assert "允许的值：1 到" in inspector.editor("out_channels").spin.toolTip()
    click(qtbot, inspector.vary_button("out_channels"))
    qtbot.waitUntil(lambda: any(d.isVisible() for d in window.findChildren(VaryDialog)), timeout=2000)
    dialog = next(d for d in window.findChildren(VaryDialog) if d.isVisible())
    assert not window_english(dialog), report(window_english(dialog))
    dialog.values.setText("8, 8")  # refused by the core: said in Chinese
    assert dialog.problem() == "out_channels：取值有重复；每个值只给一次", dialog.problem()
    dialog.range_mode.setChecked(True)
    dialog.low.setText("30")
    dialog.high.setText("20")
    assert "为空或上下颠倒" in dialog.problem(), dialog.problem()
    assert not window_english(dialog), report(window_english(dialog))
    dialog.reject()


def test_the_language_switches_both_ways_at_once(window, qtbot):
    builder, inspector = window.builder, window.builder.inspector
    builder.stack.select_path((1,))
    i18n.choose(i18n.ENGLISH)
    assert inspector.findChild(object, "inspectorOutput").text().startswith("Output: ")
    assert inspector.block_panel.projection.text().startswith("Skip path")
    assert builder.summary.measure_button.text() == "Measure on this machine"
    assert inspector.vary_button("relu_after").text() == "Vary…"
    assert inspector.findChild(object, "inspectorExplain").text() == layer_texts("Residual").explain
    i18n.choose(i18n.CHINESE)
    found = english_found(inspector, help_texts("Residual")) + english_found(builder.summary)
    assert not found, report(found)
    assert inspector.findChild(object, "inspectorExplain").text() == layer_texts("Residual", i18n.CHINESE).explain
    editor = builder.inspector.editor("relu_after")
    assert editor.check.accessibleName() == "relu_after" and "torch 的默认值" in editor.check.toolTip()
    builder.stack.select_path((1, 0, 0))
    assert inspector.vary_button("stride").text() == "变化…"
    i18n.choose(i18n.ENGLISH)
    assert "Allowed: from 1" in inspector.editor("stride").height.toolTip()
    assert inspector.editor("padding").mode.itemText(0) == "number"
