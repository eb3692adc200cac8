"""The dashboard's plot panels (ui/plots): fed real workbench events, checked on the data they draw."""

from __future__ import annotations

import csv

import numpy as np
import pyqtgraph as pg
import pyqtgraph.exporters
import pytest

from ui.plots.accuracy_plot import AccuracyPlot, LearningRatePlot
from ui.plots.common import (
    REFRESH_MS,
    STAGGER_MS,
    STAGGER_SLOTS,
    abbreviate,
    grid_shape,
    mosaic,
    normalise_tiles,
    tile_at,
)
from ui.plots.confusion_matrix import ConfusionMatrixView, row_normalised
from ui.plots.feature_maps import FeatureMapView
from ui.plots.filters import FilterView, filter_tiles
from ui.plots.loss_plot import LossPlot, ema
from ui.plots.misclassified import MisclassifiedStrip
from ui.plots.softmax_chart import SoftmaxChart
from workbench.events import BatchEnded, EpochEnded, ProbeUpdate

TICK_MS = REFRESH_MS + STAGGER_MS * STAGGER_SLOTS + 40  # one refresh tick, with room for a slow machine


def batches(steps, losses, accuracy=0.5, lr=0.1, epoch=1) -> BatchEnded:
    steps, losses = tuple(int(s) for s in steps), tuple(float(v) for v in losses)
    return BatchEnded(epoch, steps[-1], 100, steps[-1], losses[-1], accuracy, lr, 500.0, steps, losses)


def epoch_end(epoch=1, val_loss=0.4, train_accuracy=0.8, val_accuracy=0.75) -> EpochEnded:
    return EpochEnded(epoch, 5, 0.5, train_accuracy, val_loss, val_accuracy, 2.0, 500.0, 0.1)


def probe_event(step=10, conv=None, label=3, image=None) -> ProbeUpdate:
    rng = np.random.default_rng(step)
    conv = rng.normal(size=(10, 24, 24)).astype(np.float32) if conv is None else conv
    layers = (
        (1, "Conv2d", conv),
        (2, "ReLU", np.maximum(conv, 0)),
        (3, "MaxPool2d", conv[:, ::2, ::2]),
        (4, "Flatten", conv[:, ::2, ::2].ravel()),
        (5, "Linear", rng.normal(size=10).astype(np.float32)),
    )
    logits = layers[-1][2]
    probabilities = np.exp(logits) / np.exp(logits).sum()
    image = rng.random((1, 28, 28)).astype(np.float32) if image is None else image
    return ProbeUpdate(step, image, label, layers, logits, probabilities)


def original(curve) -> np.ndarray:
    """The x data a curve was given (pyqtgraph reports none as None)."""
    x, _ = curve.getOriginalDataset()
    return np.array([]) if x is None else x


def shown(qtbot, widget, size=(600, 400)):
    qtbot.addWidget(widget)
    widget.resize(*size)
    widget.show()
    return widget


# ----- numpy maths (no window) -----------------------------------------------------------------------------


def test_mosaic_lays_ten_24x24_channels_out_on_a_3_by_4_grid_with_1px_separators():
    assert grid_shape(10, 24, 24) == (3, 4)
    tiles = np.arange(10 * 24 * 24, dtype=np.float32).reshape(10, 24, 24)
    image = mosaic(tiles)
    assert image.shape == (3 * 24 + 2, 4 * 24 + 3)
    np.testing.assert_array_equal(image[25:49, 50:74], tiles[6])  # row 1, column 2
    assert np.isnan(image[24, :]).all() and np.isnan(image[:, 24]).all()  # separators
    assert np.isnan(image[50:, 50:]).all()  # the two empty cells after the last tile


@pytest.mark.parametrize(
    ("count", "size", "expected"),
    [(1, 1, (1, 1)), (256, 1, (31, 31)), (1, 64, (64, 64)), (256, 64, (16 * 64 + 15, 16 * 64 + 15)), (3, 5, (11, 11))],
)
def test_mosaic_copes_with_1_to_256_channels_of_1x1_to_64x64(count, size, expected):
    assert mosaic(np.zeros((count, size, size))).shape == expected


