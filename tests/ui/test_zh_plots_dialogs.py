"""What the window shows in Simplified Chinese but is not its own: pyqtgraph's plot context menu (the view box's
menu, its axis controls, Plot Options, Export…) and export dialog (`resources/i18n/pyqtgraph_zh_CN.ts`), built in
Chinese or switched to it at runtime, and Qt's file dialogs and message boxes (Qt's own `qtbase_zh_CN`)."""

from __future__ import annotations

import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMenu, QMessageBox, QTreeView, QWidget

from tests.ui.english import english, menu_texts, report, visible_texts
from tests.ui.test_i18n import sources, tool
from ui import i18n
from ui.main_window import MainWindow
from ui.plots.loss_plot import LossPlot

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "i18n" / "pyqtgraph_zh_CN.ts"
QM = ROOT / "resources" / "i18n" / "pyqtgraph_zh_CN.qm"


def test_the_pyqtgraph_qm_is_what_lrelease_makes_of_its_ts_and_all_is_translated(tmp_path):
    built = tmp_path / "built.qm"
    subprocess.run([tool("pyside6-lrelease"), str(TS), "-qm", str(built)], check=True, capture_output=True, timeout=60)
    assert built.read_bytes() == QM.read_bytes(), "run lrelease (ui/i18n.py says how)"
    assert not sources(TS)[""], "translate every text of pyqtgraph_zh_CN.ts"


def context_menu(plot: LossPlot) -> QMenu:
    """The menu a right-click on the plot shows: its view box's menu, then Plot Options and Export… (pyqtgraph adds
    its parents' menus when it shows the menu)."""
    view_box = plot.getPlotItem().getViewBox()
    return view_box.scene().addParentContextMenus(view_box, view_box.menu, SimpleNamespace(acceptedItem=view_box))


def menu_english(menu: QMenu) -> list[tuple[str, str, list[str]]]:
    """English in the menu, its submenus and the forms in them (the axis controls, Plot Options' groups)."""
    return english(("context menu", text) for text in menu_texts(menu))


def entries(menu: QMenu) -> list[str]:
    return [action.text() for action in menu.actions() if not action.isSeparator()]


@pytest.fixture
def make_plot():
    """A loss plot (its menu has the app's entries: Reset zoom, Log scale, Smoothing), let go in English: a closed
    PlotWidget has no plot item left to rename its curves in."""
    plots = []
    yield lambda: plots.append(LossPlot()) or plots[-1]
    i18n.install(i18n.ENGLISH)
    for plot in plots:
        plot.deleteLater()


def test_a_plot_menu_built_in_chinese_is_chinese(make_plot):
    i18n.install(i18n.CHINESE)
    plot = make_plot()
    menu = context_menu(plot)
    assert {"显示全部", "X 轴", "Y 轴", "鼠标模式", "图表选项", "导出…"} <= set(entries(menu))
    assert not menu_english(menu), report(menu_english(menu))


def test_a_menu_made_follows_the_language_with_the_apps_entries(make_plot):
    plot = make_plot()  # in English
    menu = context_menu(plot)
    ours = [plot.reset_zoom_action, plot.log_y_action, plot._smoothing_menu.menuAction()]
    assert {"View All", "X axis", "Plot Options", "Export..."} <= set(entries(menu))
    i18n.choose(i18n.CHINESE)
    chinese = context_menu(plot)
    assert chinese is not menu and not menu_english(chinese), report(menu_english(chinese))
    assert chinese.actions()[:3] == ours and all(chinese.actions().count(action) == 1 for action in ours)
    assert {"显示全部", "X 轴", "图表选项", "导出…"} <= set(entries(chinese))
    i18n.choose(i18n.ENGLISH)
    again = context_menu(plot)
    assert {"View All", "X axis", "Mouse Mode", "Plot Options", "Export..."} <= set(entries(again))
    assert again.actions()[:3] == ours
    texts = set(menu_texts(again))
    assert {"Invert Axis", "Log Y", "Downsample", "Show X Grid"} <= texts  # the forms in the submenus too
    QApplication.sendPostedEvents()  # the menus let go are deleted: nothing of them is left to crash


def test_the_export_dialog_is_chinese_but_for_format_names(qtbot, make_plot):
    i18n.install(i18n.CHINESE)
    plot = make_plot()
    export = next(action for action in context_menu(plot).actions() if action.text() == "导出…")
    export.trigger()
    dialog = plot.scene().exportDialog
    qtbot.addWidget(dialog)
    assert dialog.isVisible() and dialog.windowTitle() == "导出"
    found = []
    formats = dialog.ui.formatList
    for row in range(formats.count()):  # each format's options
        formats.setCurrentRow(row)
        found += english(visible_texts(dialog))
    assert not found, report(found)
    assert dialog.ui.itemTree.topLevelItem(0).text(0) == "整个场景"
    i18n.install(i18n.ENGLISH)  # an open dialog follows the language
    assert dialog.ui.itemTree.topLevelItem(0).text(0) == "Entire Scene" and dialog.ui.exportBtn.text() == "Export"
    assert formats.item(0).text() == "CSV of original plot data"
    dialog.close()


MACHINE = {"lookInCombo", "sidebar", "listView", "treeView", "QHeaderView"}  # this machine's folders and files


def qt_texts(dialog: QWidget) -> list[tuple[str, str]]:
    """What Qt writes in a dialog: labels, buttons, tooltips, filter names, column headers (not paths, file names)."""
    texts = [(where, text) for where, text in visible_texts(dialog) if where not in MACHINE]
    for view in dialog.findChildren(QTreeView, "treeView"):  # the columns of the detail view
        model = view.model()
        texts += [("treeView", model.headerData(i, Qt.Orientation.Horizontal)) for i in range(model.columnCount())]
    return texts


def answer_next_dialog(seen: list[tuple[str, list[tuple[str, str]]]], tries: int = 50) -> None:
    """When the next modal dialog is up: note its kind and Qt's texts in it, then dismiss it."""

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            if tries:
                answer_next_dialog(seen, tries - 1)
            return
        seen.append((type(dialog).__name__, qt_texts(dialog)))
        dialog.reject()

    QTimer.singleShot(10, look)


def test_qts_file_dialogs_and_message_boxes_are_chinese(qtbot, monkeypatch):
    monkeypatch.setenv(i18n.ENVIRONMENT, i18n.CHINESE)
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    seen: list[tuple[str, list[tuple[str, str]]]] = []
    answer_next_dialog(seen)
    window.open_action.trigger()
    answer_next_dialog(seen)
    window.save_as_action.trigger()
    answer_next_dialog(seen)
    assert window._confirm_discard("open") is False  # Save, Discard, Cancel: cancelled
    assert [kind for kind, _texts in seen] == [QFileDialog.__name__, QFileDialog.__name__, QMessageBox.__name__]
    found = [entry for _kind, texts in seen for entry in english(texts)]
    assert not found, report(found)
    shown = [{text for _where, text in texts} for _kind, texts in seen]
    assert {"查找范围(&L)：", "文件类型(&T)：", "名称", "取消"} <= shown[0]  # the labels ours, the rest Qt's
    assert {"查找范围(&L)：", "取消"} <= shown[1] and "取消" in shown[2]
    window.document.undo_stack.setClean()
    window.close()
    window.deleteLater()
