"""The window's file actions for trained work: open and save `.cnnwb` models, export code / ONNX,
drop files on the window, autosave the spec being edited and offer it back after a crash.

Each window keeps its autosave and its runs' checkpoint in a recovery folder of its own
(`workbench/files/recovery.py`), locked with a QLockFile for as long as the window lives; at start the
folders of windows that were killed are offered back, one question each."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QLockFile, QObject, QStandardPaths, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from ui import i18n
from ui.messages import details, translated
from ui.training import results
from workbench.files.errors import ExportError, ModelFileError
from workbench.files.export_code import CODE_FILE, WEIGHTS_FILE, export_code
from workbench.files.export_onnx import CHECK_IMAGES, export_onnx
from workbench.files.logits import dataset_mismatch
from workbench.files.model_file import MODEL_SUFFIX, load_model
from workbench.files.recovery import Autosave, Orphan, RecoveryFolder, find_orphans, new_folder, state_dir
from workbench.model import tree
from workbench.text import printable, show_path

AUTOSAVE_DELAY_MS = 1000
OPENABLE = (".json", MODEL_SUFFIX)
RESTORE_QUESTION = QT_TRANSLATE_NOOP(
    "WorkKeeper", "Restore the model you were working on when CNN Workbench closed unexpectedly?"
)


class WorkKeeper(QObject):
    """Owns the trained-model actions of a MainWindow and its autosave; the window calls in for files."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window, self.dashboard, self.document = window, window.dashboard, window.document
        default = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
        self.state = state_dir(default)
        self.recovery: RecoveryFolder | None = None  # this window's autosave and checkpoint, locked while it lives
        self.folder_problem = ""  # why there is no recovery folder, if there is none
        self._make_actions()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(AUTOSAVE_DELAY_MS)
        self._timer.timeout.connect(self.write_autosave)
        self.document.spec_changed.connect(lambda _spec: self._timer.start())
        self.document.undo_stack.cleanChanged.connect(lambda _clean: self._timer.start())
        self.dashboard.model_changed.connect(self.update_actions)
        self.own_folder()
        self.update_actions()

    def _make_actions(self) -> None:
        w = self.window
        self.save_trained_action = self._action("saveTrainedModelAction", self.save_dialog)
        self.export_logits_action = self._action("exportLogitsAction", self.dashboard.export_logits_dialog)
        self.export_code_action = self._action("exportCodeAction", self.export_code_dialog)
        self.export_onnx_action = self._action("exportOnnxAction", self.export_onnx_dialog)
        self.resume_action = self._action("resumeRunAction", self.resume)
        self.file_actions = [self.save_trained_action, self.export_logits_action]
        self.export_actions = [self.export_code_action, self.export_onnx_action]
        w.setAcceptDrops(True)
        i18n.follow(self, WorkKeeper.retranslate)

    def retranslate(self) -> None:
        self.save_trained_action.setText(self.tr("Save &trained model…"))
        self.export_logits_action.setText(self.tr("Export &logits…"))
        self.export_code_action.setText(self.tr("Export as PyTorch &code…"))
        self.export_onnx_action.setText(self.tr("Export as &ONNX…"))
        self.resume_action.setText(self.tr("Resume the &interrupted run"))
        self.resume_action.setToolTip(self.tr("Continue the last run from its checkpoint (saved at every epoch end)"))

    def _action(self, name: str, slot) -> QAction:
        action = QAction(self.window)  # texts: retranslate
        action.setObjectName(name)
        action.triggered.connect(lambda _=False: slot())
        return action

    def update_actions(self) -> None:
        trained = self.dashboard.has_trained_model() and not self.dashboard.running
        for action in (*self.file_actions, *self.export_actions):
            action.setEnabled(trained)
        resumable = self.recovery is not None and self.recovery.autosave.has_checkpoint()
        self.resume_action.setEnabled(not self.dashboard.running and resumable)

    # ----- trained models ----------------------------------------------------------------------------

    def open_trained(self, path: Path) -> bool:
        """Open a .cnnwb: its spec in the builder (untitled, unmodified), its weights and history on the Train tab."""
        if self.dashboard.running:
            self.window._error(
                self.tr("Cannot open a trained model now"),
                self.tr("Training is running; stop it, then open the model."),
            )
            return False
        try:
            saved = load_model(path)
        except ModelFileError as exc:
            self.window._error(self.tr("Cannot open this model"), translated(exc), details(exc))
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
        self.window.statusBar().showMessage(self.tr("Saved the trained model to {file}").format(file=path), 8000)
        return True

    # ----- exports ------------------------------------------------------------------------------------

    def export_code_dialog(self) -> list[Path]:
        folder = QFileDialog.getExistingDirectory(self.window, self.tr("Export as PyTorch code into folder"))
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
                self.window,
                self.tr("Replace files?"),
                self.tr("{folder} already holds an exported model. Replace it?").format(folder=folder.name),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return []
            force = True
        try:
            written = export_code(saved, folder, force=force, source=source)
        except ExportError as exc:
            self.window._error(self.tr("Cannot export the code"), translated(exc), details(exc))
            return []
        files = ", ".join(p.name for p in written)
        self.window.statusBar().showMessage(
            self.tr("Wrote {files} to {folder}").format(files=files, folder=folder), 8000
        )
        return written

    def export_onnx_dialog(self) -> Path | None:
        title, kinds = self.tr("Export as ONNX"), self.tr("ONNX model (*.onnx)")
        path, _ = QFileDialog.getSaveFileName(self.window, title, "model.onnx", kinds)
        return self.export_onnx(Path(path)) if path else None

    def export_onnx(self, path: Path) -> Path | None:
        saved = self.dashboard.trained_model()
        if saved is None:
            return None
        dataset = self.dashboard.dataset
        fits = dataset is not None and dataset_mismatch(saved, dataset) is None
        images = dataset.test.images[:CHECK_IMAGES].float() / 255 if fits else None  # the graph is checked on them
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            written = export_onnx(saved, path, images)
        except ExportError as exc:
            self.window._error(self.tr("Cannot export ONNX"), translated(exc), details(exc))
            return None
        finally:
            QApplication.restoreOverrideCursor()
        line = translated(written.line())
        self.window.statusBar().showMessage(line[:1].upper() + line[1:], 8000)
        return written.path

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

    @property
    def autosave(self) -> Autosave | None:
        return self.recovery.autosave if self.recovery is not None else None

    def own_folder(self) -> RecoveryFolder | None:
        """This window's recovery folder, made and locked when first needed; None (said in the status bar)
        while it cannot be, for instance in a state folder that cannot be written."""
        if self.recovery is None:
            try:
                self.recovery = new_folder(self.state, claim_lock)
            except OSError as exc:
                self.folder_problem = self.tr("Cannot keep unsaved work in {folder} ({problem})").format(
                    folder=show_path(self.state), problem=exc.strerror or exc
                )
                self._say(self.folder_problem)
                return None
            self.dashboard.checkpoint_path = self.recovery.checkpoint_path
        return self.recovery

    def _say(self, text: str, timeout_ms: int = 0) -> None:
        self.window.statusBar().showMessage(text, timeout_ms)

    def write_autosave(self) -> None:
        """Keep the spec while it has unsaved changes; a clean document needs no autosave."""
        self._timer.stop()
        recovery = self.own_folder()
        if recovery is None:
            return
        try:
            if self.document.modified:
                recovery.autosave.write(self.document.spec, self.document.path)
            else:
                recovery.autosave.clear()
        except OSError as exc:
            self._say(
                self.tr("Cannot autosave ({problem}); save the model yourself").format(problem=exc.strerror or exc)
            )

    def clean_exit(self) -> None:
        """The window closes: its autosave goes, and its folder with it unless an interrupted run's checkpoint
        is there (that stays, for the next start to adopt). The folder is kept as `recovery` but not locked."""
        self._timer.stop()
        if self.recovery is not None:
            with contextlib.suppress(OSError):  # closing: there is no one left to tell
                self.recovery.close()

    def offer_restore(self, another: Callable[[], object] | None = None) -> bool:
        """At start-up: each model that a killed window left unsaved is offered back, one question each; Yes
        restores it as an undoable edit, the first into this window, later ones into `another()` window (or
        this one too, without it). The newest interrupted run becomes this window's to resume; others wait
        for later starts. True if a model was restored."""
        try:
            orphans, problems = find_orphans(self.state, claim_lock)
        except OSError as exc:
            self._say(
                self.tr("Cannot look for unsaved work in {folder} ({problem})").format(
                    folder=show_path(self.state), problem=exc.strerror or exc
                )
            )
            return False
        notes, restored = problems[:1], []
        if self.own_folder() is None:  # said again: the window's start-up clears the status bar
            notes.append(self.folder_problem)
        try:
            offered = [o for o in orphans if o.recovered is not None]
            for number, orphan in enumerate(offered, start=1):
                target = (another or (lambda: self.window)) if restored else (lambda: self.window)
                counter = self.tr("{number} of {count}").format(number=number, count=len(offered))
                restored += self._offer(orphan, counter if len(offered) > 1 else "", target)
            notes.extend(self._adopt_checkpoint(orphans))
        except OSError as exc:
            notes.append(self.tr("Cannot take over unsaved work ({problem})").format(problem=exc.strerror or exc))
        finally:
            for orphan in orphans:
                with contextlib.suppress(OSError):
                    orphan.release()
        said = [note for note in (_restored_note(restored), *notes) if note]
        if said:
            self._say(self.tr(". ").join(said), 15000)
        return bool(restored)

    def _offer(self, orphan: Orphan, counter: str, target: Callable[[], object]) -> list[Path | None]:
        """Ask about one orphan's model; Yes puts it in the `target()` window, autosaved there at once. The
        orphan's autosave goes unless that autosave failed. [the file it was saved as] if restored, else []."""
        recovered = orphan.recovered
        title = self.tr("Restore unsaved work ({counter})").format(counter=counter) if counter else ""
        title = title or self.tr("Restore unsaved work")
        yes, no = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No
        if QMessageBox.question(self.window, title, restore_text(orphan), yes | no, yes) != yes:
            orphan.discard_autosave()
            return []
        keeper = target().keeper
        keeper.document.replace(recovered.spec, self.tr("Restore unsaved model"))
        keeper.write_autosave()  # kept in its window's folder before it leaves the orphan's
        if keeper.autosave is not None and keeper.autosave.spec_path.is_file():
            orphan.discard_autosave()
        if keeper is not self:  # a window of its own says what it holds
            keeper._say(_restored_note([recovered.path]), 15000)
        return [recovered.path]

    def _adopt_checkpoint(self, orphans: list[Orphan]) -> list[str]:
        """The newest interrupted run's checkpoint becomes this window's (Run ▸ Resume the interrupted run);
        older ones stay in their folders, each adopted by a later start. The notes to show."""
        waiting = sorted((o for o in orphans if o.checkpoint_at is not None), key=lambda o: o.checkpoint_at)
        recovery = self.own_folder() if waiting else None
        if not waiting or recovery is None or recovery.autosave.has_checkpoint() or self.dashboard.running:
            return [_plural(len(waiting), KEPT_RUNS)] if waiting else []
        waiting.pop().adopt_checkpoint(recovery.checkpoint_path)
        self.update_actions()
        if waiting:
            return [
                self.tr("An interrupted run was kept: Run ▸ Resume the interrupted run continues it ({older})").format(
                    older=_plural(len(waiting), KEPT_OLDER)
                )
            ]
        return [self.tr("An interrupted run was kept: Run ▸ Resume the interrupted run continues it")]


