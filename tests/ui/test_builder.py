"""The builder in the real main window: drops, keyboard edits, undo/redo, red rows, files, settings."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPoint, QPointF, QSettings, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from ui.builder.layer_stack import ROW_MIME
from ui.builder.palette import LAYER_MIME
from ui.main_window import MainWindow
from workbench.model import templates
from workbench.model.shape_rules import shape_text
from workbench.model.shapes import infer
from workbench.model.spec import load


def types(window) -> list[str]:
    return [layer.type for layer in window.document.spec.layers]


def drop(stack, mime_type: str, payload: str, row: int, below: bool) -> None:
    """Deliver a real drag-enter, drag-move and drop to the stack's viewport at a row's upper or lower half."""
    rect = stack.visualRect(stack.model().index(row, 0))
    drop_at(stack, mime_type, payload, QPoint(rect.center().x(), rect.bottom() - 2 if below else rect.top() + 2))


def drop_at(stack, mime_type: str, payload: str, pos: QPoint) -> None:
    """A real drag-enter, drag-move and drop on the stack's viewport at `pos`."""
    data = QMimeData()
    data.setData(mime_type, payload.encode())
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    action = Qt.DropAction.CopyAction if mime_type == LAYER_MIME else Qt.DropAction.MoveAction
    viewport = stack.viewport()
    QApplication.sendEvent(viewport, QDragEnterEvent(pos, action, data, buttons, mods))
    QApplication.sendEvent(viewport, QDragMoveEvent(pos, action, data, buttons, mods))
    QApplication.sendEvent(viewport, QDropEvent(QPointF(pos), action, data, buttons, mods))


def test_window_has_the_named_panels_and_shows_the_device(window):
    for name in ("layerPalette", "layerStack", "layerInspector", "modelSummary"):
        widget = window.findChild(object, name)
        assert widget is not None and widget.accessibleName() != name  # human text, not the identifier
    assert window.device_label.text().startswith(("CPU · ", "CUDA · ", "Apple MPS"))
    assert window.windowTitle() == "mnist-classic.json[*] — CNN Workbench"


def test_palette_drop_inserts_at_the_drop_position(window):
    stack = window.builder.stack
    drop(stack, LAYER_MIME, "BatchNorm2d", row=0, below=True)  # lower half of row 1 → after it
    assert types(window)[:3] == ["Conv2d", "BatchNorm2d", "ReLU"]
    drop(stack, LAYER_MIME, "Dropout", row=0, below=False)  # upper half of row 1 → before it
    assert types(window)[:2] == ["Dropout", "Conv2d"]
    assert stack.current_layer_row() == 0
    assert window.isWindowModified()


def test_dragging_a_row_reorders(window):
    stack = window.builder.stack
    drop(stack, ROW_MIME, "0", row=2, below=True)  # Conv2d dragged below MaxPool2d
    assert types(window)[:3] == ["ReLU", "MaxPool2d", "Conv2d"]
    assert stack.current_layer_row() == 2


