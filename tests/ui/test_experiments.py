"""The Experiments tab: the model's marks are the search space (nothing marked: Start says why it cannot start); a
study's trials fill the table and the plots while worker processes run them; Use best puts the best configuration
into the Build tab (one undo step, the marks kept) and the training form; a trial's runs open in the Runs tab; a
stopped study resumes to its budget; closing the window stops every worker within 2 s; a bad storage or a failing
worker is one line. The study is read on a timer whose interval is injected: tests put it at both extremes (never:
only the reads at the start and the end; 0: a read as soon as the last one landed)."""

from __future__ import annotations

import html
import re
import time

import pytest
from PySide6.QtCore import Qt

from tests.ui.gap_meter import GapMeter
from ui.experiments import study_run
from ui.experiments.trial_table import SORT_ROLE
from ui.main_window import MainWindow
from workbench.model import templates
from workbench.model.vary import Domain
from workbench.system import process_alive

CLOSE_LIMIT_S = 2.0
STUDY_S = 120_000  # ms a whole study may take (worker start-up: a fresh interpreter importing torch)
BASE = templates.template("mnist-fast")


def marked(channels=(4, 8), rates=(0.01, 0.003)):
    """mnist-fast with its first layer's out_channels and the learning rate marked to vary: a grid of four."""
    layers = list(BASE.layers)
    layers[0] = layers[0].with_vary("out_channels", Domain("choice", tuple(channels)))
    return BASE.with_layers(layers).with_setting_vary("lr", Domain("choice", tuple(rates)))


@pytest.fixture
def lab(qtbot):
    """The window on the Experiments tab, quick trials: digits, 300 images, 1 epoch, one worker."""
    window = MainWindow(BASE)
    window.show()
    qtbot.waitExposed(window)
    settings = window.dashboard.settings
    settings.epochs.setValue(1)
    settings.batch_size.setValue(64)
    window.dashboard.selector.select("digits")
    view = window.experiments
    view.form.limit.setValue(300)
    view.form.workers.setValue(1)
    window.tabs.setCurrentWidget(view)
    yield window
    window.document.undo_stack.setClean()
    window.close()
    window.deleteLater()


def start(window, qtbot, spec=None) -> None:
    view = window.experiments
    window.document.replace(spec or marked(), "Mark for a study")
    assert view.start_button.isEnabled()
    assert view.start()
    qtbot.waitUntil(lambda: view.run.state == "running", timeout=60_000)


def said(label) -> str:
    """A label's text as the user reads it (its rich text's tags and escapes gone)."""
    return html.unescape(re.sub(r"<[^>]+>", "", label.text()))


def states(view) -> list[str]:
    return [row["state"] for row in view.model.rows]


def test_nothing_marked_disables_start_and_says_why(lab):
    view = lab.experiments
    assert not view.start_button.isEnabled() and not view.start()
    assert "marked to vary" in view.start_button.toolTip() and "marked to vary" in view.space_label.text()
    lab.document.replace(marked(), "Mark")
    assert view.start_button.isEnabled()
    assert "L1 out_channels" in view.space_label.text() and "0.003" in view.space_label.text()
    assert view.form.sampler.currentData() == "grid"  # a space of lists: every combination
    lab.document.replace(BASE.with_setting_vary("lr", Domain("log", (), 1e-3, 1e-1)), "A range")
    assert view.form.sampler.currentData() == "tpe"


@pytest.mark.slow
def test_a_study_fills_the_table_and_plots_and_its_best_goes_into_build_and_train(lab, qtbot):
    view = lab.experiments
    view.poller.interval_ms = None  # never on the timer: only the reads at the start and at the end
    start(lab, qtbot)
    qtbot.waitUntil(lambda: not view.run.busy, timeout=STUDY_S)
    qtbot.waitUntil(lambda: states(view) == ["COMPLETE"] * 4, timeout=10_000)  # the read at the end
    assert view.poller.reads == 2
    assert "is done: 4 of 4 trials finished" in view.status_label.text()
    configurations = {(row["params"]["layers.0.out_channels"], row["params"]["lr"]) for row in view.model.rows}
    assert configurations == {(4, 0.01), (4, 0.003), (8, 0.01), (8, 0.003)}
    assert [view.model.headerData(i, Qt.Orientation.Horizontal) for i in (2, 3)] == ["L1 out_channels", "lr"]
    assert len(view.best_plot.best_curve.getData()[0]) == 4
    assert view.pareto_plot.front_numbers and len(view.pareto_plot.trials.getData()[0]) == 4
    assert view.parameter_plot.stack.currentIndex() == 1
    qtbot.waitUntil(lambda: view.report is not None, timeout=30_000)
    assert "test images" in view.best_label.text()
    best = view.best_row()
    accuracy = view.model.columnCount() - 4
    view.table.sortByColumn(accuracy, Qt.SortOrder.DescendingOrder)
    assert view.sorter.index(0, accuracy).data(SORT_ROLE) == best["value"]  # (ties: another trial as good)
    assert view.sorter.index(3, accuracy).data(SORT_ROLE) == min(row["value"] for row in view.model.rows)
    before = lab.document.spec
    assert view.use_best()
    layer = lab.document.spec.layers[0]
    assert layer.params["out_channels"] == best["params"]["layers.0.out_channels"] and layer.vary  # marks kept
    assert lab.dashboard.settings.lr.value() == pytest.approx(best["params"]["lr"])
    lab.document.undo_stack.undo()
    assert lab.document.spec == before