def claim_lock(path: Path) -> QLockFile | None:
    """The lock file at `path`, taken unless a live process holds it (a dead owner's lock is taken over)."""
    lock = QLockFile(str(path))
    lock.setStaleLockTime(0)  # only a dead owner makes a lock stale, never its age: a window may stay open for weeks
    return lock if lock.tryLock(0) else None


def restore_text(orphan: Orphan) -> str:
    """The question about one orphan's model: its name, layer count, when it was autosaved, its file."""
    spec, path = orphan.recovered.spec, orphan.recovered.path
    name = printable(spec.name) or QCoreApplication.translate("WorkKeeper", "untitled")
    lines = [
        QCoreApplication.translate("WorkKeeper", RESTORE_QUESTION),
        "",
        QCoreApplication.translate("WorkKeeper", "Model: {name}, {layers}").format(
            name=name, layers=_plural(tree.count_layers(spec), LAYERS)
        ),
        QCoreApplication.translate("WorkKeeper", "Autosaved: {when}").format(when=_when(orphan.saved_at)),
    ]
    if path is not None:
        lines.append(QCoreApplication.translate("WorkKeeper", "Last saved as: {file}").format(file=show_path(path)))
    return "\n".join(lines)  # plain text: nothing before the first line break looks like a tag


def _when(moment: datetime | None) -> str:
    if moment is None:
        return QCoreApplication.translate("WorkKeeper", "unknown")
    if moment.date() == datetime.now().date():
        return QCoreApplication.translate("WorkKeeper", "today at {time}").format(time=f"{moment:%H:%M}")
    return QCoreApplication.translate("WorkKeeper", "{day} at {time}").format(
        day=f"{moment:%Y-%m-%d}" if i18n.current() != i18n.ENGLISH else f"{moment:%d %b %Y}", time=f"{moment:%H:%M}"
    )


