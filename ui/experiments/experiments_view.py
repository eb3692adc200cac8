"""The Experiments tab: the Build tab's model and its Vary… marks are the search space; the Train tab's dataset and
settings are each trial's base. Start, Stop and Resume a study (`study_run.py`: worker processes the window owns);
its trials, read on a timer in the background (`poller.py`), fill the table (`trial_table.py`) and the plots
(`study_plots.py`). "Use best" puts the best configuration into the Build tab (one undo step, the marks kept) and
the training form; a trial's runs open in the Runs tab. When a study ends, the best model's test accuracy is
measured once, in the background, and shown.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QModelIndex, Qt, Signal
from PySide6.QtWidgets import QWidget

from ui import i18n, theme
from ui.background import Tasks
from ui.builder.document import ModelDocument
from ui.experiments.best import best_line, budget_text, progress_line, read_report, same_layers, space_html, use_values
from ui.experiments.layout import lay_out, results_panel, side_panel, trial_table, wrapped_label
from ui.experiments.poller import POLL_MS, StudyPoller, StudySnapshot
from ui.experiments.study_form import StudyForm, default_study_name
from ui.experiments.study_plots import BestSoFarPanel, ImportancePanel, ParameterPanel, ParetoPanel
from ui.experiments.study_run import Launch, Prepared, StudyRun
from ui.experiments.trial_table import NUMBER_ROLE, TrialSorter, TrialTableModel
from ui.i18n import translate
from ui.messages import place, translated
from ui.training.dashboard import TrainingDashboard
from ui.widgets import named_button
from workbench.experiments.plan import DataChoice, StudyError, StudyPlan, check_study_name
from workbench.experiments.space import SearchSpace, SpaceError, space_of
from workbench.training.config import ConfigError, TrainConfig

UNMARKED = QT_TRANSLATE_NOOP(
    "ExperimentsView",
    "Nothing in the model is marked to vary: mark layer parameters or training settings with Vary… first",
)
REPORT = "study report"  # its kind in the window's Tasks
ENDED = {
    "finished": QT_TRANSLATE_NOOP("ExperimentsView", "Study {name} is done: {progress}."),
    "stopped": QT_TRANSLATE_NOOP("ExperimentsView", "Study {name} stopped: {progress}. Resume goes on where it was."),
}


class ExperimentsView(QWidget):
    status_message = Signal(str)
    runs_requested = Signal(list)  # run ids to show in the Runs tab
    runs_recorded = Signal()  # trials ended: the run store has new runs

    def __init__(
        self,
        document: ModelDocument,
        dashboard: TrainingDashboard,
        tasks: Tasks,
        storage_url: str | None = None,
        poll_ms: int | None = POLL_MS,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("experiments")
        self.document, self.dashboard, self.tasks = document, dashboard, tasks
        self.run = StudyRun(tasks, storage_url, self)
        self.poller = StudyPoller(tasks, storage_url, poll_ms, self)
        self.plan: StudyPlan | None = None  # the plan of the study shown
        self.snapshot: StudySnapshot | None = None
        self.report: dict | None = None
        self._space_problem: str | None = None
        self._outcome: str | None = None  # how the study last run here ended
        self._fresh_name: str | None = None  # the default name put in the field, until a study runs under it
        self._status: tuple[Callable[[], str], bool] = (lambda: "", False)  # the status line's text, a problem?
        self._build()
        self._connect()
        self._new_name()
        i18n.follow(self, ExperimentsView.retranslate)

    def retranslate(self) -> None:
        """Texts made from the state (the search space, the base, the status and best lines) said again."""
        self.update_space()
        self._show_line(*self._status)
        if self.report is not None:
            self._on_report(self.report)
        elif self.snapshot is not None:
            self.best_label.setText(best_line(self.snapshot.row(self.snapshot.best)))

    # ----- layout --------------------------------------------------------------------------------

    def _build(self) -> None:
        self.form = StudyForm()
        self.space_label = wrapped_label(
            "spaceLabel", lambda: translate("ExperimentsView", "What the study varies, or why it cannot start")
        )
        self.base_label = wrapped_label(
            "baseLabel", lambda: translate("ExperimentsView", "The data and settings each trial starts from")
        )
        self.status_label = wrapped_label("studyStatus", lambda: translate("ExperimentsView", "How the study stands"))
        self.best_label = wrapped_label(
            "bestLabel", lambda: translate("ExperimentsView", "The best configuration and its test accuracy")
        )
        self.best_label.setTextFormat(Qt.TextFormat.PlainText)
        self._make_buttons()
        self.model = TrialTableModel(self)
        self.sorter = TrialSorter(self.model, self)
        self.table = trial_table(self.sorter)
        self.table.doubleClicked.connect(self._on_double_clicked)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.best_plot, self.parameter_plot = BestSoFarPanel(), ParameterPanel()
        self.pareto_plot, self.importance_plot = ParetoPanel(), ImportancePanel()
        buttons = (self.start_button, self.stop_button, self.resume_button)
        side = side_panel((self.space_label, self.base_label), self.form, buttons, self.status_label)
        plots = (self.best_plot, self.parameter_plot, self.pareto_plot, self.importance_plot)
        results = results_panel(self.best_label, (self.open_run_button, self.use_best_button), self.table, plots)
        lay_out(self, side, results)

    def _make_buttons(self) -> None:
        self.start_button = named_button(
            lambda: translate("ExperimentsView", "Start"),
            "startStudyButton",
            self.start,
            lambda: translate("ExperimentsView", "Start a new study"),
        )
        self.stop_button = named_button(
            lambda: translate("ExperimentsView", "Stop"),
            "stopStudyButton",
            self.stop,
            lambda: translate("ExperimentsView", "Stop the study's trials"),
        )
        self.resume_button = named_button(
            lambda: translate("ExperimentsView", "Resume"),
            "resumeStudyButton",
            self.resume,
            lambda: translate("ExperimentsView", "Go on with the named study"),
        )
        self.use_best_button = named_button(
            lambda: translate("ExperimentsView", "Use best"),
            "useBestButton",
            self.use_best,
            lambda: translate("ExperimentsView", "Put the best configuration into the Build and Train tabs"),
        )
        self.open_run_button = named_button(
            lambda: translate("ExperimentsView", "Open as run"),
            "openTrialRunButton",
            self.open_selected_runs,
            lambda: translate("ExperimentsView", "Show the selected trial's runs in Runs"),
        )

    def _connect(self) -> None:
        self.document.spec_changed.connect(self.update_space)
        self.dashboard.selector.dataset_chosen.connect(lambda *_: self._describe_base())
        self.form.name.textChanged.connect(self._update_buttons)
        self.run.started.connect(self._on_started)
        self.run.not_started.connect(self._on_not_started)
        self.run.ended.connect(self._on_ended)
        self.poller.snapshot_read.connect(self._on_snapshot)
        self.poller.importances_read.connect(self.importance_plot.show_shares)
        self.poller.problem.connect(self.status_message)

    def showEvent(self, event) -> None:
        """The settings may have changed in the Train tab meanwhile."""
        super().showEvent(event)
        self.update_space()

    # ----- the search space ----------------------------------------------------------------------

    def _config(self) -> TrainConfig:
        """The Train tab's settings (ConfigError: one line)."""
        return self.dashboard.settings.config()

    def update_space(self, *_args) -> SearchSpace | None:
        """The marks read again; Start says why it cannot start when they make no search space."""
        space, self._space_problem = None, None
        error = self.document.inference.error
        try:
            if error is not None:
                raise SpaceError(
                    translate("ExperimentsView", "fix {place} first: {cause}").format(
                        place=place(error), cause=translated(error.cause)
                    )
                )
            if not self.document.spec.marked:
                raise SpaceError(translate("ExperimentsView", UNMARKED))
            space = space_of(self.document.spec, self._config())
        except (SpaceError, ConfigError) as exc:
            self._space_problem = translated(exc)
        self.form.set_space(space)
        if self.form.name.text() == self._fresh_name:
            self._new_name()  # the default follows the model's name
        if space is None:
            theme.set_toned_text(self.space_label, html.escape(_sentence(self._space_problem)), "error")
        else:
            self.space_label.setText(space_html(space))
        self._describe_base()
        self._update_buttons()
        return space

    def _describe_base(self) -> None:
        selector = self.dashboard.selector
        try:
            config = self._config()
        except ConfigError as exc:
            problem = translate("ExperimentsView", "Train tab settings: {problem}").format(problem=translated(exc))
            theme.set_toned_text(self.base_label, html.escape(problem), "error")
            return
        if config.epochs == 1:
            epochs = translate("ExperimentsView", "{count} epoch").format(count=config.epochs)
        else:
            epochs = translate("ExperimentsView", "{count} epochs").format(count=config.epochs)
        text = translate(
            "ExperimentsView",
            "Each trial trains on <b>{data}</b> with the Train tab's settings (learning rate {lr}, batch {batch}, "
            "{epochs}) where the marks leave them.",
        )
        data = html.escape(selector.currentText())
        self.base_label.setText(text.format(data=data, lr=f"{config.lr:g}", batch=config.batch_size, epochs=epochs))

    # ----- start, stop, resume -------------------------------------------------------------------

    def start(self) -> bool:
        """A new study of the model's marks (the name in the field, or a fresh one if that study has run)."""
        if self.run.busy or self._space_problem is not None:
            return False
        if self.form.name.text().strip() == self.run.name:
            self._new_name()
        try:
            plan, choices = self._plan()
        except (ConfigError, SpaceError, StudyError) as exc:
            problem = exc
            self._show_problem(lambda: translated(problem))
            return False
        dataset = self.dashboard.dataset
        usable = dataset is not None and dataset.name == plan.data.name != "folder"
        self._begin(Launch(choices.name, plan, workers=choices.workers, dataset=dataset if usable else None))
        return True

    def _plan(self):
        choices = self.form.choices()
        check_study_name(choices.name)
        config = self._config()
        space = space_of(self.document.spec, config)
        selector = self.dashboard.selector
        folder = selector.folder if selector.name() == "folder" else None
        data = DataChoice(selector.name(), choices.limit, config.val_fraction, folder)
        plan = StudyPlan(
            self.document.spec,
            space,
            data,
            config,
            choices.trials,
            choices.minutes,
            choices.seeds,
            choices.sampler,
            choices.pruner,
        )
        return plan, choices

    def resume(self) -> bool:
        """Go on with the stopped study named in the field, with the form's budget."""
        choices = self.form.choices()
        if self.run.busy or not choices.name:
            return False
        self._begin(Launch(choices.name, None, choices.trials, choices.minutes, choices.workers))
        return True

    def _begin(self, launch: Launch) -> None:
        self._outcome = None
        self._show_status(lambda: translate("ExperimentsView", "Checking the model and the data…"))
        self.run.start(launch)
        self.form.set_editable(False)
        self._update_buttons()

    def stop(self) -> None:
        self.run.stop()
        self._show_status(lambda: translate("ExperimentsView", "Stopping: each trial ends at its next batch…"))
        self._update_buttons()

    def _on_started(self, prepared: Prepared) -> None:
        self.plan, self._fresh_name = prepared.plan, None
        self.form.name.setText(prepared.name)
        if prepared.resumed:
            self.form.show_plan(prepared.plan)
        if self.poller.name != prepared.name:
            self._clear(prepared.plan)
        self.poller.watch(prepared.name)
        if prepared.resumed:
            text = QT_TRANSLATE_NOOP("ExperimentsView", "Resumed study {name}: {budget}.")
        else:
            text = QT_TRANSLATE_NOOP("ExperimentsView", "Started study {name}: {budget}.")
        plan = prepared.plan
        self._show_status(
            lambda: translate("ExperimentsView", text).format(name=prepared.name, budget=budget_text(plan))
        )
        self._update_buttons()

    def _clear(self, plan: StudyPlan) -> None:
        self.snapshot, self.report = None, None
        self.model.set_space(plan.space, plan.spec)
        self.parameter_plot.set_space(plan.space, plan.spec)
        self.importance_plot.spec = plan.spec
        self.importance_plot.show_shares({})
        self.best_label.setText("")
        for panel in (self.best_plot, self.pareto_plot):
            panel.showing(False)

    def _on_not_started(self, message: str) -> None:
        self.form.set_editable(True)
        self._show_problem(lambda: translated(message))
        self._update_buttons()

    def _on_ended(self, outcome: str, problem: str) -> None:
        self.form.set_editable(True)
        self.poller.poll_now()  # the final state, whatever the interval
        self.poller.stop()
        self._outcome = outcome
        self._update_buttons()
        if outcome == "failed":
            self._show_problem(lambda: translated(problem))
            return
        if outcome == "cancelled":
            self._show_status(lambda: translate("ExperimentsView", "Not started."))
            return
        self._show_ended()
        self.runs_recorded.emit()
        name = self.run.name or ""
        self.tasks.start(REPORT, lambda _state: read_report(self.run.storage_url, name), self._on_report)

    def _show_ended(self) -> None:
        rows, plan, name, text = (
            self.snapshot.rows if self.snapshot else (),
            self.plan,
            self.run.name,
            ENDED[self._outcome],
        )
        self._show_status(
            lambda: translate("ExperimentsView", text).format(name=name, progress=progress_line(rows, plan))
        )

    def _on_report(self, report: dict) -> None:
        self.report = report
        self.best_label.setText(best_line(report.get("best")))

    def shutdown(self) -> None:
        """The window closes: no more reads or watching (its Tasks stop the workers and the reads)."""
        self.poller.shutdown()
        self.run.shutdown()

    # ----- what the study found ------------------------------------------------------------------

    def _on_snapshot(self, snapshot: StudySnapshot) -> None:
        finished = len(self.snapshot.complete) if self.snapshot else 0
        self.snapshot = snapshot
        shown = self.model.rowCount()
        self.model.set_rows(snapshot.rows)
        if len(snapshot.complete) != finished or self.model.rowCount() != shown:
            for column in range(self.model.columnCount() - 1):  # new values and scores (the last one stretches)
                self.table.resizeColumnToContents(column)
        for panel in (self.best_plot, self.parameter_plot, self.pareto_plot):
            panel.show_snapshot(snapshot)
        if self.report is None:
            self.best_label.setText(best_line(snapshot.row(snapshot.best)))
        if self.run.busy:
            plan = self.plan
            self._show_status(
                lambda: translate("ExperimentsView", "Study {name}: {progress}.").format(
                    name=snapshot.name, progress=progress_line(snapshot.rows, plan)
                )
            )
        elif self._outcome in ENDED:
            self._show_ended()  # with the final read's figures
        if len(snapshot.complete) != finished:
            self.runs_recorded.emit()
        self._update_buttons()

    def best_row(self) -> dict | None:
        return self.snapshot.row(self.snapshot.best) if self.snapshot is not None else None

    def use_best(self) -> bool:
        """The best configuration into the Build tab (one undo step; the marks stay, to sweep again) and the
        Train tab's form (the settings it varies)."""
        row, plan = self.best_row(), self.plan
        if row is None or plan is None:
            return False
        spec = self.document.spec if same_layers(self.document.spec, plan.spec) else plan.spec
        try:
            base = self._config()
        except ConfigError:
            base = plan.config
        spec, config = use_values(spec, base, row["params"])
        self.document.replace(
            spec, translate("ExperimentsView", "Use the best of study {name}").format(name=self.snapshot.name)
        )
        self.dashboard.settings.apply_config(config)
        self.status_message.emit(
            translate("ExperimentsView", "Trial {number}'s configuration is in the Build and Train tabs").format(
                number=row["number"]
            )
        )
        return True

    def selected_row(self) -> dict | None:
        rows = self.table.selectionModel().selectedRows()
        return self._row_at(rows[0]) if rows else None

    def _row_at(self, index: QModelIndex) -> dict | None:
        if self.snapshot is None or not index.isValid():
            return None
        return self.snapshot.row(index.data(NUMBER_ROLE))

    def _on_double_clicked(self, index: QModelIndex) -> None:
        self._open_runs(self._row_at(index))

    def open_selected_runs(self) -> None:
        self._open_runs(self.selected_row())

    def _open_runs(self, row: dict | None) -> None:
        runs = [run for run in (row["runs"] if row else ()) if run is not None]
        if row is not None and not runs:
            self.status_message.emit(
                translate("ExperimentsView", "Trial {number} has no runs kept yet").format(number=row["number"])
            )
        elif runs:
            self.runs_requested.emit(runs)

    # ----- state ---------------------------------------------------------------------------------

    def _new_name(self) -> None:
        self._fresh_name = default_study_name(self.document.spec.name or "model")
        self.form.name.setText(self._fresh_name)

    def _show_status(self, text: Callable[[], str]) -> None:
        """The status line: `text()` now and after a change of language."""
        self._show_line(text, False)

    def _show_problem(self, text: Callable[[], str]) -> None:
        self._show_line(text, True)

    def _show_line(self, text: Callable[[], str], problem: bool) -> None:
        self._status = (text, problem)
        if problem:
            theme.set_toned_text(self.status_label, html.escape(_sentence(text())), "error")
        else:
            self.status_label.setText(html.escape(text()))

    def _update_buttons(self, *_args) -> None:
        busy, name = self.run.busy, self.form.name.text().strip()
        self.start_button.setEnabled(not busy and self._space_problem is None)
        tip = (
            _sentence(self._space_problem) if self._space_problem else translate("ExperimentsView", "Start a new study")
        )
        self.start_button.setToolTip(tip)
        self.stop_button.setEnabled(busy and self.run.state != "stopping")
        self.resume_button.setEnabled(not busy and bool(name) and name != self._fresh_name)
        self.use_best_button.setEnabled(self.best_row() is not None and self.plan is not None)
        selected = self.selected_row()
        self.open_run_button.setEnabled(bool(selected and any(selected["runs"])))


def _sentence(text: str | None) -> str:
    text = (text or "").strip()
    return text[:1].upper() + text[1:] if text else ""