@pytest.mark.slow
def test_a_trials_runs_open_in_the_runs_tab(lab, qtbot):
    view = lab.experiments
    start(lab, qtbot, marked(channels=(4,), rates=(0.01, 0.003)))
    qtbot.waitUntil(lambda: not view.run.busy, timeout=STUDY_S)
    qtbot.waitUntil(lambda: states(view) == ["COMPLETE"] * 2, timeout=10_000)
    view.table.selectRow(1)
    assert view.open_run_button.isEnabled()
    row = view.selected_row()
    view.open_selected_runs()
    assert lab.tabs.currentWidget() is lab.runs
    assert lab.runs.selected_ids() == row["runs"]


@pytest.mark.slow
def test_a_stopped_study_resumes_to_its_budget(lab, qtbot):
    view = lab.experiments
    view.poller.interval_ms = 0  # a read as soon as the last one landed
    lab.dashboard.settings.epochs.setValue(4)  # trials of a few seconds: Stop lands mid-trial
    start(lab, qtbot, marked(channels=(4, 8), rates=(0.01,)))
    qtbot.waitUntil(lambda: "RUNNING" in states(view), timeout=60_000)  # seen by the reads on the timer
    assert view.poller.reads > 2
    gaps = GapMeter()
    gaps.start()
    qtbot.wait(1000)  # a second of reading the study back to back while a worker trains
    gaps.timer.stop()
    gap, busy = gaps.largest * 1000, gaps.largest_busy * 1000
    print(f"largest GUI gap during a study: {gap:.0f} ms, largest busy stretch: {busy:.0f} ms")
    assert gaps.ticks > 20 and gaps.largest_busy < 0.100, f"the GUI thread was busy for {busy:.0f} ms at once"
    view.poller.set_interval(200)  # (reads back to back take a core from the workers: on 2 cores, twice as slow)
    view.stop()
    assert not view.stop_button.isEnabled()
    qtbot.waitUntil(lambda: not view.run.busy, timeout=30_000)
    assert "stopped" in view.status_label.text() and "Resume" in view.status_label.text()
    assert states(view).count("COMPLETE") < 2
    assert view.resume_button.isEnabled() and view.form.name.text() == view.run.name
    assert view.resume()
    qtbot.waitUntil(lambda: view.run.state == "running", timeout=60_000)
    qtbot.waitUntil(lambda: not view.run.busy, timeout=STUDY_S)
    qtbot.waitUntil(lambda: states(view).count("COMPLETE") == 2, timeout=10_000)
    assert "is done" in view.status_label.text()


@pytest.mark.slow
def test_closing_the_window_mid_trial_leaves_no_worker(lab, qtbot):
    view = lab.experiments
    view.poller.interval_ms = 0
    lab.dashboard.settings.epochs.setValue(50)
    start(lab, qtbot, marked(channels=(4,), rates=(0.01,)))
    qtbot.waitUntil(lambda: "RUNNING" in states(view), timeout=60_000)
    children = list(view.run.processes.children)
    assert children and all(process_alive(child.pid) for child in children)
    lab.document.undo_stack.setClean()
    began = time.monotonic()
    assert lab.close()
    closed_in = time.monotonic() - began
    print(f"closed mid-trial in {1000 * closed_in:.0f} ms, workers ended with {[c.returncode for c in children]}")
    assert closed_in < CLOSE_LIMIT_S  # a bound on the behaviour, not a benchmark
    assert all(child.poll() is not None and not process_alive(child.pid) for child in children)


def test_a_storage_that_is_not_a_database_is_one_line_and_starts_nothing(lab, qtbot, tmp_path):
    bad = tmp_path / "studies.db"
    bad.write_text("not a database\n" * 100)
    view = lab.experiments
    view.run.storage_url = view.poller.storage_url = f"sqlite:///{bad}"
    start_problem(lab, qtbot)
    text = said(view.status_label)
    assert text.startswith("Cannot use the study storage") and "\n" not in text
    assert view.run.processes is None and view.start_button.isEnabled()


@pytest.mark.slow
def test_a_failing_worker_is_one_line(lab, qtbot, monkeypatch):
    real = study_run.WorkerProcesses
    monkeypatch.setattr(study_run, "WorkerProcesses", lambda url, _name, *rest: real(url, "no-such-study", *rest))
    view = lab.experiments
    start(lab, qtbot)
    qtbot.waitUntil(lambda: not view.run.busy, timeout=60_000)
    text = said(view.status_label)
    assert text.startswith("There is no study 'no-such-study'") and "\n" not in text
    assert view.start_button.isEnabled() and view.form.name.isEnabled()


def start_problem(window, qtbot) -> None:
    view = window.experiments
    window.document.replace(marked(), "Mark for a study")
    assert view.start()
    qtbot.waitUntil(lambda: not view.run.busy, timeout=60_000)