def _restored_note(paths: list[Path | None]) -> str:
    if not paths:
        return ""
    if len(paths) > 1:
        return QCoreApplication.translate(
            "WorkKeeper", "Restored {count} unsaved models; save them to keep them"
        ).format(count=len(paths))
    if paths[0]:
        return QCoreApplication.translate(
            "WorkKeeper", "Restored the unsaved model (last saved as {file}); save it to keep it"
        ).format(file=show_path(paths[0].name))
    return QCoreApplication.translate("WorkKeeper", "Restored the unsaved model; save it to keep it")


# (one, several) of a count, in English and translated where said
LAYERS = (QT_TRANSLATE_NOOP("WorkKeeper", "{count} layer"), QT_TRANSLATE_NOOP("WorkKeeper", "{count} layers"))
KEPT_RUNS = (
    QT_TRANSLATE_NOOP("WorkKeeper", "{count} interrupted run kept for a later start"),
    QT_TRANSLATE_NOOP("WorkKeeper", "{count} interrupted runs kept for a later start"),
)
KEPT_OLDER = (
    QT_TRANSLATE_NOOP("WorkKeeper", "{count} older one kept for the next starts"),
    QT_TRANSLATE_NOOP("WorkKeeper", "{count} older ones kept for the next starts"),
)


def _plural(number: int, forms: tuple[str, str]) -> str:
    return QCoreApplication.translate("WorkKeeper", forms[number != 1]).format(count=number)
