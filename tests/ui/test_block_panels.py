"""A model whose convolutions all sit inside blocks, trained in the window: the probe's feature maps, Grad-CAM,
layer health and the first-layer filters show the layers inside the blocks, named by their place; the trained
model is saved, reopened in another window with the same logits, and exported to code from the menu."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from tests.core.synthetic import bars_dataset
from ui.main_window import MainWindow
from workbench.data.datasets import to_device
from workbench.model.build import compute_logits
from workbench.model.spec import LayerSpec, ModelSpec


def _conv(out: int, kernel: int, **params) -> LayerSpec:
    return LayerSpec("Conv2d", {"out_channels": out, "kernel_size": kernel, **params})


NESTED = ModelSpec(
    (1, 12, 12),
    (
        LayerSpec(
            "Residual",
            {"relu_after": True},
            branches=((_conv(4, 3, padding=1, stride=2, bias=False), LayerSpec("BatchNorm2d"), LayerSpec("ReLU")),),
        ),
        LayerSpec(
            "Concat",
            {},
            branches=((_conv(2, 1),), (LayerSpec("MaxPool2d", {"kernel_size": 3, "stride": 1, "padding": 1}),)),
        ),
        LayerSpec("Flatten"),
        LayerSpec("Linear", {"out_features": 4}),
    ),
)


@pytest.fixture
def nested_window(qtbot):
    window = MainWindow(NESTED)
    window.show()
    dashboard = window.dashboard
    window.tabs.setCurrentWidget(dashboard)
    qtbot.waitUntil(lambda: dashboard.dataset is not None, timeout=30000)
    dashboard._on_loader_succeeded(bars_dataset(train=4096, val=256, test=64))
    yield window
    dashboard.shutdown(5000)
    window.document.undo_stack.setClean()
    window.close()
    window.deleteLater()


def test_a_model_with_blocks_runs_through_the_train_tab_panels(nested_window, qtbot, monkeypatch, tmp_path):
    dashboard = nested_window.dashboard
    panels, maps, health = dashboard.panels, dashboard.feature_maps, dashboard.health
    filters: list[tuple[int, ...]] = []
    monkeypatch.setattr(panels.filters, "show_filters", lambda weight: filters.append(weight.shape))
    dashboard.settings.epochs.setValue(30)
    dashboard.settings.batch_size.setValue(32)
    health.health_interval = lambda: 0.1
    maps.explain_combo.setCurrentIndex(maps.explain_combo.findData("grad-cam"))
    assert dashboard.start()

    def measured() -> bool:
        probe = dashboard.last_probe
        return len(health.history) >= 2 and probe is not None and probe.step > 0 and probe.saliency is not None

    qtbot.waitUntil(measured, timeout=60000)
    dashboard.stop(wait_ms=10000)

    maps.refresher.flush()
    texts = [maps.layer_combo.itemText(i) for i in range(maps.layer_combo.count())]
    assert "1. Residual — 4×6×6" in texts and "1 Residual › 1 Conv2d — 4×6×6" in texts
    assert "2 Concat › branch 2 › 1 MaxPool2d — 4×6×6" in texts
    assert texts.index("1 Residual › 3 ReLU — 4×6×6") < texts.index("2. Concat — 6×6×6")  # forward order
    maps.select_layer("1.branches.0.0")
    maps.refresher.flush()
    assert maps.layer_combo.currentText() == "2 Concat › branch 1 › 1 Conv2d — 2×6×6"
    assert maps.map_image.image is not None and maps._tiles.shape == (2, 6, 6)
    assert "Grad-CAM at layer 2 Concat › branch 1 › 1 Conv2d: evidence for" in maps.footer_label.text()

    health.refresher.flush()
    rows = [health.table.item(row, 0).text() for row in range(health.table.rowCount())]
    assert rows[:3] == ["1 Residual", "1 Residual › 1 Conv2d", "1 Residual › 2 BatchNorm2d"]
    projection = rows.index("1 Residual › projection Conv2d")
    assert health.table.item(projection, 3).text() != "—"  # its update ratio was measured
    health.table.selectRow(projection)
    health.kind_combo.setCurrentIndex(health.kind_combo.findData("gradients"))
    health.refresher.flush()
    assert health.layer_index == "0.projection.0"
    assert "layer 1 Residual › projection Conv2d: gradients" in health.plot.plotItem.titleLabel.text
    assert health.image_item.image is not None and np.isfinite(health.image_item.image).all()

    qtbot.waitUntil(lambda: bool(filters), timeout=10000)  # the run's end redraws them
    assert filters[-1] == (4, 1, 3, 3)  # the Residual's first conv: the model has none of its own
    _saved_reopened_and_exported(nested_window, tmp_path)


def _saved_reopened_and_exported(window: MainWindow, folder) -> None:
    dashboard = window.dashboard
    path = folder / "nested.cnnwb"
    assert window.keeper.save_trained(path)
    x, _ = to_device(dashboard.dataset.test, *_normalisation(dashboard.classifier()), "cpu")
    expected = compute_logits(dashboard.classifier().model, x)
    fresh = MainWindow()
    try:
        assert fresh.open_path(path)
        assert fresh.document.spec == NESTED
        assert torch.equal(compute_logits(fresh.dashboard.classifier().model, x), expected)
        written = fresh.keeper.export_code(folder / "code")
        assert {p.name for p in written} == {"model.py", "weights.pt"}
        assert "class Residual1(nn.Module)" in (folder / "code" / "model.py").read_text()
        # ONNX of a nested model: tests/core/test_block_exports.py (6.5 s of CPU here for what the window adds
        # nothing to: its ONNX action is the one tests/ui/test_keep.py runs)
    finally:
        fresh.document.undo_stack.setClean()
        fresh.close()
        fresh.deleteLater()


def _normalisation(classifier) -> tuple:
    return classifier.mean, classifier.std
