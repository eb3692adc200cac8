"""The window's background work has one owner (`ui.background.Tasks`): closing the window during any of it
cancels it and returns within 2 s, with every thread and process done (a dataset read, which cannot stop
midway, is let go of with its result dropped); a newer task of a kind replaces the older; a failure shows one
line and leaves its traceback in the log."""

from __future__ import annotations

import functools
import threading
import time

import pytest
import torch
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

import ui.draw.teach_panel as teach_panel_module
import ui.training.dashboard as dashboard_module
import ui.training.lr_search as lr_search_module
import ui.training.results as results_module
from tests.core.synthetic import bars_dataset
from tests.ui.test_dashboard import open_window_on_bars
from tests.ui.test_keep import trained_here
from tests.ui.test_teach import _file, _trained_bars_model
from ui.background import Tasks
from ui.log_file import log_path
from ui.main_window import MainWindow
from workbench.insight.hard_examples import split_probabilities
from workbench.training.lr_finder import find_lr
from workbench.training.teach import TeachSettings

CLOSE_LIMIT_S = 2.0


@pytest.fixture
def bars(qtbot):
    window = open_window_on_bars(qtbot)
    yield window
    window.document.undo_stack.setClean()
    window.close()  # (closed already by the test: nothing left to stop)
    window.deleteLater()


def closing_time(window: MainWindow, what: str) -> float:
    window.document.undo_stack.setClean()  # (the datasets set the model's input: an unsaved edit)
    started = time.perf_counter()
    assert window.close()
    seconds = time.perf_counter() - started
    print(f"closed during {what} in {1000 * seconds:.0f} ms")
    return seconds


def endless_read(classifier, images, cancelled):
    """A validation read that goes on (reading the first batch again and again) until it is cancelled."""
    while not cancelled():
        split_probabilities(classifier, images[:256], cancelled)
    return split_probabilities(classifier, images, cancelled)


def test_closing_during_a_dataset_read_returns_at_once_and_drops_what_it_read(bars, qtbot, monkeypatch):
    release = threading.Event()

    def read(name, folder=None, progress=None):  # a read that cannot stop midway
        progress("Reading", 0, 10)
        release.wait(60)
        return bars_dataset()

    monkeypatch.setattr(dashboard_module, "load_dataset", read)
    dashboard, arrived = bars.dashboard, []
    try:
        dashboard.load_dataset("digits")
        task = bars.tasks.current(dashboard_module.DATASET)
        task.succeeded.connect(arrived.append)
        with qtbot.waitSignal(task.started, timeout=5000):
            pass
        assert task.running
        assert closing_time(bars, "a dataset read") < CLOSE_LIMIT_S
        assert task.cancelled
    finally:
        release.set()
    qtbot.waitUntil(lambda: task.ended, timeout=5000)
    assert not task.running and arrived == [] and dashboard.dataset is None


def test_closing_during_the_hard_examples_read_cancels_it(bars, qtbot, monkeypatch):
    monkeypatch.setattr(dashboard_module, "split_probabilities", endless_read)
    dashboard = bars.dashboard
    dashboard.show_hard_examples(0, 1)
    task = bars.tasks.current(dashboard_module.HARD_EXAMPLES)
    with qtbot.waitSignal(task.started, timeout=5000):
        pass
    assert closing_time(bars, "the hard-examples read") < CLOSE_LIMIT_S
    assert not task.running and task.cancelled
    assert dashboard.hard_examples is None  # its result never arrived


def test_closing_while_the_hard_examples_are_listed_and_another_cell_is_read(bars, qtbot, monkeypatch):
    dashboard = bars.dashboard
    dashboard.show_hard_examples(0, 1)
    qtbot.waitUntil(lambda: dashboard.hard_examples is not None and dashboard.hard_examples.isVisible(), timeout=10000)
    listing = dashboard.hard_examples
    monkeypatch.setattr(dashboard_module, "split_probabilities", endless_read)
    dashboard._val_cache = None  # (as after new weights) the next cell reads the split again
    dashboard.show_hard_examples(1, 0)
    task = bars.tasks.current(dashboard_module.HARD_EXAMPLES)
    with qtbot.waitSignal(task.started, timeout=5000):
        pass
    assert closing_time(bars, "the hard-examples listing") < CLOSE_LIMIT_S
    assert not task.running
    qtbot.wait(50)
    assert (listing.cell.true, listing.cell.predicted) == (0, 1)  # still the first cell: the read was dropped


def test_closing_during_the_learning_rate_search_stops_it_between_batches(bars, qtbot, monkeypatch):
    monkeypatch.setattr(lr_search_module, "find_lr", functools.partial(find_lr, steps=1_000_000))
    dashboard = bars.dashboard
    dashboard.settings.batch_size.setValue(32)
    assert dashboard.find_lr()
    task = dashboard.lr_search.task
    with qtbot.waitSignal(task.progressed, timeout=30000):  # a step of the search is done, the next under way
        pass
    assert closing_time(bars, "the learning-rate search") < CLOSE_LIMIT_S
    assert not task.running and task.cancelled
    assert torch.get_num_threads() == 1  # the window's own again
    assert dashboard.lr_finder.finding is None


