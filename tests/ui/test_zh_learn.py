"""The Learn tab in Simplified Chinese: every sub-tab (convolution, pooling, activations, softmax & loss, depth) shows
no English but PyTorch's names, numbers, units and the formulas' notation, built in Chinese or switched at runtime,
and back to English; texts computed from the state (worked sums, problems, the layer shown, a depth run's figures,
fed a small fake result instead of training) follow the language too."""

from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import QApplication
from torch import nn

from tests.ui.english import english, report, visible_texts
from ui import i18n, messages
from ui.learn import learn_texts
from ui.learn.learn_panel import LearnPanel
from workbench.explore.depth import PLAIN, RESIDUAL_NAME, DepthResult, DepthSettings, NetworkRun
from workbench.explore.trained import first_conv
from workbench.explore.windows import (
    INPUT_PRESETS,
    KERNEL_PRESETS,
    PADDING_MODES,
    Problem,
    WindowSettings,
    explain_conv,
)
from workbench.model.spec import LayerSpec

# Formulas' notation (f(x), max, exp, log, logsumexp, ln) and torch's padding_mode values stay as they are;
# "CVPR" is the residual paper's venue, in the depth page's help
KEPT = {"f", "max", "exp", "log", "logsumexp", "ln", "CVPR", *PADDING_MODES}


def page_english(panel: LearnPanel) -> list[tuple[str, str, list[str]]]:
    found = []
    for index in range(panel.tabs.count()):
        panel.tabs.setCurrentIndex(index)
        QApplication.processEvents()
        found += english(visible_texts(panel), KEPT)
    return found


def fake_result() -> DepthResult:
    """A depth run's result without training: 30 steps, 4 measurements of 20 layers."""
    steps, records = np.arange(30), np.array([0, 10, 20, 30])
    norms = np.tile(np.logspace(-6, -1, 20), (4, 1))
    plain = NetworkRun(PLAIN, 2.3 - steps * 0.001, norms, 2.29, 0.11)
    residual = NetworkRun(RESIDUAL_NAME, 2.3 - steps * 0.05, norms * 100, 0.6, 0.82)
    names = ("Conv2d 4×4", *(["Conv2d 3×3"] * 18), "Linear")
    return DepthResult(plain, residual, records, names, DepthSettings(steps=30, record_every=10), 1.5)


def shown_panel(qtbot) -> LearnPanel:
    panel = LearnPanel()
    qtbot.addWidget(panel)
    panel.resize(1400, 860)
    panel.show()
    return panel


def show_state(panel: LearnPanel) -> None:
    """Texts computed from the state: a layer opened from the builder, a problem, a finished depth run."""
    panel.depth._on_done(fake_result())
    panel.set_layer(LayerSpec("MaxPool2d", {"kernel_size": 9}), 3)  # capped: a note
    panel.conv.padding_mode.setCurrentText("reflect")
    panel.conv.padding.set_value((4, 4))  # padding_mode='reflect' needs padding smaller than the input
    panel.conv.input_size.setValue(3)


def test_the_learn_tab_built_in_chinese_shows_no_english(qtbot):
    i18n.install(i18n.CHINESE)
    panel = shown_panel(qtbot)
    show_state(panel)
    assert not panel.conv.problem.isHidden() and "reflect" in panel.conv.problem.text()
    found = page_english(panel)
    assert not found, f"{len(found)} English texts:\n{report(found)}"
    assert panel.tabs.tabText(0) == "卷积" and "第 3 层" in panel.source.text()


def test_the_learn_tab_switches_to_chinese_and_back(qtbot):
    panel = shown_panel(qtbot)
    show_state(panel)
    panel.conv.kernel_kind.setCurrentIndex(1)
    i18n.choose(i18n.CHINESE)
    found = page_english(panel)
    assert not found, f"{len(found)} English texts:\n{report(found)}"
    assert panel.conv.kernel_kind.currentText() == learn_texts.name(KERNEL_PRESETS[1]) != KERNEL_PRESETS[1]
    assert "运行" in panel.depth.status.text() or "训练" in panel.depth.status.text()
    i18n.choose(i18n.ENGLISH)
    assert panel.tabs.tabText(1) == "Pooling" and panel.conv.kernel_kind.currentText() == KERNEL_PRESETS[1]
    assert panel.source.text().startswith("Showing layer 3 of your model: MaxPool2d(")
    assert "These settings cannot work: padding_mode='reflect'" in panel.conv.problem.text()
    assert "Plain 20 layers" in panel.depth.figures.text() and panel.depth.status.text().startswith("Trained both")
    assert len(page_english(panel)) > 50


def test_every_choice_and_core_text_has_a_translation():
    i18n.install(i18n.CHINESE)
    for key in (*INPUT_PRESETS, *KERNEL_PRESETS, PLAIN, RESIDUAL_NAME):
        assert learn_texts.name(key) != key, key
    sum_text = "channel 1: 1×2 + 3×4 = 14\nchannel 2: 1×1 = 1\noutput = 14 + 1 + bias 0.5 = 15.5"
    assert not english([("sum", learn_texts.conv_sum(sum_text))], KEPT)
    assert learn_texts.pool_value("max(1, 2) = 2").startswith("最大值")
    problem = explain_conv(np.zeros((1, 2, 2)), np.zeros((1, 3, 3)), WindowSettings((3, 3)))  # the kernel is too big
    assert isinstance(problem, Problem) and problem.message.startswith("kernel 3 (spanning 3 with dilation)")
    chinese = messages.translated(problem.message)
    assert not english([("problem", chinese)], KEPT) and chinese.endswith("。"), chinese
    lead_in = first_conv(nn.Sequential(nn.Flatten(), nn.Conv2d(1, 2, 3))).layer_input(np.zeros((1, 5, 5)))
    assert not english([("problem", messages.translated(lead_in.message))], KEPT)
