"""A modal dialog left open closes by itself in the UI tests, named, so the test that opened it fails instead of
hanging the suite: offscreen nobody answers a dialog, and its exec() never returns (once a full run stopped for
14 minutes after one failure, until it was killed).

`ModalWatchdog` looks at the active modal widget every `interval_ms`; one that is still the same after `patience`
looks is rejected (a QDialog) or closed, and its kind, title and text are kept in `closed`. Tests that open a
dialog on purpose answer it within milliseconds (`QTimer.singleShot`), far inside the default patience."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget


class ModalWatchdog(QObject):
    def __init__(self, interval_ms: int = 1000, patience: int = 15) -> None:
        super().__init__()
        self.patience = patience
        self.closed: list[str] = []
        self._seen: QWidget | None = None
        self._looks = 0
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.look)

    def start(self) -> ModalWatchdog:
        self.timer.start()
        return self

    def stop(self) -> None:
        self.timer.stop()

    def look(self) -> None:
        modal = QApplication.activeModalWidget()
        if modal is None or modal is not self._seen:
            self._seen, self._looks = modal, 0
            return
        self._looks += 1
        if self._looks < self.patience:
            return
        self.closed.append(describe(modal))
        self._seen, self._looks = None, 0
        if isinstance(modal, QDialog):
            modal.reject()
        else:
            modal.close()


def describe(widget: QWidget) -> str:
    text = widget.text() if isinstance(widget, QMessageBox) else ""
    return f"{type(widget).__name__} {widget.windowTitle()!r}" + (f": {text}" if text else "")
