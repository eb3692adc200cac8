"""The real main window for the app benchmarks, on the Train tab with a dataset already loaded."""

from __future__ import annotations

import time

from PySide6.QtWidgets import QApplication

from ui.main_window import MainWindow
from workbench.data.datasets import Dataset
from workbench.model.spec import ModelSpec


def open_window(app: QApplication, spec: ModelSpec, dataset: Dataset) -> MainWindow:
    """1400×900, Train tab shown; waits for the tab's own dataset load so it cannot replace `dataset` later."""
    window = MainWindow(spec)
    window.resize(1400, 900)
    window.show()
    window.tabs.setCurrentWidget(window.dashboard)
    while window.dashboard.dataset is None:
        app.processEvents()
        time.sleep(0.01)
    window.dashboard._on_loader_succeeded(dataset)
    app.processEvents()
    return window
