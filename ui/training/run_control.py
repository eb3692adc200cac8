"""Starting the Train tab's runs and seeing them end: a fresh run of the model in the Build tab (on from the
weights of an opened model when they fit), the last run resumed from its checkpoint, the learning-rate search
with the same settings; at a run's end, its model kept in the run store and the tab idle again."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from ui import messages
from ui.background import Tasks
from ui.i18n import translate
from ui.training import results
from ui.training.lr_search import LrSearch
from ui.training.run_events import RunEvents
from ui.training.run_keeping import RunKeeping
from ui.training.session import TrainSession
from ui.training.settings_form import SettingsForm
from ui.training.train_layout import LivePanels, RunBox
from ui.training.worker import TrainingRun
from workbench.training.config import ConfigError, TrainConfig

RUN = "run"  # its kind in the window's Tasks


class RunControl(QObject):
    status_message = Signal(str)

    def __init__(
        self,
        session: TrainSession,
        settings: SettingsForm,
        panels: LivePanels,
        run_box: RunBox,
        keeping: RunKeeping,
        tasks: Tasks,
        lr_search: LrSearch,
        host: QWidget,
    ) -> None:
        """`host`: the widget a warning belongs to (the dashboard)."""
        super().__init__(host)
        self.session, self.settings, self.panels, self.run_box = session, settings, panels, run_box
        self.keeping, self.tasks, self.lr_search, self.host = keeping, tasks, lr_search, host
        self.events = RunEvents(session, panels, run_box, keeping, host)
        self.events.status_message.connect(self.status_message)

    def config_to_use(self, doing: str) -> TrainConfig | None:
        """The settings, if a model and data are there and nothing runs; else None (a bad setting says why).
        `doing`: "train" or "search"."""
        session = self.session
        if session.spec is None or session.dataset is None or session.running or self.lr_search.searching:
            return None
        try:
            return self.settings.config()
        except ConfigError as exc:
            if doing == "search":
                title = translate("RunControl", "Cannot search for a learning rate")
            else:
                title = translate("RunControl", "Cannot train")
            QMessageBox.warning(self.host, title, messages.translated(exc))
            return None

    def find_lr(self) -> bool:
        """The learning-rate range test with the current settings, shown in the LR finder tab."""
        config = self.config_to_use("search")
        if config is None:
            return False
        self.panels.curves.setCurrentWidget(self.panels.lr_finder)
        return self.lr_search.start(self.session.spec, self.session.dataset, config)

    def start(self) -> bool:
        config = self.config_to_use("train")
        if config is None:
            return False
        session, saved = self.session, self.session.saved
        name = messages.translated(session.saved_name) or translate("RunControl", "the opened model")
        state, message = results.initial_state(saved, session.spec, name)
        history = list(saved.history) if state is not None and saved.history else []
        if history:  # the opened model's epochs come first: this run trains `epochs` more after them
            config = config.with_changes(epochs=len(history) + config.epochs)
        checkpoint = self._checkpoint_folder_ready()
        run = TrainingRun(  # no Qt parent: a run the window no longer holds is freed, weights, pipes and all
            session.spec,
            session.dataset,
            config,
            session.probe(),
            initial_state=state,
            history=history,
            checkpoint_path=checkpoint,
            health_interval=self.panels.health.health_interval(),
            processes=self.settings.processes(),
        )
        self._launch(run, history, checkpoint, session.saved_run_id if history else None)
        if history:
            results.show_history(self.panels, session.dataset, history, saved.train_config, saved.dataset)
        if message:
            self.status_message.emit(message)
        return True

    def resume_last_run(self) -> bool:
        """Continue the run whose checkpoint is at the session's `checkpoint_path` (one interrupted by a stop
        or a kill)."""
        session, path = self.session, self.session.checkpoint_path
        if session.running or path is None or not path.is_file():
            return False
        try:
            saved = results.checkpoint_to_resume(path, session.dataset)
        except ValueError as exc:
            QMessageBox.warning(self.host, translate("RunControl", "Cannot resume"), messages.translated(exc))
            return False
        device = self.settings.device.currentData()[0]  # the run goes on where the user asks now
        config = TrainConfig.from_json(saved.train_config).with_changes(device=device)
        run = TrainingRun(
            saved.spec,
            session.dataset,
            config,
            session.probe(),
            checkpoint_path=str(path),
            resume=True,
            health_interval=self.panels.health.health_interval(),
            processes=self.settings.processes(),
        )
        self._launch(run, saved.history, str(path))
        results.show_history(self.panels, session.dataset, saved.history, saved.train_config, saved.dataset)
        self.status_message.emit(
            translate("RunControl", "Resuming the last run after epoch {epoch}").format(epoch=len(saved.history))
        )
        return True

    def _checkpoint_folder_ready(self) -> str | None:
        """The checkpoint path, its folder created; None (no checkpoint) if the folder cannot be made."""
        path = self.session.checkpoint_path
        if path is None:
            return None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError:
            return None
        return str(path)

    def _launch(self, run: TrainingRun, history: list[dict], checkpoint: str | None, parent_id: int | None = None):
        """Start `run` (after `history`, the epochs its weights already had), recorded in the run store."""
        session = self.session
        self.keeping.start(
            run.spec,
            run.config,
            session.dataset.name,
            history=history,
            checkpoint_path=checkpoint,
            parent_id=parent_id,
            resume=run.resumes_checkpoint,
        )
        self.panels.reset_for_run()
        session.begin_run(run)
        run.event_emitted.connect(self.events.handle)
        run.weights_updated.connect(self._on_weights_updated)
        run.ended.connect(self._on_run_ended)
        run.start()
        self.tasks.adopt(RUN, stop=run.stop, wait=lambda ms: run.stop(ms))
        if self.panels.feature_maps.explain_method is not None:
            run.set_explain(*self.explanation())
        session.set_state("running")
        self.run_box.show_busy(lambda: translate("RunControl", "Starting the training process…"))

    def explanation(self) -> tuple[str | None, int | None]:
        """What the probe's saliency map shows: (method or None for none, class or None for the predicted)."""
        return self.panels.feature_maps.explain_method, self.session.explained_class

    def resume_with_changes(self) -> None:
        """Resume the paused run with the settings changed meanwhile (a bad one says why and stays paused)."""
        run = self.session.run
        try:
            run.resume(**self.settings.live_changes(run.config))
        except ConfigError as exc:
            QMessageBox.warning(self.host, translate("RunControl", "Cannot apply the change"), messages.translated(exc))

    def stop(self, wait_ms: int = 0) -> bool:
        run = self.session.run
        return run.stop(wait_ms) if run is not None else True

    def _on_weights_updated(self, _step: int) -> None:
        self.panels.refresh_filters(self.session.run)
        self.session.new_weights()

    def _on_run_ended(self, outcome: str) -> None:
        self.tasks.release(RUN)
        run = self.session.run
        self.keeping.ended(outcome, run.saved_model() if run is not None else None)
        checkpoint = self.session.checkpoint_path
        if outcome == "finished" and checkpoint is not None:
            checkpoint.unlink(missing_ok=True)  # nothing left to resume
        self.panels.refresh_filters(run, force=True)
        self.session.end_run()
        self.run_box.show_outcome(outcome)
