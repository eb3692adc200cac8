"""The main window's own texts (menus, actions, tabs, toolbar) in the installed language: `retranslate(window)`
sets them all, when the window is built and again after each change of language (`i18n.follow`).

Their translation context is "MainWindow" (`resources/i18n/workbench_zh_CN.ts`).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QUndoStack
from PySide6.QtWidgets import QMainWindow as MainWindow  # ui.main_window's (which imports this module)


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
    _actions(window)
    _toolbar(window)


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
    window.theme_actions["light"].setText(QCoreApplication.translate("MainWindow", "Light"))
    window.theme_actions["dark"].setText(QCoreApplication.translate("MainWindow", "Dark"))


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
