"""The dataset selector and the hyperparameter form of the training dashboard.

The settings an experiment may vary (`experiments.space.SETTINGS`) each have a Vary… button once the form is
given the window's model document (`use_document`): the marks belong to the model, so they are undone with it and
saved in its spec, and the form only shows them.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

import torch
from PySide6.QtCore import QT_TRANSLATE_NOOP, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QToolButton,
    QWidget,
)

from ui import i18n
from ui.builder.vary_dialog import VaryBadge, VaryTarget, marked_field, open_vary_dialog, vary_button
from ui.i18n import translate
from workbench.data.datasets import Dataset
from workbench.data.location import data_dir
from workbench.distributed.launch import process_choices
from workbench.experiments.space import SETTINGS, check_setting_domain, setting_kind
from workbench.model.spec import ModelSpec
from workbench.model.vary import Domain
from workbench.training.config import LIVE_SETTINGS, OPTIMIZERS, SCHEDULES, ConfigError, TrainConfig

if TYPE_CHECKING:
    from ui.builder.document import ModelDocument

DATASETS = (  # shown through translate("DatasetSelector", label)
    ("mnist", QT_TRANSLATE_NOOP("DatasetSelector", "MNIST — handwritten digits")),
    ("fashion-mnist", QT_TRANSLATE_NOOP("DatasetSelector", "Fashion-MNIST — clothing")),
    ("kmnist", QT_TRANSLATE_NOOP("DatasetSelector", "KMNIST — Japanese characters")),
    ("cifar10", QT_TRANSLATE_NOOP("DatasetSelector", "CIFAR-10 — colour photos")),
    ("digits", QT_TRANSLATE_NOOP("DatasetSelector", "Digits — built in, works offline")),
    ("folder", QT_TRANSLATE_NOOP("DatasetSelector", "Image folder…")),
)
# the form's rows: (label, attribute), labels shown through translate("SettingsForm", label)
ROWS = (
    (QT_TRANSLATE_NOOP("SettingsForm", "Optimizer"), "optimizer"),
    (QT_TRANSLATE_NOOP("SettingsForm", "Learning rate"), "lr"),
    ("", "find_lr"),
    (QT_TRANSLATE_NOOP("SettingsForm", "Batch size"), "batch_size"),
    (QT_TRANSLATE_NOOP("SettingsForm", "Epochs"), "epochs"),
    (QT_TRANSLATE_NOOP("SettingsForm", "LR schedule"), "schedule"),
    (QT_TRANSLATE_NOOP("SettingsForm", "Weight decay"), "weight_decay"),
    (QT_TRANSLATE_NOOP("SettingsForm", "Momentum"), "momentum"),
    (QT_TRANSLATE_NOOP("SettingsForm", "Label smoothing"), "label_smoothing"),
    (QT_TRANSLATE_NOOP("SettingsForm", "Seed"), "seed"),
    (QT_TRANSLATE_NOOP("SettingsForm", "Device"), "device"),
    (QT_TRANSLATE_NOOP("SettingsForm", "Until val acc"), "target"),
    (QT_TRANSLATE_NOOP("SettingsForm", "Time budget"), "time_budget"),
    (QT_TRANSLATE_NOOP("SettingsForm", "Early stopping"), "patience"),
)
TIPS = {  # each setting's tooltip, through translate("SettingsForm", tip)
    "optimizer": QT_TRANSLATE_NOOP("SettingsForm", "How weights are updated from gradients"),
    "lr": QT_TRANSLATE_NOOP("SettingsForm", "Learning rate (the peak rate for one-cycle)"),
    "batch_size": QT_TRANSLATE_NOOP("SettingsForm", "Images per optimisation step"),
    "epochs": QT_TRANSLATE_NOOP("SettingsForm", "Passes over the training images"),
    "schedule": QT_TRANSLATE_NOOP("SettingsForm", "How the learning rate changes during the run"),
    "weight_decay": QT_TRANSLATE_NOOP("SettingsForm", "L2 penalty on the weights"),
    "momentum": QT_TRANSLATE_NOOP("SettingsForm", "Momentum for SGD and RMSprop"),
    "seed": QT_TRANSLATE_NOOP("SettingsForm", "Same seed, same run: initial weights, shuffling"),
    "label_smoothing": QT_TRANSLATE_NOOP(
        "SettingsForm", "Soften the one-hot targets: 0.1 often trains faster and steadier"
    ),
    "target": QT_TRANSLATE_NOOP("SettingsForm", "End the run as soon as the validation accuracy reaches this"),
    "time_budget": QT_TRANSLATE_NOOP("SettingsForm", "End the run after this many seconds of training"),
    "patience": QT_TRANSLATE_NOOP(
        "SettingsForm", "End when the validation accuracy has not improved for this many epochs"
    ),
    "device": QT_TRANSLATE_NOOP(
        "SettingsForm",
        'Auto picks the GPU when there is one. With several GPUs, "all GPUs" trains one process per GPU '
        "through torchrun (DistributedDataParallel); the panels follow the first",
    ),
    "mixed_precision": QT_TRANSLATE_NOOP(
        "SettingsForm", "bfloat16 autocast on CUDA (float16 where bf16 is missing); none on CPU"
    ),
    "compile": QT_TRANSLATE_NOOP(
        "SettingsForm", "Compile the model before training (torch.compile); the run says so if it cannot"
    ),
    "find_lr": QT_TRANSLATE_NOOP(
        "SettingsForm", "Try rates from tiny to huge on a few batches and propose one (Smith's range test)"
    ),
}
SCHEDULE_NAMES = {  # the schedules as the combo shows them, through translate("SettingsForm", name)
    "none": QT_TRANSLATE_NOOP("SettingsForm", "none"),
    "step": QT_TRANSLATE_NOOP("SettingsForm", "step"),
    "cosine": QT_TRANSLATE_NOOP("SettingsForm", "cosine"),
    "one-cycle": QT_TRANSLATE_NOOP("SettingsForm", "one-cycle"),
}


SETTING_CHOICES = {"optimizer": OPTIMIZERS, "schedule": SCHEDULES}

DATASET_TITLES = {  # the core's titles of the datasets it knows, by name, through translate("DatasetSelector", …)
    "mnist": QT_TRANSLATE_NOOP("DatasetSelector", "MNIST handwritten digits"),
    "fashion-mnist": QT_TRANSLATE_NOOP("DatasetSelector", "Fashion-MNIST clothing"),
    "kmnist": QT_TRANSLATE_NOOP("DatasetSelector", "Kuzushiji-MNIST cursive Japanese"),
    "cifar10": QT_TRANSLATE_NOOP("DatasetSelector", "CIFAR-10 small colour photos"),
    "digits": QT_TRANSLATE_NOOP("DatasetSelector", "Handwritten digits (built in)"),
}
FOLDER_TITLE = "Images in "  # the core's title of an image folder: "Images in <folder>"


def dataset_title(dataset: Dataset) -> str:
    """The dataset's title in the window's language."""
    known = DATASET_TITLES.get(dataset.name)
    if known is not None:
        return translate("DatasetSelector", known)
    if dataset.title.startswith(FOLDER_TITLE):
        folder = dataset.title[len(FOLDER_TITLE) :]
        return translate("DatasetSelector", "Images in {folder}").format(folder=folder)
    return dataset.title


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
        for name, _label in DATASETS:
            self.addItem("", name)
        self.folder: str | None = None
        self.select(default_dataset())
        self.activated.connect(self._on_activated)
        i18n.follow(self, DatasetSelector.retranslate)

    def retranslate(self) -> None:
        for index, (_name, label) in enumerate(DATASETS):
            self.setItemText(index, translate("DatasetSelector", label))
        self.setAccessibleName(translate("DatasetSelector", "Dataset"))
        self.setToolTip(
            translate(
                "DatasetSelector",
                "Datasets are read from (and downloaded to) {folder}; set WORKBENCH_DATA_DIR to change",
            ).format(folder=data_dir())
        )

    def name(self) -> str:
        return self.currentData()

    def select(self, name: str) -> None:
        self.setCurrentIndex(max(0, self.findData(name)))

    def _on_activated(self, _index: int) -> None:
        if self.name() == "folder":
            title = translate("DatasetSelector", "Image folder (one sub-folder per class)")
            folder = QFileDialog.getExistingDirectory(self, title)
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
        self._labels: list[tuple[QLabel, str]] = []
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        self.optimizer = self._combo(OPTIMIZERS, defaults.optimizer)
        self.lr = self._float(defaults.lr, 1e-6, 10.0, 5)
        self.batch_size = self._int(defaults.batch_size, 1, 8192)
        self.epochs = self._int(defaults.epochs, 1, 1000)
        self.schedule = self._combo(SCHEDULES, defaults.schedule)
        self.weight_decay = self._float(defaults.weight_decay, 0.0, 1.0, 5)
        self.momentum = self._float(defaults.momentum, 0.0, 0.999, 3)
        self.seed = self._int(defaults.seed, 0, 2**31 - 1)
        self.device = self._device_combo()
        self.label_smoothing = self._float(defaults.label_smoothing, 0.0, 0.99, 2)
        self._build_stop_rules()
        self._build_switches(defaults)
        self._lay_out(form)
        i18n.follow(self, SettingsForm.retranslate)

    def _build_stop_rules(self) -> None:
        """The rules of "Train until": a target validation accuracy, a time budget, patience (0 is off for each)."""
        self.target = self._off_float(100.0, 1, " %")
        self.time_budget = self._off_float(1e6, 0, " s")
        self.patience = self._int(0, 0, 1000)

    def _build_switches(self, defaults: TrainConfig) -> None:
        """Mixed precision, compile and augment, and the learning-rate finder's button."""
        self.mixed_precision = QCheckBox()
        self.mixed_precision.setChecked(defaults.mixed_precision)
        self.compile = QCheckBox()
        self.augment = QCheckBox()
        self.find_lr = QPushButton()
        self.find_lr.setObjectName("findLrButton")
        self.find_lr.clicked.connect(self.lr_find_requested)

    def retranslate(self) -> None:
        """Every text of the form in the language of the moment."""
        for label, text in self._labels:
            label.setText(translate("SettingsForm", text))
        for name, tip in TIPS.items():
            getattr(self, name).setToolTip(translate("SettingsForm", tip))
        for index in range(self.schedule.count()):
            self.schedule.setItemText(index, translate("SettingsForm", SCHEDULE_NAMES[self.schedule.itemData(index)]))
        self._name_devices()
        off = translate("SettingsForm", "off")
        for spin in (self.target, self.time_budget, self.patience):
            spin.setSpecialValueText(off)
        self.patience.setSuffix(translate("SettingsForm", " epochs"))
        self.mixed_precision.setText(translate("SettingsForm", "mixed precision (CUDA)"))
        self.compile.setText(translate("SettingsForm", "compile (torch.compile)"))
        self.augment.setText(translate("SettingsForm", "augment (shift, rotate)"))
        self.find_lr.setText(translate("SettingsForm", "Find learning rate…"))

    def _name_devices(self) -> None:
        for index in range(self.device.count()):
            device, processes = self.device.itemData(index)
            if processes > 1 and device == "cuda":
                text = translate("SettingsForm", "all GPUs ({count})").format(count=processes)
            elif processes > 1:
                text = translate("SettingsForm", "CPU × {count} processes").format(count=processes)
            elif device == "auto":
                text = translate("SettingsForm", "auto")
            elif device == "cpu":
                text = translate("SettingsForm", "cpu")
            else:
                text = translate("SettingsForm", "cuda")
            self.device.setItemText(index, text)

    def _lay_out(self, form: QFormLayout) -> None:
        """One row per setting, the switches below them; a setting experiments may vary has its Vary… button."""
        for text, name in ROWS:
            label = QLabel()
            self._labels.append((label, text))
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
        combo.setCurrentIndex(0)  # auto
        return combo

    def processes(self) -> int:
        """How many processes the chosen device trains with (1 but for "all GPUs (N)" and the like)."""
        return int(self.device.currentData()[1])

    @staticmethod
    def _combo(values, current: str) -> QComboBox:
        """The items' data are the values; their texts too, until `retranslate` names them."""
        combo = QComboBox()
        for value in values:
            combo.addItem(value, value)
        combo.setCurrentIndex(max(0, combo.findData(current)))
        return combo

    @staticmethod
    def _float(value: float, low: float, high: float, decimals: int) -> QDoubleSpinBox:
        spin = QDoubleSpinBox()
        spin.setDecimals(decimals)
        spin.setRange(low, high)
        spin.setSingleStep(10 ** -(decimals - 1) if decimals > 1 else 0.1)
        spin.setValue(value)
        return spin

    @classmethod
    def _off_float(cls, high: float, decimals: int, suffix: str) -> QDoubleSpinBox:
        """A number where 0 means "off" (shown as such)."""
        spin = cls._float(0.0, 0.0, high, decimals)
        spin.setSingleStep(1.0)
        spin.setSuffix(suffix)
        return spin

    @staticmethod
    def _int(value: int, low: int, high: int) -> QSpinBox:
        spin = QSpinBox()
        spin.setRange(low, high)
        spin.setValue(value)
        return spin

    def config(self) -> TrainConfig:
        """The settings as a TrainConfig (raises ConfigError for an invalid combination)."""
        optimizer = self.optimizer.currentData()
        return TrainConfig(
            optimizer=optimizer,
            lr=self.lr.value(),
            momentum=self.momentum.value(),
            weight_decay=self.weight_decay.value(),
            batch_size=self.batch_size.value(),
            epochs=self.epochs.value(),
            schedule=self.schedule.currentData(),
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
        self.optimizer.setCurrentIndex(max(0, self.optimizer.findData(config.optimizer)))
        self.lr.setValue(config.lr)
        self.momentum.setValue(config.momentum)
        self.weight_decay.setValue(config.weight_decay)
        self.batch_size.setValue(config.batch_size)
        self.epochs.setValue(config.epochs)
        self.schedule.setCurrentIndex(max(0, self.schedule.findData(config.schedule)))
        self.seed.setValue(config.seed)
        if self.device.findData((config.device, 1)) >= 0:
            self.device.setCurrentIndex(self.device.findData((config.device, 1)))
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