def test_tile_at_inverts_the_mosaic_and_misses_separators_and_empty_cells():
    tiles = np.random.default_rng(0).random((10, 6, 7))
    image = mosaic(tiles, columns=4)
    for index, y, x in [(0, 0, 0), (5, 3, 6), (9, 5, 0)]:
        r, c = divmod(index, 4)
        px, py = c * 8 + x, r * 7 + y
        assert tile_at(px + 0.5, py + 0.5, 10, 6, 7, 4) == (index, y, x)
        assert image[py, px] == np.float32(tiles[index, y, x])
    assert tile_at(7.5, 0.5, 10, 6, 7, 4) is None  # vertical separator
    assert tile_at(30.0, 15.0, 10, 6, 7, 4) is None  # empty cell after tile 9


def test_normalise_tiles_per_channel_or_shared_and_constant_maps_become_zero():
    maps = np.stack([np.linspace(0, 1, 4).reshape(2, 2), np.linspace(10, 30, 4).reshape(2, 2), np.full((2, 2), 7.0)])
    own = normalise_tiles(maps)
    np.testing.assert_allclose(own[0], own[1])
    assert own[0].min() == 0 and own[0].max() == 1 and (own[2] == 0).all()
    shared = normalise_tiles(maps, shared=True)
    assert shared[1].max() == 1 and shared[0].max() == pytest.approx(1 / 30)


def test_ema_is_bias_corrected_and_continues_from_its_state():
    values = [1.0, 3.0, 2.0, 5.0]
    smooth, _ = ema(values, 0.5)
    assert smooth[0] == 1.0  # no pull towards zero at the start
    assert smooth[1] == pytest.approx((0.25 * 1 + 0.5 * 3) / (1 - 0.25))
    first, state = ema(values[:2], 0.5)
    rest, _ = ema(values[2:], 0.5, state)
    np.testing.assert_allclose(np.concatenate([first, rest]), smooth)
    np.testing.assert_array_equal(ema(values, 0.0)[0], values)


def test_filter_tiles_average_inputs_or_make_rgb_centred_on_grey():
    weight = np.random.default_rng(1).normal(size=(8, 4, 5, 5))
    tiles, rgb = filter_tiles(weight)
    assert not rgb and tiles.shape == (8, 5, 5)
    np.testing.assert_allclose(tiles, weight.mean(axis=1), rtol=1e-5)
    colour, rgb = filter_tiles(np.zeros((6, 3, 3, 3)))
    assert rgb and colour.shape == (6, 3, 3, 3) and (colour == 0.5).all()
    with pytest.raises(ValueError):
        filter_tiles(np.zeros((6, 3, 3)))


def test_abbreviate_class_names():
    assert abbreviate("T-shirt/top", 20) == "T-shirt/top"
    assert abbreviate("T-shirt/top", 8) == "T-shirt…"
    assert abbreviate("Sneaker", 3) == "Sne"


# ----- loss, accuracy, learning rate ------------------------------------------------------------------------


def test_loss_plot_draws_every_fed_batch_on_the_refresh_tick_only(qtbot):
    plot = shown(qtbot, LossPlot(smoothing=0.5))
    assert plot.objectName() == "lossPlot" != plot.accessibleName()
    plot.add_batches(batches([1, 2, 3], [0.9, 0.7, 0.5]))
    plot.add_batches(batches([4, 5], [0.45, 0.4]))
    x, _ = plot.raw_curve.getData()
    assert x is None or len(x) == 0  # buffered, not drawn per point
    qtbot.wait(TICK_MS)
    x, y = plot.raw_curve.getData()
    np.testing.assert_array_equal(x, [1, 2, 3, 4, 5])
    np.testing.assert_allclose(y, [0.9, 0.7, 0.5, 0.45, 0.4])
    sx, sy = plot.smooth_curve.getData()
    np.testing.assert_array_equal(sx, x)
    np.testing.assert_allclose(sy, ema(y, 0.5)[0])
    assert plot.refresher.redraws == 1  # two events, one redraw

    plot.add_epoch(epoch_end(val_loss=0.42), step=5)
    plot.add_epoch(EpochEnded(2, 5, 0.4, 0.8, None, None, 1.0, 1.0, 0.1), step=9)  # no validation split
    qtbot.wait(TICK_MS)
    vx, vy = plot.val_curve.getData()
    assert list(vx) == [5] and list(vy) == [pytest.approx(0.42)]

    plot.reset()
    for curve in (plot.raw_curve, plot.smooth_curve, plot.val_curve):
        assert len(original(curve)) == 0
    plot.add_batches(batches([1], [2.0]))
    qtbot.wait(TICK_MS)
    assert list(plot.raw_curve.getData()[1]) == [2.0]


