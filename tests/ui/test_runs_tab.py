"""The Runs tab: app runs recorded with their model, curves of several runs overlaid, architectures
diffed, runs filtered, renamed, deleted, exported, reopened and trained further."""

from __future__ import annotations

import csv

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox

from tests.ui.test_dashboard import SPEC
from workbench.model import templates
from workbench.model.spec import LayerSpec
from workbench.runs.store import RunStore


def train_in_window(window, qtbot, epochs: int) -> None:
    dashboard = window.dashboard
    dashboard.settings.epochs.setValue(epochs)
    dashboard.settings.batch_size.setValue(64)
    assert dashboard.start()
    qtbot.waitUntil(lambda: not dashboard.running and dashboard.state == "idle", timeout=120000)
    assert dashboard.run.outcome == "finished"


def test_an_app_run_is_kept_with_its_figures_and_model(bars_window, qtbot):
    train_in_window(bars_window, qtbot, epochs=2)
    (run,) = RunStore().runs()
    finished = bars_window.dashboard.result_label.text()
    assert run.source == "app" and run.outcome == "finished" and run.epochs == 2
    assert f"{100 * run.test_accuracy:.2f}%" in finished
    assert run.model_path and run.model_path.endswith("model.cnnwb")
    view = bars_window.runs
    bars_window.tabs.setCurrentWidget(view)
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=5000)
    assert view.model.runs[0].id == run.id


def store_runs(count: int = 2, specs=None) -> list[int]:
    store = RunStore()
    ids = []
    for number in range(count):
        spec = (specs or [SPEC] * count)[number]
        run_id = store.start_run(spec, {"epochs": 2}, "bars", source="cli", name=f"run {number}")
        for epoch in (1, 2):
            row = {"epoch": epoch, "step": 10 * epoch, "train_loss": 1.0 / epoch, "train_accuracy": 0.5}
            store.add_epoch(run_id, {**row, "val_loss": 1.2 / epoch, "val_accuracy": 0.4 + 0.2 * epoch, "seconds": 1.0})
        store.add_batches(run_id, list(range(1, 21)), [2.0 - 0.05 * s for s in range(20)])
        store.finish(run_id, "finished", test_accuracy=0.8)
        ids.append(run_id)
    store.close()
    return ids


def test_selecting_two_runs_overlays_two_curves(window, qtbot):
    store_runs(3)
    view = window.runs
    view.reload()
    window.tabs.setCurrentWidget(view)
    view.select_ids([1, 2])
    assert view.selected_ids() == [2, 1] or sorted(view.selected_ids()) == [1, 2]
    assert len(view.overlay.loss_curves) == 2 and len(view.overlay.accuracy_curves) == 2
    names = [label.text for _, label in view.overlay.loss_legend.items]
    assert sorted(names) == ["1: run 0", "2: run 1"]
    xs, _ = view.overlay.loss_curves[0].getData()
    assert xs.max() == 20  # by step
    view.x_mode.setCurrentIndex(view.x_mode.findData("epoch"))
    xs, _ = view.overlay.loss_curves[0].getData()
    assert xs.max() == pytest.approx(2.0)  # the same curve by epoch
    assert view.diff_button.isEnabled() and not view.open_button.isEnabled()


def test_the_diff_of_two_architectures_lists_the_added_layer_and_the_shapes_after_it(window):
    classic = templates.template("mnist-classic")
    layers = list(classic.layers)
    layers.insert(3, LayerSpec("Conv2d", {"out_channels": 10, "kernel_size": 3}))
    store_runs(2, [classic, classic.with_layers(layers)])
    view = window.runs
    view.reload()
    view.select_ids([1, 2])
    dialog = view.diff_selected()
    table = dialog.table
    kinds = [table.item(r, 0).text() for r in range(table.rowCount())]
    assert kinds.count("+") == 1 and kinds.count("−") == 0 and kinds.count("~") == 0
    added = kinds.index("+")
    assert table.item(added, 4).text().startswith("4. Conv2d(") and table.item(added, 5).text() == "10×10×10"
    what = [table.item(r, 7).text() for r in range(table.rowCount())]
    assert what[added + 1] == "output 20×8×8 → 20×6×6"
    assert [w.split(" ")[0] for w in what[added + 1 : added + 5]] == ["output"] * 4
    assert what[added + 5].startswith("parameters 16,050 → 9,050")  # Linear(50) on 180 inputs, not 320
    summary = dialog.findChild(QLabel, "diffSummary").text()
    assert "1 added, 4 with new output shapes, 1 with new parameter counts" in summary
    dialog.close()


def test_filter_rename_export_and_delete(window, qtbot, tmp_path, monkeypatch):
    ids = store_runs(3)
    view = window.runs
    view.reload()
    view.filter_edit.setText("run 1")
    assert view.proxy.rowCount() == 1
    view.filter_edit.setText("")
    assert view.proxy.rowCount() == 3
    view.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)  # by name
    shown = [view.proxy.index(row, 0).data() for row in range(3)]
    assert shown == ["run 0", "run 1", "run 2"]
    view.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)  # newest first again
    assert [view.proxy.index(row, 0).data() for row in range(3)] == ["run 2", "run 1", "run 0"]
    view.model.setData(view.model.index(0, 0), "  my   best run ", Qt.ItemDataRole.EditRole)
    assert RunStore().summary(view.model.runs[0].id).name == "my best run"
    view.select_ids(ids[:2])
    target = view.export_selected(str(tmp_path / "runs.csv"))
    with open(target, newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert sorted(int(row["id"]) for row in rows) == ids[:2] and rows[0]["test_accuracy"] == "0.8"
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    assert view.delete_selected() == 0 and len(RunStore().runs()) == 3
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    assert view.delete_selected() == 2
    assert [run.id for run in RunStore().runs()] == [ids[2]]


def test_continuing_a_run_continues_its_epochs(bars_window, qtbot):
    train_in_window(bars_window, qtbot, epochs=2)
    view = bars_window.runs
    view.reload()
    (first,) = view.model.runs
    view.select_ids([first.id])
    bars_window.dashboard.settings.epochs.setValue(1)
    bars_window.document.undo_stack.setClean()  # else opening the run's model asks about unsaved edits
    view.continue_button.click()
    dashboard = bars_window.dashboard
    qtbot.waitUntil(lambda: dashboard.running, timeout=10000)
    qtbot.waitUntil(lambda: not dashboard.running and dashboard.state == "idle", timeout=120000)
    assert [row["epoch"] for row in dashboard.run.history] == [1, 2, 3]
    store = RunStore()
    newest = store.runs()[0]
    assert newest.id != first.id and newest.parent_id == first.id and newest.epochs == 3
    assert [row["epoch"] for row in store.record(newest.id).history] == [1, 2, 3]


def test_the_selection_exported_for_tensorboard(window, tmp_path):
    pytest.importorskip("tensorboard")
    ids = store_runs(2)
    view = window.runs
    view.reload()
    view.select_ids(ids)
    written = view.export_tensorboard(str(tmp_path / "tb"))
    assert sorted(written) == [str(tmp_path / "tb" / f"run-{i}") for i in ids]
    assert all(
        any(p.name.startswith("events.out.tfevents") for p in (tmp_path / "tb" / f"run-{i}").iterdir()) for i in ids
    )
