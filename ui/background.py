"""The window's background work and its one owner, `Tasks` (after napari's worker registry and Orange's
`ConcurrentMixin`): nothing runs beside the window that the window cannot cancel and wait for on close.

A job is a function of one `TaskState`: it reports progress through it and polls `state.cancelled()` between
steps (or raises `Cancelled`). Each job runs on a thread of its own; what it reports reaches the window queued,
on the GUI thread, and only while the task is wanted: a task that was cancelled, or replaced by a newer one
of the same kind, delivers nothing more. A job that cannot stop midway (a dataset read) is waited for with a
bound on close, then left to end on its own (a daemon thread, its result dropped).

A failure arrives as one line (for a message box); its traceback goes to the log (see `ui.log_file`).
Work that runs in a child process of its own (a training run, a Teach) is adopted by the same owner, so
closing the window stops it too.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from workbench.data.images import DataError
from workbench.messages import said_in

_log = logging.getLogger(__name__)
CLOSE_WAIT_MS = 1000  # on close, how long all threads together are waited for before they are let go of
THREAD_END_S = 1.0  # a job's thread ends right after its last message; the window waits this long at most
_alive: set[BackgroundTask] = set()  # every task whose last message has not reached the GUI thread yet


class Cancelled(Exception):
    """A job stops early (see `TaskState.check`): not a failure; nothing is delivered."""


class TaskState:
    """What a job sees of its task: whether it was cancelled, and where to report progress."""

    def __init__(self, task: BackgroundTask) -> None:
        self._task = task
        self._cancel = threading.Event()

    def cancelled(self) -> bool:
        """True once the task was cancelled (the window closes, a newer task of its kind started)."""
        return self._cancel.is_set()

    def check(self) -> None:
        """Raise `Cancelled` if the task was cancelled: a stopping point inside a job."""
        if self._cancel.is_set():
            raise Cancelled

    def progress(self, message: str, done: int, total: int) -> None:
        self._task._posted.emit("progress", (message, done, total))

    def _request_cancel(self) -> None:
        self._cancel.set()


def one_line(exc: BaseException) -> str:
    """An error for a message box: the core's own messages as they are (a coded one kept as its `Said`, so that
    `ui.messages.translated` shows it in the window's language), others with their type."""
    said = said_in(exc)
    if said is not None and "\n" not in said:
        return said
    text = str(exc) if isinstance(exc, (DataError, ValueError, OSError)) else f"{type(exc).__name__}: {exc}"
    return text.replace("\n", " ")


class BackgroundTask(QObject):
    """One job on a worker thread (start it through `Tasks.start`). Its signals arrive on the GUI thread,
    never after `cancel()`."""

    started = Signal()  # the job began on its thread
    progressed = Signal(str, int, int)  # message, done, total
    succeeded = Signal(object)  # the job's result
    failed = Signal(object)  # one line (a str; a coded core message stays its `Said`); the traceback is in the log
    dropped = Signal()  # cancelled before its end: nothing more comes (emitted by `cancel`)
    _posted = Signal(str, object)  # from the worker thread: what happened, with what

    def __init__(self, kind: str, job: Callable[[TaskState], Any]) -> None:
        super().__init__()
        self.kind, self.job = kind, job
        self.state = TaskState(self)
        self.ended = False  # its last message reached the GUI thread
        self._thread = threading.Thread(target=self._run, daemon=True, name=f"task {kind}")
        self._posted.connect(self._on_posted)

    @property
    def cancelled(self) -> bool:
        return self.state.cancelled()

    @property
    def running(self) -> bool:
        """Its job is still working (a cancelled one too, until it stops)."""
        return self._thread.is_alive()

    def start(self) -> None:
        _alive.add(self)
        self._thread.start()

    def cancel(self) -> None:
        """Ask the job to stop; from now on nothing it reports or returns is delivered."""
        if self.cancelled:
            return
        self.state._request_cancel()
        if not self.ended:
            self.dropped.emit()

    def wait(self, ms: int = 30000) -> bool:
        """Wait up to `ms` for the job's thread to end; True when it has (or never started)."""
        if self._thread.ident is not None:
            self._thread.join(max(0.0, ms / 1000))
        return not self._thread.is_alive()

    def _run(self) -> None:
        """On the worker thread."""
        self._posted.emit("began", None)
        try:
            outcome = ("succeeded", self.job(self.state))
        except Cancelled:
            outcome = ("cancelled", None)
        except Exception as exc:
            if self.state.cancelled():  # stopped by the cancel itself, or failing after it: nobody waits for it
                _log.info("Background task %r ended after being cancelled: %s", self.kind, one_line(exc))
                outcome = ("cancelled", None)
            else:
                _log.error("Background task %r failed", self.kind, exc_info=exc)
                outcome = ("failed", one_line(exc))
        self._posted.emit(*outcome)

    @Slot(str, object)
    def _on_posted(self, what: str, payload: object) -> None:
        """On the GUI thread."""
        if what in ("succeeded", "failed", "cancelled"):
            self._thread.join(THREAD_END_S)  # its last act was the emit: after this, no thread refers to the task
            self.ended = True
            _alive.discard(self)
        if self.cancelled or what == "cancelled":
            return
        if what == "began":
            self.started.emit()
        elif what == "progress":
            self.progressed.emit(*payload)
        else:
            getattr(self, what).emit(payload)


