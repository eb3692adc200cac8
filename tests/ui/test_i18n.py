"""The window's language: the translations are up to date with the code (lupdate finds nothing missing from
the committed `.ts`, lrelease builds the committed `.qm`), a window built in Chinese shows Chinese, View ▸
Language switches at once and is remembered, and `--lang` outranks the remembered choice."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication

from ui import i18n
from ui.app import open_window, parse_args

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "i18n" / "workbench_zh_CN.ts"
QM = ROOT / "resources" / "i18n" / "workbench_zh_CN.qm"
TOOLS = Path(sys.executable).parent


def tool(name: str) -> str:
    found = shutil.which(name, path=str(TOOLS)) or shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed")
    return found


def sources(ts: Path) -> dict[str, set[str]]:
    """The source texts of a .ts file, by context; and those without a finished translation under ''."""
    found: dict[str, set[str]] = {"": set()}
    for context in ElementTree.parse(ts).getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            found.setdefault(name, set()).add(message.findtext("source"))
            translation = message.find("translation")
            if translation is None or translation.get("type") == "unfinished" or not translation.text:
                found[""].add(f"{name}: {message.findtext('source')}")
    return found


def test_every_text_of_the_code_is_in_the_committed_ts_and_translated(tmp_path):
    fresh = tmp_path / "fresh.ts"
    files = sorted(str(path.relative_to(ROOT)) for path in (ROOT / "ui").rglob("*.py"))
    command = [tool("pyside6-lupdate"), *files, "-no-obsolete", "-locations", "none", "-ts", str(fresh)]
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True, timeout=60)
    extracted, committed = sources(fresh), sources(TS)
    missing = {name: texts - committed.get(name, set()) for name, texts in extracted.items() if name}
    assert not any(missing.values()), f"run lupdate (ui/i18n.py says how) and translate: {missing}"
    assert not committed[""], f"not translated: {committed['']}"
    assert {name: texts for name, texts in committed.items() if name} == {
        name: texts for name, texts in extracted.items() if name
    }, "texts no longer in the code: run lupdate with -no-obsolete"


def test_the_committed_qm_is_what_lrelease_makes_of_the_ts(tmp_path):
    built = tmp_path / "built.qm"
    subprocess.run([tool("pyside6-lrelease"), str(TS), "-qm", str(built)], check=True, capture_output=True, timeout=60)
    assert built.read_bytes() == QM.read_bytes(), "run lrelease (ui/i18n.py says how)"


def menu_titles(window) -> list[str]:
    return [action.text() for action in window.menuBar().actions()]


def close(window) -> None:
    window.document.undo_stack.setClean()
    window.close()
    window.deleteLater()


def test_a_window_built_in_chinese_shows_chinese_and_switches_back_at_once(qtbot, monkeypatch):
    monkeypatch.setenv(i18n.ENVIRONMENT, i18n.CHINESE)
    window = open_window()
    qtbot.addWidget(window)
    assert i18n.current() == i18n.CHINESE
    assert menu_titles(window) == ["文件(&F)", "编辑(&E)", "视图(&V)", "运行(&R)", "帮助(&H)"]
    titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert titles == ["构建", "训练", "绘制", "学习", "运行记录", "实验"]
    assert window.undo_action.text() == "撤销(&U)" and window.new_action.text() == "新建"
    assert "Noto Sans CJK SC" in QApplication.font().families()
    english = window.findChild(QAction, "enLanguageAction")
    assert window.language_menu.title() == "语言(&L)" and english.text() == "English"
    assert window.findChild(QAction, "zh_CNLanguageAction").isChecked()
    english.trigger()
    assert menu_titles(window) == ["&File", "&Edit", "&View", "&Run", "&Help"]
    assert window.tabs.tabText(1) == "Train" and window.train_action.text() == "&Train"
    assert english.isChecked() and window.language_menu.title() == "&Language"
    assert "Noto Sans CJK SC" not in QApplication.font().families()
    close(window)


def test_the_choice_is_remembered_and_lang_outranks_it(qtbot, monkeypatch):
    monkeypatch.delenv(i18n.ENVIRONMENT)
    assert parse_args(["--lang", "zh_CN"]).lang == "zh_CN" and parse_args([]).lang is None
    with pytest.raises(SystemExit):
        parse_args(["--lang", "fr"])
    first = open_window(language="en")
    qtbot.addWidget(first)
    first.findChild(QAction, "zh_CNLanguageAction").trigger()
    assert QSettings().value(i18n.SETTINGS_KEY) == "zh_CN" and menu_titles(first)[0] == "文件(&F)"
    close(first)
    i18n.reset()  # a new process …
    second = open_window()  # … opens in the remembered language
    qtbot.addWidget(second)
    assert second.tabs.tabText(1) == "训练"
    close(second)
    QSettings().setValue(i18n.SETTINGS_KEY, "en")
    i18n.reset()
    third = open_window(language="zh_CN")  # `--lang zh_CN`, English remembered
    qtbot.addWidget(third)
    assert third.tabs.tabText(1) == "训练" and QSettings().value(i18n.SETTINGS_KEY) == "en"
    close(third)
