"""App runs into the run store: each run is recorded as its events arrive, and at its end its trained
model is saved into its own folder of the store, for the Runs tab to reopen and train further.

Recording must never get in a run's way: a store that fails says so once in the status bar, and the
run goes on unrecorded.
"""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import QObject, Signal

from ui import messages
from ui.i18n import translate
from workbench.events import EpochEnded, Event, Failed, Finished, RunStarted, Stopped
from workbench.files.errors import ModelFileError
from workbench.files.model_file import SavedModel, save_model
from workbench.model.spec import ModelSpec
from workbench.runs import files as run_files
from workbench.runs.recorder import RunRecorder, start_recording
from workbench.runs.store import RunStore, RunStoreError
from workbench.training.config import TrainConfig

WORTH_TELLING = (RunStarted, EpochEnded, Finished, Stopped, Failed)


class RunKeeping(QObject):
    recorded = Signal()  # the store has news (a run started, an epoch, an end): the Runs tab reloads
    status_message = Signal(str)

    def __init__(self, store: RunStore | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.recorder: RunRecorder | None = None
        self._told = False

    @property
    def run_id(self) -> int | None:
        return None if self.recorder is None else self.recorder.run_id

    def start(
        self,
        spec: ModelSpec,
        config: TrainConfig,
        dataset: str,
        *,
        history: list[dict] | None = None,
        checkpoint_path: str | None = None,
        parent_id: int | None = None,
        resume: bool = False,
    ) -> None:
        self.recorder, self._told = None, False
        if self.store is None:
            return
        try:
            self.recorder = start_recording(
                self.store,
                spec,
                config,
                dataset,
                "app",
                history=history or (),
                checkpoint_path=checkpoint_path,
                parent_id=parent_id,
                resume=resume,
            )
        except (sqlite3.Error, RunStoreError, OSError) as exc:
            self.status_message.emit(
                translate("RunKeeping", "This run is not kept in the run store: {problem}").format(
                    problem=messages.translated(exc)
                )
            )
            return
        self.recorded.emit()

    def record(self, event: Event) -> None:
        """A training event (named so as not to hide QObject.event, which gets Qt's: a language change)."""
        if self.recorder is None:
            return
        self.recorder(event)
        if isinstance(event, WORTH_TELLING):
            self._tell()

    def ended(self, outcome: str, saved: SavedModel | None) -> None:
        """The run is over: record an end no event told (a process that died) and keep its model."""
        recorder = self.recorder
        if recorder is None:
            return
        recorder.end(outcome)  # no-op when its Finished/Stopped/Failed event was recorded
        if saved is not None and recorder.problem is None:
            try:
                path = run_files.run_folder(self.store, recorder.run_id) / run_files.MODEL_FILE
                save_model(path, saved)
            except (OSError, ModelFileError) as exc:
                self.status_message.emit(
                    translate("RunKeeping", "The run's model could not be kept in the run store: {problem}").format(
                        problem=messages.translated(exc)
                    )
                )
            else:
                recorder.set_model(str(path))
        self._tell()

    def _tell(self) -> None:
        if self.recorder is not None and self.recorder.problem and not self._told:
            self._told = True  # said once: the recorder has stopped recording this run
            self.status_message.emit(messages.translated(self.recorder.problem))
        self.recorded.emit()
