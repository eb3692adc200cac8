"""The dataset selector and the hyperparameter form of the training dashboard.

The settings an experiment may vary (`experiments.space.SETTINGS`) each have a Vary… button once the form is
given the window's model document (`use_document`): the marks belong to the model, so they are undone with it and
saved in its spec, and the form only shows them.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

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
    QToolButton,
    QWidget,
)

from ui.builder.vary_dialog import VaryBadge, VaryTarget, marked_field, open_vary_dialog, vary_button
from workbench.data.location import data_dir
from workbench.distributed.launch import process_choices
from workbench.experiments.space import SETTINGS, check_setting_domain, setting_kind
from workbench.model.spec import ModelSpec
from workbench.model.vary import Domain
from workbench.training.config import LIVE_SETTINGS, OPTIMIZERS, SCHEDULES, ConfigError, TrainConfig

if TYPE_CHECKING:
    from ui.builder.document import ModelDocument

DATASETS = (
    ("mnist", "MNIST — handwritten digits"),
    ("fashion-mnist", "Fashion-MNIST — clothing"),
    ("kmnist", "KMNIST — Japanese characters"),
    ("cifar10", "CIFAR-10 — colour photos"),
    ("digits", "Digits — built in, works offline"),
    ("folder", "Image folder…"),
)


SETTING_CHOICES = {"optimizer": OPTIMIZERS, "schedule": SCHEDULES}


def setting_target(name: str, config: TrainConfig, domain: Domain | None) -> VaryTarget:
    """The Vary… dialog's target for training setting `name`, its values checked against `config`."""
    check = partial(check_setting_domain, name, config=config)
    return VaryTarget(name, setting_kind(name), getattr(config, name), check, domain, SETTING_CHOICES.get(name, ()))


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
    """Hyperparameters with defaults from TrainConfig; while paused only the live ones are editable.
    "Train until" ends a run early: at a target validation accuracy, after a time budget, or when the
    validation accuracy stops improving (0 = off for each)."""

    lr_find_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        defaults = TrainConfig()
        self._document: ModelDocument | None = None
        self._varies: dict[str, QToolButton] = {}
        self._badges: dict[str, VaryBadge] = {}
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
        self.device = self._device_combo()
        self.label_smoothing = self._float(
            defaults.label_smoothing, 0.0, 0.99, 2, "Soften the one-hot targets: 0.1 often trains faster and steadier"
        )
        self._build_stop_rules()
        self._build_switches(defaults)
        self._lay_out(form)

    def _build_stop_rules(self) -> None:
        """The rules of "Train until": a target validation accuracy, a time budget, patience (0 is off for each)."""
        self.target = self._off_float(100.0, 1, " %", "End the run as soon as the validation accuracy reaches this")
        self.time_budget = self._off_float(1e6, 0, " s", "End the run after this many seconds of training")
        self.patience = self._int(0, 0, 1000, "End when the validation accuracy has not improved for this many epochs")
        self.patience.setSpecialValueText("off")
        self.patience.setSuffix(" epochs")

    def _build_switches(self, defaults: TrainConfig) -> None:
        """Mixed precision, compile and augment, and the learning-rate finder's button."""
        self.mixed_precision = QCheckBox("mixed precision (CUDA)")
        self.mixed_precision.setChecked(defaults.mixed_precision)
        self.mixed_precision.setToolTip("bfloat16 autocast on CUDA (float16 where bf16 is missing); none on CPU")
        self.compile = QCheckBox("compile (torch.compile)")
        self.compile.setToolTip("Compile the model before training (torch.compile); the run says so if it cannot")
        self.augment = QCheckBox("augment (shift, rotate)")
        self.find_lr = QPushButton("Find learning rate…")
        self.find_lr.setObjectName("findLrButton")
        self.find_lr.setToolTip("Try rates from tiny to huge on a few batches and propose one (Smith's range test)")
        self.find_lr.clicked.connect(self.lr_find_requested)

    def _lay_out(self, form: QFormLayout) -> None:
        """One row per setting, the switches below them; a setting experiments may vary has its Vary… button."""
        for label, name in (
            ("Optimizer", "optimizer"),
            ("Learning rate", "lr"),
            ("", "find_lr"),
            ("Batch size", "batch_size"),
            ("Epochs", "epochs"),
            ("LR schedule", "schedule"),
            ("Weight decay", "weight_decay"),
            ("Momentum", "momentum"),
            ("Label smoothing", "label_smoothing"),
            ("Seed", "seed"),
            ("Device", "device"),
            ("Until val acc", "target"),
            ("Time budget", "time_budget"),
            ("Early stopping", "patience"),
        ):
            form.addRow(label, self._field(name))
        form.addRow(self._field("augment"))
        form.addRow(self.mixed_precision)
        form.addRow(self.compile)

    def _field(self, name: str) -> QWidget:
        """Setting `name`'s widget, with a Vary… button (hidden until there is a document) and a badge if an
        experiment may vary it."""
        widget = getattr(self, name)
        if name not in SETTINGS:
            return widget
        self._varies[name] = vary_button(name, partial(self._on_vary_clicked, name))
        self._varies[name].hide()
        self._badges[name] = VaryBadge(name)
        return marked_field([widget], self._varies[name], self._badges[name])

    # ----- marks: what experiments vary ------------------------------------------------------------------------

    def use_document(self, document: ModelDocument) -> None:
        """Show and edit the marks on training settings of `document`'s spec (undoable edits of the model)."""
        self._document = document
        document.spec_changed.connect(self._show_marks)
        for button in self._varies.values():
            button.show()
        self._show_marks(document.spec)

    def vary_button(self, name: str) -> QToolButton:
        return self._varies[name]

    def badge(self, name: str) -> VaryBadge:
        return self._badges[name]

    def _show_marks(self, spec: ModelSpec) -> None:
        for name, badge in self._badges.items():
            badge.show_domain(spec.vary.get(name))

    def _on_vary_clicked(self, name: str) -> None:
        """The dialog for `name`, its values checked against the other settings as the form holds them."""
        try:
            config = self.config()
        except ConfigError:
            config = TrainConfig()
        target = setting_target(name, config, self._document.spec.vary.get(name))
        open_vary_dialog(self, target, partial(self._document.set_setting_vary, name))

    @staticmethod
    def _device_combo() -> QComboBox:
        """Devices, each item's data (device, processes): several processes train through torchrun (DDP)."""
        combo = QComboBox()
        for device in ["auto", "cpu"] + (["cuda"] if torch.cuda.is_available() else []):
            combo.addItem(device, (device, 1))
        for label, device, processes in process_choices():
            combo.addItem(label, (device, processes))
        combo.setCurrentText("auto")
        combo.setToolTip(
            'auto picks the GPU when there is one. With several GPUs, "all GPUs" trains one process per GPU '
            "through torchrun (DistributedDataParallel); the panels follow the first"
        )
        return combo

    def processes(self) -> int:
        """How many processes the chosen device trains with (1 but for "all GPUs (N)" and the like)."""
        return int(self.device.currentData()[1])

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

    @classmethod
    def _off_float(cls, high: float, decimals: int, suffix: str, tip: str) -> QDoubleSpinBox:
        """A number where 0 means "off" (shown as such)."""
        spin = cls._float(0.0, 0.0, high, decimals, tip)
        spin.setSingleStep(1.0)
        spin.setSpecialValueText("off")
        spin.setSuffix(suffix)
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
            device=self.device.currentData()[0],
            mixed_precision=self.mixed_precision.isChecked(),
            augment=self.augment.isChecked(),
            label_smoothing=self.label_smoothing.value(),
            compile=self.compile.isChecked(),
            target_accuracy=self.target.value() / 100 if self.target.value() else None,
            time_budget=self.time_budget.value() or None,
            patience=self.patience.value(),
        )

    def apply_config(self, config: TrainConfig) -> None:
        """Show `config`'s settings (a template's recommended recipe, or a run being continued)."""
        self.optimizer.setCurrentText(config.optimizer)
        self.lr.setValue(config.lr)
        self.momentum.setValue(config.momentum)
        self.weight_decay.setValue(config.weight_decay)
        self.batch_size.setValue(config.batch_size)
        self.epochs.setValue(config.epochs)
        self.schedule.setCurrentText(config.schedule)
        self.seed.setValue(config.seed)
        if self.device.findText(config.device) >= 0:
            self.device.setCurrentText(config.device)
        self.mixed_precision.setChecked(config.mixed_precision)
        self.augment.setChecked(config.augment)
        self.label_smoothing.setValue(config.label_smoothing)
        self.compile.setChecked(config.compile)
        self.target.setValue(100 * config.target_accuracy if config.target_accuracy else 0.0)
        self.time_budget.setValue(config.time_budget or 0.0)
        self.patience.setValue(config.patience)

    def live_changes(self, running: TrainConfig) -> dict:
        """Settings changed while paused that the run can take on resume."""
        wanted = {
            "lr": self.lr.value(),
            "weight_decay": self.weight_decay.value(),
            "momentum": self.momentum.value(),
            "label_smoothing": self.label_smoothing.value(),
        }
        return {k: v for k, v in wanted.items() if k in LIVE_SETTINGS and abs(getattr(running, k) - v) > 1e-12}

    def set_state(self, state: str) -> None:
        """idle: everything editable; paused: only what can change mid-run; running: nothing."""
        live = (self.lr, self.weight_decay, self.momentum, self.label_smoothing)
        for widget in self.findChildren(QWidget):
            if isinstance(widget, (QComboBox, QSpinBox, QDoubleSpinBox, QCheckBox, QPushButton)):
                widget.setEnabled(state == "idle" or (state == "paused" and widget in live))
