"""Learn ▸ Depth: nothing is drawn before a run; Run trains both networks in the background and fills both plots
and the figures; Cancel stops it and the page can run again. The runs here are short (30 steps): the lesson's
numbers themselves are tested in tests/core/test_depth_lesson.py."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from tests.ui.gap_meter import GapMeter
from ui.background import Tasks
from ui.learn.depth_explorer import DEPTH_LESSON, DepthExplorer
from ui.learn.learn_panel import LearnPanel
from workbench.explore.depth import PLAIN, RESIDUAL_NAME, DepthSettings

SHORT = DepthSettings(steps=30, record_every=10)


def page_in_host(qtbot, settings: DepthSettings = SHORT) -> tuple[DepthExplorer, QWidget]:
    """The page in a top-level widget that has `tasks`, as the main window has."""
    host = QWidget()
    host.tasks = Tasks(host)
    page = DepthExplorer(settings=settings, parent=host)
    qtbot.addWidget(host)
    return page, host


def test_nothing_is_drawn_before_a_run(qtbot):
    page, _host = page_in_host(qtbot)
    assert page.stack.currentWidget() is page.empty and "Run trains the same 20-layer network" in page.empty.text()
    assert "30 steps" in page.empty.text()
    assert all(curve.xData is None for curve in page.plots.loss_curves.values())
    assert not page.cancel_button.isEnabled() and page.result is None


def test_run_fills_the_plots_and_the_figures_in_the_background(qtbot):
    page, host = page_in_host(qtbot)
    gaps = GapMeter()
    gaps.start()
    page.run_button.click()
    assert page.running and page.tasks() is host.tasks and host.tasks.busy(DEPTH_LESSON)
    assert not page.run_button.isEnabled() and page.cancel_button.isEnabled() and not page.progress.isHidden()
    qtbot.waitUntil(lambda: page.result is not None, timeout=60_000)
    gaps.timer.stop()
    assert gaps.ticks > 10 and gaps.largest_busy < 0.1  # the GUI thread's own work stayed short throughout
    assert page.stack.currentWidget() is page.plots and not page.running and page.run_button.isEnabled()
    for name in (PLAIN, RESIDUAL_NAME):
        assert len(page.plots.loss_curves[name].yData) == 30
        assert len(page.plots.gradient_curves[name].xData) == 20
    assert page.plots.record_slider.maximum() == 3 and page.plots.record_slider.value() == 3
    assert "after 30 steps" in page.plots.record_label.text()
    figures = page.figures.text()
    assert "Plain 20 layers" in figures and "Residual 20 layers" in figures and "times</b> larger" in figures
    assert f"{100 * page.result.residual.test_accuracy:.1f}%" in figures
    assert page.status.text().startswith("Trained both networks in")
    page.plots.record_slider.setValue(0)
    assert "untrained (step 0)" in page.plots.record_label.text()
    untrained = page.result.plain.grad_norms[0]
    assert list(page.plots.gradient_curves[PLAIN].yData) == list(untrained)


def test_cancel_stops_the_run_and_run_starts_again(qtbot):
    page, _host = page_in_host(qtbot, DepthSettings(steps=400))
    page.run_button.click()
    task = page.task
    qtbot.waitUntil(lambda: page.progress.value() >= 2, timeout=60_000)  # training, not reading the digits
    page.cancel_button.click()
    assert task.cancelled and not page.running and page.status.text().startswith("Cancelled")
    assert page.run_button.isEnabled() and not page.cancel_button.isEnabled() and page.progress.isHidden()
    assert task.wait(10_000)  # the job stopped between two steps, long before its 400
    qtbot.wait(50)
    assert page.result is None and page.stack.currentWidget() is page.empty
    page.settings = SHORT
    page.run_button.click()
    qtbot.waitUntil(lambda: page.result is not None, timeout=60_000)


def test_the_learn_tab_has_the_depth_page(qtbot):
    panel = LearnPanel()
    qtbot.addWidget(panel)
    index = panel.tabs.indexOf(panel.depth)
    assert panel.tabs.tabText(index) == "Depth" and panel.depth.objectName() == "depthExplorer"
