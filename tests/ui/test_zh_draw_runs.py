"""The Draw and Runs tabs in Simplified Chinese: the Draw tab with an opened model reading a drawing, My digits,
Predict a folder… (its table, counts and skipped files), the Runs tab with recorded runs, its curves and the
architecture diff; no English left but PyTorch's names, numbers, units and the user's own names, and View ▸
Language switches them both ways at once."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.core.test_predict import digit_folder
from tests.ui.english import english, foreign_words, report, window_english
from tests.ui.test_draw import line, square_origin, stroke
from tests.ui.test_zh_plots_dialogs import answer_next_dialog
from ui import i18n
from ui.draw.predict_open import open_predict_dialog
from ui.main_window import MainWindow
from workbench.messages import say
from workbench.model import templates
from workbench.model.spec import LayerSpec
from workbench.runs.store import RunStore

# the user's own names: datasets, templates, the test's folder and files
KEPT = {"digits", "bars", "mnist", "classic", "broken", "empty", "jpg", "a_one", "b_seven", "JPG", "c_sub", "d_zero"}
KEPT |= {"deeper", "one", "jpeg", "zero", "bmp"}


def _draw_a_stroke(qtbot, draw) -> None:
    x0, y0, side = square_origin(draw.canvas)
    stroke(draw.canvas, line((x0 + side // 2, y0 + side // 5), (x0 + side // 2, y0 + 4 * side // 5)))
    qtbot.waitUntil(lambda: draw.last_image is not None, timeout=5000)


def _close(window) -> None:
    i18n.install(i18n.ENGLISH)  # while the window lives: a font change after it is gone reaches its dead plots
    window.document.undo_stack.setClean()
    window.close()
    window.deleteLater()


def _open_in_chinese(qtbot, monkeypatch, path) -> MainWindow:
    """The window built in Chinese on the Draw tab, with a trained model opened. (Closed by the test itself: closed
    by a fixture's teardown, pyqtgraph's legends met their deleted view boxes.)"""
    monkeypatch.setenv(i18n.ENVIRONMENT, i18n.CHINESE)
    window = MainWindow()
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    assert window.open_path(path)
    window.tabs.setCurrentWidget(window.draw)
    return window


def test_the_draw_tab_its_dialogs_in_chinese_and_back(qtbot, monkeypatch, tmp_path, digits_model):
    zh_window = _open_in_chinese(qtbot, monkeypatch, digits_model[0])
    draw = zh_window.draw
    _draw_a_stroke(qtbot, draw)
    draw.saliency_mode.setCurrentIndex(1)  # Grad-CAM: the caption says whose evidence
    assert "置信度" in draw.confidence_label.text() and draw.saliency_label.text()
    assert not window_english(draw, KEPT), report(window_english(draw, KEPT))

    assert draw.teach.file_drawing()  # My digits: one filed, read by the model
    draw.teach.show_gallery()
    gallery = draw.teach.gallery
    assert gallery.isVisible() and not window_english(gallery, KEPT), report(window_english(gallery, KEPT))
    _draw_a_stroke(qtbot, draw)  # filing cleared the canvas

    folder = tmp_path / "pics"
    digit_folder(folder)
    kept = KEPT | set(foreign_words(str(folder)))
    (folder / "broken.png").write_bytes(b"not a picture")
    (folder / "empty.jpg").write_bytes(b"")
    dialog = open_predict_dialog(draw, draw.classifier, zh_window.dashboard, choose=False)
    assert dialog.predict_folder(folder)
    qtbot.waitUntil(lambda: not dialog.running, timeout=20000)
    dialog.unsure_spin.setValue(1.0)  # every row unsure: the marks are words too
    assert dialog.skipped_list.toPlainText().count("\n") == 1 and "空文件" in dialog.skipped_list.toPlainText()
    assert not window_english(dialog, kept), report(window_english(dialog, kept))

    i18n.choose(i18n.ENGLISH)  # everything shown says it again in English
    assert "confident" in draw.confidence_label.text() and "Evidence for" in draw.saliency_label.text()
    assert draw.teach.title() == "Correct and teach" and "digit(s) filed" in gallery.title.text()
    assert "pictures predicted" in dialog.summary_label.text() and "an empty file" in dialog.skipped_list.toPlainText()
    assert dialog.table_model.headerData(0, Qt.Orientation.Horizontal) == "Picture"
    assert dialog.table_model.data(dialog.table_model.index(0, 3)) == "⚠ unsure"
    i18n.choose(i18n.CHINESE)
    assert not window_english(dialog, kept), report(window_english(dialog, kept))
    assert not window_english(gallery, kept), report(window_english(gallery, kept))
    dialog.close()
    gallery.close()
    qtbot.waitUntil(lambda: not zh_window.tasks.busy(dialog.kind), timeout=5000)
    _close(zh_window)


def _store_runs() -> None:
    """Two runs without training: the classic template and one with a layer more (for the diff); one stopped."""
    classic = templates.template("mnist-classic")
    layers = list(classic.layers)
    layers.insert(3, LayerSpec("Conv2d", {"out_channels": 10, "kernel_size": 3}))
    store = RunStore()
    for number, (spec, outcome) in enumerate(((classic, "finished"), (classic.with_layers(layers), "stopped"))):
        run_id = store.start_run(spec, {"epochs": 2}, "bars", source="cli", name=f"甲{number}")
        for epoch in (1, 2):
            row = {"epoch": epoch, "step": 10 * epoch, "train_loss": 1.0 / epoch, "train_accuracy": 0.5}
            store.add_epoch(run_id, {**row, "val_loss": 1.2 / epoch, "val_accuracy": 0.4 + 0.2 * epoch, "seconds": 1.0})
        store.add_batches(run_id, list(range(1, 21)), [2.0 - 0.05 * s for s in range(20)])
        reason = say("stop.stopped_at", step=20) if outcome == "stopped" else ""  # as the recorder keeps it
        store.finish(run_id, outcome, reason=reason, test_accuracy=0.8, device="CPU · 2 threads")
    store.close()


def test_the_runs_tab_and_the_diff_switch_to_chinese_and_back(window, qtbot):
    _store_runs()
    view = window.runs
    view.reload()
    window.tabs.setCurrentWidget(view)
    view.select_ids([1, 2])
    dialog = view.diff_selected()
    assert view.model.headerData(0, Qt.Orientation.Horizontal) == "Name" and "stopped" in view.model.row_texts(0)[-1]

    i18n.choose(i18n.CHINESE)
    qtbot.wait(1)  # Qt's own texts (the Close button) follow its LanguageChange event
    kept = KEPT | set(foreign_words(str(view.store.path)))
    assert not window_english(view, kept), report(window_english(view, kept))
    assert not window_english(dialog, kept), report(window_english(dialog, kept))
    assert view.model.headerData(0, Qt.Orientation.Horizontal) == "名称"
    assert view.x_mode.itemText(0) == "按步数" and "新增" in dialog.summary.text()
    seen: list = []
    answer_next_dialog(seen)  # Delete…: the question, then No
    assert view.delete_selected() == 0 and len(view.store.runs()) == 2
    assert [kind for kind, _texts in seen] == ["QMessageBox"] and not english(seen[0][1], kept), seen
    assert "删除 2 次运行及其模型和检查点文件？" in {text.split("\n")[0] for _where, text in seen[0][1]}, seen
    window.tabs.setCurrentWidget(window.draw)  # untrained: the banner says so in Chinese
    qtbot.waitUntil(lambda: "未训练" in window.draw.model_label.text(), timeout=5000)
    assert not window_english(window.draw, KEPT), report(window_english(window.draw, KEPT))

    i18n.choose(i18n.ENGLISH)
    assert view.model.headerData(0, Qt.Orientation.Horizontal) == "Name" and view.x_mode.itemText(0) == "by step"
    assert "1 added" in dialog.summary.text() and view.delete_button.text() == "Delete…"
    assert "untrained" in window.draw.model_label.text()
    dialog.close()
    _close(window)
