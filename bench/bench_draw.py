"""Latency of the Draw tab: from a mouse event on the canvas to the updated softmax bars.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_draw.py [--dataset mnist] [--moves 300]

Draws strokes with real mouse-move events sent to the canvas in the real MainWindow (mnist-classic)
and times, for each, the event's delivery plus everything the window does before it is idle again:
preprocessing, the forward pass, the bars' redraw and the repaint. Twice: with nothing else going
on, and while the model trains (the panels live, new weights arriving a few times a second).
Prints the median and 95th percentile, wall and CPU time (target: under 30 ms on CPU).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
from app_window import open_window  # bench/ is the script's folder
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from ui.main_window import MainWindow
from workbench.data.datasets import load_dataset
from workbench.model import templates

LEFT = Qt.MouseButton.LeftButton


def mouse(kind: QEvent.Type, x: float, y: float, buttons) -> QMouseEvent:
    point = QPointF(x, y)
    return QMouseEvent(kind, point, point, point, LEFT, buttons, Qt.KeyboardModifier.NoModifier)


def settle(app: QApplication) -> None:
    """Run the event loop until it has nothing left to do (the classification and the repaint)."""
    app.sendPostedEvents()
    app.processEvents()


def draw_and_time(app: QApplication, window: MainWindow, moves: int) -> list[tuple[float, float]]:
    canvas, draw = window.draw.canvas, window.draw
    side = min(canvas.width(), canvas.height())
    x0, y0 = (canvas.width() - side) / 2, 0
    rng = np.random.default_rng(0)
    timings = []
    while len(timings) < moves:
        canvas.clear()
        settle(app)
        start = rng.uniform(0.2, 0.8, size=2) * side
        app.sendEvent(canvas, mouse(QEvent.Type.MouseButtonPress, x0 + start[0], y0 + start[1], LEFT))
        settle(app)
        position = start
        for _ in range(30):
            position = np.clip(position + rng.normal(0, side * 0.03, size=2), side * 0.1, side * 0.9)
            before = draw.classifications
            began, cpu = time.perf_counter(), time.process_time()
            app.sendEvent(canvas, mouse(QEvent.Type.MouseMove, x0 + position[0], y0 + position[1], LEFT))
            settle(app)
            timings.append((time.perf_counter() - began, time.process_time() - cpu))
            assert draw.classifications == before + 1, "the move was not classified"
        app.sendEvent(canvas, mouse(QEvent.Type.MouseButtonRelease, x0 + position[0], y0 + position[1], LEFT))
        settle(app)
    return timings[:moves]


def report(name: str, timings: list[tuple[float, float]]) -> None:
    """Wall time is what the user sees; CPU time (this process, all threads) is what it would be on a
    machine to itself: on a shared one the wall time includes waiting for a core."""
    for clock, values in (("wall", [w for w, _ in timings]), ("CPU", [c for _, c in timings])):
        ms = sorted(1000 * t for t in values)
        p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
        median = statistics.median(ms)
        print(f"{name:15s} {clock:4s} median {median:6.1f} ms   p95 {p95:6.1f} ms   max {ms[-1]:6.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", default="mnist")
    parser.add_argument("--limit", type=int, default=20000)
    parser.add_argument("--moves", type=int, default=300)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    dataset = load_dataset(args.dataset, limit=args.limit)
    window = open_window(app, templates.template("mnist-classic"), dataset)
    window.tabs.setCurrentWidget(window.draw)
    settle(app)
    print(f"mnist-classic, Draw tab at 1400×900, {args.moves} mouse moves per case")
    report("idle", draw_and_time(app, window, args.moves))

    window.dashboard.settings.epochs.setValue(50)
    assert window.dashboard.start()
    while window.dashboard.run.state is None:  # until the first weights have arrived
        settle(app)
        time.sleep(0.01)
    settle(app)
    report("while training", draw_and_time(app, window, args.moves))
    print(f"(the model was at step {window.dashboard.run.step:,} when the moves ended)")
    window.dashboard.stop(wait_ms=10000)
    window.document.undo_stack.setClean()
    window.close()


if __name__ == "__main__":
    main()
