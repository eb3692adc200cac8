"""The UI tests' watchdog closes a modal dialog nobody answers, at once at its shortest patience, and leaves alone
one that is answered within its patience (its interval and patience injected: no test waits 15 s)."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.ui.modal_watchdog import ModalWatchdog


def test_a_dialog_nobody_answers_is_closed_and_named(qapp):
    watchdog = ModalWatchdog(interval_ms=1, patience=1).start()
    box = QMessageBox(QMessageBox.Icon.Warning, "Cannot open", "nobody reads this")
    box.exec()  # returns only because the watchdog closed it
    watchdog.stop()
    assert watchdog.closed == ["QMessageBox 'Cannot open': nobody reads this"]
    assert QApplication.activeModalWidget() is None


def test_a_dialog_answered_within_its_patience_is_left_alone(qapp):
    watchdog = ModalWatchdog(interval_ms=1, patience=10_000).start()
    box = QMessageBox(QMessageBox.Icon.Question, "Delete runs", "answered")
    QTimer.singleShot(30, box.reject)  # answered after some 30 looks, far inside the patience
    box.exec()
    watchdog.stop()
    assert watchdog.closed == []
