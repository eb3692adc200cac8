"""Per-class figures and calibration in the window: the table beside the confusion matrix (one row per class, the
worst first, a click outlines its row in the matrix), the reliability diagram of the last epoch, Calibrate (the
real temperature fit, applied to the Draw tab, the probe's bars and Save, cleared by a new run or a Teach), an
opened model's panels filled without a run, and Learn ▸ Softmax's way to the Calibration panel."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
import torch
from PySide6.QtCore import QPoint, Qt

from tests.core.synthetic import bars_dataset
from tests.ui.test_dashboard import SPEC
from ui.main_window import MainWindow
from ui.plots.class_metrics import F1, PRECISION, ClassMetricsTable, worst_first
from ui.plots.reliability import ReliabilityDiagram
from ui.training.quality import calibration_problem
from workbench.events import EpochEnded
from workbench.files.model_file import load_model, save_model
from workbench.insight.metrics import per_class, softmax
from workbench.model import helptext
from workbench.training.config import TrainConfig
from workbench.training.trainer import Trainer

VAL = 200


@pytest.fixture
def window(qtbot):
    """The window on the Train tab with a small bars dataset (200 validation images), ready to train in a second."""
    window = MainWindow(SPEC)
    window.show()
    dashboard = window.dashboard
    window.tabs.setCurrentWidget(dashboard)
    qtbot.waitUntil(lambda: dashboard.dataset is not None, timeout=30000)
    dashboard._on_loader_succeeded(bars_dataset(train=512, val=VAL, test=32))
    yield window
    dashboard.shutdown(5000)
    window.document.undo_stack.setClean()
    window.close()
    window.deleteLater()


def trained_bars(epochs: int = 1):
    """A bars model trained in this process (no training process to start)."""
    trainer = Trainer(SPEC, bars_dataset(train=512, val=VAL, test=32), TrainConfig(epochs=epochs, batch_size=32))
    trainer.fit()
    return trainer.saved_model()


def flushed(*panels) -> None:
    for panel in panels:
        panel.refresher.flush()


def shown_rows(table: ClassMetricsTable) -> list[tuple[str, float, float, float, int]]:
    rows = []
    for row in range(table.table.rowCount()):
        texts = [table.table.item(row, column).text() for column in range(5)]
        rows.append((texts[0], *map(float, texts[1:4]), int(texts[4].replace(",", ""))))
    return rows


def test_a_run_fills_the_table_and_diagram_and_calibrate_applies_until_a_new_run(window, qtbot):
    dashboard = window.dashboard
    dashboard.settings.epochs.setValue(1)
    dashboard.settings.batch_size.setValue(32)
    assert dashboard.calibrate() is None  # nothing trained yet: refused in one line
    assert "no trained model" in dashboard.calibration_tab.note.text()
    epochs: list[EpochEnded] = []
    assert dashboard.start()
    dashboard.run.event_emitted.connect(lambda e: epochs.append(e) if isinstance(e, EpochEnded) else None)
    assert not dashboard.calibration_tab.calibrate_button.isEnabled()  # while it trains
    qtbot.waitUntil(lambda: dashboard.state == "idle", timeout=60000)
    last = epochs[-1]
    names = dashboard.dataset.class_names

    table, confusion, diagram = dashboard.class_metrics, dashboard.confusion, dashboard.calibration_tab.diagram
    dashboard.evaluation.setCurrentWidget(dashboard.panels.confusion_split)
    flushed(table, confusion)
    expected = per_class(last.confusion, names)
    assert table.metrics == expected and np.array_equal(confusion._matrix, last.confusion)
    assert table.table.rowCount() == len(names)
    assert table.shown_order() == worst_first(expected)  # the worst class first
    f1s = [row[3] for row in shown_rows(table)]
    assert f1s == sorted(f1s)
    by_name = {m.name: m for m in expected}
    for name, precision, recall, f1, support in shown_rows(table):
        m = by_name[name]
        assert (precision, recall, f1) == tuple(round(v, 3) for v in (m.precision, m.recall, m.f1))
        assert support == m.support
    assert table.footer.item(0, 0).text() == "Macro avg" and table.footer.item(1, 4).text() == f"{VAL:,}"

    row = 1  # a click on a row outlines that class's row of the matrix
    rect = table.table.visualItemRect(table.table.item(row, 0))
    qtbot.mouseClick(table.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    chosen = table.shown_order()[row]
    assert table.selected_class() == chosen and confusion.selected_row == chosen
    outline = confusion.row_outline
    assert outline.isVisible() and outline.rect().top() == chosen and outline.rect().width() == len(names)
    qtbot.mouseClick(table.table.horizontalHeader().viewport(), Qt.MouseButton.LeftButton, pos=_header_centre(table))
    precisions = [expected[i].precision for i in table.shown_order()]  # sorted by precision now
    assert table.table.horizontalHeader().sortIndicatorSection() == PRECISION
    assert precisions in (sorted(precisions), sorted(precisions, reverse=True))
    assert table.selected_class() == chosen  # the chosen class stays chosen

    dashboard.evaluation.setCurrentWidget(dashboard.calibration_tab)
    flushed(diagram)
    bins = diagram.shown["bins"]
    assert len(bins) == 10 and sum(b["count"] for b in bins) == VAL
    assert diagram.before == last.calibration and diagram.after is None
    assert f"ECE {100 * last.calibration['ece']:.1f}%" in diagram.title_label.text()

    qtbot.mouseClick(dashboard.calibration_tab.calibrate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dashboard.session.calibration != {}, timeout=30000)
    record = dashboard.session.calibration
    temperature = record["temperature"]
    assert temperature != 1.0 and record["images"] == VAL
    note = dashboard.calibration_tab.note.text()
    assert "→" in note and f"{temperature:.3f}" in note
    flushed(diagram)
    assert diagram.after is not None and diagram.temperature == temperature
    assert f"→ {100 * record['ece_after']:.1f}%" in diagram.title_label.text()
    assert dashboard.trained_model().temperature == temperature  # Save and export keep it
    assert dashboard.classifier().temperature == temperature
    window.tabs.setCurrentWidget(window.draw)
    qtbot.waitUntil(lambda: window.draw.classifier is not None and window.draw.classifier.temperature == temperature)
    probe = dashboard.last_probe  # the probe's softmax bars, shown again with the temperature
    assert np.allclose(probe.probabilities, softmax(probe.logits[None], temperature)[0], atol=1e-6)
    dashboard.softmax.refresher.flush()
    assert np.allclose(dashboard.softmax.bars.opts["height"], probe.probabilities, atol=1e-6)

    window.tabs.setCurrentWidget(dashboard)
    assert dashboard.start()  # a new run: new weights, no temperature
    assert dashboard.session.calibration == {} and diagram.before is None
    qtbot.waitUntil(lambda: dashboard.state == "idle", timeout=60000)
    assert dashboard.session.calibration == {} and dashboard.trained_model().temperature == 1.0
    assert dashboard.classifier().temperature == 1.0


def _header_centre(table: ClassMetricsTable):
    header = table.table.horizontalHeader()
    x = header.sectionViewportPosition(PRECISION) + header.sectionSize(PRECISION) // 2
    return QPoint(x, header.height() // 2)


def test_an_opened_model_is_evaluated_calibrated_saved_and_taught_without_its_temperature(window, qtbot, tmp_path):
    dashboard = window.dashboard
    saved = trained_bars()
    path = tmp_path / "bars.cnnwb"
    save_model(path, saved)
    window.document.undo_stack.setClean()  # the model input followed the datasets: no question on opening
    assert window.open_path(path)
    table, diagram = dashboard.class_metrics, dashboard.calibration_tab.diagram
    qtbot.waitUntil(lambda: dashboard.quality.last is not None, timeout=30000)  # evaluated in the background
    flushed(table, diagram)
    assert table.stack.currentWidget() is table.body and table.table.rowCount() == 4
    assert sum(m.support for m in table.metrics) == VAL
    assert sum(b["count"] for b in diagram.before["bins"]) == VAL and diagram.after is None

    task = dashboard.calibrate()
    assert task is not None and dashboard.evaluation.currentWidget() is dashboard.calibration_tab
    qtbot.waitUntil(lambda: dashboard.saved.calibration != {}, timeout=30000)
    temperature = dashboard.saved.temperature
    assert dashboard.trained_model().temperature == temperature == dashboard.classifier().temperature
    out = tmp_path / "calibrated.cnnwb"
    assert window.keeper.save_trained(out)
    reopened = load_model(out)
    assert reopened.temperature == pytest.approx(temperature) and reopened.calibration["split"] == "val"
    assert window.open_path(out)  # a model opened from a file brings its own temperature, shown before → after
    qtbot.waitUntil(lambda: dashboard.quality.last is not None, timeout=30000)
    assert dashboard.quality.last.after is not None
    flushed(diagram)
    assert diagram.temperature == pytest.approx(temperature) and "→" in diagram.title_label.text()
    assert "Calibrated: temperature" in dashboard.calibration_tab.note.text()

    state = {name: value + 0.01 for name, value in dashboard.saved.state.items()}
    assert dashboard.use_taught(state, "1 step")  # new weights: the temperature fitted for the old no longer holds
    assert dashboard.session.calibration == {} and dashboard.classifier().temperature == 1.0
    assert dashboard.undo_teach() and dashboard.classifier().temperature == pytest.approx(temperature)


def test_calibrate_refuses_in_one_line_without_data_or_held_out_images(window):
    dashboard, session = window.dashboard, window.dashboard.session
    session.use_saved(trained_bars(), "bars")
    session.set_dataset(bars_dataset(train=64, val=0, test=8))
    assert calibration_problem(session).startswith("The validation split is empty")
    assert dashboard.calibrate() is None and "validation split is empty" in dashboard.calibration_tab.note.text()
    session.set_dataset(None)
    assert "has not loaded" in calibration_problem(session)


def test_the_table_sorts_by_any_column_and_keeps_the_averages_below(qtbot):
    table = ClassMetricsTable()
    qtbot.addWidget(table)
    matrix = np.array([[8, 2, 0], [1, 5, 4], [0, 0, 10]])
    table.show_confusion(matrix, ("a", "b", "c"), 3)
    table.refresher.flush()
    assert table.shown_order() == [1, 2, 0]  # F1: b 0.588, c 0.833, a 0.842
    f1 = {m.name: m.f1 for m in table.metrics}
    assert [table.metrics[i].name for i in table.shown_order()] == sorted(f1, key=f1.get)
    table.table.sortByColumn(PRECISION, Qt.SortOrder.DescendingOrder)
    precisions = [table.metrics[i].precision for i in table.shown_order()]
    assert precisions == sorted(precisions, reverse=True)
    table.show_confusion(matrix, ("a", "b", "c"), 4)  # a new epoch keeps the user's sort
    table.refresher.flush()
    assert [table.metrics[i].precision for i in table.shown_order()] == precisions
    assert table.table.horizontalHeader().sortIndicatorSection() == PRECISION
    table.table.sortByColumn(F1, Qt.SortOrder.AscendingOrder)
    macro = np.mean([m.f1 for m in table.metrics])
    assert table.footer.item(0, F1).text() == f"{macro:.3f}"
    table.reset()
    assert table.table.rowCount() == 0 and table.stack.currentWidget() is table.placeholder


def test_the_diagram_draws_bars_gaps_counts_and_before_after(qtbot):
    from workbench.insight.metrics import calibration

    diagram = ReliabilityDiagram()
    qtbot.addWidget(diagram)
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 5, 500)
    logits = rng.normal(0, 1, (500, 5))
    logits[np.arange(500), labels] += 2
    before = calibration(softmax(logits * 4), labels).to_json()
    diagram.show_calibration(before, 2)
    diagram.refresher.flush()
    full = [b for b in before["bins"] if b["count"]]
    assert len(diagram.bars.opts["height"]) == len(full) and len(diagram.gap_bars.opts["x"]) == len(full)
    assert [t.toPlainText() for t in diagram.count_texts] == [f"{b['count']:,}" for b in before["bins"]]
    after = calibration(softmax(logits * 4, 4.0), labels).to_json()
    diagram.show_calibration(before, 2, after, 4.0)
    diagram.refresher.flush()
    assert len(diagram.gap_bars.opts["x"]) == 0 and len(diagram.before_curve.xData) == len(full)
    assert diagram.ece_text() == f"ECE {100 * before['ece']:.1f}% → {100 * after['ece']:.1f}% with temperature 4.00"


def test_learn_softmax_explains_confidence_and_opens_the_calibration_panel(window, qtbot):
    softmax_page = window.learn.softmax
    doc = helptext.load("learn", "softmax.md")
    assert softmax_page.confidence_text.text() == doc.intro and "97%" in doc.intro
    window.tabs.setCurrentWidget(window.learn)
    window.learn.tabs.setCurrentWidget(softmax_page)
    qtbot.mouseClick(softmax_page.calibration_button, Qt.MouseButton.LeftButton)
    assert window.tabs.currentWidget() is window.dashboard
    assert window.dashboard.evaluation.currentWidget() is window.dashboard.calibration_tab


def test_an_opened_models_misclassified_images_are_shown_as_a_runs_epoch_shows_them(window, qtbot, tmp_path):
    saved = trained_bars()
    blind = replace(saved, state={name: torch.zeros_like(value) for name, value in saved.state.items()})
    path = tmp_path / "blind.cnnwb"  # every logit 0: it predicts the first class for every image
    save_model(path, blind)
    window.document.undo_stack.setClean()
    dashboard = window.dashboard
    assert window.open_path(path)
    qtbot.waitUntil(lambda: dashboard.quality.last is not None, timeout=30000)
    labels = dashboard.dataset.val.labels.numpy()
    wrong = int((labels != 0).sum())
    assert wrong > 32
    strip = dashboard.misclassified
    dashboard.evaluation.setCurrentWidget(strip)
    qtbot.waitUntil(lambda: len(strip.tiles) == 32)
    names = dashboard.dataset.class_names
    first = int(labels[labels != 0][0])
    assert strip.captions[0] == f"{names[first]} → {names[0]}" and "(32)" in strip.title_label.text()
