"""The window's file actions for trained work: open and save `.cnnwb` models, export code / ONNX,
drop files on the window, autosave the spec being edited and offer it back after a crash."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from ui.training import results
from workbench.files.autosave import Autosave, state_dir
from workbench.files.errors import ExportError, ModelFileError
from workbench.files.export_code import CODE_FILE, WEIGHTS_FILE, export_code
from workbench.files.export_onnx import export_onnx
from workbench.files.model_file import MODEL_SUFFIX, load_model

AUTOSAVE_DELAY_MS = 1000
OPENABLE = (".json", MODEL_SUFFIX)
RESTORE_QUESTION = "Restore the model you were working on when CNN Workbench closed unexpectedly?"


class WorkKeeper(QObject):
    """Owns the trained-model actions of a MainWindow and its autosave; the window calls in for files."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window, self.dashboard, self.document = window, window.dashboard, window.document
        default = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
        self.autosave = Autosave(state_dir(default))
        self.dashboard.checkpoint_path = self.autosave.checkpoint_path
        self._make_actions()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(AUTOSAVE_DELAY_MS)
        self._timer.timeout.connect(self.write_autosave)
        self.document.spec_changed.connect(lambda _spec: self._timer.start())
        self.document.undo_stack.cleanChanged.connect(lambda _clean: self._timer.start())
        self.dashboard.model_changed.connect(self.update_actions)
        self.update_actions()

    def _make_actions(self) -> None:
        w = self.window
        self.save_trained_action = self._action("Save &trained model…", "saveTrainedModelAction", self.save_dialog)
        self.export_logits_action = self._action(
            "Export &logits…", "exportLogitsAction", self.dashboard._on_export_clicked
        )
        self.export_code_action = self._action("Export as PyTorch &code…", "exportCodeAction", self.export_code_dialog)
        self.export_onnx_action = self._action("Export as &ONNX…", "exportOnnxAction", self.export_onnx_dialog)
        self.resume_action = self._action("Resume the &interrupted run", "resumeRunAction", self.resume)
        self.resume_action.setToolTip("Continue the last run from its checkpoint (saved at every epoch end)")
        self.file_actions = [self.save_trained_action, self.export_logits_action]
        self.export_actions = [self.export_code_action, self.export_onnx_action]
        w.setAcceptDrops(True)

    def _action(self, text: str, name: str, slot) -> QAction:
        action = QAction(text, self.window)
        action.setObjectName(name)
        action.triggered.connect(lambda _=False: slot())
        return action

    def update_actions(self) -> None:
        trained = self.dashboard.has_trained_model() and not self.dashboard.running
        for action in (*self.file_actions, *self.export_actions):
            action.setEnabled(trained)
        self.resume_action.setEnabled(not self.dashboard.running and self.autosave.has_checkpoint())

    # ----- trained models ----------------------------------------------------------------------------

    def open_trained(self, path: Path) -> bool:
        """Open a .cnnwb: its spec in the builder (untitled, unmodified), its weights and history on the Train tab."""
        if self.dashboard.running:
            self.window._error("Cannot open a trained model now", "Training is running; stop it, then open the model.")
            return False
        try:
            saved = load_model(path)
        except ModelFileError as exc:
            self.window._error("Cannot open this model", str(exc))
            return False
        self.document.load(saved.spec, None)
        self.dashboard.set_saved(saved, path.name)
        self.update_actions()
        return True

    def save_dialog(self) -> bool:
        saved = self.dashboard.trained_model()
        if saved is None:
            return False
        name = f"{saved.spec.name or 'model'}{MODEL_SUFFIX}"
        path = results.ask_model_path(self.window, self.window._last_folder() / name)
        return path is not None and self.save_trained(path)

    def save_trained(self, path: Path) -> bool:
        saved = self.dashboard.trained_model()
        if saved is None or not results.save_trained(self.window, saved, path):
            return False
        self.window._remember_recent(path)
        self.window.statusBar().showMessage(f"Saved the trained model to {path}", 8000)
        return True

    # ----- exports ------------------------------------------------------------------------------------

    def export_code_dialog(self) -> list[Path]:
        folder = QFileDialog.getExistingDirectory(self.window, "Export as PyTorch code into folder")
        return self.export_code(Path(folder)) if folder else []

    def export_code(self, folder: Path) -> list[Path]:
        """model.py + weights into `folder`; asks before replacing files already there."""
        saved = self.dashboard.trained_model()
        if saved is None:
            return []
        source = self.dashboard.saved_name if self.dashboard.saved is saved else ""
        force = False
        if any((folder / name).exists() for name in (CODE_FILE, WEIGHTS_FILE)):
            answer = QMessageBox.question(
                self.window, "Replace files?", f"{folder.name} already holds an exported model. Replace it?"
            )
            if answer != QMessageBox.StandardButton.Yes:
                return []
            force = True
        try:
            written = export_code(saved, folder, force=force, source=source)
        except ExportError as exc:
            self.window._error("Cannot export the code", str(exc))
            return []
        self.window.statusBar().showMessage(f"Wrote {', '.join(p.name for p in written)} to {folder}", 8000)
        return written

    def export_onnx_dialog(self) -> Path | None:
        path, _ = QFileDialog.getSaveFileName(self.window, "Export as ONNX", "model.onnx", "ONNX model (*.onnx)")
        return self.export_onnx(Path(path)) if path else None

    def export_onnx(self, path: Path) -> Path | None:
        saved = self.dashboard.trained_model()
        if saved is None:
            return None
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            written = export_onnx(saved, path)
        except ExportError as exc:
            self.window._error("Cannot export ONNX", str(exc))
            return None
        finally:
            QApplication.restoreOverrideCursor()
        self.window.statusBar().showMessage(f"Wrote {written}", 8000)
        return written

    def resume(self) -> bool:
        self.window.tabs.setCurrentWidget(self.dashboard)
        started = self.dashboard.resume_last_run()
        self.update_actions()
        return started

    # ----- dropped files ---------------------------------------------------------------------------------

    @staticmethod
    def dropped_model(mime) -> Path | None:
        """The first local .json or .cnnwb file the drag carries, else None."""
        for url in mime.urls() if mime.hasUrls() else ():
            path = Path(url.toLocalFile()) if url.isLocalFile() else None
            if path is not None and path.suffix.lower() in OPENABLE:
                return path
        return None

    # ----- autosave and restore ------------------------------------------------------------------------

    def write_autosave(self) -> None:
        """Keep the spec while it has unsaved changes; a clean document needs no autosave."""
        self._timer.stop()
        try:
            if self.document.modified:
                self.autosave.write(self.document.spec, self.document.path)
            else:
                self.autosave.clear()
        except OSError as exc:
            self.window.statusBar().showMessage(f"Cannot autosave ({exc.strerror or exc}); save the model yourself")

    def clean_exit(self) -> None:
        self._timer.stop()
        self.autosave.clear()

    def offer_restore(self) -> bool:
        """At start-up: if the last session left an autosave, ask whether to restore it (an undoable edit)."""
        recovered = self.autosave.pending_restore()
        if recovered is None:
            return False
        answer = QMessageBox.question(
            self.window,
            "Restore unsaved work",
            RESTORE_QUESTION,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes,
        )
        if answer != QMessageBox.StandardButton.Yes:
            self.autosave.clear()
            return False
        self.document.replace(recovered.spec, "Restore unsaved model")
        where = f" (last saved as {recovered.path.name})" if recovered.path else ""
        self.window.statusBar().showMessage(f"Restored the unsaved model{where}; save it to keep it", 10000)
        return True
