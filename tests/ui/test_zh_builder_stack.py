"""The Build tab's palette, layer stack, forward strip, block panel and undo names in Simplified Chinese: a model
holding a Residual and a Concat block, opened; the context menus; refused edits; the failing row; and a switch of
language while the tab shows it."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMainWindow

from tests.ui.english import english, foreign_words, menu_texts, report, window_english
from tests.ui.test_builder_blocks import nested
from ui import i18n
from ui.builder.builder_view import BuilderView
from ui.builder.document import ModelDocument
from ui.builder.strip_layout import LANE_NAMES
from workbench.model.spec import MAX_BRANCHES

# Python values in the settings column (relu_after=True) are code, as the parameters' names are; the layers' help
# (the palette's tooltips) names functions and models as they are
KEPT = ("True", "False", "sigmoid", "Swish", "Transformer")


class Tab(QMainWindow):
    """The Build tab in a window of its own (the status bar says refused edits)."""

    def __init__(self) -> None:
        super().__init__()
        self.document = ModelDocument(nested())
        self.builder = BuilderView(self.document)
        self.setCentralWidget(self.builder)
        self.resize(1400, 900)


@pytest.fixture
def tab(qtbot):
    tab = Tab()
    qtbot.addWidget(tab)
    tab.show()
    return tab


def mine(tab: Tab) -> list:
    """English in the widgets of this area: the palette, the stack, the strip, the block panel."""
    view = tab.builder
    found = []
    for widget in (view.palette_list, view.stack, view.summary.forward_strip, view.inspector.block_panel):
        found += window_english(widget, KEPT)
    titles = (box.layout().itemAt(0).widget() for box in (view.main_splitter.widget(0), view.centre_splitter.widget(0)))
    return found + english([("title", label.text()) for label in titles], KEPT)


def strip_english(strip) -> list:
    """The strip's drawn words, tooltips and description (its chips shorten PyTorch's names: MaxPool, BN2d)."""
    texts = [("strip", text) for item in strip.items for text in (item.label, item.type, item.tooltip)]
    return english([*texts, ("strip", strip.accessibleDescription())], (*KEPT, *LANE_NAMES.values()))


def select(tab: Tab, path) -> int:
    stack = tab.builder.stack
    row = stack.row_of(path)
    stack.select_row(row)
    return row


def test_the_build_tab_with_blocks_in_chinese(tab):
    i18n.install(i18n.CHINESE)
    stack, strip = tab.builder.stack, tab.builder.summary.forward_strip
    select(tab, (2,))  # the Concat: its branches in the block panel
    assert not mine(tab), report(mine(tab))
    assert not strip_english(strip), report(strip_english(strip))
    assert stack.horizontalHeaderItem(1).text() == "层" and "分支 1" in [stack.item(r, 1).text() for r in range(9)]
    assert tab.builder.inspector.block_panel.branch_labels[2].text().startswith("分支 3：空")
    for row in (stack.row_of((2,)), stack.row_of((1, 0, 0)), stack.row_of((2,)) + 1, -1):
        texts = [("menu", text) for text in menu_texts(stack.build_context_menu(row))]
        assert not english(texts, KEPT), report(english(texts, KEPT))
    palette = tab.builder.palette_list
    menu = [("menu", text) for text in menu_texts(palette.context_menu("Conv2d"))]
    assert menu == [("menu", "添加 Conv2d"), ("menu", "关于 Conv2d")]
    assert palette.topLevelItem(0).text(0) != "Convolution"
    # undo names, a refused edit, the failing layer
    tab.document.add_layer((0,), "ReLU")
    tab.document.move_layer((0,), (1,))
    assert tab.document.undo_stack.undoText() == "下移 ReLU"
    for _ in range(MAX_BRANCHES - 3):
        tab.document.add_branch((3,))
    stack.branch_add_requested.emit((3,))
    assert tab.statusBar().currentMessage() == f"无法执行：拼接块最多有 {MAX_BRANCHES} 个分支"
    tab.document.set_params((2, 0, 0), {"out_channels": 32, "kernel_size": 40})
    failing = stack.row_of((2, 0, 0))
    assert stack.is_error_row(failing) and stack.item(failing, 3).text() == "错误"
    tips = [("tip", stack.item(row, 1).toolTip()) for row in range(stack.rowCount())]
    assert not english(tips, KEPT) and "Conv2d" in stack.item(failing, 1).toolTip()
    assert not strip_english(strip), report(strip_english(strip))


def test_switching_the_language_while_the_tab_shows_blocks(tab):
    stack, document = tab.builder.stack, tab.document
    document.add_layer((0,), "ReLU")
    select(tab, (2,))  # the Residual (after the ReLU added): its skip path
    assert stack.horizontalHeaderItem(1).text() == "Layer" and document.undo_stack.undoText() == "Add ReLU"
    i18n.choose(i18n.CHINESE)
    assert not mine(tab), report(mine(tab))
    assert tab.builder.inspector.block_panel.projection.text().startswith("跳跃路径")
    assert document.undo_stack.undoText() == "添加 ReLU"
    assert not strip_english(tab.builder.summary.forward_strip)
    i18n.choose(i18n.ENGLISH)
    assert stack.horizontalHeaderItem(1).text() == "Layer" and document.undo_stack.undoText() == "Add ReLU"
    assert "branch 1" in [stack.item(row, 1).text() for row in range(stack.rowCount())]
    assert tab.builder.summary.forward_strip.items[0].type == "Input"
    assert foreign_words(tab.builder.palette_list.topLevelItem(0).text(0)) == ["Convolution"]
