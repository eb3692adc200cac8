"""Soak of Train → Stop in the real window: memory, threads and child processes come back, every stop is prompt.

    .venv/bin/python bench/soak.py [--cycles 100] [--pause-cycles 20] [--min-steps 3]

Opens the real MainWindow (1400×900, offscreen unless QT_QPA_PLATFORM says otherwise) with the built-in
digits chosen in the Train tab's own dataset selector, then clicks its buttons: `--cycles` times Train →
wait for `--min-steps` batches → Stop, then `--pause-cycles` times Train → batches → Pause → paused →
Resume → more batches → Stop. Each Train forks a training process from the fork server, which has imported
what a run needs (0.5 s a cycle here, 2.7 s when each run still imported torch._dynamo itself, 3.9 s with spawn);
this is a bench script, not a CI test. Runs, checkpoints and
settings go to a temporary folder, never the user's.

A stop is timed from the Stop click until the dashboard is idle again and the training process has exited
(read from /proc, so the soak reaps nothing the app would not). The baseline is taken after one warm-up
cycle, not counted: the first run imports and caches things once (torch's thread pools, multiprocessing's
resource tracker, which stays as a child). Measured before and after: this process's RSS (VmRSS), its
threads (Python's and the native ones in /proc/self/task), its live child processes (/proc children,
zombies counted apart) and, for information, its open file descriptors and the training runs the dashboard
still holds. Beside each stop's wall time it prints the CPU the training process used between the window going
idle and its exit (interpreter teardown), to tell a slow exit from a busy machine: the process runs at nice +5.

Targets (exit status 1 if one fails): RSS growth < 50 MB, threads and children back to their baseline
count, no stop over 3 s, and every cycle ends "stopped" with no warning dialog.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

RSS_LIMIT_MB = 50.0
STOP_LIMIT_S = 3.0
START_TIMEOUT_S = 120.0  # Train → the first batches (a spawn and a torch import, on a busy machine)
STEP_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 30.0  # waited for beyond STOP_LIMIT_S, so a slow stop is measured rather than cut short
SETTLE_TIMEOUT_S = 10.0


class SoakError(RuntimeError):
    """A cycle did not go as the user would see it go (a timeout, a warning, another outcome)."""


# ----- measuring (/proc: Linux) ------------------------------------------------------------------------


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def native_threads() -> int:
    return len(os.listdir("/proc/self/task"))


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def _stat(pid: int) -> list[str] | None:
    """The fields of /proc/`pid`/stat after the name (state first), None once the process is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    return stat.rsplit(")", 1)[1].split()  # the name in parentheses may hold spaces


def _process_state(pid: int) -> str | None:
    """The one-letter state of process `pid` (Z: a zombie, exited but not yet waited for), None once it is gone."""
    fields = _stat(pid)
    return None if fields is None else fields[0]


def cpu_seconds(pid: int) -> float | None:
    """The CPU time (user + system) process `pid` has used; a zombie keeps its figure until it is reaped."""
    fields = _stat(pid)
    return None if fields is None else (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children() -> tuple[int, int]:
    """(live, zombie) child processes of this process, from /proc; waits on none of them."""
    pids: set[int] = set()
    for task in os.listdir("/proc/self/task"):
        with contextlib.suppress(FileNotFoundError):  # the thread has just ended
            pids.update(int(pid) for pid in Path(f"/proc/self/task/{task}/children").read_text().split())
    states = [_process_state(pid) for pid in pids]
    return sum(state not in (None, "Z", "X") for state in states), sum(state in ("Z", "X") for state in states)


def exited(pid: int) -> bool:
    return _process_state(pid) in (None, "Z", "X")


class Snapshot:
    def __init__(self):
        self.rss = rss_mb()
        self.py_threads = threading.active_count()
        self.threads = native_threads()
        self.children, self.zombies = children()
        self.fds = open_fds()

    def threads_text(self) -> str:
        return f"{self.threads} native / {self.py_threads} Python"


# ----- driving the window ----------------------------------------------------------------------------------


def pump(seconds: float) -> None:
    """Handle the window's events, then sleep with the interpreter lock released, as the app's event loop
    waits. (QTest.qWait keeps the lock while it waits: the window's worker threads, the dataset loader among
    them, then barely run, and the digits once took over 60 s to load.)"""
    QCoreApplication.processEvents()
    time.sleep(seconds)


def wait_until(condition, timeout: float, what: str) -> None:
    """Pump the GUI's events until `condition()` holds; SoakError after `timeout` seconds."""
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise SoakError(f"no {what} after {timeout:.0f} s")
        pump(0.005)


def click(button: QPushButton) -> None:
    if not button.isEnabled():
        raise SoakError(f"the {button.text()!r} button is disabled")
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)


