"""The Train tab in Simplified Chinese: built in Chinese, before and after a short run, and switched at runtime
both ways (View ▸ Language), with no English left but PyTorch's names, numbers and units."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from tests.core.synthetic import bars_dataset
from tests.ui.english import english, foreign_words, visible_texts
from tests.ui.test_dashboard import open_window_on_bars
from ui import i18n
from ui.main_window import MainWindow
from ui.training.results import LogitsOptionsDialog
from workbench.data.location import data_dir
from workbench.training.config import OPTIMIZERS

# the optimisers' names as PyTorch spells them in the settings ("sgd", "adamw"), PyTorch's dtypes, functions and
# features (channels_last, autocast), a person's name, the NumPy format, the test data's title and class names
# ("bar 0"), and the data folder's path and its variable in the dataset selector's tooltip
KEPT = {
    *OPTIMIZERS,
    "bfloat16",
    "bf16",
    "float16",
    "compile",
    "DistributedDataParallel",
    "Smith",
    "Bars",
    "WORKBENCH_DATA_DIR",
    "NumPy",
    "npy",
    "bar",
    "channels_last",
    "autocast",
}
KEPT |= set(foreign_words(str(data_dir())))
OTHERS = ("vary_", "varies_")  # the Vary… buttons and badges of the settings are the Build tab's (vary_dialog)


def train_english(widget) -> list:
    return [found for found in english(visible_texts(widget), KEPT) if not found[0].startswith(OTHERS)]


def report(found: list) -> str:
    return "\n".join(f"{where}: {text!r} {words}" for where, text, words in found)


def _open(qtbot) -> MainWindow:
    """The window on the Train tab, at its usual size, with a smaller bars dataset: a run of one epoch is quick."""
    window = open_window_on_bars(qtbot)
    window.resize(1400, 900)
    window.dashboard._on_loader_succeeded(bars_dataset(train=256, val=64, test=32))
    return window


@pytest.fixture
def zh_window(qtbot, monkeypatch):
    monkeypatch.setenv(i18n.ENVIRONMENT, i18n.CHINESE)
    window = _open(qtbot)
    yield window
    # back to English while the window lives, its plots' legends laid out again before it goes (a legend that
    # relays out after its plot is deleted raises in pyqtgraph)
    i18n.install(i18n.ENGLISH)
    qtbot.wait(10)
    window.dashboard.shutdown(5000)
    window.document.undo_stack.setClean()
    window.close()
    window.deleteLater()


def _evaluation_tabs(dashboard):
    """Each tab of the curves and of the evaluation panels in turn, so their hidden texts are checked too."""
    for tabs in (dashboard.curves, dashboard.evaluation):
        for index in range(tabs.count()):
            tabs.setCurrentIndex(index)
            yield tabs.tabText(index)


def test_the_train_tab_in_chinese_before_and_after_a_short_run(zh_window, qtbot, monkeypatch):
    dashboard = zh_window.dashboard
    for _title in _evaluation_tabs(dashboard):
        found = train_english(dashboard)
        assert not found, report(found)
    assert "就绪" in dashboard.progress.format() and dashboard.train_button.text() == "训练"
    dialog = LogitsOptionsDialog(dashboard)
    dialog.show()
    assert not train_english(dialog), report(train_english(dialog))
    dialog.close()

    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: warnings.append(args))
    dashboard.settings.epochs.setValue(1)
    dashboard.settings.batch_size.setValue(64)
    assert dashboard.start()
    qtbot.waitUntil(lambda: dashboard.state == "idle" and dashboard.run.outcome is not None, timeout=20000)
    assert dashboard.run.outcome == "finished" and not warnings
    for panel in (dashboard.loss_plot, dashboard.accuracy_plot, dashboard.lr_plot):
        panel.refresher.flush()
    found = train_english(dashboard)
    assert not found, report(found)
    assert "已完成" in dashboard.result_label.text() and dashboard.progress.format() == "完成"


def test_the_train_tab_switches_language_both_ways(bars_window):
    dashboard = bars_window.dashboard
    assert dashboard.train_button.text() == "Train"
    i18n.choose(i18n.CHINESE)
    for _title in _evaluation_tabs(dashboard):
        found = train_english(dashboard)
        assert not found, report(found)
    assert dashboard.settings.find_lr.text() == "寻找学习率…"
    assert dashboard.loss_plot.plotItem.getAxis("left").labelText == "损失（交叉熵）"
    i18n.choose(i18n.ENGLISH)
    assert dashboard.train_button.text() == "Train" and dashboard.pause_button.text() == "Pause"
    assert dashboard.progress.format() == "Ready" and dashboard.curves.tabText(0) == "Accuracy"
    assert dashboard.loss_plot.plotItem.getAxis("left").labelText == "loss (cross-entropy)"
    assert dashboard.settings.schedule.currentText() in ("none", "step", "cosine", "one-cycle")
    assert "train" in dashboard.dataset_info.text()
