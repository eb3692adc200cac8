"""Workers as processes of their own (`python -m workbench sweep join NAME --workers 1`), for the CLI and the window
alike: each a fresh interpreter with its share of the cores' threads, stopped with SIGTERM (its running trial ends
at the next batch and is queued again) and killed when it does not end within the grace given."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from workbench.experiments.worker import study_folder

__all__ = ["STOPPED", "WorkerProcesses", "split_threads"]

STOPPED = 130  # a worker's exit status when it was stopped


def split_threads(threads: int, workers: int) -> int:
    """Each worker's torch threads: the cores shared out, at least one."""
    return max(1, threads // max(1, workers))


@dataclass
class WorkerProcesses:
    storage_url: str | None
    name: str
    workers: int
    threads: int  # per worker
    data_dir: str | None = None
    runs_dir: str | None = None
    children: list[subprocess.Popen] = field(default_factory=list)
    logs: list[Path] = field(default_factory=list)

    def command(self) -> list[str]:
        command = [sys.executable, "-m", "workbench", "sweep", "join", self.name, "--workers", "1"]
        command += ["--threads", str(self.threads)]
        for option, value in (("--storage", self.storage_url), ("--data-dir", self.data_dir)):
            if value:
                command += [option, value]
        if self.runs_dir:
            command += ["--runs-dir", self.runs_dir]
        return command

    def start(self) -> None:
        """Start the workers; each one's messages go to `worker-N.log` in the study's folder (a pipe nobody reads
        would block a long sweep once full)."""
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        folder = study_folder(self.name)
        folder.mkdir(parents=True, exist_ok=True)
        self.logs = [folder / f"worker-{index}.log" for index in range(self.workers)]
        self.children = []
        for log in self.logs:
            with open(log, "wb") as sink:
                self.children.append(
                    subprocess.Popen(self.command(), stdin=subprocess.DEVNULL, stdout=sink, stderr=sink, env=env)
                )

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
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()

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