def isolate(folder: Path) -> None:
    """The window's run store, state (autosave, checkpoints) and settings in `folder`, not the user's."""
    os.environ["WORKBENCH_RUNS_DIR"] = str(folder / "runs")
    os.environ["WORKBENCH_STATE_DIR"] = str(folder / "state")
    QCoreApplication.setOrganizationName("CNN Workbench Soak")
    QCoreApplication.setApplicationName("CNN Workbench Soak")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder / "settings"))


def open_on_digits(epochs: int):
    """The real window, 1400×900, on the Train tab with the built-in digits chosen in its dataset selector."""
    from ui.main_window import MainWindow

    window = MainWindow()  # the starter model fits the digits (the window matches its input to the data)
    window.resize(1400, 900)
    dashboard = window.dashboard
    dashboard.selector.select("digits")  # before the tab is first shown: that loads the chosen dataset
    window.show()
    window.tabs.setCurrentWidget(dashboard)
    wait_until(lambda: dashboard.dataset is not None and dashboard.train_button.isEnabled(), 60, "digits loaded")
    if dashboard.dataset.name != "digits":
        raise SoakError(f"the Train tab loaded {dashboard.dataset.name}, not the digits")
    dashboard.settings.epochs.setValue(epochs)  # far more than a cycle trains: no run finishes on its own
    return window


class Cycles:
    def __init__(self, dashboard, min_steps: int, warnings: list[str]):
        self.dashboard, self.min_steps, self.warnings = dashboard, min_steps, warnings
        self.stops: list[float] = []  # Stop click → idle and the process gone, seconds
        self.idles: list[float] = []  # Stop click → idle (the window's part)
        self.exit_cpu: list[float] = []  # CPU the training process used from the window's idle to its exit
        self.pauses: list[float] = []  # Pause click → paused
        self.resumes: list[float] = []  # Resume click → running again

    def run(self, pause: bool) -> None:
        dashboard = self.dashboard
        wait_until(lambda: dashboard.train_button.isEnabled(), 10, "Train button enabled")
        click(dashboard.train_button)
        run = dashboard.run
        if not dashboard.running or run is None:
            raise SoakError("Train did not start a run")
        self._steps(run, self.min_steps, START_TIMEOUT_S)
        if pause:
            clicked = time.perf_counter()
            click(dashboard.pause_button)
            wait_until(lambda: dashboard.state == "paused" or not run.running, STEP_TIMEOUT_S, "pause")
            self.pauses.append(time.perf_counter() - clicked)
            if dashboard.pause_button.text() != "Resume":
                raise SoakError(f"paused, the button says {dashboard.pause_button.text()!r}")
            step = run.step
            clicked = time.perf_counter()
            click(dashboard.pause_button)
            wait_until(lambda: dashboard.state == "running" or not run.running, STEP_TIMEOUT_S, "resume")
            self.resumes.append(time.perf_counter() - clicked)
            self._steps(run, step + self.min_steps, STEP_TIMEOUT_S)
        pid = run.remote.process.pid
        clicked = time.perf_counter()
        click(dashboard.stop_button)
        wait_until(lambda: dashboard.state == "idle" and not dashboard.running, STOP_TIMEOUT_S, "idle after Stop")
        self.idles.append(time.perf_counter() - clicked)
        cpu_at_idle = cpu_seconds(pid)
        wait_until(lambda: exited(pid), STOP_TIMEOUT_S, "training process exit after Stop")
        self.stops.append(time.perf_counter() - clicked)
        cpu_at_exit = cpu_seconds(pid)
        if cpu_at_idle is not None and cpu_at_exit is not None:
            self.exit_cpu.append(cpu_at_exit - cpu_at_idle)
        if run.outcome != "stopped":
            raise SoakError(f"the run ended {run.outcome!r}, not 'stopped'")
        if self.warnings:
            raise SoakError(f"a warning came up: {self.warnings[-1]}")

    def _steps(self, run, step: int, timeout: float) -> None:
        wait_until(lambda: run.step >= step or not run.running, timeout, f"batch {step}")
        if not run.running:
            raise SoakError(f"the run ended {run.outcome!r} before batch {step}")


