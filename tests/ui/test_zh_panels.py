"""The Train and Draw tabs' panels (ui/plots) in Simplified Chinese: empty, filled with small synthetic data, and
switched between English and Chinese while they show data."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from PySide6.QtCore import QPointF
from PySide6.QtWidgets import QVBoxLayout, QWidget
from torch import nn

from tests.ui.english import report, window_english
from ui import i18n
from ui.plots.class_metrics import ClassMetricsTable
from ui.plots.confusion_matrix import ConfusionMatrixView
from ui.plots.feature_maps import FeatureMapView
from ui.plots.filters import FilterView
from ui.plots.hard_examples import HardExamplesDialog
from ui.plots.health_view import HealthView
from ui.plots.misclassified import SAMPLES_TITLE, MisclassifiedStrip
from ui.plots.reliability import ReliabilityDiagram
from ui.plots.softmax_chart import SoftmaxChart
from workbench.events import HealthUpdate, ProbeUpdate
from workbench.insight.hard_examples import HardExamples
from workbench.insight.health import measure_health
from workbench.insight.metrics import calibration, softmax
from workbench.insight.saliency import Saliency

NAMES = tuple(str(digit) for digit in range(4))  # class names are the dataset's: digits here


class Panels(QWidget):
    """Every panel of this area in one shown window."""

    def __init__(self) -> None:
        super().__init__()
        self.confusion = ConfusionMatrixView()
        self.metrics = ClassMetricsTable()
        self.diagram = ReliabilityDiagram()
        self.strip = MisclassifiedStrip()
        self.samples = MisclassifiedStrip(title=SAMPLES_TITLE, captions=False)
        self.filters = FilterView()
        self.maps = FeatureMapView(explainable=True)
        self.softmax = SoftmaxChart()
        self.health = HealthView()
        layout = QVBoxLayout(self)
        for panel in (self.confusion, self.metrics, self.diagram, self.strip, self.samples):
            layout.addWidget(panel)
        for panel in (self.filters, self.maps, self.softmax, self.health):
            layout.addWidget(panel)
        self.resize(1400, 2400)

    def fill(self) -> None:
        rng = np.random.default_rng(0)
        matrix = np.array([[8, 2, 0, 0], [1, 5, 4, 0], [0, 0, 10, 0], [0, 1, 0, 0]])
        self.confusion.show_confusion(matrix, NAMES, 3)
        self.metrics.show_confusion(matrix, NAMES, 3)
        labels = rng.integers(0, 4, 200)
        logits = rng.normal(0, 1, (200, 4))
        logits[np.arange(200), labels] += 2
        before = calibration(softmax(logits * 3), labels).to_json()
        after = calibration(softmax(logits * 3, 2.0), labels).to_json()
        self.diagram.show_calibration(before, 3, after, 2.0)
        images = rng.integers(0, 255, (40, 1, 8, 8), dtype=np.uint8)
        self.strip.show_examples(images, labels[:40], (labels[:40] + 1) % 4, NAMES)
        self.samples.show_examples(images[:4], np.arange(4), np.arange(4), NAMES)
        self.filters.show_filters(rng.normal(size=(8, 1, 3, 3)))
        self.maps.explain_combo.setCurrentIndex(1)  # Grad-CAM
        self.maps.class_names = NAMES
        self.maps.show_probe(probe())
        self.softmax.set_classes(NAMES)
        self.softmax.show_probe(probe())
        for update in health_updates():
            self.health.add_update(update)
        for panel in (self.confusion, self.metrics, self.diagram, self.strip, self.samples):
            panel.refresher.flush()
        for panel in (self.filters, self.maps, self.softmax, self.health):
            panel.refresher.flush()
        self.maps.footer_label.setText(self.maps._caption)


def probe() -> ProbeUpdate:
    rng = np.random.default_rng(1)
    conv = rng.normal(size=(6, 8, 8)).astype(np.float32)
    layers = (
        (1, "Conv2d", conv),
        ("2.branches.1.0", "2 Concat › branch 1 › 1 Conv2d", conv),
        (3, "Linear", conv[0, 0, :4]),
    )
    logits = conv[0, 0, :4]
    place = "2 Concat › branch 1 › 1 Conv2d"
    found = Saliency("grad-cam", 2, rng.random((8, 8)).astype(np.float32), "2.branches.1.0", place)
    return ProbeUpdate(5, rng.random((1, 8, 8)).astype(np.float32), 2, layers, logits, softmax(logits[None])[0], found)


def health_updates() -> list[HealthUpdate]:
    torch.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU(), nn.Flatten(), nn.Linear(4 * 6 * 6, 4))
    with torch.no_grad():
        model[0].bias.fill_(-100.0)  # a dead ReLU: flagged
    x, y = torch.rand(8, 1, 8, 8), torch.randint(0, 4, (8,))
    return [HealthUpdate(10 * (i + 1), tuple(measure_health(model, x * (1 + i), y)), {}) for i in range(2)]


def hover_confusion(view: ConfusionMatrixView) -> None:
    box = view.plot.plotItem.getViewBox()
    view._hover(box.mapViewToScene(QPointF(1.5, 0.5)))


@pytest.fixture
def panels(qtbot):
    window = Panels()
    qtbot.addWidget(window)
    window.show()
    return window


def test_the_panels_are_chinese_when_empty(qtbot):
    i18n.install(i18n.CHINESE)
    window = Panels()
    qtbot.addWidget(window)
    window.show()
    found = window_english(window)
    assert not found, report(found)
    assert window.confusion.title_label.text() == "混淆矩阵 — 尚无轮次"


def test_the_panels_are_chinese_with_data_and_switch_back_and_forth(panels):
    panels.fill()
    hover_confusion(panels.confusion)
    assert "Epoch 3" in panels.confusion.title_label.text()
    assert panels.metrics.table.horizontalHeaderItem(1).text() in ("Precision", "Prec.")
    i18n.choose(i18n.CHINESE)
    found = window_english(panels)
    assert not found, report(found)
    assert "第 3 轮" in panels.confusion.title_label.text() and "准确率" in panels.confusion.title_label.text()
    assert "点击查看这些图像" in panels.confusion.plot.toolTip() or not panels.confusion.plot.toolTip()
    assert "ECE" in panels.diagram.title_label.text() and "温度 2.00" in panels.diagram.title_label.text()
    assert "单元死亡" in panels.health.table.item(1, 4).text()
    assert "分支 1" in panels.maps.layer_combo.itemText(2)
    assert "Grad-CAM（层 2 Concat › 分支 1 › 1 Conv2d）" in panels.maps.footer_label.text()
    hover_confusion(panels.confusion)
    assert "点击查看这些图像" in panels.confusion.plot.toolTip()

    i18n.choose(i18n.ENGLISH)
    assert "Epoch 3" in panels.confusion.title_label.text()
    assert panels.metrics.footer.item(0, 0).text() == "Macro avg"
    assert panels.health.kind_combo.itemText(0) == "Activations"
    assert "Layer health" in panels.health.title_label.text() and "flagged" in panels.health.title_label.text()
    assert "first 32 of 40" in panels.strip.title_label.text()
    assert panels.softmax.summary_label.text().startswith("predicted")
    assert "evidence for 2" in panels.maps.footer_label.text()


def test_the_hard_examples_dialog_is_chinese_and_follows_a_switch(qtbot):
    dialog = HardExamplesDialog()
    qtbot.addWidget(dialog)
    probabilities = np.array([[0.3, 0.5, 0.1, 0.1], [0.2, 0.7, 0.05, 0.05]])
    cell = HardExamples(0, 1, np.array([3, 0]), probabilities, np.array([0.2, 0.5]))
    images = np.random.default_rng(0).integers(0, 255, (4, 1, 8, 8), dtype=np.uint8)
    dialog.show_examples(cell, images, NAMES)
    dialog.show()
    assert "2 validation images" in dialog.title.text()
    i18n.choose(i18n.CHINESE)
    found = window_english(dialog)
    assert not found, report(found)
    assert dialog.windowTitle() == "难例" and len(dialog.pin_buttons) == 2
    i18n.choose(i18n.ENGLISH)
    assert dialog.windowTitle() == "Hard examples" and dialog.pin_buttons[0].text() == "Pin"
