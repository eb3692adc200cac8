"""Training throughput inside the app (all panels live) against the bare engine, in one run.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_app.py [--dataset mnist] [--limit 12000] [--repeats 3]

Both train the same model on the same data with the same settings and thread count: the engine
headless (events to a list, probe on), the app through the real MainWindow's Train tab with the
loss, accuracy, learning-rate, feature-map, softmax, confusion and filter panels updating.
Prints images/s of each (median of alternating runs) and the median ratio of back-to-back pairs
(target ≥ 0.9 on CPU): on a shared machine throughput drifts by ±20% between runs, pairs cancel the drift.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from app_window import open_window  # bench/ is the script's folder
from PySide6.QtWidgets import QApplication

from ui.main_window import MainWindow
from workbench.data.datasets import load_dataset
from workbench.model import templates
from workbench.training.config import TrainConfig
from workbench.training.support import warm_up
from workbench.training.trainer import Trainer


def engine(spec, dataset, config) -> float:
    events = []
    trainer = Trainer(spec, dataset, config, listener=events.append)
    trainer.set_probe(dataset.test.images[0], int(dataset.test.labels[0]))
    trainer.fit()
    return _images_per_second(trainer.history)


def in_app(app: QApplication, window: MainWindow, config) -> float:
    dashboard = window.dashboard
    settings = dashboard.settings
    settings.epochs.setValue(config.epochs)
    settings.batch_size.setValue(config.batch_size)
    assert dashboard.start()
    while dashboard.running or dashboard.state != "idle":
        app.processEvents()
        time.sleep(0.001)
    return _images_per_second(dashboard.run.history)


def _images_per_second(history) -> float:
    images = sum(row["images_per_second"] * row["seconds"] for row in history)
    return images / sum(row["seconds"] for row in history)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", default="mnist")
    parser.add_argument("--limit", type=int, default=12000)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    warm_up()
    dataset = load_dataset(args.dataset, limit=args.limit)  # with validation: the app shows its panels
    spec = templates.template("mnist-classic")
    config = TrainConfig(epochs=args.epochs)  # the app's defaults: all cores but one
    window = open_window(app, spec, dataset)
    engine_runs, app_runs = [], []
    for _ in range(args.repeats):
        engine_runs.append(engine(spec, dataset, config))
        app_runs.append(in_app(app, window, config))
    eng, gui = statistics.median(engine_runs), statistics.median(app_runs)
    pairs = [a / e for a, e in zip(app_runs, engine_runs, strict=True)]
    print(f"mnist-classic on {len(dataset.train)} {dataset.name} images, {args.epochs} epochs, app-default threads")
    print(f"bare engine (probe on)   {eng:10,.0f} images/s  (runs: {', '.join(f'{r:,.0f}' for r in engine_runs)})")
    print(f"in the app, panels live  {gui:10,.0f} images/s  (runs: {', '.join(f'{r:,.0f}' for r in app_runs)})")
    print(
        f"app / engine             {statistics.median(pairs):10.3f}   median of the {len(pairs)} back-to-back pairs "
        f"({', '.join(f'{r:.2f}' for r in pairs)}); target ≥ 0.9"
    )
    window.document.undo_stack.setClean()
    window.close()


if __name__ == "__main__":
    main()