def settle(base: Snapshot) -> Snapshot:
    """After the last cycle: give the last run's threads and process a moment to end, up to a deadline."""
    deadline = time.perf_counter() + SETTLE_TIMEOUT_S
    while True:
        now = Snapshot()
        back = now.threads <= base.threads and now.py_threads <= base.py_threads and now.children <= base.children
        if back or time.perf_counter() > deadline:
            return now
        pump(0.02)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def soak(args, dashboard, cycles: Cycles) -> list[str]:
    """The counted cycles after the warm-up one; prints the figures, returns the targets missed."""
    from ui.training.worker import TrainingRun

    base = Snapshot()
    warm = len(cycles.stops), len(cycles.exit_cpu)  # the warm-up's figures, left out
    started = time.perf_counter()
    print(
        f"digits ({len(dashboard.dataset.train)} train images) on {dashboard.settings.config().device}; "
        f"baseline after 1 warm-up cycle: RSS {base.rss:.1f} MB, threads {base.threads_text()}, "
        f"children {base.children}, fds {base.fds}",
        flush=True,
    )
    total, failures = args.cycles + args.pause_cycles, []
    for cycle in range(1, total + 1):
        try:
            cycles.run(pause=cycle > args.cycles)
        except SoakError as exc:
            failures.append(f"cycle {cycle}: {exc}")
            dashboard.shutdown(5000)
            break
        if cycle % 10 == 0 or cycle == total:
            now = Snapshot()
            print(
                f"cycle {cycle:4d}/{total} {'pause' if cycle > args.cycles else 'stop '}  "
                f"RSS {now.rss:7.1f} MB ({now.rss - base.rss:+6.1f})  threads {now.threads_text()}  "
                f"children {now.children}  fds {now.fds}  slowest stop {ms(max(cycles.stops[warm[0] :]))}  "
                f"{time.perf_counter() - started:5.0f} s",
                flush=True,
            )
    end = settle(base)
    seconds = time.perf_counter() - started
    counted, idles, exit_cpu = cycles.stops[warm[0] :], cycles.idles[warm[0] :], cycles.exit_cpu[warm[1] :]
    if not counted:
        return failures
    growth = end.rss - base.rss
    pauses = len(cycles.pauses)
    print(f"cycles: {len(counted)} ({len(counted) - pauses} stop, {pauses} pause)")
    print(
        f"RSS: {base.rss:.1f} → {end.rss:.1f} MB, growth {growth:+.1f} MB "
        f"({growth / len(counted) * 1024:+.0f} kB/cycle)"
    )
    print(f"threads: {base.threads_text()} → {end.threads_text()}")
    print(f"children: {base.children} → {end.children} live ({end.zombies} exited, not yet reaped)")
    runs_kept = len(dashboard.findChildren(TrainingRun))
    print(
        f"for information: open fds {base.fds} → {end.fds} ({(end.fds - base.fds) / len(counted):+.1f}/cycle), "
        f"training runs the dashboard still holds: {runs_kept}"
    )
    print(
        f"stop, click → idle and process exited: slowest {ms(max(counted))}, median {ms(statistics.median(counted))}; "
        f"click → idle: slowest {ms(max(idles))}, median {ms(statistics.median(idles))}"
    )
    if exit_cpu:
        print(
            f"  the process's CPU from the window's idle to its exit: median {ms(statistics.median(exit_cpu))}, "
            f"most {ms(max(exit_cpu))} (the rest of that wait is the machine's load: it runs at nice +5)"
        )
    if cycles.pauses:
        print(f"pause: slowest {ms(max(cycles.pauses))}; resume: slowest {ms(max(cycles.resumes))}")
    print(f"time: {seconds:.0f} s for the {len(counted)} cycles")
    if growth >= RSS_LIMIT_MB:
        failures.append(f"RSS grew {growth:.1f} MB (target < {RSS_LIMIT_MB:.0f})")
    if end.threads > base.threads or end.py_threads > base.py_threads:
        failures.append(f"threads not back: {base.threads_text()} → {end.threads_text()}")
    if end.children > base.children:
        failures.append(f"children not back: {base.children} → {end.children}")
    if max(counted) > STOP_LIMIT_S:
        slow = sum(s > STOP_LIMIT_S for s in counted)
        failures.append(f"{slow} stop(s) over {STOP_LIMIT_S:.0f} s, the slowest {ms(max(counted))}")
    return failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cycles", type=int, default=100, help="Train → batches → Stop cycles")
    parser.add_argument("--pause-cycles", type=int, default=20, help="Train → Pause → Resume → Stop cycles")
    parser.add_argument("--min-steps", type=int, default=3, help="batches to wait for before Pause and Stop")
    parser.add_argument("--epochs", type=int, default=100, help="the run's epochs (enough that none finishes)")
    args = parser.parse_args()
    started = time.perf_counter()
    app = QApplication.instance() or QApplication([])
    folder = Path(tempfile.mkdtemp(prefix="bench-soak-"))
    isolate(folder)
    warnings: list[str] = []
    QMessageBox.warning = lambda parent, title, text, *rest: warnings.append(f"{title}: {text}")  # never modal
    window = open_on_digits(args.epochs)
    dashboard = window.dashboard
    cycles = Cycles(dashboard, args.min_steps, warnings)
    failures: list[str] = []
    try:
        cycles.run(pause=False)  # warm-up, not counted: the baseline is taken after it
    except SoakError as exc:
        failures.append(f"warm-up cycle: {exc}")
    else:
        failures += soak(args, dashboard, cycles)
    window.document.undo_stack.setClean()  # the digits changed the model's input: do not ask about it
    window.close()
    app.processEvents()
    shutil.rmtree(folder, ignore_errors=True)
    for failure in failures:
        print(f"FAIL: {failure}")
    print(f"{'FAIL' if failures else 'PASS'} ({time.perf_counter() - started:.0f} s in all)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
