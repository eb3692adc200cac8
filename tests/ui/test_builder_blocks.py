"""Blocks in the Build tab: nested rows, drops into and out of blocks, keys on inner rows, undo and redo, the
inspector's projection and branches, the strip's arcs and lanes, the failing inner row."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QPoint, Qt

from tests.ui.test_builder import drop_at
from ui.builder import stack_rows
from ui.builder.layer_stack import ROW_MIME
from ui.builder.palette import LAYER_MIME
from ui.builder.stack_rows import ABOVE, BELOW, INTO, Row
from ui.files import restore_text
from workbench.files.recovery import Orphan, Recovered
from workbench.model import templates, tree
from workbench.model.catalog import CATALOG
from workbench.model.shapes import infer
from workbench.model.spec import loads
from workbench.model.vary import param_domain

CHANNELS = param_domain(CATALOG["Conv2d"].param("out_channels"), {"choice": [8, 16]})

NESTED = {
    "format": "cnn-workbench.model",
    "version": 1,
    "input": [1, 28, 28],
    "layers": [
        {"type": "Conv2d", "out_channels": 16, "kernel_size": 3, "padding": 1},
        {"type": "Residual", "relu_after": True, "layers": [
            {"type": "Conv2d", "out_channels": 32, "kernel_size": 3, "padding": 1, "stride": 2},
            {"type": "ReLU"},
            {"type": "Conv2d", "out_channels": 32, "kernel_size": 3, "padding": 1},
        ]},
        {"type": "Concat", "branches": [
            [{"type": "Conv2d", "out_channels": 8, "kernel_size": 1}],
            [{"type": "MaxPool2d", "kernel_size": 3, "stride": 1, "padding": 1}],
            [],
        ]},
        {"type": "AdaptiveAvgPool2d", "output_size": 1},
        {"type": "Flatten"},
        {"type": "Linear", "out_features": 10},
    ],
}  # fmt: skip


def nested(**changes):
    doc = json.loads(json.dumps(NESTED))
    for key, value in changes.items():
        doc[key] = value
    return loads(json.dumps(doc))


def drop(stack, mime_type: str, payload: str, row: int, where: float) -> None:
    """A real drag-enter, drag-move and drop on the stack's viewport at a fraction `where` of the row's height
    (0.1: its top, 0.5: its middle, 0.9: its bottom)."""
    rect = stack.visualRect(stack.model().index(row, 0))
    drop_at(stack, mime_type, payload, QPoint(rect.center().x(), rect.top() + int(rect.height() * where)))


def walk_types(spec) -> list[tuple[tuple[int, ...], str]]:
    return [(path, layer.type) for path, layer in tree.walk(spec)]


def undo_redo(window, before, after) -> None:
    """Undo gives `before` back, redo `after`, each selecting a layer that exists."""
    window.undo_action.trigger()
    assert window.document.spec == before
    window.redo_action.trigger()
    assert window.document.spec == after


@pytest.fixture
def nested_window(window):
    window.document.load(nested(), None)
    return window


# ----- the rows as data -------------------------------------------------------------------------------


def test_rows_are_the_walk_with_branch_headers_and_closed_blocks_hide_their_layers():
    spec = nested()
    rows = stack_rows.rows_of(spec)
    layer_rows = [row.path for row in rows if not row.is_header]
    assert layer_rows == [path for path, _ in tree.walk(spec)]
    headers = [(row.path, row.branch, row.depth) for row in rows if row.is_header]
    assert headers == [((2,), 0, 1), ((2,), 1, 1), ((2,), 2, 1)]
    assert [row.depth for row in rows if row.path == (2, 1, 0)] == [2]
    closed = stack_rows.rows_of(spec, closed=[(1,), (2,)])
    assert [row.path for row in closed] == [(i,) for i in range(6)]
    plain = templates.template("mnist-classic")
    assert stack_rows.rows_of(plain) == [Row((i,), 0) for i in range(len(plain.layers))]


def test_drop_paths_final_paths_and_keyboard_steps():
    spec = nested()
    rows = stack_rows.rows_of(spec)
    index = {(row.path, row.branch): i for i, row in enumerate(rows)}
    block, header = index[((1,), None)], index[((2,), 2)]
    assert stack_rows.drop_path(spec, rows, block, INTO) == (1, 0, 3)  # onto a block: its end
    assert stack_rows.drop_path(spec, rows, block, BELOW) == (1, 0, 0)  # below an open block: its start
    assert stack_rows.drop_path(spec, rows, block, BELOW, closed=[(1,)]) == (2,)
    assert stack_rows.drop_path(spec, rows, block, ABOVE) == (1,)
    assert stack_rows.drop_path(spec, rows, header, ABOVE) == (2, 2, 0)  # an empty branch takes the drop
    assert stack_rows.drop_path(spec, rows, len(rows), ABOVE) == (6,)
    for source, insertion in [((0,), (1, 0, 1)), ((1, 0, 2), (4,)), ((3,), (1,)), ((1, 0, 0), (1, 0, 3))]:
        final = stack_rows.final_path(source, insertion)
        assert stack_rows.insertion_path(source, final) == insertion or source[:-1] == final[:-1]
    assert stack_rows.final_path((0,), (1, 0, 1)) == (0, 0, 1)  # the block moved up by one
    assert stack_rows.step_up((1, 0, 0)) == (1,) and stack_rows.step_up((0,)) is None
    assert stack_rows.step_down(spec, (1, 0, 2)) == (2,) and stack_rows.step_down(spec, (5,)) is None


# ----- building by drags and keys -----------------------------------------------------------------------


def test_a_nested_model_built_by_drags_with_undo_and_redo(window):
    stack, doc = window.builder.stack, window.document
    specs = [doc.spec]
    drop(stack, LAYER_MIME, "Residual", row=0, where=0.9)  # palette → after the first Conv2d
    assert [layer.type for layer in doc.spec.layers][:3] == ["Conv2d", "Residual", "ReLU"]
    assert stack.current_path() == (1,) and stack.row_at(2) == Row((1, 0, 0), 1)
    specs.append(doc.spec)
    assert window.undo_action.text() == "&Undo Add Residual"
    undo_redo(window, specs[-2], specs[-1])
    # drag the model's second Conv2d (row of path (4,)) onto the block: into it, at its end
    block = stack.row_of((1,))
    drop(stack, ROW_MIME, "4", row=block, where=0.5)
    assert [t for p, t in walk_types(doc.spec) if p[:1] == (1,)] == ["Residual", "Conv2d", "ReLU", "Conv2d", "Conv2d"]
    assert doc.spec.layers[1].layers[3].params["out_channels"] == 20 and stack.current_path() == (1, 0, 3)
    specs.append(doc.spec)
    undo_redo(window, specs[-2], specs[-1])
    # drag it out again: above the model's last layer
    last = stack.row_of((len(doc.spec.layers) - 1,))
    drop(stack, ROW_MIME, "1.0.3", row=last, where=0.1)
    assert len(doc.spec.layers[1].layers) == 3 and doc.spec.layers[-2].params.get("out_channels") == 20
    specs.append(doc.spec)
    undo_redo(window, specs[-2], specs[-1])
    # move the whole block: to the model's end (the lower half of the last row)
    drop(stack, ROW_MIME, "1", row=stack.rowCount() - 1, where=0.9)
    assert doc.spec.layers[-1].type == "Residual" and stack.current_path() == (len(doc.spec.layers) - 1,)
    specs.append(doc.spec)
    undo_redo(window, specs[-2], specs[-1])
    for expected in reversed(specs[:-1]):
        window.undo_action.trigger()
        assert doc.spec == expected
    assert not window.isWindowModified()


def test_a_block_cannot_be_dropped_into_itself(nested_window):
    stack, doc = nested_window.builder.stack, nested_window.document
    before = doc.spec
    drop(stack, ROW_MIME, "1", row=stack.row_of((1, 0, 1)), where=0.1)
    assert doc.spec == before and not doc.undo_stack.canUndo()


def test_keys_on_an_inner_row_duplicate_move_out_and_delete_with_undo(nested_window, qtbot):
    window = nested_window
    stack, doc = window.builder.stack, window.document
    stack.select_path((1, 0, 1))  # the ReLU inside the Residual
    steps = [doc.spec]
    qtbot.keyClick(stack, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert [layer.type for layer in doc.spec.layers[1].layers] == ["Conv2d", "ReLU", "ReLU", "Conv2d"]
    assert stack.current_path() == (1, 0, 2)
    steps.append(doc.spec)
    stack.select_path((1, 0, 1))
    qtbot.keyClick(stack, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert stack.current_path() == (1, 0, 0) and doc.spec.layers[1].layers[0].type == "ReLU"
    qtbot.keyClick(stack, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)  # out of the block, before it
    assert [layer.type for layer in doc.spec.layers[:3]] == ["Conv2d", "ReLU", "Residual"]
    assert stack.current_path() == (1,) and window.undo_action.text() == "&Undo Move ReLU out of its block"
    steps.append(doc.spec)
    window.undo_action.trigger()
    assert stack.current_path() == (1, 0, 0)  # undo selects the layer where it was
    window.redo_action.trigger()
    stack.select_path((2, 0, 2))  # the last layer of the Residual (now at 2)
    qtbot.keyClick(stack, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)  # out of the block, after it
    assert doc.spec.layers[3].type == "Conv2d" and len(doc.spec.layers[2].layers) == 2
    qtbot.keyClick(stack, Qt.Key.Key_Delete)
    assert doc.spec.layers[3].type == "Concat" and stack.current_path() == (3,)
    after = doc.spec
    window.undo_action.trigger()
    assert doc.spec.layers[3].type == "Conv2d" and stack.current_path() == (3,)
    window.redo_action.trigger()
    assert doc.spec == after


def test_palette_enter_adds_after_an_inner_row_and_into_a_selected_branch(nested_window, qtbot):
    window = nested_window
    stack, palette, doc = window.builder.stack, window.builder.palette_list, window.document
    stack.select_path((1, 0, 0))
    palette.setCurrentItem(palette.item_for("BatchNorm2d"))
    qtbot.keyClick(palette, Qt.Key.Key_Return)
    assert doc.spec.layers[1].layers[1].type == "BatchNorm2d" and stack.current_path() == (1, 0, 1)
    header = next(i for i in range(stack.rowCount()) if stack.row_at(i) == Row((2,), 1, 2))
    stack.select_row(header)  # the empty branch 3
    palette.setCurrentItem(palette.item_for("ReLU"))
    qtbot.keyClick(palette, Qt.Key.Key_Return)
    assert [layer.type for layer in doc.spec.layers[2].branches[2]] == ["ReLU"]
    assert stack.current_path() == (2, 2, 0)


def test_closing_a_block_hides_its_rows_and_arrow_keys_open_it(nested_window, qtbot):
    stack = nested_window.builder.stack
    rows = stack.rowCount()
    stack.select_path((1,))
    qtbot.keyClick(stack, Qt.Key.Key_Left)
    assert stack.rowCount() == rows - 3 and not stack.is_open((1,)) and stack.current_path() == (1,)
    assert stack.item(stack.row_of((1,)), 1).data(Qt.ItemDataRole.UserRole + 3) is False  # drawn ▸
    qtbot.keyClick(stack, Qt.Key.Key_Right)
    assert stack.rowCount() == rows
    stack.set_open((1,), False)
    stack.select_path((1, 0, 2))  # selecting a hidden layer opens its block
    assert stack.is_open((1,)) and stack.current_path() == (1, 0, 2)


# ----- branches, the inspector ---------------------------------------------------------------------------


def test_concat_branches_are_added_and_removed_from_the_inspector_and_the_stack(nested_window, qtbot):
    window = nested_window
    stack, doc, inspector = window.builder.stack, window.document, window.builder.inspector
    stack.select_path((2,))
    panel = inspector.block_panel
    assert [label.text() for label in panel.branch_labels] == [
        "Branch 1: 1 layer → 8×14×14, 264 parameters",
        "Branch 2: 1 layer → 32×14×14, 0 parameters",
        "Branch 3: empty (passes the input through) → 32×14×14, 0 parameters",
    ]
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    assert len(doc.spec.layers[2].branches) == 4 and stack.current_path() == (2,)
    assert window.undo_action.text() == "&Undo Add branch"
    qtbot.mouseClick(inspector.block_panel.remove_buttons[0], Qt.MouseButton.LeftButton)
    assert [len(branch) for branch in doc.spec.layers[2].branches] == [1, 0, 0]
    window.undo_action.trigger()
    assert [len(branch) for branch in doc.spec.layers[2].branches] == [1, 1, 0, 0]
    header = next(i for i in range(stack.rowCount()) if stack.row_at(i) == Row((2,), 1, 1))
    stack.select_row(header)
    qtbot.keyClick(stack, Qt.Key.Key_Delete)  # Del on a branch header removes the branch
    assert [len(branch) for branch in doc.spec.layers[2].branches] == [1, 0, 0]


def test_inspector_shows_the_projection_and_edits_inner_layers_and_block_parameters(nested_window, qtbot):
    window = nested_window
    stack, doc, inspector = window.builder.stack, window.document, window.builder.inspector
    stack.select_path((1,))
    projection = infer(doc.spec).at((1,)).projection
    assert projection is not None and projection.params == 16 * 32 + 32
    assert inspector.block_panel.projection.text() == f"Skip path: projection {projection.text}"
    assert "544 parameters" in inspector.block_panel.projection.text()
    assert stack.item(stack.row_of((1,)), 2).text() == "relu_after=True · 3 layers · projection 16→32"
    inspector.editor("relu_after").check.setChecked(False)
    assert doc.spec.layers[1].params["relu_after"] is False and len(doc.spec.layers[1].layers) == 3
    window.undo_action.trigger()
    assert doc.spec.layers[1].params["relu_after"] is True
    stack.select_path((1, 0, 2))
    assert inspector.findChild(type(inspector.block_panel.projection), "inspectorTitle").text() == "2.3. Conv2d"
    inspector.editor("out_channels").spin.setValue(16)
    assert doc.spec.layers[1].layers[2].params["out_channels"] == 16
    inspector.vary_edited.emit((1, 0, 2), "out_channels", CHANNELS)
    assert doc.spec.layers[1].layers[2].vary["out_channels"] == CHANNELS
    window.undo_action.trigger()
    window.undo_action.trigger()
    assert doc.spec == nested()


# ----- the strip and errors ------------------------------------------------------------------------------


def test_the_strip_draws_a_skip_arc_and_the_branches(nested_window):
    strip = nested_window.builder.summary.forward_strip
    spec = nested_window.document.spec
    assert {item.path for item in strip.items[1:]} == {path for path, _ in tree.walk(spec)}
    (arc,) = strip.arcs
    inner = [item for item in strip.items if item.path and item.path[:1] == (1,) and len(item.path) > 1]
    assert arc.path == (1,) and arc.projection and arc.start < min(item.rect.left() for item in inner)
    node = next(item for item in strip.items if item.path == (1,))
    assert node.kind == "join" and arc.end == node.face.center().x() and node.label == "32×14×14"
    (fork,) = strip.forks
    assert fork.path == (2,) and len(fork.lanes) == 3 and fork.lanes[0] < fork.lanes[1] < fork.lanes[2]
    for branch in (0, 1):
        chip = next(item for item in strip.items if item.path == (2, branch, 0))
        assert chip.kind == "chip" and chip.face.center().y() == pytest.approx(fork.lanes[branch])
        assert fork.start < chip.rect.left() and chip.rect.right() < fork.end


def test_an_error_inside_a_block_marks_the_inner_row_and_its_block(window):
    doc = json.loads(json.dumps(NESTED))
    doc["layers"][1]["layers"][2]["kernel_size"] = 40  # larger than the 14×14 it gets
    window.document.load(loads(json.dumps(doc)), None)
    stack = window.builder.stack
    failing, block = stack.row_of((1, 0, 2)), stack.row_of((1,))
    assert stack.is_error_row(failing) and not stack.is_error_row(block)
    assert stack.item(block, 3).text() == "error" and stack.item(stack.row_of((3,)), 3).text() == "?"
    assert "layer 2 Residual › layer 3 Conv2d" in stack.item(failing, 1).toolTip()
    assert window.statusBar().currentMessage().startswith("Fix layer 2 Residual › layer 3 Conv2d to train: kernel 40")
    states = {item.path: item.state for item in window.builder.summary.forward_strip.items}
    assert states[(1, 0, 2)] == "error" and states[(1,)] == "error" and states[(3,)] == "after"
    stack.select_path((1,))
    assert (
        "A layer inside cannot work: layer 2 Residual › layer 3 Conv2d"
        in window.builder.inspector.findChild(
            type(window.builder.inspector.block_panel.projection), "inspectorProblem"
        ).text()
    )
    stack.set_open((1,), False)
    assert stack.is_error_row(stack.row_of((1,)))  # a closed block shows the failure on its own row


def test_the_restore_question_counts_every_layer_of_a_nested_model():
    orphan = Orphan(recovery=None, recovered=Recovered(nested(), None), saved_at=None, checkpoint_at=None)
    assert "Model: untitled, 11 layers" in restore_text(orphan)  # 6 of the model's own, 5 inside its blocks
