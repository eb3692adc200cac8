"""The window's shell in Simplified Chinese: the whole menu bar (File ▸ New from template, Open recent, View ▸ Theme
and Language, Help…), the title and status bar, the Experiments tab with a study's trials in its table and plots,
and the message box of a file that cannot be opened (the core's English line behind Show Details); built in
Chinese or switched at runtime, and back to English."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.ui.english import english, foreign_words, menu_texts, report, visible_texts, window_english
from ui import i18n
from ui.experiments.poller import StudySnapshot
from ui.main_window import MainWindow
from workbench.messages import say
from workbench.model import templates
from workbench.model.vary import Domain

PRUNED = say("stop.pruned", check=2, epoch=1, step=40, accuracy="42.00")  # as report.trial_row reads it back
KEPT = {part for name in templates.TEMPLATES for part in name.split("-")} | set(templates.TEMPLATES)


def marked():
    """mnist-fast with its first layer's out_channels and the learning rate marked to vary."""
    spec = templates.template("mnist-fast")
    layers = list(spec.layers)
    layers[0] = layers[0].with_vary("out_channels", Domain("choice", (4, 8)))
    return spec.with_layers(layers).with_setting_vary("lr", Domain("log", low=0.001, high=0.1))


def row(number: int, state: str, value: float | None, channels: int, lr: float, why: str | None = None) -> dict:
    return {
        "number": number,
        "state": state,
        "params": {"layers.0.out_channels": channels, "lr": lr},
        "value": value,
        "spread": 0.004 if value is not None else None,
        "seeds": [value, value] if state == "COMPLETE" else [],
        "runs": [number + 1],
        "seconds": 3.5 if state != "RUNNING" else None,
        "parameters": 1000 * channels,
        "why": why,
    }


def show_a_study(window: MainWindow):
    """The Experiments tab with a marked model and a study's trials read (no workers: a snapshot given)."""
    view = window.experiments
    window.tabs.setCurrentWidget(view)
    window.document.replace(marked(), "标记")
    space = view.update_space()
    view.model.set_space(space, window.document.spec)
    view.parameter_plot.set_space(space, window.document.spec)
    view.importance_plot.spec = window.document.spec
    rows = (
        row(0, "COMPLETE", 0.91, 4, 0.01),
        row(1, "COMPLETE", 0.95, 8, 0.003),
        row(2, "PRUNED", 0.42, 4, 0.05, PRUNED),
        row(3, "FAIL", None, 8, 0.02),
        row(4, "RUNNING", 0.5, 8, 0.001),
    )
    view._on_snapshot(StudySnapshot("study-1", rows, 1))
    view.importance_plot.show_shares({"lr": 0.7, "layers.0.out_channels": 0.3})
    QApplication.processEvents()
    return view


def menus(window: MainWindow) -> list[tuple[str, str]]:
    window._remember_recent(window.keeper.state / "mnist-fast.json")  # Open recent has an entry
    return [("menu bar", text) for text in menu_texts(window.menuBar())]


def shell_english(window: MainWindow) -> list[tuple[str, str, list[str]]]:
    """English in the menus, the title, the status bar and the Experiments tab."""
    view = show_a_study(window)
    found = english(menus(window), KEPT)
    found += english([("title", window.windowTitle())], KEPT)
    found += english(visible_texts(window.statusBar()), KEPT)
    data = set(foreign_words(window.dashboard.selector.currentText()))  # the Train tab's dataset, as it names it
    found += window_english(view, KEPT | data)
    return found


@pytest.fixture
def shown(qtbot, monkeypatch):
    made = []
    monkeypatch.setattr(QMessageBox, "question", lambda *_args, **_kwargs: QMessageBox.StandardButton.Discard)

    def show() -> MainWindow:
        window = MainWindow()
        qtbot.addWidget(window)
        window.resize(1400, 900)
        window.show()
        made.append(window)
        return window

    yield show
    i18n.reset()  # back to English while the windows live (legends re-laid out after their plots went: errors)
    QApplication.processEvents()
    for window in made:
        window.document.undo_stack.setClean()
        window.close()


def test_the_menus_title_and_experiments_tab_built_in_chinese(shown, monkeypatch):
    monkeypatch.setenv(i18n.ENVIRONMENT, i18n.CHINESE)
    window = shown()
    found = shell_english(window)
    assert not found, report(found)
    assert window.theme_actions["dark"].text() == "深色" and window.file_menu.title() == "文件(&F)"
    assert window.windowTitle() == "mnist-fast.json[*] — CNN Workbench"
    view = window.experiments
    assert view.model.headerData(1, Qt.Orientation.Horizontal) == "状态"
    assert "已剪枝" in [view.model.index(r, 1).data() for r in range(view.model.rowCount())]
    mnist = next(a for a in window.template_menu.actions() if a.objectName() == "template:mnist-fast")
    assert "1 轮后" in mnist.text() and "出处" in mnist.toolTip()
    spec = window.document.spec  # Flatten first: Conv2d gets a flat vector
    window.document.replace(spec.with_layers([spec.layers[-2], *spec.layers[:-2], spec.layers[-1]]), "打乱")
    message = window.statusBar().currentMessage()
    assert window.document.inference.error is not None and message.startswith("修正"), message
    assert not english([("status", message)], KEPT) and window.train_action.toolTip() == message


def test_a_file_that_cannot_be_opened_says_so_in_chinese(shown, monkeypatch, tmp_path):
    monkeypatch.setenv(i18n.ENVIRONMENT, i18n.CHINESE)
    window = shown()
    seen = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append((box.windowTitle(), box.text(), box.detailedText()))
            box.done(QMessageBox.StandardButton.Ok)
        else:
            QTimer.singleShot(10, answer)

    for garbage in (tmp_path / "mnist.cnnwb", tmp_path / "mnist.json"):
        garbage.write_bytes(b"\x00not a model at all\xff" * 8)
        QTimer.singleShot(0, answer)
        assert not window.open_path(garbage)
    assert len(seen) == 2, seen
    assert all(title == "无法打开此模型" for title, _, _ in seen)
    title, text, english_line = seen[0]  # the trained model's: a coded core message, translated
    assert not english([("box", title), ("box", text)], KEPT | {"zip"}), text
    assert english_line and english([("details", english_line)])  # the core's English line, for a bug report


def test_switching_to_chinese_and_back_at_runtime(shown):
    window = shown()
    english_before = shell_english(window)
    assert english_before  # built in English
    i18n.choose(i18n.CHINESE)
    found = shell_english(window)
    assert not found, report(found)
    i18n.choose(i18n.ENGLISH)
    view = window.experiments
    assert window.file_menu.title() == "&File" and window.theme_actions["light"].text() == "Light"
    assert view.start_button.text() == "Start" and view.model.headerData(1, Qt.Orientation.Horizontal) == "State"
    assert view.best_plot.title.text() == "Best so far" and "Best: trial 1" in view.best_label.text()
    assert view.status_label.text().startswith("Study study-1") or not view.status_label.text()
