"""The main window: composition of the tabs, menus, toolbar and status bar; file handling."""

from __future__ import annotations

from pathlib import Path

import torch
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import QFileDialog, QLabel, QMainWindow, QMenu, QMessageBox, QToolBar

from ui import i18n, theme, window_settings, window_templates, window_texts
from ui.background import Tasks
from ui.builder.builder_view import BuilderView
from ui.builder.document import ModelDocument
from ui.draw.draw_view import DrawView
from ui.experiments.experiments_view import ExperimentsView
from ui.files import WorkKeeper
from ui.help_dialog import open_about_layers
from ui.i18n import translate
from ui.learn.learn_panel import LearnPanel
from ui.log_file import start_log
from ui.messages import details, translated
from ui.runs.runs_view import RunsView
from ui.training.dashboard import TrainingDashboard
from ui.widgets import LazyTabs
from workbench.files.model_file import MODEL_SUFFIX
from workbench.model import templates
from workbench.model.spec import ModelSpec, SpecError, load
from workbench.system import atomic_file
from workbench.training.config import ConfigError, TrainConfig, default_threads, resolve_device

MAX_RECENT = 8


class MainWindow(QMainWindow):
    def __init__(self, spec: ModelSpec | None = None):
        super().__init__()
        i18n.ensure()  # the language chosen (`--lang`, the remembered one, the system's) unless one is installed
        self.setObjectName("mainWindow")
        self._refits = 0
        # The window's own torch work is single images (drawings, probes): one thread is fastest, and
        # more would fight the training process (its own threads) for the cores: a 0.3 ms conv took 21.
        torch.set_num_threads(1)
        self.document = ModelDocument(spec or templates.template(templates.STARTER), self)
        self.tasks = Tasks(self)  # the window's background work, all of it: cancelled and waited for on close
        self._make_tabs()
        self._make_actions()
        self.keeper = WorkKeeper(self)  # trained models, exports, dropped files, autosave
        start_log(self.keeper.state)  # what fails in the background, with its traceback
        self._make_menus()
        self._make_toolbar()
        self._make_status_bar()
        i18n.follow(self, window_texts.retranslate)  # the texts of menus, actions, tabs and toolbar
        self.document.spec_changed.connect(self._on_document_spec_changed)
        self.document.undo_stack.cleanChanged.connect(self._update_title)
        self.document.path_changed.connect(self._update_title)
        self.dashboard.input_shape_found.connect(self._on_dashboard_input_shape_found)
        self.dashboard.status_message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.dashboard.device_used.connect(self._on_device_used)
        self.builder.stack.explore_requested.connect(self._on_stack_explore_requested)
        self.dashboard.keeping.recorded.connect(self._reload_runs_soon)
        self._restore_settings()
        self._on_document_spec_changed(self.document.spec)
        self._update_title()

    # ----- actions, menus, toolbar ---------------------------------------------------------------

    def _make_tabs(self) -> None:
        """Build and Train are made now; Draw, Learn, Runs and Experiments when first shown or asked for
        (`self.draw` and the like make them): a window costs a third less to open."""
        self.builder = BuilderView(self.document, tasks=self.tasks)
        self.tabs = LazyTabs()
        self.tabs.setObjectName("mainTabs")
        self.tabs.addTab(self.builder, "")  # titles: window_texts
        self.dashboard = TrainingDashboard(tasks=self.tasks)
        self.dashboard.settings.use_document(self.document)  # marks on training settings belong to the model
        self.tabs.addTab(self.dashboard, "")
        self.run_store, self._run_store_problem = window_settings.open_run_store()
        self.dashboard.keeping.store = self.run_store
        self._lazy_tabs = {}
        for name in ("draw", "learn", "runs", "experiments"):
            self._lazy_tabs[name] = self.tabs.add_lazy(getattr(self, f"_make_{name}"), "")
        self.setCentralWidget(self.tabs)

    @property
    def draw(self) -> DrawView:
        return self.tabs.content(self._lazy_tabs["draw"])

    @property
    def learn(self) -> LearnPanel:
        return self.tabs.content(self._lazy_tabs["learn"])

    @property
    def runs(self) -> RunsView:
        return self.tabs.content(self._lazy_tabs["runs"])

    @property
    def experiments(self) -> ExperimentsView:
        return self.tabs.content(self._lazy_tabs["experiments"])

    def _made(self, name: str) -> bool:
        return self.tabs.made(self._lazy_tabs[name])

    def _show_status(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)

    def _make_draw(self) -> DrawView:
        draw = DrawView(self.dashboard.classifier, host=self.dashboard)
        self.dashboard.model_changed.connect(draw.model_changed)
        draw.probe_chosen.connect(self.dashboard.use_probe_image)
        draw.status_message.connect(self._show_status)
        return draw

    def _make_learn(self) -> LearnPanel:
        learn = LearnPanel(self.dashboard.classifier, self.dashboard.probe)
        self.dashboard.model_changed.connect(learn.model_changed)
        learn.calibration_requested.connect(lambda: self.tabs.setCurrentWidget(self.dashboard))
        learn.calibration_requested.connect(self.dashboard.show_calibration)
        return learn

    def _make_runs(self) -> RunsView:
        runs = RunsView(self.run_store, self._run_store_problem)
        runs.status_message.connect(self._show_status)
        runs.open_requested.connect(lambda path, run_id: self.open_run(path, run_id))
        runs.continue_requested.connect(lambda path, run_id: self.open_run(path, run_id, train=True))
        return runs

    def _make_experiments(self) -> ExperimentsView:
        experiments = ExperimentsView(self.document, self.dashboard, self.tasks)
        experiments.status_message.connect(self._show_status)
        experiments.runs_recorded.connect(self._reload_runs_soon)
        experiments.runs_requested.connect(self.show_runs)
        return experiments

    def _reload_runs_soon(self) -> None:
        if self._made("runs"):  # a Runs tab made later reads the store then
            self.runs.reload_soon()

    def _make_actions(self) -> None:
        stack = self.document.undo_stack
        self.undo_action = window_texts.UndoAction(self, stack)  # texts: window_texts
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = window_texts.UndoAction(self, stack, redo=True)
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence.StandardKey.Redo])
        self.open_action = self._action(QKeySequence.StandardKey.Open, self.open_dialog)
        self.save_action = self._action(QKeySequence.StandardKey.Save, self.save)
        self.save_as_action = self._action(QKeySequence.StandardKey.SaveAs, self.save_as)
        self.quit_action = self._action(QKeySequence.StandardKey.Quit, self.close)
        self.train_action = self._action(QKeySequence("Ctrl+T"), self._on_train_triggered)
        self.train_action.setObjectName("trainAction")

    def _action(self, shortcut, slot) -> QAction:
        action = QAction(self)
        action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        return action

    def _make_menus(self) -> None:
        self.file_menu = file_menu = self.menuBar().addMenu("")  # titles: window_texts
        self.template_menu = file_menu.addMenu("")
        window_templates.fill_menu(self.template_menu, self.new_from_template)
        file_menu.addAction(self.open_action)
        self.recent_menu = file_menu.addMenu("")
        file_menu.addSeparator()
        file_menu.addActions([self.save_action, self.save_as_action, *self.keeper.file_actions])
        file_menu.addSeparator()
        file_menu.addActions(self.keeper.export_actions)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        self.edit_menu = edit_menu = self.menuBar().addMenu("")
        edit_menu.addActions([self.undo_action, self.redo_action])
        edit_menu.addSeparator()
        self.layer_menu = layer_menu = edit_menu.addMenu("")
        layer_menu.aboutToShow.connect(lambda: self._fill_layer_menu(layer_menu))
        self._make_view_menu()
        self.run_menu = run_menu = self.menuBar().addMenu("")
        run_menu.addActions([self.train_action, self.keeper.resume_action])
        run_menu.aboutToShow.connect(self.keeper.update_actions)
        self.help_menu = help_menu = self.menuBar().addMenu("")
        self.about_layers_action = about_layers = help_menu.addAction("", lambda: open_about_layers(self))
        about_layers.setObjectName("aboutLayersAction")
        about_layers.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))  # F1: the palette's layer
        self.about_action = help_menu.addAction("", self._show_about)

    def _make_view_menu(self) -> None:
        """View ▸ Theme (Light, Dark) and Language: one of each checked; a choice applies at once, remembered."""
        self.view_menu = view_menu = self.menuBar().addMenu("")
        view_menu.setObjectName("viewMenu")
        self.theme_menu = view_menu.addMenu("")
        self.theme_menu.setObjectName("themeMenu")
        group = QActionGroup(self)
        group.setExclusive(True)
        self.theme_actions: dict[str, QAction] = {}
        for name, chosen in theme.THEMES.items():
            action = self.theme_menu.addAction(chosen.title)  # translated: window_texts
            action.setObjectName(f"{name}ThemeAction")
            action.setCheckable(True)
            action.triggered.connect(lambda _=False, n=name: theme.choose(n))
            group.addAction(action)
            self.theme_actions[name] = action
        actions = self.theme_actions  # not `self` in the closure: see theme.follow
        theme.follow(self, lambda t: actions[t.name].setChecked(True))
        self.language_menu = i18n.add_language_menu(view_menu)

    def _fill_layer_menu(self, menu: QMenu) -> None:
        menu.clear()
        self.builder.stack.fill_menu(menu, self.builder.stack.current_layer_row())

    def _make_toolbar(self) -> None:
        self.toolbar = bar = QToolBar()  # texts: window_texts
        bar.setObjectName("mainToolbar")
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.new_action = new_button = bar.addAction("")
        new_button.setMenu(self.template_menu)
        new_button.triggered.connect(lambda: self.new_from_template(templates.STARTER))
        bar.addActions([self.open_action, self.save_action])
        bar.addSeparator()
        self.short_undo_actions = self._short_undo_actions()
        bar.addActions(self.short_undo_actions)
        bar.addSeparator()
        bar.addAction(self.train_action)
        self.addToolBar(bar)

    def _short_undo_actions(self) -> list[QAction]:
        """Toolbar buttons with fixed labels (the menu's actions carry the long "Undo Add Conv2d")."""
        stack, actions = self.document.undo_stack, []
        for slot, can_changed, text_changed in (
            (stack.undo, stack.canUndoChanged, stack.undoTextChanged),
            (stack.redo, stack.canRedoChanged, stack.redoTextChanged),
        ):
            action = QAction(self)
            action.triggered.connect(slot)
            action.setEnabled(False)
            can_changed.connect(action.setEnabled)
            text_changed.connect(action.setToolTip)  # e.g. "Add Conv2d"
            actions.append(action)
        return actions

    def _make_status_bar(self) -> None:
        self.device_label = QLabel()  # text: show_state
        self.device_label.setObjectName("deviceLabel")
        self._device_used: str | None = None  # what the last run trained on, as it said
        self.statusBar().addPermanentWidget(self.device_label)

    # ----- state ---------------------------------------------------------------------------------

    def _on_document_spec_changed(self, spec: ModelSpec) -> None:
        error = self.document.inference.error
        self.dashboard.set_spec(spec, None if error is None else window_texts.fix_texts(error)[0])
        self.train_action.setEnabled(error is None)
        self._show_problem(clear=True)

    def _show_problem(self, clear: bool = False) -> None:
        """Train's tooltip, and the status bar: why the model cannot train (cleared when it can, if `clear`)."""
        error = self.document.inference.error
        if error is None:
            self.train_action.setToolTip(translate("MainWindow", "Train this model (Ctrl+T)"))
            if clear:
                self.statusBar().clearMessage()
        else:
            message = window_texts.fix_texts(error)[1]
            self.train_action.setToolTip(message)
            self.statusBar().showMessage(message)

    def show_state(self) -> None:
        """The texts made from the window's state, again in the language of the moment."""
        self._update_title()
        self._show_problem()
        device = window_texts.device_text(resolve_device("auto"), default_threads())
        self.device_label.setText(self._device_used or device)

    def _on_device_used(self, text: str) -> None:
        self._device_used = text
        self.device_label.setText(text)

    def _update_title(self, *_args) -> None:
        path = self.document.path
        name, suffix = (path.name, None) if path else (self.document.spec.name, ".json")
        self.setWindowTitle(window_texts.window_title(name, suffix))
        self.setWindowModified(self.document.modified)

    def _on_train_triggered(self) -> None:
        self.tabs.setCurrentWidget(self.dashboard)  # shows it, which starts loading the dataset if needed
        self.dashboard.request_start()

    def _on_dashboard_input_shape_found(self, shape: tuple[int, ...]) -> None:
        """The model's input follows the chosen dataset (an undoable edit)."""
        if tuple(self.document.spec.input) != tuple(shape):
            self.document.set_input(shape)
            self.statusBar().showMessage(
                translate("MainWindow", "Model input set to {shape} for the chosen dataset").format(
                    shape="×".join(map(str, shape))
                ),
                8000,
            )

    def _on_stack_explore_requested(self, where: int | tuple[int, ...]) -> None:
        """Open the layer at `where` (a row, or a path inside a block: no "layer N" caption) in the Learn tab."""
        path = (where,) if isinstance(where, int) else tuple(where)
        if self.learn.set_layer(self.document.layer(path), path[0] + 1 if len(path) == 1 else None):
            self.tabs.setCurrentWidget(self.learn)

    # ----- files ---------------------------------------------------------------------------------

    def new_from_template(self, name: str) -> None:
        """The template's model, and in the Train tab the settings it was measured with."""
        spec = templates.template(name)
        title, measured = window_templates.texts(name)[:2]
        self.document.replace(spec, translate("MainWindow", "New from template {name}").format(name=title))
        self._apply_recommended(spec)
        self.statusBar().showMessage(
            translate("MainWindow", "{name}: {measured}, with the settings now in the Train tab").format(
                name=title, measured=measured
            ),
            8000,
        )

    def _apply_recommended(self, spec) -> str | None:
        """The spec's recommended settings in the Train tab's form (the rest at their defaults, as a template's
        recipe); the reason in one line when they cannot be used (the model opens all the same)."""
        try:
            config = TrainConfig(**dict(spec.recommended))
        except (ConfigError, TypeError) as exc:
            return translate("MainWindow", "its recommended settings are not used: {problem}").format(
                problem=translated(exc)
            )
        self.dashboard.settings.apply_config(config)
        return None

    def open_run(self, path: str, run_id: int, train: bool = False) -> bool:
        """A stored run's model in the builder and the Train and Draw tabs; `train`: train it further now,
        its epochs counting on from the run's."""
        if not self.open_path(Path(path)):
            return False
        self.dashboard.saved_run_id = run_id
        if train:
            self.tabs.setCurrentWidget(self.dashboard)
            self.dashboard.request_start()
        return True

    def show_runs(self, run_ids: list[int]) -> None:
        """The Runs tab with these runs selected (a trial's seeds), whatever its filter held."""
        self.runs.filter_edit.clear()
        self.tabs.setCurrentWidget(self.runs)
        self.runs.reload()
        self.runs.select_ids(run_ids)

    def open_dialog(self) -> None:
        title, folder = translate("MainWindow", "Open a model"), str(self._last_folder())
        path, _ = QFileDialog.getOpenFileName(self, title, folder, window_texts.open_filter())
        if path:
            self.open_path(Path(path))

    def open_path(self, path: Path) -> bool:
        """Open a model spec (.json) or a trained model (.cnnwb)."""
        if self.document.modified and not self._confirm_discard("open"):
            return False
        if path.suffix.lower() == MODEL_SUFFIX:
            opened = self.keeper.open_trained(path)
            (self._remember_recent if opened else self._forget_recent)(path)
            if opened:
                self.statusBar().showMessage(
                    translate("MainWindow", "Opened the trained model {file}").format(file=path), 5000
                )
            return opened
        try:
            spec = load(str(path))
        except SpecError as exc:
            self._error(
                translate("MainWindow", "Cannot open this model"),
                translate("MainWindow", "{file}: {problem}").format(file=path.name, problem=translated(exc)),
                details(exc),
            )
            self._forget_recent(path)
            return False
        self.document.load(spec, path)
        self._remember_recent(path)
        problem = self._apply_recommended(spec) if spec.recommended else None
        self.statusBar().showMessage(window_texts.opened_text(path, bool(spec.recommended), problem), 8000)
        return True

    def save(self) -> bool:
        if self.document.path is None:
            return self.save_as()
        return self._write(self.document.path)

    def save_as(self) -> bool:
        suggested = self.document.path or self._last_folder() / f"{self.document.spec.name or 'model'}.json"
        title = translate("MainWindow", "Save model spec")
        path, _ = QFileDialog.getSaveFileName(self, title, str(suggested), window_texts.spec_filter())
        return bool(path) and self._write(Path(path))

    def _write(self, path: Path) -> bool:
        try:
            with atomic_file(path) as handle:
                handle.write(self.document.spec.dumps().encode("utf-8"))
        except OSError as exc:
            self._error(
                translate("MainWindow", "Cannot save the model"),
                translate("MainWindow", "{file}: {problem}. Choose another folder.").format(
                    file=path, problem=exc.strerror or exc
                ),
            )
            return False
        self.document.mark_saved(path)
        self._remember_recent(path)
        self.statusBar().showMessage(translate("MainWindow", "Saved {file}").format(file=path), 5000)
        return True

    def _error(self, title: str, message: str, english: str = "") -> None:
        """A warning; `english`: the core's original of a translated message, behind Show Details."""
        window_texts.show_error(self, title, message, english)

    def _confirm_discard(self, doing: str) -> bool:
        """Ask before unsaved changes are lost; True means go ahead (after saving if asked)."""
        answer = QMessageBox.question(
            self,
            translate("MainWindow", "Unsaved changes"),
            window_texts.discard_question(doing),
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    # ----- settings and recent files ---------------------------------------------------------------

    def recent_files(self) -> list[Path]:
        values = QSettings().value("recent_files", []) or []
        return [Path(v) for v in ([values] if isinstance(values, str) else values)]

    def _remember_recent(self, path: Path) -> None:
        paths = [path.resolve(), *[p for p in self.recent_files() if p != path.resolve()]][:MAX_RECENT]
        QSettings().setValue("recent_files", [str(p) for p in paths])
        self._fill_recent_menu()

    def _forget_recent(self, path: Path) -> None:
        QSettings().setValue("recent_files", [str(p) for p in self.recent_files() if p != path.resolve()])
        self._fill_recent_menu()

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        for path in self.recent_files():
            action = self.recent_menu.addAction(path.name)
            action.setToolTip(str(path))
            action.triggered.connect(lambda _=False, p=path: self.open_path(p))
        self.recent_menu.setEnabled(bool(self.recent_files()))

    def _last_folder(self) -> Path:
        recent = self.recent_files()
        return recent[0].parent if recent else Path.home()

    def _restore_settings(self) -> None:
        window_settings.restore(self)
        self._fill_recent_menu()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._refits = window_settings.refit_soon(self, self._refits)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.document.modified and not self._confirm_discard("quit"):
            event.ignore()
            return
        if self.dashboard.running:
            self.statusBar().showMessage(translate("MainWindow", "Stopping training…"))
        if self._made("experiments"):
            self.experiments.shutdown()
        self.tasks.shutdown()  # asks all at once (threads, the run, a Teach, a study's workers), then waits
        self.dashboard.shutdown()
        if self.run_store is not None:
            if self._made("runs"):
                self.runs.detach()
            self.run_store.close()
        window_settings.save(self)
        self.keeper.clean_exit()
        event.accept()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.keeper.dropped_model(event.mimeData()) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        path = self.keeper.dropped_model(event.mimeData())
        if path is not None:
            event.acceptProposedAction()
            QTimer.singleShot(0, lambda: self.open_path(path))  # not inside the drop: a prompt may follow

    def _show_about(self) -> None:
        window_texts.show_about(self)