def test_loss_plot_steps_going_back_replace_the_points_from_there(qtbot):
    plot = shown(qtbot, LossPlot())
    plot.add_batches(batches(range(1, 11), np.linspace(1, 0.1, 10)))
    plot.add_epoch(epoch_end(), step=8)
    plot.add_batches(batches([6, 7], [5.0, 6.0]))  # resumed from an earlier checkpoint
    plot.refresher.flush()
    x, y = plot.raw_curve.getOriginalDataset()
    np.testing.assert_array_equal(x, [1, 2, 3, 4, 5, 6, 7])
    assert list(y[-2:]) == [5.0, 6.0] and len(plot.smooth_curve.getOriginalDataset()[0]) == 7
    assert len(original(plot.val_curve)) == 0


def test_loss_plot_downsamples_100k_points(qtbot):
    plot = shown(qtbot, LossPlot())
    rng = np.random.default_rng(0)
    for chunk in range(100):
        steps = np.arange(chunk * 1000 + 1, chunk * 1000 + 1001)
        plot.add_batches(batches(steps, rng.random(1000) + 0.1))
    qtbot.wait(TICK_MS)
    assert len(plot.raw_curve.getOriginalDataset()[0]) == 100_000
    assert len(plot.smooth_curve.getOriginalDataset()[0]) == 100_000
    assert 0 < len(plot.raw_curve.getData()[0]) < 20_000  # peak downsampling to about the plot's width


def test_loss_plot_csv_export_writes_the_points(qtbot, tmp_path):
    plot = shown(qtbot, LossPlot())
    plot.add_batches(batches([1, 2, 3, 4], [1.0, 0.8, 0.6, 0.5]))
    plot.add_epoch(epoch_end(val_loss=0.55), step=4)
    plot.refresher.flush()
    path = tmp_path / "loss.csv"
    pg.exporters.CSVExporter(plot.plotItem).export(str(path))
    rows = list(csv.reader(path.open()))
    assert len(rows) == 1 + 4  # header + the longest curve
    header = rows[0]
    assert len(header) == 6  # (x, y) for raw, smoothed and validation
    raw = [(float(r[0]), float(r[1])) for r in rows[1:]]
    assert raw == [(1, 1.0), (2, 0.8), (3, 0.6), (4, 0.5)]
    assert (float(rows[1][4]), float(rows[1][5])) == (4.0, 0.55)


def test_plot_context_menu_keeps_export_and_adds_reset_zoom_and_log_y(qtbot):
    plot = shown(qtbot, LossPlot())
    texts = [a.text() for a in plot.plotItem.getViewBox().menu.actions()]
    assert texts[:3] == ["Reset zoom", "Log scale (y)", "Smoothing"] and "View All" in texts
    assert [a.text() for a in plot.scene().contextMenu] == ["Export..."]
    plot.log_y_action.setChecked(True)
    assert plot.plotItem.ctrl.logYCheck.isChecked()
    plot.plotItem.ctrl.logYCheck.setChecked(False)  # pyqtgraph's own entry stays in step
    assert not plot.log_y_action.isChecked()
    plot.plotItem.getViewBox().setXRange(10, 20)
    assert not plot.plotItem.getViewBox().autoRangeEnabled()[0]
    plot.reset_zoom_action.trigger()
    assert all(plot.plotItem.getViewBox().autoRangeEnabled())