def test_keyboard_add_move_duplicate_delete(window, qtbot):
    stack, palette = window.builder.stack, window.builder.palette_list
    stack.select_row(1)
    palette.setCurrentItem(palette.item_for("Dropout"))
    qtbot.keyClick(palette, Qt.Key.Key_Return)
    assert types(window)[:3] == ["Conv2d", "ReLU", "Dropout"] and stack.current_layer_row() == 2
    qtbot.keyClick(stack, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert types(window)[:3] == ["Conv2d", "Dropout", "ReLU"] and stack.current_layer_row() == 1
    qtbot.keyClick(stack, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert types(window)[:3] == ["Conv2d", "ReLU", "Dropout"]
    qtbot.keyClick(stack, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert types(window)[2:4] == ["Dropout", "Dropout"] and stack.current_layer_row() == 3
    qtbot.keyClick(stack, Qt.Key.Key_Delete)
    assert stack.current_layer_row() == 3  # the selection moves to the next layer
    stack.select_row(2)
    qtbot.keyClick(stack, Qt.Key.Key_Delete)
    assert types(window) == types_of("mnist-classic")


def types_of(name: str) -> list[str]:
    return [layer.type for layer in templates.template(name).layers]


def test_undo_and_redo_restore_exact_specs_with_readable_names(window, qtbot):
    specs = [window.document.spec]
    window.builder.stack.select_row(0)
    window.builder.add_after_current("BatchNorm2d")
    specs.append(window.document.spec)
    window.builder.stack.select_row(0)
    conv = window.builder.inspector.editor("out_channels")
    conv.spin.setValue(12)
    conv.spin.setValue(14)  # merges with the previous edit: one undo step
    specs.append(window.document.spec)
    window.builder.stack.select_row(3)
    qtbot.keyClick(window.builder.stack, Qt.Key.Key_Delete)
    specs.append(window.document.spec)
    assert window.document.spec.layers[0].params["out_channels"] == 14
    assert window.undo_action.text() == "&Undo Delete MaxPool2d"
    for expected in reversed(specs[:-1]):
        window.undo_action.trigger()
        assert window.document.spec == expected
    assert window.redo_action.text() == "&Redo Add BatchNorm2d"
    assert not window.isWindowModified()
    for expected in specs[1:]:
        window.redo_action.trigger()
        assert window.document.spec == expected


def test_an_impossible_layer_turns_its_row_red_and_disables_training(window, qtbot):
    stack = window.builder.stack
    stack.select_row(3)  # the second Conv2d, on a 10×12×12 input
    kernel = window.builder.inspector.editor("kernel_size")
    kernel.height.setValue(13)
    assert stack.is_error_row(3) and not stack.is_error_row(2) and not stack.is_error_row(4)
    assert stack.item(3, 3).text() == "error" and stack.item(5, 3).text() == "?"
    assert not window.train_action.isEnabled()
    assert (
        "layer 4" in window.train_action.toolTip()
        and "Fix layer 4 Conv2d to train" in window.statusBar().currentMessage()
    )
    assert "does not fit" in stack.item(3, 1).toolTip()
    window.undo_action.trigger()
    assert not stack.is_error_row(3) and window.train_action.isEnabled()


def test_rows_show_the_cores_shapes_and_parameter_counts(window):
    window.new_from_template("vgg-mini")
    inference = infer(window.document.spec)
    stack = window.builder.stack
    assert stack.rowCount() == len(inference.layers)
    for info in inference.layers:
        assert stack.item(info.index - 1, 3).text() == shape_text(info.output)
        assert stack.item(info.index - 1, 4).text() == f"{info.params:,}"
    assert window.builder.summary.input_shape() == (3, 32, 32)


def test_changing_the_input_shape_is_undoable(window):
    window.builder.summary.input_changed.emit((1, 32, 32))
    assert window.builder.stack.item(0, 3).text() == "10×28×28"
    window.undo_action.trigger()
    assert window.builder.stack.item(0, 3).text() == "10×24×24"


def test_save_open_recent_files_and_title(window, tmp_path, monkeypatch):
    path = tmp_path / "net.json"
    window.builder.stack.select_row(0)
    window.builder.add_after_current("Tanh")
    assert window.isWindowModified()
    assert window._write(path)
    assert not window.isWindowModified() and window.windowTitle() == "net.json[*] — CNN Workbench"
    assert load(str(path)) == window.document.spec
    window.new_from_template("mlp")
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    assert window.open_path(path)
    assert types(window)[1] == "Tanh" and not window.document.undo_stack.canUndo()
    assert window.recent_files()[0] == path.resolve()
    assert [a.text() for a in window.recent_menu.actions()] == ["net.json"]


def test_opening_a_broken_file_says_why_and_keeps_the_model(window, tmp_path, monkeypatch):
    messages = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: messages.append(text))
    bad = tmp_path / "bad.json"
    bad.write_text(
        '{"format": "cnn-workbench.model", "version": 1, "input": [1,28,28], "layers": [{"type": "Conv3d"}]}'
    )
    before = window.document.spec
    assert not window.open_path(bad)
    assert messages == [
        "bad.json: layer 1: unknown layer type 'Conv3d'; known types: "
        + ", ".join(__import__("workbench.model.catalog", fromlist=["CATALOG"]).CATALOG)
    ]
    assert window.document.spec == before


def test_close_with_unsaved_changes_asks_and_cancel_keeps_the_window(window, monkeypatch):
    window.builder.add_after_current("ReLU")
    asked = []

    def cancel(*args, **kwargs):
        asked.append(args[2])
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QMessageBox, "question", cancel)
    assert not window.close()
    assert window.isVisible() and "unsaved changes" in asked[0]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    assert window.close()


def test_window_size_splitters_and_recent_files_persist(qtbot, tmp_path, monkeypatch):
    first = MainWindow()
    qtbot.addWidget(first)
    first.resize(760, 640)  # within the offscreen screen (800×800)
    first.builder.main_splitter.setSizes([150, 600, 300])
    sizes = first.builder.main_splitter.sizes()
    assert first._write(tmp_path / "kept.json")
    assert first.close()
    assert QSettings().value("recent_files")
    second = MainWindow()
    qtbot.addWidget(second)
    assert (second.width(), second.height()) == (760, 640)
    assert second.builder.main_splitter.sizes() == sizes
    assert second.recent_files()[0].name == "kept.json"


def test_opening_a_spec_puts_its_recommended_settings_in_the_train_tab(window, tmp_path):
    settings = window.dashboard.settings
    path = tmp_path / "fast.json"
    path.write_text(templates.template("mnist-fast").dumps(), encoding="utf-8")
    settings.batch_size.setValue(16)
    assert window.open_path(path)
    assert (settings.batch_size.value(), settings.lr.value(), settings.label_smoothing.value()) == (128, 0.01, 0.1)
    assert "recommended settings" in window.statusBar().currentMessage()
    odd = templates.template("mlp").with_recommended({"batch_size": 0})
    path.write_text(odd.dumps(), encoding="utf-8")
    window.document.undo_stack.setClean()
    assert window.open_path(path)  # the model opens; the settings it cannot use are said, the form kept
    assert window.document.spec == odd and settings.batch_size.value() == 128
    assert "recommended settings are not used" in window.statusBar().currentMessage()
