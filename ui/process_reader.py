"""The window's one reader of a child process's pipe (a training run, a Teach): a QObject on its own QThread
that starts the process (so the GUI thread never waits for it), blocks on the process's `receive` and emits
each message (the dataclasses of workbench.processes.messages) as a signal, queued to the GUI thread. It
stops after the process's last message, or emits `lost` once, in one line, if the process ended without it
(killed, crashed) or could not start."""

from __future__ import annotations

from PySide6.QtCore import QObject, QThread, Signal, Slot

from workbench.processes.child import ChildProcess, TrainingProcessLost


class ProcessReader(QObject):
    """Starts and reads `child` on `self.thread` (started by `start`; it quits by itself after the last message)."""

    received = Signal(object)
    lost = Signal(str)

    def __init__(self, child: ChildProcess) -> None:
        super().__init__()  # no parent: it lives on its own thread
        self.child = child
        self.thread = QThread()
        self.moveToThread(self.thread)
        self.thread.started.connect(self.run)

    def start(self) -> None:
        self.thread.start()

    @Slot()
    def run(self) -> None:
        try:
            self.child.start()  # here, not on the GUI thread: the first child waits for the fork server's imports
        except OSError as exc:  # no process could be made (out of memory, too many processes)
            self.lost.emit(self.child.could_not_start(exc))
        else:
            self._read()
        self.thread.quit()  # from this thread itself, so a GUI thread waiting on it cannot deadlock

    def _read(self) -> None:
        while True:
            try:
                message = self.child.receive()
            except TrainingProcessLost as exc:
                self.lost.emit(str(exc))
                return
            self.received.emit(message)
            if getattr(message, "last", False):  # anything else goes to the handlers, which refuse it
                return
