"""The Draw tab's "Predict a folder…" through the real window: the model opened from a file predicts a small folder
in the background, with progress; the table sorts by confidence (least confident first), marks unsure rows, lists
the files skipped one line each, and exports the very CSV the CLI writes. Cancel keeps what was read and stops."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QPushButton

from tests.core.hostile import run_cli
from tests.core.test_predict import digit, digit_folder, save
from ui.draw import predict_dialog
from ui.draw.predict_dialog import PredictFolderDialog
from ui.draw.prediction_table import CONFIDENCE, PICTURE, UNSURE
from ui.main_window import MainWindow
from workbench.insight.classify import Classifier


@pytest.fixture
def window(qtbot, digits_model):
    path, _ = digits_model
    window = MainWindow()
    window.resize(1200, 800)
    window.show()
    qtbot.waitExposed(window)
    assert window.open_path(path)
    window.tabs.setCurrentWidget(window.draw)
    yield window
    window.document.undo_stack.setClean()
    window.close()
    window.deleteLater()


def test_a_folder_is_predicted_in_the_background_sorted_by_confidence_and_exported_as_the_cli_does(
    window, qtbot, tmp_path, monkeypatch, capsys, digits_model
):
    folder = tmp_path / "pics"
    pictures = digit_folder(folder)
    (folder / "broken.png").write_bytes(b"not a picture")
    (folder / "empty.jpg").write_bytes(b"")
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *args, **kwargs: str(folder))
    button = window.draw.findChild(QPushButton, "predictFolderButton")
    assert button.text() == "Predict a folder…" and button.objectName() == "predictFolderButton"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = window.draw.predict_dialog
    assert isinstance(dialog, PredictFolderDialog) and dialog.isVisible()
    assert dialog.tasks is window.tasks  # its work is the window's, cancelled and awaited on close
    qtbot.waitUntil(lambda: not dialog.running, timeout=20000)

    assert dialog.progress.value() == dialog.progress.maximum() == 7
    model = dialog.table_model
    assert [row.path for row in model.rows] == [str(p) for p in pictures]
    assert model.data(model.index(0, PICTURE)) == "a_one.png"
    assert model.data(model.index(2, PICTURE)) == "c_sub/deeper/one.jpeg"
    assert model.data(model.index(0, PICTURE), Qt.ItemDataRole.DecorationRole) is not None  # a thumbnail
    assert dialog.skipped_list.toPlainText().splitlines() == [
        f"{folder / 'broken.png'}: not a PNG, JPEG or BMP picture",
        f"{folder / 'empty.jpg'}: an empty file",
    ]
    assert "5 pictures predicted" in dialog.summary_label.text() and "2 files skipped" in dialog.summary_label.text()
    assert "digits" in dialog.model_label.text() and "drawing" in dialog.model_label.text()

    dialog.least_sure_button.click()
    shown = [model.row_at(r).confidence for r in range(model.rowCount())]
    assert shown == sorted(shown)
    dialog.table.sortByColumn(CONFIDENCE, Qt.SortOrder.DescendingOrder)
    assert [model.row_at(r).confidence for r in range(model.rowCount())] == sorted(shown, reverse=True)

    dialog.unsure_spin.setValue(1.0)  # every prediction is unsure now, and marked so
    assert all(model.data(model.index(r, UNSURE)) == "⚠ unsure" for r in range(model.rowCount()))
    assert model.data(model.index(0, UNSURE), Qt.ItemDataRole.BackgroundRole) is not None
    dialog.unsure_spin.setValue(0.6)

    exported = tmp_path / "window.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(exported), "CSV (*.csv)"))
    assert dialog.export_button.isEnabled()
    dialog.export_button.click()
    cli_csv = tmp_path / "cli.csv"
    code, _, err = run_cli(["predict", str(digits_model[0]), str(folder), "--out", str(cli_csv)], capsys)
    assert code == 0, err
    assert exported.read_bytes() == cli_csv.read_bytes()  # the order found, whatever the table's order
    assert "Wrote 5 rows" in dialog.summary_label.text()

    dialog.close()
    qtbot.waitUntil(lambda: not window.tasks.busy(dialog.kind), timeout=5000)


def test_cancel_stops_the_folder_and_keeps_what_was_read(qtbot, tmp_path, monkeypatch, digits_model):
    _, saved = digits_model
    for k in range(6):
        save(digit(k % 2, (24, 30)), tmp_path / "pics" / f"{k}.png")
    go_on = threading.Event()
    real = predict_dialog.predict_pictures

    def slowly(*args, **kwargs):  # the first batch, then a wait for the test's Cancel
        for number, batch in enumerate(real(*args, **{**kwargs, "batch_size": 2})):
            yield batch
            if number == 0:
                go_on.wait(10)

    monkeypatch.setattr(predict_dialog, "predict_pictures", slowly)
    dialog = PredictFolderDialog(Classifier.from_saved(saved, "digits.cnnwb"), "digits")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.predict_folder(tmp_path / "pics")
    qtbot.waitUntil(lambda: dialog.files_done == 2, timeout=10000)
    assert dialog.cancel_button.isEnabled() and not dialog.export_button.isEnabled()
    dialog.cancel_button.click()
    go_on.set()
    assert not dialog.running and dialog.export_button.isEnabled()
    assert "Cancelled after 2 of 6 files" in dialog.summary_label.text()
    assert len(dialog.table_model.rows) == 2
    qtbot.waitUntil(lambda: not dialog.tasks.busy(dialog.kind) and dialog.tasks.current(dialog.kind) is None)
    qtbot.wait(50)
    assert len(dialog.table_model.rows) == 2  # nothing more arrives after Cancel