def test_closing_during_a_logits_export_stops_it_before_anything_is_written(bars, qtbot, monkeypatch, tmp_path):
    def export(saved, dataset, split, path, probabilities, progress):  # batch after batch, until cancelled
        while True:
            time.sleep(0.002)  # (a batch's work)
            progress(1, 2)

    monkeypatch.setattr(results_module, "export_split_logits", export)
    dashboard = bars.dashboard
    dashboard.set_saved(trained_here(), "bars.cnnwb")
    task = dashboard.export_logits(tmp_path / "logits.csv", "test")
    with qtbot.waitSignal(task.progressed, timeout=5000):
        pass
    assert closing_time(bars, "a logits export") < CLOSE_LIMIT_S
    assert not task.running and task.cancelled
    assert not (tmp_path / "logits.csv").exists()


def test_closing_during_teach_stops_its_process(bars, qtbot, monkeypatch):
    monkeypatch.setattr(teach_panel_module, "TeachSettings", functools.partial(TeachSettings, steps=100_000))
    dashboard = bars.dashboard
    dashboard.set_saved(_trained_bars_model(dashboard), "bars model")
    bars.tabs.setCurrentWidget(bars.draw)
    panel = bars.draw.teach
    _file(qtbot, bars, 2, 2)
    qtbot.mouseClick(panel.teach_button, Qt.MouseButton.LeftButton)
    assert panel.teaching
    qtbot.waitUntil(lambda: panel.progress.format().startswith("step"), timeout=60000)
    process, reader = panel.job.process, panel._reader.thread
    assert closing_time(bars, "teach") < CLOSE_LIMIT_S
    assert not process.is_alive() and not reader.isRunning()


def test_closing_during_a_run_stops_its_process(bars, qtbot):
    dashboard = bars.dashboard
    dashboard.settings.epochs.setValue(100)
    assert dashboard.start()
    qtbot.waitUntil(lambda: dashboard.run.step > 3, timeout=30000)
    thread, process = dashboard.run.thread, dashboard.run.remote.process
    assert closing_time(bars, "a training run") < CLOSE_LIMIT_S
    assert not thread.isRunning() and not process.is_alive()


def test_a_newer_dataset_load_replaces_the_older_whose_result_never_arrives(bars, qtbot, monkeypatch):
    release, newer = threading.Event(), bars_dataset(train=64, val=16, test=16)

    def read(name, folder=None, progress=None):
        if name == "slow":
            release.wait(60)
            return bars_dataset(train=32, val=8, test=8)
        return newer

    monkeypatch.setattr(dashboard_module, "load_dataset", read)
    dashboard = bars.dashboard
    try:
        dashboard.load_dataset("slow")
        older = bars.tasks.current(dashboard_module.DATASET)
        with qtbot.waitSignal(older.started, timeout=5000):
            pass
        dashboard.load_dataset("quick")
        qtbot.waitUntil(lambda: dashboard.dataset is newer, timeout=5000)
    finally:
        release.set()
    qtbot.waitUntil(lambda: older.ended, timeout=5000)
    assert older.cancelled and dashboard.dataset is newer


def test_a_failing_task_shows_one_line_and_logs_its_traceback(bars, qtbot, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *rest: shown.append(text))

    def broken_read(classifier, images, cancelled):
        raise RuntimeError("the read broke\non its second line")

    monkeypatch.setattr(dashboard_module, "split_probabilities", broken_read)
    bars.dashboard.show_hard_examples(0, 1)
    qtbot.waitUntil(lambda: bool(shown), timeout=5000)
    assert shown == ["RuntimeError: the read broke on its second line"]
    log = log_path(bars.keeper.state).read_text(encoding="utf-8")
    assert "Background task 'hard examples' failed" in log and "Traceback" in log
    assert "in broken_read" in log and "RuntimeError: the read broke\non its second line" in log
    bars.document.undo_stack.setClean()


def test_tasks_of_one_kind_replace_each_other_and_shutdown_cancels_the_rest(qtbot):
    tasks = Tasks()
    results: list[str] = []

    def until_cancelled(state):
        while not state.cancelled():
            time.sleep(0.001)  # (the job's work)
        return "older"

    older = tasks.start("kind", until_cancelled, results.append)
    with qtbot.waitSignal(older.started, timeout=5000):
        pass
    newer = tasks.start("kind", lambda state: "newer", results.append)
    other = tasks.start("other", until_cancelled, results.append)
    qtbot.waitUntil(lambda: newer.ended and older.ended, timeout=5000)
    assert results == ["newer"] and older.cancelled and tasks.busy("other")
    assert tasks.shutdown(1000)
    qtbot.wait(20)
    assert results == ["newer"] and not other.running