def test_a_plot_makes_its_context_menu_on_the_first_right_click_owned_by_the_plot(qtbot):
    """ViewBox menus are about a third of a window's widgets: none is made before it is wanted."""
    from PySide6.QtCore import QPoint, Qt

    plot = shown(qtbot, LossPlot())
    view_box = plot.plotItem.getViewBox()
    pg.ViewBox.updateAllViewLists()  # pyqtgraph's own bookkeeping, whenever a view comes or goes
    assert not view_box.menu_made
    centre = view_box.mapRectToScene(view_box.boundingRect()).center()
    where = plot.mapFromScene(centre)
    qtbot.mouseClick(plot.viewport(), Qt.MouseButton.RightButton, pos=QPoint(int(where.x()), int(where.y())))
    assert view_box.menu_made
    menu = view_box.menu
    qtbot.waitUntil(menu.isVisible, timeout=2000)
    assert menu.parent() is plot and [a.text() for a in menu.actions()][:3] == [
        "Reset zoom",
        "Log scale (y)",
        "Smoothing",
    ]
    menu.close()


def test_a_new_window_makes_none_of_its_plots_view_menus(qtbot):
    from ui.main_window import MainWindow
    from ui.plots.view_box import MenuOnDemandViewBox

    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    for index in range(window.tabs.count()):  # the tabs made when first shown, made now
        window.tabs.widget(index)
    view_boxes = [item for view in window.findChildren(pg.GraphicsView) for item in view.scene().items()
                  if isinstance(item, MenuOnDemandViewBox)]  # fmt: skip
    assert len(view_boxes) >= 12 and not any(box.menu_made for box in view_boxes)
    window.document.undo_stack.setClean()


def test_accuracy_plot_shows_percent_running_and_per_epoch(qtbot):
    plot = shown(qtbot, AccuracyPlot())
    assert plot.objectName() == "accuracyPlot" != plot.accessibleName()
    plot.add_batch(batches([10], [0.5], accuracy=0.25))
    plot.add_batch(batches([20], [0.4], accuracy=0.5))
    plot.add_epoch(epoch_end(train_accuracy=0.6, val_accuracy=0.55), step=20)
    qtbot.wait(TICK_MS)
    x, y = plot.running_curve.getData()
    assert list(x) == [10, 20] and list(y) == [25.0, 50.0]
    assert list(plot.train_curve.getData()[1]) == [pytest.approx(60.0)]
    vx, vy = plot.val_curve.getData()
    assert list(vx) == [20] and list(vy) == [pytest.approx(55.0)]
    low, high = plot.plotItem.getViewBox().viewRange()[1]
    assert -5 <= low <= 0 and 100 <= high <= 105
    plot.add_batch(batches([15], [0.4], accuracy=0.3))  # resumed from a checkpoint at step 14
    plot.refresher.flush()
    assert list(original(plot.running_curve)) == [10, 15] and len(original(plot.val_curve)) == 0
    plot.reset()
    assert len(original(plot.running_curve)) == 0


def test_learning_rate_plot_follows_lr_per_event_from_zero(qtbot):
    plot = shown(qtbot, LearningRatePlot())
    assert plot.objectName() == "learningRatePlot" != plot.accessibleName()
    for step in (5, 10, 15):
        plot.add_batch(batches([step], [0.3], lr=0.01))
    qtbot.wait(TICK_MS)
    x, y = plot.lr_curve.getData()
    assert list(x) == [5, 10, 15] and list(y) == [0.01] * 3
    low, high = plot.plotItem.getViewBox().viewRange()[1]
    assert low == pytest.approx(0) and 0.01 < high < 0.012  # a constant rate is not centred in ±0.5


# ----- feature maps ----------------------------------------------------------------------------------------------


