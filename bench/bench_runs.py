"""The Runs tab with many runs: fill a fresh run store with N runs (10 epochs, 1,000 batch losses each),
then time opening the tab (store opened, table read and shown) and filtering it (target: each under
200 ms for 1,000 runs), and selecting three runs to overlay.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_runs.py [--runs 1000] [--repeats 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time

from workbench.model import templates
from workbench.runs.store import RunStore


def fill(store: RunStore, count: int) -> None:
    names = list(templates.TEMPLATES)
    for number in range(count):
        spec = templates.template(names[number % len(names)])
        run_id = store.start_run(spec, {"epochs": 10}, "mnist", source="cli", name=f"trial {number}")
        for epoch in range(1, 11):
            store.add_epoch(
                run_id,
                {"epoch": epoch, "step": 100 * epoch, "train_loss": 1 / epoch, "train_accuracy": 0.9,
                 "val_loss": 1.1 / epoch, "val_accuracy": 0.9 + epoch / 200, "seconds": 1.5},
            )  # fmt: skip
        store.add_batches(run_id, list(range(1, 1001)), [2.0 / (1 + s / 100) for s in range(1000)])
        store.finish(run_id, "finished", test_accuracy=0.95)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="bench-runs-")
    os.environ["WORKBENCH_RUNS_DIR"] = folder
    started = time.perf_counter()
    store = RunStore()
    fill(store, args.runs)
    store.close()
    print(f"filled {args.runs} runs in {time.perf_counter() - started:.1f} s")

    from PySide6.QtWidgets import QApplication

    from ui.runs.runs_view import RunsView

    app = QApplication.instance() or QApplication([])
    opens, filters, overlays = [], [], []
    for _ in range(args.repeats):
        start = time.perf_counter()
        store = RunStore()
        view = RunsView(store)
        view.resize(1400, 800)
        view.show()
        app.processEvents()
        opens.append(time.perf_counter() - start)
        for text in ("trial 99", "mnist-fast", ""):
            start = time.perf_counter()
            view.filter_edit.setText(text)
            app.processEvents()
            filters.append(time.perf_counter() - start)
        start = time.perf_counter()
        view.select_ids([1, 2, 3])
        app.processEvents()
        overlays.append(time.perf_counter() - start)
        assert len(view.overlay.loss_curves) == 3
        view.close()
        view.deleteLater()
        store.close()
    ms = lambda values: f"median {1000 * statistics.median(values):6.1f} ms, max {1000 * max(values):6.1f} ms"  # noqa: E731
    print(f"open the Runs tab ({args.runs} runs)   {ms(opens)}")
    print(f"filter (3 texts × {args.repeats})          {ms(filters)}")
    print(f"overlay 3 runs                     {ms(overlays)}")


if __name__ == "__main__":
    main()
