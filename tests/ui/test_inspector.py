"""The layer inspector: a form generated from the catalog, validated edits, in-place refreshes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel

from ui.builder.inspector import HINT, LayerInspector
from ui.builder.param_editors import ParamEditor
from workbench.model.catalog import CATALOG
from workbench.model.edits import new_layer
from workbench.model.shapes import infer
from workbench.model.spec import LayerSpec, ModelSpec
from workbench.model.templates import template

REQUIRED = {"out_channels": 8, "kernel_size": 3, "output_size": 1, "out_features": 10}
FLAT_INPUT_TYPES = {"Linear", "BatchNorm1d"}


@pytest.fixture
def inspector(qtbot):
    widget = LayerInspector()
    qtbot.addWidget(widget)
    widget.resize(320, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def edits(inspector):
    received: list[tuple[int, dict]] = []
    inspector.params_edited.connect(lambda row, params: received.append((row, params)))
    return received


def show_row(inspector: LayerInspector, spec: ModelSpec, row: int) -> None:
    """What the window's document does: infer, then hand the row's info or error to the inspector."""
    inference = infer(spec)
    info = inference.layers[row] if row < len(inference.layers) else None
    error = inference.error if inference.error and inference.error.index == row + 1 else None
    inspector.show_layer(row, spec.layers[row], info, error)


def show_single(inspector: LayerInspector, layer: LayerSpec, shape=(3, 28, 28)) -> None:
    show_row(inspector, ModelSpec(shape, (layer,)), 0)


def form_labels(inspector: LayerInspector) -> list[str]:
    form = inspector.form_layout
    return [form.itemAt(i, QFormLayout.ItemRole.LabelRole).widget().text() for i in range(form.rowCount())]


def in_form(inspector: LayerInspector, editor: ParamEditor) -> bool:
    return inspector.form_layout.parentWidget().isAncestorOf(editor)


def click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=button.rect().center())


def type_into(qtbot, line, text: str) -> None:
    line.selectAll()
    qtbot.keyClicks(line, text)
    qtbot.keyClick(line, Qt.Key.Key_Return)


def test_nothing_selected_shows_the_hint(inspector):
    assert inspector.objectName() == "layerInspector" and inspector.accessibleName() == "Layer inspector"
    hint = inspector.findChild(QLabel, "inspectorHint")
    assert hint.isVisible() and hint.text() == HINT
    assert inspector.form_layout is None


def test_conv2d_form_has_the_catalog_names_and_ranges(inspector):
    show_row(inspector, template("mnist-classic"), 0)
    conv = CATALOG["Conv2d"]
    assert form_labels(inspector) == list(conv.param_names)
    out_channels = inspector.editor("out_channels").spin
    assert (out_channels.minimum(), out_channels.maximum()) == (conv.param("out_channels").minimum, 4096)
    assert out_channels.maximum() == conv.param("out_channels").maximum
    kernel = inspector.editor("kernel_size")
    assert kernel.height.maximum() == kernel.width.maximum() == conv.param("kernel_size").maximum
    assert inspector.editor("padding_mode").combo.count() == len(conv.param("padding_mode").choices)
    label = inspector.form_layout.itemAt(0, QFormLayout.ItemRole.LabelRole).widget()
    assert conv.param("out_channels").help in label.toolTip() and "from 1 to 4096" in label.toolTip()


def test_header_shows_title_explain_derived_output_and_formula(inspector):
    spec = template("mnist-classic")
    show_row(inspector, spec, 3)
    info = infer(spec).layers[3]
    text = {name: inspector.findChild(QLabel, name).text() for name in ("inspectorTitle", "inspectorDerived")}
    assert text == {"inspectorTitle": "4. Conv2d", "inspectorDerived": "in_channels = 10 (from the previous layer)"}
    assert inspector.findChild(QLabel, "inspectorExplain").text() == CATALOG["Conv2d"].explain
    output = inspector.findChild(QLabel, "inspectorOutput").text()
    assert output == "Output: 20×8×8 · 5,020 parameters · 320,000 multiply-adds"
    assert inspector.findChild(QLabel, "inspectorFormula").text() == "\n".join(info.formula)


def test_first_conv_formula_has_the_numbers_filled_in(inspector):
    show_row(inspector, template("mnist-classic"), 0)
    formula = inspector.findChild(QLabel, "inspectorFormula")
    assert formula.isVisible()
    assert formula.text().splitlines()[0] == "H_out = ⌊(28 + 2·0 − 1·(5−1) − 1)/1⌋ + 1 = 24"
    assert inspector.findChild(QLabel, "inspectorOutput").text().startswith("Output: 10×24×24 · 260 parameters")
    assert not inspector.findChild(QLabel, "inspectorProblem").isVisible()


def test_a_layer_that_cannot_work_shows_cause_and_fix_instead_of_output(inspector):
    spec = ModelSpec((1, 28, 28), (LayerSpec("Conv2d", {"out_channels": 4, "kernel_size": 40}),))
    error = infer(spec).error
    assert error is not None
    show_row(inspector, spec, 0)
    problem = inspector.findChild(QLabel, "inspectorProblem")
    assert problem.isVisible() and "c62828" in problem.styleSheet()
    assert error.cause.rstrip(".") in problem.text() and error.fix.rstrip(".") in problem.text()
    assert not inspector.findChild(QLabel, "inspectorOutput").isVisible()
    assert not inspector.findChild(QLabel, "inspectorFormula").isVisible()


def test_spin_edit_emits_once_and_the_round_trip_keeps_the_form(inspector, edits):
    spec = template("mnist-classic")
    show_row(inspector, spec, 0)
    spin = inspector.editor("out_channels").spin
    spin.setValue(16)
    assert edits == [(0, {"out_channels": 16, "kernel_size": 5})]
    updated = spec.with_layers([LayerSpec("Conv2d", edits[0][1]), *spec.layers[1:]])
    editor = inspector.editor("out_channels")
    show_row(inspector, updated, 0)
    assert len(edits) == 1
    assert inspector.editor("out_channels") is editor and in_form(inspector, editor)
    assert inspector.findChild(QLabel, "inspectorOutput").text().startswith("Output: 16×24×24")
    # an outside change (undo) is shown in place, without an emission
    show_row(inspector, spec, 0)
    assert spin.value() == 10 and len(edits) == 1 and inspector.editor("out_channels") is editor
    kernel = inspector.editor("kernel_size")
    show_row(inspector, spec.with_layers([LayerSpec("Conv2d", {"out_channels": 10, "kernel_size": (3, 7)})]), 0)
    assert (kernel.height.value(), kernel.width.value(), kernel.link.isChecked()) == (3, 7, False)
    assert len(edits) == 1 and inspector.editor("kernel_size") is kernel
    # another row of the same type gets a fresh form
    show_row(inspector, spec, 3)
    assert inspector.editor("out_channels") is not editor and inspector.editor("out_channels").spin.value() == 20


def test_kernel_size_unlinked_is_a_pair_and_linked_an_int(qtbot, inspector, edits):
    show_row(inspector, template("mnist-classic"), 0)
    kernel = inspector.editor("kernel_size")
    assert kernel.link.isChecked() and kernel.height.value() == kernel.width.value() == 5
    click(qtbot, kernel.link)
    assert not kernel.link.isChecked() and edits == []
    kernel.height.setValue(3)
    kernel.width.setValue(7)
    assert edits == [(0, {"out_channels": 10, "kernel_size": (3, 5)}), (0, {"out_channels": 10, "kernel_size": (3, 7)})]
    click(qtbot, kernel.link)
    assert edits[-1] == (0, {"out_channels": 10, "kernel_size": 3}) and kernel.width.value() == 3
    kernel.width.setValue(4)
    assert edits[-1][1]["kernel_size"] == 4 and type(edits[-1][1]["kernel_size"]) is int
    assert kernel.height.value() == 4 and len(edits) == 4


def test_padding_same_and_back_to_number(inspector, edits):
    show_row(inspector, template("mnist-classic"), 0)
    padding = inspector.editor("padding")
    assert padding.mode.currentText() == "number" and padding.pair.isEnabled()
    padding.mode.setCurrentText("same")
    assert edits[-1] == (0, {"out_channels": 10, "kernel_size": 5, "padding": "same"})
    assert not padding.pair.isEnabled()
    padding.mode.setCurrentText("number")
    padding.pair.height.setValue(2)
    assert [params["padding"] for _, params in edits] == ["same", 0, 2]


def test_maxpool_stride_none_means_kernel_size(qtbot, inspector, edits):
    """Documented behaviour: stride None shows a checked "None (= kernel_size)" box and the disabled
    spin boxes show the kernel size; unchecking commits that size, checking again commits None."""
    show_row(inspector, template("mnist-classic"), 2)
    stride = inspector.editor("stride")
    assert stride.none_check.isChecked() and stride.none_check.text() == "None (= kernel_size)"
    assert not stride.inner.isEnabled() and stride.inner.height.value() == 2
    click(qtbot, stride.none_check)
    assert edits == [(2, {"kernel_size": 2, "stride": 2})] and stride.inner.isEnabled()
    click(qtbot, stride.none_check)
    assert edits[-1] == (2, {"kernel_size": 2, "stride": None})


def test_batchnorm_eps_takes_scientific_notation(qtbot, inspector, edits):
    show_single(inspector, LayerSpec("BatchNorm2d"))
    eps = inspector.editor("eps").line
    assert eps.text() == "1e-05"
    type_into(qtbot, eps, "1e-3")
    assert edits == [(0, {"eps": 0.001})]
    qtbot.keyClick(eps, Qt.Key.Key_Return)  # finishing again without a change is not an edit
    assert len(edits) == 1
    momentum = inspector.editor("momentum")
    click(qtbot, momentum.none_check)
    assert edits[-1] == (0, {"eps": 0.001, "momentum": None}) and not momentum.inner.isEnabled()


def test_out_of_range_float_is_marked_and_not_emitted(qtbot, inspector, edits):
    show_single(inspector, LayerSpec("Dropout"))
    editor = inspector.editor("p")
    type_into(qtbot, editor.line, "1.5")
    assert edits == []
    assert "out of range" in editor.invalid_message and editor.line.property("invalid") is True
    assert editor.line.toolTip() == editor.invalid_message
    type_into(qtbot, editor.line, "0.25")
    assert edits == [(0, {"p": 0.25})]
    assert editor.invalid_message == "" and editor.line.property("invalid") is False


def test_reset_removes_the_param(qtbot, inspector, edits):
    layer = LayerSpec("Conv2d", {"out_channels": 4, "kernel_size": 3, "padding": 1})
    show_single(inspector, layer)
    assert not inspector.reset_button("padding").isHidden()
    assert inspector.reset_button("stride").isHidden()
    assert inspector.reset_button("out_channels").isHidden()  # required: there is no default to go back to
    click(qtbot, inspector.reset_button("padding"))
    assert edits == [(0, {"out_channels": 4, "kernel_size": 3})]
    assert inspector.editor("padding").pair.height.value() == 0 and inspector.reset_button("padding").isHidden()


def test_every_catalog_layer_is_shown_with_one_editor_per_param(inspector):
    for name, layer_type in CATALOG.items():
        given = {p.name: REQUIRED[p.name] for p in layer_type.params if p.required}
        shape = (20,) if name in FLAT_INPUT_TYPES else (3, 28, 28)
        layer = new_layer(name) if layer_type.block else LayerSpec(name, given)  # a block with its starter layers
        spec = ModelSpec(shape, (layer,))
        assert infer(spec).ok, name
        show_row(inspector, spec, 0)
        assert form_labels(inspector) == list(layer_type.param_names), name
        for param in layer_type.params:
            editor = inspector.editor(param.name)
            assert isinstance(editor, ParamEditor) and editor.param is param and in_form(inspector, editor)
        assert inspector.findChild(QLabel, "inspectorTitle").text() == f"1. {name}"
    inspector.clear()
    assert inspector.form_layout is None and inspector.findChild(QLabel, "inspectorHint").isVisible()


def test_refresh_after_another_edit_keeps_text_being_typed(qtbot, inspector, edits):
    show_single(inspector, LayerSpec("BatchNorm2d"))
    eps = inspector.editor("eps").line
    eps.selectAll()
    qtbot.keyClicks(eps, "1e-")  # not finished yet: incomplete, so marked, nothing emitted
    assert edits == [] and "type a number" in inspector.editor("eps").invalid_message
    click(qtbot, inspector.editor("affine").check)
    assert edits == [(0, {"affine": False})]
    show_single(inspector, LayerSpec("BatchNorm2d", edits[0][1]))
    assert inspector.editor("eps").line is eps and eps.text() == "1e-"
    assert not inspector.editor("affine").check.isChecked() and not inspector.reset_button("affine").isHidden()