def test_feature_map_view_combo_lists_input_and_3d_layers_and_keeps_the_choice(qtbot):
    view = shown(qtbot, FeatureMapView())
    assert view.objectName() == "featureMapView" != view.accessibleName()
    assert view.stack.currentWidget() is view.placeholder and "No probe yet" in view.placeholder.text()
    view.show_probe(probe_event(step=1))
    qtbot.wait(TICK_MS)
    combo = view.layer_combo
    entries = [combo.itemText(i) for i in range(combo.count())]
    assert entries == ["Input — 1×28×28", "1. Conv2d — 10×24×24", "2. ReLU — 10×24×24", "3. MaxPool2d — 10×12×12"]
    assert view.current_key == 1 and view.stack.currentWidget() is view.graphics
    assert view.map_image.image.shape == (74, 99)  # 10 maps of 24×24 on a 3×4 grid

    combo.activated.emit(3)  # the user picks "3. MaxPool2d"
    qtbot.wait(TICK_MS)
    assert view.map_image.image.shape == (3 * 12 + 2, 4 * 12 + 3)
    view.show_probe(probe_event(step=2))
    qtbot.wait(TICK_MS)
    assert view.current_key == 3 and combo.currentText() == "3. MaxPool2d — 10×12×12"
    assert view.map_image.image.shape == (38, 51)

    scene_pos = view.map_view.mapViewToScene(pg.QtCore.QPointF(2 * 13 + 5.5, 1 * 13 + 7.5))  # tile 6, (5, 7)
    view.graphics.scene().sigMouseMoved.emit(scene_pos)
    value = probe_event(step=2).layers[2][2][6, 7, 5]
    assert view.footer_label.text().startswith(f"channel 6 · pixel (5, 7) = {value:.4g}")

    view.reset()
    assert view.stack.currentWidget() is view.placeholder and combo.count() == 0


def test_feature_map_channels_are_scaled_each_or_shared(qtbot):
    view = shown(qtbot, FeatureMapView())
    conv = np.stack([np.full((24, 24), float(c)) for c in range(10)]).astype(np.float32)
    conv[:, 0, 0] += 100.0 * np.arange(1, 11)  # each map has its own range
    view.show_probe(probe_event(conv=conv))
    qtbot.wait(TICK_MS)
    image = view.map_image.image
    assert image[0, 0] == 1.0 and image[0, 25] == 1.0  # every map's max is 1 on its own scale
    assert image[1, 1] == 0.0
    view.shared_scale_check.setChecked(True)
    qtbot.wait(TICK_MS)
    image = view.map_image.image
    assert image[0, 0] < image[0, 25] < 1.0  # tile 0's max is below tile 1's on one scale


def test_feature_map_view_copes_with_rgb_input_and_256_tiny_channels(qtbot):
    view = shown(qtbot, FeatureMapView())
    rgb = np.random.default_rng(2).random((3, 8, 8)).astype(np.float32)
    view.show_probe(probe_event(conv=np.ones((256, 1, 1), np.float32), image=rgb))
    qtbot.wait(TICK_MS)
    assert view.map_image.image.shape == (31, 31)
    np.testing.assert_allclose(view.input_image.image, rgb.transpose(1, 2, 0))  # shown in colour


# ----- softmax ----------------------------------------------------------------------------------------------------


def test_softmax_chart_bars_highlight_and_logits_toggle(qtbot):
    chart = shown(qtbot, SoftmaxChart())
    assert chart.objectName() == "softmaxChart" != chart.accessibleName()
    names = ["T-shirt/top", "Trouser", "Pullover", "Dress"]
    chart.set_classes(names)
    logits = np.array([-1.0, 2.5, 0.3, -3.0])
    probabilities = np.exp(logits) / np.exp(logits).sum()
    chart.show(probabilities, logits, 2)
    qtbot.wait(TICK_MS)
    np.testing.assert_allclose(chart.bars.opts["height"], probabilities)
    colours = [brush.color().name() for brush in chart.bars.opts["brushes"]]
    assert colours[1] != colours[0] and colours[0] == colours[2] == colours[3]  # predicted: class 1
    pens = chart.bars.opts["pens"]
    assert pens[2].style() != pg.QtCore.Qt.PenStyle.NoPen and pens[0].style() == pg.QtCore.Qt.PenStyle.NoPen
    assert list(chart.true_column.opts["x"]) == [2]
    assert chart.top_text.toPlainText() == f"{100 * probabilities[1]:.1f}%"
    ticks = chart.plot.plotItem.getAxis("bottom")._tickLevels[0]
    assert [label for _, label in ticks][1] == "Trouser"

    chart.logits_check.setChecked(True)
    qtbot.wait(TICK_MS)
    np.testing.assert_allclose(chart.bars.opts["height"], logits)
    low, high = chart.plot.plotItem.getViewBox().viewRange()[1]
    assert low < -3.0 and high > 2.5

    chart.show_probe(probe_event())  # 10 classes, but 4 names: numbered instead
    qtbot.wait(TICK_MS)
    assert len(chart.bars.opts["height"]) == 10 and chart.class_name(7) == "7"
    chart.reset()
    assert len(chart.bars.opts["height"]) == 0


