"""The layer inspector: the selected layer's settings as a form, its output shape and the formula
behind it, or why it cannot work.

The form is generated from the catalog's `Param` list (see `param_editors`), never written per
layer type. The window's document owns the spec: an edit emits `params_edited`, the document
updates the spec and calls `show_layer` again with the new layer. That second call updates the
editors in place, because rebuilding the form would take the focus and the text cursor away from
someone who is typing or spinning; the form is rebuilt only for another row or layer type.

Each parameter has a Vary… button (`vary_dialog`): a mark says what experiments try for it, and is shown under
its editor; the mark is the document's too (`vary_edited`), and an edit of the value keeps it.

A layer is named by its row (an int, a layer of the spec itself) or its `model.tree` path (a layer inside a
block); the signals hand back whichever it was shown with. A block shows its own parameters (a Residual's
`relu_after`) and what it holds (`block_panel`: the Residual's projection, the Concat's branches).

Its texts are in the window's language (`retranslate`, after each change of language): the layer's help from
`catalog.layer_texts`, the output line and the problem recomputed, the core's formulas as they are (their words
said again).
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtGui import QFont, QFontDatabase, QPalette
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QLabel,
    QScrollArea,
    QStackedLayout,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ui import i18n, messages, theme
from ui.builder.block_panel import BlockPanel, projection_words
from ui.builder.param_editors import NULL_MEANING, NullableEditor, ParamEditor, make_editor
from ui.builder.param_texts import tooltip_text
from ui.builder.vary_dialog import VaryBadge, marked_field, open_vary_dialog, param_target, vary_button
from ui.i18n import translate
from workbench.model.catalog import layer_texts
from workbench.model.formatting import human_count
from workbench.model.shape_rules import shape_text
from workbench.model.shapes import LayerError, LayerInfo
from workbench.model.spec import LayerSpec
from workbench.model.tree import Path

HINT = QT_TRANSLATE_NOOP("LayerInspector", "Select a layer in the stack to see and edit its settings")
# The labels' names, as a screen reader says them
NAMES = {
    "inspectorHint": QT_TRANSLATE_NOOP("LayerInspector", "Hint"),
    "inspectorTitle": QT_TRANSLATE_NOOP("LayerInspector", "Layer"),
    "inspectorExplain": QT_TRANSLATE_NOOP("LayerInspector", "What the layer does"),
    "inspectorPlace": QT_TRANSLATE_NOOP("LayerInspector", "Where the layer is"),
    "inspectorDerived": QT_TRANSLATE_NOOP("LayerInspector", "Set from the input"),
    "inspectorOutput": QT_TRANSLATE_NOOP("LayerInspector", "Output"),
    "inspectorFormula": QT_TRANSLATE_NOOP("LayerInspector", "Formula"),
    "inspectorProblem": QT_TRANSLATE_NOOP("LayerInspector", "Problem"),
}
ERROR_STYLE = "color: {error};"  # theme tokens


def _label(text: str = "", *, muted: bool = False, name: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if muted:
        label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    if name:
        label.setObjectName(name)
    return label


def output_text(info: LayerInfo) -> str:
    """ "Output: 20×8×8 · 5,020 parameters · 320,000 multiply-adds"."""
    return translate("LayerInspector", "Output: {shape} · {params} parameters · {macs} multiply-adds").format(
        shape=shape_text(info.output), params=human_count(info.params), macs=human_count(info.macs)
    )


def problem_text(error: LayerError, inside: bool = False) -> str:
    """Why the layer cannot work and the fix; `inside`: the failing layer is inside this block (named)."""
    cause = messages.translated(error.cause).rstrip(".。")
    fix = messages.translated(error.fix).rstrip(".。")
    if inside:
        return translate("LayerInspector", "A layer inside cannot work: {where}: {cause}.\nFix: {fix}.").format(
            where=messages.place(error), cause=cause, fix=fix
        )
    return translate("LayerInspector", "This layer cannot work: {cause}.\nFix: {fix}.").format(cause=cause, fix=fix)


def formula_text(info: LayerInfo) -> str:
    """The core's formula, its words (not its symbols) in the window's language."""
    return "\n".join(formula_line(line, info) for line in info.formula)


def formula_line(line: str, info: LayerInfo) -> str:
    projection = getattr(info, "projection", None)
    if projection is not None and line == f"P = {projection.text}":
        return f"P = {projection_words(projection)}"
    return messages.translated(line)  # the core's coded words; its formulas as they are


class LayerInspector(QWidget):
    """Shows one layer of the stack and lets people edit its parameters."""

    params_edited = Signal(object, object)  # (0-based row or path, the new LayerSpec.params dict), once per edit
    vary_edited = Signal(object, str, object)  # (0-based row or path, parameter, its Domain or None), from Vary…
    branch_add_requested = Signal(object)  # the Concat block's row or path
    branch_remove_requested = Signal(object, int)  # the Concat block's row or path, the 0-based branch

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("layerInspector")
        self._row: int | Path = -1
        self._layer: LayerSpec | None = None
        self._editors: dict[str, ParamEditor] = {}
        self._resets: dict[str, QToolButton] = {}
        self._varies: dict[str, QToolButton] = {}
        self._badges: dict[str, VaryBadge] = {}
        self._labels: dict[str, QLabel] = {}
        self._shown: tuple = (None, None, "", "", False)  # info, error, number, place, inside_error
        self._form_host: QWidget | None = None
        self._build()
        self.clear()
        i18n.follow(self, LayerInspector.retranslate)

    def retranslate(self) -> None:
        """The texts in the window's language; the layer shown is worded again."""
        self.setAccessibleName(translate("LayerInspector", "Layer inspector"))
        self._hint.setText(translate("LayerInspector", HINT))
        for label in self.findChildren(QLabel):
            if label.objectName() in NAMES:
                label.setAccessibleName(translate("LayerInspector", NAMES[label.objectName()]))
        if self._layer is not None:
            self._show_texts()
            self._block.show_block(self._layer, self._shown[0])

    # ---- public API -------------------------------------------------------------------------

    def show_layer(
        self,
        row: int | Path,
        layer: LayerSpec,
        info: LayerInfo | None,
        error: LayerError | None,
        *,
        number: str = "",
        place: str = "",
        inside_error: bool = False,
    ) -> None:
        """Show `layer` (row: 0-based, or the path of a layer inside a block); `info` is its inference, `error`
        its problem, if any (`inside_error`: a problem of a layer inside this block). `number` is the title's
        ('2.1'; row + 1 by default), `place` says which block holds it ('in layer 2 Residual')."""
        if self._layer is None or row != self._row or layer.type != self._layer.type:
            self._rebuild_form(layer)
        self._row, self._layer = row, layer
        self._shown = (info, error, number or str(_first(row) + 1), place, inside_error)
        self._show_texts()
        self._show_values()
        self._block.show_block(layer, info)
        self._stack.setCurrentWidget(self._scroll)

    def clear(self) -> None:
        """Nothing selected: drop the form and show the hint."""
        self._row, self._layer = -1, None
        self._replace_form(None)
        self._stack.setCurrentWidget(self._hint)

    def editor(self, name: str) -> ParamEditor:
        """The editor of parameter `name` in the current form (for the window and tests)."""
        return self._editors[name]

    def reset_button(self, name: str) -> QToolButton:
        return self._resets[name]

    def vary_button(self, name: str) -> QToolButton:
        return self._varies[name]

    def badge(self, name: str) -> VaryBadge:
        """What parameter `name` varies over in experiments (hidden while it is not marked)."""
        return self._badges[name]

    @property
    def form_layout(self) -> QFormLayout | None:
        return None if self._form_host is None else self._form_host.layout()

    # ---- building ---------------------------------------------------------------------------

    def _build(self) -> None:
        self._hint = _label(muted=True, name="inspectorHint")
        self._hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._title = _label(name="inspectorTitle")
        font = QFont(self._title.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.25)
        self._title.setFont(font)
        self._explain = _label(muted=True, name="inspectorExplain")
        self._place = _label(muted=True, name="inspectorPlace")
        self._derived = _label(name="inspectorDerived")
        self._output = _label(name="inspectorOutput")
        self._formula = _label(name="inspectorFormula")
        self._formula.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self._problem = _label(name="inspectorProblem")
        theme.style_sheet(self._problem, ERROR_STYLE)
        self._content = QWidget()
        self._content_layout = QVBoxLayout(self._content)
        self._block = BlockPanel()
        self._block.add_branch_clicked.connect(lambda: self.branch_add_requested.emit(self._row))
        self._block.remove_branch_clicked.connect(lambda branch: self.branch_remove_requested.emit(self._row, branch))
        for widget in (self._title, self._place, self._explain, self._derived):
            self._content_layout.addWidget(widget)
        self._form_index = self._content_layout.count()
        for widget in (self._block, self._output, self._formula, self._problem):
            self._content_layout.addWidget(widget)
        self._content_layout.addStretch(1)
        self._scroll = QScrollArea()
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._scroll.setWidget(self._content)
        self._stack = QStackedLayout(self)
        self._stack.addWidget(self._hint)
        self._stack.addWidget(self._scroll)

    def _replace_form(self, host: QWidget | None) -> None:
        if self._form_host is not None:
            self._form_host.setParent(None)
            self._form_host.deleteLater()
        self._form_host = host
        if host is None:
            self._editors, self._resets, self._varies, self._badges, self._labels = {}, {}, {}, {}, {}
        else:
            self._content_layout.insertWidget(self._form_index, host)

    def _rebuild_form(self, layer: LayerSpec) -> None:
        host = QWidget()
        host.setObjectName("inspectorForm")
        form = QFormLayout(host)
        form.setContentsMargins(0, 4, 0, 4)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        editors, resets, varies, badges, labels = {}, {}, {}, {}, {}
        for param in layer.layer_type.params:
            editor = make_editor(param)
            editor.value_committed.connect(partial(self._on_editor_value_committed, param.name))
            reset = self._reset_button(param.name)
            vary = vary_button(param.name, partial(self._on_vary_clicked, param.name))
            badge = VaryBadge(param.name)
            label = QLabel(param.name)
            label.setBuddy(editor)
            form.addRow(label, marked_field([editor, reset], vary, badge))
            editors[param.name], resets[param.name], varies[param.name], badges[param.name] = editor, reset, vary, badge
            labels[param.name] = label
        self._replace_form(host)
        self._editors, self._resets, self._varies, self._badges = editors, resets, varies, badges
        self._labels = labels

    def _reset_button(self, name: str) -> QToolButton:
        button = QToolButton()
        button.setText("↺")
        policy = button.sizePolicy()
        policy.setRetainSizeWhenHidden(True)  # editors do not jump when the button comes and goes
        button.setSizePolicy(policy)
        button.clicked.connect(partial(self._on_reset_clicked, name))
        return button

    # ---- showing ----------------------------------------------------------------------------

    @property
    def block_panel(self) -> BlockPanel:
        return self._block

    def _show_texts(self) -> None:
        """Everything worded about the layer shown, in the window's language."""
        info, error, number, place, inside = self._shown
        texts = layer_texts(self._layer.type, i18n.current())
        self._show_header(number, self._layer, info, error, texts.explain, texts.tooltip)
        self._place.setText(place)
        self._place.setVisible(bool(place))
        for param in self._layer.layer_type.params:
            help_text = texts.params.get(param.name, param.help)
            self._labels[param.name].setToolTip(tooltip_text(param, help_text))
            self._editors[param.name].retranslate(help_text)
            reset = self._resets[param.name]
            reset.setAccessibleName(translate("LayerInspector", "Reset {name}").format(name=param.name))
            reset.setToolTip(translate("LayerInspector", "Reset {name} to torch's default").format(name=param.name))
        self._show_result(info, error, inside)

    def _show_header(self, number: str, layer: LayerSpec, info, error, explain: str, tooltip: str) -> None:
        layer_type = layer.layer_type
        self._title.setText(f"{number}. {layer.type}")
        self._explain.setText(explain)
        self._explain.setToolTip(tooltip)
        self._derived.setVisible(layer_type.derived is not None)
        if layer_type.derived is not None:
            self._derived.setText(self._derived_text(self._row, layer_type.derived, info, error))

    @staticmethod
    def _derived_text(row: int | Path, name: str, info: LayerInfo | None, error: LayerError | None) -> str:
        if info is not None:
            if not isinstance(row, int) and len(row) > 1 and row[-1] == 0:
                text = translate("LayerInspector", "{name} = {value} (from the block's input)")
            elif row == 0 or row == (0,):
                text = translate("LayerInspector", "{name} = {value} (from the input)")
            else:
                text = translate("LayerInspector", "{name} = {value} (from the previous layer)")
            return text.format(name=name, value=info.input[0])
        if error is not None:
            return translate("LayerInspector", "{name} = ? (this layer does not fit its input; see below)").format(
                name=name
            )
        return translate("LayerInspector", "{name} = ? (worked out once the layers above fit together)").format(
            name=name
        )

    def _show_values(self) -> None:
        """Put the layer's values into the editors; each editor touches only what changed."""
        layer = self._layer
        resolved = layer.resolved()
        for param in layer.layer_type.params:
            editor = self._editors[param.name]
            if isinstance(editor, NullableEditor):
                stands_for = NULL_MEANING.get(param.name, ("", None))[1]
                editor.set_fallback(resolved.get(stands_for) if stands_for else None)
            editor.set_value(resolved[param.name])
            self._resets[param.name].setVisible(param.name in layer.params and not param.required)
            self._badges[param.name].show_domain(layer.vary.get(param.name))

    def _show_result(self, info: LayerInfo | None, error: LayerError | None, inside: bool = False) -> None:
        self._problem.setVisible(error is not None)
        self._output.setVisible(error is None)
        self._formula.setVisible(error is None and info is not None and bool(info.formula))
        if error is not None:
            self._problem.setText(problem_text(error, inside))
        elif info is not None:
            self._output.setText(output_text(info))
            self._formula.setText(formula_text(info))
        else:
            self._output.setText(translate("LayerInspector", "Output: not known until the layers above fit together"))

    # ---- edits ------------------------------------------------------------------------------

    def _on_editor_value_committed(self, name: str, value: object) -> None:
        params = dict(self._layer.params)
        params[name] = value
        self._commit_params(params)

    def _on_reset_clicked(self, name: str) -> None:
        params = dict(self._layer.params)
        params.pop(name, None)
        self._commit_params(params)

    def _on_vary_clicked(self, name: str) -> None:
        layer = self._layer
        target = param_target(layer.layer_type.param(name), layer.resolved()[name], layer.vary.get(name))
        open_vary_dialog(self, target, partial(self.vary_edited.emit, self._row, name))

    def _commit_params(self, params: dict) -> None:
        """Keep the edit locally (the next edit builds on it even before the document answers),
        then emit; a show_layer from the document during the emit replaces the local copy."""
        row = self._row
        old = self._layer
        self._layer = LayerSpec(old.type, params, old.vary, old.branches)  # an edited value keeps marks and layers
        self._show_values()
        self.params_edited.emit(row, dict(params))