@dataclass
class _Adopted:
    """Work that runs in a process of its own, stopped and awaited through its owner's functions."""

    stop: Callable[[], object]
    wait: Callable[[int], object]


class Tasks(QObject):
    """The window's background work, each task under a kind ("dataset", "hard examples"…): one running task per
    kind (a newer one cancels the older, whose result is dropped), and all of it cancelled and waited for on
    close (`shutdown`)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._current: dict[str, BackgroundTask] = {}
        self._started: set[BackgroundTask] = set()  # those that may still run, the cancelled ones too
        self._adopted: dict[str, _Adopted] = {}
        started = self._started  # not `self` in the closure: it runs as the registry is deleted
        self.destroyed.connect(lambda _obj=None: [task.cancel() for task in started])

    def start(
        self,
        kind: str,
        job: Callable[[TaskState], Any],
        on_done: Callable[[Any], object] | None = None,
        on_failed: Callable[[str], object] | None = None,
        progress: Callable[[str, int, int], object] | None = None,
    ) -> BackgroundTask:
        """Run `job(state)` on a worker thread in place of the task of this kind (cancelled, if still running).
        `on_done(result)`, `on_failed(one line)` and `progress(message, done, total)` are called on the GUI
        thread, only while this task is the wanted one. Returns the task, started."""
        self.cancel(kind)
        task = BackgroundTask(kind, job)
        for signal, slot in ((task.succeeded, on_done), (task.failed, on_failed), (task.progressed, progress)):
            if slot is not None:
                signal.connect(slot)
        self._forget_ended()
        self._started.add(task)
        self._current[kind] = task
        task.start()
        return task

    def current(self, kind: str) -> BackgroundTask | None:
        """The latest task of `kind`, running or not (None once cancelled)."""
        return self._current.get(kind)

    def busy(self, kind: str) -> bool:
        task = self._current.get(kind)
        return task is not None and not task.ended

    def cancel(self, kind: str) -> None:
        """Cancel the task of `kind`, if any: it delivers nothing more."""
        task = self._current.pop(kind, None)
        if task is not None:
            task.cancel()

    def adopt(self, kind: str, stop: Callable[[], object], wait: Callable[[int], object]) -> None:
        """Work of `kind` that runs in a process of its own: on close `stop()` asks it to end and `wait(ms)` waits
        for it (killing it after that long). A newer adoption of the kind replaces the older."""
        self._adopted[kind] = _Adopted(stop, wait)

    def release(self, kind: str) -> None:
        """The adopted work of `kind` ended by itself: nothing to stop on close."""
        self._adopted.pop(kind, None)

    def cancel_all(self) -> None:
        for kind in list(self._current):
            self.cancel(kind)
        for adopted in self._adopted.values():
            adopted.stop()

    def wait_all(self, thread_ms: int, process_ms: int | None = None) -> bool:
        """Wait for every task's thread, all within `thread_ms` together, then for adopted processes, each up to
        `process_ms` (default `thread_ms`). True if all threads ended; a job still running then (one that cannot
        stop midway) is left to end on its own, its result dropped, and not waited for again."""
        deadline = time.monotonic() + thread_ms / 1000
        for task in list(self._started):
            task.wait(int(1000 * max(0.0, deadline - time.monotonic())))
        for adopted in self._adopted.values():
            adopted.wait(thread_ms if process_ms is None else process_ms)
        left = [task.kind for task in self._started if task.running]
        self._started.clear()
        if left:
            _log.warning("Background work left to end on its own: %s", ", ".join(left))
        return not left

    def shutdown(self, thread_ms: int = CLOSE_WAIT_MS, process_ms: int = 30000) -> bool:
        """Cancel everything at once, then wait (see `wait_all`): the window is closing."""
        self.cancel_all()
        return self.wait_all(thread_ms, process_ms)

    def _forget_ended(self) -> None:
        self._started.difference_update([task for task in self._started if not task.running])