# ----- confusion matrix, misclassified strip, filters ---------------------------------------------------------------


def test_confusion_matrix_image_is_the_matrix_or_row_normalised(qtbot):
    view = shown(qtbot, ConfusionMatrixView())
    assert view.objectName() == "confusionMatrix" != view.accessibleName()
    matrix = np.array([[50, 2, 0], [5, 40, 5], [0, 0, 0]], dtype=np.int64)
    view.show_confusion(matrix, ["cat", "dog", "bird"], epoch=4)
    qtbot.wait(TICK_MS)
    np.testing.assert_array_equal(view.image_item.image, matrix)
    assert "Epoch 4" in view.title_label.text() and "88.2% (90/102)" in view.title_label.text()
    assert [t.toPlainText() for t in view._texts] == [str(v) for v in matrix.ravel()]
    view.plot.scene().sigMouseMoved.emit(view.plot.plotItem.getViewBox().mapViewToScene(pg.QtCore.QPointF(0.5, 1.5)))
    assert (
        view.plot.toolTip()
        == "true <b>dog</b> → predicted <b>cat</b>: 5 (10.0% of true dog)<br>Click to see these images"
    )
    view.normalise_check.setChecked(True)
    qtbot.wait(TICK_MS)
    np.testing.assert_allclose(view.image_item.image, row_normalised(matrix))
    assert view.image_item.image[1, 0] == pytest.approx(0.1) and (view.image_item.image[2] == 0).all()

    view.show_confusion(np.eye(25, dtype=np.int64), [str(i) for i in range(25)], epoch=5)
    qtbot.wait(TICK_MS)
    assert view.image_item.image.shape == (25, 25) and view._texts == []  # no counts written above 20 classes


def test_misclassified_strip_shows_up_to_32_captioned_images(qtbot):
    strip = shown(qtbot, MisclassifiedStrip(), (600, 140))
    assert strip.objectName() == "misclassifiedStrip" != strip.accessibleName()
    images = np.random.default_rng(3).integers(0, 255, (40, 1, 28, 28), dtype=np.uint8)
    true, predicted = np.arange(40) % 3, (np.arange(40) + 1) % 3
    strip.show_examples(images, true, predicted, ["cat", "dog", "bird"])
    qtbot.wait(TICK_MS)
    assert len(strip.tiles) == 32
    assert strip.captions[:3] == ["cat → dog", "dog → bird", "bird → cat"]
    assert "first 32 of 40" in strip.title_label.text()
    strip.show_examples(images[:2].repeat(3, axis=1), true[:2], predicted[:2], ["cat", "dog", "bird"])  # RGB
    qtbot.wait(TICK_MS)
    assert len(strip.tiles) == 2
    strip.reset()
    assert strip.tiles == []


def test_filter_view_mosaic_of_first_layer_weights(qtbot):
    view = shown(qtbot, FilterView())
    assert view.objectName() == "filterView" != view.accessibleName()
    weight = np.random.default_rng(4).normal(size=(16, 1, 5, 5)).astype(np.float32)
    view.show_filters(weight)
    qtbot.wait(TICK_MS)
    image = view.image_item.image
    assert image.shape == (4 * 5 + 3, 4 * 5 + 3)
    np.testing.assert_allclose(image[6:11, 0:5], weight[4, 0])
    low, high = view.image_item.levels
    assert low == -high == -np.abs(weight).max()  # diverging scale centred at zero
    view.show_filters(np.random.default_rng(5).normal(size=(10, 3, 3, 3)))
    qtbot.wait(TICK_MS)
    assert view.image_item.image.shape == (3 * 3 + 2, 4 * 3 + 3, 3)  # RGB filters
    view.reset()
    assert view.image_item.image is None
