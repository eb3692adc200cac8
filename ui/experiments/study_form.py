"""The Experiments tab's controls: the study's name, how values are picked (sampler), the budget (trials,
minutes), seeds per configuration, the pruner, trials at once, and how many images each trial trains on. The
model and its marks, the dataset and the base settings are the Build and Train tabs'; this form holds only what
is the study's own."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QFormLayout, QLabel, QLineEdit, QSpinBox, QWidget

from ui import i18n
from workbench.experiments.launch import split_threads
from workbench.experiments.plan import MAX_MINUTES, MAX_SEEDS, MAX_TRIALS, PRUNERS, SAMPLERS, StudyPlan
from workbench.experiments.space import SearchSpace
from workbench.training.config import default_threads

TEXTS = {  # the samplers' and pruners' names as the combos show them (Optuna's keys stay the data)
    "grid": QT_TRANSLATE_NOOP("StudyForm", "Grid: every combination"),
    "tpe": QT_TRANSLATE_NOOP("StudyForm", "TPE: learns where to look"),
    "random": QT_TRANSLATE_NOOP("StudyForm", "Random"),
    "none": QT_TRANSLATE_NOOP("StudyForm", "None"),
    "median": QT_TRANSLATE_NOOP("StudyForm", "Median: end trials behind it"),
    "halving": QT_TRANSLATE_NOOP("StudyForm", "Successive halving"),
}
FIELDS = {  # each field's label, tooltip and accessible name, by its object name
    "studyName": (
        QT_TRANSLATE_NOOP("StudyForm", "Study"),
        QT_TRANSLATE_NOOP(
            "StudyForm",
            "The study's name. Start begins a new study; Resume goes on with the stopped study of this name",
        ),
        QT_TRANSLATE_NOOP("StudyForm", "The study's name"),
    ),
    "studySampler": (
        QT_TRANSLATE_NOOP("StudyForm", "Sampler"),
        QT_TRANSLATE_NOOP("StudyForm", "How each trial's values are picked; grid needs every mark to be a list"),
        QT_TRANSLATE_NOOP("StudyForm", "How values are picked"),
    ),
    "studyTrials": (
        QT_TRANSLATE_NOOP("StudyForm", "Trials"),
        QT_TRANSLATE_NOOP("StudyForm", "Trials to run (a grid: at most its size)"),
        QT_TRANSLATE_NOOP("StudyForm", "Trial budget"),
    ),
    "studyMinutes": (
        QT_TRANSLATE_NOOP("StudyForm", "Minutes"),
        QT_TRANSLATE_NOOP("StudyForm", "Minutes of running trials; the study stops starting trials after that"),
        QT_TRANSLATE_NOOP("StudyForm", "Time budget"),
    ),
    "studySeeds": (
        QT_TRANSLATE_NOOP("StudyForm", "Seeds each"),
        QT_TRANSLATE_NOOP("StudyForm", "Each configuration trains with this many seeds; its score is their mean"),
        QT_TRANSLATE_NOOP("StudyForm", "Seeds per configuration"),
    ),
    "studyPruner": (
        QT_TRANSLATE_NOOP("StudyForm", "Pruner"),
        QT_TRANSLATE_NOOP("StudyForm", "End trials early that fall behind the others at the same point"),
        QT_TRANSLATE_NOOP("StudyForm", "Pruner"),
    ),
    "studyWorkers": (
        QT_TRANSLATE_NOOP("StudyForm", "At once"),
        QT_TRANSLATE_NOOP("StudyForm", "Trials at once, each a process with its share of the cores"),
        QT_TRANSLATE_NOOP("StudyForm", "Trials at once"),
    ),
    "studyImages": (
        QT_TRANSLATE_NOOP("StudyForm", "Images"),
        QT_TRANSLATE_NOOP("StudyForm", "Training and validation images per trial (fewer: faster)"),
        QT_TRANSLATE_NOOP("StudyForm", "Images per trial"),
    ),
}
DEFAULT_TRIALS = 20
MAX_WORKERS = 8
MAX_LIMIT = 10_000_000
NOT_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def default_workers() -> int:
    """As many trials at once as there are cores (at most 8), each with its share of the threads."""
    return max(1, min(default_threads(), MAX_WORKERS))


def default_study_name(model_name: str, now: datetime | None = None) -> str:
    """The model's name and the time, as a study name takes it ("mnist-fast-20250101-120000")."""
    stem = NOT_NAME.sub("-", model_name).strip("-._")[:60] or "study"
    return f"{stem}-{(now or datetime.now()):%Y%m%d-%H%M%S}"


@dataclass(frozen=True)
class StudyChoices:
    """What the form says: the study's name and its own settings."""

    name: str
    sampler: str
    trials: int | None  # None: no limit of that kind
    minutes: float | None
    seeds: int
    pruner: str
    workers: int
    limit: int | None  # images per trial (train + validation); None: all


def _spin(low: int, high: int, value: int) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(low, high)
    spin.setValue(value)
    return spin


def _combo(keys: tuple[str, ...]) -> QComboBox:
    combo = QComboBox()
    for key in keys:
        combo.addItem(key, key)
    return combo


