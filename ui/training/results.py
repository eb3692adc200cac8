"""What the Train tab does with trained weights (a run's, or a model opened from a file): save them,
export their logits on a chosen split in the background, draw a saved history, continue training."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QMessageBox,
    QWidget,
)

from ui import i18n, messages
from ui.background import BackgroundTask, TaskState
from ui.i18n import translate
from workbench.data.datasets import Dataset, num_batches
from workbench.events import epoch_events
from workbench.files.errors import ModelFileError
from workbench.files.logits import SPLITS, export_split_logits
from workbench.files.model_file import CHECKPOINT_KIND, MODEL_SUFFIX, SavedModel, check_state, load_model, save_model
from workbench.model.spec import ModelSpec

FORMATS = {"CSV": "csv", "NumPy (.npy)": "npy"}
SPLIT_NAMES = {  # the splits as the dialog shows them, through translate("LogitsOptionsDialog", name)
    "test": QT_TRANSLATE_NOOP("LogitsOptionsDialog", "test"),
    "validation": QT_TRANSLATE_NOOP("LogitsOptionsDialog", "validation"),
    "train": QT_TRANSLATE_NOOP("LogitsOptionsDialog", "train"),
}


class LogitsOptionsDialog(QDialog):
    """Which split, which format, with or without probabilities."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("logitsOptionsDialog")
        self.split = QComboBox()
        self.split.setObjectName("logitsSplit")
        for split in SPLITS:
            self.split.addItem(split, split)
        self.format = QComboBox()
        self.format.setObjectName("logitsFormat")
        for name, suffix in FORMATS.items():
            self.format.addItem(name, suffix)
        self.probabilities = QCheckBox()
        self.probabilities.setObjectName("logitsProbabilities")
        self.probabilities.setChecked(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.split_label, self.format_label = QLabel(), QLabel()
        form = QFormLayout(self)
        form.addRow(self.split_label, self.split)
        form.addRow(self.format_label, self.format)
        form.addRow(self.probabilities)
        form.addRow(buttons)
        i18n.follow(self, LogitsOptionsDialog.retranslate)

    def retranslate(self) -> None:
        self.setWindowTitle(translate("LogitsOptionsDialog", "Export logits"))
        self.split_label.setText(translate("LogitsOptionsDialog", "Split"))
        self.format_label.setText(translate("LogitsOptionsDialog", "Format"))
        self.probabilities.setText(translate("LogitsOptionsDialog", "Include probabilities (softmax of the logits)"))
        for index, split in enumerate(SPLITS):
            self.split.setItemText(index, translate("LogitsOptionsDialog", SPLIT_NAMES.get(split, split)))

    def choice(self) -> tuple[str, str, bool]:
        return self.split.currentData(), self.format.currentData(), self.probabilities.isChecked()


def ask_logits_options(parent: QWidget) -> tuple[str, str, bool] | None:
    """(split, "csv" or "npy", probabilities), or None when cancelled."""
    dialog = LogitsOptionsDialog(parent)
    return dialog.choice() if dialog.exec() == QDialog.DialogCode.Accepted else None


def ask_logits_path(parent: QWidget, split: str, suffix: str) -> Path | None:
    name = "CSV (*.csv)" if suffix == "csv" else "NumPy (*.npy)"
    title = translate("results", "Export logits on the {split} split").format(
        split=translate("LogitsOptionsDialog", SPLIT_NAMES.get(split, split))
    )
    path, _ = QFileDialog.getSaveFileName(parent, title, f"logits-{split}.{suffix}", name)
    if not path:
        return None
    path = Path(path)
    return path if path.suffix else path.with_suffix(f".{suffix}")


def start_logits_export(
    dashboard, saved: SavedModel, dataset: Dataset, split: str, path: Path, probabilities: bool
) -> BackgroundTask:
    """Compute and write the logits on a worker thread (one of the window's tasks: a newer export to the same
    file replaces it, closing the window cancels it before anything is written), the progress bar of the
    dashboard's Run box following; the row count goes to the status bar, an error to a warning. Returns the
    task, started."""

    shown = translate("LogitsOptionsDialog", SPLIT_NAMES.get(split, split))
    label = translate("results", "Logits on {split}").format(split=shown)

    def job(state: TaskState) -> int:
        def report(done: int, total: int) -> None:
            state.check()  # stops between batches when cancelled
            state.progress(label, done, total)

        return export_split_logits(saved, dataset, split, path, probabilities=probabilities, progress=report)

    dashboard.run_box.show_busy(lambda: translate("results", "Logits on {split}…").format(split=shown))
    return dashboard.tasks.start(
        f"export {path}",
        job,
        lambda rows: _on_exported(dashboard, rows, path),
        lambda message: _on_export_failed(dashboard, message),
        dashboard.run_box.show_progress,
    )


def _on_exported(dashboard, rows: int, path: Path) -> None:
    dashboard.run_box.reset_progress()
    dashboard.status_message.emit(
        translate("results", "Wrote {rows} rows of logits to {file}").format(rows=f"{rows:,}", file=path)
    )


def _on_export_failed(dashboard, message: str) -> None:
    dashboard.run_box.reset_progress()
    QMessageBox.warning(dashboard, translate("results", "Cannot export logits"), messages.translated(message))


def export_problem(saved: SavedModel | None, dataset: Dataset | None) -> str | None:
    if saved is None:
        return translate("results", "There is no trained model yet: train one or open a .cnnwb file.")
    if dataset is None:
        return translate("results", "The dataset has not loaded yet; wait for it, then export again.")
    return None


# ----- saving ------------------------------------------------------------------------------------------


def ask_model_path(parent: QWidget, suggested: Path) -> Path | None:
    path, _ = QFileDialog.getSaveFileName(
        parent,
        translate("results", "Save trained model"),
        str(suggested),
        translate("results", "Trained model (*.cnnwb)"),
    )
    if not path:
        return None
    path = Path(path)
    return path if path.suffix.lower() == MODEL_SUFFIX else path.with_name(path.name + MODEL_SUFFIX)


def save_trained(parent: QWidget, saved: SavedModel, path: Path) -> bool:
    """Write the model file (atomically); one-line warning if that fails."""
    try:
        save_model(path, saved)
    except (ModelFileError, OSError) as exc:
        detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else messages.translated(exc)
        QMessageBox.warning(
            parent,
            translate("results", "Cannot save the model"),
            translate("results", "{file}: {problem}. Choose another folder or name.").format(
                file=path.name, problem=detail
            ),
        )
        return False
    return True


# ----- a saved history, continuing from saved weights -----------------------------------------------------


def show_history(panels, dataset: Dataset | None, history: list[dict], train_config: dict, dataset_name: str) -> None:
    """Draw a saved per-epoch history on the loss and accuracy panels (`panels`: the Train tab's LivePanels),
    as the live run drew it; with `dataset` the one it was trained on, at its steps."""
    for panel in (panels.loss_plot, panels.accuracy_plot):
        panel.reset()
    per_epoch = 0
    batch_size = train_config.get("batch_size")
    if dataset is not None and dataset.name == dataset_name and isinstance(batch_size, int) and batch_size > 0:
        per_epoch = num_batches(len(dataset.train), batch_size)
    for step, event in epoch_events(history, per_epoch):
        panels.loss_plot.add_epoch(event, step)
        panels.accuracy_plot.add_epoch(event, step)


def initial_state(saved: SavedModel | None, spec: ModelSpec, name: str) -> tuple[dict | None, str]:
    """The weights a new run starts from: the opened model's when they fit the spec in the Build tab
    (else fresh, saying why), with a status line."""
    if saved is None:
        return None, ""
    try:
        check_state(spec, saved.state)
    except ModelFileError:
        return None, translate(
            "results", "The architecture changed since {name} was opened: training starts from fresh weights"
        ).format(name=name)
    return saved.state, translate("results", "Training continues from the weights of {name}").format(name=name)


def checkpoint_to_resume(path: Path, dataset: Dataset | None) -> SavedModel:
    """The interrupted run saved at `path`, checked against the loaded dataset; ValueError with one line."""
    if dataset is None:
        raise ValueError(translate("results", "The dataset has not loaded yet; wait for it, then resume."))
    try:
        saved = load_model(path, kind=CHECKPOINT_KIND)
    except ModelFileError as exc:
        problem = messages.translated(exc)
        raise ValueError(
            translate("results", "Cannot resume the last run: {problem}").format(problem=problem)
        ) from None
    if saved.dataset and saved.dataset != dataset.name:
        raise ValueError(
            translate("results", "The last run trained on {dataset}; choose that dataset in Data, then resume.").format(
                dataset=saved.dataset
            )
        )
    return saved
