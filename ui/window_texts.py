"""The main window's own texts (menus, actions, tabs, toolbar) in the installed language: `retranslate(window)`
sets them all, when the window is built and again after each change of language (`i18n.follow`).

Their translation context is "MainWindow" (`resources/i18n/workbench_zh_CN.ts`).
"""

from __future__ import annotations

from pathlib import Path

import torch
from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QUndoStack
from PySide6.QtWidgets import QMainWindow as MainWindow  # ui.main_window's (which imports this module)
from PySide6.QtWidgets import QMessageBox

from ui import messages, theme
from workbench.model.layer_info import LayerError
from workbench.training.config import describe_device


class UndoAction(QAction):
    """Edit ▸ Undo or Redo, named after the command it undoes ("&Undo Add Conv2d"); unlike the actions of
    `QUndoStack.createUndoAction`, its prefix follows a change of language."""

    def __init__(self, parent, stack: QUndoStack, redo: bool = False) -> None:
        super().__init__(parent)
        self._redo = redo
        self._command = stack.redoText() if redo else stack.undoText()  # kept: the stack may be going
        self.triggered.connect(stack.redo if redo else stack.undo)
        self.setEnabled(stack.canRedo() if redo else stack.canUndo())
        (stack.canRedoChanged if redo else stack.canUndoChanged).connect(self.setEnabled)
        (stack.redoTextChanged if redo else stack.undoTextChanged).connect(self._name_after)
        self.retranslate()

    def _name_after(self, command: str) -> None:
        self._command = command
        self.retranslate()

    def retranslate(self) -> None:
        if self._redo:
            prefix = QCoreApplication.translate("MainWindow", "&Redo")
        else:
            prefix = QCoreApplication.translate("MainWindow", "&Undo")
        self.setText(f"{prefix} {self._command}".strip())


def tab_titles() -> tuple[str, ...]:
    """The main tabs' titles, in their order."""
    return (
        QCoreApplication.translate("MainWindow", "Build"),
        QCoreApplication.translate("MainWindow", "Train"),
        QCoreApplication.translate("MainWindow", "Draw"),
        QCoreApplication.translate("MainWindow", "Learn"),
        QCoreApplication.translate("MainWindow", "Runs"),
        QCoreApplication.translate("MainWindow", "Experiments"),
    )


def retranslate(window: MainWindow) -> None:
    for index, title in enumerate(tab_titles()):
        window.tabs.setTabText(index, title)
    _menus(window)
    _theme(window)
    _actions(window)
    _toolbar(window)
    window.show_state()  # the title, the model's problem, where training runs


def _menus(window: MainWindow) -> None:
    window.file_menu.setTitle(QCoreApplication.translate("MainWindow", "&File"))
    window.template_menu.setTitle(QCoreApplication.translate("MainWindow", "&New from template"))
    window.recent_menu.setTitle(QCoreApplication.translate("MainWindow", "Open &recent"))
    window.edit_menu.setTitle(QCoreApplication.translate("MainWindow", "&Edit"))
    window.layer_menu.setTitle(QCoreApplication.translate("MainWindow", "&Layer"))
    window.view_menu.setTitle(QCoreApplication.translate("MainWindow", "&View"))
    window.theme_menu.setTitle(QCoreApplication.translate("MainWindow", "&Theme"))
    window.run_menu.setTitle(QCoreApplication.translate("MainWindow", "&Run"))
    window.help_menu.setTitle(QCoreApplication.translate("MainWindow", "&Help"))


def _actions(window: MainWindow) -> None:
    window.undo_action.retranslate()
    window.redo_action.retranslate()
    window.open_action.setText(QCoreApplication.translate("MainWindow", "&Open…"))
    window.open_action.setIconText(QCoreApplication.translate("MainWindow", "Open"))
    window.open_action.setToolTip(
        QCoreApplication.translate("MainWindow", "Open a model spec (.json) or a trained model (.cnnwb)")
    )
    window.save_action.setText(QCoreApplication.translate("MainWindow", "&Save"))
    window.save_action.setIconText(QCoreApplication.translate("MainWindow", "Save"))  # the toolbar's: no "(&S)"
    window.save_as_action.setText(QCoreApplication.translate("MainWindow", "Save &As…"))
    window.quit_action.setText(QCoreApplication.translate("MainWindow", "&Quit"))
    window.train_action.setText(QCoreApplication.translate("MainWindow", "&Train"))
    window.train_action.setIconText(QCoreApplication.translate("MainWindow", "Train"))
    window.about_layers_action.setText(QCoreApplication.translate("MainWindow", "About &layers"))
    window.about_action.setText(QCoreApplication.translate("MainWindow", "&About CNN Workbench"))
    window.device_label.setToolTip(QCoreApplication.translate("MainWindow", "Where training runs"))


