"""Workers as processes of their own, for the CLI and the window alike: each forked from the app's fork server
(`processes.child`: torch and the training code already imported, so a worker is ready in milliseconds instead of
the seconds a fresh interpreter spends importing torch), with its share of the cores' threads and its messages in a
log file of its own; stopped with SIGTERM (its running trial ends at the next batch and is queued again) and killed
when it does not end within the grace given. `sweep join` on another machine is the same worker in a process of
its own."""

from __future__ import annotations

import os
import signal
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from workbench.experiments.plan import StudyError
from workbench.experiments.space import SpaceError
from workbench.experiments.worker import Worker, study_folder
from workbench.processes.child import start_child
from workbench.text import one_line
from workbench.training.control import RunControl

__all__ = ["STOPPED", "WorkerProcess", "WorkerProcesses", "ready", "run_worker", "split_threads"]

STOPPED = 130  # a worker's exit status when it was stopped


def split_threads(threads: int, workers: int) -> int:
    """Each worker's torch threads: the cores shared out, at least one."""
    return max(1, threads // max(1, workers))


def ready() -> None:
    """Have the fork server up and loaded (a few seconds, once: it imports torch before it forks anything), so that
    `start` then only forks: a window calls this off its GUI thread. A child that does nothing is forked and waited
    for, since the server answers only once its imports are done."""
    start_child(_nothing, (), name="fork server warm-up").join(60)


def _nothing() -> None:
    """The warm-up child's work."""


class WorkerProcess:
    """A forked worker with the little of `subprocess.Popen` that its owners use: pid, poll, send_signal, kill,
    wait and returncode."""

    def __init__(self, process) -> None:
        self.process = process
        self.pid = process.pid

    @property
    def returncode(self) -> int | None:
        return self.process.exitcode

    def poll(self) -> int | None:
        return self.process.exitcode

    def send_signal(self, number: int) -> None:
        if self.process.exitcode is None:
            os.kill(self.pid, number)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def wait(self, timeout: float | None = None) -> int:
        self.process.join(timeout)
        if self.process.exitcode is None:
            raise TimeoutError(f"worker {self.pid} is still running after {timeout} s")
        return self.process.exitcode


def run_worker(storage_url, name, threads, data_dir, runs_dir, log: str) -> None:
    """A worker's process: SIGTERM or SIGINT stops it at the next batch, its trial queued again (exit status
    `STOPPED`); a problem is one `error: …` line in its log (exit status 2)."""
    with open(log, "ab", buffering=0) as sink:
        os.dup2(sink.fileno(), 1)
        os.dup2(sink.fileno(), 2)
    control = RunControl()
    for number in (signal.SIGTERM, signal.SIGINT):  # Ctrl+C in a terminal reaches every process of its group
        signal.signal(number, lambda *_: control.stop())
    try:
        ended = Worker(storage_url, name, threads=threads, data_dir=data_dir, runs_dir=runs_dir, control=control).run()
    except (StudyError, SpaceError, ValueError, OSError) as exc:
        print(f"error: {one_line(str(exc))}", file=sys.stderr, flush=True)
        sys.exit(2)
    print(f"worker ended: {ended}", file=sys.stderr, flush=True)
    sys.exit(STOPPED if ended == "stopped" else 0)


@dataclass
class WorkerProcesses:
    storage_url: str | None
    name: str
    workers: int
    threads: int  # per worker
    data_dir: str | None = None
    runs_dir: str | None = None
    children: list[WorkerProcess] = field(default_factory=list)
    logs: list[Path] = field(default_factory=list)

    def start(self) -> None:
        """Fork the workers; each one's messages go to `worker-N.log` in the study's folder."""
        folder = study_folder(self.name)
        folder.mkdir(parents=True, exist_ok=True)
        self.logs = [folder / f"worker-{index}.log" for index in range(self.workers)]
        for log in self.logs:
            log.write_bytes(b"")
            args = (self.storage_url, self.name, self.threads, self.data_dir, self.runs_dir, str(log))
            self.children.append(WorkerProcess(start_child(run_worker, args, name=f"worker of {self.name}")))

    @property
    def running(self) -> bool:
        return any(child.poll() is None for child in self.children)

    def stop(self, grace: float = 1.5) -> None:
        """SIGTERM to each worker still running; any not ended after `grace` seconds is killed."""
        for child in self.children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + grace
        for child in self.children:
            try:
                child.wait(max(0.0, deadline - time.monotonic()))
            except TimeoutError:
                child.kill()
                child.wait(5)

    def problem(self) -> str | None:
        """The first failed worker's `error: …` line (once all have ended), or None."""
        for child, log in zip(self.children, self.logs, strict=True):
            if child.poll() not in (None, 0, STOPPED, -signal.SIGTERM, -signal.SIGKILL):
                text = log.read_text(errors="replace") if log.is_file() else ""
                lines = [line for line in text.splitlines() if line.startswith("error:")]
                return lines[-1][len("error: ") :] if lines else f"a worker ended with status {child.returncode}"
        return None

    @property
    def stopped(self) -> bool:
        return any(child.returncode in (STOPPED, -signal.SIGTERM, -signal.SIGKILL) for child in self.children)
