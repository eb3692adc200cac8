"""Hostile text in the window: an image folder whose class folders are named with bytes that are not UTF-8,
control characters and markup loads with printable class names (markup shown, not applied); one past the
system's path length gives a one-line message; the model being edited stays as it was."""

from __future__ import annotations

import os
import sys

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from tests.core.test_hostile_text import class_folders, deep_folder
from ui.main_window import MainWindow
from ui.plots.common import abbreviate
from workbench.model.spec import LayerSpec, ModelSpec
from workbench.text import bad_character

EDITED = ModelSpec(
    (1, 6, 6), (LayerSpec("Flatten"), LayerSpec("Linear", {"out_features": 3})), name="being edited"
)  # fmt: skip


@pytest.fixture
def window(qtbot):
    window = MainWindow(EDITED)
    window.show()
    qtbot.waitExposed(window)  # on the Build tab: the Train tab loads no default dataset until it is shown
    yield window
    window.document.undo_stack.setClean()
    window.close()
    window.deleteLater()


def _loaded(dashboard, qtbot, folder: str) -> None:
    """Load the folder in the Train tab and wait until it has loaded or failed."""
    dashboard.load_dataset("folder", folder)
    dashboard.window().tabs.setCurrentWidget(dashboard)
    qtbot.waitUntil(
        lambda: dashboard.dataset is not None or bool(dashboard.dataset_info.property("tone")), timeout=30000
    )


def test_hostile_class_folder_names_load_as_printable_classes_and_markup_is_shown(window, qtbot, tmp_path):
    dashboard = window.dashboard
    data = tmp_path / "<b>pets"
    class_folders(os.fsencode(data), [b"caf\xe9", b"\xff\x1b[31m", b"<i>x\t"], images=3)
    _loaded(dashboard, qtbot, str(data))
    assert dashboard.dataset is not None, (dashboard.dataset_info.property("tone"), dashboard.dataset_info.text())
    assert dashboard.dataset.num_classes == 3
    names = dashboard.softmax._names
    assert len(names) == 3 and all(bad_character(name) is None for name in names), names
    assert "&lt;b&gt;pets" in dashboard.dataset_info.text()  # the folder's name, not bold text
    marked = names.index("<i>x\\t")
    dashboard.softmax.show(np.eye(3)[marked] * 0.8 + 0.1 / 3, np.zeros(3), marked)
    qtbot.waitUntil(lambda: dashboard.softmax.summary_label.text().startswith("predicted"), timeout=5000)
    assert "<b>&lt;i&gt;x\\t</b>" in dashboard.softmax.summary_label.text()  # markup shown, not applied
    qtbot.waitUntil(lambda: len(dashboard.samples.tiles) == 3, timeout=5000)  # the strip is drawn when due
    tiles = [tile.findChildren(QLabel)[-1] for tile in dashboard.samples.tiles]
    assert [tile.textFormat() for tile in tiles] == [Qt.TextFormat.PlainText] * 3
    assert sorted(tile.text() for tile in tiles) == sorted(abbreviate(name, 9) for name in names)
    assert window.document.spec == EDITED


@pytest.mark.skipif(sys.platform != "linux", reason="PATH_MAX as Linux has it")
def test_a_folder_past_the_path_length_gives_one_line_and_keeps_the_model(window, qtbot, tmp_path):
    dashboard = window.dashboard
    before = (window.document.spec, window.document.undo_stack.count())
    _loaded(dashboard, qtbot, str(deep_folder(tmp_path / "deep")))
    message = dashboard.dataset_info.property("tonedSource")
    assert dashboard.dataset is None and "cannot read the folder" in message, message
    assert "\n" not in message and "Traceback" not in message and len(message) < 1000
    assert not dashboard.train_button.isEnabled()
    assert (window.document.spec, window.document.undo_stack.count()) == before
