"""Reading a study for the live view. Every `interval_ms` a background task loads its trials from the storage (tens
of milliseconds from SQLite, more from a server: never on the GUI thread) and the view gets a `StudySnapshot` on
the GUI thread; one read at a time, a tick while one is under way is skipped. The parameter importances (Optuna's
default evaluator: about a second) are computed in a task of their own, again only when the complete trials have
changed.

The interval is injected: 0 reads again as soon as a read has landed, None never on a timer (only `poll_now`,
which the view calls when the study starts and ends, so the final state is always read).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from ui.background import Tasks, TaskState
from ui.i18n import translate
from ui.messages import translated
from workbench.experiments.report import best_trial, importances, trial_row
from workbench.experiments.storage import load_study, open_storage

POLL, IMPORTANCES = "study poll", "study importances"  # kinds of work in the window's Tasks
POLL_MS = 1000


@dataclass(frozen=True)
class StudySnapshot:
    """A study as read at one moment: each trial's row (`report.trial_row`) and the best trial's number."""

    name: str
    rows: tuple[dict[str, Any], ...]
    best: int | None

    @property
    def complete(self) -> tuple[dict[str, Any], ...]:
        return tuple(row for row in self.rows if row["state"] == "COMPLETE" and row["value"] is not None)

    def row(self, number: int | None) -> dict[str, Any] | None:
        return next((row for row in self.rows if row["number"] == number), None)


class StudyPoller(QObject):
    snapshot_read = Signal(object)  # StudySnapshot
    importances_read = Signal(object)  # {varied name: share of the accuracy's variance}
    problem = Signal(str)  # a read failed: one line (the reads go on)

    def __init__(
        self, tasks: Tasks, storage_url: str | None = None, interval_ms: int | None = POLL_MS, parent=None
    ) -> None:
        super().__init__(parent)
        self.tasks, self.storage_url, self.interval_ms = tasks, storage_url, interval_ms
        self.name: str | None = None
        self.reads = 0  # snapshots delivered
        self._storage = None  # opened by the first read, on its thread; reads never overlap
        self._studies: dict[str, Any] = {}  # each study loaded once (its plan parsed once), then only read
        self._again = False
        self._importances_of: tuple | None = None  # the complete trials the importances were computed for
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._tick)

    def watch(self, name: str) -> None:
        """Read study `name` now and then every interval."""
        self.name, self._importances_of = name, None
        if self.interval_ms is not None:
            self._timer.start(self.interval_ms)
        self.poll_now()

    def set_interval(self, interval_ms: int | None) -> None:
        """Read every `interval_ms` from now on (None: only when asked)."""
        self.interval_ms = interval_ms
        if interval_ms is None:
            self._timer.stop()
        elif self._timer.isActive():
            self._timer.start(interval_ms)

    def stop(self) -> None:
        """No more reads on the timer (`poll_now` still reads)."""
        self._timer.stop()

    def poll_now(self) -> None:
        """Read now, or as soon as the read under way has landed (it may have begun before what is wanted)."""
        if self.tasks.busy(POLL):
            self._again = True
        elif self.name is not None:
            self._start(self.name)

    def _tick(self) -> None:
        if self.name is not None and not self.tasks.busy(POLL):
            self._start(self.name)

    def _start(self, name: str) -> None:
        self._again = False
        self.tasks.start(POLL, lambda state: self._read(name, state), self._on_read, self._on_failed)

    def _study(self, name: str):
        if name not in self._studies:
            if self._storage is None:
                self._storage = open_storage(self.storage_url)
            self._studies[name] = load_study(self._storage, name)[0]
        return self._studies[name]

    def _read(self, name: str, state: TaskState) -> StudySnapshot:
        """On a worker thread."""
        trials = self._study(name).get_trials(deepcopy=False)
        state.check()
        best = best_trial(trials)
        return StudySnapshot(name, tuple(trial_row(trial) for trial in trials), None if best is None else best.number)

    def _on_read(self, snapshot: StudySnapshot) -> None:
        if snapshot.name != self.name:
            return  # another study is watched now
        self.reads += 1
        self.snapshot_read.emit(snapshot)
        self._update_importances(snapshot)
        if self._again:
            self._start(snapshot.name)

    def _on_failed(self, message: str) -> None:
        self.problem.emit(
            translate("StudyPoller", "Cannot read the study: {problem}").format(problem=translated(message))
        )
        if self._again and self.name is not None:
            self._start(self.name)

    def _update_importances(self, snapshot: StudySnapshot) -> None:
        key = tuple((row["number"], row["value"]) for row in snapshot.complete)
        if key == self._importances_of or len(key) < 2 or self.tasks.busy(IMPORTANCES):
            return
        self._importances_of = key
        name = snapshot.name
        self.tasks.start(
            IMPORTANCES,
            lambda _state: importances(self._study(name)),
            lambda shares: self.importances_read.emit(shares) if name == self.name else None,
        )

    def shutdown(self) -> None:
        self._timer.stop()
        self.name = None
