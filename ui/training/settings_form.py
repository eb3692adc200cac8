"""The dataset selector and the hyperparameter form of the training dashboard."""

from __future__ import annotations

import torch
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QPushButton,
    QSpinBox,
    QWidget,
)

from workbench.data.location import data_dir
from workbench.training.config import LIVE_SETTINGS, OPTIMIZERS, SCHEDULES, TrainConfig

DATASETS = (
    ("mnist", "MNIST — handwritten digits"),
    ("fashion-mnist", "Fashion-MNIST — clothing"),
    ("kmnist", "KMNIST — Japanese characters"),
    ("cifar10", "CIFAR-10 — colour photos"),
    ("digits", "Digits — built in, works offline"),
    ("folder", "Image folder…"),
)


def default_dataset() -> str:
    """MNIST when its files are in the data folder, else the built-in digits (no download needed)."""
    return "mnist" if (data_dir() / "MNIST" / "raw" / "train-images-idx3-ubyte").is_file() else "digits"


class DatasetSelector(QComboBox):
    dataset_chosen = Signal(str, object)  # name, folder path (for "folder") or None

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("datasetSelector")
        self.setAccessibleName("datasetSelector")
        for name, label in DATASETS:
            self.addItem(label, name)
        self.setToolTip(f"Datasets are read from (and downloaded to) {data_dir()}; set WORKBENCH_DATA_DIR to change")
        self.folder: str | None = None
        self.select(default_dataset())
        self.activated.connect(self._on_activated)

    def name(self) -> str:
        return self.currentData()

    def select(self, name: str) -> None:
        self.setCurrentIndex(max(0, self.findData(name)))

    def _on_activated(self, _index: int) -> None:
        if self.name() == "folder":
            folder = QFileDialog.getExistingDirectory(self, "Image folder (one sub-folder per class)")
            if not folder:
                return
            self.folder = folder
        self.dataset_chosen.emit(self.name(), self.folder)


class SettingsForm(QWidget):
    """Hyperparameters with defaults from TrainConfig; while paused only the live ones are editable."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        defaults = TrainConfig()
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        self.optimizer = self._combo(OPTIMIZERS, defaults.optimizer, "How weights are updated from gradients")
        self.lr = self._float(defaults.lr, 1e-6, 10.0, 5, "Learning rate (the peak rate for one-cycle)")
        self.batch_size = self._int(defaults.batch_size, 1, 8192, "Images per optimisation step")
        self.epochs = self._int(defaults.epochs, 1, 1000, "Passes over the training images")
        self.schedule = self._combo(SCHEDULES, defaults.schedule, "How the learning rate changes during the run")
        self.weight_decay = self._float(defaults.weight_decay, 0.0, 1.0, 5, "L2 penalty on the weights")
        self.momentum = self._float(defaults.momentum, 0.0, 0.999, 3, "Momentum for SGD and RMSprop")
        self.seed = self._int(defaults.seed, 0, 2**31 - 1, "Same seed, same run: initial weights, shuffling")
        devices = ["auto", "cpu"] + (["cuda"] if torch.cuda.is_available() else [])
        self.device = self._combo(devices, "auto", "auto picks the GPU when there is one")
        self.mixed_precision = QCheckBox("mixed precision (CUDA)")
        self.augment = QCheckBox("augment (shift, rotate)")
        for label, widget in (
            ("Optimizer", self.optimizer),
            ("Learning rate", self.lr),
            ("Batch size", self.batch_size),
            ("Epochs", self.epochs),
            ("LR schedule", self.schedule),
            ("Weight decay", self.weight_decay),
            ("Momentum", self.momentum),
            ("Seed", self.seed),
            ("Device", self.device),
        ):
            form.addRow(label, widget)
        form.addRow(self.augment)
        form.addRow(self.mixed_precision)

    @staticmethod
    def _combo(values, current: str, tip: str) -> QComboBox:
        combo = QComboBox()
        combo.addItems(list(values))
        combo.setCurrentText(current)
        combo.setToolTip(tip)
        return combo

    @staticmethod
    def _float(value: float, low: float, high: float, decimals: int, tip: str) -> QDoubleSpinBox:
        spin = QDoubleSpinBox()
        spin.setDecimals(decimals)
        spin.setRange(low, high)
        spin.setSingleStep(10 ** -(decimals - 1) if decimals > 1 else 0.1)
        spin.setValue(value)
        spin.setToolTip(tip)
        return spin

    @staticmethod
    def _int(value: int, low: int, high: int, tip: str) -> QSpinBox:
        spin = QSpinBox()
        spin.setRange(low, high)
        spin.setValue(value)
        spin.setToolTip(tip)
        return spin

    def config(self) -> TrainConfig:
        """The settings as a TrainConfig (raises ConfigError for an invalid combination)."""
        optimizer = self.optimizer.currentText()
        return TrainConfig(
            optimizer=optimizer,
            lr=self.lr.value(),
            momentum=self.momentum.value(),
            weight_decay=self.weight_decay.value(),
            batch_size=self.batch_size.value(),
            epochs=self.epochs.value(),
            schedule=self.schedule.currentText(),
            seed=self.seed.value(),
            device=self.device.currentText(),
            mixed_precision=self.mixed_precision.isChecked(),
            augment=self.augment.isChecked(),
        )

    def live_changes(self, running: TrainConfig) -> dict:
        """Settings changed while paused that the run can take on resume."""
        wanted = {"lr": self.lr.value(), "weight_decay": self.weight_decay.value(), "momentum": self.momentum.value()}
        return {k: v for k, v in wanted.items() if k in LIVE_SETTINGS and abs(getattr(running, k) - v) > 1e-12}

    def set_state(self, state: str) -> None:
        """idle: everything editable; paused: only what can change mid-run; running: nothing."""
        live = (self.lr, self.weight_decay, self.momentum)
        for widget in self.findChildren(QWidget):
            if isinstance(widget, (QComboBox, QSpinBox, QDoubleSpinBox, QCheckBox, QPushButton)):
                widget.setEnabled(state == "idle" or (state == "paused" and widget in live))
