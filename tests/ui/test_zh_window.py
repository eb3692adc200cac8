"""The whole window in Simplified Chinese: every tab (and every tab inside a tab) and every menu, built in
Chinese or switched to it at runtime, shows no English but PyTorch's names, numbers and units
(`tests/ui/english.py`). The dialogs are walked by their areas' tests (tests/ui/test_zh_*.py)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QTabWidget, QWidget

from tests.ui.english import english, menu_texts, report, visible_texts
from ui import i18n
from ui.main_window import MainWindow
from workbench.model.templates import TEMPLATES

KEPT = {part for name in TEMPLATES for part in name.split("-")} | set(TEMPLATES)


def every_page(root: QWidget) -> list[tuple[str, str]]:
    """The texts of `root` and of every page of every tab widget under it, each page shown in turn."""
    texts = visible_texts(root)
    for tabs in root.findChildren(QTabWidget):
        if not tabs.isVisibleTo(root):
            continue
        shown = tabs.currentIndex()
        for index in range(tabs.count()):
            if index != shown:
                tabs.setCurrentIndex(index)
                QApplication.processEvents()
                texts += [
                    (f"{where} (tab {tabs.tabText(index)})", text) for where, text in every_page(tabs.widget(index))
                ]
        tabs.setCurrentIndex(shown)
    return texts


def walk(window: MainWindow) -> list[tuple[str, str, list[str]]]:
    found = english([("menu bar", text) for text in menu_texts(window.menuBar())], KEPT)
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        QApplication.processEvents()
        page = window.tabs.currentWidget()
        found += english(every_page(page), KEPT)
    found += english(visible_texts(window.statusBar()), KEPT)
    return found


@pytest.fixture
def shown(qtbot):
    def show(window: MainWindow) -> MainWindow:
        qtbot.addWidget(window)
        window.resize(1400, 900)
        window.show()
        return window

    yield show
    i18n.install(i18n.ENGLISH)  # the plots rename their legends before they go, not while they are going
    QApplication.processEvents()
    for window in QApplication.topLevelWidgets():
        if isinstance(window, MainWindow):
            window.document.undo_stack.setClean()
            window.close()


def test_a_window_built_in_chinese_shows_no_english(shown, monkeypatch):
    monkeypatch.setenv(i18n.ENVIRONMENT, i18n.CHINESE)
    window = shown(MainWindow())
    found = walk(window)
    assert not found, f"{len(found)} English texts:\n{report(found)}"


def test_a_window_switched_to_chinese_shows_no_english_and_switches_back(shown):
    window = shown(MainWindow())
    for index in range(window.tabs.count()):  # every tab made (they are made when first shown) in English
        window.tabs.setCurrentIndex(index)
    i18n.choose(i18n.CHINESE)
    found = walk(window)
    assert not found, f"{len(found)} English texts:\n{report(found)}"
    i18n.choose(i18n.ENGLISH)
    assert len(walk(window)) > 100