class StudyForm(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = QLineEdit()
        self.sampler = _combo(SAMPLERS)
        self.trials = _spin(0, MAX_TRIALS, DEFAULT_TRIALS)
        self.minutes = QDoubleSpinBox()
        self.minutes.setRange(0.0, MAX_MINUTES)
        self.minutes.setDecimals(1)
        self.seeds = _spin(1, MAX_SEEDS, 1)
        self.pruner = _combo(PRUNERS)
        self.workers = _spin(1, 64, default_workers())
        self.limit = _spin(0, MAX_LIMIT, 0)
        self.limit.setSingleStep(1000)
        self.threads_note = QLabel()
        self.grid_note = QLabel()
        self.grid_note.setWordWrap(True)
        self._grid_size: int | None = None
        for widget, name in (
            (self.name, "studyName"),
            (self.sampler, "studySampler"),
            (self.trials, "studyTrials"),
            (self.minutes, "studyMinutes"),
            (self.seeds, "studySeeds"),
            (self.pruner, "studyPruner"),
            (self.workers, "studyWorkers"),
            (self.limit, "studyImages"),
        ):
            widget.setObjectName(name)
        self._sampler_chosen = False
        self.sampler.activated.connect(self._on_sampler_activated)
        self.workers.valueChanged.connect(self._show_threads)
        self._lay_out()
        i18n.follow(self, StudyForm.retranslate)

    def _lay_out(self) -> None:
        self.form = form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for widget in (self.name, self.sampler, self.grid_note, self.trials, self.minutes, self.seeds, self.pruner):
            self._add_row(widget)
        for widget in (self.workers, self.threads_note, self.limit):
            self._add_row(widget)

    def _add_row(self, widget: QWidget) -> None:
        """A field with its label (texts: `retranslate`); a note under the field above, without one."""
        if isinstance(widget, QLabel):
            self.form.addRow("", widget)
        else:
            self.form.addRow(QLabel(), widget)

    def retranslate(self) -> None:
        """Labels, tooltips, the combos' names and the notes in the language of the moment."""
        self.name.setPlaceholderText(self.tr("letters, digits, '.', '_', '-'"))
        for combo in (self.sampler, self.pruner):
            for index in range(combo.count()):
                key = combo.itemData(index)
                combo.setItemText(index, QCoreApplication.translate("StudyForm", TEXTS[key]) if key in TEXTS else key)
        for spin in (self.trials, self.minutes):
            spin.setSpecialValueText(self.tr("no limit"))
        self.minutes.setSuffix(self.tr(" min"))
        self.limit.setSpecialValueText(self.tr("all"))
        fields = (self.name, self.sampler, self.trials, self.minutes, self.seeds, self.pruner, self.workers, self.limit)
        for widget in fields:
            self._name_field(widget)
        self._show_threads()
        self._show_grid()

    def _name_field(self, widget: QWidget) -> None:
        """A field's label, tooltip and accessible name (`FIELDS`), in the language of the moment."""
        label, tip, what = (QCoreApplication.translate("StudyForm", text) for text in FIELDS[widget.objectName()])
        self.form.labelForField(widget).setText(label)
        widget.setToolTip(tip)
        widget.setAccessibleName(what)

    def _on_sampler_activated(self, _index: int) -> None:
        self._sampler_chosen = True

    def _show_threads(self) -> None:
        threads = split_threads(default_threads(), self.workers.value())
        if threads > 1:
            self.threads_note.setText(self.tr("{threads} torch threads each").format(threads=threads))
        else:
            self.threads_note.setText(self.tr("{threads} torch thread each").format(threads=threads))

    def set_space(self, space: SearchSpace | None) -> None:
        """Grid only for a space of lists; the default sampler follows the space until the user picks one."""
        all_choices = space is not None and space.all_choices
        item = self.sampler.model()
        if isinstance(item, QStandardItemModel):
            item.item(self.sampler.findData("grid")).setEnabled(all_choices)
        if not self._sampler_chosen or (self.sampler.currentData() == "grid" and not all_choices):
            self.sampler.setCurrentIndex(self.sampler.findData("grid" if all_choices else "tpe"))
        self._grid_size = space.grid_size() if space is not None else None
        self._show_grid()

    def _show_grid(self) -> None:
        size = self._grid_size
        self.grid_note.setText(self.tr("grid of {size} configurations").format(size=f"{size:,}") if size else "")
        self.grid_note.setVisible(bool(size))

    def choices(self) -> StudyChoices:
        return StudyChoices(
            name=self.name.text().strip(),
            sampler=self.sampler.currentData(),
            trials=self.trials.value() or None,
            minutes=self.minutes.value() or None,
            seeds=self.seeds.value(),
            pruner=self.pruner.currentData(),
            workers=self.workers.value(),
            limit=self.limit.value() or None,
        )

    def show_plan(self, plan: StudyPlan) -> None:
        """A resumed study's own settings (its plan's), shown as they are."""
        self.sampler.setCurrentIndex(self.sampler.findData(plan.sampler))
        self.seeds.setValue(plan.seeds)
        self.pruner.setCurrentIndex(self.pruner.findData(plan.pruner))
        self.limit.setValue(plan.data.limit or 0)

    def set_editable(self, editable: bool) -> None:
        for widget in self.findChildren(QWidget):
            if not isinstance(widget, QLabel):
                widget.setEnabled(editable)