def _first(row: int | Path) -> int:
    return row if isinstance(row, int) else row[0]


def _demo() -> int:
    """`python -m ui.builder.inspector`: the classic MNIST model's first Conv2d, edits printed."""
    import sys

    from PySide6.QtWidgets import QApplication

    from workbench.model.shapes import infer
    from workbench.model.templates import template

    app = QApplication.instance() or QApplication(sys.argv)
    state = {"spec": template("mnist-classic")}
    inspector = LayerInspector()
    inspector.setWindowTitle(translate("inspector", "CNN Workbench — layer inspector"))
    inspector.resize(320, 760)

    def show(row: int) -> None:
        inference = infer(state["spec"])
        info = inference.layers[row] if row < len(inference.layers) else None
        error = inference.error if inference.error and inference.error.index == row + 1 else None
        inspector.show_layer(row, state["spec"].layers[row], info, error)

    def on_params_edited(row: int, params: dict) -> None:
        print(f"params_edited({row}, {params!r})", flush=True)
        layers = list(state["spec"].layers)
        layers[row] = LayerSpec(layers[row].type, params, layers[row].vary)
        state["spec"] = state["spec"].with_layers(layers)
        show(row)

    inspector.params_edited.connect(on_params_edited)
    show(0)
    inspector.show()
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(_demo())
