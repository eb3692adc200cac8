"""Vary…: marks on layer parameters (the inspector) and training settings (the Train tab's form), made through the
dialog, kept in the document's spec (undoable, saved, opened again) and shown in the stack and beside the editors."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QMessageBox

from tests.ui.test_inspector import click, show_single, type_into
from ui import theme
from ui.builder.inspector import LayerInspector
from ui.builder.layer_stack import MARKS_ROLE, SETTINGS_COLUMN
from ui.builder.vary_dialog import VaryDialog
from workbench.files.model_file import SavedModel, load_model, save_model
from workbench.model.build import build_model
from workbench.model.spec import LayerSpec, load
from workbench.model.vary import Domain

CHANNELS = Domain("choice", (5, 10, 20))  # around the starter's first Conv2d, out_channels=10


@pytest.fixture
def inspector(qtbot):
    """The inspector on its own: no document answers its edits."""
    widget = LayerInspector()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def open_dialog(qtbot, window, button) -> VaryDialog:
    """Click a Vary… button and return the dialog it opens (earlier ones may still await deletion)."""
    click(qtbot, button)
    qtbot.waitUntil(lambda: any(d.isVisible() for d in window.findChildren(VaryDialog)), timeout=2000)
    return next(d for d in window.findChildren(VaryDialog) if d.isVisible())


def settings_cell(window, row: int) -> str:
    """The Settings cell as a screen reader says it: the settings, then the badge of what experiments vary."""
    item = window.builder.stack.item(row, SETTINGS_COLUMN)
    assert (item.data(MARKS_ROLE) or "") in item.toolTip()
    return item.data(Qt.ItemDataRole.AccessibleTextRole) or item.text()


def badge_drawn(stack, row: int) -> bool:
    """Whether the stack draws the badge's colour near the right end of the row's Settings cell."""
    rect = stack.visualRect(stack.model().index(row, SETTINGS_COLUMN))
    image = stack.viewport().grab().toImage()
    return image.pixelColor(rect.right() - 6, rect.center().y()) == QColor(theme.current().note_background)


def mark_channels(qtbot, window) -> VaryDialog:
    window.builder.stack.select_row(0)
    dialog = open_dialog(qtbot, window, window.builder.inspector.vary_button("out_channels"))
    click(qtbot, dialog.ok_button)
    return dialog


def test_marking_a_parameter_puts_it_in_the_spec_stack_and_inspector_and_undo_takes_it_back(qtbot, window):
    inspector, stack = window.builder.inspector, window.builder.stack
    stack.select_row(0)
    assert not inspector.badge("out_channels").isVisible() and "varies" not in settings_cell(window, 0)
    dialog = open_dialog(qtbot, window, inspector.vary_button("out_channels"))
    assert dialog.values_mode.isChecked() and dialog.values.text() == "5, 10, 20"  # around the value now
    assert not dialog.remove_button.isVisible()  # nothing to remove yet
    click(qtbot, dialog.ok_button)
    assert window.document.spec.layers[0].vary == {"out_channels": CHANNELS}
    assert settings_cell(window, 0) == "out_channels=10, kernel_size=5 · varies out_channels: 5, 10, 20"
    assert stack.item(0, SETTINGS_COLUMN).data(MARKS_ROLE) == "varies out_channels: 5, 10, 20"
    assert badge_drawn(stack, 0) and not badge_drawn(stack, 3)
    badge = inspector.badge("out_channels")
    assert badge.isVisible() and badge.text() == "varies: 5, 10, 20" and "Experiments try" in badge.toolTip()
    assert window.undo_action.text() == "&Undo Vary out_channels"
    window.undo_action.trigger()
    assert not window.document.spec.marked and "varies" not in settings_cell(window, 0)
    assert not inspector.badge("out_channels").isVisible()
    window.redo_action.trigger()
    assert window.document.spec.layers[0].vary == {"out_channels": CHANNELS}
    assert inspector.badge("out_channels").isVisible() and "varies" in settings_cell(window, 0)


def test_dont_vary_removes_the_mark_as_one_undo_step(qtbot, window):
    mark_channels(qtbot, window)
    dialog = open_dialog(qtbot, window, window.builder.inspector.vary_button("out_channels"))
    assert dialog.remove_button.isVisible() and dialog.values.text() == "5, 10, 20"  # the mark, shown again
    click(qtbot, dialog.remove_button)
    assert not window.document.spec.marked
    assert window.undo_action.text() == "&Undo Stop varying out_channels"
    window.undo_action.trigger()
    assert window.document.spec.layers[0].vary == {"out_channels": CHANNELS}


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("8, x", "out_channels: 'x' is not a whole number"),
        ("8, 2.5", "out_channels: '2.5' is not a whole number"),
        ("0, 8", "out_channels = 0 cannot be used"),
        ("8, 8", "the choices repeat a value"),
        (" , ", "type the values to try"),
    ],
)
def test_invalid_values_keep_ok_disabled_and_say_why_in_one_line(qtbot, window, text, reason):
    window.builder.stack.select_row(0)
    dialog = open_dialog(qtbot, window, window.builder.inspector.vary_button("out_channels"))
    dialog.values.setText(text)
    assert not dialog.ok_button.isEnabled() and dialog.domain() is None
    assert reason in dialog.problem() and "\n" not in dialog.problem()
    assert dialog.problem_label.isVisible() and dialog.problem_label.text() == dialog.problem()
    click(qtbot, dialog.ok_button)  # disabled: nothing happens
    assert dialog.isVisible() and not window.document.spec.marked
    dialog.values.setText("8, 16")
    assert dialog.ok_button.isEnabled() and not dialog.problem_label.isVisible()
    assert dialog.preview.text() == "Experiments try: 8, 16"


def test_a_whole_number_offers_only_an_integer_range_and_refuses_an_inverted_one(qtbot, window):
    window.builder.stack.select_row(0)
    dialog = open_dialog(qtbot, window, window.builder.inspector.vary_button("out_channels"))
    click(qtbot, dialog.range_mode)
    kinds = [dialog.range_kind.itemData(i) for i in range(dialog.range_kind.count())]
    assert kinds == ["int"] and (dialog.low.text(), dialog.high.text()) == ("5", "20")
    assert not dialog.values.isEnabled() and dialog.low.isEnabled()
    type_into(qtbot, dialog.low, "40")
    assert not dialog.ok_button.isEnabled() and "empty or inverted" in dialog.problem()
    type_into(qtbot, dialog.low, "8")
    click(qtbot, dialog.ok_button)
    assert window.document.spec.layers[0].vary["out_channels"] == Domain("int", (), 8, 20)
    assert "varies out_channels: 8 to 20 (integers)" in settings_cell(window, 0)


def test_marks_survive_editing_resetting_and_moving_the_layer(qtbot, window):
    mark_channels(qtbot, window)
    inspector, document = window.builder.inspector, window.document
    inspector.editor("out_channels").spin.setValue(12)
    assert document.spec.layers[0].params["out_channels"] == 12
    assert document.spec.layers[0].vary == {"out_channels": CHANNELS} and inspector.badge("out_channels").isVisible()
    click(qtbot, inspector.reset_button("kernel_size"))
    assert "kernel_size" not in document.spec.layers[0].params and document.spec.layers[0].vary
    qtbot.keyClick(window.builder.stack, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert document.spec.layers[1].type == "Conv2d" and document.spec.layers[1].vary == {"out_channels": CHANNELS}
    assert not document.spec.layers[0].vary and "varies out_channels" in settings_cell(window, 1)
    for _ in range(3):
        window.undo_action.trigger()
    assert document.spec.layers[0].params["out_channels"] == 10 and document.spec.layers[0].vary
    window.undo_action.trigger()
    assert not document.spec.marked


def test_the_dialog_offers_what_each_kind_of_parameter_takes(qtbot, inspector):
    show_single(inspector, LayerSpec("Dropout", {"p": 0.2}))
    dialog = open_dialog(qtbot, inspector, inspector.vary_button("p"))
    kinds = [dialog.range_kind.itemData(i) for i in range(dialog.range_kind.count())]
    assert dialog.range_mode.isChecked() and kinds == ["uniform", "log", "int"]
    assert dialog.domain() == Domain("uniform", (), 0.1, 0.4)  # not log 0.02 to 2: p=2 is not a probability
    dialog.reject()
    show_single(inspector, LayerSpec("Conv2d", {"out_channels": 8, "kernel_size": 3, "bias": False}))
    dialog = open_dialog(qtbot, inspector, inspector.vary_button("bias"))
    assert set(dialog.picks) == {True, False} and not dialog.range_mode.isVisible()
    dialog.picks[True].setChecked(False)
    dialog.picks[False].setChecked(False)
    assert not dialog.ok_button.isEnabled() and dialog.problem() == "bias: tick at least one value to try"
    dialog.picks[False].setChecked(True)
    assert dialog.domain() == Domain("choice", (False,))
    dialog.reject()
    dialog = open_dialog(qtbot, inspector, inspector.vary_button("padding"))
    dialog.values.setText("0, 1, same")
    assert dialog.domain() == Domain("choice", (0, 1, "same"))
    dialog.values.setText("0, full")
    assert "padding: 'full' is not a whole number, same or valid" in dialog.problem()


def test_the_inspector_emits_the_chosen_mark_with_its_row(qtbot, inspector):
    received = []
    inspector.vary_edited.connect(lambda *args: received.append(args))
    show_single(inspector, LayerSpec("Linear", {"out_features": 64}), shape=(32,))
    assert inspector.vary_button("out_features").objectName() == "vary_out_features"
    dialog = open_dialog(qtbot, inspector, inspector.vary_button("out_features"))
    click(qtbot, dialog.ok_button)
    assert received == [(0, "out_features", Domain("choice", (32, 64, 128)))]


def test_setting_marks_from_the_training_form_land_in_the_spec(qtbot, window):
    form = window.dashboard.settings
    window.tabs.setCurrentWidget(window.dashboard)
    assert form.vary_button("lr").isVisible() and not form.badge("lr").isVisible()
    dialog = open_dialog(qtbot, window, form.vary_button("lr"))
    assert dialog.range_kind.currentData() == "log" and (dialog.low.text(), dialog.high.text()) == ("0.0002", "0.02")
    click(qtbot, dialog.ok_button)
    assert window.document.spec.vary == {"lr": Domain("log", (), 0.0002, 0.02)}
    assert form.badge("lr").isVisible() and form.badge("lr").text() == "varies: 0.0002 to 0.02 (log-uniform)"
    dialog = open_dialog(qtbot, window, form.vary_button("optimizer"))
    assert list(dialog.picks) == list(form.optimizer.itemText(i) for i in range(form.optimizer.count()))
    for value, box in dialog.picks.items():
        box.setChecked(value in ("sgd", "adam"))
    click(qtbot, dialog.ok_button)
    assert window.document.spec.vary["optimizer"] == Domain("choice", ("sgd", "adam"))
    window.undo_action.trigger()
    assert "optimizer" not in window.document.spec.vary and not form.badge("optimizer").isVisible()
    assert window.undo_action.text() == "&Undo Vary lr"


def test_setting_values_are_checked_as_the_training_settings_are(qtbot, window):
    form = window.dashboard.settings
    window.tabs.setCurrentWidget(window.dashboard)
    dialog = open_dialog(qtbot, window, form.vary_button("label_smoothing"))
    click(qtbot, dialog.values_mode)
    dialog.values.setText("0.1, 1.5")
    assert not dialog.ok_button.isEnabled() and "label_smoothing = 1.5 cannot be used" in dialog.problem()
    dialog.reject()
    dialog = open_dialog(qtbot, window, form.vary_button("batch_size"))
    assert dialog.values.text() == "32, 64, 128"
    dialog.values.setText("32, 48.5")
    assert "not a whole number" in dialog.problem()
    dialog.values.setText("32, 96")
    click(qtbot, dialog.ok_button)
    assert window.document.spec.vary == {"batch_size": Domain("choice", (32, 96))}


def test_save_and_open_keep_the_marks_of_a_spec_and_of_a_model_file(qtbot, window, tmp_path, monkeypatch):
    mark_channels(qtbot, window)
    window.document.set_setting_vary("lr", Domain("log", (), 1e-4, 1e-2))
    marked = window.document.spec
    path = tmp_path / "marked.json"
    assert window._write(path) and load(str(path)) == marked
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    window.new_from_template("mlp")
    assert not window.document.spec.marked
    assert window.open_path(path) and window.document.spec == marked
    assert "varies out_channels" in settings_cell(window, 0) and window.dashboard.settings.badge("lr").text()
    state = {key: tensor.detach() for key, tensor in build_model(marked).state_dict().items()}
    trained = tmp_path / "marked.cnnwb"
    save_model(trained, SavedModel(marked, state, tuple("0123456789"), (0.1,), (0.3,), {"seed": 0, "epochs": 1}))
    assert load_model(trained).spec == marked
    window.new_from_template("mlp")
    assert window.open_path(trained) and window.document.spec == marked


def test_an_edit_keeps_the_badge_before_the_document_answers(inspector):
    edits = []
    inspector.params_edited.connect(lambda row, params: edits.append(params))
    show_single(inspector, LayerSpec("Linear", {"out_features": 64}, {"out_features": CHANNELS}), shape=(32,))
    inspector.editor("out_features").spin.setValue(65)  # nobody answers with show_layer: the local copy counts
    assert edits == [{"out_features": 65}]
    assert inspector.badge("out_features").isVisible() and inspector.badge("out_features").text() == "varies: 5, 10, 20"
