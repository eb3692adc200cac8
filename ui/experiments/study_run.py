"""One study at a time from the window: made (or found, to go on with) in its storage and checked on a background
task, since opening SQLite, trying the marks' combinations for shape errors and reading the dataset take a moment;
then its workers, each a process of its own forked from the fork server (`WorkerProcesses`), adopted by the window's
background-work owner, so that closing the window stops them (SIGTERM, then a kill after `CLOSE_GRACE_S`).

Stop asks the workers to end their trials at the next batch (a stopped trial is queued to run again, so Resume
goes on where the study was) and kills those that have not ended after `STOP_GRACE_S`. Whether the workers still
run is checked on a timer, cheaply (a `poll` of each process); what they found is read by `poller.py`.
"""

from __future__ import annotations

import signal
import time
from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer, Signal

from ui.background import Tasks, TaskState
from ui.i18n import translate
from workbench.data.datasets import Dataset
from workbench.experiments.apply import check_feasible
from workbench.experiments.launch import WorkerProcesses, ready, split_threads
from workbench.experiments.plan import StudyPlan
from workbench.experiments.storage import create_or_resume, load_study, open_storage
from workbench.training.config import default_threads
from workbench.training.support import check_fits

START, WORKERS = "study start", "study workers"  # kinds of work in the window's Tasks
WATCH_MS = 250
STOP_GRACE_S = 5.0  # after Stop, a worker's time to end its trial's run before it is killed
CLOSE_GRACE_S = 1.0  # the same when the window closes (which must take under 2 s in all)


@dataclass(frozen=True)
class Launch:
    """A study to start: `plan` new (or the same plan again: it goes on), or None to resume the stored plan of
    `name` with the budget `trials`, `minutes`."""

    name: str
    plan: StudyPlan | None
    trials: int | None = None
    minutes: float | None = None
    workers: int = 1
    dataset: Dataset | None = None  # data already loaded to check the model against; None: read for the check


@dataclass(frozen=True)
class Prepared:
    name: str
    plan: StudyPlan
    resumed: bool


def prepare(storage_url: str | None, launch: Launch, state: TaskState) -> Prepared:
    """On a worker thread: the storage opened, the plan checked against the model and the data, the study made or
    found. Every problem is one line (SpaceError, StudyError, TrainingError, DataError)."""
    storage = open_storage(storage_url)
    if launch.plan is None:
        plan = load_study(storage, launch.name)[1].with_budget(launch.trials, launch.minutes)
    else:
        plan = launch.plan
        check_feasible(plan.space, plan.spec)
        state.check()
        check_fits(plan.spec, launch.dataset or plan.load_data(), plan.config.batch_size)
    state.check()
    _, resumed = create_or_resume(storage, launch.name, plan)
    ready()  # the fork server up (seconds, the first time), so that starting the workers on the GUI thread only forks
    return Prepared(launch.name, plan, resumed)


def ask_to_stop(processes: WorkerProcesses) -> None:
    """SIGTERM to each worker still running: it ends its trial at the next batch and queues it again."""
    for child in processes.children:
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)


@dataclass
class Closing:
    """The workers stopped as the window closes: asked at once, and killed `CLOSE_GRACE_S` after that, however
    long the window's other work took to end meanwhile."""

    processes: WorkerProcesses
    deadline: float = 0.0

    def ask(self) -> None:
        self.deadline = time.monotonic() + CLOSE_GRACE_S
        ask_to_stop(self.processes)

    def wait(self, ms: int) -> None:
        self.processes.stop(max(0.0, min(ms / 1000, self.deadline - time.monotonic())))


class StudyRun(QObject):
    """`state`: "idle", "starting", "running" or "stopping"; `name`: the study started last."""

    started = Signal(object)  # Prepared: the workers are running
    not_started = Signal(str)  # one line: why the study could not start
    ended = Signal(str, str)  # outcome ("finished", "stopped", "failed" or "cancelled"), a failed worker's line

    def __init__(self, tasks: Tasks, storage_url: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tasks, self.storage_url = tasks, storage_url
        self.state = "idle"
        self.name: str | None = None
        self.processes: WorkerProcesses | None = None
        self._deadline = 0.0
        self._timer = QTimer(self, interval=WATCH_MS)
        self._timer.timeout.connect(self._watch)

    @property
    def busy(self) -> bool:
        return self.state != "idle"

    def start(self, launch: Launch) -> None:
        self.state = "starting"
        self.tasks.start(
            START,
            lambda state: prepare(self.storage_url, launch, state),
            lambda prepared: self._launch(prepared, launch.workers),
            self._not_started,
        )

    def _not_started(self, message: str) -> None:
        self.state = "idle"
        self.not_started.emit(message)

    def _launch(self, prepared: Prepared, workers: int) -> None:
        budget = prepared.plan.budget_trials
        workers = min(workers, budget) if budget else workers  # no more workers than trials
        processes = WorkerProcesses(self.storage_url, prepared.name, workers, split_threads(default_threads(), workers))
        try:
            processes.start()
        except OSError as exc:
            processes.stop(0.0)
            self._not_started(
                translate("StudyRun", "cannot start the workers: {problem}").format(problem=exc.strerror or exc)
            )
            return
        self.processes, self.name = processes, prepared.name
        closing = Closing(processes)
        self.tasks.adopt(WORKERS, stop=closing.ask, wait=closing.wait)
        self.state = "running"
        self._timer.start()
        self.started.emit(prepared)

    def stop(self) -> None:
        """Stop starting (nothing runs yet) or ask the workers to stop."""
        if self.state == "starting":
            self.tasks.cancel(START)
            self.state = "idle"
            self.ended.emit("cancelled", "")
        elif self.state == "running" and self.processes is not None:
            ask_to_stop(self.processes)
            self.state = "stopping"
            self._deadline = time.monotonic() + STOP_GRACE_S

    def _watch(self) -> None:
        processes = self.processes
        if processes is None:
            return
        if processes.running:
            if self.state == "stopping" and time.monotonic() > self._deadline:
                processes.stop(0.0)  # killed: its trial is failed by its heartbeat and tried again
            return
        self._timer.stop()
        self.tasks.release(WORKERS)
        stopping, self.state = self.state == "stopping", "idle"
        problem = processes.problem()
        if problem is not None:
            self.ended.emit("failed", problem)
        else:
            self.ended.emit("stopped" if stopping or processes.stopped else "finished", "")

    def shutdown(self) -> None:
        """The window closes: no more watching (its Tasks stop the workers)."""
        self._timer.stop()
