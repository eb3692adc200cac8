"""The Experiments tab's controls: the study's name, how values are picked (sampler), the budget (trials,
minutes), seeds per configuration, the pruner, trials at once, and how many images each trial trains on. The
model and its marks, the dataset and the base settings are the Build and Train tabs'; this form holds only what
is the study's own."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QFormLayout, QLabel, QLineEdit, QSpinBox, QWidget

from ui.widgets import set_names
from workbench.experiments.launch import split_threads
from workbench.experiments.plan import MAX_MINUTES, MAX_SEEDS, MAX_TRIALS, PRUNERS, SAMPLERS, StudyPlan
from workbench.experiments.space import SearchSpace
from workbench.training.config import default_threads

TEXTS = {
    "grid": "Grid: every combination",
    "tpe": "TPE: learns where to look",
    "random": "Random",
    "none": "None",
    "median": "Median: end trials behind it",
    "halving": "Successive halving",
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


def _spin(low: int, high: int, value: int, tip: str, special: str = "", suffix: str = "") -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(low, high)
    spin.setValue(value)
    spin.setToolTip(tip)
    spin.setSpecialValueText(special)
    spin.setSuffix(suffix)
    return spin


def _combo(keys: tuple[str, ...], tip: str) -> QComboBox:
    combo = QComboBox()
    for key in keys:
        combo.addItem(TEXTS.get(key, key), key)
    combo.setToolTip(tip)
    return combo


class StudyForm(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = QLineEdit()
        self.name.setPlaceholderText("letters, digits, '.', '_', '-'")
        self.name.setToolTip(
            "The study's name. Start begins a new study; Resume goes on with the stopped study of this name"
        )
        self.sampler = _combo(SAMPLERS, "How each trial's values are picked; grid needs every mark to be a list")
        self.trials = _spin(0, MAX_TRIALS, DEFAULT_TRIALS, "Trials to run (a grid: at most its size)", "no limit")
        self.minutes = QDoubleSpinBox()
        self.minutes.setRange(0.0, MAX_MINUTES)
        self.minutes.setDecimals(1)
        self.minutes.setSpecialValueText("no limit")
        self.minutes.setSuffix(" min")
        self.minutes.setToolTip("Minutes of running trials; the study stops starting trials after that")
        self.seeds = _spin(1, MAX_SEEDS, 1, "Each configuration trains with this many seeds; its score is their mean")
        self.pruner = _combo(PRUNERS, "End trials early that fall behind the others at the same point")
        self.workers = _spin(1, 64, default_workers(), "Trials at once, each a process with its share of the cores")
        self.limit = _spin(0, MAX_LIMIT, 0, "Training and validation images per trial (fewer: faster)", "all")
        self.limit.setSingleStep(1000)
        self.threads_note = QLabel()
        self.grid_note = QLabel()
        self.grid_note.setWordWrap(True)
        for widget, name, what in (
            (self.name, "studyName", "the study's name"),
            (self.sampler, "studySampler", "how values are picked"),
            (self.trials, "studyTrials", "the trial budget"),
            (self.minutes, "studyMinutes", "the time budget"),
            (self.seeds, "studySeeds", "seeds per configuration"),
            (self.pruner, "studyPruner", "the pruner"),
            (self.workers, "studyWorkers", "trials at once"),
            (self.limit, "studyImages", "images per trial"),
        ):
            set_names(widget, name, what)
        self._sampler_chosen = False
        self.sampler.activated.connect(self._on_sampler_activated)
        self.workers.valueChanged.connect(self._show_threads)
        self._lay_out()
        self._show_threads()

    def _lay_out(self) -> None:
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for label, widget in (
            ("Study", self.name),
            ("Sampler", self.sampler),
            ("", self.grid_note),
            ("Trials", self.trials),
            ("Minutes", self.minutes),
            ("Seeds each", self.seeds),
            ("Pruner", self.pruner),
            ("At once", self.workers),
            ("", self.threads_note),
            ("Images", self.limit),
        ):
            form.addRow(label, widget)

    def _on_sampler_activated(self, _index: int) -> None:
        self._sampler_chosen = True

    def _show_threads(self) -> None:
        threads = split_threads(default_threads(), self.workers.value())
        self.threads_note.setText(f"{threads} torch thread{'s' if threads > 1 else ''} each")

    def set_space(self, space: SearchSpace | None) -> None:
        """Grid only for a space of lists; the default sampler follows the space until the user picks one."""
        all_choices = space is not None and space.all_choices
        item = self.sampler.model()
        if isinstance(item, QStandardItemModel):
            item.item(self.sampler.findData("grid")).setEnabled(all_choices)
        if not self._sampler_chosen or (self.sampler.currentData() == "grid" and not all_choices):
            self.sampler.setCurrentIndex(self.sampler.findData("grid" if all_choices else "tpe"))
        size = space.grid_size() if space is not None else None
        self.grid_note.setText(f"grid of {size:,} configurations" if size else "")
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