def _toolbar(window: MainWindow) -> None:
    window.toolbar.setWindowTitle(QCoreApplication.translate("MainWindow", "Main"))
    window.new_action.setText(QCoreApplication.translate("MainWindow", "New"))
    short_undo, short_redo = window.short_undo_actions
    short_undo.setText(QCoreApplication.translate("MainWindow", "Undo"))
    short_redo.setText(QCoreApplication.translate("MainWindow", "Redo"))


def _theme(window: MainWindow) -> None:
    for name, action in window.theme_actions.items():
        action.setText(QCoreApplication.translate("Theme", theme.THEMES[name].title))


def device_text(device: torch.device, threads: int) -> str:
    """Where training runs, as the status bar says it ('CPU · 2 threads', 'CUDA · NVIDIA H100')."""
    return messages.device_line(describe_device(device, threads))


def window_title(name: str | None, suffix: str | None) -> str:
    """The title: the file's name (or the model's, 'untitled' without one) and the app's."""
    if suffix is None:  # a file
        return QCoreApplication.translate("MainWindow", "{file}[*] — CNN Workbench").format(file=name)
    if name:
        return QCoreApplication.translate("MainWindow", "{file}[*] — CNN Workbench").format(file=name + suffix)
    return QCoreApplication.translate("MainWindow", "untitled.json[*] — CNN Workbench")


def fix_texts(error: LayerError) -> tuple[str, str]:
    """A shape error as the Train tab says it (its number) and as the status bar and Train's tooltip do."""
    first = QCoreApplication.translate("MainWindow", "Fix layer {number} first: {problem}").format(
        number=error.index, problem=messages.translated(error)
    )
    line = QCoreApplication.translate("MainWindow", "Fix {place} to train: {cause}; {fix}").format(
        place=messages.place(error), cause=messages.translated(error.cause), fix=messages.translated(error.fix)
    )
    return first, line


def open_filter() -> str:
    return QCoreApplication.translate(
        "MainWindow", "Models (*.json *.cnnwb);;Model spec (*.json);;Trained model (*.cnnwb);;All files (*)"
    )


def spec_filter() -> str:
    return QCoreApplication.translate("MainWindow", "Model spec (*.json);;All files (*)")


def discard_question(doing: str) -> str:
    """Save before `doing` ("open", "quit")?"""
    if doing == "quit":
        return QCoreApplication.translate("MainWindow", "The model has unsaved changes. Save them before you quit?")
    return QCoreApplication.translate(
        "MainWindow", "The model has unsaved changes. Save them before you open another model?"
    )


def show_error(window: MainWindow, title: str, message: str, details: str = "") -> None:
    """A warning; `details` (the English original of a translated message) behind the box's Show Details."""
    if not details:
        QMessageBox.warning(window, title, message)
        return
    box = QMessageBox(QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok, window)
    box.setObjectName("errorBox")
    box.setDetailedText(details)
    box.exec()


def show_about(window: MainWindow) -> None:
    QMessageBox.about(
        window,
        QCoreApplication.translate("MainWindow", "About CNN Workbench"),
        QCoreApplication.translate(
            "MainWindow",
            "CNN Workbench: build a convolutional network from layers, train it while watching it learn, "
            "and draw digits to see them classified.",
        ),
    )


def opened_text(path: Path, recommended: bool, problem: str | None) -> str:
    """The status line after a spec opened: with its recommended settings in the Train tab, or why not."""
    if problem:
        return QCoreApplication.translate("MainWindow", "Opened {file}; {problem}").format(file=path, problem=problem)
    if recommended:
        return QCoreApplication.translate(
            "MainWindow", "Opened {file}, with its recommended settings in the Train tab"
        ).format(file=path)
    return QCoreApplication.translate("MainWindow", "Opened {file}").format(file=path)
